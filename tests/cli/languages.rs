//! Articles in Hindi, Tamil and Japanese, and one mixing English and Hindi
//! (`tests/fixtures/languages`, written for these tests): their language and
//! metadata, native-script words, phrases and highlights, English queries
//! finding them through the taxonomy's synonyms, and `--lang`.

use std::path::{Path, PathBuf};

use newsidx::print::json::{ListDoc, SearchDoc, StatsDoc};
use serde_json::Value;

use crate::harness::{paths, search, Env};

const HINDI: &str = "hi_up_semiconductor.txt";
const TAMIL: &str = "ta_tn_chips.txt";
const JAPANESE: &str = "ja_aichi_tamil_nadu.txt";
const MIXED: &str = "mixed_en_hi_gujarat.txt";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages")
}

/// The four fixtures and the five English seeds, indexed.
fn corpus() -> Env {
    let env = Env::with_seeds();
    env.copy_from(&fixtures());
    env.ok(&["index", "--quiet"]);
    env
}

/// The highlighted words of every hit of `doc` on the article at `path`.
fn highlighted<'a>(doc: &'a SearchDoc, path: &str) -> Vec<&'a str> {
    doc.hits
        .iter()
        .filter(|h| h.article.record.path == path)
        .flat_map(|h| {
            h.passage
                .highlights
                .iter()
                .map(|[a, b]| &h.passage.text[*a..*b])
        })
        .collect()
}

#[test]
fn language_states_prefectures_dates_and_amounts_match_the_labels() {
    let env = Env::new();
    env.copy_from(&fixtures());
    let labels =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages-labels.jsonl");
    let report: Value = crate::harness::eval_extraction(&env, &labels);
    assert_eq!(report["articles"], 4, "{report}");
    assert_eq!(report["other_languages"], 3, "{report}");
    for field in [
        "lang_accuracy",
        "state_accuracy",
        "date_accuracy",
        "sector_f1",
        "prefecture_f1",
        "amount_accuracy",
    ] {
        assert_eq!(report[field], 1.0, "{field}: {report}");
    }
    env.ok(&["index", "--quiet"]);
    let listed: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let get = |path: &str| listed.iter().find(|d| d.path == path).unwrap();
    assert_eq!(get(HINDI).meta.lang.as_deref(), Some("hi"));
    assert_eq!(get(MIXED).meta.lang.as_deref(), Some("en"));
    let hindi = get(HINDI).meta.amount.as_ref().unwrap();
    assert_eq!(
        (hindi.written.as_str(), hindi.rupees),
        ("5,000 करोड़ रुपये", 50_000_000_000)
    );
    assert_eq!(
        get(JAPANESE).meta.amount.as_ref().unwrap().written,
        "300億円"
    );
    assert_eq!(
        get(JAPANESE).meta.title,
        "愛知県の部品大手、タミル・ナードゥ州に半導体工場"
    );
}

#[test]
fn native_script_words_and_phrases_are_found_and_highlighted() {
    let env = corpus();
    for (query, article, words) in [
        ("半導体", JAPANESE, &["半導体"][..]),
        ("東京 投資", JAPANESE, &["東京", "投資"]),
        ("निवेश", HINDI, &["निवेश"]),
        ("முதலீடு", TAMIL, &["முதலீடு"]),
        ("\"उत्तर प्रदेश\"", HINDI, &["उत्तर", "प्रदेश"]),
        ("\"半導体の後工程工場\"", JAPANESE, &["半導体の後工程工場"]),
        ("\"செமிகண்டக்டர் ஆலை\"", TAMIL, &["செமிகண்டக்டர்", "ஆலை"]),
    ] {
        // Translations match too (निवेश ↔ முதலீடு ↔ investment): the
        // article is among the hits, not necessarily first.
        let doc = search(&env, &["--strict", "--per-article", "5", "-n", "20", query]);
        assert!(paths(&doc).contains(&article), "{query}: {:?}", paths(&doc));
        let shown = highlighted(&doc, article);
        for word in words {
            assert!(shown.contains(word), "{query}: {word} not in {shown:?}");
        }
        // Every highlight is whole words (or characters) of the text.
        for hit in &doc.hits {
            for [a, b] in &hit.passage.highlights {
                assert!(
                    hit.passage.text.is_char_boundary(*a) && hit.passage.text.is_char_boundary(*b)
                );
            }
        }
    }
    // A phrase holds only where its words stand together: the words of
    // "प्रदेश उत्तर" are in the Hindi article, not in that order.
    env.expect(1, &["search", "--strict", "\"प्रदेश उत्तर\""]);
    // A Japanese query ranks the Japanese article first: translations are
    // never rarer than the typed word.
    let doc = search(&env, &["半導体"]);
    assert_eq!(paths(&doc).first(), Some(&JAPANESE));
    // The mixed article is found by its Hindi words and its English ones.
    assert!(paths(&search(&env, &["--strict", "गुजरात"])).contains(&MIXED));
    assert!(paths(&search(&env, &["--strict", "Sanand"])).contains(&MIXED));
    // Words of a script are cut whole: the start of a Hindi word is no
    // word (tantivy's simple tokenizer cut प्रदेश at its virama, so that
    // "प्र" matched it); a near-miss of five letters is corrected.
    env.expect(1, &["search", "--strict", "प्र"]);
    let doc = search(&env, &["--strict", "प्रदे"]);
    assert_eq!(doc.corrections[0].to, "प्रदेश");
}

#[test]
fn english_queries_find_the_translations_and_each_hit_says_its_language() {
    let env = corpus();
    let doc = search(&env, &["--strict", "semiconductor investment", "-n", "20"]);
    let found = paths(&doc);
    for article in [HINDI, JAPANESE, MIXED] {
        assert!(found.contains(&article), "{article} not in {found:?}");
    }
    let hindi = doc
        .hits
        .iter()
        .find(|h| h.article.record.path == HINDI)
        .unwrap();
    assert_eq!(hindi.article.record.meta.lang.as_deref(), Some("hi"));
    let shown = highlighted(&doc, HINDI);
    assert!(
        shown.contains(&"सेमीकंडक्टर") && shown.contains(&"निवेश"),
        "{shown:?}"
    );
    assert!(highlighted(&doc, JAPANESE).contains(&"半導体"));
    for hit in &doc.hits {
        assert!(
            hit.article.record.meta.lang.is_some(),
            "{}",
            hit.article.record.path
        );
    }
    // And back: a Hindi word finds the English articles about it.
    let back = search(&env, &["--strict", "सेमीकंडक्टर"]);
    let back = paths(&back);
    assert!(back.contains(&HINDI) && back.contains(&MIXED), "{back:?}");
    // Filters read the extracted metadata, whatever the language.
    let doc = search(
        &env,
        &[
            "--state",
            "Tamil Nadu",
            "--sector",
            "semiconductors",
            "-n",
            "20",
        ],
    );
    let found = paths(&doc);
    assert!(
        found.contains(&TAMIL) && found.contains(&JAPANESE),
        "{found:?}"
    );
    assert!(!found.contains(&HINDI));
    // A state typed in its own script is the state.
    let doc = search(&env, &["--state", "தமிழ்நாடு", "--prefecture", "愛知県"]);
    assert_eq!(paths(&doc), [JAPANESE]);
}

#[test]
fn lang_filters_every_command_and_is_counted() {
    let env = corpus();
    let doc = search(&env, &["--lang", "hi"]);
    assert_eq!(paths(&doc), [HINDI]);
    let doc = search(&env, &["semiconductor", "--lang", "ja,Tamil", "-n", "20"]);
    let mut found = paths(&doc);
    found.sort();
    assert_eq!(found, [JAPANESE, TAMIL]);
    assert_eq!(doc.filters.langs, ["ja", "ta"]);
    let doc = search(&env, &["lang:ta"]);
    assert_eq!(paths(&doc), [TAMIL]);
    // A --queries line takes "lang" as the flag does.
    let out = env
        .command(&["search", "--queries", "-"])
        .write_stdin("{\"id\":\"q\",\"query\":\"semiconductor\",\"lang\":\"ta\"}\n")
        .output()
        .unwrap();
    let doc: SearchDoc = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(paths(&doc), [TAMIL]);
    let listed: Vec<ListDoc> = env.json_lines(&["list", "--json", "--lang", "en"]);
    assert_eq!(listed.len(), 6, "five English seeds and the mixed article");
    assert!(listed.iter().all(|d| d.meta.lang.as_deref() == Some("en")));
    let stats: StatsDoc = env.json(&["stats", "--json"]);
    assert_eq!(
        stats.langs.into_iter().collect::<Vec<_>>(),
        [
            ("en".to_string(), 6),
            ("hi".to_string(), 1),
            ("ja".to_string(), 1),
            ("ta".to_string(), 1)
        ]
    );
    let stats: StatsDoc = env.json(&["stats", "--json", "--lang", "ja"]);
    assert_eq!(stats.articles, 1);
    let doc = search(&env, &["--facets", "semiconductor"]);
    let facets = doc.facets.unwrap();
    assert_eq!(facets.langs.get("hi"), Some(&1));
    assert_eq!(facets.langs.get("ja"), Some(&1));
    let timeline: Value = env.json(&["timeline", "--json", "--lang", "hi"]);
    assert_eq!(
        timeline.to_string().matches("2025-08").count(),
        1,
        "{timeline}"
    );
    // A language nobody knows is a clear error, not an empty answer.
    let out = env.run(&["search", "--lang", "klingon", "chip"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("klingon") && err.contains("ISO 639-1"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = env.expect(1, &["search", "--json", "lang:klingon"]);
    let doc: SearchDoc = serde_json::from_str(out.trim()).unwrap();
    assert!(doc.hits.is_empty());
    assert!(
        doc.warnings.iter().any(|w| w.contains("unknown language")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn a_json_lines_lang_field_overrides_detection() {
    let env = Env::new();
    let body = std::fs::read_to_string(fixtures().join(HINDI)).unwrap();
    let line = |title: &str, lang: &str| {
        serde_json::json!({"title": title, "body": body, "lang": lang}).to_string()
    };
    env.write(
        "feed.jsonl",
        format!("{}\n{}\n", line("given", "mr"), line("odd", "zz")),
    );
    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"zz\" is not a language code"), "{err}");
    let listed: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let lang = |path: &str| {
        listed
            .iter()
            .find(|d| d.path == path)
            .and_then(|d| d.meta.lang.clone())
    };
    assert_eq!(lang("feed.jsonl:1").as_deref(), Some("mr"));
    assert_eq!(
        lang("feed.jsonl:2").as_deref(),
        Some("hi"),
        "detected instead"
    );
}
