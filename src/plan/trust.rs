//! Who verifies whom: the trust bundle a service mounts to verify the TLS services of its
//! system that it calls, the client certificates it presents to those that require them,
//! what a service that requires client certificates verifies them with, and the trust bundle
//! its callers outside the system get.

use serde::Serialize;

use super::decisions::Decisions;
use super::objects::{PEERS_DIR, Placement};
use super::surroundings::{Anchor, Neighbour, PeerTls, Surroundings};
use super::tls::{CertPlan, CertSource, Purpose, cert_plan};
use crate::preset::Preset;
use crate::spec::TlsMode;
use crate::validate::Service;

/// The ConfigMap of the system's trust bundle, in every namespace whose pods verify servers
/// with it.
pub const TRUST_BUNDLE: &str = "kubeward-trust";

/// A ConfigMap of CA certificates, under the key `ca.crt`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundlePlan {
    pub name: String,
    pub namespace: String,
    #[serde(skip)]
    pub placement: Placement,
    /// What it holds, in order.
    #[serde(skip)]
    pub anchors: Vec<Anchor>,
}

/// A client certificate the service presents, and the folder of the secrets volume it is
/// mounted in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientCert {
    pub cert: CertPlan,
    pub dir: String,
}

/// The trust the service's pods mount, and the bundles its plan renders.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrustPlan {
    /// The system's trust bundle (a ConfigMap), mounted at `trust/ca.crt` to verify the TLS
    /// services it calls.
    pub bundle: Option<String>,
    pub client_certs: Vec<ClientCert>,
    /// What the service verifies client certificates with (a ConfigMap), mounted at
    /// `tls/client-ca.crt`.
    pub client_ca: Option<String>,
    /// Every CA bundle the plan renders.
    pub bundles: Vec<BundlePlan>,
}

impl TrustPlan {
    /// Whether the pods mount anything of it.
    pub fn mounted(&self) -> bool {
        self.bundle.is_some() || !self.client_certs.is_empty() || self.client_ca.is_some()
    }
}

/// Whether a service's own certificate is one the system's trust bundle verifies: kubeward's
/// or the user's CA, or a cert-manager issuer whose CA the spec gives.
fn verifiable(service: &Service) -> bool {
    match service.tls.mode {
        TlsMode::None => false,
        TlsMode::SelfSigned | TlsMode::Ca => true,
        TlsMode::CertManager => service.tls.issuer_ca.is_some(),
    }
}

/// The SPIFFE ID of a ServiceAccount: `spiffe://<cluster domain>/ns/<namespace>/sa/<account>`.
pub fn spiffe_id(domain: &str, namespace: &str, account: &str) -> String {
    format!("spiffe://{domain}/ns/{namespace}/sa/{account}")
}

fn who(n: &Neighbour) -> String {
    format!("{}/{}", n.namespace, n.name)
}

pub(super) fn trust(
    service: &Service,
    preset: &Preset,
    around: &Surroundings,
    d: &mut Decisions,
) -> TrustPlan {
    let mut plan = TrustPlan::default();
    let mount = &preset.secrets_mount_path;
    let servers: Vec<&Neighbour> = around
        .destinations
        .values()
        .filter(|n| n.tls.is_some())
        .collect();
    let (verified, unverified): (Vec<&Neighbour>, Vec<&Neighbour>) =
        servers.iter().partition(|n| match &n.tls {
            Some(PeerTls::Issuer { ca_known, .. }) => *ca_known,
            _ => true,
        });
    if !verified.is_empty() && !around.anchors.is_empty() {
        let names: Vec<String> = verified.iter().map(|n| who(n)).collect();
        d.add(
            "trust-bundle",
            format!(
                "the system's trust bundle (ConfigMap `{TRUST_BUNDLE}`), mounted read-only at {mount}/trust/ca.crt, verifies the certificates of {}",
                names.join(", ")
            ),
            "spec.egress",
        );
        plan.bundle = Some(TRUST_BUNDLE.to_string());
        plan.bundles.push(BundlePlan {
            name: TRUST_BUNDLE.to_string(),
            namespace: service.namespace.clone(),
            placement: Placement::Namespace,
            anchors: around.anchors.clone(),
        });
    }
    for n in &unverified {
        if let Some(PeerTls::Issuer { kind, name, .. }) = &n.tls {
            d.add(
                "unverified-server",
                format!(
                    "{}'s certificate comes from the cert-manager {kind} `{name}`, whose CA kubeward does not know: this service cannot verify it until that service's spec gives spec.tls.issuer.ca",
                    who(n)
                ),
                "spec.egress",
            );
        }
    }
    client_certs(service, preset, &servers, &mut plan, d);
    client_auth(service, around, &mut plan, d);
    outside_callers_trust(service, around, &mut plan, d);
    plan
}

/// A client certificate for each issuer among the services it calls that require one:
/// kubeward's (for those its trust bundle verifies) and each cert-manager issuer's.
fn client_certs(
    service: &Service,
    preset: &Preset,
    servers: &[&Neighbour],
    plan: &mut TrustPlan,
    d: &mut Decisions,
) {
    // Callees by the issuer of their client certificates: kubeward's (`None`) or a
    // cert-manager issuer's kind and name.
    type Issuer<'a> = Option<(&'a str, &'a str)>;
    let mut by_issuer: Vec<(Issuer, Vec<String>)> = Vec::new();
    for n in servers.iter().filter(|n| n.client_auth) {
        let issuer = match &n.tls {
            Some(PeerTls::Issuer { kind, name, .. }) => Some((kind.as_str(), name.as_str())),
            _ => None,
        };
        match by_issuer.iter_mut().find(|(i, _)| *i == issuer) {
            Some((_, callees)) => callees.push(who(n)),
            None => by_issuer.push((issuer, vec![who(n)])),
        }
    }
    let identity = spiffe_id(&preset.cluster_domain, &service.namespace, &service.name);
    let mount = &preset.secrets_mount_path;
    for (issuer, callees) in by_issuer {
        let (secret_name, dir) = match issuer {
            Some((kind, name)) => {
                let kind = kind.to_lowercase();
                (
                    format!("{}-client-tls.{kind}.{name}", service.name),
                    format!("client/{kind}/{name}"),
                )
            }
            None => (format!("{}-client-tls", service.name), "client".to_string()),
        };
        let mut cert = cert_plan(service, preset, secret_name, Vec::new());
        cert.purpose = Purpose::Client;
        cert.common_name = format!("{}.{}", service.name, service.namespace);
        cert.uris = vec![identity.clone()];
        let from = match issuer {
            Some((kind, name)) => {
                cert.source = CertSource::CertManager;
                cert.issuer_kind = kind.to_string();
                cert.issuer_name = name.to_string();
                format!("a cert-manager Certificate from {kind} `{name}`")
            }
            None => {
                cert.source = CertSource::SelfSigned;
                format!("kubeward's CA for namespace {}", service.namespace)
            }
        };
        d.add(
            "client-certificate",
            format!(
                "a client certificate for {identity} (extended key usage clientAuth) from {from}, in Secret `{}`, mounted read-only at {mount}/{dir}/, presented to {}",
                cert.secret_name,
                callees.join(", ")
            ),
            "spec.egress",
        );
        plan.client_certs.push(ClientCert { cert, dir });
    }
}

/// With `clientAuth: required`: what the service verifies its callers' certificates with, and
/// which callers get none from kubeward.
fn client_auth(service: &Service, around: &Surroundings, plan: &mut TrustPlan, d: &mut Decisions) {
    if !service.tls.client_auth {
        return;
    }
    let cert_manager = service.tls.mode == TlsMode::CertManager;
    if cert_manager {
        d.add(
            "client-auth",
            "callers must present a client certificate; the service verifies it against tls/ca.crt, the CA of its cert-manager issuer, which issues the client certificates of the callers in its system",
            "spec.tls.clientAuth",
        );
    } else {
        let name = format!("{}-client-ca", service.name);
        let mut anchors = vec![Anchor::Root];
        let mut also = String::new();
        if let Some(path) = &service.tls.client_ca {
            anchors.push(Anchor::File(path.into()));
            also = format!(" and the CAs of spec.tls.clientCa ({path})");
        }
        d.add(
            "client-auth",
            format!(
                "callers must present a client certificate; the service verifies it against tls/client-ca.crt (ConfigMap `{name}`: kubeward's root CA{also})"
            ),
            "spec.tls.clientAuth",
        );
        plan.client_ca = Some(name.clone());
        plan.bundles.push(BundlePlan {
            name,
            namespace: service.namespace.clone(),
            placement: Placement::Service,
            anchors,
        });
    }
    for caller in service
        .callers
        .iter()
        .filter(|c| !around.callers.contains_key(&c.entry))
    {
        let app = &caller.app;
        let how = if cert_manager {
            format!(
                "it can request one from the same {} `{}` (usages: client auth)",
                service
                    .tls
                    .issuer_kind
                    .as_deref()
                    .unwrap_or("ClusterIssuer"),
                service.tls.issuer_name.as_deref().unwrap_or_default()
            )
        } else {
            "issue it one from a CA you add to spec.tls.clientCa, or render it in the system with a spec of its own".to_string()
        };
        d.add(
            "client-auth-outside",
            format!(
                "{}/{} (ServiceAccount {}) is outside the system: kubeward issues it no client certificate; {how}",
                app.namespace,
                app.app,
                caller.service_account()
            ),
            "spec.tls.clientAuth",
        );
    }
}

/// In a system, the trust bundle for each namespace of callers outside the system, so that
/// they can verify the service.
fn outside_callers_trust(
    service: &Service,
    around: &Surroundings,
    plan: &mut TrustPlan,
    d: &mut Decisions,
) {
    if !around.system || around.anchors.is_empty() || !verifiable(service) {
        return;
    }
    let mut namespaces: Vec<&str> = service
        .callers
        .iter()
        .filter(|c| !around.callers.contains_key(&c.entry))
        .map(|c| c.app.namespace.as_str())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    for namespace in namespaces {
        let placement = if around.namespaces.contains(namespace) {
            Placement::Namespace
        } else {
            Placement::Outside
        };
        let place = match placement {
            Placement::Outside => {
                format!("in {PEERS_DIR}/{namespace}/, for that namespace's owners")
            }
            _ => "with the system".to_string(),
        };
        d.add(
            "outside-trust",
            format!(
                "the system's trust bundle as ConfigMap `{TRUST_BUNDLE}` in namespace {namespace} ({place}), for its callers there to verify this service"
            ),
            "spec.callers",
        );
        if !plan
            .bundles
            .iter()
            .any(|b| b.name == TRUST_BUNDLE && b.namespace == namespace)
        {
            plan.bundles.push(BundlePlan {
                name: TRUST_BUNDLE.to_string(),
                namespace: namespace.to_string(),
                placement,
                anchors: around.anchors.clone(),
            });
        }
    }
}
