//! Facets: how many matched articles fall under each state, sector,
//! organisation, language and year.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use serde::Serialize;
use tantivy::{DocAddress, Searcher};

use super::collect::Match;

/// Counts of matching articles per value.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    pub states: BTreeMap<String, u64>,
    pub sectors: BTreeMap<String, u64>,
    pub years: BTreeMap<String, u64>,
    pub orgs: BTreeMap<String, u64>,
    pub langs: BTreeMap<String, u64>,
}

/// The facets of `matches`, from the fast fields of their documents.
pub fn facets(searcher: &Searcher, matches: &[Match]) -> tantivy::Result<Facets> {
    let mut out = Facets::default();
    let mut by_segment: HashMap<u32, Vec<DocAddress>> = HashMap::new();
    for m in matches {
        by_segment
            .entry(m.address.segment_ord)
            .or_default()
            .push(m.address);
        let year = m
            .date
            .map_or_else(|| "undated".to_string(), |d| d.year().to_string());
        *out.years.entry(year).or_default() += 1;
    }
    for (segment_ord, addresses) in by_segment {
        let fast = searcher.segment_reader(segment_ord).fast_fields();
        for (name, map) in [
            ("state", &mut out.states),
            ("sector", &mut out.sectors),
            ("org", &mut out.orgs),
            ("lang", &mut out.langs),
        ] {
            let Some(column) = fast.str(name)? else {
                continue;
            };
            let mut value = String::new();
            for address in &addresses {
                for ord in column.term_ords(address.doc_id) {
                    value.clear();
                    if column.ord_to_str(ord, &mut value).unwrap_or(false) {
                        *map.entry(value.clone()).or_default() += 1;
                    }
                }
            }
        }
    }
    Ok(out)
}
