//! The JSON contract. These types are the wire format documented in the
//! README; they change only by adding fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::index::ArticleRecord;
use crate::search::{Facets, Filters, Hit, Mode, SearchResults};

/// `newsidx search --json`: one document per query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The batch query's id (`--queries` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub query: String,
    /// `"all"` (every article holds every word), `"most"` (too few did:
    /// articles holding some of the words follow) or `"any"` (`--any`).
    pub mode: Mode,
    pub corrections: Vec<CorrectionDoc>,
    pub warnings: Vec<String>,
    pub filters: Filters,
    pub total_hits: u64,
    pub total_articles: u64,
    /// Always true: every match is counted (articles are the unit).
    #[serde(default = "yes")]
    pub totals_exact: bool,
    pub took_ms: f64,
    pub hits: Vec<HitDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetsDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionDoc {
    pub from: String,
    pub to: String,
}

/// One hit: `--jsonl` prints these one per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HitDoc {
    pub rank: usize,
    pub score: f32,
    pub article: ArticleDoc,
    pub passage: PassageDoc,
    /// The query's words the article lacks (a partial match); empty when it
    /// holds them all.
    #[serde(default)]
    pub missing: Vec<String>,
    /// `--jsonl` only: the search's mode, on every line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

/// An article in search and `show` output: its record, and for search hits
/// its near-duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDoc {
    #[serde(flatten)]
    pub record: ArticleRecord,
    /// Search hits only: other indexed articles that are near-duplicates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
    /// Search hits only: id shared by the near-duplicate group, or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dup_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageDoc {
    pub ordinal: u64,
    pub text: String,
    /// `[start, end)` byte ranges into `text`.
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetsDoc {
    pub states: BTreeMap<String, u64>,
    pub sectors: BTreeMap<String, u64>,
    pub years: BTreeMap<String, u64>,
    #[serde(default)]
    pub orgs: BTreeMap<String, u64>,
    /// Matching articles per language (ISO 639-1).
    #[serde(default)]
    pub langs: BTreeMap<String, u64>,
}

/// `newsidx list --json`: one per line, the article's record as stored.
pub type ListDoc = ArticleRecord;

/// `newsidx stats --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsDoc {
    pub articles: u64,
    pub passages: u64,
    pub undated: u64,
    pub index_bytes: u64,
    pub states: BTreeMap<String, u64>,
    pub sectors: BTreeMap<String, u64>,
    pub years: BTreeMap<String, u64>,
    #[serde(default)]
    pub orgs: BTreeMap<String, u64>,
    /// Articles per language (ISO 639-1); `und` for those without one.
    #[serde(default)]
    pub langs: BTreeMap<String, u64>,
}

/// `newsidx list --duplicates --json`: one near-duplicate group per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateGroupDoc {
    /// The smallest article id of the group.
    pub group: String,
    pub articles: Vec<ListDoc>,
}

impl From<&ArticleRecord> for ArticleDoc {
    fn from(r: &ArticleRecord) -> Self {
        ArticleDoc {
            record: r.clone(),
            duplicates: None,
            dup_group: None,
        }
    }
}

impl From<&Hit> for HitDoc {
    fn from(h: &Hit) -> Self {
        let mut article = ArticleDoc::from(&h.article);
        article.duplicates = Some(h.duplicates);
        article.dup_group = h.dup_group.clone();
        HitDoc {
            rank: h.rank,
            score: h.score,
            article,
            passage: PassageDoc {
                ordinal: h.ordinal,
                text: h.text.clone(),
                highlights: h.highlights.clone(),
            },
            missing: h.missing.clone(),
            mode: None,
        }
    }
}

impl From<&Facets> for FacetsDoc {
    fn from(f: &Facets) -> Self {
        FacetsDoc {
            states: f.states.clone(),
            sectors: f.sectors.clone(),
            years: f.years.clone(),
            orgs: f.orgs.clone(),
            langs: f.langs.clone(),
        }
    }
}

impl SearchDoc {
    pub fn new(id: Option<String>, results: &SearchResults, filters: &Filters) -> SearchDoc {
        SearchDoc {
            id,
            query: results.query.clone(),
            mode: results.mode,
            corrections: results
                .corrections
                .iter()
                .map(|c| CorrectionDoc {
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
            warnings: results.warnings.clone(),
            filters: filters.clone(),
            total_hits: results.total_hits,
            total_articles: results.total_articles,
            totals_exact: true,
            took_ms: results.took_ms,
            hits: results.hits.iter().map(HitDoc::from).collect(),
            facets: results.facets.as_ref().map(FacetsDoc::from),
        }
    }
}

fn yes() -> bool {
    true
}

/// Writes `value` as one line of JSON. Strings stay exact; the characters
/// a terminal would obey (DEL, C1 controls, bidi controls, line separators;
/// serde_json already escapes C0) are written as `\u` escapes, so that
/// `--json` on a terminal is as safe as human output.
pub fn write_line<T: Serialize>(out: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeFormatter);
    value.serialize(&mut serializer)?;
    out.write_all(b"\n")
}

/// serde_json's compact formatter, with [`write_line`]'s extra escapes.
struct SafeFormatter;

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if super::terminal::is_unsafe(c, false) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}
