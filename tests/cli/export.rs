//! `export`: Quickwit, Elasticsearch and NDJSON output on the seeds — every
//! line is JSON, documents match the written config and mapping, counts match
//! `stats`, dates are `YYYY-MM-DD`, and an NDJSON export indexes back into the
//! same articles.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use newsidx::export::{ArticleLine, PassageLine};
use newsidx::print::json::{ListDoc, StatsDoc};
use serde_json::Value;

use crate::harness::Env;

fn indexed_seeds() -> Env {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    env
}

fn stats(env: &Env) -> StatsDoc {
    env.json(&["stats", "--json"])
}

/// Every line of `path` as JSON; the file ends with a newline.
fn json_file(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(text.ends_with('\n'), "{}: no final newline", path.display());
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn assert_day(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("date {value} is not a string"));
    assert_eq!(text.len(), 10, "{text}");
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"));
}

/// The field mappings of a Quickwit index config, read line by line:
/// field name → option → value.
fn quickwit_fields(config: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut fields: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = None;
    for line in config.lines() {
        if let Some(name) = line.strip_prefix("    - name: ") {
            current = Some(name.trim().to_string());
            fields.entry(name.trim().to_string()).or_default();
        } else if let (Some(name), Some(option)) = (&current, line.strip_prefix("      ")) {
            if let Some((key, value)) = option.split_once(": ") {
                fields
                    .entry(name.clone())
                    .or_default()
                    .insert(key.to_string(), value.trim().to_string());
            }
        } else {
            current = None;
        }
    }
    fields
}

/// True when `value` has the JSON shape Quickwit's `kind` accepts.
fn quickwit_accepts(kind: &str, value: &Value) -> bool {
    match kind {
        "text" => value.is_string(),
        "array<text>" => value
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)),
        "u64" => value.is_u64(),
        "datetime" => value.is_string(),
        _ => false,
    }
}

#[test]
fn quickwit_documents_match_their_config() {
    let env = indexed_seeds();
    let out = env.dir.path().join("qw");
    env.ok(&["export", "--to", "quickwit", "--out", out.to_str().unwrap()]);
    let config = std::fs::read_to_string(out.join("index-config.yaml")).unwrap();
    let fields = quickwit_fields(&config);
    let expected: BTreeSet<&str> = [
        "article_id",
        "path",
        "url",
        "title",
        "text",
        "ordinal",
        "state",
        "sector",
        "prefecture",
        "org",
        "lang",
        "amount_inr",
        "date",
    ]
    .into();
    assert_eq!(
        fields.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        expected
    );
    for name in ["title", "text"] {
        assert_eq!(fields[name]["type"], "text");
        assert_eq!(fields[name]["tokenizer"], "en_stem");
        assert_eq!(fields[name]["record"], "position");
    }
    for name in ["state", "sector", "prefecture"] {
        assert_eq!(fields[name]["type"], "array<text>");
        assert_eq!(fields[name]["tokenizer"], "raw");
        assert_eq!(fields[name]["fast"], "true");
    }
    assert_eq!(fields["date"]["type"], "datetime");
    assert_eq!(fields["date"]["input_formats"], r#"["%Y-%m-%d"]"#);
    assert_eq!(fields["date"]["fast"], "true");
    assert!(config.contains("\n  default_search_fields: [text, title]\n"));
    // Two seeds are undated: Quickwit would drop their passages if `date`
    // were the timestamp field.
    assert!(!config.contains("\n  timestamp_field: date\n"), "{config}");

    let docs = json_file(&out.join("passages.ndjson"));
    let stats = stats(&env);
    assert_eq!(docs.len() as u64, stats.passages);
    let mut articles = BTreeSet::new();
    let mut undated = BTreeSet::new();
    for doc in &docs {
        for (key, value) in doc.as_object().unwrap() {
            let kind = fields
                .get(key)
                .and_then(|f| f.get("type"))
                .unwrap_or_else(|| panic!("{key} is not in the config"));
            assert!(
                quickwit_accepts(kind, value),
                "{key}: {value} is not {kind}"
            );
        }
        match doc.get("date") {
            Some(date) => assert_day(date),
            None => {
                undated.insert(doc["article_id"].to_string());
            }
        }
        articles.insert(doc["article_id"].to_string());
        let line: PassageLine = serde_json::from_value(doc.clone()).unwrap();
        assert!(!line.text.is_empty() && !line.title.is_empty());
    }
    assert_eq!(articles.len() as u64, stats.articles);
    assert_eq!(undated.len() as u64, stats.undated);
}

#[test]
fn quickwit_timestamp_field_is_set_when_every_article_is_dated() {
    let env = Env::with_seeds();
    env.remove("003_065212f2a6833298.txt");
    env.remove("004_99177678883e7b96.txt");
    env.ok(&["index", "--quiet"]);
    let out = env.dir.path().join("qw");
    let run = env.run(&["export", "--to", "quickwit", "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    let config = std::fs::read_to_string(out.join("index-config.yaml")).unwrap();
    assert!(config.contains("\n  timestamp_field: date\n"), "{config}");
    assert!(!String::from_utf8_lossy(&run.stderr).contains("note:"));
    for doc in json_file(&out.join("passages.ndjson")) {
        assert_day(&doc["date"]);
    }
}

#[test]
fn elasticsearch_bulk_alternates_actions_and_documents() {
    let env = indexed_seeds();
    let out = env.dir.path().join("es");
    env.ok(&[
        "export",
        "--to",
        "elasticsearch",
        "--out",
        out.to_str().unwrap(),
    ]);
    let mapping: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("mapping.json")).unwrap()).unwrap();
    let analyzers = mapping["settings"]["analysis"]["analyzer"]
        .as_object()
        .unwrap();
    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    for name in ["title", "text"] {
        assert_eq!(properties[name]["type"], "text");
        let analyzer = properties[name]["analyzer"].as_str().unwrap();
        assert!(analyzers.contains_key(analyzer), "{analyzer}");
    }
    for name in ["state", "sector", "prefecture"] {
        assert_eq!(properties[name]["type"], "keyword");
    }
    assert_eq!(properties["date"]["type"], "date");
    assert_eq!(properties["date"]["format"], "yyyy-MM-dd");

    let lines = json_file(&out.join("bulk.ndjson"));
    assert_eq!(lines.len() % 2, 0);
    let stats = stats(&env);
    assert_eq!(lines.len() as u64 / 2, stats.passages);
    let mut ids = HashSet::new();
    for pair in lines.chunks(2) {
        let (action, doc) = (&pair[0], &pair[1]);
        let meta = action["index"].as_object().expect("an index action");
        assert_eq!(meta["_index"], "newsidx");
        let id = meta["_id"].as_str().unwrap();
        assert_eq!(
            id,
            format!("{}-{}", doc["article_id"].as_str().unwrap(), doc["ordinal"])
        );
        assert!(ids.insert(id.to_string()), "duplicate _id {id}");
        for (key, value) in doc.as_object().unwrap() {
            let kind = properties
                .get(key)
                .and_then(|p| p["type"].as_str())
                .unwrap_or_else(|| panic!("{key} is not in the mapping"));
            let ok = match kind {
                "keyword" => {
                    value.is_string()
                        || value
                            .as_array()
                            .is_some_and(|a| a.iter().all(Value::is_string))
                }
                "text" => value.is_string(),
                "integer" => value.as_u64().is_some_and(|n| n <= i32::MAX as u64),
                "long" => value.as_u64().is_some_and(|n| n <= i64::MAX as u64),
                "date" => {
                    assert_day(value);
                    true
                }
                _ => false,
            };
            assert!(ok, "{key}: {value} is not {kind}");
        }
    }
}

#[test]
fn ndjson_counts_equal_stats_in_a_stable_order() {
    let env = indexed_seeds();
    let stats = stats(&env);
    let articles: Vec<ArticleLine> = env.json_lines(&["export", "--to", "ndjson"]);
    assert_eq!(articles.len() as u64, stats.articles);
    assert_eq!(
        articles.iter().map(|a| a.record.passages).sum::<u64>(),
        stats.passages
    );
    let paths: Vec<&str> = articles.iter().map(|a| a.record.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    for a in &articles {
        if let Some(date) = &a.record.meta.date {
            assert_day(&Value::String(date.to_string()));
        }
        assert!(!a.body.is_empty(), "{}", a.record.path);
    }
    assert_eq!(
        articles
            .iter()
            .filter(|a| a.record.meta.date.is_none())
            .count() as u64,
        stats.undated
    );

    let file = env.dir.path().join("out/passages.ndjson");
    let run = env.run(&[
        "export",
        "--to",
        "ndjson",
        "--passages",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "exported {} articles, {} passages to",
            stats.articles, stats.passages
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("exporting"),
        "progress bar off a terminal: {stderr}"
    );
    let passages: Vec<PassageLine> = json_file(&file)
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    assert_eq!(passages.len() as u64, stats.passages);
    let keys: Vec<(&str, u64)> = passages
        .iter()
        .map(|p| (p.path.as_str(), p.ordinal))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The same index exports the same bytes.
    let again = env.ok(&["export", "--to", "ndjson", "--passages"]);
    assert_eq!(again, std::fs::read_to_string(&file).unwrap());
}

#[test]
fn ndjson_round_trip_indexes_to_the_same_articles() {
    let env = indexed_seeds();
    let exported = env.ok(&["export", "--to", "ndjson"]);
    let copy = Env::new();
    copy.write("export.jsonl", &exported);
    copy.ok(&["index", "--quiet"]);

    let original: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let reindexed: BTreeMap<String, ListDoc> = copy
        .json_lines::<ListDoc>(&["list", "--json"])
        .into_iter()
        .map(|d| (d.path.clone(), d))
        .collect();
    assert_eq!(original.len(), reindexed.len());
    // Line N of the export is the Nth article in path order.
    for (i, before) in original.iter().enumerate() {
        let after = &reindexed[&format!("export.jsonl:{}", i + 1)];
        let view = |d: &ListDoc| {
            (
                d.meta.title.clone(),
                d.meta.date,
                d.meta.states.clone(),
                d.meta.sectors.clone(),
                d.meta.prefectures.clone(),
                d.passages,
            )
        };
        assert_eq!(view(before), view(after), "{}", before.path);
    }
}

#[test]
fn export_errors_name_the_path() {
    let env = indexed_seeds();
    let blocker = env.dir.path().join("taken");
    std::fs::write(&blocker, "a file, not a folder").unwrap();
    let run = env.run(&[
        "export",
        "--to",
        "quickwit",
        "--out",
        blocker.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(blocker.to_str().unwrap()), "{stderr}");

    let run = env.run(&["export", "--to", "elasticsearch"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--out DIR"));

    let run = env.run(&["export", "--to", "quickwit", "--passages", "--out", "x"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--passages"));

    let inside = blocker.join("passages.ndjson");
    let run = env.run(&[
        "export",
        "--to",
        "ndjson",
        "--out",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains(blocker.to_str().unwrap()));
}
