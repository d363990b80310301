//! The service validation hands to the plan: every field of the spec checked, typed and
//! defaulted from the preset.

use crate::spec::cidr::Cidr;
use crate::spec::image::ImageRef;
use crate::spec::{
    self, Exposure, Protocol, ResourcesSpec, SealingScope, Sensitivity, TlsMode, Transport,
};

/// A service whose every field is checked and defaulted from the preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub image: String,
    pub image_ref: ImageRef,
    pub port: u16,
    pub protocol: Protocol,
    pub replicas: Option<u32>,
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
    pub readiness_path: Option<String>,
    pub liveness_path: Option<String>,
    /// The clear-text port the probes use instead of `port`.
    pub probe_port: Option<u16>,
    /// Every Secret written as a SealedSecret for this controller certificate.
    pub sealing: Option<Sealing>,
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

#[derive(Debug, Clone, PartialEq)]
pub struct PublicIngress {
    pub host: String,
    pub class_name: Option<String>,
    pub controller: Option<AppRef>,
    /// The cert-manager issuer of the host's certificate, when it is not the service's own
    /// certificate source; its name is present.
    pub issuer: Option<spec::IssuerRef>,
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
