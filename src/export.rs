//! Export: the index streamed into what other engines ingest, for collections
//! that outgrow one machine.
//!
//! - Quickwit: `index-config.yaml` (a doc mapping mirroring the newsidx
//!   schema) and `passages.ndjson` (one passage per line with its article's
//!   metadata), for `quickwit index create` and `quickwit index ingest`.
//! - Elasticsearch and OpenSearch: `mapping.json` (settings with an English
//!   analyzer, and the mappings) and `bulk.ndjson` in `_bulk` format.
//! - NDJSON: one article per line ([`ArticleLine`], itself valid newsidx
//!   JSON-lines input) or one passage per line ([`PassageLine`]).
//!
//! Articles are visited in path order and each one's passages fetched with a
//! term query on its id, in ordinal order: memory holds the article records
//! (small) and one article's passages at a time, and the output is the same
//! on every run.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Searcher, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::writer::Progress;
use crate::index::{ArticleRecord, OpenIndex};

/// The index (Quickwit) and the `_index` (Elasticsearch) the exports name.
pub const INDEX_NAME: &str = "newsidx";
/// File names inside an export folder.
pub const QUICKWIT_CONFIG: &str = "index-config.yaml";
pub const QUICKWIT_DOCS: &str = "passages.ndjson";
pub const ELASTIC_MAPPING: &str = "mapping.json";
pub const ELASTIC_BULK: &str = "bulk.ndjson";
/// The date format of every export: `YYYY-MM-DD`.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

/// One passage with its article's metadata: a line of Quickwit's
/// `passages.ndjson`, a document of `bulk.ndjson`, a line of
/// `export --to ndjson --passages`. Field names are those of the index
/// schema; `date` is absent when the article is undated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageLine {
    pub article_id: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: String,
    /// `YYYY-MM-DD`; absent when undated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub state: Vec<String>,
    pub sector: Vec<String>,
    pub prefecture: Vec<String>,
    /// Organisations named (canonical).
    pub org: Vec<String>,
    /// The article's main language, ISO 639-1; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The article's largest money figure in rupees; absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_inr: Option<u64>,
    pub ordinal: u64,
    pub text: String,
}

/// One article per line (`export --to ndjson`). `title`, `body`, `date`,
/// `url`, `states`, `sectors`, `prefectures` and `lang` are the fields the JSON-lines
/// reader takes, so the export can be indexed again as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLine {
    pub id: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: String,
    /// `YYYY-MM-DD`; absent when undated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub states: Vec<String>,
    pub sectors: Vec<String>,
    pub prefectures: Vec<String>,
    #[serde(default)]
    pub orgs: Vec<String>,
    /// The largest money figure: rupees, as written, currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<crate::article::Amount>,
    /// The article's main language, ISO 639-1 (read back as the JSON-lines
    /// `lang` field); absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Number of passages the body was cut into.
    pub passages: u64,
    /// The cleaned text: the passages joined, one paragraph per line.
    pub body: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub articles: u64,
    pub passages: u64,
    /// Files written, in the order they were completed (none for a stream).
    pub files: Vec<PathBuf>,
    /// Things the user should know about the output (one line each).
    pub notes: Vec<String>,
}

/// A stored passage: its position in the article and its text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredPassage {
    pub ordinal: u64,
    pub text: String,
}

/// Calls `visit` for every article in path order with its passages in
/// ordinal order; returns the numbers of articles and passages visited.
pub fn each_article(
    index: &OpenIndex,
    progress: &dyn Progress,
    visit: impl FnMut(&ArticleRecord, &[StoredPassage]) -> Result<()>,
) -> Result<(u64, u64)> {
    visit_articles(index, &index.articles()?, progress, visit)
}

/// [`each_article`] over records already read (sorted by path).
fn visit_articles(
    index: &OpenIndex,
    records: &[ArticleRecord],
    progress: &dyn Progress,
    mut visit: impl FnMut(&ArticleRecord, &[StoredPassage]) -> Result<()>,
) -> Result<(u64, u64)> {
    let searcher = index.reader.searcher();
    progress.start(records.len() as u64);
    let mut passages = Vec::new();
    let mut total = 0;
    for record in records {
        stored_passages(index, &searcher, record, &mut passages)?;
        total += passages.len() as u64;
        visit(record, &passages)?;
        progress.advance(1);
    }
    progress.finish();
    Ok((records.len() as u64, total))
}

/// The passages of one article, read from the store, into `out`.
fn stored_passages(
    index: &OpenIndex,
    searcher: &Searcher,
    record: &ArticleRecord,
    out: &mut Vec<StoredPassage>,
) -> Result<()> {
    out.clear();
    let aid = u64::from_str_radix(&record.id, 16).map_err(|_| Error::DamagedIndex {
        path: index.root.clone(),
        message: format!("article {} has an invalid id {:?}", record.path, record.id),
    })?;
    let Some(address) = index.article_address(searcher, aid)? else {
        return Ok(());
    };
    let doc: TantivyDocument = searcher.doc(address).map_err(|e| index.tantivy(e))?;
    out.extend(
        index
            .passages_in(&doc)
            .into_iter()
            .enumerate()
            .map(|(ordinal, text)| StoredPassage {
                ordinal: ordinal as u64,
                text,
            }),
    );
    Ok(())
}

fn day(record: &ArticleRecord) -> Option<String> {
    record.date.map(|d| d.format(DATE_FORMAT).to_string())
}

impl PassageLine {
    pub fn new(record: &ArticleRecord, passage: &StoredPassage) -> PassageLine {
        PassageLine {
            article_id: record.id.clone(),
            path: record.path.clone(),
            url: record.url.clone(),
            title: record.title.clone(),
            date: day(record),
            state: record.states.clone(),
            sector: record.sectors.clone(),
            prefecture: record.prefectures.clone(),
            org: record.orgs.clone(),
            lang: record.lang.clone(),
            amount_inr: record.amount.as_ref().map(|a| a.rupees),
            ordinal: passage.ordinal,
            text: passage.text.clone(),
        }
    }

    /// The document id in Elasticsearch: `<article_id>-<ordinal>`.
    pub fn doc_id(&self) -> String {
        format!("{}-{}", self.article_id, self.ordinal)
    }
}

impl ArticleLine {
    pub fn new(record: &ArticleRecord, passages: &[StoredPassage]) -> ArticleLine {
        let mut body = String::new();
        for p in passages {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(&p.text);
        }
        ArticleLine {
            id: record.id.clone(),
            path: record.path.clone(),
            url: record.url.clone(),
            title: record.title.clone(),
            date: day(record),
            states: record.states.clone(),
            sectors: record.sectors.clone(),
            prefectures: record.prefectures.clone(),
            orgs: record.orgs.clone(),
            amount: record.amount.clone(),
            lang: record.lang.clone(),
            passages: passages.len() as u64,
            body,
        }
    }
}

/// Writes `value` as one JSON line to `out`; errors name `shown`.
fn json_line<T: Serialize>(out: &mut dyn Write, shown: &Path, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| Error::io(shown, e))
}

/// A file written beside its final name and renamed into place when
/// complete, so that an interrupted export never leaves a file that looks
/// whole.
struct OutFile {
    path: PathBuf,
    partial: PathBuf,
    writer: BufWriter<File>,
}

impl OutFile {
    fn create(path: &Path) -> Result<OutFile> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        let partial = path.with_file_name(name);
        let file = File::create(&partial).map_err(|e| Error::io(path, e))?;
        Ok(OutFile {
            path: path.to_path_buf(),
            partial,
            writer: BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn line<T: Serialize>(&mut self, value: &T) -> Result<()> {
        json_line(&mut self.writer, &self.path, value)
    }

    fn text(&mut self, text: &str) -> Result<()> {
        self.writer
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(&self.path, e))
    }

    fn finish(mut self, summary: &mut Summary) -> Result<()> {
        self.writer
            .flush()
            .and_then(|()| self.writer.get_ref().sync_all())
            .and_then(|()| std::fs::rename(&self.partial, &self.path))
            .map_err(|e| Error::io(&self.path, e))?;
        summary.files.push(self.path.clone());
        Ok(())
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        // The partial file is still there only when the export failed.
        let _ = std::fs::remove_file(&self.partial);
    }
}

/// Removes the `*.partial` files an export killed in `dir` left behind
/// (only the names an export writes: nothing else in the folder is touched).
fn remove_partials(dir: &Path) {
    for name in [
        QUICKWIT_CONFIG,
        QUICKWIT_DOCS,
        ELASTIC_MAPPING,
        ELASTIC_BULK,
    ] {
        let _ = std::fs::remove_file(dir.join(format!("{name}.partial")));
    }
}

/// `export --to quickwit`: `dir/index-config.yaml` and `dir/passages.ndjson`.
pub fn quickwit(index: &OpenIndex, dir: &Path, progress: &dyn Progress) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    remove_partials(dir);
    let mut summary = Summary::default();
    let records = index.articles()?;
    let undated = records.iter().filter(|r| r.date.is_none()).count();
    let mut config = OutFile::create(&dir.join(QUICKWIT_CONFIG))?;
    config.text(&quickwit_config(undated))?;
    config.finish(&mut summary)?;
    if undated > 0 {
        summary.notes.push(format!(
            "{QUICKWIT_CONFIG}: timestamp_field is left unset because {undated} article(s) are \
             undated and Quickwit rejects documents without their timestamp field"
        ));
    }
    let mut docs = OutFile::create(&dir.join(QUICKWIT_DOCS))?;
    let (articles, passages) = visit_articles(index, &records, progress, |record, passages| {
        for passage in passages {
            docs.line(&PassageLine::new(record, passage))?;
        }
        Ok(())
    })?;
    docs.finish(&mut summary)?;
    summary.articles = articles;
    summary.passages = passages;
    Ok(summary)
}

/// The Quickwit index config. `date` is the timestamp field only when no
/// article is undated: Quickwit drops documents that lack their timestamp.
pub fn quickwit_config(undated: usize) -> String {
    let timestamp = if undated == 0 {
        "  timestamp_field: date\n".to_string()
    } else {
        format!(
            "  # timestamp_field: date\n  \
             # (left unset: {undated} article(s) are undated, and Quickwit rejects documents\n  \
             # without their timestamp field; `date` stays a fast field for range filters)\n"
        )
    };
    let field = |name: &str, what: &str, options: &str| {
        format!("    - name: {name}\n      description: \"{what}\"\n{options}")
    };
    let keyword = "      type: array<text>\n      tokenizer: raw\n      fast: true\n";
    let text = "      type: text\n      tokenizer: en_stem\n      record: position\n      fieldnorms: true\n";
    let raw = "      type: text\n      tokenizer: raw\n";
    let fields = [
        field(
            "article_id",
            "newsidx article id (16 hex digits)",
            "      type: text\n      tokenizer: raw\n      fast: true\n",
        ),
        field("path", "source file, with :LINE for JSON lines", raw),
        field("url", "where the article was scraped from", raw),
        field("title", "the article's title", text),
        field("text", "the passage", text),
        field(
            "ordinal",
            "position of the passage in its article, from 0",
            "      type: u64\n      fast: true\n",
        ),
        field("state", "Indian states and union territories", keyword),
        field("sector", "sectors", keyword),
        field("prefecture", "Japanese prefectures", keyword),
        field("org", "organisations named (canonical)", keyword),
        field(
            "lang",
            "the article's language, ISO 639-1",
            "      type: text\n      tokenizer: raw\n      fast: true\n",
        ),
        field(
            "amount_inr",
            "the article's largest money figure in rupees; absent when none",
            "      type: u64\n      fast: true\n",
        ),
        field(
            "date",
            "the article's date, day precision; absent when undated",
            &format!(
                "      type: datetime\n      input_formats: [\"{DATE_FORMAT}\"]\n      \
                 output_format: \"{DATE_FORMAT}\"\n      fast_precision: seconds\n      fast: true\n"
            ),
        ),
    ];
    format!(
        "# Quickwit index config written by `newsidx export --to quickwit`.\n\
         #   quickwit index create --index-config {QUICKWIT_CONFIG}\n\
         #   quickwit index ingest --index {INDEX_NAME} --input-path {QUICKWIT_DOCS}\n\
         version: 0.8\n\
         \n\
         index_id: {INDEX_NAME}\n\
         \n\
         doc_mapping:\n  \
         mode: lenient\n  \
         field_mappings:\n\
         {fields}\
         {timestamp}\
         \n\
         search_settings:\n  \
         default_search_fields: [text, title]\n",
        fields = fields.concat()
    )
}

/// `export --to elasticsearch`: `dir/mapping.json` and `dir/bulk.ndjson`.
pub fn elasticsearch(index: &OpenIndex, dir: &Path, progress: &dyn Progress) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    remove_partials(dir);
    let mut summary = Summary::default();
    let mut mapping = OutFile::create(&dir.join(ELASTIC_MAPPING))?;
    let pretty = serde_json::to_string_pretty(&elasticsearch_mapping())
        .map_err(|e| Error::io(dir.join(ELASTIC_MAPPING), e.into()))?;
    mapping.text(&pretty)?;
    mapping.text("\n")?;
    mapping.finish(&mut summary)?;
    let mut bulk = OutFile::create(&dir.join(ELASTIC_BULK))?;
    let (articles, passages) = each_article(index, progress, |record, passages| {
        for passage in passages {
            let doc = PassageLine::new(record, passage);
            let action = serde_json::json!({"index": {"_index": INDEX_NAME, "_id": doc.doc_id()}});
            bulk.line(&action)?;
            bulk.line(&doc)?;
        }
        Ok(())
    })?;
    bulk.finish(&mut summary)?;
    summary.articles = articles;
    summary.passages = passages;
    Ok(summary)
}

/// The body of `PUT /newsidx`: an English analyzer close to newsidx's own
/// (lowercased, accents folded, English stems, no stop words, so that phrase
/// queries behave the same) and the field mappings.
pub fn elasticsearch_mapping() -> serde_json::Value {
    let english = "newsidx_english";
    let text = serde_json::json!({"type": "text", "analyzer": english});
    let keyword = serde_json::json!({"type": "keyword"});
    serde_json::json!({
        "settings": {
            "analysis": {
                "filter": {
                    "newsidx_possessive": {"type": "stemmer", "language": "possessive_english"},
                    "newsidx_stemmer": {"type": "stemmer", "language": "english"}
                },
                "analyzer": {
                    english: {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["newsidx_possessive", "lowercase", "asciifolding", "newsidx_stemmer"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": false,
            "properties": {
                "article_id": keyword,
                "path": keyword,
                "url": {"type": "keyword", "index": false},
                "title": text,
                "text": text,
                "ordinal": {"type": "integer"},
                "state": keyword,
                "sector": keyword,
                "prefecture": keyword,
                "org": keyword,
                "lang": keyword,
                "amount_inr": {"type": "long"},
                "date": {"type": "date", "format": "yyyy-MM-dd"}
            }
        }
    })
}

/// `export --to ndjson` into `out` (one article per line, or one passage
/// per line with `passages`); errors name `shown`.
pub fn ndjson(
    index: &OpenIndex,
    out: &mut dyn Write,
    shown: &Path,
    passages: bool,
    progress: &dyn Progress,
) -> Result<Summary> {
    let (articles, total) = each_article(index, progress, |record, stored| {
        if passages {
            for passage in stored {
                json_line(out, shown, &PassageLine::new(record, passage))?;
            }
            Ok(())
        } else {
            json_line(out, shown, &ArticleLine::new(record, stored))
        }
    })?;
    out.flush().map_err(|e| Error::io(shown, e))?;
    Ok(Summary {
        articles,
        passages: total,
        ..Summary::default()
    })
}

/// `export --to ndjson --out FILE`.
pub fn ndjson_file(
    index: &OpenIndex,
    path: &Path,
    passages: bool,
    progress: &dyn Progress,
) -> Result<Summary> {
    let mut file = OutFile::create(path)?;
    let mut summary = ndjson(index, &mut file.writer, path, passages, progress)?;
    file.finish(&mut summary)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_sets_the_timestamp_only_when_every_article_is_dated() {
        assert!(quickwit_config(0).contains("\n  timestamp_field: date\n"));
        let partial = quickwit_config(3);
        assert!(!partial.contains("\n  timestamp_field: date\n"));
        assert!(partial.contains("# timestamp_field: date"));
    }

    #[test]
    fn mapping_names_every_passage_field() {
        let mapping = elasticsearch_mapping();
        let line = PassageLine {
            article_id: "0123456789abcdef".into(),
            path: "a.txt".into(),
            url: Some("https://example.com".into()),
            title: "t".into(),
            date: Some("2024-01-02".into()),
            state: vec![],
            sector: vec![],
            prefecture: vec![],
            org: vec![],
            lang: Some("hi".into()),
            amount_inr: Some(1),
            ordinal: 0,
            text: "x".into(),
        };
        let value = serde_json::to_value(&line).unwrap();
        for key in value.as_object().unwrap().keys() {
            assert!(
                mapping["mappings"]["properties"].get(key).is_some(),
                "{key}"
            );
        }
    }
}
