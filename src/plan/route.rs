//! The public entry as an OpenShift Route (`api: route`): the host served by the platform's
//! router with TLS at the edge (HTTP redirected), re-encrypted to the service (verified
//! with the CA that signed its certificate) or passed through unopened; never in clear text.
//! The host's certificate is the router's default one, or, with `spec.ingress.issuer`, a
//! cert-manager certificate in a Secret the Route references (`tls.externalCertificate`) and
//! that a Role lets the router's ServiceAccount read alone: never a key inlined in the Route.
//! The router's own annotations carry the limits it enforces per client address.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::limits::{self, Limit};
use super::tls::{CertPlan, cert_plan, issued_by};
use crate::preset::Preset;
use crate::spec::RouteTermination;
use crate::validate::{Entry, Service};

/// One annotation of OpenShift's HAProxy router.
fn router(key: &str) -> String {
    format!("haproxy.router.openshift.io/{key}")
}

/// HSTS for a year on the host itself (not its subdomains, which the service does not own).
pub const HSTS: &str = "max-age=31536000";

#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub host: String,
    /// `edge`, `reencrypt` or `passthrough`.
    pub termination: &'static str,
    /// Whether `destinationCACertificate` holds the CA that signed the service's certificate.
    pub verifies_service: bool,
    pub annotations: BTreeMap<String, String>,
    /// The host's certificate from `spec.ingress.issuer`, in the Secret the Route names in
    /// `tls.externalCertificate`; `None`: the router's default certificate.
    pub cert: Option<CertPlan>,
    /// The Role and RoleBinding that let the router read that Secret, and nothing else.
    pub secret_reader: Option<SecretReader>,
}

/// Read access for the router's ServiceAccount to one Secret of the service's namespace.
#[derive(Debug, Clone, Serialize)]
pub struct SecretReader {
    /// The Role's and the RoleBinding's name.
    pub name: String,
    pub secret: String,
    /// The router's ServiceAccount and its namespace.
    pub account: String,
    pub account_namespace: String,
}

pub(super) fn route(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<Route> {
    let public = service.ingress.as_ref()?;
    let Entry::Route { termination } = public.entry else {
        return None;
    };
    let mut annotations = BTreeMap::new();
    let l = &public.limits;
    if let Some(connections) = l.connections {
        annotations.insert(router("rate-limit-connections"), "true".to_string());
        annotations.insert(
            router("rate-limit-connections.concurrent-tcp"),
            connections.to_string(),
        );
    }
    if !l.source_ranges.is_empty() {
        let ranges: Vec<String> = l.source_ranges.iter().map(|c| c.to_string()).collect();
        // Space-separated: the router ignores a list with any other separator, silently.
        annotations.insert(router("ip_allowlist"), ranges.join(" "));
    }
    if termination != RouteTermination::Passthrough {
        annotations.insert(router("hsts_header"), HSTS.to_string());
    }
    let router_account = &preset.ingress.router;
    let cert = public.issuer.as_ref().map(|issuer| {
        issued_by(
            issuer,
            cert_plan(
                service,
                preset,
                format!("{}-ingress-tls", service.name),
                vec![public.host.clone()],
            ),
        )
    });
    let secret_reader = cert.as_ref().map(|cert| SecretReader {
        name: format!("{}-router-tls", service.name),
        secret: cert.secret_name.clone(),
        account: router_account.service_account.clone(),
        account_namespace: router_account.namespace.clone(),
    });
    let presented = match (&cert, &secret_reader) {
        (Some(cert), Some(reader)) => format!(
            "the certificate cert-manager's {} `{}` issues into Secret `{}` (tls.externalCertificate, OpenShift 4.19 or later), which a Role lets the router's ServiceAccount {}/{} get, list and watch, that Secret alone",
            cert.issuer_kind, cert.issuer_name, cert.secret_name, reader.account_namespace, reader.account
        ),
        _ => "the router's default certificate (the IngressController's, a wildcard for its domain: the host must lie under it, or set spec.ingress.issuer)".to_string(),
    };
    let at = match termination {
        RouteTermination::Edge => format!("TLS ends at the router with {presented}, plain HTTP on to the service"),
        RouteTermination::Reencrypt => format!(
            "TLS ends at the router with {presented}; the router opens a new TLS connection to {}.{}.svc and verifies it with the CA that signed the service's certificate (destinationCACertificate)",
            service.name, service.namespace
        ),
        RouteTermination::Passthrough => "the router forwards the TLS connection unopened by its SNI: the service's own certificate is the one clients see".to_string(),
    };
    d.add(
        "public-route",
        format!(
            "an OpenShift Route for https://{} ({}): {at}; http:// is redirected to https://{}",
            public.host,
            termination.as_str(),
            if termination == RouteTermination::Passthrough {
                ""
            } else {
                ", with HSTS for a year"
            }
        ),
        match &cert {
            Some(_) => "exposure: public, spec.ingress.api: route, spec.ingress.issuer",
            None => "exposure: public, spec.ingress.api: route",
        },
    );
    limits::record(d, public, |limit| {
        match limit {
        Limit::Connections => "per client address, the router's rate-limit-connections.concurrent-tcp, counted by each router replica on its own".into(),
        Limit::SourceRanges => "the router's ip_allowlist; other clients' connections are closed".into(),
        Limit::Rate | Limit::BodySize | Limit::Timeouts => {
            unreachable!("validation refuses them on a Route")
        }
    }
    });
    Some(Route {
        host: public.host.clone(),
        termination: termination.as_str(),
        verifies_service: termination == RouteTermination::Reencrypt,
        annotations,
        cert,
        secret_reader,
    })
}
