//! The specs tests start from: the pinned image, the head of a spec, the shipped examples.

use std::path::PathBuf;

use super::repo;

/// The digest images are pinned to, as a literal (for `concat!`).
macro_rules! digest {
    () => {
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    };
}

/// [`IMAGE`] as a literal (for `concat!`).
macro_rules! image {
    () => {
        concat!("ghcr.io/acme/api:1.0@", $crate::common::spec::digest!())
    };
}

/// The head of the spec of the service `api` in namespace `shop`, down to and with `spec:`,
/// as a literal (for `concat!`): 1 apiVersion, 2 kind, 3 metadata, 4 name, 5 namespace,
/// 6 spec.
macro_rules! api_head {
    () => {
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata:\n  name: api\n  namespace: shop\nspec:\n"
    };
}

#[allow(unused_imports)] // each test binary uses its own subset
pub(crate) use {api_head, digest, image};

/// The digest images are pinned to.
pub const DIGEST: &str = digest!();

/// A pinned image of the `api` service.
pub const IMAGE: &str = image!();

/// A spec of the service `name` in `namespace`, with `body` (lines indented by two spaces)
/// under `spec:`.
pub fn spec(name: &str, namespace: &str, body: &str) -> String {
    format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n{body}"
    )
}

/// The spec of `api` in `shop` on the pinned [`IMAGE`] and port 8443, with `body` after them.
pub fn api_spec(body: &str) -> String {
    format!("{}  image: {IMAGE}\n  port: 8443\n{body}", api_head!())
}

/// The shipped examples: (name, spec path), sorted by name: every folder of `tests/examples`
/// that holds a `kubeward.yaml`.
pub fn examples() -> Vec<(String, PathBuf)> {
    let root = repo("tests/examples");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("tests/examples")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("kubeward.yaml").is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, p.join("kubeward.yaml"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no examples under {}", root.display());
    out
}

/// The spec of the shipped example `name`: `tests/examples/NAME/kubeward.yaml`.
pub fn example(name: &str) -> PathBuf {
    repo("tests/examples").join(name).join("kubeward.yaml")
}

/// Copies the shipped example `name` (its spec and the files beside it, such as a CA
/// certificate it names) into the folder `to`.
pub fn copy_example(name: &str, to: &std::path::Path) {
    let from = repo("tests/examples").join(name);
    for entry in std::fs::read_dir(&from).expect("an example folder") {
        let path = entry.unwrap().path();
        if path.is_file() {
            super::write(
                &to.join(path.file_name().unwrap()),
                std::fs::read(&path).unwrap(),
            );
        }
    }
}
