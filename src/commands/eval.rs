//! `newsidx eval`: measure extraction and ranking against labels.

use std::process::ExitCode;

use anyhow::Result;

use newsidx::print::terminal::Terminal;

use super::Context;
use crate::cli::EvalCommand;

pub fn run(ctx: &Context, command: &EvalCommand) -> Result<ExitCode> {
    match command {
        EvalCommand::Extraction { labels, json } => {
            let report = newsidx::eval::evaluate_extraction(
                &ctx.articles,
                labels,
                &ctx.taxonomy,
                ctx.today,
            )?;
            print(&report, *json, |out| report.write_human(out))
        }
        EvalCommand::Search { queries, json } => {
            let index = ctx.open_index()?;
            let report = newsidx::eval::search::evaluate_search(&index, &ctx.taxonomy, queries)?;
            if !report.not_indexed.is_empty() {
                eprintln!(
                    "newsidx: warning: {} labelled file{} not in the index (scored as not found): {}",
                    report.not_indexed.len(),
                    if report.not_indexed.len() == 1 { " is" } else { "s are" },
                    report.not_indexed.join(", ")
                );
            }
            print(&report, *json, |out| report.write_human(out))
        }
    }
}

/// Prints a report as one JSON line, or for people.
fn print<T: serde::Serialize>(
    report: &T,
    json: bool,
    human: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<ExitCode> {
    let mut out = Terminal::new(termcolor::NoColor::new(std::io::stdout().lock()));
    if json {
        newsidx::print::json::write_line(out.raw(), report)?;
    } else {
        human(&mut out)?;
    }
    Ok(ExitCode::SUCCESS)
}
