//! Sealing for the cluster's Sealed Secrets controller: its public certificate read and
//! checked, each value sealed in the controller's own format, and the sealed form kept in the
//! state folder and reused while the value, the certificate and the label stay the same, so
//! that a re-render is byte-identical.
//!
//! The format is the controller's (bitnami-labs/sealed-secrets, `pkg/crypto/crypto.go`): a
//! fresh 32-byte session key from the OS random source; RSA-OAEP of the session key with
//! SHA-256 (as hash and as MGF1 hash) and the scope's label; AES-256-GCM of the value under
//! the session key, with a 12-byte zero nonce (each key seals one value) and no associated
//! data; written as `uint16-BE length of the RSA part || RSA part || AES part` and base64
//! (standard, padded). The label (`sealedsecret_expansion.go`) binds the value to where the
//! controller may unseal it: `<namespace>/<name>` (strict), `<namespace>` (namespace-wide) or
//! nothing (cluster-wide).

use std::collections::BTreeMap;
use std::path::Path;

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::rand_core::{TryCryptoRng, TryRng};
use rsa::{BoxedUint, Oaep, PublicKey as RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use super::PLACEHOLDER;
use super::state::State;
use crate::error::Error;
use crate::spec::SealingScope;

/// The smallest RSA key kubeward seals for; the controller makes 4096-bit keys by default.
const MIN_KEY_BITS: usize = 2048;
/// The largest RSA key kubeward accepts.
const MAX_KEY_BITS: usize = 16384;
const SESSION_KEY_BYTES: usize = 32;

/// The controller's public key, from its certificate.
#[derive(Debug, Clone)]
pub struct SealingKey {
    key: RsaPublicKey,
    /// SHA-256 of the certificate (DER), hex: a new certificate re-seals every value.
    fingerprint: String,
}

impl SealingKey {
    /// Reads the controller's certificate from `path`; the error says what is wrong with it
    /// (the caller names the field).
    pub fn read(path: &Path, now: OffsetDateTime) -> Result<SealingKey, String> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        SealingKey::from_pem(&bytes, now).map_err(|why| format!("{}: {why}", path.display()))
    }

    /// The key of the first certificate of a PEM file, as `kubeseal --cert` takes it: an X.509
    /// certificate, valid at `now`, holding an RSA key of 2048 to 16384 bits.
    pub fn from_pem(bytes: &[u8], now: OffsetDateTime) -> Result<SealingKey, String> {
        const FETCH: &str =
            "fetch the controller's certificate with `kubeseal --fetch-cert > sealed-secrets.pem`";
        let (_, pem) = parse_x509_pem(bytes).map_err(|_| {
            format!("is not a PEM certificate (no -----BEGIN CERTIFICATE----- block): {FETCH}")
        })?;
        if pem.label != "CERTIFICATE" {
            return Err(format!(
                "holds a PEM {} block, not a CERTIFICATE: {FETCH}",
                pem.label
            ));
        }
        let (_, cert) = X509Certificate::from_der(&pem.contents)
            .map_err(|e| format!("is not an X.509 certificate ({e}): {FETCH}"))?;
        let not_after = cert.validity().not_after.to_datetime();
        if not_after <= now {
            return Err(format!(
                "the certificate expired on {}: the controller renews its key (every 30 days by default); {FETCH}",
                not_after.date()
            ));
        }
        let rsa = match cert.public_key().parsed() {
            Ok(PublicKey::RSA(rsa)) => rsa,
            Ok(other) => {
                return Err(format!(
                    "the certificate holds a {} key; the Sealed Secrets controller seals with RSA only",
                    key_name(&other)
                ));
            }
            Err(e) => return Err(format!("the certificate's public key cannot be read: {e}")),
        };
        let key = RsaPublicKey::new_with_size_limits(
            BoxedUint::from_be_slice_vartime(rsa.modulus),
            BoxedUint::from_be_slice_vartime(rsa.exponent),
            MIN_KEY_BITS..=MAX_KEY_BITS,
        )
        .map_err(|e| {
            format!(
                "the certificate's RSA key ({} bits) cannot seal: {e} (use {MIN_KEY_BITS} to {MAX_KEY_BITS} bits)",
                rsa.key_size()
            )
        })?;
        Ok(SealingKey {
            key,
            fingerprint: hex(&Sha256::digest(&pem.contents)),
        })
    }
}

fn key_name(key: &PublicKey) -> &'static str {
    match key {
        PublicKey::RSA(_) => "RSA",
        PublicKey::EC(_) => "elliptic-curve",
        PublicKey::DSA(_) => "DSA",
        PublicKey::GostR3410(_) | PublicKey::GostR3410_2012(_) => "GOST",
        PublicKey::Unknown(_) => "non-RSA",
    }
}

/// The label a value is sealed with: what the controller checks the SealedSecret's own
/// namespace and name against before it unseals.
pub fn label(scope: SealingScope, namespace: &str, name: &str) -> String {
    match scope {
        SealingScope::Strict => format!("{namespace}/{name}"),
        SealingScope::NamespaceWide => namespace.to_string(),
        SealingScope::ClusterWide => String::new(),
    }
}

/// The OS random source, as the RSA padding asks for it.
struct OsRandom;

/// The OS random source failed.
#[derive(Debug)]
struct RandomFailed(getrandom::Error);

impl std::fmt::Display for RandomFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the OS random source failed: {}", self.0)
    }
}

impl std::error::Error for RandomFailed {}

impl TryRng for OsRandom {
    type Error = RandomFailed;

    fn try_next_u32(&mut self) -> Result<u32, RandomFailed> {
        getrandom::u32().map_err(RandomFailed)
    }

    fn try_next_u64(&mut self) -> Result<u64, RandomFailed> {
        getrandom::u64().map_err(RandomFailed)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RandomFailed> {
        getrandom::fill(dst).map_err(RandomFailed)
    }
}

impl TryCryptoRng for OsRandom {}

/// Seals `value` for `key` under `label`, in the controller's format (see the module docs).
fn seal_value(key: &RsaPublicKey, label: &str, value: &[u8]) -> Result<Vec<u8>, Error> {
    let failed = |what: &str, e: &dyn std::fmt::Display| Error::Material(format!("{what}: {e}"));
    let mut session_key = [0u8; SESSION_KEY_BYTES];
    getrandom::fill(&mut session_key).map_err(|e| failed("the OS random source failed", &e))?;
    let padding = Oaep::<Sha256>::new_with_label(label.as_bytes());
    let sealed_key = key
        .encrypt(&mut OsRandom, padding, &session_key)
        .map_err(|e| failed("cannot seal the session key", &e))?;
    let cipher = Aes256Gcm::new_from_slice(&session_key)
        .map_err(|e| failed("cannot use the session key", &e))?;
    let sealed_value = cipher
        .encrypt(&Nonce::default(), value)
        .map_err(|e| failed("cannot seal the value", &e))?;
    let length = u16::try_from(sealed_key.len())
        .map_err(|e| failed("the sealed session key is too long", &e))?;
    let mut out = Vec::with_capacity(2 + sealed_key.len() + sealed_value.len());
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&sealed_key);
    out.extend_from_slice(&sealed_value);
    Ok(out)
}

/// What the state folder keeps of one sealed Secret: for the certificate and label it was
/// sealed for, each value's sealed form and a salted digest of the value (never the value).
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    certificate: String,
    label: String,
    values: BTreeMap<String, SealedValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedValue {
    /// Random, hex: the digest of a guessable value cannot be looked up in a table.
    salt: String,
    /// SHA-256 of salt and value, hex.
    digest: String,
    /// The sealed value as the SealedSecret carries it (base64).
    sealed: String,
}

fn digest(salt: &str, value: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(salt.as_bytes());
    hash.update(value);
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seals Secrets for one controller and scope, reusing what the state folder keeps.
#[derive(Debug, Clone)]
pub struct Sealer {
    scope: SealingScope,
    /// `None`: a render that must not touch secrets; every value is a placeholder.
    key: Option<(SealingKey, State)>,
}

impl Sealer {
    pub fn new(key: SealingKey, scope: SealingScope, state: State) -> Self {
        Sealer {
            scope,
            key: Some((key, state)),
        }
    }

    /// A sealer that seals nothing: every value becomes [`PLACEHOLDER`] (base64), for
    /// renders that look at the shape of a bundle only.
    pub fn placeholder(scope: SealingScope) -> Self {
        Sealer { scope, key: None }
    }

    pub fn scope(&self) -> SealingScope {
        self.scope
    }

    /// The sealed form of each value of the Secret `namespace/name`, base64: from the state
    /// folder when sealed before for the same certificate, label and value, else sealed now
    /// and kept.
    pub fn seal(
        &self,
        namespace: &str,
        name: &str,
        data: &BTreeMap<String, Vec<u8>>,
    ) -> Result<BTreeMap<String, String>, Error> {
        let Some((key, state)) = &self.key else {
            let value = STANDARD.encode(PLACEHOLDER);
            return Ok(data.keys().map(|k| (k.clone(), value.clone())).collect());
        };
        let relative = format!("{namespace}/sealed/{name}.json");
        let label = label(self.scope, namespace, name);
        let kept: Record = match state.read_text(&relative)? {
            Some(text) => serde_json::from_str(&text)
                .map_err(|_| state.corrupt(&relative, "is not a sealed-value record"))?,
            None => Record::default(),
        };
        let same_seal = kept.certificate == key.fingerprint && kept.label == label;
        let mut record = Record {
            certificate: key.fingerprint.clone(),
            label,
            values: BTreeMap::new(),
        };
        for (data_key, value) in data {
            let reusable = kept
                .values
                .get(data_key)
                .filter(|v| same_seal && digest(&v.salt, value) == v.digest);
            let sealed = match reusable {
                Some(kept) => kept.clone(),
                None => {
                    let mut salt = [0u8; 16];
                    getrandom::fill(&mut salt).map_err(|e| {
                        Error::Material(format!("the OS random source failed: {e}"))
                    })?;
                    let salt = hex(&salt);
                    SealedValue {
                        digest: digest(&salt, value),
                        salt,
                        sealed: STANDARD.encode(seal_value(&key.key, &record.label, value)?),
                    }
                }
            };
            record.values.insert(data_key.clone(), sealed);
        }
        if record != kept {
            let text = serde_json::to_string_pretty(&record)
                .map_err(|e| Error::Material(format!("cannot write the sealed values: {e}")))?;
            state.write(&relative, format!("{text}\n").as_bytes())?;
        }
        Ok(record
            .values
            .into_iter()
            .map(|(k, v)| (k, v.sealed))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_binds_to_namespace_and_name_by_scope() {
        assert_eq!(label(SealingScope::Strict, "shop", "api-db"), "shop/api-db");
        assert_eq!(label(SealingScope::NamespaceWide, "shop", "api-db"), "shop");
        assert_eq!(label(SealingScope::ClusterWide, "shop", "api-db"), "");
    }

    #[test]
    fn what_is_not_a_certificate_is_refused_saying_why() {
        let now = OffsetDateTime::now_utc();
        let err = SealingKey::from_pem(b"hello", now).unwrap_err();
        assert!(err.contains("is not a PEM certificate"), "{err}");
        let key = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let err = SealingKey::from_pem(key, now).unwrap_err();
        assert!(
            err.contains("PEM PRIVATE KEY block, not a CERTIFICATE"),
            "{err}"
        );
    }

    #[test]
    fn an_elliptic_curve_certificate_is_refused() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["x".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let err =
            SealingKey::from_pem(cert.pem().as_bytes(), OffsetDateTime::now_utc()).unwrap_err();
        assert!(err.contains("elliptic-curve key"), "{err}");
    }
}
