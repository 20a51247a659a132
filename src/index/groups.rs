//! Near-duplicate groups, kept in the index so that every command shows the
//! same groups at the cost of a term lookup.
//!
//! One membership document (see [`super::docs`]) per article in a group of
//! two or more: `member` is the article's id, `dup_group` its group leader's
//! (see [`crate::dedup::leaders`]). A run that writes an article sharing a
//! near-duplicate band with another one, or removes an article that was in a
//! group, recomputes the groups it can have moved (see [`regroup`]) from the
//! articles' signatures (a fast column) and replaces their membership
//! documents in the same commit; other runs leave them alone. The groups
//! therefore depend only on the articles indexed, whatever order or runs
//! they came in.

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
///
/// A group's members are all near-duplicates of each other, so groups never
/// cross a component of the near-duplicate relation, and `dedup::leaders`
/// run over one component gives what it gives that component when run over
/// everything. A run therefore regroups only the components it touches: the
/// ones holding the articles it writes, and those of the near-duplicates of
/// the articles it deletes or rewrites (their old versions). Components are
/// found from the changed articles through their bands, each band's
/// articles read once; the cost follows the families touched, not the
/// collection.
pub fn regroup(
    before: Option<&Searcher>,
    fields: &Fields,
    changes: &Changes,
) -> tantivy::Result<Vec<UserOperation>> {
    let Some(searcher) = before else {
        // A fresh generation: every article is written by this run.
        if !written_share_a_band(&changes.written) {
            return Ok(Vec::new());
        }
        let mut ops = vec![UserOperation::Delete(docs::membership_term(fields))];
        ops.extend(memberships(fields, &changes.written));
        return Ok(ops);
    };
    let mut after = After::new(searcher, changes)?;
    // The old versions of deleted and rewritten articles: their
    // near-duplicates may regroup without them.
    let old = after.old_versions(fields, &changes.replaced)?;
    if !written_share_a_band(&changes.written)
        && !moves_groups(searcher, &after, fields, changes, &old)?
    {
        return Ok(Vec::new());
    }
    let mut seeds = changes.written.clone();
    for (aid, sig) in &old {
        seeds.extend(after.near(fields, *aid, sig)?);
    }
    // Everything reachable from the seeds through near-duplicates.
    let mut component: BTreeMap<u64, Signature> = BTreeMap::new();
    while let Some((aid, sig)) = seeds.pop() {
        if component.insert(aid, sig).is_none() {
            seeds.extend(after.near(fields, aid, &sig)?);
        }
    }
    let mut ops: Vec<UserOperation> = component
        .keys()
        .chain(old.iter().map(|(aid, _)| aid))
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|aid| UserOperation::Delete(Term::from_field_u64(fields.member, *aid)))
        .collect();
    let items: Vec<(u64, Signature)> = component.into_iter().collect();
    ops.extend(memberships(fields, &items));
    Ok(ops)
}

/// The membership documents of the groups `dedup::leaders` finds in `items`.
fn memberships<'a>(
    fields: &'a Fields,
    items: &[(u64, Signature)],
) -> impl Iterator<Item = UserOperation> + use<'a> {
    dedup::leaders(items)
        .into_iter()
        .map(move |(member, leader)| {
            UserOperation::Add(docs::membership_document(fields, member, leader))
        })
}

/// The articles as they will be after the run: the committed ones outside
/// the replaced files, and the written ones.
struct After<'a> {
    segments: Vec<(&'a SegmentReader, SegmentView)>,
    written: HashMap<u64, Signature>,
    written_by_band: HashMap<u64, Vec<u64>>,
    /// Each band's articles, read once.
    bands: HashMap<u64, Vec<(u64, Signature)>>,
}

impl<'a> After<'a> {
    fn new(searcher: &'a Searcher, changes: &Changes) -> tantivy::Result<After<'a>> {
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let mut view = SegmentView::new(segment)?;
            view.skip_files(&changes.replaced)?;
            segments.push((segment, view));
        }
        let written: HashMap<u64, Signature> = changes.written.iter().copied().collect();
        let mut written_by_band: HashMap<u64, Vec<u64>> = HashMap::new();
        for (aid, sig) in &written {
            for band in sig.bands() {
                written_by_band.entry(band).or_default().push(*aid);
            }
        }
        Ok(After {
            segments,
            written,
            written_by_band,
            bands: HashMap::new(),
        })
    }

    /// The committed articles of the `replaced` files (live before the run).
    fn old_versions(
        &self,
        fields: &Fields,
        replaced: &HashSet<String>,
    ) -> tantivy::Result<Vec<(u64, Signature)>> {
        let mut old = Vec::new();
        for (segment, view) in &self.segments {
            for file in replaced {
                each_doc(segment, &Term::from_field_text(fields.file, file), |doc| {
                    if docs::is_article(&view.kinds, doc) {
                        old.extend(view.article(doc));
                    }
                })?;
            }
        }
        Ok(old)
    }

    /// The articles other than `aid` that are near-duplicates of `sig`.
    fn near(
        &mut self,
        fields: &Fields,
        aid: u64,
        sig: &Signature,
    ) -> tantivy::Result<Vec<(u64, Signature)>> {
        let mut out = Vec::new();
        for band in sig.bands() {
            if !self.bands.contains_key(&band) {
                let mut held = Vec::new();
                let term = Term::from_field_u64(fields.simband, band);
                for (segment, view) in &self.segments {
                    each_doc(segment, &term, |doc| {
                        if let Some((other, s)) = view.kept(doc) {
                            // A rewritten article counts in its new version.
                            if !self.written.contains_key(&other) {
                                held.push((other, s));
                            }
                        }
                    })?;
                }
                for w in self.written_by_band.get(&band).into_iter().flatten() {
                    held.push((*w, self.written[w]));
                }
                self.bands.insert(band, held);
            }
            out.extend(
                self.bands[&band]
                    .iter()
                    .filter(|(other, s)| *other != aid && s.is_duplicate(sig))
                    .copied(),
            );
        }
        out.sort_unstable_by_key(|(a, _)| *a);
        out.dedup_by_key(|(a, _)| *a);
        Ok(out)
    }
}

/// The columns of one segment that regrouping reads.
struct SegmentView {
    kinds: tantivy::columnar::Column<u64>,
    aids: tantivy::columnar::Column<u64>,
    minhash: Option<tantivy::columnar::BytesColumn>,
    files: Option<tantivy::columnar::StrColumn>,
    /// Ordinals (in `files`) of the files whose articles are left out.
    skip: HashSet<u64>,
}

impl SegmentView {
    fn new(segment: &SegmentReader) -> tantivy::Result<SegmentView> {
        let fast = segment.fast_fields();
        Ok(SegmentView {
            kinds: fast.u64("kind")?,
            aids: fast.u64("aid")?,
            minhash: fast.bytes("minhash")?,
            files: fast.str("file")?,
            skip: HashSet::new(),
        })
    }

    fn skip_files(&mut self, replaced: &HashSet<String>) -> tantivy::Result<()> {
        if let Some(files) = &self.files {
            for file in replaced {
                if let Some(ord) = files.dictionary().term_ord(file.as_bytes())? {
                    self.skip.insert(ord);
                }
            }
        }
        Ok(())
    }

    /// The id and signature of the article document `doc`.
    fn article(&self, doc: tantivy::DocId) -> Option<(u64, Signature)> {
        let aid = self.aids.first(doc)?;
        let minhash = self.minhash.as_ref()?;
        let ord = minhash.term_ords(doc).next()?;
        let mut bytes = Vec::new();
        minhash.ord_to_bytes(ord, &mut bytes).ok()?;
        Some((aid, Signature::from_bytes(&bytes)?))
    }

    /// [`SegmentView::article`] for a live article outside the skipped files.
    fn kept(&self, doc: tantivy::DocId) -> Option<(u64, Signature)> {
        if !docs::is_article(&self.kinds, doc) {
            return None;
        }
        if let Some(files) = &self.files {
            if files.term_ords(doc).any(|ord| self.skip.contains(&ord)) {
                return None;
            }
        }
        self.article(doc)
    }
}

/// Whether two articles written by the run share a band.
fn written_share_a_band(written: &[(u64, Signature)]) -> bool {
    let mut bands: HashMap<u64, u64> = HashMap::new();
    written.iter().any(|(aid, sig)| {
        sig.bands()
            .any(|band| bands.insert(band, *aid).is_some_and(|other| other != *aid))
    })
}

/// Whether a run over a committed index can move a group: a written article
/// shares a band with a committed article other than its own old version, or
/// an old version (`old`) was in a group.
fn moves_groups(
    searcher: &Searcher,
    after: &After,
    fields: &Fields,
    changes: &Changes,
    old: &[(u64, Signature)],
) -> tantivy::Result<bool> {
    for (aid, sig) in &changes.written {
        for band in sig.bands() {
            let term = Term::from_field_u64(fields.simband, band);
            for (segment, view) in &after.segments {
                let mut found = false;
                each_doc(segment, &term, |doc| {
                    found |= view.aids.first(doc) != Some(*aid);
                })?;
                if found {
                    return Ok(true);
                }
            }
        }
    }
    for (aid, _) in old {
        if searcher.doc_freq(&Term::from_field_u64(fields.member, *aid))? > 0 {
            return Ok(true);
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
