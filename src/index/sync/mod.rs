//! Incremental sync: bring the index in line with the articles folder.
//!
//! Each source file has a fingerprint (size, modification time, content hash)
//! stored on its article documents. A run compares the folder with those
//! fingerprints: unchanged files are not even read when size and time agree
//! and the file is not "racy" (see [`racy`]), changed files are deleted and
//! re-added, files that vanished or now yield no article are deleted, files
//! or folders that cannot be read keep their articles, and everything lands
//! in one commit, so a concurrent reader sees the old or the new state, never
//! a mixture. An incremental run thus gives the index a rebuild would.

mod examine;
mod fingerprint;
mod undo;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter, Term};

use super::docs::signed;
use super::groups::{self, Changes};
use super::layout;
use super::scan::{self, Candidate};
use super::schema::{Fields, FORMAT_VERSION};
use super::Manifest;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::read::Problem;
use crate::taxonomy::Taxonomy;

use examine::{examine, Outcome};
pub(crate) use fingerprint::Fingerprint;
use fingerprint::{fingerprints, named_fingerprints, nanos_since_epoch, racy};
use undo::{is_disk_full, tantivy_err, thread_error, Undo};

/// Memory for tantivy's indexing threads, shared between them.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// Files prepared in parallel before their documents are handed to tantivy.
const BATCH: usize = 512;
/// Bytes of files a batch holds at most (a single larger file is a batch of
/// its own). Two batches are in memory at once, one prepared while the other
/// is handed to tantivy, each as documents a few times its size: without
/// this bound, 512 files of 10 MB would be held at once.
const BATCH_BYTES: u64 = 16 * 1024 * 1024;

/// What to sync.
pub struct SyncOptions<'a> {
    pub articles: PathBuf,
    pub index: PathBuf,
    /// Build a fresh generation even when the live one is fine.
    pub rebuild: bool,
    pub taxonomy: &'a Taxonomy,
    /// The day against which year-less dates are resolved.
    pub today: NaiveDate,
    /// When not empty, only these files are examined: no folder walk, and
    /// nothing else is removed (unless a fresh generation is built, which
    /// walks the whole folder).
    pub paths: Vec<PathBuf>,
    /// The file `taxonomy` was read from (none for the built-in one): it is
    /// kept in the generation, so that later runs and searches use it.
    pub taxonomy_file: Option<PathBuf>,
    /// Which taxonomy it is ([`Manifest::taxonomy_source`]); empty means the
    /// canonical path of `taxonomy_file`, or the built-in taxonomy.
    pub taxonomy_source: String,
    /// Index symbolic links whose target lies outside the articles folder.
    pub follow: bool,
    /// Re-hash every file instead of trusting unchanged sizes and times.
    pub verify: bool,
}

impl<'a> SyncOptions<'a> {
    /// A plain run: `articles` into the index at `index` with `taxonomy`
    /// (the built-in one, unless a file's path is set), every file of the
    /// folder, links inside it only, sizes and times trusted.
    pub fn new(
        articles: PathBuf,
        index: PathBuf,
        taxonomy: &'a Taxonomy,
        today: NaiveDate,
    ) -> SyncOptions<'a> {
        SyncOptions {
            articles,
            index,
            rebuild: false,
            taxonomy,
            today,
            paths: Vec::new(),
            taxonomy_file: None,
            taxonomy_source: String::new(),
            follow: false,
            verify: false,
        }
    }
}

/// The outcome of a sync. Every file seen is counted once in `added`,
/// `updated`, `unchanged` or `skipped`; `removed` counts files whose articles
/// left the index (vanished, or now yielding no article).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Folders and files that could not be read (counted in `skipped` too);
    /// a run with any exits non-zero.
    pub unreadable: u64,
    /// Indexed files whose articles were kept as they were because they, or
    /// their folder, could not be read.
    pub kept: u64,
    /// Unchanged files whose content was read and hashed to make sure: with
    /// `--verify`, or when their times were too recent to trust.
    pub rehashed: u64,
    /// Files seen (added + updated + unchanged + skipped).
    pub files: u64,
    /// Articles and passages written by this run.
    pub articles: u64,
    pub passages: u64,
    /// A fresh generation was built (first run, `--rebuild`, or a changed
    /// taxonomy or format).
    pub rebuilt: bool,
    pub seconds: f64,
    /// Files skipped and lines dropped, with the reason. A file skipped for
    /// its type (not an article format) is reported by the first run that
    /// sees it only ([`REPORTED_FILE`]), though it is counted in `skipped`
    /// by every run.
    pub problems: Vec<Problem>,
    /// Named paths that do not exist and name nothing indexed, as given; a
    /// run with any is an error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The file in the live generation listing the files skipped for their type
/// that a run has reported already (JSON: an array of names), so that a
/// folder holding images or PDFs beside its articles does not repeat them
/// on every run. A state file rather than the manifest: the manifest is
/// read by every search, and thousands of names would weigh on each; losing
/// this file only means reporting them once more, so it needs no commit.
pub const REPORTED_FILE: &str = "reported-skips.json";

/// Up to this many named files are a few: their run builds the automata that
/// are quickest to build rather than quickest to scan with.
const FEW_FILES: usize = 64;

/// Brings the index at `options.index` up to date with `options.articles`.
pub fn sync(options: &SyncOptions, progress: &dyn Progress) -> Result<Summary> {
    sync_once(options, progress).map_err(|e| {
        let tantivy_full = matches!(&e, Error::Tantivy { error, .. } if is_disk_full(error));
        if tantivy_full || is_disk_full(&e) {
            Error::DiskFull {
                path: options.index.clone(),
            }
        } else {
            e
        }
    })
}

fn sync_once(options: &SyncOptions, progress: &dyn Progress) -> Result<Summary> {
    std::thread::scope(|s| {
        if !options.paths.is_empty() {
            // A run on named files is short, and compiling the rules is a
            // good part of it: done on another core while the index opens.
            // (A walk may find nothing changed: it compiles on demand.)
            let few = options.paths.len() <= FEW_FILES && options.paths.iter().all(|p| p.is_file());
            s.spawn(move || crate::extract::warm(options.taxonomy, few));
        }
        sync_run(options, progress)
    })
}

fn sync_run(options: &SyncOptions, progress: &dyn Progress) -> Result<Summary> {
    let started = Instant::now();
    // Before the scan: a file changed after this instant is racy next time.
    let scan_start = nanos_since_epoch(SystemTime::now());
    let root = options.index.as_path();
    // Claims the folder (refusing one newsidx did not create) before the lock
    // file is written.
    let _lock = super::lock(root)?;
    let mut manifest = Manifest {
        format: FORMAT_VERSION,
        taxonomy: format!("{:016x}", options.taxonomy.fingerprint()),
        analyzer: super::analyzer::VERSION,
        extractor: crate::extract::EXTRACTOR_VERSION,
        articles: absolute(&options.articles),
        taxonomy_source: if !options.taxonomy_source.is_empty() {
            options.taxonomy_source.clone()
        } else {
            options
                .taxonomy_file
                .as_deref()
                .map_or_else(|| super::BUILTIN_TAXONOMY.to_string(), absolute)
        },
        scanned: Some(scan_start),
    };
    let live = super::current_generation(root)?;
    layout::remove_stale_generations(root, live.as_deref());

    // Decide between updating the live generation and writing a new one. A
    // generation about to be replaced is not read at all: a damaged one
    // cannot make its repair fail.
    let mut existing = HashMap::new();
    let mut last_scan = None;
    let mut target: Option<Index> = None;
    if let Some(gen) = &live {
        let opened = super::open_generation(root, gen);
        if let (Ok((_, old)), false) = (&opened, options.rebuild) {
            refuse_replacing(root, old, &manifest)?;
        }
        match opened {
            Ok((index, old)) if !options.rebuild && old.compatible(&manifest) => {
                let found = super::guarded(|| {
                    // Named files are looked up one by one; a named folder,
                    // or a path that is gone (perhaps a folder), needs them all.
                    if options.paths.is_empty() || !options.paths.iter().all(|p| p.is_file()) {
                        fingerprints(&index)
                    } else {
                        named_fingerprints(&index, &options.articles, &options.paths)
                    }
                });
                existing = found.map_err(|e| super::damaged(root, &super::describe(gen, &e)))?;
                last_scan = old.scanned;
                target = Some(index);
            }
            // A format or taxonomy change: the files indexed before are read
            // (if they can be) only to count updates rather than additions.
            Ok((index, _)) if !options.rebuild => {
                existing = super::guarded(|| fingerprints(&index)).unwrap_or_default();
            }
            Ok(_) => {}
            Err(e) if !options.rebuild => return Err(e),
            Err(_) => {}
        }
    }
    let fresh = target.is_none();
    let (index, new_gen) = match target {
        Some(index) => (index, None),
        None => {
            let gen = layout::next_generation(root, live.as_deref());
            layout::create_generation(root, &gen)?;
            let created =
                super::create_generation_index(&root.join(&gen)).map_err(|e| tantivy_err(root, e));
            match created {
                Ok(index) => (index, Some(gen)),
                Err(e) => {
                    layout::remove_generation(root, &gen);
                    return Err(e);
                }
            }
        }
    };
    let mut undo = Undo {
        root,
        index: &index,
        new_gen: new_gen.clone(),
        armed: true,
    };
    let fields = Fields::new(&index.schema()).map_err(|e| tantivy_err(root, e))?;

    let mut summary = Summary {
        rebuilt: fresh,
        ..Summary::default()
    };
    // A fresh generation holds only what this run writes: it walks the whole
    // folder even when files were named.
    let walked = options.paths.is_empty() || fresh;
    let (scan, gone) = if walked {
        if !options.paths.is_empty() {
            summary.missing = options
                .paths
                .iter()
                .filter(|p| {
                    std::fs::symlink_metadata(p)
                        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                })
                .map(|p| p.display().to_string())
                .collect();
        }
        let scan = scan::walk(&options.articles, options.follow, &[]);
        let seen: HashSet<&str> = scan.candidates.iter().map(|c| c.rel.as_str()).collect();
        let mut gone = Vec::new();
        for rel in existing.keys() {
            if seen.contains(rel.as_str()) {
                continue;
            }
            if scan.keeps(rel) {
                summary.kept += 1;
            } else {
                gone.push(rel.clone());
            }
        }
        (scan, gone)
    } else {
        let below = |dir: &str| -> Vec<String> {
            existing
                .keys()
                .filter(|rel| under(rel, dir))
                .cloned()
                .collect()
        };
        let named = scan::named(
            &options.articles,
            &options.paths,
            options.follow,
            &|rel: &str| existing.contains_key(rel),
            &below,
        );
        let (scan, mut gone) = (named.scan, named.gone);
        summary.missing = named.missing;
        // A named folder was walked: what it held and no longer does is
        // gone, as after a walk of the whole folder.
        let seen: HashSet<&str> = scan.candidates.iter().map(|c| c.rel.as_str()).collect();
        let mut kept: HashSet<&str> = scan
            .kept
            .iter()
            .filter(|k| existing.contains_key(*k))
            .map(String::as_str)
            .collect();
        for rel in existing.keys() {
            if seen.contains(rel.as_str())
                || gone.contains(rel)
                || !named.folders.iter().any(|dir| under(rel, dir))
            {
                continue;
            }
            if scan.keeps(rel) {
                kept.insert(rel);
            } else {
                gone.push(rel.clone());
            }
        }
        summary.kept += kept.len() as u64;
        (scan, gone)
    };
    summary.skipped += (scan.problems.len() + scan.unreadable.len()) as u64;
    summary.unreadable += scan.unreadable.len() as u64;
    let mut unreadable: Vec<String> = scan.unreadable.iter().map(|p| p.path.clone()).collect();
    summary.problems.extend(scan.warnings);
    summary.problems.extend(scan.problems);
    summary.problems.extend(scan.unreadable);
    let candidates = scan.candidates;
    // The scan time recorded advances only when every file was examined:
    // a named run or an unreadable folder leaves files unchecked.
    if !walked || summary.unreadable > 0 {
        manifest.scanned = last_scan;
    }
    // Set when a file was re-hashed that the new scan time would let the
    // next run trust: worth a commit of its own.
    let mut advance = false;

    progress.start(candidates.len() as u64);
    let mut writer: Option<IndexWriter> = None;
    let open_writer = |index: &Index| -> Result<IndexWriter> {
        // Reading and extraction keep the other cores busy: on 2 cores one
        // indexing thread builds as fast as two (10k articles: 7.6 s both
        // ways) and, given the whole memory budget, writes half as many
        // segments (3 at 100k, not 6); each segment costs every query a term
        // lookup per word more.
        let threads = std::thread::available_parallelism().map_or(1, |n| (n.get() / 4).clamp(1, 4));
        let writer = index
            .writer_with_num_threads(threads, WRITER_MEMORY)
            .map_err(|e| tantivy_err(root, e))?;
        // Segments of a run that was killed go first: no commit refers to them.
        let _ = writer.garbage_collect_files().wait();
        Ok(writer)
    };
    let examine_batch = |batch: &[Candidate]| -> Vec<Outcome> {
        batch
            .par_iter()
            .map(|c| {
                let old = if fresh { None } else { existing.get(&c.rel) };
                examine(c, old, options, &fields, last_scan)
            })
            .collect()
    };
    // The index as committed before this run, for the near-duplicate groups.
    let before = if fresh {
        None
    } else {
        Some(index.reader().map_err(|e| tantivy_err(root, e))?)
    };
    let mut changes = Changes::default();
    // Files skipped for their type: reported by the first run that sees them.
    let reported = read_reported(root, live.as_deref());
    let mut unsupported: HashSet<String> = HashSet::new();
    let mut apply_batch = |batch: &[Candidate], outcomes: Vec<Outcome>| -> Result<()> {
        for (candidate, outcome) in batch.iter().zip(outcomes) {
            // A file skipped for its type is reported by one run only.
            let quiet = matches!(outcome, Outcome::Unsupported(_)) && {
                unsupported.insert(candidate.rel.clone());
                reported.contains(&candidate.rel)
            };
            match outcome {
                Outcome::Unchanged => summary.unchanged += 1,
                Outcome::Verified => {
                    summary.unchanged += 1;
                    summary.rehashed += 1;
                    let trusted = existing.get(&candidate.rel).is_some_and(|old| {
                        old.size == candidate.size && old.mtime == candidate.mtime
                    });
                    advance |= trusted && !options.verify && !racy(candidate, Some(scan_start));
                }
                Outcome::Unreadable(problem) => {
                    summary.skipped += 1;
                    summary.unreadable += 1;
                    unreadable.push(problem.path.clone());
                    summary.kept += u64::from(existing.contains_key(&candidate.rel));
                    summary.problems.push(problem);
                }
                Outcome::Skipped(problem) | Outcome::Unsupported(problem) => {
                    summary.skipped += 1;
                    if !quiet {
                        summary.problems.push(problem);
                    }
                    // A file that now yields no article (emptied, turned
                    // binary, grown too large) loses its old one, as a
                    // rebuild would: a retracted story must disappear.
                    if !fresh && existing.contains_key(&candidate.rel) {
                        if writer.is_none() {
                            writer = Some(open_writer(&index)?);
                        }
                        if let Some(w) = writer.as_mut() {
                            w.delete_term(Term::from_field_text(fields.file, &candidate.rel));
                        }
                        changes.replaced.insert(candidate.rel.clone());
                        summary.removed += 1;
                    }
                }
                Outcome::Indexed {
                    rel,
                    docs,
                    articles,
                    passages,
                    warnings,
                } => {
                    if existing.contains_key(&candidate.rel) {
                        summary.updated += 1;
                    } else {
                        summary.added += 1;
                    }
                    summary.articles += articles;
                    summary.passages += passages;
                    summary.problems.extend(warnings);
                    if writer.is_none() {
                        writer = Some(open_writer(&index)?);
                    }
                    // Just set above: the writer exists from here on.
                    let w = writer.as_mut().expect("writer opened above");
                    // The file's old documents go and its new ones come in
                    // one batch.
                    let mut ops = Vec::with_capacity(docs.len() + 1);
                    if !fresh {
                        ops.push(UserOperation::Delete(Term::from_field_text(
                            fields.file,
                            &rel,
                        )));
                        if existing.contains_key(&candidate.rel) {
                            changes.replaced.insert(rel.clone());
                        }
                    }
                    changes
                        .written
                        .extend(docs.iter().filter_map(|d| signed(d, &fields)));
                    ops.extend(docs.into_iter().map(UserOperation::Add));
                    if let Err(e) = w.run(ops) {
                        return Err(tantivy_err(root, thread_error(w, e)));
                    }
                }
            }
        }
        progress.advance(batch.len() as u64);
        Ok(())
    };
    // Batch N+1 is read and extracted while batch N is handed to tantivy, so
    // that neither waits for the other.
    let batches = batches(&candidates);
    let mut ready = batches.first().map(|b| examine_batch(b));
    for (i, batch) in batches.iter().enumerate() {
        let outcomes = ready.take().unwrap_or_default();
        let next = batches.get(i + 1);
        let (next_outcomes, applied) = rayon::join(
            || next.map(|b| examine_batch(b)),
            || apply_batch(batch, outcomes),
        );
        applied?;
        ready = next_outcomes;
    }
    progress.finish();
    if !fresh {
        for rel in &gone {
            if writer.is_none() {
                writer = Some(open_writer(&index)?);
            }
            if let Some(w) = writer.as_mut() {
                w.delete_term(Term::from_field_text(fields.file, rel));
            }
        }
    }
    summary.removed += gone.len() as u64;
    if fresh && live.is_some() && summary.unreadable > 0 {
        // The new generation would lack the articles of what could not be
        // read, which the live one has: keep the live one.
        return Err(Error::RebuildIncomplete {
            path: root.to_path_buf(),
            unreadable: few(&unreadable),
        });
    }
    changes.replaced.extend(gone.iter().cloned());
    let searcher = before.as_ref().map(|r| r.searcher());
    let regrouped =
        groups::regroup(searcher.as_ref(), &fields, &changes).map_err(|e| tantivy_err(root, e))?;
    if !regrouped.is_empty() {
        if writer.is_none() {
            writer = Some(open_writer(&index)?);
        }
        if let Some(w) = writer.as_mut() {
            if let Err(e) = w.run(regrouped) {
                return Err(tantivy_err(root, thread_error(w, e)));
            }
        }
    }
    if (fresh || advance) && writer.is_none() {
        // An empty folder still yields a valid, searchable (empty) index; a
        // commit of nothing records the new scan time.
        writer = Some(open_writer(&index)?);
    }
    // Before the commit: a generation never records a taxonomy it lacks.
    keep_taxonomy(root, new_gen.as_deref().or(live.as_deref()), options)?;
    if let Some(mut w) = writer {
        let payload = serde_json::to_string(&manifest).unwrap_or_default();
        let mut commit = w.prepare_commit().map_err(|e| tantivy_err(root, e))?;
        commit.set_payload(&payload);
        commit.commit().map_err(|e| tantivy_err(root, e))?;
        w.wait_merging_threads().map_err(|e| tantivy_err(root, e))?;
    }
    let written_gen = new_gen.clone().or_else(|| live.clone());
    if let Some(gen) = new_gen {
        layout::switch_generation(root, &gen)?;
        layout::remove_stale_generations(root, Some(&gen));
    }
    undo.armed = false;
    // A walk saw every file: names no longer there are forgotten, and
    // reported again if they come back.
    let now_reported: HashSet<String> = if walked {
        unsupported
    } else {
        reported.iter().cloned().chain(unsupported).collect()
    };
    if now_reported.is_empty() {
        if !reported.is_empty() {
            if let Some(gen) = &written_gen {
                let _ = std::fs::remove_file(root.join(gen).join(REPORTED_FILE));
            }
        }
    } else if now_reported != reported || fresh {
        write_reported(root, written_gen.as_deref(), &now_reported);
    }
    summary.files = summary.added + summary.updated + summary.unchanged + summary.skipped;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Refuses a run that would replace what the index holds without being asked
/// to: articles from another folder, or metadata from another taxonomy.
fn refuse_replacing(root: &Path, old: &Manifest, new: &Manifest) -> Result<()> {
    if !old.articles.is_empty() && old.articles != new.articles {
        return Err(Error::Refused {
            path: root.to_path_buf(),
            message: format!(
                "this index holds the articles of {}, not {}: indexing them would remove every \
                 article it holds; run `newsidx index --rebuild` to rebuild it from {}, or name \
                 another index with --index",
                old.articles, new.articles, new.articles
            ),
        });
    }
    if !old.taxonomy_source.is_empty() && old.taxonomy_source != new.taxonomy_source {
        return Err(Error::Refused {
            path: root.to_path_buf(),
            message: format!(
                "this index was built with the taxonomy {}, not {}: run `newsidx index --rebuild` \
                 to re-extract every article with the new one (without --taxonomy, the index \
                 keeps the one it was built with)",
                old.taxonomy_source, new.taxonomy_source
            ),
        });
    }
    Ok(())
}

/// `candidates` cut into batches of at most [`BATCH`] files and
/// [`BATCH_BYTES`] bytes.
fn batches(candidates: &[Candidate]) -> Vec<&[Candidate]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, c) in candidates.iter().enumerate() {
        let full = i - start == BATCH || (i > start && bytes + c.size > BATCH_BYTES);
        if full {
            out.push(&candidates[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += c.size;
    }
    if start < candidates.len() {
        out.push(&candidates[start..]);
    }
    out
}

/// `path` made absolute (symbolic links resolved when it exists), as text.
fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Keeps the taxonomy file of a run in the generation `gen` (written whole,
/// then renamed), so that later runs and searches read the same vocabulary.
fn keep_taxonomy(root: &Path, gen: Option<&str>, options: &SyncOptions) -> Result<()> {
    let (Some(gen), Some(file)) = (gen, &options.taxonomy_file) else {
        return Ok(());
    };
    let target = root.join(gen).join(super::TAXONOMY_FILE);
    if std::fs::canonicalize(file).ok() == std::fs::canonicalize(&target).ok() {
        return Ok(());
    }
    let tmp = root.join(gen).join(format!("{}.tmp", super::TAXONOMY_FILE));
    std::fs::copy(file, &tmp).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))
}

/// True when the indexed file `rel` lies below the folder `dir` ("" for the
/// articles folder itself).
fn under(rel: &str, dir: &str) -> bool {
    dir.is_empty() || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// The names of [`REPORTED_FILE`] in the generation `gen`; none when it is
/// missing or unreadable (they are then reported again, which is harmless).
fn read_reported(root: &Path, gen: Option<&str>) -> HashSet<String> {
    gen.and_then(|gen| std::fs::read(root.join(gen).join(REPORTED_FILE)).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Replaces [`REPORTED_FILE`] in the generation `gen` (written whole, then
/// renamed). A failure is ignored: the names are reported again next time.
fn write_reported(root: &Path, gen: Option<&str>, names: &HashSet<String>) {
    let Some(gen) = gen else { return };
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort();
    let target = root.join(gen).join(REPORTED_FILE);
    let tmp = root.join(gen).join(format!("{REPORTED_FILE}.tmp"));
    let Ok(json) = serde_json::to_vec(&sorted) else {
        return;
    };
    if std::fs::write(&tmp, json).is_ok() && std::fs::rename(&tmp, &target).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Up to three of `paths`, and how many more.
fn few(paths: &[String]) -> String {
    let mut text = paths
        .iter()
        .take(3)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > 3 {
        text.push_str(&format!(" and {} more", paths.len() - 3));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::scan::sized;

    #[test]
    fn batches_hold_at_most_512_files_and_16_mib() {
        let mib = 1024 * 1024;
        let many = sized(&vec![1000; 1300]);
        let lens: Vec<usize> = batches(&many).iter().map(|b| b.len()).collect();
        assert_eq!(lens, [512, 512, 276]);
        let big = sized(&[10 * mib, 10 * mib, 3 * mib, 3 * mib, 40 * mib, 1]);
        let lens: Vec<usize> = batches(&big).iter().map(|b| b.len()).collect();
        assert_eq!(lens, [1, 3, 1, 1]);
        assert!(batches(&[]).is_empty());
    }
}
