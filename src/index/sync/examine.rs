//! One file's fate in a run: unchanged, skipped, unreadable, or read and
//! turned into documents.

use std::path::Path;

use tantivy::TantivyDocument;

use super::fingerprint::{racy, Fingerprint};
use super::SyncOptions;
use crate::files::{self, ReadError};
use crate::index::docs::article_document;
use crate::index::scan::Candidate;
use crate::index::schema::Fields;
use crate::read::{self, Format, Problem};

pub(super) enum Outcome {
    Unchanged,
    /// Unchanged, as hashing its content showed.
    Verified,
    /// Yields no article now: its old articles, if any, are removed.
    Skipped(Problem),
    /// Not an article format: as `Skipped`, reported by one run only.
    Unsupported(Problem),
    /// Could not be read: its old articles, if any, are kept.
    Unreadable(Problem),
    Indexed {
        rel: String,
        docs: Vec<TantivyDocument>,
        articles: u64,
        passages: u64,
        warnings: Vec<Problem>,
    },
}

/// Decides what to do with one file and, when it changed, prepares its documents.
pub(super) fn examine(
    c: &Candidate,
    old: Option<&Fingerprint>,
    options: &SyncOptions,
    fields: &Fields,
    last_scan: Option<i64>,
) -> Outcome {
    let (format, bytes, fingerprint) = match load(c, old, options.verify, last_scan) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let read = match read::read_bytes(format, &c.rel, &bytes) {
        Ok(read) => read,
        Err(problem) => return Outcome::Skipped(problem),
    };
    let mut docs = Vec::new();
    let mut passages = 0;
    let mut articles = 0;
    let mut warnings = read.warnings;
    for raw in read.articles {
        let line = raw.line;
        let article = crate::prepare_reporting(raw, options.taxonomy, options.today, &mut warnings);
        let parts = crate::passage::split(&article.body);
        if parts.is_empty() {
            // Nothing left to search once the page junk is gone: an article
            // without text is not indexed.
            warnings.push(Problem {
                path: c.rel.clone(),
                line,
                reason: "skipped: no text".into(),
            });
            continue;
        }
        articles += 1;
        passages += parts.len() as u64;
        article_document(&article, &parts, fingerprint, fields, &mut docs);
    }
    if articles == 0 {
        if let [only] = &warnings[..] {
            if only.line.is_none() {
                return Outcome::Skipped(only.clone());
            }
        }
        let reason = warnings
            .first()
            .map_or_else(|| "skipped: no articles".to_string(), |w| w.to_string());
        return Outcome::Skipped(Problem {
            path: c.rel.clone(),
            line: None,
            reason: format!("skipped: no readable article ({reason})"),
        });
    }
    Outcome::Indexed {
        rel: c.rel.clone(),
        docs,
        articles,
        passages,
        warnings,
    }
}

/// Reads a file that may have changed: its format, bytes and fingerprint,
/// or the outcome that makes reading it needless or impossible.
fn load(
    c: &Candidate,
    old: Option<&Fingerprint>,
    verify: bool,
    last_scan: Option<i64>,
) -> Result<(Format, Vec<u8>, Fingerprint), Outcome> {
    if let Some(old) = old {
        if old.size == c.size && old.mtime == c.mtime && !verify && !racy(c, last_scan) {
            return Err(Outcome::Unchanged);
        }
    }
    let skipped = |reason: String| {
        Outcome::Skipped(Problem {
            path: c.rel.clone(),
            line: None,
            reason,
        })
    };
    let too_large = |size: u64| {
        skipped(format!(
            "skipped: {size} bytes is larger than the {} MiB limit",
            read::MAX_FILE_BYTES / 1024 / 1024
        ))
    };
    let Some(format) = Format::from_path(Path::new(&c.rel)) else {
        return Err(Outcome::Unsupported(Problem {
            path: c.rel.clone(),
            line: None,
            reason: "skipped: not an article format (.txt, .md, .html, .htm, .jsonl, .ndjson)"
                .into(),
        }));
    };
    if c.size > read::MAX_FILE_BYTES {
        return Err(too_large(c.size));
    }
    let bytes = match files::read_regular(&c.abs, read::MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge(size)) => return Err(too_large(size)),
        Err(ReadError::NotRegular(kind)) => {
            return Err(skipped(format!("skipped: not a regular file ({kind})")))
        }
        // Removed since the scan: gone.
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(skipped(format!("skipped: {e}")))
        }
        Err(ReadError::Io(e)) => {
            return Err(Outcome::Unreadable(Problem {
                path: c.rel.clone(),
                line: None,
                reason: format!("cannot read: {e}; its articles are kept as they were"),
            }))
        }
    };
    let fingerprint = Fingerprint {
        size: c.size,
        mtime: c.mtime,
        hash: xxhash_rust::xxh3::xxh3_64(&bytes),
    };
    if old.is_some_and(|old| old.hash == fingerprint.hash) {
        return Err(Outcome::Verified);
    }
    Ok((format, bytes, fingerprint))
}
