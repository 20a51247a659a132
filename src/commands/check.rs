//! `newsidx check`: read the whole index and say whether it is whole.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use newsidx::error::Error;
use newsidx::print::json;

use super::Context;
use crate::cli::OutputArgs;

pub fn run(ctx: &Context, args: &OutputArgs) -> Result<ExitCode> {
    let report = newsidx::index::check::check(&ctx.index)?;
    if args.json {
        let mut out = std::io::stdout().lock();
        json::write_line(&mut out, &report)?;
        if report.whole() {
            return Ok(ExitCode::SUCCESS);
        }
    } else if report.whole() {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{}: whole · {} · {} segment{}, {} files, {:.1} KiB read and checked",
            ctx.index.display(),
            report.generation,
            report.segments,
            if report.segments == 1 { "" } else { "s" },
            report.files,
            report.bytes as f64 / 1024.0
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut damaged = report
        .damaged
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if report.damaged.len() > 3 {
        damaged.push_str(&format!(" and {} more", report.damaged.len() - 3));
    }
    Err(Error::DamagedIndex {
        path: ctx.index.clone(),
        message: format!("damaged: {damaged}"),
    }
    .into())
}
