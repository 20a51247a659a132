//! Ranking evaluation: run a query set with graded relevance through the same
//! code path as `newsidx search` and score it at article level.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::OpenIndex;
use crate::search::{self, Filters, SearchRequest};
use crate::taxonomy::Taxonomy;

/// Ranks scored: nDCG@10.
pub const DEPTH: usize = 10;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryFilters {
    #[serde(default, deserialize_with = "one_or_many")]
    state: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    sector: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    prefecture: Vec<String>,
    since: Option<String>,
    until: Option<String>,
    #[serde(default)]
    undated: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledQuery {
    id: String,
    query: String,
    #[serde(default)]
    filters: QueryFilters,
    /// File name or article path → grade (1 relevant, 2 highly relevant).
    relevant: BTreeMap<String, u8>,
}

/// A filter value given as `"Assam"` or `["Assam", "Goa"]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Scores of one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryScore {
    pub id: String,
    pub query: String,
    pub ndcg: f64,
    pub reciprocal_rank: f64,
    /// Share of the relevant articles found in the first [`DEPTH`].
    pub recall: f64,
    /// Ranked article paths, as searched.
    pub ranked: Vec<String>,
}

/// Scores of a query set.
#[derive(Debug, Clone, Serialize)]
pub struct SearchReport {
    pub queries: Vec<QueryScore>,
    pub ndcg: f64,
    pub mrr: f64,
    /// Mean recall@10.
    pub recall: f64,
    /// Labelled relevant files that are not in the index: they count as
    /// not found, which is only right if they were meant to be left out.
    pub not_indexed: Vec<String>,
}

/// Runs every query of `queries` (JSON lines) against `index`.
pub fn evaluate_search(
    index: &OpenIndex,
    taxonomy: &Taxonomy,
    queries: &Path,
) -> Result<SearchReport> {
    let text = std::fs::read_to_string(queries).map_err(|e| Error::io(queries, e))?;
    let indexed: std::collections::BTreeSet<String> = index
        .articles()?
        .into_iter()
        .flat_map(|r| {
            let file = r.path.rsplit('/').next().unwrap_or(&r.path).to_string();
            [r.path, file]
        })
        .collect();
    let mut not_indexed = std::collections::BTreeSet::new();
    let mut scores = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| Error::Labels {
            path: queries.to_path_buf(),
            line: i + 1,
            message,
        };
        let q: LabelledQuery =
            serde_json::from_str(line).map_err(|e| bad(format!("malformed query: {e}")))?;
        let filters = Filters::resolve(
            taxonomy,
            &q.filters.state,
            &q.filters.sector,
            &q.filters.prefecture,
            q.filters.since.as_deref(),
            q.filters.until.as_deref(),
            q.filters.undated,
        )
        .map_err(|e| bad(e.to_string()))?;
        let request = SearchRequest {
            query: q.query.clone(),
            filters,
            limit: DEPTH,
            ..SearchRequest::default()
        };
        let results = search::run(index, taxonomy, &request)?;
        let ranked: Vec<String> = results
            .hits
            .iter()
            .map(|h| h.article.path.clone())
            .collect();
        let grades: Vec<u8> = ranked.iter().map(|p| grade(&q.relevant, p)).collect();
        let relevant = q.relevant.values().filter(|&&g| g > 0).count();
        let found = grades.iter().take(DEPTH).filter(|&&g| g > 0).count();
        not_indexed.extend(
            q.relevant
                .keys()
                .filter(|f| !indexed.contains(f.as_str()))
                .cloned(),
        );
        scores.push(QueryScore {
            id: q.id,
            query: q.query,
            ndcg: ndcg(&grades, q.relevant.values().copied().collect()),
            reciprocal_rank: reciprocal_rank(&grades),
            recall: if relevant == 0 {
                0.0
            } else {
                found as f64 / relevant as f64
            },
            ranked,
        });
    }
    let n = scores.len().max(1) as f64;
    Ok(SearchReport {
        ndcg: scores.iter().map(|s| s.ndcg).sum::<f64>() / n,
        mrr: scores.iter().map(|s| s.reciprocal_rank).sum::<f64>() / n,
        recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        queries: scores,
        not_indexed: not_indexed.into_iter().collect(),
    })
}

/// The grade of an article path: labels may name the path or just the file.
fn grade(relevant: &BTreeMap<String, u8>, path: &str) -> u8 {
    let file = path.rsplit('/').next().unwrap_or(path);
    relevant
        .get(path)
        .or_else(|| relevant.get(file))
        .copied()
        .unwrap_or(0)
}

/// nDCG with gains 2^grade − 1 and log2 discounts, over the first [`DEPTH`] ranks.
pub fn ndcg(grades: &[u8], mut all: Vec<u8>) -> f64 {
    let dcg = |g: &[u8]| -> f64 {
        g.iter()
            .take(DEPTH)
            .enumerate()
            .map(|(i, &g)| (2f64.powi(i32::from(g)) - 1.0) / ((i + 2) as f64).log2())
            .sum()
    };
    all.sort_unstable_by(|a, b| b.cmp(a));
    let ideal = dcg(&all);
    if ideal == 0.0 {
        0.0
    } else {
        dcg(grades) / ideal
    }
}

fn reciprocal_rank(grades: &[u8]) -> f64 {
    grades
        .iter()
        .take(DEPTH)
        .position(|&g| g > 0)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

impl SearchReport {
    pub fn write_human(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let width = self
            .queries
            .iter()
            .map(|q| q.id.len())
            .max()
            .unwrap_or(5)
            .max(5);
        // `+ 0.0` turns a negative zero into zero: never print "-0.000".
        writeln!(out, "{:width$}  nDCG@10    RR  R@10  query", "id")?;
        for q in &self.queries {
            writeln!(
                out,
                "{:width$}  {:>7.3} {:>5.2} {:>5.2}  {}",
                q.id,
                q.ndcg + 0.0,
                q.reciprocal_rank + 0.0,
                q.recall + 0.0,
                q.query
            )?;
        }
        writeln!(
            out,
            "{:width$}  {:>7.3} {:>5.2} {:>5.2}  ({} queries)",
            "all",
            self.ndcg + 0.0,
            self.mrr + 0.0,
            self.recall + 0.0,
            self.queries.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_and_rr() {
        assert!((ndcg(&[2, 1, 0], vec![2, 1]) - 1.0).abs() < 1e-9);
        assert!(ndcg(&[0, 0], vec![2]) == 0.0);
        let swapped = ndcg(&[1, 2], vec![2, 1]);
        assert!(swapped > 0.7 && swapped < 1.0, "{swapped}");
        assert_eq!(reciprocal_rank(&[0, 0, 1]), 1.0 / 3.0);
        assert_eq!(reciprocal_rank(&[0, 0]), 0.0);
    }
}
