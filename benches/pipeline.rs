//! Micro-benchmarks of the indexing pipeline and of one query (`cargo bench`).
//!
//! clean, extract and passage split run on one fixed generated article (the
//! generator of `examples/gen_corpus.rs`, seed 1, article 7); the query runs on
//! a fixed index of 300 generated articles built in a temporary folder.

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use std::sync::LazyLock;

use chrono::NaiveDate;
use divan::{black_box, Bencher};
use newsidx::index::sync::{self, SyncOptions};
use newsidx::progress::NoProgress;
use newsidx::search::{self, Filters, SearchRequest};
use newsidx::taxonomy::Taxonomy;
use tantivy::tokenizer::TokenStream;

fn main() {
    divan::main();
}

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::builtin);
static VOCAB: LazyLock<gen_corpus::Vocab> = LazyLock::new(gen_corpus::Vocab::new);
static TEXT: LazyLock<String> = LazyLock::new(|| gen_corpus::article(&VOCAB, 1, 7).text());
static CLEANED: LazyLock<String> = LazyLock::new(|| newsidx::clean::clean(&TEXT));

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date")
}

#[divan::bench]
fn clean(b: Bencher) {
    b.counter(divan::counter::BytesCount::new(TEXT.len()))
        .bench(|| newsidx::clean::clean(black_box(&TEXT)));
}

#[divan::bench]
fn extract(b: Bencher) {
    let taxonomy = &*TAXONOMY;
    b.counter(divan::counter::BytesCount::new(CLEANED.len()))
        .bench(|| newsidx::extract::extract(None, black_box(&CLEANED), taxonomy, today()));
}

#[divan::bench]
fn passage_split(b: Bencher) {
    b.counter(divan::counter::BytesCount::new(CLEANED.len()))
        .bench(|| newsidx::passage::split(black_box(&CLEANED)));
}

/// clean + extract + split, as the indexer does per article (without tantivy).
/// The text analyzer over one cleaned article: every token, as indexing
/// cuts a passage (tokenizer, folding, stems, marked twins).
#[divan::bench]
fn analyze(b: Bencher) {
    let mut analyzer = newsidx::index::analyzer::analyzer();
    b.counter(divan::counter::BytesCount::new(CLEANED.len()))
        .bench_local(|| {
            let mut stream = analyzer.token_stream(black_box(&CLEANED));
            let mut n = 0usize;
            while stream.advance() {
                n += stream.token().text.len();
            }
            n
        });
}

/// Where each passage starts: the positions the analyzer gives one article.
#[divan::bench]
fn position_span(b: Bencher) {
    b.counter(divan::counter::BytesCount::new(CLEANED.len()))
        .bench(|| newsidx::index::analyzer::position_span(black_box(&CLEANED)));
}

#[divan::bench]
fn prepare_article(b: Bencher) {
    let taxonomy = &*TAXONOMY;
    b.counter(divan::counter::BytesCount::new(TEXT.len()))
        .bench(|| {
            let cleaned = newsidx::clean::clean(black_box(&TEXT));
            let meta = newsidx::extract::extract(None, &cleaned, taxonomy, today());
            (meta, newsidx::passage::split(&cleaned))
        });
}

/// A fixed index of 300 generated articles, built once in a temporary folder.
struct Fixture {
    dir: tempfile::TempDir,
    index: newsidx::index::OpenIndex,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).expect("articles dir");
    for n in 0..300 {
        let a = gen_corpus::article(&VOCAB, 1, n);
        std::fs::write(articles.join(format!("{n:06}.txt")), a.text()).expect("write article");
    }
    let root = dir.path().join("index");
    let options = SyncOptions::new(articles, root.clone(), &TAXONOMY, today());
    sync::sync(&options, &NoProgress).expect("build the fixture index");
    let index = newsidx::index::open(&root).expect("open the fixture index");
    Fixture { dir, index }
});

fn request(query: &str, states: &[&str]) -> SearchRequest {
    let states: Vec<String> = states.iter().map(|s| s.to_string()).collect();
    SearchRequest {
        query: query.to_string(),
        filters: Filters::resolve(&TAXONOMY, &states, &[], &[], None, None, false)
            .expect("valid filters"),
        ..SearchRequest::default()
    }
}

#[divan::bench(args = ["semiconductor", "the government", "\"green hydrogen\"", "investment"])]
fn query(b: Bencher, q: &str) {
    let fixture = &*FIXTURE;
    let req = request(q, &[]);
    b.bench(|| search::run(&fixture.index, &TAXONOMY, black_box(&req)).expect("search"));
}

#[divan::bench]
fn query_state_filter(b: Bencher) {
    let fixture = &*FIXTURE;
    let req = request("investment", &["Karnataka"]);
    b.bench(|| search::run(&fixture.index, &TAXONOMY, black_box(&req)).expect("search"));
}

/// Opening the index: part of every one-query-per-process search.
#[divan::bench]
fn open_index(b: Bencher) {
    let root = FIXTURE.dir.path().join("index");
    b.bench(|| newsidx::index::open(black_box(&root)).expect("open"));
}
