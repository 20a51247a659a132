//! The articles folder, scanned: the files there are, with their size and
//! times, under lossless names; the entries skipped, with the reason; and the
//! folders and files that could not be read, whose indexed articles are then
//! kept as they are (only a file that is really gone is removed).
//!
//! The walk is ripgrep's (the `ignore` crate): in parallel, leaving out
//! hidden files and what the ignore files inside the articles folder name —
//! `.gitignore` (in a git repository or not), `.ignore` and `.newsidxignore`,
//! in rising order of precedence, a deeper file over a shallower one. Ignore
//! files above the articles folder, git's global excludes and
//! `.git/info/exclude` are not read: a folder of scraped articles is often
//! git-ignored by the repository around it, and nothing outside the articles
//! folder decides what is indexed.
//!
//! Nothing outside the articles folder is read unless asked: a symbolic link
//! whose target lies outside it is skipped and reported (`--follow` allows
//! it, as in ripgrep and fd), and only regular files become candidates (no
//! FIFOs, sockets or devices), named paths included.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

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
    /// Bad lines of ignore files (the other lines apply): reported, but no
    /// file was skipped for them.
    pub warnings: Vec<Problem>,
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

/// The ignore files the walk honours, lowest precedence first.
pub const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".newsidxignore"];

/// The walk's rules, shared by [`walk`] and [`Rules`] so that a watched
/// change is judged as the next walk would judge it.
fn builder(articles: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(articles);
    builder
        .hidden(true)
        .parents(false)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .follow_links(true)
        .add_custom_ignore_filename(IGNORE_FILES[2]);
    builder
}

/// Whether a path below the articles folder is one the walk would visit:
/// not hidden, not ignored (for `index --watch`, which hears of single
/// paths). Ignore files are read once; a changed ignore file needs new
/// rules (see [`is_ignore_file`]).
pub struct Rules {
    matcher: ignore::IncrementalIgnore,
}

impl Rules {
    pub fn new(articles: &Path) -> Rules {
        let matcher = builder(articles)
            .build_matchers()
            .pop()
            .expect("one matcher per root, and there is one root");
        Rules { matcher }
    }

    /// False when `rel` (relative to the articles folder) is hidden, or
    /// ignored by an ignore file, or lies in a folder that is.
    pub fn walked(&mut self, rel: &Path, is_dir: bool) -> bool {
        !self.matcher.matched(rel, is_dir).is_ignore()
    }
}

/// True when the file named `name` is one of [`IGNORE_FILES`]: a change to
/// it changes which files are indexed.
pub fn is_ignore_file(name: &std::ffi::OsStr) -> bool {
    IGNORE_FILES.iter().any(|f| name == *f)
}

/// What one walker thread found, merged into the scan when it is done.
#[derive(Default)]
struct Found {
    candidates: Vec<Candidate>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    unreadable: Vec<(String, Problem)>,
}

/// The files below `articles` (only those inside the folders `within`,
/// relative to it, when it is not empty), sorted, hidden and ignored ones
/// left out.
pub(crate) fn walk(articles: &Path, follow: bool, within: &[PathBuf]) -> Scan {
    let mut scan = Scan::default();
    let root = match articles.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            let reason = format!("cannot read the articles folder: {e}");
            scan.unreadable(String::new(), articles.display().to_string(), reason);
            return scan;
        }
    };
    let mut builder = builder(articles);
    if !within.is_empty() {
        // Only the folders named, and the folders on the way to them (whose
        // ignore files apply below them too).
        let base = articles.to_path_buf();
        let within = within.to_vec();
        builder.filter_entry(move |e| {
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path());
            within
                .iter()
                .any(|w| rel.starts_with(w) || w.starts_with(rel))
        });
    }
    let merged = std::sync::Mutex::new(Found::default());
    builder.build_parallel().run(|| {
        // Each thread collects on its own and hands its findings over once,
        // when the walk drops its visitor.
        let mut found = Collector {
            found: Found::default(),
            into: &merged,
        };
        let root = &root;
        Box::new(move |entry| visit(articles, root, follow, entry, &mut found.found))
    });
    let found = merged.into_inner().unwrap_or_else(|e| e.into_inner());
    scan.candidates = found.candidates;
    scan.problems = found.problems;
    scan.warnings = found.warnings;
    scan.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    for (rel, problem) in found.unreadable {
        scan.unreadable.push(problem);
        scan.kept.push(rel);
    }
    // Sorted once here rather than per folder while walking: the same order
    // on every run.
    scan.candidates.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    scan.problems.sort_by(|a, b| a.path.cmp(&b.path));
    scan.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    scan
}

/// Hands a thread's findings to the shared scan when the thread is done.
struct Collector<'a> {
    found: Found,
    into: &'a std::sync::Mutex<Found>,
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let found = std::mem::take(&mut self.found);
        let mut all = self.into.lock().unwrap_or_else(|e| e.into_inner());
        all.candidates.extend(found.candidates);
        all.problems.extend(found.problems);
        all.warnings.extend(found.warnings);
        all.unreadable.extend(found.unreadable);
    }
}

/// One entry of the walk. Sizes and times are read here, on the walker's
/// threads: at 100,000 files the stat calls are most of an unchanged run.
fn visit(
    articles: &Path,
    root: &Path,
    follow: bool,
    entry: Result<ignore::DirEntry, ignore::Error>,
    found: &mut Found,
) -> ignore::WalkState {
    use ignore::WalkState::{Continue, Skip};
    let shown = |rel: &str| {
        if rel.is_empty() {
            articles.display().to_string()
        } else {
            rel.to_string()
        }
    };
    let entry = match entry {
        Ok(entry) => entry,
        Err(e) => {
            let rel = error_path(&e).map_or_else(String::new, |p| relative(articles, p));
            let io = e.io_error();
            if is_loop(&e) {
                let reason = "skipped: symlink loop".to_string();
                found.problems.push(problem(shown(&rel), reason));
            } else if io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) {
                // A dangling link, or an entry removed during the walk:
                // gone, as far as the index is concerned.
                let reason = format!("skipped: {}", io.map_or(e.to_string(), |io| io.to_string()));
                found.problems.push(problem(shown(&rel), reason));
            } else {
                let reason = format!(
                    "cannot read: {}; its articles are kept as they were",
                    io.map_or(e.to_string(), |io| io.to_string())
                );
                found
                    .unreadable
                    .push((rel.clone(), problem(shown(&rel), reason)));
            }
            return Continue;
        }
    };
    let rel = relative(articles, entry.path());
    if let Some(err) = entry.error() {
        // An ignore file in this folder with a bad line: its other lines
        // still apply.
        ignore_errors(articles, err, &mut found.warnings);
    }
    if entry.depth() == 0 {
        return Continue;
    }
    let kind = entry.file_type();
    let mut abs = entry.path().to_path_buf();
    if entry.path_is_symlink() {
        match std::fs::canonicalize(entry.path()) {
            Ok(target) if follow || target.starts_with(root) => abs = target,
            Ok(target) => {
                let reason = format!(
                    "skipped: a symbolic link to {}, outside the articles folder (`newsidx index --follow` indexes it)",
                    target.display()
                );
                found.problems.push(problem(rel, reason));
                return Skip;
            }
            Err(e) => {
                found.problems.push(problem(rel, format!("skipped: {e}")));
                return Skip;
            }
        }
    }
    match kind {
        Some(k) if k.is_dir() => Continue,
        Some(k) if k.is_file() => {
            match std::fs::metadata(&abs) {
                Ok(meta) if meta.is_file() => found.candidates.push(candidate(rel, abs, &meta)),
                Ok(meta) => {
                    let reason = format!("skipped: not a regular file ({})", files::kind(&meta));
                    found.problems.push(problem(rel, reason));
                }
                // Removed since the folder was listed: gone.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    let reason = format!("cannot read: {e}; its articles are kept as they were");
                    found.unreadable.push((rel.clone(), problem(rel, reason)));
                }
            }
            Continue
        }
        Some(k) => {
            let reason = format!("skipped: not a regular file ({})", files::kind_of(k));
            found.problems.push(problem(rel, reason));
            Continue
        }
        None => Continue,
    }
}

/// The path an error of the walk is about.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

fn is_loop(e: &ignore::Error) -> bool {
    match e {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        ignore::Error::Partial(errs) => errs.iter().any(is_loop),
        _ => false,
    }
}

/// Errors reading ignore files, one problem each, named by the ignore file
/// (relative to the articles folder) and its line.
fn ignore_errors(articles: &Path, e: &ignore::Error, out: &mut Vec<Problem>) {
    fn describe(e: &ignore::Error, path: &mut String, line: &mut Option<usize>) -> String {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                *path = p.display().to_string();
                describe(err, path, line)
            }
            ignore::Error::WithLineNumber { line: l, err } => {
                *line = usize::try_from(*l).ok();
                describe(err, path, line)
            }
            ignore::Error::WithDepth { err, .. } => describe(err, path, line),
            other => other.to_string(),
        }
    }
    match e {
        ignore::Error::Partial(errs) => {
            for e in errs {
                ignore_errors(articles, e, out);
            }
        }
        e => {
            let (mut path, mut line) = (String::new(), None);
            let message = describe(e, &mut path, &mut line);
            let path = relative(articles, Path::new(&path));
            out.push(Problem {
                path,
                line,
                reason: format!("a line of this ignore file is left out: {message}"),
            });
        }
    }
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
    // The nearest folder above it that exists, made canonical, and the rest
    // of the path as named: a file of a folder just deleted still has a
    // name inside the articles folder.
    let mut rest = Vec::new();
    let mut dir = abs.as_path();
    let parent = loop {
        let Some(name) = dir.file_name() else {
            break None;
        };
        rest.push(name);
        let Some(up) = dir.parent() else {
            break None;
        };
        match up.canonicalize() {
            Ok(real) => break Some(real),
            Err(_) => dir = up,
        }
    };
    let rel = parent
        .as_deref()
        .and_then(|p| p.strip_prefix(base).ok())
        .map(|dir| {
            let mut path = dir.to_path_buf();
            path.extend(rest.iter().rev());
            relative(Path::new(""), &path)
        });
    (abs, rel)
}

/// What a named run examines: the named files, and the named folders walked.
pub(crate) struct Named {
    pub scan: Scan,
    /// Indexed files that are gone: named files that no longer exist, and
    /// the indexed files of a named folder that no longer exists.
    pub gone: Vec<String>,
    /// Named folders that were walked (relative; "" for the articles folder
    /// itself): indexed files below them that the walk did not find are
    /// gone too.
    pub folders: Vec<String>,
    /// Named paths that do not exist and name nothing indexed, as given.
    pub missing: Vec<String>,
}

/// Paths named on the command line: files examined without walking the
/// folder, folders walked (under the ignore files that apply to them), all
/// under the same rules as the walk. A named file that no longer exists is
/// gone, and removed from the index when `indexed` says it is there; a named
/// folder that no longer exists takes the files `indexed_below` lists with
/// it; any other path that does not exist is `missing`.
pub(crate) fn named(
    articles: &Path,
    paths: &[PathBuf],
    follow: bool,
    indexed: &dyn Fn(&str) -> bool,
    indexed_below: &dyn Fn(&str) -> Vec<String>,
) -> Named {
    let base = articles
        .canonicalize()
        .unwrap_or_else(|_| articles.to_path_buf());
    let mut found = std::collections::BTreeMap::new();
    let mut scan = Scan::default();
    let mut gone = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    // The same folders as paths relative to `articles`, for the walk.
    let mut within: Vec<PathBuf> = Vec::new();
    let mut whole = false;
    let mut missing = Vec::new();
    for path in paths {
        let (abs, rel) = resolve_named(&base, path);
        let rel = match rel {
            Some(rel) => rel,
            // The articles folder itself.
            None if abs.canonicalize().is_ok_and(|a| a == base) => {
                folders.push(String::new());
                whole = true;
                continue;
            }
            None => {
                let reason = format!(
                    "skipped: not inside the articles folder {}",
                    articles.display()
                );
                scan.problems
                    .push(problem(path.display().to_string(), reason));
                continue;
            }
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
            Ok(meta) if meta.is_dir() => {
                let dir = abs
                    .parent()
                    .and_then(|p| p.canonicalize().ok())
                    .and_then(|p| Some(p.strip_prefix(&base).ok()?.join(abs.file_name()?)));
                if let Some(dir) = dir {
                    within.push(dir);
                    folders.push(rel);
                }
            }
            Ok(meta) => {
                let reason = format!("skipped: not a regular file ({})", files::kind(&meta));
                scan.problems.push(problem(rel, reason));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && indexed(&rel) => gone.push(rel),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let below = indexed_below(&rel);
                if below.is_empty() {
                    missing.push(path.display().to_string());
                } else {
                    gone.extend(below);
                }
            }
            Err(e) => {
                let reason = format!("cannot read: {e}; its articles are kept as they were");
                scan.unreadable(rel.clone(), rel, reason);
            }
        }
    }
    if !folders.is_empty() {
        let walked = walk(articles, follow, if whole { &[] } else { &within });
        for c in walked.candidates {
            found.entry(c.rel.clone()).or_insert(c);
        }
        scan.problems.extend(walked.problems);
        scan.warnings.extend(walked.warnings);
        scan.unreadable.extend(walked.unreadable);
        scan.kept.extend(walked.kept);
    }
    scan.candidates = found.into_values().collect();
    Named {
        scan,
        gone,
        folders,
        missing,
    }
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

/// Candidates `0.txt`, `1.txt`… of the given sizes, for tests.
#[cfg(test)]
pub(crate) fn sized(sizes: &[u64]) -> Vec<Candidate> {
    sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| Candidate {
            rel: format!("{i}.txt"),
            abs: PathBuf::from(format!("{i}.txt")),
            size,
            mtime: 0,
            ctime: 0,
        })
        .collect()
}
