//! Required presets: the preset an organisation requires of every render, from
//! `--require-preset NAME`, the `KUBEWARD_REQUIRED_PRESET` variable, or `requirePreset` in the
//! presets folder's own `kubeward-presets.yaml`. Every requirement holds at once (a flag cannot
//! replace the variable). A chain meets a requirement when one of its links is the required
//! preset itself, found where a name is found (shipped, or the presets folder): a file that
//! reuses the name does not count.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::resolve::{Lookup, Origin, Resolved, is_path};
use crate::error::Error;
use crate::spec::document::Document;
use crate::spec::names::dns_label;

/// The variable that requires a preset, for CI and shells.
pub const ENV: &str = "KUBEWARD_REQUIRED_PRESET";
/// The variable that names the presets folder (read here to notice a flag replacing it).
pub const PRESETS_DIR_ENV: &str = "KUBEWARD_PRESETS_DIR";
/// The presets folder's own configuration file; no preset may take its name.
pub const FOLDER_CONFIG: &str = "kubeward-presets.yaml";
/// The `kind` of [`FOLDER_CONFIG`].
pub const FOLDER_CONFIG_KIND: &str = "PresetsFolder";

/// Where a requirement was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    /// `requirePreset` in the presets folder's configuration file, at a line.
    Folder {
        path: PathBuf,
        line: Option<usize>,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("--require-preset"),
            Source::Env => f.write_str(ENV),
            Source::Folder { path, line } => {
                write!(f, "requirePreset in {}", path.display())?;
                match line {
                    Some(line) => write!(f, " (line {line})"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// One preset every chain must include, and where that was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub source: Source,
}

/// The presets folder's configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FolderConfig {
    api_version: String,
    kind: String,
    /// The preset every render that uses this folder must include in its chain.
    #[serde(default)]
    require_preset: Option<String>,
}

/// Every requirement in force: the flag's (`lookup.require`), the variable's (`env`, the value
/// of [`ENV`]) and the presets folder's. A requirement that names no preset (empty, a path, not
/// a name) is an error, never ignored.
pub fn requirements(lookup: Lookup, env: Option<&str>) -> Result<Vec<Requirement>, Error> {
    let mut out = Vec::new();
    if let Some(name) = lookup.require {
        out.push(Requirement {
            name: name.to_string(),
            source: Source::Flag,
        });
    }
    if let Some(name) = env {
        out.push(Requirement {
            name: name.to_string(),
            source: Source::Env,
        });
    }
    if let Some(dir) = lookup.presets_dir {
        out.extend(folder_requirement(dir)?);
    }
    for requirement in &out {
        let name = &requirement.name;
        if is_path(name) || dns_label(name).is_err() {
            let what = if name.is_empty() {
                "is empty".to_string()
            } else {
                format!("`{name}` is not a preset name")
            };
            return Err(Error::Usage(format!(
                "the required preset ({}) {what}: name a shipped preset or one of the presets folder (NAME.yaml), not a path",
                requirement.source
            )));
        }
    }
    Ok(out)
}

/// The requirements in force in this process: [`requirements`] with the value of [`ENV`].
pub fn in_force(lookup: Lookup) -> Result<Vec<Requirement>, Error> {
    let env = match std::env::var_os(ENV) {
        None => None,
        Some(value) => Some(value.into_string().map_err(|_| {
            Error::Usage(format!(
                "{ENV} is not valid UTF-8: name a shipped preset or one of the presets folder"
            ))
        })?),
    };
    requirements(lookup, env.as_deref())
}

/// The requirement of the presets folder's configuration file, if it has one.
fn folder_requirement(dir: &Path) -> Result<Option<Requirement>, Error> {
    let path = dir.join(FOLDER_CONFIG);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let name = path.display().to_string();
    let document = Document::new(&name, "presets folder configuration", &text);
    let config: FolderConfig = document.parse(FOLDER_CONFIG_KIND, |c: &FolderConfig| {
        (&c.api_version, &c.kind)
    })?;
    Ok(config.require_preset.map(|name| Requirement {
        name,
        source: Source::Folder {
            line: document.line_of("requirePreset"),
            path,
        },
    }))
}

/// What `resolved` (the chain of a spec's preset) fails of `requirements`, one message each,
/// naming the requirement and where it was set; empty when every one is met.
pub fn unmet(resolved: &Resolved, requirements: &[Requirement], lookup: Lookup) -> Vec<String> {
    let mut out = Vec::new();
    if !requirements.is_empty()
        && let Some(message) = replaced_folder(lookup)
    {
        out.push(message);
    }
    let mut names: Vec<&str> = requirements.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let sources: Vec<String> = requirements
            .iter()
            .filter(|r| r.name == name)
            .map(|r| r.source.to_string())
            .collect();
        let (source, verb) = match sources.len() {
            1 => (sources.join(""), "requires"),
            _ => (sources.join(" and "), "require"),
        };
        let required = match lookup.locate(name, None) {
            Ok((origin, _)) => origin,
            Err(why) => {
                out.push(format!(
                    "the preset `{name}`, which {source} {verb}, cannot be found: {why}"
                ));
                continue;
            }
        };
        match resolved.chain.iter().find(|link| link.name == name) {
            Some(link) if link.origin == required => {}
            Some(link) => out.push(format!(
                "the chain {} has {}, not {}, which {source} {verb}: a preset file may not take the name of the required preset; name the required preset, or a preset that extends it",
                resolved.chain_text(),
                described(name, &link.origin),
                described(name, &required),
            )),
            None => out.push(format!(
                "the chain {} does not include {}, which {source} {verb}: name it, or a preset that extends it",
                resolved.chain_text(),
                described(name, &required),
            )),
        }
    }
    out
}

/// A preset by name and where it was found: `the shipped preset baseline`, or `acme from PATH`.
fn described(name: &str, origin: &Origin) -> String {
    match origin {
        Origin::Shipped => format!("the shipped preset `{name}`"),
        Origin::File(_) => format!("`{name}` from {origin}"),
    }
}

/// With a preset required, a `--presets-dir` flag may not replace the folder the
/// [`PRESETS_DIR_ENV`] variable names: the required preset is the one of that folder.
fn replaced_folder(lookup: Lookup) -> Option<String> {
    let env = std::env::var_os(PRESETS_DIR_ENV).filter(|v| !v.is_empty())?;
    let env = PathBuf::from(env);
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    match lookup.presets_dir {
        Some(dir) if same(dir, &env) => None,
        Some(dir) => Some(format!(
            "--presets-dir {} replaces the presets folder of {PRESETS_DIR_ENV} ({}), and a preset is required: the required preset is the one of {PRESETS_DIR_ENV}'s folder",
            dir.display(),
            env.display()
        )),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::resolve;

    fn preset_file(name: &str, extends: &str) -> String {
        format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: {name}\nextends: {extends}\n"
        )
    }

    struct Folder(tempfile::TempDir);

    impl Folder {
        fn new(files: &[(&str, &str)]) -> Self {
            let dir = tempfile::tempdir().unwrap();
            for (name, body) in files {
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, body).unwrap();
            }
            Folder(dir)
        }

        fn presets(&self) -> PathBuf {
            self.0.path().join("presets")
        }

        fn lookup<'a>(&'a self, dir: &'a Path, require: Option<&'a str>) -> Lookup<'a> {
            Lookup {
                presets_dir: Some(dir),
                require,
            }
        }
    }

    fn acme_folder() -> Folder {
        Folder::new(&[
            ("presets/acme.yaml", &preset_file("acme", "restricted")),
            ("presets/team.yaml", &preset_file("team", "acme")),
            ("local/acme.yaml", &preset_file("acme", "baseline")),
        ])
    }

    fn unmet_for(folder: &Folder, reference: &str, require: &str) -> Vec<String> {
        let dir = folder.presets();
        let lookup = folder.lookup(&dir, Some(require));
        let resolved = resolve(reference, folder.0.path(), lookup).unwrap();
        let requirements = requirements(lookup, None).unwrap();
        unmet(&resolved, &requirements, lookup)
    }

    #[test]
    fn a_chain_through_the_required_preset_meets_it() {
        let folder = acme_folder();
        assert!(unmet_for(&folder, "acme", "acme").is_empty());
        assert!(unmet_for(&folder, "team", "acme").is_empty());
        assert!(unmet_for(&folder, "team", "restricted").is_empty());
    }

    #[test]
    fn a_chain_without_it_or_with_a_file_of_its_name_does_not() {
        let folder = acme_folder();
        let unmet = unmet_for(&folder, "baseline", "acme");
        assert_eq!(unmet.len(), 1, "{unmet:?}");
        assert!(
            unmet[0].contains("does not include `acme` from ")
                && unmet[0].contains("which --require-preset requires"),
            "{unmet:?}"
        );
        let unmet = unmet_for(&folder, "./local/acme.yaml", "acme");
        assert_eq!(unmet.len(), 1, "{unmet:?}");
        assert!(
            unmet[0].contains("has `acme` from ")
                && unmet[0].contains("local/acme.yaml, not `acme` from ")
                && unmet[0].contains("presets/acme.yaml, which --require-preset requires"),
            "{unmet:?}"
        );
    }

    #[test]
    fn a_required_preset_that_cannot_be_found_is_unmet() {
        let folder = acme_folder();
        let unmet = unmet_for(&folder, "restricted", "nowhere");
        assert!(
            unmet[0].contains("`nowhere`, which --require-preset requires, cannot be found"),
            "{unmet:?}"
        );
    }

    #[test]
    fn every_source_adds_a_requirement_and_bad_names_are_errors() {
        let folder = Folder::new(&[(
            "presets/kubeward-presets.yaml",
            "apiVersion: kubeward.dev/v1alpha1\nkind: PresetsFolder\nrequirePreset: acme\n",
        )]);
        let dir = folder.presets();
        let all = requirements(folder.lookup(&dir, Some("a")), Some("b")).unwrap();
        let names: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "acme"]);
        assert_eq!(all[1].source.to_string(), ENV);
        assert!(
            all[2]
                .source
                .to_string()
                .ends_with("kubeward-presets.yaml (line 3)"),
            "{}",
            all[2].source
        );
        for bad in ["", "./acme.yaml", "Acme"] {
            let err = requirements(Lookup::default(), Some(bad)).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains(ENV), "{err}");
        }
    }

    #[test]
    fn a_broken_folder_configuration_is_an_error_at_its_line() {
        let folder = Folder::new(&[(
            "presets/kubeward-presets.yaml",
            "apiVersion: kubeward.dev/v1alpha1\nkind: PresetsFolder\nrequirePresets: acme\n",
        )]);
        let dir = folder.presets();
        let err = requirements(folder.lookup(&dir, None), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3: requirePresets"), "{err}");
    }
}
