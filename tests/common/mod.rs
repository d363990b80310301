//! Helpers shared by the integration tests: the repository's files and the JSON Schemas here,
//! and in the submodules running the binary ([`run`]), reading its bundles ([`bundle`]), the
//! specs tests start from ([`spec`]), the book's pages ([`book`]), the cluster specs and
//! control-plane files of `kubeward cluster` ([`cluster`]), the control-plane manifests
//! `kubeward check` is tested on ([`control_plane`]) and a Sealed Secrets controller's key pair
//! ([`sealing`]).
#![allow(dead_code)] // each test binary uses its own subset

pub mod book;
pub mod bundle;
pub mod cluster;
pub mod control_plane;
pub mod crds;
pub mod run;
pub mod sealing;
pub mod spec;
pub mod tls;

use std::path::{Path, PathBuf};

use kubeward::cli::schema::{self, SchemaKind};
use serde_json::Value;

/// The repository itself.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path inside the repository.
pub fn repo(relative: &str) -> PathBuf {
    root().join(relative)
}

/// A file of the repository as text.
pub fn read(relative: &str) -> String {
    std::fs::read_to_string(repo(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// A file anywhere as text.
pub fn read_path(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Writes a file, creating the folders it is in.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    let parent = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The names in a folder, hidden ones too, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file under `dir`, in its sub-folders too, sorted by path.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A manifest of `tests/fixtures/check`, the files `kubeward check` is tested on.
pub fn check_fixture(name: &str) -> PathBuf {
    repo("tests/fixtures/check").join(name)
}

/// One YAML document as a JSON value, as a schema-aware editor sees it.
pub fn yaml_value(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

/// The generated schema of `kind`, compiled as draft-07.
pub fn validator(kind: SchemaKind) -> jsonschema::Validator {
    jsonschema::draft7::new(&schema::schema(kind)).expect("the generated schema compiles")
}

/// Why `value` does not match the schema (empty when it does).
pub fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}
