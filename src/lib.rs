//! newsidx: a search engine for scraped news articles.
//!
//! The pipeline, one module per stage, each a plain function on plain data:
//!
//! ```text
//! seeds/FILE -> read -> RawArticle -> clean -> body -> extract (Taxonomy) -> Metadata
//!            -> Article -> passage::split -> Vec<Passage> -> index::sync::sync -> index/
//! query      -> search::SearchRequest -> search::run -> Vec<Hit> -> print::{human, json}
//! ```
//!
//! No stage prints: problems come back as values ([`read::Problem`]) so that one
//! bad article is counted and reported while the run goes on.

pub mod article;
pub mod clean;
pub mod dedup;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod files;
pub mod index;
pub mod lang;
pub mod passage;
pub mod print;
pub mod progress;
pub mod read;
pub mod rules;
pub mod script;
pub mod search;
pub mod taxonomy;
pub mod timeline;

use chrono::NaiveDate;

use article::{Article, RawArticle};
use taxonomy::Taxonomy;

/// Turns what a reader found into an indexable article: clean the text, extract
/// metadata, and let metadata given by the format (JSON fields, HTML meta)
/// override what extraction guessed.
pub fn prepare(raw: RawArticle, taxonomy: &Taxonomy, today: NaiveDate) -> Article {
    prepare_reporting(raw, taxonomy, today, &mut Vec::new())
}

/// [`prepare`], reporting given metadata that is refused (a JSON-lines state
/// or sector outside the taxonomy) in `problems`, with the file and line.
pub fn prepare_reporting(
    raw: RawArticle,
    taxonomy: &Taxonomy,
    today: NaiveDate,
    problems: &mut Vec<read::Problem>,
) -> Article {
    prepare_inner(raw, taxonomy, today, problems, None)
}

/// What `newsidx show --explain` prints: what cleaning dropped and by which
/// rule, and why extraction chose each value.
#[derive(Debug, Clone, Default)]
pub struct Explained {
    pub article: Option<Article>,
    /// Lines or page blocks removed: (text, rule).
    pub dropped: Vec<(String, String)>,
    pub extraction: extract::Explanation,
    /// Metadata the file gave, which overrides extraction.
    pub given: Vec<String>,
    pub problems: Vec<read::Problem>,
}

/// Runs [`prepare`] and records why it decided what it did.
pub fn explain(raw: RawArticle, taxonomy: &Taxonomy, today: NaiveDate) -> Explained {
    let mut explained = Explained::default();
    let mut problems = Vec::new();
    let article = prepare_inner(raw, taxonomy, today, &mut problems, Some(&mut explained));
    explained.problems = problems;
    explained.article = Some(article);
    explained
}

fn prepare_inner(
    raw: RawArticle,
    taxonomy: &Taxonomy,
    today: NaiveDate,
    problems: &mut Vec<read::Problem>,
    explained: Option<&mut Explained>,
) -> Article {
    let cleaned = clean::clean_with(&raw.text, taxonomy.rules());
    let meta_lines: Vec<&str> = cleaned.meta_lines().collect();
    let input = extract::Input {
        title: raw.title.as_deref(),
        body: &cleaned.text,
        meta_lines: &meta_lines,
    };
    let mut explanation = explained.as_ref().map(|_| extract::Explanation::default());
    let mut metadata = extract::extract_with(&input, taxonomy, today, explanation.as_mut());
    let mut given = Vec::new();
    if let Some(date) = raw.date {
        metadata.date = Some(date);
        given.push(format!(
            "date {date} (given by the file, overrides the text)"
        ));
    }
    if let Some(written) = &raw.lang {
        match lang::resolve(written) {
            Some(code) => {
                metadata.lang = Some(code.to_string());
                given.push(format!(
                    "lang {code} (given by the file, overrides detection)"
                ));
            }
            None => problems.push(read::Problem {
                path: raw.file.clone(),
                line: raw.line,
                reason: format!(
                    "lang {:?} is not a language code (ISO 639-1 such as hi, ta, ja); \
                     detected from the text instead",
                    written.chars().take(20).collect::<String>()
                ),
            }),
        }
    }
    let path = raw.display_path();
    let raw_key = raw.key.clone();
    let mut refuse = |kind: &str, value: &str| {
        problems.push(read::Problem {
            path: raw.file.clone(),
            line: raw.line,
            reason: format!(
                "{kind} {:?} is not in the taxonomy; not stored",
                value.chars().take(60).collect::<String>()
            ),
        })
    };
    if let Some(states) = &raw.states {
        metadata.states = canonical(
            states,
            |s| taxonomy.resolve_state(s),
            |v| refuse("state", v),
        );
        given.push(format!("states {:?} (given by the file)", metadata.states));
    }
    if let Some(sectors) = &raw.sectors {
        metadata.sectors = canonical(
            sectors,
            |s| taxonomy.resolve_sector(s),
            |v| refuse("sector", v),
        );
        given.push(format!(
            "sectors {:?} (given by the file)",
            metadata.sectors
        ));
    }
    if let Some(e) = explained {
        e.dropped = raw
            .dropped
            .iter()
            .map(|d| (d.text.clone(), d.rule.to_string()))
            .chain(
                cleaned
                    .dropped
                    .iter()
                    .map(|d| (d.text.clone(), d.rule.name().to_string())),
            )
            .collect();
        e.extraction = explanation.unwrap_or_default();
        e.given = given;
    }
    Article {
        id: article::article_id(raw_key.as_deref().unwrap_or(&path)),
        file: raw.file,
        path,
        url: raw.url,
        metadata,
        body: cleaned.text,
    }
}

/// Canonical spellings of given values; a value the taxonomy does not know
/// is refused (reported through `unknown`), so that invented labels never
/// reach the index's filters.
fn canonical<'a>(
    values: &[String],
    resolve: impl Fn(&str) -> Option<&'a str>,
    mut unknown: impl FnMut(&str),
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if v.trim().is_empty() {
            continue;
        }
        match resolve(v) {
            Some(c) => out.push(c.to_string()),
            None => unknown(v),
        }
    }
    out.sort();
    out.dedup();
    out
}
