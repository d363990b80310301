//! Finding the specs a command is given: a file as given; a folder as every `*.yaml`/`*.yml`
//! file under it (hidden folders such as `.kubeward/` and `.git/` skipped) whose `kind` is
//! `SecureService`, and every `kubeward.yaml` whatever it holds. Other YAML (presets, rendered
//! output, a chart's values) is passed over; a file that is not YAML is an error naming it.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_saphyr::granit_parser::{Event, Parser};

use super::model::KIND;
use crate::error::{Error, Failure};

/// The file name that is always a spec.
pub const SPEC_FILE: &str = "kubeward.yaml";

/// The specs the paths name, in order: each file as given, each folder's sorted by path. A spec
/// named twice is found once. A folder without any spec, an unreadable folder and a file in
/// it that is not YAML are failures, each with its path.
pub fn discover(paths: &[PathBuf]) -> Vec<Result<PathBuf, Failure>> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            found.push(Ok(path.clone()));
            continue;
        }
        let mut specs = Vec::new();
        let before = found.len();
        walk(path, &mut specs, &mut found);
        if specs.is_empty() && found.len() == before {
            found.push(Err(failure(
                path,
                Error::Usage(format!(
                    "no spec in this folder or its sub-folders: no {SPEC_FILE}, and no other .yaml file of kind {KIND}"
                )),
            )));
        }
        specs.sort();
        found.extend(specs.into_iter().map(Ok));
    }
    let mut seen = HashSet::new();
    found.retain(|spec| match spec {
        Ok(path) => seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone())),
        Err(_) => true,
    });
    found
}

fn failure(path: &Path, error: Error) -> Failure {
    Failure {
        spec: path.to_path_buf(),
        error,
    }
}

fn walk(dir: &Path, specs: &mut Vec<PathBuf>, failures: &mut Vec<Result<PathBuf, Failure>>) {
    let entries = match fs::read_dir(dir).and_then(|entries| entries.collect::<Result<Vec<_>, _>>())
    {
        Ok(entries) => entries,
        Err(e) => {
            let error = Error::io(format!("cannot read folder {}", dir.display()), e);
            failures.push(Err(failure(dir, error)));
            return;
        }
    };
    for entry in entries {
        let name = entry.file_name();
        let path = entry.path();
        if path.is_dir() {
            if !name.to_string_lossy().starts_with('.') {
                walk(&path, specs, failures);
            }
        } else if name == SPEC_FILE {
            specs.push(path);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            match fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|t| declares_spec(&t)) {
                Ok(true) => specs.push(path),
                Ok(false) => {}
                Err(why) => failures.push(Err(failure(
                    &path,
                    Error::Usage(format!(
                        "is not YAML ({why}); every .yaml file under a folder given with -f is read, to find the specs of kind {KIND}: fix it or move it out"
                    )),
                ))),
            }
        }
    }
}

/// Whether some document of `text` is a mapping whose top-level `kind` is `SecureService`;
/// the parser's message when the text is not YAML.
pub fn declares_spec(text: &str) -> Result<bool, String> {
    let mut depth = 0usize;
    let mut root_is_mapping = false;
    let mut at_key = true;
    let mut key_is_kind = false;
    let mut found = false;
    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(|e| e.to_string())?;
        let top = depth == 1 && root_is_mapping;
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 0 {
                    root_is_mapping = matches!(event, Event::MappingStart(..));
                }
                if top {
                    at_key = !at_key;
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::Scalar(value, ..) if top => {
                if at_key {
                    key_is_kind = value == "kind";
                } else if key_is_kind && value == KIND {
                    found = true;
                }
                at_key = !at_key;
            }
            Event::Alias(..) if top => at_key = !at_key,
            Event::DocumentStart(..) => {
                depth = 0;
                at_key = true;
            }
            _ => {}
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_top_level_kind_makes_a_spec() {
        for (text, expected) in [
            (
                "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\n",
                true,
            ),
            ("{kind: SecureService}", true),
            ("kind: Preset\nspec: {kind: SecureService}\n", false),
            (
                "metadata:\n  kind: SecureService\nkind: Deployment\n",
                false,
            ),
            ("items:\n  - kind: SecureService\n", false),
            ("kind: Deployment\n---\nkind: SecureService\n", true),
            ("- kind: SecureService\n", false),
            ("- kind\n- SecureService\n", false),
            ("just text\n", false),
            ("", false),
        ] {
            assert_eq!(declares_spec(text), Ok(expected), "{text:?}");
        }
        assert!(declares_spec("a: [1,\n").is_err());
        assert!(declares_spec("{%- set w = plan.workload -%}\nkind: SecureService\n").is_err());
    }
}
