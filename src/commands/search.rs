//! `newsidx search`: one query from the command line, or a batch from a file.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use serde::Deserialize;

use newsidx::index::OpenIndex;
use newsidx::print::human::{self, Layout};
use newsidx::print::json::{self, HitDoc, SearchDoc};
use newsidx::search::{self, Filters, Mode, SearchRequest, Sort};

use newsidx::print::terminal::{self, Terminal};

use super::Context;
use crate::cli::SearchArgs;

pub fn run(ctx: &Context, args: &SearchArgs) -> Result<ExitCode> {
    if let Some(file) = &args.queries {
        return batch(ctx, args, file);
    }
    let filters = super::resolve_filters(ctx, &args.filters)?;
    let query = args.query.join(" ");
    if query.trim().is_empty() && filters.is_empty() {
        anyhow::bail!(
            "empty query: give words to search for, or a filter such as --state (see `newsidx search --help`)"
        );
    }
    let request = SearchRequest {
        query,
        any: args.any,
        strict: args.strict,
        filters,
        per_article: args.per_article as usize,
        sort: args.sort.into(),
        limit: args.limit as usize,
        offset: args.offset as usize,
        facets: args.facets,
        all_duplicates: args.all_duplicates,
    };
    let index = ctx.open_index()?;
    hint_if_stale(ctx);
    let results = search::run(&index, &ctx.taxonomy, &request)?;
    for warning in &results.warnings {
        eprintln!("newsidx: warning: {}", terminal::line(warning));
    }
    let writer = ctx.stdout();
    let mut out = Terminal::new(writer.buffer());
    if args.count {
        if args.json || args.jsonl {
            json::write_line(
                &mut out,
                &serde_json::json!({
                    "query": request.query,
                    "mode": results.mode,
                    "total_hits": results.total_hits,
                    "total_articles": results.total_articles,
                }),
            )?;
        } else {
            let mode = match results.mode {
                Mode::All => "",
                Mode::Most => " (some hold only some of the words)",
                Mode::Any => " (any word)",
            };
            let s = if results.total_articles == 1 { "" } else { "s" };
            writeln!(out, "{} article{s}{mode}", results.total_articles)?;
        }
        if args.facets && !(args.json || args.jsonl) {
            if let Some(facets) = &results.facets {
                human::write_facets(&mut out, facets, Layout::detect())?;
            }
        }
    } else if args.json {
        json::write_line(&mut out, &SearchDoc::new(None, &results, &request.filters))?;
    } else if args.jsonl {
        for hit in &results.hits {
            let mut doc = HitDoc::from(hit);
            doc.mode = Some(results.mode);
            json::write_line(&mut out, &doc)?;
        }
        if let Some(facets) = &results.facets {
            // The facets, last: a line of their own.
            json::write_line(
                &mut out,
                &serde_json::json!({ "facets": json::FacetsDoc::from(facets) }),
            )?;
        }
    } else {
        human::search(&mut out, &results, Layout::detect())?;
    }
    writer.print(&out.into_inner())?;
    Ok(exit_code(results.total_hits > 0))
}

fn exit_code(found: bool) -> ExitCode {
    if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// One hint line when the articles folder changed after the last index run.
/// Only the folder's own modification time is compared, which catches files
/// added or removed at its top level without walking it.
fn hint_if_stale(ctx: &Context) {
    let folder = std::fs::metadata(&ctx.articles).and_then(|m| m.modified());
    let index = std::fs::metadata(ctx.index.join("CURRENT")).and_then(|m| m.modified());
    let built = newsidx::index::last_commit_time(&ctx.index).or(index.ok());
    if let (Ok(folder), Some(built)) = (folder, built) {
        if folder > built {
            eprintln!(
                "newsidx: hint: {} changed since the index was built; run `newsidx index`",
                terminal::line(&ctx.articles.display().to_string())
            );
        }
    }
}

/// Accepts `"Assam"` or `["Assam", "Goa"]`.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// One line of a `--queries` file in JSON form.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchQuery {
    #[serde(default)]
    id: Option<serde_json::Value>,
    query: String,
    #[serde(default)]
    state: OneOrMany,
    #[serde(default)]
    sector: OneOrMany,
    #[serde(default)]
    prefecture: OneOrMany,
    since: Option<String>,
    until: Option<String>,
    #[serde(default)]
    undated: bool,
    #[serde(default)]
    org: OneOrMany,
    #[serde(default)]
    lang: OneOrMany,
    min_amount: Option<String>,
    max_amount: Option<String>,
    all_duplicates: Option<bool>,
    /// Accepted for old scripts: every match is always counted.
    #[allow(dead_code)]
    exact_totals: Option<bool>,
    any: Option<bool>,
    strict: Option<bool>,
    limit: Option<usize>,
    offset: Option<usize>,
    per_article: Option<usize>,
    sort: Option<Sort>,
    facets: Option<bool>,
}

/// Most queries a batch answers at once; lines that are already waiting are
/// taken up to this many and spread over the cores, and answers still come
/// out in input order.
const BATCH_CHUNK: usize = 64;

/// `--queries FILE`: the index is opened once; each query gives one JSON line
/// carrying its id. A bad line gives a JSON line with an `error` and the
/// batch goes on.
fn batch(ctx: &Context, args: &SearchArgs, file: &std::path::Path) -> Result<ExitCode> {
    let input: Box<dyn BufRead + Send> = if file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(file)
            .with_context(|| format!("cannot open queries file {}", file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let index = ctx.open_index()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .context("cannot start the batch's threads")?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut found, mut failed) = (false, false);
    // A reader thread feeds the lines, so that a script writing one query at a
    // time gets each answer at once while a file's lines are answered in
    // parallel chunks.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, std::io::Result<Line>)>(4 * BATCH_CHUNK);
    std::thread::scope(|scope| -> Result<()> {
        // Owned by this closure: however it returns (a read error, a closed
        // stdout), the receiver goes first and the reader thread, perhaps
        // blocked on a full channel, ends before the scope joins it.
        let rx = rx;
        scope.spawn(move || {
            let mut input = input;
            for i in 0.. {
                let line = read_line(&mut input);
                let stop = matches!(line, Err(_) | Ok(Line::End));
                if matches!(line, Ok(Line::End)) || tx.send((i, line)).is_err() || stop {
                    break;
                }
            }
        });
        while let Ok(first) = rx.recv() {
            let mut chunk = vec![first];
            while chunk.len() < BATCH_CHUNK {
                match rx.try_recv() {
                    Ok(next) => chunk.push(next),
                    Err(_) => break,
                }
            }
            let answers: Vec<Option<Result<SearchDoc, BatchError>>> = pool.install(|| {
                use rayon::prelude::*;
                chunk
                    .par_iter()
                    .map(|(_, line)| match line {
                        Ok(Line::Text(line)) if !line.trim().is_empty() => {
                            Some(batch_one(ctx, args, &index, line))
                        }
                        Ok(Line::Text(_)) => {
                            Some(Err((None, anyhow::anyhow!("empty line: no query"))))
                        }
                        Ok(Line::Bad(reason)) => Some(Err((None, anyhow::anyhow!("{reason}")))),
                        Ok(Line::End) | Err(_) => None,
                    })
                    .collect()
            });
            for ((i, line), answer) in chunk.into_iter().zip(answers) {
                if let Err(e) = line {
                    return Err(anyhow::Error::new(e).context(format!(
                        "{}: cannot read line {}",
                        file.display(),
                        i + 1
                    )));
                }
                if let Some(answer) = answer {
                    write_answer(&mut out, file, i + 1, answer, &mut found, &mut failed)?;
                }
            }
            out.flush()?;
        }
        Ok(())
    })?;
    human::flush(&mut out)?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        exit_code(found)
    })
}

/// Bytes of a batch line that are read; a longer line is answered with an
/// error (and the rest of it skipped), never held in memory.
const MAX_LINE: usize = 64 * 1024;

/// A line of a `--queries` input.
enum Line {
    Text(String),
    /// A line that cannot be a query: why.
    Bad(String),
    End,
}

/// The next line of `input`, without its newline. Every line gets an answer:
/// one that is not UTF-8 or longer than [`MAX_LINE`] is [`Line::Bad`].
fn read_line(input: &mut dyn BufRead) -> std::io::Result<Line> {
    let mut bytes = Vec::new();
    let mut too_long = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            if bytes.is_empty() && !too_long {
                return Ok(Line::End);
            }
            break;
        }
        let (taken, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = MAX_LINE.saturating_sub(bytes.len());
        if taken > room {
            too_long = true;
            bytes.extend_from_slice(&available[..room]);
        } else {
            bytes.extend_from_slice(&available[..taken]);
        }
        input.consume(taken);
        if done {
            break;
        }
    }
    if too_long {
        return Ok(Line::Bad(format!(
            "line longer than {} KiB: not read",
            MAX_LINE / 1024
        )));
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Line::Text(text),
        Err(e) => Line::Bad(format!(
            "not valid UTF-8 (byte {}): not read",
            e.utf8_error().valid_up_to()
        )),
    })
}

/// One line's answer, as a JSON line; `number` is its line number, the id
/// of a query that gives none.
fn write_answer(
    out: &mut dyn Write,
    file: &std::path::Path,
    number: usize,
    answer: Result<SearchDoc, BatchError>,
    found: &mut bool,
    failed: &mut bool,
) -> Result<()> {
    match answer {
        Ok(mut doc) => {
            doc.id = Some(doc.id.unwrap_or_else(|| number.to_string()));
            *found |= doc.total_hits > 0;
            json::write_line(out, &doc)?;
        }
        Err((id, err)) => {
            *failed = true;
            let id = id.unwrap_or_else(|| number.to_string());
            let line = format!("{}:{number}: {err:#}", file.display());
            eprintln!("newsidx: {}", terminal::line(&line));
            json::write_line(
                out,
                &serde_json::json!({"id": id, "error": format!("{err:#}")}),
            )?;
        }
    }
    Ok(())
}

type BatchError = (Option<String>, anyhow::Error);

fn batch_one(
    ctx: &Context,
    args: &SearchArgs,
    index: &OpenIndex,
    line: &str,
) -> Result<SearchDoc, BatchError> {
    let q: BatchQuery = if line.trim_start().starts_with('{') {
        serde_json::from_str(line)
            .map_err(|e| (None, anyhow::anyhow!("malformed query line: {e}")))?
    } else {
        BatchQuery {
            query: line.to_string(),
            ..BatchQuery::default()
        }
    };
    let id = q.id.as_ref().map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let mut states = args.filters.state.clone();
    states.extend(q.state.into_vec());
    let mut sectors = args.filters.sector.clone();
    sectors.extend(q.sector.into_vec());
    let mut prefectures = args.filters.prefecture.clone();
    prefectures.extend(q.prefecture.into_vec());
    let mut orgs = args.filters.org.clone();
    orgs.extend(q.org.into_vec());
    let mut langs = args.filters.lang.clone();
    langs.extend(q.lang.into_vec());
    let filters = Filters::resolve(
        &ctx.taxonomy,
        &states,
        &sectors,
        &prefectures,
        q.since.as_deref().or(args.filters.since.as_deref()),
        q.until.as_deref().or(args.filters.until.as_deref()),
        q.undated || args.filters.undated,
    )
    .and_then(|f| f.with_orgs(&ctx.taxonomy, &orgs))
    .and_then(|f| {
        f.with_amounts(
            q.min_amount
                .as_deref()
                .or(args.filters.min_amount.as_deref()),
            q.max_amount
                .as_deref()
                .or(args.filters.max_amount.as_deref()),
        )
    })
    .and_then(|f| f.with_langs(&langs))
    .map_err(|e| (id.clone(), e.into()))?;
    let request = SearchRequest {
        query: q.query,
        any: q.any.unwrap_or(args.any),
        strict: q.strict.unwrap_or(args.strict),
        filters,
        per_article: q
            .per_article
            .unwrap_or(args.per_article as usize)
            .clamp(1, 100),
        sort: q.sort.unwrap_or(args.sort.into()),
        limit: q.limit.unwrap_or(args.limit as usize).min(10_000),
        offset: q.offset.unwrap_or(args.offset as usize),
        facets: q.facets.unwrap_or(args.facets),
        all_duplicates: q.all_duplicates.unwrap_or(args.all_duplicates),
    };
    let results =
        search::run(index, &ctx.taxonomy, &request).map_err(|e| (id.clone(), e.into()))?;
    Ok(SearchDoc::new(id, &results, &request.filters))
}
