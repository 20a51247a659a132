//! Collectors that group matching passages by article. [`ArticleCollector`]
//! sees every match (exact counts, facets, any order); [`TopArticles`] keeps
//! only the best articles by relevance and lets tantivy skip passages that
//! cannot enter them (block-max WAND), so common words cost little.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use chrono::NaiveDate;
use smallvec::SmallVec;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::schema::KIND_PASSAGE;
use crate::index::writer::datetime_to_day;

/// Collects the best `per_article` passages of every matching article.
pub struct ArticleCollector {
    pub per_article: usize,
}

/// One article's matching passages, best first.
#[derive(Debug, Clone)]
pub struct ArticleHits {
    pub aid: u64,
    pub date: Option<NaiveDate>,
    /// The article's largest money figure in rupees.
    pub amount: Option<u64>,
    /// Inline for one passage, the usual case: no allocation per article.
    pub passages: SmallVec<[(Score, DocAddress); 1]>,
}

impl ArticleHits {
    pub fn best(&self) -> Score {
        self.passages.first().map_or(0.0, |p| p.0)
    }

    /// Keeps the `keep` best passages, best first. Most hits lose to the
    /// article's current worst, so they are turned away without sorting.
    fn push(&mut self, hit: (Score, DocAddress), keep: usize) {
        let better = |a: &(Score, DocAddress), b: &(Score, DocAddress)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
        };
        if self.passages.len() >= keep {
            match self.passages.last() {
                Some(worst) if better(&hit, worst) == std::cmp::Ordering::Less => {}
                _ => return,
            }
            self.passages.pop();
        }
        let at = self
            .passages
            .partition_point(|p| better(p, &hit) == std::cmp::Ordering::Less);
        self.passages.insert(at, hit);
    }
}

/// All matches, grouped.
#[derive(Debug)]
pub struct Collected {
    pub total_hits: u64,
    pub articles: Vec<ArticleHits>,
    /// False when passages were skipped: `total_hits` and the number of
    /// articles are then lower bounds.
    pub exact: bool,
}

impl Default for Collected {
    fn default() -> Self {
        Collected {
            total_hits: 0,
            articles: Vec::new(),
            exact: true,
        }
    }
}

/// Collects one segment. An article's documents are written as one batch
/// (see `index::writer`), so they are contiguous in a segment and hits arrive
/// article by article: grouping is a comparison with the previous hit, with no
/// hashing per hit.
pub struct ArticleSegmentCollector {
    segment: SegmentOrdinal,
    per_article: usize,
    aid: Column<u64>,
    kind: Column<u64>,
    date: Column<tantivy::DateTime>,
    amount: Column<u64>,
    total: u64,
    articles: Vec<ArticleHits>,
}

impl Collector for ArticleCollector {
    type Fruit = Collected;
    type Child = ArticleSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ArticleSegmentCollector> {
        let fast = reader.fast_fields();
        Ok(ArticleSegmentCollector {
            segment,
            per_article: self.per_article,
            aid: fast.u64("aid")?,
            kind: fast.u64("kind")?,
            date: fast.date("date")?,
            amount: fast.u64("amount")?,
            total: 0,
            articles: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        // All documents of an article are written in one batch, so they live
        // in one segment (index format 4 on): segments' articles are disjoint
        // and concatenating them is the merge.
        Ok(merge(fruits))
    }
}

fn merge(fruits: Vec<Collected>) -> Collected {
    Collected {
        total_hits: fruits.iter().map(|f| f.total_hits).sum(),
        exact: fruits.iter().all(|f| f.exact),
        articles: fruits.into_iter().flat_map(|f| f.articles).collect(),
    }
}

impl SegmentCollector for ArticleSegmentCollector {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Filters alone also match article documents: only passages count.
        if self.kind.first(doc) != Some(KIND_PASSAGE) {
            return;
        }
        let Some(aid) = self.aid.first(doc) else {
            return;
        };
        self.total += 1;
        let address = DocAddress::new(self.segment, doc);
        if self.articles.last().is_none_or(|a| a.aid != aid) {
            self.articles.push(ArticleHits {
                aid,
                date: self.date.first(doc).and_then(datetime_to_day),
                amount: self.amount.first(doc),
                passages: SmallVec::new(),
            });
        }
        if let Some(article) = self.articles.last_mut() {
            article.push((score, address), self.per_article);
        }
    }

    fn harvest(self) -> Collected {
        Collected {
            total_hits: self.total,
            articles: self.articles,
            exact: true,
        }
    }
}

/// The `k` best articles by their best passage score.
///
/// Counting is exact for the first `exact_until` passages, like Elasticsearch's
/// `track_total_hits`; past that, tantivy is given the score of the k-th best
/// article so far and skips passages that cannot beat it. The articles kept
/// then still include every one of the true top `k` (a passage is skipped only
/// when its article could not enter them), but the counts are lower bounds.
/// One best passage per article: skipped passages could be an article's
/// second best.
pub struct TopArticles {
    k: usize,
    exact_until: u64,
    /// Passages counted so far, over the segments searched.
    seen: AtomicU64,
    /// The k-th best article score found so far (bits of an `f32`), carried
    /// from one segment to the next.
    floor: AtomicU32,
}

impl TopArticles {
    pub fn new(k: usize, exact_until: u64) -> TopArticles {
        TopArticles {
            k: k.max(1),
            exact_until,
            seen: AtomicU64::new(0),
            floor: AtomicU32::new(Score::MIN.to_bits()),
        }
    }
}

/// A score with a total order, for the heap of best article scores.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked(Score);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Collector for TopArticles {
    type Fruit = Collected;
    type Child = ArticleSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ArticleSegmentCollector> {
        ArticleCollector { per_article: 1 }.for_segment(segment, reader)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        Ok(merge(fruits))
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Collected> {
        let mut child = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        // The best score of each article already behind us, k at most.
        // (`k` comes from the user's --offset: it may be huge, so it grows.)
        let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(self.k.min(4096) + 1);
        let mut floor = Score::from_bits(self.floor.load(Ordering::Relaxed));
        let mut seen = self.seen.load(Ordering::Relaxed);
        let mut pruned = seen >= self.exact_until;
        let start = if pruned { floor } else { Score::MIN };
        let keep = |best: &mut BinaryHeap<Reverse<Ranked>>, score: Score, floor: &mut Score| {
            best.push(Reverse(Ranked(score)));
            if best.len() > self.k {
                best.pop();
            }
            if best.len() == self.k {
                if let Some(Reverse(Ranked(kth))) = best.peek() {
                    // Ties with the k-th score still get in: the article id
                    // decides among them, as in the exact order.
                    *floor = floor.max(kth.next_down());
                }
            }
        };
        weight.for_each_pruning(start, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let before = child.articles.len();
                child.collect(doc, score);
                if child.articles.len() > before && before > 0 {
                    // The previous article is complete: its best is final.
                    keep(&mut best, child.articles[before - 1].best(), &mut floor);
                }
                pruned |= seen + child.total >= self.exact_until;
            }
            if pruned {
                floor
            } else {
                Score::MIN
            }
        })?;
        seen += child.total;
        self.seen.store(seen, Ordering::Relaxed);
        if let Some(last) = child.articles.last() {
            keep(&mut best, last.best(), &mut floor);
        }
        self.floor.store(floor.to_bits(), Ordering::Relaxed);
        let mut fruit = child.harvest();
        // The floor only rises: still at its start, nothing was skipped (k
        // articles were never found, as when a big --offset asks for more).
        fruit.exact = !pruned || floor == Score::MIN;
        Ok(fruit)
    }
}
