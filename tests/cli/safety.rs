//! Issue 15: nothing lost, nothing leaked, nothing hangs — the index under
//! hostile files, odd file systems and damage. One test per item of the
//! issue, each with its own hostile fixtures in a temp dir; the item number
//! is in the test's doc comment.

use std::process::Output;

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
