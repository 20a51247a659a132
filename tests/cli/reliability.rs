//! Issue 6, reliability: crashes (SIGKILL at varied moments), a killed
//! `--rebuild`, concurrent writers and readers, damaged indexes, hostile
//! articles, and a measured "nothing lost".
//!
//! Articles are generated here, each with a unique planted word (`zq{n}x`),
//! so that "every article is searchable" is checked word by word.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use newsidx::print::json::{ListDoc, SearchDoc, StatsDoc};
use serde_json::Value;

use crate::harness::Env;

// ---------------------------------------------------------------------------
// Generated articles

/// A small deterministic generator (xorshift64*): trials are reproducible,
/// and `NEWSIDX_TEST_SEED` picks other ones.
struct Rng(u64);

impl Rng {
    fn from_env(default: u64) -> Rng {
        let seed = std::env::var("NEWSIDX_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default);
        eprintln!("seed {seed} (set NEWSIDX_TEST_SEED to change it)");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "investment",
    "delegation",
    "factory",
    "workers",
    "government",
    "minister",
    "policy",
    "announced",
    "agreement",
    "company",
    "exports",
    "growth",
    "officials",
    "project",
    "training",
    "partnership",
    "meeting",
    "visit",
    "plans",
    "capacity",
    "expansion",
    "district",
    "council",
    "board",
    "funding",
    "research",
    "port",
    "railway",
    "logistics",
    "tender",
];

/// The word planted in revision `rev` of article `n`, found nowhere else.
fn planted(n: usize, rev: usize) -> String {
    if rev == 0 {
        format!("zq{n}x")
    } else {
        format!("zq{n}r{rev}x")
    }
}

/// Revision `rev` of article `n`: a title line and three paragraphs, one
/// with the planted word, every one with the shared word `zqallx`.
fn article(n: usize, rev: usize) -> String {
    let mut rng = Rng((n as u64 + 1) * 7919 + rev as u64 * 104_729);
    let mut paragraph = |extra: &str| {
        let words: Vec<&str> = (0..35).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        format!("The {} {extra}.", words.join(" "))
    };
    let first = paragraph("zqallx");
    let second = paragraph(&format!("and the code word is {}", planted(n, rev)));
    let third = paragraph("ends here");
    format!("Story {n} revision {rev} on a trade delegation\n{first}\n\n{second}\n\n{third}\n")
}

/// Where article `n` lives: a few sub-folders, so that the walk recurses.
fn rel_path(n: usize) -> String {
    format!("batch{}/a{n:05}.txt", n % 7)
}

// ---------------------------------------------------------------------------
// Running and reading

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn describe(args: &[&str], out: &Output) -> String {
    format!(
        "newsidx {args:?} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        stderr_of(out)
    )
}

/// `list --json` on `index`; must succeed.
fn list_at(env: &Env, index: &Path) -> Vec<ListDoc> {
    let args = ["list", "--json"];
    let out = env.run_at(index, &args);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&args, &out));
    assert!(!stderr_of(&out).contains("panicked"), "{}", stderr_of(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn list(env: &Env) -> Vec<ListDoc> {
    list_at(env, &env.index())
}

/// Searches one word; exit 0 or 1 only. True when the word itself (not a
/// spelling correction) finds the article at `path`.
fn finds(env: &Env, word: &str, path: &str) -> bool {
    let args = ["search", "--json", "--all-duplicates", "-n", "50", word];
    let out = env.run(&args);
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "{}",
        describe(&args, &out)
    );
    let doc: SearchDoc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}", describe(&args, &out)));
    doc.corrections.is_empty() && doc.hits.iter().any(|h| h.article.record.path == path)
}

/// Runs every query of `words` in one `search --queries -` batch and returns,
/// per query, the paths it found (empty when the word had to be corrected).
fn batch_search(env: &Env, words: &[String]) -> Vec<BTreeSet<String>> {
    use std::io::Write;
    let mut child = env
        .std_command(
            &env.index(),
            &["search", "--queries", "-", "--all-duplicates", "-n", "20"],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn search");
    let mut input = child.stdin.take().expect("stdin");
    let text: String = words.iter().map(|w| format!("{w}\n")).collect();
    let writer = std::thread::spawn(move || input.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("batch search");
    writer
        .join()
        .expect("writer thread")
        .expect("write queries");
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "{}",
        describe(&["search", "--queries", "-"], &out)
    );
    let docs: Vec<SearchDoc> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(docs.len(), words.len(), "one JSON line per query");
    docs.iter()
        .zip(words)
        .map(|(doc, word)| {
            assert_eq!(&doc.query, word);
            if doc.corrections.is_empty() {
                doc.hits
                    .iter()
                    .map(|h| h.article.record.path.clone())
                    .collect()
            } else {
                BTreeSet::new()
            }
        })
        .collect()
}

fn index_summary(env: &Env, args: &[&str]) -> Value {
    let mut full = vec!["index", "--json"];
    full.extend_from_slice(args);
    let out = env.run(&full);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&full, &out));
    assert!(!stderr_of(&out).contains("panicked"), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", describe(&full, &out)))
}

fn counts(summary: &Value) -> [u64; 5] {
    ["added", "updated", "removed", "unchanged", "skipped"].map(|k| summary[k].as_u64().unwrap())
}

/// `added + updated + unchanged + skipped == files`, as `Summary` promises.
fn assert_counts_add_up(summary: &Value) {
    let [added, updated, _, unchanged, skipped] = counts(summary);
    assert_eq!(
        added + updated + unchanged + skipped,
        summary["files"].as_u64().unwrap(),
        "{summary}"
    );
}

/// The generation folders of an index, sorted.
fn generations(index: &Path) -> Vec<String> {
    let mut gens: Vec<String> = std::fs::read_dir(index)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("gen-"))
                .collect()
        })
        .unwrap_or_default();
    gens.sort();
    gens
}

fn current(index: &Path) -> Option<String> {
    std::fs::read_to_string(index.join("CURRENT"))
        .ok()
        .map(|s| s.trim().to_string())
}

/// Waits `delay`, then SIGKILLs `child` (std's `Child::kill` on Unix).
/// Returns true when the kill interrupted it, false when it had already
/// finished (successfully: anything else fails the test).
fn kill_after(mut child: Child, delay: Duration) -> bool {
    std::thread::sleep(delay);
    if child.try_wait().expect("try_wait").is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("wait");
    match out.status.code() {
        None => true,
        Some(0) => false,
        Some(code) => panic!(
            "newsidx exited {code} before the kill:\n{}",
            stderr_of(&out)
        ),
    }
}

/// The articles in a list, by path.
fn by_path(docs: &[ListDoc]) -> BTreeMap<&str, &ListDoc> {
    docs.iter().map(|d| (d.path.as_str(), d)).collect()
}

/// The list holds exactly the generated articles `revs`, each at its
/// revision and with passages.
fn assert_holds(docs: &[ListDoc], revs: &BTreeMap<usize, usize>, context: &str) {
    let paths: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let expected: Vec<String> = revs.keys().map(|&n| rel_path(n)).collect();
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(paths.len(), docs.len(), "{context}: a path is listed twice");
    let missing: Vec<_> = expected.difference(&paths).take(5).collect();
    let extra: Vec<_> = paths.difference(&expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{context}: missing {missing:?}, unexpected {extra:?}"
    );
    let docs = by_path(docs);
    for (&n, &rev) in revs {
        let doc = docs[rel_path(n).as_str()];
        assert!(doc.passages > 0, "{context}: {} has no passages", doc.path);
        assert!(
            doc.meta
                .title
                .contains(&format!("Story {n} revision {rev} ")),
            "{context}: {} has the title {:?}, expected revision {rev}",
            doc.path,
            doc.meta.title
        );
    }
}

// ---------------------------------------------------------------------------
// 1. Crash safety

/// Kills `newsidx index` with SIGKILL at `trials` varied moments. Trial 0
/// kills the first build of `articles` files after `first_kill_ms`; each later
/// trial first edits `edits` articles, deletes three and adds three, and kills
/// the run at a fraction (shuffled, from 2% to 120%) of how long such a run
/// last took, so kills land early, midway, late, and sometimes after the end.
///
/// After each kill, `list` and `search` work and show a committed state: the
/// one before the run or the one after it (never a mixture), which the next
/// `index` run then completes. At the end the index equals a clean build of
/// the same folder.
fn crash_trials(articles: usize, edits: usize, trials: usize, first_kill_ms: u64) {
    let started = Instant::now();
    let env = Env::new();
    let mut rng = Rng::from_env(0x6e65_7773);
    let mut revs: BTreeMap<usize, usize> = (0..articles).map(|n| (n, 0)).collect();
    for &n in revs.keys() {
        env.write(&rel_path(n), article(n, 0));
    }
    let mut next_new = articles;
    let mut fractions: Vec<f64> = (1..trials)
        .map(|i| 0.02 + 1.18 * (i - 1) as f64 / (trials - 2).max(1) as f64)
        .collect();
    for i in (1..fractions.len()).rev() {
        fractions.swap(i, rng.below(i + 1));
    }

    // Trial 0: the very first build is killed. Whatever it left, `list`
    // finds the committed index, or (no commit yet) says there is none and
    // the next `index` builds it.
    let killed = kill_after(env.spawn(&["index"]), Duration::from_millis(first_kill_ms));
    let out = env.run(&["list", "--json"]);
    if out.status.code() != Some(0) {
        assert!(
            stderr_of(&out).contains("no index in"),
            "{}",
            describe(&["list", "--json"], &out)
        );
        index_summary(&env, &[]);
    }
    let mut before = list(&env);
    assert_holds(&before, &revs, "after the first build was killed");
    assert_eq!(generations(&env.index()).len(), 1);
    eprintln!(
        "trial 0: first build {} after {} ms",
        if killed { "killed" } else { "finished" },
        first_kill_ms
    );

    // How long an interrupted run takes when redone: a first guess, then
    // measured.
    let mut typical = Duration::from_millis(first_kill_ms);
    let mut interrupted = 0;
    for (trial, &fraction) in (1..).zip(&fractions) {
        let delay = typical.mul_f64(fraction).max(Duration::from_millis(20));
        // Edit some articles, delete three, add three.
        let keys: Vec<usize> = revs.keys().copied().collect();
        let mut edited = BTreeSet::new();
        while edited.len() < edits {
            edited.insert(keys[rng.below(keys.len())]);
        }
        for &n in &edited {
            let rev = revs[&n] + 1;
            revs.insert(n, rev);
            env.write(&rel_path(n), article(n, rev));
        }
        let mut deleted = BTreeSet::new();
        while deleted.len() < 3 {
            let n = keys[rng.below(keys.len())];
            if !edited.contains(&n) {
                deleted.insert(n);
            }
        }
        for n in &deleted {
            revs.remove(n);
            env.remove(&rel_path(*n));
        }
        for _ in 0..3 {
            revs.insert(next_new, 0);
            env.write(&rel_path(next_new), article(next_new, 0));
            next_new += 1;
        }
        let probe = *edited.iter().next().unwrap();
        let probe_word = planted(probe, revs[&probe]);

        let killed = kill_after(env.spawn(&["index"]), delay);
        let context = format!("trial {trial}, killed after {delay:?}");

        // Readers work on whatever the kill left.
        let seen = list(&env);
        let found = finds(&env, &probe_word, &rel_path(probe));

        // The next run completes the work.
        let redo = Instant::now();
        let summary = index_summary(&env, &[]);
        let redo = redo.elapsed();
        assert_counts_add_up(&summary);
        let after = list(&env);
        assert_holds(&after, &revs, &format!("{context}, after the next run"));
        assert!(
            finds(&env, &probe_word, &rel_path(probe)),
            "{context}: {probe_word}"
        );
        assert_eq!(generations(&env.index()).len(), 1, "{context}");

        // What readers saw was one whole commit: the old state or the new.
        if seen == before {
            interrupted += 1;
            typical = redo;
            assert!(!found, "{context}: old state, yet {probe_word} was found");
            assert_eq!(
                counts(&summary),
                [
                    3,
                    edits as u64,
                    3,
                    summary["unchanged"].as_u64().unwrap(),
                    0
                ],
                "{context}: the next run should redo all the work"
            );
        } else {
            assert!(
                seen == after,
                "{context}: readers saw neither the old state nor the new: {} articles, \
                 {} before, {} after",
                seen.len(),
                before.len(),
                after.len()
            );
            assert!(found, "{context}: new state, yet {probe_word} not found");
            assert_eq!(
                counts(&summary)[..3],
                [0, 0, 0],
                "{context}: the killed run had committed everything"
            );
        }
        eprintln!(
            "trial {trial}: {} after {delay:?} ({:.0}% of {typical:?}), readers saw the {} state",
            if killed { "killed" } else { "finished" },
            fraction * 100.0,
            if seen == before { "old" } else { "new" }
        );
        before = after;
    }
    assert!(
        interrupted > 0,
        "no kill landed before a commit: the trials tested nothing"
    );

    // A clean build of the same folder gives the same list.
    let clean = tempfile::tempdir().expect("temp dir");
    let clean_index = clean.path().join("index");
    let out = env.run_at(&clean_index, &["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(list_at(&env, &clean_index), before);
    eprintln!(
        "crash trials: {articles} articles, {trials} kills, {interrupted} before a commit, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn killed_index_runs_leave_a_committed_state() {
    crash_trials(400, 100, 10, 700);
}

/// The full-size version of the issue: a few thousand articles. About a
/// minute in a debug build on two cores, hence `#[ignore]`; `.ci/run` runs it
/// with `cargo test -- --ignored`.
#[test]
#[ignore = "slow: run with cargo test -- --ignored"]
fn killed_index_runs_leave_a_committed_state_2500() {
    crash_trials(2500, 400, 12, 3000);
}

// ---------------------------------------------------------------------------
// 2. Rebuild safety

#[test]
fn a_killed_rebuild_leaves_the_old_index_usable() {
    let started = Instant::now();
    let env = Env::new();
    let revs: BTreeMap<usize, usize> = (0..600).map(|n| (n, 0)).collect();
    for &n in revs.keys() {
        env.write(&rel_path(n), article(n, 0));
    }
    let t = Instant::now();
    index_summary(&env, &[]);
    let build = t.elapsed();
    let before = list(&env);
    assert_holds(&before, &revs, "first build");
    assert_eq!(current(&env.index()).as_deref(), Some("gen-1"));

    // Kill rebuilds early, midway and late; each leaves its half-written
    // generation behind and the old one live and whole.
    for fraction in [0.1, 0.4, 0.7] {
        let live = current(&env.index());
        let child = env.spawn(&["index", "--rebuild"]);
        // Wait for the new generation folder, so the kill lands inside the run.
        let deadline = Instant::now() + Duration::from_secs(30);
        while generations(&env.index()).len() < 2 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if !kill_after(child, build.mul_f64(fraction)) {
            // Faster than the first build: then it switched generations.
            assert!(fraction > 0.1, "the rebuild finished before an early kill");
            eprintln!("the rebuild finished before the kill at {fraction} of a build");
            assert_eq!(list(&env), before);
            assert_eq!(generations(&env.index()).len(), 1);
            continue;
        }
        assert_eq!(current(&env.index()), live);
        assert!(
            generations(&env.index()).len() >= 2,
            "the killed rebuild left no folder: {:?}",
            generations(&env.index())
        );
        assert_eq!(list(&env), before, "killed at {fraction} of a build");
        assert!(finds(&env, &planted(7, 0), &rel_path(7)));
    }

    // The next run, even one with nothing to do, removes the leftovers.
    let summary = index_summary(&env, &[]);
    assert_eq!(counts(&summary), [0, 0, 0, 600, 0]);
    assert_eq!(generations(&env.index()), [current(&env.index()).unwrap()]);
    assert_eq!(list(&env), before);

    // A killed rebuild, then a rebuild that completes: one generation, the
    // same articles.
    let child = env.spawn(&["index", "--rebuild"]);
    assert!(kill_after(child, build.mul_f64(0.5)));
    let summary = index_summary(&env, &["--rebuild"]);
    assert_eq!(summary["rebuilt"], true);
    let gens = generations(&env.index());
    assert_eq!(gens.len(), 1, "{gens:?}");
    assert_eq!(current(&env.index()).as_ref(), Some(&gens[0]));
    assert_eq!(list(&env), before);
    eprintln!("rebuild safety: {:.1} s", started.elapsed().as_secs_f64());
}

// ---------------------------------------------------------------------------
// 3. Concurrency

#[test]
fn two_index_runs_at_once_one_proceeds() {
    let env = Env::new();
    let revs: BTreeMap<usize, usize> = (0..500).map(|n| (n, 0)).collect();
    for &n in revs.keys() {
        env.write(&rel_path(n), article(n, 0));
    }
    let first = env.spawn(&["index"]);
    let second = env.spawn(&["index"]);
    let outs = [first, second].map(|c| c.wait_with_output().expect("wait"));
    let codes: Vec<Option<i32>> = outs.iter().map(|o| o.status.code()).collect();
    assert!(
        codes.contains(&Some(0)) && codes.contains(&Some(2)),
        "expected one success and one refusal, got {codes:?}\n{}\n{}",
        stderr_of(&outs[0]),
        stderr_of(&outs[1])
    );
    let refused = &outs[codes.iter().position(|c| *c == Some(2)).unwrap()];
    let stderr = stderr_of(refused);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("another `newsidx index` is running"),
        "{stderr}"
    );
    let lock = env.index().join(".lock");
    assert!(stderr.contains(&lock.display().to_string()), "{stderr}");
    assert_holds(&list(&env), &revs, "after the winner finished");
    assert_eq!(generations(&env.index()).len(), 1);
}

/// Runs `search zqallx --count --json` until `child` ends (and twice more);
/// every run must succeed with one of the `allowed` article counts. Returns
/// how many searches ran while the child was alive, by count seen.
fn search_while(env: &Env, mut child: Child, allowed: [u64; 2]) -> BTreeMap<u64, usize> {
    let mut seen = BTreeMap::new();
    let mut after = 0;
    loop {
        let running = child.try_wait().expect("try_wait").is_none();
        let args = ["search", "--count", "--json", "zqallx"];
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&args, &out));
        let doc: Value = serde_json::from_slice(&out.stdout).expect("count JSON");
        let articles = doc["total_articles"].as_u64().unwrap();
        assert!(
            allowed.contains(&articles),
            "a search saw {articles} articles, expected one of {allowed:?}"
        );
        if running {
            *seen.entry(articles).or_default() += 1;
        } else {
            after += 1;
            if after == 2 {
                break;
            }
        }
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    seen
}

#[test]
fn searches_during_index_runs_see_the_old_or_the_new_articles() {
    let env = Env::new();
    for n in 0..300 {
        env.write(&rel_path(n), article(n, 0));
    }
    index_summary(&env, &[]);

    // An incremental run adding 500 articles: one commit into the live
    // generation, then merges.
    for n in 300..800 {
        env.write(&rel_path(n), article(n, 0));
    }
    let seen = search_while(&env, env.spawn(&["index"]), [300, 800]);
    eprintln!("searches during the incremental run, by count: {seen:?}");
    assert!(seen.values().sum::<usize>() >= 3, "{seen:?}");
    assert_eq!(list(&env).len(), 800);

    // A rebuild after deleting 100: a new generation is switched in and the
    // old one deleted while searches run.
    for n in 0..100 {
        env.remove(&rel_path(n));
    }
    let seen = search_while(&env, env.spawn(&["index", "--rebuild"]), [800, 700]);
    eprintln!("searches during the rebuild, by count: {seen:?}");
    assert!(seen.values().sum::<usize>() >= 3, "{seen:?}");
    assert_eq!(list(&env).len(), 700);
}

// ---------------------------------------------------------------------------
// 4. Damaged index

/// The segment files of the live generation, largest first.
fn segment_files(index: &Path) -> Vec<std::path::PathBuf> {
    let gen = index.join(current(index).expect("CURRENT"));
    let mut files: Vec<(u64, std::path::PathBuf)> = std::fs::read_dir(gen)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.starts_with('.') && name != "meta.json" && name != "NEWSIDX.TAG"
        })
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort();
    files.into_iter().rev().map(|(_, p)| p).collect()
}

fn edit_format(index: &Path, format: u64) {
    let path = index
        .join(current(index).expect("CURRENT"))
        .join("meta.json");
    let mut meta: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload["format"] = format.into();
    meta["payload"] = payload.to_string().into();
    std::fs::write(&path, meta.to_string()).unwrap();
}

/// Runs `args` and expects exit 2 with one stderr line that names the index,
/// says `what` and tells how to repair it.
fn assert_damaged(env: &Env, args: &[&str], what: &str) {
    let out = env.run(args);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(what),
        "{args:?} should say {what:?}: {stderr}"
    );
    assert!(
        stderr.contains("`newsidx index --rebuild`"),
        "{args:?} should name the repair: {stderr}"
    );
    assert!(
        stderr.contains(&env.index().display().to_string()),
        "{args:?} should name the index: {stderr}"
    );
}

#[test]
fn a_damaged_index_is_a_clear_error_that_rebuild_repairs() {
    type Damage = fn(&Path);
    // A folder that is not a newsidx index is refused, not repaired: see
    // safety::folders_newsidx_did_not_create_are_never_touched.
    let cases: [(&str, Damage, &str); 6] = [
        (
            "truncated segment file",
            |index| {
                let file = &segment_files(index)[0];
                let len = std::fs::metadata(file).unwrap().len();
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(file)
                    .unwrap()
                    .set_len(len / 2)
                    .unwrap();
            },
            "is damaged (truncated or overwritten)",
        ),
        (
            "segment file truncated to nothing",
            |index| {
                let files = segment_files(index);
                std::fs::write(files.last().unwrap(), b"").unwrap();
            },
            "is damaged",
        ),
        (
            "deleted segment file",
            |index| std::fs::remove_file(&segment_files(index)[1]).unwrap(),
            "is missing",
        ),
        (
            "corrupted meta.json",
            |index| {
                let meta = index.join(current(index).unwrap()).join("meta.json");
                let text = std::fs::read_to_string(&meta).unwrap();
                std::fs::write(&meta, &text[..text.len() / 2]).unwrap();
            },
            "meta.json is corrupted",
        ),
        (
            "CURRENT names a missing generation",
            |index| std::fs::write(index.join("CURRENT"), "gen-41\n").unwrap(),
            "CURRENT names gen-41, which is missing",
        ),
        (
            "another format version",
            |index| edit_format(index, 999),
            "index format 999",
        ),
    ];
    for (case, damage, what) in cases {
        let started = Instant::now();
        let env = Env::with_seeds();
        env.write(
            "planted.txt",
            "Tripura trade fair\nAgartala hosts a fair with zqdamagex stalls.\n",
        );
        index_summary(&env, &[]);
        let before = list(&env);
        damage(&env.index());

        for args in [
            &["search", "zqdamagex"][..],
            &["list", "--json"],
            &["stats", "--json"],
            &["show", "planted.txt"],
        ] {
            assert_damaged(&env, args, what);
        }
        if case == "another format version" {
            // An index of another format is rebuilt by a plain run.
            let summary = index_summary(&env, &[]);
            assert_eq!(summary["rebuilt"], true, "{case}");
        } else {
            // A plain run refuses to write into a damaged index.
            assert_damaged(&env, &["index"], what);
            let summary = index_summary(&env, &["--rebuild"]);
            assert_eq!(summary["rebuilt"], true, "{case}");
        }
        assert!(finds(&env, "zqdamagex", "planted.txt"), "{case}");
        assert_eq!(list(&env), before, "{case}");
        assert_eq!(generations(&env.index()).len(), 1, "{case}");
        // The repaired index stays good: a plain run changes nothing.
        assert_eq!(counts(&index_summary(&env, &[]))[..3], [0, 0, 0], "{case}");
        eprintln!("{case}: {:.1} s", started.elapsed().as_secs_f64());
    }
}

// ---------------------------------------------------------------------------
// 5. Hostile articles

/// True when this process can read files it has no permission for (root).
fn permissions_are_ignored(probe: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(probe, "probe").unwrap();
    std::fs::set_permissions(probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(probe).is_ok();
    std::fs::set_permissions(probe, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_file(probe).unwrap();
    readable
}

#[test]
fn hostile_articles_are_reported_and_the_rest_indexed() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let good =
        |name: &str, word: &str| format!("{name} makes news\nA story where {word} appears.\n");
    // Good articles: path -> planted word.
    let mut expected: BTreeMap<String, &str> = BTreeMap::new();
    let mut files = 0u64;
    // Problems: (path, line) expected in a warning.
    let mut problems: Vec<(String, Option<usize>)> = Vec::new();
    let mut skipped = 0u64;

    env.write("plain.txt", good("Plain", "zqplainx"));
    expected.insert("plain.txt".into(), "zqplainx");
    files += 1;

    env.write("empty.txt", "");
    env.write("blank.md", "\n\n   \n");
    problems.extend([("empty.txt".into(), None), ("blank.md".into(), None)]);
    skipped += 2;
    files += 2;

    env.write("zeros.txt", vec![0u8; 64 * 1024]);
    problems.push(("zeros.txt".into(), None));
    skipped += 1;
    files += 1;

    env.write(
        "latin1.txt",
        b"Caf\xe9 owners meet investors\nThe caf\xe9 \xff\xfe story zqlatinx ends.\n".as_slice(),
    );
    expected.insert("latin1.txt".into(), "zqlatinx");
    problems.push(("latin1.txt".into(), None));
    files += 1;

    env.write(
        "deep.html",
        format!(
            "<html><head><title>Deep page</title></head><body>{}zqdeepx at the bottom{}</body></html>",
            "<div><span>".repeat(5_000),
            "</span></div>".repeat(5_000)
        ),
    );
    expected.insert("deep.html".into(), "zqdeepx");
    files += 1;

    env.write(
        "feed.jsonl",
        concat!(
            "{\"title\":\"First feed story\",\"body\":\"The first zqfeedonex story.\"}\n",
            "{\"title\": \"broken\", \"body\": \n",
            "{\"title\":\"Third feed story\",\"body\":\"The third zqfeedthreex story.\"}\n",
        ),
    );
    expected.insert("feed.jsonl:1".into(), "zqfeedonex");
    expected.insert("feed.jsonl:3".into(), "zqfeedthreex");
    problems.push(("feed.jsonl".into(), Some(2)));
    files += 1;

    let root_reads_anything = permissions_are_ignored(&env.dir.path().join("probe"));
    env.write("locked.txt", good("Locked", "zqlockedx"));
    std::fs::set_permissions(
        env.articles().join("locked.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    files += 1;
    if root_reads_anything {
        eprintln!("unreadable file: skipped, this test runs as root, whom permissions do not stop");
        expected.insert("locked.txt".into(), "zqlockedx");
    } else {
        problems.push(("locked.txt".into(), None));
        skipped += 1;
    }

    std::fs::create_dir_all(env.articles().join("loop/inner")).unwrap();
    std::os::unix::fs::symlink("..", env.articles().join("loop/inner/up")).unwrap();
    env.write("loop/inner/real.txt", good("Looped", "zqloopx"));
    expected.insert("loop/inner/real.txt".into(), "zqloopx");
    problems.push(("loop/inner/up".into(), None));
    skipped += 1;
    files += 2;

    env.write("with spaces and ñ 日本.txt", good("Spaced", "zqspacex"));
    env.write(
        "dossier été/Ünïcode – 記事.md",
        good("Unicode", "zqunicodex"),
    );
    expected.insert("with spaces and ñ 日本.txt".into(), "zqspacex");
    expected.insert("dossier été/Ünïcode – 記事.md".into(), "zqunicodex");
    files += 2;

    // The same article under two names: both files are indexed, each once.
    env.write("copy one.txt", good("Copied", "zqcopyx"));
    env.write("copy-two.txt", good("Copied", "zqcopyx"));
    expected.insert("copy one.txt".into(), "zqcopyx");
    expected.insert("copy-two.txt".into(), "zqcopyx");
    files += 2;

    // An unreadable file makes the run exit 2 with a closing line, and a
    // rebuild stop rather than drop it (safety::unreadable_folders_and_files_keep_their_articles).
    let unreadable = !root_reads_anything;
    for (run, args) in [
        ("first", &["index", "--json"][..]),
        ("again", &["index", "--json", "--rebuild"]),
    ] {
        let out = env.run(args);
        let stderr = stderr_of(&out);
        if unreadable && run == "again" {
            assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
            assert!(stderr.contains("the rebuild stopped"), "{stderr}");
            continue;
        }
        let code = if unreadable { 2 } else { 0 };
        assert_eq!(out.status.code(), Some(code), "{}", describe(args, &out));
        assert!(!stderr.contains("panicked"), "{stderr}");
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_counts_add_up(&summary);
        assert_eq!(summary["files"], files, "{run}: {summary}");
        assert_eq!(summary["skipped"], skipped, "{run}: {summary}");
        assert_eq!(
            summary["articles"],
            expected.len() as u64,
            "{run}: {summary}"
        );
        for (path, line) in &problems {
            let prefix = match line {
                Some(line) => format!("newsidx: warning: {path}:{line}: "),
                None => format!("newsidx: warning: {path}: "),
            };
            assert!(
                stderr.lines().any(|l| l.starts_with(&prefix)),
                "{run}: no warning for {path}:{line:?}\n{stderr}"
            );
        }
        // Nothing but the expected problems is reported.
        assert_eq!(
            stderr.lines().count(),
            problems.len() + usize::from(unreadable),
            "{run}: unexpected stderr\n{stderr}"
        );
    }

    let docs = list(&env);
    let listed: BTreeSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let wanted: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
    assert_eq!(listed, wanted);
    assert!(docs.iter().all(|d| d.passages > 0));
    for (path, word) in &expected {
        assert!(finds(&env, word, path), "{word} should find {path}");
    }
    let shown: Value = env.json(&["show", "with spaces and ñ 日本.txt", "--json"]);
    assert_eq!(shown["article"]["path"], "with spaces and ñ 日本.txt");

    // An incremental run over the same folder: the same accounting (the
    // unreadable file, readable again, is added).
    if unreadable {
        std::fs::set_permissions(
            env.articles().join("locked.txt"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
    }
    let summary = index_summary(&env, &[]);
    assert_counts_add_up(&summary);
    assert_eq!(summary["unchanged"], files - skipped);
    assert_eq!(summary["skipped"], skipped - u64::from(unreadable));
    assert_eq!(summary["added"], u64::from(unreadable));
}

#[test]
fn a_nine_mib_single_line_is_indexed() {
    let started = Instant::now();
    let env = Env::new();
    let mut line = String::from("zqbigstartx ");
    let mut rng = Rng(42);
    while line.len() < 9 * 1024 * 1024 {
        line.push_str(WORDS[rng.below(WORDS.len())]);
        line.push(' ');
    }
    line.push_str("zqbigendx");
    env.write("huge.txt", &line);
    env.write("small.txt", "Small story\nA small zqsmallx story.\n");
    let out = env.run(&["index", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("panicked"));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_counts_add_up(&summary);
    assert_eq!(counts(&summary), [2, 0, 0, 0, 0], "{summary}");
    let docs = list(&env);
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d.passages > 0));
    for word in ["zqbigstartx", "zqbigendx"] {
        assert!(finds(&env, word, "huge.txt"), "{word}");
    }
    assert!(finds(&env, "zqsmallx", "small.txt"));
    eprintln!("9 MiB line: {:.1} s", started.elapsed().as_secs_f64());
}

// ---------------------------------------------------------------------------
// 8. Nothing lost, measured

#[test]
fn nothing_lost_every_good_article_is_found_by_its_word() {
    let started = Instant::now();
    let env = Env::new();
    // Good articles in every format: path -> planted word.
    let mut good: BTreeMap<String, String> = BTreeMap::new();
    for n in 0..360 {
        let word = planted(n, 0);
        let text = article(n, 0);
        let path = match n % 4 {
            0 => rel_path(n),
            1 => {
                let path = format!("md/a{n:05}.md");
                env.write(&path, format!("# {}", text.replacen('\n', "\n\n", 1)));
                path
            }
            2 => {
                let (title, body) = text.split_once('\n').unwrap();
                let paragraphs: String = body
                    .split("\n\n")
                    .map(|p| format!("<p>{}</p>", p.trim()))
                    .collect();
                let path = format!("html/a{n:05}.html");
                env.write(
                    &path,
                    format!(
                        "<html><head><title>{title}</title></head><body><nav>Home</nav>\
                         <article><h1>{title}</h1>{paragraphs}</article></body></html>"
                    ),
                );
                path
            }
            _ => {
                let path = format!("deep/er/a{n:05}.txt");
                env.write(&path, &text);
                path
            }
        };
        if n % 4 == 0 {
            env.write(&path, &text);
        }
        good.insert(path, word);
    }
    // A JSON lines feed: 40 good lines and 3 bad ones.
    let mut feed = String::new();
    for n in 1000..1040 {
        let text = article(n, 0);
        let (title, body) = text.split_once('\n').unwrap();
        feed.push_str(&serde_json::json!({"title": title, "body": body}).to_string());
        feed.push('\n');
        good.insert(
            format!("feed.jsonl:{}", n - 1000 + 1 + usize::from(n >= 1020)),
            planted(n, 0),
        );
        if n == 1019 {
            feed.push_str("{\"title\": \"cut off\n");
        }
    }
    feed.push_str("{\"title\":\"no body\"}\n");
    feed.push_str("not json at all\n");
    env.write("feed.jsonl", feed);

    // Bad files: each yields no article.
    let bad: [(&str, &[u8]); 6] = [
        ("bad/empty.txt", b""),
        ("bad/blank.md", b"\n \n\t\n"),
        ("bad/zeros.txt", &[0u8; 1024]),
        (
            "bad/script-only.html",
            b"<html><script>var x = 1;</script></html>",
        ),
        ("bad/all-bad.jsonl", b"{oops\n[1,2]\n"),
        ("bad/picture.png", b"\x89PNG\r\n"),
    ];
    for (path, bytes) in bad {
        env.write(path, bytes);
    }

    let summary = index_summary(&env, &[]);
    assert_counts_add_up(&summary);
    let good_files = 360 + 1;
    assert_eq!(summary["added"], good_files, "{summary}");
    assert_eq!(summary["skipped"], bad.len() as u64, "{summary}");
    assert_eq!(summary["files"], good_files + bad.len() as u64);

    let stats: StatsDoc = env.json(&["stats", "--json"]);
    assert_eq!(stats.articles, good.len() as u64);
    let docs = list(&env);
    assert_eq!(docs.len(), good.len());
    let docs = by_path(&docs);
    for path in good.keys() {
        let doc = docs
            .get(path.as_str())
            .unwrap_or_else(|| panic!("{path} is not indexed"));
        assert!(doc.passages > 0, "{path} has no passages");
    }
    assert_eq!(
        stats.passages,
        docs.values().map(|d| d.passages).sum::<u64>()
    );

    let words: Vec<String> = good.values().cloned().collect();
    let found = batch_search(&env, &words);
    let lost: Vec<&String> = good
        .iter()
        .zip(&found)
        .filter(|((path, _), paths)| paths.len() != 1 || !paths.contains(path.as_str()))
        .map(|((path, _), _)| path)
        .collect();
    assert!(lost.is_empty(), "not found by their own word: {lost:?}");
    eprintln!(
        "nothing lost: {} articles, {:.1} s",
        good.len(),
        started.elapsed().as_secs_f64()
    );
}
