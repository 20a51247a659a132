//! Collecting matched articles. One document is one article, so tantivy's
//! own `TopDocs` (with block-max WAND where the query allows it) finds the
//! best by relevance; [`Everything`] collects every match with the fast
//! fields that other orders, facets and timelines need.

use chrono::NaiveDate;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::schema::datetime_to_day;

/// A matched article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub address: DocAddress,
    /// The article's BM25 (title weighted, synonyms and proximity included).
    pub score: Score,
    /// The article id: it breaks ties, so that results are the same on every run.
    pub aid: u64,
    pub date: Option<NaiveDate>,
    /// The investment amount in rupees.
    pub amount: Option<u64>,
}

/// The best `k` articles by score, with their ids, dates and amounts.
pub fn top(searcher: &Searcher, query: &dyn Query, k: usize) -> tantivy::Result<Vec<Match>> {
    let found = searcher.search(query, &TopDocs::with_limit(k.max(1)).order_by_score())?;
    matches(searcher, found)
}

/// The number of articles `query` matches and the best `k` of them, in one
/// pass: for a query that block-max WAND cannot prune (phrases, several
/// clauses, filters) this costs one scored pass instead of a count and then
/// a scored pass, each reading every match's postings and positions.
pub fn count_and_top(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
) -> tantivy::Result<(u64, Vec<Match>)> {
    let collector = (Count, TopDocs::with_limit(k.max(1)).order_by_score());
    let (count, found) = searcher.search(query, &collector)?;
    Ok((count as u64, matches(searcher, found)?))
}

/// The matches at `found`, with their ids, dates and amounts.
fn matches(searcher: &Searcher, found: Vec<(Score, DocAddress)>) -> tantivy::Result<Vec<Match>> {
    let mut columns: Vec<Option<Columns>> = Vec::new();
    let mut out = Vec::with_capacity(found.len());
    for (score, address) in found {
        let at = address.segment_ord as usize;
        if columns.len() <= at {
            columns.resize_with(at + 1, || None);
        }
        let c = match &mut columns[at] {
            Some(c) => c,
            slot => slot.insert(Columns::open(searcher.segment_reader(address.segment_ord))?),
        };
        out.push(c.matched(address, score));
    }
    Ok(out)
}

/// Every matching article.
pub struct Everything;

pub struct EverythingInSegment {
    segment: SegmentOrdinal,
    columns: Columns,
    found: Vec<Match>,
}

struct Columns {
    aid: Column<u64>,
    date: Column<tantivy::DateTime>,
    amount: Column<u64>,
}

impl Columns {
    fn open(reader: &SegmentReader) -> tantivy::Result<Columns> {
        let fast = reader.fast_fields();
        Ok(Columns {
            aid: fast.u64("aid")?,
            date: fast.date("date")?,
            amount: fast.u64("amount")?,
        })
    }

    fn matched(&self, address: DocAddress, score: Score) -> Match {
        let doc = address.doc_id;
        Match {
            address,
            score,
            aid: self.aid.first(doc).unwrap_or_default(),
            date: self.date.first(doc).and_then(datetime_to_day),
            amount: self.amount.first(doc),
        }
    }
}

impl Collector for Everything {
    type Fruit = Vec<Match>;
    type Child = EverythingInSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<EverythingInSegment> {
        Ok(EverythingInSegment {
            segment,
            columns: Columns::open(reader)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for EverythingInSegment {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let address = DocAddress::new(self.segment, doc);
        self.found.push(self.columns.matched(address, score));
    }

    fn harvest(self) -> Vec<Match> {
        self.found
    }
}
