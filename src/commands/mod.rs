//! One module per verb: resolve arguments, call the library, choose a printer.

mod check;
mod eval;
mod export;
mod index;
mod list;
mod search;
mod show;
mod stats;
mod timeline;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use clap::CommandFactory;
use termcolor::{BufferWriter, ColorChoice};

use crate::cli::{Cli, ColorWhen, Command, FilterArgs};
use newsidx::error::Error;
use newsidx::index::OpenIndex;
use newsidx::search::Filters;
use newsidx::taxonomy::Taxonomy;

/// What every command needs, resolved once from the global options.
pub struct Context {
    pub index: PathBuf,
    pub articles: PathBuf,
    pub taxonomy: Taxonomy,
    pub color: ColorChoice,
    pub today: NaiveDate,
}

impl Context {
    /// A buffered stdout writer honouring `--color` and `NO_COLOR`.
    pub fn stdout(&self) -> BufferWriter {
        BufferWriter::stdout(self.color)
    }

    /// Opens the index; when there is none but the articles folder exists,
    /// builds it first so that a fresh clone can search at once.
    pub fn open_index(&self) -> Result<OpenIndex> {
        match newsidx::index::open(&self.index) {
            Err(Error::NoIndex { .. }) if self.articles.is_dir() => {
                let line = format!(
                    "no index at {}; building it from {} first",
                    self.index.display(),
                    self.articles.display()
                );
                eprintln!("newsidx: {}", newsidx::print::terminal::line(&line));
                index::build_quietly(self)?;
                Ok(newsidx::index::open(&self.index)?)
            }
            Err(Error::NoIndex { path }) => Err(anyhow::anyhow!(
                "no index at {} and no articles folder {}: add articles and run `newsidx index`",
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
    .with_amounts(args.min_amount.as_deref(), args.max_amount.as_deref())?)
}

fn color_choice(when: ColorWhen) -> ColorChoice {
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if std::io::stdout().is_terminal() && !no_color {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            }
        }
    }
}

fn load_taxonomy(path: Option<&Path>) -> Result<Taxonomy> {
    match path {
        Some(path) => Taxonomy::load(path).context("cannot load the taxonomy"),
        None => Ok(Taxonomy::builtin()),
    }
}

/// Runs the command. A panic (tantivy panics on some damaged files, which
/// it trusts) becomes one line: the index is checked, and when it is damaged
/// the line names the damage and the repair; otherwise it is a bug.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let index = cli.global.index.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli))) {
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

fn dispatch(cli: Cli) -> Result<ExitCode> {
    let ctx = Context {
        index: cli.global.index,
        articles: cli.global.articles,
        taxonomy: load_taxonomy(cli.global.taxonomy.as_deref())?,
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
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "newsidx", &mut out);
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
