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

/// Word -> stem, or `None` when the stem is the word itself (most words of a
/// text), so that such a hit copies nothing. Hashed with foldhash: several
/// times faster than SipHash on short words, and still seeded per process,
/// so that a hostile corpus cannot aim at collisions.
type Cache = HashMap<Box<str>, Option<Box<str>>, foldhash::fast::RandomState>;

thread_local! {
    static STEMS: RefCell<(frostem::Stemmer, Cache)> = RefCell::new((
        frostem::Stemmer::new(frostem::Algorithm::English),
        Cache::default(),
    ));
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
        let (stemmer, cache) = &mut *cell.borrow_mut();
        if let Some(stem) = cache.get(word.as_str()) {
            if let Some(stem) = stem {
                word.clear();
                word.push_str(stem);
            }
            return;
        }
        let stem = stemmer.stem(word);
        let changed: Option<Box<str>> =
            (stem.as_ref() != word.as_str()).then(|| stem.as_ref().into());
        if cache.len() >= CAPACITY {
            cache.clear();
        }
        let key: Box<str> = word.as_str().into();
        if let Some(stem) = &changed {
            word.clear();
            word.push_str(stem);
        }
        cache.insert(key, changed);
    });
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        stem_into(&mut self.tail.token_mut().text);
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
