//! Issue 6, item 6: property tests of hostile input to the library.
//!
//! Arbitrary strings (quotes, parentheses, colons, `+`/`-`, `OR`, unicode,
//! very long ones) never make the query parser or a search panic, and a
//! search on the seed index takes less than a second; arbitrary bytes and
//! strings never make a reader, the cleaner or the extractor panic.
//!
//! Case counts are modest so that the file runs in seconds in a debug build;
//! `PROPTEST_CASES` does not override them, edit [`cases`] to run more.
//! Failing inputs are saved beside this file in `props.proptest-regressions`
//! and replayed first by later runs.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

use newsidx::error::Error;
use newsidx::index::sync::{self, SyncOptions};
use newsidx::progress::NoProgress;
use newsidx::read::{self, Format};
use newsidx::search::{self, query, Filters, SearchRequest, Sort};
use newsidx::taxonomy::Taxonomy;

fn cases(n: u32) -> Config {
    Config {
        cases: n,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date")
}

/// Every reader. The `match` makes this fail to compile when a format is
/// added, so that the new reader is fuzzed too.
fn formats() -> [Format; 4] {
    let all = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::JsonLines,
    ];
    for format in all {
        match format {
            Format::Text | Format::Markdown | Format::Html | Format::JsonLines => {}
        }
    }
    all
}

// ---------------------------------------------------------------------------
// Strategies

/// Pieces of the query language and its edge cases.
const QUERY_TOKENS: &[&str] = &[
    " ",
    "  ",
    "\t",
    "\n",
    "\"",
    "(",
    ")",
    ":",
    "+",
    "-",
    "--",
    "OR",
    " OR ",
    "AND",
    "or",
    "title:",
    "state:",
    "sector:",
    "prefecture:",
    "Title:",
    "state:\"",
    ":\"",
    "*",
    "?",
    "~",
    "^2",
    "\\",
    "'",
    "semiconductor",
    "investment",
    "Karnataka",
    "Assam",
    "EV",
    "electric vehicle",
    "battery",
    "chip",
    "semicondutor",
    "investmnet",
    "japan",
    "Tokyo",
    "UP",
    "日本",
    "café",
    "Ünïcode",
    "ß",
    "İ",
    "\u{200b}",
    "\u{feff}",
    "\u{301}",
    "\u{fffd}",
    "🚗",
    "👩‍🔬",
    "\0",
    "\u{7f}",
    "a",
    "x",
    "12",
    "2025",
    "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
];

/// Queries made of the language's pieces: many operators, unbalanced quotes
/// and parentheses, field names with and without values.
fn token_soup(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(QUERY_TOKENS), 0..max).prop_map(|t| t.concat())
}

/// Any query: arbitrary unicode, the language's pieces, or a long run of them.
fn hostile_query() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        4 => token_soup(40),
        1 => token_soup(3000),
        1 => (prop::sample::select(QUERY_TOKENS), 1..20_000usize)
            .prop_map(|(token, n)| token.repeat(n)),
    ]
}

/// Pieces of the formats the readers parse.
const MARKUP_TOKENS: &[&str] = &[
    "<html>",
    "<head>",
    "<title>",
    "</title>",
    "<meta name=\"date\" content=\"2025-03-04\">",
    "<meta property=\"article:published_time\" content=\"",
    "<body>",
    "<article>",
    "</article>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<script>",
    "</script>",
    "<style>",
    "<br>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&amp;",
    "&#x0;",
    "&#99999999;",
    "<",
    ">",
    "/",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "\"title\":",
    "\"body\":",
    "\"text\":",
    "\"date\":",
    "\"states\":",
    "\"url\":",
    "null",
    "1e999",
    "-0",
    "true",
    "# ",
    "## ",
    "```",
    "* ",
    "> ",
    "[link](http://x)",
    "![img](x.png)",
    "|---|",
    "---\n",
    "\n",
    "\r\n",
    "\n\n",
    " ",
    "\t",
    "Karnataka",
    "semiconductor plant",
    "Mumbai, March 3, 2025",
    "date 2025-01-02",
    "Rs 500 crore",
    "Also read:",
    "Accept cookies",
    "日本",
    "\u{feff}",
    "\u{202e}",
    "\0",
];

fn markup_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(MARKUP_TOKENS), 0..200).prop_map(|t| t.concat())
}

/// Any text: arbitrary unicode or the formats' pieces.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), markup_soup()]
}

/// Any bytes: arbitrary, or text with bytes that are not UTF-8 spliced in.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        (
            markup_soup(),
            prop::collection::vec((any::<usize>(), any::<u8>()), 0..8)
        )
            .prop_map(|(text, splices)| {
                let mut bytes = text.into_bytes();
                for (at, byte) in splices {
                    let at = at % (bytes.len() + 1);
                    bytes.insert(at, byte | 0x80);
                }
                bytes
            }),
    ]
}

// ---------------------------------------------------------------------------
// (a) The query parser and the compiled search

#[test]
fn query_parser_never_panics() {
    let mut runner = TestRunner::new(cases(256));
    runner
        .run(&hostile_query(), |text| {
            let parsed = query::parse(&text);
            // The parser bounds what it returns, whatever it was given.
            prop_assert!(
                parsed.clauses.len() <= 64,
                "{} clauses",
                parsed.clauses.len()
            );
            prop_assert!(
                parsed.warnings.len() <= 16,
                "{} warnings: {:?}",
                parsed.warnings.len(),
                &parsed.warnings[..3.min(parsed.warnings.len())]
            );
            Ok(())
        })
        .unwrap();
}

/// The seed index, built once in a temp dir through the library.
struct SeedIndex {
    _dir: tempfile::TempDir,
    index: newsidx::index::OpenIndex,
    taxonomy: Taxonomy,
}

fn seed_index() -> SeedIndex {
    let dir = tempfile::tempdir().expect("temp dir");
    let taxonomy = Taxonomy::builtin();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let index_dir = dir.path().join("index");
    let summary = sync::sync(
        &SyncOptions::new(seeds, index_dir.clone(), &taxonomy, today()),
        &NoProgress,
    )
    .expect("index the seeds");
    assert!(summary.articles >= 5, "{summary:?}");
    let index = newsidx::index::open(&index_dir).expect("open the seed index");
    SeedIndex {
        _dir: dir,
        index,
        taxonomy,
    }
}

/// One search of `text` with the given options; panics are caught by the
/// runner, errors and slowness are failures.
fn search_once(
    seeds: &SeedIndex,
    text: &str,
    any: bool,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> Result<(), TestCaseError> {
    let request = SearchRequest {
        query: text.to_string(),
        any,
        filters: Filters::default(),
        per_article: 2,
        sort,
        limit,
        offset,
        facets: true,
        ..SearchRequest::default()
    };
    let results = search::run(&seeds.index, &seeds.taxonomy, &request);
    let results = match results {
        Ok(results) => results,
        // A query of nothing but operators or symbols: a clear error.
        Err(e @ Error::InvalidValue { what: "query", .. }) => {
            prop_assert!(e.to_string().contains("nothing to search for"), "{e}");
            return Ok(());
        }
        Err(e) => return Err(TestCaseError::fail(format!("search failed: {e}"))),
    };
    prop_assert!(results.hits.len() <= limit * 2);
    prop_assert!(results.total_articles <= 5);
    for hit in &results.hits {
        for &[start, end] in &hit.highlights {
            prop_assert!(start <= end && end <= hit.text.len());
            prop_assert!(hit.text.is_char_boundary(start) && hit.text.is_char_boundary(end));
        }
    }
    Ok(())
}

#[test]
fn searches_never_panic_on_arbitrary_queries() {
    let seeds = seed_index();
    // A sanity check that the index answers at all.
    let found = search::run(
        &seeds.index,
        &seeds.taxonomy,
        &SearchRequest {
            query: "investment".into(),
            ..SearchRequest::default()
        },
    )
    .expect("search");
    assert!(found.total_hits > 0);

    let options = (
        any::<bool>(),
        prop::sample::select(&[Sort::Relevance, Sort::Date][..]),
        0..12usize,
        prop_oneof![0..8usize, Just(usize::MAX / 2)],
    );
    let mut runner = TestRunner::new(cases(64));
    runner
        .run(
            &(hostile_query(), options),
            |(text, (any, sort, limit, offset))| {
                search_once(&seeds, &text, any, sort, limit, offset)
            },
        )
        .unwrap();
}

#[test]
fn pathological_queries_are_answered() {
    let seeds = seed_index();
    let hundred_kb = |unit: &str| unit.repeat(100 * 1024 / unit.len());
    let queries = [
        hundred_kb("a "),
        hundred_kb("investment "),
        hundred_kb("semicondutor "),
        hundred_kb("("),
        hundred_kb(")"),
        hundred_kb("\""),
        hundred_kb("\"a "),
        hundred_kb("- "),
        hundred_kb("OR "),
        hundred_kb("title:"),
        hundred_kb("state:x "),
        hundred_kb("(a OR "),
        hundred_kb("日本"),
        "x".repeat(100 * 1024),
        "- + OR ( )".to_string(),
        String::new(),
    ];
    for text in &queries {
        for any in [false, true] {
            let started = Instant::now();
            search_once(&seeds, text, any, Sort::Relevance, 10, 0)
                .unwrap_or_else(|e| panic!("{:?}…: {e}", &text[..text.len().min(20)]));
            eprintln!(
                "{:?}… ({} bytes, any={any}): {:?}",
                &text[..text.len().min(12)],
                text.len(),
                started.elapsed()
            );
        }
    }
}

/// Articles matching `text` on the seed index.
fn count(seeds: &SeedIndex, text: &str) -> u64 {
    let request = SearchRequest {
        query: text.into(),
        limit: 0,
        ..SearchRequest::default()
    };
    search::run(&seeds.index, &seeds.taxonomy, &request)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .total_hits
}

/// `-"a phrase"` used to panic inside tantivy in debug builds (an excluded
/// phrase scorer was probed backwards); it now removes exactly the articles
/// with the phrase.
#[test]
fn excluded_phrases_subtract_exactly() {
    let seeds = seed_index();
    for (word, phrase) in [
        ("the", "the state"),
        ("investment", "state government"),
        ("investment", "industrial park"),
        ("the", "no such phrase"),
    ] {
        let all = count(&seeds, word);
        // `+` on both: no fallback to any-word matching.
        let with = count(&seeds, &format!("+{word} +\"{phrase}\""));
        let without = count(&seeds, &format!("{word} -\"{phrase}\""));
        assert!(all > 0, "{word}");
        assert_eq!(with + without, all, "{word} -\"{phrase}\"");
        // Nested and field forms go the same way.
        let nested = count(&seeds, &format!("{word} -(\"{phrase}\")"));
        assert_eq!(nested, without, "{word} -(\"{phrase}\")");
        count(&seeds, &format!("{word} -title:\"{phrase}\""));
    }
    // Only an excluded phrase: every article but those holding it.
    let articles = count(&seeds, "");
    let holding = count(&seeds, "\"industrial park\"");
    assert!(holding > 0 && holding < articles);
    assert_eq!(count(&seeds, "-\"industrial park\""), articles - holding);
}

/// A query of nothing searchable is an error, not a search for everything;
/// the empty query (filters alone) is still every passage.
#[test]
fn unsearchable_queries_are_a_clear_error() {
    let seeds = seed_index();
    for text in [
        "- + OR ( )",
        "!!!",
        "🚗",
        "\"\"",
        "()",
        "((( )))",
        "\u{200b}",
    ] {
        let request = SearchRequest {
            query: text.into(),
            ..SearchRequest::default()
        };
        let err = search::run(&seeds.index, &seeds.taxonomy, &request)
            .err()
            .unwrap_or_else(|| panic!("{text:?} should be an error"));
        let message = err.to_string();
        assert!(
            message.contains("nothing to search for"),
            "{text:?}: {message}"
        );
    }
    assert!(count(&seeds, "") > 0);
    assert!(count(&seeds, "-zzqqnothing") > 0);
    assert_eq!(count(&seeds, "investment !!!"), count(&seeds, "investment"));
}

// ---------------------------------------------------------------------------
// (b) Readers, and the rest of the pipeline on what they return

/// Reads `bytes` as `format`; whatever comes back goes through the rest of
/// the indexing pipeline (clean, extract, split into passages).
fn read_and_prepare(format: Format, bytes: &[u8], taxonomy: &Taxonomy) {
    let Ok(read) = read::read_bytes(format, "f", bytes) else {
        return;
    };
    for raw in read.articles {
        let article = newsidx::prepare(raw, taxonomy, today());
        let _ = newsidx::passage::split(&article.body);
    }
}

#[test]
fn readers_never_panic_on_arbitrary_bytes() {
    let taxonomy = Taxonomy::builtin();
    for format in formats() {
        let mut runner = TestRunner::new(cases(128));
        runner
            .run(&hostile_bytes(), |bytes| {
                read_and_prepare(format, &bytes, &taxonomy);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
    }
}

#[test]
fn readers_never_panic_on_arbitrary_strings() {
    let taxonomy = Taxonomy::builtin();
    for format in formats() {
        let mut runner = TestRunner::new(cases(128));
        runner
            .run(&hostile_text(), |text| {
                read_and_prepare(format, text.as_bytes(), &taxonomy);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
    }
}

// ---------------------------------------------------------------------------
// (c) Cleaning and extraction

#[test]
fn clean_and_extract_never_panic() {
    let taxonomy = Taxonomy::builtin();
    let mut runner = TestRunner::new(cases(256));
    runner
        .run(
            &(hostile_text(), prop::option::of(hostile_text())),
            |(text, title)| {
                let body = newsidx::clean::clean(&text);
                prop_assert!(body.is_empty() || body.ends_with('\n'));
                let _ = newsidx::extract::extract(title.as_deref(), &body, &taxonomy, today());
                // Extraction also sees raw text when a reader gives no lines.
                let _ = newsidx::extract::extract(title.as_deref(), &text, &taxonomy, today());
                Ok(())
            },
        )
        .unwrap();
}

/// Lines of article text and of page junk, to build pages from.
const PAGE_LINES: &[&str] = &[
    "Gujarat signs a chip pact with a Japanese firm",
    "Gandhinagar: The state signed an agreement for a fab near Sanand on Monday.",
    "Customers like products that use less power, and cookies are not the only thing people use online.",
    "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    "Privacy Settings",
    "These cookies keep you logged in.",
    "Also read: Telangana bags a chip plant",
    "Share this article: Facebook | Twitter | WhatsApp",
    "Comments (3)",
    "By Staff Reporter | Updated Nov 15, 2022",
    "Home › News › Gujarat › Business",
    "Home News Business Industry Markets Economy Opinion About Us",
    "India Business Leaders Meet Tokyo Industry Chiefs On Semiconductor Push",
    "• Home",
    "• About us",
    "LM NEWS 24",
    "ADVERTISEMENT",
    "Officials said the plant would employ 2,000 people.",
    "   ",
    "",
];

/// Issue 14: cleaning never drops a line that no rule matched. Every
/// non-blank input line is either kept or listed as dropped, in order; and
/// each dropped line is one its rule really matches: a line rule on the line
/// alone, consent text right after a banner, a repeat or a masthead only when
/// the same line occurs elsewhere, a bulleted menu line only in a run.
#[test]
fn cleaning_drops_only_what_a_rule_matched() {
    use newsidx::clean::{self, Rule};
    let taxonomy = Taxonomy::builtin();
    let rules = taxonomy.rules();
    let lines = prop_oneof![
        3 => prop::sample::select(PAGE_LINES).prop_map(str::to_string),
        1 => any::<String>().prop_map(|s| s.replace(['\n', '\r'], " ")),
    ];
    let mut runner = TestRunner::new(cases(256));
    runner
        .run(&prop::collection::vec(lines, 0..30), |page| {
            let text = page.join("\n");
            let cleaned = clean::clean_with(&text, rules);
            let input: Vec<&str> = text
                .lines()
                .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
                .filter(|l| !l.is_empty())
                .collect();
            let mut kept = cleaned.text.lines();
            let mut dropped = cleaned.dropped.iter().peekable();
            let mut previous: Option<Rule> = None;
            for (i, line) in input.iter().enumerate() {
                if dropped.peek().is_none_or(|d| d.index != i) {
                    prop_assert_eq!(kept.next(), Some(*line), "{:?} vanished", line);
                    previous = None;
                    continue;
                }
                let d = dropped.next();
                prop_assert!(d.is_some_and(|d| d.text == *line), "{line:?} misreported");
                let rule = d.map(|d| d.rule).unwrap_or(Rule::Label);
                let key = clean::dedup_key(line);
                let elsewhere = input
                    .iter()
                    .enumerate()
                    .any(|(j, l)| j != i && clean::dedup_key(l) == key);
                let holds = match rule {
                    Rule::Consent => {
                        matches!(previous, Some(Rule::Banner | Rule::Consent))
                            && clean::is_consent(line, rules)
                    }
                    Rule::Repeat | Rule::SiteName => elsewhere,
                    Rule::Navigation if clean::line_rule(line, rules) != Some(rule) => {
                        clean::is_menu_item(line)
                    }
                    rule => clean::line_rule(line, rules) == Some(rule),
                };
                prop_assert!(holds, "{line:?} dropped as {rule:?} without a match");
                previous = Some(rule);
            }
            prop_assert!(kept.next().is_none() && dropped.next().is_none());
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// (d) Analysis by script

/// Text mixing the scripts the analyzer cuts differently: Latin words,
/// Devanagari and Tamil words with their marks, Japanese runs, lone marks
/// and joiners, punctuation, digits of other scripts, and anything else.
fn mixed_script_text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        " ",
        "\n",
        "Tamil",
        "UP",
        "chips",
        "प्रदेश",
        "\u{094D}",
        "\u{093C}",
        "\u{200D}",
        "निवेश",
        "தமிழ்நாட்டில்",
        "東京",
        "都",
        "の",
        "タミル",
        "・",
        "ー",
        "。",
        "、",
        "5,000",
        "५",
        "２",
        "é",
        "e\u{0301}",
        ",",
        "-",
        "\"",
        "toolongwordtoolongwordtoolongwordtoolongword",
    ];
    prop_oneof![
        1 => any::<String>(),
        3 => prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|p| p.concat()),
    ]
}

#[test]
fn positions_and_highlights_agree_with_the_analyzer_in_every_script() {
    use newsidx::index::analyzer;
    let mut runner = TestRunner::new(cases(512));
    runner
        .run(&mixed_script_text(), |text| {
            let mut a = analyzer::analyzer();
            let mut stream = a.token_stream(&text);
            let mut end = 0;
            let mut terms = Vec::new();
            while let Some(t) = stream.next() {
                prop_assert!(text.is_char_boundary(t.offset_from));
                prop_assert!(text.is_char_boundary(t.offset_to));
                prop_assert!(t.offset_from < t.offset_to);
                end = end.max(t.position as u32 + 1);
                terms.push(t.text.clone());
            }
            // Passages are placed by the positions the index gives them.
            prop_assert_eq!(analyzer::position_span(&text), end);
            // Every word of the text is highlighted in it, on whole
            // characters: highlights cut the text as the index did.
            for term in terms.iter().take(5) {
                let leaf = query::Leaf {
                    tokens: vec![term.clone()],
                    weight: 1.0,
                };
                let ranges = newsidx::search::highlight::highlights(&text, &[leaf]);
                for [a, b] in &ranges {
                    prop_assert!(a < b && *b <= text.len());
                    prop_assert!(text.is_char_boundary(*a) && text.is_char_boundary(*b));
                }
                prop_assert!(!ranges.is_empty(), "{term:?} in {text:?}");
            }
            Ok(())
        })
        .expect("analysis property");
}
