//! Files of one folder tree replaced together, as one set (a key and its certificate): a
//! reader that holds the folder's [`lock`](super::lock) sees all of them old or all of them
//! new, whenever the writer was killed. Each new file is written to a temporary sibling and
//! flushed; then a journal listing the renames is written (atomically, flushed): from that
//! moment the set counts as written; then the renames, then the journal goes. The next holder
//! of the lock finishes the renames of a journal it finds ([`recover`]) and removes temporary
//! files no journal lists: the set was never written.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{TEMP_TAG, is_sibling, replace_file, unique_sibling, write_file};
use crate::error::Error;

/// The start of a journal's name, in the folder's root.
const JOURNAL: &str = ".kubeward-commit-";

/// Replaces `files` (paths relative to `root`, their folders existing) as one set, each with
/// mode 0600 when `secret`.
pub fn replace(root: &Path, files: &[(&str, &[u8])], secret: bool) -> Result<(), Error> {
    let mut renames: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let written = files.iter().try_for_each(|(relative, content)| {
        let path = root.join(relative);
        let temp = unique_sibling(&path, TEMP_TAG);
        write_file(&temp, content, secret)?;
        renames.push((temp, path));
        Ok(())
    });
    let journal = match (written, files.len()) {
        (Err(e), _) => Err(e),
        (Ok(()), 1) => Ok(None),
        (Ok(()), _) => write_journal(root, &renames).map(Some),
    };
    let journal = match journal {
        Ok(journal) => journal,
        Err(e) => {
            for (temp, _) in &renames {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
    };
    for (temp, path) in &renames {
        fs::rename(temp, path)
            .map_err(|e| Error::io(format!("cannot replace {}", path.display()), e))?;
        sync_parent(path)?;
    }
    if let Some(journal) = journal {
        fs::remove_file(&journal)
            .map_err(|e| Error::io(format!("cannot remove {}", journal.display()), e))?;
        sync_dir(root)?;
    }
    Ok(())
}

/// Writes the journal of `renames` into `root`, flushed, and returns its path.
fn write_journal(root: &Path, renames: &[(PathBuf, PathBuf)]) -> Result<PathBuf, Error> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut text = String::new();
    for (temp, path) in renames {
        for file in [temp, path] {
            let relative = file.strip_prefix(root).unwrap_or(file).to_string_lossy();
            if relative.contains(['\t', '\n']) {
                return Err(Error::State(format!(
                    "{} cannot be written as part of a set: its name holds a tab or a line break",
                    file.display()
                )));
            }
            text.push_str(&relative);
            text.push(if file == temp { '\t' } else { '\n' });
        }
    }
    let journal = root.join(format!(
        "{JOURNAL}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    replace_file(&journal, text.as_bytes(), true)?;
    sync_dir(root)?;
    Ok(journal)
}

/// Finishes every set a killed writer had journaled in `root` and removes the temporary files
/// of sets it had not: call it holding the folder's lock, before reading.
pub fn recover(root: &Path) -> Result<(), Error> {
    let entries = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(format!("cannot read {}", root.display()), e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(JOURNAL) {
            continue;
        }
        let journal = entry.path();
        let text = fs::read_to_string(&journal)
            .map_err(|e| Error::io(format!("cannot read {}", journal.display()), e))?;
        for line in text.lines() {
            let Some((temp, path)) = line.split_once('\t') else {
                return Err(Error::State(format!(
                    "{} is not a kubeward journal; remove it if no kubeward wrote it",
                    journal.display()
                )));
            };
            let (temp, path) = (root.join(temp), root.join(path));
            if temp.exists() {
                fs::rename(&temp, &path)
                    .map_err(|e| Error::io(format!("cannot replace {}", path.display()), e))?;
                sync_parent(&path)?;
            }
        }
        fs::remove_file(&journal)
            .map_err(|e| Error::io(format!("cannot remove {}", journal.display()), e))?;
        sync_dir(root)?;
    }
    remove_temporaries(root)
}

/// Removes the temporary files under `dir` (no journal lists them any more).
fn remove_temporaries(dir: &Path) -> Result<(), Error> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            remove_temporaries(&path)?;
        } else if is_sibling(&entry.file_name().to_string_lossy(), TEMP_TAG) {
            fs::remove_file(&path)
                .map_err(|e| Error::io(format!("cannot remove {}", path.display()), e))?;
        }
    }
    Ok(())
}

fn sync_parent(path: &Path) -> Result<(), Error> {
    path.parent().map_or(Ok(()), sync_dir)
}

/// Flushes a folder's entries (a rename) to disk.
pub fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(format!("cannot flush {}", dir.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
