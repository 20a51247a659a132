//! The JSON contract, guarded by snapshots of real output on the seeds
//! (`insta`; scores, timings and sizes redacted). A change to a field's
//! name, type, presence or meaning shows up here as a diff to review:
//! `cargo insta review`, or `INSTA_UPDATE=always cargo test` and `git diff`.

use serde_json::Value;

use crate::harness::Env;

fn indexed_seeds() -> Env {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    env
}

/// Every stdout line of `args`, parsed.
fn lines(env: &Env, args: &[&str]) -> Vec<Value> {
    env.json_lines(args)
}

#[test]
fn search_json_keeps_its_shape() {
    let env = indexed_seeds();
    let doc: Value = env.json(&["search", "--json", "--limit", "2", "semiconductor Japan"]);
    insta::assert_json_snapshot!("search_json", doc, {
        ".took_ms" => "[ms]",
        ".hits[].score" => "[score]",
    });
}

#[test]
fn partial_matches_say_what_they_lack() {
    let env = indexed_seeds();
    let doc: Value = env.json(&[
        "search",
        "--json",
        "--limit",
        "3",
        "--facets",
        "Assam semiconductor zundtron",
    ]);
    insta::assert_json_snapshot!("search_json_partial", doc, {
        ".took_ms" => "[ms]",
        ".hits[].score" => "[score]",
    });
}

#[test]
fn search_jsonl_and_count_keep_their_shape() {
    let env = indexed_seeds();
    let hits = lines(
        &env,
        &["search", "--jsonl", "--limit", "2", "Toyota Karnataka"],
    );
    insta::assert_json_snapshot!("search_jsonl", hits, {
        "[].score" => "[score]",
    });
    let count = lines(&env, &["search", "--count", "--json", "Toyota"]);
    insta::assert_json_snapshot!("search_count", count, {
        "[].took_ms" => "[ms]",
    });
}

#[test]
fn list_show_and_stats_keep_their_shape() {
    let env = indexed_seeds();
    let listed = lines(&env, &["list", "--json"]);
    insta::assert_json_snapshot!("list_json", listed);
    let first = listed[0]["path"]
        .as_str()
        .expect("a listed path")
        .to_string();
    let shown: Value = env.json(&["show", "--json", &first]);
    insta::assert_json_snapshot!("show_json", shown);
    let stats: Value = env.json(&["stats", "--json"]);
    insta::assert_json_snapshot!("stats_json", stats, {
        ".index_bytes" => "[bytes]",
    });
}

#[test]
fn batch_answers_keep_their_shape() {
    let env = indexed_seeds();
    let out = env
        .command(&["search", "--queries", "-", "--limit", "1"])
        .write_stdin("{\"query\": \"Toyota\", \"state\": \"Karnataka\"}\n\n{\"query\": \"solar\", \"strict\": true}\n")
        .output()
        .expect("batch runs");
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(answers.len(), 3, "one answer per input line");
    insta::assert_json_snapshot!("batch", answers, {
        "[].took_ms" => "[ms]",
        "[].hits[].score" => "[score]",
    });
}
