//! The certificate of the service's port: its mode, the CA or issuer that mode needs, its names.

use super::problems::Problems;
use super::service::Tls;
use crate::spec::names::{dns_subdomain, host_name};
use crate::spec::{self, TlsMode};

pub(super) fn validate_tls(
    p: &mut Problems,
    tls: Option<&spec::TlsSpec>,
    default_mode: TlsMode,
) -> Tls {
    let default = spec::TlsSpec::default();
    let tls = tls.unwrap_or(&default);
    let mode = tls.mode.unwrap_or(default_mode);
    let ca = tls.ca.clone().unwrap_or_default();
    let issuer = tls.issuer.clone().unwrap_or_default();
    match mode {
        TlsMode::Ca => {
            p.required(
                "spec.tls.ca.cert",
                &ca.cert,
                "the CA certificate PEM file for mode `ca`",
            );
            p.required(
                "spec.tls.ca.key",
                &ca.key,
                "the CA private key PEM file for mode `ca`",
            );
        }
        TlsMode::CertManager => {
            check_issuer(p, "spec.tls.issuer", &issuer, "for mode `cert-manager`");
        }
        TlsMode::None | TlsMode::SelfSigned => {}
    }
    if mode != TlsMode::Ca && tls.ca.is_some() {
        p.add("spec.tls.ca", "is only used with `mode: ca`");
    }
    if mode != TlsMode::CertManager && tls.issuer.is_some() {
        p.add("spec.tls.issuer", "is only used with `mode: cert-manager`");
    }
    for (i, name) in tls.dns_names.iter().enumerate() {
        p.check(format!("spec.tls.dnsNames[{i}]"), host_name(name));
    }
    Tls {
        mode,
        ca_cert: ca.cert,
        ca_key: ca.key,
        issuer_kind: issuer.kind,
        issuer_name: issuer.name,
        dns_names: tls.dns_names.clone(),
    }
}

/// A cert-manager issuer reference at `field`: a name, and `Issuer` or `ClusterIssuer`.
pub(super) fn check_issuer(
    p: &mut Problems,
    field: &str,
    issuer: &spec::IssuerRef,
    purpose: &str,
) -> bool {
    let named = p
        .required(
            &format!("{field}.name"),
            &issuer.name,
            &format!("the cert-manager issuer {purpose}"),
        )
        .and_then(|name| p.check(format!("{field}.name"), dns_subdomain(name)))
        .is_some();
    if let Some(kind) = &issuer.kind
        && kind != "Issuer"
        && kind != "ClusterIssuer"
    {
        p.add(
            format!("{field}.kind"),
            format!("`{kind}` is not Issuer or ClusterIssuer"),
        );
        return false;
    }
    named
}
