//! `newsidx check`: is the index whole? Every file of every segment of the
//! live generation is read to its end and compared with the checksum
//! tantivy wrote in its footer, so damage anywhere (a zeroed block in a
//! `.fast` file, a truncated `.store`) is found without trusting the data,
//! whereas a search reads only what it needs and may trip over it later.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// What a check found in an index that could be opened.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The live generation's folder name.
    pub generation: String,
    pub segments: usize,
    /// Files read and compared with their checksums.
    pub files: usize,
    pub bytes: u64,
    /// Files that are missing or fail their checksum, relative to the index
    /// folder (`gen-3/…fast`).
    pub damaged: Vec<String>,
}

impl CheckReport {
    pub fn whole(&self) -> bool {
        self.damaged.is_empty()
    }
}

/// Segment files every segment has: one missing is damage.
const CORE: &[&str] = &["idx", "term", "store", "fast", "fieldnorm", "pos"];

/// Checks the index at `root`. An index that cannot even be opened (no
/// `CURRENT`, an unreadable `meta.json`, another format) is an `Err`, as for
/// every command; one that opens gets a report.
pub fn check(root: &Path) -> Result<CheckReport> {
    let gen = super::current_generation(root)?.ok_or_else(|| {
        if super::layout::holds_no_index(root) {
            Error::NoIndex {
                path: root.to_path_buf(),
            }
        } else {
            super::layout::foreign(root)
        }
    })?;
    let (index, manifest) = super::open_generation(root, &gen)?;
    if manifest.format != super::schema::FORMAT_VERSION {
        return Err(super::damaged(
            root,
            &format!(
                "written in index format {}, this newsidx reads format {}",
                manifest.format,
                super::schema::FORMAT_VERSION
            ),
        ));
    }
    let metas = index
        .load_metas()
        .map_err(|e| super::damaged(root, &super::describe(&gen, &e)))?;
    let mut files: Vec<PathBuf> = metas.list_segment_files().into_iter().collect();
    files.sort();
    let dir = root.join(&gen);
    let mut report = CheckReport {
        generation: gen.clone(),
        segments: metas.segments.len(),
        files: 0,
        bytes: 0,
        damaged: Vec::new(),
    };
    for file in files {
        let shown = format!("{gen}/{}", file.display());
        let Ok(meta) = std::fs::metadata(dir.join(&file)) else {
            let ext = file
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if CORE.contains(&ext) {
                report.damaged.push(format!("{shown} (missing)"));
            }
            continue;
        };
        report.files += 1;
        report.bytes += meta.len();
        let valid = super::guarded(|| {
            index
                .directory()
                .validate_checksum(&file)
                .map_err(tantivy::TantivyError::from)
        });
        match valid {
            Ok(true) => {}
            Ok(false) => report.damaged.push(format!("{shown} (checksum mismatch)")),
            Err(e) => report
                .damaged
                .push(format!("{shown} ({})", crate::error::one_line(&e))),
        }
    }
    Ok(report)
}
