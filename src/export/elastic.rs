//! Elasticsearch and OpenSearch: settings and mappings, and the passages in
//! `_bulk` format.

use std::path::Path;

use super::{
    each_article, remove_partials, OutFile, PassageLine, Summary, ELASTIC_BULK, ELASTIC_MAPPING,
    INDEX_NAME,
};
use crate::error::{Error, Result};
use crate::index::OpenIndex;
use crate::progress::Progress;

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
