//! A failing run leaves the disk as it found it.

use std::path::Path;

use tantivy::{Index, IndexWriter};

use crate::error::Error;

/// Until disarmed, undoes what a failing run wrote when dropped (after its
/// writer, which is declared later): a new generation is deleted, and in the
/// live one the segment files no commit refers to. A run that fails, on a
/// full disk for instance, thus leaves the disk as it found it.
pub(super) struct Undo<'a> {
    pub(super) root: &'a Path,
    pub(super) index: &'a Index,
    pub(super) new_gen: Option<String>,
    pub(super) armed: bool,
}

impl Drop for Undo<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        match &self.new_gen {
            Some(gen) => {
                let _ = std::fs::remove_dir_all(self.root.join(gen));
            }
            None => {
                // The least memory tantivy accepts: this writer adds nothing.
                let writer: tantivy::Result<IndexWriter> =
                    self.index.writer_with_num_threads(1, 15_000_000);
                if let Ok(writer) = writer {
                    let _ = writer.garbage_collect_files().wait();
                }
            }
        }
    }
}

/// True when `err` comes from a full disk (or an exceeded quota). Tantivy's
/// indexing threads pass io errors on as text only, so the text counts too.
pub(super) fn is_disk_full(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            ) {
                return true;
            }
        }
        let text = e.to_string();
        let signs = [
            "No space left on device",
            "StorageFull",
            "Disk quota exceeded",
            "QuotaExceeded",
        ];
        if signs.iter().any(|s| text.contains(s)) {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Tantivy reports an indexing thread that died (on a full disk, say) as
/// "An index writer was killed"; the thread's own error comes out when its
/// handle is joined, which preparing a commit does. The commit is not made.
pub(super) fn thread_error(
    writer: &mut IndexWriter,
    error: tantivy::TantivyError,
) -> tantivy::TantivyError {
    if !matches!(error, tantivy::TantivyError::ErrorInThread(_)) {
        return error;
    }
    match writer.prepare_commit() {
        Err(cause) => cause,
        Ok(prepared) => {
            let _ = prepared.abort();
            error
        }
    }
}

pub(super) fn tantivy_err(root: &Path, error: tantivy::TantivyError) -> Error {
    Error::Tantivy {
        path: root.to_path_buf(),
        error,
    }
}
