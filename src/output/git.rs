//! Whether files about to be written into a folder would be committed to git: the work tree
//! the folder is in, and which of the files git's own ignore rules leave out (every
//! `.gitignore` on the way, `.git/info/exclude`, `core.excludesFile`), both asked of `git`
//! itself (`rev-parse --show-toplevel`, `check-ignore`), so that its rules are read exactly.
//! A file git already tracks counts as committed whatever the rules say, as it is for git.
//! Without git on the machine, or outside any work tree, there is nothing to ask. Then what
//! `render` says about the files of a bundle that hold secret values (`exposure`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Warning};

/// The files of a folder that git would commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committable {
    /// The top of the work tree the folder is in.
    pub work_tree: PathBuf,
    /// The names (inside the folder) that no ignore rule leaves out.
    pub files: Vec<String>,
}

/// Of `names` (files to be written into `dir`, which may not exist yet), those git would
/// commit; `None` when `dir` is in no git work tree, or git is not installed.
pub fn committable(dir: &Path, names: &[String]) -> Result<Option<Committable>, Error> {
    let Some((work_tree, relative)) = work_tree_of(dir)? else {
        return Ok(None);
    };
    if names.is_empty() {
        return Ok(Some(Committable {
            work_tree,
            files: Vec::new(),
        }));
    }
    let paths: Vec<String> = names
        .iter()
        .map(|name| relative.join(name).to_string_lossy().into_owned())
        .collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(&work_tree)
        .args(["check-ignore", "--stdin", "-z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("cannot run git check-ignore", e))?;
    let mut input = Vec::new();
    for path in &paths {
        input.extend_from_slice(path.as_bytes());
        input.push(0);
    }
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(&input)
            .map_err(|e| Error::io("cannot ask git check-ignore", e))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| Error::io("cannot run git check-ignore", e))?;
    // 0: some paths are ignored, 1: none is; anything else is git failing.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(Error::Output(format!(
            "git check-ignore failed in {}: {}",
            work_tree.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let ignored: Vec<&[u8]> = output
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .collect();
    let files = names
        .iter()
        .zip(&paths)
        .filter(|(_, path)| !ignored.contains(&path.as_bytes()))
        .map(|(name, _)| name.clone())
        .collect();
    Ok(Some(Committable { work_tree, files }))
}

/// The work tree `dir` is in, and `dir` relative to its top; `None` outside any.
fn work_tree_of(dir: &Path) -> Result<Option<(PathBuf, PathBuf)>, Error> {
    let absolute = std::path::absolute(dir)
        .map_err(|e| Error::io(format!("cannot resolve {}", dir.display()), e))?;
    // The nearest folder that exists, with links resolved as git resolves them; the rest of
    // the path is still to be created.
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    while !existing.is_dir() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            return Ok(None);
        };
        missing.push(name.to_os_string());
        existing = parent;
    }
    let Ok(existing) = existing.canonicalize() else {
        return Ok(None);
    };
    let output = match Command::new("git")
        .arg("-C")
        .arg(&existing)
        .args(["rev-parse", "--show-toplevel"])
        .stderr(Stdio::null())
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot run git rev-parse", e)),
    };
    let top = String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_string();
    if !output.status.success() || top.is_empty() {
        return Ok(None);
    }
    let top = PathBuf::from(top);
    let Ok(inside) = existing.strip_prefix(&top) else {
        return Ok(None);
    };
    let relative = missing
        .iter()
        .rev()
        .fold(inside.to_path_buf(), |path, name| path.join(name));
    Ok(Some((top, relative)))
}

/// What to say about `files` (those of the output holding secret values in base64) before
/// they are written into `dir` (`None`: the stream on stdout): a warning when git would
/// commit some of them; with `gitops`, an error (exit 2) instead, and also when git cannot
/// tell (the stream, or a folder outside any work tree), for then nothing keeps them out.
pub fn exposure(
    dir: Option<&Path>,
    files: &[String],
    gitops: bool,
) -> Result<Option<Warning>, Error> {
    if files.is_empty() {
        return Ok(None);
    }
    let committed = match dir {
        Some(dir) => committable(dir, files)?,
        None => None,
    };
    let (subject, exposed) = match (dir, committed) {
        (Some(dir), Some(committed)) if !committed.files.is_empty() => (
            format!(
                "git would commit {} file(s) of the work tree {} that hold secret values in base64: {}",
                committed.files.len(),
                committed.work_tree.display(),
                shown(dir, &committed.files)
            ),
            true,
        ),
        (Some(_), Some(_)) => return Ok(None),
        (Some(dir), None) => (
            format!(
                "{} file(s) hold secret values in base64 and {} is in no git work tree, so nothing keeps them out of one: {}",
                files.len(),
                dir.display(),
                shown(dir, files)
            ),
            false,
        ),
        (None, _) => (
            format!(
                "the stream holds {} Secret(s) with values in base64, and where it goes git cannot tell",
                files.len()
            ),
            false,
        ),
    };
    let message = format!(
        "{subject}; seal every Secret for the cluster's Sealed Secrets controller (spec.sealing, or --seal-cert PATH), or keep each value in an external store (secrets[].fromStore, and tls.mode cert-manager for the keys){}",
        if exposed {
            ", or ignore the files in .gitignore"
        } else {
            ""
        }
    );
    if gitops {
        return Err(Error::Usage(format!(
            "--gitops: {message}; nothing was written"
        )));
    }
    Ok(exposed.then(|| Warning::new(SECRETS_IN_GIT, message)))
}

/// The id of the warning about secret values git would commit.
pub const SECRETS_IN_GIT: &str = "secrets-in-git";

fn shown(dir: &Path, files: &[String]) -> String {
    files
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
