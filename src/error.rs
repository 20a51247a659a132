//! Typed errors of the library. Each one names the file, line or value at fault,
//! so that the binary can print it as one line.

use std::path::PathBuf;

/// Errors of the library; the binary adds context with `anyhow`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
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
    #[error("{path}: {message}; run `newsidx index --rebuild` to repair it")]
    DamagedIndex { path: PathBuf, message: String },
    /// A run that would silently replace what the index holds.
    #[error("{path}: {message}")]
    Refused { path: PathBuf, message: String },
    #[error("{path}: another `newsidx index` is running (lock {lock} is held); try again when it finishes")]
    Locked { path: PathBuf, lock: PathBuf },
    #[error("{path}: no space left on device (disk full); the run stopped and its partial files were removed, the index keeps its last committed state: free some space and run `newsidx index` again")]
    DiskFull { path: PathBuf },
    #[error("index {path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
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
