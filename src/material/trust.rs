//! The CAs that sign kubeward's certificates. One trust per state folder: a root
//! (`trust/ca.crt`, its key `trust/ca.key` never leaves the folder) and, under it, an
//! intermediate per namespace (`trust/<namespace>/ca.crt`) whose name constraints permit only
//! the names that namespace's certificates carry, so that one namespace's CA cannot vouch for
//! another's services. Or the user's CA (`tls.mode: ca`), from its two files. A [`CaCache`]
//! makes a run load (or create) each CA once, however many services use it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, GeneralSubtree, IsCa, Issuer,
    KeyPair, KeyUsagePurpose, NameConstraints,
};
use time::{Duration, OffsetDateTime};
use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, GeneralName, ParsedExtension, X509Certificate};

use super::pki::{pki_error, random_serial};
use super::state::State;
use crate::error::Error;

/// The folder of the state that holds kubeward's CAs.
pub const TRUST_DIR: &str = "trust";

/// A CA that signs leaves: its issuer, its own certificate, the certificates a leaf's chain
/// carries above the leaf (the intermediate), and the anchor callers verify the chain with.
pub struct Signer {
    issuer: Issuer<'static, KeyPair>,
    /// This CA's certificate: a leaf it signed is reused only while this stays the same.
    pub cert_pem: String,
    /// PEM appended to each leaf so that a client holding only the anchor can build the
    /// chain: the intermediate; empty for a CA that is its own anchor.
    pub chain_pem: String,
    /// The trust anchor: kubeward's root, or the user's CA.
    pub anchor_pem: String,
}

impl Signer {
    pub(super) fn issuer(&self) -> &Issuer<'static, KeyPair> {
        &self.issuer
    }
}

/// Which CA: the user's, by its two files; kubeward's root, by state folder; kubeward's
/// intermediate for a namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CaKey {
    Files { cert: PathBuf, key: PathBuf },
    Root { state: PathBuf },
    Namespace { state: PathBuf, namespace: String },
}

/// The CAs obtained so far in a run. Each is loaded or created once, by the first service
/// that needs it, while the other services that need it wait: two threads never create two
/// CAs for one namespace. A failure is not kept, so each service that needs that CA reports it.
#[derive(Default)]
pub struct CaCache {
    slots: Mutex<HashMap<CaKey, Arc<CaSlot>>>,
}

/// One CA of the cache: empty until obtained; locked while being obtained.
type CaSlot = Mutex<Option<Arc<Signer>>>;

/// What a new CA of kubeward's is made with.
#[derive(Debug, Clone, Copy)]
pub struct CaTerms {
    pub now: OffsetDateTime,
    pub validity_days: u32,
}

impl CaCache {
    fn obtain(
        &self,
        key: CaKey,
        make: impl FnOnce() -> Result<Signer, Error>,
    ) -> Result<Arc<Signer>, Error> {
        let slot = Arc::clone(
            self.slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(key)
                .or_default(),
        );
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(signer) = slot.as_ref() {
            return Ok(Arc::clone(signer));
        }
        let signer = Arc::new(make()?);
        *slot = Some(Arc::clone(&signer));
        Ok(signer)
    }

    /// The user's CA from its certificate and key files (`spec.tls.ca`).
    pub fn user_ca(&self, cert: &Path, key: &Path) -> Result<Arc<Signer>, Error> {
        let key_id = CaKey::Files {
            cert: canonical(cert),
            key: canonical(key),
        };
        self.obtain(key_id, || {
            let read = |field: &str, path: &Path| {
                std::fs::read_to_string(path).map_err(|e| {
                    Error::Material(format!("{field}: cannot read {}: {e}", path.display()))
                })
            };
            let cert_pem = read("spec.tls.ca.cert", cert)?;
            let key_pem = read("spec.tls.ca.key", key)?;
            let key = KeyPair::from_pem(&key_pem)
                .map_err(|e| pki_error("spec.tls.ca.key is not a PEM private key", e))?;
            let issuer = Issuer::from_ca_cert_pem(&cert_pem, key)
                .map_err(|e| pki_error("spec.tls.ca.cert is not a PEM certificate", e))?;
            Ok(Signer {
                issuer,
                anchor_pem: cert_pem.clone(),
                cert_pem,
                chain_pem: String::new(),
            })
        })
    }

    /// kubeward's root in `state`, created on first use.
    pub fn root(&self, state: &State, terms: CaTerms) -> Result<Arc<Signer>, Error> {
        let key = CaKey::Root {
            state: canonical(state.root()),
        };
        self.obtain(key, || root(state, terms))
    }

    /// kubeward's CA for `namespace` in `state`, permitted to sign `names` (and the names under
    /// them) only: created on first use, issued again (with its key) when the names change.
    pub fn namespace(
        &self,
        state: &State,
        namespace: &str,
        names: &[String],
        terms: CaTerms,
    ) -> Result<Arc<Signer>, Error> {
        let key = CaKey::Namespace {
            state: canonical(state.root()),
            namespace: namespace.to_string(),
        };
        self.obtain(key, || {
            let root = self.root(state, terms)?;
            intermediate(&root, state, namespace, names, terms)
        })
    }
}

/// `path` with links and `..` resolved, so that two spellings of one folder share one CA
/// (a path that does not exist stays as it is: obtaining the CA will report it).
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn ca_params(
    common_name: String,
    path_length: u8,
    terms: CaTerms,
) -> Result<CertificateParams, Error> {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "kubeward");
    name.push(DnType::CommonName, common_name);
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(path_length));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = terms.now - Duration::hours(1);
    params.not_after = terms.now + Duration::days(i64::from(terms.validity_days));
    params.serial_number = Some(random_serial()?);
    Ok(params)
}

/// A CA's certificate and key from the state: both, or neither (then `None`); one without the
/// other is an error naming it.
fn stored(state: &State, dir: &str) -> Result<Option<(String, KeyPair)>, Error> {
    let (cert_path, key_path) = (format!("{dir}/ca.crt"), format!("{dir}/ca.key"));
    match (state.read_text(&cert_path)?, state.read_text(&key_path)?) {
        (Some(cert), Some(key)) => {
            let key = KeyPair::from_pem(&key)
                .map_err(|_| state.corrupt(&key_path, "is not a PEM private key"))?;
            Ok(Some((cert, key)))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(state.corrupt(&cert_path, "has no private key beside it")),
        (None, Some(_)) => Err(state.corrupt(&key_path, "has no certificate beside it")),
    }
}

fn root(state: &State, terms: CaTerms) -> Result<Signer, Error> {
    let cert_path = format!("{TRUST_DIR}/ca.crt");
    if let Some((cert_pem, key)) = stored(state, TRUST_DIR)? {
        let issuer = Issuer::from_ca_cert_pem(&cert_pem, key)
            .map_err(|_| state.corrupt(&cert_path, "is not a PEM certificate"))?;
        return Ok(Signer {
            issuer,
            anchor_pem: cert_pem.clone(),
            cert_pem,
            chain_pem: String::new(),
        });
    }
    let key = KeyPair::generate().map_err(|e| pki_error("cannot generate the root CA key", e))?;
    let params = ca_params("kubeward root CA".into(), 1, terms)?;
    let cert = params
        .self_signed(&key)
        .map_err(|e| pki_error("cannot create the root CA", e))?;
    // The key and its certificate replaced as one set: a reader never sees one alone.
    state.write_set(&[
        (
            &format!("{TRUST_DIR}/ca.key"),
            key.serialize_pem().as_bytes(),
        ),
        (&cert_path, cert.pem().as_bytes()),
    ])?;
    Ok(Signer {
        anchor_pem: cert.pem(),
        cert_pem: cert.pem(),
        chain_pem: String::new(),
        issuer: Issuer::new(params, key),
    })
}

/// The permitted DNS subtrees of a name-constrained CA for `names`: each name once, wildcards
/// as the domain they stand under, names already under another left out, sorted.
pub fn permitted_subtrees(names: &[String]) -> Vec<String> {
    let bases: BTreeSet<String> = names
        .iter()
        .map(|n| n.strip_prefix("*.").unwrap_or(n).to_string())
        .collect();
    let under = |name: &str, base: &str| name != base && name.ends_with(&format!(".{base}"));
    bases
        .iter()
        .filter(|name| !bases.iter().any(|base| under(name, base)))
        .cloned()
        .collect()
}

fn intermediate(
    root: &Signer,
    state: &State,
    namespace: &str,
    names: &[String],
    terms: CaTerms,
) -> Result<Signer, Error> {
    let dir = format!("{TRUST_DIR}/{namespace}");
    let cert_path = format!("{dir}/ca.crt");
    let permitted = permitted_subtrees(names);
    let (root_id, root_expiry) = root_identity(root)?;
    let key = match stored(state, &dir)? {
        Some((cert_pem, key)) => {
            let current =
                constraints_and_signer(&cert_pem).map_err(|why| state.corrupt(&cert_path, why))?;
            if current == (permitted.clone(), root_id) {
                let issuer = Issuer::from_ca_cert_pem(&cert_pem, key)
                    .map_err(|_| state.corrupt(&cert_path, "is not a PEM certificate"))?;
                return Ok(Signer {
                    issuer,
                    chain_pem: cert_pem.clone(),
                    cert_pem,
                    anchor_pem: root.anchor_pem.clone(),
                });
            }
            key
        }
        None => {
            KeyPair::generate().map_err(|e| pki_error("cannot generate the namespace CA key", e))?
        }
    };
    let mut params = ca_params(format!("kubeward CA for namespace {namespace}"), 0, terms)?;
    params.not_after = params.not_after.min(root_expiry);
    params.name_constraints = Some(NameConstraints {
        permitted_subtrees: permitted
            .iter()
            .cloned()
            .map(GeneralSubtree::DnsName)
            .collect(),
        excluded_subtrees: Vec::new(),
    });
    params.use_authority_key_identifier_extension = true;
    let cert = params
        .signed_by(&key, root.issuer())
        .map_err(|e| pki_error("cannot sign the namespace CA", e))?;
    state.write_set(&[
        (&format!("{dir}/ca.key"), key.serialize_pem().as_bytes()),
        (&cert_path, cert.pem().as_bytes()),
    ])?;
    Ok(Signer {
        chain_pem: cert.pem(),
        cert_pem: cert.pem(),
        anchor_pem: root.anchor_pem.clone(),
        issuer: Issuer::new(params, key),
    })
}

/// The root's key identifier and expiry.
fn root_identity(root: &Signer) -> Result<(Vec<u8>, OffsetDateTime), Error> {
    read_cert(&root.cert_pem, |x509| {
        let id = key_ids(x509).1.ok_or("has no subject key identifier")?;
        Ok((id, x509.validity().not_after.to_datetime()))
    })
    .map_err(|why| Error::State(format!("kubeward's root CA {why}")))
}

/// A stored intermediate's permitted DNS subtrees (sorted) and the key identifier of the CA
/// that signed it.
fn constraints_and_signer(pem_text: &str) -> Result<(Vec<String>, Vec<u8>), &'static str> {
    read_cert(pem_text, |x509| {
        let constraints = x509
            .name_constraints()
            .map_err(|_| "has unreadable name constraints")?;
        let mut permitted: Vec<String> = constraints
            .and_then(|c| c.value.permitted_subtrees.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|subtree| match &subtree.base {
                GeneralName::DNSName(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        permitted.sort();
        let signer = key_ids(x509).0.ok_or("has no authority key identifier")?;
        Ok((permitted, signer))
    })
}

/// A certificate's authority and subject key identifiers.
fn key_ids(x509: &X509Certificate) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let (mut authority, mut subject) = (None, None);
    for extension in x509.extensions() {
        match extension.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority = aki.key_identifier.as_ref().map(|id| id.0.to_vec());
            }
            ParsedExtension::SubjectKeyIdentifier(id) => subject = Some(id.0.to_vec()),
            _ => {}
        }
    }
    (authority, subject)
}

fn read_cert<T>(
    pem_text: &str,
    read: impl FnOnce(&X509Certificate) -> Result<T, &'static str>,
) -> Result<T, &'static str> {
    let (_, pem) = parse_x509_pem(pem_text.as_bytes()).map_err(|_| "is not a PEM certificate")?;
    let (_, x509) =
        X509Certificate::from_der(&pem.contents).map_err(|_| "is not an X.509 certificate")?;
    read(&x509)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permitted_subtrees_keep_the_widest_name_once() {
        let names: Vec<String> = [
            "api",
            "api.shop",
            "shop",
            "api.shop.svc",
            "shop.svc",
            "*.example.com",
            "shop.example.com",
            "example.com.evil",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            permitted_subtrees(&names),
            ["api", "example.com", "example.com.evil", "shop", "shop.svc"]
        );
    }
}
