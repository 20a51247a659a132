//! The on-disk index: where it lives, how it is opened, and what it holds per
//! article.
//!
//! Layout of an index folder:
//!
//! ```text
//! index/NEWSIDX.TAG  marks a folder newsidx created (see [`layout`])
//! index/.lock        held by the one `newsidx index` run allowed at a time
//! index/CURRENT      names the live generation, replaced atomically by rename
//! index/gen-N/       a tantivy index (with its own NEWSIDX.TAG)
//! ```
//!
//! Incremental runs commit into the live generation (a tantivy commit is
//! atomic); a rebuild writes `gen-N+1` beside it and switches `CURRENT` only
//! when the new generation is complete, so readers always see a whole index.

pub mod analyzer;
pub mod check;
mod directory;
pub mod docs;
pub mod groups;
pub mod layout;
mod scan;
pub mod schema;
pub mod stem;
pub mod sync;
pub mod tokenizer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use schema::{Fields, FORMAT_VERSION};

pub use layout::lock;
use layout::{generation_number, holds_no_index, CURRENT};
pub use scan::{is_ignore_file, Rules, IGNORE_FILES};

/// What a commit records about how the index was built (tantivy's commit
/// payload, so it changes atomically with the data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Fingerprint of the taxonomy used for extraction, in hex.
    pub taxonomy: String,
    /// The analyzer's version ([`analyzer::VERSION`]): text analysed
    /// otherwise is rebuilt, since queries would be cut differently.
    #[serde(default)]
    pub analyzer: u32,
    /// [`crate::extract::EXTRACTOR_VERSION`] of the build that extracted the
    /// metadata; 0 in indexes written before it was recorded. A different
    /// version re-extracts every article, as a different taxonomy does.
    #[serde(default)]
    pub extractor: u32,
    /// The articles folder the index was built from (absolute); empty in
    /// indexes written before it was recorded.
    #[serde(default)]
    pub articles: String,
    /// Which taxonomy the index was built with: `builtin`, or the absolute
    /// path of the file; empty in indexes written before it was recorded.
    /// The file's content may change (a rule edited re-extracts); another
    /// taxonomy is a rebuild the user asks for.
    #[serde(default)]
    pub taxonomy_source: String,
    /// When the last run that examined every file began (nanoseconds since
    /// the epoch): files whose times are not clearly older are re-hashed
    /// (see `sync::racy`). Absent in indexes of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned: Option<i64>,
}

impl Manifest {
    /// Whether an index built under `self` can be updated in place by a run
    /// under `other`: same format, taxonomy, extractor and analyzer.
    pub fn compatible(&self, other: &Manifest) -> bool {
        self.format == other.format
            && self.taxonomy == other.taxonomy
            && self.extractor == other.extractor
            && self.analyzer == other.analyzer
    }
}

/// The file in a generation holding the taxonomy it was built with, when it
/// was not the built-in one.
pub const TAXONOMY_FILE: &str = "taxonomy.toml";

/// The value of [`Manifest::taxonomy_source`] for the built-in taxonomy.
pub const BUILTIN_TAXONOMY: &str = "builtin";

/// The taxonomy file the index at `root` was built with, to read when no
/// `--taxonomy` is given: the file it was read from while it exists, else
/// the copy kept in the live generation; `None` for the built-in taxonomy
/// (or no index). With the file, the source recorded in the manifest.
pub fn built_with_taxonomy(root: &Path) -> Option<(PathBuf, String)> {
    let gen = current_generation(root).ok()??;
    let manifest = manifest_in(&std::fs::read(root.join(&gen).join("meta.json")).ok()?)?;
    let source = manifest.taxonomy_source;
    if source.is_empty() || source == BUILTIN_TAXONOMY {
        return None;
    }
    let original = PathBuf::from(&source);
    let kept = root.join(gen).join(TAXONOMY_FILE);
    let file = if original.is_file() { original } else { kept };
    file.is_file().then_some((file, source))
}

/// The newsidx manifest in the bytes of a generation's `meta.json` (its
/// `payload`), read without building the rest of the file.
pub(crate) fn manifest_in(meta_json: &[u8]) -> Option<Manifest> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let meta: Meta = serde_json::from_slice(meta_json).ok()?;
    serde_json::from_str(meta.payload.as_deref()?).ok()
}

/// Everything stored once per article, enough to print a hit or a `list` line
/// without reopening the article file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub id: String,
    pub path: String,
    pub file: String,
    /// Where the article was scraped from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title, date, places, sectors, organisations, amount and language.
    #[serde(flatten)]
    pub meta: crate::article::Metadata,
    /// How many passages the body was cut into.
    pub passages: u64,
}

impl ArticleRecord {
    /// The article's date as `YYYY-MM-DD`, as every output writes it.
    pub fn day(&self) -> Option<String> {
        self.meta.date.map(|d| d.to_string())
    }
}

/// An opened, readable index.
pub struct OpenIndex {
    pub root: PathBuf,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub manifest: Manifest,
}

/// True when `root` holds an index (whether or not it is readable).
pub fn exists(root: &Path) -> bool {
    root.join(CURRENT).is_file()
}

/// Bytes on disk of the live generation.
pub fn size_on_disk(root: &Path) -> u64 {
    let Ok(Some(gen)) = current_generation(root) else {
        return 0;
    };
    walkdir::WalkDir::new(root.join(gen))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Opens the live generation of the index at `root` for reading.
///
/// A writer may switch generations or merge segments while this runs; when
/// opening fails and `CURRENT` or the generation's `meta.json` changed
/// meanwhile, the open is retried, so a reader only reports damage that stays.
pub fn open(root: &Path) -> Result<OpenIndex> {
    let mut attempts = 0;
    loop {
        let before = commit_marker(root);
        match open_once(root) {
            Err(Error::DamagedIndex { .. }) if attempts < 5 && commit_marker(root) != before => {
                attempts += 1;
            }
            other => return other,
        }
    }
}

/// What changes whenever a writer commits or switches generations: the
/// contents of `CURRENT` and of the live generation's `meta.json`.
fn commit_marker(root: &Path) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let current = std::fs::read(root.join(CURRENT)).ok();
    let meta = current
        .as_deref()
        .and_then(|c| std::str::from_utf8(c).ok())
        .and_then(|gen| std::fs::read(root.join(gen.trim()).join("meta.json")).ok());
    (current, meta)
}

fn open_once(root: &Path) -> Result<OpenIndex> {
    let gen = match current_generation(root) {
        Ok(Some(gen)) => gen,
        Ok(None) if holds_no_index(root) => {
            return Err(Error::NoIndex {
                path: root.to_path_buf(),
            })
        }
        Ok(None) | Err(Error::DamagedIndex { .. }) if !layout::is_marked(root) => {
            return Err(layout::foreign(root))
        }
        Ok(None) => return Err(damaged(root, "it has no CURRENT file")),
        Err(e) => return Err(e),
    };
    // An untagged folder whose CURRENT does not lead to a newsidx generation
    // is someone else's: `--rebuild` would not be the cure.
    let (index, manifest) = match open_generation(root, &gen) {
        Err(_) if !layout::is_marked(root) => return Err(layout::foreign(root)),
        other => other?,
    };
    if manifest.format != FORMAT_VERSION {
        return Err(damaged(
            root,
            &format!(
                "written in index format {}, this newsidx reads format {FORMAT_VERSION}",
                manifest.format
            ),
        ));
    }
    // Opening the reader opens every segment file and checks its footer, so
    // a missing or truncated file is reported here rather than mid-search.
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| read_error(root, &gen, e))?;
    let fields = Fields::new(&index.schema())
        .map_err(|e| damaged(root, &format!("unexpected schema: {e}")))?;
    Ok(OpenIndex {
        root: root.to_path_buf(),
        index,
        reader,
        fields,
        manifest,
    })
}

/// What went wrong reading generation `gen`, in one short line.
pub(crate) fn describe(gen: &str, error: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError;
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match error {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("file {gen}/{} is missing", name(path))
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if io_error.kind() == std::io::ErrorKind::PermissionDenied =>
        {
            format!("cannot read {gen}/{}: {io_error}", name(filepath))
        }
        // Tantivy checks each file's footer when opening it: anything else
        // here is a file cut short or overwritten.
        TantivyError::OpenReadError(OpenReadError::IoError { filepath, .. }) => {
            format!(
                "file {gen}/{} is damaged (truncated or overwritten)",
                name(filepath)
            )
        }
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_)) => {
            format!("{gen} was written by an incompatible tantivy version")
        }
        TantivyError::DataCorruption(_) => format!("{gen} holds corrupted data"),
        other => {
            let text = other.to_string();
            let line = text.lines().next().unwrap_or_default();
            let short: String = line.chars().take(200).collect();
            format!("cannot read {gen}: {short}")
        }
    }
}

/// The error for a failed open of generation `gen`: a file this user may not
/// read is said so (`--rebuild` would not help); anything else is damage.
fn read_error(root: &Path, gen: &str, error: tantivy::TantivyError) -> Error {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
    use tantivy::TantivyError as T;
    let denied = |e: &std::io::Error| e.kind() == std::io::ErrorKind::PermissionDenied;
    match &error {
        T::OpenReadError(OpenReadError::IoError { io_error, filepath }) if denied(io_error) => {
            Error::io(
                root.join(gen).join(filepath),
                std::io::Error::from(io_error.kind()),
            )
        }
        T::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error,
            directory_path,
        }) if denied(io_error) => Error::io(directory_path, std::io::Error::from(io_error.kind())),
        _ => damaged(root, &describe(gen, &error)),
    }
}

/// Opens a generation and reads its manifest, without checking the version.
fn open_generation(root: &Path, gen: &str) -> Result<(Index, Manifest)> {
    let dir = root.join(gen);
    if !dir.is_dir() {
        return Err(damaged(
            root,
            &format!("CURRENT names {gen}, which is missing"),
        ));
    }
    let meta_path = dir.join("meta.json");
    match std::fs::read(&meta_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(damaged(root, &format!("{gen}/meta.json is missing")))
        }
        // Not damage: a rebuild would not help a user who may not read it.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(Error::io(meta_path, e))
        }
        Err(e) => return Err(damaged(root, &format!("cannot read {gen}/meta.json: {e}"))),
        Ok(bytes) => {
            // Checked, not built: a search reads this file three times.
            if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                return Err(damaged(
                    root,
                    &format!("{gen}/meta.json is corrupted (not valid JSON: {e})"),
                ));
            }
        }
    }
    let index = directory::IndexDirectory::open(&dir)
        .and_then(Index::open)
        .map_err(|e| read_error(root, gen, e))?;
    schema::register(&index);
    let metas = index.load_metas().map_err(|e| read_error(root, gen, e))?;
    let manifest = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<Manifest>(p).ok())
        .ok_or_else(|| damaged(root, &format!("{gen} has no newsidx manifest")))?;
    Ok((index, manifest))
}

/// Runs a read of index data, turning a panic into an error: tantivy trusts
/// its files and panics on some damage (zeroed bytes in a `.fast` file),
/// which must be a clear error naming the repair instead.
pub(crate) fn guarded<T>(read: impl FnOnce() -> tantivy::Result<T>) -> tantivy::Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
        Ok(result) => result,
        Err(panic) => Err(tantivy::TantivyError::DataCorruption(
            tantivy::error::DataCorruption::comment_only(panic_message(&*panic)),
        )),
    }
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Creates a generation's tantivy index in `dir`.
pub(crate) fn create_generation_index(dir: &Path) -> tantivy::Result<Index> {
    let index = Index::create(
        directory::IndexDirectory::open(dir)?,
        schema::schema(),
        schema::settings(),
    )?;
    schema::register(&index);
    Ok(index)
}

fn damaged(root: &Path, message: &str) -> Error {
    Error::DamagedIndex {
        path: root.to_path_buf(),
        message: message.to_string(),
    }
}

/// The name of the live generation, if `CURRENT` exists.
fn current_generation(root: &Path) -> Result<Option<String>> {
    let path = root.join(CURRENT);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let gen = text.trim();
    if generation_number(gen).is_none() {
        return Err(damaged(
            root,
            &format!("CURRENT holds {gen:?}, not a generation name"),
        ));
    }
    Ok(Some(gen.to_string()))
}

impl OpenIndex {
    /// Every article record, sorted by path.
    pub fn articles(&self) -> Result<Vec<ArticleRecord>> {
        let searcher = self.reader.searcher();
        let docs = searcher
            .search(&*docs::articles(&self.fields), &DocSetCollector)
            .map_err(|e| self.tantivy(e))?;
        let mut out = Vec::with_capacity(docs.len());
        for address in docs {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.tantivy(e))?;
            out.push(self.record_of(&doc)?);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Every near-duplicate group: its id (the leader's article id) and its
    /// articles' records, sorted by path; groups in the order of their first
    /// path.
    pub fn duplicate_groups(&self) -> Result<Vec<(String, Vec<ArticleRecord>)>> {
        let searcher = self.reader.searcher();
        let groups = groups::all(&searcher).map_err(|e| self.tantivy(e))?;
        let mut by_id: std::collections::HashMap<String, ArticleRecord> = self
            .articles()?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        let mut out: Vec<(String, Vec<ArticleRecord>)> = groups
            .into_iter()
            .map(|(leader, members)| {
                let mut records: Vec<ArticleRecord> = members
                    .iter()
                    .filter_map(|m| by_id.remove(&format!("{m:016x}")))
                    .collect();
                records.sort_by(|a, b| a.path.cmp(&b.path));
                (format!("{leader:016x}"), records)
            })
            .filter(|(_, records)| records.len() > 1)
            .collect();
        out.sort_by(|a, b| a.1[0].path.cmp(&b.1[0].path));
        Ok(out)
    }

    /// The record stored in an article document.
    pub fn record_of(&self, doc: &TantivyDocument) -> Result<ArticleRecord> {
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| damaged(&self.root, "an article document has no record"))?;
        serde_json::from_str(json)
            .map_err(|e| damaged(&self.root, &format!("unreadable article record: {e}")))
    }

    /// The error for a failed read: damage (corrupted data, a file that
    /// cannot be read) names the repair; anything else is kept as it is.
    pub fn tantivy(&self, error: tantivy::TantivyError) -> Error {
        use tantivy::TantivyError as T;
        match &error {
            T::DataCorruption(_) | T::OpenReadError(_) | T::IoError(_) => damaged(
                &self.root,
                &format!("it holds damaged data ({})", crate::error::one_line(&error)),
            ),
            _ => Error::Tantivy {
                path: self.root.clone(),
                error,
            },
        }
    }
}

/// When the live generation was last committed (its `meta.json` time).
pub fn last_commit_time(root: &Path) -> Option<std::time::SystemTime> {
    let gen = current_generation(root).ok()??;
    std::fs::metadata(root.join(gen).join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
}

impl OpenIndex {
    /// The stored passages of an article, in order.
    pub fn passages_of(&self, record: &ArticleRecord) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let aid = u64::from_str_radix(&record.id, 16).unwrap_or_default();
        let Some(address) = self.article_address(&searcher, aid)? else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.tantivy(e))?;
        Ok(self.passages_in(&doc))
    }

    /// The passages stored in an article document, in order.
    pub fn passages_in(&self, doc: &TantivyDocument) -> Vec<String> {
        doc.get_all(self.fields.text)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect()
    }

    /// The address of the document of article `aid`, if it is indexed.
    pub fn article_address(
        &self,
        searcher: &tantivy::Searcher,
        aid: u64,
    ) -> Result<Option<tantivy::DocAddress>> {
        let query = docs::articles_with(&self.fields, Term::from_field_u64(self.fields.aid, aid));
        let docs = searcher
            .search(&*query, &DocSetCollector)
            .map_err(|e| self.tantivy(e))?;
        Ok(docs.into_iter().min())
    }
}
