//! `search`: ranking, query language, filters, output formats, exit codes.

use std::collections::BTreeMap;

use newsidx::print::json::{HitDoc, ListDoc, SearchDoc};
use newsidx::search::Mode;
use serde_json::Value;

use crate::harness::{paths, search, Env};

const ASSAM: &str = "000_8b97a1bc6a3ecd42.txt";
const KARNATAKA: &str = "002_747ebf3e227c41f1.txt";
const UP: &str = "003_065212f2a6833298.txt";

fn seeded() -> Env {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    env
}

#[test]
fn search_builds_a_missing_default_index_first() {
    let env = Env::with_seeds();
    // The default index, `index/` in the working folder (the env's).
    let out = env.run_at(std::path::Path::new("index"), &["search", "semiconductor"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("building it from"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(ASSAM), "{stdout}");
    assert!(stdout.contains("matched"), "{stdout}");
    assert!(env.dir.path().join("index/CURRENT").is_file());
}

#[test]
fn a_named_index_that_does_not_exist_is_not_built_by_search() {
    let env = Env::with_seeds();
    let typo = env.dir.path().join("typo");
    let out = env.run_at(&typo, &["search", "semiconductor"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no index in"), "{stderr}");
    assert!(!typo.exists(), "search created {}", typo.display());
}

#[test]
fn ranking_on_the_seeds() {
    let env = seeded();
    assert_eq!(paths(&search(&env, &["semiconductor"]))[0], ASSAM);
    assert_eq!(paths(&search(&env, &["rare", "earth", "magnet"]))[0], UP);
    assert_eq!(
        paths(&search(&env, &["\"Japanese Industrial Park\""]))[0],
        ASSAM
    );
    let ev = search(&env, &["--state", "Karnataka", "EV"]);
    assert_eq!(paths(&ev), [KARNATAKA]);
}

#[test]
fn stems_synonyms_and_corrections() {
    let env = seeded();
    // "investments" finds "investment" and "investing".
    let stems = search(&env, &["investing"]);
    assert!(stems.total_articles >= 3, "{stems:?}");
    // chip ↔ semiconductor: no seed says "chip", yet the Assam seed is found.
    let chip = search(&env, &["chip"]);
    assert_eq!(chip.mode, Mode::All);
    assert_eq!(paths(&chip)[0], ASSAM);
    // UP ↔ Uttar Pradesh.
    assert_eq!(paths(&search(&env, &["UP", "delegation"]))[0], UP);
    // A typo is corrected and shown.
    let typo = search(&env, &["semiconducter"]);
    assert_eq!(typo.corrections.len(), 1);
    assert_eq!(typo.corrections[0].from, "semiconducter");
    assert_eq!(typo.corrections[0].to, "semiconductor");
    assert_eq!(paths(&typo)[0], ASSAM);
    let human = env.ok(&["search", "--color", "never", "semiconducter"]);
    assert!(human.contains("semiconducter → semiconductor"), "{human}");
}

#[test]
fn all_words_then_partial_matches() {
    let env = seeded();
    let all = search(&env, &["--limit", "1", "Guwahati", "semiconductor"]);
    assert_eq!(all.mode, Mode::All);
    assert_eq!(paths(&all), [ASSAM]);
    let out = env.run(&["search", "--json", "Guwahati", "Chhattisgarh"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: SearchDoc = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc.mode, Mode::Most);
    assert!(doc.total_articles >= 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("some of them"));
    assert_eq!(
        search(&env, &["--any", "Guwahati", "semiconductor"]).mode,
        Mode::Any
    );
}

#[test]
fn query_operators() {
    let env = seeded();
    let with = search(&env, &["semiconductor"]);
    let without = search(&env, &["--", "semiconductor", "-Assam"]);
    assert!(!paths(&without).contains(&ASSAM));
    assert_eq!(without.total_articles, with.total_articles - 1);
    let or = search(&env, &["Chhattisgarh OR Guwahati"]);
    assert_eq!(or.total_articles, 2);
    let grouped = search(
        &env,
        &["--strict", "(Chhattisgarh OR Guwahati) +semiconductor"],
    );
    assert_eq!(paths(&grouped), [ASSAM]);
    // Without --strict, articles holding only the required word follow,
    // each saying what it lacks.
    let partial = search(&env, &["(Chhattisgarh OR Guwahati) +semiconductor"]);
    assert_eq!(paths(&partial)[0], ASSAM);
    assert!(partial.hits[0].missing.is_empty());
    assert!(partial.hits[1..]
        .iter()
        .all(|h| h.missing == ["(Chhattisgarh OR Guwahati)"]));
    let title = search(&env, &["title:Chhattisgarh"]);
    assert_eq!(paths(&title), ["001_a25e3bb1cf0e3701.txt"]);
    let state = search(&env, &["state:UP", "Osaka"]);
    assert_eq!(paths(&state), [UP]);
    // Malformed queries still run, with a warning.
    for bad in [
        "\"unbalanced quote semiconductor",
        "semiconductor :",
        "OR semiconductor",
        "(semiconductor",
    ] {
        let out = env.run(&["search", "--json", bad]);
        assert_eq!(out.status.code(), Some(0), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("warning"),
            "{bad}"
        );
    }
}

#[test]
fn filters() {
    let env = seeded();
    let listed: BTreeMap<String, ListDoc> = env
        .json_lines::<ListDoc>(&["list", "--json"])
        .into_iter()
        .map(|d| (d.path.clone(), d))
        .collect();
    let doc = search(
        &env,
        &["--sector", "semiconductors", "--since", "2025", "Japan"],
    );
    assert!(doc.total_articles >= 1);
    for hit in &doc.hits {
        assert!(
            hit.article
                .record
                .day()
                .as_deref()
                .is_some_and(|d| d.starts_with("2025")),
            "{hit:?}"
        );
        assert!(hit
            .article
            .record
            .meta
            .sectors
            .contains(&"semiconductors".to_string()));
    }
    let expected = listed
        .values()
        .filter(|d| d.meta.sectors.contains(&"semiconductors".to_string()))
        .filter(|d| d.day().as_deref().is_some_and(|x| x >= "2025-01-01"))
        .count() as u64;
    assert_eq!(doc.total_articles, expected);
    // Case-insensitive, aliases, OR within a flag.
    let states = search(&env, &["--state", "assam", "--state", "UP", "Japan"]);
    let mut p = paths(&states);
    p.sort();
    assert_eq!(p, [ASSAM, UP]);
    // Date bounds are inclusive; undated articles drop out of date filters.
    let day = search(
        &env,
        &["--since", "2024-01-10", "--until", "2024-01-10", "Japan"],
    );
    assert_eq!(paths(&day), [KARNATAKA]);
    let month = search(&env, &["--until", "2024-01", "Japan"]);
    assert_eq!(paths(&month), [KARNATAKA]);
    let undated = search(&env, &["--undated", "Japan"]);
    let mut p = paths(&undated);
    p.sort();
    assert_eq!(p, [UP, "004_99177678883e7b96.txt"]);
    // Unknown values are errors that list the valid ones.
    let out = env.run(&["search", "--state", "Atlantis", "Japan"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Atlantis") && stderr.contains("Karnataka"),
        "{stderr}"
    );
    for bad in [["--since", "2025-13"], ["--until", "yesterday"]] {
        let out = env.run(&["search", bad[0], bad[1], "Japan"]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn paging_sorting_and_per_article() {
    let env = seeded();
    let all = search(&env, &["Japan", "--limit", "10"]);
    assert_eq!(all.total_articles, 5);
    // Under 10,000 passages every match is counted, skipping or not, and the
    // page is the same as with every match collected.
    assert!(all.totals_exact);
    let exact = search(&env, &["Japan", "--limit", "10", "--exact-totals"]);
    assert_eq!(paths(&exact), paths(&all));
    assert_eq!(
        (exact.total_hits, exact.total_articles, exact.totals_exact),
        (all.total_hits, all.total_articles, true)
    );
    let page = search(&env, &["Japan", "--limit", "2", "--offset", "1"]);
    assert_eq!(paths(&page), paths(&all)[1..3]);
    assert_eq!(page.hits[0].rank, 2);
    let by_date = search(&env, &["Japan", "--sort", "date"]);
    let dates: Vec<Option<String>> = by_date
        .hits
        .iter()
        .map(|h| h.article.record.day())
        .collect();
    assert_eq!(
        &dates[..3],
        ["2025-08-23", "2025-02-06", "2024-01-10"].map(|d| Some(d.to_string()))
    );
    let per = search(&env, &["Japan", "--per-article", "3", "--limit", "1"]);
    assert_eq!(per.hits.len(), 3);
    assert!(per
        .hits
        .iter()
        .all(|h| h.article.record.path == per.hits[0].article.record.path));
    assert!(per.hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn json_shapes_and_highlights() {
    let env = seeded();
    let raw: Value = env.json(&["search", "--json", "semiconductor", "--state", "Assam"]);
    for key in [
        "query",
        "mode",
        "corrections",
        "filters",
        "total_hits",
        "total_articles",
        "totals_exact",
        "took_ms",
        "hits",
    ] {
        assert!(raw.get(key).is_some(), "missing {key}");
    }
    assert_eq!(raw["filters"]["states"], serde_json::json!(["Assam"]));
    let hit = &raw["hits"][0];
    for key in ["rank", "score", "article", "passage"] {
        assert!(hit.get(key).is_some(), "missing hit.{key}");
    }
    for key in [
        "id",
        "path",
        "title",
        "date",
        "states",
        "sectors",
        "prefectures",
    ] {
        assert!(hit["article"].get(key).is_some(), "missing article.{key}");
    }
    for key in ["ordinal", "text", "highlights"] {
        assert!(hit["passage"].get(key).is_some(), "missing passage.{key}");
    }
    let doc: SearchDoc = serde_json::from_value(raw).unwrap();
    let text = &doc.hits[0].passage.text;
    assert!(!doc.hits[0].passage.highlights.is_empty());
    for [start, end] in &doc.hits[0].passage.highlights {
        assert_eq!(text[*start..*end].to_lowercase(), "semiconductor");
    }
    let lines: Vec<HitDoc> = env.json_lines(&["search", "--jsonl", "Japan", "--limit", "3"]);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines.iter().map(|h| h.rank).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn batch_queries_from_stdin() {
    let env = seeded();
    let input = concat!(
        "{\"id\":\"q1\",\"query\":\"semiconductor\",\"state\":\"Assam\"}\n",
        "{\"id\":\"q2\",\"query\":\"rare earth magnet\"}\n",
        "Chhattisgarh\n",
    );
    let out = env
        .command(&["search", "--queries", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let docs: Vec<SearchDoc> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<Option<&str>> = docs.iter().map(|d| d.id.as_deref()).collect();
    assert_eq!(ids, [Some("q1"), Some("q2"), Some("3")]);
    assert_eq!(paths(&docs[0]), [ASSAM]);
    assert_eq!(paths(&docs[1])[0], UP);
    assert_eq!(paths(&docs[2])[0], "001_a25e3bb1cf0e3701.txt");
}

/// A batch larger than one parallel chunk answers every line in input order,
/// the same on one thread as on several, with a bad line in the middle
/// reported where it stands.
#[test]
fn parallel_batch_keeps_input_order() {
    let env = seeded();
    let words = [
        "semiconductor",
        "Japan",
        "magnet",
        "Assam",
        "investment",
        "Chhattisgarh",
    ];
    let mut input = String::new();
    for i in 0..150 {
        if i == 77 {
            input.push_str("{\"id\":\"bad\",\"query\":\"x\",\"since\":\"yesterday-ish\"}\n");
        } else {
            let word = words[i % words.len()];
            input.push_str(&format!("{{\"id\":\"q{i}\",\"query\":\"{word}\"}}\n"));
        }
    }
    let run = |threads: &str| {
        let out = env
            .command(&["search", "--queries", "-", "--threads", threads])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "one line is bad");
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(String::from_utf8_lossy(&out.stderr).contains(":78:"));
        lines
    };
    let one = run("1");
    let four = run("4");
    let ids: Vec<&str> = four.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let expected: Vec<String> = (0..150)
        .map(|i| {
            if i == 77 {
                "bad".to_string()
            } else {
                format!("q{i}")
            }
        })
        .collect();
    assert_eq!(ids, expected);
    assert!(four[77]["error"]
        .as_str()
        .unwrap()
        .contains("yesterday-ish"));
    let strip = |docs: &[serde_json::Value]| -> Vec<serde_json::Value> {
        docs.iter()
            .map(|d| {
                let mut d = d.clone();
                if let Some(o) = d.as_object_mut() {
                    o.remove("took_ms");
                }
                d
            })
            .collect()
    };
    assert_eq!(strip(&one), strip(&four));
    assert!(
        four.iter()
            .filter(|d| d["total_hits"].as_u64() > Some(0))
            .count()
            > 100
    );
}

/// A script that writes one query and waits gets its answer before it writes
/// the next: the batch does not wait for a full chunk.
#[test]
fn batch_answers_each_line_as_it_comes() {
    use std::io::{BufRead, BufReader, Write};
    let env = seeded();
    env.ok(&["index"]);
    let mut child = env
        .std_command(&env.index(), &["search", "--queries", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn newsidx");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.expect("read answer")).is_err() {
                break;
            }
        }
    });
    for query in ["semiconductor", "magnet"] {
        writeln!(stdin, "{query}").expect("write query");
        stdin.flush().expect("flush query");
        let answer = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("an answer while stdin is still open");
        let doc: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(doc["query"], query);
    }
    drop(stdin);
    assert!(child.wait().expect("newsidx ends").success());
}

/// A reader that goes away after the first answer ends a long batch: no
/// hang on the lines still queued, no error.
#[test]
fn batch_ends_when_its_reader_goes_away() {
    use std::io::{BufRead, BufReader};
    let env = seeded();
    env.ok(&["index"]);
    let queries = env.dir.path().join("many.txt");
    std::fs::write(&queries, "semiconductor\nmagnet\n".repeat(2_000)).unwrap();
    let mut child = env
        .std_command(
            &env.index(),
            &["search", "--queries", queries.to_str().unwrap()],
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn newsidx");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first answer");
    assert!(first.contains("semiconductor"), "{first}");
    // The reader is dropped here: the rest of the answers hit a closed pipe.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "newsidx still runs a minute after its reader left"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn facets_match_list_counts() {
    let env = seeded();
    let doc = search(
        &env,
        &["Japan", "--facets", "--sector", "electric-mobility"],
    );
    let facets = doc.facets.expect("facets");
    let listed: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let matching: Vec<&ListDoc> = listed
        .iter()
        .filter(|d| d.meta.sectors.contains(&"electric-mobility".to_string()))
        .collect();
    assert_eq!(doc.total_articles, matching.len() as u64);
    let mut states: BTreeMap<String, u64> = BTreeMap::new();
    for d in &matching {
        for s in &d.meta.states {
            *states.entry(s.clone()).or_default() += 1;
        }
    }
    assert_eq!(facets.states, states);
    let sum: u64 = facets.years.values().sum();
    assert_eq!(sum, matching.len() as u64);
    let human = env.ok(&["search", "Japan", "--facets", "--color", "never"]);
    assert!(human.contains("states") && human.contains('█'), "{human}");
}

#[test]
fn count_and_exit_codes() {
    let env = seeded();
    let out = env.ok(&["search", "--count", "semiconductor"]);
    let doc = search(&env, &["semiconductor"]);
    assert_eq!(out.trim(), format!("{} articles", doc.total_articles));
    env.expect(1, &["search", "zebrafishology"]);
    env.expect(1, &["search", "cookies"]);
    env.expect(2, &["search", ""]);
    env.expect(2, &["search", "--limit", "-3", "x"]);
}

#[test]
fn human_output_has_title_meta_path_and_colour_on_request() {
    let env = seeded();
    let plain = env.ok(&[
        "search",
        "semiconductor",
        "--color",
        "never",
        "--limit",
        "1",
    ]);
    assert!(plain.contains("  1. "), "{plain}");
    assert!(plain.contains("2025-02-06 · Assam"), "{plain}");
    assert!(plain.contains(&format!("{ASSAM}#")), "{plain}");
    assert!(!plain.contains('\u{1b}'));
    let coloured = env.ok(&[
        "search",
        "semiconductor",
        "--color",
        "always",
        "--limit",
        "1",
    ]);
    assert!(coloured.contains('\u{1b}'));
    let out = env
        .command(&["search", "semiconductor", "--color", "always"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    // --color always wins over NO_COLOR; auto respects it (not a tty here either way).
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn show_completions_man_and_broken_pipe() {
    let env = seeded();
    let shown = env.ok(&["show", ASSAM, "--color", "never"]);
    assert!(shown.contains("Jagiroad"), "{shown}");
    env.expect(2, &["show", "nope.txt"]);
    assert!(env.ok(&["completions", "bash"]).contains("newsidx"));
    assert!(env.ok(&["man"]).contains(".TH"));
    let bin = assert_cmd::cargo::cargo_bin("newsidx");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' --index '{}' --articles '{}' search Japan --limit 50 --per-article 5 | head -c 10 >/dev/null",
            bin.display(),
            env.index().display(),
            env.articles().display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
