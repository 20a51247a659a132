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
    /// The passage a `PATH#N` locator named.
    #[serde(skip_serializing_if = "Option::is_none")]
    focus: Option<usize>,
}

pub fn run(ctx: &Context, args: &ShowArgs) -> Result<ExitCode> {
    let index = ctx.open_index()?;
    // `PATH#N`, as search prints it: passage N of the article at PATH
    // (unless a file is named so).
    let records = index.articles()?;
    let typed = args.article.trim_start_matches("./");
    let (wanted, focus) = if records.iter().any(|r| r.path == typed) {
        (typed, None)
    } else {
        locator(typed)
    };
    let record = find(&records, wanted, &args.article)?;
    if args.explain {
        return explain(ctx, record, args.json);
    }
    let passages = index.passages_of(record)?;
    if let Some(n) = focus {
        if n >= passages.len() {
            anyhow::bail!(
                "{} has {} passage{} (#0 to #{}), not #{n}",
                record.path,
                passages.len(),
                if passages.len() == 1 { "" } else { "s" },
                passages.len().saturating_sub(1)
            );
        }
    }
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.json {
        json::write_line(
            &mut out,
            &ShowDoc {
                article: ArticleDoc::from(record),
                url: record.url.clone(),
                passages,
                focus,
            },
        )?;
    } else {
        human::list_line(&mut out, record)?;
        writeln!(out, "id {}", record.id)?;
        if let Some(url) = &record.url {
            writeln!(out, "url {}", terminal::line(url))?;
        }
        writeln!(out)?;
        // With a locator: that passage in context, the one before and after.
        let shown = match focus {
            Some(n) => n.saturating_sub(1)..(n + 2).min(passages.len()),
            None => 0..passages.len(),
        };
        let width = human::Layout::detect().width;
        for (i, passage) in passages
            .iter()
            .enumerate()
            .skip(shown.start)
            .take(shown.len())
        {
            if focus.is_some() {
                let mark = if Some(i) == focus { "▶" } else { " " };
                writeln!(out, "{mark} {}#{i}", terminal::line(&record.path))?;
            }
            for line in passage.lines() {
                human::wrap_highlighted(&mut out, line, &[], "", width)?;
            }
            writeln!(out)?;
        }
    }
    writer.print(&out.into_inner())?;
    Ok(ExitCode::SUCCESS)
}

/// `PATH#N` split into the path and the passage number; anything else is a
/// path or id as it is.
fn locator(text: &str) -> (&str, Option<usize>) {
    match text.rsplit_once('#') {
        Some((path, n))
            if !path.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match n.parse() {
                Ok(n) => (path, Some(n)),
                Err(_) => (text, None),
            }
        }
        _ => (text, None),
    }
}

/// The article `wanted` names: its id, its path, a unique prefix of its id
/// (four hex digits or more), or its path with the articles folder in front
/// or only its end (a bare file name).
fn find<'a>(
    records: &'a [newsidx::index::ArticleRecord],
    wanted: &str,
    typed: &str,
) -> Result<&'a newsidx::index::ArticleRecord> {
    if let Some(r) = records.iter().find(|r| r.id == wanted || r.path == wanted) {
        return Ok(r);
    }
    let is_prefix = wanted.len() >= 4 && wanted.bytes().all(|b| b.is_ascii_hexdigit());
    let matches: Vec<&newsidx::index::ArticleRecord> = if is_prefix {
        records
            .iter()
            .filter(|r| r.id.starts_with(&wanted.to_ascii_lowercase()))
            .collect()
    } else {
        Vec::new()
    };
    let matches = if matches.is_empty() {
        records
            .iter()
            .filter(|r| {
                wanted.ends_with(&format!("/{}", r.path)) || r.path.ends_with(&format!("/{wanted}"))
            })
            .collect()
    } else {
        matches
    };
    match matches[..] {
        [record] => Ok(record),
        [] => anyhow::bail!(
            "no indexed article has the path or id {:?} (see `newsidx list`)",
            terminal::line(typed)
        ),
        _ => anyhow::bail!(
            "{:?} is ambiguous: it names {}; give the path or the id of one",
            terminal::line(typed),
            matches
                .iter()
                .map(|r| format!("{} (id {})", terminal::line(&r.path), r.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `show --explain`: runs cleaning and extraction again on the article's file
/// and prints why they decided what they did.
fn explain(
    ctx: &Context,
    record: &newsidx::index::ArticleRecord,
    as_json: bool,
) -> Result<ExitCode> {
    let path = ctx.articles.join(&record.file);
    let read = newsidx::read::read_file(&path, &record.file)
        .map_err(|p| anyhow::anyhow!("{p}; cannot explain it"))?;
    let Some(raw) = read
        .articles
        .into_iter()
        .find(|a| a.display_path() == record.path)
    else {
        anyhow::bail!("{}: the file no longer holds this article", record.path);
    };
    let e = newsidx::explain(raw, &ctx.taxonomy, ctx.today);
    let writer = ctx.stdout();
    let mut out = writer.buffer();
    if as_json {
        let problems: Vec<String> = read
            .warnings
            .iter()
            .chain(&e.problems)
            .map(ToString::to_string)
            .collect();
        let dropped: Vec<serde_json::Value> = e
            .dropped
            .iter()
            .map(|(text, rule)| serde_json::json!({"text": text, "rule": rule}))
            .collect();
        json::write_line(
            &mut out,
            &serde_json::json!({
                "path": record.path,
                "title": e.article.as_ref().map(|a| a.metadata.title.clone()),
                "explanation": e.extraction,
                "given": e.given,
                "problems": problems,
                "dropped": dropped,
            }),
        )?;
        writer.print(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let x = &e.extraction;
    writeln!(out, "{}", visible(&record.path))?;
    if let Some(a) = &e.article {
        writeln!(out, "title    {} ({})", visible(&a.metadata.title), x.title)?;
    }
    for w in &read.warnings {
        writeln!(out, "problem  {}", visible(&w.to_string()))?;
    }
    for p in &e.problems {
        writeln!(out, "problem  {}", visible(&p.to_string()))?;
    }
    for g in &e.given {
        writeln!(out, "given    {}", visible(g))?;
    }
    writeln!(out, "lang     {}", visible(&x.lang))?;
    writeln!(out, "\ndate")?;
    for n in &x.date {
        writeln!(out, "  {}", visible(n))?;
    }
    for (name, choices) in [
        ("states", &x.states),
        ("sectors", &x.sectors),
        ("prefectures", &x.prefectures),
    ] {
        writeln!(out, "\n{name}")?;
        if choices.is_empty() {
            writeln!(out, "  (no mention)")?;
        }
        for c in choices {
            writeln!(
                out,
                "  {} {} ({:.2} points)",
                if c.chosen { "+" } else { "-" },
                visible(&c.value),
                c.score
            )?;
            for ev in &c.evidence {
                writeln!(out, "      {}", visible(ev))?;
            }
        }
    }
    writeln!(out, "\namount")?;
    if x.amount.is_empty() {
        writeln!(out, "  no money figure")?;
    }
    for n in &x.amount {
        writeln!(out, "  {}", visible(n))?;
    }
    writeln!(out, "\ndropped by cleaning")?;
    if e.dropped.is_empty() {
        writeln!(out, "  nothing")?;
    }
    for (text, rule) in &e.dropped {
        writeln!(out, "  [{}] {}", rule, visible(text))?;
    }
    writer.print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Text with control and bidi-override characters shown as escapes: the
/// explanation quotes scraped text, which must not control the terminal.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
