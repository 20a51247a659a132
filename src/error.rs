//! Typed errors of the library. Each one names the file, line or value at fault,
//! so that the binary can print it as one line.

use std::path::PathBuf;

/// Errors of the library; the binary adds context with `anyhow`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path only: the OS error is the source, which the binary prints
    /// after it (`PATH: No such file or directory (os error 2)`), once.
    #[error("{path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Taxonomy { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    Labels {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A filter value the taxonomy does not know; `hint` is a close value
    /// ("did you mean Karnataka?") or the list of valid ones.
    #[error("unknown {kind} {value:?}; {hint}")]
    UnknownValue {
        kind: &'static str,
        value: String,
        hint: String,
    },
    #[error("invalid {what} {value:?}: {message}")]
    InvalidValue {
        what: &'static str,
        value: String,
        message: String,
    },
    #[error("no index in {path}: build one with `newsidx index` (or name another with --index)")]
    NoIndex { path: PathBuf },
    #[error("{path}: not a newsidx index: it holds files newsidx did not create (and no NEWSIDX.TAG), and newsidx writes only into folders it made; choose another folder with `--index`")]
    Foreign { path: PathBuf },
    #[error("{path}: {message}; run `newsidx index --rebuild` to repair it")]
    DamagedIndex { path: PathBuf, message: String },
    /// A run that would silently replace what the index holds.
    #[error("{path}: {message}")]
    Refused { path: PathBuf, message: String },
    #[error("{path}: another `newsidx index` is running (lock {lock} is held); try again when it finishes")]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("{path}: the rebuild stopped: {unreadable} could not be read, and the new index would lack their articles; the index keeps its previous state: make them readable (or move them out of the articles folder) and run again")]
    RebuildIncomplete { path: PathBuf, unreadable: String },
    #[error("{path}: no space left on device (disk full); the run stopped and its partial files were removed, the index keeps its last committed state: free some space and run `newsidx index` again")]
    DiskFull { path: PathBuf },
    /// Tantivy's errors repeat their causes in their own text, so the
    /// message is made here, in one line, and the error is kept (not as a
    /// source) for callers that inspect it.
    #[error("index {path}: {}", one_line(.error))]
    Tantivy {
        path: PathBuf,
        error: tantivy::TantivyError,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A tantivy error in one line: the OS error at its root when there is one
/// (tantivy wraps it in two or three layers that each print it again), else
/// the first line of its text, cut at 300 characters.
pub fn one_line(error: &tantivy::TantivyError) -> String {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut io = None;
    while let Some(e) = cause {
        if let Some(found) = e.downcast_ref::<std::io::Error>() {
            io = Some(found.to_string());
        } else if let Some(found) = e.downcast_ref::<std::sync::Arc<std::io::Error>>() {
            io = Some(found.to_string());
        }
        cause = e.source();
    }
    let text = io.unwrap_or_else(|| error.to_string());
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 300 {
        format!("{}…", line.chars().take(300).collect::<String>())
    } else {
        line.to_string()
    }
}
