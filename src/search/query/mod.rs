//! The query: its language ([`parse`]) and its compilation against an index
//! ([`compile`]) into the plan a search runs.

mod compile;
mod exclude;
mod parse;

pub use compile::{every_article, Compiler, Correction, Group, Leaf, Plan};
pub use parse::{parse, Clause, FieldName, Node, Occurrence, ParsedQuery, MAX_WORDS};
