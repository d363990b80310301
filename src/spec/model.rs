//! The service spec as a user writes it (`kubeward.yaml`): the serde model.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::names::{
    ALLOWED_VERBS, DNS_LABEL_PATTERN, NO_WILDCARD_PATTERN, RESERVED_NAMESPACES,
    RESERVED_SECRET_NAMES,
};

pub const API_VERSION: &str = "kubeward.dev/v1alpha1";
pub const KIND: &str = "SecureService";

// Every field is optional at this stage so that flags can fill or override it; `validate`
// turns the file into a `validate::Service`. The doc comments of these types are the
// field descriptions of the JSON Schema (`kubeward schema`) and of the book's spec reference.

/// A kubeward service spec (`kubeward.yaml`): one service, described by what it needs;
/// `kubeward render` turns it into hardened Kubernetes objects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(
    title = "kubeward service spec",
    extend("required" = ["apiVersion", "kind", "metadata", "spec"])
)]
pub struct SpecFile {
    /// Always `kubeward.dev/v1alpha1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = [API_VERSION]))]
    pub api_version: Option<String>,
    /// Always `SecureService`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = [KIND]))]
    pub kind: Option<String>,
    /// The service's name and namespace.
    #[serde(default)]
    pub metadata: Metadata,
    /// What the service is, who may call it, what it may call, and what it holds.
    #[serde(default)]
    pub spec: ServiceSpec,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["name", "namespace"]))]
pub struct Metadata {
    /// The app name, a DNS-1123 label (lowercase letters, digits and `-`, at most 63
    /// characters). It names the objects, and the pods carry `app.kubernetes.io/name: <name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub name: Option<String>,
    /// The namespace, a DNS-1123 label; kubeward renders it with Pod Security `restricted`
    /// enforced. `default`, `kube-system`, `kube-public` and `kube-node-lease` are refused:
    /// pick one of the service's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 63),
        pattern(DNS_LABEL_PATTERN),
        extend("not" = { "enum": RESERVED_NAMESPACES })
    )]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("required" = ["image", "port"]))]
pub struct ServiceSpec {
    /// The preset the service starts from: a shipped preset's name, or the path of a preset
    /// file (it contains `/` or ends in `.yaml`/`.yml`; relative to the spec file).
    /// Default: `restricted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The container image, an OCI reference naming a version: `repo:tag`, `repo@sha256:...`
    /// or, best, `repo:tag@sha256:<64 hex>`. No tag and the tag `latest` are refused; from
    /// sensitivity `confidential` a digest is required (unless `--allow-unpinned-image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The port the container listens on, 1-65535. No capability is added for ports below
    /// 1024: listen on 1024 or higher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
    /// What the port speaks: sets the Service port (80 for http, 443 for https, the
    /// container's port otherwise), the probes and the default TLS mode. Default from the
    /// preset (`http`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// How many pods, 1-1000; at least 2 from sensitivity `confidential`. Default from the
    /// preset (3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub replicas: Option<i64>,
    /// How far the service is reachable. Default from the preset (`namespace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    /// How sensitive the service's data is; each level adds protection. Default from the
    /// preset (`internal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
    /// Who may open connections to the service (NetworkPolicy ingress); nobody else may.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callers: Vec<CallerSpec>,
    /// What the service may connect to (NetworkPolicy egress), besides cluster DNS, which is
    /// always allowed; nothing else may be reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress: Vec<EgressSpec>,
    /// The public entry: required with `exposure: public`, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressSpec>,
    /// Kubernetes API permissions: a Role with exactly these rules, bound to the service's
    /// own ServiceAccount, and a short-lived projected token in the pod. Absent: no Role and
    /// no token.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_access: Vec<ApiRuleSpec>,
    /// The service's secrets. Each becomes a Secret `<name>-<secret name>`, mounted read-only
    /// as the file `/var/run/secrets/kubeward/<secret name>` (the preset's
    /// `secretsMountPath`), never an environment variable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretSpec>,
    /// The certificate for the service's own port, mounted under
    /// `/var/run/secrets/kubeward/tls/`. Default mode: `self-signed` at sensitivity
    /// `restricted`, and from `internal` when the protocol is `https` or `grpc`; `none`
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsSpec>,
    /// Overrides the preset's container resources, key by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesSpec>,
    /// Overrides the preset's probe paths (used with `http` and `https`), and names a
    /// clear-text port for the probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probes: Option<ProbesSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Plain HTTP; HTTP probes; Service port 80.
    Http,
    /// HTTPS served by the container; HTTPS probes; Service port 443.
    Https,
    /// gRPC; a gRPC readiness probe and a TCP liveness probe.
    Grpc,
    /// Any other TCP protocol; TCP probes.
    Tcp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    /// Declared callers in the service's own namespace only; a caller elsewhere is an error.
    Namespace,
    /// Declared callers in any namespace.
    Cluster,
    /// Declared callers and the ingress controller, behind an Ingress with TLS.
    Public,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// Public data.
    Public,
    /// Internal data: TLS by default when the protocol is `https` or `grpc`.
    Internal,
    /// As `internal`, and the image must be pinned by digest and replicas at least 2.
    Confidential,
    /// As `confidential`, and TLS is always on (`none` is refused); the namespace gets a
    /// ResourceQuota and a LimitRange.
    Restricted,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Public => "public",
            Sensitivity::Internal => "internal",
            Sensitivity::Confidential => "confidential",
            Sensitivity::Restricted => "restricted",
        }
    }
}

impl TlsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::None => "none",
            TlsMode::SelfSigned => "self-signed",
            TlsMode::Ca => "ca",
            TlsMode::CertManager => "cert-manager",
        }
    }
}

impl Exposure {
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Namespace => "namespace",
            Exposure::Cluster => "cluster",
            Exposure::Public => "public",
        }
    }
}

/// Transport protocol of an egress destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Transport {
    #[serde(rename = "TCP")]
    Tcp,
    #[serde(rename = "UDP")]
    Udp,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
/// Pods labelled `app.kubernetes.io/name: <app>` in the namespace `<namespace>`.
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["app"]))]
pub struct CallerSpec {
    /// The app: its pods carry the label `app.kubernetes.io/name: <app>` (no other label is
    /// required of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub app: Option<String>,
    /// The app's namespace. Default: the service's own (required for
    /// `spec.ingress.controller`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
/// A destination: pods (`app`, `namespace`) or an address range (`cidr`), on one port.
#[serde(deny_unknown_fields)]
#[schemars(extend(
    "required" = ["port"],
    "oneOf" = [{ "required": ["app"] }, { "required": ["cidr"] }]
))]
pub struct EgressSpec {
    /// A pod destination: pods labelled `app.kubernetes.io/name: <app>`. Give `app` or
    /// `cidr`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub app: Option<String>,
    /// The namespace of an `app` destination. Default: the service's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub namespace: Option<String>,
    /// An address range outside the cluster, e.g. `203.0.113.0/24` or `2001:db8::/32`.
    /// Private, cluster-internal and link-local (cloud metadata) ranges inside it stay denied
    /// unless named exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// The destination port, 1-65535.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
    /// `TCP` or `UDP`. Default: `TCP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Transport>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("required" = ["host"]))]
pub struct IngressSpec {
    /// The public host name, e.g. `shop.example.com`; the Ingress serves it with TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The IngressClass. Default from the preset (`nginx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Where the ingress controller's pods run; their traffic is admitted. Both `app` and
    /// `namespace` are required here. Default from the preset (`ingress-nginx/ingress-nginx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("required" = ["app", "namespace"]))]
    pub controller: Option<CallerSpec>,
    /// The cert-manager issuer of the public host's certificate, for instance an ACME
    /// (Let's Encrypt) `ClusterIssuer`, whose certificates browsers trust; the service's own
    /// certificate still comes from `spec.tls`. An HTTP-01 issuer's solver pod is not admitted
    /// through the namespace's default deny: add that policy, or use DNS-01. Default: the
    /// public host's certificate comes from where the service's own does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<IssuerRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
/// One rule of the service's Role.
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("required" = ["resources", "verbs"]))]
pub struct ApiRuleSpec {
    /// API groups; `""` is the core group. Default: `[""]`.
    #[serde(default)]
    #[schemars(inner(pattern(NO_WILDCARD_PATTERN)))]
    pub api_groups: Vec<String>,
    /// Resources, e.g. `configmaps`; at least one, no wildcards. Never `pods/exec`,
    /// `pods/attach` or `nodes/proxy`, `create` on `pods`, or `create`, `update` or `patch`
    /// on a pod controller (Deployment, Job...): each runs code as another account.
    #[serde(default)]
    #[schemars(length(min = 1), inner(pattern(NO_WILDCARD_PATTERN)))]
    pub resources: Vec<String>,
    /// Verbs: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
    /// `deletecollection`. `bind`, `escalate`, `impersonate` and `*` are never granted.
    #[serde(default)]
    #[schemars(length(min = 1), extend("items" = { "enum": ALLOWED_VERBS }))]
    pub verbs: Vec<String>,
    /// Only these objects. Required when `resources` includes `secrets`: otherwise the
    /// service could read every secret of the namespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(pattern(NO_WILDCARD_PATTERN)))]
    pub resource_names: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
/// A secret and where its value comes from: exactly one of `generate`, `fromEnv`,
/// `fromFile`.
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend(
    "required" = ["name"],
    "oneOf" = [
        { "required": ["generate"] },
        { "required": ["fromEnv"] },
        { "required": ["fromFile"] }
    ]
))]
pub struct SecretSpec {
    /// The secret's name, a DNS-1123 label, unique in the list; also its file name. Not
    /// `tls` or `ingress-tls`: kubeward names its own certificate Secrets so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 63),
        pattern(DNS_LABEL_PATTERN),
        extend("not" = { "enum": RESERVED_SECRET_NAMES })
    )]
    pub name: Option<String>,
    /// A random value, generated once and kept in the state folder, so re-renders keep it;
    /// `kubeward render --rotate <name>` replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<GenerateSpec>,
    /// The value, read from this environment variable at render time (exact bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_env: Option<String>,
    /// The value, read from this file at render time (exact bytes; relative to the spec
    /// file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_file: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateSpec {
    /// Characters (letters and digits from the OS random source), 16-4096. Default: 32.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 16, max = 4096))]
    pub length: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// No certificate for the service's port (refused at sensitivity `restricted`).
    None,
    /// Signed by kubeward's own CA for the namespace, kept in the state folder.
    SelfSigned,
    /// Signed by your CA, given in `tls.ca`.
    Ca,
    /// Issued in the cluster by cert-manager from `tls.issuer`; no key in the bundle.
    CertManager,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsSpec {
    /// How the certificate is obtained. Default: from the sensitivity and protocol (see
    /// `spec.tls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<TlsMode>,
    /// Your CA's PEM files; only with `mode: ca`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<CaFiles>,
    /// The cert-manager issuer; only with `mode: cert-manager`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<IssuerRef>,
    /// Extra names for the certificate (DNS names; `*.` wildcards allowed), besides
    /// `<name>`, `<name>.<namespace>`, `<name>.<namespace>.svc`,
    /// `<name>.<namespace>.svc.cluster.local` and the public host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["cert", "key"]))]
pub struct CaFiles {
    /// The CA certificate, a PEM file (relative to the spec file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
    /// The CA's private key, a PEM file; it is read at render time and never written into
    /// the manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["name"]))]
pub struct IssuerRef {
    /// `Issuer` (in the service's namespace) or `ClusterIssuer`. Default: `ClusterIssuer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Issuer", "ClusterIssuer"]))]
    pub kind: Option<String>,
    /// The issuer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourcesSpec {
    /// What the scheduler reserves for the container. Default from the preset (`100m`
    /// cpu, `128Mi` memory, `64Mi` ephemeral storage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceAmounts>,
    /// What the container may use at most. Default from the preset (`500m` cpu, `256Mi`
    /// memory, `256Mi` ephemeral storage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceAmounts>,
}

/// Kubernetes quantities, e.g. `cpu: 250m`, `memory: 256Mi`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceAmounts {
    /// CPU, e.g. `250m` (a quarter of a core) or `1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Memory, e.g. `256Mi` or `1Gi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// Local disk for the writable `/tmp` and logs, e.g. `256Mi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProbesSpec {
    /// The HTTP path of the readiness probe, starting with `/`. Default from the preset
    /// (`/readyz`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_path: Option<String>,
    /// The HTTP path of the liveness probe, starting with `/` and different from the
    /// readiness path. Default from the preset (`/livez`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_path: Option<String>,
    /// A second container port, in clear text, where the kubelet probes the server: for a
    /// server whose own port speaks only TLS, which the kubelet's gRPC probe cannot. There
    /// the gRPC health service answers (protocol `grpc`), or HTTP at the two paths (`http`,
    /// `https`). No Service port and no NetworkPolicy rule leads to it. Default: the probes
    /// use the service's own port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
}
