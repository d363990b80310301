//! The settings a preset fixes for every service that names it, as the plan reads them once
//! resolved along the preset's chain.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::{Exposure, Protocol, ResourceAmounts, SealingSpec, Sensitivity};

pub const KIND: &str = "Preset";
pub const DEFAULT: &str = "restricted";
/// The shortest projected token lifetime the API server issues.
pub const MIN_TOKEN_EXPIRATION_SECONDS: u32 = 600;

/// The presets compiled into the binary: (name, YAML text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("restricted", include_str!("../../presets/restricted.yaml")),
    ("baseline", include_str!("../../presets/baseline.yaml")),
    ("public-web", include_str!("../../presets/public-web.yaml")),
    (
        "internal-grpc",
        include_str!("../../presets/internal-grpc.yaml"),
    ),
    ("worker", include_str!("../../presets/worker.yaml")),
    ("api-client", include_str!("../../presets/api-client.yaml")),
];

/// Settings whose value is replaced as a whole by a child, never merged key by key.
pub const ATOMIC: &[&str] = &["spec.dns.podLabels", "spec.seccompProfile"];

/// The settings a preset fixes for every service that uses it, resolved along its chain.
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
    /// `false` relaxes rubric row 6: the root filesystem is writable (recorded on the
    /// Deployment as scanner exemptions).
    pub read_only_root_filesystem: bool,
    /// `false` relaxes rubric row 20: no anti-affinity or topology spread.
    pub spread_across_nodes: bool,
    /// The pod's seccomp profile: `RuntimeDefault` (rubric row 8), or a `Localhost` profile.
    pub seccomp_profile: SeccompProfile,
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
    /// How the `ExternalSecret`s of secrets `fromStore` are kept in step with their store.
    pub external_secrets: ExternalSecretsDefaults,
    /// Seal every Secret for this Sealed Secrets controller (the certificate's path is
    /// relative to the preset file), unless a spec says otherwise; absent, Secrets are plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealing: Option<SealingSpec>,
    /// A folder of template overrides (absolute once resolved: a preset file writes it
    /// relative to its own folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
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

/// The pod's seccomp profile: `RuntimeDefault`, or a `Localhost` profile on the nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SeccompProfile {
    /// `RuntimeDefault` or `Localhost`.
    #[serde(rename = "type")]
    pub kind: SeccompType,
    /// With `Localhost`: the profile's path on the nodes, relative to the kubelet's seccomp folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SeccompType {
    RuntimeDefault,
    Localhost,
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
pub struct ExternalSecretsDefaults {
    /// How often the External Secrets Operator reads each value from its store again and
    /// updates the Secret, as a Go duration (`1h`, `15m`); `0` reads it once.
    pub refresh_interval: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsDefaults {
    /// Lifetime of kubeward's own CAs: the root and each namespace's.
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
