//! The public entry: an Ingress for the public host, with TLS, and the controller's
//! annotations for the backend's protocol.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::tls::{CertPlan, CertSource, cert_plan, source_text};
use crate::preset::Preset;
use crate::spec::{Protocol, TlsMode};
use crate::validate::Service;

#[derive(Debug, Clone, Serialize)]
pub struct Ingress {
    pub host: String,
    pub class_name: String,
    pub tls: CertPlan,
    pub annotations: BTreeMap<String, String>,
}

pub(super) fn ingress(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<Ingress> {
    let public = service.ingress.as_ref()?;
    let class_name = public
        .class_name
        .clone()
        .unwrap_or_else(|| preset.ingress.class_name.clone());
    let mut annotations = BTreeMap::new();
    if class_name == "nginx" {
        let backend = match service.protocol {
            Protocol::Https => Some("HTTPS"),
            Protocol::Grpc if service.tls.mode != TlsMode::None => Some("GRPCS"),
            Protocol::Grpc => Some("GRPC"),
            Protocol::Http | Protocol::Tcp => None,
        };
        if let Some(backend) = backend {
            annotations.insert(
                "nginx.ingress.kubernetes.io/backend-protocol".to_string(),
                backend.to_string(),
            );
        }
    }
    let own_source = cert_plan(
        service,
        preset,
        format!("{}-ingress-tls", service.name),
        vec![public.host.clone()],
    );
    let tls = match &public.issuer {
        Some(issuer) => CertPlan {
            source: CertSource::CertManager,
            issuer_kind: issuer
                .kind
                .clone()
                .unwrap_or_else(|| "ClusterIssuer".into()),
            issuer_name: issuer.name.clone().unwrap_or_default(),
            ..own_source
        },
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
        "exposure: public",
    );
    Some(Ingress {
        host: public.host.clone(),
        class_name,
        tls,
        annotations,
    })
}
