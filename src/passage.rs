//! Passages, the retrieval unit: an article's cleaned body cut into
//! paragraph-sized pieces, so that a hit points at the words that matter and
//! BM25 is not diluted by a long article.

use std::borrow::Cow;

/// Paragraphs shorter than this are merged with the next one.
pub const MIN_WORDS: usize = 40;
/// Paragraphs longer than this are split at sentence ends.
pub const MAX_WORDS: usize = 120;

/// One passage of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Position in the article, from 0.
    pub ordinal: u64,
    pub text: String,
}

/// Splits `body` (one paragraph per line) into passages of about
/// [`MIN_WORDS`]..[`MAX_WORDS`] words. Sentence boundaries are respected; a
/// single sentence longer than the maximum is cut at word boundaries.
pub fn split(body: &str) -> Vec<Passage> {
    // Every piece carries its word count: pieces are joined with a newline,
    // so a join's count is the sum of its parts' and nothing is recounted.
    let mut pieces: Vec<(Cow<'_, str>, usize)> = Vec::new();
    for paragraph in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words = word_count(paragraph);
        if words <= MAX_WORDS {
            pieces.push((Cow::Borrowed(paragraph), words));
        } else {
            pieces.extend(
                split_long(paragraph)
                    .into_iter()
                    .map(|(piece, words)| (Cow::Owned(piece), words)),
            );
        }
    }
    // Merge short pieces forward, but never past the maximum.
    let mut merged: Vec<String> = Vec::new();
    let mut last_words = 0;
    let mut current = String::new();
    let mut current_words = 0;
    for (piece, words) in pieces {
        if !current.is_empty() && current_words + words > MAX_WORDS {
            merged.push(std::mem::take(&mut current));
            last_words = std::mem::take(&mut current_words);
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&piece);
        current_words += words;
        if current_words >= MIN_WORDS {
            merged.push(std::mem::take(&mut current));
            last_words = std::mem::take(&mut current_words);
        }
    }
    if !current.is_empty() {
        // A short tail joins the previous passage when that stays within bounds.
        match merged.last_mut() {
            Some(last) if last_words + current_words <= MAX_WORDS => {
                last.push('\n');
                last.push_str(&current);
            }
            _ => merged.push(current),
        }
    }
    merged
        .into_iter()
        .enumerate()
        .map(|(i, text)| Passage {
            ordinal: i as u64,
            text,
        })
        .collect()
}

/// Words of a text, as [`crate::script::word_count`] counts them: Japanese,
/// written without spaces, counts by its characters.
fn word_count(text: &str) -> usize {
    crate::script::word_count(text)
}

/// Cuts a long paragraph into pieces of at most [`MAX_WORDS`] words, at
/// sentence ends where possible; each piece with its word count.
fn split_long(paragraph: &str) -> Vec<(String, usize)> {
    if crate::script::has_cjk(paragraph) {
        return split_long_cjk(paragraph);
    }
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut last_sentence_end = 0;
    for word in paragraph.split_whitespace() {
        current.push(word);
        if ends_sentence(word) {
            last_sentence_end = current.len();
        }
        if current.len() >= MAX_WORDS {
            let cut = if last_sentence_end >= MIN_WORDS {
                last_sentence_end
            } else {
                current.len()
            };
            out.push((current[..cut].join(" "), cut));
            current.drain(..cut);
            last_sentence_end = 0;
        }
    }
    if !current.is_empty() {
        out.push((current.join(" "), current.len()));
    }
    out
}

/// [`split_long`] for a paragraph holding Japanese: its units are its
/// whitespace-separated words, a run of Japanese cut after each sentence end
/// (。！？) and into pieces of at most [`MAX_WORDS`] words; the pieces keep
/// the paragraph's own text between their units.
fn split_long_cjk(paragraph: &str) -> Vec<(String, usize)> {
    // (start, end, words, ends a sentence)
    let mut units: Vec<(usize, usize, usize, bool)> = Vec::new();
    let mut offset = 0;
    for word in paragraph.split_whitespace() {
        let start = offset + paragraph[offset..].find(word).unwrap_or(0);
        offset = start + word.len();
        let mut from = 0;
        for (i, c) in word.char_indices() {
            let end = i + c.len_utf8();
            let piece = &word[from..end];
            let full = crate::script::word_weight(piece) >= MAX_WORDS;
            if matches!(c, '。' | '！' | '？') || full {
                units.push((
                    start + from,
                    start + end,
                    crate::script::word_weight(piece),
                    true,
                ));
                from = end;
            }
        }
        if from < word.len() {
            let piece = &word[from..];
            units.push((
                start + from,
                start + word.len(),
                crate::script::word_weight(piece),
                ends_sentence(piece),
            ));
        }
    }
    let mut out = Vec::new();
    let mut first = 0;
    let mut words = 0;
    let mut last_end_at: Option<(usize, usize)> = None; // (unit index, words up to it)
    let mut i = 0;
    while i < units.len() {
        words += units[i].2;
        if units[i].3 {
            last_end_at = Some((i, words));
        }
        if words >= MAX_WORDS {
            let (cut, cut_words) = match last_end_at {
                Some((j, w)) if w >= MIN_WORDS => (j, w),
                _ => (i, words),
            };
            out.push((
                paragraph[units[first].0..units[cut].1].to_string(),
                cut_words,
            ));
            first = cut + 1;
            i = cut + 1;
            words = 0;
            last_end_at = None;
            continue;
        }
        i += 1;
    }
    if first < units.len() {
        let words = units[first..].iter().map(|u| u.2).sum();
        out.push((
            paragraph[units[first].0..units[units.len() - 1].1].to_string(),
            words,
        ));
    }
    out
}

fn ends_sentence(word: &str) -> bool {
    let word = word.trim_end_matches(['"', '\'', '”', '’', ')']);
    word.ends_with(['.', '!', '?']) && !word.ends_with("..") && word.chars().count() > 3
        || word.ends_with(['।', '॥'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, tag: &str) -> String {
        let mut s: Vec<String> = (0..n).map(|i| format!("{tag}{i}")).collect();
        if let Some(last) = s.last_mut() {
            last.push('.');
        }
        s.join(" ")
    }

    #[test]
    fn japanese_paragraphs_split_at_sentence_ends() {
        // One paragraph of 30 sentences of 20 characters (10 words each):
        // 300 words, cut at 。 into pieces of at most 120 words.
        let sentence = "愛知県の企業がインドに半導体の工場を建設。";
        let paragraph = sentence.repeat(30);
        let passages = split(&paragraph);
        assert!(passages.len() >= 3, "{}", passages.len());
        let mut joined = String::new();
        for p in &passages {
            let words = word_count(&p.text);
            assert!((MIN_WORDS..=MAX_WORDS).contains(&words), "{words}");
            assert!(p.text.ends_with('。'), "{}", p.text);
            joined.push_str(&p.text);
        }
        // Nothing is lost or added.
        assert_eq!(joined, paragraph);
        // A run with no sentence end at all is still cut.
        let run = "半導体".repeat(400);
        let passages = split(&run);
        assert!(passages.len() >= 5);
        assert_eq!(
            passages.iter().map(|p| p.text.as_str()).collect::<String>(),
            run
        );
    }

    #[test]
    fn short_paragraphs_merge_and_long_ones_split() {
        let body = format!(
            "{}\n{}\n{} {}\n",
            words(10, "a"),
            words(35, "b"),
            words(90, "c"),
            words(90, "d")
        );
        let passages = split(&body);
        let counts: Vec<usize> = passages.iter().map(|p| word_count(&p.text)).collect();
        assert_eq!(counts, vec![45, 90, 90]);
        assert!(passages[0].text.starts_with("a0") && passages[0].text.contains("\nb0"));
        assert!(passages[2].text.starts_with("d0"));
        assert_eq!(passages[2].ordinal, 2);
    }

    #[test]
    fn sentence_without_end_is_cut_at_the_maximum() {
        let body = (0..300)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let counts: Vec<usize> = split(&body).iter().map(|p| word_count(&p.text)).collect();
        assert_eq!(counts, vec![120, 120, 60]);
    }

    /// The merge as it was before word counts were carried along: every
    /// count recomputed from the text.
    fn recounting_split(body: &str) -> Vec<String> {
        let mut pieces: Vec<String> = Vec::new();
        for paragraph in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if word_count(paragraph) <= MAX_WORDS {
                pieces.push(paragraph.to_string());
            } else {
                pieces.extend(split_long(paragraph).into_iter().map(|(p, _)| p));
            }
        }
        let mut merged: Vec<String> = Vec::new();
        let mut current = String::new();
        for piece in pieces {
            if !current.is_empty() && word_count(&current) + word_count(&piece) > MAX_WORDS {
                merged.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(&piece);
            if word_count(&current) >= MIN_WORDS {
                merged.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            match merged.last_mut() {
                Some(last) if word_count(last) + word_count(&current) <= MAX_WORDS => {
                    last.push('\n');
                    last.push_str(&current);
                }
                _ => merged.push(current),
            }
        }
        merged
    }

    proptest::proptest! {
        #[test]
        fn carried_word_counts_give_the_recounted_passages(
            paragraphs in proptest::collection::vec((0usize..200, 0usize..4), 0..12),
        ) {
            let body: String = paragraphs
                .iter()
                .enumerate()
                .map(|(i, &(n, style))| {
                    let text = words(n, &format!("p{i}w"));
                    match style {
                        0 => format!("{text}\n"),
                        1 => format!("  {}\u{a0}x \n\n", text.replace(' ', "\t ")),
                        2 => format!("{}\n", text.replace(". ", "! ")),
                        _ => format!("{}\r\n", text.replace('1', "1. ")),
                    }
                })
                .collect();
            let got: Vec<String> = split(&body).into_iter().map(|p| p.text).collect();
            proptest::prop_assert_eq!(got, recounting_split(&body));
        }
    }

    #[test]
    fn empty_body_has_no_passages() {
        assert!(split("\n  \n").is_empty());
    }
}
