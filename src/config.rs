//! Settings from config files: defaults for `--index`, `--articles`,
//! `--taxonomy`, `--color` and `search --limit`.
//!
//! Two files are read, when they exist: `newsidx.toml` in the working folder
//! (a project's settings) and `$XDG_CONFIG_HOME/newsidx/config.toml`
//! (default `~/.config/newsidx/config.toml`, a user's). Each setting comes
//! from the first of: the command line, its `NEWSIDX_*` variable,
//! `newsidx.toml`, the user's file, the built-in default — so a file never
//! overrides what a person typed or exported. Relative paths in a file are
//! taken from the folder the file is in, as a `.gitignore`'s are.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::Deserialize;
use toml::Spanned;

use crate::cli::{Cli, ColorWhen, Command};

/// The project file, in the working folder.
pub const PROJECT_FILE: &str = "newsidx.toml";

/// What a config file may say; any other key is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    index: Option<Spanned<String>>,
    articles: Option<Spanned<String>>,
    taxonomy: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    limit: Option<Spanned<i64>>,
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env(&'static str),
    File(PathBuf),
    /// The taxonomy the index was built with, which it keeps using.
    Index,
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag => write!(f, "command line"),
            Source::Env(var) => write!(f, "env {var}"),
            Source::File(path) => write!(f, "{}", path.display()),
            Source::Index => write!(f, "the index (built with it)"),
            Source::Default => write!(f, "default"),
        }
    }
}

/// One setting's value, as shown by `newsidx config`, and its source.
#[derive(Debug, Clone)]
pub struct Setting {
    pub name: &'static str,
    pub value: String,
    pub source: Source,
}

/// A config file's settings, checked, with paths resolved.
#[derive(Debug, Default)]
struct Values {
    path: PathBuf,
    index: Option<PathBuf>,
    articles: Option<PathBuf>,
    taxonomy: Option<PathBuf>,
    color: Option<ColorWhen>,
    limit: Option<u32>,
}

/// The config files that apply, highest precedence first, whether or not
/// they exist.
pub fn candidates() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from(PROJECT_FILE)];
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| home().map(|h| h.join(".config")));
    if let Some(base) = base {
        files.push(base.join("newsidx").join("config.toml"));
    }
    files
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Reads and checks the config files that exist, highest precedence first.
fn load() -> Result<Vec<Values>> {
    let mut all = Vec::new();
    for path in candidates() {
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => bail!("{}: cannot read the config file: {e}", path.display()),
        };
        all.push(parse(&path, &text)?);
    }
    Ok(all)
}

/// One config file, checked: an error names the file, the line and the key.
fn parse(path: &Path, bytes: &[u8]) -> Result<Values> {
    let shown = path.display();
    let Ok(text) = std::str::from_utf8(bytes) else {
        bail!("{shown}: the config file is not UTF-8 text");
    };
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        match e.span() {
            Some(span) => {
                let line = line_of(span.start);
                // A type error points at the value: name the key too.
                let key = text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.split_once('='))
                    .map(|(k, _)| k.trim())
                    .filter(|k| !message.contains(&format!("`{k}`")));
                match key {
                    Some(key) => anyhow::anyhow!("{shown}:{line}: {key}: {message}"),
                    None => anyhow::anyhow!("{shown}:{line}: {message}"),
                }
            }
            None => anyhow::anyhow!("{shown}: {message}"),
        }
    })?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let at = |value: &Spanned<String>| line_of(value.span().start);
    let resolve = |key: &str, value: &Spanned<String>| -> Result<PathBuf> {
        let raw = value.get_ref();
        if raw.is_empty() {
            bail!("{shown}:{}: {key}: an empty path", at(value));
        }
        let expanded = match raw.strip_prefix("~/") {
            Some(rest) => match home() {
                Some(home) => home.join(rest),
                None => bail!("{shown}:{}: {key}: ~ needs $HOME", at(value)),
            },
            None => PathBuf::from(raw),
        };
        Ok(if expanded.is_absolute() || folder.as_os_str().is_empty() {
            expanded
        } else {
            folder.join(expanded)
        })
    };
    let mut values = Values {
        path: path.to_path_buf(),
        ..Values::default()
    };
    if let Some(v) = &file.index {
        values.index = Some(resolve("index", v)?);
    }
    if let Some(v) = &file.articles {
        values.articles = Some(resolve("articles", v)?);
    }
    if let Some(v) = &file.taxonomy {
        values.taxonomy = Some(resolve("taxonomy", v)?);
    }
    if let Some(v) = &file.color {
        use clap::ValueEnum;
        let color = ColorWhen::from_str(v.get_ref(), true).map_err(|_| {
            anyhow::anyhow!(
                "{shown}:{}: color: {:?} is not one of auto, always, never",
                at(v),
                v.get_ref()
            )
        })?;
        values.color = Some(color);
    }
    if let Some(v) = &file.limit {
        let limit = u32::try_from(*v.get_ref())
            .ok()
            .filter(|l| *l <= 10_000)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{shown}:{}: limit: {} is not a number of articles from 0 to 10000",
                    line_of(v.span().start),
                    v.get_ref()
                )
            })?;
        values.limit = Some(limit);
    }
    Ok(values)
}

/// Where an argument's value came from on the command line or in the
/// environment; `None` when it is the built-in default (or absent).
fn given(matches: &ArgMatches, id: &str, env: &'static str) -> Option<Source> {
    match matches.value_source(id) {
        Some(ValueSource::CommandLine) => Some(Source::Flag),
        Some(ValueSource::EnvVariable) => Some(Source::Env(env)),
        _ => None,
    }
}

/// Applies the config files to `cli` where neither the command line nor the
/// environment set a value, and returns every setting with its source.
pub fn apply(cli: &mut Cli, matches: &ArgMatches) -> Result<Vec<Setting>> {
    let files = load()?;
    let from_files =
        |pick: &dyn Fn(&Values) -> bool| -> Option<&Values> { files.iter().find(|v| pick(v)) };
    let mut settings = Vec::new();

    let source = given(matches, "index", "NEWSIDX_INDEX").or_else(|| {
        let file = from_files(&|v| v.index.is_some())?;
        cli.global.index = file.index.clone()?;
        Some(Source::File(file.path.clone()))
    });
    settings.push(Setting {
        name: "index",
        value: cli.global.index.display().to_string(),
        source: source.unwrap_or(Source::Default),
    });

    let source = given(matches, "articles", "NEWSIDX_ARTICLES").or_else(|| {
        let file = from_files(&|v| v.articles.is_some())?;
        cli.global.articles = file.articles.clone()?;
        Some(Source::File(file.path.clone()))
    });
    settings.push(Setting {
        name: "articles",
        value: cli.global.articles.display().to_string(),
        source: source.unwrap_or(Source::Default),
    });

    let source = given(matches, "taxonomy", "NEWSIDX_TAXONOMY").or_else(|| {
        let file = from_files(&|v| v.taxonomy.is_some())?;
        cli.global.taxonomy = file.taxonomy.clone();
        Some(Source::File(file.path.clone()))
    });
    let (value, source) = match (&cli.global.taxonomy, source) {
        (Some(path), Some(source)) => (path.display().to_string(), source),
        _ => match newsidx::index::built_with_taxonomy(&cli.global.index) {
            Some((file, _)) => (file.display().to_string(), Source::Index),
            None => ("built-in".to_string(), Source::Default),
        },
    };
    settings.push(Setting {
        name: "taxonomy",
        value,
        source,
    });

    let source = given(matches, "color", "NEWSIDX_COLOR").or_else(|| {
        let file = from_files(&|v| v.color.is_some())?;
        cli.global.color = file.color?;
        Some(Source::File(file.path.clone()))
    });
    settings.push(Setting {
        name: "color",
        value: format!("{:?}", cli.global.color).to_lowercase(),
        source: source.unwrap_or(Source::Default),
    });

    // The search page size: read from `search`'s own arguments.
    let search = matches.subcommand_matches("search");
    let source = search
        .and_then(|m| given(m, "limit", "NEWSIDX_LIMIT"))
        .or_else(|| {
            let file = from_files(&|v| v.limit.is_some())?;
            if let Command::Search(args) = &mut cli.command {
                args.limit = file.limit?;
            }
            Some(Source::File(file.path.clone()))
        });
    let limit = match &cli.command {
        Command::Search(args) => args.limit,
        _ => std::env::var("NEWSIDX_LIMIT")
            .ok()
            .and_then(|v| v.parse().ok())
            .or_else(|| files.iter().find_map(|v| v.limit))
            .unwrap_or(10),
    };
    let source = match (&cli.command, source) {
        (Command::Search(_), Some(source)) => source,
        (Command::Search(_), None) => Source::Default,
        // Not a search: where a search would take it from.
        (_, _) => match std::env::var("NEWSIDX_LIMIT") {
            Ok(_) => Source::Env("NEWSIDX_LIMIT"),
            Err(_) => files
                .iter()
                .find(|v| v.limit.is_some())
                .map_or(Source::Default, |v| Source::File(v.path.clone())),
        },
    };
    settings.push(Setting {
        name: "limit",
        value: limit.to_string(),
        source,
    });
    Ok(settings)
}

/// The index folder and taxonomy file a command would use, from the
/// environment, the config files or the defaults, with no command line to
/// read: for shell completion, which must stay silent on a bad file.
pub fn quiet_defaults() -> (PathBuf, Option<PathBuf>) {
    let files = load().unwrap_or_default();
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let index = var("NEWSIDX_INDEX")
        .or_else(|| files.iter().find_map(|v| v.index.clone()))
        .unwrap_or_else(|| PathBuf::from(crate::commands::DEFAULT_INDEX));
    let taxonomy =
        var("NEWSIDX_TAXONOMY").or_else(|| files.iter().find_map(|v| v.taxonomy.clone()));
    (index, taxonomy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        format!(
            "{:#}",
            parse(Path::new("newsidx.toml"), text.as_bytes()).unwrap_err()
        )
    }

    #[test]
    fn a_bad_file_is_one_line_naming_the_file_line_and_key() {
        let e = error("index = \"i\"\ncolour = \"never\"\n");
        assert!(
            e.starts_with("newsidx.toml:2: ") && e.contains("colour"),
            "{e}"
        );
        let e = error("limit = \"many\"\n");
        assert!(e.starts_with("newsidx.toml:1: limit: "), "{e}");
        let e = error("\n\ncolor = \"sometimes\"\n");
        assert!(e.starts_with("newsidx.toml:3: color: "), "{e}");
        let e = error("limit = 20000\n");
        assert!(e.starts_with("newsidx.toml:1: limit: 20000"), "{e}");
        let e = error("index = \n");
        assert!(e.starts_with("newsidx.toml:1"), "{e}");
        for e in [
            error("index = \"i\"\ncolour = \"never\"\n"),
            error("limit = \"many\"\n"),
            error("[index\n"),
        ] {
            assert_eq!(e.lines().count(), 1, "{e}");
        }
    }

    #[test]
    fn relative_paths_are_taken_from_the_files_folder() {
        let values = parse(
            Path::new("/etc/x/config.toml"),
            b"index = \"idx\"\narticles = \"/data/a\"\ncolor = \"Never\"\nlimit = 5\n",
        )
        .unwrap();
        assert_eq!(values.index, Some(PathBuf::from("/etc/x/idx")));
        assert_eq!(values.articles, Some(PathBuf::from("/data/a")));
        assert_eq!(values.color, Some(ColorWhen::Never));
        assert_eq!(values.limit, Some(5));
        let values = parse(Path::new("newsidx.toml"), b"index = \"idx\"\n").unwrap();
        assert_eq!(values.index, Some(PathBuf::from("idx")));
    }
}
