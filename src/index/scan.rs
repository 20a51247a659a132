//! The articles folder, scanned: the files there are, with their size and
//! times, under lossless names; the entries skipped, with the reason; and the
//! folders and files that could not be read, whose indexed articles are then
//! kept as they are (only a file that is really gone is removed).
//!
//! Nothing outside the articles folder is read unless asked: a symbolic link
//! whose target lies outside it is skipped and reported (`--follow` allows
//! it, as in ripgrep and fd), and only regular files become candidates (no
//! FIFOs, sockets or devices), named paths included.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::files;
use crate::read::Problem;

/// A file found in the folder (or named by the user).
pub(crate) struct Candidate {
    /// Its name relative to the articles folder ([`files::name`]).
    pub rel: String,
    /// Where to read it: its path, or for a symbolic link the target checked
    /// to lie inside the folder.
    pub abs: PathBuf,
    pub size: u64,
    /// Modification and status-change times, in nanoseconds since the epoch.
    pub mtime: i64,
    pub ctime: i64,
}

/// What a scan found.
#[derive(Default)]
pub(crate) struct Scan {
    /// Sorted by `rel`.
    pub candidates: Vec<Candidate>,
    /// Entries skipped (links out of the folder, FIFOs, loops), with why.
    pub problems: Vec<Problem>,
    /// Folders and files that could not be read, with why.
    pub unreadable: Vec<Problem>,
    /// Their relative paths ("" for the articles folder itself): articles
    /// indexed from them or below them stay as they are.
    pub kept: Vec<String>,
}

impl Scan {
    /// True when the indexed file `rel` lies in (or is) something that could
    /// not be read, so its absence from the scan does not mean it is gone.
    pub fn keeps(&self, rel: &str) -> bool {
        self.kept.iter().any(|k| {
            k.is_empty()
                || rel == k
                || rel
                    .strip_prefix(k.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }

    fn unreadable(&mut self, rel: String, shown: String, reason: String) {
        self.unreadable.push(Problem {
            path: shown,
            line: None,
            reason,
        });
        self.kept.push(rel);
    }
}

fn problem(path: String, reason: String) -> Problem {
    Problem {
        path,
        line: None,
        reason,
    }
}

/// The files below `articles`, sorted, hidden ones left out.
pub(crate) fn walk(articles: &Path, follow: bool) -> Scan {
    let mut scan = Scan::default();
    let shown = |rel: &str| {
        if rel.is_empty() {
            articles.display().to_string()
        } else {
            rel.to_string()
        }
    };
    let root = match articles.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            let reason = format!("cannot read the articles folder: {e}");
            scan.unreadable(String::new(), shown(""), reason);
            return scan;
        }
    };
    let mut files = Vec::new();
    let mut entries = walkdir::WalkDir::new(articles)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            use std::os::unix::ffi::OsStrExt;
            e.depth() == 0 || !e.file_name().as_bytes().starts_with(b".")
        });
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e.path().map_or_else(String::new, |p| relative(articles, p));
                let io = e.io_error();
                if e.loop_ancestor().is_some() {
                    let reason = "skipped: symlink loop".to_string();
                    scan.problems.push(problem(shown(&rel), reason));
                } else if io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) {
                    // A dangling link, or an entry removed during the walk:
                    // gone, as far as the index is concerned.
                    let reason =
                        format!("skipped: {}", io.map_or(e.to_string(), |io| io.to_string()));
                    scan.problems.push(problem(shown(&rel), reason));
                } else {
                    let reason = format!(
                        "cannot read: {}; its articles are kept as they were",
                        io.map_or(e.to_string(), |io| io.to_string())
                    );
                    scan.unreadable(rel.clone(), shown(&rel), reason);
                }
                continue;
            }
        };
        let rel = relative(articles, entry.path());
        let mut abs = entry.path().to_path_buf();
        if entry.depth() > 0 && entry.path_is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if follow || target.starts_with(&root) => abs = target,
                Ok(target) => {
                    let reason = format!(
                        "skipped: a symbolic link to {}, outside the articles folder (`newsidx index --follow` indexes it)",
                        target.display()
                    );
                    scan.problems.push(problem(rel, reason));
                    if entry.file_type().is_dir() {
                        entries.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    scan.problems.push(problem(rel, format!("skipped: {e}")));
                    if entry.file_type().is_dir() {
                        entries.skip_current_dir();
                    }
                    continue;
                }
            }
        }
        let kind = entry.file_type();
        if kind.is_file() {
            files.push((rel, abs));
        } else if !kind.is_dir() {
            let reason = format!("skipped: not a regular file ({})", files::kind_of(kind));
            scan.problems.push(problem(rel, reason));
        }
    }
    // Sizes and times are read in parallel: at 100,000 files the stat calls
    // are most of an unchanged run.
    let stats: Vec<(String, std::io::Result<std::fs::Metadata>, PathBuf)> = files
        .into_par_iter()
        .map(|(rel, abs)| (rel, std::fs::metadata(&abs), abs))
        .collect();
    for (rel, meta, abs) in stats {
        match meta {
            Ok(meta) if meta.is_file() => scan.candidates.push(candidate(rel, abs, &meta)),
            Ok(meta) => {
                let reason = format!("skipped: not a regular file ({})", files::kind(&meta));
                scan.problems.push(problem(rel, reason));
            }
            // Removed since the folder was listed: gone.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                let reason = format!("cannot read: {e}; its articles are kept as they were");
                scan.unreadable(rel.clone(), rel, reason);
            }
        }
    }
    // Sorted once here rather than per folder while walking: the same order
    // on every run.
    scan.candidates.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    scan.problems.sort_by(|a, b| a.path.cmp(&b.path));
    scan.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    scan
}

fn candidate(rel: String, abs: PathBuf, meta: &std::fs::Metadata) -> Candidate {
    use std::os::unix::fs::MetadataExt;
    Candidate {
        rel,
        abs,
        size: meta.len(),
        mtime: mtime_nanos(meta),
        ctime: meta
            .ctime()
            .saturating_mul(1_000_000_000)
            .saturating_add(meta.ctime_nsec()),
    }
}

/// A named path made absolute, and its name relative to the articles folder
/// `base` (canonical) when it lies inside it.
pub(crate) fn resolve_named(base: &Path, path: &Path) -> (PathBuf, Option<String>) {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let parent = abs.parent().and_then(|p| p.canonicalize().ok());
    let rel = parent
        .as_deref()
        .and_then(|p| p.strip_prefix(base).ok())
        .zip(abs.file_name())
        .map(|(dir, name)| relative(Path::new(""), &dir.join(name)));
    (abs, rel)
}

/// Files named on the command line: examined without walking the folder,
/// under the same rules as the walk. A named file that no longer exists is
/// gone, and removed from the index when `indexed` says it is there.
pub(crate) fn named(
    articles: &Path,
    paths: &[PathBuf],
    follow: bool,
    indexed: &dyn Fn(&str) -> bool,
) -> (Scan, Vec<String>) {
    let base = articles
        .canonicalize()
        .unwrap_or_else(|_| articles.to_path_buf());
    let mut found = std::collections::BTreeMap::new();
    let mut scan = Scan::default();
    let mut gone = Vec::new();
    for path in paths {
        let (abs, rel) = resolve_named(&base, path);
        let Some(rel) = rel else {
            let reason = format!(
                "skipped: not inside the articles folder {}",
                articles.display()
            );
            scan.problems
                .push(problem(path.display().to_string(), reason));
            continue;
        };
        let mut target = abs.clone();
        match std::fs::symlink_metadata(&abs) {
            Ok(meta) if meta.file_type().is_symlink() => match abs.canonicalize() {
                Ok(real) if follow || real.starts_with(&base) => target = real,
                Ok(real) => {
                    let reason = format!(
                        "skipped: a symbolic link to {}, outside the articles folder (`newsidx index --follow` indexes it)",
                        real.display()
                    );
                    scan.problems.push(problem(rel, reason));
                    continue;
                }
                // A dangling link: the file is gone.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    scan.problems.push(problem(rel, format!("skipped: {e}")));
                    continue;
                }
            },
            _ => {}
        }
        match std::fs::metadata(&target) {
            Ok(meta) if meta.is_file() => {
                found.insert(rel.clone(), candidate(rel, target, &meta));
            }
            Ok(meta) => {
                let reason = format!("skipped: not a regular file ({})", files::kind(&meta));
                scan.problems.push(problem(rel, reason));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && indexed(&rel) => gone.push(rel),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                scan.problems.push(problem(rel, format!("skipped: {e}")));
            }
            Err(e) => {
                let reason = format!("cannot read: {e}; its articles are kept as they were");
                scan.unreadable(rel.clone(), rel, reason);
            }
        }
    }
    scan.candidates = found.into_values().collect();
    (scan, gone)
}

/// `path` relative to `base`, `/`-separated, each part named losslessly.
pub(crate) fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| files::name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

fn mtime_nanos(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}
