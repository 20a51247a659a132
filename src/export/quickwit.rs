//! Quickwit: a doc mapping mirroring the newsidx schema, and one passage per
//! line with its article's metadata.

use std::path::Path;

use super::{
    remove_partials, visit_articles, OutFile, PassageLine, Summary, DATE_FORMAT, INDEX_NAME,
    QUICKWIT_CONFIG, QUICKWIT_DOCS,
};
use crate::error::{Error, Result};
use crate::index::OpenIndex;
use crate::progress::Progress;

/// `export --to quickwit`: `dir/index-config.yaml` and `dir/passages.ndjson`.
pub fn quickwit(index: &OpenIndex, dir: &Path, progress: &dyn Progress) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    remove_partials(dir);
    let mut summary = Summary::default();
    let records = index.articles()?;
    let undated = records.iter().filter(|r| r.meta.date.is_none()).count();
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
