//! End-to-end tests of the `newsidx` binary on real files in temp dirs.

mod commands;
mod duplicates;
mod eval;
mod export;
mod extraction;
mod extras;
mod harness;
mod hostile;
mod index;
mod languages;
mod relevance;
mod reliability;
mod safety;
mod search;
mod setup;
mod snapshots;
mod walking;
mod watch;
