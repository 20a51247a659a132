//! `newsidx index`: sync the index with the articles folder.

use std::process::ExitCode;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsidx::index::sync::{self, Summary, SyncOptions};
use newsidx::progress::Progress;

use newsidx::print::terminal;

use super::Context;
use crate::cli::IndexArgs;

/// A progress bar on stderr, drawn only on a terminal.
pub(super) struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, files: u64) {
        self.0.set_length(files);
    }
    fn advance(&self, files: u64) {
        self.0.inc(files);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The progress bar of an index run: on stderr, drawn only on a terminal.
pub(super) fn bar(hidden: bool) -> Bar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if hidden {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} indexing {pos}/{len} files {wide_bar} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Bar(bar)
}

/// The sync an `index` command asks for.
pub(super) fn options<'a>(ctx: &'a Context, args: &IndexArgs) -> SyncOptions<'a> {
    SyncOptions {
        articles: ctx.articles.clone(),
        index: ctx.index.clone(),
        rebuild: args.rebuild,
        taxonomy: &ctx.taxonomy,
        today: ctx.today,
        paths: args.paths.clone(),
        taxonomy_file: ctx.taxonomy_file.clone(),
        taxonomy_source: ctx.taxonomy_source.clone(),
        follow: args.follow,
        verify: args.verify,
    }
}

pub fn run(ctx: &Context, args: &IndexArgs) -> Result<ExitCode> {
    if args.watch {
        return super::watch::run(ctx, args);
    }
    let options = options(ctx, args);
    if !args.paths.is_empty() || ctx.articles.is_dir() {
        // fine
    } else {
        anyhow::bail!(
            "articles folder {} does not exist (set --articles or NEWSIDX_ARTICLES)",
            ctx.articles.display()
        );
    }
    let summary = sync::sync(&options, &bar(args.quiet || args.json))?;
    if !args.quiet {
        for problem in &summary.problems {
            eprintln!("newsidx: warning: {}", terminal::line(&problem.to_string()));
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        newsidx::print::json::write_line(&mut out, &summary)?;
    } else {
        use std::io::Write;
        writeln!(out, "{}", summary_line(&summary))?;
    }
    if !summary.missing.is_empty() {
        // Like `rg PATTERN missing.txt`: the other paths were indexed, and
        // the run is an error all the same.
        std::io::Write::flush(&mut out)?;
        let line = format!("no such file or folder: {}", summary.missing.join(", "));
        eprintln!("newsidx: {}", terminal::line(&line));
        return Ok(ExitCode::from(2));
    }
    if summary.unreadable > 0 {
        // The run committed what it could; what it could not read is an
        // error all the same.
        std::io::Write::flush(&mut out)?;
        eprintln!(
            "newsidx: {} folder(s) or file(s) could not be read (see the warnings); their indexed articles were kept as they were",
            summary.unreadable
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn summary_line(s: &Summary) -> String {
    let unreadable = if s.unreadable > 0 {
        format!(" ({} unreadable, {} kept)", s.unreadable, s.kept)
    } else {
        String::new()
    };
    format!(
        "{} added, {} updated, {} removed, {} unchanged, {} skipped{unreadable}{} · {} articles, {} passages written · {:.2} s",
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        s.skipped,
        if s.rebuilt { " (fresh index)" } else { "" },
        s.articles,
        s.passages,
        s.seconds
    )
}

/// Builds the index with the same progress bar as `index`, reporting
/// problems and the summary on stderr: used by `search` on a fresh clone.
pub fn build_first(ctx: &Context) -> Result<()> {
    let options = SyncOptions {
        articles: ctx.articles.clone(),
        index: ctx.index.clone(),
        rebuild: false,
        taxonomy: &ctx.taxonomy,
        today: ctx.today,
        paths: Vec::new(),
        taxonomy_file: ctx.taxonomy_file.clone(),
        taxonomy_source: ctx.taxonomy_source.clone(),
        follow: false,
        verify: false,
    };
    let summary = sync::sync(&options, &bar(false))?;
    for problem in &summary.problems {
        eprintln!("newsidx: warning: {}", terminal::line(&problem.to_string()));
    }
    eprintln!("newsidx: {}", summary_line(&summary));
    Ok(())
}
