//! The tokenizer of titles and passages: words by script.
//!
//! - A word is a run of letters and digits (`char::is_alphanumeric`, as
//!   tantivy's `SimpleTokenizer` cuts them, so English is cut exactly as
//!   before) in which combining marks and joiners stay (UAX #29, rule WB4):
//!   Devanagari, Tamil, Bengali… words keep their vowel signs and viramas
//!   ("प्रदेश" is one word, not three).
//! - Han, Hiragana and Katakana are written without spaces: each run of them
//!   is indexed as its overlapping pairs of characters (東京都 → 東京, 京都),
//!   one position each, as Lucene's CJK analyzer does, and a run of one
//!   character as that character. A query cut the same way is a phrase of
//!   pairs, so "半導体" finds 半導体 and "東京 投資" finds both words
//!   wherever they stand, with no dictionary.
//! - A word of [`LONGEST_WORD`] characters or more (base64 blobs, URLs) is
//!   dropped, still taking its position.
//!
//! ASCII text is read byte by byte; only other characters are decoded and
//! classified.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::script::{is_cjk, is_mark};

/// Words of this many characters or more are dropped (for ASCII words, the
/// bytes tantivy's `RemoveLongFilter::limit(40)` counted).
pub const LONGEST_WORD: usize = 40;

/// See the module documentation.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
            pairs: None,
        }
    }
}

/// A run of CJK characters being emitted pair by pair.
struct Pairs {
    /// Byte offset of the next pair's first character.
    from: usize,
    /// Byte offset where the run ends.
    end: usize,
}

pub struct WordStream<'a> {
    text: &'a str,
    /// Byte offset where scanning goes on.
    at: usize,
    token: &'a mut Token,
    pairs: Option<Pairs>,
}

/// The character at byte `i` of `text` and its length; `i` is a boundary.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

impl WordStream<'_> {
    fn emit(&mut self, from: usize, to: usize) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
    }

    /// The next pair of the current CJK run, if any is left.
    fn next_pair(&mut self) -> bool {
        let Some(pairs) = &mut self.pairs else {
            return false;
        };
        let (Some((_, first)), from) = (char_at(self.text, pairs.from), pairs.from) else {
            self.pairs = None;
            return false;
        };
        let second_at = from + first;
        match char_at(self.text, second_at) {
            Some((_, second)) if second_at < pairs.end => {
                pairs.from = second_at;
                let to = second_at + second;
                if to >= pairs.end {
                    self.pairs = None;
                }
                self.emit(from, to);
                true
            }
            _ => {
                self.pairs = None;
                false
            }
        }
    }

    /// The end of the CJK run starting at `from`.
    fn cjk_end(&self, from: usize) -> usize {
        let rest = &self.text[from..];
        rest.char_indices()
            .find(|(_, c)| !is_cjk(*c))
            .map_or(self.text.len(), |(i, _)| from + i)
    }

    /// The end of the word starting at `from` (a letter or digit, not CJK),
    /// and its length in characters.
    fn word_end(&self, from: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        // The ASCII letters and digits first, in a tight loop: most words
        // are nothing else.
        let ascii = bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - from);
        let mut i = from + ascii;
        let mut chars = ascii;
        if bytes.get(i).is_none_or(|b| *b < 0x80) {
            return (i, chars);
        }
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let Some((c, len)) = char_at(self.text, i) else {
                    break;
                };
                if !((c.is_alphanumeric() && !is_cjk(c)) || is_mark(c)) {
                    break;
                }
                i += len;
            }
            chars += 1;
        }
        (i, chars)
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.position = self.token.position.wrapping_add(1);
        if self.next_pair() {
            return true;
        }
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            // Spaces and punctuation, skipped in a tight loop.
            self.at += bytes[self.at..]
                .iter()
                .position(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
                .unwrap_or(bytes.len() - self.at);
            let from = self.at;
            let Some(&b) = bytes.get(from) else {
                break;
            };
            if b >= 0x80 {
                let Some((c, len)) = char_at(self.text, from) else {
                    self.at += 1;
                    continue;
                };
                if is_cjk(c) {
                    let end = self.cjk_end(from);
                    self.at = end;
                    if from + len >= end {
                        // A run of one character: itself.
                        self.emit(from, end);
                        return true;
                    }
                    self.pairs = Some(Pairs { from, end });
                    return self.next_pair();
                }
                if !c.is_alphanumeric() {
                    self.at += len;
                    continue;
                }
            }
            let (end, chars) = self.word_end(from);
            self.at = end;
            if chars >= LONGEST_WORD {
                // Dropped, but it takes its position.
                self.token.position = self.token.position.wrapping_add(1);
                continue;
            }
            self.emit(from, end);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn english_is_cut_as_tantivy_cut_it() {
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_WORD))
            .build();
        for text in [
            "UP signs MoU with Japan's Yamanashi — Rs 3,300 crore, “quoted” café",
            "a toolongtokentoolongtokentoolongtokentoolongtoken b",
            "x39aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x40aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa y",
            "  U.S.-Japan 2+2 dialogue; e-mail @ 10:30 IST (PTI)  ",
            "",
        ] {
            let mut stream = theirs.token_stream(text);
            let mut expected = Vec::new();
            while let Some(t) = stream.next() {
                expected.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            assert_eq!(tokens(text), expected, "{text:?}");
        }
    }

    #[test]
    fn indic_words_keep_their_vowel_signs_and_viramas() {
        assert_eq!(
            texts("उत्तर प्रदेश के मुख्यमंत्री, 5,000 करोड़ रुपये।"),
            ["उत्तर", "प्रदेश", "के", "मुख्यमंत्री", "5", "000", "करोड़", "रुपये"]
        );
        assert_eq!(texts("தமிழ்நாட்டில் முதலீடு"), ["தமிழ்நாட்டில்", "முதலீடு"]);
    }

    #[test]
    fn indic_words_are_the_words_of_uax_29() {
        use unicode_segmentation::UnicodeSegmentation;
        for text in [
            "उत्तर प्रदेश के मुख्यमंत्री योगी आदित्यनाथ ने टोक्यो में निवेशकों से मुलाकात की।",
            "தமிழ்நாடு அரசு ஜப்பானிய நிறுவனங்களுடன் புரிந்துணர்வு ஒப்பந்தம் செய்தது",
            "পশ্চিমবঙ্গে জাপানি বিনিয়োগ",
            "మహారాష్ట్ర ప్రభుత్వం; ಕರ್ನಾಟಕ; കേരളം; ગુજરાત સરકાર",
            "महाराष्ट्रात गुंतवणूक",
        ] {
            let ours = texts(text);
            let theirs: Vec<&str> = text.unicode_words().collect();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn cjk_runs_become_overlapping_pairs() {
        let t = tokens("東京都の半導体、AI工場 県");
        let got: Vec<(&str, usize)> = t.iter().map(|(s, p, _, _)| (s.as_str(), *p)).collect();
        assert_eq!(
            got,
            [
                ("東京", 0),
                ("京都", 1),
                ("都の", 2),
                ("の半", 3),
                ("半導", 4),
                ("導体", 5),
                ("AI", 6),
                ("工場", 7),
                ("県", 8),
            ]
        );
        // Offsets are those of the characters.
        let text = "東京都";
        for (s, _, from, to) in tokens(text) {
            assert_eq!(&text[from..to], s);
        }
        // The middle dot separates; the prolonged sound mark does not.
        assert_eq!(
            texts("タミル・ナードゥ州"),
            ["タミ", "ミル", "ナー", "ード", "ドゥ", "ゥ州"]
        );
    }

    #[test]
    fn odd_text_never_panics_and_marks_alone_are_no_words() {
        assert!(texts("\u{094D} \u{093C} ・ 、。").is_empty());
        assert_eq!(texts("a\u{0301}b"), ["a\u{0301}b"]);
        let long = "क".repeat(LONGEST_WORD) + " ख";
        let t = tokens(&long);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].0.as_str(), t[0].1), ("ख", 1));
        let _ = tokens("東");
        let _ = tokens("\u{10FFFF}東\u{0}");
    }
}
