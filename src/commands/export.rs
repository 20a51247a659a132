//! `newsidx export`: the index written out for Quickwit, Elasticsearch or
//! OpenSearch, or as NDJSON, with a progress bar on a terminal and a
//! one-line summary on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsidx::export::{self, Summary};
use newsidx::progress::Progress;

use newsidx::print::terminal;

use super::Context;
use crate::cli::{ExportArgs, ExportTarget};

/// A progress bar over articles on stderr; indicatif draws it only on a
/// terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, articles: u64) {
        self.0.set_length(articles);
    }
    fn advance(&self, articles: u64) {
        self.0.inc(articles);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<ExitCode> {
    let to_stdout =
        args.to == ExportTarget::Ndjson && args.out.as_deref().is_none_or(|p| p == Path::new("-"));
    if args.passages && args.to != ExportTarget::Ndjson {
        bail!("--passages goes with --to ndjson; quickwit and elasticsearch exports are always one document per passage");
    }
    let dir = match (args.to, &args.out) {
        (ExportTarget::Ndjson, _) => None,
        (_, Some(dir)) => Some(dir.clone()),
        (target, None) => bail!(
            "--to {} writes two files: name their folder with --out DIR",
            target_name(target)
        ),
    };
    let index = ctx.open_index()?;
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // NDJSON on a terminal would be torn by the bar.
    if args.quiet || (to_stdout && std::io::stdout().is_terminal()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} exporting {pos}/{len} articles {wide_bar} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = Bar(bar);
    let started = Instant::now();
    let summary = match (args.to, dir) {
        (ExportTarget::Quickwit, Some(dir)) => export::quickwit(&index, &dir, &progress)?,
        (ExportTarget::Elasticsearch, Some(dir)) => export::elasticsearch(&index, &dir, &progress)?,
        _ if to_stdout => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            export::ndjson(
                &index,
                &mut out,
                Path::new("<stdout>"),
                args.passages,
                &progress,
            )?
        }
        _ => {
            let file = args.out.clone().unwrap_or_else(|| PathBuf::from("-"));
            export::ndjson_file(&index, &file, args.passages, &progress)?
        }
    };
    if !args.quiet {
        for note in &summary.notes {
            eprintln!("newsidx: note: {}", terminal::line(note));
        }
        let line = summary_line(&summary, started.elapsed().as_secs_f64());
        eprintln!("newsidx: {}", terminal::line(&line));
    }
    Ok(ExitCode::SUCCESS)
}

fn target_name(target: ExportTarget) -> &'static str {
    match target {
        ExportTarget::Quickwit => "quickwit",
        ExportTarget::Elasticsearch => "elasticsearch",
        ExportTarget::Ndjson => "ndjson",
    }
}

fn summary_line(s: &Summary, seconds: f64) -> String {
    let files = if s.files.is_empty() {
        "stdout".to_string()
    } else {
        s.files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "exported {} articles, {} passages to {files} · {seconds:.2} s",
        s.articles, s.passages
    )
}
