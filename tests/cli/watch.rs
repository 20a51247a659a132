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
    interrupt(&watcher);
    let status = exit_status(&mut watcher);
    assert!(status.success(), "{status:?}\n{}", watcher.output());
    env.ok(&["check"]);
    assert_eq!(paths(&env), set(&["moved.txt", "marker.txt"]));
    // A plain run finds nothing left to do.
    let summary = env.index_json(&[]);
    assert_eq!(summary["added"], 0, "{summary}");
    assert_eq!(summary["removed"], 0, "{summary}");
}

/// Sends SIGINT to the watcher.
fn interrupt(watcher: &Watcher) {
    let kill = std::process::Command::new("kill")
        .args(["-INT", &watcher.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(kill.success());
}

/// Waits for the watcher to exit.
fn exit_status(watcher: &mut Watcher) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = watcher.child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "SIGINT did not stop the watcher:\n{}",
            watcher.output()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_file_still_being_written_is_indexed_once_complete() {
    use std::io::Write as _;
    let env = Env::new();
    env.write("first.txt", article("First"));
    let watcher = Watcher::start(&env);
    wait_for(&watcher, "build the index", || {
        env.index().join("CURRENT").exists() && paths(&env) == set(&["first.txt"])
    });

    // A download that stalls halfway: its first half sits on disk, untouched
    // for far longer than the watcher's quiet time, while the writer keeps
    // the file open.
    let mut slow = std::fs::File::create(env.articles().join("slow.txt")).unwrap();
    slow.write_all(b"Goa courts Slow investors\nPanaji: the first half of the story, then ")
        .unwrap();
    slow.flush().unwrap();
    // New permissions while it is open (as some downloaders set them) do
    // not end the writing.
    use std::os::unix::fs::PermissionsExt as _;
    let perms = std::fs::Permissions::from_mode(0o640);
    std::fs::set_permissions(env.articles().join("slow.txt"), perms).unwrap();
    // Three times the watcher's quiet time (300 ms).
    std::thread::sleep(Duration::from_millis(900));
    // A file written whole after the stall is synced; the half-written one,
    // quiet for longer, is not.
    env.write("marker.txt", article("Marker"));
    wait_for(&watcher, "index a complete file", || {
        paths(&env).contains("marker.txt")
    });
    assert_eq!(
        paths(&env),
        set(&["first.txt", "marker.txt"]),
        "a file still open for writing was indexed:\n{}",
        watcher.output()
    );

    // The rest arrives and the writer closes the file: indexed whole, once.
    slow.write_all(b"the Kyoto delegation signed the semiconductor deal.\n")
        .unwrap();
    drop(slow);
    wait_for(&watcher, "index the completed file", || {
        paths(&env).contains("slow.txt")
    });
    let doc = crate::harness::search(&env, &["Kyoto"]);
    assert_eq!(crate::harness::paths(&doc), ["slow.txt"]);
    let summaries = watcher.summaries();
    let updated: u64 = summaries
        .iter()
        .map(|s| s["updated"].as_u64().unwrap())
        .sum();
    assert_eq!(
        updated,
        0,
        "indexed half, then again:\n{}",
        watcher.output()
    );
}

#[test]
fn a_second_ctrl_c_during_a_sync_leaves_the_last_commit() {
    let env = Env::new();
    env.write("first.txt", article("First"));
    let mut watcher = Watcher::start(&env);
    wait_for(&watcher, "build the index", || {
        env.index().join("CURRENT").exists() && paths(&env) == set(&["first.txt"])
    });
    let before = paths(&env);

    // A folder of articles large enough that its sync takes a while, moved
    // in at once so that it is one sync.
    let staging = env.dir.path().join("staging");
    std::fs::create_dir(&staging).unwrap();
    let mut after = before.clone();
    for i in 0..1500 {
        let name = format!("{i:04}.txt");
        std::fs::write(staging.join(&name), article(&format!("Burst{i}"))).unwrap();
        after.insert(format!("burst/{name}"));
    }
    std::fs::rename(&staging, env.articles().join("burst")).unwrap();
    // Wait until the sync holds the writer lock, then press Ctrl-C twice.
    let lock = std::fs::File::open(env.index().join(".lock")).unwrap();
    wait_for(&watcher, "start syncing the burst", || {
        match lock.try_lock() {
            Ok(()) => {
                lock.unlock().unwrap();
                false
            }
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(std::fs::TryLockError::Error(e)) => panic!("{e}"),
        }
    });
    interrupt(&watcher);
    interrupt(&watcher);
    let status = exit_status(&mut watcher);
    // Stopped at once (130), or, had the sync already ended, as a first
    // Ctrl-C stops it (0).
    assert!(
        matches!(status.code(), Some(0) | Some(130)),
        "{status:?}\n{}",
        watcher.output()
    );

    // The index is whole and holds one of the two states, never a part.
    env.ok(&["check"]);
    let now = paths(&env);
    assert!(
        now == before || now == after,
        "{} of {} articles listed",
        now.len(),
        after.len()
    );
    // The next run finishes the job.
    env.index_json(&[]);
    env.ok(&["check"]);
    assert_eq!(paths(&env), after);
}
