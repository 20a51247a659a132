//! Readers: a file's bytes become [`RawArticle`]s, chosen by extension. Only
//! format handling happens here (HTML to text, Markdown to text, JSON lines);
//! junk removal is [`crate::clean`]'s job.

use std::path::Path;

use chrono::NaiveDate;
use scraper::{Html, Node};
use serde::Deserialize;

use crate::article::RawArticle;

/// Files larger than this are skipped: no news article is 10 MiB of text.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The formats newsidx reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    JsonLines,
}

impl Format {
    /// The format for a path, or `None` when newsidx does not read that kind of file.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// A problem with one file or one line of it: reported, counted, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// What one file yielded: its articles, and problems that did not stop it
/// (a lossy decode, a malformed JSON line).
#[derive(Debug, Default)]
pub struct FileRead {
    pub articles: Vec<RawArticle>,
    pub warnings: Vec<Problem>,
}

/// Reads the file at `path`, naming it `rel` in articles and problems.
/// An `Err` means the whole file is skipped.
pub fn read_file(path: &Path, rel: &str) -> Result<FileRead, Problem> {
    let format = Format::from_path(path).ok_or_else(|| problem(rel, "not an article format"))?;
    let bytes = crate::files::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::files::ReadError::TooLarge(size) => problem(
            rel,
            &format!(
                "skipped: {size} bytes is larger than the {} MiB limit",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ),
        e => problem(rel, &format!("cannot read: {e}")),
    })?;
    read_bytes(format, rel, &bytes)
}

/// Parses `bytes` as `format`. Rejects binary and oversized input; decodes
/// invalid UTF-8 lossily with a warning.
pub fn read_bytes(format: Format, rel: &str, bytes: &[u8]) -> Result<FileRead, Problem> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(problem(
            rel,
            &format!(
                "skipped: {} bytes is larger than the {} MiB limit",
                bytes.len(),
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    if bytes.contains(&0) {
        return Err(problem(rel, "skipped: contains NUL bytes (binary file?)"));
    }
    let mut warnings = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(e) => {
            warnings.push(problem(
                rel,
                &format!(
                    "invalid UTF-8 at byte {}; decoded with replacement characters",
                    e.valid_up_to()
                ),
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let mut read = match format {
        Format::Text => FileRead {
            articles: vec![plain_article(rel, plain_text(&text))],
            warnings: Vec::new(),
        },
        Format::Markdown => FileRead {
            articles: vec![plain_article(rel, markdown_text(&text))],
            warnings: Vec::new(),
        },
        Format::Html => FileRead {
            articles: vec![html_article(rel, &text)],
            warnings: Vec::new(),
        },
        Format::JsonLines => json_lines(rel, &text),
    };
    warnings.append(&mut read.warnings);
    read.warnings = warnings;
    read.articles
        .retain(|a| !a.text.trim().is_empty() || a.title.is_some());
    if read.articles.is_empty() && read.warnings.is_empty() {
        return Err(problem(rel, "skipped: no text"));
    }
    Ok(read)
}

fn problem(rel: &str, reason: &str) -> Problem {
    Problem {
        path: rel.to_string(),
        line: None,
        reason: reason.to_string(),
    }
}

fn plain_article(rel: &str, text: String) -> RawArticle {
    RawArticle {
        file: rel.to_string(),
        text,
        ..RawArticle::default()
    }
}

/// Plain text: one paragraph per non-blank line, as scrapers write it.
fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim();
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Markdown: rendered to plain paragraphs, so that hard-wrapped lines join and
/// link targets, emphasis marks and heading hashes disappear.
fn markdown_text(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(text.len());
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow,
            ) => out.push('\n'),
            _ => {}
        }
    }
    plain_text(&out)
}

/// Elements whose text is never article text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "menu", "figure",
];

/// Elements that end a line of text.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "hr",
    "title",
];

fn html_article(rel: &str, source: &str) -> RawArticle {
    let html = Html::parse_document(source);
    let mut title = None;
    let mut og_title = None;
    let mut date = None;
    // The main text lives in the largest <article>, else <main>, else <body>.
    let mut best_article: Option<(usize, ego_tree::NodeId)> = None;
    let mut main = None;
    let mut body = None;
    for node in html.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "title" if title.is_none() => {
                let text: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                title = non_empty(&text);
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let content = el.attr("content").unwrap_or("");
                match key.as_str() {
                    "og:title" | "twitter:title" if og_title.is_none() => {
                        og_title = non_empty(content)
                    }
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "pubdate"
                    | "publishdate"
                    | "dc.date"
                    | "dc.date.issued"
                    | "og:published_time"
                        if date.is_none() =>
                    {
                        date = iso_date(content)
                    }
                    _ => {}
                }
            }
            "time" if date.is_none() => date = el.attr("datetime").and_then(iso_date),
            "article" => {
                let len = text_len(node);
                if best_article.is_none_or(|(best, _)| len > best) {
                    best_article = Some((len, node.id()));
                }
            }
            "main" if main.is_none() => main = Some(node.id()),
            "body" if body.is_none() => body = Some(node.id()),
            _ => {}
        }
    }
    let root = best_article
        .map(|(_, id)| id)
        .or(main)
        .or(body)
        .unwrap_or_else(|| html.tree.root().id());
    let text = html.tree.get(root).map(block_text).unwrap_or_default();
    RawArticle {
        file: rel.to_string(),
        text: plain_text(&text),
        title: og_title.or(title),
        date,
        ..RawArticle::default()
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Length of the visible text below `node`, walked without recursion so that
/// deeply nested markup cannot overflow the stack.
fn text_len(node: ego_tree::NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.trim().len()))
        .sum()
}

/// The text below `node`, one line per block element, skipping scripts, menus,
/// headers and footers. Iterative for the same reason as [`text_len`].
fn block_text(node: ego_tree::NodeRef<'_, Node>) -> String {
    use ego_tree::iter::Edge;
    let mut out = String::new();
    let mut skip_depth = 0usize;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(el) => {
                    if skip_depth > 0 || SKIPPED_ELEMENTS.contains(&el.name()) {
                        skip_depth += 1;
                    } else if BLOCK_ELEMENTS.contains(&el.name()) {
                        out.push('\n');
                    }
                }
                Node::Text(t) if skip_depth == 0 => {
                    if !out.ends_with([' ', '\n']) && t.starts_with(char::is_whitespace) {
                        out.push(' ');
                    }
                    let words: Vec<&str> = t.split_whitespace().collect();
                    out.push_str(&words.join(" "));
                    if !words.is_empty() && t.ends_with(char::is_whitespace) {
                        out.push(' ');
                    }
                }
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(el) = n.value() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if BLOCK_ELEMENTS.contains(&el.name()) {
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

/// The day of an ISO-8601 date or timestamp ("2025-02-06T10:00:00+05:30").
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

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
fn json_lines(rel: &str, text: &str) -> FileRead {
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
            Some(d) => match iso_date(d) {
                Some(date) => Some(date),
                None => {
                    read.warnings.push(bad(format!(
                        "date {d:?} is not YYYY-MM-DD; extracting the date from the text"
                    )));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_article_text_and_meta() {
        let html = r#"<html><head><title>Site | Story</title>
            <meta property="og:title" content="Assam courts chip makers">
            <meta property="article:published_time" content="2025-02-06T09:00:00+05:30">
            <script>var x = "junk";</script></head>
            <body><nav><a>Home</a> <a>News</a></nav>
            <article><h1>Assam courts chip makers</h1><p>Guwahati: the state wants a <b>fab</b>.</p>
            <p>Second paragraph.</p></article><footer>Copyright</footer></body></html>"#;
        let read = read_bytes(Format::Html, "a.html", html.as_bytes()).unwrap();
        let a = &read.articles[0];
        assert_eq!(a.title.as_deref(), Some("Assam courts chip makers"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2025, 2, 6));
        assert_eq!(
            a.text,
            "Assam courts chip makers\nGuwahati: the state wants a fab.\nSecond paragraph.\n"
        );
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        let html = format!("{}text{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        let read = read_bytes(Format::Html, "deep.html", html.as_bytes()).unwrap();
        assert!(read.articles[0].text.contains("text"));
    }

    #[test]
    fn markdown_joins_wrapped_lines() {
        let md = "# Title here\n\nFirst line\nwraps [here](http://x).\n\n- item\n";
        let read = read_bytes(Format::Markdown, "a.md", md.as_bytes()).unwrap();
        assert_eq!(
            read.articles[0].text,
            "Title here\nFirst line wraps here.\nitem\n"
        );
    }

    #[test]
    fn json_lines_report_bad_lines_and_keep_good_ones() {
        let text = "{\"title\":\"A\",\"body\":\"one\"}\n{oops\n{\"title\":\"C\"}\n{\"title\":\"D\",\"body\":\"four\",\"date\":\"2024-05-01\",\"states\":[\"Goa\"]}\n";
        let read = read_bytes(Format::JsonLines, "a.jsonl", text.as_bytes()).unwrap();
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.articles[1].line, Some(4));
        assert_eq!(read.articles[1].date, NaiveDate::from_ymd_opt(2024, 5, 1));
        let lines: Vec<_> = read.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3)]);
        assert!(read.warnings[1].to_string().starts_with("a.jsonl:3: "));
    }

    #[test]
    fn binary_and_invalid_utf8() {
        assert!(read_bytes(Format::Text, "b.txt", b"abc\0def").is_err());
        let read = read_bytes(Format::Text, "u.txt", b"caf\xe9 news").unwrap();
        assert_eq!(read.warnings.len(), 1);
        assert!(read.articles[0].text.starts_with("caf\u{fffd} news"));
        assert!(read_bytes(Format::Text, "e.txt", b"  \n").is_err());
    }
}
