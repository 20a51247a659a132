//! `newsidx list`: one line per indexed article.

use std::process::ExitCode;

use anyhow::Result;

use newsidx::print::human;
use newsidx::print::json::{self, ListDoc};

use super::Context;
use crate::cli::OutputArgs;

pub fn run(ctx: &Context, args: &OutputArgs) -> Result<ExitCode> {
    let index = ctx.open_index()?;
    let writer = ctx.stdout();
    let mut out = writer.buffer();
    for record in index.articles()? {
        if args.json {
            json::write_line(&mut out, &ListDoc::from(&record))?;
        } else {
            human::list_line(&mut out, &record)?;
        }
    }
    writer.print(&out)?;
    Ok(ExitCode::SUCCESS)
}
