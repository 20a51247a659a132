//! Sectors: weighted evidence terms from the taxonomy, summed per sector with
//! a cap per term, so that one repeated word is not a subject; a term that is
//! the subject of an agreement or a meeting ("an MoU on semiconductors")
//! counts more. The weights and thresholds are `[extraction]` rules.

use super::lists::LineLists;
use super::{is_word_char, on_word_boundaries, Choice, Document};
use crate::taxonomy::Taxonomy;

/// One piece of evidence: (sector, term pattern, points, the term's weight).
type Hit = (usize, usize, f32, f32);

/// The sectors an article is about, and (with `explain`) every candidate.
pub(super) fn find_sectors(
    doc: &Document<'_>,
    lists: &LineLists<'_>,
    taxonomy: &Taxonomy,
    explain: bool,
) -> (Vec<String>, Vec<Choice>) {
    let rules = &taxonomy.rules().extraction;
    let sectors = taxonomy.sector_entries();
    let mut evidence: Vec<Vec<String>> = vec![Vec::new(); if explain { sectors.len() } else { 0 }];
    let (scores, mentions) = sector_scores(doc, lists, taxonomy, &mut evidence);
    let lead = lead_sector(&scores, &mentions, rules);
    if let Some(e) = lead.and_then(|i| evidence.get_mut(i)) {
        e.push(format!(
            "the clear lead: no sector has {:.2} points; this one has {:.2} or more, \
             {}x the next and {} mentions or more",
            rules.sector_min_score,
            rules.sector_lead_min_score,
            rules.sector_lead_ratio,
            rules.sector_lead_min_mentions
        ));
    }
    let lead_score = lead.map(|i| scores[i]);
    super::choose(
        sectors.len(),
        |i| &sectors[i].slug,
        &scores,
        evidence,
        |s| s >= rules.sector_min_score || lead_score == Some(s),
    )
}

/// When no sector reaches `sector_min_score`, the one far ahead of the rest
/// (`sector_lead_min_score` points, `sector_lead_ratio` times the next,
/// named `sector_lead_min_mentions` times): a story about a plant or a visit
/// has a subject even when it names it only a few times; one passing
/// mention is still not a subject.
fn lead_sector(
    scores: &[f32],
    mentions: &[u32],
    rules: &crate::rules::Extraction,
) -> Option<usize> {
    if scores.iter().any(|&s| s >= rules.sector_min_score) {
        return None;
    }
    let (top, &best) = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let next = scores
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != top)
        .fold(0f32, |a, (_, &s)| a.max(s));
    let named = mentions.get(top).copied().unwrap_or(0);
    (best >= rules.sector_lead_min_score
        && best >= next * rules.sector_lead_ratio
        && named >= rules.sector_lead_min_mentions)
        .then_some(top)
}

/// Points and mentions per sector, in taxonomy order; `evidence` (one list
/// per sector, or none) receives a note per hit.
fn sector_scores(
    doc: &Document<'_>,
    lists: &LineLists<'_>,
    taxonomy: &Taxonomy,
    evidence: &mut [Vec<String>],
) -> (Vec<f32>, Vec<u32>) {
    let gaz = taxonomy.gazetteer();
    let rules = taxonomy.rules();
    let x = &rules.extraction;
    let sectors = taxonomy.sector_entries();
    let mut hits: Vec<Hit> = Vec::new();
    for (li, line) in doc.lines.iter().enumerate() {
        let zone_w = line.zone.weight(&x.sector_zones);
        if zone_w == 0.0 {
            continue;
        }
        for m in gaz.terms.find_iter(line.text) {
            let pattern = m.pattern;
            let Some(targets) = gaz.term_targets.get(pattern) else {
                continue;
            };
            for hit in targets {
                let end = if hit.prefix {
                    word_end(line.text, m.end)
                } else {
                    m.end
                };
                if !on_word_boundaries(line.text, m.start, end) {
                    continue;
                }
                let mut w = hit.weight * zone_w;
                let mut listed = lists.in_enumeration(li, m.start);
                // "MoUs in textiles, chemicals and tourism": every item of a
                // list an agreement or a meeting is about is its subject.
                let subject_list = listed
                    && lists
                        .lead(li, m.start)
                        .is_some_and(|l| leads_subjects(l, rules));
                listed &= !subject_list;
                let subject = !listed
                    && (subject_list
                        || is_subject(line.text, m.start, rules)
                        || names_the_sector(line.text, end, rules));
                if listed {
                    w *= x.sector_zones.list;
                } else if subject {
                    w *= x.subject_factor;
                }
                hits.push((hit.sector, pattern, w, hit.weight));
                if let Some(e) = evidence.get_mut(hit.sector) {
                    let matched = line.text.get(m.start..end).unwrap_or("");
                    let mut note = Choice::mention(matched, line, w);
                    if listed {
                        note.push_str(" (one item of a list)");
                    } else if subject_list {
                        note.push_str(" (an item of a list an agreement or meeting is about)");
                    } else if subject {
                        note.push_str(" (subject of an agreement or meeting)");
                    }
                    e.push(note);
                }
            }
        }
    }
    // Per (sector, pattern): points summed in text order and capped at the
    // weight of its first hit. A stable sort keeps the text order within a
    // term and, unlike a hash map, adds the terms to a sector in a fixed order.
    hits.sort_by_key(|&(sector, pattern, _, _)| (sector, pattern));
    let mut scores = vec![0f32; sectors.len()];
    let mut mentions = vec![0u32; sectors.len()];
    for group in hits.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (sector, _, _, weight) = group[0];
        let sum = group.iter().fold(0f32, |acc, h| acc + h.2);
        // A subject mention may pass the cap: it says what the story is about.
        let cap = (weight * x.term_cap).max(group.iter().fold(0f32, |a, h| a.max(h.2)));
        if let Some(s) = scores.get_mut(sector) {
            *s += sum.min(cap);
        }
        if let Some(n) = mentions.get_mut(sector) {
            *n += group.len() as u32;
        }
    }
    (scores, mentions)
}

/// Whether a term at `start` is the subject of an agreement, a meeting or an
/// investment: a cue ("MoU on", "talks on", "invest in") stands before it in
/// the same clause.
fn is_subject(text: &str, start: usize, rules: &crate::rules::Rules) -> bool {
    let before = super::text_before(text, start, 120);
    rules.compiled().subject.is_match(before)
}

/// Whether `lead`, what comes before a list up to its first item, ends with
/// a subject cue and that item ("signed MoUs in textiles"): the list is what
/// the agreement or meeting is about.
fn leads_subjects(lead: &str, rules: &crate::rules::Rules) -> bool {
    let tail = super::text_before(lead, lead.len(), 120);
    rules.compiled().subject.is_match(&format!("{tail} "))
}

/// Whether the term ending at `end` is followed by a word that makes it the
/// name of a sector ("defence sector", "the EV industry").
fn names_the_sector(text: &str, end: usize, rules: &crate::rules::Rules) -> bool {
    let after = super::text_after(text, end, 40);
    rules.compiled().subject_after.is_match(after)
}

/// The end of the word that continues at `from` ("semiconductor|s").
fn word_end(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    from + rest
        .char_indices()
        .find(|(_, c)| !is_word_char(*c) && *c != '-')
        .map_or(rest.len(), |(i, _)| i)
}
