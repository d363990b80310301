//! The only module that writes files: a folder of manifests written atomically (a temporary
//! sibling folder, then a rename), secret-bearing files with mode 0600, and never over files
//! kubeward did not write unless forced.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The record of what kubeward wrote into an output folder.
pub const MARKER: &str = ".kubeward-output";

/// A file to write: name inside the folder, content, and whether it holds secret material.
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
/// A folder that is new or holds only kubeward's files is replaced whole: a staging folder
/// beside it, then a rename. A folder with other files (allowed only with `force`) is never
/// moved: each file is replaced atomically in place, the user's files stay where they are,
/// and files of an earlier render that are no longer planned are removed.
pub fn write_dir(dir: &Path, files: &[OutFile], force: bool) -> Result<(), Error> {
    check_dir(dir, force)?;
    let dir = absolute(dir)?;
    if foreign_entries(&dir)?.is_empty() {
        let parent = dir.parent().unwrap_or(Path::new("/"));
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        let staging = unique_sibling(&dir, "tmp");
        let result = stage(&staging, files).and_then(|()| swap(&staging, &dir));
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        return result;
    }
    let previous = ours(&dir);
    for file in files {
        replace_file(&dir.join(&file.name), file.content.as_bytes(), file.secret)?;
    }
    for stale in previous
        .iter()
        .filter(|name| !files.iter().any(|f| &f.name == *name))
    {
        let _ = fs::remove_file(dir.join(stale));
    }
    replace_file(&dir.join(MARKER), marker(files).as_bytes(), false)
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

/// The file names kubeward's marker lists in `dir`.
fn ours(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join(MARKER))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
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

/// Entries of `dir` that kubeward's marker does not list (none when `dir` does not exist).
fn foreign_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = |e| Error::io(format!("cannot read {}", dir.display()), e);
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(read(e)),
    };
    let ours = ours(dir);
    let mut foreign = Vec::new();
    for entry in entries {
        let name = entry
            .map_err(read)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != MARKER && !ours.contains(&name) {
            foreign.push(PathBuf::from(name));
        }
    }
    foreign.sort();
    Ok(foreign)
}

fn unique_sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    dir.with_file_name(format!(
        ".{name}.kubeward-{tag}-{}-{nanos}",
        std::process::id()
    ))
}

fn stage(staging: &Path, files: &[OutFile]) -> Result<(), Error> {
    fs::create_dir(staging)
        .map_err(|e| Error::io(format!("cannot create {}", staging.display()), e))?;
    for file in files {
        write_file(
            &staging.join(&file.name),
            file.content.as_bytes(),
            file.secret,
        )?;
    }
    write_file(&staging.join(MARKER), marker(files).as_bytes(), false)
}

/// Writes one new file; secret-bearing files are created with mode 0600.
pub fn write_file(path: &Path, content: &[u8], secret: bool) -> Result<(), Error> {
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
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Replaces `path` atomically: writes a temporary file beside it, then renames it over.
pub fn replace_file(path: &Path, content: &[u8], secret: bool) -> Result<(), Error> {
    let temp = unique_sibling(path, "tmp");
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
