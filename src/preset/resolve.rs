//! Finding and resolving a preset: a shipped name, a path, or a name in the presets folder;
//! its file read and checked (`PresetFile`), its `extends` chain loaded, merged from
//! `restricted` (the only root) down with each value remembering the preset that set it, and
//! checked against the settings' rules and the floors the chain locks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::floors::{self, Floors, Locks, SetBy};
use super::model::{ATOMIC, DEFAULT, KIND, Preset, SHIPPED};
use super::required::FOLDER_CONFIG;
use super::settings::settings_problems;
use crate::error::{Error, FieldError};
use crate::spec::API_VERSION;
use crate::spec::names::dns_label;
use crate::yaml::locate::Locator;

/// A kubeward preset file: the settings every service that names it starts from. Its own
/// settings are partial (`spec`: only what it changes), checked once merged along the chain.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "kubeward preset")]
pub struct PresetFile {
    /// Always `kubeward.dev/v1alpha1`.
    #[schemars(extend("enum" = [API_VERSION]))]
    api_version: String,
    /// Always `Preset`.
    #[schemars(extend("enum" = [KIND]))]
    kind: String,
    /// The preset's name and description.
    metadata: PresetMetadata,
    /// The preset this one builds on: a shipped name, a path, or a name in the presets folder.
    /// Every preset but `restricted` names one.
    #[serde(default)]
    extends: Option<String>,
    /// The settings this preset changes; the rest come from the preset it extends.
    #[serde(default)]
    #[schemars(with = "Option<Preset>")]
    spec: Option<Value>,
    /// Minimums that neither a child preset nor a service spec may weaken.
    #[serde(default)]
    floors: Option<Floors>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PresetMetadata {
    /// The preset's name.
    name: String,
    /// What the preset is for, in one sentence.
    #[serde(default)]
    description: String,
}

/// Where a preset was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Shipped,
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Shipped => f.write_str("shipped"),
            Origin::File(path) => {
                // Relative to the current folder when the file lies under it, as users type it.
                let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
                let shown = cwd
                    .ok()
                    .and_then(|cwd| path.strip_prefix(cwd).ok())
                    .unwrap_or(path);
                write!(f, "{}", shown.display())
            }
        }
    }
}

/// One preset of a chain: its name and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub name: String,
    pub origin: Origin,
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.origin)
    }
}

/// A preset resolved along its chain: the settings and floors the plan and the spec check
/// use, and which preset set each value.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub name: String,
    pub description: String,
    /// The preset asked for first, `restricted` last.
    pub chain: Vec<Link>,
    pub preset: Preset,
    pub floors: Floors,
    /// `spec.<setting path>` or `floors.<floor>` → the name of the preset that set it.
    pub set_by: SetBy,
    /// `floors.<floor>` → the preset, file and line that locked it.
    pub locked_at: std::collections::BTreeMap<String, String>,
}

impl Resolved {
    /// The preset that set `path` (a setting or a floor), or set the nearest value above it.
    pub fn setter_of(&self, path: &str) -> Option<&str> {
        let mut candidate = path;
        loop {
            if let Some(name) = self.set_by.get(candidate) {
                return Some(name);
            }
            candidate = &candidate[..candidate.rfind(['.', '['])?];
        }
    }

    /// The floors, each with where it was locked, to judge manifests by.
    pub fn locks(&self) -> Locks {
        Locks {
            preset: self.name.clone(),
            platform: self.preset.platform,
            floors: self.floors.clone(),
            locked_at: self.locked_at.clone(),
        }
    }

    /// The chain as `team (./team.yaml) → acme (...) → restricted (shipped)`.
    pub fn chain_text(&self) -> String {
        chain_text(&self.chain)
    }
}

fn chain_text(chain: &[Link]) -> String {
    chain
        .iter()
        .map(Link::to_string)
        .collect::<Vec<_>>()
        .join(" → ")
}

/// One preset file read and parsed, not yet merged.
struct Loaded {
    link: Link,
    description: String,
    extends: Option<String>,
    spec: Map<String, Value>,
    floors: Floors,
    locator: Locator,
}

impl Loaded {
    /// The folder its relative paths (`extends`, `templates`) are taken from.
    fn dir(&self) -> Option<&Path> {
        match &self.link.origin {
            Origin::Shipped => None,
            Origin::File(path) => path.parent(),
        }
    }
}

/// A problem in one preset file, at a field and (when known) a line.
struct Problem {
    origin: Origin,
    error: FieldError,
}

fn problems_error(name: &str, mut problems: Vec<Problem>) -> Error {
    problems.sort_by_key(|p| (p.origin.to_string(), p.error.line));
    let mut message = format!(
        "not valid ({} problem{}):",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        message.push_str(&format!("\n  - {}: {}", problem.origin, problem.error));
    }
    Error::Preset {
        name: name.to_string(),
        message,
    }
}

/// Where presets are looked up besides the shipped ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lookup<'a> {
    /// The folder of named presets (`--presets-dir` / `KUBEWARD_PRESETS_DIR`).
    pub presets_dir: Option<&'a Path>,
    /// The preset `--require-preset` requires of every render (see [`super::required`]).
    pub require: Option<&'a str>,
}

/// Whether a reference names a file rather than a preset.
pub(super) fn is_path(reference: &str) -> bool {
    reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml")
}

fn shipped_text(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

impl Lookup<'_> {
    /// The file in the presets folder for `name`, if there is one.
    fn folder_file(&self, name: &str) -> Option<PathBuf> {
        let dir = self.presets_dir?;
        ["yaml", "yml"]
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.is_file())
    }

    /// Finds `reference`: a path (relative to `from_dir`), a shipped name, or a name in the
    /// presets folder. A folder preset may not take a shipped name: shipped names always mean
    /// the shipped presets, so `restricted` reads the same in every repository.
    pub(super) fn locate(
        &self,
        reference: &str,
        from_dir: Option<&Path>,
    ) -> Result<(Origin, String), String> {
        if Some(reference) == FOLDER_CONFIG.strip_suffix(".yaml") {
            return Err(format!(
                "{FOLDER_CONFIG} is the presets folder's configuration, not a preset"
            ));
        }
        if is_path(reference) {
            let Some(dir) = from_dir else {
                return Err(
                    "a path, but a shipped preset can only extend shipped presets".to_string(),
                );
            };
            return read_file(dir.join(reference));
        }
        if let Some(text) = shipped_text(reference) {
            if let Some(shadow) = self.folder_file(reference) {
                return Err(format!(
                    "{} takes the name of a shipped preset, and shipped names are reserved: rename it (e.g. acme-{reference}) and write `extends: {reference}` in it",
                    shadow.display()
                ));
            }
            return Ok((Origin::Shipped, text.to_string()));
        }
        if let Some(path) = self.folder_file(reference) {
            return read_file(path);
        }
        let shipped: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
        let folder = match self.presets_dir {
            Some(dir) => format!(
                "no {reference}.yaml in the presets folder {}",
                dir.display()
            ),
            None => "no presets folder given (--presets-dir or KUBEWARD_PRESETS_DIR)".into(),
        };
        Err(format!(
            "not found: no shipped preset has this name (shipped: {}), {folder}; to use a file, give its path",
            shipped.join(", ")
        ))
    }
}

/// Reads a preset file; its origin is its canonical path, so one file is one preset.
fn read_file(path: PathBuf) -> Result<(Origin, String), String> {
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot be read from {}: {e}", path.display()))?;
    let canonical = std::fs::canonicalize(&path).unwrap_or(path);
    Ok((Origin::File(canonical), text))
}

/// Parses one preset file and checks its header.
fn parse(origin: Origin, text: &str, lookup: Lookup) -> Result<Loaded, Vec<Problem>> {
    let locator = Locator::new(text);
    let at = |error: FieldError| {
        let line = error.line.or_else(|| locator.line_of(&error.field));
        Problem {
            origin: origin.clone(),
            error: error.at_line(line),
        }
    };
    let file: PresetFile =
        serde_saphyr::from_str(text).map_err(|e| vec![at(locator.locate(&e))])?;
    let mut problems = Vec::new();
    if file.api_version != API_VERSION {
        problems.push(at(FieldError::new(
            "apiVersion",
            format!(
                "`{}` is not supported: use {}",
                file.api_version, API_VERSION
            ),
        )));
    }
    if file.kind != KIND {
        problems.push(at(FieldError::new(
            "kind",
            format!("`{}` is not supported: use {KIND}", file.kind),
        )));
    }
    let name = file.metadata.name;
    if let Err(message) = dns_label(&name) {
        problems.push(at(FieldError::new("metadata.name", message)));
    }
    if let Origin::File(path) = &origin {
        if shipped_text(&name).is_some() {
            problems.push(at(FieldError::new(
                "metadata.name",
                format!("`{name}` is the name of a shipped preset; shipped names are reserved: pick another (e.g. acme-{name})"),
            )));
        }
        let in_folder = lookup
            .presets_dir
            .and_then(|dir| std::fs::canonicalize(dir).ok())
            .is_some_and(|dir| path.parent() == Some(dir.as_path()));
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        if in_folder && stem.as_deref() != Some(name.as_str()) {
            problems.push(at(FieldError::new(
                "metadata.name",
                format!(
                    "`{name}` differs from the file name: a preset in the presets folder is found by name, so name the file {name}.yaml"
                ),
            )));
        }
    }
    let spec = match file.spec {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => {
            problems.push(at(FieldError::new("spec", "must be a mapping of settings")));
            Map::new()
        }
    };
    if file.extends.is_none() && !(origin == Origin::Shipped && name == DEFAULT) {
        problems.push(at(FieldError::new(
            "extends",
            format!(
                "is required: name the preset this one starts from (e.g. `extends: {DEFAULT}`)"
            ),
        )));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Loaded {
        link: Link { name, origin },
        description: file.metadata.description,
        extends: file.extends,
        spec,
        floors: file.floors.unwrap_or_default(),
        locator,
    })
}

/// Loads `reference` and every preset it extends, the asked-for preset first.
fn load_chain(reference: &str, base_dir: &Path, lookup: Lookup) -> Result<Vec<Loaded>, Error> {
    let mut chain: Vec<Loaded> = Vec::new();
    let mut next = Some((reference.to_string(), Some(base_dir.to_path_buf())));
    while let Some((reference, from_dir)) = next.take() {
        let located = lookup.locate(&reference, from_dir.as_deref());
        let child_problem = |message: String| match chain.last() {
            Some(child) => problems_error(
                &chain[0].link.name,
                vec![Problem {
                    origin: child.link.origin.clone(),
                    error: FieldError::new("extends", message)
                        .at_line(child.locator.line_of("extends")),
                }],
            ),
            None => Error::Preset {
                name: reference.clone(),
                message,
            },
        };
        let (origin, text) = located.map_err(|message| {
            let chain_so_far: Vec<Link> = chain.iter().map(|l| l.link.clone()).collect();
            if chain_so_far.is_empty() {
                child_problem(message)
            } else {
                child_problem(format!(
                    "`{reference}`: {message} (chain: {} → {reference})",
                    chain_text(&chain_so_far)
                ))
            }
        })?;
        let seen = chain.iter().position(|l| match (&l.link.origin, &origin) {
            (Origin::File(a), Origin::File(b)) => a == b,
            (Origin::Shipped, Origin::Shipped) => l.link.name == reference,
            _ => false,
        });
        if let Some(first) = seen {
            let mut links: Vec<Link> = chain.iter().map(|l| l.link.clone()).collect();
            links.push(chain[first].link.clone());
            return Err(child_problem(format!(
                "`{reference}` makes a cycle: {}",
                chain_text(&links)
            )));
        }
        let loaded = parse(origin, &text, lookup)
            .map_err(|problems| problems_error(&reference, problems))?;
        if let Some(twin) = chain.iter().find(|l| l.link.name == loaded.link.name) {
            return Err(child_problem(format!(
                "`{reference}` is named `{}` like {twin}, which is already in the chain; names in a chain must differ",
                loaded.link.name,
                twin = twin.link
            )));
        }
        next = loaded
            .extends
            .clone()
            .map(|parent| (parent, loaded.dir().map(Path::to_path_buf)));
        chain.push(loaded);
    }
    Ok(chain)
}

/// Merges `patch` into `base` (both mappings) the way a child preset applies to its parent:
/// mappings merge key by key (but for [`ATOMIC`] settings), anything else replaces, and
/// `null` removes an optional setting. Records `by` as the setter of every value it writes.
fn merge(
    base: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    path: &str,
    by: &str,
    set_by: &mut SetBy,
) {
    for (key, value) in patch {
        let here = format!("{path}.{key}");
        let forget = |set_by: &mut SetBy| {
            let below = format!("{here}.");
            set_by.retain(|k, _| k != &here && !k.starts_with(&below));
        };
        match value {
            Value::Null => {
                base.remove(key);
                forget(set_by);
            }
            Value::Object(fields) if !ATOMIC.contains(&here.as_str()) => {
                let slot = base
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                    forget(set_by);
                }
                if let Value::Object(inner) = slot {
                    merge(inner, fields, &here, by, set_by);
                }
            }
            _ => {
                base.insert(key.clone(), value.clone());
                forget(set_by);
                set_by.insert(here, by.to_string());
            }
        }
    }
}

/// Presets resolved so far in a run, so that a batch resolves each one once: by name
/// (shipped or from the presets folder, the same for the whole run), or by the file a path
/// names.
#[derive(Debug, Default)]
pub struct Cache {
    resolved: Mutex<HashMap<(String, Option<PathBuf>), Resolved>>,
}

impl Cache {
    /// [`resolve`], from the cache when this run has resolved the same preset. Failures are
    /// not kept: each spec that names a bad preset reports it.
    pub fn resolve(
        &self,
        reference: &str,
        base_dir: &Path,
        lookup: Lookup,
    ) -> Result<Resolved, Error> {
        let file = is_path(reference).then(|| {
            let path = base_dir.join(reference);
            std::fs::canonicalize(&path).unwrap_or(path)
        });
        let key = (reference.to_string(), file);
        let cached = self.entries().get(&key).cloned();
        if let Some(resolved) = cached {
            return Ok(resolved);
        }
        let resolved = resolve(reference, base_dir, lookup)?;
        self.entries().insert(key, resolved.clone());
        Ok(resolved)
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<(String, Option<PathBuf>), Resolved>> {
        self.resolved.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Resolves the preset `reference` (a name or a path relative to `base_dir`).
pub fn resolve(reference: &str, base_dir: &Path, lookup: Lookup) -> Result<Resolved, Error> {
    let chain = load_chain(reference, base_dir, lookup)?;
    let leaf_name = chain[0].link.name.clone();
    let mut settings = Map::new();
    let mut floors = Floors::default();
    let mut set_by = SetBy::new();
    let mut problems = Vec::new();
    for loaded in chain.iter().rev() {
        let mut spec = loaded.spec.clone();
        if let (Some(Value::String(templates)), Some(dir)) = (spec.get("templates"), loaded.dir()) {
            let absolute = dir.join(templates).to_string_lossy().into_owned();
            spec.insert("templates".into(), Value::String(absolute));
        }
        let certificate = spec
            .get_mut("sealing")
            .and_then(|sealing| sealing.get_mut("certificate"));
        if let (Some(Value::String(path)), Some(dir)) = (certificate, loaded.dir()) {
            *path = dir.join(&*path).to_string_lossy().into_owned();
        }
        merge(&mut settings, &spec, "spec", &loaded.link.name, &mut set_by);
        for error in floors::tighten(&mut floors, &loaded.floors, &loaded.link.name, &mut set_by) {
            let line = loaded.locator.line_of(&error.field);
            problems.push(Problem {
                origin: loaded.link.origin.clone(),
                error: error.at_line(line),
            });
        }
    }
    let blame = |path: &str| -> &Loaded {
        let mut candidate = path;
        loop {
            if let Some(name) = set_by.get(candidate) {
                return chain
                    .iter()
                    .find(|l| &l.link.name == name)
                    .unwrap_or(&chain[0]);
            }
            match candidate.rfind(['.', '[']) {
                Some(cut) => candidate = &candidate[..cut],
                None => return &chain[0],
            }
        }
    };
    let problem_at = |path: &str, message: String| {
        let loaded = blame(path);
        Problem {
            origin: loaded.link.origin.clone(),
            error: FieldError::new(path, message).at_line(loaded.locator.line_of(path)),
        }
    };
    let preset = match serde_path_to_error::deserialize::<_, Preset>(&Value::Object(settings)) {
        Ok(preset) => preset,
        Err(err) => {
            // The path names the offending key itself, unknown ones included.
            let path = format!("spec.{}", err.path()).replace("spec..", "spec");
            let message = err.inner().to_string();
            problems.push(problem_at(&path, message));
            return Err(problems_error(&leaf_name, problems));
        }
    };
    for error in settings_problems(&preset) {
        problems.push(problem_at(&error.field, error.message));
    }
    let index = |name: &str| chain.iter().position(|l| l.link.name == name).unwrap_or(0);
    for breach in floors::breaches(&floors, &preset) {
        let floor_key = format!("floors.{}", breach.floor);
        let floor_by = set_by.get(&floor_key).cloned().unwrap_or_default();
        let value_by = blame(breach.setting).link.name.clone();
        // Blame whichever came later in the chain: the preset that brought the conflict.
        let (path, hint) = if index(&value_by) <= index(&floor_by) {
            (breach.setting.to_string(), String::new())
        } else {
            (
                floor_key.clone(),
                format!("; set {} in this preset too", breach.setting),
            )
        };
        let loaded = &chain[index(if path == floor_key {
            &floor_by
        } else {
            &value_by
        })];
        problems.push(Problem {
            origin: loaded.link.origin.clone(),
            error: FieldError::new(
                &path,
                format!(
                    "{} (value set by preset `{value_by}`, floor set by preset `{floor_by}`){hint}",
                    breach.message
                ),
            )
            .at_line(loaded.locator.line_of(&path)),
        });
    }
    if !problems.is_empty() {
        return Err(problems_error(&leaf_name, problems));
    }
    let locked_at = set_by
        .iter()
        .filter(|(key, _)| key.starts_with("floors."))
        .filter_map(|(key, name)| {
            let loaded = chain.iter().find(|l| &l.link.name == name)?;
            let place = match loaded.locator.line_of(key) {
                Some(line) => format!("{}, line {line}", loaded.link.origin),
                None => loaded.link.origin.to_string(),
            };
            Some((key.clone(), format!("preset `{name}` ({place})")))
        })
        .collect();
    Ok(Resolved {
        name: leaf_name,
        description: chain[0].description.clone(),
        chain: chain.iter().map(|l| l.link.clone()).collect(),
        preset,
        floors,
        set_by,
        locked_at,
    })
}

/// A preset as `presets list` shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub link: Link,
    pub extends: Option<String>,
    pub description: String,
}

/// Every preset that can be named: the shipped ones, then the presets folder's, by name.
/// A folder file that does not parse, or that takes a shipped name, is an error.
pub fn list(lookup: Lookup) -> Result<Vec<Listed>, Error> {
    let listed = |loaded: Loaded| Listed {
        link: loaded.link,
        extends: loaded.extends,
        description: loaded.description,
    };
    let mut out = Vec::new();
    for (name, text) in SHIPPED {
        let loaded = parse(Origin::Shipped, text, lookup).map_err(|p| problems_error(name, p))?;
        out.push(listed(loaded));
    }
    let Some(dir) = lookup.presets_dir else {
        return Ok(out);
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::io(
            format!("cannot read the presets folder {}", dir.display()),
            e,
        )
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .filter(|p| p.file_name().is_none_or(|n| n != FOLDER_CONFIG))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        // Found as a render would find it: a shipped name in the folder is refused here too.
        let (origin, text) = lookup
            .locate(&name, None)
            .map_err(|message| Error::Preset {
                name: name.clone(),
                message,
            })?;
        let loaded = parse(origin, &text, lookup).map_err(|p| problems_error(&name, p))?;
        out.push(listed(loaded));
    }
    Ok(out)
}

/// The text of a preset as written: the shipped text, or the file's.
pub fn source_text(reference: &str, base_dir: &Path, lookup: Lookup) -> Result<String, Error> {
    lookup
        .locate(reference, Some(base_dir))
        .map(|(_, text)| text)
        .map_err(|message| Error::Preset {
            name: reference.to_string(),
            message,
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A folder of preset files for one test.
    struct Folder(tempfile::TempDir);

    impl Folder {
        fn new(files: &[(&str, &str)]) -> Self {
            let dir = tempfile::tempdir().unwrap();
            for (name, body) in files {
                std::fs::write(dir.path().join(name), body).unwrap();
            }
            Folder(dir)
        }

        fn lookup(&self) -> Lookup<'_> {
            Lookup {
                presets_dir: Some(self.0.path()),
                require: None,
            }
        }

        fn resolve(&self, reference: &str) -> Result<Resolved, String> {
            resolve(reference, self.0.path(), self.lookup()).map_err(|e| e.to_string())
        }
    }

    fn preset(name: &str, extends: &str, rest: &str) -> String {
        format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: {name}\nextends: {extends}\n{rest}"
        )
    }

    #[test]
    fn every_shipped_preset_resolves() {
        for (name, _) in SHIPPED {
            let resolved = resolve(name, Path::new("."), Lookup::default()).unwrap();
            assert_eq!(resolved.chain.last().unwrap().name, DEFAULT);
        }
    }

    #[test]
    fn unknown_names_are_refused_with_the_list() {
        let err = resolve("nope", Path::new("."), Lookup::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("restricted") && err.contains("baseline"),
            "{err}"
        );
    }

    #[test]
    fn a_child_sets_only_what_it_changes_and_provenance_names_each_setter() {
        let folder = Folder::new(&[
            (
                "org.yaml",
                &preset(
                    "org",
                    "restricted",
                    "spec:\n  replicas: 4\n  resources:\n    limits: { cpu: '1' }\n",
                ),
            ),
            (
                "team.yaml",
                &preset(
                    "team",
                    "org",
                    "spec:\n  probes: { readinessPath: /ready }\n",
                ),
            ),
        ]);
        let resolved = folder.resolve("team").unwrap();
        let p = &resolved.preset;
        assert_eq!(p.replicas, 4);
        assert_eq!(p.resources.limits.cpu.as_deref(), Some("1"));
        assert_eq!(
            p.resources.limits.memory.as_deref(),
            Some("256Mi"),
            "siblings are kept"
        );
        assert_eq!(p.probes.readiness_path, "/ready");
        assert_eq!(p.probes.liveness_path, "/livez");
        assert_eq!(resolved.setter_of("spec.replicas"), Some("org"));
        assert_eq!(resolved.setter_of("spec.resources.limits.cpu"), Some("org"));
        assert_eq!(
            resolved.setter_of("spec.resources.limits.memory"),
            Some("restricted")
        );
        assert_eq!(
            resolved.setter_of("spec.probes.readinessPath"),
            Some("team")
        );
        let names: Vec<&str> = resolved.chain.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["team", "org", "restricted"]);
    }

    #[test]
    fn label_maps_are_replaced_whole_and_null_unsets_an_optional_setting() {
        let folder = Folder::new(&[
            (
                "a.yaml",
                &preset(
                    "a",
                    "restricted",
                    "spec:\n  apiServer: { tokenAudience: vault }\n",
                ),
            ),
            (
                "b.yaml",
                &preset(
                    "b",
                    "a",
                    "spec:\n  dns: { podLabels: { k8s-app: node-local-dns } }\n  apiServer: { tokenAudience: null }\n",
                ),
            ),
        ]);
        let resolved = folder.resolve("b").unwrap();
        assert_eq!(
            resolved.preset.dns.pod_labels,
            BTreeMap::from([("k8s-app".to_string(), "node-local-dns".to_string())])
        );
        assert_eq!(resolved.preset.api_server.token_audience, None);
        assert_eq!(resolved.setter_of("spec.apiServer.tokenAudience"), None);
    }

    #[test]
    fn unknown_settings_are_refused_with_the_path_and_line() {
        let folder = Folder::new(&[(
            "org.yaml",
            &preset(
                "org",
                "restricted",
                "spec:\n  resources:\n    limits:\n      gpu: 1\n",
            ),
        )]);
        let err = folder.resolve("org").unwrap_err();
        assert!(
            err.contains("line 9: spec.resources.limits.gpu: unknown field `gpu`"),
            "{err}"
        );
        assert!(err.contains("org.yaml"), "{err}");
    }

    #[test]
    fn unknown_top_level_keys_and_bad_types_name_the_line() {
        let folder = Folder::new(&[
            (
                "a.yaml",
                &preset("a", "restricted", "flors:\n  minReplicas: 2\n"),
            ),
            (
                "b.yaml",
                &preset("b", "restricted", "spec:\n  replicas: three\n"),
            ),
        ]);
        let err = folder.resolve("a").unwrap_err();
        assert!(err.contains("line 6: flors"), "{err}");
        let err = folder.resolve("b").unwrap_err();
        assert!(err.contains("line 7: spec.replicas"), "{err}");
    }

    #[test]
    fn cycles_are_errors_that_name_the_chain() {
        let folder = Folder::new(&[
            ("a.yaml", &preset("a", "b", "")),
            ("b.yaml", &preset("b", "./a.yaml", "")),
        ]);
        let err = folder.resolve("a").unwrap_err();
        assert!(err.contains("makes a cycle: a ("), "{err}");
        assert!(
            err.contains("→ b (") && err.matches("→").count() == 2,
            "{err}"
        );
        assert!(err.contains("b.yaml: line 5: extends"), "{err}");
    }

    #[test]
    fn missing_parents_are_errors_that_name_the_chain() {
        let folder = Folder::new(&[("team.yaml", &preset("team", "org", ""))]);
        let err = folder.resolve("team").unwrap_err();
        assert!(
            err.contains("team.yaml: line 5: extends: `org`: not found"),
            "{err}"
        );
        assert!(err.contains("(chain: team ("), "{err}");
        assert!(err.ends_with("→ org)"), "{err}");
    }

    #[test]
    fn only_restricted_may_omit_extends() {
        let folder = Folder::new(&[(
            "root.yaml",
            "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: root\nspec:\n  replicas: 2\n",
        )]);
        let err = folder.resolve("root").unwrap_err();
        assert!(err.contains("extends: is required"), "{err}");
    }

    #[test]
    fn a_folder_preset_may_not_take_a_shipped_name() {
        let folder = Folder::new(&[("restricted.yaml", &preset("restricted", "restricted", ""))]);
        let err = folder.resolve("restricted").unwrap_err();
        assert!(err.contains("shipped names are reserved"), "{err}");
        assert!(list(folder.lookup()).is_err());
    }

    #[test]
    fn a_child_cannot_set_a_value_below_an_inherited_floor() {
        let folder = Folder::new(&[
            (
                "org.yaml",
                &preset(
                    "org",
                    "restricted",
                    "floors:\n  minReplicas: 2\n  readOnlyRootFilesystem: true\n",
                ),
            ),
            (
                "team.yaml",
                &preset(
                    "team",
                    "org",
                    "spec:\n  replicas: 1\n  readOnlyRootFilesystem: false\n",
                ),
            ),
        ]);
        let err = folder.resolve("team").unwrap_err();
        assert!(
            err.contains("team.yaml: line 7: spec.replicas: replicas 1 is below the floor minReplicas: 2 (value set by preset `team`, floor set by preset `org`)"),
            "{err}"
        );
        assert!(err.contains("line 8: spec.readOnlyRootFilesystem"), "{err}");
    }

    #[test]
    fn a_floor_over_an_inherited_relaxation_is_blamed_on_the_floor() {
        let folder = Folder::new(&[(
            "strict.yaml",
            &preset(
                "strict",
                "baseline",
                "floors:\n  readOnlyRootFilesystem: true\n",
            ),
        )]);
        let err = folder.resolve("strict").unwrap_err();
        assert!(err.contains("strict.yaml: line 7: floors.readOnlyRootFilesystem: readOnlyRootFilesystem is false"), "{err}");
        assert!(
            err.contains("set spec.readOnlyRootFilesystem in this preset too"),
            "{err}"
        );
        assert!(err.contains("value set by preset `baseline`"), "{err}");
    }

    #[test]
    fn lowering_an_inherited_floor_is_an_error_at_its_line() {
        let folder = Folder::new(&[
            (
                "org.yaml",
                &preset(
                    "org",
                    "restricted",
                    "floors:\n  maxTokenExpirationSeconds: 3600\n",
                ),
            ),
            (
                "team.yaml",
                &preset(
                    "team",
                    "org",
                    "floors:\n  maxTokenExpirationSeconds: 86400\n",
                ),
            ),
        ]);
        let err = folder.resolve("team").unwrap_err();
        assert!(
            err.contains(
                "team.yaml: line 7: floors.maxTokenExpirationSeconds: 86400 would lower the floor"
            ),
            "{err}"
        );
        assert!(err.contains("set by preset `org`"), "{err}");
    }

    #[test]
    fn settings_are_validated_where_they_are_set() {
        let folder = Folder::new(&[(
            "org.yaml",
            &preset(
                "org",
                "restricted",
                "spec:\n  runAsUser: 1000\n  probes: { livenessPath: /readyz }\n",
            ),
        )]);
        let err = folder.resolve("org").unwrap_err();
        assert!(
            err.contains("line 7: spec.runAsUser: 1000 is not a high non-root id"),
            "{err}"
        );
        assert!(
            err.contains("line 8: spec.probes.livenessPath: must differ"),
            "{err}"
        );
    }

    #[test]
    fn templates_are_taken_from_the_folder_of_the_preset_that_names_them() {
        let folder = Folder::new(&[(
            "org.yaml",
            &preset("org", "restricted", "spec:\n  templates: tpl\n"),
        )]);
        let resolved = folder.resolve("org").unwrap();
        let expected = std::fs::canonicalize(folder.0.path()).unwrap().join("tpl");
        assert_eq!(
            resolved.preset.templates.as_deref(),
            Some(expected.to_str().unwrap())
        );
    }
}
