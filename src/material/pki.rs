//! Leaf certificates with rcgen, signed by a CA of `trust`: a server's (extended key usage
//! serverAuth, its DNS names) or a client's (clientAuth, the SPIFFE URI of its
//! ServiceAccount), each reused on re-render until it nears expiry, its names change or its CA
//! changes. The Secret holds the leaf with the chain above it, and the trust anchor.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, KeyPair,
    KeyUsagePurpose, SanType, SerialNumber,
};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use super::state::State;
use super::trust::Signer;
use crate::error::Error;
use crate::plan::{CertPlan, Purpose};

/// The three entries of a `kubernetes.io/tls` Secret, base64-encoded.
#[derive(Debug, Clone, Serialize)]
pub struct CertFiles {
    pub crt: String,
    pub key: String,
    pub ca: String,
    /// When the certificate expires, RFC 3339 in UTC (the Secret's `kubeward.dev/not-after`).
    pub not_after: String,
}

/// `at` as RFC 3339 in UTC, to the second: `2026-12-02T00:00:00Z`.
pub fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// When the first certificate of a PEM text expires.
pub fn not_after(pem_text: &[u8]) -> Result<OffsetDateTime, &'static str> {
    let (_, pem) = parse_x509_pem(pem_text).map_err(|_| "is not a PEM certificate")?;
    let (_, x509) =
        X509Certificate::from_der(&pem.contents).map_err(|_| "is not an X.509 certificate")?;
    Ok(x509.validity().not_after.to_datetime())
}

pub(super) fn pki_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Material(format!("{what}: {e}"))
}

pub(super) fn random_serial() -> Result<SerialNumber, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| pki_error("the OS random source failed", e))?;
    bytes[0] &= 0x7f;
    Ok(SerialNumber::from_slice(&bytes))
}

/// Whether `text` holds one or more PEM certificates and nothing that is not one (a private
/// key, say, which must never enter a bundle).
pub fn is_certificates(text: &str) -> bool {
    let mut rest = text.as_bytes();
    let mut any = false;
    while !rest.iter().all(u8::is_ascii_whitespace) {
        match parse_x509_pem(rest) {
            Ok((left, pem)) if pem.label == "CERTIFICATE" => {
                if X509Certificate::from_der(&pem.contents).is_err() {
                    return false;
                }
                rest = left;
                any = true;
            }
            _ => return false,
        }
    }
    any
}

/// The leaf for `cert`, reused from the state folder when still good, else newly signed.
pub fn leaf(
    ca: &Signer,
    cert: &CertPlan,
    state: &State,
    namespace: &str,
    service: &str,
    now: OffsetDateTime,
) -> Result<CertFiles, Error> {
    let ca_end = not_after(ca.cert_pem.as_bytes()).map_err(|why| {
        Error::Material(format!(
            "the CA of {}: its certificate {why}",
            cert.secret_name
        ))
    })?;
    let base = format!("{namespace}/{service}/certs/{}", cert.secret_name);
    let (crt_path, key_path, ca_path) = (
        format!("{base}.crt"),
        format!("{base}.key"),
        format!("{base}.ca"),
    );
    let stored = (
        state.read_text(&crt_path)?,
        state.read_text(&key_path)?,
        state.read_text(&ca_path)?,
    );
    if let (Some(crt), Some(key), Some(signer)) = stored {
        KeyPair::from_pem(&key)
            .map_err(|_| state.corrupt(&key_path, "is not a PEM private key"))?;
        let reusable =
            still_good(&crt, cert, now, ca_end).map_err(|why| state.corrupt(&crt_path, why))?;
        if reusable && signer == ca.cert_pem {
            return Ok(files(&crt, &key, ca));
        }
    }
    let key = KeyPair::generate().map_err(|e| pki_error("cannot generate a key", e))?;
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, cert.common_name.clone());
    params.distinguished_name = name;
    let dns = cert
        .dns_names
        .iter()
        .map(|n| n.clone().try_into().map(SanType::DnsName));
    let uris = cert
        .uris
        .iter()
        .map(|u| u.clone().try_into().map(SanType::URI));
    params.subject_alt_names = dns
        .chain(uris)
        .collect::<Result<_, _>>()
        .map_err(|e| pki_error("invalid name for a certificate", e))?;
    params.extended_key_usages = vec![match cert.purpose {
        Purpose::Server => ExtendedKeyUsagePurpose::ServerAuth,
        Purpose::Client => ExtendedKeyUsagePurpose::ClientAuth,
    }];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.not_before = now - Duration::hours(1);
    // Never past the CA's own end: a chain is valid only while every certificate of it is.
    params.not_after = (now + Duration::days(i64::from(cert.validity_days))).min(ca_end);
    params.serial_number = Some(random_serial()?);
    params.use_authority_key_identifier_extension = true;
    let signed = params
        .signed_by(&key, ca.issuer())
        .map_err(|e| pki_error("cannot sign the certificate", e))?;
    let (crt, key) = (signed.pem(), key.serialize_pem());
    state.write_set(&[
        (&key_path, key.as_bytes()),
        (&crt_path, crt.as_bytes()),
        (&ca_path, ca.cert_pem.as_bytes()),
    ])?;
    Ok(files(&crt, &key, ca))
}

/// The Secret's entries: the leaf and the chain above it, its key, and the trust anchor.
fn files(crt: &str, key: &str, ca: &Signer) -> CertFiles {
    CertFiles {
        crt: STANDARD.encode(format!("{crt}{}", ca.chain_pem)),
        key: STANDARD.encode(key),
        ca: STANDARD.encode(&ca.anchor_pem),
        not_after: not_after(crt.as_bytes()).map(rfc3339).unwrap_or_default(),
    }
}

/// Whether a stored leaf names exactly the wanted hosts and URIs and is outside its renewal
/// window, or ends with its CA (`ca_end`), when a new one could end no later.
fn still_good(
    pem_text: &str,
    cert: &CertPlan,
    now: OffsetDateTime,
    ca_end: OffsetDateTime,
) -> Result<bool, &'static str> {
    let (_, pem) = parse_x509_pem(pem_text.as_bytes()).map_err(|_| "is not a PEM certificate")?;
    let (_, x509) =
        X509Certificate::from_der(&pem.contents).map_err(|_| "is not an X.509 certificate")?;
    let mut names: Vec<String> = x509
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|n| match n {
                    GeneralName::DNSName(d) => Some(format!("dns:{d}")),
                    GeneralName::URI(u) => Some(format!("uri:{u}")),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut wanted: Vec<String> = cert
        .dns_names
        .iter()
        .map(|d| format!("dns:{d}"))
        .chain(cert.uris.iter().map(|u| format!("uri:{u}")))
        .collect();
    names.sort();
    wanted.sort();
    let not_after = x509.validity().not_after.to_datetime();
    let renewal_due = not_after - now <= Duration::days(i64::from(cert.renew_before_days));
    Ok(names == wanted && (!renewal_due || not_after >= ca_end))
}
