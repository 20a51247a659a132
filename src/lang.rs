//! The language of an article, as an ISO 639-1 code ("hi", "ta", "ja").
//!
//! Detected from the text with `whatlang`: it covers the languages of this
//! domain (Hindi, Marathi, Tamil, Telugu, Bengali, Gujarati, Kannada,
//! Malayalam, Punjabi, Odia, Japanese, English… 69 in all), by script where
//! a script has one language and by trigrams where it has several
//! (Devanagari: Hindi, Marathi, Nepali), with no model to download.
//! `whichlang` is faster but knows Hindi alone of India's languages.
//!
//! The language is the main one of the article: an English article quoting a
//! Hindi sentence is English, a Hindi one with English terms Hindi. A
//! format may give it (a JSON-lines `lang` field), which overrides the text.

use whatlang::Lang;

/// Bytes of an article the detector reads: its main language is decided
/// within the first few paragraphs, and a bounded sample keeps detection
/// cheap on long articles.
const SAMPLE_BYTES: usize = 4096;

/// ISO 639-1 code, ISO 639-3 code (whatlang's) and English name of every
/// language the detector knows.
const LANGUAGES: &[(&str, &str, &str)] = &[
    ("af", "afr", "Afrikaans"),
    ("ak", "aka", "Akan"),
    ("am", "amh", "Amharic"),
    ("ar", "ara", "Arabic"),
    ("az", "aze", "Azerbaijani"),
    ("be", "bel", "Belarusian"),
    ("bg", "bul", "Bulgarian"),
    ("bn", "ben", "Bengali"),
    ("ca", "cat", "Catalan"),
    ("cs", "ces", "Czech"),
    ("cy", "cym", "Welsh"),
    ("da", "dan", "Danish"),
    ("de", "deu", "German"),
    ("el", "ell", "Greek"),
    ("en", "eng", "English"),
    ("eo", "epo", "Esperanto"),
    ("es", "spa", "Spanish"),
    ("et", "est", "Estonian"),
    ("fa", "pes", "Persian"),
    ("fi", "fin", "Finnish"),
    ("fr", "fra", "French"),
    ("gu", "guj", "Gujarati"),
    ("he", "heb", "Hebrew"),
    ("hi", "hin", "Hindi"),
    ("hr", "hrv", "Croatian"),
    ("hu", "hun", "Hungarian"),
    ("hy", "hye", "Armenian"),
    ("id", "ind", "Indonesian"),
    ("it", "ita", "Italian"),
    ("ja", "jpn", "Japanese"),
    ("jv", "jav", "Javanese"),
    ("ka", "kat", "Georgian"),
    ("km", "khm", "Khmer"),
    ("kn", "kan", "Kannada"),
    ("ko", "kor", "Korean"),
    ("la", "lat", "Latin"),
    ("lt", "lit", "Lithuanian"),
    ("lv", "lav", "Latvian"),
    ("mk", "mkd", "Macedonian"),
    ("ml", "mal", "Malayalam"),
    ("mr", "mar", "Marathi"),
    ("my", "mya", "Burmese"),
    ("nb", "nob", "Norwegian Bokmål"),
    ("ne", "nep", "Nepali"),
    ("nl", "nld", "Dutch"),
    ("or", "ori", "Odia"),
    ("pa", "pan", "Punjabi"),
    ("pl", "pol", "Polish"),
    ("pt", "por", "Portuguese"),
    ("ro", "ron", "Romanian"),
    ("ru", "rus", "Russian"),
    ("si", "sin", "Sinhala"),
    ("sk", "slk", "Slovak"),
    ("sl", "slv", "Slovenian"),
    ("sn", "sna", "Shona"),
    ("sr", "srp", "Serbian"),
    ("sv", "swe", "Swedish"),
    ("ta", "tam", "Tamil"),
    ("te", "tel", "Telugu"),
    ("th", "tha", "Thai"),
    ("tk", "tuk", "Turkmen"),
    ("tl", "tgl", "Tagalog"),
    ("tr", "tur", "Turkish"),
    ("uk", "ukr", "Ukrainian"),
    ("ur", "urd", "Urdu"),
    ("uz", "uzb", "Uzbek"),
    ("vi", "vie", "Vietnamese"),
    ("yi", "yid", "Yiddish"),
    ("zh", "cmn", "Chinese"),
    ("zu", "zul", "Zulu"),
];

/// The main language of `text`, or `None` when it has no letters to tell.
/// Latin-script text the detector cannot tell apart with confidence (a
/// short text, a list of names) is taken for English, the language of most
/// of this domain's articles.
pub fn detect(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if reads_as_english(sample) {
        return Some("en");
    }
    let info = whatlang::detect(sample)?;
    let latin = info.script() == whatlang::Script::Latin;
    if latin && !info.is_reliable() {
        return Some("en");
    }
    code_of(info.lang())
}

/// English function words: a text in which they make a fifth of the words
/// is English. In English prose they make a third or more, in other
/// languages written in Latin letters next to none; the test costs a few
/// microseconds where the detector's trigrams cost a quarter of a
/// millisecond, and most articles of this domain are in English.
const ENGLISH_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "is", "for", "on", "that", "with", "by", "as", "at",
    "from", "was", "were", "has", "have", "its", "it", "an", "be", "will", "said", "this", "are",
];

/// Whether `text` reads as English by its function words (see
/// [`ENGLISH_WORDS`]): at least 40 words, a fifth of them function words.
fn reads_as_english(text: &str) -> bool {
    let (mut words, mut function) = (0usize, 0usize);
    for word in text.split_whitespace().take(400) {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        words += 1;
        if word.len() <= 5 && is_english_word(word) {
            function += 1;
        }
    }
    words >= 40 && function * 5 >= words
}

/// Whether `word` (five bytes at most) is one of [`ENGLISH_WORDS`], in any
/// case.
fn is_english_word(word: &str) -> bool {
    let mut lower = [0u8; 5];
    let bytes = word.as_bytes();
    let Some(buf) = lower.get_mut(..bytes.len()) else {
        return false;
    };
    for (b, w) in buf.iter_mut().zip(bytes) {
        *b = w.to_ascii_lowercase();
    }
    ENGLISH_WORDS.iter().any(|w| w.as_bytes() == &*buf)
}

fn code_of(lang: Lang) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(_, three, _)| *three == lang.code())
        .map(|(two, _, _)| *two)
}

/// The ISO 639-1 code for a code or name a user or a file gives: "hi",
/// "HIN", "Hindi" → "hi". `None` for anything else.
pub fn resolve(input: &str) -> Option<&'static str> {
    let key = input.trim().to_lowercase();
    LANGUAGES
        .iter()
        .find(|(two, three, name)| *two == key || *three == key || name.to_lowercase() == key)
        .map(|(two, _, _)| *two)
}

/// The English name of a code ("hi" → "Hindi").
pub fn name(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(two, _, _)| *two == code)
        .map(|(_, _, name)| *name)
}

/// Every ISO 639-1 code known, for error messages.
pub fn codes() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(two, _, _)| *two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detector_language_has_a_code() {
        for lang in Lang::all() {
            assert!(code_of(*lang).is_some(), "{}", lang.code());
        }
    }

    #[test]
    fn detects_the_languages_of_the_domain() {
        let cases = [
            ("Tamil Nadu signed six memoranda of understanding with Japanese companies on Monday, the industries minister said.", "en"),
            ("उत्तर प्रदेश के मुख्यमंत्री ने टोक्यो में जापानी कंपनियों के साथ निवेश पर बातचीत की और कहा कि राज्य में उद्योग के लिए जमीन तैयार है।", "hi"),
            ("पर्यटन क्षेत्रासाठी जपानचे गोव्याला सहकार्य मिळणार असून, जपानचे कोन्सुलेट जनरल यांनी गुरुवारी पर्यटन संचालकांची भेट घेऊन या विषयावर चर्चा केली.", "mr"),
            ("தமிழ்நாடு அரசு ஜப்பானிய நிறுவனங்களுடன் ஆறு புரிந்துணர்வு ஒப்பந்தங்களில் கையெழுத்திட்டது.", "ta"),
            ("తెలంగాణ ప్రభుత్వం జపాన్ కంపెనీలతో ఒప్పందం కుదుర్చుకుంది.", "te"),
            ("পশ্চিমবঙ্গ সরকার জাপানি সংস্থার সঙ্গে চুক্তি স্বাক্ষর করেছে।", "bn"),
            ("愛知県の企業がタミル・ナードゥ州に半導体工場を建設すると発表した。", "ja"),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), Some(want), "{text}");
        }
        assert_eq!(detect(""), None);
        assert_eq!(detect("1234 -- !!"), None);
        // Too little to tell: Latin letters are taken for English.
        assert_eq!(detect("Goa"), Some("en"));
    }

    #[test]
    fn english_is_told_by_its_function_words_and_others_are_not() {
        let english = "The state government said on Monday that it has signed an agreement \
            with a Japanese company for a plant in the district, and that the plant will \
            employ about two thousand people when it opens. The minister was in Tokyo for \
            the talks, which were held at the embassy of India with officials of the firm.";
        assert!(reads_as_english(english));
        let french = "Le gouvernement de l'État a signé lundi un accord avec une entreprise \
            japonaise pour une usine dans le district, qui emploiera environ deux mille \
            personnes à son ouverture. Le ministre était à Tokyo pour les discussions, qui \
            se sont tenues à l'ambassade de l'Inde avec des responsables de la société.";
        assert!(!reads_as_english(french));
        assert_eq!(detect(french), Some("fr"));
        assert!(!reads_as_english("The chip plant."), "too short to tell");
    }

    #[test]
    fn codes_and_names_resolve() {
        assert_eq!(resolve("hi"), Some("hi"));
        assert_eq!(resolve(" HIN "), Some("hi"));
        assert_eq!(resolve("Tamil"), Some("ta"));
        assert_eq!(resolve("japanese"), Some("ja"));
        assert_eq!(resolve("xx"), None);
        assert_eq!(resolve(""), None);
        assert_eq!(name("ja"), Some("Japanese"));
    }
}
