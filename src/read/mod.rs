//! Readers: a file's bytes become [`RawArticle`]s, chosen by extension. Only
//! format handling happens here (HTML to text, Markdown to text, JSON lines);
//! junk removal is [`crate::clean`]'s job.

use std::path::Path;

use chrono::NaiveDate;

use crate::article::RawArticle;

mod html;
mod jsonl;
mod markdown;
mod text;

use html::html_article;
use jsonl::json_lines;
use markdown::markdown_text;
use text::plain_text;

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
        Format::Text => {
            let stamped = text::lift_stamp(&text);
            let mut article = plain_article(rel, plain_text(stamped.text));
            let mut warnings = Vec::new();
            match stamped.date {
                Some(Ok(date)) => article.date = Some(date),
                Some(Err(e)) => warnings.push(Problem {
                    path: rel.to_string(),
                    line: Some(1),
                    reason: format!("{e}; extracting the date from the text"),
                }),
                None => {}
            }
            FileRead {
                articles: vec![article],
                warnings,
            }
        }
        Format::Markdown => {
            let (fm, rest) = markdown::front_matter(&text);
            let mut article = plain_article(rel, markdown_text(rest));
            let mut warnings = Vec::new();
            article.title = fm.title.as_deref().and_then(non_empty);
            article.url = fm.url;
            if let Some(d) = fm.date {
                match publication_date(&d) {
                    Ok(date) => article.date = Some(date),
                    Err(e) => warnings.push(Problem {
                        path: rel.to_string(),
                        line: None,
                        reason: format!("front matter: {e}; extracting the date from the text"),
                    }),
                }
            }
            FileRead {
                articles: vec![article],
                warnings,
            }
        }
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
pub(super) fn non_empty(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The day of an ISO-8601 date or timestamp ("2025-02-06T10:00:00+05:30").
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    publication_date(text).ok()
}

/// Why a date given by a file is not a publication date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD` at all.
    Shape(String),
    /// Shaped like a date, but the day does not exist ("2025-02-31").
    NoSuchDay(String),
    /// Outside [`YEARS`]: a scraper's placeholder ("0001-01-01T00:00:00Z").
    OutOfRange(String),
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Shape(d) => write!(f, "date {d:?} is not YYYY-MM-DD"),
            DateError::NoSuchDay(d) => write!(f, "date {d:?} names a day that does not exist"),
            DateError::OutOfRange(d) => write!(
                f,
                "date {d:?} is outside {}-{}, so it is no publication date (a placeholder?)",
                YEARS.start(),
                YEARS.end()
            ),
        }
    }
}

/// The years a publication date may fall in: anything else is a placeholder
/// or a typo, and the article counts as undated.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The day of an ISO-8601 date or timestamp given as metadata, checked: it
/// must exist and fall within [`YEARS`].
pub fn publication_date(text: &str) -> Result<NaiveDate, DateError> {
    let text = text.trim();
    let head = text.get(..10).unwrap_or(text);
    let b = head.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shaped {
        return Err(DateError::Shape(text.to_string()));
    }
    let number = |r: std::ops::Range<usize>| head[r].parse::<u32>().unwrap_or(0);
    let year = number(0..4) as i32;
    if !YEARS.contains(&year) {
        return Err(DateError::OutOfRange(text.to_string()));
    }
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
        .ok_or_else(|| DateError::NoSuchDay(text.to_string()))
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
