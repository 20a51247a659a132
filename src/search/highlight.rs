//! Highlights: the byte ranges of a passage's words that the query matched.
//!
//! The passage is analysed as it was indexed, so a range covers exactly a
//! word the index matched: a stem ("investing" for "investments"), a word in
//! capitals for an abbreviation typed in capitals, every word of a phrase
//! found whole, every character of a Japanese word (its overlapping pairs
//! of characters merged into one range).

use tantivy::tokenizer::TextAnalyzer;

use super::query::Leaf;
use crate::index::analyzer;

/// `[start, end)` byte ranges in `text` of the words of `leaves`, sorted and
/// merged where they touch.
pub fn highlights<'a>(text: &str, leaves: impl IntoIterator<Item = &'a Leaf>) -> Vec<[usize; 2]> {
    let leaves: Vec<&Leaf> = leaves.into_iter().collect();
    if leaves.is_empty() {
        return Vec::new();
    }
    let mut analyzer: TextAnalyzer = analyzer::analyzer();
    let mut stream = analyzer.token_stream(text);
    // (position, term, byte range) of every token.
    let mut tokens: Vec<(usize, String, [usize; 2])> = Vec::new();
    while let Some(t) = stream.next() {
        tokens.push((t.position, t.text.clone(), [t.offset_from, t.offset_to]));
    }
    let at = |position: usize, term: &str| -> Option<[usize; 2]> {
        tokens
            .iter()
            .find(|(p, t, _)| *p == position && t == term)
            .map(|(_, _, r)| *r)
    };
    let mut ranges = Vec::new();
    for (position, term, range) in &tokens {
        for leaf in &leaves {
            if leaf.tokens.first() != Some(term) {
                continue;
            }
            let rest: Option<Vec<[usize; 2]>> = leaf.tokens[1..]
                .iter()
                .enumerate()
                .map(|(k, t)| at(position + k + 1, t))
                .collect();
            if let Some(rest) = rest {
                ranges.push(*range);
                ranges.extend(rest);
            }
        }
    }
    ranges.sort_unstable();
    // Pairs of characters overlap (東京, 京都): one range for the run.
    let mut merged: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(tokens: &[&str]) -> Leaf {
        Leaf {
            tokens: tokens.iter().map(|t| t.to_string()).collect(),
            weight: 1.0,
        }
    }

    #[test]
    fn stems_phrases_and_capitals_are_highlighted_exactly() {
        let text = "UP firms set up plants; investing in rare earth magnets, not rare metals.";
        let spans = |leaves: &[Leaf]| -> Vec<&str> {
            highlights(text, leaves)
                .iter()
                .map(|[a, b]| &text[*a..*b])
                .collect()
        };
        assert_eq!(spans(&[leaf(&["invest"])]), ["investing"]);
        assert_eq!(spans(&[leaf(&["rare", "earth"])]), ["rare", "earth"]);
        assert_eq!(spans(&[leaf(&["^up"])]), ["UP"]);
        assert_eq!(spans(&[leaf(&["up"])]), ["UP", "up"]);
        assert!(spans(&[leaf(&["hydrogen"])]).is_empty());
    }

    #[test]
    fn native_script_words_and_characters_are_highlighted_whole() {
        let text = "東京都の半導体工場に投資。उत्तर प्रदेश में निवेश।";
        let spans = |leaves: &[Leaf]| -> Vec<&str> {
            highlights(text, leaves)
                .iter()
                .map(|[a, b]| &text[*a..*b])
                .collect()
        };
        assert_eq!(spans(&[leaf(&["半導", "導体"])]), ["半導体"]);
        assert_eq!(spans(&[leaf(&["投資"])]), ["投資"]);
        assert_eq!(spans(&[leaf(&["東京"]), leaf(&["投資"])]), ["東京", "投資"]);
        assert_eq!(spans(&[leaf(&["प्रदेश"])]), ["प्रदेश"]);
        assert_eq!(spans(&[leaf(&["उत्तर", "प्रदेश"])]), ["उत्तर", "प्रदेश"]);
        assert_eq!(spans(&[leaf(&["निवेश"])]), ["निवेश"]);
    }
}
