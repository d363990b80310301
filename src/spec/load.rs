//! Reading a spec file: YAML into the model, with parse errors that name the field and the line.

use std::path::{Path, PathBuf};

use super::model::SpecFile;
use crate::error::{FieldError, SpecError};
use crate::yaml::locate::Locator;

/// A spec file read from disk, with what is needed to point errors at lines.
#[derive(Debug)]
pub struct LoadedSpec {
    pub path: PathBuf,
    pub spec: SpecFile,
    pub locator: Locator,
}

/// Reads and parses `path`. Unknown fields and wrong types are errors naming the field and line.
pub fn load(path: &Path) -> Result<LoadedSpec, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` is used only in messages.
pub fn parse(path: &Path, text: &str) -> Result<LoadedSpec, SpecError> {
    let locator = Locator::new(text);
    let spec = serde_saphyr::from_str::<SpecFile>(text).map_err(|err| {
        let hint =
            "is SecureCluster, a cluster spec: render it with `kubeward cluster -f FILE -o DIR`";
        SpecError::Invalid {
            path: Some(path.to_path_buf()),
            errors: vec![
                other_kind(text, &locator, "SecureCluster", hint)
                    .unwrap_or_else(|| locator.locate(&err)),
            ],
        }
    })?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        spec,
        locator,
    })
}

/// When a file that does not parse is of kind `kind` (a kubeward file for another command),
/// the error that says so at its `kind` line.
pub fn other_kind(text: &str, locator: &Locator, kind: &str, hint: &str) -> Option<FieldError> {
    let value = serde_saphyr::from_str::<serde_json::Value>(text).ok()?;
    (value["kind"] == kind).then(|| FieldError::new("kind", hint).at_line(locator.line_of("kind")))
}
