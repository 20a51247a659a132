//! `newsidx list`: one line per indexed article, or the near-duplicate groups.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use newsidx::print::human;
use newsidx::print::json::{self, DuplicateGroupDoc};

use newsidx::print::terminal::Terminal;

use super::Context;
use crate::cli::ListArgs;

pub fn run(ctx: &Context, args: &ListArgs) -> Result<ExitCode> {
    let filters = super::resolve_filters(ctx, &args.filters)?;
    let index = ctx.open_index()?;
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.duplicates {
        let kept: Option<std::collections::HashSet<String>> = (!filters.is_empty())
            .then(|| {
                newsidx::search::filtered_articles(&index, &ctx.taxonomy, &filters)
                    .map(|r| r.into_iter().map(|r| r.id).collect())
            })
            .transpose()?;
        for (id, records) in index.duplicate_groups()? {
            // With filters: the groups with an article they keep, whole.
            if let Some(kept) = &kept {
                if !records.iter().any(|r| kept.contains(&r.id)) {
                    continue;
                }
            }
            if args.json {
                json::write_line(
                    &mut out,
                    &DuplicateGroupDoc {
                        group: id,
                        articles: records.clone(),
                    },
                )?;
            } else {
                writeln!(out, "group {id} · {} articles", records.len())?;
                for record in &records {
                    write!(out, "  ")?;
                    human::list_line(&mut out, record)?;
                }
                writeln!(out)?;
            }
        }
    } else {
        for record in newsidx::search::filtered_articles(&index, &ctx.taxonomy, &filters)? {
            if args.json {
                json::write_line(&mut out, &record)?;
            } else {
                human::list_line(&mut out, &record)?;
            }
        }
    }
    writer.print(&out.into_inner())?;
    Ok(ExitCode::SUCCESS)
}
