//! The one owner of the document layout: what an article document holds and
//! how to find articles among the index's documents. Every other module asks
//! here rather than writing `kind` terms or checks itself.
//!
//! An index holds one document per article (`kind` [`KIND_ARTICLE`]) and,
//! for articles in a near-duplicate group, one membership document each
//! (`kind` [`KIND_MEMBER`], see [`super::groups`]).

use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, SegmentReader, TantivyDocument, Term};

use super::schema::{day_to_datetime, Fields, KIND_ARTICLE, KIND_MEMBER};
use super::sync::Fingerprint;
use super::ArticleRecord;
use crate::article::Article;

/// A query matching every article document (and nothing else).
pub fn articles(fields: &Fields) -> Box<dyn Query> {
    articles_by_kind(fields.kind)
}

/// [`articles`], given only the `kind` field.
pub fn articles_by_kind(kind: Field) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    ))
}

/// The term every membership document holds (to delete them all at once).
pub fn membership_term(fields: &Fields) -> Term {
    Term::from_field_u64(fields.kind, KIND_MEMBER)
}

/// The document saying that article `member` belongs to the near-duplicate
/// group led by article `leader`.
pub fn membership_document(fields: &Fields, member: u64, leader: u64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.kind, KIND_MEMBER);
    doc.add_u64(fields.member, member);
    doc.add_u64(fields.dup_group, leader);
    doc
}

/// A query matching the article documents holding `term` (a `file` or an
/// `aid` term, say).
pub fn articles_with(fields: &Fields, term: Term) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
        ),
        (Occur::Must, articles(fields)),
    ]))
}

/// The live article documents of `segment`, in document order; `kinds` is
/// its `kind` column.
pub fn live_articles<'a>(
    segment: &'a SegmentReader,
    kinds: &'a Column<u64>,
) -> impl Iterator<Item = DocId> + 'a {
    live_of_kind(segment, kinds, KIND_ARTICLE)
}

/// The live membership documents of `segment`, in document order.
pub fn live_memberships<'a>(
    segment: &'a SegmentReader,
    kinds: &'a Column<u64>,
) -> impl Iterator<Item = DocId> + 'a {
    live_of_kind(segment, kinds, KIND_MEMBER)
}

fn live_of_kind<'a>(
    segment: &'a SegmentReader,
    kinds: &'a Column<u64>,
    kind: u64,
) -> impl Iterator<Item = DocId> + 'a {
    let alive = segment.alive_bitset();
    (0..segment.max_doc())
        .filter(move |&doc| alive.is_none_or(|a| a.is_alive(doc)) && kinds.first(doc) == Some(kind))
}

/// True when `doc` (of the segment whose `kind` column is `kinds`) is an
/// article document.
pub fn is_article(kinds: &Column<u64>, doc: DocId) -> bool {
    kinds.first(doc) == Some(KIND_ARTICLE)
}

/// The id and near-duplicate signature of an article document.
pub fn signed(doc: &TantivyDocument, fields: &Fields) -> Option<(u64, crate::dedup::Signature)> {
    use tantivy::schema::Value;
    let aid = doc.get_first(fields.aid)?.as_u64()?;
    let bytes = doc.get_first(fields.minhash)?.as_bytes()?;
    Some((aid, crate::dedup::Signature::from_bytes(bytes)?))
}

/// The article's document: its passages as the values of `text`, each one's
/// first position in `passage_start`, its metadata, record and fingerprint.
pub(crate) fn article_document(
    article: &Article,
    passages: &[crate::passage::Passage],
    fingerprint: Fingerprint,
    fields: &Fields,
    out: &mut Vec<TantivyDocument>,
) {
    let meta = &article.metadata;
    let aid = u64::from_str_radix(&article.id, 16).unwrap_or_default();
    let signature = crate::dedup::signature(&article.body);
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.kind, KIND_ARTICLE);
    doc.add_u64(fields.aid, aid);
    doc.add_text(fields.file, &article.file);
    for s in &meta.states {
        doc.add_text(fields.state, s);
    }
    for s in &meta.sectors {
        doc.add_text(fields.sector, s);
    }
    for p in &meta.prefectures {
        doc.add_text(fields.prefecture, p);
    }
    for o in &meta.orgs {
        doc.add_text(fields.org, o);
    }
    if let Some(amount) = &meta.amount {
        doc.add_u64(fields.amount, amount.rupees);
    }
    if let Some(lang) = &meta.lang {
        doc.add_text(fields.lang, lang);
    }
    if let Some(date) = meta.date {
        doc.add_date(fields.date, day_to_datetime(date));
    }
    doc.add_u64(fields.dated, u64::from(meta.date.is_some()));
    doc.add_text(fields.title, &meta.title);
    // Tantivy starts each value of a multi-valued text field one position
    // past the end of the previous one.
    let mut start = 0u32;
    for passage in passages {
        doc.add_text(fields.text, &passage.text);
        doc.add_u64(fields.passage_start, u64::from(start));
        start = start
            .saturating_add(super::analyzer::position_span(&passage.text))
            .saturating_add(1);
    }
    // And where a next passage would start: the last passage's end, which
    // `search::evidence` needs to place and measure it.
    doc.add_u64(fields.passage_start, u64::from(start));
    let record = ArticleRecord {
        id: article.id.clone(),
        path: article.path.clone(),
        file: article.file.clone(),
        url: article.url.clone(),
        meta: meta.clone(),
        passages: passages.len() as u64,
    };
    doc.add_text(
        fields.record,
        serde_json::to_string(&record).unwrap_or_default(),
    );
    doc.add_u64(fields.size, fingerprint.size);
    doc.add_i64(fields.mtime, fingerprint.mtime);
    doc.add_u64(fields.hash, fingerprint.hash);
    doc.add_bytes(fields.minhash, &signature.to_bytes());
    for band in signature.bands() {
        doc.add_u64(fields.simband, band);
    }
    out.push(doc);
}
