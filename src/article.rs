//! The domain types that flow through the pipeline: what a reader produces
//! ([`RawArticle`]), what extraction decides ([`Metadata`]) and what gets indexed
//! ([`Article`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One article as a reader found it: text with one paragraph per line, plus any
/// metadata the format itself carries (HTML meta tags, JSON fields).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawArticle {
    /// Source file, relative to the articles folder, with `/` separators.
    pub file: String,
    /// 1-based line number inside a JSON-lines file; `None` for one-article files.
    pub line: Option<usize>,
    /// What the article's id follows when the file alone does not name it
    /// (a JSON-lines article: its `id`, else its `url`, else its content),
    /// so that an article keeps its id when lines move; `None` for
    /// one-article files, whose id follows their path.
    pub key: Option<String>,
    /// The article text, one paragraph per line, junk not yet removed.
    pub text: String,
    /// Title given by the format (`<title>`, `og:title`, JSON `title`).
    pub title: Option<String>,
    /// Date given by the format (`article:published_time`, JSON `date`).
    pub date: Option<NaiveDate>,
    /// States given by the format (JSON); they override extraction.
    pub states: Option<Vec<String>>,
    /// Sectors given by the format (JSON); they override extraction.
    pub sectors: Option<Vec<String>>,
    /// Where the article was scraped from, when known.
    pub url: Option<String>,
    /// The article's language as the format gives it (JSON `lang`): it
    /// overrides detection when it names a language.
    pub lang: Option<String>,
    /// Page blocks the reader left out by the page's structure (a
    /// `class="related"` box, a link-dense list), for `show --explain`.
    pub dropped: Vec<DroppedBlock>,
}

/// A block of a page that is not article text, and the reason.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DroppedBlock {
    /// Its text, cut to a line's length.
    pub text: String,
    pub rule: String,
}

impl RawArticle {
    /// The path shown to users: the file, with `:LINE` for JSON-lines articles.
    pub fn display_path(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{}", self.file, line),
            None => self.file.clone(),
        }
    }
}

/// What extraction decides about an article. Canonical spellings only (see
/// [`crate::taxonomy::Taxonomy`]), sorted and deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: String,
    pub date: Option<NaiveDate>,
    pub states: Vec<String>,
    pub sectors: Vec<String>,
    pub prefectures: Vec<String>,
    /// Companies and agencies named (canonical names from the taxonomy).
    #[serde(default)]
    pub orgs: Vec<String>,
    /// The largest money figure the article reports.
    #[serde(default)]
    pub amount: Option<Amount>,
    /// The article's main language, ISO 639-1 ("en", "hi", "ja"); `None`
    /// when it has no letters to tell (see [`crate::lang`]).
    #[serde(default)]
    pub lang: Option<String>,
}

/// A money figure: in whole rupees (for filters and sorting) and as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// The value in rupees, converted with the fixed table in
    /// [`crate::extract::amount::RUPEES_PER`].
    pub rupees: u64,
    /// The figure as the article wrote it ("USD 1 billion").
    pub written: String,
    /// ISO code of the currency written ("USD").
    pub currency: String,
}

/// A cleaned article with its metadata: the unit that is split into passages.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Stable id: a hash of [`Article::path`], 16 hex digits.
    pub id: String,
    /// Source file relative to the articles folder.
    pub file: String,
    /// `file` or `file:LINE`.
    pub path: String,
    pub url: Option<String>,
    pub metadata: Metadata,
    /// Cleaned text, one paragraph per line.
    pub body: String,
}

/// The id of an article at `path`: stable across runs and machines, so that
/// scripts can keep it.
pub fn article_id(path: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(path.as_bytes()))
}
