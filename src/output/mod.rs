//! The output stage, the only writer: a folder of manifests written atomically (a temporary
//! sibling folder, then a rename), secret-bearing files with mode 0600, and never over files
//! kubeward did not write unless forced; data on standard output (`stdout`, with `json` for
//! JSON documents) and messages on the terminal (`ui`); everything a user or a manifest
//! supplies reaches a terminal through `terminal`, escaped; and whether git would commit what
//! is about to be written (`git`). It depends on nothing but `error` and `yaml`, so that the
//! state folder of `material` writes through it too.
//!
//! Files replaced one by one ([`replace_file`], which the state folder uses: it holds the only
//! copy of generated secrets and keys) are flushed to disk before the rename. A staged manifest
//! folder is not flushed file by file: it can always be rendered again, byte-identical, from
//! the spec and the state, and flushing costs about 4 ms a file (45 s for 1,000 services).

pub mod git;
pub mod json;
pub mod lock;
pub mod stdout;
pub mod terminal;
pub mod together;
pub mod ui;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// The record of what kubeward wrote into an output folder.
pub const MARKER: &str = ".kubeward-output";

/// A file to write: its path inside the folder (`/`-separated: a system's output has
/// sub-folders), content, and whether it holds secret material.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub name: String,
    pub content: String,
    pub secret: bool,
}

/// Refuses an output folder that holds files kubeward did not write, unless `force`.
/// Commands call this before doing any work, so a refusal leaves nothing behind.
pub fn check_dir(dir: &Path, force: bool) -> Result<(), Error> {
    let foreign = foreign_entries(dir)?;
    if !foreign.is_empty() && !force {
        return Err(Error::Output(format!(
            "{} holds files kubeward did not write ({}); choose an empty folder or pass --force to write beside them",
            dir.display(),
            foreign
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Output(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    Ok(())
}

/// Writes `files` as kubeward's content of `dir`.
///
/// A folder that already holds exactly these files is left untouched. A folder that is new or
/// holds only kubeward's files is replaced whole: a staging folder
/// beside it, then a rename. A folder with other files (allowed only with `force`) is never
/// moved: each file is replaced atomically in place, the user's files stay where they are,
/// and files of an earlier render that are no longer planned are removed.
pub fn write_dir(dir: &Path, files: &[OutFile], force: bool) -> Result<(), Error> {
    check_dir(dir, force)?;
    let dir = absolute(dir)?;
    if holds_already(&dir, files) {
        return Ok(());
    }
    if foreign_entries(&dir)?.is_empty() {
        let parent = dir.parent().unwrap_or(Path::new("/"));
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        let staging = unique_sibling(&dir, TEMP_TAG);
        let result = stage(&staging, files).and_then(|()| swap(&staging, &dir));
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        return result;
    }
    let previous = ours(&dir);
    for file in files {
        let path = dir.join(&file.name);
        create_parent(&path)?;
        replace_file(&path, file.content.as_bytes(), file.secret)?;
    }
    for stale in previous
        .iter()
        .filter(|name| !files.iter().any(|f| &f.name == *name))
    {
        let path = dir.join(stale);
        let _ = fs::remove_file(&path);
        // Folders the stale file leaves empty go too (never `dir` itself, never a user's file).
        for folder in path.ancestors().skip(1).take_while(|a| *a != dir) {
            if fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
    replace_file(&dir.join(MARKER), marker(files).as_bytes(), false)
}

/// Whether `dir` already holds exactly `files` as kubeward's content (same names and bytes,
/// secret-bearing files private): a re-render that changes nothing writes nothing, and leaves
/// the files' times alone.
fn holds_already(dir: &Path, files: &[OutFile]) -> bool {
    let same_file = |file: &OutFile| {
        let path = dir.join(&file.name);
        fs::symlink_metadata(&path)
            .is_ok_and(|meta| meta.is_file() && (!file.secret || private(&meta)))
            && fs::read(&path).is_ok_and(|bytes| bytes == file.content.as_bytes())
    };
    fs::read(dir.join(MARKER)).is_ok_and(|bytes| bytes == marker(files).as_bytes())
        && files.iter().all(same_file)
}

/// Whether only the owner may read the file.
#[cfg(unix)]
fn private(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 == 0
}

#[cfg(not(unix))]
fn private(_: &fs::Metadata) -> bool {
    true
}

/// `path` made absolute without resolving links, so that siblings are real siblings
/// (`-o .` must not stage inside the folder it replaces).
fn absolute(path: &Path) -> Result<PathBuf, Error> {
    std::path::absolute(path)
        .map(|p| p.components().collect())
        .map_err(|e| Error::io(format!("cannot resolve {}", path.display()), e))
}

fn marker(files: &[OutFile]) -> String {
    files.iter().map(|f| format!("{}\n", f.name)).collect()
}

/// The file paths kubeward's marker lists in `dir`.
fn ours(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join(MARKER))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Creates the folder a file of an output folder goes into, when it has one of its own.
fn create_parent(path: &Path) -> Result<(), Error> {
    match path.parent() {
        Some(parent) if !parent.exists() => fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e)),
        _ => Ok(()),
    }
}

/// Writes a file the user owns and edits (the spec `init` writes): created new, its folder
/// too when missing; an existing file is replaced (atomically) only when `replace`.
pub fn write_user_file(path: &Path, content: &[u8], replace: bool) -> Result<(), Error> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    if replace {
        return replace_file(path, content, false);
    }
    write_file(path, content, false).map_err(|e| match e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
            Error::Output(format!(
                "{} exists; pass --force to replace it",
                path.display()
            ))
        }
        other => other,
    })
}

/// Entries of `dir` that kubeward's marker does not list (none when `dir` does not exist): the
/// files of `dir` and of its sub-folders that neither the marker of `dir` nor a marker of
/// their own folder (one an earlier kubeward wrote on its own) lists; a sub-folder that holds
/// nothing of kubeward's is one entry.
fn foreign_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let listed: HashSet<String> = ours(dir).into_iter().collect();
    let mut foreign = Vec::new();
    walk_foreign(dir, "", &listed, &mut foreign)?;
    let mut foreign: Vec<PathBuf> = foreign.into_iter().map(PathBuf::from).collect();
    foreign.sort();
    Ok(foreign)
}

/// Pushes the foreign entries of `root/relative` (as `/`-separated paths); whether it holds
/// anything of kubeward's.
fn walk_foreign(
    root: &Path,
    relative: &str,
    listed: &HashSet<String>,
    foreign: &mut Vec<String>,
) -> Result<bool, Error> {
    let dir = root.join(relative);
    let read = |e| Error::io(format!("cannot read {}", dir.display()), e);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(read(e)),
    };
    let own: Vec<String> = if relative.is_empty() {
        Vec::new()
    } else {
        ours(&dir)
    };
    let mut holds_ours = false;
    for entry in entries {
        let entry = entry.map_err(read)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER {
            continue;
        }
        let key = if relative.is_empty() {
            name.clone()
        } else {
            format!("{relative}/{name}")
        };
        if entry.file_type().map_err(read)?.is_dir() {
            let mut inside = Vec::new();
            if walk_foreign(root, &key, listed, &mut inside)? {
                holds_ours = true;
                foreign.extend(inside);
            } else if !inside.is_empty() {
                foreign.push(key);
            }
        } else if listed.contains(&key) || own.contains(&name) {
            holds_ours = true;
        } else {
            foreign.push(key);
        }
    }
    Ok(holds_ours)
}

/// The tag of a temporary sibling ([`unique_sibling`]): what a killed writer leaves behind.
const TEMP_TAG: &str = "tmp";

/// Whether a file name is one of [`unique_sibling`]'s with `tag`.
fn is_sibling(name: &str, tag: &str) -> bool {
    name.contains(&format!(".kubeward-{tag}-"))
}

/// A hidden sibling name no other writer uses: process id, a per-process counter (threads of
/// a batch) and the time.
fn unique_sibling(dir: &Path, tag: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    dir.with_file_name(format!(
        ".{name}.kubeward-{tag}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

fn stage(staging: &Path, files: &[OutFile]) -> Result<(), Error> {
    fs::create_dir(staging)
        .map_err(|e| Error::io(format!("cannot create {}", staging.display()), e))?;
    for file in files {
        let path = staging.join(&file.name);
        create_parent(&path)?;
        create_file(&path, file.content.as_bytes(), file.secret)?;
    }
    create_file(&staging.join(MARKER), marker(files).as_bytes(), false).map(drop)
}

/// Writes `files` into `dir` (created when missing) beside whatever it holds. A file that
/// already exists is replaced only when `force`; otherwise nothing is written at all.
pub fn write_files(dir: &Path, files: &[OutFile], force: bool) -> Result<(), Error> {
    let existing: Vec<&str> = files
        .iter()
        .filter(|f| dir.join(&f.name).exists())
        .map(|f| f.name.as_str())
        .collect();
    if !existing.is_empty() && !force {
        return Err(Error::Output(format!(
            "{} already holds {}; pass --force to replace them",
            dir.display(),
            existing.join(", ")
        )));
    }
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    for file in files {
        let path = dir.join(&file.name);
        if existing.contains(&file.name.as_str()) {
            replace_file(&path, file.content.as_bytes(), file.secret)?;
        } else {
            write_file(&path, file.content.as_bytes(), file.secret)?;
        }
    }
    Ok(())
}

/// Writes one new file and flushes it to disk; secret-bearing files get mode 0600.
pub fn write_file(path: &Path, content: &[u8], secret: bool) -> Result<(), Error> {
    create_file(path, content, secret)?
        .sync_all()
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Writes one new file (mode 0600 when secret-bearing) and returns it, not yet flushed.
fn create_file(path: &Path, content: &[u8], secret: bool) -> Result<fs::File, Error> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    let mut file = options
        .open(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    file.write_all(content)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(file)
}

/// Replaces `path` atomically: writes a temporary file beside it, then renames it over.
pub fn replace_file(path: &Path, content: &[u8], secret: bool) -> Result<(), Error> {
    let temp = unique_sibling(path, TEMP_TAG);
    write_file(&temp, content, secret).and_then(|()| {
        fs::rename(&temp, path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            Error::io(format!("cannot replace {}", path.display()), e)
        })
    })
}

/// Puts `staging` in place of `dir`, moving any old folder aside first.
fn swap(staging: &Path, dir: &Path) -> Result<(), Error> {
    let old = unique_sibling(dir, "old");
    let had_old = dir.exists();
    if had_old {
        fs::rename(dir, &old)
            .map_err(|e| Error::io(format!("cannot replace {}", dir.display()), e))?;
    }
    if let Err(e) = fs::rename(staging, dir) {
        if had_old {
            let _ = fs::rename(&old, dir);
        }
        return Err(Error::io(
            format!("cannot move the new files into {}", dir.display()),
            e,
        ));
    }
    if had_old {
        fs::remove_dir_all(&old)
            .map_err(|e| Error::io(format!("cannot remove {}", old.display()), e))?;
    }
    Ok(())
}
