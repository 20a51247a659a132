//! Every field of the index and its options, in one place.
//!
//! One tantivy document per article: its title, its passages (one value of
//! the multi-valued `text` field each, with where each starts in the field's
//! positions), its metadata and the file fingerprint for incremental sync. An
//! article matches a query as a whole; the passages that answer it are found
//! from the positions of the matched words (see `search::evidence`).

use chrono::NaiveDate;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings};

use super::analyzer;

/// Bumped whenever the schema or the meaning of a field changes; an index with
/// another version is rebuilt by `newsidx index` and refused by readers.
pub const FORMAT_VERSION: u32 = 8;

/// `kind` values.
pub const KIND_ARTICLE: u64 = 0;
/// An article's membership of a near-duplicate group (`member`, `dup_group`;
/// see `index::groups`).
pub const KIND_MEMBER: u64 = 2;

/// Field handles, resolved once from the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    pub kind: Field,
    /// Numeric article id (see [`crate::article::article_id`]); fast, for grouping passages.
    pub aid: Field,
    /// Source file, untokenized: the unit of incremental updates.
    pub file: Field,
    pub title: Field,
    /// The passages, one value each, in order: searched and stored.
    pub text: Field,
    /// Where each passage starts in the positions of `text` (multi-valued,
    /// ascending), and last where a next one would start (the last
    /// passage's end): the passages that hold a matched word are found from
    /// its positions without reading the stored text.
    pub passage_start: Field,
    pub state: Field,
    pub sector: Field,
    pub prefecture: Field,
    /// Organisations named (canonical), untokenized.
    pub org: Field,
    /// The article's main language, ISO 639-1 ("hi"), untokenized; absent
    /// when it could not be told.
    pub lang: Field,
    /// The largest money figure in whole rupees; absent when none.
    pub amount: Field,
    /// Article documents only: the MinHash signature of the text, for
    /// near-duplicate wire copy (see [`crate::dedup`]).
    pub minhash: Field,
    /// Article documents only: the signature's band terms, so that
    /// near-duplicate candidates are a term query.
    pub simband: Field,
    /// Membership documents: the article id of a member of a near-duplicate
    /// group.
    pub member: Field,
    /// Membership documents: the id of the group's leader.
    pub dup_group: Field,
    pub date: Field,
    /// 1 when the article has a date, so `--undated` is a term query.
    pub dated: Field,
    /// Article documents only: the stored article record (JSON).
    pub record: Field,
    /// Article documents only: the file fingerprint.
    pub size: Field,
    pub mtime: Field,
    pub hash: Field,
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            kind: f("kind")?,
            aid: f("aid")?,
            file: f("file")?,
            title: f("title")?,
            text: f("text")?,
            passage_start: f("passage_start")?,
            state: f("state")?,
            sector: f("sector")?,
            prefecture: f("prefecture")?,
            org: f("org")?,
            lang: f("lang")?,
            amount: f("amount")?,
            minhash: f("minhash")?,
            simband: f("simband")?,
            member: f("member")?,
            dup_group: f("dup_group")?,
            date: f("date")?,
            dated: f("dated")?,
            record: f("record")?,
            size: f("size")?,
            mtime: f("mtime")?,
            hash: f("hash")?,
        })
    }
}

/// The schema of a newsidx index.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer::NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let keyword = STRING | FAST;
    b.add_u64_field("kind", INDEXED | FAST);
    b.add_u64_field(
        "aid",
        NumericOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored(),
    );
    b.add_text_field("file", STRING | FAST);
    b.add_text_field(
        "title",
        TextOptions::default().set_indexing_options(text_indexing.clone()),
    );
    b.add_text_field(
        "text",
        TextOptions::default()
            .set_indexing_options(text_indexing)
            .set_stored(),
    );
    b.add_u64_field("passage_start", FAST);
    b.add_text_field("state", keyword.clone());
    b.add_text_field("sector", keyword.clone());
    b.add_text_field("prefecture", keyword.clone());
    b.add_text_field("org", keyword.clone());
    b.add_text_field("lang", keyword);
    b.add_u64_field("amount", INDEXED | FAST);
    b.add_bytes_field("minhash", FAST);
    b.add_u64_field("simband", INDEXED);
    b.add_u64_field("member", INDEXED | FAST);
    b.add_u64_field("dup_group", INDEXED | FAST);
    b.add_date_field(
        "date",
        DateOptions::from(INDEXED)
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_u64_field("dated", INDEXED | FAST);
    b.add_text_field("record", STORED);
    b.add_u64_field("size", FAST);
    b.add_i64_field("mtime", FAST);
    b.add_u64_field("hash", FAST);
    b.build()
}

/// Index settings: stored passages compressed with zstd, which keeps the
/// index smaller than the articles it holds (LZ4, the default, does not).
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        // Each article shown decompresses one block: 32 KiB blocks take half
        // the time of 64 KiB ones (about 0.1 ms a hit at 100k articles) for
        // 2 % more index (0.99 of the corpus rather than 0.97).
        docstore_blocksize: 32 * 1024,
        ..IndexSettings::default()
    }
}

/// Tokenizers are not persisted by tantivy: every opened index needs this.
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::analyzer());
}

/// Midnight UTC of `day`: dates have day precision.
pub fn day_to_datetime(day: NaiveDate) -> tantivy::DateTime {
    let secs = day
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    tantivy::DateTime::from_timestamp_secs(secs)
}

/// The day of an indexed date.
pub fn datetime_to_day(value: tantivy::DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(value.into_timestamp_secs(), 0).map(|t| t.date_naive())
}
