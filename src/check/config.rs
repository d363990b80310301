//! The check configuration file (`kubeward check --config FILE`), kept beside the CI
//! configuration so that a pipeline's audit is written once: whether the manifests' own
//! suppression annotations count, the suppressions file, and the presets whose floors apply.
//! What it sets only adds to the flags: it can ignore inline suppressions, never restore them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::spec::document::Document;

/// The `kind` of a check configuration file.
pub const KIND: &str = "CheckConfiguration";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConfigFile {
    api_version: String,
    kind: String,
    #[serde(default = "yes")]
    inline_suppressions: bool,
    #[serde(default)]
    suppressions: Option<String>,
    #[serde(default)]
    presets: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A check configuration, its paths taken from the file's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `false`: the suppression annotations in the checked manifests do not count.
    pub inline_suppressions: bool,
    /// The suppressions file, relative to the current folder.
    pub suppressions: Option<PathBuf>,
    /// Presets (names or paths relative to the current folder) whose floors apply.
    pub presets: Vec<String>,
}

/// Reads the check configuration `path`.
pub fn load(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::io(
            format!("cannot read the check configuration {}", path.display()),
            e,
        )
    })?;
    let name = path.display().to_string();
    let file: ConfigFile = Document::new(&name, "check configuration", &text)
        .parse(KIND, |f: &ConfigFile| (&f.api_version, &f.kind))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let relative = |p: &str| dir.join(p);
    let is_path = |p: &str| p.contains('/') || p.ends_with(".yaml") || p.ends_with(".yml");
    Ok(Config {
        inline_suppressions: file.inline_suppressions,
        suppressions: file.suppressions.as_deref().map(relative),
        presets: file
            .presets
            .iter()
            .map(|p| match is_path(p) {
                true => relative(p).display().to_string(),
                false => p.clone(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ci/kubeward-check.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn paths_are_taken_from_the_file_and_names_kept() {
        let (_dir, path) = write(
            "apiVersion: kubeward.dev/v1alpha1\nkind: CheckConfiguration\ninlineSuppressions: false\nsuppressions: accepted.yaml\npresets: [acme, ./team.yaml]\n",
        );
        let config = load(&path).unwrap();
        let ci = path.parent().unwrap();
        assert!(!config.inline_suppressions);
        assert_eq!(config.suppressions, Some(ci.join("accepted.yaml")));
        assert_eq!(
            config.presets,
            [
                "acme".to_string(),
                ci.join("./team.yaml").display().to_string()
            ]
        );
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line() {
        let (_dir, path) = write(
            "apiVersion: kubeward.dev/v1alpha1\nkind: CheckConfiguration\ninlineSupressions: false\n",
        );
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("line 3: inlineSupressions"), "{err}");
    }
}
