//! The index folder's layout, and which folders are newsidx's to change.
//!
//! newsidx marks every folder it creates — the index folder and each
//! generation in it — with a tag file, [`TAG`], in the manner of the Cache
//! Directory Tagging specification's `CACHEDIR.TAG` (which Cargo writes in
//! `target/`). It writes into, and deletes or moves anything inside, only a
//! folder that holds the tag: a folder of someone else's files given as
//! `--index` by mistake is refused before the first byte is written (no lock
//! file either), and a generation folder without the tag is never removed.
//!
//! An index folder may still be claimed without the tag when it is missing or
//! empty (newsidx then creates or tags it), or when it is an index that an
//! earlier newsidx wrote before tags existed: `CURRENT` names a generation
//! whose commit carries a newsidx manifest. That index and its live
//! generation are tagged on the first write.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// The tag file's name, in the index folder and in every generation folder.
pub const TAG: &str = "NEWSIDX.TAG";

/// The tag file's first line, which identifies it.
const SIGNATURE: &str = "Signature: newsidx index folder";

/// The whole tag file.
const TAG_TEXT: &str = "Signature: newsidx index folder\n\
# This folder was created by newsidx. newsidx writes into a folder, and\n\
# deletes or renames files in it, only when the folder holds this file.\n";

pub(crate) const CURRENT: &str = "CURRENT";
pub(crate) const LOCK: &str = ".lock";
pub(crate) const CURRENT_TMP: &str = "CURRENT.tmp";
pub(crate) const GEN_PREFIX: &str = "gen-";

/// True when `dir` holds newsidx's tag file.
pub fn is_marked(dir: &Path) -> bool {
    std::fs::read(dir.join(TAG)).is_ok_and(|text| text.starts_with(SIGNATURE.as_bytes()))
}

/// Prefix of a tag being written ([`mark`]): another run that looks at the
/// folder meanwhile takes it for vacant, not for someone else's.
const TAG_TMP_PREFIX: &str = "NEWSIDX.TAG.";

/// Writes the tag file into `dir`, whole or not at all: written under a
/// temporary name, then renamed, so that a run starting at the same moment
/// never sees an empty tag (and refuses the folder as someone else's).
pub(crate) fn mark(dir: &Path) -> Result<()> {
    let path = dir.join(TAG);
    let tmp = dir.join(format!("{TAG_TMP_PREFIX}{}.tmp", std::process::id()));
    std::fs::write(&tmp, TAG_TEXT)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(path, e)
        })
}

/// The number of a generation folder's name (`gen-7` -> 7).
pub(crate) fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(GEN_PREFIX)?.parse().ok()
}

/// True when `root` is missing, or empty but for a `.gitkeep` (and a tag
/// another run is writing this instant).
fn is_vacant(root: &Path) -> bool {
    match std::fs::read_dir(root) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(mut entries) => entries.all(|e| {
            e.is_ok_and(|e| {
                let name = e.file_name();
                name == ".gitkeep" || name.to_string_lossy().starts_with(TAG_TMP_PREFIX)
            })
        }),
    }
}

/// True when `root` holds no index that a reader could open, and newsidx may
/// build one there: it is missing, empty, or tagged but without `CURRENT` (a
/// first build was interrupted).
pub(crate) fn holds_no_index(root: &Path) -> bool {
    !root.join(CURRENT).exists() && (is_vacant(root) || is_marked(root))
}

/// True when `root` is an untagged index written by an earlier newsidx: its
/// `CURRENT` names a generation whose `meta.json` carries a newsidx manifest.
fn is_legacy_index(root: &Path) -> Option<String> {
    let gen = std::fs::read_to_string(root.join(CURRENT)).ok()?;
    let gen = gen.trim();
    generation_number(gen)?;
    let meta = std::fs::read(root.join(gen).join("meta.json")).ok()?;
    super::manifest_in(&meta)?;
    Some(gen.to_string())
}

/// The error for a folder newsidx did not create.
pub(crate) fn foreign(root: &Path) -> Error {
    Error::Foreign {
        path: root.to_path_buf(),
    }
}

/// Makes sure newsidx may write into `root` before anything is written: a
/// missing folder is created and tagged, an empty one tagged, an untagged
/// index of an earlier newsidx tagged with its live generation; any other
/// untagged folder is refused untouched.
pub(crate) fn claim(root: &Path) -> Result<()> {
    if is_marked(root) {
        return Ok(());
    }
    if is_vacant(root) {
        std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        return mark(root);
    }
    // A run starting at the same instant may have tagged the folder between
    // the two looks above (its tag is renamed into place before it writes
    // anything else): look again before calling the folder someone else's.
    if is_marked(root) {
        return Ok(());
    }
    match is_legacy_index(root) {
        Some(gen) => {
            mark(&root.join(gen))?;
            mark(root)
        }
        None => Err(foreign(root)),
    }
}

/// Takes the writer lock of the index at `root`, which [`claim`] made sure is
/// newsidx's. The lock is an OS file lock: it dies with the process, so a
/// killed run never leaves the index locked.
pub fn lock(root: &Path) -> Result<File> {
    claim(root)?;
    let path = root.join(LOCK);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked {
            path: root.to_path_buf(),
            lock: path,
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

/// The next generation's name: one past the highest generation folder,
/// tagged or not, so that an untagged one is never written into.
pub(crate) fn next_generation(root: &Path, live: Option<&str>) -> String {
    let mut highest = live.and_then(generation_number).unwrap_or(0);
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            if let Some(n) = generation_number(&entry.file_name().to_string_lossy()) {
                highest = highest.max(n);
            }
        }
    }
    format!("{GEN_PREFIX}{}", highest + 1)
}

/// Creates generation folder `gen` and tags it, before tantivy writes a file
/// into it.
pub(crate) fn create_generation(root: &Path, gen: &str) -> Result<()> {
    let dir = root.join(gen);
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    // Out of inodes, the folder is made and the tag is not: no leftover.
    mark(&dir).inspect_err(|_| {
        let _ = std::fs::remove_dir(&dir);
    })
}

/// Points `CURRENT` at `gen`: write a temporary file, flush it, rename it over.
pub(crate) fn switch_generation(root: &Path, gen: &str) -> Result<()> {
    let tmp = root.join(CURRENT_TMP);
    let mut file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    file.write_all(format!("{gen}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(&tmp, e))?;
    let current = root.join(CURRENT);
    std::fs::rename(&tmp, &current).map_err(|e| Error::io(&current, e))?;
    if let Ok(dir) = File::open(root) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Generations other than the live one are leftovers of a finished switch or
/// of a rebuild that was killed: only the lock holder may remove them, and
/// only those that carry the tag (an untagged one only when empty: a run
/// killed between creating and tagging it).
pub(crate) fn remove_stale_generations(root: &Path, live: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if generation_number(&name).is_none() || Some(name.as_str()) == live {
            continue;
        }
        let path = entry.path();
        if is_marked(&path) {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            // Fails, harmlessly, unless the folder is empty.
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// Removes a generation this run created and tagged (the undo of a failed
/// run).
pub(crate) fn remove_generation(root: &Path, gen: &str) {
    let path = root.join(gen);
    if is_marked(&path) {
        let _ = std::fs::remove_dir_all(&path);
    } else {
        let _ = std::fs::remove_dir(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_only_vacant_tagged_or_legacy_folders() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh/index");
        claim(&fresh).unwrap();
        assert!(is_marked(&fresh));

        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        std::fs::write(empty.join(".gitkeep"), "").unwrap();
        claim(&empty).unwrap();
        assert!(is_marked(&empty));

        let theirs = dir.path().join("theirs");
        std::fs::create_dir_all(theirs.join("gen-1")).unwrap();
        std::fs::write(theirs.join("gen-1/thesis.txt"), "mine").unwrap();
        assert!(matches!(claim(&theirs), Err(Error::Foreign { .. })));
        assert!(!theirs.join(TAG).exists());
        assert!(!holds_no_index(&theirs));

        std::fs::create_dir_all(theirs.join("gen-2")).unwrap();
        remove_stale_generations(&theirs, None);
        assert!(theirs.join("gen-1/thesis.txt").exists());
        assert!(!theirs.join("gen-2").exists(), "an empty one may go");
    }

    #[test]
    fn a_tag_being_written_by_another_run_leaves_the_folder_vacant() {
        let dir = tempfile::tempdir().unwrap();
        let racing = dir.path().join("racing");
        std::fs::create_dir(&racing).unwrap();
        // The other run's tag, under its temporary name, not yet renamed.
        std::fs::write(racing.join(format!("{TAG_TMP_PREFIX}999999.tmp")), "").unwrap();
        assert!(holds_no_index(&racing));
        claim(&racing).unwrap();
        assert!(is_marked(&racing));
        // Marking leaves no temporary file of its own.
        let names: Vec<String> = std::fs::read_dir(&racing)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains(&std::process::id().to_string())),
            "{names:?}"
        );
    }
}
