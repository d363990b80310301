//! The public entry as an Ingress (`api: ingress`): the host with TLS, and the annotations
//! of ingress-nginx for the backend's protocol, its verification and the limits at the door
//! (each per controller replica). ingress-nginx itself is retired: the plan warns, and
//! records the departure on the Ingress.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::limits::{self, Limit};
use super::tls::{CertPlan, CertSource, cert_plan, issued_by, source_text};
use crate::preset::Preset;
use crate::spec::{Protocol, TlsMode};
use crate::validate::{Entry, Service};
use crate::vocabulary::{IGNORE_ANNOTATION, RETIRED_INGRESS_CONTROLLER, UNLIMITED_PUBLIC_ENTRY};

/// The IngressClass of ingress-nginx, whose annotations kubeward writes.
pub const NGINX_CLASS: &str = "nginx";

#[derive(Debug, Clone, Serialize)]
pub struct Ingress {
    pub host: String,
    pub class_name: String,
    pub tls: CertPlan,
    pub annotations: BTreeMap<String, String>,
}

/// One ingress-nginx annotation.
fn nginx(key: &str) -> String {
    format!("nginx.ingress.kubernetes.io/{key}")
}

pub(super) fn ingress(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<Ingress> {
    let public = service.ingress.as_ref()?;
    let Entry::Ingress { class_name } = &public.entry else {
        return None;
    };
    let is_nginx = class_name == NGINX_CLASS;
    let mut annotations = BTreeMap::new();
    let mut ignores = Vec::new();
    if is_nginx {
        let backend = match service.protocol {
            Protocol::Https => Some("HTTPS"),
            Protocol::Grpc if service.tls.mode != TlsMode::None => Some("GRPCS"),
            Protocol::Grpc => Some("GRPC"),
            Protocol::Http | Protocol::Tcp => None,
        };
        if let Some(backend) = backend {
            annotations.insert(nginx("backend-protocol"), backend.to_string());
        }
        if backend == Some("HTTPS") {
            // The service's own Secret holds the CA that signed its certificate as ca.crt.
            let secret = format!("{}/{}-tls", service.namespace, service.name);
            for (key, value) in [
                ("proxy-ssl-verify", "on".to_string()),
                ("proxy-ssl-secret", secret),
                (
                    "proxy-ssl-name",
                    format!("{}.{}.svc", service.name, service.namespace),
                ),
                ("proxy-ssl-server-name", "on".to_string()),
            ] {
                annotations.insert(nginx(key), value);
            }
        }
        let l = &public.limits;
        if let Some(rate) = l.requests_per_second {
            annotations.insert(nginx("limit-rps"), rate.to_string());
            let burst = l.burst.unwrap_or(rate);
            annotations.insert(nginx("limit-burst-multiplier"), (burst / rate).to_string());
        }
        if let Some(connections) = l.connections {
            annotations.insert(nginx("limit-connections"), connections.to_string());
        }
        if let Some((_, bytes)) = &l.max_body_size {
            annotations.insert(nginx("proxy-body-size"), bytes.to_string());
        }
        if !l.source_ranges.is_empty() {
            let ranges: Vec<String> = l.source_ranges.iter().map(|c| c.to_string()).collect();
            annotations.insert(nginx("whitelist-source-range"), ranges.join(","));
        }
        let why = "ingress-nginx was retired in March 2026: no releases or security fixes since (CVE-2025-1974, remote code execution through its admission webhook, was among the last)";
        d.warn(
            "retired-ingress-controller",
            format!(
                "the Ingress of `{}` uses the class nginx (ingress-nginx); {why}; route it through a Gateway instead (`spec.ingress.api: gateway`)",
                service.name
            ),
        );
        ignores.push(format!(
            "{RETIRED_INGRESS_CONTROLLER}=spec.ingress.api: ingress with class nginx was asked for; {why}"
        ));
    }
    if !public.limits.sheds_load() {
        ignores.push(format!(
            "{UNLIMITED_PUBLIC_ENTRY}=no rate or connection limit: kubeward renders them for ingress-nginx only, and none was set for class {class_name}; set them on the controller"
        ));
    }
    if !ignores.is_empty() {
        annotations.insert(IGNORE_ANNOTATION.to_string(), ignores.join("\n"));
    }
    let own_source = cert_plan(
        service,
        preset,
        format!("{}-ingress-tls", service.name),
        vec![public.host.clone()],
    );
    let tls = match &public.issuer {
        Some(issuer) => issued_by(issuer, own_source),
        None => own_source,
    };
    if tls.source == CertSource::SelfSigned {
        d.warn(
            "private-ca-public-host",
            format!(
                "the public host {} gets a certificate from kubeward's own CA for namespace {}, which no browser or outside client trusts: set spec.ingress.issuer to a cert-manager issuer of a public CA (e.g. `issuer: {{kind: ClusterIssuer, name: letsencrypt}}`, or --ingress-issuer ClusterIssuer/letsencrypt)",
                public.host, service.namespace
            ),
        );
    }
    d.add(
        "public-ingress",
        format!(
            "Ingress for https://{} (class {class_name}) with a {} certificate in Secret `{}`",
            public.host,
            source_text(tls.source),
            tls.secret_name
        ),
        "exposure: public, spec.ingress.api: ingress",
    );
    limits::record(d, public, |limit| {
        match (is_nginx, limit) {
        (_, Limit::Rate) => "ingress-nginx's limit-rps and limit-burst-multiplier, counted by each controller replica on its own".into(),
        (_, Limit::Connections) => "per client address, ingress-nginx's limit-connections, counted by each controller replica on its own".into(),
        (_, Limit::BodySize) => "ingress-nginx's proxy-body-size; larger requests get 413".into(),
        (_, Limit::SourceRanges) => "ingress-nginx's whitelist-source-range; others get 403".into(),
        (_, Limit::Timeouts) => unreachable!("validation refuses timeouts on an Ingress"),
    }
    });
    Some(Ingress {
        host: public.host.clone(),
        class_name: class_name.clone(),
        tls,
        annotations,
    })
}
