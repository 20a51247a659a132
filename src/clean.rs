//! Junk removal: scraped pages carry cookie banners, "Also read" teasers,
//! navigation menus, comment widgets, share buttons and repeated lines around
//! the article. They pollute search results and mislead extraction (a teaser
//! names another state), so they go before anything else looks at the text.
//!
//! Works line by line on the readers' output (one paragraph per line). Each
//! rule removes only the lines it matches, and every removal is recorded with
//! its rule ([`Cleaned::dropped`]): no line goes that no rule matched. The
//! phrase lists are data ([`crate::rules::Cleaning`]); the structure of a page
//! (its `<nav>`, `class="related"` blocks, link-dense lists) is handled by the
//! HTML reader before this.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{Cleaning, Compiled, Rules};
use crate::taxonomy::Taxonomy;

/// Why a line was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A cookie or consent banner (`cleaning.banner`).
    Banner,
    /// Settings text right after a banner (`cleaning.consent`).
    Consent,
    /// A teaser of another story (`cleaning.teasers`).
    Teaser,
    /// A page widget (`cleaning.widgets`).
    Widget,
    /// A short line of furniture (`cleaning.short_phrases`).
    Furniture,
    /// A byline with a date or a separator ("By Staff Reporter | Updated ...").
    Byline,
    /// A photo caption (`cleaning.captions`).
    Caption,
    /// A site menu (`cleaning.nav_words`).
    Navigation,
    /// A row of share buttons (`cleaning.social_words`).
    ShareBar,
    /// A breadcrumb trail ("Home › News › Business").
    Breadcrumb,
    /// A lone word or a line without letters ("ADVERTISEMENT", "()").
    Label,
    /// A masthead repeated on the page ("LM NEWS 24" twice).
    SiteName,
    /// A repeat of an earlier line.
    Repeat,
}

impl Rule {
    /// The rule's name as `show --explain` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Banner => "cookie banner (cleaning.banner)",
            Rule::Consent => "consent settings after a banner (cleaning.consent)",
            Rule::Teaser => "teaser of another story (cleaning.teasers)",
            Rule::Widget => "page widget (cleaning.widgets)",
            Rule::Furniture => "short furniture line (cleaning.short_phrases)",
            Rule::Byline => "byline (cleaning.byline_max_words)",
            Rule::Caption => "photo caption (cleaning.captions)",
            Rule::Navigation => "site menu (cleaning.nav_words)",
            Rule::ShareBar => "share bar (cleaning.social_words)",
            Rule::Breadcrumb => "breadcrumb trail",
            Rule::Label => "lone label or symbols",
            Rule::SiteName => "repeated masthead",
            Rule::Repeat => "repeat of an earlier line",
        }
    }
}

/// One dropped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// Its position among the text's non-blank lines, from 0.
    pub index: usize,
    /// The line, trimmed.
    pub text: String,
    pub rule: Rule,
}

/// A cleaned text and what was taken out of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// One paragraph per line, each `\n`-terminated.
    pub text: String,
    /// The lines removed, in order, each with its rule.
    pub dropped: Vec<Dropped>,
}

impl Cleaned {
    /// Dropped bylines and date lines: not article text, but they may carry
    /// the publication date.
    pub fn meta_lines(&self) -> impl Iterator<Item = &str> {
        self.dropped
            .iter()
            .filter(|d| d.rule == Rule::Byline)
            .map(|d| d.text.as_str())
    }
}

static BUILTIN: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::builtin);

/// Removes page junk with the builtin rules; returns one paragraph per line,
/// each `\n`-terminated.
pub fn clean(text: &str) -> String {
    clean_with(text, BUILTIN.rules()).text
}

/// Removes page junk with `rules`, recording what went and why.
pub fn clean_with(text: &str, rules: &Rules) -> Cleaned {
    let c = &rules.cleaning;
    let re = rules.compiled();
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .filter(|l| !l.is_empty())
        .collect();
    // One key per line, computed once: the site-name count and the repeat
    // check both borrow it.
    let keys: Vec<String> = lines.iter().map(|l| dedup_key(l)).collect();
    let site_names = repeated_site_names(&lines, &keys);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Cleaned {
        text: String::with_capacity(text.len()),
        dropped: Vec::new(),
    };
    let menus = menu_runs(&lines);
    let mut after_banner = false;
    for (i, &line) in lines.iter().enumerate() {
        let key = keys[i].as_str();
        let rule = if menus.get(i).copied().unwrap_or(false) {
            Some(Rule::Navigation)
        } else if is_banner(line, c, re) {
            Some(Rule::Banner)
        } else if after_banner && is_consent_text(line, re) {
            Some(Rule::Consent)
        } else if let Some(rule) = junk_rule(line, c, re) {
            Some(rule)
        } else if site_names.contains(key) {
            Some(Rule::SiteName)
        } else if !seen.insert(key) {
            Some(Rule::Repeat)
        } else {
            None
        };
        after_banner = matches!(rule, Some(Rule::Banner | Rule::Consent));
        match rule {
            Some(rule) => out.dropped.push(Dropped {
                index: i,
                text: line.to_string(),
                rule,
            }),
            None => {
                out.text.push_str(line);
                out.text.push('\n');
            }
        }
    }
    out
}

/// Whitespace-collapsed lowercase, so that repeats differing in spacing match.
pub fn dedup_key(line: &str) -> String {
    if !line.is_ascii() {
        // Unicode lowercasing is context-sensitive (a final sigma): the
        // whole collapsed line is lowercased at once, as always.
        return line
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
    }
    // ASCII: one allocation, and lowercasing is per byte.
    let mut key = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key.make_ascii_lowercase();
    key
}

/// `char::is_whitespace` for an ASCII byte (which, unlike
/// `u8::is_ascii_whitespace`, includes the vertical tab).
fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ')
}

/// Short lines that repeat and look like a masthead ("LM NEWS 24" twice): all
/// their occurrences go, unlike a repeated headline, whose first one stays.
/// `keys` are the lines' [`dedup_key`]s.
fn repeated_site_names<'k>(lines: &[&str], keys: &'k [String]) -> HashSet<&'k str> {
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for key in keys {
        *counts.entry(key.as_str()).or_default() += 1;
    }
    lines
        .iter()
        .zip(keys)
        .filter(|(line, key)| {
            let words = line.split_whitespace().count();
            let mut letters = line.chars().filter(|c| c.is_alphabetic()).peekable();
            words <= 4
                && letters.peek().is_some()
                && letters.all(char::is_uppercase)
                && counts.get(key.as_str()).copied().unwrap_or(0) > 1
        })
        .map(|(_, key)| key.as_str())
        .collect()
}

/// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case.
fn contains_ignore_ascii_case(haystack: &str, needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Lines that belong to a menu rendered as text: a run of five or more
/// bulleted items of at most three words each ("• Home", "• About JICA").
fn menu_runs(lines: &[&str]) -> Vec<bool> {
    const MIN_RUN: usize = 5;
    let mut out = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end < lines.len() && is_menu_item(lines[end]) {
            end += 1;
        }
        if end - start >= MIN_RUN {
            out[start..end].iter_mut().for_each(|x| *x = true);
        }
        start = end.max(start + 1);
    }
    out
}

/// Whether `line` may be an item of a menu rendered as text: a bullet, then
/// one to three words ("• Home", "- About JICA").
pub fn is_menu_item(line: &str) -> bool {
    let rest = line.trim_start_matches(['•', '·', '▪', '◦', '*', '-', '–']);
    rest.len() < line.len() && (1..=3).contains(&rest.split_whitespace().count())
}

/// The rule that drops `line` wherever it stands (the banner rule and the
/// line rules of [`junk_rule`]); the other rules depend on the lines around
/// it ([`Rule::Consent`], [`Rule::Navigation`] for bulleted runs,
/// [`Rule::SiteName`], [`Rule::Repeat`]).
pub fn line_rule(line: &str, rules: &Rules) -> Option<Rule> {
    let (c, re) = (&rules.cleaning, rules.compiled());
    if is_banner(line, c, re) {
        Some(Rule::Banner)
    } else {
        junk_rule(line, c, re)
    }
}

/// Whether `line` reads as consent settings (it follows a banner).
pub fn is_consent(line: &str, rules: &Rules) -> bool {
    is_consent_text(line, rules.compiled())
}

/// The first line of a cookie or consent banner: short, and phrased as a
/// site speaking of its cookies. An article sentence that mentions cookies
/// is not one ("cookies are not the only thing people use online").
fn is_banner(line: &str, c: &Cleaning, re: &Compiled) -> bool {
    // Every builtin phrase holds "cookie" or a consent verb; the regex is
    // only asked about lines that may match.
    line.split_whitespace().count() <= c.banner_max_words && re.banner.is_match(line)
}

/// Text of a consent dialog below a banner: settings, service names,
/// accept/decline buttons.
fn is_consent_text(line: &str, re: &Compiled) -> bool {
    line.split_whitespace().count() <= 3 || re.consent.is_match(line)
}

/// A breadcrumb trail: three or more short segments joined by `›`, `»`, `>`
/// or `→` ("Home › News › Tamil Nadu › Business").
fn is_breadcrumb(line: &str) -> bool {
    const SEPARATORS: [char; 4] = ['›', '»', '>', '→'];
    if line.matches(SEPARATORS).nth(1).is_none() {
        return false;
    }
    line.split(SEPARATORS).all(|s| {
        let words = s.split_whitespace().count();
        (1..=4).contains(&words)
    })
}

/// Compiles cleaning's own pattern now (the taxonomy's are compiled by
/// [`crate::taxonomy::Taxonomy::rules`]).
pub fn warm() {
    LazyLock::force(&BYLINE);
}

/// A name's word is a capital and then anything but a space or the
/// punctuation that ends a name (not Unicode's `\w`, whose class repeated
/// eight times made this the costliest fixed pattern to compile: 4.5 ms).
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    let name = r#"[A-Z][^\s,|&:;()\[\]"“”!?]*"#;
    Regex::new(&format!(
        r"^(By|BY|Written by|Edited by|Reported by)\s+{name}(\s+{name}){{0,4}}(\s*(,|\||and|&)\s*{name}(\s+{name}){{0,4}})*$|^{name}(\s+{name}){{0,4}}\s+(Team|Bureau|Desk|Correspondent|Staff|Reporter|News Service)$"
    ))
    .expect("static regex")
});

/// A byline that carries more than a name: a separator or an update note
/// ("By Staff Reporter | Updated Nov 15, 2022").
fn is_dated_byline(line: &str, words: usize, c: &Cleaning) -> bool {
    words <= c.byline_max_words
        && ["By ", "BY ", "Written by ", "Reported by ", "Edited by "]
            .iter()
            .any(|p| line.starts_with(p))
        && (line.contains('|')
            || contains_ignore_ascii_case(line, b"updated")
            || contains_ignore_ascii_case(line, b"published"))
}

/// A site menu: enough capitalised words, no sentence punctuation, and most
/// of them menu words (a Title Case headline has a few menu words too).
fn is_navigation(line: &str, c: &Cleaning) -> bool {
    if line.contains(['.', ',', ';', '!', '?', '"', '“', '”', ':']) {
        return false;
    }
    let words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| !matches!(*w, "|" | "&" | "/" | "-" | "•" | "·"))
        .collect();
    if words.len() < c.nav_min_words {
        return false;
    }
    let capitalised = words.iter().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    });
    if !capitalised {
        return false;
    }
    let nav = words
        .iter()
        .filter(|w| lowercase_is_one_of(w, &c.nav_words))
        .count();
    nav >= 3 && nav as f32 >= c.nav_min_share * words.len() as f32
}

/// Whether `word.to_lowercase()` is one of `list` (lowercase words), without
/// allocating for ASCII words.
fn lowercase_is_one_of<S: AsRef<str>>(word: &str, list: &[S]) -> bool {
    if word.is_ascii() {
        list.iter().any(|l| l.as_ref().eq_ignore_ascii_case(word))
    } else {
        // Some non-ASCII letters lowercase to ASCII (the Kelvin sign to "k").
        let lower = word.to_lowercase();
        list.iter().any(|l| l.as_ref() == lower)
    }
}

/// The rule a line breaks on its own, if any: whether it is page furniture
/// rather than article text.
pub fn junk_rule(line: &str, c: &Cleaning, re: &Compiled) -> Option<Rule> {
    // Words (as split_whitespace counts them), letters and digits, in one pass.
    let (mut words, mut letters, mut digits) = (0usize, 0usize, 0usize);
    let mut in_word = false;
    if line.is_ascii() {
        for &b in line.as_bytes() {
            let space = is_ascii_white_space(b);
            words += usize::from(!space && !in_word);
            in_word = !space;
            letters += usize::from(b.is_ascii_alphabetic());
            digits += usize::from(b.is_ascii_digit());
        }
    } else {
        for ch in line.chars() {
            let space = ch.is_whitespace();
            words += usize::from(!space && !in_word);
            in_word = !space;
            letters += usize::from(ch.is_alphabetic());
            digits += usize::from(ch.is_ascii_digit());
        }
    }
    if letters == 0 {
        // "0", "()", "x" are widget leftovers; "2025.03.28" is a date.
        return (digits < 4).then_some(Rule::Label);
    }
    if words == 1 && digits < 4 && letters < 25 && line.is_ascii() {
        // Lone labels: "SDGs", "ADVERTISEMENT", "Comments".
        return Some(Rule::Label);
    }
    if re.teaser.is_match(line) {
        Some(Rule::Teaser)
    } else if re.widget.is_match(line) {
        Some(Rule::Widget)
    } else if words <= c.short_phrase_max_words && re.short_phrase.is_match(line) {
        Some(Rule::Furniture)
    } else if (words <= 8 && BYLINE.is_match(line)) || is_dated_byline(line, words, c) {
        Some(Rule::Byline)
    } else if words <= 30 && re.caption.is_match(line) {
        Some(Rule::Caption)
    } else if is_navigation(line, c) {
        Some(Rule::Navigation)
    } else if is_share_bar(line, c) {
        Some(Rule::ShareBar)
    } else if is_breadcrumb(line) {
        Some(Rule::Breadcrumb)
    } else {
        None
    }
}

/// A row of share buttons: only share words and network names, at least one
/// network ("Share this article: Facebook | Twitter | WhatsApp").
fn is_share_bar(line: &str, c: &Cleaning) -> bool {
    let mut words = 0;
    let mut networks = 0;
    for word in line
        .split(|ch: char| ch.is_whitespace() || matches!(ch, '|' | ',' | '/' | ':' | '•' | '·'))
        .filter(|w| !w.is_empty())
    {
        if lowercase_is_one_of(word, &c.social_networks) {
            networks += 1;
        } else if !lowercase_is_one_of(word, &c.social_words) {
            return false;
        }
        words += 1;
    }
    words >= 2 && networks >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_comment_widgets_and_cookie_settings() {
        let text = "Odisha signs a port pact with a Japanese trading house.\n\
            The deal covers a new berth at the harbour and a rail siding.\n\
            0 0 votes\nArticle Rating\nSubscribe\nNotify of\nguest\n0 Comments\nOldest\n\
            Newest Most Voted\nInline Feedbacks\nView all comments\n\
            We use cookies to give you a better time. By agreeing you accept our cookie policy.\n\
            Privacy Settings\nThese cookies keep you logged in.\n  • wordpress_test_cookie\n\
            Accept all Services\n0\nWould love your thoughts, please comment.x\n()\nx\n";
        let out = clean(text);
        assert_eq!(
            out,
            "Odisha signs a port pact with a Japanese trading house.\n\
             The deal covers a new berth at the harbour and a rail siding.\n"
        );
    }

    #[test]
    fn removes_teasers_navigation_and_repeats() {
        let text = "DAILY WIRE 9\nDAILY WIRE 9\n\
            Goa courts Japanese hoteliers\n\
            Home News Vista Industry Experts Editor's Guest Post Magazines Conferences About Us\n\
            Goa courts Japanese hoteliers\n\
            By Ravi Kumar\n\
            The tourism minister met investors in Panaji on Friday.\n\
            Also read: Sikkim opens a new airport\n\
            Also Read:  Kerala ports see record traffic\n\
            READ MORE\n\
            Facebook Twitter WhatsApp\n\
            The talks covered heritage hotels and beach resorts.\n\
            Do you like Cookies?\n";
        let out = clean(text);
        assert_eq!(
            out,
            "Goa courts Japanese hoteliers\n\
             The tourism minister met investors in Panaji on Friday.\n\
             The talks covered heritage hotels and beach resorts.\n"
        );
    }

    #[test]
    fn bylines_go_whatever_the_names_and_sentences_like_them_stay() {
        let story = "Assam signs a chip pact with a Japanese firm.\n";
        for byline in [
            "By José Müller and Ana O'Neil-Smith",
            "By Staff Reporter",
            "Written by R. Krishnan, Priya Dé",
            "Guwahati Bureau",
        ] {
            assert_eq!(clean(&format!("{byline}\n{story}")), story, "{byline}");
        }
        for line in [
            "By March, the plant will run: two lines.",
            "By 2030 the state wants more plants.",
            "By Order (Government of Assam)",
        ] {
            let text = format!("{line}\n{story}");
            assert_eq!(clean(&text), text, "{line}");
        }
    }

    #[test]
    fn keeps_dates_bylines_with_dates_and_real_sentences() {
        let text = "2024.05.06\nDesk Team | Monday, 6 May 2024\n\
            Readers who subscribe to the view that chips matter were proved right, the minister said in a long speech to the assembly.\n";
        assert_eq!(clean(text), text);
    }

    /// The shipped seeds carry every kind of junk handled here.
    #[test]
    fn seeds_come_out_clean() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: no {}", dir.display());
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("seed is UTF-8");
            let out = clean(&text);
            assert!(
                out.lines().count() >= 5,
                "{}: too little left",
                path.display()
            );
            for line in out.lines() {
                let lower = line.to_lowercase();
                assert!(
                    !lower.contains("cookies")
                        && !lower.contains("wordpress")
                        && !line.contains("Subscribe")
                        && !lower.contains("also read"),
                    "{}: junk left: {line}",
                    path.display()
                );
            }
        }
    }

    const ODD_LINES: &[&str] = &[
        "LM NEWS 24",
        "  Goa   courts\tJapanese  hoteliers ",
        "ΟΔΟΣ ΣΟΦΙΑΣ",
        "Straße STRASSE",
        "Lin\u{212A} Share",
        "İstanbul Ünal",
        "We use COOKIES to improve",
        "We use coo\u{212A}ies to improve",
        "Do you like Cookies?",
        "cookie policy",
        "cookiepolicy settings",
        "Facebook | Twitter, WhatsApp / Email",
        "Facebook Twitter",
        "Facebook",
        "FACEBOOK TWITTER",
        "facebook news",
        "\u{b}x\u{b}y",
        " \t\r\u{c}Mixed\u{1f}CASE \u{1c} words\n",
        "",
    ];

    #[test]
    fn ascii_white_space_is_char_white_space() {
        for b in 0..128u8 {
            assert_eq!(
                is_ascii_white_space(b),
                char::from(b).is_whitespace(),
                "{b}"
            );
        }
    }

    #[test]
    fn dedup_key_fast_path_is_the_general_one() {
        for line in ODD_LINES {
            let general = line
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            assert_eq!(dedup_key(line), general, "{line:?}");
        }
    }

    fn builtin() -> &'static Rules {
        BUILTIN.rules()
    }

    #[test]
    fn word_tests_without_allocation_agree_with_lowercasing() {
        let c = &builtin().cleaning;
        for line in ODD_LINES {
            for word in line.split_whitespace() {
                let lists: [&[String]; 2] = [
                    &c.nav_words,
                    &["link".to_string(), "share".into(), "facebook".into()],
                ];
                for list in lists {
                    assert_eq!(
                        lowercase_is_one_of(word, list),
                        list.iter().any(|l| *l == word.to_lowercase()),
                        "{word:?}"
                    );
                }
            }
        }
        assert!(is_share_bar("Lin\u{212A}edIn | Share", c));
        assert!(!is_share_bar("Facebook", c));
        assert!(!is_share_bar("Share this", c));
        assert!(c.nav_words.iter().all(|w| w.to_lowercase() == *w));
    }

    /// Issue 14, item 1: a sentence that mentions cookies is not a banner,
    /// and nothing after a junk line is ever lost.
    #[test]
    fn a_false_consent_match_loses_no_text() {
        let text = "Kerala opens a chip design centre\n\
            Kochi: The state opened a design centre for low-power chips on Monday.\n\
            The centre will train two hundred engineers a year.\n\
            Officials said demand for efficient devices was growing fast.\n\
            Customers like products that use less power, and cookies are not the only thing people use online.\n\
            The second phase will add a testing lab near the port.\n\
            A Japanese firm has offered to equip it.\n";
        let out = clean_with(text, builtin());
        assert_eq!(out.text, text);
        assert!(out.dropped.is_empty());
        // A real banner goes, with its settings, and the text after it stays.
        let text = "Goa courts hoteliers from Osaka\n\
            We use cookies to improve your experience. By continuing you agree to our cookie policy.\n\
            Accept all\nPrivacy Settings\n\
            The tourism minister met investors in Panaji on Friday.\n";
        let out = clean_with(text, builtin());
        assert_eq!(
            out.text,
            "Goa courts hoteliers from Osaka\nThe tourism minister met investors in Panaji on Friday.\n"
        );
        let rules: Vec<Rule> = out.dropped.iter().map(|d| d.rule).collect();
        assert_eq!(rules, [Rule::Banner, Rule::Consent, Rule::Consent]);
    }

    /// Issue 14, item 2: Title Case headlines are not menus.
    #[test]
    fn title_case_headlines_are_kept() {
        let text = "India Business Leaders Meet Tokyo Industry Chiefs On Semiconductor Push\n\
            Home News Business Industry Markets Economy Opinion About Us\n\
            The delegation met chip makers in Tokyo on Tuesday.\n";
        let out = clean_with(text, builtin());
        assert_eq!(
            out.text,
            "India Business Leaders Meet Tokyo Industry Chiefs On Semiconductor Push\n\
             The delegation met chip makers in Tokyo on Tuesday.\n"
        );
        assert_eq!(out.dropped[0].rule, Rule::Navigation);
    }

    /// Issue 14, item 3: the furniture of text files goes, each by its rule.
    #[test]
    fn text_file_furniture_goes() {
        let junk = [
            (
                "Share this article: Facebook | Twitter | WhatsApp",
                Rule::ShareBar,
            ),
            ("Comments (3)", Rule::Widget),
            ("Login to post a comment", Rule::Widget),
            ("Rate this article ★★★★☆", Rule::Widget),
            (
                "By Staff Reporter | Updated Nov 15, 2022 10:40 IST",
                Rule::Byline,
            ),
            ("Your email address will not be published.", Rule::Furniture),
            ("Home › News › Tamil Nadu › Business", Rule::Breadcrumb),
            (
                "Copyright © 2024 Daily Wire. All rights reserved.",
                Rule::Furniture,
            ),
            ("Sign in to unlock member-only benefits!", Rule::Furniture),
        ];
        let story =
            "Chennai: The state signed a pact for an auto components park near Hosur on Monday.\n";
        let mut text = String::from(story);
        for (line, _) in junk {
            text.push_str(line);
            text.push('\n');
        }
        let out = clean_with(&text, builtin());
        assert_eq!(out.text, story);
        for ((line, rule), d) in junk.iter().zip(&out.dropped) {
            assert_eq!((d.text.as_str(), d.rule), (*line, *rule));
        }
        assert_eq!(
            out.meta_lines().collect::<Vec<_>>(),
            ["By Staff Reporter | Updated Nov 15, 2022 10:40 IST"]
        );
    }

    #[test]
    fn bulleted_menus_go() {
        let text = "• Home\n• About us\n• News & Features\n• Our Work\n• Publications\n\
            February 4, 2014\nThe agency signed a loan for a highway in Bihar.\n\
            - one item\n- two items\n";
        let out = clean_with(text, builtin());
        assert_eq!(
            out.text,
            "February 4, 2014\nThe agency signed a loan for a highway in Bihar.\n- one item\n- two items\n"
        );
    }

    #[test]
    fn survives_odd_input() {
        assert_eq!(clean(""), "");
        assert_eq!(clean("\n\n  \n"), "");
        assert_eq!(
            clean("東京で会議が開かれた。\n"),
            "東京で会議が開かれた。\n"
        );
        let long = "word ".repeat(100_000);
        assert!(!clean(&long).is_empty());
    }
}
