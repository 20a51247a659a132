//! The publication date: the first full date near the top of the article, or
//! a weekday that pins down a date written without a year. Dates further down
//! are those of the events reported.
//!
//! Besides English dates: Japanese ones (2025年8月23日, and by era,
//! 令和7年8月23日 or 平成26年11月28日), and dates with month names of other
//! languages from the taxonomy (`extraction.month_names`: "23 अगस्त 2025",
//! "ஆகஸ்ட் 23, 2025"), with digits of any script.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use regex::Regex;

use super::{floor_char_boundary, Document};
use crate::rules::Rules;

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

/// Japanese dates: 2025年8月23日 (spaces allowed between the parts, as PDF
/// text has them), and by era: 令和 from 2019, 平成 from 1989 (元年 is
/// the first year).
static JAPANESE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?P<year>\d{4})|(?P<era>令和|平成)\s*(?P<eyear>\d{1,2}|元))\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
        .expect("static regex")
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

/// Compiles the date patterns now (see [`super::warm`]).
pub(super) fn warm() {
    LazyLock::force(&DATE_PATTERNS);
    for re in [&JAPANESE_DATE, &DATELINE, &ON_WEEKDAY, &YEAR, &SHORT_DMY] {
        LazyLock::force(re);
    }
}

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
/// How many bytes from the top may hold the publication date (see also
/// `extraction.date_top_lines`).
const TOP_BYTES: usize = 3000;

/// The publication date: the first date in the bylines and date lines that
/// cleaning took out, else in the first lines; `notes` (for `--explain`)
/// receives where it was found.
pub(super) fn find_date(
    doc: &Document<'_>,
    today: NaiveDate,
    rules: &Rules,
    mut notes: Option<&mut Vec<String>>,
) -> Option<NaiveDate> {
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
    let meta = doc
        .meta
        .iter()
        .map(|t| (*t, "a byline or date line cleaning removed"));
    let top = doc
        .lines
        .iter()
        .take(rules.extraction.date_top_lines)
        .map(|l| (l.text, l.zone.name()));
    // The first date found, unless a cued one comes later.
    let mut first: Option<(NaiveDate, String)> = None;
    for (text, place) in meta.chain(top) {
        if bytes > TOP_BYTES {
            break;
        }
        bytes += text.len();
        let mut found: Vec<(usize, NaiveDate)> = Vec::new();
        // The date of a long paragraph is at its start; a bounded slice keeps
        // huge lines cheap.
        let head = text
            .get(..floor_char_boundary(text, TOP_BYTES))
            .unwrap_or("");
        // Digits of every script read as ASCII ones.
        let head = &*crate::script::ascii_digits(head);
        found.extend(
            native_dates(head, rules)
                .into_iter()
                .filter(|(_, d)| *d <= today),
        );
        for (re, shape) in DATE_PATTERNS.iter() {
            for c in re.captures_iter(head) {
                let start = c.get(0).map_or(0, |m| m.start());
                if is_embedded_post(head, start) {
                    continue;
                }
                if let Some(d) = parse_shape(&c, *shape, today, latest_year) {
                    found.push((start, d));
                }
            }
        }
        if let Some(d) = dateline_date(head, today, latest_year) {
            found.push((0, d));
        }
        let shown = || head.chars().take(80).collect::<String>();
        // A cue counts in a byline-sized line: in the story's own sentences
        // ("the report, published on 3 March 2024, …") it dates something else.
        let byline = crate::script::word_count(text) <= rules.cleaning.byline_max_words;
        let cued = byline
            .then(|| published_date(head, &found, today, rules))
            .flatten();
        if let Some((d, cue)) = cued {
            if let Some(notes) = notes.as_deref_mut() {
                notes.push(format!(
                    "{d}: the date after {cue:?} near the top, in the {place} {:?}",
                    shown()
                ));
            }
            return Some(d);
        }
        if first.is_none() {
            if let Some((_, d)) = found.into_iter().min_by_key(|(start, _)| *start) {
                let note = format!(
                    "{d}: the first date near the top, in the {place} {:?}",
                    shown()
                );
                first = Some((d, note));
            }
        }
    }
    if let Some((d, note)) = first {
        if let Some(notes) = notes {
            notes.push(note);
        }
        return Some(d);
    }
    if let Some(notes) = notes {
        notes.push(format!(
            "undated: no full date (or weekday that fixes the year) in the first {} lines",
            rules.extraction.date_top_lines
        ));
    }
    None
}

/// Day.month.two-digit year ("12.06.18") at the start of a text, read only
/// after a publication cue: elsewhere it could be a version or a score.
static SHORT_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2})(?-u:\b)").expect("static regex")
});

/// The date right after a publication cue in `line` ("Published 12.06.18"):
/// one of `found` (dates with where they start) or a day.month.two-digit
/// year, with the cue.
fn published_date(
    line: &str,
    found: &[(usize, NaiveDate)],
    today: NaiveDate,
    rules: &Rules,
) -> Option<(NaiveDate, String)> {
    rules.compiled().published.find_iter(line).find_map(|cue| {
        let at = cue.end();
        let date = found
            .iter()
            .find(|(start, _)| *start == at)
            .map(|(_, d)| *d)
            .or_else(|| short_dmy(line.get(at..)?, today))?;
        Some((date, cue.as_str().trim().to_string()))
    })
}

/// The day.month.two-digit year at the start of `text`, not after today.
fn short_dmy(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let c = SHORT_DMY.captures(text)?;
    let yy: i32 = c[3].parse().ok()?;
    let century = if 2000 + yy <= today.year() {
        2000
    } else {
        1900
    };
    let d = ymd(&(century + yy).to_string(), &c[2], &c[1])?;
    (d <= today).then_some(d)
}

/// Whether the date at `start` signs an embedded social post ("— Name
/// (@handle) August 25, 2025"): the post's date, not the article's.
fn is_embedded_post(text: &str, start: usize) -> bool {
    let before = super::text_before(text, start, 40).trim_end();
    before.ends_with(')')
        && before
            .rfind("(@")
            .is_some_and(|i| !before[i..].contains(' '))
}

/// Japanese dates and dates with month names of other languages in `text`
/// (digits already ASCII), with where each starts.
fn native_dates(text: &str, rules: &Rules) -> Vec<(usize, NaiveDate)> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in JAPANESE_DATE.captures_iter(text) {
        let year = match (c.name("year"), c.name("era"), c.name("eyear")) {
            (Some(y), _, _) => y.as_str().parse::<i32>().ok(),
            (None, Some(era), Some(n)) => {
                let n = if n.as_str() == "元" {
                    Some(1)
                } else {
                    n.as_str().parse::<i32>().ok()
                };
                let first = if era.as_str() == "令和" { 2019 } else { 1989 };
                n.map(|n| first + n - 1)
            }
            _ => None,
        };
        let date = year.and_then(|y| ymd(&y.to_string(), &c["month"], &c["day"]));
        if let (Some(d), Some(m)) = (date, c.get(0)) {
            out.push((m.start(), d));
        }
    }
    let re = rules.compiled();
    let months = &rules.extraction.month_names;
    for pattern in [&re.native_day_month, &re.native_month_day] {
        for c in pattern.captures_iter(text) {
            let month = months.get(&c["month"]).or_else(|| {
                months
                    .iter()
                    .find(|(name, _)| name.trim() == &c["month"])
                    .map(|(_, m)| m)
            });
            let date = month.and_then(|m| ymd(&c["year"], &m.to_string(), &c["day"]));
            if let (Some(d), Some(m)) = (date, c.get(0)) {
                out.push((m.start(), d));
            }
        }
    }
    out
}

/// Whether a line holds any date, with a year or with a weekday.
pub(super) fn has_any_date(text: &str, rules: &Rules) -> bool {
    DATE_PATTERNS.iter().any(|(re, _)| re.is_match(text)) || has_native_date(text, rules)
}

/// Whether a line holds a date with a year ("6 May 2024", "2024-05-06",
/// "2025年8月23日", "23 अगस्त 2025").
pub(super) fn has_full_date(text: &str, rules: &Rules) -> bool {
    DATE_PATTERNS
        .iter()
        .take(4)
        .any(|(re, _)| re.is_match(text))
        || has_native_date(text, rules)
}

fn has_native_date(text: &str, rules: &Rules) -> bool {
    !text.is_ascii() && !native_dates(&crate::script::ascii_digits(text), rules).is_empty()
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

pub(super) fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
}

pub(super) fn month(name: &str) -> Option<u32> {
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
