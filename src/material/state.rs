//! The state folder (`.kubeward/` beside the spec): generated material kept between renders
//! so that a re-render is byte-identical. Mode 0700, files 0600, a `.gitignore`; locked while
//! opened (one process at a time reads, generates and writes it: concurrent renders of one
//! spec agree); every material set (a key and its certificate) replaced as one, atomically and
//! flushed, so that a render killed at any point leaves each set as it was or complete. A file
//! that cannot be read as what it should be is an error naming it, never silently regenerated.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
use crate::output;
use crate::output::lock::{self, DirLock};

pub const DEFAULT_DIR: &str = ".kubeward";

/// An opened state folder, locked for this process until the last clone is dropped.
#[derive(Debug, Clone)]
pub struct State {
    root: PathBuf,
    _lock: Arc<DirLock>,
}

impl State {
    /// Opens `root`, creating it (0700, with a `.gitignore`) on first use, and locks it,
    /// waiting (and saying so) while another process holds it.
    pub fn open(root: &Path) -> Result<Self, Error> {
        let created = !root.exists();
        if created {
            create_private_dir(root)?;
        } else if !root.is_dir() {
            return Err(Error::State(format!("{} is not a folder", root.display())));
        }
        let state = State {
            root: root.to_path_buf(),
            _lock: lock::lock(root, "the state folder")?,
        };
        // Written holding the lock: whoever takes the lock next clears unfinished writes.
        if created {
            state.write(
                ".gitignore",
                b"# kubeward state: secrets and private keys. Never commit.\n*\n",
            )?;
        }
        Ok(state)
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Reads a state file, `None` when it does not exist.
    pub fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, Error> {
        let path = self.path(relative);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(
                format!("cannot read state file {}", path.display()),
                e,
            )),
        }
    }

    /// Reads a state file that must be UTF-8 text.
    pub fn read_text(&self, relative: &str) -> Result<Option<String>, Error> {
        self.read(relative)?
            .map(|bytes| {
                String::from_utf8(bytes).map_err(|_| self.corrupt(relative, "is not text"))
            })
            .transpose()
    }

    /// Writes a state file atomically with mode 0600, creating its folders with mode 0700.
    pub fn write(&self, relative: &str, content: &[u8]) -> Result<(), Error> {
        self.write_set(&[(relative, content)])
    }

    /// Writes the files of one material set (a key and its certificate) as one: a render
    /// killed while writing them leaves all of them as they were, or all of them new.
    pub fn write_set(&self, files: &[(&str, &[u8])]) -> Result<(), Error> {
        for (relative, _) in files {
            if let Some(parent) = self.path(relative).parent() {
                let mut missing = Vec::new();
                let mut dir = parent;
                while !dir.exists() {
                    missing.push(dir.to_path_buf());
                    dir = dir.parent().unwrap_or(Path::new("."));
                }
                for dir in missing.iter().rev() {
                    create_private_dir(dir)?;
                }
            }
        }
        output::together::replace(&self.root, files, true)
    }

    /// The error for a state file that is not what kubeward wrote.
    pub fn corrupt(&self, relative: &str, why: &str) -> Error {
        Error::State(format!(
            "state file {} {why}; kubeward will not replace it on its own (that would rotate credentials). Restore it, or delete it to generate new material",
            self.path(relative).display()
        ))
    }
}

fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Error::io(format!("cannot create state folder {}", dir.display()), e))
}
