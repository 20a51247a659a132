//! Writing systems, for the stages that cut or count text: which characters
//! belong to the scripts written without spaces (Han, Hiragana, Katakana),
//! which are combining marks that belong inside a word (the vowel signs and
//! viramas of Indic scripts), where sentences end, and how many words a text
//! holds whatever its script.
//!
//! The lowest stage: it imports nothing of newsidx, so that reading,
//! extraction, passages and the analyzer all share one answer.

/// Whether `c` is written in a script without spaces between words, whose
/// runs the analyzer cuts into overlapping pairs of characters: Han
/// (kanji), Hiragana, Katakana (full and half width), with the prolonged
/// sound mark and the iteration marks that stand inside their words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007        // 々 〆 〇
        | 0x3041..=0x3096      // Hiragana
        | 0x309D..=0x309F      // Hiragana iteration marks
        | 0x30A1..=0x30FA      // Katakana
        | 0x30FC..=0x30FF      // ー and Katakana iteration marks (not the middle dot ・)
        | 0x31F0..=0x31FF      // Katakana phonetic extensions
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9F      // half-width Katakana
        | 0x20000..=0x3134F    // CJK Extensions B-G
    )
}

/// Whether `c` is a combining mark or a joiner, which belongs to the word
/// it follows (UAX #29, rule WB4): the vowel signs, viramas and nuktas of
/// Devanagari, Tamil, Bengali… (`char::is_alphanumeric` is false for some
/// of them, which is how tantivy's simple tokenizer cut "प्रदेश" in three),
/// and accents written as separate characters.
pub fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && (matches!(c, '\u{200C}' | '\u{200D}')
            || unicode_normalization::char::is_combining_mark(c))
}

/// Whether `c` is a letter of one of the Brahmic scripts of India
/// (Devanagari to Malayalam), whose languages add case endings and
/// postpositions to a word's end ("தமிழ்நாட்டில்", in Tamil Nadu).
pub fn is_indic(c: char) -> bool {
    matches!(c as u32, 0x0900..=0x0D7F)
}

/// Whether `c` ends a sentence: the full stops, question and exclamation
/// marks of Latin text, the danda of Devanagari and Bengali (।, ॥) and the
/// ideographic full stop (。) with the full-width marks of Japanese.
pub fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '।' | '॥' | '。' | '！' | '？')
}

/// Whether `c` is a letter of a script without capitals (Devanagari, Tamil,
/// kanji…): the rules that ask for a capital ("a proper name starts with
/// one") cannot ask it of such a letter.
pub fn is_uncased_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase()
}

/// Characters of a script without spaces that count as one word: the mean
/// length of a Japanese word, so that a Japanese paragraph and an English
/// one of the same content count about the same.
pub const CJK_CHARS_PER_WORD: usize = 2;

/// The number of words in `text`: its whitespace-separated words, where a
/// run of Han, Hiragana or Katakana counts one word per
/// [`CJK_CHARS_PER_WORD`] characters (rounded up). For text without those
/// scripts it is `split_whitespace().count()`.
pub fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        return text.split_whitespace().count();
    }
    text.split_whitespace().map(word_weight).sum()
}

/// How many words one whitespace-separated word counts for (see
/// [`word_count`]): 1, or more for a run of Japanese text.
pub fn word_weight(word: &str) -> usize {
    if word.is_ascii() || !word.chars().any(is_cjk) {
        return 1;
    }
    let mut words = 0;
    let mut cjk: usize = 0;
    let mut in_other = false;
    for c in word.chars() {
        if is_cjk(c) {
            cjk += 1;
            in_other = false;
        } else if c.is_alphanumeric() && !in_other {
            words += 1;
            in_other = true;
        }
    }
    (words + cjk.div_ceil(CJK_CHARS_PER_WORD)).max(1)
}

/// Whether `c` is a Katakana letter (or the prolonged sound mark): Katakana
/// words stand in a run, so a name in Katakana ends where the run ends
/// (インド is not the start of インドネシア).
pub fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// Whether `c` belongs inside a word: a letter, a digit, `_` or a combining
/// mark.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// Whether `text[start..end]`, a name or term found in `text`, stands as a
/// word of its own, by the rules of its script:
/// - Latin and other scripts with spaces: no letter, digit or mark touches
///   it on either side;
/// - Han and Hiragana: anything may touch it (Japanese has no spaces:
///   愛知県の);
/// - Katakana: no other Katakana touches it, since a Katakana word is its
///   whole run;
/// - with `inflected`, an Indic name may go on with a case ending or
///   postposition (தமிழ்நாட்டில், महाराष्ट्रात): only its start is a word's
///   start.
pub fn stands_alone(text: &str, start: usize, end: usize, inflected: bool) -> bool {
    let (Some(matched), Some(head), Some(tail)) =
        (text.get(start..end), text.get(..start), text.get(end..))
    else {
        return false;
    };
    let (Some(first), Some(last)) = (matched.chars().next(), matched.chars().next_back()) else {
        return false;
    };
    let before = head.chars().next_back();
    let after = tail.chars().next();
    let left = if is_katakana(first) {
        !before.is_some_and(is_katakana)
    } else if is_cjk(first) {
        true
    } else {
        !before.is_some_and(is_word_char)
    };
    let right = if is_katakana(last) {
        !after.is_some_and(is_katakana)
    } else if is_cjk(last) || (inflected && is_indic(last)) {
        true
    } else {
        !after.is_some_and(is_word_char)
    };
    left && right
}

/// `text` with the digits of other scripts (Devanagari ०–९, Bengali, Tamil,
/// Gujarati…, full-width ０–９) written as ASCII digits, so that one number
/// pattern reads them all; borrowed when there is none.
pub fn ascii_digits(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| native_digit(c).map_or(c, |d| char::from(b'0' + d)))
            .collect(),
    )
}

/// The value of a decimal digit of another script (Unicode category Nd,
/// in blocks of ten starting at zero).
fn native_digit(c: char) -> Option<u8> {
    const ZEROS: &[u32] = &[
        0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0xFF10,
    ];
    let code = c as u32;
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .map(|zero| (code - zero) as u8)
}

/// Which script `text` is written in, as a key to compare: 0 for Latin
/// letters (and text without letters), 1 for Han, Hiragana and Katakana,
/// else the Unicode block of its first letter (Devanagari, Tamil…).
pub fn script_key(text: &str) -> u32 {
    match text.chars().find(|c| c.is_alphabetic()) {
        None => 0,
        Some(c) if (c as u32) < 0x370 => 0,
        Some(c) if is_cjk(c) => 1,
        Some(c) => (c as u32) >> 7,
    }
}

/// Whether `text` may hold a letter of an Indic script, of Japanese or
/// Chinese, or a full-width form: it has a UTF-8 lead byte of their
/// ranges (U+0800–U+0FFF, U+3000–U+9FFF, U+F000–U+FFFF, or beyond U+FFFF).
/// False for ASCII text and for Latin text with accents or curly quotes, so
/// that the matchers of names in those scripts skip it.
pub fn may_hold_other_scripts(text: &str) -> bool {
    !text.is_ascii()
        && text
            .bytes()
            .any(|b| b == 0xE0 || (0xE3..=0xE9).contains(&b) || b >= 0xEF)
}

/// Whether `text` holds a character of a script without spaces.
pub fn has_cjk(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        for c in ['東', '京', 'の', 'タ', 'ー', '々', 'ｶ'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['・', 'a', 'क', '、', '。', '한'] {
            assert!(!is_cjk(c), "{c}");
        }
        // The virama and nukta are marks; vowel signs too.
        for c in [
            '\u{094D}', '\u{093C}', '\u{093F}', '\u{0BCD}', '\u{0301}', '\u{200D}',
        ] {
            assert!(is_mark(c), "{:04x}", c as u32);
        }
        for c in ['a', 'क', '.', ' ', '東'] {
            assert!(!is_mark(c), "{c}");
        }
        assert!(is_uncased_letter('क') && is_uncased_letter('東'));
        assert!(!is_uncased_letter('a') && !is_uncased_letter('A') && !is_uncased_letter('1'));
        assert!(is_indic('த') && !is_indic('a') && !is_indic('東'));
    }

    #[test]
    fn words_are_counted_in_every_script() {
        assert_eq!(word_count("Tamil Nadu signs six MoUs"), 5);
        assert_eq!(word_count("उत्तर प्रदेश के मुख्यमंत्री"), 4);
        // Eight characters of Japanese: four words.
        assert_eq!(word_count("半導体の工場を建設"), 5);
        assert_eq!(word_count("愛知県 Toyota 工場"), 2 + 1 + 1);
        assert_eq!(word_count(""), 0);
        assert!(has_cjk("In 東京") && !has_cjk("In Tokyo") && !has_cjk("टोक्यो"));
        // A word with curly quotes counts once, as before.
        assert_eq!(word_count("Japan’s “chip” push"), 3);
    }

    #[test]
    fn names_stand_alone_by_the_rules_of_their_script() {
        let at = |text: &str, name: &str, inflected: bool| {
            let start = text.find(name).expect("present");
            stands_alone(text, start, start + name.len(), inflected)
        };
        assert!(at("in Goa today", "Goa", false));
        assert!(!at("in Goan food", "Goa", false));
        assert!(at("愛知県の企業", "愛知県", false));
        assert!(at("インド南部", "インド", false));
        assert!(!at("インドネシア", "インド", false));
        assert!(at("タミル・ナードゥ州に", "タミル・ナードゥ", false));
        assert!(at("தமிழ்நாட்டில் முதலீடு", "தமிழ்நாட்ட", true));
        assert!(!at("தமிழ்நாட்டில் முதலீடு", "தமிழ்நாட்ட", false));
        assert!(at("महाराष्ट्रात गुंतवणूक", "महाराष्ट्र", true));
        assert!(!at("उपमहाराष्ट्र", "महाराष्ट्र", true));
    }

    #[test]
    fn native_digits_become_ascii() {
        assert_eq!(ascii_digits("५,००० करोड़"), "5,000 करोड़");
        assert_eq!(ascii_digits("２０２５年８月"), "2025年8月");
        assert_eq!(ascii_digits("௨௦௨௫ and ৩"), "2025 and 3");
        assert!(matches!(
            ascii_digits("Rs 5 crore"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            ascii_digits("東京 ₹"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
