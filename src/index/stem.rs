//! English stemming with a per-thread cache in front of the stemmer.
//!
//! Word frequencies are Zipfian: a few thousand words make up most of any
//! text, so most tokens are stemmed again and again. A cache of word → stem
//! turns those into one hash look-up; the stems are the Snowball English
//! stemmer's (the same algorithm tantivy's `Stemmer` runs).

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Entries kept per thread before the cache starts over: enough for the
/// working vocabulary of a large corpus, bounded for hostile input.
const CAPACITY: usize = 200_000;

type FoldMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The stemmer and its cache. Hashed with foldhash: several times faster
/// than SipHash on short words, and still seeded per process, so that a
/// hostile corpus cannot aim at collisions.
struct Cache {
    stemmer: frostem::Stemmer,
    /// Words whose word and stem both fit in [`SHORT`] bytes (nearly all),
    /// packed into integers: a hit reads the table slot and nothing else.
    /// The cache outgrows the CPU caches, and keys behind pointers made
    /// every hit a likely cache miss or two.
    short: FoldMap<u128, u128>,
    /// The other words; `None` when the stem is the word itself.
    long: FoldMap<Box<str>, Option<Box<str>>>,
}

/// The longest word kept in [`Cache::short`]: the 16th byte is the length.
const SHORT: usize = 15;

/// `word` as an integer: its bytes, zero-padded, and its length in the last
/// byte; `None` when longer than [`SHORT`].
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > SHORT {
        return None;
    }
    let mut buf = [0u8; 16];
    buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
    buf[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(buf))
}

/// Replaces `word` with the packed `value`; false (and `word` untouched)
/// if `value` is not a packed string.
fn unpack_into(value: u128, word: &mut String) -> bool {
    let buf = value.to_le_bytes();
    let len = usize::from(buf[15]);
    match buf.get(..len).map(std::str::from_utf8) {
        Some(Ok(text)) if len <= SHORT => {
            word.clear();
            word.push_str(text);
            true
        }
        _ => false,
    }
}

thread_local! {
    static STEMS: RefCell<Cache> = RefCell::new(Cache {
        stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        short: FoldMap::default(),
        long: FoldMap::default(),
    });
}

/// The token filter.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct CachedStemmerStream<T> {
    tail: T,
}

/// The stem of `word`, from the cache when seen before.
pub fn stem_into(word: &mut String) {
    STEMS.with(|cell| {
        let cache = &mut *cell.borrow_mut();
        let packed = pack(word);
        if let Some((key, stem)) =
            packed.and_then(|key| cache.short.get(&key).map(|stem| (key, *stem)))
        {
            // A word that is its own stem (most) is left as it is.
            if stem == key || unpack_into(stem, word) {
                return;
            }
        }
        if let Some(stem) = cache.long.get(word.as_str()) {
            if let Some(stem) = stem {
                word.clear();
                word.push_str(stem);
            }
            return;
        }
        let stem = cache.stemmer.stem(word);
        let changed: Option<Box<str>> =
            (stem.as_ref() != word.as_str()).then(|| stem.as_ref().into());
        if cache.short.len() + cache.long.len() >= CAPACITY {
            cache.short.clear();
            cache.long.clear();
        }
        match (packed, pack(changed.as_deref().unwrap_or(word))) {
            (Some(key), Some(value)) => {
                cache.short.insert(key, value);
            }
            _ => {
                cache.long.insert(word.as_str().into(), changed.clone());
            }
        }
        if let Some(stem) = &changed {
            word.clear();
            word.push_str(stem);
        }
    });
}

/// Whether a word is written in Latin letters (its first character comes
/// before Greek, U+0370): only those are English-stemmed. The English
/// stemmer has nothing to say of Devanagari or kanji, and the word's script
/// is what a query and an article share.
pub fn is_latin_word(word: &str) -> bool {
    word.chars().next().is_some_and(|c| (c as u32) < 0x370)
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let word = &mut self.tail.token_mut().text;
        if is_latin_word(word) {
            stem_into(word);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_stems_as_tantivy_cached_or_not() {
        use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
        let text = "Investments investing invested investors semiconductors chips \
                    Investments semiconductors prefectures prefecture electric vehicles \
                    plant tokyo plant tokyo a a 2024 2024";
        let tokens = |mut analyzer: TextAnalyzer| {
            let mut stream = analyzer.token_stream(text);
            let mut out = Vec::new();
            while let Some(t) = stream.next() {
                out.push((t.text.clone(), t.position, t.offset_from));
            }
            out
        };
        let ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer)
            .build();
        let theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let expected = tokens(theirs);
        assert_eq!(tokens(ours.clone()), expected);
        assert_eq!(tokens(ours), expected, "second pass, from the cache");
    }

    #[test]
    fn packing_round_trips_up_to_the_short_limit() {
        for word in [
            "",
            "a",
            "chip",
            "fifteen_bytes_x",
            "sixteen_bytes_xx",
            "ünïcödé",
            "東京都",
        ] {
            let packed = pack(word);
            assert_eq!(packed.is_some(), word.len() <= SHORT, "{word}");
            if let Some(p) = packed {
                let mut out = String::from("junk");
                assert!(unpack_into(p, &mut out));
                assert_eq!(out, word);
            }
        }
        // Not a packed string: the word is left alone.
        let mut out = String::from("kept");
        assert!(!unpack_into(u128::from_le_bytes([0xff; 16]), &mut out));
        assert_eq!(out, "kept");
    }

    #[test]
    fn short_long_and_odd_words_stem_as_uncached() {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let words = [
            "investments",
            "generously",
            "fifteencharsing",
            "sixteencharsings",
            "internationalizations",
            "cafés",
            "ünïcödéstemming",
            "happiness",
            "tokyo",
            "",
        ];
        for _ in 0..3 {
            for word in words {
                let mut cached = word.to_string();
                stem_into(&mut cached);
                assert_eq!(cached, stemmer.stem(word), "{word}");
            }
        }
    }

    #[test]
    fn cached_words_whose_stem_is_themselves_stay_as_they_are() {
        for _ in 0..2 {
            for (word, stem) in [("plant", "plant"), ("plants", "plant"), ("tokyo", "tokyo")] {
                let mut w = word.to_string();
                stem_into(&mut w);
                assert_eq!(w, stem);
            }
        }
    }
}
