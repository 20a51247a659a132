//! `newsidx list`: one line per indexed article, or the near-duplicate groups.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use newsidx::print::human;
use newsidx::print::json::{self, DuplicateGroupDoc, ListDoc};

use newsidx::print::terminal::Terminal;

use super::Context;
use crate::cli::ListArgs;

pub fn run(ctx: &Context, args: &ListArgs) -> Result<ExitCode> {
    let index = ctx.open_index()?;
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.duplicates {
        let articles = index.articles_with_signatures()?;
        let items: Vec<(String, newsidx::dedup::Signature)> = articles
            .iter()
            .filter_map(|(r, s)| s.map(|s| (r.path.clone(), s)))
            .collect();
        let by_path: std::collections::HashMap<&str, &newsidx::index::ArticleRecord> =
            articles.iter().map(|(r, _)| (r.path.as_str(), r)).collect();
        for group in newsidx::dedup::groups(&items) {
            let records: Vec<&newsidx::index::ArticleRecord> = group
                .iter()
                .filter_map(|p| by_path.get(p.as_str()).copied())
                .collect();
            let id = records
                .iter()
                .map(|r| r.id.as_str())
                .min()
                .unwrap_or_default()
                .to_string();
            if args.json {
                json::write_line(
                    &mut out,
                    &DuplicateGroupDoc {
                        group: id,
                        articles: records.iter().map(|r| ListDoc::from(*r)).collect(),
                    },
                )?;
            } else {
                writeln!(out, "group {id} · {} articles", records.len())?;
                for record in records {
                    write!(out, "  ")?;
                    human::list_line(&mut out, record)?;
                }
                writeln!(out)?;
            }
        }
    } else {
        for record in index.articles()? {
            if args.json {
                json::write_line(&mut out, &ListDoc::from(&record))?;
            } else {
                human::list_line(&mut out, &record)?;
            }
        }
    }
    writer.print(&out.into_inner())?;
    Ok(ExitCode::SUCCESS)
}
