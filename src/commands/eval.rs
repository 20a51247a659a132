//! `newsidx eval`: measure extraction and ranking against labels.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::EvalCommand;

pub fn run(ctx: &Context, command: &EvalCommand) -> Result<ExitCode> {
    match command {
        EvalCommand::Extraction { .. } => anyhow::bail!("pending: extraction eval"),
        EvalCommand::Search { .. } => {
            anyhow::bail!("eval search is not implemented yet")
        }
    }
}
