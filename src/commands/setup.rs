//! `newsidx man`, `newsidx completions` and `newsidx config`: the commands
//! that set newsidx up rather than read the index.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::CommandFactory;
use serde::Serialize;

use crate::cli::{Cli, ManArgs, OutputArgs};
use crate::config::Setting;
use newsidx::print::terminal;

/// Prints newsidx(1) or one command's page, or writes them all.
pub fn man(args: &ManArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Builds the display names the pages are named by: newsidx-search.
    cmd.build();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir)
            .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut page = cmd;
    for name in &args.command {
        let Some(sub) = page.find_subcommand(name).cloned() else {
            let known: Vec<&str> = page.get_subcommands().map(|c| c.get_name()).collect();
            anyhow::bail!(
                "no command {:?}: one of {}",
                terminal::line(name),
                known.join(", ")
            );
        };
        page = sub;
    }
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the registration script of the dynamic completion for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    crate::complete::registration(&shell.to_string(), &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct SettingDoc<'a> {
    value: &'a str,
    source: String,
}

/// Prints each setting in effect and where it came from.
pub fn config(settings: &[Setting], args: &OutputArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.json {
        let doc: serde_json::Map<String, serde_json::Value> = settings
            .iter()
            .map(|s| {
                let doc = SettingDoc {
                    value: &s.value,
                    source: s.source.to_string(),
                };
                (
                    s.name.to_string(),
                    serde_json::to_value(doc).unwrap_or_default(),
                )
            })
            .collect();
        newsidx::print::json::write_line(&mut out, &doc)?;
    } else {
        let width = settings
            .iter()
            .map(|s| s.value.chars().count())
            .max()
            .unwrap_or(0);
        for s in settings {
            let line = format!(
                "{:<9}{:<width$}  ({})",
                s.name,
                s.value,
                s.source,
                width = width
            );
            writeln!(out, "{}", terminal::line(&line))?;
        }
        let read: Vec<String> = crate::config::candidates()
            .iter()
            .filter(|p| p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        let files = if read.is_empty() {
            "none".to_string()
        } else {
            read.join(", ")
        };
        writeln!(out, "config files read: {}", terminal::line(&files))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
