//! One module per verb: resolve arguments, call the library, choose a printer.

mod check;
mod eval;
mod export;
mod index;
mod list;
mod search;
mod setup;
mod show;
mod stats;
mod timeline;
mod watch;

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use termcolor::{BufferWriter, ColorChoice};

use crate::cli::{Cli, ColorWhen, Command, FilterArgs};
use newsidx::error::Error;
use newsidx::index::OpenIndex;
use newsidx::search::Filters;
use newsidx::taxonomy::Taxonomy;

/// The index folder used when none is named.
pub const DEFAULT_INDEX: &str = "index";

/// What every command needs, resolved once from the global options.
pub struct Context {
    pub index: PathBuf,
    pub articles: PathBuf,
    pub taxonomy: Taxonomy,
    /// The file `taxonomy` came from: `--taxonomy`, or the one the index
    /// was built with; none for the built-in taxonomy.
    pub taxonomy_file: Option<PathBuf>,
    /// Which taxonomy that is, as the index records it (empty: the file's
    /// own path, or the built-in one).
    pub taxonomy_source: String,
    pub color: ColorChoice,
    pub today: NaiveDate,
}

impl Context {
    /// A buffered stdout writer honouring `--color` and `NO_COLOR`.
    pub fn stdout(&self) -> BufferWriter {
        BufferWriter::stdout(self.color)
    }

    /// Opens the index. When the default index (`index/`) is missing but the
    /// articles folder exists, builds it first, so that a fresh clone can
    /// search at once; an index named with `--index` is never built here (a
    /// typo must not create one), only by `newsidx index`.
    pub fn open_index(&self) -> Result<OpenIndex> {
        let default = self.index == Path::new(DEFAULT_INDEX);
        match newsidx::index::open(&self.index) {
            Err(Error::NoIndex { .. }) if default && self.articles.is_dir() => {
                let line = format!(
                    "no index in {}/ yet; building it from {}/ first",
                    self.index.display(),
                    self.articles.display()
                );
                eprintln!("newsidx: {}", newsidx::print::terminal::line(&line));
                index::build_first(self)?;
                Ok(newsidx::index::open(&self.index)?)
            }
            Err(Error::NoIndex { path }) if default => Err(anyhow::anyhow!(
                "no index in {}/ and no articles folder {}/: add articles and run `newsidx index`",
                path.display(),
                self.articles.display()
            )),
            other => Ok(other?),
        }
    }
}

/// Resolves the filter flags against the taxonomy: canonical values, parsed
/// dates and amounts, or an error naming the bad value.
pub fn resolve_filters(ctx: &Context, args: &FilterArgs) -> Result<Filters> {
    Ok(Filters::resolve(
        &ctx.taxonomy,
        &args.state,
        &args.sector,
        &args.prefecture,
        args.since.as_deref(),
        args.until.as_deref(),
        args.undated,
    )?
    .with_orgs(&ctx.taxonomy, &args.org)?
    .with_amounts(args.min_amount.as_deref(), args.max_amount.as_deref())?
    .with_langs(&args.lang)?)
}

fn color_choice(when: ColorWhen) -> ColorChoice {
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            if auto_colour(
                std::io::stdout().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
                std::env::var_os("TERM").as_deref(),
            ) {
                ColorChoice::Always
            } else {
                ColorChoice::Never
            }
        }
    }
}

/// `--color auto`: colour on a terminal, unless NO_COLOR is set to a
/// non-empty value (no-color.org; termcolor's own Auto also takes an empty
/// one) or TERM is `dumb`.
fn auto_colour(terminal: bool, no_color: Option<&OsStr>, term: Option<&OsStr>) -> bool {
    let no_color = no_color.is_some_and(|v| !v.is_empty());
    let dumb = term.is_some_and(|t| t == "dumb");
    terminal && !no_color && !dumb
}

/// The taxonomy of a run, its file and its source: `--taxonomy`, else the
/// one the index was built with, else the built-in one.
fn load_taxonomy(
    given: Option<&Path>,
    index: &Path,
) -> Result<(Taxonomy, Option<PathBuf>, String)> {
    let (file, source) = match given {
        Some(path) => (Some(path.to_path_buf()), String::new()),
        None => match newsidx::index::built_with_taxonomy(index) {
            Some((file, source)) => (Some(file), source),
            None => (None, String::new()),
        },
    };
    match file {
        Some(path) => Ok((
            Taxonomy::load(&path).context("cannot load the taxonomy")?,
            Some(path),
            source,
        )),
        None => Ok((Taxonomy::builtin(), None, source)),
    }
}

/// Runs the command. A panic (tantivy panics on some damaged files, which
/// it trusts) becomes one line: the index is checked, and when it is damaged
/// the line names the damage and the repair; otherwise it is a bug.
pub fn run(cli: Cli, settings: Vec<crate::config::Setting>) -> Result<ExitCode> {
    let index = cli.global.index.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli, &settings))) {
        Ok(result) => result,
        Err(panic) => Err(after_panic(&index, &*panic)),
    }
}

fn after_panic(index: &Path, panic: &(dyn std::any::Any + Send)) -> anyhow::Error {
    let message = newsidx::index::panic_message(panic);
    let message = message.lines().next().unwrap_or_default();
    match newsidx::index::check::check(index) {
        Ok(report) if !report.whole() => Error::DamagedIndex {
            path: index.to_path_buf(),
            message: format!("damaged: {}", report.damaged.join(", ")),
        }
        .into(),
        Err(e @ Error::DamagedIndex { .. }) => e.into(),
        _ => anyhow::anyhow!(
            "internal error: {message} (a bug in newsidx: please report it; `newsidx check` tells whether the index is whole)"
        ),
    }
}

fn dispatch(cli: Cli, settings: &[crate::config::Setting]) -> Result<ExitCode> {
    // Commands that need no index nor taxonomy: a bad taxonomy file must not
    // stop `newsidx config` from saying where it was set.
    match &cli.command {
        Command::Completions { shell } => return setup::completions(*shell),
        Command::Man(args) => return setup::man(args),
        Command::Config(args) => return setup::config(settings, args),
        _ => {}
    }
    let (taxonomy, taxonomy_file, taxonomy_source) =
        load_taxonomy(cli.global.taxonomy.as_deref(), &cli.global.index)?;
    let ctx = Context {
        index: cli.global.index,
        articles: cli.global.articles,
        taxonomy,
        taxonomy_file,
        taxonomy_source,
        color: color_choice(cli.global.color),
        today: chrono::Local::now().date_naive(),
    };
    match cli.command {
        Command::Index(args) => index::run(&ctx, &args),
        Command::Search(args) => search::run(&ctx, &args),
        Command::Stats(args) => stats::run(&ctx, &args),
        Command::List(args) => list::run(&ctx, &args),
        Command::Timeline(args) => timeline::run(&ctx, &args),
        Command::Show(args) => show::run(&ctx, &args),
        Command::Export(args) => export::run(&ctx, &args),
        Command::Check(args) => check::run(&ctx, &args),
        Command::Eval(command) => eval::run(&ctx, &command),
        Command::Completions { .. } | Command::Man(_) | Command::Config(_) => {
            unreachable!("answered above")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_non_empty_no_color_turns_colour_off() {
        fn set(v: &str) -> Option<&OsStr> {
            Some(OsStr::new(v))
        }
        assert!(auto_colour(true, None, set("xterm")));
        assert!(auto_colour(true, set(""), set("xterm")));
        assert!(!auto_colour(true, set("1"), set("xterm")));
        assert!(!auto_colour(true, None, set("dumb")));
        assert!(!auto_colour(false, None, set("xterm")));
    }
}
