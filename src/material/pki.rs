//! Certificates with rcgen: kubeward's own CA per namespace (kept in the state folder, its key
//! never leaves it) or the user's CA from PEM files, and leaf certificates for the service,
//! reused on re-render until they near expiry, their names change or their CA changes.
//! A [`CaCache`] makes a run load (or create) each CA once, however many services use it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use super::state::State;
use crate::error::Error;
use crate::plan::{CertPlan, Plan};
use crate::spec::TlsMode;
use crate::validate::Service;

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

/// A CA that can sign leaves.
pub struct Ca {
    pub cert_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn pki_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Material(format!("{what}: {e}"))
}

/// Which CA a service uses: the user's, by its two files, or kubeward's own, by state
/// folder and namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CaKey {
    Files { cert: PathBuf, key: PathBuf },
    Own { state: PathBuf, namespace: String },
}

/// The CAs obtained so far in a run. Each is loaded or created once, by the first service
/// that needs it, while the other services that need it wait: two threads never create two
/// CAs for one namespace. A failure is not kept, so each service that needs that CA reports it.
#[derive(Default)]
pub struct CaCache {
    slots: Mutex<HashMap<CaKey, Arc<CaSlot>>>,
}

/// One CA of the cache: empty until obtained; locked while being obtained.
type CaSlot = Mutex<Option<Arc<Ca>>>;

impl CaCache {
    /// The CA for `service`, from the cache or obtained now (see [`Ca::obtain`]).
    pub fn obtain(
        &self,
        service: &Service,
        state: &State,
        base_dir: &Path,
        now: OffsetDateTime,
        plan: &Plan,
    ) -> Result<Arc<Ca>, Error> {
        let key = if service.tls.mode == TlsMode::Ca {
            let file = |path: &Option<String>| {
                canonical(&base_dir.join(path.as_deref().unwrap_or_default()))
            };
            CaKey::Files {
                cert: file(&service.tls.ca_cert),
                key: file(&service.tls.ca_key),
            }
        } else {
            CaKey::Own {
                state: canonical(state.root()),
                namespace: plan.namespace.clone(),
            }
        };
        let slot = Arc::clone(
            self.slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(key)
                .or_default(),
        );
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(ca) = slot.as_ref() {
            return Ok(Arc::clone(ca));
        }
        let ca = Arc::new(Ca::obtain(service, state, base_dir, now, plan)?);
        *slot = Some(Arc::clone(&ca));
        Ok(ca)
    }
}

/// `path` with links and `..` resolved, so that two spellings of one folder share one CA
/// (a path that does not exist stays as it is: obtaining the CA will report it).
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Ca {
    /// The CA for `service`: the user's (mode `ca`) or kubeward's own for the namespace.
    pub fn obtain(
        service: &Service,
        state: &State,
        base_dir: &Path,
        now: OffsetDateTime,
        plan: &Plan,
    ) -> Result<Ca, Error> {
        if service.tls.mode == TlsMode::Ca {
            let read = |field: &str, path: &Option<String>| {
                let full = base_dir.join(path.as_deref().unwrap_or_default());
                std::fs::read_to_string(&full).map_err(|e| {
                    Error::Material(format!("{field}: cannot read {}: {e}", full.display()))
                })
            };
            let cert_pem = read("spec.tls.ca.cert", &service.tls.ca_cert)?;
            let key_pem = read("spec.tls.ca.key", &service.tls.ca_key)?;
            let key = KeyPair::from_pem(&key_pem)
                .map_err(|e| pki_error("spec.tls.ca.key is not a PEM private key", e))?;
            let issuer = Issuer::from_ca_cert_pem(&cert_pem, key)
                .map_err(|e| pki_error("spec.tls.ca.cert is not a PEM certificate", e))?;
            return Ok(Ca { cert_pem, issuer });
        }
        let cert_path = format!("{}/ca.crt", plan.namespace);
        let key_path = format!("{}/ca.key", plan.namespace);
        match (state.read_text(&cert_path)?, state.read_text(&key_path)?) {
            (Some(cert_pem), Some(key_pem)) => {
                let key = KeyPair::from_pem(&key_pem)
                    .map_err(|_| state.corrupt(&key_path, "is not a PEM private key"))?;
                let issuer = Issuer::from_ca_cert_pem(&cert_pem, key)
                    .map_err(|_| state.corrupt(&cert_path, "is not a PEM certificate"))?;
                Ok(Ca { cert_pem, issuer })
            }
            (None, None) => {
                let key =
                    KeyPair::generate().map_err(|e| pki_error("cannot generate the CA key", e))?;
                let mut params = CertificateParams::default();
                let mut name = DistinguishedName::new();
                name.push(DnType::OrganizationName, "kubeward");
                name.push(
                    DnType::CommonName,
                    format!("kubeward CA for namespace {}", plan.namespace),
                );
                params.distinguished_name = name;
                params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
                params.key_usages = vec![
                    KeyUsagePurpose::KeyCertSign,
                    KeyUsagePurpose::CrlSign,
                    KeyUsagePurpose::DigitalSignature,
                ];
                params.not_before = now - Duration::hours(1);
                params.not_after = now + Duration::days(i64::from(plan.ca_validity_days));
                params.serial_number = Some(random_serial()?);
                let cert = params
                    .self_signed(&key)
                    .map_err(|e| pki_error("cannot create the CA", e))?;
                state.write(&key_path, key.serialize_pem().as_bytes())?;
                state.write(&cert_path, cert.pem().as_bytes())?;
                Ok(Ca {
                    cert_pem: cert.pem(),
                    issuer: Issuer::new(params, key),
                })
            }
            (Some(_), None) => Err(state.corrupt(&cert_path, "has no private key beside it")),
            (None, Some(_)) => Err(state.corrupt(&key_path, "has no certificate beside it")),
        }
    }
}

fn random_serial() -> Result<SerialNumber, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| pki_error("the OS random source failed", e))?;
    bytes[0] &= 0x7f;
    Ok(SerialNumber::from_slice(&bytes))
}

/// The leaf for `cert`, reused from the state folder when still good, else newly signed.
pub fn leaf(
    ca: &Ca,
    cert: &CertPlan,
    state: &State,
    namespace: &str,
    service: &str,
    now: OffsetDateTime,
) -> Result<CertFiles, Error> {
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
        let reusable = still_good(&crt, cert, now).map_err(|why| state.corrupt(&crt_path, why))?;
        if reusable && signer == ca.cert_pem {
            return Ok(files(&crt, &key, &ca.cert_pem));
        }
    }
    let key = KeyPair::generate().map_err(|e| pki_error("cannot generate a key", e))?;
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, cert.dns_names[0].clone());
    params.distinguished_name = name;
    params.subject_alt_names = cert
        .dns_names
        .iter()
        .map(|n| n.clone().try_into().map(SanType::DnsName))
        .collect::<Result<_, _>>()
        .map_err(|e| pki_error("invalid DNS name for a certificate", e))?;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(i64::from(cert.validity_days));
    params.serial_number = Some(random_serial()?);
    params.use_authority_key_identifier_extension = true;
    let signed = params
        .signed_by(&key, &ca.issuer)
        .map_err(|e| pki_error("cannot sign the certificate", e))?;
    let (crt, key) = (signed.pem(), key.serialize_pem());
    state.write(&key_path, key.as_bytes())?;
    state.write(&crt_path, crt.as_bytes())?;
    state.write(&ca_path, ca.cert_pem.as_bytes())?;
    Ok(files(&crt, &key, &ca.cert_pem))
}

fn files(crt: &str, key: &str, ca: &str) -> CertFiles {
    CertFiles {
        crt: STANDARD.encode(crt),
        key: STANDARD.encode(key),
        ca: STANDARD.encode(ca),
        not_after: not_after(crt.as_bytes()).map(rfc3339).unwrap_or_default(),
    }
}

/// Whether a stored leaf names exactly the wanted hosts and is outside its renewal window.
fn still_good(pem_text: &str, cert: &CertPlan, now: OffsetDateTime) -> Result<bool, &'static str> {
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
                    GeneralName::DNSName(d) => Some(d.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut wanted = cert.dns_names.clone();
    names.sort();
    wanted.sort();
    let not_after = x509.validity().not_after.to_datetime();
    Ok(names == wanted && not_after - now > Duration::days(i64::from(cert.renew_before_days)))
}
