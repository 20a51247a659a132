//! Top-k search over phrases. tantivy 0.27 skips low-scoring documents
//! (block-max WAND) only for unions of plain terms; a union that holds a
//! phrase ("Chief Minister" in text or title, or CM) reads the positions of
//! every document that has all the phrase's words. [`PrunedUnion`] runs such
//! a union itself when the collector gives a threshold: a phrase cannot occur
//! more often in a document than its rarest word, so a document whose score
//! with those word counts cannot beat the threshold is passed over without
//! reading positions. Matches and scores are those of the union tantivy would
//! run; without a threshold (exact counts, facets) tantivy runs it.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::query::Words;

/// A flat union of words and phrases, in the order of its clauses.
#[derive(Debug)]
pub struct PrunedUnion {
    /// The same union as tantivy builds it: scorers, counts, explanations.
    union: Box<dyn Query>,
    clauses: Vec<Words>,
}

impl PrunedUnion {
    /// `union` (one clause, or a boolean query of optional clauses, as
    /// `clauses` lists them) run this way when at least one clause is a
    /// phrase; a union of plain words is best left to tantivy's block-max
    /// WAND, and one with other clauses is left as it is.
    pub fn over(union: Box<dyn Query>, clauses: Option<Vec<Words>>) -> Box<dyn Query> {
        match clauses {
            Some(clauses) if clauses.iter().any(|w| w.terms.len() > 1) => {
                Box::new(PrunedUnion { union, clauses })
            }
            _ => union,
        }
    }
}

impl Clone for PrunedUnion {
    fn clone(&self) -> Self {
        PrunedUnion {
            union: self.union.box_clone(),
            clauses: self.clauses.clone(),
        }
    }
}

impl Query for PrunedUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let union = self.union.weight(enable_scoring)?;
        // The same BM25 weights tantivy's term and phrase queries compute.
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let mut all = Vec::with_capacity(self.clauses.len());
                for words in &self.clauses {
                    let terms: Vec<Term> = words.terms.iter().map(|(_, t)| t.clone()).collect();
                    all.push(
                        Bm25Weight::for_terms(statistics_provider, &terms)?.boost_by(words.boost),
                    );
                }
                Some(all)
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PrunedUnionWeight {
            union,
            clauses: self.clauses.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.union.query_terms(visitor);
    }
}

struct PrunedUnionWeight {
    union: Box<dyn Weight>,
    clauses: Vec<Words>,
    /// Per clause; None when scoring is off (then nothing is pruned).
    bm25: Option<Vec<Bm25Weight>>,
}

impl Weight for PrunedUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.union.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.union.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.union.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.union.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.union.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(bm25) = &self.bm25 else {
            return self.union.for_each_pruning(threshold, reader, callback);
        };
        let mut cursors = Vec::with_capacity(self.clauses.len());
        for (words, bm25) in self.clauses.iter().zip(bm25) {
            if let Some(cursor) = Cursor::open(words, bm25.clone(), reader)? {
                cursors.push(cursor);
            }
        }
        let mut positions = (Vec::new(), Vec::new());
        loop {
            let Some(doc) = cursors.iter().map(|c| c.doc).min() else {
                return Ok(());
            };
            if doc == TERMINATED {
                return Ok(());
            }
            // Summed in clause order, as tantivy's union sums: each bound is at
            // least its clause's score, so the sum is at least the score.
            let bound: Score = cursors
                .iter()
                .filter(|c| c.doc == doc)
                .map(Cursor::bound)
                .fold(0.0, |sum, b| sum + b);
            if bound > threshold {
                let mut score: Score = 0.0;
                let mut matched = false;
                for cursor in cursors.iter_mut().filter(|c| c.doc == doc) {
                    if let Some(s) = cursor.score(&mut positions) {
                        score += s;
                        matched = true;
                    }
                }
                if matched && score > threshold {
                    threshold = callback(doc, score);
                }
            }
            for cursor in cursors.iter_mut().filter(|c| c.doc == doc) {
                cursor.advance();
            }
        }
    }
}

/// One clause's documents: those that have all its words, in order.
struct Cursor {
    /// One per word, in phrase order.
    postings: Vec<SegmentPostings>,
    /// Added to each word's positions so that a phrase's words line up.
    offsets: Vec<u32>,
    /// The word with the fewest documents, which leads the intersection.
    lead: usize,
    bm25: Bm25Weight,
    norms: FieldNormReader,
    doc: DocId,
}

impl Cursor {
    /// None when a word is not in this segment: the clause matches nothing.
    fn open(
        words: &Words,
        bm25: Bm25Weight,
        reader: &SegmentReader,
    ) -> tantivy::Result<Option<Cursor>> {
        let phrase = words.terms.len() > 1;
        let option = if phrase {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let inverted = reader.inverted_index(words.field)?;
        let mut postings = Vec::with_capacity(words.terms.len());
        for (_, term) in &words.terms {
            match inverted.read_postings(term, option)? {
                Some(p) => postings.push(p),
                None => return Ok(None),
            }
        }
        let last = words.terms.iter().map(|(at, _)| *at).max().unwrap_or(0);
        let offsets = words
            .terms
            .iter()
            .map(|(at, _)| u32::try_from(last - at).unwrap_or(u32::MAX))
            .collect();
        let lead = (0..postings.len())
            .min_by_key(|&i| postings[i].doc_freq())
            .unwrap_or(0);
        let norms = match reader.fieldnorms_readers().get_field(words.field)? {
            Some(norms) => norms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut cursor = Cursor {
            postings,
            offsets,
            lead,
            bm25,
            norms,
            doc: TERMINATED,
        };
        cursor.align();
        Ok(Some(cursor))
    }

    /// Moves every word to the lead's document or, when one lacks it, on to
    /// the next document that has them all.
    fn align(&mut self) {
        let mut candidate = self.postings[self.lead].doc();
        'search: while candidate != TERMINATED {
            for i in 0..self.postings.len() {
                if i == self.lead {
                    continue;
                }
                let p = &mut self.postings[i];
                let at = if p.doc() < candidate {
                    p.seek(candidate)
                } else {
                    p.doc()
                };
                if at > candidate {
                    candidate = self.postings[self.lead].seek(at);
                    continue 'search;
                }
            }
            break;
        }
        self.doc = candidate;
    }

    fn advance(&mut self) {
        self.postings[self.lead].advance();
        self.align();
    }

    /// The score the clause would have if the phrase occurred as often as its
    /// rarest word in this document; exact for a single word.
    fn bound(&self) -> Score {
        let tf = self
            .postings
            .iter()
            .map(Postings::term_freq)
            .min()
            .unwrap_or(0);
        self.bm25.score(self.norms.fieldnorm_id(self.doc), tf)
    }

    /// The clause's score in this document, None when the phrase is not in it.
    fn score(&mut self, (left, right): &mut (Vec<u32>, Vec<u32>)) -> Option<Score> {
        let count = if self.postings.len() == 1 {
            self.postings[0].term_freq()
        } else {
            self.postings[0].positions_with_offset(self.offsets[0], left);
            for i in 1..self.postings.len() {
                self.postings[i].positions_with_offset(self.offsets[i], right);
                intersect(left, right);
                if left.is_empty() {
                    return None;
                }
            }
            u32::try_from(left.len()).unwrap_or(u32::MAX)
        };
        (count > 0).then(|| self.bm25.score(self.norms.fieldnorm_id(self.doc), count))
    }
}

/// Keeps in `left` the positions also in `right` (both sorted).
fn intersect(left: &mut Vec<u32>, right: &[u32]) {
    let (mut i, mut j, mut kept) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                left[kept] = left[i];
                kept += 1;
                i += 1;
                j += 1;
            }
        }
    }
    left.truncate(kept);
}
