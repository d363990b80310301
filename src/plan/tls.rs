//! Certificates: the service's own (from kubeward's CA, the user's CA or cert-manager) with
//! every name its clients use, and how each is obtained.

use serde::Serialize;

use super::decisions::Decisions;
use super::workload::port_name;
use crate::preset::Preset;
use crate::spec::{RouteTermination, Sensitivity, TlsMode};
use crate::validate::{Entry, PublicIngress, Service};

/// How a certificate is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertSource {
    /// Signed by kubeward's own CA for the namespace (under one root), kept in the state folder.
    SelfSigned,
    /// Signed by the CA given in `spec.tls.ca`.
    Ca,
    /// Issued in the cluster by cert-manager from a `Certificate` object.
    CertManager,
}

/// What a certificate proves: a server's names, or a client's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Extended key usage serverAuth, for the DNS names.
    Server,
    /// Extended key usage clientAuth, for the URI (the SPIFFE ID of a ServiceAccount).
    Client,
}

/// A certificate to put in a `kubernetes.io/tls` Secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertPlan {
    /// The Secret (and, for cert-manager, the Certificate) name.
    pub secret_name: String,
    pub purpose: Purpose,
    /// The subject's common name: the first DNS name, or the client's account and namespace.
    pub common_name: String,
    pub dns_names: Vec<String>,
    /// URI names: a client's SPIFFE ID.
    pub uris: Vec<String>,
    pub source: CertSource,
    pub issuer_kind: String,
    pub issuer_name: String,
    pub validity_days: u32,
    pub renew_before_days: u32,
    /// The same two periods as cert-manager durations, e.g. `2160h`.
    pub duration: String,
    pub renew_before: String,
    /// Whether the pod may start without the Secret's `ca.crt`: an issuer of cert-manager may
    /// write none (ACME's never do), and the kubelet holds a pod whose projected volume names a
    /// missing key; required where the service verifies client certificates with it.
    pub ca_optional: bool,
}

pub(super) fn source_text(source: CertSource) -> &'static str {
    match source {
        CertSource::SelfSigned => "kubeward-CA-signed",
        CertSource::Ca => "your-CA-signed",
        CertSource::CertManager => "cert-manager-issued",
    }
}

/// How a certificate is obtained for `service`: its TLS mode, or kubeward's own CA when the
/// mode is `none` (the public host still gets TLS).
pub(super) fn cert_plan(
    service: &Service,
    preset: &Preset,
    secret_name: String,
    dns_names: Vec<String>,
) -> CertPlan {
    let source = match service.tls.mode {
        TlsMode::Ca => CertSource::Ca,
        TlsMode::CertManager => CertSource::CertManager,
        TlsMode::SelfSigned | TlsMode::None => CertSource::SelfSigned,
    };
    CertPlan {
        secret_name,
        purpose: Purpose::Server,
        common_name: dns_names.first().cloned().unwrap_or_default(),
        dns_names,
        uris: Vec::new(),
        source,
        issuer_kind: service
            .tls
            .issuer_kind
            .clone()
            .unwrap_or_else(|| "ClusterIssuer".into()),
        issuer_name: service.tls.issuer_name.clone().unwrap_or_default(),
        validity_days: preset.tls.leaf_validity_days,
        renew_before_days: preset.tls.renew_before_days,
        duration: format!("{}h", preset.tls.leaf_validity_days * 24),
        renew_before: format!("{}h", preset.tls.renew_before_days * 24),
        ca_optional: source == CertSource::CertManager && !service.tls.client_auth,
    }
}

/// `plan`, issued instead by the cert-manager issuer `issuer` (`ClusterIssuer` unless it
/// says): the public host's own certificate.
pub(super) fn issued_by(issuer: &crate::spec::IssuerRef, plan: CertPlan) -> CertPlan {
    CertPlan {
        source: CertSource::CertManager,
        issuer_kind: issuer
            .kind
            .clone()
            .unwrap_or_else(|| "ClusterIssuer".into()),
        issuer_name: issuer.name.clone().unwrap_or_default(),
        ..plan
    }
}

/// The certificate for the service's own port, with every name clients may use.
pub(super) fn service_cert(
    service: &Service,
    preset: &Preset,
    d: &mut Decisions,
) -> Option<CertPlan> {
    if service.is_worker() {
        // Nothing listens to encrypt: the worker's "probes" decision says what it is.
        return None;
    }
    if service.tls.mode == TlsMode::None {
        if service.sensitivity >= Sensitivity::Confidential {
            d.warn(
                "plaintext-confidential",
                format!(
                    "sensitivity {}, but tls.mode is none: the service's port speaks {} in clear text, so its callers' traffic (the ingress controller's too) crosses the cluster network unencrypted; set spec.tls.mode to self-signed, ca or cert-manager",
                    service.sensitivity.as_str(),
                    port_name(service.protocol)
                ),
            );
        }
        d.add(
            "no-tls",
            "no certificate for the service's own port",
            format!(
                "sensitivity {}, protocol {}",
                service.sensitivity.as_str(),
                port_name(service.protocol)
            ),
        );
        return None;
    }
    let (name, ns, domain) = (&service.name, &service.namespace, &preset.cluster_domain);
    let mut dns_names = vec![
        name.clone(),
        format!("{name}.{ns}"),
        format!("{name}.{ns}.svc"),
        format!("{name}.{ns}.svc.{domain}"),
    ];
    // The public host only where clients see this certificate: a Route that passes TLS
    // through. Every other entry ends TLS with a certificate of its own (the Ingress's, the
    // Gateway listener's, the router's) and verifies the service by its cluster name.
    let passthrough = |i: &&PublicIngress| {
        i.entry
            == Entry::Route {
                termination: RouteTermination::Passthrough,
            }
    };
    dns_names.extend(
        service
            .ingress
            .iter()
            .filter(passthrough)
            .map(|i| i.host.clone()),
    );
    dns_names.extend(service.tls.dns_names.iter().cloned());
    dns_names.dedup();
    let cert = cert_plan(service, preset, format!("{name}-tls"), dns_names);
    d.add(
        "service-tls",
        format!(
            "a {} certificate for {} in Secret `{}`, mounted at {}/tls",
            source_text(cert.source),
            cert.dns_names.join(", "),
            cert.secret_name,
            preset.secrets_mount_path
        ),
        format!(
            "tls.mode {}, sensitivity {}",
            service.tls.mode.as_str(),
            service.sensitivity.as_str()
        ),
    );
    Some(cert)
}

/// The names kubeward's CA for `namespace` must be permitted to sign for `certs` (those of
/// them it signs): the namespace under the cluster domain (`<ns>`, `<ns>.svc`,
/// `<ns>.svc.<domain>`, under which every in-cluster name and client identity falls) and the
/// certificates' other names (bare service names, public hosts, extra names). Sorted, once.
pub(super) fn ca_names<'a>(
    namespace: &str,
    domain: &str,
    certs: impl IntoIterator<Item = &'a CertPlan>,
) -> Vec<String> {
    let mut names: std::collections::BTreeSet<String> = [
        namespace.to_string(),
        format!("{namespace}.svc"),
        format!("{namespace}.svc.{domain}"),
    ]
    .into();
    for cert in certs
        .into_iter()
        .filter(|c| c.source == CertSource::SelfSigned)
    {
        names.extend(cert.dns_names.iter().cloned());
    }
    names.into_iter().collect()
}
