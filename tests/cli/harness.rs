//! A temp dir per test with an articles folder and an index folder, and a
//! command builder with a scrubbed environment.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde::de::DeserializeOwned;
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
}

/// The seed articles shipped in the repository.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

impl Env {
    /// An empty articles folder.
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("articles")).expect("articles dir");
        Env { dir }
    }

    /// The five seeds, copied.
    pub fn with_seeds() -> Env {
        let env = Env::new();
        env.copy_from(&seeds_dir());
        env
    }

    /// Copies every file of `dir` into the articles folder.
    pub fn copy_from(&self, dir: &Path) {
        for entry in std::fs::read_dir(dir).expect("fixture dir") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), self.articles().join(entry.file_name())).expect("copy");
        }
    }

    pub fn articles(&self) -> PathBuf {
        self.dir.path().join("articles")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.articles().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, contents).expect("write");
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.articles().join(rel)).expect("remove");
    }

    /// `newsidx` with this env's folders and nothing from the caller's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("newsidx").expect("binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(self.dir.path())
            .arg("--index")
            .arg(self.index())
            .arg("--articles")
            .arg(self.articles())
            .args(args);
        cmd
    }

    /// `newsidx` as a plain `std` command (to spawn, time and kill it), with
    /// this env's articles folder and the index folder `index`.
    pub fn std_command(&self, index: &Path, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_newsidx"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(self.dir.path())
            .arg("--index")
            .arg(index)
            .arg("--articles")
            .arg(self.articles())
            .args(args);
        cmd
    }

    /// Starts `newsidx` on this env's index without waiting for it; stdout is
    /// discarded and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.std_command(&self.index(), args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn newsidx")
    }

    /// Runs `newsidx` on another index folder over this env's articles.
    pub fn run_at(&self, index: &Path, args: &[&str]) -> Output {
        self.std_command(index, args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run newsidx")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run newsidx")
    }

    /// Runs and asserts the exit code; returns stdout.
    pub fn expect(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "newsidx {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        self.expect(0, args)
    }

    /// Runs, expects exit 0 and parses every stdout line as JSON.
    pub fn json_lines<T: DeserializeOwned>(&self, args: &[&str]) -> Vec<T> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    pub fn json<T: DeserializeOwned>(&self, args: &[&str]) -> T {
        let mut all = self.json_lines(args);
        assert_eq!(all.len(), 1, "expected one JSON line");
        all.remove(0)
    }

    pub fn index_json(&self, args: &[&str]) -> serde_json::Value {
        let mut full = vec!["index", "--json"];
        full.extend_from_slice(args);
        self.json(&full)
    }
}

/// `eval extraction --labels LABELS --json` over the env's index.
pub fn eval_extraction(env: &Env, labels: &Path) -> serde_json::Value {
    env.json(&[
        "eval",
        "extraction",
        "--labels",
        labels.to_str().expect("UTF-8 path"),
        "--json",
    ])
}

/// `search --json ARGS`, parsed.
pub fn search(env: &Env, args: &[&str]) -> newsidx::print::json::SearchDoc {
    let mut full = vec!["search", "--json"];
    full.extend_from_slice(args);
    env.json(&full)
}

/// The article paths of a search's hits, in rank order.
pub fn paths(doc: &newsidx::print::json::SearchDoc) -> Vec<&str> {
    doc.hits
        .iter()
        .map(|h| h.article.record.path.as_str())
        .collect()
}
