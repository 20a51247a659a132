//! JSON lines: one article per line, with its metadata as fields.

use serde::Deserialize;

use super::html::html_article;
use super::text::plain_text;
use super::{non_empty, publication_date, FileRead, Problem};
use crate::article::RawArticle;

#[derive(Deserialize)]
struct JsonArticle {
    /// The scraper's own id of the article: a string or a number.
    id: Option<serde_json::Value>,
    title: Option<String>,
    body: Option<String>,
    date: Option<String>,
    url: Option<String>,
    states: Option<Vec<String>>,
    sectors: Option<Vec<String>>,
    lang: Option<String>,
}

/// JSON lines: one article per line. A bad line is a warning naming the line;
/// the others are still read.
pub(super) fn json_lines(rel: &str, text: &str) -> FileRead {
    let mut read = FileRead::default();
    // Keys seen in this file, with the line of their first use.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
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
        let key = identity(parsed.id.as_ref(), parsed.url.as_deref(), &title, &body);
        let key = match seen.get(&key) {
            None => {
                seen.insert(key.clone(), number);
                key
            }
            Some(&first) => {
                // The same id twice in one file: two articles all the same.
                if !key.starts_with("content:") {
                    read.warnings.push(bad(format!(
                        "same id as line {first}; indexed as another article"
                    )));
                }
                let key = format!("{key}#{number}");
                seen.insert(key.clone(), number);
                key
            }
        };
        // Scrapers often store the page's markup as the body: it is read as
        // an HTML page is, structure and all.
        let (text, dropped) = if looks_like_html(&body) {
            let page = html_article(rel, &body);
            (page.text, page.dropped)
        } else {
            (plain_text(&body), Vec::new())
        };
        read.articles.push(RawArticle {
            file: rel.to_string(),
            line: Some(number),
            key: Some(key),
            text,
            title: Some(title),
            date,
            states: parsed.states,
            sectors: parsed.sectors,
            url: parsed.url,
            lang: parsed.lang.filter(|l| !l.trim().is_empty()),
            dropped,
        });
    }
    read
}

/// What a JSON-lines article's id follows: its `id` field, else its `url`,
/// else its title and body, so that it survives lines inserted above it or
/// the article moving to another file.
fn identity(id: Option<&serde_json::Value>, url: Option<&str>, title: &str, body: &str) -> String {
    let given = |v: &str| {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    let id = id.and_then(|v| match v {
        serde_json::Value::String(s) => given(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    if let Some(id) = id {
        return format!("id:{id}");
    }
    if let Some(url) = url.and_then(given) {
        return format!("url:{url}");
    }
    let mut content = title.as_bytes().to_vec();
    content.push(b'\n');
    content.extend_from_slice(body.as_bytes());
    format!("content:{:016x}", xxhash_rust::xxh3::xxh3_64(&content))
}

/// Whether a body is markup: it holds block or line-break tags.
fn looks_like_html(body: &str) -> bool {
    const TAGS: &[&str] = &[
        "<p>", "<p ", "<div", "<br", "<article", "<li>", "<h1", "<h2", "<span", "<a href",
    ];
    let head = body.get(..body.len().min(4096)).unwrap_or(body);
    let lower = head.to_ascii_lowercase();
    TAGS.iter().any(|t| lower.contains(t))
}
