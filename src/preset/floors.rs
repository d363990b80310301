//! Floors: the minimums a preset locks for every preset that extends it and every service
//! that uses it. A child preset may raise a floor, never lower it; a setting or a spec field
//! that falls below a floor is an error naming the preset that set the floor.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::{MIN_TOKEN_EXPIRATION_SECONDS, Platform, Preset, SeccompType};
use crate::error::FieldError;
use crate::spec::image::ImageRef;
use crate::spec::{Sensitivity, SpecFile};

/// The floors of a preset: as written in one file (`floors:`), or resolved along a chain.
/// A floor that is absent does not constrain anything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Floors {
    /// `true`: the container's root filesystem stays read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_root_filesystem: Option<bool>,
    /// `true`: replicas stay spread across nodes (anti-affinity and topology spread).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread_across_nodes: Option<bool>,
    /// `RuntimeDefault`: no preset may switch to a Localhost seccomp profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompFloor>,
    /// The fewest replicas a preset default or a spec may ask for, fixed or as the
    /// autoscaler's `minReplicas`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<u32>,
    /// The longest lifetime of the projected API token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_token_expiration_seconds: Option<u32>,
    /// The lowest sensitivity a preset default or a spec may declare.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_sensitivity: Option<Sensitivity>,
    /// Registry prefixes images must come from, e.g. `ghcr.io/acme`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_registries: Option<Vec<String>>,
    /// `true`: images must be pinned by digest, whatever the sensitivity or flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_image_digest: Option<bool>,
}

/// The only seccomp profile a floor can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SeccompFloor {
    RuntimeDefault,
}

/// Who set each floor: `floors.<key>` → preset name.
pub type SetBy = BTreeMap<String, String>;

/// The floors of one resolved preset and where each was locked, to judge any manifests by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Locks {
    /// The preset asked for (the head of its chain).
    pub preset: String,
    /// The cluster the preset is for: with OpenShift, every namespace is judged by its SCCs'
    /// rules (KW-OCP-020).
    pub platform: Platform,
    pub floors: Floors,
    /// `floors.<floor>` → where it was locked: `preset `acme` (presets/acme.yaml, line 8)`.
    pub locked_at: BTreeMap<String, String>,
}

impl Locks {
    /// Where `floor` (e.g. `minReplicas`) was locked.
    pub fn locked_at(&self, floor: &str) -> &str {
        self.locked_at
            .get(&key(floor))
            .map_or("its preset", String::as_str)
    }
}

/// A setting that falls below a floor: the setting's path, the floor's path, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    pub setting: &'static str,
    pub floor: &'static str,
    pub message: String,
}

fn key(floor: &str) -> String {
    format!("floors.{floor}")
}

fn setter(set_by: &SetBy, floor: &str) -> String {
    set_by
        .get(&key(floor))
        .map(String::as_str)
        .unwrap_or("?")
        .to_string()
}

fn lowered(
    set_by: &SetBy,
    floor: &str,
    wanted: impl std::fmt::Display,
    held: impl std::fmt::Display,
) -> FieldError {
    FieldError::new(
        key(floor),
        format!(
            "{wanted} would lower the floor {floor}: {held} set by preset `{}`; a preset can only raise a floor",
            setter(set_by, floor)
        ),
    )
}

/// Adds the floors `child` (the preset named `child_name`) writes on top of `floors`,
/// recording who set each; an attempt to lower an inherited floor is an error on that floor
/// and leaves it as it was.
pub fn tighten(
    floors: &mut Floors,
    child: &Floors,
    child_name: &str,
    set_by: &mut SetBy,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let raise = |set_by: &mut SetBy, floor: &str| {
        set_by.insert(key(floor), child_name.to_string());
    };
    for (floor, wanted, held) in [
        (
            "readOnlyRootFilesystem",
            child.read_only_root_filesystem,
            &mut floors.read_only_root_filesystem,
        ),
        (
            "spreadAcrossNodes",
            child.spread_across_nodes,
            &mut floors.spread_across_nodes,
        ),
        (
            "requireImageDigest",
            child.require_image_digest,
            &mut floors.require_image_digest,
        ),
    ] {
        match (wanted, *held) {
            (Some(false), Some(true)) => errors.push(lowered(set_by, floor, false, true)),
            (Some(false), _) => errors.push(FieldError::new(
                key(floor),
                "a floor can only be `true` (it requires the control); leave it out to require nothing",
            )),
            (Some(true), _) => {
                *held = Some(true);
                raise(set_by, floor);
            }
            (None, _) => {}
        }
    }
    if child.seccomp_profile.is_some() {
        floors.seccomp_profile = child.seccomp_profile;
        raise(set_by, "seccompProfile");
    }
    match (child.min_replicas, floors.min_replicas) {
        (Some(0), _) => errors.push(FieldError::new(
            key("minReplicas"),
            "0 is not a floor: use 1 or more",
        )),
        (Some(wanted), Some(held)) if wanted < held => {
            errors.push(lowered(set_by, "minReplicas", wanted, held))
        }
        (Some(wanted), _) => {
            floors.min_replicas = Some(wanted);
            raise(set_by, "minReplicas");
        }
        (None, _) => {}
    }
    let floor = "maxTokenExpirationSeconds";
    match (
        child.max_token_expiration_seconds,
        floors.max_token_expiration_seconds,
    ) {
        (Some(wanted), _) if wanted < MIN_TOKEN_EXPIRATION_SECONDS => errors.push(FieldError::new(
            key(floor),
            format!(
                "{wanted} is below {}, the shortest token lifetime Kubernetes issues",
                MIN_TOKEN_EXPIRATION_SECONDS
            ),
        )),
        (Some(wanted), Some(held)) if wanted > held => {
            errors.push(lowered(set_by, floor, wanted, held))
        }
        (Some(wanted), _) => {
            floors.max_token_expiration_seconds = Some(wanted);
            raise(set_by, floor);
        }
        (None, _) => {}
    }
    match (child.min_sensitivity, floors.min_sensitivity) {
        (Some(wanted), Some(held)) if wanted < held => errors.push(lowered(
            set_by,
            "minSensitivity",
            wanted.as_str(),
            held.as_str(),
        )),
        (Some(wanted), _) => {
            floors.min_sensitivity = Some(wanted);
            raise(set_by, "minSensitivity");
        }
        (None, _) => {}
    }
    if let Some(wanted) = &child.allowed_registries {
        let before = errors.len();
        if wanted.is_empty() {
            errors.push(FieldError::new(
                key("allowedRegistries"),
                "list at least one registry prefix, e.g. ghcr.io/acme",
            ));
        }
        for (i, prefix) in wanted.iter().enumerate() {
            let field = format!("floors.allowedRegistries[{i}]");
            if let Err(message) = registry_prefix(prefix) {
                errors.push(FieldError::new(field, message));
            } else if let Some(held) = &floors.allowed_registries
                && !held.iter().any(|h| under_prefix(prefix, h))
            {
                errors.push(FieldError::new(
                    field,
                    format!(
                        "`{prefix}` would widen the floor allowedRegistries: [{}] set by preset `{}`; a preset can only narrow it",
                        held.join(", "),
                        setter(set_by, "allowedRegistries")
                    ),
                ));
            }
        }
        if errors.len() == before {
            floors.allowed_registries = Some(wanted.clone());
            raise(set_by, "allowedRegistries");
        }
    }
    errors
}

/// Settings of a resolved preset that fall below its floors.
pub fn breaches(floors: &Floors, preset: &Preset) -> Vec<Breach> {
    let mut out = Vec::new();
    let mut breach = |setting, floor, message: String| {
        out.push(Breach {
            setting,
            floor,
            message,
        })
    };
    if floors.read_only_root_filesystem == Some(true) && !preset.read_only_root_filesystem {
        breach(
            "spec.readOnlyRootFilesystem",
            "readOnlyRootFilesystem",
            "readOnlyRootFilesystem is false, but the floor requires a read-only root filesystem"
                .into(),
        );
    }
    if floors.spread_across_nodes == Some(true) && !preset.spread_across_nodes {
        breach(
            "spec.spreadAcrossNodes",
            "spreadAcrossNodes",
            "spreadAcrossNodes is false, but the floor requires replicas spread across nodes"
                .into(),
        );
    }
    if floors.seccomp_profile.is_some()
        && preset.seccomp_profile.kind != SeccompType::RuntimeDefault
    {
        breach(
            "spec.seccompProfile",
            "seccompProfile",
            "seccompProfile is Localhost, but the floor requires RuntimeDefault".into(),
        );
    }
    if let Some(min) = floors.min_replicas
        && preset.replicas < min
    {
        breach(
            "spec.replicas",
            "minReplicas",
            format!(
                "replicas {} is below the floor minReplicas: {min}",
                preset.replicas
            ),
        );
    }
    if let Some(min) = floors.min_replicas
        && preset.autoscaling.min_replicas < min
    {
        breach(
            "spec.autoscaling.minReplicas",
            "minReplicas",
            format!(
                "autoscaling.minReplicas {} is below the floor minReplicas: {min}",
                preset.autoscaling.min_replicas
            ),
        );
    }
    if let Some(max) = floors.max_token_expiration_seconds
        && preset.api_server.token_expiration_seconds > max
    {
        breach(
            "spec.apiServer.tokenExpirationSeconds",
            "maxTokenExpirationSeconds",
            format!(
                "apiServer.tokenExpirationSeconds {} is above the floor maxTokenExpirationSeconds: {max}",
                preset.api_server.token_expiration_seconds
            ),
        );
    }
    if let Some(min) = floors.min_sensitivity
        && preset.defaults.sensitivity < min
    {
        breach(
            "spec.defaults.sensitivity",
            "minSensitivity",
            format!(
                "defaults.sensitivity {} is below the floor minSensitivity: {}",
                preset.defaults.sensitivity.as_str(),
                min.as_str()
            ),
        );
    }
    out
}

/// Fields of a service spec that fall below the floors of its preset.
pub fn check_spec(floors: &Floors, set_by: &SetBy, file: &SpecFile) -> Vec<FieldError> {
    let s = &file.spec;
    let mut errors = Vec::new();
    let mut below = |field: &str, floor: &str, what: String| {
        errors.push(FieldError::new(
            field,
            format!("{what} set by preset `{}`", setter(set_by, floor)),
        ));
    };
    if let (Some(min), Some(replicas)) = (floors.min_replicas, s.replicas)
        && replicas < i64::from(min)
    {
        below(
            "spec.replicas",
            "minReplicas",
            format!("{replicas} is below the floor minReplicas: {min}"),
        );
    }
    let autoscaling_min = s.autoscaling.as_ref().and_then(|a| a.min_replicas);
    if let (Some(min), Some(replicas)) = (floors.min_replicas, autoscaling_min)
        && replicas < i64::from(min)
    {
        below(
            "spec.autoscaling.minReplicas",
            "minReplicas",
            format!("{replicas} is below the floor minReplicas: {min}"),
        );
    }
    if let (Some(min), Some(sensitivity)) = (floors.min_sensitivity, s.sensitivity)
        && sensitivity < min
    {
        below(
            "spec.sensitivity",
            "minSensitivity",
            format!(
                "`{}` is below the floor minSensitivity: {}",
                sensitivity.as_str(),
                min.as_str()
            ),
        );
    }
    let image = s.image.as_deref().and_then(|i| ImageRef::parse(i).ok());
    if let (Some(allowed), Some(image)) = (&floors.allowed_registries, &image) {
        let repository = normalized_repository(&image.repository);
        if !from_allowed_registry(allowed, image) {
            below(
                "spec.image",
                "allowedRegistries",
                format!(
                    "`{repository}` is not from an allowed registry: the floor allowedRegistries: [{}] is",
                    allowed.join(", ")
                ),
            );
        }
    }
    if floors.require_image_digest == Some(true)
        && let Some(image) = &image
        && !image.is_pinned_by_digest()
    {
        below(
            "spec.image",
            "requireImageDigest",
            "is not pinned by digest (repo:tag@sha256:...): the floor requireImageDigest is".into(),
        );
    }
    errors
}

/// A registry prefix: a host (with a `.`, a `:` port, or `localhost`), optionally followed by
/// path components; no tag, digest or trailing slash.
fn registry_prefix(prefix: &str) -> Result<(), String> {
    let first = prefix.split('/').next().unwrap_or_default();
    let host_like = first.contains('.') || first.contains(':') || first == "localhost";
    if !host_like || prefix.ends_with('/') || prefix.contains('@') {
        return Err(format!(
            "`{prefix}` is not a registry prefix: start with the registry host (e.g. ghcr.io/acme or docker.io/library), no trailing `/`"
        ));
    }
    ImageRef::parse(prefix)
        .ok()
        .filter(|i| i.tag.is_none())
        .map(|_| ())
        .ok_or_else(|| format!("`{prefix}` is not a registry prefix: no tag or digest"))
}

/// Whether `image` comes from one of the `allowed` registry prefixes.
pub fn from_allowed_registry(allowed: &[String], image: &ImageRef) -> bool {
    let repository = normalized_repository(&image.repository);
    allowed
        .iter()
        .any(|prefix| under_prefix(&repository, prefix))
}

/// `repository` with Docker Hub's implied registry and `library/` namespace written out.
pub fn normalized_repository(repository: &str) -> String {
    let first = repository.split('/').next().unwrap_or_default();
    let has_registry = repository.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost");
    match (has_registry, repository.contains('/')) {
        (true, _) => repository.to_string(),
        (false, true) => format!("docker.io/{repository}"),
        (false, false) => format!("docker.io/library/{repository}"),
    }
}

/// Whether `name` is `prefix` or lies under it (`prefix/...`): `ghcr.io/acme` covers
/// `ghcr.io/acme/api` but not `ghcr.io/acme-evil/api`.
fn under_prefix(name: &str, prefix: &str) -> bool {
    name == prefix
        || name
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(name: &str, floors: &[&str]) -> SetBy {
        floors.iter().map(|f| (key(f), name.to_string())).collect()
    }

    #[test]
    fn a_child_may_raise_a_floor_and_is_recorded_as_its_setter() {
        let mut floors = Floors {
            min_replicas: Some(2),
            ..Floors::default()
        };
        let mut set_by = by("org", &["minReplicas"]);
        let child = Floors {
            min_replicas: Some(3),
            ..Floors::default()
        };
        assert!(tighten(&mut floors, &child, "team", &mut set_by).is_empty());
        assert_eq!(floors.min_replicas, Some(3));
        assert_eq!(set_by["floors.minReplicas"], "team");
    }

    #[test]
    fn lowering_a_floor_names_the_preset_that_set_it() {
        let mut floors = Floors {
            min_replicas: Some(2),
            read_only_root_filesystem: Some(true),
            min_sensitivity: Some(Sensitivity::Confidential),
            max_token_expiration_seconds: Some(3600),
            ..Floors::default()
        };
        let mut set_by = by(
            "org",
            &[
                "minReplicas",
                "readOnlyRootFilesystem",
                "minSensitivity",
                "maxTokenExpirationSeconds",
            ],
        );
        let child = Floors {
            min_replicas: Some(1),
            read_only_root_filesystem: Some(false),
            min_sensitivity: Some(Sensitivity::Public),
            max_token_expiration_seconds: Some(7200),
            ..Floors::default()
        };
        let errors = tighten(&mut floors, &child, "team", &mut set_by);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "floors.readOnlyRootFilesystem",
                "floors.minReplicas",
                "floors.maxTokenExpirationSeconds",
                "floors.minSensitivity"
            ]
        );
        for error in &errors {
            assert!(error.message.contains("set by preset `org`"), "{error}");
        }
        assert_eq!(
            floors.min_replicas,
            Some(2),
            "a refused floor is not applied"
        );
        assert_eq!(set_by["floors.minReplicas"], "org");
    }

    #[test]
    fn allowed_registries_can_only_narrow() {
        let mut floors = Floors {
            allowed_registries: Some(vec!["ghcr.io/acme".into()]),
            ..Floors::default()
        };
        let mut set_by = by("org", &["allowedRegistries"]);
        let wider = Floors {
            allowed_registries: Some(vec!["ghcr.io/acme/team".into(), "docker.io".into()]),
            ..Floors::default()
        };
        let errors = tighten(&mut floors, &wider, "team", &mut set_by);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "floors.allowedRegistries[1]");
        assert!(errors[0].message.contains("preset `org`"));
        let narrower = Floors {
            allowed_registries: Some(vec!["ghcr.io/acme/team".into()]),
            ..Floors::default()
        };
        assert!(tighten(&mut floors, &narrower, "team", &mut set_by).is_empty());
        assert_eq!(
            floors.allowed_registries,
            Some(vec!["ghcr.io/acme/team".into()])
        );
    }

    #[test]
    fn a_registry_prefix_matches_whole_path_components() {
        assert!(under_prefix("ghcr.io/acme/api", "ghcr.io/acme"));
        assert!(under_prefix("ghcr.io/acme", "ghcr.io/acme"));
        assert!(!under_prefix("ghcr.io/acme-evil/api", "ghcr.io/acme"));
        assert_eq!(normalized_repository("nginx"), "docker.io/library/nginx");
        assert_eq!(normalized_repository("acme/api"), "docker.io/acme/api");
        assert_eq!(
            normalized_repository("localhost:5000/api"),
            "localhost:5000/api"
        );
        assert!(registry_prefix("acme").is_err());
        assert!(registry_prefix("ghcr.io/acme/").is_err());
        assert!(registry_prefix("ghcr.io/acme:1.0").is_err());
        assert!(registry_prefix("registry.example.com:5000/team").is_ok());
    }

    #[test]
    fn spec_fields_below_a_floor_are_errors_naming_the_field_and_the_preset() {
        let floors = Floors {
            min_replicas: Some(2),
            min_sensitivity: Some(Sensitivity::Internal),
            allowed_registries: Some(vec!["ghcr.io/acme".into()]),
            require_image_digest: Some(true),
            ..Floors::default()
        };
        let set_by = by(
            "acme",
            &[
                "minReplicas",
                "minSensitivity",
                "allowedRegistries",
                "requireImageDigest",
            ],
        );
        let mut file = SpecFile::default();
        file.spec.replicas = Some(1);
        file.spec.sensitivity = Some(Sensitivity::Public);
        file.spec.image = Some("docker.io/evil/api:1.0".into());
        let errors = check_spec(&floors, &set_by, &file);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.replicas",
                "spec.sensitivity",
                "spec.image",
                "spec.image"
            ]
        );
        assert!(errors.iter().all(|e| e.message.contains("preset `acme`")));
        file.spec.replicas = Some(2);
        file.spec.sensitivity = Some(Sensitivity::Confidential);
        file.spec.image = Some(format!("ghcr.io/acme/api:1.0@sha256:{}", "a".repeat(64)));
        assert!(check_spec(&floors, &set_by, &file).is_empty());
    }
}
