//! Where newsidx meets the articles folder's files: their names, kept
//! losslessly, and the one way an article file is opened.
//!
//! File names on Unix are bytes. A name that is not UTF-8 is kept as an
//! escaped string ([`name`]): every byte of an invalid sequence as `\xHH`
//! and a literal backslash doubled, so that two different names never give
//! the same string (and so never the same article id), and the string reads
//! the way `ls -b` shows the name.
//!
//! Article files are opened only by [`read_regular`]: without blocking (a
//! FIFO or a device swapped in after the walk cannot hang a run), checked to
//! be a regular file on the opened handle, and read no further than the size
//! that handle reports, so a file that grows while it is read, or a
//! `/proc` or `/sys` file (which report 0 or 4,096 bytes), cannot make a run
//! read without end.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// A file name (or a relative path) as newsidx stores and shows it: UTF-8 as
/// it is, except that a backslash is doubled and each byte of an invalid
/// sequence is written `\xHH`. Injective: different names, different
/// strings.
pub fn name(raw: &OsStr) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if valid.contains('\\') {
            out.push_str(&valid.replace('\\', "\\\\"));
        } else {
            out.push_str(valid);
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// Why [`read_regular`] read nothing.
#[derive(Debug)]
pub enum ReadError {
    /// The path names something other than a regular file.
    NotRegular(&'static str),
    /// Larger than the limit: not read.
    TooLarge(u64),
    /// The OS refused or failed (permission, I/O error, vanished).
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            ReadError::TooLarge(size) => write!(f, "{size} bytes"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What kind of file `meta` describes, for messages: "a FIFO", "a socket"...
pub fn kind(meta: &std::fs::Metadata) -> &'static str {
    kind_of(meta.file_type())
}

/// [`kind`] from a file type.
pub fn kind_of(t: std::fs::FileType) -> &'static str {
    if t.is_file() {
        "a regular file"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a file"
    }
}

/// Reads the regular file at `path`, at most `limit` bytes. Opened with
/// `O_NONBLOCK` and `O_NOCTTY`, checked on the handle, read up to the size
/// the handle reports: see the module documentation for why.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    let size = meta.len();
    if size > limit {
        return Err(ReadError::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn names_are_lossless_and_distinct() {
        let n = |b: &[u8]| name(OsStr::from_bytes(b));
        assert_eq!(n(b"a/r\xff.txt"), "a/r\\xff.txt");
        assert_eq!(n(b"a/r\xfe.txt"), "a/r\\xfe.txt");
        // The literal text `\xff` is another name.
        assert_eq!(n(b"a/r\\xff.txt"), "a/r\\\\xff.txt");
        assert_eq!(n("dossier été/記事.md".as_bytes()), "dossier été/記事.md");
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(read_regular(&file, 100).unwrap(), b"hello");
        assert!(matches!(
            read_regular(&file, 3),
            Err(ReadError::TooLarge(5))
        ));
        assert!(matches!(
            read_regular(dir.path(), 100),
            Err(ReadError::NotRegular("a folder"))
        ));
        assert!(matches!(
            read_regular(&dir.path().join("gone.txt"), 100),
            Err(ReadError::Io(_))
        ));
    }
}
