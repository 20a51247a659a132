//! `newsidx timeline`: matching articles per period, drawn as bars.

use std::process::ExitCode;

use anyhow::Result;

use newsidx::print::human::{self, Layout};
use newsidx::print::json;
use newsidx::search::SearchRequest;

use newsidx::print::terminal::Terminal;

use super::Context;
use crate::cli::TimelineArgs;

pub fn run(ctx: &Context, args: &TimelineArgs) -> Result<ExitCode> {
    let request = SearchRequest {
        query: args.query.join(" "),
        any: args.any,
        filters: super::resolve_filters(ctx, &args.filters)?,
        ..SearchRequest::default()
    };
    let index = ctx.open_index()?;
    let timeline = newsidx::timeline::timeline(
        &index,
        &ctx.taxonomy,
        &request,
        args.by.into(),
        args.split.map(Into::into),
    )?;
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.json {
        json::write_line(&mut out, &timeline)?;
    } else {
        human::timeline(&mut out, &timeline, Layout::detect())?;
    }
    writer.print(&out.into_inner())?;
    Ok(if timeline.total_articles > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
