//! The text analyzer of titles and passages, in one place, because the index
//! and every query must cut text the same way.
//!
//! Words are cut by script ([`super::tokenizer`]: Indic words whole, Japanese
//! and Chinese as overlapping pairs of characters), lowercased, accents folded
//! and, when written in Latin letters, English-stemmed, so that "investments"
//! finds "investing" and "Telangána" finds "Telangana". One field holds every
//! language: stemming goes by the word's script, not the article's language,
//! so an English word quoted in a Hindi article is stemmed as it is in an
//! English one and a query, which has no language, is cut the same way. A word
//! written in capitals (two to five letters: "UP", "TN", "IT") is indexed a
//! second time, at the same position, under a marked term (`^up`): a query
//! that types an ambiguous abbreviation in capitals then matches "UP" and not
//! the "up" of "set up".

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use super::stem::CachedStemmer;
use super::tokenizer::WordTokenizer;

/// The name the analyzer is registered under in every index.
pub const NAME: &str = "newsidx_en";

/// Bumped whenever the analyzer cuts or normalises text differently: an index
/// analysed otherwise must be rebuilt (it is recorded in the manifest).
/// Version 3: words by script (Indic words whole, CJK pairs), stems only
/// for words in Latin letters.
pub const VERSION: u32 = 3;

/// Prefix of the extra term under which a word in capitals is indexed. The
/// tokenizer never keeps it inside a word, so no typed text can produce it.
pub const CAPITALS_MARK: char = '^';

/// The analyzer of title and passage text.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .filter(MarkCapitals)
        .build()
}

/// The marked term of a word written in capitals ("UP" → `^up`), or `None`
/// when the word is not two to five capital ASCII letters.
pub fn capitals_term(word: &str) -> Option<String> {
    is_capitals(word).then(|| format!("{CAPITALS_MARK}{}", word.to_ascii_lowercase()))
}

/// Whether a term is the marked twin of a word in capitals.
pub fn is_capitals_term(term: &str) -> bool {
    term.starts_with(CAPITALS_MARK)
}

fn is_capitals(word: &str) -> bool {
    crate::taxonomy::is_abbreviation(word)
}

/// How many token positions `text` takes in a field: the last position the
/// analyzer gives a token, plus one (0 for text without tokens). Tantivy
/// starts each further value of a multi-valued field one position past the
/// previous value's end, so the passages' spans locate them in an article's
/// positions (see `index::docs`).
pub fn position_span(text: &str) -> u32 {
    // Only the tokenizer decides positions: no filter drops a token.
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut end = 0;
    while let Some(token) = stream.next() {
        end = end.max(token.position as u32 + token.position_length as u32);
    }
    end
}

/// The filter adding the marked twin of each word in capitals. It is the
/// last filter, so that it can look at the word as written.
#[derive(Clone, Copy, Debug, Default)]
pub struct MarkCapitals;

impl TokenFilter for MarkCapitals {
    type Tokenizer<T: Tokenizer> = MarkCapitalsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MarkCapitalsFilter<T> {
        MarkCapitalsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct MarkCapitalsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MarkCapitalsFilter<T> {
    type TokenStream<'a> = MarkCapitalsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MarkCapitalsStream {
            text,
            tail: self.inner.token_stream(text),
            twin: Token::default(),
            twin_waiting: false,
            on_twin: false,
        }
    }
}

pub struct MarkCapitalsStream<'a, T> {
    text: &'a str,
    tail: T,
    twin: Token,
    /// The twin of the current token is the next token.
    twin_waiting: bool,
    /// The current token is a twin.
    on_twin: bool,
}

impl<T: TokenStream> TokenStream for MarkCapitalsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.twin_waiting {
            self.twin_waiting = false;
            self.on_twin = true;
            return true;
        }
        self.on_twin = false;
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        let written = self
            .text
            .get(token.offset_from..token.offset_to)
            .unwrap_or_default();
        if let Some(term) = capitals_term(written) {
            self.twin = Token {
                text: term,
                ..token.clone()
            };
            self.twin_waiting = true;
        }
        true
    }

    fn token(&self) -> &Token {
        if self.on_twin {
            &self.twin
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.on_twin {
            &mut self.twin
        } else {
            self.tail.token_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn words_in_capitals_get_a_marked_twin_at_their_position() {
        assert_eq!(
            tokens("UP set up plants"),
            vec![
                ("up".to_string(), 0),
                ("^up".to_string(), 0),
                ("set".to_string(), 1),
                ("up".to_string(), 2),
                ("plant".to_string(), 3),
            ]
        );
        // Longer words in capitals (a shouting headline) and mixed case are
        // indexed once.
        assert_eq!(tokens("TOYOTA MoU").len(), 2);
        assert_eq!(capitals_term("TN"), Some("^tn".to_string()));
        assert_eq!(capitals_term("Tn"), None);
        assert_eq!(capitals_term("T"), None);
    }

    #[test]
    fn position_span_counts_what_the_analyzer_positions() {
        for text in [
            "",
            "   ",
            "one",
            "UP signs MoU with Japan's Yamanashi",
            "a toolongtokentoolongtokentoolongtokentoolongtoken b",
            "ends with toolongtokentoolongtokentoolongtokentoolongtoken",
            "उत्तर प्रदेश के मुख्यमंत्री टोक्यो में",
            "東京都の半導体工場、AI 県",
            "タミル・ナードゥ州 Chennai 東",
        ] {
            let expected = tokens(text)
                .iter()
                .map(|(_, p)| *p as u32 + 1)
                .max()
                .unwrap_or(0);
            assert_eq!(position_span(text), expected, "{text:?}");
        }
    }
}
