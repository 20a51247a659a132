//! NDJSON: one article, or one passage, per line.

use std::io::Write;
use std::path::Path;

use super::{each_article, json_line, ArticleLine, OutFile, PassageLine, Summary};
use crate::error::{Error, Result};
use crate::index::OpenIndex;
use crate::progress::Progress;

/// `export --to ndjson` into `out` (one article per line, or one passage
/// per line with `passages`); errors name `shown`.
pub fn ndjson(
    index: &OpenIndex,
    out: &mut dyn Write,
    shown: &Path,
    passages: bool,
    progress: &dyn Progress,
) -> Result<Summary> {
    let (articles, total) = each_article(index, progress, |record, stored| {
        if passages {
            for passage in stored {
                json_line(out, shown, &PassageLine::new(record, passage))?;
            }
            Ok(())
        } else {
            json_line(out, shown, &ArticleLine::new(record, stored))
        }
    })?;
    out.flush().map_err(|e| Error::io(shown, e))?;
    Ok(Summary {
        articles,
        passages: total,
        ..Summary::default()
    })
}

/// `export --to ndjson --out FILE`.
pub fn ndjson_file(
    index: &OpenIndex,
    path: &Path,
    passages: bool,
    progress: &dyn Progress,
) -> Result<Summary> {
    let mut file = OutFile::create(path)?;
    let mut summary = ndjson(index, &mut file.writer, path, passages, progress)?;
    file.finish(&mut summary)?;
    Ok(summary)
}
