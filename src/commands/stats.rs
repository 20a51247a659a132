//! `newsidx stats`: what the index holds.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::Datelike;

use newsidx::print::human::{self, Layout};
use newsidx::print::json::{self, StatsDoc};

use newsidx::print::terminal::Terminal;

use super::Context;
use crate::cli::StatsArgs;

pub fn run(ctx: &Context, args: &StatsArgs) -> Result<ExitCode> {
    let filters = super::resolve_filters(ctx, &args.filters)?;
    let index = ctx.open_index()?;
    let records = newsidx::search::filtered_articles(&index, &ctx.taxonomy, &filters)?;
    let mut doc = StatsDoc {
        articles: records.len() as u64,
        passages: records.iter().map(|r| r.passages).sum(),
        undated: records.iter().filter(|r| r.meta.date.is_none()).count() as u64,
        index_bytes: newsidx::index::size_on_disk(&ctx.index),
        states: BTreeMap::new(),
        sectors: BTreeMap::new(),
        years: BTreeMap::new(),
        orgs: BTreeMap::new(),
        langs: BTreeMap::new(),
    };
    for r in &records {
        for s in &r.meta.states {
            *doc.states.entry(s.clone()).or_default() += 1;
        }
        for s in &r.meta.sectors {
            *doc.sectors.entry(s.clone()).or_default() += 1;
        }
        for o in &r.meta.orgs {
            *doc.orgs.entry(o.clone()).or_default() += 1;
        }
        let lang = r.meta.lang.as_deref().unwrap_or("und");
        *doc.langs.entry(lang.to_string()).or_default() += 1;
        if let Some(d) = r.meta.date {
            *doc.years.entry(d.year().to_string()).or_default() += 1;
        }
    }
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.json {
        json::write_line(&mut out, &doc)?;
    } else {
        writeln!(
            out,
            "{} articles, {} passages, {} undated, {:.1} KiB on disk\n",
            doc.articles,
            doc.passages,
            doc.undated,
            doc.index_bytes as f64 / 1024.0
        )?;
        let layout = Layout::detect();
        human::bars(&mut out, "states", &doc.states, layout)?;
        human::bars(&mut out, "sectors", &doc.sectors, layout)?;
        human::bars(&mut out, "organisations", &doc.orgs, layout)?;
        human::bars(&mut out, "languages", &doc.langs, layout)?;
        human::bars(&mut out, "years", &doc.years, layout)?;
    }
    writer.print(&out.into_inner())?;
    Ok(ExitCode::SUCCESS)
}
