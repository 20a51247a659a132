//! The `newsidx` binary: parse the command line, dispatch to a command, turn
//! an error into one line on stderr and an exit code (0 ok, 1 no match, 2 error).

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Panics are turned into one line by `commands::run`, which says what
    // went wrong; the default hook's multi-line report would come first.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Paths, file names and index damage reach this line: shown
            // terminal-safe, and on one line whatever the causes hold.
            let message = format!("{err:#}");
            eprintln!("newsidx: {}", newsidx::print::terminal::line(&message));
            ExitCode::from(2)
        }
    }
}

/// `newsidx search x | head -1` closes the pipe early: that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
