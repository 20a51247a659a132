//! `index`, `list`, `stats`, `show`: readers, cleaning, metadata, incremental sync.

use std::collections::BTreeMap;

use newsidx::print::json::{ListDoc, StatsDoc};
use serde_json::Value;

use crate::harness::Env;

fn list(env: &Env) -> BTreeMap<String, ListDoc> {
    env.json_lines::<ListDoc>(&["list", "--json"])
        .into_iter()
        .map(|d| (d.path.clone(), d))
        .collect()
}

fn counts(summary: &Value) -> [u64; 5] {
    ["added", "updated", "removed", "unchanged", "skipped"].map(|k| summary[k].as_u64().unwrap())
}

#[test]
fn seeds_get_their_dates_and_states() {
    let env = Env::with_seeds();
    let summary = env.index_json(&[]);
    assert_eq!(counts(&summary), [5, 0, 0, 0, 0]);
    let docs = list(&env);
    let expected = [
        (
            "000_8b97a1bc6a3ecd42.txt",
            Some("2025-02-06"),
            vec!["Assam"],
        ),
        (
            "001_a25e3bb1cf0e3701.txt",
            Some("2025-08-23"),
            vec!["Chhattisgarh"],
        ),
        (
            "002_747ebf3e227c41f1.txt",
            Some("2024-01-10"),
            vec!["Karnataka"],
        ),
        ("003_065212f2a6833298.txt", None, vec!["Uttar Pradesh"]),
        ("004_99177678883e7b96.txt", None, vec![]),
    ];
    assert_eq!(docs.len(), 5);
    for (path, date, states) in expected {
        let doc = &docs[path];
        assert_eq!(doc.day().as_deref(), date, "{path}");
        assert_eq!(doc.meta.states, states, "{path}");
        assert!(doc.passages > 0, "{path}");
        assert!(
            !doc.meta.title.is_empty() && doc.meta.title.len() <= 140,
            "{path}: {}",
            doc.meta.title
        );
    }
    assert_eq!(
        docs["001_a25e3bb1cf0e3701.txt"].meta.title,
        "Chhattisgarh CM Visits Japan to Attract Tech & Trade Investments"
    );
    assert!(docs["003_065212f2a6833298.txt"]
        .meta
        .prefectures
        .contains(&"Osaka".to_string()));
    assert!(docs["000_8b97a1bc6a3ecd42.txt"]
        .meta
        .sectors
        .contains(&"semiconductors".to_string()));
}

#[test]
fn seed_junk_is_not_indexed() {
    let env = Env::with_seeds();
    env.ok(&["index"]);
    for doc in list(&env).values() {
        let shown: Value = env.json(&["show", &doc.path, "--json"]);
        for passage in shown["passages"].as_array().unwrap() {
            let text = passage.as_str().unwrap();
            for junk in ["cookies", "wordpress", "Subscribe"] {
                assert!(!text.contains(junk), "{}: {junk:?} in {text:?}", doc.path);
            }
            assert!(
                !text.to_lowercase().contains("also read"),
                "{}: {text:?}",
                doc.path
            );
        }
    }
    for junk in ["cookies", "wordpress", "Subscribe", "\"also read\""] {
        env.expect(1, &["search", "--strict", junk]);
    }
}

#[test]
fn every_reader_and_every_bad_input() {
    let env = Env::new();
    env.write(
        "a/story.txt",
        "Gujarat signs chip deal\nA plain text story about Gujarat and quokkas.\n",
    );
    env.write(
        "b/page.html",
        r#"<html><head><title>Site</title><meta property="og:title" content="Kerala hosts Japan mela">
        <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
        <body><nav>Home | News</nav><article><p>Kochi, Kerala welcomed the wombat festival.</p></article>
        <footer>Copyright footer text</footer></body></html>"#,
    );
    env.write(
        "c/notes.md",
        "# Odisha steel\n\nA markdown story about\nOdisha and platypus mills.\n",
    );
    env.write(
        "d/feed.jsonl",
        concat!(
            "{\"title\":\"Goa tourism push\",\"body\":\"Goa courts Japanese tourists with echidna tours.\",\"date\":\"2023-07-01\",\"states\":[\"goa\"],\"sectors\":[\"tourism-culture\"]}\n",
            "{this is not json\n",
            "{\"title\":\"Punjab food parks\",\"body\":\"Punjab food processing with numbat partners.\"}\n",
        ),
    );
    env.write(
        "e/latin1.txt",
        b"Caf\xe9 owners in Pune meet Japanese investors about dugong trade.\n".as_slice(),
    );
    env.write("f/binary.txt", b"\x00\x01\x02binary".as_slice());
    env.write("g/empty.txt", "");
    env.write("h/picture.png", "not an article");
    env.write(".hidden/secret.txt", "hidden file never read");

    let out = env.run(&["index", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // 5 good files (the JSONL counts once), 3 skipped, hidden never seen.
    assert_eq!(counts(&summary), [5, 0, 0, 0, 3], "{summary}");
    assert_eq!(summary["files"], 8);
    assert_eq!(summary["articles"], 6);
    assert!(stderr.contains("d/feed.jsonl:2: "), "{stderr}");
    assert!(stderr.contains("e/latin1.txt: invalid UTF-8"), "{stderr}");
    assert!(
        stderr.contains("f/binary.txt: skipped: contains NUL"),
        "{stderr}"
    );
    assert!(stderr.contains("g/empty.txt: skipped"), "{stderr}");
    assert!(
        stderr.contains("h/picture.png: skipped: not an article format"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "{stderr}");

    let docs = list(&env);
    let paths: Vec<&str> = docs.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "a/story.txt",
            "b/page.html",
            "c/notes.md",
            "d/feed.jsonl:1",
            "d/feed.jsonl:3",
            "e/latin1.txt"
        ]
    );
    let html = &docs["b/page.html"];
    assert_eq!(html.meta.title, "Kerala hosts Japan mela");
    assert_eq!(html.day().as_deref(), Some("2024-03-05"));
    let goa = &docs["d/feed.jsonl:1"];
    assert_eq!(goa.meta.states, ["Goa"]);
    assert_eq!(goa.meta.sectors, ["tourism-culture"]);
    assert_eq!(goa.day().as_deref(), Some("2023-07-01"));
    // Every good article is searchable by its own word; junk from HTML is not.
    for word in [
        "quokkas", "wombat", "platypus", "echidna", "numbat", "dugong",
    ] {
        env.ok(&["search", word]);
    }
    for junk in ["footer", "News"] {
        env.expect(1, &["search", &format!("title:{junk} OR {junk}")]);
    }
}

#[test]
fn incremental_add_edit_delete_and_noop() {
    let env = Env::with_seeds();
    env.ok(&["index"]);
    let before = list(&env);

    env.write(
        "new.txt",
        "Telangana courts Japanese firms\nHyderabad hosts a meeting on axolotl farming.\n",
    );
    assert_eq!(counts(&env.index_json(&[])), [1, 0, 0, 5, 0]);
    env.ok(&["search", "axolotl"]);

    env.write(
        "new.txt",
        "Telangana courts Japanese firms\nHyderabad hosts a meeting on capybara farming.\n",
    );
    assert_eq!(counts(&env.index_json(&[])), [0, 1, 0, 5, 0]);
    env.expect(1, &["search", "axolotl"]);
    env.ok(&["search", "capybara"]);

    env.remove("new.txt");
    assert_eq!(counts(&env.index_json(&[])), [0, 0, 1, 5, 0]);
    env.expect(1, &["search", "capybara"]);
    assert_eq!(list(&env), before);

    // Nothing changed: nothing is written (the live generation is untouched).
    let files = index_files(&env);
    let summary = env.index_json(&[]);
    assert_eq!(counts(&summary), [0, 0, 0, 5, 0]);
    assert_eq!(summary["articles"], 0);
    assert_eq!(index_files(&env), files);
}

/// Every file of the index with its size and modification time.
fn index_files(env: &Env) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(env.index())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".lock")
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.path().display().to_string(),
                m.len(),
                m.modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn rebuild_equals_incremental() {
    let env = Env::with_seeds();
    env.ok(&["index"]);
    env.write(
        "x.md",
        "# Haryana and Japan\n\nHaryana signs six MoUs with Japanese firms in Gurugram.\n",
    );
    env.remove("001_a25e3bb1cf0e3701.txt");
    env.ok(&["index"]);
    let incremental = list(&env);
    let summary = env.index_json(&["--rebuild"]);
    assert_eq!(summary["rebuilt"], true);
    assert_eq!(list(&env), incremental);
    // The old generation is gone: one generation folder remains.
    let gens = std::fs::read_dir(env.index())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(gens, 1);
}

#[test]
fn named_paths_are_indexed_without_a_walk() {
    let env = Env::with_seeds();
    env.ok(&["index"]);
    env.write(
        "one.txt",
        "Bihar meets Japan\nPatna hosts a quetzal conference.\n",
    );
    env.write(
        "two.txt",
        "Sikkim meets Japan\nGangtok hosts a pangolin conference.\n",
    );
    let one = env.articles().join("one.txt");
    let summary = env.index_json(&[one.to_str().unwrap()]);
    assert_eq!(counts(&summary), [1, 0, 0, 0, 0]);
    env.ok(&["search", "quetzal"]);
    env.expect(1, &["search", "pangolin"]);
    std::fs::remove_file(&one).unwrap();
    let summary = env.index_json(&[one.to_str().unwrap()]);
    assert_eq!(counts(&summary), [0, 0, 1, 0, 0]);
    env.expect(1, &["search", "quetzal"]);
}

#[test]
fn a_second_writer_is_refused() {
    let env = Env::with_seeds();
    env.ok(&["index"]);
    // Hold the writer lock as a concurrent `newsidx index` would.
    let lock = std::fs::File::options()
        .write(true)
        .open(env.index().join(".lock"))
        .unwrap();
    lock.try_lock().unwrap();
    env.write(
        "late.txt",
        "Assam again\nA story that arrives while another run holds the lock.\n",
    );
    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("another `newsidx index` is running"),
        "{stderr}"
    );
    assert!(stderr.contains(".lock"), "{stderr}");
    // Readers are not blocked, and nothing was harmed.
    assert_eq!(list(&env).len(), 5);
    drop(lock);
    assert_eq!(counts(&env.index_json(&[])), [1, 0, 0, 5, 0]);
}

#[test]
fn stats_count_articles_states_sectors_years() {
    let env = Env::with_seeds();
    env.ok(&["index"]);
    let stats: StatsDoc = env.json(&["stats", "--json"]);
    let docs = list(&env);
    assert_eq!(stats.articles, 5);
    assert_eq!(
        stats.passages,
        docs.values().map(|d| d.passages).sum::<u64>()
    );
    assert_eq!(stats.undated, 2);
    assert!(stats.index_bytes > 0);
    assert_eq!(stats.states["Assam"], 1);
    assert_eq!(stats.years.get("2025"), Some(&2));
    assert_eq!(stats.years.get("2024"), Some(&1));
    let semis = docs
        .values()
        .filter(|d| d.meta.sectors.contains(&"semiconductors".to_string()))
        .count() as u64;
    assert_eq!(
        stats.sectors.get("semiconductors").copied().unwrap_or(0),
        semis
    );
}

#[test]
fn no_articles_no_index_is_a_clear_error() {
    let env = Env::new();
    std::fs::remove_dir(env.articles()).unwrap();
    let out = env.run(&["search", "anything"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("newsidx index"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_changed_taxonomy_re_extracts_every_article() {
    let env = Env::with_seeds();
    env.write(
        "zorb.txt",
        "Zorbland delegation courts Japanese investors\nZorbland officials met Japanese firms in Tokyo this week to discuss Zorbland industrial parks.\n",
    );
    env.ok(&["index"]);
    assert_eq!(list(&env)["zorb.txt"].meta.states, Vec::<String>::new());
    // The same vocabulary with one more alias: Zorbland is Goa.
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/taxonomy.toml"),
    )
    .unwrap();
    let custom = builtin.replacen(
        "name = \"Goa\"\naliases = [",
        "name = \"Goa\"\naliases = [\"Zorbland\", ",
        1,
    );
    assert_ne!(custom, builtin, "the Goa entry moved: update this test");
    let path = env.dir.path().join("custom.toml");
    std::fs::write(&path, custom).unwrap();
    let taxonomy = path.to_str().unwrap();
    // Another taxonomy than the index was built with: asked for, not done.
    let out = env.run(&["--taxonomy", taxonomy, "index"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rebuild"));
    assert_eq!(list(&env)["zorb.txt"].meta.states, Vec::<String>::new());
    let summary = env.index_json(&["--taxonomy", taxonomy, "--rebuild"]);
    assert_eq!(summary["rebuilt"], true);
    assert_eq!(counts(&summary), [6, 0, 0, 0, 0]);
    assert_eq!(list(&env)["zorb.txt"].meta.states, ["Goa"]);
    // Unchanged taxonomy: nothing to do.
    assert_eq!(
        counts(&env.index_json(&["--taxonomy", taxonomy])),
        [0, 0, 0, 6, 0]
    );
    env.ok(&[
        "--taxonomy",
        taxonomy,
        "search",
        "state:Zorbland",
        "investors",
    ]);
    // A broken taxonomy file is a one-line error naming it.
    std::fs::write(&path, "this is [not toml").unwrap();
    let out = env.run(&["--taxonomy", taxonomy, "index"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("custom.toml"), "{stderr}");
}

#[test]
fn environment_sets_the_locations_and_stale_index_is_hinted() {
    let env = Env::with_seeds();
    let bare = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("newsidx")
            .unwrap()
            .env_clear()
            .env("NEWSIDX_INDEX", env.index())
            .env("NEWSIDX_ARTICLES", env.articles())
            .current_dir(env.dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(bare(&["index"]).status.code(), Some(0));
    assert!(env.index().join("CURRENT").is_file());
    let quiet = bare(&["search", "semiconductor"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("hint"));
    // A file dropped into the folder after the last run: one hint line.
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("fresh.txt", "Goa news\nA fresh story.\n");
    let hinted = bare(&["search", "semiconductor"]);
    let stderr = String::from_utf8_lossy(&hinted.stderr);
    assert!(
        stderr.contains("hint:") && stderr.contains("newsidx index"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
