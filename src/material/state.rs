//! The state folder (`.kubeward/` beside the spec): generated material kept between renders
//! so that a re-render is byte-identical. Mode 0700, files 0600, a `.gitignore`, every file
//! replaced atomically; a file that cannot be read as what it should be is an error naming it,
//! never silently regenerated.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::output;

pub const DEFAULT_DIR: &str = ".kubeward";

/// An opened state folder.
#[derive(Debug, Clone)]
pub struct State {
    root: PathBuf,
}

impl State {
    /// Opens `root`, creating it (0700, with a `.gitignore`) on first use.
    pub fn open(root: &Path) -> Result<Self, Error> {
        if !root.exists() {
            create_private_dir(root)?;
            output::replace_file(
                &root.join(".gitignore"),
                b"# kubeward state: secrets and private keys. Never commit.\n*\n",
                true,
            )?;
        } else if !root.is_dir() {
            return Err(Error::State(format!("{} is not a folder", root.display())));
        }
        Ok(State {
            root: root.to_path_buf(),
        })
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
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
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
        output::replace_file(&path, content, true)
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
