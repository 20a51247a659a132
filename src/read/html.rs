//! HTML: the article's text, one line per block, and the metadata the page
//! carries (title, publication date).

use scraper::{Html, Node};

use super::text::plain_text;
use super::{iso_date, non_empty};
use crate::article::RawArticle;

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

pub(super) fn html_article(rel: &str, source: &str) -> RawArticle {
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
