//! The tantivy directory every generation is opened with: tantivy's mmap
//! directory with two changes, so that an index can be shared.
//!
//! - Files tantivy replaces atomically (`meta.json`, `.managed.json`) are
//!   created like every other file, under the process's umask. Tantivy
//!   writes them through a temporary file, which is private (0600), so
//!   another user could read the segments but not the list of them.
//! - A reader that may not write into the index still opens it. Tantivy
//!   takes a lock while it opens segment files, so that a writer's garbage
//!   collection cannot delete them meanwhile; the lock is a file opened for
//!   writing. When that is refused (no write permission, a read-only file
//!   system) the reader goes on without it: should a writer remove a file
//!   at that moment, the open fails and [`super::open`] retries it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::Directory;

#[derive(Debug, Clone)]
pub(crate) struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    pub(crate) fn open(dir: &Path) -> tantivy::Result<IndexDirectory> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
        })
    }
}

/// Tells apart the temporary files of concurrent atomic writes.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// Written beside the target, flushed, and renamed over it, as tantivy
    /// does, but created under the umask.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        let target = self.root.join(path);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = self.root.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TEMPORARY.fetch_add(1, Ordering::Relaxed)
        ));
        let written = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut file| {
                file.write_all(data)?;
                file.sync_data()
            })
            .and_then(|()| std::fs::rename(&tmp, &target));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            // Only the blocking lock a reader takes; a writer's lock must
            // hold.
            Err(LockError::IoError(e))
                if lock.is_blocking
                    && matches!(
                        e.kind(),
                        std::io::ErrorKind::PermissionDenied
                            | std::io::ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
