//! What a run knows of a file without reading it: size, modification time
//! and content hash, and when those can be trusted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::{Index, Term};

use crate::index::docs;
use crate::index::scan::{self, Candidate};
use crate::index::schema::Fields;

/// How much older than the last scan a file's times must be for its size
/// and modification time to be trusted: file systems store times in ticks
/// (FAT: 2 s; others a kernel tick, which lags the clock), so a file written
/// just after a scan began may carry a time from before it.
const RACY_MARGIN_NANOS: i64 = 2_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub size: u64,
    pub mtime: i64,
    pub hash: u64,
}

/// Git's rule for "racily clean" files: a file's size and modification time
/// are trusted only when its modification and status-change times are
/// clearly older than the scan that took its fingerprint (the last run that
/// examined every file). Otherwise it may have changed in the same clock
/// tick, or had its time put back (`cp -p`, `touch -d`; both set the
/// status-change time, which cannot be put back), and it is re-hashed.
pub(super) fn racy(c: &Candidate, last_scan: Option<i64>) -> bool {
    last_scan.is_none_or(|scan| c.mtime.max(c.ctime) > scan.saturating_sub(RACY_MARGIN_NANOS))
}

pub(super) fn nanos_since_epoch(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Fingerprints of every file in the index, read from fast fields so that an
/// unchanged rerun touches no stored document.
pub(super) fn fingerprints(index: &Index) -> tantivy::Result<HashMap<String, Fingerprint>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let kind = fast.u64("kind")?;
        let size = fast.u64("size")?;
        let mtime = fast.i64("mtime")?;
        let hash = fast.u64("hash")?;
        let Some(file) = fast.str("file")? else {
            continue;
        };
        // The file names, streamed from the column's dictionary once, so that
        // each article costs an array look-up rather than a block decode.
        let mut names = Vec::new();
        let mut stream = file.dictionary().stream()?;
        while stream.advance() {
            names.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        for doc in docs::live_articles(segment, &kind) {
            let (Some(size), Some(mtime), Some(hash)) =
                (size.first(doc), mtime.first(doc), hash.first(doc))
            else {
                continue;
            };
            let Some(name) = file
                .term_ords(doc)
                .next()
                .and_then(|ord| names.get(usize::try_from(ord).ok()?))
            else {
                continue;
            };
            out.insert(name.clone(), Fingerprint { size, mtime, hash });
        }
    }
    Ok(out)
}

/// Fingerprints of just the named files: a term query each, so that naming
/// one file does not read the fingerprints of the whole collection.
pub(super) fn named_fingerprints(
    index: &Index,
    articles: &Path,
    paths: &[PathBuf],
) -> tantivy::Result<HashMap<String, Fingerprint>> {
    let base = articles
        .canonicalize()
        .unwrap_or_else(|_| articles.to_path_buf());
    let fields = Fields::new(&index.schema())?;
    let searcher = index.reader()?.searcher();
    let mut out = HashMap::new();
    for path in paths {
        let Some(rel) = scan::resolve_named(&base, path).1 else {
            continue;
        };
        let query = docs::articles_with(&fields, Term::from_field_text(fields.file, &rel));
        let docs = searcher.search(&*query, &tantivy::collector::DocSetCollector)?;
        let Some(address) = docs.into_iter().next() else {
            continue;
        };
        let fast = searcher.segment_reader(address.segment_ord).fast_fields();
        let doc = address.doc_id;
        if let (Some(size), Some(mtime), Some(hash)) = (
            fast.u64("size")?.first(doc),
            fast.i64("mtime")?.first(doc),
            fast.u64("hash")?.first(doc),
        ) {
            out.insert(rel, Fingerprint { size, mtime, hash });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::scan::sized;

    #[test]
    fn times_too_close_to_the_last_scan_are_not_trusted() {
        let mut c = sized(&[10]).remove(0);
        let scan = 100 * RACY_MARGIN_NANOS;
        c.mtime = scan - 2 * RACY_MARGIN_NANOS;
        c.ctime = c.mtime;
        assert!(!racy(&c, Some(scan)));
        assert!(racy(&c, None), "no scan recorded: nothing is trusted");
        c.ctime = scan - RACY_MARGIN_NANOS / 2;
        assert!(racy(&c, Some(scan)), "status changed just before the scan");
        c.ctime = c.mtime;
        c.mtime = scan + 1;
        assert!(racy(&c, Some(scan)), "modified after the scan began");
    }
}
