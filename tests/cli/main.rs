//! End-to-end tests of the `newsidx` binary on real files in temp dirs.

mod eval;
mod export;
mod extras;
mod harness;
mod hostile;
mod index;
mod reliability;
mod safety;
mod search;
