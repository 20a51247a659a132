//! Markdown: rendered to plain paragraphs; a YAML front matter block
//! (`---` ... `---`) is read for its `title`, `date` and `url`, not indexed.

use super::text::plain_text;

/// Markdown: rendered to plain paragraphs, so that hard-wrapped lines join and
/// link targets, emphasis marks and heading hashes disappear.
pub(super) fn markdown_text(text: &str) -> String {
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

/// What a Markdown file's front matter gives.
#[derive(Debug, Default, PartialEq)]
pub(super) struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// Splits a leading YAML front matter block off `text`: flat `key: value`
/// lines between two `---` lines. Other keys are ignored; a file without
/// the closing line has no front matter.
pub(super) fn front_matter(text: &str) -> (FrontMatter, &str) {
    let mut fm = FrontMatter::default();
    let trimmed = text.trim_start_matches('\u{feff}');
    let Some(rest) = trimmed
        .strip_prefix("---\n")
        .or_else(|| trimmed.strip_prefix("---\r\n"))
    else {
        return (fm, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return (fm, &rest[offset..]);
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => fm.title = Some(value.to_string()),
            "date" | "published" | "publishdate" => fm.date = Some(value.to_string()),
            "url" | "link" | "source" => fm.url = Some(value.to_string()),
            _ => {}
        }
    }
    (FrontMatter::default(), text)
}
