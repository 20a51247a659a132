//! Issue 15: nothing lost, nothing leaked, nothing hangs — the index under
//! hostile files, odd file systems and damage. One test per item of the
//! issue, each with its own hostile fixtures in a temp dir; the item number
//! is in the test's doc comment.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::harness::Env;

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

/// Runs `args`, expects exit 2 and one `newsidx: ` line on stderr, without
/// a panic; returns that line.
fn one_line_error(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("newsidx: "), "{stderr}");
    stderr
}

// ---------------------------------------------------------------------------
// 12. Other users and odd file systems

/// Item 12: an OS error is printed once, after the path it concerns.
#[test]
fn os_errors_are_printed_once() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    let file = env.dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let line = one_line_error(
        &env,
        &[
            "export",
            "--to",
            "quickwit",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(line.matches("os error 17").count(), 1, "{line}");
    assert!(line.contains(&file.display().to_string()), "{line}");
}

// ---------------------------------------------------------------------------
// 6. Terminal injection

/// The characters a terminal obeys: controls (but the newline that ends a
/// line) and the bidi embeddings, overrides and isolates.
fn obeyed(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Runs `args` and expects exit `code` with no character a terminal obeys
/// on stdout or stderr; returns stdout.
fn safe_output(env: &Env, code: i32, args: &[&str]) -> String {
    let out = env.run(args);
    assert_eq!(out.status.code(), Some(code), "{}", describe(args, &out));
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{args:?}: {stream} is not UTF-8: {e}"));
        if let Some(c) = text.chars().find(|&c| obeyed(c)) {
            panic!("{args:?}: {stream} holds {c:?}:\n{text}");
        }
    }
    String::from_utf8(out.stdout).unwrap()
}

/// Item 6: control sequences, bidi overrides and newlines from article
/// text, HTML entities, JSON escapes and file names are shown visibly by
/// every human printer and in warnings and errors; `--json` keeps them
/// exact (as `\u` escapes).
#[test]
fn no_scraped_byte_controls_the_terminal() {
    let env = Env::new();
    let osc_title = "\u{1b}]0;pwned\u{7}";
    let link = "\u{1b}]8;;http://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\";
    env.write(
        &format!("evil{osc_title}.txt"),
        format!(
            "Gujarat \u{1b}[2J chip plant{osc_title}\n\
             Ahmedabad zqescx: the state signed a semiconductor deal {link} with \
             investors\r over\u{8}\u{8}written and \u{202e}reversed text, a \u{9b}31m C1 \
             sequence and more words so the paragraph is kept.\n"
        ),
    );
    env.write(
        "line\nbreak.txt",
        "Kerala port news\nKochi zqnewlinex: a port story in a file whose name holds a newline.\n",
    );
    env.write(
        "page.html",
        "<html><head><title>Assam &#x1b;[31mred&#x1b;[0m tea</title></head><body><article>\
         <p>Guwahati zqhtmlx: tea gardens &#x1b;]0;pwned&#7; expand &#x202e;exports to Japan \
         with new buyers and more words for a full paragraph.</p></article></body></html>",
    );
    env.write(
        "feed.jsonl",
        concat!(
            "{\"title\":\"Goa \\u001b[2Jtourism\",\"body\":\"Panaji zqjsonx: tourism grows \\u001b[1m ",
            "bold \\u202e claims and more words so that the paragraph is kept whole.\",",
            "\"url\":\"http://x.example/\\u001b]0;t\\u0007\",\"date\":\"2024-05-01\",",
            "\"states\":[\"Goa\\u001b[2J\"],\"sectors\":[\"evil\\u202e\"]}\n"
        ),
    );
    env.write(&format!("empty{osc_title}.txt"), "");
    safe_output(&env, 0, &["index"]);

    let listed = safe_output(&env, 0, &["list"]);
    assert_eq!(listed.lines().count(), 4, "one line per article:\n{listed}");
    assert!(listed.contains("^[]0;pwned^G"), "{listed}");
    assert!(listed.contains("line^Jbreak.txt"), "{listed}");
    for args in [
        &["search", "zqescx"][..],
        &["search", "zqhtmlx", "--facets"],
        &["search", "--count", "--facets", "zqjsonx"],
        &["search", "tourism", "--facets", "--sort", "date"],
        &["show", "feed.jsonl:1"],
        &["show", "page.html"],
        &["show", "line\nbreak.txt"],
        &["timeline", "--split", "state"],
        &["timeline", "--split", "sector", "--by", "year"],
        &["stats"],
        &["list", "--duplicates"],
    ] {
        safe_output(&env, 0, args);
    }
    let shown = safe_output(&env, 0, &["show", &format!("evil{osc_title}.txt")]);
    assert!(shown.contains("<U+202E>reversed"), "{shown}");
    assert!(shown.contains("^[]8;;http://evil.example/"), "{shown}");
    let url = safe_output(&env, 0, &["show", "feed.jsonl:1"]);
    assert!(url.contains("url http://x.example/^[]0;t^G"), "{url}");

    // Errors and warnings name the file, visibly.
    let out = env.run(&["show", &format!("missing{osc_title}")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("missing"), "{}", stderr_of(&out));
    safe_output(&env, 2, &["show", &format!("missing{osc_title}")]);
    let out = env.run(&["index", "--rebuild"]);
    assert!(
        stderr_of(&out).contains("warning: empty^[]0;pwned^G.txt"),
        "{}",
        stderr_of(&out)
    );

    // JSON stays exact: the same strings, escaped.
    let out = env.run(&["list", "--json"]);
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(!raw.chars().any(obeyed), "{raw}");
    let docs: Vec<Value> = raw
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"evil\u{1b}]0;pwned\u{7}.txt"), "{paths:?}");
    assert!(paths.contains(&"line\nbreak.txt"), "{paths:?}");
    let feed = docs.iter().find(|d| d["path"] == "feed.jsonl:1").unwrap();
    assert_eq!(feed["title"], "Goa \u{1b}[2Jtourism");
    let shown: Value = env.json(&["show", "feed.jsonl:1", "--json"]);
    assert_eq!(shown["url"], "http://x.example/\u{1b}]0;t\u{7}");
    assert!(shown["passages"][0]
        .as_str()
        .unwrap()
        .contains("\u{202e} claims"));
}

// ---------------------------------------------------------------------------
// 9. Amplification

/// Item 9 (second half): printed labels are capped. A 50,000-character state
/// among 20,000 invented ones gives `stats`-style bars of a few hundred
/// bytes a row, not a gigabyte (every row was padded to the longest label).
#[test]
fn printed_labels_are_capped() {
    use newsidx::print::human::{bars, Layout};
    let mut counts = std::collections::BTreeMap::new();
    counts.insert("S".repeat(50_000), 3u64);
    for n in 0..20_000 {
        counts.insert(format!("invented state {n}"), 1 + n % 5);
    }
    let mut out = termcolor::Buffer::no_color();
    bars(&mut out, "states", &counts, Layout { width: 100 }).unwrap();
    let text = String::from_utf8(out.into_inner()).unwrap();
    assert_eq!(
        text.lines().count(),
        20_001 + 2,
        "heading, rows, blank line"
    );
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 100, "a row of {widest} characters");
    assert!(text.contains(&format!("{}…", "S".repeat(39))));

    // The same through the binary: `stats` and `--facets` on an article
    // that gives such states (when the reader lets them through).
    let env = Env::new();
    let mut states: Vec<String> = (0..2_000).map(|n| format!("invented {n}")).collect();
    states.push("S".repeat(50_000));
    let line = serde_json::json!({
        "title": "Invented states", "body": "A story zqstatesx with states nobody knows.",
        "states": states,
    });
    env.write("big.jsonl", format!("{line}\n"));
    env.ok(&["index", "--quiet"]);
    for args in [&["stats"][..], &["search", "zqstatesx", "--facets"]] {
        let out = env.ok(args);
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 600, "{args:?}: a line of {widest} characters");
    }
}

// ---------------------------------------------------------------------------
// 1. File names that are not UTF-8

fn list_docs(env: &Env) -> Vec<Value> {
    env.json_lines::<Value>(&["list", "--json"])
}

fn paths_of(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

/// Item 1: names that differ only in bytes that are not UTF-8 are two
/// articles with two ids, shown escaped (`\xff`), stable across runs, each
/// found by its own words and shown with its own text; the literal name
/// `r\xff.txt` is a third.
#[test]
fn names_that_are_not_utf8_stay_distinct() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let dir = env.articles().join("a");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &[u8], text: &str| {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), text).unwrap();
    };
    write(
        b"r\xff.txt",
        "Gujarat expo\nAhmedabad hosts a zqffx trade expo.\n",
    );
    write(
        b"r\xfe.txt",
        "Kerala expo\nKochi hosts a zqfex trade expo.\n",
    );
    write(
        b"r\\xff.txt",
        "Goa expo\nPanaji hosts a zqliteralx trade expo.\n",
    );
    let summary = env.index_json(&[]);
    assert_eq!(summary["added"], 3, "{summary}");

    let docs = list_docs(&env);
    let mut paths = paths_of(&docs);
    paths.sort();
    assert_eq!(paths, ["a/r\\\\xff.txt", "a/r\\xfe.txt", "a/r\\xff.txt"]);
    let ids: std::collections::BTreeSet<&str> =
        docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "three ids: {docs:?}");

    // Later runs see nothing to do.
    let again = env.index_json(&[]);
    assert_eq!(
        [
            &again["added"],
            &again["updated"],
            &again["removed"],
            &again["unchanged"]
        ],
        [0, 0, 0, 3],
        "{again}"
    );
    for (word, path) in [
        ("zqffx", "a/r\\xff.txt"),
        ("zqfex", "a/r\\xfe.txt"),
        ("zqliteralx", "a/r\\\\xff.txt"),
    ] {
        let doc = crate::harness::search(&env, &[word]);
        assert_eq!(crate::harness::paths(&doc), [path], "{word}");
        let shown: Value = env.json(&["show", path, "--json"]);
        let text = shown["passages"].as_array().unwrap()[0].as_str().unwrap();
        assert!(text.contains(word), "{path}: {text}");
    }
    // The human listing shows the escaped names, one line each.
    let listed = env.ok(&["list"]);
    assert!(listed.contains("a/r\\xff.txt") && listed.contains("a/r\\xfe.txt"));
    // The export keeps one id per article.
    let exported = env.ok(&["export", "--to", "ndjson", "--quiet"]);
    let ids: std::collections::BTreeSet<String> = exported
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    // Named on the command line, the file is the same article.
    let named = dir.join(std::ffi::OsStr::from_bytes(b"r\xff.txt"));
    write(
        b"r\xff.txt",
        "Gujarat expo\nAhmedabad hosts a zqnamedx trade expo.\n",
    );
    let out = env
        .command(&["index", "--json"])
        .arg(&named)
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_eq!(list_docs(&env).len(), 3);
}

// ---------------------------------------------------------------------------
// 2. Folders newsidx did not create

/// Every file below `dir` with its contents, to show nothing changed.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let data = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                b"<dir>".to_vec()
            };
            (e.path().display().to_string(), data)
        })
        .collect();
    out.sort();
    out
}

/// Item 2: newsidx tags the folders it creates (`NEWSIDX.TAG`) and never
/// writes into, deletes or moves anything in an untagged one: a folder of
/// someone's files, or one holding only `gen-N` folders, is refused by
/// `index`, `index --rebuild` and an auto-building `search`, with a message
/// that says to choose another `--index` and leaves no `.lock`; inside its
/// own index it leaves an untagged `gen-N` alone; an index written before
/// tags existed is adopted.
#[test]
fn folders_newsidx_did_not_create_are_never_touched() {
    let env = Env::with_seeds();
    let theirs = env.dir.path().join("thesis");
    std::fs::create_dir_all(theirs.join("gen-1")).unwrap();
    std::fs::write(theirs.join("gen-1/thesis.txt"), "chapter one").unwrap();
    std::fs::write(theirs.join("notes.md"), "# notes").unwrap();
    let only_gens = env.dir.path().join("gens");
    std::fs::create_dir_all(only_gens.join("gen-1")).unwrap();
    std::fs::create_dir_all(only_gens.join("gen-2/sub")).unwrap();
    std::fs::write(only_gens.join("gen-2/sub/data.bin"), [1, 2, 3]).unwrap();
    for folder in [&theirs, &only_gens] {
        let before = snapshot(folder);
        for args in [
            &["index"][..],
            &["index", "--rebuild"],
            &["search", "Assam"],
            &["list"],
        ] {
            let out = env.run_at(folder, args);
            let stderr = stderr_of(&out);
            assert_eq!(out.status.code(), Some(2), "{}", describe(args, &out));
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains("not a newsidx index"), "{stderr}");
            assert!(
                stderr.contains("choose another folder with `--index`"),
                "{stderr}"
            );
            assert!(!stderr.contains("--rebuild"), "{stderr}");
            assert!(stderr.contains(&folder.display().to_string()), "{stderr}");
            assert_eq!(
                snapshot(folder),
                before,
                "{args:?} changed {}",
                folder.display()
            );
        }
    }

    // Its own index is tagged, as is each generation; a gen-N folder without
    // the tag inside it is never removed, while tagged leftovers are.
    env.ok(&["index", "--quiet"]);
    let tag = |dir: &Path| std::fs::read_to_string(dir.join("NEWSIDX.TAG")).unwrap_or_default();
    assert!(tag(&env.index()).starts_with("Signature: newsidx index folder"));
    assert!(tag(&env.index().join("gen-1")).starts_with("Signature: newsidx"));
    std::fs::create_dir_all(env.index().join("gen-7")).unwrap();
    std::fs::write(env.index().join("gen-7/mine.txt"), "keep me").unwrap();
    std::fs::create_dir_all(env.index().join("gen-5")).unwrap();
    std::fs::write(env.index().join("gen-5/NEWSIDX.TAG"), tag(&env.index())).unwrap();
    let summary = env.index_json(&["--rebuild"]);
    assert_eq!(summary["rebuilt"], true);
    assert_eq!(
        std::fs::read_to_string(env.index().join("CURRENT"))
            .unwrap()
            .trim(),
        "gen-8",
        "a new generation never reuses an untagged folder's name"
    );
    assert!(env.index().join("gen-7/mine.txt").is_file());
    assert!(!env.index().join("gen-5").exists());
    assert!(!env.index().join("gen-1").exists());
    assert_eq!(list_docs(&env).len(), 5);

    // An index written before tags existed is adopted, not refused.
    std::fs::remove_file(env.index().join("NEWSIDX.TAG")).unwrap();
    std::fs::remove_file(env.index().join("gen-8/NEWSIDX.TAG")).unwrap();
    assert_eq!(list_docs(&env).len(), 5);
    env.write("late.txt", "Bihar news\nPatna hosts a zqlatex fair.\n");
    let summary = env.index_json(&[]);
    assert_eq!(summary["added"], 1, "{summary}");
    assert!(tag(&env.index()).starts_with("Signature: newsidx"));
    assert!(tag(&env.index().join("gen-8")).starts_with("Signature: newsidx"));
}

// ---------------------------------------------------------------------------
// 3. Unreadable folders and files

/// Runs newsidx on `env` as a user whom permissions stop: this user when not
/// root, else `nobody` through `setpriv` (after `env`'s folder is given to
/// `nobody`). `None`, with the reason printed, when neither is possible.
type Runner = Box<dyn Fn(&[&str]) -> Output>;

fn unprivileged(env: &Env, test: &str) -> Option<Runner> {
    let root = std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false);
    let dir = env.dir.path().to_path_buf();
    let index = env.index();
    let articles = env.articles();
    if !root {
        return Some(Box::new(move |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_newsidx"))
                .env_clear()
                .current_dir(&dir)
                .arg("--index")
                .arg(&index)
                .arg("--articles")
                .arg(&articles)
                .args(args)
                .output()
                .unwrap()
        }));
    }
    let probe = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!(
            "{test}: SKIPPED, running as root without a working `setpriv` to drop privileges"
        );
        return None;
    }
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        std::os::unix::fs::chown(entry.path(), Some(65534), Some(65534)).unwrap();
    }
    Some(Box::new(move |args: &[&str]| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_newsidx"))
            .env_clear()
            .current_dir(&dir)
            .arg("--index")
            .arg(&index)
            .arg("--articles")
            .arg(&articles)
            .args(args)
            .output()
            .unwrap()
    }))
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Item 3: a folder or file that cannot be read keeps its articles, is
/// reported with its path, and the run exits 2; `--rebuild` stops rather
/// than lose them; only a file that is really gone is removed. (Run as
/// `nobody` through `setpriv` when the tests run as root.)
#[test]
fn unreadable_folders_and_files_keep_their_articles() {
    let env = Env::new();
    env.write("a/one.txt", "Assam news\nGuwahati zqonex tea story.\n");
    env.write("a/sub/two.txt", "Goa news\nPanaji zqtwox beach story.\n");
    env.write(
        "a/sub/three.txt",
        "Bihar news\nPatna zqthreex bridge story.\n",
    );
    env.write("b/four.txt", "Kerala news\nKochi zqfourx port story.\n");
    let Some(run) = unprivileged(&env, "unreadable folders and files") else {
        return;
    };
    let summary = |args: &[&str], code: i32| -> (Value, String) {
        let mut full = vec!["index", "--json"];
        full.extend_from_slice(args);
        let out = run(&full);
        assert_eq!(out.status.code(), Some(code), "{}", describe(&full, &out));
        assert!(!stderr_of(&out).contains("panicked"));
        (
            serde_json::from_slice(&out.stdout).unwrap(),
            stderr_of(&out),
        )
    };
    let (first, _) = summary(&[], 0);
    assert_eq!(first["added"], 4, "{first}");
    let all = |env: &Env| {
        let mut paths = paths_of(&list_docs(env));
        paths.sort();
        paths
    };
    let everything = all(&env);
    assert_eq!(everything.len(), 4);

    for (what, path, shown) in [
        (
            "a folder",
            env.articles().join("a/sub"),
            "a/sub".to_string(),
        ),
        (
            "a file",
            env.articles().join("a/one.txt"),
            "a/one.txt".to_string(),
        ),
        (
            "the articles folder",
            env.articles(),
            env.articles().display().to_string(),
        ),
    ] {
        chmod(&path, 0o000);
        let (s, stderr) = summary(&[], 2);
        assert_eq!(s["removed"], 0, "{what}: {s}");
        assert_eq!(s["unreadable"], 1, "{what}: {s}");
        assert!(s["kept"].as_u64().unwrap() >= 1, "{what}: {s}");
        assert!(
            stderr.contains(&format!(
                "newsidx: warning: {shown}: cannot read: Permission denied"
            )),
            "{what}: {stderr}"
        );
        assert!(stderr.contains("could not be read"), "{what}: {stderr}");
        // A rebuild would lose them: it stops, and the index stays.
        let out = run(&["index", "--rebuild"]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            describe(&["--rebuild"], &out)
        );
        assert!(
            stderr_of(&out).contains("the rebuild stopped"),
            "{}",
            stderr_of(&out)
        );
        assert!(stderr_of(&out).contains(&shown), "{}", stderr_of(&out));
        chmod(&path, if path.is_dir() { 0o755 } else { 0o644 });
        assert_eq!(all(&env), everything, "{what}: articles lost");
        for word in ["zqonex", "zqtwox", "zqthreex", "zqfourx"] {
            assert_eq!(
                crate::harness::search(&env, &[word]).hits.len(),
                1,
                "{what}: {word}"
            );
        }
    }
    // Readable again: nothing to do. A file really gone is removed.
    let (s, _) = summary(&[], 0);
    assert_eq!(
        [&s["added"], &s["removed"], &s["unreadable"]],
        [0, 0, 0],
        "{s}"
    );
    std::fs::remove_file(env.articles().join("b/four.txt")).unwrap();
    let (s, _) = summary(&[], 0);
    assert_eq!(s["removed"], 1, "{s}");
    assert_eq!(all(&env).len(), 3);
}

// ---------------------------------------------------------------------------
// 4. Files that stop being valid

/// Item 4: a file that now yields no article (emptied, turned binary, grown
/// past 10 MiB, a JSON line losing its body, junk only) loses its old
/// article and is reported, and the incremental run ends equal to a
/// `--rebuild` of the same folder.
#[test]
fn a_file_that_goes_bad_loses_its_article_as_a_rebuild_would() {
    let env = Env::new();
    let story =
        |place: &str, word: &str| format!("{place} news\n{place} hosts a {word} trade fair.\n");
    env.write("emptied.txt", story("Assam", "zqemptiedx"));
    env.write("binary.txt", story("Goa", "zqbinaryx"));
    env.write("huge.txt", story("Bihar", "zqhugex"));
    env.write(
        "feed.jsonl",
        format!(
            "{}\n{}\n",
            serde_json::json!({"title": "Kerala fair", "body": "Kochi hosts a zqfeedonex fair."}),
            serde_json::json!({"title": "Odisha fair", "body": "Cuttack hosts a zqfeedtwox fair."}),
        ),
    );
    env.write("junk.html", "<html><body><article><p>Delhi hosts a zqjunkx trade fair for exporters.</p></article></body></html>");
    env.write("kept.txt", story("Punjab", "zqkeptx"));
    let first = env.index_json(&[]);
    assert_eq!(first["articles"], 7, "{first}");

    env.write("emptied.txt", "");
    env.write("binary.txt", b"\x00\x01binary\x00".as_slice());
    env.write("huge.txt", "word ".repeat(2_200_000));
    env.write(
        "feed.jsonl",
        format!(
            "{}\n{}\n",
            serde_json::json!({"title": "Kerala fair", "body": "Kochi hosts a zqfeedonex fair."}),
            serde_json::json!({"title": "Odisha fair"}),
        ),
    );
    env.write(
        "junk.html",
        "<html><body><nav>Home | News</nav></body></html>",
    );
    let out = env.run(&["index", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["index"], &out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["removed"], 4, "{summary}");
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_eq!(summary["skipped"], 4, "{summary}");
    let stderr = stderr_of(&out);
    for path in [
        "emptied.txt",
        "binary.txt",
        "huge.txt",
        "feed.jsonl:2",
        "junk.html",
    ] {
        assert!(
            stderr.contains(&format!("warning: {path}: ")),
            "{path}: {stderr}"
        );
    }
    for word in [
        "zqemptiedx",
        "zqbinaryx",
        "zqhugex",
        "zqfeedtwox",
        "zqjunkx",
    ] {
        env.expect(1, &["search", word]);
    }
    for word in ["zqfeedonex", "zqkeptx"] {
        env.ok(&["search", word]);
    }
    let incremental = list_docs(&env);
    assert_eq!(paths_of(&incremental), ["feed.jsonl:1", "kept.txt"]);
    let rebuilt = env.dir.path().join("rebuilt");
    let out = env.run_at(&rebuilt, &["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["index"], &out));
    let out = env.run_at(&rebuilt, &["list", "--json"]);
    let from_scratch: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(incremental, from_scratch);
}

// ---------------------------------------------------------------------------
// 5. Missed edits

/// Item 5: a same-size rewrite whose modification time is put back (as
/// `cp -p` and `touch -d` do) is re-indexed by a plain run, because its
/// status-change time is newer than the last scan (git's "racy" rule); and
/// `index --verify` re-hashes every file.
#[test]
fn same_size_edits_with_the_old_time_are_not_missed() {
    let env = Env::new();
    let first = "Gujarat fair\nAhmedabad hosts a zqbeforex trade fair.\n";
    let second = "Gujarat fair\nAhmedabad hosts a zqafterxx trade fair.\n";
    assert_eq!(first.len(), second.len());
    env.write("fair.txt", first);
    env.write(
        "other.txt",
        "Goa fair\nPanaji hosts a zqotherx trade fair.\n",
    );
    env.index_json(&[]);
    let path = env.articles().join("fair.txt");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();

    std::fs::write(&path, second).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    let summary = env.index_json(&[]);
    assert_eq!(summary["updated"], 1, "{summary}");
    env.expect(1, &["search", "zqbeforex"]);
    env.ok(&["search", "zqafterxx"]);

    // Times clearly older than the last scan are trusted: make the recorded
    // scan an hour later (files cannot be made older than their status
    // change). Then only --verify sees a same-size edit with its old time.
    let third = "Gujarat fair\nAhmedabad hosts a zqthirdxx trade fair.\n";
    std::fs::write(&path, third).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let later = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64
        + 3_600_000_000_000;
    edit_payload(&env.index(), "scanned", later.into());
    let summary = env.index_json(&[]);
    assert_eq!(
        [
            &summary["unchanged"],
            &summary["rehashed"],
            &summary["updated"]
        ],
        [2, 0, 0],
        "{summary}"
    );
    let summary = env.index_json(&["--verify"]);
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_eq!(summary["rehashed"], 1, "{summary}");
    env.ok(&["search", "zqthirdxx"]);
    let summary = env.index_json(&["--verify"]);
    assert_eq!(summary["rehashed"], 2, "{summary}");
    assert_eq!(summary["articles"], 0, "{summary}");
}

/// Sets `key` in the commit payload of the live generation's `meta.json`.
fn edit_payload(index: &Path, key: &str, value: Value) {
    let gen = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    let path = index.join(gen.trim()).join("meta.json");
    let mut meta: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    payload[key] = value;
    meta["payload"] = payload.to_string().into();
    std::fs::write(&path, meta.to_string()).unwrap();
}

// ---------------------------------------------------------------------------
// 7. Links out of the folder, FIFOs and /proc

/// Runs `args` and waits for it at most a generous minute: a hang fails the
/// test (and the process is killed) instead of blocking the suite.
fn bounded(env: &Env, args: &[&str]) -> Output {
    let mut child = env
        .std_command(&env.index(), args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("newsidx {args:?} still running after 60 s: it blocked");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Item 7: links whose target lies outside the articles folder (a file, a
/// folder, `/proc/self/status`, `/proc/kmsg`) are skipped and reported and
/// their text never shown; `--follow` indexes them; links inside the folder
/// are followed; FIFOs are skipped without blocking, in a walk and when
/// named, and so are named links out of the folder.
#[test]
fn nothing_outside_the_articles_folder_is_read() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    let outside = env.dir.path().join("private");
    std::fs::create_dir_all(outside.join("folder")).unwrap();
    std::fs::write(
        outside.join("secret.txt"),
        "Secret notes\nThe zqsecretx password list.\n",
    )
    .unwrap();
    std::fs::write(
        outside.join("folder/diary.txt"),
        "Diary\nA zqdiaryx private diary entry.\n",
    )
    .unwrap();
    env.write(
        "inside.txt",
        "Assam news\nGuwahati hosts a zqinsidex fair.\n",
    );
    let a = env.articles();
    symlink(outside.join("secret.txt"), a.join("p.txt")).unwrap();
    symlink("../private/secret.txt", a.join("relative.txt")).unwrap();
    symlink(outside.join("folder"), a.join("linked")).unwrap();
    symlink("/proc/self/status", a.join("status.txt")).unwrap();
    symlink("/proc/kmsg", a.join("k.txt")).unwrap();
    symlink("inside.txt", a.join("alias.txt")).unwrap();
    let fifo = a.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");

    let out = bounded(&env, &["index", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["index"], &out));
    let stderr = stderr_of(&out);
    for name in ["p.txt", "relative.txt", "linked", "status.txt", "k.txt"] {
        assert!(
            stderr.contains(&format!("warning: {name}: skipped: a symbolic link to ")),
            "{name}: {stderr}"
        );
    }
    assert!(
        stderr.contains("warning: pipe.txt: skipped: not a regular file (a FIFO)"),
        "{stderr}"
    );
    let mut paths = paths_of(&list_docs(&env));
    paths.sort();
    assert_eq!(paths, ["alias.txt", "inside.txt"]);
    for word in ["zqsecretx", "zqdiaryx"] {
        env.expect(1, &["search", word]);
    }
    let out = env.run(&["show", "p.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("zqsecretx"));

    // Named paths follow the same rules, and a named FIFO does not block.
    for name in ["p.txt", "k.txt", "pipe.txt"] {
        let named = a.join(name);
        let out = bounded(&env, &["index", "--json", named.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&[name], &out));
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["skipped"], 1, "{name}: {summary}");
    }
    env.expect(1, &["search", "zqsecretx"]);

    // --follow indexes links out of the folder, still without blocking on
    // /proc files (nothing is read past the size a file reports).
    let out = bounded(&env, &["index", "--json", "--follow"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    // /proc/kmsg may be closed to this user: then it is the one file that
    // could not be read (exit 2); nothing else may be.
    let unreadable: Vec<&Value> = summary["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["reason"].as_str().unwrap().starts_with("cannot read"))
        .collect();
    assert!(
        unreadable.iter().all(|p| p["path"] == "k.txt"),
        "{}",
        describe(&["--follow"], &out)
    );
    let code = if unreadable.is_empty() { 0 } else { 2 };
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        describe(&["--follow"], &out)
    );
    for word in ["zqsecretx", "zqdiaryx"] {
        env.ok(&["search", word]);
    }
    let paths = paths_of(&list_docs(&env));
    assert!(paths.contains(&"linked/diary.txt".to_string()), "{paths:?}");
    assert!(!paths.contains(&"k.txt".to_string()), "{paths:?}");
}

// ---------------------------------------------------------------------------
// 11. A damaged index

/// The live generation's files with extension `ext`, largest first.
fn segment_files_ending(index: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let gen = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    let mut files: Vec<(u64, std::path::PathBuf)> = std::fs::read_dir(index.join(gen.trim()))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort();
    files.into_iter().rev().map(|(_, p)| p).collect()
}

fn zero(file: &Path, at: u64, len: u64) {
    use std::io::{Seek, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    f.seek(std::io::SeekFrom::Start(at)).unwrap();
    f.write_all(&vec![0u8; len as usize]).unwrap();
}

/// Item 11: zeroed bytes in a `.fast`, `.idx` or `.store` file (or in every
/// segment file) never make a command panic: a reader answers or gives one
/// line naming the repair, `newsidx check` names the damaged file, and
/// `index --rebuild`, which reads nothing from the live generation's
/// segments, repairs it.
#[test]
fn a_damaged_index_never_makes_the_repair_fail() {
    let env = Env::with_seeds();
    env.write(
        "planted.txt",
        "Tripura trade fair\nAgartala hosts a fair with zqdamagex stalls.\n",
    );
    env.ok(&["index", "--quiet"]);
    let before = list_docs(&env);
    let whole = env.ok(&["check"]);
    assert!(whole.contains(": whole · gen-1"), "{whole}");
    let pristine = env.dir.path().join("pristine");
    std::fs::rename(env.index(), &pristine).unwrap();

    type Damage = fn(&Path) -> String;
    let cases: [(&str, Damage); 6] = [
        ("32 zero bytes mid .fast", |i| damage_mid(i, "fast")),
        ("32 zero bytes mid .idx", |i| damage_mid(i, "idx")),
        ("32 zero bytes mid .store", |i| damage_mid(i, "store")),
        ("zeroed .store offsets", |i| {
            let file = &segment_files_ending(i, "store")[0];
            let len = std::fs::metadata(file).unwrap().len();
            zero(file, len - 64, 32);
            ".store".into()
        }),
        ("zeroed .fast start", |i| {
            zero(&segment_files_ending(i, "fast")[0], 0, 32);
            ".fast".into()
        }),
        ("every segment file zeroed", |i| {
            for ext in ["fast", "idx", "store", "term", "pos", "fieldnorm"] {
                for file in segment_files_ending(i, ext) {
                    let len = std::fs::metadata(&file).unwrap().len();
                    zero(&file, 0, len);
                }
            }
            ".".into()
        }),
    ];
    for (case, damage) in cases {
        let _ = std::fs::remove_dir_all(env.index());
        copy_dir(&pristine, &env.index());
        let damaged_ext = damage(&env.index());
        for args in [
            &["list"][..],
            &["list", "--duplicates"],
            &["search", "zqdamagex"],
            &["search", "Japan", "--facets"],
            &["stats"],
            &["show", "planted.txt"],
            &["timeline"],
            &["export", "--to", "ndjson", "--quiet"],
            &["index"],
        ] {
            let out = env.run(args);
            let stderr = stderr_of(&out);
            assert!(!stderr.contains("panicked"), "{case}: {args:?}: {stderr}");
            assert!(
                !stderr.contains("internal error"),
                "{case}: {args:?}: {stderr}"
            );
            match out.status.code() {
                Some(0 | 1) => {}
                Some(2) => {
                    assert_eq!(stderr.lines().count(), 1, "{case}: {args:?}: {stderr}");
                    assert!(
                        stderr.contains("run `newsidx index --rebuild` to repair it"),
                        "{case}: {args:?}: {stderr}"
                    );
                }
                other => panic!("{case}: {args:?} exited {other:?}: {stderr}"),
            }
        }
        let line = one_line_error(&env, &["check"]);
        assert!(line.contains("damaged: gen-1/"), "{case}: {line}");
        assert!(line.contains(&damaged_ext), "{case}: {line}");
        assert!(line.contains("`newsidx index --rebuild`"), "{case}: {line}");

        let summary = env.index_json(&["--rebuild"]);
        assert_eq!(summary["rebuilt"], true, "{case}");
        assert!(env.ok(&["check"]).contains(": whole · gen-2"), "{case}");
        assert_eq!(list_docs(&env), before, "{case}");
    }
}

fn damage_mid(index: &Path, ext: &str) -> String {
    let file = &segment_files_ending(index, ext)[0];
    let len = std::fs::metadata(file).unwrap().len();
    zero(file, len / 2, 32);
    format!(".{ext}")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Modes of every file and folder below `dir`, by kind.
fn modes(
    dir: &Path,
) -> (
    std::collections::BTreeSet<u32>,
    std::collections::BTreeSet<u32>,
) {
    use std::os::unix::fs::PermissionsExt;
    let (mut files, mut dirs) = (Default::default(), Default::default());
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        let set: &mut std::collections::BTreeSet<u32> = if entry.file_type().is_dir() {
            &mut dirs
        } else {
            &mut files
        };
        set.insert(mode);
    }
    (files, dirs)
}

/// Item 12: index files follow the umask (none is private), and readers
/// need read access only: on an index made read-only, as another user when
/// the tests run as root, every reader works.
#[test]
fn index_files_follow_the_umask_and_readers_need_only_read_access() {
    let env = Env::with_seeds();
    let build = |umask: &str, index: &Path, args: &[&str]| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_newsidx"))
            .arg("--index")
            .arg(index)
            .arg("--articles")
            .arg(env.articles())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    };
    let private = env.dir.path().join("private-index");
    build("027", &private, &["index", "--quiet"]);
    build("027", &private, &["index", "--quiet", "--rebuild"]);
    assert_eq!(modes(&private), ([0o640].into(), [0o750].into()));
    build("022", &env.index(), &["index", "--quiet"]);
    build("022", &env.index(), &["index", "--quiet", "--rebuild"]);
    assert_eq!(modes(&env.index()), ([0o644].into(), [0o755].into()));

    for entry in walkdir::WalkDir::new(env.index())
        .into_iter()
        .filter_map(Result::ok)
    {
        chmod(
            entry.path(),
            if entry.file_type().is_dir() {
                0o555
            } else {
                0o444
            },
        );
    }
    let Some(run) = unprivileged(&env, "read-only readers") else {
        return;
    };
    for args in [
        &["search", "Assam"][..],
        &["search", "--count", "Japan"],
        &["list"],
        &["stats"],
        &["timeline"],
        &["show", "000_8b97a1bc6a3ecd42.txt"],
        &["check"],
        &["export", "--to", "ndjson", "--quiet"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{}", describe(args, &out));
    }
    let out = run(&["index"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&["index"], &out));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("Permission denied (os error 13)"),
        "{stderr}"
    );
    for entry in walkdir::WalkDir::new(env.index())
        .into_iter()
        .filter_map(Result::ok)
    {
        chmod(
            entry.path(),
            if entry.file_type().is_dir() {
                0o755
            } else {
                0o644
            },
        );
    }
}

/// Item 12: a killed export's `*.partial` files are removed by the next
/// export into that folder; nothing else there is touched.
#[test]
fn a_killed_exports_partial_files_are_removed_by_the_next() {
    let env = Env::with_seeds();
    env.ok(&["index", "--quiet"]);
    let out = env.dir.path().join("export");
    std::fs::create_dir_all(&out).unwrap();
    for name in [
        "passages.ndjson.partial",
        "bulk.ndjson.partial",
        "mapping.json.partial",
    ] {
        std::fs::write(out.join(name), "{\"half\": ").unwrap();
    }
    std::fs::write(out.join("notes.partial"), "mine").unwrap();
    env.ok(&[
        "export",
        "--to",
        "quickwit",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["index-config.yaml", "notes.partial", "passages.ndjson"]
    );
}

/// Item 12: a run that runs out of space or of inodes, at whatever moment,
/// fails with the one disk-full line (never tantivy's "index writer was
/// killed", never twice) and leaves no generation behind; the index stays
/// readable.
#[test]
fn a_full_disk_or_inode_table_gives_one_clean_line() {
    use crate::hostile::{write_bulk, Tmpfs};
    let env = Env::with_seeds();
    let expect_clean = |index: &Path, args: &[&str], context: &str| {
        let out = env.run_at(index, args);
        let stderr = stderr_of(&out);
        match out.status.code() {
            Some(0) => {}
            Some(2) => {
                assert_eq!(stderr.lines().count(), 1, "{context}: {args:?}: {stderr}");
                assert!(
                    stderr.contains("no space left on device (disk full)"),
                    "{context}: {args:?}: {stderr}"
                );
                assert!(!stderr.contains("killed"), "{context}: {stderr}");
            }
            other => panic!("{context}: {args:?} exited {other:?}: {stderr}"),
        }
        // Only the live generation remains, and it reads.
        let live = std::fs::read_to_string(index.join("CURRENT")).ok();
        let gens: Vec<String> = std::fs::read_dir(index)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with("gen-"))
                    .collect()
            })
            .unwrap_or_default();
        match &live {
            Some(live) => {
                assert_eq!(gens, [live.trim()], "{context}: {args:?}");
                let out = env.run_at(index, &["list"]);
                assert_eq!(out.status.code(), Some(0), "{context}: {}", stderr_of(&out));
            }
            None => assert!(gens.is_empty(), "{context}: {args:?} left {gens:?}"),
        }
    };
    for inodes in [15, 17, 18, 19, 21, 24] {
        let mount = match Tmpfs::mount(
            &env.dir.path().join("inodes"),
            &format!("20m,nr_inodes={inodes}"),
        ) {
            Ok(mount) => mount,
            Err(why) => {
                eprintln!("full inode table: SKIPPED, cannot mount a tmpfs here: {why}");
                return;
            }
        };
        let index = mount.dir.join("index");
        let context = format!("{inodes} inodes");
        expect_clean(&index, &["index"], &context);
        expect_clean(&index, &["index", "--rebuild"], &context);
        drop(mount);
    }
    write_bulk(&env, 120, 600);
    for size in ["700k", "1m", "1500k"] {
        let mount = Tmpfs::mount(&env.dir.path().join("space"), size).unwrap();
        let index = mount.dir.join("index");
        let context = format!("{size} of space");
        expect_clean(&index, &["index"], &context);
        expect_clean(&index, &["index", "--rebuild"], &context);
        drop(mount);
    }
}

// ---------------------------------------------------------------------------
// 13. Edges

/// Item 13 (two of its parts): an article with no text (a title only, or
/// nothing left once page junk is removed) is not indexed and is reported;
/// `show a.txt` with `x/a.txt` and `y/a.txt` indexed says it is ambiguous
/// and names both.
#[test]
fn empty_articles_are_not_indexed_and_ambiguous_names_are_refused() {
    let env = Env::new();
    env.write(
        "x/a.txt",
        "Assam news\nGuwahati hosts a zqxax trade fair.\n",
    );
    env.write("y/a.txt", "Goa news\nPanaji hosts a zqyax trade fair.\n");
    env.write(
        "title-only.html",
        "<html><head><title>Only a title</title></head><body></body></html>",
    );
    env.write(
        "feed.jsonl",
        format!(
            "{}\n{}\n",
            serde_json::json!({"title": "Kerala fair", "body": "Kochi hosts a zqfeedx fair."}),
            serde_json::json!({"title": "Junk only", "body": "Subscribe to our newsletter"}),
        ),
    );
    let out = env.run(&["index", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&["index"], &out));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("warning: title-only.html: skipped: no text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: feed.jsonl:2: skipped: no text"),
        "{stderr}"
    );
    let docs = list_docs(&env);
    let mut paths = paths_of(&docs);
    paths.sort();
    assert_eq!(paths, ["feed.jsonl:1", "x/a.txt", "y/a.txt"]);
    assert!(docs.iter().all(|d| d["passages"].as_u64() > Some(0)));

    let line = one_line_error(&env, &["show", "a.txt"]);
    assert!(line.contains("\"a.txt\" is ambiguous"), "{line}");
    assert!(
        line.contains("x/a.txt") && line.contains("y/a.txt"),
        "{line}"
    );
    assert!(env.ok(&["show", "x/a.txt"]).contains("zqxax"));
    let id = docs.iter().find(|d| d["path"] == "y/a.txt").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(env.ok(&["show", &id]).contains("zqyax"));
}
