//! The page: past the offset, at most the limit, one article per
//! near-duplicate group (the best ranked) unless every copy is asked for,
//! and each shown article's count of near-duplicates.

use std::collections::HashSet;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::collect::Match;
use crate::dedup::Signature;
use crate::error::Result;
use crate::index::schema::KIND_TWIN_MARK;
use crate::index::{aids_with_term, signature_in, ArticleRecord, OpenIndex};

/// An article on the page.
pub struct Shown {
    pub matched: Match,
    pub record: ArticleRecord,
    /// The stored document (its passages).
    pub doc: TantivyDocument,
    signature: Option<Signature>,
    /// Shares a band with an article indexed before it.
    twinned: bool,
}

/// The fast-field columns a page reads, opened once per segment.
struct SegmentColumns<'a> {
    searcher: &'a Searcher,
    segments: Vec<Option<Option<Columns>>>,
}

struct Columns {
    aid: tantivy::columnar::Column<u64>,
    twinned: tantivy::columnar::Column<u64>,
    minhash: Option<tantivy::columnar::BytesColumn>,
}

impl<'a> SegmentColumns<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        SegmentColumns {
            searcher,
            segments: Vec::new(),
        }
    }

    /// None when the segment lacks a column (not a newsidx index).
    fn of(&mut self, segment: u32) -> Option<&Columns> {
        let at = segment as usize;
        if self.segments.len() <= at {
            self.segments.resize_with(at + 1, || None);
        }
        let searcher = self.searcher;
        self.segments[at]
            .get_or_insert_with(|| {
                let fast = searcher.segment_reader(segment).fast_fields();
                Some(Columns {
                    aid: fast.u64("aid").ok()?,
                    twinned: fast.u64("twinned").ok()?,
                    minhash: fast.bytes("minhash").ok()?,
                })
            })
            .as_ref()
    }

    fn twinned(&mut self, address: DocAddress) -> bool {
        self.of(address.segment_ord)
            .and_then(|c| c.twinned.first(address.doc_id))
            != Some(0)
    }

    fn signature(&mut self, address: DocAddress) -> Option<Signature> {
        signature_in(
            self.of(address.segment_ord)?.minhash.as_ref()?,
            address.doc_id,
        )
    }
}

/// The articles of the page, from `ordered` (best first). `None` when
/// `ordered` is not every match (`complete` false) and runs out before the
/// page is full: the caller collects everything and asks again.
pub fn page(
    index: &OpenIndex,
    searcher: &Searcher,
    ordered: &[Match],
    offset: usize,
    limit: usize,
    all_duplicates: bool,
    complete: bool,
) -> Result<Option<Vec<Shown>>> {
    if complete && offset >= ordered.len() {
        // Folding near-duplicates only removes articles: nothing is left.
        return Ok(Some(Vec::new()));
    }
    let mut kept = Vec::new();
    let mut columns = SegmentColumns::new(searcher);
    let mut seen: Vec<Signature> = Vec::new();
    let mut skipped = 0;
    for m in ordered {
        if kept.len() >= limit {
            break;
        }
        let signature = columns.signature(m.address);
        if !all_duplicates {
            if let Some(sig) = signature {
                if seen.iter().any(|s| s.is_duplicate(&sig)) {
                    continue;
                }
                seen.push(sig);
            }
        }
        if skipped < offset {
            // Skipped articles need only their signature: no stored block
            // is decompressed for them.
            skipped += 1;
            continue;
        }
        let doc: TantivyDocument = searcher.doc(m.address).map_err(|e| index.tantivy(e))?;
        kept.push(Shown {
            matched: *m,
            record: index.record_of(&doc)?,
            doc,
            signature,
            twinned: columns.twinned(m.address),
        });
    }
    if !complete && kept.len() < limit {
        return Ok(None);
    }
    Ok(Some(kept))
}

/// For each shown article, how many other indexed articles are its
/// near-duplicates, and the group id: the smallest article id among them and
/// itself. Candidates share a band with a shown article: the shown articles
/// themselves, compared in memory, and others found by one query over the
/// bands of the shown articles that share a band with some article at all
/// (flagged or marked at indexing, see `index::writer::Twins`). Each
/// candidate is confirmed by comparing signatures.
pub fn near_duplicates(
    index: &OpenIndex,
    searcher: &Searcher,
    shown: &[Shown],
) -> Result<Vec<(u64, Option<String>)>> {
    let mut found: Vec<(u64, u64)> = shown.iter().map(|s| (0, s.matched.aid)).collect();
    let confirm = |aid: u64, candidate: &Signature, found: &mut Vec<(u64, u64)>| {
        for (article, (count, group)) in shown.iter().zip(found.iter_mut()) {
            if aid != article.matched.aid
                && article
                    .signature
                    .is_some_and(|sig| sig.is_duplicate(candidate))
            {
                *count += 1;
                *group = (*group).min(aid);
            }
        }
    };
    for s in shown {
        if let Some(sig) = &s.signature {
            confirm(s.matched.aid, sig, &mut found);
        }
    }
    let marked = if shown.iter().all(|s| s.twinned) {
        HashSet::new()
    } else {
        twin_marks(index, searcher)?
    };
    let mut bands: Vec<u64> = shown
        .iter()
        .filter(|s| s.twinned || marked.contains(&s.matched.aid))
        .filter_map(|s| s.signature.as_ref())
        .flat_map(Signature::bands)
        .collect();
    bands.sort_unstable();
    bands.dedup();
    if !bands.is_empty() {
        let query = BooleanQuery::new(
            bands
                .into_iter()
                .map(|b| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_u64(index.fields.simband, b),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>,
                    )
                })
                .collect(),
        );
        let candidates = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| index.tantivy(e))?;
        let mut columns = SegmentColumns::new(searcher);
        for address in candidates {
            if shown.iter().any(|s| s.matched.address == address) {
                continue;
            }
            let Some(aid) = columns
                .of(address.segment_ord)
                .and_then(|c| c.aid.first(address.doc_id))
            else {
                continue;
            };
            let Some(candidate) = columns.signature(address) else {
                continue;
            };
            confirm(aid, &candidate, &mut found);
        }
    }
    Ok(found
        .into_iter()
        .map(|(count, group)| (count, (count > 0).then(|| format!("{group:016x}"))))
        .collect())
}

/// Articles marked at indexing as sharing a band with a later article.
fn twin_marks(index: &OpenIndex, searcher: &Searcher) -> Result<HashSet<u64>> {
    let term = Term::from_field_u64(index.fields.kind, KIND_TWIN_MARK);
    let mut out = HashSet::new();
    for segment in searcher.segment_readers() {
        out.extend(aids_with_term(segment, None, &term).map_err(|e| index.tantivy(e))?);
    }
    Ok(out)
}
