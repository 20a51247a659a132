//! Terminal output: ranked hits with wrapped, highlighted passages; listings;
//! aligned bar charts for facets and stats.
//!
//! Every piece of indexed text is written through [`terminal::line`] (or, for
//! passages, word by word), so these printers are terminal-safe on any
//! writer; the commands wrap them in [`terminal::Terminal`] as well.

use std::collections::BTreeMap;
use std::io::{self, Write};

use termcolor::{Color, ColorSpec, WriteColor};
use unicode_width::UnicodeWidthStr;

use super::terminal::{self, LABEL_COLUMNS};
use crate::index::ArticleRecord;
use crate::search::{Facets, Hit, SearchResults};

/// Layout settings for human output.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Total width of the output in columns.
    pub width: usize,
}

impl Layout {
    /// `COLUMNS` when set, else the terminal's width, else 100 columns.
    pub fn detect() -> Layout {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0);
        let width = columns
            .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .unwrap_or(100)
            .clamp(40, 160);
        Layout { width }
    }
}

fn spec(fg: Option<Color>, bold: bool) -> ColorSpec {
    let mut spec = ColorSpec::new();
    spec.set_fg(fg).set_bold(bold);
    spec
}

/// Most values of one kind (states, sectors, organisations, prefectures) a
/// metadata line names; the rest are counted ("+1990 more").
const LABELS_SHOWN: usize = 10;

/// One line of metadata: language (unless English) · date · states ·
/// sectors · amount · organisations,
/// terminal-safe, each value cut at [`LABEL_COLUMNS`] and at most
/// [`LABELS_SHOWN`] values of a kind.
pub fn meta_line(record: &ArticleRecord) -> String {
    let date = record
        .meta
        .date
        .map_or_else(|| "undated".to_string(), |d| d.to_string());
    let mut parts = vec![date];
    // English, the collection's usual language, goes without saying.
    if let Some(lang) = record.meta.lang.as_deref().filter(|l| *l != "en") {
        parts.insert(0, terminal::clip(lang, LABEL_COLUMNS).into_owned());
    }
    if !record.meta.states.is_empty() {
        parts.push(labels(&record.meta.states));
    }
    if !record.meta.sectors.is_empty() {
        parts.push(labels(&record.meta.sectors));
    }
    if let Some(amount) = &record.meta.amount {
        parts.push(terminal::clip(&amount.written, LABEL_COLUMNS).into_owned());
    }
    if !record.meta.orgs.is_empty() {
        parts.push(labels(&record.meta.orgs));
    }
    if let Some(url) = &record.url {
        parts.push(terminal::clip(url, 100).into_owned());
    }
    parts.join(" · ")
}

/// `values` joined with commas, capped as [`meta_line`] describes.
fn labels(values: &[String]) -> String {
    let mut shown: Vec<String> = values
        .iter()
        .take(LABELS_SHOWN)
        .map(|v| terminal::clip(v, LABEL_COLUMNS).into_owned())
        .collect();
    if values.len() > LABELS_SHOWN {
        shown.push(format!("+{} more", values.len() - LABELS_SHOWN));
    }
    shown.join(", ")
}

/// Ranked hits, then a closing line with counts and time.
pub fn search(out: &mut dyn WriteColor, results: &SearchResults, layout: Layout) -> io::Result<()> {
    if !results.corrections.is_empty() {
        let fixed: Vec<String> = results
            .corrections
            .iter()
            .map(|c| format!("{} → {}", terminal::line(&c.from), terminal::line(&c.to)))
            .collect();
        out.set_color(&spec(Some(Color::Yellow), false))?;
        writeln!(out, "corrected: {}", fixed.join(", "))?;
        out.reset()?;
        writeln!(out)?;
    }
    let mut previous = None;
    for hit in &results.hits {
        // An article's further passages (--per-article) go under its header.
        let first = previous != Some(hit.rank);
        previous = Some(hit.rank);
        write_hit(out, hit, first, layout)?;
    }
    if let Some(facets) = &results.facets {
        write_facets(out, facets, layout)?;
    }
    out.set_color(&spec(None, false).set_dimmed(true).clone())?;
    writeln!(
        out,
        "{} article{} matched{} · {:.1} ms",
        results.total_articles,
        plural(results.total_articles),
        match results.mode {
            crate::search::Mode::All => "",
            crate::search::Mode::Most => " (some hold only some of the words)",
            crate::search::Mode::Any => " (any word)",
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

fn write_hit(out: &mut dyn WriteColor, hit: &Hit, first: bool, layout: Layout) -> io::Result<()> {
    let rank = format!("{:>3}. ", hit.rank);
    let indent = " ".repeat(rank.len());
    if first {
        // Title and metadata wrap at word boundaries, as the passage does.
        out.set_color(&spec(None, true))?;
        wrap_from(
            out,
            &hit.article.meta.title,
            &[],
            &rank,
            &indent,
            layout.width,
        )?;
        out.reset()?;
        out.set_color(&spec(Some(Color::Cyan), false))?;
        wrap_from(
            out,
            &meta_line(&hit.article),
            &[],
            &indent,
            &indent,
            layout.width,
        )?;
        out.reset()?;
    }
    out.set_color(&spec(Some(Color::Magenta), false))?;
    write!(
        out,
        "{indent}{}#{}",
        terminal::line(&hit.article.path),
        hit.ordinal
    )?;
    out.reset()?;
    write!(out, " · score {:.2}", hit.score)?;
    if hit.duplicates > 0 {
        write!(
            out,
            " · also in {} other article{}",
            hit.duplicates,
            plural(hit.duplicates)
        )?;
    }
    if !hit.missing.is_empty() {
        out.set_color(&spec(Some(Color::Yellow), false))?;
        write!(out, " · lacks {}", hit.missing.join(", "))?;
        out.reset()?;
    }
    writeln!(out)?;
    wrap_highlighted(out, &hit.text, &hit.highlights, &indent, layout.width)?;
    writeln!(out)
}

/// Writes `text` wrapped at `width` after `indent`, with the byte ranges in
/// `highlights` in bold colour; control characters inside words are shown
/// visibly (whitespace, newlines included, only separates words).
pub fn wrap_highlighted(
    out: &mut dyn WriteColor,
    text: &str,
    highlights: &[[usize; 2]],
    indent: &str,
    width: usize,
) -> io::Result<()> {
    wrap_from(out, text, highlights, indent, indent, width)
}

/// [`wrap_highlighted`] with its own start for the first line (a rank).
fn wrap_from(
    out: &mut dyn WriteColor,
    text: &str,
    highlights: &[[usize; 2]],
    first: &str,
    indent: &str,
    width: usize,
) -> io::Result<()> {
    let room = width.saturating_sub(indent.len()).max(20);
    let mut column = 0;
    write!(out, "{first}")?;
    let mut offset = 0;
    for word in text.split_whitespace() {
        // split_whitespace yields subslices: find this one's byte offset.
        let word_start = offset + text[offset..].find(word).unwrap_or(0);
        offset = word_start + word.len();
        for (k, (start, end)) in pieces(text, word_start, offset, room)
            .into_iter()
            .enumerate()
        {
            let w = terminal::width(&text[start..end]);
            if k > 0 || (column > 0 && column + 1 + w > room) {
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
                write!(out, "{}", terminal::line(&text[at..hs]))?;
                out.set_color(&spec(Some(Color::Red), true))?;
                write!(out, "{}", terminal::line(&text[hs..he]))?;
                out.reset()?;
                at = he;
            }
            write!(out, "{}", terminal::line(&text[at..end]))?;
            column += w;
        }
    }
    writeln!(out)
}

/// The word `text[start..end]` in pieces of at most `room` columns: itself
/// when it fits, else cut between characters (Japanese, written without
/// spaces, is one "word" per sentence or paragraph).
fn pieces(text: &str, start: usize, end: usize, room: usize) -> Vec<(usize, usize)> {
    let word = &text[start..end];
    if terminal::width(word) <= room {
        return vec![(start, end)];
    }
    let mut out = Vec::new();
    let (mut from, mut columns) = (start, 0);
    for (i, c) in word.char_indices() {
        let w = terminal::width(c.encode_utf8(&mut [0; 4]));
        if columns + w > room && start + i > from {
            out.push((from, start + i));
            from = start + i;
            columns = 0;
        }
        columns += w;
    }
    out.push((from, end));
    out
}

/// Aligned horizontal bars, one per value, scaled to the width. Labels are
/// cut at [`LABEL_COLUMNS`], so that the output stays proportional to the
/// number of values whatever their length.
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
    let label = rows
        .iter()
        .map(|(k, _)| terminal::clip(k, LABEL_COLUMNS).width())
        .max()
        .unwrap_or(0);
    let number = rows
        .iter()
        .map(|(_, v)| v.to_string().len())
        .max()
        .unwrap_or(1);
    let max = rows.iter().map(|(_, v)| **v).max().unwrap_or(1).max(1);
    let room = layout.width.saturating_sub(label + number + 6).max(10) as u64;
    for (key, value) in rows {
        let len = (value * room).div_ceil(max) as usize;
        let key = terminal::clip(key, LABEL_COLUMNS);
        write!(
            out,
            "  {key}{} ",
            " ".repeat(label.saturating_sub(key.width()))
        )?;
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
    bars(out, "organisations", &facets.orgs, layout)?;
    bars(out, "languages", &facets.langs, layout)?;
    bars(out, "years", &facets.years, layout)
}

/// `list`: one line per article.
pub fn list_line(out: &mut dyn WriteColor, record: &ArticleRecord) -> io::Result<()> {
    out.set_color(&spec(Some(Color::Magenta), false))?;
    write!(out, "{}", terminal::line(&record.path))?;
    out.reset()?;
    write!(out, "  ")?;
    out.set_color(&spec(None, true))?;
    write!(out, "{}", terminal::line(&record.meta.title))?;
    out.reset()?;
    let prefectures = if record.meta.prefectures.is_empty() {
        String::new()
    } else {
        format!(" · prefectures: {}", labels(&record.meta.prefectures))
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

/// Fill characters for the series of a split timeline, so that the bars read
/// without colour too.
const SERIES_FILL: &[char] = &['█', '▓', '▒', '░', '■', '▪'];
const SERIES_COLOR: &[Color] = &[
    Color::Green,
    Color::Blue,
    Color::Yellow,
    Color::Magenta,
    Color::Cyan,
    Color::Red,
];

/// A timeline: one bar per period, scaled to the width; with a split, each bar
/// is stacked by series (the five largest, then "other"), with a legend.
/// `total` cut into parts proportional to `weights` (largest remainders
/// first), so that the parts add up to `total` exactly.
fn shares(weights: &[u64], total: u64) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<u64> = weights.iter().map(|w| w * total / sum).collect();
    let mut left = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((weights[i] * total) % sum));
    for i in order {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
}

pub fn timeline(
    out: &mut dyn WriteColor,
    timeline: &crate::timeline::Timeline,
    layout: Layout,
) -> io::Result<()> {
    if timeline.buckets.is_empty() {
        return writeln!(
            out,
            "no dated article matched ({} undated)",
            timeline.undated
        );
    }
    // Series: the split values by total, the sixth and beyond as "other".
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for b in &timeline.buckets {
        for (k, v) in &b.split {
            *totals.entry(k.as_str()).or_default() += v;
        }
    }
    let mut series: Vec<(&str, u64)> = totals.into_iter().collect();
    series.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown: Vec<&str> = series.iter().take(5).map(|s| s.0).collect();
    let has_other = series.len() > shown.len();
    let series_of = |key: &str| shown.iter().position(|s| *s == key).unwrap_or(shown.len());
    if !shown.is_empty() {
        // The legend wraps at the width; a long name is cut.
        let mut entries: Vec<(usize, String)> = shown
            .iter()
            .enumerate()
            .map(|(i, name)| (i, terminal::clip(name, 24).into_owned()))
            .collect();
        if has_other {
            entries.push((5, "other".to_string()));
        }
        let mut column = 0;
        for (i, name) in entries {
            let w = name.width() + 4;
            if column > 0 && column + w > layout.width {
                writeln!(out)?;
                column = 0;
            }
            out.set_color(&spec(Some(SERIES_COLOR[i]), false))?;
            write!(out, "{} ", SERIES_FILL[i])?;
            out.reset()?;
            write!(out, "{name}  ")?;
            column += w;
        }
        writeln!(out)?;
    }
    let label = timeline
        .buckets
        .iter()
        .map(|b| b.period.len())
        .max()
        .unwrap_or(4);
    // A bar's length is its number of articles; with a split, the bar is
    // shared among the values in proportion to their counts (an article may
    // count under several values).
    let max = timeline
        .buckets
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(1)
        .max(1);
    let number = max.to_string().len();
    let room = layout.width.saturating_sub(label + number + 4).max(10) as u64;
    for b in &timeline.buckets {
        write!(out, "{:label$} ", b.period)?;
        let len = (b.count * room).div_ceil(max);
        if b.split.is_empty() {
            out.set_color(&spec(Some(Color::Green), false))?;
            write!(out, "{}", "█".repeat(len as usize))?;
            out.reset()?;
        } else {
            let mut per_series = vec![0u64; shown.len() + 1];
            for (k, v) in &b.split {
                per_series[series_of(k)] += v;
            }
            for (i, part) in shares(&per_series, len).into_iter().enumerate() {
                let slot = i.min(SERIES_FILL.len() - 1);
                out.set_color(&spec(Some(SERIES_COLOR[slot]), false))?;
                write!(
                    out,
                    "{}",
                    SERIES_FILL[slot].to_string().repeat(part as usize)
                )?;
                out.reset()?;
            }
        }
        writeln!(out, " {:>number$}", b.count)?;
    }
    writeln!(
        out,
        "\n{} article{} matched, {} undated (not drawn)",
        timeline.total_articles,
        plural(timeline.total_articles),
        timeline.undated
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_follow_the_weights() {
        assert_eq!(shares(&[1, 1, 1], 10).iter().sum::<u64>(), 10);
        assert_eq!(shares(&[2, 1, 0], 30), [20, 10, 0]);
        assert_eq!(shares(&[0, 0], 5), [0, 0]);
    }

    #[test]
    fn japanese_wraps_between_characters_and_english_between_words() {
        let text = "愛知県の企業がタミル・ナードゥ州に工場 and English words";
        let mut out = termcolor::NoColor::new(Vec::new());
        wrap_highlighted(&mut out, text, &[[0, 9]], "", 20).expect("write");
        let shown = String::from_utf8(out.into_inner()).expect("utf-8");
        for line in shown.lines() {
            assert!(terminal::width(line) <= 20, "{line:?}");
        }
        // Nothing lost: the lines joined are the text (the cut Japanese
        // joined without a space, the English words with one).
        assert_eq!(
            shown.lines().collect::<Vec<_>>().concat().replace(' ', ""),
            text.replace(' ', "")
        );
        assert_eq!(pieces("ab", 0, 2, 20), [(0, 2)]);
    }
}
