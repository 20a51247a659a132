//! Issue 6, items 6 and 7 at the command line: hostile flags and queries
//! (bad dates, unknown filter values, negative or huge numbers, empty,
//! operator-only and 100 KB queries) and a full disk.
//!
//! Exit codes: 0 when the query matched, 1 when it did not, 2 on an error,
//! with one line on stderr that names what is wrong. Paging (`--limit`,
//! `--offset`) chooses what is shown, not whether the query matched: a page
//! past the end is empty and the exit code is still 0 when there are matches.
//!
//! The library-level property tests are in `tests/props.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use newsidx::print::json::{ListDoc, SearchDoc};
use serde_json::Value;

use crate::harness::Env;

fn seeded() -> Env {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    env
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn describe(args: &[&str], out: &Output) -> String {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for a in &mut args {
        if a.len() > 60 {
            *a = format!(
                "{}… ({} bytes)",
                a.chars().take(40).collect::<String>(),
                a.len()
            );
        }
    }
    format!(
        "newsidx {args:?} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        stderr_of(out)
    )
}

/// Runs `args`, expects exit 2, no output, and one `newsidx:` line on
/// stderr containing every one of `says`. Returns that line.
fn expect_error(env: &Env, args: &[&str], says: &[&str]) -> String {
    let out = env.run(args);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
    assert!(out.stdout.is_empty(), "{}", describe(args, &out));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("newsidx: "), "{stderr}");
    for part in says {
        assert!(
            stderr.contains(part),
            "{args:?} should say {part:?}: {stderr}"
        );
    }
    stderr
}

/// Runs `args`, expects clap's usage error: exit 2, `error: ` and every one
/// of `says` on stderr, nothing on stdout.
fn expect_usage_error(env: &Env, args: &[&str], says: &[&str]) {
    let out = env.run(args);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
    assert!(out.stdout.is_empty(), "{}", describe(args, &out));
    assert!(stderr.starts_with("error: "), "{stderr}");
    for part in says {
        assert!(
            stderr.contains(part),
            "{args:?} should say {part:?}: {stderr}"
        );
    }
}

/// `search --json ARGS`, expecting exit `code`.
fn search_json(env: &Env, code: i32, args: &[&str]) -> SearchDoc {
    let mut full = vec!["search", "--json"];
    full.extend_from_slice(args);
    let stdout = env.expect(code, &full);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

// ---------------------------------------------------------------------------
// Flags

#[test]
fn bad_dates_are_one_line_errors() {
    let env = seeded();
    for (args, says) in [
        (
            &["--since", "2025-13"][..],
            &["invalid date \"2025-13\"", "no such month"][..],
        ),
        (
            &["--since", "2025-02-30"],
            &["invalid date \"2025-02-30\"", "no such date"],
        ),
        (
            &["--until", "tomorrow"],
            &[
                "invalid date \"tomorrow\"",
                "expected YYYY, YYYY-MM or YYYY-MM-DD",
            ],
        ),
        (&["--until", ""], &["invalid date \"\""]),
        (&["--since", "20255"], &["invalid date \"20255\""]),
        (
            &["--since", "2026", "--until", "2025"],
            &["--since is after --until", "2026-01-01", "2025-12-31"],
        ),
    ] {
        let mut full = vec!["search", "Japan"];
        full.extend_from_slice(args);
        expect_error(&env, &full, says);
    }
}

#[test]
fn unknown_filter_values_list_the_valid_ones() {
    let env = seeded();
    for (flag, value, kind, known) in [
        (
            "--state",
            "Atlantis",
            "state",
            ["Assam", "Karnataka", "Uttar Pradesh"],
        ),
        (
            "--sector",
            "spaceflight",
            "sector",
            ["semiconductors", "electric-mobility", "textiles"],
        ),
        (
            "--prefecture",
            "Narnia",
            "prefecture",
            ["Tokyo", "Osaka", "Hokkaido"],
        ),
    ] {
        let line = expect_error(
            &env,
            &["search", "Japan", flag, value],
            &[&format!("unknown {kind} \"{value}\""), "valid values: "],
        );
        for name in known {
            assert!(line.contains(name), "{flag}: {name} not listed: {line}");
        }
        // One bad value among good ones is still an error.
        expect_error(
            &env,
            &["search", "Japan", flag, &format!("{},{value}", known[0])],
            &[&format!("unknown {kind} \"{value}\"")],
        );
    }
}

#[test]
fn negative_huge_and_malformed_numbers_are_usage_errors() {
    let env = seeded();
    for (args, says) in [
        (
            &["--limit", "-1"][..],
            &["invalid value '-1' for '--limit <N>'", "not in 0..=10000"][..],
        ),
        (&["-n", "-1"], &["invalid value '-1' for '--limit <N>'"]),
        (&["--limit=-1"], &["invalid value '-1' for '--limit <N>'"]),
        (
            &["--limit", "99999999999"],
            &[
                "invalid value '99999999999' for '--limit <N>'",
                "not in 0..=10000",
            ],
        ),
        (&["--limit", "10001"], &["not in 0..=10000"]),
        (
            &["--limit", "ten"],
            &["invalid value 'ten' for '--limit <N>'"],
        ),
        (
            &["--offset", "-1"],
            &["invalid value '-1' for '--offset <N>'"],
        ),
        (
            &["--offset", "99999999999"],
            &["invalid value '99999999999' for '--offset <N>'"],
        ),
        (
            &["--per-article", "-2"],
            &["invalid value '-2' for '--per-article <N>'"],
        ),
        (&["--per-article", "0"], &["not in 1..=100"]),
    ] {
        let mut full = vec!["search", "Japan"];
        full.extend_from_slice(args);
        expect_usage_error(&env, &full, says);
    }
    // A negative number is never mistaken for an exclusion.
    let out = env.run(&["search", "--limit", "-3", "Japan"]);
    assert!(!stderr_of(&out).contains("tip: to pass '-3' as a value"));
}

#[test]
fn limit_zero_shows_no_hits_and_exits_by_whether_the_query_matched() {
    let env = seeded();
    let doc = search_json(&env, 0, &["--limit", "0", "Japan"]);
    assert!(doc.hits.is_empty());
    assert!(doc.total_articles >= 3, "{}", doc.total_articles);
    let doc = search_json(&env, 1, &["--limit", "0", "zqnowherex"]);
    assert!(doc.hits.is_empty());
    assert_eq!(doc.total_articles, 0);
    // Human output: the count line, no hit.
    let stdout = env.ok(&["search", "--limit", "0", "--color", "never", "Japan"]);
    assert!(stdout.contains("matched"), "{stdout}");
    assert!(!stdout.contains("  1. "), "{stdout}");
    assert!(!stdout.contains(".txt#"), "{stdout}");
    env.expect(0, &["search", "--jsonl", "--limit", "0", "Japan"])
        .is_empty()
        .then_some(())
        .expect("--jsonl with --limit 0 prints no line");
}

#[test]
fn an_offset_past_the_end_is_an_empty_page() {
    let env = seeded();
    let all = search_json(&env, 0, &["--limit", "100", "Japan"]);
    let total = all.total_articles;
    assert!(total > 0);
    for offset in [total.to_string(), "1000".to_string(), u32::MAX.to_string()] {
        let doc = search_json(&env, 0, &["--offset", &offset, "Japan"]);
        assert!(doc.hits.is_empty(), "--offset {offset}");
        assert_eq!(doc.total_articles, total, "--offset {offset}");
        let stdout = env.ok(&["search", "--offset", &offset, "--color", "never", "Japan"]);
        assert!(!stdout.contains(".txt#"), "{stdout}");
    }
    // The last article is still on the page that starts at it.
    let last = search_json(&env, 0, &["--offset", &(total - 1).to_string(), "Japan"]);
    assert_eq!(last.hits.len(), 1);
    assert_eq!(last.hits[0].rank as u64, total);
}

// ---------------------------------------------------------------------------
// Queries

#[test]
fn an_empty_query_is_an_error() {
    let env = seeded();
    for args in [
        &["search", ""][..],
        &["search", "   "],
        &["search"],
        &["search", "", "\t"],
    ] {
        expect_error(&env, args, &["empty query", "newsidx search --help"]);
    }
    // Filters alone are a search.
    env.ok(&["search", "--state", "Assam"]);
    env.ok(&["search", "", "--state", "Assam"]);
}

#[test]
fn a_query_of_only_operators_or_symbols_is_an_error() {
    let env = seeded();
    for query in [
        "- + OR ( )",
        "!!!",
        "()",
        "\"\"",
        "((( )))",
        "+ -",
        "🚗 ✈",
        "OR AND",
    ] {
        let line = expect_error(&env, &["search", "--", query], &["nothing to search for"]);
        assert!(line.contains("invalid query"), "{query:?}: {line}");
    }
    // Nothing searchable next to a word is only a warning.
    let out = env.run(&["search", "--", "Japan - +"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        describe(&["Japan - +"], &out)
    );
    assert!(stderr_of(&out).contains("warning: lone '-'"));
    // In a batch, the bad line gets an error line; the others run.
    let mut cmd = env.command(&["search", "--queries", "-"]);
    let out = cmd
        .write_stdin("Japan\n- + OR ( )\nsemiconductor\n")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        describe(&["--queries"], &out)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0]["total_hits"].as_u64().unwrap() > 0);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("nothing to search for"));
    assert!(lines[2]["total_hits"].as_u64().unwrap() > 0);
}

/// `-"a phrase"` panicked inside tantivy in debug builds.
#[test]
fn excluded_phrases_do_not_panic() {
    let env = seeded();
    let all = search_json(&env, 0, &["-n", "100", "Japan"]);
    let without = search_json(&env, 0, &["-n", "100", "--", "Japan -\"state government\""]);
    let with = search_json(
        &env,
        0,
        &["-n", "100", "--", "+Japan +\"state government\""],
    );
    assert!(with.total_hits > 0);
    assert_eq!(without.total_hits + with.total_hits, all.total_hits);
    for query in [
        "-\"Prime Minister\"",
        "Japan -(\"Prime Minister\" OR \"state government\")",
        "Japan -title:\"chief minister\"",
    ] {
        let out = env.run(&["search", "--", query]);
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "{}",
            describe(&[query], &out)
        );
    }
}

#[test]
fn a_100_kb_query_is_cut_and_answered() {
    let env = seeded();
    let hundred_kb = |unit: &str| unit.repeat(100 * 1024 / unit.len());
    for (query, codes) in [
        (hundred_kb("Japan investment "), &[0][..]),
        (hundred_kb("(Japan OR "), &[0]),
        (hundred_kb("\"semiconductor plant "), &[0, 1]),
        (hundred_kb("-Japan +chip OR ( ) : \" "), &[0, 1, 2]),
        (hundred_kb("((((("), &[2]),
        ("x".repeat(100 * 1024), &[2]),
    ] {
        let started = Instant::now();
        let out = env.run(&["search", "--", &query]);
        let took = started.elapsed();
        let stderr = stderr_of(&out);
        assert!(
            codes.contains(&out.status.code().unwrap_or(-1)),
            "{}",
            describe(&[&query], &out)
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Repeated problems are told once, and only a few.
        assert!(stderr.lines().count() <= 8, "{stderr}");
        assert!(stderr.len() < 2000, "{} bytes of stderr", stderr.len());
        // Speed belongs to the benchmark; what bounds the work is that the
        // query is cut, and says so.
        if out.status.code() != Some(2) || !stderr.contains("nothing to search for") {
            assert!(
                stderr.contains("the rest") || stderr.contains("ignored"),
                "a 100 KB query is cut and says so: {stderr}"
            );
        }
        eprintln!("100 KB query {:?}…: {took:?}", &query[..12]);
    }
}

// ---------------------------------------------------------------------------
// 7. Disk full

/// A tmpfs mounted for the test and unmounted when dropped, also when the
/// test fails.
pub(crate) struct Tmpfs {
    pub(crate) dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` at `dir`, or says why it cannot.
    pub(crate) fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if out.status.success() {
            Ok(Tmpfs {
                dir: dir.to_path_buf(),
            })
        } else {
            Err(stderr_of(&out).trim().to_string())
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Busy (a process still holds a file): detach it instead.
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// Bytes in the files below `dir`.
fn disk_usage(dir: &Path) -> u64 {
    fn walk(dir: &Path) -> u64 {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| match e.file_type() {
                        Ok(t) if t.is_dir() => walk(&e.path()),
                        _ => e.metadata().map_or(0, |m| m.len()),
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(dir)
}

/// Articles of `words` random letter-words each: text that compresses badly,
/// so that an index of it is large.
pub(crate) fn write_bulk(env: &Env, articles: usize, words: usize) {
    let mut state: u64 = 0x6469_736b;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for n in 0..articles {
        let mut text = format!("Bulk story {n} on a trade delegation\n");
        for i in 0..words {
            let len = 5 + next() % 6;
            text.extend((0..len).map(|_| (b'a' + (next() % 26) as u8) as char));
            text.push(if i % 60 == 59 { '\n' } else { ' ' });
        }
        env.write(&format!("bulk/b{n:04}.txt"), text);
    }
}

fn list_at(env: &Env, index: &Path) -> Vec<ListDoc> {
    let out = env.run_at(index, &["list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["list"], &out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn count_at(env: &Env, index: &Path, word: &str) -> u64 {
    let args = ["search", "--count", "--json", word];
    let out = env.run_at(index, &args);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&args, &out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["total_hits"].as_u64().unwrap()
}

/// Expects `index ARGS` on `index` to fail for want of space: exit 2, one
/// line naming the index and the full disk, and nothing left behind.
fn expect_disk_full(env: &Env, index: &Path, args: &[&str], used_before: u64) {
    let started = Instant::now();
    let out = env.run_at(index, args);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    for part in [
        "no space left on device (disk full)",
        &index.display().to_string(),
        "run `newsidx index` again",
    ] {
        assert!(stderr.contains(part), "should say {part:?}: {stderr}");
    }
    // The partial segments (or generation) of the failed run are gone.
    let used = disk_usage(index);
    assert!(
        used <= used_before + 4096,
        "{args:?} left {used} bytes, {used_before} before"
    );
    eprintln!(
        "{args:?} failed on the full disk in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_index() {
    let env = Env::with_seeds();
    let mount = match Tmpfs::mount(&env.dir.path().join("small"), "1m") {
        Ok(mount) => mount,
        Err(why) => {
            eprintln!("disk full: SKIPPED, cannot mount a 1 MiB tmpfs here: {why}");
            return;
        }
    };
    let index = mount.dir.join("index");
    let out = env.run_at(&index, &["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["index"], &out));
    let before = list_at(&env, &index);
    assert_eq!(before.len(), 5);
    let japan = count_at(&env, &index, "Japan");
    let used = disk_usage(&index);

    // About 600 KiB of text that hardly compresses and whose every word is
    // new: its index does not fit.
    write_bulk(&env, 120, 600);
    for args in [&["index"][..], &["index", "--rebuild"], &["index"]] {
        expect_disk_full(&env, &index, args, used);
        // Readers see the last committed state, whole.
        assert_eq!(list_at(&env, &index), before, "after {args:?}");
        assert_eq!(count_at(&env, &index, "Japan"), japan, "after {args:?}");
    }

    // With space again (the bulk gone), indexing goes on where it was.
    std::fs::remove_dir_all(env.articles().join("bulk")).unwrap();
    env.write(
        "new.txt",
        "Tripura trade fair\nAgartala hosts a zqdiskx fair.\n",
    );
    let out = env.run_at(&index, &["index", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["index"], &out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["added"], 1, "{summary}");
    assert_eq!(list_at(&env, &index).len(), 6);
    assert_eq!(count_at(&env, &index, "zqdiskx"), 1);
    drop(mount);
}
