//! The `newsidx` binary: parse the command line, dispatch to a command, turn
//! an error into one line on stderr and an exit code (0 ok, 1 no match, 2 error).

mod cli;
mod commands;
mod complete;
mod config;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // Panics are turned into one line by `commands::run`, which says what
    // went wrong; the default hook's multi-line report would come first.
    std::panic::set_hook(Box::new(|_| {}));
    // `COMPLETE=bash newsidx -- WORDS`: answer a shell's Tab and exit.
    clap_complete::CompleteEnv::with_factory(cli::Cli::command).complete();
    let matches = cli::Cli::command().get_matches();
    let mut cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.format(&mut cli::Cli::command()).exit(),
    };
    // Config files fill in what neither the command line nor the
    // environment set.
    let settings = config::apply(&mut cli, &matches);
    match settings.and_then(|settings| commands::run(cli, settings)) {
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
