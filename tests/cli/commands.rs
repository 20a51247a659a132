//! The command line as users of ripgrep, fd and git expect it: help flags,
//! what an index remembers, one answer per batch line, layout at a fixed
//! width.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use newsidx::print::json::ListDoc;

use crate::harness::{search, Env};

/// `newsidx --index INDEX --articles ARTICLES ARGS` with a clean environment.
fn run_with(env: &Env, articles: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("newsidx")
        .expect("binary")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .current_dir(env.dir.path())
        .arg("--index")
        .arg(env.index())
        .arg("--articles")
        .arg(articles)
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn help_and_version_flags_never_search() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    for args in [
        &["search", "-h"][..],
        &["timeline", "-h", "--json"],
        &["eval", "search", "-h"],
    ] {
        let out = env.ok(args);
        assert!(out.contains("Usage:"), "{args:?}: {out}");
    }
    let out = env.ok(&["search", "-V"]);
    assert!(out.starts_with("newsidx"), "{out}");
    // A word starting with '-' is an exclusion after --.
    let doc = search(&env, &["--", "semiconductor", "-Assam"]);
    assert!(doc
        .hits
        .iter()
        .all(|h| !h.article.record.meta.states.contains(&"Assam".to_string())));
    env.expect(2, &["search", "semiconductor", "-Assam"]);
}

#[test]
fn another_articles_folder_is_refused_not_deleted() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    let before: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let other = env.dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("x.txt"),
        "Goa courts hoteliers\nPanaji: the minister met investors from Osaka.\n",
    )
    .unwrap();
    let out = run_with(&env, &other, &["index"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--rebuild") && stderr.contains("other"),
        "{stderr}"
    );
    assert_eq!(env.json_lines::<ListDoc>(&["list", "--json"]), before);
    // Asked for, the rebuild takes the other folder.
    let out = run_with(&env, &other, &["index", "--rebuild", "--quiet"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_with(&env, &other, &["list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn an_index_keeps_the_taxonomy_it_was_built_with() {
    let env = Env::new();
    env.write(
        "kubota.txt",
        "Kubota expands in Gujarat\nAhmedabad: Kubota, the Japanese tractor maker, will add a \
         line at its plant in Gujarat, the state government said on Monday.\n",
    );
    // The built-in taxonomy with one more organisation.
    let taxonomy = env.dir.path().join("mine.toml");
    std::fs::write(
        &taxonomy,
        format!(
            "{}\n[[org]]\nname = \"Kubota\"\n",
            include_str!("../../data/taxonomy.toml")
        ),
    )
    .unwrap();
    let tax = taxonomy.to_str().unwrap();
    env.ok(&["--taxonomy", tax, "index", "--quiet"]);
    // Later runs without --taxonomy use it: a plain run changes nothing and
    // --org Kubota is known.
    let summary: serde_json::Value =
        serde_json::from_str(env.ok(&["index", "--json"]).trim()).unwrap();
    assert_eq!(summary["rebuilt"], false, "{summary}");
    assert_eq!(summary["unchanged"], 1, "{summary}");
    let doc = search(&env, &["--org", "Kubota", "tractor"]);
    assert_eq!(doc.hits.len(), 1);
    // Even when the file is gone: the index keeps a copy.
    std::fs::remove_file(&taxonomy).unwrap();
    assert_eq!(search(&env, &["--org", "Kubota", "tractor"]).hits.len(), 1);
    // Another taxonomy is refused until asked for.
    let other = env.dir.path().join("other.toml");
    std::fs::write(&other, include_str!("../../data/taxonomy.toml")).unwrap();
    let out = env.run(&["--taxonomy", other.to_str().unwrap(), "index"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rebuild"));
    env.ok(&[
        "--taxonomy",
        other.to_str().unwrap(),
        "index",
        "--rebuild",
        "--quiet",
    ]);
    env.expect(2, &["search", "--org", "Kubota", "tractor"]);
}

#[test]
fn every_batch_line_gets_one_answer() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    let file = env.dir.path().join("q.txt");
    let mut input = b"semiconductor\n\n".to_vec();
    input.extend_from_slice(b"bad \xff byte\n");
    input.extend_from_slice(&vec![b'x'; 70 * 1024]);
    input.extend_from_slice(b"\nJapan\n");
    std::fs::write(&file, input).unwrap();
    let out = env.run(&["search", "--queries", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "bad lines make the exit status 2"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0]["total_articles"].as_u64().unwrap() > 0);
    assert!(lines[1]["error"].as_str().unwrap().contains("empty"));
    assert!(lines[2]["error"].as_str().unwrap().contains("UTF-8"));
    assert!(lines[3]["error"].as_str().unwrap().contains("longer"));
    assert_eq!(lines[4]["id"], "5");
    assert!(lines[4]["total_articles"].as_u64().unwrap() > 0);
}

#[test]
fn facets_come_last_with_jsonl() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    let out = env.ok(&["search", "--jsonl", "--facets", "Japan"]);
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert!(last["facets"]["states"].is_object(), "{last}");
}

#[test]
fn human_output_wraps_at_columns_and_groups_an_articles_passages() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    let out = env
        .command(&[
            "search",
            "--color",
            "never",
            "--per-article",
            "2",
            "--limit",
            "1",
            "semiconductor",
        ])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for line in text.lines() {
        assert!(
            line.chars().count() <= 60 || !line.contains(' '),
            "longer than 60 columns: {line:?}"
        );
    }
    // One article: one rank, one header, two passages.
    assert_eq!(text.matches("  1. ").count(), 1, "{text}");
    assert!(!text.contains("  2. "), "{text}");
    assert_eq!(text.matches(".txt#").count(), 2, "{text}");
    assert!(text.contains("articles matched"), "{text}");
}

#[test]
fn timeline_bars_count_articles_not_mentions() {
    let env = Env::new();
    let line = |date: &str, states: &str, n: u32| {
        format!(
            "{{\"title\":\"Delegation {n}\",\"date\":\"{date}\",\"states\":{states},\
             \"body\":\"A delegation met investors in Tokyo on the plans of the state, story {n}.\"}}\n"
        )
    };
    let mut text = line("2025-01-10", r#"["Goa","Kerala","Assam"]"#, 1);
    text.push_str(&line("2025-04-10", r#"["Goa"]"#, 2));
    text.push_str(&line("2025-05-10", r#"["Kerala"]"#, 3));
    env.write("a.jsonl", text);
    env.ok(&["index", "--quiet"]);
    let out = env
        .command(&[
            "timeline", "--by", "quarter", "--split", "state", "--color", "never",
        ])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let bar = |period: &str| {
        text.lines()
            .find(|l| l.starts_with(period))
            .map(|l| l.chars().filter(|c| "█▓▒░■▪".contains(*c)).count())
            .unwrap_or_else(|| panic!("{period} in {text}"))
    };
    // Q1 has one article naming three states, Q2 two articles.
    assert!(bar("2025-Q2") > bar("2025-Q1"), "{text}");
    assert_eq!(bar("2025-Q2"), 2 * bar("2025-Q1"), "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
}

#[test]
fn show_takes_the_locator_search_prints_and_id_prefixes() {
    let env = Env::with_seeds();
    env.write(
        "web.jsonl",
        "{\"title\": \"Goa courts hoteliers\", \"url\": \"https://example.com/goa\", \"body\": \"Panaji: the tourism minister met investors from Osaka on Friday about beach resorts and ferries.\"}\n",
    );
    env.ok(&["index", "--quiet"]);
    let doc = search(&env, &["--per-article", "3", "semiconductor"]);
    let hit = &doc.hits[1];
    let locator = format!("{}#{}", hit.article.record.path, hit.passage.ordinal);
    let shown: serde_json::Value = env.json(&["show", &locator, "--json"]);
    assert_eq!(shown["focus"], hit.passage.ordinal);
    let human = env.ok(&["show", &locator, "--color", "never"]);
    assert!(human.contains(&format!("▶ {locator}")), "{human}");
    assert!(human.contains(hit.passage.text.split_whitespace().next().unwrap()));
    env.expect(2, &["show", &format!("{}#999", hit.article.record.path)]);
    // A unique prefix of an id.
    let prefix = &hit.article.record.id[..6];
    let shown: serde_json::Value = env.json(&["show", prefix, "--json"]);
    assert_eq!(shown["article"]["id"], hit.article.record.id.as_str());
    // The url, where known, in list --json, search --json and the human line.
    let listed: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let goa = listed
        .iter()
        .find(|d| d.meta.title == "Goa courts hoteliers")
        .unwrap();
    assert_eq!(goa.url.as_deref(), Some("https://example.com/goa"));
    let found = search(&env, &["hoteliers"]);
    assert_eq!(
        found.hits[0].article.record.url.as_deref(),
        Some("https://example.com/goa")
    );
    let human = env.ok(&["search", "--color", "never", "hoteliers"]);
    assert!(human.contains("https://example.com/goa"), "{human}");
}
