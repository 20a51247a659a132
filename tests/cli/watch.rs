//! `newsidx index --watch` (issue 18, item 6): a running watcher follows
//! writes, edits, renames and deletes, keeps going past bad files, and a
//! Ctrl-C leaves a whole, committed index. Every wait is bounded and fails
//! only when the watcher hangs; no assertion depends on timing.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newsidx::print::json::ListDoc;

use crate::harness::Env;

/// Long enough for a loaded CI machine; a watcher that works answers in
/// well under a second.
const PATIENCE: Duration = Duration::from_secs(60);

/// An article titled "Goa courts WORD investors".
fn article(word: &str) -> String {
    format!("Goa courts {word} investors\nPanaji: the Goa minister met investors from Osaka about {word}.\n")
}

fn listed(env: &Env) -> Vec<ListDoc> {
    env.json_lines::<ListDoc>(&["list", "--json"])
}

fn paths(env: &Env) -> BTreeSet<String> {
    listed(env).into_iter().map(|d| d.path).collect()
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

/// Polls `ready` until it holds; panics, with the watcher's output, when it
/// does not within [`PATIENCE`]. Returns how long it took.
fn wait_for(watcher: &Watcher, what: &str, mut ready: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < PATIENCE,
            "the watcher did not {what} within {PATIENCE:?}; its output:\n{}",
            watcher.output()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    started.elapsed()
}

/// A running `newsidx index --watch --json`, its stdout and stderr collected
/// by threads.
struct Watcher {
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Watcher {
    fn start(env: &Env) -> Watcher {
        let mut child = env
            .std_command(&env.index(), &["index", "--watch", "--json"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn newsidx index --watch");
        let collect = |stream: Box<dyn std::io::Read + Send>| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let sink = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    sink.lock().unwrap().push(line);
                }
            });
            lines
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Watcher {
            child,
            stdout,
            stderr,
        }
    }

    fn summaries(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lock()
            .unwrap()
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    fn output(&self) -> String {
        format!(
            "stdout:\n{}\nstderr:\n{}",
            self.stdout.lock().unwrap().join("\n"),
            self.stderr()
        )
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn index_watch_follows_the_folder_and_stops_committed_on_sigint() {
    let env = Env::new();
    env.write("first.txt", article("First"));
    env.write(".newsidxignore", "skip-*.txt\n");
    let watcher = Watcher::start(&env);
    wait_for(&watcher, "build the index", || {
        env.index().join("CURRENT").exists() && paths(&env) == set(&["first.txt"])
    });

    // A new file: a search run meanwhile sees it.
    env.write("new.txt", article("Fresh"));
    let took = wait_for(&watcher, "index a new file", || {
        paths(&env).contains("new.txt")
    });
    eprintln!("a new article was listed {took:?} after its write");
    let doc = crate::harness::search(&env, &["Fresh"]);
    assert_eq!(crate::harness::paths(&doc), ["new.txt"]);

    // Edited.
    env.write("new.txt", article("Edited"));
    wait_for(&watcher, "index an edit", || {
        listed(&env)
            .iter()
            .any(|d| d.path == "new.txt" && d.meta.title == "Goa courts Edited investors")
    });

    // Renamed.
    std::fs::rename(
        env.articles().join("new.txt"),
        env.articles().join("moved.txt"),
    )
    .unwrap();
    wait_for(&watcher, "follow a rename", || {
        paths(&env) == set(&["first.txt", "moved.txt"])
    });

    // Deleted.
    env.remove("first.txt");
    wait_for(&watcher, "remove a deleted file", || {
        paths(&env) == set(&["moved.txt"])
    });

    // A folder made with files in it, then removed whole.
    env.write("2025/a.txt", article("Alpha"));
    env.write("2025/deep/b.txt", article("Beta"));
    wait_for(&watcher, "index a new folder", || {
        paths(&env) == set(&["moved.txt", "2025/a.txt", "2025/deep/b.txt"])
    });
    std::fs::remove_dir_all(env.articles().join("2025")).unwrap();
    wait_for(&watcher, "remove a deleted folder", || {
        paths(&env) == set(&["moved.txt"])
    });

    // A bad file is reported and the watcher goes on; hidden and ignored
    // files, written before the marker, are not indexed when it is.
    env.write("empty.txt", "");
    env.write("skip-me.txt", article("Ignored"));
    env.write(".hidden.txt", article("Hidden"));
    env.write("marker.txt", article("Marker"));
    wait_for(&watcher, "go on after a bad file", || {
        paths(&env).contains("marker.txt")
    });
    wait_for(&watcher, "report the bad file", || {
        watcher.stderr().contains("empty.txt")
    });
    assert_eq!(paths(&env), set(&["moved.txt", "marker.txt"]));

    // One JSON summary per sync, each a whole index summary.
    let summaries = watcher.summaries();
    assert!(summaries.len() >= 7, "{summaries:?}");
    assert!(summaries.iter().all(|s| s["added"].is_u64()));
    assert_eq!(summaries[0]["rebuilt"], true);

    // Ctrl-C: the watcher stops, exit 0, the index whole and up to date.
    let mut watcher = watcher;
    let kill = std::process::Command::new("kill")
        .args(["-INT", &watcher.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(kill.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = watcher.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "SIGINT did not stop the watcher:\n{}",
            watcher.output()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}\n{}", watcher.output());
    env.ok(&["check"]);
    assert_eq!(paths(&env), set(&["moved.txt", "marker.txt"]));
    // A plain run finds nothing left to do.
    let summary = env.index_json(&[]);
    assert_eq!(summary["added"], 0, "{summary}");
    assert_eq!(summary["removed"], 0, "{summary}");
}
