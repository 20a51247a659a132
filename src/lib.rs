//! newsidx: a search engine for scraped news articles.
//!
//! The pipeline, one module per stage, each a plain function on plain data:
//!
//! ```text
//! seeds/FILE -> read -> RawArticle -> clean -> body -> extract (Taxonomy) -> Metadata
//!            -> Article -> passage::split -> Vec<Passage> -> index::writer::sync -> index/
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
pub mod passage;
pub mod print;
pub mod read;
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
    let body = clean::clean(&raw.text);
    let mut metadata = extract::extract(raw.title.as_deref(), &body, taxonomy, today);
    let body = without_date_stamp(body);
    if let Some(date) = raw.date {
        metadata.date = Some(date);
    }
    if let Some(states) = &raw.states {
        metadata.states = canonical(states, |s| taxonomy.resolve_state(s));
    }
    if let Some(sectors) = &raw.sectors {
        metadata.sectors = canonical(sectors, |s| taxonomy.resolve_sector(s));
    }
    let path = raw.display_path();
    Article {
        id: article::article_id(&path),
        file: raw.file,
        path,
        url: raw.url,
        metadata,
        body,
    }
}

/// Some scrapers prefix the text with ` date YYYY-MM-DD`: extraction reads it,
/// but readers of a passage should not have to.
fn without_date_stamp(body: String) -> String {
    let trimmed = body.trim_start();
    let Some(rest) = trimmed.strip_prefix("date ") else {
        return body;
    };
    let is_stamp = rest.len() >= 10
        && rest.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if is_stamp {
        rest[10..].trim_start().to_string()
    } else {
        body
    }
}

/// Canonical spellings of given values; values the taxonomy does not know are
/// kept as given, so that user data is never silently dropped.
fn canonical<'a>(values: &[String], resolve: impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
    let mut out: Vec<String> = values
        .iter()
        .map(|v| resolve(v).map_or_else(|| v.trim().to_string(), str::to_string))
        .filter(|v| !v.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}
