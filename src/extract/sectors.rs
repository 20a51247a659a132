//! Sectors: weighted evidence terms from the taxonomy, summed per sector with
//! a cap per term, so that one repeated word is not a subject.

use super::lists::LineLists;
use super::{is_word_char, on_word_boundaries, Document, Zone};
use crate::taxonomy::Taxonomy;

/// Points a sector needs: a few distinct pieces of evidence, not one word.
const SECTOR_MIN_SCORE: f32 = 2.0;
/// One term, however often repeated, counts at most this many times its weight.
const TERM_CAP: f32 = 2.5;

pub(super) fn find_sectors(
    doc: &Document<'_>,
    lists: &LineLists<'_>,
    taxonomy: &Taxonomy,
) -> Vec<String> {
    let scores = sector_scores(doc, lists, taxonomy);
    let mut out: Vec<String> = taxonomy
        .sector_entries()
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s >= SECTOR_MIN_SCORE)
        .map(|(s, _)| s.slug.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Evidence per sector, in taxonomy order.
fn sector_scores(doc: &Document<'_>, lists: &LineLists<'_>, taxonomy: &Taxonomy) -> Vec<f32> {
    let gaz = taxonomy.gazetteer();
    let sectors = taxonomy.sector_entries();
    // Evidence in text order: (sector, term pattern, points, the term's weight).
    let mut hits: Vec<(usize, usize, f32, f32)> = Vec::new();
    for (li, line) in doc.lines.iter().enumerate() {
        let zone_w = match line.zone {
            Zone::Title => 2.0,
            Zone::Opening => 1.5,
            Zone::Heading => 1.5,
            Zone::Body => 1.0,
            Zone::Meta => 0.0,
        };
        for m in gaz.terms.find_iter(line.text) {
            let pattern = m.pattern().as_usize();
            let Some(targets) = gaz.term_targets.get(pattern) else {
                continue;
            };
            for hit in targets {
                let end = if hit.prefix {
                    word_end(line.text, m.end())
                } else {
                    m.end()
                };
                if !on_word_boundaries(line.text, m.start(), end) {
                    continue;
                }
                let mut w = hit.weight * zone_w;
                if lists.in_enumeration(li, m.start()) {
                    w *= 0.3;
                }
                hits.push((hit.sector, pattern, w, hit.weight));
            }
        }
    }
    // Per (sector, pattern): points summed in text order and capped at the
    // weight of its first hit. A stable sort keeps the text order within a
    // term and, unlike a hash map, adds the terms to a sector in a fixed order.
    hits.sort_by_key(|&(sector, pattern, _, _)| (sector, pattern));
    let mut scores = vec![0f32; sectors.len()];
    for group in hits.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (sector, _, _, weight) = group[0];
        let sum = group.iter().fold(0f32, |acc, h| acc + h.2);
        if let Some(s) = scores.get_mut(sector) {
            *s += sum.min(weight * TERM_CAP);
        }
    }
    scores
}

/// The end of the word that continues at `from` ("semiconductor|s").
fn word_end(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    from + rest
        .char_indices()
        .find(|(_, c)| !is_word_char(*c) && *c != '-')
        .map_or(rest.len(), |(i, _)| i)
}
