//! Which files a run reads: named paths (a missing one is an error, a
//! folder is walked), ignore files, and files skipped for their type
//! reported once (issue 18, items 3 and 7).

use std::collections::BTreeSet;

use newsidx::print::json::ListDoc;

use crate::harness::Env;

fn article(title: &str) -> String {
    format!("{title}\nPanaji: the Goa minister met investors from Osaka about {title}.\n")
}

/// The paths `list --json` shows.
fn listed(env: &Env) -> BTreeSet<String> {
    env.json_lines::<ListDoc>(&["list", "--json"])
        .into_iter()
        .map(|d| d.path)
        .collect()
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_named_path_that_does_not_exist_is_an_error_naming_it() {
    let env = Env::new();
    env.write("a.txt", article("Alpha"));
    env.ok(&["index", "--quiet"]);
    env.write("b.txt", article("Beta"));
    let missing = env.articles().join("missing.txt");
    let b = env.articles().join("b.txt");
    let out = env.run(&["index", missing.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("missing.txt") && err.contains("no such file"),
        "{err}"
    );
    // The path that exists was indexed all the same.
    assert_eq!(listed(&env), set(&["a.txt", "b.txt"]));
    // A named file that is gone but indexed is removed, without error.
    env.remove("b.txt");
    env.ok(&["index", "--quiet", b.to_str().unwrap()]);
    assert_eq!(listed(&env), set(&["a.txt"]));
}

#[test]
fn a_named_folder_is_walked_like_the_articles_folder() {
    let env = Env::new();
    env.write("top.txt", article("Top"));
    env.write("2025/one.txt", article("One"));
    env.ok(&["index", "--quiet"]);
    // New files inside and outside the folder; one removed inside it; an
    // ignored one inside it.
    env.write("2025/two.txt", article("Two"));
    env.write("2025/deep/three.txt", article("Three"));
    env.write("2025/.hidden.txt", article("Hidden"));
    env.write("2025/.newsidxignore", "skip-*.txt\n");
    env.write("2025/skip-me.txt", article("Skipped"));
    env.write("outside.txt", article("Outside"));
    env.remove("2025/one.txt");
    let folder = env.articles().join("2025");
    let summary = env.index_json(&[folder.to_str().unwrap()]);
    assert_eq!(summary["added"], 2, "{summary}");
    assert_eq!(summary["removed"], 1, "{summary}");
    // Only the folder was walked: outside.txt waits for a full run.
    assert_eq!(
        listed(&env),
        set(&["top.txt", "2025/two.txt", "2025/deep/three.txt"])
    );
    // A named folder that is gone takes its articles with it.
    std::fs::remove_dir_all(env.articles().join("2025/deep")).unwrap();
    let deep = env.articles().join("2025/deep");
    let summary = env.index_json(&[deep.to_str().unwrap()]);
    assert_eq!(summary["removed"], 1, "{summary}");
    // The articles folder named is the whole walk.
    env.ok(&["index", "--quiet", env.articles().to_str().unwrap()]);
    assert_eq!(
        listed(&env),
        set(&["top.txt", "2025/two.txt", "outside.txt"])
    );
}

#[test]
fn ignore_files_inside_the_articles_folder_are_honoured() {
    let env = Env::new();
    for rel in [
        "keep.txt",
        "drafts/d.txt",
        "notes/n.tmp.txt",
        "wire/w.txt",
        "wire/old/o.txt",
        "private/p.txt",
        "private/public.txt",
        ".hidden/h.txt",
    ] {
        env.write(rel, article(rel));
    }
    env.ok(&["index", "--quiet"]);
    assert_eq!(listed(&env).len(), 7, "hidden files are left out");

    // .gitignore (no git repository needed), .ignore over it, .newsidxignore
    // over both, a deeper file over a shallower one.
    env.write(".gitignore", "drafts/\nprivate/*\n");
    env.write(".ignore", "*.tmp.txt\n");
    env.write(".newsidxignore", "!private/public.txt\n");
    env.write("wire/.gitignore", "old/\n");
    let summary = env.index_json(&[]);
    assert_eq!(summary["removed"], 4, "{summary}");
    let expected = set(&["keep.txt", "wire/w.txt", "private/public.txt"]);
    assert_eq!(listed(&env), expected);
    // Incremental equals rebuild.
    env.ok(&["index", "--rebuild", "--quiet"]);
    assert_eq!(listed(&env), expected);

    // An ignore file above the articles folder is not read: the folder of
    // scraped articles is often ignored by the repository around it.
    std::fs::write(env.dir.path().join(".gitignore"), "articles/\n*.txt\n").unwrap();
    let summary = env.index_json(&[]);
    assert_eq!(summary["unchanged"], 3, "{summary}");

    // A bad line is reported, naming the file; the other lines still apply.
    env.write(".ignore", "*.tmp.txt\nbad{\n");
    let out = env.run(&["index"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(".ignore") && err.contains("bad{"), "{err}");
    assert_eq!(listed(&env), expected);
}

#[test]
fn a_file_skipped_for_its_type_is_reported_once() {
    let env = Env::new();
    env.write("a.txt", article("Alpha"));
    env.write("photo.jpg", b"\xff\xd8\xff\xe0 not an article");
    let first = env.run(&["index"]);
    assert!(
        stderr(&first).contains("photo.jpg: skipped: not an article format"),
        "{}",
        stderr(&first)
    );
    for _ in 0..2 {
        let out = env.run(&["index"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(!stderr(&out).contains("photo.jpg"), "{}", stderr(&out));
        let summary = env.index_json(&[]);
        assert_eq!(summary["skipped"], 1, "still counted: {summary}");
        assert_eq!(summary["problems"], serde_json::json!([]), "{summary}");
    }
    // Other skips are still reported on every run.
    env.write("empty.txt", "");
    for _ in 0..2 {
        let out = env.run(&["index"]);
        assert!(stderr(&out).contains("empty.txt"), "{}", stderr(&out));
    }
    // Gone and back: reported again, once.
    env.remove("photo.jpg");
    env.ok(&["index", "--quiet"]);
    env.write("photo.jpg", b"\xff\xd8 again");
    assert!(stderr(&env.run(&["index"])).contains("photo.jpg"));
    assert!(!stderr(&env.run(&["index"])).contains("photo.jpg"));
}
