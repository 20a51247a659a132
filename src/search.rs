//! Search: a [`SearchRequest`] becomes ranked passage [`Hit`]s, grouped by
//! article, with highlights, corrections and facets. Returns data only; the
//! printers in [`crate::print`] format it.

pub mod collect;
mod pruning;
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
use crate::index::schema::{KIND_ARTICLE, KIND_TWIN_MARK};
use crate::index::writer::day_to_datetime;
use crate::index::{aids_with_term, signature_in, ArticleRecord, OpenIndex};
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
    /// Count every matching passage even when the best articles are known
    /// sooner (common words); see [`EXACT_UNTIL`].
    pub exact_totals: bool,
}

/// Passages counted exactly before a relevance search starts skipping those
/// that cannot reach the page; totals past it are lower bounds (`totals_exact`
/// false), as with Elasticsearch's `track_total_hits`.
pub const EXACT_UNTIL: u64 = 10_000;

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
            exact_totals: false,
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
    /// False when the totals are lower bounds (see [`EXACT_UNTIL`]).
    pub totals_exact: bool,
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
/// passage has them all. With `top`, only the best `top` articles by
/// relevance are sure to be collected (see [`collect::TopArticles`]);
/// without, every matching article is.
pub fn matches(
    index: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
    top: Option<usize>,
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
    let mut collected = collect_hits(index, searcher, compiled.query.as_ref(), request, top)?;
    if collected.total_hits == 0 && mode == Mode::All && parsed.has_optional_alternatives() {
        mode = Mode::Any;
        let mut any = compiler.compile(&parsed, mode);
        any.warnings.clear();
        compiled = any;
        collected = collect_hits(index, searcher, compiled.query.as_ref(), request, top)?;
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
    // The articles that can be shown, with room for near-duplicates that the
    // page folds away.
    let head = request
        .offset
        .saturating_add(request.limit)
        .saturating_mul(2)
        .saturating_add(16);
    let mut top = (request.sort == Sort::Relevance
        && !request.facets
        && !request.exact_totals
        && request.per_article <= 1)
        .then_some(head);
    let (found, total_articles, facets, page) = loop {
        let mut found = matches(index, &searcher, taxonomy, request, top)?;
        // Order articles, then page: only the head that can be shown is sorted.
        let mut articles = std::mem::take(&mut found.collected.articles);
        let order =
            |a: &collect::ArticleHits, b: &collect::ArticleHits| compare(request.sort, a, b);
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
        match page(
            index,
            &searcher,
            articles,
            head,
            request,
            found.collected.exact,
        )? {
            Some(page) => break (found, total_articles, facets, page),
            // Near-duplicates folded away more than the spare articles of a
            // top-k collection: count everything (rare: it takes over 10,000
            // matching passages and heavy wire copy).
            None => top = None,
        }
    };
    let Matches {
        collected,
        compiled,
        mode,
        warnings,
    } = found;
    let corrections = compiled.corrections.clone();

    let mut snippets = match &compiled.highlight {
        Some(q) => Some(
            SnippetGenerator::create(&searcher, q.as_ref(), index.fields.text)
                .map_err(|e| index.tantivy(e))?,
        ),
        None => None,
    };
    let shown: Vec<&ShownArticle> = page.iter().map(|(_, shown)| shown).collect();
    let duplicates = near_duplicates(index, &searcher, &shown)?;
    let mut hits = Vec::new();
    for ((article, shown), (duplicates, dup_group)) in page.into_iter().zip(duplicates) {
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
        totals_exact: collected.exact,
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
    top: Option<usize>,
) -> Result<collect::Collected> {
    let query = passage_query(index, text_query, request);
    let found = match top {
        Some(k) => searcher.search(query.as_ref(), &collect::TopArticles::new(k, EXACT_UNTIL)),
        None => searcher.search(
            query.as_ref(),
            &collect::ArticleCollector {
                per_article: request.per_article.max(1),
            },
        ),
    };
    found.map_err(|e| index.tantivy(e))
}

/// The text query with the request's filters. Article documents are told
/// apart by the collector (from a fast field), which costs less than
/// intersecting with the postings of every passage.
fn passage_query(
    index: &OpenIndex,
    text_query: &dyn Query,
    request: &SearchRequest,
) -> Box<dyn Query> {
    let filters = request.filters.clauses(index);
    if filters.is_empty() {
        return flatten_union(text_query);
    }
    let mut clauses = vec![(Occur::Must, text_query.box_clone())];
    clauses.extend(filters);
    Box::new(BooleanQuery::new(clauses))
}

/// The same query with nested alternatives (a word or its synonyms, in text
/// or title) made one flat list: tantivy runs block-max WAND only on a
/// boolean query whose clauses are all optional terms. Matches and scores
/// are unchanged (a sum of sums is one sum).
fn flatten_union(query: &dyn Query) -> Box<dyn Query> {
    fn leaves(query: &dyn Query, out: &mut Vec<Box<dyn Query>>) {
        let query = unboxed(query);
        if let Some(alternatives) = query.downcast_ref::<query::Alternatives>() {
            for clause in alternatives.clauses() {
                leaves(clause, out);
            }
            return;
        }
        match query.downcast_ref::<BooleanQuery>() {
            Some(b) if b.clauses().iter().all(|(occur, _)| *occur == Occur::Should) => {
                for (_, clause) in b.clauses() {
                    leaves(clause.as_ref(), out);
                }
            }
            _ => out.push(query.box_clone()),
        }
    }
    // A `&Box<dyn Query>` passed as `&dyn Query` is a Box to downcast.
    fn unboxed(query: &dyn Query) -> &dyn Query {
        match query.downcast_ref::<Box<dyn Query>>() {
            Some(inner) => unboxed(inner.as_ref()),
            None => query,
        }
    }
    // A query of one required clause is that clause.
    let mut query = unboxed(query);
    while let Some(b) = query.downcast_ref::<BooleanQuery>() {
        match b.clauses() {
            [(Occur::Must, only)] => query = unboxed(only.as_ref()),
            _ => break,
        }
    }
    let mut out = Vec::new();
    leaves(query, &mut out);
    let words: Option<Vec<query::Words>> = out
        .iter()
        .map(|q| q.downcast_ref::<query::Words>().cloned())
        .collect();
    let union = if out.len() == 1 {
        out.remove(0)
    } else {
        Box::new(BooleanQuery::new(
            out.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    };
    pruning::PrunedUnion::over(union, words)
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
    address: DocAddress,
    signature: Option<Signature>,
    /// Shares a band with an article indexed before it (index format 5).
    twinned: bool,
}

/// The address of the article document of the article whose passage is at
/// `passage`.
///
/// An article's documents are written as one batch, the article document
/// first and then its passages in order (see `index::writer`), and merges keep
/// that order: the article document is `ordinal + 1` documents before its
/// passage. The guess is checked against the fast fields; the term lookup
/// (one per segment) is the fallback.
fn article_address(
    index: &OpenIndex,
    searcher: &Searcher,
    columns: &mut SegmentColumns,
    aid: u64,
    passage: DocAddress,
) -> Result<DocAddress> {
    match article_beside(columns, aid, passage) {
        Some(address) => Ok(address),
        None => article_by_term(index, searcher, aid),
    }
}

fn article_beside(
    columns: &mut SegmentColumns,
    aid: u64,
    passage: DocAddress,
) -> Option<DocAddress> {
    let c = columns.of(passage.segment_ord)?;
    let ordinal = c.ordinal.first(passage.doc_id)?;
    let doc = passage
        .doc_id
        .checked_sub(u32::try_from(ordinal).ok()?.checked_add(1)?)?;
    let is_it = c.aid.first(doc) == Some(aid) && c.kind.first(doc) == Some(KIND_ARTICLE);
    is_it.then(|| DocAddress::new(passage.segment_ord, doc))
}

/// The fast-field columns a page reads, opened once per segment and search:
/// opening one looks its name up in the segment's column directory, which
/// costs more than reading a value.
struct SegmentColumns<'a> {
    searcher: &'a Searcher,
    segments: Vec<Option<Option<Columns>>>,
}

struct Columns {
    ordinal: tantivy::columnar::Column<u64>,
    aid: tantivy::columnar::Column<u64>,
    kind: tantivy::columnar::Column<u64>,
    twinned: tantivy::columnar::Column<u64>,
    minhash: Option<tantivy::columnar::BytesColumn>,
}

impl<'a> SegmentColumns<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        SegmentColumns {
            searcher,
            segments: Vec::new(),
        }
    }

    /// None when the segment lacks a column (not a newsidx index).
    fn of(&mut self, segment: u32) -> Option<&Columns> {
        let at = segment as usize;
        if self.segments.len() <= at {
            self.segments.resize_with(at + 1, || None);
        }
        let searcher = self.searcher;
        self.segments[at]
            .get_or_insert_with(|| {
                let fast = searcher.segment_reader(segment).fast_fields();
                Some(Columns {
                    ordinal: fast.u64("ordinal").ok()?,
                    aid: fast.u64("aid").ok()?,
                    kind: fast.u64("kind").ok()?,
                    twinned: fast.u64("twinned").ok()?,
                    minhash: fast.bytes("minhash").ok()?,
                })
            })
            .as_ref()
    }

    /// Whether the article document at `address` shares a band with an
    /// article indexed before it; true when unknown.
    fn twinned(&mut self, address: DocAddress) -> bool {
        self.of(address.segment_ord)
            .and_then(|c| c.twinned.first(address.doc_id))
            != Some(0)
    }

    /// The near-duplicate signature of the article document at `address`.
    fn signature(&mut self, address: DocAddress) -> Option<Signature> {
        signature_in(
            self.of(address.segment_ord)?.minhash.as_ref()?,
            address.doc_id,
        )
    }
}

fn article_by_term(index: &OpenIndex, searcher: &Searcher, aid: u64) -> Result<DocAddress> {
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
    docs.into_iter().next().ok_or_else(|| Error::DamagedIndex {
        path: index.root.clone(),
        message: format!("passage of article {aid:016x} has no article record"),
    })
}

/// The page of articles to show: past `offset`, at most `limit`, and unless
/// `all_duplicates`, one article per near-duplicate group (the best ranked).
/// `None` when `articles` came from a top-k collection (`complete` false) and
/// the page needs articles past its sorted head: those are not certain to be
/// the next best.
fn page(
    index: &OpenIndex,
    searcher: &Searcher,
    mut articles: Vec<collect::ArticleHits>,
    sorted: usize,
    request: &SearchRequest,
    complete: bool,
) -> Result<Option<Vec<(collect::ArticleHits, ShownArticle)>>> {
    if complete && request.offset >= articles.len() {
        // Folding near-duplicates only removes articles: nothing is left to
        // show, and looking up every article to skip it would take seconds.
        return Ok(Some(Vec::new()));
    }
    let mut kept: Vec<(collect::ArticleHits, ShownArticle)> = Vec::new();
    let mut columns = SegmentColumns::new(searcher);
    let mut seen: Vec<Signature> = Vec::new();
    let mut skipped = 0;
    let mut i = 0;
    while i < articles.len() && kept.len() < request.limit {
        if i == sorted {
            if !complete {
                return Ok(None);
            }
            // Duplicates used up the sorted head: order the rest too.
            articles[i..].sort_by(|a, b| compare(request.sort, a, b));
        }
        let article = articles[i].clone();
        i += 1;
        let Some(&(_, passage)) = article.passages.first() else {
            continue;
        };
        let address = article_address(index, searcher, &mut columns, article.aid, passage)?;
        let signature = columns.signature(address);
        if !request.all_duplicates {
            if let Some(sig) = signature {
                if seen.iter().any(|s| s.is_duplicate(&sig)) {
                    continue;
                }
                seen.push(sig);
            }
        }
        if skipped < request.offset {
            // Skipped articles need only their signature, not their record:
            // no stored block is decompressed for them.
            skipped += 1;
            continue;
        }
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| index.tantivy(e))?;
        let shown = ShownArticle {
            record: index.record_of(&doc)?,
            aid: article.aid,
            address,
            signature,
            twinned: columns.twinned(address),
        };
        kept.push((article, shown));
    }
    if !complete && kept.len() < request.limit {
        return Ok(None);
    }
    Ok(Some(kept))
}

/// For each shown article, how many other indexed articles are its
/// near-duplicates, and the group id: the smallest article id among them and
/// itself. Candidates share a band with a shown article: the shown articles
/// themselves, compared in memory, and others found by one query over the
/// bands of the shown articles that share a band with some article at all
/// (flagged or marked at indexing, see `index::writer::Twins`). Each
/// candidate is confirmed by comparing signatures.
fn near_duplicates(
    index: &OpenIndex,
    searcher: &Searcher,
    shown: &[&ShownArticle],
) -> Result<Vec<(u64, Option<String>)>> {
    let mut found: Vec<(u64, u64)> = shown.iter().map(|s| (0, s.aid)).collect();
    let confirm = |aid: u64, candidate: &Signature, found: &mut Vec<(u64, u64)>| {
        for (article, (count, group)) in shown.iter().zip(found.iter_mut()) {
            if aid != article.aid
                && article
                    .signature
                    .is_some_and(|sig| sig.is_duplicate(candidate))
            {
                *count += 1;
                *group = (*group).min(aid);
            }
        }
    };
    for s in shown {
        if let Some(sig) = &s.signature {
            confirm(s.aid, sig, &mut found);
        }
    }
    let marked = if shown.iter().all(|s| s.twinned) {
        std::collections::HashSet::new()
    } else {
        twin_marks(index, searcher)?
    };
    let mut bands: Vec<u64> = shown
        .iter()
        .filter(|s| s.twinned || marked.contains(&s.aid))
        .filter_map(|s| s.signature.as_ref())
        .flat_map(Signature::bands)
        .collect();
    bands.sort_unstable();
    bands.dedup();
    if !bands.is_empty() {
        let query = BooleanQuery::new(
            bands
                .into_iter()
                .map(|b| {
                    (
                        Occur::Should,
                        term_query(Term::from_field_u64(index.fields.simband, b)),
                    )
                })
                .collect(),
        );
        let candidates = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .map_err(|e| index.tantivy(e))?;
        let mut columns = SegmentColumns::new(searcher);
        for address in candidates {
            if shown.iter().any(|s| s.address == address) {
                continue;
            }
            let Some(aid) = columns
                .of(address.segment_ord)
                .and_then(|c| c.aid.first(address.doc_id))
            else {
                continue;
            };
            let Some(candidate) = columns.signature(address) else {
                continue;
            };
            confirm(aid, &candidate, &mut found);
        }
    }
    Ok(found
        .into_iter()
        .map(|(count, group)| (count, (count > 0).then(|| format!("{group:016x}"))))
        .collect())
}

/// Articles marked at indexing as sharing a band with a later article.
fn twin_marks(index: &OpenIndex, searcher: &Searcher) -> Result<std::collections::HashSet<u64>> {
    let term = Term::from_field_u64(index.fields.kind, KIND_TWIN_MARK);
    let mut out = std::collections::HashSet::new();
    for segment in searcher.segment_readers() {
        out.extend(aids_with_term(segment, None, &term).map_err(|e| index.tantivy(e))?);
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::writer::{self, NoProgress, SyncOptions};

    /// The seeds and the test fixtures (about 30 articles), indexed in a
    /// temp dir.
    fn fixture_index() -> (tempfile::TempDir, OpenIndex, Taxonomy) {
        let dir = tempfile::tempdir().expect("temp dir");
        let articles = dir.path().join("articles");
        std::fs::create_dir_all(&articles).expect("articles dir");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["seeds", "tests/fixtures/eval", "tests/fixtures/extras"] {
            for entry in std::fs::read_dir(root.join(folder)).expect("fixture folder") {
                let path = entry.expect("entry").path();
                if path.is_file() {
                    let name = format!(
                        "{}-{}",
                        folder.replace('/', "_"),
                        path.file_name().expect("file name").to_string_lossy()
                    );
                    std::fs::copy(&path, articles.join(name)).expect("copy fixture");
                }
            }
        }
        let taxonomy = Taxonomy::builtin();
        let index_dir = dir.path().join("index");
        writer::sync(
            &SyncOptions {
                articles,
                index: index_dir.clone(),
                rebuild: false,
                taxonomy: &taxonomy,
                today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"),
                paths: Vec::new(),
                follow: false,
                verify: false,
            },
            &NoProgress,
        )
        .expect("index the fixtures");
        let index = crate::index::open(&index_dir).expect("open");
        (dir, index, taxonomy)
    }

    /// Every document `query` matches, with its score, as tantivy's
    /// `for_each` reports them: (segment, document, score).
    fn every_score(searcher: &Searcher, query: &dyn Query) -> Vec<(usize, u32, f32)> {
        let weight = query
            .weight(tantivy::query::EnableScoring::enabled_from_searcher(
                searcher,
            ))
            .expect("weight");
        let mut out = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            weight
                .for_each(reader, &mut |doc, score| out.push((ord, doc, score)))
                .expect("scores");
        }
        out
    }

    fn best(mut articles: Vec<collect::ArticleHits>, k: usize) -> Vec<(u64, f32)> {
        articles.sort_by(|a, b| compare(Sort::Relevance, a, b));
        articles.iter().take(k).map(|a| (a.aid, a.best())).collect()
    }

    /// With pruning from the first passage, the best k articles are those of
    /// the exact collection, in the same order with the same scores; common
    /// words show that passages were skipped.
    #[test]
    fn top_articles_with_pruning_equal_the_exact_best() {
        let (_dir, index, taxonomy) = fixture_index();
        let searcher = index.reader.searcher();
        let mut skipped_somewhere = false;
        for text in [
            "Japan",
            "investment",
            "state",
            "semiconductor plant",
            "\"chief minister\"",
            "electric vehicle",
            "Toyota OR Suzuki",
            "japan -Assam",
            "state:Karnataka",
        ] {
            let request = SearchRequest {
                query: text.into(),
                ..SearchRequest::default()
            };
            let compiler = query::Compiler::new(&index, &searcher, &taxonomy);
            let compiled = compiler.compile(&query::parse(text), Mode::All);
            let search = passage_query(&index, compiled.query.as_ref(), &request);
            let exact = searcher
                .search(
                    search.as_ref(),
                    &collect::ArticleCollector { per_article: 1 },
                )
                .expect("exact search");
            assert!(exact.total_hits > 0, "{text} matches the fixtures");
            for k in [1, 3, 8] {
                let top = searcher
                    .search(search.as_ref(), &collect::TopArticles::new(k, 0))
                    .expect("top search");
                assert_eq!(
                    best(top.articles, k),
                    best(exact.articles.clone(), k),
                    "{text}, k = {k}"
                );
                assert!(top.total_hits <= exact.total_hits);
                if top.total_hits < exact.total_hits {
                    assert!(
                        !top.exact,
                        "{text}: skipped passages make the totals inexact"
                    );
                    skipped_somewhere = true;
                }
            }
            let counted = searcher
                .search(search.as_ref(), &collect::TopArticles::new(1, u64::MAX))
                .expect("counted search");
            assert!(counted.exact);
            assert_eq!(counted.total_hits, exact.total_hits, "{text}");
        }
        assert!(skipped_somewhere, "pruning skipped no passage at all");
    }

    /// Unions holding phrases run through `pruning::PrunedUnion`: with any
    /// fixed threshold it reports exactly the documents tantivy's union
    /// scores above it, with the same scores, and with a rising threshold it
    /// skips documents.
    #[test]
    fn pruned_phrase_unions_match_tantivy_above_any_threshold() {
        let (_dir, index, taxonomy) = fixture_index();
        let searcher = index.reader.searcher();
        let request = SearchRequest::default();
        let mut skipped = false;
        for text in [
            "\"chief minister\"",
            "\"rare earth\"",
            "\"electric vehicle\"",
            "\"renewable energy\"",
            "\"rare earth magnets\"",
            "\"chief minister himanta biswa\"",
            "\"rare earth\" OR semiconductor",
            "\"industrial park\" OR \"semiconductor sector in assam\"",
        ] {
            let compiler = query::Compiler::new(&index, &searcher, &taxonomy);
            let compiled = compiler.compile(&query::parse(text), Mode::Any);
            let search = passage_query(&index, compiled.query.as_ref(), &request);
            assert!(
                search.downcast_ref::<pruning::PrunedUnion>().is_some(),
                "{text} runs as a pruned union"
            );
            let weight = search
                .weight(tantivy::query::EnableScoring::enabled_from_searcher(
                    &searcher,
                ))
                .expect("weight");
            let tantivy_hits = every_score(&searcher, search.as_ref());
            assert!(!tantivy_hits.is_empty(), "{text} matches the fixtures");
            let mut scores: Vec<f32> = tantivy_hits.iter().map(|h| h.2).collect();
            scores.sort_by(f32::total_cmp);
            let median = scores[scores.len() / 2];
            for threshold in [f32::MIN, 0.0, median, scores[scores.len() - 1]] {
                let mut pruned = Vec::new();
                for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                    weight
                        .for_each_pruning(threshold, reader, &mut |doc, score| {
                            pruned.push((ord, doc, score));
                            threshold
                        })
                        .expect("pruned union");
                }
                let above: Vec<_> = tantivy_hits
                    .iter()
                    .copied()
                    .filter(|h| h.2 > threshold)
                    .collect();
                assert_eq!(pruned, above, "{text} above {threshold}");
            }
            // A rising threshold, as the top-k collector gives it.
            let mut seen = 0;
            for reader in searcher.segment_readers() {
                let mut best = f32::MIN;
                weight
                    .for_each_pruning(f32::MIN, reader, &mut |_, score| {
                        seen += 1;
                        best = best.max(score);
                        best
                    })
                    .expect("pruned union");
            }
            skipped |= seen < tantivy_hits.len();
        }
        assert!(skipped, "a rising threshold skipped no document");
    }

    /// A word's alternatives merged lazily match and score as tantivy's
    /// union does, alone and as one side of an intersection (seeks).
    #[test]
    fn lazy_alternatives_equal_tantivy_union() {
        use tantivy::query::{EnableScoring, TermQuery};
        let (_dir, index, _taxonomy) = fixture_index();
        let searcher = index.reader.searcher();
        let f = &index.fields;
        let words = |field, word: &str, boost| -> Box<dyn Query> {
            Box::new(query::Words::new(field, &[word.to_string()], boost))
        };
        let required = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f.text, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let mut lazy_seen = false;
        for (a, b, with) in [
            ("semiconductor", "chip", "plant"),
            ("magnet", "earth", "rare"),
            ("toyota", "suzuki", "karnataka"),
            ("hydrogen", "ammonia", "japan"),
        ] {
            let parts = || -> Vec<Box<dyn Query>> {
                vec![
                    words(f.text, a, 1.0),
                    words(f.title, a, 2.0),
                    words(f.text, b, 0.8),
                    words(f.title, b, 1.6),
                ]
            };
            let lazy: Box<dyn Query> = Box::new(query::Alternatives::new(parts()));
            let union: Box<dyn Query> = Box::new(BooleanQuery::new(
                parts().into_iter().map(|q| (Occur::Should, q)).collect(),
            ));
            let and = |q: Box<dyn Query>| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, q),
                    (Occur::Must, required(with)),
                ]))
            };
            for (ours, theirs) in [
                (lazy.box_clone(), union.box_clone()),
                (and(lazy), and(union)),
            ] {
                let expected = every_score(&searcher, theirs.as_ref());
                assert!(!expected.is_empty(), "{a} {b} {with}");
                assert_eq!(
                    every_score(&searcher, ours.as_ref()),
                    expected,
                    "{a} {b} {with}"
                );
            }
            let weight = query::Alternatives::new(parts())
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .expect("weight");
            for reader in searcher.segment_readers() {
                lazy_seen |= weight
                    .scorer(reader, 1.0)
                    .expect("scorer")
                    .is::<query::LazyUnion>();
            }
        }
        assert!(
            lazy_seen,
            "no sparse alternatives: the lazy union went untested"
        );
    }

    /// A page from a top-k collection never reaches past the sorted head or
    /// runs short: it asks for the exact collection instead.
    #[test]
    fn an_incomplete_collection_never_pages_past_its_head() {
        let (_dir, index, taxonomy) = fixture_index();
        let searcher = index.reader.searcher();
        let request = SearchRequest {
            query: "Japan".into(),
            all_duplicates: true,
            ..SearchRequest::default()
        };
        let mut articles = matches(&index, &searcher, &taxonomy, &request, None)
            .expect("search")
            .collected
            .articles;
        articles.sort_by(|a, b| compare(Sort::Relevance, a, b));
        let n = articles.len();
        assert!(n > 3, "Japan is in most fixtures");
        let paged = |limit: usize, sorted: usize, complete: bool| {
            let request = SearchRequest {
                limit,
                ..request.clone()
            };
            page(
                &index,
                &searcher,
                articles.clone(),
                sorted,
                &request,
                complete,
            )
            .expect("page")
            .map(|p| p.len())
        };
        assert_eq!(paged(2, 3, false), Some(2));
        assert_eq!(paged(3, 2, false), None, "past the head");
        assert_eq!(paged(3, 2, true), Some(3));
        assert_eq!(paged(n + 1, n, false), None, "short");
        assert_eq!(paged(n + 1, n, true), Some(n));
        let past_the_end = SearchRequest {
            offset: n,
            ..request.clone()
        };
        let empty = page(&index, &searcher, articles.clone(), n, &past_the_end, true)
            .expect("page")
            .map(|p| p.len());
        assert_eq!(empty, Some(0));
        let unsure = page(&index, &searcher, articles, n, &past_the_end, false).expect("page");
        assert!(unsure.is_none(), "a top-k collection cannot tell the end");
    }

    #[test]
    fn flattening_keeps_matches_and_scores() {
        let (_dir, index, taxonomy) = fixture_index();
        let searcher = index.reader.searcher();
        for text in [
            "Japan",
            "EV",
            "chip",
            "UP data centre",
            "Toyota OR (rail Hitachi)",
        ] {
            let compiler = query::Compiler::new(&index, &searcher, &taxonomy);
            let compiled = compiler.compile(&query::parse(text), Mode::All);
            let all = |q: &dyn Query| {
                let mut docs = searcher
                    .search(
                        q,
                        &tantivy::collector::TopDocs::with_limit(100_000).order_by_score(),
                    )
                    .expect("search");
                docs.sort_by_key(|d| d.1);
                docs
            };
            let nested = all(compiled.query.as_ref());
            let flat = all(flatten_union(compiled.query.as_ref()).as_ref());
            assert!(!nested.is_empty(), "{text} matches the fixtures");
            if text == "Japan" {
                // A word and its synonym in text and title: four terms, one
                // level, whether the query comes boxed or not.
                let flat = flatten_union(&compiled.query);
                let flat = flat
                    .downcast_ref::<BooleanQuery>()
                    .expect("a boolean query");
                assert_eq!(flat.clauses().len(), 4, "{flat:?}");
                assert!(flat
                    .clauses()
                    .iter()
                    .all(|(occur, q)| *occur == Occur::Should
                        && q.downcast_ref::<BooleanQuery>().is_none()));
            }
            assert_eq!(nested.len(), flat.len(), "{text}");
            for ((a, da), (b, db)) in nested.iter().zip(&flat) {
                assert_eq!(da, db, "{text}");
                assert!((a - b).abs() < 1e-4, "{text}: {a} vs {b}");
            }
        }
    }
}
