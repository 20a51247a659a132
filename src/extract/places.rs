//! Place mentions: where the gazetteer's states, cities and prefectures are
//! named, with the case rules and the cues that tell a Japanese place from a
//! surname or an Indian city of the same name; and the prefectures chosen.

use std::collections::BTreeMap;

use super::date::month;
use super::Choice;
use super::Document;
use crate::rules::Rules;
use crate::taxonomy::{Place, Taxonomy};

/// One vocabulary mention in one line.
pub(super) struct Mention {
    pub(super) target: Place,
    pub(super) line: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Place mentions, with the case rules applied: proper names must be
/// capitalised, abbreviations exactly in capitals.
pub(super) fn place_mentions(doc: &Document<'_>, taxonomy: &Taxonomy) -> Vec<Mention> {
    let gaz = taxonomy.gazetteer();
    let mut out = Vec::new();
    for (li, line) in doc.lines.iter().enumerate() {
        // Only state codes ask, and most lines have none.
        let shouting = std::cell::OnceCell::new();
        for m in gaz.places.find_iter(line.text) {
            let (start, end) = (m.start, m.end);
            // Names in Indic scripts take case endings: தமிழ்நாட்டில்.
            if !crate::script::stands_alone(line.text, start, end, true) {
                continue;
            }
            let Some(matched) = line.text.get(start..end) else {
                continue;
            };
            let capitalised = matched
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || crate::script::is_uncased_letter(c));
            let Some(targets) = gaz.place_targets.get(m.pattern) else {
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

/// Whether an ambiguous prefecture name or city is used as a Japanese place.
/// Names that are also Indian places (Kochi) need an explicit Japanese cue;
/// surnames need a place cue and no capitalised word after them.
pub(super) fn is_japanese_place(
    text: &str,
    start: usize,
    end: usize,
    also_indian: bool,
    rules: &Rules,
) -> bool {
    let re = rules.compiled();
    let after = super::text_after(text, end, 40);
    if re.japan_after.is_match(after) {
        return true;
    }
    if also_indian {
        return false;
    }
    let before = super::text_before(text, start, 40);
    let next_capitalised = after
        .strip_prefix(' ')
        .and_then(|a| a.chars().next())
        .is_some_and(char::is_uppercase);
    re.place_before.is_match(before) && !next_capitalised
}

/// Prefecture names misspelt (letters swapped, wrong, missing or extra:
/// "Ishiwaka, Japan", "Shizouka Prefecture") right before a strong Japanese
/// place cue (`extraction.misspelt_prefecture_cues`): scraped stories
/// misspell them, and the cue says a place in Japan is meant. The word is
/// capitalised, five letters or more, no name of the vocabulary, and nearer
/// to that prefecture than to any other ([`nearest_prefecture`]). Only the
/// word before each cue is read, so that the work follows the cues, not the
/// text. Returns the line, the word and the prefecture's index.
fn misspelled_prefectures<'d>(
    doc: &'d Document<'_>,
    taxonomy: &Taxonomy,
) -> Vec<(&'d super::Line<'d>, &'d str, usize)> {
    let cues = &taxonomy.rules().compiled().misspelt_prefecture;
    let mut found = Vec::new();
    for line in &doc.lines {
        for cue in cues.find_iter(line.text) {
            let before = line.text.get(..cue.start()).unwrap_or("");
            let start = before
                .rfind(|c: char| !c.is_ascii_alphabetic())
                .map_or(0, |i| {
                    i + before[i..].chars().next().map_or(1, char::len_utf8)
                });
            let word = &before[start..];
            let capitalised = word.len() >= 5
                && word.starts_with(|c: char| c.is_ascii_uppercase())
                && word[1..].bytes().all(|b| b.is_ascii_lowercase());
            if !capitalised {
                continue;
            }
            let known = taxonomy.resolve_prefecture(word).is_some()
                || taxonomy.resolve_state(word).is_some()
                || taxonomy
                    .gazetteer()
                    .places
                    .find_iter(word)
                    .any(|f| f.start == 0 && f.end == word.len());
            if known {
                continue;
            }
            if let Some(i) = nearest_prefecture(word, taxonomy) {
                found.push((line, word, i));
            }
        }
    }
    found
}

/// The one prefecture of five letters or more nearest to `word`, within one
/// edit up to five letters and two beyond.
fn nearest_prefecture(word: &str, taxonomy: &Taxonomy) -> Option<usize> {
    let allowed = if word.len() <= 5 { 1 } else { 2 };
    let prefectures = taxonomy.prefecture_entries();
    let names = prefectures
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| n.len() >= 5);
    let near = crate::taxonomy::nearest_name(word, names)?;
    if near.distance > allowed || !near.alone {
        return None;
    }
    prefectures.iter().position(|p| p.name == near.name)
}

/// Whether a place name is a person's surname: a title and up to two
/// capitalised words stand before it ("Governor Kotaro Nagasaki", "Mr.
/// Ishikawa"), and no Japanese place cue follows ("Nagasaki Prefecture").
pub(super) fn is_person_name(text: &str, start: usize, end: usize, rules: &Rules) -> bool {
    let re = rules.compiled();
    let before = super::text_before(text, start, 60);
    if !re.person_before.is_match(before) {
        return false;
    }
    let after = super::text_after(text, end, 40);
    !re.japan_after.is_match(after)
}

/// the same name ("Kochi Prefecture").
pub(super) fn is_prefecture_use(
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
    is_prefecture_name && is_japanese_place(text, start, end, true, taxonomy.rules())
}

/// A dateline place: "Bengaluru:", "Bhopal, Jan 27 (IANS)", "Kochi (Kerala)".
pub(super) fn is_dateline(text: &str, end: usize) -> bool {
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

// ---------------------------------------------------------- prefectures ----

/// Every prefecture named or implied by a city counts: Japanese places in
/// these articles are few and deliberate. A name that is a person's surname
/// ("Governor Kotaro Nagasaki") does not.
pub(super) fn find_prefectures(
    doc: &Document<'_>,
    mentions: &[Mention],
    taxonomy: &Taxonomy,
    explain: bool,
) -> (Vec<String>, Vec<Choice>) {
    let prefectures = taxonomy.prefecture_entries();
    let rules = taxonomy.rules();
    let mut out: BTreeMap<usize, Choice> = BTreeMap::new();
    let mut rejected: Vec<Choice> = Vec::new();
    // One mention of prefecture `i`: a point, and (explaining) its note.
    let count = |out: &mut BTreeMap<usize, Choice>, i: usize, note: &dyn Fn() -> String| {
        let Some(p) = prefectures.get(i) else {
            return;
        };
        let choice = out.entry(i).or_insert_with(|| Choice::new(&p.name));
        choice.score += 1.0;
        choice.chosen = true;
        if explain {
            choice.evidence.push(note());
        }
    };
    for m in mentions {
        let line = &doc.lines[m.line];
        let text = line.text;
        let matched = text.get(m.start..m.end).unwrap_or("");
        let i = match m.target {
            Place::PrefectureName(i) | Place::PrefectureCity(i) => i,
            Place::PrefectureAmbiguous(i) => {
                let also_indian = taxonomy.state_entries().iter().any(|s| {
                    s.places
                        .iter()
                        .chain(&s.weak_places)
                        .any(|p| p.eq_ignore_ascii_case(matched))
                });
                if !is_japanese_place(text, m.start, m.end, also_indian, rules) {
                    if explain {
                        rejected.push(Choice::note(matched, line, "no Japanese place cue"));
                    }
                    continue;
                }
                i
            }
            _ => continue,
        };
        if is_person_name(text, m.start, m.end, rules) {
            if explain {
                let reason = "a person's name (extraction.person_titles)";
                rejected.push(Choice::note(matched, line, reason));
            }
            continue;
        }
        count(&mut out, i, &|| Choice::mention(matched, line, 1.0));
    }
    for (line, word, i) in misspelled_prefectures(doc, taxonomy) {
        count(&mut out, i, &|| {
            Choice::mention(word, line, 1.0) + " (misspelt, with a Japanese place cue)"
        });
    }
    let mut names: Vec<String> = out.values().map(|c| c.value.clone()).collect();
    names.sort();
    let mut choices: Vec<Choice> = out.into_values().collect();
    choices.extend(rejected);
    (names, if explain { choices } else { Vec::new() })
}
