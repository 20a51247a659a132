//! Markdown: rendered to plain paragraphs.

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
