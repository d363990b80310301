//! The cluster spec as a user writes it (`cluster.yaml`, kind `SecureCluster`): the serde
//! model, and reading it with every parse error at its field and line. Its doc comments are
//! the field descriptions of the JSON Schema (`kubeward schema cluster`) and of the book.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::SpecError;
use crate::spec::names::DNS_LABEL_PATTERN;
use crate::spec::{API_VERSION, other_kind};
use crate::yaml::locate::Locator;

pub const KIND: &str = "SecureCluster";

/// An absolute path of letters, digits and `._/-`, for the JSON Schema.
pub const PATH_PATTERN: &str = "^/[A-Za-z0-9._/-]*$";
/// A KMS plugin's socket, for the JSON Schema.
pub const ENDPOINT_PATTERN: &str = "^unix:///[A-Za-z0-9._/-]+$";
/// A Kubernetes version, for the JSON Schema.
pub const VERSION_PATTERN: &str = "^v?[0-9]+\\.[0-9]+\\.[0-9]+$";

// Every field is optional here so that each problem is reported by `validate` with its
// field and line; `validate` turns the file into a `Cluster`.

/// A kubeward cluster spec (`cluster.yaml`): the control plane's version, how Secrets are
/// encrypted at rest, what the audit log keeps and how Pod Security is enforced; `kubeward
/// cluster` renders the API server's and etcd's configuration from it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(
    title = "kubeward cluster spec",
    extend("required" = ["apiVersion", "kind", "metadata", "spec"])
)]
pub struct ClusterFile {
    /// Always `kubeward.dev/v1alpha1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = [API_VERSION]))]
    pub api_version: Option<String>,
    /// Always `SecureCluster`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = [KIND]))]
    pub kind: Option<String>,
    /// The cluster's name.
    #[serde(default)]
    pub metadata: ClusterMetadata,
    /// The control plane's version and protections.
    #[serde(default)]
    pub spec: ClusterSpec,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct ClusterMetadata {
    /// The cluster's name, a DNS-1123 label: kubeadm's `clusterName`, and the folder of its
    /// keys in the state folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("required" = ["kubernetesVersion"]))]
pub struct ClusterSpec {
    /// The control plane's Kubernetes version, MAJOR.MINOR.PATCH (quote it: `"1.36.3"`). 1.31
    /// or newer (kubeadm's v1beta4 configuration); a minor out of upstream support is
    /// reported. It pins the Pod Security version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(VERSION_PATTERN))]
    pub kubernetes_version: Option<String>,
    /// How the API server encrypts resources in etcd. Default: `secretbox` for `secrets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<EncryptionSpec>,
    /// Where the audit log goes and how much of it is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditSpec>,
    /// The Pod Security level every namespace gets unless labelled otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_security: Option<PodSecuritySpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    /// XSalsa20 and Poly1305 with a 32-byte key kubeward generates and keeps in the state
    /// folder (mode 0600); the key is on the control-plane nodes, in the rendered file.
    Secretbox,
    /// Envelope encryption by a KMS plugin (KMS v2): the key never leaves the KMS.
    Kms,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EncryptionSpec {
    /// Which provider encrypts. Default: `secretbox`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderName>,
    /// The KMS plugin: required with `provider: kms`, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms: Option<KmsSpec>,
    /// The resources to encrypt (`resource` or `resource.group`, `*.` every core resource,
    /// `*.*` everything); `secrets` must be covered. Default: `[secrets]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// `true` while resources written before this configuration are still stored the old
    /// way: the API server can still read them (`identity` last, and with `kms` the
    /// secretbox keys kubeward kept) until `kubectl get secrets -A -o json | kubectl replace
    /// -f -` rewrites them; then set it back to `false`. Default: `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrating: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["name", "endpoint"]))]
pub struct KmsSpec {
    /// The provider's name: lowercase letters, digits, `-` and `.`, never `:` (it is part
    /// of every stored value's prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"))]
    pub name: Option<String>,
    /// The plugin's gRPC socket, `unix:///path/to/socket.sock`; its folder is mounted into
    /// the API server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(ENDPOINT_PATTERN))]
    pub endpoint: Option<String>,
    /// How long the API server waits for the plugin, e.g. `3s`. Default: `3s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern("^[1-9][0-9]*(ms|s|m)$"))]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuditSpec {
    /// The audit log file on each control-plane node (its folder is mounted into the API
    /// server). Default: `/var/log/kubernetes/audit/audit.log`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(PATH_PATTERN))]
    pub log_path: Option<String>,
    /// Days a rotated log file is kept, 30 or more (CIS 1.2.17). Default: 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 30, max = 3650))]
    pub max_age_days: Option<i64>,
    /// Rotated log files kept, 10 or more (CIS 1.2.18). Default: 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 10, max = 1000))]
    pub max_backups: Option<i64>,
    /// The size in megabytes at which the log rotates, 100 or more (CIS 1.2.19). Default: 100.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "maxSizeMB")]
    #[schemars(range(min = 100, max = 100000))]
    pub max_size_mb: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The Pod Security Standard `restricted`: non-root, no capabilities, seccomp.
    Restricted,
    /// The Pod Security Standard `baseline`: no privileged pods, host namespaces or paths.
    Baseline,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PodSecuritySpec {
    /// The level enforced (and audited and warned about) for every namespace without a label
    /// of its own, pinned to the cluster's minor. Default: `restricted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce: Option<Level>,
    /// Who Pod Security does not judge. Default: the namespace `kube-system`, whose
    /// node-level pods (kube-proxy, CNI agents) need host access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemptions: Option<ExemptionsSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExemptionsSpec {
    /// Namespaces whose pods are not judged (DNS-1123 labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(max = 63), pattern(DNS_LABEL_PATTERN)))]
    pub namespaces: Vec<String>,
    /// RuntimeClasses whose pods are not judged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(max = 253), pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")))]
    pub runtime_classes: Vec<String>,
    /// Users (authenticated user names) whose requests are not judged; a pod created by a
    /// controller is judged by the controller's account, never by the user's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(min = 1)))]
    pub usernames: Vec<String>,
}

/// A cluster spec read from its file, with what is needed to point errors at lines.
#[derive(Debug)]
pub struct LoadedCluster {
    pub file: ClusterFile,
    pub locator: Locator,
}

/// Reads and parses `path`. Unknown fields and wrong types are errors naming the field and line.
pub fn load(path: &Path) -> Result<LoadedCluster, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let locator = Locator::new(&text);
    let file = serde_saphyr::from_str::<ClusterFile>(&text).map_err(|err| {
        let hint = "is SecureService, a service spec: render it with `kubeward render -f FILE`";
        SpecError::InvalidCluster {
            path: path.to_path_buf(),
            errors: vec![
                other_kind(&text, &locator, crate::spec::KIND, hint)
                    .unwrap_or_else(|| locator.locate(&err)),
            ],
        }
    })?;
    Ok(LoadedCluster { file, locator })
}
