//! A collector that groups matching passages by article: it counts every
//! match and keeps only each article's best passages, so that results can be
//! ranked by article and paged without holding every hit.

use chrono::NaiveDate;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
    pub passages: Vec<(Score, DocAddress)>,
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
#[derive(Debug, Default)]
pub struct Collected {
    pub total_hits: u64,
    pub articles: Vec<ArticleHits>,
}

/// Collects one segment. An article's documents are written as one batch
/// (see `index::writer`), so they are contiguous in a segment and hits arrive
/// article by article: grouping is a comparison with the previous hit, with no
/// hashing per hit.
pub struct ArticleSegmentCollector {
    segment: SegmentOrdinal,
    per_article: usize,
    aid: Column<u64>,
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
        Ok(Collected {
            total_hits: fruits.iter().map(|f| f.total_hits).sum(),
            articles: fruits.into_iter().flat_map(|f| f.articles).collect(),
        })
    }
}

impl SegmentCollector for ArticleSegmentCollector {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        let Some(aid) = self.aid.first(doc) else {
            return;
        };
        let address = DocAddress::new(self.segment, doc);
        if self.articles.last().is_none_or(|a| a.aid != aid) {
            self.articles.push(ArticleHits {
                aid,
                date: self.date.first(doc).and_then(datetime_to_day),
                amount: self.amount.first(doc),
                passages: Vec::with_capacity(self.per_article.min(4)),
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
        }
    }
}
