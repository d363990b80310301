//! The public entry as an OpenShift Route (`api: route`): the host served by the platform's
//! router with TLS at the edge (HTTP redirected), re-encrypted to the service (verified
//! with the CA that signed its certificate) or passed through unopened; never in clear text.
//! The router's own annotations carry the limits it enforces per client address.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::limits::{self, Limit};
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
}

pub(super) fn route(service: &Service, d: &mut Decisions) -> Option<Route> {
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
    let at = match termination {
        RouteTermination::Edge => "TLS ends at the router with its default certificate, plain HTTP on to the service".to_string(),
        RouteTermination::Reencrypt => format!(
            "TLS ends at the router with its default certificate, which opens a new TLS connection to {}.{}.svc and verifies it with the CA that signed the service's certificate (destinationCACertificate)",
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
        "exposure: public, spec.ingress.api: route",
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
    })
}
