//! JSON lines: one article per line, with its metadata as fields.

use serde::Deserialize;

use super::text::plain_text;
use super::{non_empty, publication_date, FileRead, Problem};
use crate::article::RawArticle;

#[derive(Deserialize)]
struct JsonArticle {
    title: Option<String>,
    body: Option<String>,
    date: Option<String>,
    url: Option<String>,
    states: Option<Vec<String>>,
    sectors: Option<Vec<String>>,
}

/// JSON lines: one article per line. A bad line is a warning naming the line;
/// the others are still read.
pub(super) fn json_lines(rel: &str, text: &str) -> FileRead {
    let mut read = FileRead::default();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| Problem {
            path: rel.to_string(),
            line: Some(number),
            reason,
        };
        let parsed: JsonArticle = match serde_json::from_str(line) {
            Ok(parsed) => parsed,
            Err(e) => {
                read.warnings
                    .push(bad(format!("skipped line: malformed JSON: {e}")));
                continue;
            }
        };
        let Some(body) = parsed.body.filter(|b| !b.trim().is_empty()) else {
            read.warnings
                .push(bad("skipped line: missing required field \"body\"".into()));
            continue;
        };
        let Some(title) = parsed.title.and_then(|t| non_empty(&t)) else {
            read.warnings
                .push(bad("skipped line: missing required field \"title\"".into()));
            continue;
        };
        let date = match parsed.date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => match publication_date(d) {
                Ok(date) => Some(date),
                Err(e) => {
                    read.warnings
                        .push(bad(format!("{e}; extracting the date from the text")));
                    None
                }
            },
        };
        read.articles.push(RawArticle {
            file: rel.to_string(),
            line: Some(number),
            text: plain_text(&body),
            title: Some(title),
            date,
            states: parsed.states,
            sectors: parsed.sectors,
            url: parsed.url,
        });
    }
    read
}
