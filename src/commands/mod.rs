//! One module per verb: resolve arguments, call the library, choose a printer.

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

/// The index folder used when none is named.
pub const DEFAULT_INDEX: &str = "index";

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

    /// Opens the index. When the default index (`index/`) is missing but the
    /// articles folder exists, builds it first, so that a fresh clone can
    /// search at once; an index named with `--index` is never built here (a
    /// typo must not create one), only by `newsidx index`.
    pub fn open_index(&self) -> Result<OpenIndex> {
        let default = self.index == Path::new(DEFAULT_INDEX);
        match newsidx::index::open(&self.index) {
            Err(Error::NoIndex { .. }) if default && self.articles.is_dir() => {
                eprintln!(
                    "newsidx: no index in {}/ yet; building it from {}/ first",
                    self.index.display(),
                    self.articles.display()
                );
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
    .with_amounts(args.min_amount.as_deref(), args.max_amount.as_deref())?)
}

fn color_choice(when: ColorWhen) -> ColorChoice {
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            // Only a non-empty NO_COLOR turns colour off (no-color.org);
            // termcolor's own Auto would take an empty one too.
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
            if std::io::stdout().is_terminal() && !no_color && !dumb {
                ColorChoice::Always
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

pub fn run(cli: Cli) -> Result<ExitCode> {
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
