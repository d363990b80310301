//! A Sealed Secrets controller's key pair for the tests, made by openssl as the controller
//! makes its own: a self-signed certificate for a fresh RSA key.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A controller's private key and certificate, in a folder of their own.
pub struct Controller {
    _dir: tempfile::TempDir,
    pub key: PathBuf,
    pub cert: PathBuf,
}

/// Runs `openssl ARGS`, which must succeed.
pub fn openssl(args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs (scripts/install-tools.sh installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes a self-signed certificate, valid for 30 days, to `cert`, for a new key that
/// `openssl req` makes with `new_key` (e.g. `["-newkey", "rsa:4096"]`) and writes to `key`.
pub fn self_signed(new_key: &[&str], key: &Path, cert: &Path) {
    let mut args = vec!["req", "-x509"];
    args.extend_from_slice(new_key);
    args.extend([
        "-nodes",
        "-keyout",
        key.to_str().unwrap(),
        "-out",
        cert.to_str().unwrap(),
        "-days",
        "30",
        "-subj",
        "/CN=sealed-secret/O=sealed-secret",
    ]);
    openssl(&args);
}

/// Writes a self-signed certificate for a new RSA key of `bits` to `cert` (and the key to
/// `key`), valid for 30 days.
pub fn key_pair(bits: u32, key: &Path, cert: &Path) {
    self_signed(&["-newkey", &format!("rsa:{bits}")], key, cert);
}

/// A new controller with an RSA key of `bits`.
pub fn controller(bits: u32) -> Controller {
    let dir = tempfile::tempdir().unwrap();
    let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
    key_pair(bits, &key, &cert);
    Controller {
        _dir: dir,
        key,
        cert,
    }
}
