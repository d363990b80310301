//! An advisory lock on a folder: an exclusive `flock` on its `.lock` file (std's
//! [`File::lock`]), held by one process at a time and released when that process ends,
//! however it ends. The threads of one process share it. Whoever takes it fresh first finishes
//! what a killed writer left in the folder ([`together::recover`]). A process that must wait
//! says so on stderr, with the id of the process that holds it.

use std::collections::HashMap;
use std::fs::{self, File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use super::{together, ui};
use crate::error::Error;

/// The lock file inside a locked folder; it stays there (removing it would let two processes
/// lock two different files of one name).
pub const LOCK_FILE: &str = ".lock";

/// A held lock; released when the last holder in this process drops it.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

/// One folder's lock in this process: empty until taken; locked while being taken.
type Slot = Arc<Mutex<Weak<DirLock>>>;

/// The folders this process holds, each behind its own mutex, so that threads waiting for one
/// folder do not hold up threads locking another.
static HELD: LazyLock<Mutex<HashMap<PathBuf, Slot>>> = LazyLock::new(Mutex::default);

/// Locks `dir` (which exists) for this process, waiting for another process that holds it.
/// `what` names the folder in the waiting message ("the state folder").
pub fn lock(dir: &Path, what: &str) -> Result<Arc<DirLock>, Error> {
    let key = fs::canonicalize(dir)
        .map_err(|e| Error::io(format!("cannot resolve {}", dir.display()), e))?;
    let slot = Arc::clone(
        HELD.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key.clone())
            .or_default(),
    );
    let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(lock) = slot.upgrade() {
        return Ok(lock);
    }
    let lock = Arc::new(take(&key, what)?);
    together::recover(&key)?;
    *slot = Arc::downgrade(&lock);
    Ok(lock)
}

/// Takes the lock of `dir` for this process, saying so when another process holds it.
fn take(dir: &Path, what: &str) -> Result<DirLock, Error> {
    let path = dir.join(LOCK_FILE);
    let failed = |e| Error::io(format!("cannot lock {}", path.display()), e);
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(failed)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            ui::status(&format!(
                "waiting for {what} {} held by another kubeward{}",
                dir.display(),
                holder(&mut file)
                    .map(|pid| format!(" (process {pid})"))
                    .unwrap_or_default()
            ));
            file.lock().map_err(failed)?;
        }
        Err(TryLockError::Error(e)) => return Err(failed(e)),
    }
    // The holder's process id, for the message of the next one to wait.
    let pid = std::process::id().to_string();
    file.set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(pid.as_bytes()))
        .map_err(failed)?;
    Ok(DirLock { _file: file })
}

/// The process id the holder wrote into the lock file, if it did.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
