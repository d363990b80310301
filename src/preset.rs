//! Presets: the defaults a service starts from, as data. Shipped presets are embedded from
//! `presets/`; a spec may also name a preset file by path. Shipped presets are parsed once
//! per process; a [`Cache`] keeps the preset files a run has read.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::spec::{Exposure, Protocol, ResourceAmounts, Sensitivity};

pub const KIND: &str = "Preset";
pub const DEFAULT: &str = "restricted";

/// The presets compiled into the binary: (name, YAML text).
pub const SHIPPED: &[(&str, &str)] = &[("restricted", include_str!("../presets/restricted.yaml"))];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PresetFile {
    pub api_version: String,
    pub kind: String,
    pub metadata: PresetMetadata,
    pub spec: Preset,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetMetadata {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// The settings a preset fixes for every service that uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Preset {
    pub defaults: Defaults,
    pub replicas: u32,
    pub run_as_user: i64,
    pub run_as_group: i64,
    pub resources: Resources,
    pub probes: Probes,
    pub writable_tmp: WritableTmp,
    pub dns: Dns,
    pub ingress: IngressDefaults,
    pub cluster_domain: String,
    pub secrets_mount_path: String,
    pub tls: TlsDefaults,
    pub api_server: ApiServer,
    /// ResourceQuota for the namespace of a `restricted` service.
    pub namespace_quota: NamespaceQuota,
    pub pod_security_version: String,
    pub termination_grace_period_seconds: u32,
    pub revision_history_limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub protocol: Protocol,
    pub exposure: Exposure,
    pub sensitivity: Sensitivity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    pub requests: ResourceAmounts,
    pub limits: ResourceAmounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probes {
    pub readiness_path: String,
    pub liveness_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WritableTmp {
    pub mount_path: String,
    pub size_limit: String,
}

/// Where cluster DNS runs: the only destination every service may always reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dns {
    pub namespace: String,
    pub pod_labels: BTreeMap<String, String>,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressDefaults {
    pub class_name: String,
    pub controller: AppSelector,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsDefaults {
    pub ca_validity_days: u32,
    pub leaf_validity_days: u32,
    pub renew_before_days: u32,
}

/// Where the API server is reached from pods, and the token they get for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServer {
    pub cidrs: Vec<String>,
    pub ports: Vec<u16>,
    pub token_expiration_seconds: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_audience: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceQuota {
    pub pods: String,
    pub requests_cpu: String,
    pub requests_memory: String,
    pub limits_cpu: String,
    pub limits_memory: String,
    pub requests_ephemeral_storage: String,
    pub limits_ephemeral_storage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSelector {
    pub namespace: String,
    pub app: String,
}

/// Loads a preset by shipped name or, when `reference` looks like a path, from that file
/// (relative paths are taken from `base_dir`, the spec's folder).
pub fn load(reference: &str, base_dir: &Path) -> Result<Preset, Error> {
    Cache::default().load(reference, base_dir)
}

/// The preset files read so far in a run, by path, so that a batch of services sharing a
/// preset file reads and parses it once.
#[derive(Debug, Default)]
pub struct Cache {
    files: Mutex<HashMap<PathBuf, Preset>>,
}

impl Cache {
    /// [`load`], with preset files taken from the cache when this run has read them.
    pub fn load(&self, reference: &str, base_dir: &Path) -> Result<Preset, Error> {
        if let Some(index) = SHIPPED.iter().position(|(name, _)| *name == reference) {
            return shipped(index);
        }
        if !(reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml"))
        {
            let known: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
            return Err(Error::Preset {
                name: reference.to_string(),
                message: format!(
                    "no shipped preset has this name (shipped: {}); to use a file, give its path",
                    known.join(", ")
                ),
            });
        }
        let path = base_dir.join(reference);
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let cached = self.files().get(&key).cloned();
        if let Some(preset) = cached {
            return Ok(preset);
        }
        let fail = |message| Error::Preset {
            name: reference.to_string(),
            message,
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
        let preset = parse(&text).map_err(fail)?;
        self.files().insert(key, preset.clone());
        Ok(preset)
    }

    fn files(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Preset>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A shipped preset, parsed on first use and kept for the process.
fn shipped(index: usize) -> Result<Preset, Error> {
    static PARSED: [OnceLock<Result<Preset, String>>; SHIPPED.len()] =
        [const { OnceLock::new() }; SHIPPED.len()];
    let (name, text) = SHIPPED[index];
    PARSED[index]
        .get_or_init(|| parse(text))
        .clone()
        .map_err(|message| Error::Preset {
            name: name.to_string(),
            message,
        })
}

/// Parses a preset file's text; the error is the message for [`Error::Preset`].
fn parse(text: &str) -> Result<Preset, String> {
    let file: PresetFile = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    if file.api_version != crate::spec::API_VERSION || file.kind != KIND {
        return Err(format!(
            "expected apiVersion {} and kind {KIND}, found {} {}",
            crate::spec::API_VERSION,
            file.api_version,
            file.kind
        ));
    }
    Ok(file.spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_preset_parses() {
        for (name, _) in SHIPPED {
            load(name, Path::new(".")).unwrap();
        }
    }

    #[test]
    fn unknown_names_are_refused_with_the_list() {
        let err = load("nope", Path::new(".")).unwrap_err().to_string();
        assert!(err.contains("restricted"), "{err}");
    }
}
