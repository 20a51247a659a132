//! The page: past the offset, at most the limit, one article per
//! near-duplicate group (the best ranked) unless every copy is asked for,
//! and each shown article's near-duplicate count and group, as stored at
//! indexing (see `index::groups`).

use std::collections::HashSet;

use tantivy::{Searcher, TantivyDocument};

use super::collect::Match;
use crate::error::Result;
use crate::index::groups::Groups;
use crate::index::{ArticleRecord, OpenIndex};

/// An article on the page.
pub struct Shown {
    pub matched: Match,
    pub record: ArticleRecord,
    /// The stored document (its passages).
    pub doc: TantivyDocument,
    /// The leader of its near-duplicate group, if it is in one.
    leader: Option<u64>,
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
    let mut groups = Groups::new(searcher, &index.fields).map_err(|e| index.tantivy(e))?;
    let mut kept = Vec::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut skipped = 0;
    for m in ordered {
        if kept.len() >= limit {
            break;
        }
        let leader = groups.leader(m.aid).map_err(|e| index.tantivy(e))?;
        if !all_duplicates {
            if let Some(leader) = leader {
                if !seen.insert(leader) {
                    continue;
                }
            }
        }
        if skipped < offset {
            // Skipped articles need only their group: no stored block is
            // decompressed for them.
            skipped += 1;
            continue;
        }
        let doc: TantivyDocument = searcher.doc(m.address).map_err(|e| index.tantivy(e))?;
        kept.push(Shown {
            matched: *m,
            record: index.record_of(&doc)?,
            doc,
            leader,
        });
    }
    if !complete && kept.len() < limit {
        return Ok(None);
    }
    Ok(Some(kept))
}

/// For each shown article, how many other indexed articles share its
/// near-duplicate group, and the group's id (its leader's article id).
pub fn near_duplicates(
    index: &OpenIndex,
    searcher: &Searcher,
    shown: &[Shown],
) -> Result<Vec<(u64, Option<String>)>> {
    let groups = Groups::new(searcher, &index.fields).map_err(|e| index.tantivy(e))?;
    shown
        .iter()
        .map(|s| match s.leader {
            None => Ok((0, None)),
            Some(leader) => {
                let size = groups.size(leader).map_err(|e| index.tantivy(e))?;
                Ok((size.saturating_sub(1), Some(format!("{leader:016x}"))))
            }
        })
        .collect()
}
