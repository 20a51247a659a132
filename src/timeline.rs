//! Timelines: how many matching articles fall in each month, quarter or year,
//! optionally split by state or sector, to see how the activity moves.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::index::OpenIndex;
use crate::search::{self, SearchRequest};
use crate::taxonomy::Taxonomy;

/// The width of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Month,
    Quarter,
    Year,
}

/// What each bucket is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    State,
    Sector,
}

/// One bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// `2025-02`, `2025-Q1` or `2025`.
    pub period: String,
    pub count: u64,
    /// Articles per state or sector (an article may count in several);
    /// empty without a split.
    pub split: BTreeMap<String, u64>,
}

/// Matching articles over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub query: String,
    pub by: Period,
    pub split: Option<Split>,
    /// Every period from the first to the last dated match, empty ones included.
    pub buckets: Vec<Bucket>,
    pub undated: u64,
    pub total_articles: u64,
}

/// Index of a period, so that consecutive periods are consecutive numbers.
fn ordinal(day: NaiveDate, by: Period) -> i64 {
    let y = i64::from(day.year());
    match by {
        Period::Month => y * 12 + i64::from(day.month0()),
        Period::Quarter => y * 4 + i64::from(day.month0() / 3),
        Period::Year => y,
    }
}

fn label(ordinal: i64, by: Period) -> String {
    match by {
        Period::Month => format!(
            "{}-{:02}",
            ordinal.div_euclid(12),
            ordinal.rem_euclid(12) + 1
        ),
        Period::Quarter => format!("{}-Q{}", ordinal.div_euclid(4), ordinal.rem_euclid(4) + 1),
        Period::Year => ordinal.to_string(),
    }
}

/// Counts the articles matching `request` (its paging is ignored) per period.
pub fn timeline(
    index: &OpenIndex,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
    by: Period,
    split: Option<Split>,
) -> Result<Timeline> {
    let searcher = index.reader.searcher();
    let prepared = search::prepare(index, &searcher, taxonomy, request, 1, 0)?;
    let articles = search::every_match(index, &searcher, &prepared)?;
    let mut counts: BTreeMap<i64, Bucket> = BTreeMap::new();
    let mut undated = 0;
    // Split values come from the fast fields of each article.
    let field = split.map(|s| match s {
        Split::State => "state",
        Split::Sector => "sector",
    });
    let mut columns = HashMap::new();
    for article in &articles {
        let Some(day) = article.date else {
            undated += 1;
            continue;
        };
        let key = ordinal(day, by);
        let bucket = counts.entry(key).or_insert_with(|| Bucket {
            period: label(key, by),
            count: 0,
            split: BTreeMap::new(),
        });
        bucket.count += 1;
        let Some(name) = field else {
            continue;
        };
        let address = article.address;
        let column = columns.entry(address.segment_ord).or_insert_with(|| {
            searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .str(name)
                .ok()
                .flatten()
        });
        let mut values = Vec::new();
        if let Some(column) = column {
            let mut value = String::new();
            for ord in column.term_ords(address.doc_id) {
                value.clear();
                if column.ord_to_str(ord, &mut value).unwrap_or(false) {
                    values.push(value.clone());
                }
            }
        }
        if values.is_empty() {
            values.push("(none)".to_string());
        }
        for v in values {
            *bucket.split.entry(v).or_default() += 1;
        }
    }
    let mut buckets = Vec::new();
    if let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) {
        for key in first..=last {
            buckets.push(counts.remove(&key).unwrap_or_else(|| Bucket {
                period: label(key, by),
                count: 0,
                split: BTreeMap::new(),
            }));
        }
    }
    Ok(Timeline {
        query: request.query.clone(),
        by,
        split,
        buckets,
        undated,
        total_articles: articles.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        let d = NaiveDate::from_ymd_opt(2025, 2, 6).unwrap();
        assert_eq!(label(ordinal(d, Period::Month), Period::Month), "2025-02");
        assert_eq!(
            label(ordinal(d, Period::Quarter), Period::Quarter),
            "2025-Q1"
        );
        assert_eq!(label(ordinal(d, Period::Year), Period::Year), "2025");
        let dec = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        assert_eq!(
            ordinal(dec, Period::Month) + 1,
            ordinal(d, Period::Month) - 1
        );
    }
}
