//! `newsidx index --watch`: keep the index in step with the articles folder.
//!
//! One full sync first, then one small sync per burst of changes: the paths
//! the file system reports changed (through `notify`: inotify on Linux) are
//! synced by name — a file added, edited, renamed or deleted, a folder
//! created or removed — with the same incremental sync as `newsidx index
//! PATH…`, so each burst is one commit and a search sees the old or the new
//! state, never half of it. A change to an ignore file, a burst of very many
//! paths, or a lost event queue syncs the whole folder instead.
//!
//! A path is synced once nothing has happened to it for [`QUIET`] and, where
//! the file system reports closes (inotify), once the file it names is no
//! longer open for writing: a download that stalls for seconds mid-file is
//! picked up when its writer closes it, not half-written. A file held open
//! longer than [`OPEN_LIMIT`] without a write is synced as it stands (a
//! writer that never closes must not hide a file forever). `notify`'s own debouncers
//! do not fit: the mini one counts the watcher's own reads (notify watches
//! file opens, and each sync opens what changed, which would trigger the
//! next sync without end), and the full one passes a file's creation on
//! before its writes stop.
//!
//! Ctrl-C (SIGINT, or SIGTERM) stops the loop between syncs: a sync under way
//! finishes and commits first. A second Ctrl-C exits at once; a sync cut
//! short that way leaves the index at its last commit (see `index::writer`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use newsidx::error::Error;
use newsidx::index::sync::{self, Summary, SyncOptions};
use newsidx::index::Rules;
use newsidx::print::terminal;
use newsidx::progress::NoProgress;
use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::index::{bar, summary_line};
use super::Context;
use crate::cli::IndexArgs;

/// How long a path must be left alone before it is synced.
pub const QUIET: Duration = Duration::from_millis(300);
/// How long a file left open for writing, but not written, waits before it
/// is synced anyway.
pub const OPEN_LIMIT: Duration = Duration::from_secs(10);
/// Whether the watcher hears a writer close a file (inotify's
/// `IN_CLOSE_WRITE`); elsewhere quiet alone decides.
const HEARS_CLOSES: bool = cfg!(any(target_os = "linux", target_os = "android"));
/// How often the loop wakes to look for quiet paths and Ctrl-C.
const TICK: Duration = Duration::from_millis(50);
/// A burst naming more paths than this syncs the whole folder: one walk
/// costs less than thousands of look-ups by name.
const MANY: usize = 1000;
/// How long to wait before trying again when another `newsidx index` holds
/// the index.
const RETRY: Duration = Duration::from_secs(1);

/// What the loop has heard of one path and not yet synced.
#[derive(Clone, Copy, Debug)]
struct Heard {
    /// When it last changed.
    at: Instant,
    /// Created or written and not closed since: a writer still has it open.
    writing: bool,
}

impl Heard {
    /// Whether the path may be synced at `now`.
    fn due(&self, now: Instant) -> bool {
        let idle = now.duration_since(self.at);
        if self.writing {
            idle >= OPEN_LIMIT
        } else {
            idle >= QUIET
        }
    }
}

/// What the loop has heard and not yet synced.
#[derive(Default)]
struct Pending {
    /// Changed paths (absolute).
    paths: BTreeMap<PathBuf, Heard>,
    /// Since when a whole-folder sync is due (an ignore file changed, events
    /// were lost, or a sync by name could not tell what a path was).
    full: Option<Instant>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.full.is_none()
    }
}

/// Where the watched folder and the index are, to judge reported paths.
struct Folder {
    /// The articles folder, canonical (notify reports paths below it).
    root: PathBuf,
    /// The index folder, canonical when it exists: its own writes are not
    /// changes to the articles, should it lie inside the folder.
    index: Option<PathBuf>,
    rules: Rules,
}

impl Folder {
    /// Files what `event` says into `pending`.
    fn hear(&mut self, event: Event, pending: &mut Pending, now: Instant) {
        let closed = matches!(
            event.kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
        );
        if matches!(event.kind, EventKind::Access(_)) && !closed {
            // Opens and reads, the watcher's own syncs included.
            return;
        }
        // A file opened to be written (created, or its data changed) stays
        // "being written" until its writer closes it.
        let writing = HEARS_CLOSES
            && matches!(
                event.kind,
                EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_))
            );
        if event.need_rescan() {
            pending.full.get_or_insert(now);
            return;
        }
        for path in event.paths {
            if self.index.as_ref().is_some_and(|i| path.starts_with(i)) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if rel.as_os_str().is_empty() {
                continue;
            }
            if path.file_name().is_some_and(newsidx::index::is_ignore_file) {
                // Which files are indexed changed: read the rules again and
                // walk everything.
                self.rules = Rules::new(&self.root);
                pending.full = Some(now);
                continue;
            }
            if closed && !pending.paths.contains_key(&path) {
                // Closed after a write this loop has synced already (or
                // never heard): nothing new.
                continue;
            }
            if self.rules.walked(rel, path.is_dir()) {
                // Other events (a rename, new times or permissions) leave a
                // file being written as it was: only its close ends that.
                let still = !closed && pending.paths.get(&path).is_some_and(|h| h.writing);
                let writing = writing || still;
                pending.paths.insert(path, Heard { at: now, writing });
            }
        }
    }
}

pub fn run(ctx: &Context, args: &IndexArgs) -> Result<ExitCode> {
    let root = ctx.articles.canonicalize().with_context(|| {
        format!(
            "cannot watch the articles folder {} (set --articles or NEWSIDX_ARTICLES)",
            ctx.articles.display()
        )
    })?;
    let signals = Arc::new(AtomicUsize::new(0));
    let heard = Arc::clone(&signals);
    ctrlc::set_handler(move || {
        if heard.fetch_add(1, Ordering::SeqCst) > 0 {
            // Asked twice: stop now. The index keeps its last commit.
            std::process::exit(130);
        }
    })
    .context("cannot catch Ctrl-C")?;

    // Watching starts before the first sync, so that nothing written while
    // it runs is missed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("cannot watch for changes")?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", ctx.articles.display()))?;

    let mut options = super::index::options(ctx, args);
    options.articles = root.clone();
    let first = sync(&options, args, true)?;
    report(args, &first)?;
    options.rebuild = false;
    options.verify = false;
    if !args.quiet && !args.json {
        let line = format!(
            "watching {} for changes; Ctrl-C stops",
            ctx.articles.display()
        );
        eprintln!("newsidx: {}", terminal::line(&line));
    }

    let mut folder = Folder {
        rules: Rules::new(&root),
        index: ctx.index.canonicalize().ok(),
        root,
    };
    let mut pending = Pending::default();
    while signals.load(Ordering::SeqCst) == 0 {
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) => folder.hear(event, &mut pending, Instant::now()),
            Ok(Err(e)) => {
                // An error of the watcher (a queue overflow, say): whatever
                // it lost, a walk finds.
                let line = format!("watching: {e}; syncing the whole folder");
                eprintln!("newsidx: warning: {}", terminal::line(&line));
                pending.full.get_or_insert(Instant::now());
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
        }
        while let Ok(event) = rx.try_recv() {
            match event {
                Ok(event) => folder.hear(event, &mut pending, Instant::now()),
                Err(_) => {
                    pending.full.get_or_insert(Instant::now());
                }
            }
        }
        if pending.is_empty() {
            continue;
        }
        let now = Instant::now();
        let full = pending.full.is_some_and(|t| now.duration_since(t) >= QUIET)
            || pending.paths.len() > MANY;
        let due: Vec<PathBuf> = if full {
            // A whole-folder sync covers every path heard so far.
            Vec::new()
        } else {
            pending
                .paths
                .iter()
                .filter(|(_, heard)| heard.due(now))
                .map(|(p, _)| p.clone())
                .collect()
        };
        if !full && due.is_empty() {
            continue;
        }
        options.paths = due.clone();
        match sync(&options, args, false) {
            Ok(summary) => {
                if full {
                    pending = Pending::default();
                } else {
                    // A path gone with nothing indexed under its name (a
                    // temporary file) is in `summary.missing`: not an error.
                    for path in &due {
                        pending.paths.remove(path);
                    }
                }
                report(args, &summary)?;
            }
            Err(Error::Locked { .. }) => {
                // Another `newsidx index` is running: try again after it.
                let later = Instant::now() + RETRY - QUIET;
                for path in &due {
                    let heard = Heard {
                        at: later,
                        writing: false,
                    };
                    pending.paths.insert(path.clone(), heard);
                }
                if full {
                    pending.full = Some(later);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !args.quiet && !args.json {
        eprintln!("newsidx: stopped watching; every change synced so far is committed");
    }
    Ok(ExitCode::SUCCESS)
}

/// One sync: the first with the progress bar of `newsidx index`.
fn sync(options: &SyncOptions, args: &IndexArgs, first: bool) -> Result<Summary, Error> {
    if first {
        sync::sync(options, &bar(args.quiet || args.json))
    } else {
        sync::sync(options, &NoProgress)
    }
}

/// The sync's problems on stderr (unless `--quiet`) and its summary on
/// stdout: one line, or one JSON object with `--json`.
fn report(args: &IndexArgs, summary: &Summary) -> Result<()> {
    use std::io::Write;
    if !args.quiet {
        for problem in &summary.problems {
            eprintln!("newsidx: warning: {}", terminal::line(&problem.to_string()));
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        newsidx::print::json::write_line(&mut out, summary)?;
    } else {
        writeln!(out, "{}", summary_line(summary))?;
    }
    out.flush()?;
    Ok(())
}
