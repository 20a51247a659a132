//! Passage evidence: for a few matched articles, which of the query's groups
//! each holds, and which of its passages answer the query best.
//!
//! An article matches as a whole; the passage is the unit of the answer. The
//! passages holding a word are found from the word's positions in the
//! article's postings and the passages' first positions (the fast field
//! `passage_start`), so no stored text is read. Each passage is scored with
//! BM25 over its own length (the article-level document frequencies), one
//! best form per group, and a proximity factor for groups that stand close
//! together; the best passage is the one holding the most distinct groups,
//! then the best scored, as the passage-retrieval literature ranks answers.

use std::collections::HashMap;

use tantivy::columnar::Column;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EnableScoring, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, Term};

use super::query::Plan;
use crate::index::schema::Fields;

/// BM25 parameters of passage scores (tantivy's own for articles).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much a passage whose groups stand side by side gains over one whose
/// groups lie far apart: its score is multiplied by `1 + PROXIMITY × d`,
/// where d is 1 when the groups are adjacent and falls with their span.
pub const PROXIMITY: f32 = 0.5;

/// How one passage answers the query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassageScore {
    pub ordinal: usize,
    /// Distinct groups of the query that the passage holds.
    pub groups: u32,
    pub score: f32,
}

/// What an article holds of the query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleEvidence {
    /// Passages holding at least one group, best first.
    pub passages: Vec<PassageScore>,
    /// Per group of the plan: whether the article holds it (in its title,
    /// text or metadata). All true unless asked for.
    pub present: Vec<bool>,
}

impl ArticleEvidence {
    pub fn best(&self) -> Option<&PassageScore> {
        self.passages.first()
    }

    /// Groups of the query the article lacks.
    pub fn missing(&self) -> impl Iterator<Item = usize> + '_ {
        self.present
            .iter()
            .enumerate()
            .filter(|(_, p)| !**p)
            .map(|(g, _)| g)
    }
}

/// Orders passages: most distinct groups, then best score, then earliest.
fn better(a: &PassageScore, b: &PassageScore) -> std::cmp::Ordering {
    b.groups
        .cmp(&a.groups)
        .then(b.score.total_cmp(&a.score))
        .then(a.ordinal.cmp(&b.ordinal))
}

/// A leaf of the plan with what scoring it needs.
struct LeafStats {
    group: usize,
    /// Indexes into the distinct tokens.
    tokens: Vec<usize>,
    /// weight × idf (summed over a phrase's words, as tantivy does).
    weight: f32,
}

/// Gathers evidence for articles of one search.
pub struct Evidence<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    plan: &'a Plan,
    tokens: Vec<String>,
    leaves: Vec<LeafStats>,
    /// Mean passage length in positions, over the index.
    mean_length: f32,
}

impl<'a> Evidence<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a Fields, plan: &'a Plan) -> Evidence<'a> {
        let mut tokens: Vec<String> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let docs = searcher.num_docs() as f32;
        let mut leaves = Vec::new();
        for (group, leaf) in plan.leaves() {
            let mut idf = 0.0;
            let mut at = Vec::new();
            for token in &leaf.tokens {
                let n = searcher
                    .doc_freq(&Term::from_field_text(fields.text, token))
                    .unwrap_or(0) as f32;
                idf += (1.0 + (docs - n + 0.5) / (n + 0.5)).ln();
                let next = tokens.len();
                let i = *index_of.entry(token.clone()).or_insert(next);
                if i == next {
                    tokens.push(token.clone());
                }
                at.push(i);
            }
            leaves.push(LeafStats {
                group,
                tokens: at,
                weight: leaf.weight * idf,
            });
        }
        Evidence {
            searcher,
            fields,
            plan,
            tokens,
            leaves,
            mean_length: mean_passage_length(searcher),
        }
    }

    /// The evidence of each article at `docs` (in that order). With
    /// `presence`, which groups each article holds; otherwise all are taken
    /// to be present (every group was required to match).
    pub fn gather(
        &self,
        docs: &[DocAddress],
        presence: bool,
    ) -> tantivy::Result<Vec<ArticleEvidence>> {
        let mut out = vec![ArticleEvidence::default(); docs.len()];
        let mut by_segment: HashMap<u32, Vec<(DocId, usize)>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            by_segment
                .entry(d.segment_ord)
                .or_default()
                .push((d.doc_id, i));
        }
        let weights: Vec<Box<dyn Weight>> = if presence {
            self.plan
                .groups
                .iter()
                .map(|g| {
                    g.query
                        .weight(EnableScoring::disabled_from_searcher(self.searcher))
                })
                .collect::<tantivy::Result<_>>()?
        } else {
            Vec::new()
        };
        for (segment_ord, mut wanted) in by_segment {
            wanted.sort_unstable();
            let reader = self.searcher.segment_reader(segment_ord);
            let inverted = reader.inverted_index(self.fields.text)?;
            let mut postings: Vec<Option<SegmentPostings>> = self
                .tokens
                .iter()
                .map(|t| {
                    inverted.read_postings(
                        &Term::from_field_text(self.fields.text, t),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                })
                .collect::<std::io::Result<_>>()?;
            let starts: Column<u64> = reader.fast_fields().u64("passage_start")?;
            let mut scorers: Vec<Box<dyn Scorer>> = weights
                .iter()
                .map(|w| w.scorer(reader, 1.0))
                .collect::<tantivy::Result<_>>()?;
            let mut positions: Vec<Vec<u32>> = vec![Vec::new(); self.tokens.len()];
            for (doc, i) in wanted {
                for (p, found) in postings.iter_mut().zip(positions.iter_mut()) {
                    found.clear();
                    if let Some(p) = p {
                        if p.doc() < doc {
                            p.seek(doc);
                        }
                        if p.doc() == doc {
                            p.positions(found);
                        }
                    }
                }
                let mut bounds: Vec<u32> = starts
                    .values_for_doc(doc)
                    .map(|v| u32::try_from(v).unwrap_or(u32::MAX))
                    .collect();
                bounds.sort_unstable();
                out[i].passages = self.passages(&bounds, &positions);
                out[i].present = if presence {
                    scorers
                        .iter_mut()
                        .map(|s| {
                            if s.doc() < doc {
                                s.seek(doc);
                            }
                            s.doc() == doc
                        })
                        .collect()
                } else {
                    vec![true; self.plan.groups.len()]
                };
            }
        }
        Ok(out)
    }

    /// Scores the passages of one article from its words' positions.
    /// `bounds` holds each passage's first position and, last, where a next
    /// passage would start.
    fn passages(&self, bounds: &[u32], positions: &[Vec<u32>]) -> Vec<PassageScore> {
        let passages = bounds.len().saturating_sub(1);
        if passages == 0 {
            return Vec::new();
        }
        let groups = self.plan.groups.len();
        // Per passage and leaf: occurrences; per passage: (position, group).
        let mut tf: HashMap<(usize, usize), u32> = HashMap::new();
        let mut hits: Vec<Vec<(u32, usize)>> = vec![Vec::new(); passages];
        for (l, leaf) in self.leaves.iter().enumerate() {
            let Some((&first, rest)) = leaf.tokens.split_first() else {
                continue;
            };
            for &p in &positions[first] {
                let whole = rest
                    .iter()
                    .enumerate()
                    .all(|(k, &t)| positions[t].binary_search(&(p + k as u32 + 1)).is_ok());
                if !whole {
                    continue;
                }
                let at = bounds[..passages].partition_point(|&s| s <= p);
                let Some(passage) = at.checked_sub(1) else {
                    continue;
                };
                *tf.entry((passage, l)).or_default() += 1;
                hits[passage].push((p, leaf.group));
            }
        }
        let mut out = Vec::new();
        for (passage, mut found) in hits.into_iter().enumerate() {
            if found.is_empty() {
                continue;
            }
            let length = bounds[passage + 1]
                .saturating_sub(bounds[passage])
                .saturating_sub(1)
                .max(1) as f32;
            let norm = K1 * (1.0 - B + B * length / self.mean_length);
            let mut best = vec![0f32; groups];
            for (l, leaf) in self.leaves.iter().enumerate() {
                if let Some(&n) = tf.get(&(passage, l)) {
                    let n = n as f32;
                    let score = leaf.weight * n * (K1 + 1.0) / (n + norm);
                    best[leaf.group] = best[leaf.group].max(score);
                }
            }
            found.sort_unstable();
            let (held, span) = min_span(&found, groups);
            let closeness = if held >= 2 {
                (held - 1) as f32 / span.saturating_sub(1).max(1) as f32
            } else {
                0.0
            };
            let bm25: f32 = best.iter().sum();
            out.push(PassageScore {
                ordinal: passage,
                groups: held as u32,
                score: bm25 * (1.0 + PROXIMITY * closeness.min(1.0)),
            });
        }
        out.sort_by(better);
        out
    }
}

/// The number of distinct groups among `hits` (sorted by position) and the
/// shortest stretch of positions holding one occurrence of each.
fn min_span(hits: &[(u32, usize)], groups: usize) -> (usize, u32) {
    let mut count = vec![0u32; groups];
    let distinct = {
        let mut seen = vec![false; groups];
        hits.iter()
            .filter(|(_, g)| !std::mem::replace(&mut seen[*g], true))
            .count()
    };
    let mut have = 0;
    let mut best = u32::MAX;
    let mut left = 0;
    for right in 0..hits.len() {
        let g = hits[right].1;
        if count[g] == 0 {
            have += 1;
        }
        count[g] += 1;
        while have == distinct {
            best = best.min(hits[right].0 - hits[left].0 + 1);
            let g = hits[left].1;
            count[g] -= 1;
            if count[g] == 0 {
                have -= 1;
            }
            left += 1;
        }
    }
    (distinct, best)
}

/// The mean passage length (in positions) of the indexed articles: the
/// text's tokens over the passages.
fn mean_passage_length(searcher: &Searcher) -> f32 {
    let mut tokens = 0u64;
    let mut passages = 0u64;
    for reader in searcher.segment_readers() {
        let fields = reader.schema().get_field("text");
        if let Ok(inverted) = fields.and_then(|f| reader.inverted_index(f)) {
            tokens += inverted.total_num_tokens();
        }
        if let Ok(starts) = reader.fast_fields().u64("passage_start") {
            // Each article stores one bound more than it has passages.
            let values = u64::from(starts.values.num_vals());
            let articles = u64::from(reader.max_doc());
            passages += values.saturating_sub(articles);
        }
    }
    if passages == 0 {
        80.0
    } else {
        (tokens as f32 / passages as f32).max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_span_finds_the_tightest_window() {
        // groups 0,1,2 at positions: 0@1, 1@5, 0@6, 2@7
        let hits = [(1, 0), (5, 1), (6, 0), (7, 2)];
        assert_eq!(min_span(&hits, 3), (3, 3));
        assert_eq!(min_span(&[(4, 1)], 3), (1, 1));
        assert_eq!(min_span(&[(2, 0), (9, 0)], 2), (1, 1));
    }
}
