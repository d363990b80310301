//! The certificate of the service's port: its mode, the CA or issuer that mode needs, its names.

use super::problems::Problems;
use super::service::Tls;
use crate::spec::names::{dns_subdomain, host_name};
use crate::spec::{self, ClientAuth, TlsMode};

pub(super) fn validate_tls(
    p: &mut Problems,
    tls: Option<&spec::TlsSpec>,
    default_mode: TlsMode,
    acme_issuers: &[spec::IssuerRef],
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
            check_issuer(
                p,
                "spec.tls.issuer",
                &issuer.reference(),
                "for mode `cert-manager`",
            );
            p.check(
                "spec.tls.issuer.name",
                not_acme(&issuer.reference(), acme_issuers),
            );
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
    let client_auth = tls.client_auth == Some(ClientAuth::Required);
    if client_auth && mode == TlsMode::None {
        let why = if tls.mode.is_some() {
            "mode is `none`"
        } else {
            "TLS is off by default at this sensitivity and protocol"
        };
        p.add(
            "spec.tls.clientAuth",
            format!("mutual TLS needs TLS, and {why}: set spec.tls.mode (self-signed, ca or cert-manager) or drop clientAuth"),
        );
    }
    if let Some(path) = &tls.client_ca {
        if !client_auth {
            p.add(
                "spec.tls.clientCa",
                "is only used with `clientAuth: required`",
            );
        } else if mode == TlsMode::CertManager {
            p.add(
                "spec.tls.clientCa",
                "is not used with `mode: cert-manager`: callers outside the system get their client certificate from the same issuer",
            );
        } else if path.is_empty() {
            p.add("spec.tls.clientCa", "must not be empty");
        }
    }
    if issuer.ca.as_deref() == Some("") {
        p.add("spec.tls.issuer.ca", "must not be empty");
    }
    Tls {
        mode,
        ca_cert: ca.cert,
        ca_key: ca.key,
        issuer_kind: issuer.kind,
        issuer_name: issuer.name,
        issuer_ca: issuer.ca,
        dns_names: tls.dns_names.clone(),
        client_auth,
        client_ca: tls.client_ca.clone(),
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

/// The service's own certificate carries its cluster names (`<name>.<namespace>.svc`, ...),
/// which an ACME CA never signs: an issuer the preset knows to be ACME is refused for it.
fn not_acme(issuer: &spec::IssuerRef, acme_issuers: &[spec::IssuerRef]) -> Result<(), String> {
    let kind = |r: &spec::IssuerRef| r.kind.clone().unwrap_or_else(|| "ClusterIssuer".into());
    let acme = acme_issuers
        .iter()
        .any(|a| a.name == issuer.name && kind(a) == kind(issuer));
    if acme {
        return Err(format!(
            "`{}` is an ACME issuer (the preset's tls.acmeIssuers): ACME CAs sign public DNS names only and refuse the cluster names (<name>.<namespace>.svc, ...) of the service's own certificate, so it is never issued and the pod never starts; issue spec.tls from an internal issuer (such as a cert-manager CA issuer), and give the ACME issuer to the public host as spec.ingress.issuer",
            issuer.name.as_deref().unwrap_or_default()
        ));
    }
    Ok(())
}
