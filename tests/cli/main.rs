//! End-to-end tests of the `newsidx` binary on real files in temp dirs.

mod eval;
mod harness;
mod index;
mod reliability;
mod search;
