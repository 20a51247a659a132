//! Money figures: "Rs 20,000 crore", "₹3,300 cr", "$1.2 billion",
//! "JPY 10 trillion", "¥50 billion", and in other languages "5,000 करोड़
//! रुपये", "ரூ.1,000 கோடி", "300億円", "1兆2000億円", "5億ドル"…
//! normalised to rupees with a fixed
//! conversion table, so that articles can be filtered and sorted by the size
//! of the investment they report.
//!
//! A figure counts only with a currency marker next to it, and the marker is
//! a whole word: "3 crore residents", "2,000 people", a year, a phone number
//! or "over the next ten years 5 million tonnes" are not money. The amount of
//! an article is the investment it reports ([`investment`]): a figure with an
//! investment cue near it (invested, committed, lent, outlay, MoU worth,
//! loan), not trade, revenue or the largest number in the text.

use std::sync::LazyLock;

use regex::Regex;

use crate::rules::Rules;

/// Rupees per unit of each currency. Fixed (no network), rounded 2024–25
/// averages: a sort key and a filter, not an accounting figure.
pub const RUPEES_PER: &[(&str, f64)] = &[
    ("INR", 1.0),
    ("USD", 83.0),
    ("JPY", 0.56),
    ("EUR", 90.0),
    ("GBP", 105.0),
];

/// One money figure as written and in rupees.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// The figure as it stands in the text ("Rs 3,300 crore").
    pub written: String,
    /// ISO code of the currency written.
    pub currency: &'static str,
    pub rupees: f64,
    /// Where the figure stands in the text (byte offsets).
    pub start: usize,
    pub end: usize,
}

const NUMBER: &str = r"(\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)";
const UNIT: &str = r"(lakh\s+crores?|lakh\s+cr|crores?|cr(?-u:\b)|lakhs?|lacs?|trillions?|tn(?-u:\b)|billions?|bn(?-u:\b)|millions?|mn(?-u:\b)|m(?-u:\b)|thousand|k(?-u:\b)|NATIVE_UNITS)?";

/// Units written in Indian languages, longest first (करोड़ with the nukta
/// precomposed or not): lakh crore, crore, lakh, billion (arab, abja),
/// thousand, in Devanagari (Hindi, Marathi), Tamil, Bengali, Telugu,
/// Kannada, Malayalam and Gujarati.
const NATIVE_UNITS: &str = "लाख\\s*करो(?:\u{095C}|\u{0921}\u{093C}?)|करो(?:\u{095C}|\u{0921}\u{093C}?)|कोटी|लाख|अरब|अब्ज|हज़ार|हजार|லட்சம்\\s*கோடி|கோடி|லட்சம்|ஆயிரம்|কোটি|লাখ|కోట్ల|కోట్లు|లక్షల|ಕೋಟಿ|ಲಕ್ಷ|കോടി|ലക്ഷം|કરોડ|લાખ";

/// Currency words after a figure in Indian languages (stems: रुपये,
/// रुपयों, रुपयांची all start with रुपय).
const NATIVE_AFTER: &str = "रुपय|रुपए|रूपय|ரூபாய்|টাকা|రూపాయ|രൂപ|ರೂಪಾಯ|રૂપિય";

/// Japanese figures: 300億円, 1兆2000億円, 5000万ドル, 500億ルピー.
static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<num>(?:\d[\d,]*(?:\.\d+)?\s*[兆億万]\s*)+|\d[\d,]*(?:\.\d+)?\s*)(?P<cur>円|米?ドル|ルピー|ユーロ)")
        .expect("amount pattern")
});

impl Amount {
    /// The figure written at `whole`, in `currency`, worth `rupees`.
    fn at(whole: &regex::Match<'_>, currency: &'static str, rupees: f64) -> Amount {
        Amount {
            written: whole.as_str().trim().to_string(),
            currency,
            rupees,
            start: whole.start(),
            end: whole.end(),
        }
    }
}

fn unit_pattern() -> String {
    UNIT.replace("NATIVE_UNITS", NATIVE_UNITS)
}

static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    // Built from constants: a failure is a defect caught by the tests.
    Regex::new(&format!(
        r"(?i)(?P<cur>(?-u:\b)(?:rs\.?|inr|us\s?\$|usd|jpy|yen|eur|gbp)|₹|\$|¥|€|£|रु\.?|रू\.?|ரூ\.?|రూ\.?|ರೂ\.?|രൂ\.?|રૂ\.?)\s?{NUMBER}\s*{}",
        unit_pattern()
    ))
    .expect("amount pattern")
});

static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b){NUMBER}\s*{}\s*(?P<cur>(?:rupees|dollars|yen|euros?)(?-u:\b)|(?:{NATIVE_AFTER})[\p{{L}}\p{{M}}]*)",
        unit_pattern()
    ))
    .expect("amount pattern")
});

/// Compiles the money patterns now (see [`super::warm`]).
pub(super) fn warm() {
    for re in [&JAPANESE, &BEFORE, &AFTER] {
        LazyLock::force(re);
    }
}

fn currency(marker: &str) -> Option<&'static str> {
    let m = marker.to_lowercase().replace(' ', "");
    if !m.is_ascii() && !["₹", "$", "¥", "€", "£"].contains(&m.as_str()) {
        // The rupee in Indian languages (रु., ரூ., रुपये, টাকা…); the
        // Japanese currencies.
        return Some(match m.as_str() {
            "円" => "JPY",
            "ドル" | "米ドル" => "USD",
            "ユーロ" => "EUR",
            _ => "INR",
        });
    }
    Some(match m.as_str() {
        "rs" | "rs." | "inr" | "₹" | "rupees" => "INR",
        "us$" | "usd" | "$" | "dollars" => "USD",
        "jpy" | "¥" | "yen" => "JPY",
        "eur" | "€" | "euro" | "euros" => "EUR",
        "gbp" | "£" => "GBP",
        _ => return None,
    })
}

fn multiplier(unit: &str) -> f64 {
    let u = unit.to_lowercase();
    let u = u.split_whitespace().collect::<Vec<_>>().join(" ");
    if !u.is_ascii() {
        return native_multiplier(&u);
    }
    match u.as_str() {
        "" => 1.0,
        "lakh crore" | "lakh crores" | "lakh cr" => 1e12,
        "crore" | "crores" | "cr" => 1e7,
        "lakh" | "lakhs" | "lac" | "lacs" => 1e5,
        "trillion" | "trillions" | "tn" => 1e12,
        "billion" | "billions" | "bn" => 1e9,
        "million" | "millions" | "mn" | "m" => 1e6,
        "thousand" | "k" => 1e3,
        _ => 1.0,
    }
}

/// The value of a unit written in an Indian language (see [`NATIVE_UNITS`]).
fn native_multiplier(unit: &str) -> f64 {
    let has = |words: &[&str]| words.iter().any(|w| unit.contains(w));
    let crore = has(&["करो", "कोटी", "கோடி", "কোটি", "కోట్ల", "ಕೋಟಿ", "കോടി", "કરોડ"]);
    let lakh = has(&["लाख", "லட்சம்", "লাখ", "లక్షల", "ಲಕ್ಷ", "ലക്ഷം", "લાખ"]);
    match (lakh, crore) {
        (true, true) => 1e12,
        (false, true) => 1e7,
        (true, false) => 1e5,
        _ if has(&["अरब", "अब्ज"]) => 1e9,
        _ if has(&["हज़ार", "हजार", "ஆயிரம்"]) => 1e3,
        _ => 1.0,
    }
}

/// The value of a Japanese figure: digits with 兆 (10^12), 億 (10^8) and 万
/// (10^4) ("1兆2000億" is 1.2 × 10^12); `None` when it is not a number.
fn japanese_number(text: &str) -> Option<(f64, bool)> {
    let mut total = 0.0;
    let mut digits = String::new();
    let mut units = false;
    for c in text.chars() {
        let unit = match c {
            '兆' => 1e12,
            '億' => 1e8,
            '万' => 1e4,
            c if c.is_ascii_digit() || c == '.' => {
                digits.push(c);
                continue;
            }
            _ => continue,
        };
        total += digits.parse::<f64>().ok()? * unit;
        digits.clear();
        units = true;
    }
    if !digits.is_empty() {
        total += digits.parse::<f64>().ok()?;
    }
    Some((total, units))
}

fn rate(code: &str) -> f64 {
    RUPEES_PER
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(1.0, |(_, r)| *r)
}

/// Every money figure in `text`, in order of appearance.
pub fn amounts(text: &str) -> Vec<Amount> {
    amounts_counted(text).0
}

/// [`amounts`], and the number of steps it took (regex matches looked at and
/// duplicates checked): linear in the text, which the tests check on inputs
/// of several megabytes.
pub fn amounts_counted(text: &str) -> (Vec<Amount>, usize) {
    let mut steps = 0usize;
    let mut found: Vec<(usize, Amount)> = Vec::new();
    // Starts already taken by the first pattern: one look-up per match,
    // where a scan of everything found before was quadratic.
    let mut starts = std::collections::HashSet::new();
    for (pattern, number_group, unit_group) in [(&*BEFORE, 2, 3), (&*AFTER, 1, 2)] {
        for caps in pattern.captures_iter(text) {
            steps += 1;
            let (Some(whole), Some(cur), Some(number)) =
                (caps.get(0), caps.name("cur"), caps.get(number_group))
            else {
                continue;
            };
            let Some(code) = currency(cur.as_str()) else {
                continue;
            };
            let Ok(value) = number.as_str().replace(',', "").parse::<f64>() else {
                continue;
            };
            let unit = caps.get(unit_group).map_or("", |m| m.as_str());
            // "$ 2024" or "Rs 1" without a unit is more likely noise than money.
            if unit.is_empty() && value < 1000.0 && code != "INR" {
                continue;
            }
            let rupees = value * multiplier(unit) * rate(code);
            if !rupees.is_finite() || rupees <= 0.0 {
                continue;
            }
            steps += 1;
            if !starts.insert(whole.start()) {
                continue;
            }
            found.push((whole.start(), Amount::at(&whole, code, rupees)));
        }
    }
    if !text.is_ascii() {
        for caps in JAPANESE.captures_iter(text) {
            steps += 1;
            let (Some(whole), Some(num), Some(cur)) =
                (caps.get(0), caps.name("num"), caps.name("cur"))
            else {
                continue;
            };
            let (Some(code), Some((value, units))) =
                (currency(cur.as_str()), japanese_number(num.as_str()))
            else {
                continue;
            };
            if !units && value < 1000.0 && code != "INR" {
                continue;
            }
            let rupees = value * rate(code);
            if !rupees.is_finite() || rupees <= 0.0 || !starts.insert(whole.start()) {
                continue;
            }
            found.push((whole.start(), Amount::at(&whole, code, rupees)));
        }
    }
    found.sort_by_key(|(start, _)| *start);
    (found.into_iter().map(|(_, a)| a).collect(), steps)
}

/// The largest figure of the text, whatever it counts.
pub fn largest(text: &str) -> Option<Amount> {
    amounts(text)
        .into_iter()
        .max_by(|a, b| a.rupees.total_cmp(&b.rupees))
}

/// The investment an article reports: the largest figure that an investment
/// cue (`extraction.investment_cues`) stands near, in the same sentence, with
/// no cue of other money (`extraction.other_money_cues`: trade, revenue)
/// nearer to it. None when no figure is an investment. `notes` (for
/// `--explain`) receives a line per figure.
pub fn investment(
    text: &str,
    rules: &Rules,
    mut notes: Option<&mut Vec<String>>,
) -> Option<Amount> {
    let re = rules.compiled();
    let window = rules.extraction.money_window;
    let mut best: Option<Amount> = None;
    // Digits of every script read as ASCII ones ("५,००० करोड़").
    let text = &*crate::script::ascii_digits(text);
    for a in amounts(text) {
        let (before, after) = sentence_around(text, a.start, a.end, window);
        // Distance in bytes from the figure to the nearest match of `cue`.
        let nearest = |cue: &Regex| {
            let back = cue.find_iter(before).last().map(|m| before.len() - m.end());
            let ahead = cue.find_iter(after).next().map(|m| m.start());
            match (back, ahead) {
                (Some(b), Some(f)) => Some(b.min(f)),
                (b, f) => b.or(f),
            }
        };
        let invest = nearest(&re.investment);
        let other = nearest(&re.other_money);
        let counts = match (invest, other) {
            (Some(i), Some(o)) => i < o,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if let Some(notes) = notes.as_deref_mut() {
            let why = match (counts, invest, other) {
                (true, _, _) => "an investment cue stands near it",
                (false, Some(_), Some(_)) => {
                    "trade, revenue or the like stands nearer than any investment cue"
                }
                (false, None, Some(_)) => "trade, revenue or the like, no investment cue",
                _ => "no investment cue in its sentence",
            };
            notes.push(format!(
                "{:?} = Rs {:.0}: {} {why}",
                a.written,
                a.rupees,
                if counts {
                    "counts:"
                } else {
                    "not an investment:"
                }
            ));
        }
        if counts && best.as_ref().is_none_or(|b| a.rupees > b.rupees) {
            best = Some(a);
        }
    }
    if let (Some(notes), Some(b)) = (notes, &best) {
        notes.push(format!(
            "chosen: {:?}, the largest investment figure",
            b.written
        ));
    }
    best
}

/// The text of the sentence around `start..end`, at most `window` bytes on
/// each side: (before, after).
fn sentence_around(text: &str, start: usize, end: usize, window: usize) -> (&str, &str) {
    let from = floor_boundary(text, start.saturating_sub(window));
    let to = floor_boundary(text, end.saturating_add(window));
    let before = text.get(from..start).unwrap_or("");
    let after = text.get(end..to).unwrap_or("");
    // Sentences end at a full stop before a space (or a danda, or an
    // ideographic full stop), or at a line break.
    let before = match before
        .rfind(['\n'])
        .max(before.rfind(". "))
        .map(|i| i + 1)
        .max(before.rfind(['।', '。']).map(|i| i + '।'.len_utf8()))
    {
        Some(i) => before.get(i..).unwrap_or(""),
        None => before,
    };
    let after = match [after.find('\n'), after.find(". "), after.find(['।', '。'])]
        .into_iter()
        .flatten()
        .min()
    {
        Some(i) => after.get(..i).unwrap_or(""),
        None => after,
    };
    (before, after)
}

/// The largest char boundary of `text` at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Parses a user's amount bound: "1000cr", "500 crore", "2bn", "$1bn",
/// "1e9", "¥50 billion". Plain numbers are rupees.
pub fn parse_bound(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    if let Ok(value) = trimmed.parse::<f64>() {
        return (value.is_finite() && value >= 0.0).then_some(value);
    }
    static BOUND: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)^(?P<cur>rs\.?|inr|₹|us\s?\$|usd|\$|jpy|¥|yen|eur|€|gbp|£)?\s*{NUMBER}\s*{UNIT}$"
        ))
        .expect("bound pattern")
    });
    let caps = BOUND.captures(trimmed)?;
    let value: f64 = caps.get(2)?.as_str().replace(',', "").parse().ok()?;
    let code = caps
        .name("cur")
        .map_or(Some("INR"), |c| currency(c.as_str()))?;
    let unit = caps.get(3).map_or("", |m| m.as_str());
    Some(value * multiplier(unit) * rate(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rupees(text: &str) -> Vec<f64> {
        amounts(text).iter().map(|a| a.rupees).collect()
    }

    #[test]
    fn formats() {
        assert_eq!(rupees("an investment of Rs 20,000 crore"), [2e11]);
        assert_eq!(rupees("worth ₹3,300 cr in Bidadi"), [3.3e10]);
        assert_eq!(rupees("a $1.2 billion fab"), [1.2e9 * 83.0]);
        assert_eq!(
            rupees("USD 1 billion (about Rs 6800 crore)"),
            [83e9, 6.8e10]
        );
        assert_eq!(rupees("a target of JPY 10 trillion"), [10e12 * 0.56]);
        assert_eq!(rupees("¥50 billion in loans"), [50e9 * 0.56]);
        assert_eq!(rupees("MoUs worth Rs 819 cr"), [8.19e9]);
        assert_eq!(rupees("Rs. 1,00,000 crore"), [1e12]);
        assert_eq!(rupees("Rs 2 lakh crore"), [2e12]);
        assert_eq!(rupees("500 crore rupees"), [5e9]);
        let a = largest("USD 1 billion (about Rs 6800 crore)").unwrap();
        assert_eq!(a.currency, "USD");
        assert_eq!(a.written, "USD 1 billion");
    }

    #[test]
    fn figures_in_indian_languages_and_japanese() {
        assert_eq!(rupees("5,000 करोड़ रुपये का निवेश"), [5e10]);
        assert_eq!(amounts("5,000 करोड़ रुपये का")[0].written, "5,000 करोड़ रुपये");
        assert_eq!(rupees("₹2 लाख करोड़ का लक्ष्य"), [2e12]);
        assert_eq!(rupees("रु. 300 करोड़"), [3e9]);
        assert_eq!(rupees("1,200 कोटी रुपयांची गुंतवणूक"), [1.2e10]);
        assert_eq!(rupees("ரூ.1,000 கோடி முதலீடு"), [1e10]);
        assert_eq!(rupees("2,500 கோடி ரூபாய்"), [2.5e10]);
        assert_eq!(rupees("రూ.500 కోట్ల పెట్టుబడి"), [5e9]);
        assert_eq!(rupees("ರೂ.100 ಕೋಟಿ"), [1e9]);
        assert_eq!(rupees(&crate::script::ascii_digits("৫০০ কোটি টাকা")), [5e9]);
        assert_eq!(rupees("投資額は約300億円。"), [300e8 * 0.56]);
        assert_eq!(rupees("総額1兆2000億円の計画"), [1.2e12 * 0.56]);
        assert_eq!(rupees("5億ドルを投じる"), [5e8 * 83.0]);
        assert_eq!(rupees("500億ルピー"), [5e10]);
        // Digits of other scripts are read by `investment`.
        let rules = crate::taxonomy::Taxonomy::builtin().rules().clone();
        let a = investment("कंपनी ५,००० करोड़ रुपये का निवेश करेगी।", &rules, None);
        assert_eq!(a.map(|a| a.rupees), Some(5e10));
        // A number without a currency is not money, in any language.
        assert!(amounts("राज्य के 3 करोड़ लोग").is_empty());
        assert!(amounts("従業員は3000人").is_empty());
        assert!(amounts("100円").is_empty());
    }

    #[test]
    fn not_money() {
        assert!(amounts("the state's 3 crore residents").is_empty());
        assert!(amounts("create 2,000 jobs for 2,000 people in 2026").is_empty());
        assert!(amounts("call +91 98450 12345 or 080-2222-3333").is_empty());
        assert!(amounts("a population of 1.2 billion").is_empty());
    }

    /// Issue 15 item 8: the work is linear in the text. 1 MB and 4 MB of
    /// figures (3.5 s and 68 s before) are counted in steps, not timed.
    #[test]
    fn many_figures_cost_linear_work() {
        let figure = |i: usize| format!("Rs {} crore, ", i % 9000 + 1);
        let text_of = |bytes: usize| {
            let mut t = String::with_capacity(bytes + 32);
            let mut i = 0;
            while t.len() < bytes {
                t.push_str(&figure(i));
                i += 1;
            }
            (t, i)
        };
        let (one, n1) = text_of(1 << 20);
        let (four, n4) = text_of(4 << 20);
        let (found1, steps1) = amounts_counted(&one);
        let (found4, steps4) = amounts_counted(&four);
        assert_eq!((found1.len(), found4.len()), (n1, n4));
        // At most a few steps per figure: a scan of all earlier figures per
        // figure would be n^2/2 (5e9 at 1 MB).
        assert!(steps1 <= 3 * n1, "{steps1} steps for {n1} figures");
        assert!(steps4 <= 3 * n4, "{steps4} steps for {n4} figures");
    }

    #[test]
    fn investment_is_not_trade_or_revenue() {
        let rules = crate::taxonomy::Taxonomy::builtin().rules().clone();
        let pick = |t: &str| investment(t, &rules, None).map(|a| a.written);
        assert_eq!(
            pick("Bilateral trade stood at $22.9 billion last year."),
            None
        );
        assert_eq!(
            pick("The firm, with revenue of USD 90 billion, will invest Rs 500 crore in a plant."),
            Some("Rs 500 crore".into())
        );
        assert_eq!(
            pick("JICA will lend ¥50 billion for the metro. Exports reached $4 billion."),
            Some("¥50 billion".into())
        );
        assert_eq!(
            pick("The state signed MoUs worth Rs 819 cr on Monday."),
            Some("Rs 819 cr".into())
        );
        assert_eq!(pick("No figures here at all."), None);
        // A currency marker is a whole word.
        assert!(amounts("over the next ten years 5 million tonnes").is_empty());
        assert!(amounts("the dollars 5 million").is_empty());
    }

    #[test]
    fn bounds() {
        assert_eq!(parse_bound("1000cr"), Some(1e10));
        assert_eq!(parse_bound("500 crore"), Some(5e9));
        assert_eq!(parse_bound("2bn"), Some(2e9));
        assert_eq!(parse_bound("$1bn"), Some(83e9));
        assert_eq!(parse_bound("1e9"), Some(1e9));
        assert_eq!(parse_bound("lots"), None);
        assert_eq!(parse_bound("-5"), None);
    }
}
