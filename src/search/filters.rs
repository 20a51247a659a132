//! Metadata filters (`--state`, `--sector`, `--since`, `--min-amount`…):
//! resolved against the taxonomy once, then turned into tantivy clauses that
//! are AND'ed with the words.

use std::ops::Bound;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::error::{Error, Result};
use crate::index::schema::day_to_datetime;
use crate::index::OpenIndex;
use crate::taxonomy::Taxonomy;

/// Publication dates lie in these years (see `extract`); a date bound
/// outside them bounds nothing, so `--until 9999` or `--since 1600` keep
/// every dated article.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2100;

/// Metadata filters, already resolved to canonical taxonomy values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    pub states: Vec<String>,
    pub sectors: Vec<String>,
    pub prefectures: Vec<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub undated: bool,
    /// Organisations (canonical), OR'ed.
    #[serde(default)]
    pub orgs: Vec<String>,
    /// Bounds on the article's largest money figure, in rupees, inclusive.
    #[serde(default)]
    pub min_amount: Option<u64>,
    #[serde(default)]
    pub max_amount: Option<u64>,
    /// Languages, ISO 639-1, OR'ed.
    #[serde(default)]
    pub langs: Vec<String>,
}

impl Filters {
    /// Resolves user input (any case, aliases) against the taxonomy. An unknown
    /// value is an error listing the valid ones.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve(
        taxonomy: &Taxonomy,
        states: &[String],
        sectors: &[String],
        prefectures: &[String],
        since: Option<&str>,
        until: Option<&str>,
        undated: bool,
    ) -> Result<Filters> {
        let resolve = |kind: &'static str,
                       values: &[String],
                       f: &dyn Fn(&str) -> Option<String>,
                       valid: Vec<&str>|
         -> Result<Vec<String>> {
            let mut out = Vec::new();
            for value in values.iter().flat_map(|v| v.split(',')) {
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                match f(value) {
                    Some(c) => out.push(c),
                    None => return Err(unknown(kind, value, &valid)),
                }
            }
            out.sort();
            out.dedup();
            Ok(out)
        };
        let since = since.map(|s| parse_bound(s, false)).transpose()?;
        let until = until.map(|s| parse_bound(s, true)).transpose()?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(Error::InvalidValue {
                    what: "date range",
                    value: format!("{s}..{u}"),
                    message: "--since is after --until".into(),
                });
            }
        }
        if undated && (since.is_some() || until.is_some()) {
            return Err(Error::InvalidValue {
                what: "filter",
                value: "--undated".into(),
                message: "cannot be combined with --since or --until".into(),
            });
        }
        Ok(Filters {
            states: resolve(
                "state",
                states,
                &|v| taxonomy.resolve_state(v).map(str::to_string),
                taxonomy.states(),
            )?,
            sectors: resolve(
                "sector",
                sectors,
                &|v| taxonomy.resolve_sector(v).map(str::to_string),
                taxonomy.sectors(),
            )?,
            prefectures: resolve(
                "prefecture",
                prefectures,
                &|v| taxonomy.resolve_prefecture(v).map(str::to_string),
                taxonomy.prefectures(),
            )?,
            since,
            until,
            undated,
            ..Filters::default()
        })
    }

    /// Adds `--org` values, resolved against the taxonomy's organisations.
    pub fn with_orgs(mut self, taxonomy: &Taxonomy, orgs: &[String]) -> Result<Filters> {
        for value in orgs.iter().flat_map(|v| v.split(',')) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match taxonomy.resolve_org(value) {
                Some(c) => self.orgs.push(c.to_string()),
                None => return Err(unknown("organisation", value, &taxonomy.orgs())),
            }
        }
        self.orgs.sort();
        self.orgs.dedup();
        Ok(self)
    }

    /// Adds `--lang` values: ISO 639-1 or 639-3 codes or English names
    /// ("hi", "hin", "Hindi"), kept as ISO 639-1.
    pub fn with_langs(mut self, langs: &[String]) -> Result<Filters> {
        for value in langs.iter().flat_map(|v| v.split(',')) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match crate::lang::resolve(value) {
                Some(code) => self.langs.push(code.to_string()),
                None => {
                    return Err(Error::InvalidValue {
                        what: "language",
                        value: value.to_string(),
                        message: "expected an ISO 639-1 code such as en, hi, mr, ta, te, bn, \
                                  ja (or its ISO 639-3 code, or its English name)"
                            .into(),
                    })
                }
            }
        }
        self.langs.sort();
        self.langs.dedup();
        Ok(self)
    }

    /// Adds `--min-amount` / `--max-amount` ("1000cr", "$1bn", "5e9").
    pub fn with_amounts(mut self, min: Option<&str>, max: Option<&str>) -> Result<Filters> {
        let parse = |text: &str| {
            crate::extract::amount::parse_bound(text)
                .map(|v| v.round() as u64)
                .ok_or_else(|| Error::InvalidValue {
                    what: "amount",
                    value: text.to_string(),
                    message: "expected a number of rupees or a figure such as 1000cr, 2bn, $1bn"
                        .into(),
                })
        };
        self.min_amount = min.map(parse).transpose()?;
        self.max_amount = max.map(parse).transpose()?;
        if let (Some(lo), Some(hi)) = (self.min_amount, self.max_amount) {
            if lo > hi {
                return Err(Error::InvalidValue {
                    what: "amount range",
                    value: format!("{lo}..{hi}"),
                    message: "--min-amount is above --max-amount".into(),
                });
            }
        }
        Ok(self)
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The filter clauses, to be AND'ed with a query.
    pub fn clauses(&self, index: &OpenIndex) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &index.fields;
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, values) in [
            (f.state, &self.states),
            (f.sector, &self.sectors),
            (f.prefecture, &self.prefectures),
            (f.org, &self.orgs),
            (f.lang, &self.langs),
        ] {
            if values.is_empty() {
                continue;
            }
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| (Occur::Should, term_query(Term::from_field_text(field, v))))
                .collect();
            out.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if self.since.is_some() || self.until.is_some() {
            // A bound before the first or after the last year of publication
            // dates bounds nothing on its side and excludes everything on
            // the other (tantivy's dates end in 2262).
            let day = |d: NaiveDate| Term::from_field_date(f.date, day_to_datetime(d));
            let nothing = self.since.is_some_and(|d| d.year() > LAST_YEAR)
                || self.until.is_some_and(|d| d.year() < FIRST_YEAR);
            let lower = match self.since {
                Some(d) if d.year() >= FIRST_YEAR => Bound::Included(day(d)),
                _ => Bound::Unbounded,
            };
            let upper = match self.until.and_then(|d| d.succ_opt()) {
                Some(next) if next.year() <= LAST_YEAR => Bound::Excluded(day(next)),
                _ => Bound::Unbounded,
            };
            let clause: Box<dyn Query> = if nothing {
                Box::new(tantivy::query::EmptyQuery)
            } else if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
                term_query(Term::from_field_u64(f.dated, 1))
            } else {
                Box::new(RangeQuery::new(lower, upper))
            };
            out.push((Occur::Must, clause));
        }
        if self.undated {
            out.push((Occur::Must, term_query(Term::from_field_u64(f.dated, 0))));
        }
        if self.min_amount.is_some() || self.max_amount.is_some() {
            let lower = self.min_amount.map_or(Bound::Unbounded, |v| {
                Bound::Included(Term::from_field_u64(f.amount, v))
            });
            let upper = self.max_amount.map_or(Bound::Unbounded, |v| {
                Bound::Included(Term::from_field_u64(f.amount, v))
            });
            out.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        out
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; as a lower bound the first day of the
/// period, as an upper bound the last (bounds are inclusive).
pub fn parse_bound(text: &str, upper: bool) -> Result<NaiveDate> {
    let bad = |message: &str| Error::InvalidValue {
        what: "date",
        value: text.to_string(),
        message: message.to_string(),
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let num = |s: &str| -> Result<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 4 {
            return Err(bad("expected YYYY, YYYY-MM or YYYY-MM-DD"));
        }
        s.parse()
            .map_err(|_| bad("expected YYYY, YYYY-MM or YYYY-MM-DD"))
    };
    let date = match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)? as i32;
            if upper {
                NaiveDate::from_ymd_opt(y, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(y, 1, 1)
            }
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)? as i32, num(m)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| bad("no such month"))?;
            if upper {
                first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
            } else {
                Some(first)
            }
        }
        [y, m, d] if y.len() == 4 => NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?),
        _ => return Err(bad("expected YYYY, YYYY-MM or YYYY-MM-DD")),
    };
    date.ok_or_else(|| bad("no such date"))
}

/// The error for a value the taxonomy does not know: the closest valid value
/// when one is close (a typo), else every valid value.
fn unknown(kind: &'static str, value: &str, valid: &[&str]) -> Error {
    let hint = match closest(value, valid.iter().copied()) {
        Some(best) => format!("did you mean {best}?"),
        None => format!("valid values: {}", valid.join(", ")),
    };
    Error::UnknownValue {
        kind,
        value: value.to_string(),
        hint,
    }
}

/// The name among `names` closest to `typed`, when it is close: the same
/// letters without spaces and hyphens ("Tamilnadu"), or within an edit
/// distance (transpositions counted once) of 1 up to 8 letters and 2 beyond.
pub fn closest<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let allowed = match crate::taxonomy::name_key(typed).chars().count() {
        0..=3 => return None,
        4..=8 => 1,
        _ => 2,
    };
    crate::taxonomy::nearest_name(typed, names)
        .filter(|n| n.distance <= allowed)
        .map(|n| n.name)
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}
