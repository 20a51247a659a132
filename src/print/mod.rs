//! Printers: search results and index listings to a terminal ([`human`]) or to
//! scripts ([`json`]). They write to any `impl Write`, so tests capture them.

pub mod human;
pub mod json;
pub mod terminal;
