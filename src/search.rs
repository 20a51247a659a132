//! Search: a [`SearchRequest`] becomes ranked passage [`Hit`]s, grouped by
//! article, with highlights, corrections and facets. Returns data only; the
//! printers in [`crate::print`] format it.

pub mod collect;
pub mod query;

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::dedup::Signature;
use crate::error::{Error, Result};
use crate::index::schema::{KIND_ARTICLE, KIND_PASSAGE};
use crate::index::writer::day_to_datetime;
use crate::index::{signature_at, ArticleRecord, OpenIndex};
use crate::taxonomy::Taxonomy;
pub use query::{Correction, Mode};

/// How results are ordered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best passage score first.
    #[default]
    Relevance,
    /// Newest article first; relevance breaks ties; undated last.
    Date,
    /// Largest money figure first; relevance breaks ties; none last.
    Amount,
}

/// Metadata filters, already resolved to canonical taxonomy values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
                    None => {
                        return Err(Error::UnknownValue {
                            kind,
                            value: value.to_string(),
                            valid: valid.join(", "),
                        })
                    }
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
                None => {
                    return Err(Error::UnknownValue {
                        kind: "organisation",
                        value: value.to_string(),
                        valid: taxonomy.orgs().join(", "),
                    })
                }
            }
        }
        self.orgs.sort();
        self.orgs.dedup();
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
            let bound = |d: Option<NaiveDate>, upper: bool| match d {
                None => Bound::Unbounded,
                Some(d) if upper => match d.succ_opt() {
                    Some(next) => {
                        Bound::Excluded(Term::from_field_date(f.date, day_to_datetime(next)))
                    }
                    None => Bound::Unbounded,
                },
                Some(d) => Bound::Included(Term::from_field_date(f.date, day_to_datetime(d))),
            };
            out.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(self.since, false),
                    bound(self.until, true),
                )),
            ));
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

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Any word may match, instead of every word.
    pub any: bool,
    pub filters: Filters,
    /// Best passages shown per article.
    pub per_article: usize,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    /// Show every near-duplicate instead of one article per group.
    pub all_duplicates: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            any: false,
            filters: Filters::default(),
            per_article: 1,
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            facets: false,
            all_duplicates: false,
        }
    }
}

/// A matched passage with its article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article: ArticleRecord,
    pub ordinal: u64,
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Other indexed articles that are near-duplicates of this one.
    pub duplicates: u64,
    /// The id shared by the article's near-duplicate group, if it has one.
    pub dup_group: Option<String>,
}

/// Counts of matching articles per value.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    pub states: BTreeMap<String, u64>,
    pub sectors: BTreeMap<String, u64>,
    pub years: BTreeMap<String, u64>,
    pub orgs: BTreeMap<String, u64>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub mode: Mode,
    pub corrections: Vec<Correction>,
    /// Problems with the query that were worked around.
    pub warnings: Vec<String>,
    pub total_hits: u64,
    pub total_articles: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

/// Every matching article, before ordering and paging.
pub struct Matches {
    pub collected: collect::Collected,
    compiled: query::Compiled,
    pub mode: Mode,
    pub warnings: Vec<String>,
}

/// Parses, compiles and collects: every word first, then any word when no
/// passage has them all.
pub fn matches(
    index: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
) -> Result<Matches> {
    let parsed = query::parse(&request.query);
    let mut warnings = parsed.warnings.clone();
    let compiler = query::Compiler::new(index, searcher, taxonomy);
    let mut mode = if request.any { Mode::Any } else { Mode::All };
    let mut compiled = compiler.compile(&parsed, mode);
    if compiled.empty && !request.query.trim().is_empty() {
        // Searching for "- + ( )" or "!!!" is not a search for everything.
        let shown: String = request.query.chars().take(40).collect();
        return Err(Error::InvalidValue {
            what: "query",
            value: if shown.len() < request.query.len() {
                format!("{shown}…")
            } else {
                shown
            },
            message: "nothing to search for: it has only operators, punctuation, symbols \
                      or words over 40 letters; give words, or filters alone such as --state"
                .into(),
        });
    }
    warnings.append(&mut compiled.warnings);
    let mut collected = collect_hits(index, searcher, &compiled.query, request)?;
    if collected.total_hits == 0 && mode == Mode::All && parsed.has_optional_alternatives() {
        mode = Mode::Any;
        let mut any = compiler.compile(&parsed, mode);
        any.warnings.clear();
        compiled = any;
        collected = collect_hits(index, searcher, &compiled.query, request)?;
        if collected.total_hits > 0 {
            warnings.push("no passage has every word; showing passages with any of them".into());
        }
    }
    Ok(Matches {
        collected,
        compiled,
        mode,
        warnings,
    })
}

/// Runs one search.
pub fn run(
    index: &OpenIndex,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = index.reader.searcher();
    let Matches {
        collected,
        compiled,
        mode,
        warnings,
    } = matches(index, &searcher, taxonomy, request)?;
    let corrections = compiled.corrections.clone();

    // Order articles, then page: only the head that can be shown is sorted.
    let mut articles = collected.articles;
    let head = request
        .offset
        .saturating_add(request.limit)
        .saturating_mul(2)
        .saturating_add(16);
    let order = |a: &collect::ArticleHits, b: &collect::ArticleHits| compare(request.sort, a, b);
    if articles.len() > head {
        articles.select_nth_unstable_by(head, order);
        articles[..head].sort_by(order);
    } else {
        articles.sort_by(order);
    }
    let facets = if request.facets {
        Some(facets(index, &searcher, &articles)?)
    } else {
        None
    };
    let total_articles = articles.len() as u64;
    let page = page(index, &searcher, articles, head, request)?;

    let mut snippets = match &compiled.highlight {
        Some(q) => Some(
            SnippetGenerator::create(&searcher, q.as_ref(), index.fields.text)
                .map_err(|e| index.tantivy(e))?,
        ),
        None => None,
    };
    let mut hits = Vec::new();
    for (article, shown) in page {
        let (duplicates, dup_group) = near_duplicates(index, &searcher, &shown)?;
        let record = shown.record;
        for &(score, address) in &article.passages {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| index.tantivy(e))?;
            let text = doc
                .get_first(index.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let ordinal = doc
                .get_first(index.fields.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or_default();
            let highlights = match snippets.as_mut() {
                Some(generator) => {
                    // A fragment as long as the passage covers it whole, from
                    // offset 0, so the ranges index into `text` directly.
                    generator.set_max_num_chars(text.len() + 1);
                    generator
                        .snippet(&text)
                        .highlighted()
                        .iter()
                        .map(|r| [r.start, r.end])
                        .collect()
                }
                None => Vec::new(),
            };
            hits.push(Hit {
                rank: request.offset + hits.len() + 1,
                score,
                article: record.clone(),
                ordinal,
                text,
                highlights,
                duplicates,
                dup_group: dup_group.clone(),
            });
        }
    }
    Ok(SearchResults {
        query: request.query.clone(),
        mode,
        corrections,
        warnings,
        total_hits: collected.total_hits,
        total_articles,
        took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        hits,
        facets,
    })
}

fn collect_hits(
    index: &OpenIndex,
    searcher: &Searcher,
    text_query: &dyn Query,
    request: &SearchRequest,
) -> Result<collect::Collected> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, text_query.box_clone()),
        (
            Occur::Must,
            term_query(Term::from_field_u64(index.fields.kind, KIND_PASSAGE)),
        ),
    ];
    clauses.extend(request.filters.clauses(index));
    let query = BooleanQuery::new(clauses);
    let collector = collect::ArticleCollector {
        per_article: request.per_article.max(1),
    };
    searcher
        .search(&query, &collector)
        .map_err(|e| index.tantivy(e))
}

/// The order of articles for `sort`; the article id breaks ties, so that
/// results are the same on every run.
fn compare(sort: Sort, a: &collect::ArticleHits, b: &collect::ArticleHits) -> std::cmp::Ordering {
    let relevance = b.best().total_cmp(&a.best());
    match sort {
        Sort::Relevance => relevance,
        Sort::Date => b.date.cmp(&a.date).then(relevance),
        Sort::Amount => b.amount.cmp(&a.amount).then(relevance),
    }
    .then(a.aid.cmp(&b.aid))
}

/// An article document: its record, signature and address.
struct ShownArticle {
    record: ArticleRecord,
    aid: u64,
    signature: Option<Signature>,
}

/// The article document of `aid`.
fn article_doc(index: &OpenIndex, searcher: &Searcher, aid: u64) -> Result<ShownArticle> {
    let query = BooleanQuery::new(vec![
        (
            Occur::Must,
            term_query(Term::from_field_u64(index.fields.aid, aid)),
        ),
        (
            Occur::Must,
            term_query(Term::from_field_u64(index.fields.kind, KIND_ARTICLE)),
        ),
    ]);
    let docs = searcher
        .search(&query, &tantivy::collector::DocSetCollector)
        .map_err(|e| index.tantivy(e))?;
    let address = docs.into_iter().next().ok_or_else(|| Error::DamagedIndex {
        path: index.root.clone(),
        message: format!("passage of article {aid:016x} has no article record"),
    })?;
    let doc: TantivyDocument = searcher.doc(address).map_err(|e| index.tantivy(e))?;
    Ok(ShownArticle {
        record: index.record_of(&doc)?,
        aid,
        signature: signature_at(searcher, address),
    })
}

/// The page of articles to show: past `offset`, at most `limit`, and unless
/// `all_duplicates`, one article per near-duplicate group (the best ranked).
fn page(
    index: &OpenIndex,
    searcher: &Searcher,
    mut articles: Vec<collect::ArticleHits>,
    sorted: usize,
    request: &SearchRequest,
) -> Result<Vec<(collect::ArticleHits, ShownArticle)>> {
    let mut kept: Vec<(collect::ArticleHits, ShownArticle)> = Vec::new();
    let mut seen: Vec<Signature> = Vec::new();
    let mut skipped = 0;
    let mut i = 0;
    while i < articles.len() && kept.len() < request.limit {
        if i == sorted {
            // Duplicates used up the sorted head: order the rest too.
            articles[i..].sort_by(|a, b| compare(request.sort, a, b));
        }
        let article = articles[i].clone();
        i += 1;
        let shown = article_doc(index, searcher, article.aid)?;
        if !request.all_duplicates {
            if let Some(sig) = shown.signature {
                if seen.iter().any(|s| s.is_duplicate(&sig)) {
                    continue;
                }
                seen.push(sig);
            }
        }
        if skipped < request.offset {
            skipped += 1;
            continue;
        }
        kept.push((article, shown));
    }
    Ok(kept)
}

/// How many other indexed articles are near-duplicates of `shown`, and the
/// group id: the smallest article id among them and itself.
fn near_duplicates(
    index: &OpenIndex,
    searcher: &Searcher,
    shown: &ShownArticle,
) -> Result<(u64, Option<String>)> {
    let Some(sig) = shown.signature else {
        return Ok((0, None));
    };
    let bands: Vec<(Occur, Box<dyn Query>)> = sig
        .bands()
        .map(|b| {
            (
                Occur::Should,
                term_query(Term::from_field_u64(index.fields.simband, b)),
            )
        })
        .collect();
    let query = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(BooleanQuery::new(bands)) as Box<dyn Query>,
        ),
        (
            Occur::Must,
            term_query(Term::from_field_u64(index.fields.kind, KIND_ARTICLE)),
        ),
    ]);
    let candidates = searcher
        .search(&query, &tantivy::collector::DocSetCollector)
        .map_err(|e| index.tantivy(e))?;
    let mut count = 0;
    let mut group = shown.aid;
    for address in candidates {
        let segment = searcher.segment_reader(address.segment_ord);
        let Ok(aids) = segment.fast_fields().u64("aid") else {
            continue;
        };
        let Some(aid) = aids.first(address.doc_id) else {
            continue;
        };
        if aid == shown.aid {
            continue;
        }
        if signature_at(searcher, address).is_some_and(|s| s.is_duplicate(&sig)) {
            count += 1;
            group = group.min(aid);
        }
    }
    Ok((count, (count > 0).then(|| format!("{group:016x}"))))
}

/// Counts matched articles per state, sector and year, from the fast fields of
/// each article's best passage.
fn facets(
    index: &OpenIndex,
    searcher: &Searcher,
    articles: &[collect::ArticleHits],
) -> Result<Facets> {
    let mut out = Facets::default();
    let mut by_segment: HashMap<u32, Vec<DocAddress>> = HashMap::new();
    for a in articles {
        if let Some(&(_, address)) = a.passages.first() {
            by_segment
                .entry(address.segment_ord)
                .or_default()
                .push(address);
        }
    }
    let err = |e| index.tantivy(e);
    for (segment_ord, addresses) in by_segment {
        let segment = searcher.segment_reader(segment_ord);
        let fast = segment.fast_fields();
        for (name, map) in [
            ("state", &mut out.states),
            ("sector", &mut out.sectors),
            ("org", &mut out.orgs),
        ] {
            let Some(column) = fast.str(name).map_err(err)? else {
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
        let dates = fast.date("date").map_err(err)?;
        for address in &addresses {
            let year = dates
                .first(address.doc_id)
                .and_then(crate::index::writer::datetime_to_day)
                .map_or_else(|| "undated".to_string(), |d| d.year().to_string());
            *out.years.entry(year).or_default() += 1;
        }
    }
    Ok(out)
}
