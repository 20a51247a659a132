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

mod elastic;
mod ndjson;
mod quickwit;

pub use elastic::{elasticsearch, elasticsearch_mapping};
pub use ndjson::{ndjson, ndjson_file};
pub use quickwit::{quickwit, quickwit_config};

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{Searcher, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::{ArticleRecord, OpenIndex};
use crate::progress::Progress;

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
/// schema (singular, as the Quickwit and Elasticsearch mappings of
/// `export` name them), not those of [`ArticleRecord`]; `date` is absent when
/// the article is undated.
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

/// One article per line (`export --to ndjson`): its record and its cleaned
/// text. `title`, `body`, `date`, `url`, `states`, `sectors` and `lang` are
/// fields the JSON-lines reader takes (and `id` keeps the article's id), so
/// the export can be indexed again as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLine {
    #[serde(flatten)]
    pub record: ArticleRecord,
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
    record.meta.date.map(|d| d.format(DATE_FORMAT).to_string())
}

impl PassageLine {
    pub fn new(record: &ArticleRecord, passage: &StoredPassage) -> PassageLine {
        PassageLine {
            article_id: record.id.clone(),
            path: record.path.clone(),
            url: record.url.clone(),
            title: record.meta.title.clone(),
            date: day(record),
            state: record.meta.states.clone(),
            sector: record.meta.sectors.clone(),
            prefecture: record.meta.prefectures.clone(),
            org: record.meta.orgs.clone(),
            lang: record.meta.lang.clone(),
            amount_inr: record.meta.amount.as_ref().map(|a| a.rupees),
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
            record: ArticleRecord {
                passages: passages.len() as u64,
                ..record.clone()
            },
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
