//! Junk removal: scraped pages carry cookie banners, "Also read" teasers,
//! navigation menus, comment widgets, share buttons and repeated lines around
//! the article. They pollute search results and mislead extraction (a teaser
//! names another state), so they go before anything else looks at the text.
//!
//! Works line by line on the readers' output (one paragraph per line) and
//! never drops a line that reads as an article sentence.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

/// Removes page junk; returns one paragraph per line, each `\n`-terminated.
pub fn clean(text: &str) -> String {
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
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_cookie_banner(line) {
            // Banners sit at the page's foot with their settings text below
            // them; at the top, only the consent lines that follow go.
            if i * 2 >= lines.len() {
                break;
            }
            i += 1;
            while i < lines.len() && is_consent_text(lines[i]) {
                i += 1;
            }
            continue;
        }
        let key = keys[i].as_str();
        i += 1;
        let keep = !(is_junk(line) || site_names.contains(key) || !seen.insert(key));
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whitespace-collapsed lowercase, so that repeats differing in spacing match.
fn dedup_key(line: &str) -> String {
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

static COOKIE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)cookies?(?-u:\b).*(?-u:\b)(use|accept|consent|policy|settings|enable|browser|website|experience|like|agree|services)(?-u:\b)|(?-u:\b)(use|accept|like|allow)(?-u:\b).*(?-u:\b)cookies?(?-u:\b)|cookie (policy|settings|consent|preferences)")
        .expect("static regex")
});

/// The first line of a cookie or consent banner.
fn is_cookie_banner(line: &str) -> bool {
    // Every branch of COOKIE holds "cookie", which an ASCII line can only
    // hold in ASCII letters: most lines are ruled out without the regex.
    line.split_whitespace().count() <= 40
        && (!line.is_ascii() || contains_ignore_ascii_case(line, b"cookie"))
        && COOKIE.is_match(line)
}

/// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case.
fn contains_ignore_ascii_case(haystack: &str, needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

static CONSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)cookie|privacy|consent|gdpr|(?-u:\b)(accept|decline|reject|allow)(?-u:\b).*(?-u:\b)(all|services|cookies)(?-u:\b)|wordpress|phpsessid|_ga(?-u:\b)|tracking|session|browser|these services")
        .expect("static regex")
});

/// Text of a consent dialog: settings, service names, accept/decline buttons.
fn is_consent_text(line: &str) -> bool {
    CONSENT.is_match(line) || line.split_whitespace().count() <= 3
}

static TEASER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(also\s+read|also\s+see|also\s+watch|read\s+also|read\s+more|see\s+also|must\s+read|don'?t\s+miss|related(\s+(news|stories|articles|posts))?|recommended(\s+for\s+you)?|trending(\s+now)?|more\s+from|you\s+may\s+(also\s+)?like|suggested)(?-u:\b)\s*[:\-–—.|]*")
        .expect("static regex")
});

static WIDGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(\d+\s+)*(comments?|subscribe|notify\s+of|oldest|newest|most\s+voted|newest\s+most\s+voted|",
        r"oldest\s+newest(\s+most\s+voted)?|(\d+\s+)*votes?|article\s+rating|inline\s+feedbacks?|view\s+all\s+comments|",
        r"would\s+love\s+your\s+thoughts,?\s+please\s+comment\.?x?|guest|x|leave\s+a\s+(comment|reply)|post\s+comment|",
        r"log\s*in|sign\s*in|sign\s*up|register|share(\s+this(\s+(article|story|post))?)?|share\s+on\s+\w+|tweet|",
        r"whatsapp|facebook|twitter|linkedin|telegram|email|e-mail|print|copy\s+link|advertisement|advertisements|",
        r"scorecardresearch|follow\s+us(\s+on\s+.*)?|updated\s+on|published\s+on|\d+\s+min(ute)?s?\s+read|",
        r"listen\s+to\s+this\s+(article|story)|synopsis|skip\s+to\s+(main\s+)?content|back\s+to\s+top|",
        r"click\s+here.*|download\s+(the|our)\s+app.*|get\s+the\s+app|sponsored|top\s+stories|latest\s+news|",
        r"(privacy|cookie)\s+(policy|settings|preferences)(\s+saved!?)?|accept(\s+all)?(\s+services)?|",
        r"decline(\s+all)?(\s+services)?|close|menu|search|home|loading\.*|\(\))$"
    ))
    .expect("static regex")
});

static SUBSCRIBE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)subscribe(?-u:\b)|(?-u:\b)newsletter(?-u:\b)|is available online now|sign up for|(?-u:\b)cookies?(?-u:\b)")
        .expect("static regex")
});

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(By|BY|Written by|Edited by|Reported by)\s+[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,4}(\s*(,|\||and|&)\s*[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,4})*$|^[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,4}\s+(Team|Bureau|Desk|Correspondent|Staff|Reporter|News Service)$")
        .expect("static regex")
});

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((image|photo|picture|pic|file photo|representational( image| photo)?|[a-z]+ photo)(\s*:[^)]*)?\)\s*$")
        .expect("static regex")
});

/// Words of site menus; a capitalised line made of them is navigation.
const NAV_WORDS: &[&str] = &[
    "home",
    "news",
    "about",
    "us",
    "contact",
    "magazines",
    "magazine",
    "conferences",
    "events",
    "videos",
    "video",
    "photos",
    "gallery",
    "login",
    "register",
    "subscribe",
    "advertise",
    "careers",
    "opinion",
    "business",
    "sports",
    "entertainment",
    "world",
    "india",
    "politics",
    "tech",
    "technology",
    "lifestyle",
    "menu",
    "search",
    "e-paper",
    "epaper",
    "podcasts",
    "podcast",
    "editor's",
    "guest",
    "post",
    "experts",
    "industry",
    "latest",
    "trending",
    "more",
    "blog",
    "blogs",
    "markets",
    "economy",
    "features",
    "interviews",
    "webinars",
    "awards",
    "newsletter",
    "faq",
    "terms",
    "privacy",
    "policy",
    "sitemap",
    "city",
    "nation",
    "education",
    "health",
    "auto",
    "science",
    "web",
    "stories",
    "shows",
    "live",
    "tv",
];

/// A site menu: six or more capitalised words, no sentence punctuation,
/// at least three of them menu words.
fn is_navigation(line: &str) -> bool {
    if line.contains(['.', ',', ';', '!', '?', '"', '“', '”', ':']) {
        return false;
    }
    let words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| !matches!(*w, "|" | "&" | "/" | "-" | "•" | "·"))
        .collect();
    if words.len() < 6 {
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
        .filter(|w| lowercase_is_one_of(w, NAV_WORDS))
        .count();
    nav >= 3
}

/// Whether `word.to_lowercase()` is one of `list` (lowercase words), without
/// allocating for ASCII words.
fn lowercase_is_one_of(word: &str, list: &[&str]) -> bool {
    if word.is_ascii() {
        list.iter().any(|l| l.eq_ignore_ascii_case(word))
    } else {
        // Some non-ASCII letters lowercase to ASCII (the Kelvin sign to "k").
        list.contains(&word.to_lowercase().as_str())
    }
}

/// Whether a line is page furniture rather than article text.
fn is_junk(line: &str) -> bool {
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
        for c in line.chars() {
            let space = c.is_whitespace();
            words += usize::from(!space && !in_word);
            in_word = !space;
            letters += usize::from(c.is_alphabetic());
            digits += usize::from(c.is_ascii_digit());
        }
    }
    if letters == 0 {
        // "0", "()", "x" are widget leftovers; "2025.03.28" is a date.
        return digits < 4;
    }
    if words == 1 && digits < 4 && letters < 25 && line.is_ascii() {
        // Lone labels: "SDGs", "ADVERTISEMENT", "Comments".
        return true;
    }
    TEASER.is_match(line)
        || WIDGET.is_match(line)
        || (words <= 15 && SUBSCRIBE.is_match(line))
        || (words <= 8 && BYLINE.is_match(line))
        || (words <= 30 && CAPTION.is_match(line))
        || is_navigation(line)
        || is_share_bar(line)
}

/// A row of share buttons: only social network names.
fn is_share_bar(line: &str) -> bool {
    const SOCIAL: &[&str] = &[
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "email",
        "telegram",
        "reddit",
        "pinterest",
        "share",
        "print",
        "copy",
        "link",
        "koo",
        "instagram",
        "youtube",
    ];
    let mut words = 0;
    for word in line
        .split(|c: char| c.is_whitespace() || c == '|' || c == ',' || c == '/')
        .filter(|w| !w.is_empty())
    {
        if !lowercase_is_one_of(word, SOCIAL) {
            return false;
        }
        words += 1;
    }
    words >= 2
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

    #[test]
    fn word_tests_without_allocation_agree_with_lowercasing() {
        for line in ODD_LINES {
            for word in line.split_whitespace() {
                for list in [NAV_WORDS, &["link", "share", "facebook"]] {
                    assert_eq!(
                        lowercase_is_one_of(word, list),
                        list.contains(&word.to_lowercase().as_str()),
                        "{word:?}"
                    );
                }
            }
            // The prefilter never hides a line the regex would call a banner.
            assert_eq!(
                is_cookie_banner(line),
                line.split_whitespace().count() <= 40 && COOKIE.is_match(line),
                "{line:?}"
            );
        }
        assert!(is_share_bar("Lin\u{212A} | Share"));
        assert!(!is_share_bar("Facebook"));
        assert!(NAV_WORDS.iter().all(|w| w.to_lowercase() == *w));
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
