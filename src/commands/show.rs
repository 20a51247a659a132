//! `newsidx show`: one article's metadata and cleaned text, rebuilt from its
//! stored passages.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use newsidx::print::human;
use newsidx::print::json::{self, ArticleDoc};

use newsidx::print::terminal::{self, Terminal};

use super::Context;
use crate::cli::ShowArgs;

#[derive(Serialize)]
struct ShowDoc {
    article: ArticleDoc,
    url: Option<String>,
    passages: Vec<String>,
}

pub fn run(ctx: &Context, args: &ShowArgs) -> Result<ExitCode> {
    let index = ctx.open_index()?;
    let wanted = args.article.trim_start_matches("./");
    let records = index.articles()?;
    let found = records.iter().find(|r| r.id == wanted || r.path == wanted);
    let record = match found {
        Some(record) => record,
        None => {
            // A path given with the articles folder in front, or a bare file name.
            let matches: Vec<&newsidx::index::ArticleRecord> = records
                .iter()
                .filter(|r| {
                    wanted.ends_with(&format!("/{}", r.path))
                        || r.path.ends_with(&format!("/{wanted}"))
                })
                .collect();
            match matches[..] {
                [record] => record,
                [] => anyhow::bail!(
                    "no indexed article has the path or id {:?} (see `newsidx list`)",
                    args.article
                ),
                _ => anyhow::bail!(
                    "{:?} is ambiguous: it names {}; give the path or the id of one",
                    args.article,
                    matches
                        .iter()
                        .map(|r| format!("{} (id {})", r.path, r.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    };
    let passages = index.passages_of(record)?;
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.json {
        json::write_line(
            &mut out,
            &ShowDoc {
                article: ArticleDoc::from(record),
                url: record.url.clone(),
                passages,
            },
        )?;
    } else {
        human::list_line(&mut out, record)?;
        writeln!(out, "id {}", record.id)?;
        if let Some(url) = &record.url {
            writeln!(out, "url {}", terminal::line(url))?;
        }
        writeln!(out)?;
        for passage in passages {
            for line in passage.lines() {
                human::wrap_highlighted(&mut out, line, &[], "", human::Layout::detect().width)?;
            }
            writeln!(out)?;
        }
    }
    writer.print(&out.into_inner())?;
    Ok(ExitCode::SUCCESS)
}
