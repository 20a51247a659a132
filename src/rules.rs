//! The tunable rules of cleaning and extraction: junk phrases, zone weights,
//! thresholds, place cues and money cues. They are data, read from the
//! taxonomy file's `[cleaning]` and `[extraction]` tables (see the comments in
//! `data/taxonomy.toml`), so that they can be tuned without recompiling; a user
//! file may give only the keys it changes, the others keep their builtin values.
//!
//! Phrase lists are regular-expression fragments, matched case-insensitively;
//! each list is compiled once, on first use, into one alternation.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

/// The `[cleaning]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cleaning {
    /// A line holding one of these (and at most `banner_max_words` words) is
    /// a cookie or consent banner.
    pub banner: Vec<String>,
    pub banner_max_words: usize,
    /// Settings text that follows a banner ("Privacy Settings", service names).
    pub consent: Vec<String>,
    /// A line starting with one of these teases another story ("Also read").
    pub teasers: Vec<String>,
    /// A line that is exactly one of these is a page widget ("Comments (3)").
    pub widgets: Vec<String>,
    /// A line of at most `short_phrase_max_words` words holding one of these
    /// is page furniture ("Your email address will not be published").
    pub short_phrases: Vec<String>,
    pub short_phrase_max_words: usize,
    /// A line ending in a parenthesis holding one of these is a caption.
    pub captions: Vec<String>,
    /// Words of site menus: a capitalised line of at least `nav_min_words`
    /// words, at least `nav_min_share` of them menu words, is navigation.
    pub nav_words: Vec<String>,
    pub nav_min_words: usize,
    pub nav_min_share: f32,
    /// Words of share bars ("Share this article: Facebook | X").
    pub social_words: Vec<String>,
    /// Names of social networks: a share bar names at least one.
    pub social_networks: Vec<String>,
    /// A byline ("By Staff Reporter | Updated ...") has at most this many words.
    pub byline_max_words: usize,
}

/// Weights of a mention by where it stands.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneWeights {
    pub title: f32,
    pub opening: f32,
    pub heading: f32,
    pub body: f32,
    pub meta: f32,
    /// Factor for a mention that is one short item of a list of examples.
    pub list: f32,
}

/// The `[extraction]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extraction {
    pub state_zones: ZoneWeights,
    /// Added to a state named in the dateline ("Bengaluru:").
    pub dateline_bonus: f32,
    /// Factor for places that mostly stand for something else (New Delhi).
    pub weak_place: f32,
    /// Text right before a state's name (then at most "the") or right
    /// after it that makes the mention a passing one, counted `weak_place`
    /// times: an office's seat ("consul general of Japan, Chennai", "a
    /// Pune-based firm") or a comparison ("larger than Gujarat").
    #[serde(default)]
    pub passing_place_cues_before: Vec<String>,
    #[serde(default)]
    pub passing_place_cues_after: Vec<String>,
    /// Points a state needs, and the share of the leading state's points.
    pub state_min_score: f32,
    pub state_min_share: f32,
    pub sector_zones: ZoneWeights,
    /// Points a sector needs; one term counts at most `term_cap` times its weight.
    pub sector_min_score: f32,
    /// When no sector has `sector_min_score`, one with this many points and
    /// `sector_lead_ratio` times the next sector's ...
    pub sector_lead_min_score: f32,
    pub sector_lead_ratio: f32,
    /// ... and that many mentions: one passing mention is never a subject.
    pub sector_lead_min_mentions: u32,
    pub term_cap: f32,
    /// Factor for a sector term that is the subject of an agreement or a
    /// meeting: it follows one of `subject_cues` in the same clause.
    pub subject_factor: f32,
    pub subject_cues: Vec<String>,
    /// Words right after a sector term that make it the subject too: the
    /// term names the sector itself ("the defence sector", "EV industry").
    #[serde(default)]
    pub subject_cues_after: Vec<String>,
    /// Words right after a name that make it a Japanese place ("Prefecture").
    pub japan_cues_after: Vec<String>,
    /// Text right after a capitalised word that makes a misspelt prefecture
    /// name ("Shizouka Prefecture", "Ishiwaka, Japan") that prefecture:
    /// plain text, any case (the strongest of `japan_cues_after`).
    #[serde(default)]
    pub misspelt_prefecture_cues: Vec<String>,
    /// Words right before a name that make it a place ("in", "visited").
    pub place_cues_before: Vec<String>,
    /// Titles before a person's name ("Governor Kotaro Nagasaki"): a place
    /// name after one (and up to two more capitalised words) is a surname.
    pub person_titles: Vec<String>,
    /// How many lines from the top may hold the publication date.
    pub date_top_lines: usize,
    /// Words that introduce the publication date ("Published", "Posted
    /// on"): a date right after one, among the top lines, is the article's
    /// even when another date (the page's own, a scrape stamp) comes first.
    #[serde(default)]
    pub published_cues: Vec<String>,
    /// Words near a money figure that make it an investment (invested,
    /// committed, lent, outlay, MoU worth, loan).
    pub investment_cues: Vec<String>,
    /// Words near a money figure that make it something else (trade, revenue).
    pub other_money_cues: Vec<String>,
    /// How many bytes before and after a figure the cues are looked for in.
    pub money_window: usize,
    /// Month names in other languages and scripts ("अगस्त", "ஆகஸ்ட்"),
    /// with their month's number: dates such as "23 अगस्त 2025" or
    /// "ஆகஸ்ட் 23, 2025" are read with them. (Japanese dates, 2025年8月23日,
    /// are numbers and need no names.)
    #[serde(default)]
    pub month_names: std::collections::BTreeMap<String, u32>,
}

/// Compiled rules: the tables and their regular expressions.
#[derive(Debug)]
pub struct Rules {
    pub cleaning: Cleaning,
    pub extraction: Extraction,
    compiled: OnceLock<Compiled>,
}

impl Clone for Rules {
    fn clone(&self) -> Rules {
        Rules {
            cleaning: self.cleaning.clone(),
            extraction: self.extraction.clone(),
            compiled: OnceLock::new(),
        }
    }
}

/// The phrase lists compiled into regular expressions.
#[derive(Debug)]
pub struct Compiled {
    pub banner: Regex,
    pub consent: Regex,
    pub teaser: Regex,
    pub widget: Regex,
    pub short_phrase: Regex,
    pub caption: Regex,
    pub subject: Regex,
    pub subject_after: Regex,
    pub japan_after: Regex,
    /// `misspelt_prefecture_cues`, found anywhere in a line.
    pub misspelt_prefecture: aho_corasick::AhoCorasick,
    pub place_before: Regex,
    /// `passing_place_cues_before`, ending where the name starts.
    pub passing_before: Regex,
    /// `passing_place_cues_after`, starting where the name ends.
    pub passing_after: Regex,
    pub person_before: Regex,
    pub investment: Regex,
    pub other_money: Regex,
    /// A publication cue and the separator after it ("Published: ").
    pub published: Regex,
    /// "23 अगस्त 2025": day, month name, year (digits already ASCII).
    pub native_day_month: Regex,
    /// "ஆகஸ்ட் 23, 2025": month name, day, year.
    pub native_month_day: Regex,
}

impl Rules {
    /// Rules from the two tables. With `compile_now` the phrase lists are
    /// compiled at once, so that a mistake in a user file is reported when it
    /// is loaded (the builtin rules are checked by the tests and compiled on
    /// first use: a search never needs them).
    pub fn new(
        cleaning: Cleaning,
        extraction: Extraction,
        compile_now: bool,
    ) -> Result<Rules, String> {
        let rules = Rules {
            cleaning,
            extraction,
            compiled: OnceLock::new(),
        };
        if compile_now {
            let compiled = rules.compile()?;
            let _ = rules.compiled.set(compiled);
        }
        Ok(rules)
    }

    /// The compiled phrase lists.
    pub fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            self.compile()
                .expect("the rules were compiled when they were loaded")
        })
    }

    fn compile(&self) -> Result<Compiled, String> {
        let c = &self.cleaning;
        let x = &self.extraction;
        Ok(Compiled {
            banner: any_of("cleaning.banner", &c.banner, "", "")?,
            // Settings text names cookies inside identifiers ("wordpress_test_cookie").
            consent: any_of_bounded("cleaning.consent", &c.consent, "", "", false)?,
            teaser: any_of(
                "cleaning.teasers",
                &c.teasers,
                "^",
                r"(?-u:\b)\s*[:\-–—.|]*",
            )?,
            widget: any_of("cleaning.widgets", &c.widgets, r"^(?:\d+\s+)*", "$")?,
            short_phrase: any_of("cleaning.short_phrases", &c.short_phrases, "", "")?,
            caption: any_of(
                "cleaning.captions",
                &c.captions,
                r"\((?:",
                r")(?:\s*:[^)]*)?\)\s*$",
            )?,
            subject: any_of(
                "extraction.subject_cues",
                &x.subject_cues,
                "",
                // A word: no space, no punctuation that ends a clause (a
                // negated class: Unicode's `\w` costs ~1 ms to compile).
                r#"\s+(?:(?:the|a|an|its|their)\s+)?(?:[^\s,;:.()'"!?]+\s+){0,2}$"#,
            )?,
            subject_after: any_of(
                "extraction.subject_cues_after",
                &x.subject_cues_after,
                "^",
                "",
            )?,
            japan_after: any_of("extraction.japan_cues_after", &x.japan_cues_after, "^", "")?,
            misspelt_prefecture: aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(x.misspelt_prefecture_cues.iter().filter(|c| !c.is_empty()))
                .map_err(|e| format!("extraction.misspelt_prefecture_cues: {e}"))?,
            place_before: any_of(
                "extraction.place_cues_before",
                &x.place_cues_before,
                "",
                r"\s+(?:the\s+)?$",
            )?,
            passing_before: any_of(
                "extraction.passing_place_cues_before",
                &x.passing_place_cues_before,
                "",
                r"\s+(?:the\s+)?$",
            )?,
            passing_after: any_of(
                "extraction.passing_place_cues_after",
                &x.passing_place_cues_after,
                "^",
                "",
            )?,
            person_before: any_of(
                "extraction.person_titles",
                &x.person_titles,
                "",
                r#"\.?\s+(?:\p{Lu}[^\s,;:()"!?]*\s+){0,2}$"#,
            )?,
            investment: any_of("extraction.investment_cues", &x.investment_cues, "", "")?,
            other_money: any_of("extraction.other_money_cues", &x.other_money_cues, "", "")?,
            published: any_of(
                "extraction.published_cues",
                &x.published_cues,
                "",
                r"\s*(?:on|at)?\s*[:\-–—]?\s*",
            )?,
            native_day_month: native_date(&x.month_names, true)?,
            native_month_day: native_date(&x.month_names, false)?,
        })
    }
}

/// The date pattern of `month_names` (matched as written, longest first):
/// day, month, year or month, day, year, each captured as `day`, `month`
/// and `year`.
fn native_date(
    month_names: &std::collections::BTreeMap<String, u32>,
    day_first: bool,
) -> Result<Regex, String> {
    for (name, month) in month_names {
        if !(1..=12).contains(month) || name.trim().is_empty() {
            return Err(format!(
                "extraction.month_names: {name:?} = {month}: months are 1 to 12 and names not empty"
            ));
        }
    }
    if month_names.is_empty() {
        return Regex::new(r"[^\s\S]").map_err(|e| e.to_string());
    }
    let mut names: Vec<&str> = month_names.keys().map(|k| k.trim()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let months = names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    let pattern = if day_first {
        format!(
            r"(?-u:\b)(?P<day>\d{{1,2}})\s*(?P<month>{months})\s*,?\s*(?P<year>\d{{4}})(?-u:\b)"
        )
    } else {
        format!(r"(?P<month>{months})\s+(?P<day>\d{{1,2}})\s*,\s*(?P<year>\d{{4}})(?-u:\b)")
    };
    Regex::new(&pattern).map_err(|e| format!("extraction.month_names: {e}"))
}

/// One case-insensitive regex matching any of `phrases` (each a regex
/// fragment on word boundaries), between `before` and `after`.
fn any_of(key: &str, phrases: &[String], before: &str, after: &str) -> Result<Regex, String> {
    any_of_bounded(key, phrases, before, after, true)
}

/// [`any_of`]; `bounded` puts word boundaries around word-edged fragments.
fn any_of_bounded(
    key: &str,
    phrases: &[String],
    before: &str,
    after: &str,
    bounded: bool,
) -> Result<Regex, String> {
    let mut alternatives = Vec::new();
    for phrase in phrases {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            continue;
        }
        // Each fragment parsed alone, so that the error names it and no
        // fragment closes the group it is put in ("a)|(b"). Parsing is cheap;
        // compiling each fragment as well cost ~7 ms of CPU per process.
        regex_syntax::Parser::new()
            .parse(phrase)
            .map_err(|e| format!("{key}: {phrase:?} is not a valid pattern: {e}"))?;
        let starts_word = bounded && phrase.starts_with(|c: char| c.is_ascii_alphanumeric());
        let ends_word = bounded
            && (phrase.ends_with(|c: char| c.is_ascii_alphanumeric()) || phrase.ends_with("s?"));
        alternatives.push(format!(
            "{}(?:{phrase}){}",
            if starts_word { r"(?-u:\b)" } else { "" },
            if ends_word { r"(?-u:\b)" } else { "" }
        ));
    }
    if alternatives.is_empty() {
        // Matches nothing.
        return Regex::new(r"[^\s\S]").map_err(|e| e.to_string());
    }
    let pattern = format!("(?i){before}(?:{}){after}", alternatives.join("|"));
    Regex::new(&pattern).map_err(|e| format!("{key}: {e}"))
}

/// Overlays `user` on `base`: tables merge key by key, other values replace.
pub fn overlay(base: &mut serde_json::Value, user: serde_json::Value) {
    match (base, user) {
        (serde_json::Value::Object(base), serde_json::Value::Object(user)) => {
            for (key, value) in user {
                match base.get_mut(&key) {
                    Some(slot) => overlay(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}
