//! Terminal output: ranked hits with wrapped, highlighted passages; listings;
//! aligned bar charts for facets and stats.

use std::collections::BTreeMap;
use std::io::{self, Write};

use termcolor::{Color, ColorSpec, WriteColor};
use unicode_width::UnicodeWidthStr;

use crate::index::ArticleRecord;
use crate::search::{Facets, Hit, SearchResults};

/// Layout settings for human output.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Total width of the output in columns.
    pub width: usize,
}

impl Layout {
    /// The terminal's width, or 100 columns when not a terminal.
    pub fn detect() -> Layout {
        let width = terminal_size::terminal_size()
            .map_or(100, |(w, _)| usize::from(w.0))
            .clamp(40, 160);
        Layout { width }
    }
}

fn spec(fg: Option<Color>, bold: bool) -> ColorSpec {
    let mut spec = ColorSpec::new();
    spec.set_fg(fg).set_bold(bold);
    spec
}

/// One line of metadata: date · states · sectors.
pub fn meta_line(record: &ArticleRecord) -> String {
    let date = record
        .date
        .map_or_else(|| "undated".to_string(), |d| d.to_string());
    let mut parts = vec![date];
    if !record.states.is_empty() {
        parts.push(record.states.join(", "));
    }
    if !record.sectors.is_empty() {
        parts.push(record.sectors.join(", "));
    }
    parts.join(" · ")
}

/// Ranked hits, then a closing line with counts and time.
pub fn search(out: &mut dyn WriteColor, results: &SearchResults, layout: Layout) -> io::Result<()> {
    if !results.corrections.is_empty() {
        let fixed: Vec<String> = results
            .corrections
            .iter()
            .map(|c| format!("{} → {}", c.from, c.to))
            .collect();
        out.set_color(&spec(Some(Color::Yellow), false))?;
        writeln!(out, "corrected: {}", fixed.join(", "))?;
        out.reset()?;
        writeln!(out)?;
    }
    for hit in &results.hits {
        write_hit(out, hit, layout)?;
    }
    if let Some(facets) = &results.facets {
        write_facets(out, facets, layout)?;
    }
    out.set_color(&spec(None, false).set_dimmed(true).clone())?;
    writeln!(
        out,
        "{} passage{} in {} article{} matched{} · {:.1} ms",
        results.total_hits,
        plural(results.total_hits),
        results.total_articles,
        plural(results.total_articles),
        if results.mode == crate::search::Mode::Any {
            " (any word)"
        } else {
            ""
        },
        results.took_ms
    )?;
    out.reset()
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn write_hit(out: &mut dyn WriteColor, hit: &Hit, layout: Layout) -> io::Result<()> {
    let rank = format!("{:>3}. ", hit.rank);
    let indent = " ".repeat(rank.len());
    write!(out, "{rank}")?;
    out.set_color(&spec(None, true))?;
    writeln!(out, "{}", hit.article.title)?;
    out.reset()?;
    out.set_color(&spec(Some(Color::Cyan), false))?;
    writeln!(out, "{indent}{}", meta_line(&hit.article))?;
    out.reset()?;
    out.set_color(&spec(Some(Color::Magenta), false))?;
    write!(out, "{indent}{}#{}", hit.article.path, hit.ordinal)?;
    out.reset()?;
    writeln!(out, " · score {:.2}", hit.score)?;
    wrap_highlighted(out, &hit.text, &hit.highlights, &indent, layout.width)?;
    writeln!(out)
}

/// Writes `text` wrapped at `width` after `indent`, with the byte ranges in
/// `highlights` in bold colour.
pub fn wrap_highlighted(
    out: &mut dyn WriteColor,
    text: &str,
    highlights: &[[usize; 2]],
    indent: &str,
    width: usize,
) -> io::Result<()> {
    let room = width.saturating_sub(indent.len()).max(20);
    let mut column = 0;
    write!(out, "{indent}")?;
    let mut offset = 0;
    for word in text.split_whitespace() {
        // split_whitespace yields subslices: find this one's byte offset.
        let start = offset + text[offset..].find(word).unwrap_or(0);
        let end = start + word.len();
        offset = end;
        let w = word.width();
        if column > 0 && column + 1 + w > room {
            write!(out, "\n{indent}")?;
            column = 0;
        } else if column > 0 {
            write!(out, " ")?;
            column += 1;
        }
        // Pieces of the word inside and outside highlighted ranges.
        let mut at = start;
        for range in highlights {
            let (hs, he) = (range[0].max(start), range[1].min(end));
            if hs >= he || hs < at || !text.is_char_boundary(hs) || !text.is_char_boundary(he) {
                continue;
            }
            write!(out, "{}", &text[at..hs])?;
            out.set_color(&spec(Some(Color::Red), true))?;
            write!(out, "{}", &text[hs..he])?;
            out.reset()?;
            at = he;
        }
        write!(out, "{}", &text[at..end])?;
        column += w;
    }
    writeln!(out)
}

/// Aligned horizontal bars, one per value, scaled to the width.
pub fn bars(
    out: &mut dyn WriteColor,
    heading: &str,
    counts: &BTreeMap<String, u64>,
    layout: Layout,
) -> io::Result<()> {
    if counts.is_empty() {
        return Ok(());
    }
    out.set_color(&spec(None, true))?;
    writeln!(out, "{heading}")?;
    out.reset()?;
    let mut rows: Vec<(&String, &u64)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let label = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let number = rows
        .iter()
        .map(|(_, v)| v.to_string().len())
        .max()
        .unwrap_or(1);
    let max = rows.iter().map(|(_, v)| **v).max().unwrap_or(1).max(1);
    let room = layout.width.saturating_sub(label + number + 6).max(10) as u64;
    for (key, value) in rows {
        let len = (value * room).div_ceil(max) as usize;
        write!(out, "  {key}{} ", " ".repeat(label - key.width()))?;
        out.set_color(&spec(Some(Color::Green), false))?;
        write!(out, "{}", "█".repeat(len))?;
        out.reset()?;
        writeln!(out, " {value:>number$}")?;
    }
    writeln!(out)
}

pub fn write_facets(out: &mut dyn WriteColor, facets: &Facets, layout: Layout) -> io::Result<()> {
    bars(out, "states", &facets.states, layout)?;
    bars(out, "sectors", &facets.sectors, layout)?;
    bars(out, "years", &facets.years, layout)
}

/// `list`: one line per article.
pub fn list_line(out: &mut dyn WriteColor, record: &ArticleRecord) -> io::Result<()> {
    out.set_color(&spec(Some(Color::Magenta), false))?;
    write!(out, "{}", record.path)?;
    out.reset()?;
    write!(out, "  ")?;
    out.set_color(&spec(None, true))?;
    write!(out, "{}", record.title)?;
    out.reset()?;
    let prefectures = if record.prefectures.is_empty() {
        String::new()
    } else {
        format!(" · prefectures: {}", record.prefectures.join(", "))
    };
    writeln!(
        out,
        "  [{}{}] · {} passage{}",
        meta_line(record),
        prefectures,
        record.passages,
        plural(record.passages)
    )
}

/// Flushes, treating a closed pipe as done rather than as an error.
pub fn flush(out: &mut dyn Write) -> io::Result<()> {
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
