//! Issue 15: nothing lost, nothing leaked, nothing hangs — the index under
//! hostile files, odd file systems and damage. One test per item of the
//! issue, each with its own hostile fixtures in a temp dir; the item number
//! is in the test's doc comment.

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
