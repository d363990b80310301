//! Presets: the defaults a service starts from, as data. Shipped presets are embedded from
//! `presets/`; a spec may also name a preset file by path.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::spec::{Exposure, Protocol, ResourceAmounts, Sensitivity};

pub const KIND: &str = "Preset";
pub const DEFAULT: &str = "restricted";

/// The presets compiled into the binary: (name, YAML text).
pub const SHIPPED: &[(&str, &str)] = &[("restricted", include_str!("../presets/restricted.yaml"))];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
/// A kubeward preset file: the defaults and settings every service that names it starts from.
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "kubeward preset")]
pub struct PresetFile {
    /// Always `kubeward.dev/v1alpha1`.
    #[schemars(extend("enum" = [crate::spec::API_VERSION]))]
    pub api_version: String,
    /// Always `Preset`.
    #[schemars(extend("enum" = [KIND]))]
    pub kind: String,
    /// The preset's name and description.
    pub metadata: PresetMetadata,
    /// The settings.
    pub spec: Preset,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PresetMetadata {
    /// The preset's name.
    pub name: String,
    /// What the preset is for, in one sentence.
    #[serde(default)]
    pub description: String,
}

/// The settings a preset fixes for every service that uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Preset {
    /// Values for the spec fields a service leaves out.
    pub defaults: Defaults,
    /// Pods per service when the spec does not say.
    pub replicas: u32,
    /// The uid the containers run as (above 10000).
    pub run_as_user: i64,
    /// The gid the containers run as (above 10000).
    pub run_as_group: i64,
    /// Container requests and limits when the spec does not say.
    pub resources: Resources,
    /// Probe paths when the spec does not say.
    pub probes: Probes,
    /// The writable, size-limited emptyDir beside the read-only root filesystem.
    pub writable_tmp: WritableTmp,
    /// Where cluster DNS runs: the only destination every service may always reach.
    pub dns: Dns,
    /// The ingress class and controller of public services.
    pub ingress: IngressDefaults,
    /// The cluster's DNS domain, for the certificate's names.
    pub cluster_domain: String,
    /// Where secret files and the `tls/` folder are mounted in the container.
    pub secrets_mount_path: String,
    /// Certificate lifetimes.
    pub tls: TlsDefaults,
    /// Where the API server is, for services with `apiAccess`.
    pub api_server: ApiServer,
    /// ResourceQuota for the namespace of a `restricted` service.
    pub namespace_quota: NamespaceQuota,
    /// The `pod-security.kubernetes.io/*-version` of the Namespace, e.g. `latest` or `v1.30`.
    pub pod_security_version: String,
    /// Seconds a pod gets to shut down.
    pub termination_grace_period_seconds: u32,
    /// Old ReplicaSets kept for rollback.
    pub revision_history_limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// `spec.protocol` when the spec does not say.
    pub protocol: Protocol,
    /// `spec.exposure` when the spec does not say.
    pub exposure: Exposure,
    /// `spec.sensitivity` when the spec does not say.
    pub sensitivity: Sensitivity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// What the scheduler reserves for the container.
    pub requests: ResourceAmounts,
    /// What the container may use at most.
    pub limits: ResourceAmounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probes {
    /// HTTP path of the readiness probe.
    pub readiness_path: String,
    /// HTTP path of the liveness probe (different from the readiness path).
    pub liveness_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WritableTmp {
    /// Where the emptyDir is mounted, e.g. `/tmp`.
    pub mount_path: String,
    /// Its size limit, e.g. `64Mi`.
    pub size_limit: String,
}

/// Where cluster DNS runs: the only destination every service may always reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dns {
    /// The namespace of the DNS pods, e.g. `kube-system`.
    pub namespace: String,
    /// The labels of the DNS pods, e.g. `k8s-app: kube-dns`.
    pub pod_labels: BTreeMap<String, String>,
    /// The DNS port (UDP and TCP).
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressDefaults {
    /// `spec.ingress.className` when the spec does not say.
    pub class_name: String,
    /// `spec.ingress.controller` when the spec does not say.
    pub controller: AppSelector,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsDefaults {
    /// Lifetime of kubeward's own CA for a namespace.
    pub ca_validity_days: u32,
    /// Lifetime of a service certificate.
    pub leaf_validity_days: u32,
    /// A certificate this close to expiry is renewed at the next render.
    pub renew_before_days: u32,
}

/// Where the API server is reached from pods, and the token they get for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServer {
    /// The API server's addresses as NetworkPolicies see them (its endpoints, not the
    /// `kubernetes` Service address).
    pub cidrs: Vec<String>,
    /// The API server's ports.
    pub ports: Vec<u16>,
    /// Lifetime of the projected service account token.
    pub token_expiration_seconds: u32,
    /// The token's audience; unset, the API server's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_audience: Option<String>,
}

/// Totals for the namespace's ResourceQuota, as Kubernetes quantities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceQuota {
    /// Pods in the namespace at most.
    pub pods: String,
    /// Sum of cpu requests.
    pub requests_cpu: String,
    /// Sum of memory requests.
    pub requests_memory: String,
    /// Sum of cpu limits.
    pub limits_cpu: String,
    /// Sum of memory limits.
    pub limits_memory: String,
    /// Sum of ephemeral-storage requests.
    pub requests_ephemeral_storage: String,
    /// Sum of ephemeral-storage limits.
    pub limits_ephemeral_storage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppSelector {
    /// The namespace of the pods.
    pub namespace: String,
    /// Their `app.kubernetes.io/name` label.
    pub app: String,
}

/// Loads a preset by shipped name or, when `reference` looks like a path, from that file
/// (relative paths are taken from `base_dir`, the spec's folder).
pub fn load(reference: &str, base_dir: &Path) -> Result<Preset, Error> {
    if let Some((_, text)) = SHIPPED.iter().find(|(name, _)| *name == reference) {
        return parse(reference, text);
    }
    if !(reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml")) {
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
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Preset {
        name: reference.to_string(),
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    parse(reference, &text)
}

fn parse(name: &str, text: &str) -> Result<Preset, Error> {
    let fail = |message: String| Error::Preset {
        name: name.to_string(),
        message,
    };
    let file: PresetFile = serde_saphyr::from_str(text).map_err(|e| fail(e.to_string()))?;
    if file.api_version != crate::spec::API_VERSION || file.kind != KIND {
        return Err(fail(format!(
            "expected apiVersion {} and kind {KIND}, found {} {}",
            crate::spec::API_VERSION,
            file.api_version,
            file.kind
        )));
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
