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
mod date;
mod lists;
mod orgs;
mod places;
mod sectors;
mod states;

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use crate::article::{Amount, Metadata};
use crate::taxonomy::Taxonomy;

use date::{find_date, has_any_date, has_full_date};
use lists::LineLists;
use orgs::find_orgs;
use places::{find_prefectures, place_mentions};
use sectors::find_sectors;
use states::find_states;

/// Bumped whenever a rule in code changes what extraction or cleaning
/// decides: the index records it, and a different version re-extracts every
/// article on the next `newsidx index`, as a changed taxonomy file does.
pub const EXTRACTOR_VERSION: u32 = 6;

/// What extraction reads about one article.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    /// The title the format gave (`<title>`, JSON `title`), if any.
    pub title: Option<&'a str>,
    /// The cleaned body ([`crate::clean::Cleaned::text`]).
    pub body: &'a str,
    /// Bylines and date lines cleaning took out of the text: they may still
    /// carry the publication date.
    pub meta_lines: &'a [&'a str],
}

/// Why each value was chosen, for `newsidx show --explain`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    pub title: String,
    pub date: Vec<String>,
    pub states: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub prefectures: Vec<Choice>,
    pub amount: Vec<String>,
    /// How the language was decided.
    pub lang: String,
}

/// A candidate value: its points, whether it was chosen, and the mentions
/// (with their zones and points) or the reasons behind it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Choice {
    pub value: String,
    pub score: f32,
    pub chosen: bool,
    pub evidence: Vec<String>,
}

/// The values (named by index) whose score is `chosen`, sorted, and for
/// `--explain` a [`Choice`] per value with evidence: states and sectors are
/// decided alike.
fn choose<'a>(
    count: usize,
    name: impl Fn(usize) -> &'a str,
    scores: &[f32],
    evidence: Vec<Vec<String>>,
    chosen: impl Fn(f32) -> bool,
) -> (Vec<String>, Vec<Choice>) {
    let count = count.min(scores.len());
    let mut out: Vec<String> = (0..count)
        .filter(|&i| chosen(scores[i]))
        .map(|i| name(i).to_string())
        .collect();
    out.sort();
    out.dedup();
    let choices = evidence
        .into_iter()
        .enumerate()
        .filter(|(i, e)| *i < count && !e.is_empty())
        .map(|(i, e)| Choice {
            value: name(i).to_string(),
            score: scores[i],
            chosen: chosen(scores[i]),
            evidence: e,
        })
        .collect();
    (out, choices)
}

impl Choice {
    fn new(value: &str) -> Choice {
        Choice {
            value: value.to_string(),
            ..Choice::default()
        }
    }

    /// One mention, as evidence: the words, their zone and their points.
    fn mention(matched: &str, line: &Line<'_>, points: f32) -> String {
        format!("{matched:?} in the {} {points:+.2}", line.zone.name())
    }

    /// A mention that does not count, and why.
    fn note(matched: &str, line: &Line<'_>, reason: &str) -> Choice {
        Choice {
            value: matched.to_string(),
            score: 0.0,
            chosen: false,
            evidence: vec![format!("{matched:?} in the {}: {reason}", line.zone.name())],
        }
    }
}

/// Builds everything cleaning and extraction compile on first use, for a run
/// over named paths: the taxonomy's rules and gazetteer automata (with `few`
/// articles to read, of the kind that builds fastest) and the fixed
/// patterns. About 30 ms on this machine, which such a run otherwise spends
/// after opening the index; called on another core meanwhile, it overlaps
/// with it.
pub fn warm(taxonomy: &Taxonomy, few: bool) {
    // Two halves of about equal cost (the gazetteer's automata and the
    // fixed patterns; the taxonomy's rules), one per core.
    std::thread::scope(|s| {
        s.spawn(|| {
            if few {
                taxonomy.gazetteer_for_a_few();
            } else {
                taxonomy.gazetteer();
            }
            LazyLock::force(&LIST_ITEM);
            date::warm();
            amount::warm();
            crate::clean::warm();
        });
        taxonomy.rules().compiled();
    });
}

/// How many bytes of an article's text extraction reads (whole lines; the
/// organisations named are looked for in all of it). Every byte is still
/// indexed and searchable.
pub const READ_MAX: usize = 1 << 20;

/// The whole lines of `text` within its first `max` bytes (the first line
/// cut at a character boundary when it alone is longer).
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let cut = floor_char_boundary(text, max);
    match text[..cut].rfind('\n') {
        Some(i) if i > 0 => &text[..i],
        _ => &text[..cut],
    }
}

/// Extracts metadata from `body` (the output of [`crate::clean::clean`]);
/// `title` is the title the format gave, if any.
pub fn extract(title: Option<&str>, body: &str, taxonomy: &Taxonomy, today: NaiveDate) -> Metadata {
    let input = Input {
        title,
        body,
        meta_lines: &[],
    };
    extract_with(&input, taxonomy, today, None)
}

/// Extracts metadata; with `explain`, records why each value was chosen.
pub fn extract_with(
    input: &Input<'_>,
    taxonomy: &Taxonomy,
    today: NaiveDate,
    explain: Option<&mut Explanation>,
) -> Metadata {
    // States, sectors, places, dates and money are read from the first
    // `READ_MAX` bytes: a news story is a few kilobytes, and a 10 MB dump
    // would otherwise cost a hundred megabytes of mentions and list items.
    let body = head(input.body, READ_MAX);
    let doc = Document::new(input.title, body, input.meta_lines, taxonomy.rules());
    let explaining = explain.is_some();
    // Shared by states and prefectures, and by states and sectors.
    let mentions = place_mentions(&doc, taxonomy);
    let lists = LineLists::new(&doc);
    let mut date_notes = Vec::new();
    let date = find_date(
        &doc,
        today,
        taxonomy.rules(),
        explaining.then_some(&mut date_notes),
    );
    let (states, state_choices) = find_states(&doc, &mentions, &lists, taxonomy, explaining);
    let (sectors, sector_choices) = find_sectors(&doc, &lists, taxonomy, explaining);
    let (prefectures, prefecture_choices) = find_prefectures(&doc, &mentions, taxonomy, explaining);
    let mut amount_notes = Vec::new();
    let amount = amount::investment(
        body,
        taxonomy.rules(),
        explaining.then_some(&mut amount_notes),
    );
    let title = doc.title();
    let lang = crate::lang::detect(body)
        .or_else(|| input.title.and_then(crate::lang::detect))
        .map(str::to_string);
    if let Some(e) = explain {
        *e = Explanation {
            title: doc.title_reason(),
            date: date_notes,
            states: state_choices,
            sectors: sector_choices,
            prefectures: prefecture_choices,
            amount: amount_notes,
            lang: match &lang {
                Some(code) => format!(
                    "{code} ({}): the main language of the text",
                    crate::lang::name(code).unwrap_or(code)
                ),
                None => "none: no letters to tell".into(),
            },
        };
    }
    Metadata {
        title,
        date,
        states,
        sectors,
        prefectures,
        orgs: find_orgs(input.title, input.body, taxonomy),
        amount: amount.map(|a| Amount {
            rupees: a.rupees.round() as u64,
            written: a.written,
            currency: a.currency.to_string(),
        }),
        lang,
    }
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

impl Zone {
    fn name(self) -> &'static str {
        match self {
            Zone::Title => "headline",
            Zone::Opening => "opening",
            Zone::Heading => "list item or heading",
            Zone::Body => "body",
            Zone::Meta => "byline or date line",
        }
    }

    /// This zone's weight in `weights`.
    fn weight(self, weights: &crate::rules::ZoneWeights) -> f32 {
        match self {
            Zone::Title => weights.title,
            Zone::Opening => weights.opening,
            Zone::Heading => weights.heading,
            Zone::Body => weights.body,
            Zone::Meta => weights.meta,
        }
    }
}

struct Line<'a> {
    text: &'a str,
    zone: Zone,
}

struct Document<'a> {
    given_title: Option<&'a str>,
    /// Bylines and date lines cleaning removed (see [`Input::meta_lines`]).
    meta: &'a [&'a str],
    /// Which body line (of the non-empty ones) is the headline: the first,
    /// or the first past a masthead (see [`headline_index`]).
    headline: Option<usize>,
    lines: Vec<Line<'a>>,
}

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([-•*·–]|\(?\d{1,2}[.)]|\([a-z]\))\s*").expect("static regex"));

impl<'a> Document<'a> {
    fn new(
        given_title: Option<&'a str>,
        body: &'a str,
        meta: &'a [&'a str],
        rules: &crate::rules::Rules,
    ) -> Document<'a> {
        let mut texts: Vec<&'a str> = Vec::new();
        for raw in body.lines() {
            let text = raw.trim();
            if !text.is_empty() {
                texts.push(text);
            }
        }
        let given_title = given_title.map(str::trim).filter(|t| !t.is_empty());
        let headline = headline_index(&texts, rules);
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
            let words = crate::script::word_count(text);
            let zone = if Some(i) == headline {
                Zone::Title
            } else if headline.is_some_and(|h| i < h) {
                // A masthead or a date line above the headline.
                Zone::Meta
            } else if is_date_line(text, words, rules) {
                Zone::Meta
            } else if words >= 12 && prose_seen < 1 {
                prose_seen += 1;
                Zone::Opening
            } else if LIST_ITEM.is_match(text) || (words <= 14 && is_headline(text, rules)) {
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
            given_title,
            meta,
            headline,
            lines,
        }
    }

    /// Where [`Document::title`] comes from, for `--explain`.
    fn title_reason(&self) -> String {
        let headline = self.headline.is_some()
            && self
                .lines
                .iter()
                .any(|l| l.zone == Zone::Title && Some(l.text) != self.given_title);
        if headline && self.headline != Some(0) {
            "the first line under the masthead reads as a headline".into()
        } else if headline {
            "the first line reads as a headline".into()
        } else if self.given_title.is_some() {
            "the title the file gives".into()
        } else {
            "no headline: the first sentence".into()
        }
    }

    /// The headline; else the format's title; else the first sentence, cut.
    fn title(&self) -> String {
        if self.headline.is_some() {
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
        // A date line or byline is never a title.
        let first = self
            .lines
            .iter()
            .find(|l| l.zone != Zone::Meta)
            .map_or("", |l| l.text);
        let sentence = [". ", "। ", "。"]
            .iter()
            .filter_map(|end| first.find(end).map(|i| i + end.trim_end().len()))
            .min()
            .and_then(|i| first.get(..i))
            .unwrap_or(first)
            .trim_end_matches(['.', '।', '。']);
        // 100 bytes of English; as many letters of a script of three-byte
        // letters (Devanagari, kanji).
        let wide = sentence
            .chars()
            .take(100)
            .filter(|c| crate::script::is_uncased_letter(*c) || crate::script::is_mark(*c))
            .count();
        cut_at_word(sentence, 100 + 2 * wide)
    }
}

/// Which of the top lines is the headline: the first when it reads as one,
/// unless it is a masthead ("MY KOLKATA EDUGRAPH", "BUSINESS | NATION": a
/// few words in capitals) with a headline below it, past date lines.
fn headline_index(texts: &[&str], rules: &crate::rules::Rules) -> Option<usize> {
    let first = texts.first()?;
    let first_reads = is_headline(first, rules);
    if !is_masthead(first) {
        return first_reads.then_some(0);
    }
    for (i, text) in texts.iter().enumerate().skip(1).take(3) {
        if is_headline(text, rules) && !is_masthead(text) {
            return Some(i);
        }
        let words = crate::script::word_count(text);
        if !is_date_line(text, words, rules) && !is_masthead(text) {
            break;
        }
    }
    first_reads.then_some(0)
}

/// A byline or date line of `words` words ("Desk Team | Monday, 6 May
/// 2024", "Tuesday, Nov 15"): names in it are the publisher's.
fn is_date_line(text: &str, words: usize, rules: &crate::rules::Rules) -> bool {
    words <= 12
        && (text.contains('|')
            || has_full_date(text, rules)
            || (words <= 8 && has_any_date(text, rules)))
}

/// A masthead or section label: at most four words, in capitals.
fn is_masthead(line: &str) -> bool {
    crate::script::word_count(line) <= 4
        && line.chars().any(char::is_uppercase)
        && !line.chars().any(char::is_lowercase)
}

/// A headline: a few words, starting with a capital (or a letter of a
/// script without capitals), with no final period.
fn is_headline(line: &str, rules: &crate::rules::Rules) -> bool {
    let words = crate::script::word_count(line);
    let first_upper = line
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || crate::script::is_uncased_letter(c));
    // "Tuesday, Nov 15, 2022" and "Tuesday, 15 November" are date lines,
    // not headlines.
    let date_line = words <= 8 && has_any_date(line, rules);
    (3..=40).contains(&words)
        && !date_line
        && line.len() <= 300
        && first_upper
        && !line.ends_with(['.', ':', ';', ',', '।', '。', '、'])
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

pub(super) use crate::script::is_word_char;

/// Whether `text[start..end]` is a whole word (or words) of `text`, by the
/// rules of its script ([`crate::script::stands_alone`]; a term of Japanese
/// needs no space around it).
pub(super) fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    crate::script::stands_alone(text, start, end, false)
}

/// Up to `n` bytes of `text` right before `start` (whole characters): where
/// the cues before a mention are looked for.
pub(super) fn text_before(text: &str, start: usize, n: usize) -> &str {
    text.get(floor_char_boundary(text, start.saturating_sub(n))..start)
        .unwrap_or("")
}

/// Up to `n` bytes of `text` right after `end` (whole characters).
pub(super) fn text_after(text: &str, end: usize, n: usize) -> &str {
    text.get(end..floor_char_boundary(text, end.saturating_add(n)))
        .unwrap_or("")
}

/// The largest char boundary of `text` at or before `i`.
pub(super) fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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
    fn reads_japanese_dates_and_month_names_of_other_languages() {
        let cases = [
            (
                "愛知県の企業が工場\n2025年8月23日\n本文。\n",
                date(2025, 8, 23),
            ),
            (
                "平成 26 年 11 月 28 日\n覚書に署名しました\n",
                date(2014, 11, 28),
            ),
            ("令和元年5月7日\n本文\n", date(2019, 5, 7)),
            ("令和7年２月３日\n本文\n", date(2025, 2, 3)),
            ("लखनऊ, 23 अगस्त 2025: मुख्यमंत्री ने कहा।\n", date(2025, 8, 23)),
            ("प्रकाशित: २३ अगस्त, २०२५\nसमाचार\n", date(2025, 8, 23)),
            ("चेन्नई, 6 सप्टेंबर 2018 : पर्यटन\n", date(2018, 9, 6)),
            ("சென்னை, ஆகஸ்ட் 23, 2025: தமிழ்நாடு அரசு\n", date(2025, 8, 23)),
            ("23 ஆகஸ்ட் 2025\nசெய்தி\n", date(2025, 8, 23)),
        ];
        for (body, want) in cases {
            assert_eq!(run(body).date, want, "{body}");
        }
        // An impossible day or a date after today is no date.
        assert_eq!(run("2025年2月30日\n本文\n").date, None);
        assert_eq!(run("2030年1月1日\n本文\n").date, None);
    }

    #[test]
    fn states_prefectures_and_sectors_in_other_scripts() {
        let hi = run("उत्तर प्रदेश में जापानी कंपनियां सेमीकंडक्टर संयंत्र लगाएंगी\n\
            लखनऊ: उत्तर प्रदेश के मुख्यमंत्री ने टोक्यो में जापानी कंपनियों के साथ सेमीकंडक्टर उद्योग में निवेश पर बात की।\n");
        assert_eq!(hi.states, ["Uttar Pradesh"]);
        assert_eq!(hi.prefectures, ["Tokyo"]);
        assert_eq!(hi.sectors, ["semiconductors"]);
        assert_eq!(hi.lang.as_deref(), Some("hi"));
        assert_eq!(hi.title, "उत्तर प्रदेश में जापानी कंपनियां सेमीकंडक्टर संयंत्र लगाएंगी");
        // Tamil names with case endings (தமிழ்நாட்டில், in Tamil Nadu).
        let ta = run("தமிழ்நாட்டில் செமிகண்டக்டர் ஆலை\n\
            சென்னை: தமிழ்நாட்டில் ஜப்பானிய நிறுவனம் செமிகண்டக்டர் ஆலை அமைக்க ஒப்பந்தம் செய்தது என்று அமைச்சர் தெரிவித்தார்.\n");
        assert_eq!(ta.states, ["Tamil Nadu"]);
        assert_eq!(ta.sectors, ["semiconductors"]);
        let ja = run("愛知県の部品大手、タミル・ナードゥ州に半導体工場\n\
            愛知県に本社を置く自動車部品大手は、インド南部タミル・ナードゥ州チェンナイ近郊に半導体の工場を建設すると発表した。\n");
        assert_eq!(ja.states, ["Tamil Nadu"]);
        assert_eq!(ja.prefectures, ["Aichi"]);
        assert!(ja.sectors.contains(&"semiconductors".to_string()));
        assert_eq!(ja.lang.as_deref(), Some("ja"));
        // A Katakana name is its whole run: インドネシア is not インド, and
        // 京都 inside 東京都 is Tokyo's.
        let m = run("東京都とインドネシアの企業が協力する。\n");
        assert_eq!(m.prefectures, ["Tokyo"]);
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
    fn a_dateline_alone_does_not_add_a_state() {
        let punjab = "Chandigarh, Nov 14 (PTI) Punjab Chief Minister met a Japanese delegation on Monday and invited investment in food units across Punjab.\n\
            The Punjab government offered land near Ludhiana.\n";
        assert_eq!(run(punjab).states, vec!["Punjab"]);
        // A state named twice in passing does not take the story from the
        // dateline's state.
        let assam = "Guwahati, Jan 5 (PTI) The state cabinet on Monday approved a semiconductor policy modelled on the one of Tamil Nadu, officials said.\n\
            Officials who drafted it had visited Tamil Nadu twice last year.\n";
        assert_eq!(run(assam).states, vec!["Assam", "Tamil Nadu"]);
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
    fn a_state_named_in_passing_is_not_a_subject() {
        // An office's seat and the other side of a comparison, twice each:
        // enough points for a state named plainly.
        let story = |kerala: &str, goa: &str| {
            format!(
                "Japanese firms eye Karnataka
                 Karnataka drew 40 Japanese companies this year, said the consul general of Japan, {kerala}.
                 Officials in Bengaluru said approvals now take a week in Karnataka.
                 Investments in {goa} were much larger than Karnataka's, he added, and the {kerala}-based office will help.
                 A {goa}-based trading house also signed up.
"
            )
        };
        assert_eq!(run(&story("Kochi", "Goa")).states, vec!["Karnataka"]);
        // "more than 30" is no comparison with a place.
        let counted = "Japanese firms eye Karnataka\n\
            More than 30 firms came to Goa after the port opened, and Goa expects more than 30 others.\n";
        assert!(run(counted).states.contains(&"Goa".to_string()));
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
    fn a_clear_lead_is_the_subject_when_no_sector_has_enough() {
        // Three modest mentions of manufacturing and nothing else: below
        // `sector_min_score`, but far ahead of every other sector.
        let visit = |extra: &str| {
            format!(
                "Kerala courts investors in Tokyo
                 The chief minister met chief executives of twelve companies on Monday.
                 He invited them to set up manufacturing sites near Kochi, where land is ready.
                 One company said it would study a manufacturing plant there.{extra}
"
            )
        };
        assert_eq!(run(&visit("")).sectors, vec!["manufacturing-industrial"]);
        // A second sector as strong: no clear lead, no sector.
        let two = visit(" It also runs solar farms and hotels and plans a wind park.");
        assert!(run(&two).sectors.is_empty(), "{:?}", run(&two).sectors);
    }

    #[test]
    fn the_items_of_a_list_an_agreement_is_about_are_its_subjects() {
        // The same list of four sectors: the areas an MoU covers, or examples
        // of what a state is known for.
        let story = |sentence: &str| {
            format!(
                "Kerala and a Japanese prefecture renew ties
                 A delegation from Japan visited Thiruvananthapuram on Monday.
                 {sentence}
                 Officials said a working group would meet every quarter.
"
            )
        };
        let list = "textiles, furniture, food processing and tourism";
        let mou = run(&story(&format!("The two sides signed an MoU on {list}.")));
        assert!(
            mou.sectors.contains(&"tourism-culture".to_string()),
            "{:?}",
            mou.sectors
        );
        assert!(
            mou.sectors.contains(&"agriculture-food".to_string()),
            "{:?}",
            mou.sectors
        );
        let known = run(&story(&format!("The state is known for {list}.")));
        assert!(known.sectors.is_empty(), "{:?}", known.sectors);
        // A cooperation cue introduces a list too.
        let cooperation = run(&story(&format!(
            "They agreed to deepen cooperation in {list}."
        )));
        assert!(
            cooperation.sectors.contains(&"tourism-culture".to_string()),
            "{:?}",
            cooperation.sectors
        );
    }

    #[test]
    fn a_term_naming_its_sector_is_the_subject() {
        // Named once in the body, "defence" alone is too little; "the
        // defence sector" names the sector the plant will serve.
        let body = |term: &str| {
            format!(
                "Odisha signs pact with Kyoto steel maker
                 The company will build a plant near Cuttack to make steel plates.
                 Officials said the plates would be used in {term}, and that hiring starts in May.
"
            )
        };
        assert!(!run(&body("defence"))
            .sectors
            .contains(&"defence-aerospace".to_string()));
        assert!(run(&body("the defence sector"))
            .sectors
            .contains(&"defence-aerospace".to_string()));
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
        // A date line is never the title, with or without its year.
        for dateline in ["Tuesday, Nov 15, 2022", "Tuesday, 15 November"] {
            let m = run(&format!(
                "{dateline}\nLucknow: The state signed a pact with a Japanese firm on Tuesday.\n"
            ));
            assert_eq!(
                m.title, "Lucknow: The state signed a pact with a Japanese firm on Tuesday",
                "{dateline}"
            );
        }
        let long = format!("{} end.", "word ".repeat(60));
        let m = run(&long);
        assert!(m.title.len() <= 110, "{}", m.title);
    }

    #[test]
    fn a_masthead_is_not_the_headline_nor_a_place() {
        // A site's masthead in capitals, the page's date line, then the
        // story's own headline: the headline is the title, and the city in
        // the masthead says nothing of the story.
        let body = "THE MUMBAI LEDGER\nFriday, 3 October 2025\n\nKyoto firms eye Odisha ports\n\n\
                    Bhubaneswar: Three Kyoto shipping firms met Odisha officials on Thursday to \
                    discuss port investments along the coast, the state government said.\n";
        let m = run(body);
        assert_eq!(m.title, "Kyoto firms eye Odisha ports");
        assert_eq!(m.states, ["Odisha"]);
        // A headline in capitals with prose under it stays the headline.
        let m = run("KYOTO FIRMS EYE PORTS\nBhubaneswar: Three Kyoto shipping firms met Odisha officials on Thursday to discuss ports.\n");
        assert_eq!(m.title, "KYOTO FIRMS EYE PORTS");
    }

    #[test]
    fn a_publication_cue_beats_an_earlier_date() {
        // The page's date (when it was read) comes first; the story says
        // when it was published, in day.month.two-digit-year form too.
        let m = run("Monday, 9 February 2026\nKyoto firms eye Odisha ports\n\
                     R. Das Published 14.06.19, 10:30 AM\n\
                     Bhubaneswar: Three Kyoto shipping firms met Odisha officials.\n");
        assert_eq!(m.date, date(2019, 6, 14));
        let m = run("Monday, 9 February 2026\nKyoto firms eye Odisha ports\n\
                     Posted on: 2 March 2025\nBhubaneswar: Three Kyoto shipping firms met officials.\n");
        assert_eq!(m.date, date(2025, 3, 2));
        // Without a cue, the first date near the top; and two-digit years
        // are read only after one.
        let m = run("Monday, 9 February 2026\nKyoto firms eye Odisha ports\n\
                     Version 14.06.19 of the plan was discussed.\n");
        assert_eq!(m.date, date(2026, 2, 9));
        // A cue in the story's own sentences dates what it speaks of.
        let m = run("Monday, 9 February 2026\nKyoto firms eye Odisha ports\n\
                     Bhubaneswar: The port study, published on 3 March 2024 by the state, \
                     was the basis of the talks with three Kyoto shipping firms.\n");
        assert_eq!(m.date, date(2026, 2, 9));
    }

    #[test]
    fn extraction_reads_the_first_read_max_bytes() {
        // A dump far longer than any story: the head decides, and a state
        // named only past `READ_MAX` bytes is not read.
        let mut body = String::from(
            "Goa courts Japanese hoteliers\nPanaji: The Goa tourism minister met investors.\n",
        );
        while body.len() < READ_MAX {
            body.push_str("the hotel 12345 rooms\n");
        }
        body.push_str("Kerala Kerala Kerala signs with Kerala\n");
        let m = run(&body);
        assert_eq!(m.states, ["Goa"]);
        let cut = head(&body, READ_MAX).len();
        assert!(
            cut <= READ_MAX && body.as_bytes()[cut] == b'\n',
            "cut at a line end"
        );
        assert!(head("é".repeat(10).as_str(), 5).len() <= 5);
    }

    #[test]
    fn a_misspelt_prefecture_with_a_japanese_place_cue_is_that_prefecture() {
        let m = run("Assam signs with Japanese firms\nGuwahati: The state met a tea buyer from Kagoshmia, Japan, and a delegation from Shizouka Prefecture.\n");
        assert_eq!(m.prefectures, ["Kagoshima", "Shizuoka"]);
        // Without a cue, or when the word is a known place (Nagaon, Assam:
        // one letter off Nagano), nothing.
        let m = run("Assam signs with Japanese firms\nGuwahati: The state met a tea buyer from Kagoshmia and the Nagaon city council.\n");
        assert!(m.prefectures.is_empty(), "{:?}", m.prefectures);
        // Too far from any prefecture.
        let m = run("Assam signs with Japanese firms\nGuwahati: A buyer from Hanamura, Japan met the state.\n");
        assert!(m.prefectures.is_empty(), "{:?}", m.prefectures);
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
