//! The service validation hands to the plan: every field of the spec checked, typed and
//! defaulted from the preset.

use std::collections::BTreeMap;

use crate::preset::GatewayImplementation;
use crate::spec::cidr::Cidr;
use crate::spec::image::ImageRef;
use crate::spec::{
    self, Exposure, Mesh, Protocol, ResourcesSpec, RouteTermination, SealingScope, Sensitivity,
    TlsMode, Transport,
};

/// A service whose every field is checked and defaulted from the preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub image: String,
    pub image_ref: ImageRef,
    /// `app.kubernetes.io/part-of`, `component` and `instance`, as given or from the preset.
    pub part_of: Option<String>,
    pub component: Option<String>,
    pub instance: Option<String>,
    /// The container's port; `None`: a worker, which listens on none.
    pub port: Option<u16>,
    /// What the port speaks (a worker keeps its preset's default, which nothing uses).
    pub protocol: Protocol,
    /// A fixed replica count the spec asks for (never with `autoscaling`).
    pub replicas: Option<u32>,
    /// The autoscaler that owns the replica count, when there is one.
    pub autoscaling: Option<Autoscaling>,
    pub exposure: Exposure,
    pub sensitivity: Sensitivity,
    /// The pod callers, sorted, each once.
    pub callers: Vec<PodCaller>,
    /// The address ranges admitted as callers, in the order declared, each once.
    pub caller_ranges: Vec<RangeCaller>,
    pub egress: Vec<Destination>,
    pub ingress: Option<PublicIngress>,
    pub api_access: Vec<ApiRule>,
    pub secrets: Vec<Secret>,
    pub tls: Tls,
    pub resources: ResourcesSpec,
    /// The folders the application writes besides `/tmp`, each an emptyDir.
    pub writable_paths: Vec<String>,
    pub readiness_path: Option<String>,
    pub liveness_path: Option<String>,
    /// The clear-text port the probes use instead of `port`.
    pub probe_port: Option<u16>,
    /// A worker's exec probes (empty: none).
    pub readiness_command: Vec<String>,
    pub liveness_command: Vec<String>,
    /// The mesh that proves the callers' identities.
    pub mesh: Mesh,
    /// Every Secret written as a SealedSecret for this controller certificate.
    pub sealing: Option<Sealing>,
    /// Whether the bundle writes the Namespace, its quota and LimitRange (`false`: the
    /// platform owns them).
    pub manage_namespace: bool,
}

impl Service {
    /// A worker listens on no port: no Service, no callers, probes only as commands.
    pub fn is_worker(&self) -> bool {
        self.port.is_none()
    }
}

/// Pods labelled `app.kubernetes.io/name: app` in namespace `namespace`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppRef {
    pub app: String,
    pub namespace: String,
}

/// Pods that may call the service, the ServiceAccount they run as, and the entry of
/// `spec.callers` that declares them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PodCaller {
    pub app: AppRef,
    /// As given in the spec; see [`PodCaller::service_account`].
    pub service_account: Option<String>,
    /// The index in `spec.callers`.
    pub entry: usize,
}

impl PodCaller {
    /// The ServiceAccount the caller's pods run as: as given, else the app name (how kubeward
    /// names a service's own account).
    pub fn service_account(&self) -> &str {
        self.service_account.as_deref().unwrap_or(&self.app.app)
    }
}

/// Clients by address range, and the entry of `spec.callers` that declares them.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeCaller {
    pub cidr: Cidr,
    pub entry: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    App(AppRef),
    Cidr(Cidr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    pub target: Target,
    pub port: u16,
    pub transport: Transport,
    /// The index in `spec.egress`.
    pub entry: usize,
}

/// The bounds and targets of the HorizontalPodAutoscaler, checked and defaulted.
#[derive(Debug, Clone, PartialEq)]
pub struct Autoscaling {
    pub min_replicas: u32,
    pub max_replicas: u32,
    pub target_cpu: u32,
    pub target_memory: Option<u32>,
    pub scale_down_stabilization_seconds: u32,
    /// Whether the spec asked for it (else the preset did).
    pub from_spec: bool,
}

/// The public entry, checked and defaulted: what carries it, who runs it, its limits.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicIngress {
    pub host: String,
    /// The cert-manager issuer of the host's certificate, when it is not the service's own
    /// certificate source (`api: ingress`) or the listener's (`api: gateway`); its name is
    /// present.
    pub issuer: Option<spec::IssuerRef>,
    pub entry: Entry,
    /// The pods of the public path: the only ones admitted on it.
    pub controller: Pods,
    pub limits: Limits,
    /// Limits the preset sets that this entry cannot enforce: (field, why, what can).
    pub unenforced: Vec<Unenforced>,
}

/// What carries the public entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Gateway API: a route attached to a listener of a Gateway.
    Gateway(GatewayEntry),
    /// A `networking.k8s.io/v1` Ingress of an IngressClass.
    Ingress { class_name: String },
    /// An OpenShift Route, its TLS ending where `termination` says.
    Route { termination: RouteTermination },
}

/// The Gateway a route attaches to.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayEntry {
    pub name: String,
    pub namespace: String,
    /// The HTTPS listener the service's route attaches to.
    pub section_name: String,
    /// The plain-HTTP listener where the host is redirected to HTTPS, when the Gateway has one.
    pub http_section_name: Option<String>,
    pub implementation: GatewayImplementation,
}

/// Pods by namespace and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pods {
    /// The namespace's name (what selects it, unless `namespace_labels` does).
    pub namespace: String,
    /// Labels that select the namespaces instead of their name (OpenShift's router).
    pub namespace_labels: Option<BTreeMap<String, String>>,
    /// Empty: every pod of the namespaces (and their host-network traffic).
    pub labels: BTreeMap<String, String>,
}

/// The limits the entry enforces, each checked against what the entry can do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub requests_per_second: Option<u32>,
    /// At least `requests_per_second`, when that is set.
    pub burst: Option<u32>,
    pub connections: Option<u32>,
    /// As written (e.g. `1Mi`), and in bytes.
    pub max_body_size: Option<(String, u64)>,
    pub request_timeout: Option<String>,
    pub backend_request_timeout: Option<String>,
    pub source_ranges: Vec<Cidr>,
    /// The limit fields the spec wrote (the others come from the preset).
    pub from_spec: Vec<&'static str>,
}

impl Limits {
    /// Whether the entry sheds floods: a rate or a connection limit.
    pub fn sheds_load(&self) -> bool {
        self.requests_per_second.is_some() || self.connections.is_some()
    }
}

/// A limit of the preset that the chosen entry cannot enforce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unenforced {
    /// The spec field, e.g. `spec.ingress.rateLimit`.
    pub field: &'static str,
    /// Why this entry cannot, and what can.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    pub name: String,
    pub source: SecretSource,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecretSource {
    Generate {
        length: usize,
    },
    Env(String),
    File(String),
    /// Kept in an external store; the External Secrets Operator writes the Secret.
    Store(StoreRef),
}

/// A value in an external secret store.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoreRef {
    pub store: String,
    /// `SecretStore` or `ClusterSecretStore`.
    pub kind: String,
    pub key: String,
    pub property: Option<String>,
    pub version: Option<String>,
}

/// The Sealed Secrets controller every Secret is sealed for.
#[derive(Debug, Clone, PartialEq)]
pub struct Sealing {
    /// The controller's certificate: relative to the spec's folder, or absolute (a preset's).
    pub certificate: String,
    pub scope: SealingScope,
    /// Where the certificate was given, for errors: `spec.sealing.certificate`, or the
    /// preset's setting.
    pub field: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tls {
    pub mode: TlsMode,
    pub ca_cert: Option<String>,
    pub ca_key: Option<String>,
    pub issuer_kind: Option<String>,
    pub issuer_name: Option<String>,
    /// The cert-manager issuer's CA certificate file (`spec.tls.issuer.ca`).
    pub issuer_ca: Option<String>,
    pub dns_names: Vec<String>,
    /// Callers must present client certificates (`clientAuth: required`).
    pub client_auth: bool,
    /// The CA certificates file of outside callers' client certificates (`spec.tls.clientCa`).
    pub client_ca: Option<String>,
}
