//! List structure: whether a mention is one short item of a list of examples
//! ("sectors such as textiles, chemicals and tourism"), which is weak evidence
//! for each item. Computed lazily per sentence so that it stays linear.

use std::cell::OnceCell;

use super::Document;

/// One item of a sentence split at commas, "and", "or", "such as"...
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Item {
    start: usize,
    /// Where the next item starts (after the separator).
    end: usize,
    /// Where the item's own text ends (before the separator).
    text_end: usize,
    /// Words other than "such", "including"..., counted up to 5: only
    /// whether there are one to four of them matters.
    words: usize,
}

/// The list structure of every line of a document, built only for the lines
/// and sentences that hold a mention, and shared by states and sectors.
pub(super) struct LineLists<'a> {
    lines: Vec<OnceCell<Lists<'a>>>,
    doc: &'a Document<'a>,
}

impl<'a> LineLists<'a> {
    pub(super) fn new(doc: &'a Document<'a>) -> LineLists<'a> {
        LineLists {
            lines: doc.lines.iter().map(|_| OnceCell::new()).collect(),
            doc,
        }
    }

    /// [`Lists::in_enumeration`] for a mention in line `line`.
    pub(super) fn in_enumeration(&self, line: usize, start: usize) -> bool {
        let (Some(cell), Some(l)) = (self.lines.get(line), self.doc.lines.get(line)) else {
            return false;
        };
        cell.get_or_init(|| Lists::new(l.text))
            .in_enumeration(start)
    }

    /// [`Lists::lead`] for a mention in line `line`.
    pub(super) fn lead(&self, line: usize, start: usize) -> Option<&'a str> {
        let (cell, l) = (self.lines.get(line)?, self.doc.lines.get(line)?);
        cell.get_or_init(|| Lists::new(l.text)).lead(start)
    }
}

/// The list structure of one line, each sentence computed once and only when
/// asked, so that checking every mention stays linear in the line's length.
pub(super) struct Lists<'a> {
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
    pub(super) fn new(text: &'a str) -> Lists<'a> {
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
    pub(super) fn in_enumeration(&self, start: usize) -> bool {
        self.listed_item(start).is_some()
    }

    /// For a mention that is an item of a list ([`Lists::in_enumeration`]),
    /// what comes before the list in its sentence, up to and including the
    /// list's first item when that item ends a longer clause: "signed MoUs in
    /// textiles" for "signed MoUs in textiles, chemicals and tourism". What
    /// introduces a list says what its items are.
    pub(super) fn lead(&self, start: usize) -> Option<&'a str> {
        let (s, items, mut first) = self.listed_item(start)?;
        while first > 0 && (1..=4).contains(&items[first - 1].words) {
            first -= 1;
        }
        // The clause before the short items, which ends with the first one.
        let before = items.get(first.checked_sub(1)?)?;
        self.text.get(s..before.text_end)
    }

    /// The sentence start, items and item index of a mention starting at
    /// `start` when it is one short item of a list.
    fn listed_item(&self, start: usize) -> Option<(usize, &[Item], usize)> {
        // Sentence starts increase, and each sentence's first item starts at
        // the sentence's start: the item holding `start` is in the last
        // sentence starting at or before it.
        let si = self
            .bounds
            .partition_point(|&(s, _)| s <= start)
            .checked_sub(1)?;
        let (&(s, e), cell) = (self.bounds.get(si)?, self.sentences.get(si)?);
        let sentence = cell.get_or_init(|| Sentence::new(self.text, s, e));
        let idx = sentence
            .items
            .partition_point(|it| it.start <= start)
            .checked_sub(1)?;
        let item = sentence.items.get(idx)?;
        (start <= item.end && (1..=4).contains(&item.words) && sentence.listy).then_some((
            s,
            sentence.items.as_slice(),
            idx,
        ))
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
                text_end: s + to,
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
pub(super) fn item_separators(sentence: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
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

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

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
                    text_end: s + m_start,
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
        let doc = Document::new(None, "", &[], crate::taxonomy::Taxonomy::builtin().rules());
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
        let doc2 = Document::new(
            None,
            &body,
            &[],
            crate::taxonomy::Taxonomy::builtin().rules(),
        );
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
}
