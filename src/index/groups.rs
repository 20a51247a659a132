//! Near-duplicate groups, kept in the index so that every command shows the
//! same groups at the cost of a term lookup.
//!
//! One membership document (see [`super::docs`]) per article in a group of
//! two or more: `member` is the article's id, `dup_group` its group leader's
//! (see [`crate::dedup::leaders`]). A run that writes an article sharing a
//! near-duplicate band with another one, or removes an article that was in a
//! group, recomputes every group from the articles' signatures (a fast
//! column) and replaces the membership documents in the same commit; other
//! runs leave them alone. The groups therefore depend only on the articles
//! indexed, whatever order or runs they came in.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, SegmentReader, Term, TERMINATED};

use super::docs;
use super::schema::Fields;
use crate::dedup::{self, Signature};

/// What a run changes, for deciding whether groups move.
#[derive(Default)]
pub struct Changes {
    /// Articles written by the run: id and signature.
    pub written: Vec<(u64, Signature)>,
    /// Files whose earlier articles the run deletes (removed or rewritten).
    pub replaced: HashSet<String>,
}

/// The operations that bring the membership documents in line with the
/// index after `changes`, or none when no group can have moved. `before` is
/// the index as committed before the run (none for a fresh generation).
pub fn regroup(
    before: Option<&Searcher>,
    fields: &Fields,
    changes: &Changes,
) -> tantivy::Result<Vec<UserOperation>> {
    if !moves_groups(before, fields, changes)? {
        return Ok(Vec::new());
    }
    let mut items: Vec<(u64, Signature)> = Vec::new();
    if let Some(searcher) = before {
        for segment in searcher.segment_readers() {
            items.extend(kept_articles(segment, &changes.replaced)?);
        }
    }
    // A rewritten article's new version replaces its old one.
    let written: HashSet<u64> = changes.written.iter().map(|(aid, _)| *aid).collect();
    items.retain(|(aid, _)| !written.contains(aid));
    items.extend(changes.written.iter().copied());
    let mut ops = vec![UserOperation::Delete(docs::membership_term(fields))];
    for (member, leader) in dedup::leaders(&items) {
        ops.push(UserOperation::Add(docs::membership_document(
            fields, member, leader,
        )));
    }
    Ok(ops)
}

/// Whether `changes` can move a group: a written article shares a band with
/// another article, or a deleted one was in a group.
fn moves_groups(
    before: Option<&Searcher>,
    fields: &Fields,
    changes: &Changes,
) -> tantivy::Result<bool> {
    let mut bands: HashMap<u64, u64> = HashMap::new();
    for (aid, sig) in &changes.written {
        for band in sig.bands() {
            if bands.insert(band, *aid).is_some_and(|other| other != *aid) {
                return Ok(true);
            }
        }
    }
    let Some(searcher) = before else {
        return Ok(false);
    };
    for segment in searcher.segment_readers() {
        let aids = segment.fast_fields().u64("aid")?;
        let kinds = segment.fast_fields().u64("kind")?;
        // A band held by an article other than the one written.
        for (band, aid) in &bands {
            let term = Term::from_field_u64(fields.simband, *band);
            let mut found = false;
            each_doc(segment, &term, |doc| {
                found |= aids.first(doc) != Some(*aid);
            })?;
            if found {
                return Ok(true);
            }
        }
        // A deleted article that was in a group.
        for file in &changes.replaced {
            let term = Term::from_field_text(fields.file, file);
            let mut gone = Vec::new();
            each_doc(segment, &term, |doc| {
                if docs::is_article(&kinds, doc) {
                    gone.extend(aids.first(doc));
                }
            })?;
            for aid in gone {
                if searcher.doc_freq(&Term::from_field_u64(fields.member, aid))? > 0 {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// Calls `f` with every live document of `segment` holding `term`.
fn each_doc(
    segment: &SegmentReader,
    term: &Term,
    mut f: impl FnMut(tantivy::DocId),
) -> tantivy::Result<()> {
    let Some(mut postings) = segment
        .inverted_index(term.field())?
        .read_postings(term, IndexRecordOption::Basic)?
    else {
        return Ok(());
    };
    let alive = segment.alive_bitset();
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            f(doc);
        }
        doc = postings.advance();
    }
    Ok(())
}

/// The live articles of `segment` outside `replaced` files, with their
/// signatures.
fn kept_articles(
    segment: &SegmentReader,
    replaced: &HashSet<String>,
) -> tantivy::Result<Vec<(u64, Signature)>> {
    let fast = segment.fast_fields();
    let kinds = fast.u64("kind")?;
    let aids = fast.u64("aid")?;
    let Some(minhash) = fast.bytes("minhash")? else {
        return Ok(Vec::new());
    };
    let files = fast.str("file")?;
    // The ordinals of the replaced files in this segment's dictionary.
    let mut skip: HashSet<u64> = HashSet::new();
    if let Some(files) = &files {
        for file in replaced {
            if let Some(ord) = files.dictionary().term_ord(file.as_bytes())? {
                skip.insert(ord);
            }
        }
    }
    let mut out = Vec::new();
    let mut bytes = Vec::new();
    for doc in docs::live_articles(segment, &kinds) {
        if let Some(files) = &files {
            if files.term_ords(doc).any(|ord| skip.contains(&ord)) {
                continue;
            }
        }
        let (Some(aid), Some(ord)) = (aids.first(doc), minhash.term_ords(doc).next()) else {
            continue;
        };
        bytes.clear();
        minhash.ord_to_bytes(ord, &mut bytes)?;
        if let Some(sig) = Signature::from_bytes(&bytes) {
            out.push((aid, sig));
        }
    }
    Ok(out)
}

/// The near-duplicate group of each article as committed: member → leader.
/// Read from the membership documents: an article in none has no group.
pub struct Groups<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// False when the index holds no group at all (no lookups then).
    any: bool,
    known: HashMap<u64, Option<u64>>,
}

impl<'a> Groups<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a Fields) -> tantivy::Result<Groups<'a>> {
        let any = searcher.doc_freq(&docs::membership_term(fields))? > 0;
        Ok(Groups {
            searcher,
            fields,
            any,
            known: HashMap::new(),
        })
    }

    /// The leader of the group of article `aid`, if it is in one.
    pub fn leader(&mut self, aid: u64) -> tantivy::Result<Option<u64>> {
        if !self.any {
            return Ok(None);
        }
        if let Some(known) = self.known.get(&aid) {
            return Ok(*known);
        }
        let term = Term::from_field_u64(self.fields.member, aid);
        let mut leader = None;
        for segment in self.searcher.segment_readers() {
            let groups = segment.fast_fields().u64("dup_group")?;
            each_doc(segment, &term, |doc| leader = leader.or(groups.first(doc)))?;
            if leader.is_some() {
                break;
            }
        }
        self.known.insert(aid, leader);
        Ok(leader)
    }

    /// How many articles the group led by `leader` holds.
    pub fn size(&self, leader: u64) -> tantivy::Result<u64> {
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.dup_group, leader),
            IndexRecordOption::Basic,
        );
        Ok(tantivy::query::Query::count(&query, self.searcher)? as u64)
    }
}

/// Every group as committed: leader → its members (the leader included),
/// sorted by id.
pub fn all(searcher: &Searcher) -> tantivy::Result<BTreeMap<u64, Vec<u64>>> {
    let mut out: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let kinds = fast.u64("kind")?;
        let members = fast.u64("member")?;
        let groups = fast.u64("dup_group")?;
        for doc in docs::live_memberships(segment, &kinds) {
            if let (Some(member), Some(leader)) = (members.first(doc), groups.first(doc)) {
                out.entry(leader).or_default().push(member);
            }
        }
    }
    for members in out.values_mut() {
        members.sort_unstable();
        members.dedup();
    }
    Ok(out)
}
