//! Shell completion: clap_complete's dynamic engine (`COMPLETE=bash
//! newsidx`), so that `--state`, `--sector`, `--prefecture` and `--org`
//! offer the values of the taxonomy in use — a user's own taxonomy included,
//! which a script generated once could not know — and `show` offers the
//! indexed paths.
//!
//! The candidates are read from the index and taxonomy that the environment
//! and config files name (the command line being completed is not parsed):
//! a failure offers nothing rather than printing into the user's prompt.

use clap_complete::engine::CompletionCandidate;

use newsidx::taxonomy::Taxonomy;

/// The taxonomy a command would use: the one named, else the one the index
/// was built with, else the built-in one.
fn taxonomy() -> Taxonomy {
    let (index, named) = crate::config::quiet_defaults();
    let file = named.or_else(|| newsidx::index::built_with_taxonomy(&index).map(|(f, _)| f));
    file.and_then(|f| Taxonomy::load(&f).ok())
        .unwrap_or_else(Taxonomy::builtin)
}

fn candidates<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<CompletionCandidate> {
    values.into_iter().map(CompletionCandidate::new).collect()
}

pub fn states() -> Vec<CompletionCandidate> {
    candidates(taxonomy().states())
}

pub fn sectors() -> Vec<CompletionCandidate> {
    candidates(taxonomy().sectors())
}

pub fn prefectures() -> Vec<CompletionCandidate> {
    candidates(taxonomy().prefectures())
}

pub fn orgs() -> Vec<CompletionCandidate> {
    candidates(taxonomy().orgs())
}

/// The paths `list` shows, for `show`; with the title as help where the
/// shell shows it (zsh, fish).
pub fn indexed_paths() -> Vec<CompletionCandidate> {
    let (index, _) = crate::config::quiet_defaults();
    let Ok(open) = newsidx::index::open(&index) else {
        return Vec::new();
    };
    let Ok(records) = open.articles() else {
        return Vec::new();
    };
    records
        .into_iter()
        .map(|r| {
            let title = newsidx::print::terminal::line(&r.meta.title).into_owned();
            CompletionCandidate::new(r.path).help(Some(title.into()))
        })
        .collect()
}

/// The script that registers the completion of `newsidx` with `shell`: it
/// runs `COMPLETE=SHELL newsidx -- WORDS…` at each Tab.
pub fn registration(shell: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let shells = clap_complete::env::Shells::builtins();
    let Some(completer) = shells.completer(shell) else {
        return Err(std::io::Error::other(format!(
            "no completion for the shell {shell}"
        )));
    };
    completer.write_registration("COMPLETE", "newsidx", "newsidx", "newsidx", out)
}
