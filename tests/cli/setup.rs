//! Setting newsidx up (issue 18, items 9 and 10): config files and where
//! each setting came from, shell completion of taxonomy values and indexed
//! paths, one man page per command, global options apart in `--help`.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

use crate::harness::Env;

/// `newsidx ARGS` in `dir` with a clean environment plus `vars`: no
/// `--index` or `--articles`, so that config files decide.
fn run_in(dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::cargo_bin("newsidx").expect("binary");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.join("home"))
        .current_dir(dir)
        .args(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().expect("run")
}

fn ok(out: Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn settings(dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
    let mut full = args.to_vec();
    full.extend(["config", "--json"]);
    serde_json::from_str(ok(run_in(dir, vars, &full)).trim()).unwrap()
}

/// A folder with articles in `news/`, indexed into `idx/`.
fn indexed() -> Env {
    let env = Env::with_seeds();
    std::fs::rename(env.articles(), env.dir.path().join("news")).unwrap();
    let out = run_in(
        env.dir.path(),
        &[],
        &["--index", "idx", "--articles", "news", "index", "--quiet"],
    );
    ok(out);
    env
}

#[test]
fn config_files_set_defaults_that_flags_and_variables_override() {
    let env = indexed();
    let dir = env.dir.path();
    // Nothing set: the defaults.
    let s = settings(dir, &[], &[]);
    assert_eq!(s["index"]["value"], "index");
    assert_eq!(s["index"]["source"], "default");

    // The user's file, relative paths from its folder; XDG_CONFIG_HOME.
    let xdg = dir.join("xdg");
    std::fs::create_dir_all(xdg.join("newsidx")).unwrap();
    std::fs::write(
        xdg.join("newsidx/config.toml"),
        "index = \"../../idx\"\narticles = \"../../news\"\nlimit = 1\ncolor = \"never\"\n",
    )
    .unwrap();
    let user = xdg.join("newsidx/config.toml").display().to_string();
    let vars = [("XDG_CONFIG_HOME", xdg.to_str().unwrap())];
    let s = settings(dir, &vars, &[]);
    assert_eq!(s["limit"]["value"], "1");
    assert_eq!(s["limit"]["source"], user);
    assert_eq!(s["color"]["value"], "never");
    // Searches use it: one article per page, from the index it names.
    let out = ok(run_in(dir, &vars, &["search", "--json", "Japan"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["hits"].as_array().unwrap().len(), 1, "{doc}");

    // The project file wins over the user's, key by key.
    std::fs::write(dir.join("newsidx.toml"), "limit = 2\n").unwrap();
    let s = settings(dir, &vars, &[]);
    assert_eq!(s["limit"]["value"], "2");
    assert_eq!(s["limit"]["source"], "newsidx.toml");
    assert_eq!(s["index"]["source"], user);
    let out = ok(run_in(dir, &vars, &["search", "--json", "Japan"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["hits"].as_array().unwrap().len(), 2, "{doc}");

    // A variable wins over both files, a flag over everything.
    let mut with_env = vars.to_vec();
    with_env.push(("NEWSIDX_LIMIT", "3"));
    with_env.push(("NEWSIDX_COLOR", "always"));
    let s = settings(dir, &with_env, &[]);
    assert_eq!(s["limit"]["value"], "3");
    assert_eq!(s["limit"]["source"], "env NEWSIDX_LIMIT");
    assert_eq!(s["color"]["value"], "always");
    let out = ok(run_in(
        dir,
        &with_env,
        &["search", "--json", "-n", "4", "Japan"],
    ));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["hits"].as_array().unwrap().len(), 4, "{doc}");
    let s = settings(dir, &with_env, &["--index", "other"]);
    assert_eq!(s["index"]["value"], "other");
    assert_eq!(s["index"]["source"], "command line");

    // The human listing names each source.
    let text = ok(run_in(dir, &vars, &["config"]));
    assert!(
        text.lines()
            .any(|l| l.starts_with("limit") && l.contains("(newsidx.toml)")),
        "{text}"
    );
}

#[test]
fn a_bad_config_file_is_one_line_naming_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    for (text, key) in [
        ("index = \"i\"\ncolour = \"never\"\n", "colour"),
        ("limit = \"ten\"\n", "limit"),
        ("color = \"sometimes\"\n", "color"),
        ("limit = -1\n", "limit"),
    ] {
        std::fs::write(dir.path().join("newsidx.toml"), text).unwrap();
        let out = run_in(dir.path(), &[], &["list"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("newsidx: newsidx.toml:") && err.contains(key),
            "{text}: {err}"
        );
    }
}

/// The candidates the fish completion gets for `newsidx WORDS…`.
fn complete(dir: &Path, vars: &[(&str, &str)], words: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "newsidx"];
    args.extend_from_slice(words);
    let mut all = vars.to_vec();
    all.push(("COMPLETE", "fish"));
    ok(run_in(dir, &all, &args))
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_taxonomy_values_and_indexed_paths() {
    let env = indexed();
    let dir = env.dir.path();
    // A file that a file-name completion would offer.
    std::fs::write(dir.join("Kar-notes.txt"), "x").unwrap();
    let vars = [("NEWSIDX_INDEX", "idx")];
    assert_eq!(
        complete(dir, &vars, &["search", "--state", "Kar"]),
        ["Karnataka"]
    );
    let sectors = complete(dir, &vars, &["list", "--sector", "semi"]);
    assert_eq!(sectors, ["semiconductors"]);
    assert!(complete(dir, &vars, &["stats", "--prefecture", "Osa"]).contains(&"Osaka".into()));
    let paths = complete(dir, &vars, &["show", "00"]);
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert!(paths
        .iter()
        .all(|p| p.starts_with("00") && p.ends_with(".txt")));

    // A taxonomy of one's own: its organisations are offered.
    let taxonomy = dir.join("mine.toml");
    std::fs::write(
        &taxonomy,
        format!(
            "{}\n[[org]]\nname = \"Kubota\"\n",
            include_str!("../../data/taxonomy.toml")
        ),
    )
    .unwrap();
    let vars = [
        ("NEWSIDX_INDEX", "idx"),
        ("NEWSIDX_TAXONOMY", taxonomy.to_str().unwrap()),
    ];
    assert_eq!(
        complete(dir, &vars, &["search", "--org", "Kub"]),
        ["Kubota"]
    );

    // The registration script calls back into newsidx.
    let script = ok(run_in(dir, &[], &["completions", "bash"]));
    assert!(
        script.contains("COMPLETE=\"bash\"") || script.contains("COMPLETE=bash"),
        "{script}"
    );
}

#[test]
fn man_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    ok(run_in(
        dir.path(),
        &[],
        &["man", "--out", out.to_str().unwrap()],
    ));
    for page in [
        "newsidx.1",
        "newsidx-search.1",
        "newsidx-index.1",
        "newsidx-eval-search.1",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    let main = std::fs::read_to_string(out.join("newsidx.1")).unwrap();
    assert!(
        main.contains("newsidx\\-search(1)"),
        "the main page refers to newsidx-search(1)"
    );
    let search = ok(run_in(dir.path(), &[], &["man", "search"]));
    assert_eq!(
        search,
        std::fs::read_to_string(out.join("newsidx-search.1")).unwrap()
    );
    assert!(
        search.starts_with(".ie") || search.contains(".TH newsidx\\-search 1"),
        "{}",
        &search[..200]
    );
    let eval = ok(run_in(dir.path(), &[], &["man", "eval", "search"]));
    assert!(eval.contains("newsidx\\-eval\\-search"));
    let out = run_in(dir.path(), &[], &["man", "serch"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_lists_global_options_apart_and_the_readmes_queries_fields() {
    let dir = tempfile::tempdir().unwrap();
    let help = ok(run_in(dir.path(), &[], &["search", "--help"]));
    let (own, global) = help
        .split_once("Global options:")
        .unwrap_or_else(|| panic!("no Global options heading:\n{help}"));
    assert!(global.contains("--index <DIR>") && global.contains("--color <WHEN>"));
    assert!(!own.contains("--index <DIR>"), "{help}");
    assert!(own.contains("--limit <N>"));
    // The --queries fields, as the README lists them.
    let fields = |text: &str| -> String {
        let start = text.find("{\"id\",\"query\"").expect("a field list");
        let end = text[start..].find('}').unwrap();
        text[start..=start + end].to_string()
    };
    let readme = include_str!("../../README.md");
    assert_eq!(fields(&help), fields(readme));
}
