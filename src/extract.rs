//! Metadata extraction: title, publication date, states, sectors and
//! prefectures from a cleaned article body and the [`Taxonomy`].
//!
//! The rules mimic a careful reader rather than counting words:
//! - position matters: the headline, the dateline and the opening paragraph
//!   say what an article is about; a state named once deep in the body is a
//!   passing mention and does not count;
//! - lists of examples ("sectors such as textiles, chemicals and tourism")
//!   are weak evidence for every item in them;
//! - the publication date is the first full date near the top; a date without
//!   a year needs a weekday to pin the year down, and is never guessed.
//!
//! `today` is a parameter so that results do not depend on the clock.

pub mod amount;

use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use regex::Regex;

use crate::article::{Amount, Metadata};
use crate::taxonomy::{Place, Taxonomy};

/// Extracts metadata from `body` (the output of [`crate::clean::clean`]);
/// `title` is the title the format gave, if any.
pub fn extract(title: Option<&str>, body: &str, taxonomy: &Taxonomy, today: NaiveDate) -> Metadata {
    let doc = Document::new(title, body);
    // Shared by states and prefectures, and by states and sectors.
    let mentions = place_mentions(&doc, taxonomy);
    let lists = LineLists::new(&doc);
    Metadata {
        title: doc.title(),
        date: find_date(&doc, today),
        states: find_states(&doc, &mentions, &lists, taxonomy),
        sectors: find_sectors(&doc, &lists, taxonomy),
        prefectures: find_prefectures(&doc, &mentions, taxonomy),
        orgs: find_orgs(title, body, taxonomy),
        amount: amount::largest(body).map(|a| Amount {
            rupees: a.rupees.round() as u64,
            written: a.written,
            currency: a.currency.to_string(),
        }),
    }
}

/// Organisations named in the title or body.
fn find_orgs(title: Option<&str>, body: &str, taxonomy: &Taxonomy) -> Vec<String> {
    let mut orgs = taxonomy.find_orgs(body);
    if let Some(title) = title {
        orgs.extend(taxonomy.find_orgs(title));
        orgs.sort();
        orgs.dedup();
    }
    orgs
}

/// Where a line sits, which sets how much its mentions weigh.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    /// The headline (first line or the title the format gave).
    Title,
    /// The first prose paragraphs, where the dateline and the lede are.
    Opening,
    /// A list item or a short heading: each names a topic of its own.
    Heading,
    Body,
    /// A byline or date line ("Desk Team | Monday, 6 May 2024"): names in it
    /// are the publisher's, not the story's.
    Meta,
}

struct Line<'a> {
    text: &'a str,
    zone: Zone,
}

struct Document<'a> {
    /// The scraper's " date YYYY-MM-DD" prefix, if present.
    stamped: Option<NaiveDate>,
    given_title: Option<&'a str>,
    /// Whether the first body line reads as a headline.
    has_headline: bool,
    lines: Vec<Line<'a>>,
}

static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})(?-u:\b)\s*").expect("static regex")
});

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([-•*·–]|\(?\d{1,2}[.)]|\([a-z]\))\s*").expect("static regex"));

impl<'a> Document<'a> {
    fn new(given_title: Option<&'a str>, body: &'a str) -> Document<'a> {
        let mut stamped = None;
        let mut texts: Vec<&'a str> = Vec::new();
        for (i, raw) in body.lines().enumerate() {
            let mut text = raw.trim();
            if i == 0 {
                if let Some(c) = STAMP.captures(text) {
                    stamped = ymd(&c[1], &c[2], &c[3]);
                    text = text.get(c[0].len()..).unwrap_or("").trim();
                }
            }
            if !text.is_empty() {
                texts.push(text);
            }
        }
        let given_title = given_title.map(str::trim).filter(|t| !t.is_empty());
        let has_headline = texts.first().is_some_and(|t| is_headline(t));
        let mut lines = Vec::with_capacity(texts.len() + 1);
        if let Some(t) = given_title {
            let duplicate = texts
                .first()
                .is_some_and(|first| first.eq_ignore_ascii_case(t));
            if !duplicate {
                lines.push(Line {
                    text: t,
                    zone: Zone::Title,
                });
            }
        }
        let mut prose_seen = 0;
        for (i, text) in texts.iter().enumerate() {
            let words = text.split_whitespace().count();
            let zone = if i == 0 && has_headline {
                Zone::Title
            } else if words <= 12 && (text.contains('|') || has_full_date(text)) {
                Zone::Meta
            } else if words >= 12 && prose_seen < 1 {
                prose_seen += 1;
                Zone::Opening
            } else if LIST_ITEM.is_match(text) || (words <= 14 && is_headline(text)) {
                Zone::Heading
            } else {
                if words >= 12 {
                    prose_seen += 1;
                }
                Zone::Body
            };
            lines.push(Line { text, zone });
        }
        Document {
            stamped,
            given_title,
            has_headline,
            lines,
        }
    }

    /// The headline; else the format's title; else the first sentence, cut.
    fn title(&self) -> String {
        if self.has_headline {
            if let Some(line) = self
                .lines
                .iter()
                .find(|l| l.zone == Zone::Title && Some(l.text) != self.given_title)
            {
                return line.text.to_string();
            }
        }
        if let Some(t) = self.given_title {
            return t.to_string();
        }
        let first = self.lines.first().map_or("", |l| l.text);
        let sentence = first
            .find(". ")
            .and_then(|i| first.get(..=i))
            .unwrap_or(first)
            .trim_end_matches('.');
        cut_at_word(sentence, 100)
    }
}

/// A headline: a few words, starting with a capital, with no final period.
fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let first_upper = line
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    (3..=40).contains(&words)
        && line.len() <= 300
        && first_upper
        && !line.ends_with(['.', ':', ';', ','])
        && !line.ends_with("...")
}

/// `text` cut to about `max` bytes at a word boundary.
fn cut_at_word(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i > max {
            break;
        }
        if c.is_whitespace() {
            end = i;
        }
    }
    if end == 0 {
        end = text
            .char_indices()
            .map(|(i, _)| i)
            .take_while(|&i| i <= max)
            .last()
            .unwrap_or(0);
    }
    format!("{}…", text.get(..end).unwrap_or(text).trim_end())
}

// ---------------------------------------------------------------- dates ----

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const WEEKDAY: &str = r"(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?";
const DAY: &str = r"(\d{1,2})(?:st|nd|rd|th)?";

/// Date patterns, each with a parser from captures.
static DATE_PATTERNS: LazyLock<Vec<(Regex, DateShape)>> = LazyLock::new(|| {
    let p = |s: String| Regex::new(&format!("(?i){s}")).expect("static regex");
    vec![
        (
            p(r"(?-u:\b)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?-u:\b)".into()),
            DateShape::Ymd,
        ),
        (
            p(r"(?-u:\b)(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?-u:\b)".into()),
            DateShape::Dmy,
        ),
        (
            p(format!(
                r"(?-u:\b){DAY}\s+(?:of\s+)?{MONTH},?\s+(\d{{4}})(?-u:\b)"
            )),
            DateShape::DayMonthYear,
        ),
        (
            p(format!(r"(?-u:\b){MONTH}\s+{DAY},?\s+(\d{{4}})(?-u:\b)")),
            DateShape::MonthDayYear,
        ),
        (
            p(format!(
                r"(?-u:\b){WEEKDAY},?\s+{DAY}\s+(?:of\s+)?{MONTH}(?-u:\b)"
            )),
            DateShape::WeekdayDayMonth,
        ),
        (
            p(format!(r"(?-u:\b){WEEKDAY},?\s+{MONTH}\s+{DAY}(?-u:\b)")),
            DateShape::WeekdayMonthDay,
        ),
        (
            p(format!(r"(?-u:\b){MONTH}\s+{DAY},?\s*\(\s*{WEEKDAY}\s*\)")),
            DateShape::MonthDayWeekday,
        ),
        (
            p(format!(r"(?-u:\b){DAY}\s+{MONTH},?\s*\(\s*{WEEKDAY}\s*\)")),
            DateShape::DayMonthWeekday,
        ),
    ]
});

/// A dateline without a year: "Munich, Oct 14 (IANS)", "Tokyo, Oct 7 —".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^[^,:.]{{2,80}},\s+{MONTH}\s+{DAY}(?-u:\b)\s*(?:\(|:|—|–|-)"
    ))
    .expect("static regex")
});

static ON_WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:on|On|this|last)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?-u:\b)",
    )
    .expect("static regex")
});

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(19[5-9]\d|20\d\d)(?-u:\b)").expect("static regex"));

#[derive(Debug, Clone, Copy)]
enum DateShape {
    Ymd,
    Dmy,
    DayMonthYear,
    MonthDayYear,
    WeekdayDayMonth,
    WeekdayMonthDay,
    MonthDayWeekday,
    DayMonthWeekday,
}

/// How many lines from the top may hold the publication date; further down,
/// dates are those of the events reported.
const TOP_LINES: usize = 8;
const TOP_BYTES: usize = 3000;

fn find_date(doc: &Document<'_>, today: NaiveDate) -> Option<NaiveDate> {
    if let Some(d) = doc.stamped.filter(|d| *d <= today) {
        return Some(d);
    }
    let all: String = doc
        .lines
        .iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    let latest_year = YEAR
        .captures_iter(&all)
        .filter_map(|c| c[1].parse::<i32>().ok())
        .filter(|y| *y <= today.year())
        .max();
    let mut bytes = 0;
    for line in doc.lines.iter().take(TOP_LINES) {
        if bytes > TOP_BYTES {
            break;
        }
        bytes += line.text.len();
        let mut found: Vec<(usize, NaiveDate)> = Vec::new();
        // The date of a long paragraph is at its start; a bounded slice keeps
        // huge lines cheap.
        let head = line
            .text
            .get(..floor_char_boundary(line.text, TOP_BYTES))
            .unwrap_or("");
        for (re, shape) in DATE_PATTERNS.iter() {
            for c in re.captures_iter(head) {
                let start = c.get(0).map_or(0, |m| m.start());
                if let Some(d) = parse_shape(&c, *shape, today, latest_year) {
                    found.push((start, d));
                }
            }
        }
        if let Some(d) = dateline_date(head, today, latest_year) {
            found.push((0, d));
        }
        if let Some((_, d)) = found.into_iter().min_by_key(|(start, _)| *start) {
            return Some(d);
        }
    }
    None
}

/// Whether a line holds a date with a year ("6 May 2024", "2024-05-06").
fn has_full_date(text: &str) -> bool {
    DATE_PATTERNS
        .iter()
        .take(4)
        .any(|(re, _)| re.is_match(text))
}

fn parse_shape(
    c: &regex::Captures<'_>,
    shape: DateShape,
    today: NaiveDate,
    latest_year: Option<i32>,
) -> Option<NaiveDate> {
    let date = match shape {
        DateShape::Ymd => ymd(&c[1], &c[2], &c[3]),
        DateShape::Dmy => ymd(&c[3], &c[2], &c[1]),
        DateShape::DayMonthYear => ymd(&c[3], &month(&c[2])?.to_string(), &c[1]),
        DateShape::MonthDayYear => ymd(&c[3], &month(&c[1])?.to_string(), &c[2]),
        DateShape::WeekdayDayMonth => resolve_year(
            month(&c[3])?,
            c[2].parse().ok()?,
            weekday(&c[1])?,
            today,
            latest_year,
        ),
        DateShape::WeekdayMonthDay => resolve_year(
            month(&c[2])?,
            c[3].parse().ok()?,
            weekday(&c[1])?,
            today,
            latest_year,
        ),
        DateShape::MonthDayWeekday => resolve_year(
            month(&c[1])?,
            c[2].parse().ok()?,
            weekday(&c[3])?,
            today,
            latest_year,
        ),
        DateShape::DayMonthWeekday => resolve_year(
            month(&c[2])?,
            c[1].parse().ok()?,
            weekday(&c[3])?,
            today,
            latest_year,
        ),
    }?;
    (date <= today).then_some(date)
}

/// "Munich, Oct 14 (IANS) ... on Monday": a yearless dateline whose weekday
/// is given in the same paragraph.
fn dateline_date(line: &str, today: NaiveDate, latest_year: Option<i32>) -> Option<NaiveDate> {
    let c = DATELINE.captures(line)?;
    let lede: String = line.chars().take(400).collect();
    let w = ON_WEEKDAY.captures(&lede)?;
    resolve_year(
        month(&c[1])?,
        c[2].parse().ok()?,
        weekday(&w[1])?,
        today,
        latest_year,
    )
}

/// The most recent year, not after today, in which `day month` falls on
/// `weekday`. A year that contradicts the years the text itself mentions
/// (the article speaks of 2026, so it is not from 2024) gives no date.
fn resolve_year(
    month: u32,
    day: u32,
    weekday: Weekday,
    today: NaiveDate,
    latest_year: Option<i32>,
) -> Option<NaiveDate> {
    let found = (0..30)
        .map(|back| today.year() - back)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d <= today && d.weekday() == weekday)?;
    match latest_year {
        Some(y) if found.year() < y - 1 => None,
        _ => Some(found),
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
}

fn month(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let key = lower.get(..3)?;
    let i = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| *m == key)?;
    Some(i as u32 + 1)
}

fn weekday(name: &str) -> Option<Weekday> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

// ------------------------------------------------------- gazetteer hits ----

/// One vocabulary mention in one line.
struct Mention {
    target: Place,
    line: usize,
    start: usize,
    end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text[start..end]` is a whole word (or words) of `text`.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Place mentions, with the case rules applied: proper names must be
/// capitalised, abbreviations exactly in capitals.
fn place_mentions(doc: &Document<'_>, taxonomy: &Taxonomy) -> Vec<Mention> {
    let gaz = taxonomy.gazetteer();
    let mut out = Vec::new();
    for (li, line) in doc.lines.iter().enumerate() {
        // Only state codes ask, and most lines have none.
        let shouting = std::cell::OnceCell::new();
        for m in gaz.places.find_iter(line.text) {
            let (start, end) = (m.start(), m.end());
            if !on_word_boundaries(line.text, start, end) {
                continue;
            }
            let Some(matched) = line.text.get(start..end) else {
                continue;
            };
            let capitalised = matched.chars().next().is_some_and(char::is_uppercase);
            let Some(targets) = gaz.place_targets.get(m.pattern().as_usize()) else {
                continue;
            };
            for &target in targets {
                let ok = match target {
                    Place::StateCode(i) => {
                        !*shouting.get_or_init(|| is_shouting(line.text))
                            && taxonomy
                                .state_entries()
                                .get(i)
                                .is_some_and(|s| s.codes.iter().any(|c| c == matched))
                    }
                    _ => capitalised,
                };
                if ok {
                    out.push(Mention {
                        target,
                        line: li,
                        start,
                        end,
                    });
                }
            }
        }
    }
    out
}

/// A line mostly in capitals ("ITINERARY FOR TOKYO LEG"), where "UP" is a word.
fn is_shouting(line: &str) -> bool {
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in line.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    letters >= 8 && upper * 10 >= letters * 8
}

static JAPAN_CUE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*-ken(?-u:\b)|\s+(Prefecture|prefecture|Prefectural|prefectural|Governor|governor|Mayor|mayor|region|Region|city|City|town|Town)(?-u:\b)|,\s*Japan(?-u:\b)|\s+in\s+Japan(?-u:\b)|\s*\(Japan\))")
        .expect("static regex")
});

static PLACE_CUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(in|to|from|at|of|near|visit|visited|visiting|city\s+of|governor\s+of|mayor\s+of)\s+(the\s+)?$")
        .expect("static regex")
});

/// Whether an ambiguous prefecture name or city is used as a Japanese place.
/// Names that are also Indian places (Kochi) need an explicit Japanese cue;
/// surnames need a place cue and no capitalised word after them.
fn is_japanese_place(text: &str, start: usize, end: usize, also_indian: bool) -> bool {
    let after = text
        .get(end..floor_char_boundary(text, end.saturating_add(40)))
        .unwrap_or("");
    if JAPAN_CUE_AFTER.is_match(after) {
        return true;
    }
    if also_indian {
        return false;
    }
    let before = text
        .get(floor_char_boundary(text, start.saturating_sub(40))..start)
        .unwrap_or("");
    let next_capitalised = after
        .strip_prefix(' ')
        .and_then(|a| a.chars().next())
        .is_some_and(char::is_uppercase);
    PLACE_CUE_BEFORE.is_match(before) && !next_capitalised
}

// --------------------------------------------------------------- states ----

/// Points a state needs to count: two ordinary mentions, or one in the
/// headline, dateline, opening paragraph or a list item of its own.
const STATE_MIN_SCORE: f32 = 2.0;
/// A state far behind the main one is a passing mention.
const STATE_MIN_SHARE: f32 = 0.15;

fn find_states(
    doc: &Document<'_>,
    mentions: &[Mention],
    lists: &LineLists<'_>,
    taxonomy: &Taxonomy,
) -> Vec<String> {
    let states = taxonomy.state_entries();
    let mut scores = vec![0f32; states.len()];
    let first_opening = doc.lines.iter().position(|l| l.zone == Zone::Opening);
    for m in mentions {
        let (i, kind) = match m.target {
            Place::StateName(i) | Place::StateCode(i) => (i, 1.0),
            Place::StateCity(i) => (i, 1.0),
            Place::StateWeak(i) => (i, 0.3),
            _ => continue,
        };
        let line = &doc.lines[m.line];
        if is_prefecture_use(line.text, m.start, m.end, m.target, taxonomy) {
            continue;
        }
        let mut w = match line.zone {
            Zone::Title => 3.0,
            Zone::Opening | Zone::Heading => 2.0,
            Zone::Body => 1.0,
            Zone::Meta => 0.0,
        };
        if Some(m.line) == first_opening && m.start < 40 && is_dateline(line.text, m.end) {
            w += 1.0;
        }
        if lists.in_enumeration(m.line, m.start) {
            w *= 0.25;
        }
        if let Some(s) = scores.get_mut(i) {
            *s += w * kind;
        }
    }
    let top = scores.iter().copied().fold(0f32, f32::max);
    let mut out: Vec<String> = states
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s >= STATE_MIN_SCORE && **s >= top * STATE_MIN_SHARE)
        .map(|(st, _)| st.name.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a mention of an Indian place is really the Japanese prefecture of
/// the same name ("Kochi Prefecture").
fn is_prefecture_use(
    text: &str,
    start: usize,
    end: usize,
    target: Place,
    taxonomy: &Taxonomy,
) -> bool {
    let Place::StateCity(_) = target else {
        return false;
    };
    let Some(matched) = text.get(start..end) else {
        return false;
    };
    let is_prefecture_name = taxonomy
        .prefecture_entries()
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case(matched));
    is_prefecture_name && is_japanese_place(text, start, end, true)
}

/// A dateline place: "Bengaluru:", "Bhopal, Jan 27 (IANS)", "Kochi (Kerala)".
fn is_dateline(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let after = after.trim_start();
    after.starts_with(':')
        || after.starts_with('(')
        || after.starts_with('[')
        || after.starts_with('—')
        || after.starts_with('-')
        || (after.starts_with(',')
            && after
                .get(1..40)
                .is_some_and(|a| month_start(a.trim_start())))
}

fn month_start(text: &str) -> bool {
    text.get(..3).and_then(month).is_some()
}

/// The largest char boundary of `text` at or before `i`.
fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One item of a sentence split at commas, "and", "or", "such as"...
#[derive(Debug, Clone, Copy, PartialEq)]
struct Item {
    start: usize,
    end: usize,
    /// Words other than "such", "including"..., counted up to 5: only
    /// whether there are one to four of them matters.
    words: usize,
}

/// The list structure of every line of a document, built only for the lines
/// and sentences that hold a mention, and shared by states and sectors.
struct LineLists<'a> {
    lines: Vec<OnceCell<Lists<'a>>>,
    doc: &'a Document<'a>,
}

impl<'a> LineLists<'a> {
    fn new(doc: &'a Document<'a>) -> LineLists<'a> {
        LineLists {
            lines: doc.lines.iter().map(|_| OnceCell::new()).collect(),
            doc,
        }
    }

    /// [`Lists::in_enumeration`] for a mention in line `line`.
    fn in_enumeration(&self, line: usize, start: usize) -> bool {
        let (Some(cell), Some(l)) = (self.lines.get(line), self.doc.lines.get(line)) else {
            return false;
        };
        cell.get_or_init(|| Lists::new(l.text))
            .in_enumeration(start)
    }
}

/// The list structure of one line, each sentence computed once and only when
/// asked, so that checking every mention stays linear in the line's length.
struct Lists<'a> {
    text: &'a str,
    /// Start and end of each sentence; sentences end at `.`, `!`, `?`, `:`, `—`.
    bounds: Vec<(usize, usize)>,
    sentences: Vec<OnceCell<Sentence>>,
}

/// The items of one sentence, and whether they form a list: a comma and
/// three or more short items.
struct Sentence {
    items: Vec<Item>,
    listy: bool,
}

impl<'a> Lists<'a> {
    fn new(text: &'a str) -> Lists<'a> {
        let mut bounds = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if matches!(c, '.' | '!' | '?' | ':' | '—') {
                bounds.push((start, i));
                start = i + c.len_utf8();
            }
        }
        bounds.push((start, text.len()));
        let sentences = bounds.iter().map(|_| OnceCell::new()).collect();
        Lists {
            text,
            bounds,
            sentences,
        }
    }

    /// Whether a mention starting at `start` is one short item of a list of
    /// examples ("in sectors such as textiles, chemicals and tourism").
    fn in_enumeration(&self, start: usize) -> bool {
        // Sentence starts increase, and each sentence's first item starts at
        // the sentence's start: the item holding `start` is in the last
        // sentence starting at or before it.
        let Some(si) = self
            .bounds
            .partition_point(|&(s, _)| s <= start)
            .checked_sub(1)
        else {
            return false;
        };
        let (Some(&(s, e)), Some(cell)) = (self.bounds.get(si), self.sentences.get(si)) else {
            return false;
        };
        let sentence = cell.get_or_init(|| Sentence::new(self.text, s, e));
        let idx = sentence.items.partition_point(|it| it.start <= start);
        let Some(item) = idx.checked_sub(1).and_then(|i| sentence.items.get(i)) else {
            return false;
        };
        start <= item.end && (1..=4).contains(&item.words) && sentence.listy
    }
}

impl Sentence {
    /// The items of `text[s..e]`, with offsets into `text`.
    fn new(text: &str, s: usize, e: usize) -> Sentence {
        let sentence = text.get(s..e).unwrap_or("");
        let mut items = Vec::new();
        let mut short = 0;
        let mut pos = 0;
        let mut push = |from: usize, to: usize, next: usize| {
            let words = sentence
                .get(from..to)
                .unwrap_or("")
                .split_whitespace()
                .filter(|w| {
                    !["including", "such", "as", "like", "the", "in"]
                        .iter()
                        .any(|stop| w.eq_ignore_ascii_case(stop))
                })
                .take(5)
                .count();
            if (1..=4).contains(&words) {
                short += 1;
            }
            items.push(Item {
                start: s + from,
                end: s + next,
                words,
            });
        };
        for (m_start, m_end) in item_separators(sentence) {
            push(pos, m_start, m_end);
            pos = m_end;
        }
        push(pos, sentence.len(), sentence.len());
        let listy = sentence.contains(',') && short >= 3;
        Sentence { items, listy }
    }
}

/// Where `sentence` splits into list items: what the regex
/// `(?-u:\b)(and|or|such as|including|like|namely)(?-u:\b)|,|;|&|/` finds
/// (case-sensitive, ASCII word boundaries, leftmost, non-overlapping), by a
/// byte scan that costs a fraction of the regex search.
fn item_separators(sentence: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    const WORDS: [&[u8]; 6] = [b"and", b"or", b"such as", b"including", b"like", b"namely"];
    /// Per byte: 0 nothing, 1 a separator, 2 the first letter of a word.
    const CLASS: [u8; 256] = {
        let mut class = [0u8; 256];
        class[b',' as usize] = 1;
        class[b';' as usize] = 1;
        class[b'&' as usize] = 1;
        class[b'/' as usize] = 1;
        let mut w = 0;
        while w < WORDS.len() {
            class[WORDS[w][0] as usize] = 2;
            w += 1;
        }
        class
    };
    let b = sentence.as_bytes();
    let word_byte = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&c) = b.get(i) {
            let at = i;
            i += 1;
            match CLASS[usize::from(c)] {
                0 => continue,
                1 => return Some((at, at + 1)),
                _ => {}
            }
            if at > 0 && word_byte(at - 1) {
                continue;
            }
            // The words start with different letters: at most one can match.
            let rest = b.get(at..).unwrap_or_default();
            if let Some(w) = WORDS.iter().find(|w| rest.starts_with(w)) {
                let end = at + w.len();
                if !word_byte(end) {
                    i = end;
                    return Some((at, end));
                }
            }
        }
        None
    })
}

// -------------------------------------------------------------- sectors ----

/// Points a sector needs: a few distinct pieces of evidence, not one word.
const SECTOR_MIN_SCORE: f32 = 2.0;
/// One term, however often repeated, counts at most this many times its weight.
const TERM_CAP: f32 = 2.5;

fn find_sectors(doc: &Document<'_>, lists: &LineLists<'_>, taxonomy: &Taxonomy) -> Vec<String> {
    let scores = sector_scores(doc, lists, taxonomy);
    let mut out: Vec<String> = taxonomy
        .sector_entries()
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s >= SECTOR_MIN_SCORE)
        .map(|(s, _)| s.slug.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Evidence per sector, in taxonomy order.
fn sector_scores(doc: &Document<'_>, lists: &LineLists<'_>, taxonomy: &Taxonomy) -> Vec<f32> {
    let gaz = taxonomy.gazetteer();
    let sectors = taxonomy.sector_entries();
    // Evidence in text order: (sector, term pattern, points, the term's weight).
    let mut hits: Vec<(usize, usize, f32, f32)> = Vec::new();
    for (li, line) in doc.lines.iter().enumerate() {
        let zone_w = match line.zone {
            Zone::Title => 2.0,
            Zone::Opening => 1.5,
            Zone::Heading => 1.5,
            Zone::Body => 1.0,
            Zone::Meta => 0.0,
        };
        for m in gaz.terms.find_iter(line.text) {
            let pattern = m.pattern().as_usize();
            let Some(targets) = gaz.term_targets.get(pattern) else {
                continue;
            };
            for hit in targets {
                let end = if hit.prefix {
                    word_end(line.text, m.end())
                } else {
                    m.end()
                };
                if !on_word_boundaries(line.text, m.start(), end) {
                    continue;
                }
                let mut w = hit.weight * zone_w;
                if lists.in_enumeration(li, m.start()) {
                    w *= 0.3;
                }
                hits.push((hit.sector, pattern, w, hit.weight));
            }
        }
    }
    // Per (sector, pattern): points summed in text order and capped at the
    // weight of its first hit. A stable sort keeps the text order within a
    // term and, unlike a hash map, adds the terms to a sector in a fixed order.
    hits.sort_by_key(|&(sector, pattern, _, _)| (sector, pattern));
    let mut scores = vec![0f32; sectors.len()];
    for group in hits.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (sector, _, _, weight) = group[0];
        let sum = group.iter().fold(0f32, |acc, h| acc + h.2);
        if let Some(s) = scores.get_mut(sector) {
            *s += sum.min(weight * TERM_CAP);
        }
    }
    scores
}

/// The end of the word that continues at `from` ("semiconductor|s").
fn word_end(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    from + rest
        .char_indices()
        .find(|(_, c)| !is_word_char(*c) && *c != '-')
        .map_or(rest.len(), |(i, _)| i)
}

// ---------------------------------------------------------- prefectures ----

/// Every prefecture named or implied by a city counts: Japanese places in
/// these articles are few and deliberate.
fn find_prefectures(doc: &Document<'_>, mentions: &[Mention], taxonomy: &Taxonomy) -> Vec<String> {
    let prefectures = taxonomy.prefecture_entries();
    let mut out = BTreeSet::new();
    for m in mentions {
        let line = doc.lines[m.line].text;
        let i = match m.target {
            Place::PrefectureName(i) | Place::PrefectureCity(i) => i,
            Place::PrefectureAmbiguous(i) => {
                let matched = line.get(m.start..m.end).unwrap_or("");
                let also_indian = taxonomy.state_entries().iter().any(|s| {
                    s.places
                        .iter()
                        .chain(&s.weak_places)
                        .any(|p| p.eq_ignore_ascii_case(matched))
                });
                if !is_japanese_place(line, m.start, m.end, also_indian) {
                    continue;
                }
                i
            }
            _ => continue,
        };
        if let Some(p) = prefectures.get(i) {
            out.insert(p.name.clone());
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid")
    }

    fn run(body: &str) -> Metadata {
        extract(None, body, &Taxonomy::builtin(), today())
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn reads_each_date_format() {
        let cases = [
            (
                "date 2023-03-09 Panaji: The ferry terminal opened.\n",
                date(2023, 3, 9),
            ),
            (
                "Posted 2021-07-30 by the desk\nThe ferry terminal opened.\n",
                date(2021, 7, 30),
            ),
            (
                "2022.12.01\nThe ferry terminal opened.\n",
                date(2022, 12, 1),
            ),
            (
                "News Team | Sunday, 4 May 2025\nThe ferry terminal opened.\n",
                date(2025, 5, 4),
            ),
            (
                "Published: 12 March 2024\nThe ferry terminal opened.\n",
                date(2024, 3, 12),
            ),
            (
                "Updated: March 12, 2024 10:00 IST\nThe ferry terminal opened.\n",
                date(2024, 3, 12),
            ),
            (
                "Filed on 6th Feb 2025 by staff\nThe ferry terminal opened.\n",
                date(2025, 2, 6),
            ),
            (
                "First published on: 15-11-2022 at 10:40 pm\n",
                date(2022, 11, 15),
            ),
        ];
        for (body, want) in cases {
            assert_eq!(run(body).date, want, "{body}");
        }
    }

    #[test]
    fn a_weekday_pins_down_a_missing_year() {
        // 2025-02-06 is the latest Thursday, February 6 before the fixed today.
        let body = "The port authority met investors in Paradip on Thursday, February 6, officials said.\n";
        assert_eq!(run(body).date, date(2025, 2, 6));
        let body = "Itinerary\nMarch 3 (Tuesday)\nMeetings with shipbuilders.\n";
        assert_eq!(run(body).date, date(2026, 3, 3));
        let body = "Nagpur, Oct 14 (PTI) The delegation on Monday toured a logistics park near the city.\n";
        assert_eq!(run(body).date, date(2024, 10, 14));
    }

    #[test]
    fn a_weekday_year_that_contradicts_the_text_gives_no_date() {
        // The most recent Monday, Oct 14 is in 2024, but the text looks ahead
        // from 2026, so the dateline cannot be pinned down.
        let body =
            "Nagpur, Oct 14 (PTI) The delegation on Monday invited firms to the 2026 expo.\n";
        assert_eq!(run(body).date, None);
    }

    #[test]
    fn no_date_without_day_precision_or_year() {
        assert_eq!(
            run("The fair will be held on October 16 and 17 in Goa.\n").date,
            None
        );
        assert_eq!(
            run("In April 2015 the two sides agreed on a plan.\n").date,
            None
        );
        assert_eq!(run("").date, None);
    }

    #[test]
    fn prefers_the_date_near_the_top() {
        let body = "Staff | 2 June 2024\nThe minister said the park first opened on 5 January 2019 in Surat.\n";
        assert_eq!(run(body).date, date(2024, 6, 2));
    }

    #[test]
    fn aliases_and_cities_imply_states() {
        let m = run("Lucknow: The UP government cleared a data centre park near Noida on Friday after a long review of the bids.\n");
        assert_eq!(m.states, vec!["Uttar Pradesh"]);
        let m = run("BENGALURU: The city will host a robotics fair next month with more than forty exhibitors expected.\n");
        assert_eq!(m.states, vec!["Karnataka"]);
        let m = run("TN signs pact with shipbuilders\nThe pact covers two yards near Thoothukudi and a training centre.\n");
        assert_eq!(m.states, vec!["Tamil Nadu"]);
    }

    #[test]
    fn kochi_is_kerala_unless_it_is_the_prefecture() {
        let m = run("Kochi: A trade fair opened at the convention centre on the waterfront with stalls from forty firms.\n");
        assert_eq!(m.states, vec!["Kerala"]);
        assert!(m.prefectures.is_empty());
        let m = run("Assam signs a tea pact with Kochi Prefecture\nGuwahati hosted the governor of Kochi Prefecture for two days of talks on tea gardens.\n");
        assert_eq!(m.states, vec!["Assam"]);
        assert_eq!(m.prefectures, vec!["Kochi"]);
    }

    #[test]
    fn a_passing_mention_does_not_count() {
        let body = "Patna: The Bihar government opened a food park on Tuesday to draw processors from across the region.\n\
            The park covers 40 acres and will host cold storage units for fruit and vegetables grown nearby.\n\
            Officials said the model was first tried in Punjab years ago.\n\
            States such as Gujarat, Kerala and Assam have similar parks.\n";
        assert_eq!(run(body).states, vec!["Bihar"]);
        let national = "The Union Cabinet approved a new scheme for ports and shipping, the ministry said in New Delhi.\n";
        assert!(run(national).states.is_empty());
    }

    #[test]
    fn prefectures_from_names_and_cities() {
        let m = run("The delegation visited Yokohama and Nagoya before flying to Sapporo, and met the Osaka Prefecture governor.\n");
        assert_eq!(
            m.prefectures,
            vec!["Aichi", "Hokkaido", "Kanagawa", "Osaka"]
        );
        // A surname is not a prefecture.
        let m = run("Minister Ishikawa Taro met the delegation and spoke of the plan.\n");
        assert!(m.prefectures.is_empty());
    }

    #[test]
    fn sectors_need_substantial_evidence() {
        let one_word = "Odisha opened a new office for investors on Monday to speed up approvals for new projects.\n\
            The office will have twelve staff and answer queries within a week, officials said.\n\
            The minister added that tourism was growing.\n";
        assert!(run(one_word).sectors.is_empty());
        let listed = "The minister invited investment in sectors such as textiles, pharmaceuticals, tourism and electronics, officials said on Monday.\n";
        assert!(run(listed).sectors.is_empty());
        let chips = "Gujarat courts chip makers\n\
            The state offered land for a semiconductor fab and an OSAT unit near Sanand on Monday.\n\
            Officials said the chip plant would make memory for phones.\n";
        assert_eq!(run(chips).sectors, vec!["semiconductors"]);
    }

    #[test]
    fn titles() {
        let m = run("Goa courts Japanese hoteliers\nThe tourism minister met investors.\n");
        assert_eq!(m.title, "Goa courts Japanese hoteliers");
        let m = extract(
            Some("Given title"),
            "The tourism minister met investors in Panaji on Friday.\n",
            &Taxonomy::builtin(),
            today(),
        );
        assert_eq!(m.title, "Given title");
        let long = format!("{} end.", "word ".repeat(60));
        let m = run(&long);
        assert!(m.title.len() <= 110, "{}", m.title);
    }

    /// The regex the hand scan replaces.
    fn regex_separators(sentence: &str) -> Vec<(usize, usize)> {
        let re = Regex::new(r"(?-u:\b)(and|or|such as|including|like|namely)(?-u:\b)|,|;|&|/")
            .expect("valid regex");
        re.find_iter(sentence)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    const TRICKY: &[&str] = &[
        "brand",
        "Oregon",
        "such  as",
        "such as",
        "such asx",
        "a,b;c&d/e",
        "éandé",
        "ändor",
        "and",
        "AND",
        "And",
        "_and",
        "and_",
        "1and2",
        "or",
        "for",
        "ore",
        "including",
        "includings",
        "likely like",
        "namely,",
        "such as,such as",
        "sand and andand",
        "東京and大阪",
        "x—and",
        "and-or",
        "",
        " ",
        ",,",
    ];

    #[test]
    fn item_separators_match_the_regex() {
        let mut cases: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
        // Pairs and triples of the tricky pieces, glued and spaced.
        for a in TRICKY {
            for b in TRICKY {
                cases.push(format!("{a}{b}"));
                cases.push(format!("{a} {b}"));
                cases.push(format!("{b} {a}, {b}"));
            }
        }
        for case in &cases {
            assert_eq!(
                item_separators(case).collect::<Vec<_>>(),
                regex_separators(case),
                "{case:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn item_separators_match_the_regex_on_any_text(
            parts in proptest::collection::vec(proptest::sample::select(TRICKY), 0..12),
            glue in "[ ,.;&/aéx_]{0,3}",
        ) {
            let text = parts.join(&glue);
            proptest::prop_assert_eq!(item_separators(&text).collect::<Vec<_>>(), regex_separators(&text));
        }
    }

    /// The list structure as it was computed before the per-sentence cache:
    /// every sentence of the line at once, items found by the regex.
    fn eager_in_enumeration(text: &str, start: usize) -> bool {
        let mut bounds = Vec::new();
        let mut from = 0;
        for (i, c) in text.char_indices() {
            if matches!(c, '.' | '!' | '?' | ':' | '—') {
                bounds.push((from, i));
                from = i + c.len_utf8();
            }
        }
        bounds.push((from, text.len()));
        let mut items: Vec<(Item, usize)> = Vec::new();
        let mut listy = Vec::new();
        for (si, (s, e)) in bounds.into_iter().enumerate() {
            let sentence = &text[s..e];
            let mut short = 0;
            let mut pos = 0;
            let mut cuts = regex_separators(sentence);
            cuts.push((sentence.len(), sentence.len()));
            for (m_start, m_end) in cuts {
                let words = sentence[pos..m_start]
                    .split_whitespace()
                    .filter(|w| {
                        !["including", "such", "as", "like", "the", "in"]
                            .iter()
                            .any(|stop| w.eq_ignore_ascii_case(stop))
                    })
                    .count();
                if (1..=4).contains(&words) {
                    short += 1;
                }
                let item = Item {
                    start: s + pos,
                    end: s + m_end,
                    words,
                };
                items.push((item, si));
                pos = m_end;
            }
            listy.push(sentence.contains(',') && short >= 3);
        }
        let idx = items.partition_point(|(it, _)| it.start <= start);
        let Some((item, si)) = idx.checked_sub(1).and_then(|i| items.get(i)) else {
            return false;
        };
        start <= item.end && (1..=4).contains(&item.words) && listy[*si]
    }

    #[test]
    fn lazy_sentence_lists_agree_with_eager_ones() {
        let lines = [
            "States such as Gujarat, Kerala and Assam have similar parks.",
            "The minister invited investment in sectors such as textiles, pharmaceuticals, tourism and electronics, officials said on Monday.",
            "Goa. Kerala, Assam and Bihar: chips, EVs, tourism — ports; steel/ textiles & more! Why? Because.",
            "..,,..and or. such as: a, b, c, d",
            "é, ändé, 東京, Tokyo and Osaka. Kochi, Nagoya or Sapporo.",
            "",
            ".",
            "No list here at all",
        ];
        let doc = Document::new(None, "");
        for line in lines {
            let lists = Lists::new(line);
            for (start, _) in line.char_indices().chain([(line.len(), ' ')]) {
                assert_eq!(
                    lists.in_enumeration(start),
                    eager_in_enumeration(line, start),
                    "{line:?} at {start}"
                );
            }
        }
        // The shared per-document cache answers as a fresh one, asked twice.
        let body = lines.join("\n");
        let doc2 = Document::new(None, &body);
        let shared = LineLists::new(&doc2);
        for _ in 0..2 {
            for (li, line) in doc2.lines.iter().enumerate() {
                for (start, _) in line.text.char_indices() {
                    assert_eq!(
                        shared.in_enumeration(li, start),
                        eager_in_enumeration(line.text, start)
                    );
                }
            }
        }
        assert!(!LineLists::new(&doc).in_enumeration(3, 0));
    }

    #[test]
    fn survives_odd_input() {
        for body in [
            "",
            "\n\n",
            "é",
            "東京 Tokyo 大阪",
            ",,,,",
            "date 9999-99-99 x",
            "Monday, 31 February",
        ] {
            let _ = run(body);
        }
        let huge = "Karnataka, Kerala and Goa, chips, EVs, tourism. ".repeat(20_000);
        let _ = run(&huge);
        // One huge line without sentence ends must not be quadratic.
        let line = "Assam, Goa, chips, é, ".repeat(50_000);
        let _ = run(&line);
    }
}
