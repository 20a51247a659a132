//! Search: a [`SearchRequest`] becomes ranked articles, each answered by its
//! best passages with highlights. Returns data only; the printers in
//! [`crate::print`] format it.
//!
//! An article matches as a whole: every word of the query somewhere in its
//! title or text. When fewer articles than the page holds have every word,
//! articles holding some of them are ranked after those (mode `most`), each
//! with the words it lacks, unless the request is strict. Articles are
//! ranked by their BM25 (title weighted) plus the evidence of their best
//! passage ([`evidence`]), the passage holding the most query words, close
//! together.

pub mod collect;
mod evidence;
pub mod facets;
pub(crate) mod filters;
pub mod highlight;
mod page;
pub mod query;

use std::collections::HashMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, Searcher};

use crate::error::{Error, Result};
use crate::index::{ArticleRecord, OpenIndex};
use crate::taxonomy::Taxonomy;
use collect::Match;
use evidence::{ArticleEvidence, Evidence};
pub use facets::Facets;
pub use filters::{parse_bound, Filters, FIRST_YEAR, LAST_YEAR};
pub use query::Correction;
use query::{Compiler, Plan};

/// How much the best passage's score adds to the article's BM25.
pub const PASSAGE_WEIGHT: f32 = 1.0;
/// Articles whose passages are scored before the page is chosen, at least:
/// the best by article BM25, re-ranked with their passage evidence.
const RERANK: usize = 50;
/// At most this many articles are re-ranked (deep pages past them keep the
/// order of their article scores).
const RERANK_MAX: usize = 1000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best article first.
    #[default]
    Relevance,
    /// Newest article first; relevance breaks ties; undated last.
    Date,
    /// Largest investment first; relevance breaks ties; none last.
    Amount,
}

/// Which articles a search ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Articles holding every word of the query.
    All,
    /// Too few articles hold every word: those come first, then articles
    /// holding some of the words (each hit lists the words it lacks).
    Most,
    /// Articles holding any word, ranked by relevance alone (`--any`).
    Any,
}

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Any word may match, ranked by relevance alone.
    pub any: bool,
    /// Only articles holding every word, never partial matches.
    pub strict: bool,
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
            strict: false,
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

/// A passage answering the query, with its article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The article's rank (its passages share it).
    pub rank: usize,
    /// The article's score (its BM25 plus its best passage's evidence).
    pub score: f32,
    pub article: ArticleRecord,
    pub ordinal: u64,
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The query's words (or clauses) the article lacks; empty when it holds
    /// them all.
    pub missing: Vec<String>,
    /// Other indexed articles that are near-duplicates of this one.
    pub duplicates: u64,
    /// The id shared by the article's near-duplicate group, if it has one.
    pub dup_group: Option<String>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub mode: Mode,
    pub corrections: Vec<Correction>,
    /// Problems with the query that were worked around, and fallbacks.
    pub warnings: Vec<String>,
    /// Matching articles (an article is one hit, whatever the passages shown).
    pub total_hits: u64,
    pub total_articles: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
}

/// A compiled search: what matches, in which mode, and how many.
pub struct Prepared {
    pub plan: Plan,
    pub mode: Mode,
    /// The articles that match.
    query: Box<dyn Query>,
    /// In mode `most`: the articles holding every word, ranked first.
    complete: Option<Box<dyn Query>>,
    /// The best `k` articles of `query` and of `complete`, when they were
    /// found while counting them (see [`collect::count_and_top`]).
    query_top: First,
    complete_top: First,
    pub total: u64,
    pub warnings: Vec<String>,
}

/// The best `k` articles of a query with that `k`, when they were found while
/// counting its matches.
type First = Option<(usize, Vec<Match>)>;

/// Parses and compiles `request` and decides its mode: every word, unless
/// fewer than `wanted` articles have every word and partial matches are
/// allowed. `ranked` is how many of the best articles the caller will rank
/// by relevance (0 for none).
pub fn prepare(
    index: &OpenIndex,
    searcher: &Searcher,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
    wanted: usize,
    ranked: usize,
) -> Result<Prepared> {
    let parsed = query::parse(&request.query);
    let mut warnings = parsed.warnings.clone();
    let plan = Compiler::new(&index.fields, searcher, taxonomy).compile(&parsed);
    if plan.empty && !request.query.trim().is_empty() {
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
    warnings.extend(plan.warnings.iter().cloned());
    let filters = request.filters.clauses(index);
    let with_filters = |q: Box<dyn Query>| -> Box<dyn Query> {
        if filters.is_empty() {
            return q;
        }
        let mut clauses = vec![(Occur::Must, q)];
        clauses.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
        Box::new(BooleanQuery::new(clauses))
    };
    let count = |q: &dyn Query| -> Result<u64> {
        q.count(searcher)
            .map(|n| n as u64)
            .map_err(|e| index.tantivy(e))
    };
    // A query tantivy cannot prune is scored in full by its top-k pass
    // anyway: count its matches in that pass rather than in one of its own.
    let one_pass = ranked > 0 && (!filters.is_empty() || !plan.prunable());
    let count_first = |q: &dyn Query| -> Result<(u64, First)> {
        if one_pass {
            let (n, top) =
                collect::count_and_top(searcher, q, ranked).map_err(|e| index.tantivy(e))?;
            Ok((n, Some((ranked, top))))
        } else {
            Ok((count(q)?, None))
        }
    };
    let partial = plan.has_partial_matches();
    let all = with_filters(plan.query(true));
    let (mode, total, query, complete, query_top, complete_top) = if request.any && partial {
        let any = with_filters(plan.query(false));
        let (total, top) = count_first(any.as_ref())?;
        (Mode::Any, total, any, None, top, None)
    } else {
        let (complete, all_top) = count_first(all.as_ref())?;
        if request.strict || !partial || complete >= wanted.max(1) as u64 {
            (Mode::All, complete, all, None, all_top, None)
        } else {
            let any = with_filters(plan.query(false));
            let (total, any_top) = count_first(any.as_ref())?;
            if total == complete {
                (Mode::All, total, all, None, all_top, None)
            } else {
                warnings.push(match complete {
                    0 => {
                        "no article has every word; showing articles with some of them".to_string()
                    }
                    1 => "1 article has every word; articles with some of them follow".to_string(),
                    n => format!("{n} articles have every word; articles with some of them follow"),
                });
                (Mode::Most, total, any, Some(all), any_top, all_top)
            }
        }
    };
    Ok(Prepared {
        plan,
        mode,
        query,
        complete,
        query_top,
        complete_top,
        total,
        warnings,
    })
}

/// Every matching article, in no order (timelines, facets).
pub fn every_match(
    index: &OpenIndex,
    searcher: &Searcher,
    prepared: &Prepared,
) -> Result<Vec<Match>> {
    searcher
        .search(prepared.query.as_ref(), &collect::Everything)
        .map_err(|e| index.tantivy(e))
}

/// The records of the articles `filters` keep (every article without
/// filters), sorted by path: `list` and `stats` filter as `search` does.
pub fn filtered_articles(
    index: &OpenIndex,
    taxonomy: &Taxonomy,
    filters: &Filters,
) -> Result<Vec<ArticleRecord>> {
    if filters.is_empty() {
        return index.articles();
    }
    let searcher = index.reader.searcher();
    let request = SearchRequest {
        filters: filters.clone(),
        ..SearchRequest::default()
    };
    let prepared = prepare(index, &searcher, taxonomy, &request, 1, 0)?;
    let mut out = Vec::new();
    let mut matches = every_match(index, &searcher, &prepared)?;
    // Store order: neighbours share a compressed block.
    matches.sort_by_key(|m| m.address);
    for m in matches {
        let doc: tantivy::TantivyDocument =
            searcher.doc(m.address).map_err(|e| index.tantivy(e))?;
        out.push(index.record_of(&doc)?);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A matched article with its passage evidence and final score.
struct Ranked {
    matched: Match,
    evidence: Option<ArticleEvidence>,
    complete: bool,
    score: f32,
}

/// Runs one search.
pub fn run(
    index: &OpenIndex,
    taxonomy: &Taxonomy,
    request: &SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    let searcher = index.reader.searcher();
    let wanted = request.offset.saturating_add(request.limit);
    let rerank = wanted
        .saturating_mul(2)
        .saturating_add(16)
        .clamp(RERANK, RERANK_MAX);
    let by_relevance = request.sort == Sort::Relevance;
    let prepared = prepare(
        index,
        &searcher,
        taxonomy,
        request,
        wanted,
        if by_relevance { rerank } else { 0 },
    )?;
    let evidence = Evidence::new(&searcher, &index.fields, &prepared.plan);
    let presence = prepared.mode != Mode::All;
    let everything = if request.facets || request.sort != Sort::Relevance {
        Some(every_match(index, &searcher, &prepared)?)
    } else {
        None
    };
    let facets = match &everything {
        Some(matches) if request.facets => {
            Some(facets::facets(&searcher, matches).map_err(|e| index.tantivy(e))?)
        }
        _ => None,
    };

    let (ranked, shown) = match everything {
        Some(mut matches) if request.sort != Sort::Relevance => {
            matches.sort_by(|a, b| {
                let key = match request.sort {
                    Sort::Date => b.date.cmp(&a.date),
                    _ => b.amount.cmp(&a.amount),
                };
                key.then(b.score.total_cmp(&a.score))
                    .then(a.aid.cmp(&b.aid))
            });
            let shown = page::page(
                index,
                &searcher,
                &matches,
                request.offset,
                request.limit,
                request.all_duplicates,
                true,
            )?
            .unwrap_or_default();
            (Vec::new(), shown)
        }
        _ => {
            let mut k = rerank;
            loop {
                let ranked = ranked_candidates(index, &searcher, &prepared, &evidence, k, rerank)?;
                let complete = ranked.len() as u64 >= prepared.total;
                let ordered: Vec<Match> = ranked.iter().map(|r| r.matched).collect();
                match page::page(
                    index,
                    &searcher,
                    &ordered,
                    request.offset,
                    request.limit,
                    request.all_duplicates,
                    complete,
                )? {
                    Some(shown) => break (ranked, shown),
                    // Near-duplicates folded away more than the spare
                    // articles: take every match.
                    None => k = usize::try_from(prepared.total).unwrap_or(usize::MAX),
                }
            }
        }
    };

    // The shown articles' evidence: already gathered when they were ranked.
    let mut known: HashMap<DocAddress, (ArticleEvidence, f32)> = ranked
        .into_iter()
        .filter_map(|r| Some((r.matched.address, (r.evidence?, r.score))))
        .collect();
    let missing: Vec<DocAddress> = shown
        .iter()
        .map(|s| s.matched.address)
        .filter(|a| !known.contains_key(a))
        .collect();
    if !missing.is_empty() {
        let gathered = evidence
            .gather(&missing, presence)
            .map_err(|e| index.tantivy(e))?;
        for (address, e) in missing.into_iter().zip(gathered) {
            let score = shown
                .iter()
                .find(|s| s.matched.address == address)
                .map_or(0.0, |s| final_score(s.matched.score, &e));
            known.insert(address, (e, score));
        }
    }

    let duplicates = page::near_duplicates(index, &searcher, &shown)?;
    let mut hits = Vec::new();
    let plan = &prepared.plan;
    for (n, (article, (duplicates, dup_group))) in shown.into_iter().zip(duplicates).enumerate() {
        let (evidence, score) = known.remove(&article.matched.address).unwrap_or_default();
        let texts = index.passages_in(&article.doc);
        let mut chosen: Vec<usize> = evidence
            .passages
            .iter()
            .take(request.per_article.max(1))
            .map(|p| p.ordinal)
            .filter(|&p| p < texts.len())
            .collect();
        if chosen.is_empty() && !texts.is_empty() {
            // Matched by its title or metadata only: its opening answers.
            chosen.push(0);
        }
        let present = |g: usize| evidence.present.get(g).copied().unwrap_or(true);
        let missing: Vec<String> = evidence
            .missing()
            .map(|g| plan.groups[g].label.clone())
            .collect();
        for ordinal in chosen {
            let text = texts[ordinal].clone();
            let highlights = if evidence.passages.iter().any(|p| p.ordinal == ordinal) {
                highlight::highlights(
                    &text,
                    plan.leaves().filter(|(g, _)| present(*g)).map(|(_, l)| l),
                )
            } else {
                Vec::new()
            };
            hits.push(Hit {
                rank: request.offset + n + 1,
                score,
                article: article.record.clone(),
                ordinal: ordinal as u64,
                text,
                highlights,
                missing: missing.clone(),
                duplicates,
                dup_group: dup_group.clone(),
            });
        }
    }
    Ok(SearchResults {
        query: request.query.clone(),
        mode: prepared.mode,
        corrections: prepared.plan.corrections.clone(),
        warnings: prepared.warnings.clone(),
        total_hits: prepared.total,
        total_articles: prepared.total,
        took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        hits,
        facets,
    })
}

/// The best `k` articles by article score (in mode `most`, those holding
/// every word and those holding some), the first `rerank` of them re-ranked
/// with their passage evidence.
fn ranked_candidates(
    index: &OpenIndex,
    searcher: &Searcher,
    prepared: &Prepared,
    evidence: &Evidence<'_>,
    k: usize,
    rerank: usize,
) -> Result<Vec<Ranked>> {
    let err = |e| index.tantivy(e);
    let mut found: Vec<Ranked> = Vec::new();
    // The best `k` of a query: found by `prepare` already, or now.
    let top_of = |query: &dyn Query, found: &First| match found {
        Some((n, top)) if *n == k => Ok(top.clone()),
        _ => collect::top(searcher, query, k).map_err(err),
    };
    if let Some(complete) = &prepared.complete {
        for m in top_of(complete.as_ref(), &prepared.complete_top)? {
            found.push(Ranked {
                matched: m,
                evidence: None,
                complete: true,
                score: m.score,
            });
        }
    }
    let known: std::collections::HashSet<DocAddress> =
        found.iter().map(|r| r.matched.address).collect();
    for m in top_of(prepared.query.as_ref(), &prepared.query_top)? {
        if !known.contains(&m.address) {
            found.push(Ranked {
                matched: m,
                evidence: None,
                complete: prepared.mode == Mode::All,
                score: m.score,
            });
        }
    }
    // Article scores first (complete matches ahead in mode `most`) ...
    found.sort_by(order);
    // ... then the head re-ranked with what its passages hold.
    let head = found.len().min(rerank);
    let addresses: Vec<DocAddress> = found[..head].iter().map(|r| r.matched.address).collect();
    let presence = prepared.mode != Mode::All;
    let gathered = evidence.gather(&addresses, presence).map_err(err)?;
    for (r, e) in found[..head].iter_mut().zip(gathered) {
        r.complete = match prepared.mode {
            Mode::All => true,
            Mode::Most => e.missing().next().is_none(),
            // Relevance alone.
            Mode::Any => false,
        };
        r.score = final_score(r.matched.score, &e);
        r.evidence = Some(e);
    }
    found[..head].sort_by(order);
    Ok(found)
}

/// Complete matches first, then by score; the article id breaks ties.
fn order(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.complete
        .cmp(&a.complete)
        .then(b.score.total_cmp(&a.score))
        .then(a.matched.aid.cmp(&b.matched.aid))
}

/// An article's score: its BM25 plus its best passage's evidence.
fn final_score(article: f32, evidence: &ArticleEvidence) -> f32 {
    article + PASSAGE_WEIGHT * evidence.best().map_or(0.0, |p| p.score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::sync::{self, SyncOptions};
    use crate::progress::NoProgress;

    /// The candidates a search ranks are the same whether the best articles
    /// holding every word were found while counting them or by a pass of
    /// their own, in every mode, with and without filters.
    #[test]
    fn counting_and_ranking_in_one_pass_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let taxonomy = Taxonomy::builtin();
        let index_dir = dir.path().join("index");
        sync::sync(
            &SyncOptions::new(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
                index_dir.clone(),
                &taxonomy,
                chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ),
            &NoProgress,
        )
        .expect("index the seeds");
        let index = crate::index::open(&index_dir).expect("open");
        let searcher = index.reader.searcher();
        let mut one_pass = 0;
        let mut modes = Vec::new();
        for (text, strict, any, state) in [
            ("\"industrial park\"", false, false, None),
            ("\"industrial park\"", true, false, None),
            ("\"state government\"", false, false, None),
            ("investment policy", false, false, None),
            ("semiconductor Japan", false, false, None),
            ("\"chief minister\" -\"no such words\"", false, false, None),
            ("investment", false, false, Some("Assam")),
            ("investment", false, false, None),
            ("zzqq investment", false, false, None),
            ("\"industrial park\" Japan", false, true, None),
            ("\"industrial park\"", false, true, Some("Assam")),
        ] {
            let mut request = SearchRequest {
                query: text.into(),
                strict,
                any,
                ..SearchRequest::default()
            };
            if let Some(state) = state {
                request.filters.states.push(state.into());
            }
            let (wanted, k) = (10, RERANK);
            let alone = prepare(&index, &searcher, &taxonomy, &request, wanted, 0).unwrap();
            let joint = prepare(&index, &searcher, &taxonomy, &request, wanted, k).unwrap();
            assert!(alone.query_top.is_none() && alone.complete_top.is_none());
            one_pass += usize::from(joint.query_top.is_some());
            modes.push(joint.mode);
            assert_eq!(
                (alone.total, alone.mode),
                (joint.total, joint.mode),
                "{text}"
            );
            let evidence = Evidence::new(&searcher, &index.fields, &joint.plan);
            let ranked = |p: &Prepared| -> Vec<(DocAddress, u32, bool)> {
                ranked_candidates(&index, &searcher, p, &evidence, k, k)
                    .unwrap()
                    .iter()
                    .map(|r| (r.matched.address, r.score.to_bits(), r.complete))
                    .collect()
            };
            let expected = ranked(&alone);
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(expected, ranked(&joint), "{text}");
        }
        // Phrases, several words and filters took the single pass.
        assert_eq!(one_pass, 10);
        for mode in [Mode::All, Mode::Most, Mode::Any] {
            assert!(modes.contains(&mode), "{mode:?} not tried");
        }
    }
}
