//! The service spec as a user writes it (`kubeward.yaml`): the serde model.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::entry::IngressSpec;
use super::names::{
    ALLOWED_VERBS, DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN, LABEL_VALUE_PATTERN,
    NO_WILDCARD_PATTERN, RESERVED_NAMESPACES, RESERVED_SECRET_NAMES, STORE_KINDS,
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
#[schemars(extend(
    "required" = ["image"],
    // A worker (no port) has no caller, no protocol, no certificate and no public entry.
    "if" = { "not": { "required": ["port"] } },
    "then" = {
        "properties": {
            "callers": { "maxItems": 0 },
            "protocol": false,
            "tls": false,
            "ingress": false
        }
    }
))]
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
    /// 1024: listen on 1024 or higher. Omitted: the service is a worker (a queue consumer, a
    /// batch processor) that listens on no port: no Service, no caller (refused), no public
    /// entry, no certificate of its own, and probes only as commands
    /// (`probes.readinessCommand`, `livenessCommand`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
    /// The application the service is part of, e.g. `shop`: the label
    /// `app.kubernetes.io/part-of` on every object of the service (never in a selector). A
    /// label value. Default from the preset (unset: no label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(LABEL_VALUE_PATTERN))]
    pub part_of: Option<String>,
    /// The service's role in the application, e.g. `api`, `worker`, `cache`: the label
    /// `app.kubernetes.io/component`. A label value. Default from the preset (`worker` in the
    /// preset `worker`; unset: no label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(LABEL_VALUE_PATTERN))]
    pub component: Option<String>,
    /// What tells this instance of the app from another of the same name, e.g. `shop-eu`: the
    /// label `app.kubernetes.io/instance`. A label value. Default: no label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(LABEL_VALUE_PATTERN))]
    pub instance: Option<String>,
    /// What the port speaks: sets the Service port (80 for http, 443 for https, the
    /// container's port otherwise), the probes and the default TLS mode. Default from the
    /// preset (`http`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// How many pods, 1-1000; at least 2 from sensitivity `confidential`. Default from the
    /// preset (3). Not with autoscaling, which owns the count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub replicas: Option<i64>,
    /// A HorizontalPodAutoscaler owns the replica count, between `minReplicas` and
    /// `maxReplicas`. Default from the preset (on in `public-web`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<AutoscalingSpec>,
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
    /// Folders the application writes besides `/tmp` (the preset's `writableTmp`), e.g.
    /// `/var/cache/nginx`: each an `emptyDir` of the preset's `writablePathSizeLimit`, so the
    /// root filesystem stays read-only. Absolute and normalised (no `..`, `.`, `//` or trailing
    /// `/`), each once, none inside another or `/tmp`, none over or around the secrets and
    /// API-token mounts or `/dev`, `/proc`, `/sys`. With `/tmp` they must fit in the
    /// container's ephemeral-storage limit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub writable_paths: Vec<String>,
    /// Overrides the preset's container resources, key by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesSpec>,
    /// Overrides the preset's probe paths (used with `http` and `https`), and names a
    /// clear-text port for the probes; a worker's probes are commands instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probes: Option<ProbesSpec>,
    /// The service mesh the cluster runs. With `istio` or `linkerd` the bundle keeps every
    /// NetworkPolicy and adds the mesh's mutual TLS and authorization, admitting exactly the
    /// callers' identities (their ServiceAccounts). Default from the preset (`none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh: Option<Mesh>,
    /// Write every Secret of the bundle (generated, from the environment, from a file, and the
    /// TLS keys) as a `SealedSecret` (bitnami.com/v1alpha1) that only the Sealed Secrets
    /// controller of the cluster can decrypt, so that the output folder can be committed.
    /// Default from the preset (none: plain Secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealing: Option<SealingSpec>,
    /// Who owns the Namespace object (`metadata.namespace` stays its name). Default from the
    /// preset (`manage: true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<NamespaceSpec>,
}

/// Whether the bundle carries the namespace's own objects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceSpec {
    /// `true`: the bundle writes the Namespace (Pod Security labels, the mesh's injection
    /// labels) and, at the preset's `namespaceQuota.fromSensitivity`, its ResourceQuota and
    /// LimitRange. `false`: the platform owns the Namespace object and those two; the bundle
    /// writes none of them, and `render` notes (on a terminal) the labels and annotations the
    /// platform must put on the namespace; in a system, the services of one namespace agree.
    /// Default from the preset (`namespace.manage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage: Option<bool>,
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
    /// As `internal`, and the image must be pinned by digest and replicas at least 2; the
    /// namespace gets a ResourceQuota and a LimitRange (from the preset).
    Confidential,
    /// As `confidential`, and TLS is always on (`none` is refused).
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

/// The service mesh that proves who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mesh {
    /// No mesh: NetworkPolicies (and TLS, when set) only.
    None,
    /// Istio sidecars: PeerAuthentication STRICT and an ALLOW AuthorizationPolicy.
    Istio,
    /// Linkerd proxies: Server, MeshTLSAuthentication, AuthorizationPolicy, default deny.
    Linkerd,
}

impl Mesh {
    pub fn as_str(self) -> &'static str {
        match self {
            Mesh::None => "none",
            Mesh::Istio => "istio",
            Mesh::Linkerd => "linkerd",
        }
    }
}

/// The bounds and targets of the HorizontalPodAutoscaler.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AutoscalingSpec {
    /// `false` keeps a fixed replica count (`spec.replicas`). Default: `true` when
    /// `autoscaling` is written, else from the preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The fewest pods, at least 2 and at least the preset's floor `minReplicas`. Default from
    /// the preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 2, max = 1000))]
    pub min_replicas: Option<i64>,
    /// The most pods, more than `minReplicas`. Default from the preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 3, max = 1000))]
    pub max_replicas: Option<i64>,
    /// Average CPU use, in percent of the CPU request, that the autoscaler keeps the pods at.
    /// Default from the preset (70).
    #[serde(
        default,
        rename = "targetCPUUtilizationPercentage",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 1, max = 100))]
    pub target_cpu_utilization_percentage: Option<i64>,
    /// Average memory use, in percent of the memory request, to scale on as well. Default:
    /// CPU only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub target_memory_utilization_percentage: Option<i64>,
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
/// A caller: pods (`app`, `namespace`, `serviceAccount`) or an address range (`cidr`).
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("oneOf" = [{ "required": ["app"] }, { "required": ["cidr"] }]))]
pub struct CallerSpec {
    /// A pod caller: pods labelled `app.kubernetes.io/name: <app>` (no other label is
    /// required of them). Give `app` or `cidr`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub app: Option<String>,
    /// The app's namespace. Default: the service's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub namespace: Option<String>,
    /// The ServiceAccount the caller's pods run as: the identity its client certificate
    /// carries (`spiffe://<cluster domain>/ns/<namespace>/sa/<serviceAccount>`). Default: the
    /// app name, which is how kubeward names a service's own account; a caller rendered in
    /// the same system always runs as its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253), pattern(DNS_SUBDOMAIN_PATTERN))]
    pub service_account: Option<String>,
    /// Clients by address range, e.g. `198.51.100.0/24` or `2001:db8::/48`, admitted on the
    /// service's port (a NetworkPolicy `ipBlock`). The network address of the range
    /// (`10.0.0.0/8`, not `10.0.0.1/8`); not every address (`0.0.0.0/0`, `::/0`: use
    /// `exposure: public`); not with `exposure: namespace`. Cluster-internal and link-local
    /// ranges inside it stay denied unless named exactly, as for egress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
/// Pods labelled `app.kubernetes.io/name: <app>` in the namespace `<namespace>`.
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["app", "namespace"]))]
pub struct ControllerSpec {
    /// The controller's pods carry the label `app.kubernetes.io/name: <app>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63), pattern(DNS_LABEL_PATTERN))]
    pub app: Option<String>,
    /// The namespace the controller runs in.
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
    /// An address range outside the cluster, e.g. `203.0.113.0/24` or `2001:db8::/32`, or one
    /// address (`203.0.113.10`, read as `/32`; `/128` for IPv6). Private, cluster-internal
    /// and link-local (cloud metadata) ranges inside it stay denied unless named exactly. On
    /// port 53, a single address: DNS to a range is a tunnel out.
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
/// `fromFile`, `fromStore`.
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend(
    "required" = ["name"],
    "oneOf" = [
        { "required": ["generate"] },
        { "required": ["fromEnv"] },
        { "required": ["fromFile"] },
        { "required": ["fromStore"] }
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
    /// The value, kept in an external secret store and copied into the Secret in the cluster
    /// by the External Secrets Operator (an `ExternalSecret`, external-secrets.io/v1): it never
    /// passes through kubeward, and the bundle holds no trace of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_store: Option<StoreRefSpec>,
}

/// Where in an external secret store a value is: the store (a `SecretStore` in the service's
/// namespace or a `ClusterSecretStore`), the key, and optionally a property and a version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("required" = ["store", "key"]))]
pub struct StoreRefSpec {
    /// The name of the `SecretStore` or `ClusterSecretStore` (a DNS-1123 subdomain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253), pattern(DNS_SUBDOMAIN_PATTERN))]
    pub store: Option<String>,
    /// `SecretStore` (in the service's namespace) or `ClusterSecretStore`. Default:
    /// `SecretStore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = STORE_KINDS))]
    pub kind: Option<String>,
    /// The key of the value in the store, e.g. `payments/stripe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub key: Option<String>,
    /// One property of a structured value (a JSON object), e.g. `api-key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub property: Option<String>,
    /// A version of the value, where the store keeps versions. Default: the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub version: Option<String>,
}

/// The Sealed Secrets controller's public certificate, and how far a sealed value may move.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SealingSpec {
    /// The controller's public certificate, a PEM file (`kubeseal --fetch-cert`; relative to
    /// the spec file, or to the preset file in a preset). It must hold an RSA key and not be
    /// expired. Required unless the preset gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub certificate: Option<String>,
    /// Where a sealed value can be unsealed: `strict` (this namespace and this name only),
    /// `namespace-wide` (any name in this namespace) or `cluster-wide` (anywhere: a warning).
    /// Default from the preset (`strict`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<SealingScope>,
}

/// The scope a value is sealed for: what the controller's decryption label binds it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SealingScope {
    /// The label is `<namespace>/<name>`: the value unseals only as this Secret.
    Strict,
    /// The label is `<namespace>`: the value unseals under any name in this namespace.
    NamespaceWide,
    /// No label: the value unseals in any namespace under any name.
    ClusterWide,
}

impl SealingScope {
    pub fn as_str(self) -> &'static str {
        match self {
            SealingScope::Strict => "strict",
            SealingScope::NamespaceWide => "namespace-wide",
            SealingScope::ClusterWide => "cluster-wide",
        }
    }
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
    /// Signed by kubeward's own CA for the namespace (under one root), kept in the state folder.
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
    pub issuer: Option<TlsIssuer>,
    /// Extra names for the certificate (DNS names; `*.` wildcards allowed), besides
    /// `<name>`, `<name>.<namespace>`, `<name>.<namespace>.svc`,
    /// `<name>.<namespace>.svc.cluster.local`, and the public host where clients see this
    /// certificate (a Route with termination passthrough).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<String>,
    /// Mutual TLS: `required` makes every caller present a client certificate. Callers
    /// rendered in the same system get one (extended key usage clientAuth, the URI SAN
    /// `spiffe://<cluster domain>/ns/<namespace>/sa/<service account>`); the service verifies
    /// them against `tls/client-ca.crt` (cert-manager: against `tls/ca.crt`, the issuer's CA).
    /// Only for a service with TLS. Default: `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_auth: Option<ClientAuth>,
    /// The CA certificates (a PEM file, relative to the spec file) that sign the client
    /// certificates of callers outside the system, which kubeward issues none to: the service
    /// accepts them besides the system's own. Only with `clientAuth: required` and modes
    /// `self-signed` and `ca` (with cert-manager, such callers get a certificate from the same
    /// issuer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ca: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    /// Callers need no client certificate.
    None,
    /// Every caller presents a client certificate the service verifies (mutual TLS).
    Required,
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
#[schemars(extend("required" = ["name"]))]
pub struct TlsIssuer {
    /// `Issuer` (in the service's namespace) or `ClusterIssuer`. Default: `ClusterIssuer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Issuer", "ClusterIssuer"]))]
    pub kind: Option<String>,
    /// The issuer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The issuer's CA certificate (a PEM file, relative to the spec file; public, no key),
    /// which kubeward cannot know otherwise: added to the trust bundle the service's callers
    /// verify its certificate with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
}

impl TlsIssuer {
    /// The issuer reference, without the CA.
    pub fn reference(&self) -> IssuerRef {
        IssuerRef {
            kind: self.kind.clone(),
            name: self.name.clone(),
        }
    }
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

impl ResourceAmounts {
    /// These amounts with each one `over` gives in its place.
    pub fn overridden_by(&self, over: Option<&ResourceAmounts>) -> ResourceAmounts {
        let over = over.cloned().unwrap_or_default();
        ResourceAmounts {
            cpu: over.cpu.or_else(|| self.cpu.clone()),
            memory: over.memory.or_else(|| self.memory.clone()),
            ephemeral_storage: over
                .ephemeral_storage
                .or_else(|| self.ephemeral_storage.clone()),
        }
    }

    /// The three amounts of `self` and `other` side by side, each with its key.
    pub fn side_by_side<'a>(
        &'a self,
        other: &'a ResourceAmounts,
    ) -> [(&'static str, Option<&'a str>, Option<&'a str>); 3] {
        [
            ("cpu", self.cpu.as_deref(), other.cpu.as_deref()),
            ("memory", self.memory.as_deref(), other.memory.as_deref()),
            (
                "ephemeralStorage",
                self.ephemeral_storage.as_deref(),
                other.ephemeral_storage.as_deref(),
            ),
        ]
    }
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
    /// `https`). No Service port and no NetworkPolicy rule leads to it. Required for protocol
    /// `grpc` with TLS on. Default: the probes use the service's own port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<i64>,
    /// A worker's readiness probe (no `spec.port`): a command the kubelet runs in the
    /// container, ready while it exits 0, e.g. `[/app/healthcheck, --ready]`: the program (an
    /// absolute path, or one on the image's PATH), then its arguments; no shell unless you
    /// name one. A rollout waits for new pods to be ready. Default: no readiness probe (the
    /// scanners' readiness checks suppressed on the Deployment, with that reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readiness_command: Vec<String>,
    /// A worker's liveness probe: a command the kubelet runs in the container, which restarts
    /// it after 6 failures in a row (one every 20 s); different from `readinessCommand`.
    /// Default: no liveness probe (the scanners' liveness checks suppressed, with that reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub liveness_command: Vec<String>,
}
