//! The material stage: the secret material a plan needs. Secret values are generated from
//! the OS random source and kept in the state folder (`state`), or read from an environment
//! variable or a file (a value in an external store is never read); certificates come from
//! `pki`. Values are bytes, exactly as given; they leave this stage base64-encoded, as the
//! [`Material`] `render` fills the Secrets with (and the CA's PEM for the ConfigMap a Gateway
//! verifies the service with), with the digest of what the pods mount (`rollout`), which
//! restarts them when it changes, the [`Sealer`] (`sealing`) that seals them for the
//! cluster's Sealed Secrets controller when the plan asks for it, and the warnings about the
//! CAs it keeps that near their end (`renewal`).

pub mod pki;
pub mod renewal;
pub mod rollout;
pub mod sealing;
pub mod state;
pub mod trust;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

use crate::error::{Error, FieldError, Warning};
use crate::plan::{Anchor, CertSource, Plan};
use crate::validate::{Sealing, SecretSource, Service};
use sealing::{Sealer, SealingKey};
use state::State;

/// Base64 values for the Secret templates, keyed by object name; the PEM text of the CA
/// bundles (ConfigMaps, not secret), keyed by ConfigMap name; the digest of what the pods
/// mount; and what seals the Secrets.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Material {
    pub secrets: BTreeMap<String, String>,
    pub certs: BTreeMap<String, pki::CertFiles>,
    pub bundles: BTreeMap<String, String>,
    /// `hmac-sha256:...` over every value the pods mount ([`rollout::digest`]).
    pub mounted_digest: Option<String>,
    /// The PEM of the anchor the service's certificate chains to, for the ConfigMap the
    /// Gateway verifies it with and the Route's destinationCACertificate (not base64: text).
    pub ca_bundle: Option<String>,
    /// Seals every rendered Secret into a SealedSecret; `None`: the Secrets stay plain.
    #[serde(skip)]
    pub sealer: Option<Sealer>,
    /// The CAs kept that expire within the renewal window ([`renewal`]).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

impl Material {
    /// `self` with its [`Material::mounted_digest`] computed for `plan`, keyed by `key`.
    fn with_digest(
        mut self,
        plan: &Plan,
        key: impl FnOnce() -> Result<Vec<u8>, Error>,
    ) -> Result<Material, Error> {
        self.mounted_digest = rollout::digest(plan, &self, key)?;
        Ok(self)
    }
}

/// What gathering needs besides the plan.
pub struct Sources<'a> {
    /// The folder relative `fromFile` and CA paths are taken from.
    pub base_dir: &'a Path,
    /// The state folder, opened only when something must be kept.
    pub state_dir: PathBuf,
    /// Generated secrets to replace on purpose.
    pub rotate: &'a [String],
    pub now: time::OffsetDateTime,
    /// The CAs obtained so far in this run.
    pub cas: &'a trust::CaCache,
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Draws `length` characters uniformly from [`ALPHABET`] using the OS random source.
pub fn random_secret(length: usize) -> Result<String, Error> {
    let mut out = String::with_capacity(length);
    while out.len() < length {
        let buf = random_bytes(64)?;
        // 248 = 4 * 62: rejecting bytes above it keeps every character equally likely.
        for byte in buf.iter().filter(|b| **b < 248) {
            if out.len() < length {
                out.push(ALPHABET[(*byte % 62) as usize] as char);
            }
        }
    }
    Ok(out)
}

/// `length` bytes from the OS random source, for keys.
pub fn random_bytes(length: usize) -> Result<Vec<u8>, Error> {
    let mut bytes = vec![0u8; length];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Material(format!("the OS random source failed: {e}")))?;
    Ok(bytes)
}

/// What every secret value and certificate file is replaced by in a render that must not
/// touch secrets (`graph -f`, `diff-presets`): base64 of this text.
pub const PLACEHOLDER: &str = "not rendered";

impl Material {
    /// Material for `plan` with every value replaced by [`PLACEHOLDER`]: no state folder is
    /// opened, no secret is read or generated, no key is made.
    pub fn placeholder(plan: &Plan) -> Material {
        let value = STANDARD.encode(PLACEHOLDER);
        let files = pki::CertFiles {
            crt: value.clone(),
            key: value.clone(),
            ca: value.clone(),
            not_after: PLACEHOLDER.to_string(),
        };
        let mut material = Material {
            secrets: plan
                .secrets
                .iter()
                .filter(|s| s.store.is_none())
                .map(|s| (s.object_name.clone(), value.clone()))
                .collect(),
            certs: plan
                .certificates()
                .filter(|c| c.source != CertSource::CertManager)
                .map(|c| (c.secret_name.clone(), files.clone()))
                .collect(),
            bundles: plan
                .trust
                .bundles
                .iter()
                .map(|b| (b.name.clone(), PLACEHOLDER.to_string()))
                .collect(),
            mounted_digest: None,
            ca_bundle: needs_ca_bundle(plan).then(|| PLACEHOLDER.to_string()),
            sealer: plan.sealing.as_ref().map(|s| Sealer::placeholder(s.scope)),
            warnings: Vec::new(),
        };
        // The placeholder key cannot fail.
        let key = || Ok(PLACEHOLDER.as_bytes().to_vec());
        material.mounted_digest = rollout::digest(plan, &material, key).ok().flatten();
        material
    }
}

/// The controller key `spec.sealing` names, read and checked at `now`; the error names the
/// field.
pub fn sealing_key(
    sealing: &Sealing,
    base_dir: &Path,
    now: time::OffsetDateTime,
) -> Result<SealingKey, FieldError> {
    SealingKey::read(&base_dir.join(&sealing.certificate), now)
        .map_err(|why| FieldError::new(&sealing.field, why))
}

/// Reads or creates every value the plan's Secrets need.
pub fn gather(service: &Service, plan: &Plan, sources: &Sources) -> Result<Material, Error> {
    for name in sources.rotate {
        let generated = service
            .secrets
            .iter()
            .any(|s| &s.name == name && matches!(s.source, SecretSource::Generate { .. }));
        if !generated {
            return Err(Error::Usage(format!(
                "--rotate {name}: no generated secret has this name in spec.secrets (only generated secrets can be rotated)"
            )));
        }
    }
    let state = OnceCell::new();
    let open_state = || -> Result<&State, Error> {
        if let Some(state) = state.get() {
            return Ok(state);
        }
        let opened = State::open(&sources.state_dir)?;
        Ok(state.get_or_init(|| opened))
    };
    let mut material = Material::default();
    let writes_secrets = plan.objects.iter().any(|o| o.kind == "Secret");
    if let Some(sealing) = service.sealing.as_ref().filter(|_| writes_secrets) {
        let key = sealing_key(sealing, sources.base_dir, sources.now)
            .map_err(|e| Error::Material(e.to_string()))?;
        material.sealer = Some(Sealer::new(key, sealing.scope, open_state()?.clone()));
    }
    for (index, secret) in plan.secrets.iter().enumerate() {
        let bytes = match &secret.source {
            // Written in the cluster by the External Secrets Operator: never read here.
            SecretSource::Store(_) => continue,
            SecretSource::Generate { length } => {
                let relative = format!("{}/{}/secrets/{}", plan.namespace, plan.name, secret.name);
                generated(
                    open_state()?,
                    &relative,
                    *length,
                    sources.rotate.contains(&secret.name),
                )?
            }
            SecretSource::Env(var) => env_bytes(var).ok_or_else(|| {
                Error::Material(format!(
                    "spec.secrets[{index}].fromEnv: environment variable {var} is not set"
                ))
            })?,
            SecretSource::File(path) => {
                let full = sources.base_dir.join(path);
                std::fs::read(&full).map_err(|e| {
                    Error::Material(format!(
                        "spec.secrets[{index}].fromFile: cannot read {}: {e}",
                        full.display()
                    ))
                })?
            }
        };
        material
            .secrets
            .insert(secret.object_name.clone(), STANDARD.encode(bytes));
    }
    let terms = trust::CaTerms {
        now: sources.now,
        validity_days: plan.ca_validity_days,
    };
    let mut kept = Vec::new();
    for cert in plan.certificates() {
        let ca = match cert.source {
            CertSource::CertManager => continue,
            CertSource::Ca => {
                let file = |path: &Option<String>| {
                    sources.base_dir.join(path.as_deref().unwrap_or_default())
                };
                let ca = sources
                    .cas
                    .user_ca(&file(&service.tls.ca_cert), &file(&service.tls.ca_key))?;
                kept.push(renewal::Kept {
                    what: format!(
                        "the CA of spec.tls.ca.cert ({})",
                        service.tls.ca_cert.as_deref().unwrap_or_default()
                    ),
                    pem: ca.anchor_pem.clone(),
                    renew: renewal::RENEW_USER_CA,
                });
                ca
            }
            CertSource::SelfSigned => {
                let ca =
                    sources
                        .cas
                        .namespace(open_state()?, &plan.namespace, &plan.ca_names, terms)?;
                kept.push(root_kept(&ca.anchor_pem));
                ca
            }
        };
        let files = pki::leaf(
            &ca,
            cert,
            open_state()?,
            &plan.namespace,
            &plan.name,
            sources.now,
        )?;
        material.certs.insert(cert.secret_name.clone(), files);
        if needs_ca_bundle(plan) && plan.tls.as_ref() == Some(cert) {
            material.ca_bundle = Some(ca.anchor_pem.clone());
        }
    }
    for bundle in &plan.trust.bundles {
        if material.bundles.contains_key(&bundle.name) {
            continue;
        }
        let mut text = String::new();
        for anchor in &bundle.anchors {
            let pem = match anchor {
                Anchor::Root => {
                    let pem = sources.cas.root(open_state()?, terms)?.anchor_pem.clone();
                    kept.push(root_kept(&pem));
                    pem
                }
                Anchor::File(path) => {
                    let full = sources.base_dir.join(path);
                    let pem = std::fs::read_to_string(&full).map_err(|e| {
                        Error::Material(format!(
                            "the trust bundle {}: cannot read {}: {e}",
                            bundle.name,
                            full.display()
                        ))
                    })?;
                    kept.push(renewal::Kept {
                        what: format!(
                            "the trust anchor {} of the bundle {}",
                            path.display(),
                            bundle.name
                        ),
                        pem: pem.clone(),
                        renew: renewal::RENEW_ANCHOR,
                    });
                    pem
                }
            };
            if !pki::is_certificates(&pem) {
                let what = match anchor {
                    Anchor::Root => "kubeward's root CA".to_string(),
                    Anchor::File(path) => path.display().to_string(),
                };
                return Err(Error::Material(format!(
                    "the trust bundle {}: {what} is not PEM certificates",
                    bundle.name
                )));
            }
            if !text.contains(pem.trim()) {
                text.push_str(pem.trim_end());
                text.push('\n');
            }
        }
        material.bundles.insert(bundle.name.clone(), text);
    }
    material.warnings = renewal::warnings(&kept, sources.now, plan.renew_before_days);
    let key = format!("{}/{}/rollout-key", plan.namespace, plan.name);
    material.with_digest(plan, || {
        generated(open_state()?, &key, ROLLOUT_KEY_LENGTH, false)
    })
}

/// kubeward's root CA, kept in the state folder.
fn root_kept(pem: &str) -> renewal::Kept {
    renewal::Kept {
        what: format!(
            "kubeward's root CA ({}/ca.crt of the state folder)",
            trust::TRUST_DIR
        ),
        pem: pem.to_string(),
        renew: renewal::RENEW_ROOT,
    }
}

/// Characters of the random key of the rollout digest (from [`ALPHABET`]: 256 bits and more).
const ROLLOUT_KEY_LENGTH: usize = 48;

/// Whether the bundle holds the ConfigMap of the CA that signs the service's certificate.
fn needs_ca_bundle(plan: &Plan) -> bool {
    plan.gateway
        .as_ref()
        .and_then(|g| g.backend_tls.as_ref())
        .is_some_and(|b| b.renders_config_map)
        || plan.route.as_ref().is_some_and(|r| r.verifies_service)
}

/// A generated secret: kept in the state folder, created when missing or rotated.
fn generated(state: &State, relative: &str, length: usize, rotate: bool) -> Result<Vec<u8>, Error> {
    if !rotate && let Some(text) = state.read_text(relative)? {
        let valid = text.bytes().all(|b| ALPHABET.contains(&b));
        if !valid {
            return Err(state.corrupt(relative, "does not hold a kubeward-generated value"));
        }
        if text.len() != length {
            return Err(state.corrupt(
                relative,
                &format!("holds {} characters but the spec asks for {length}: pass --rotate to generate a new value", text.len()),
            ));
        }
        return Ok(text.into_bytes());
    }
    let value = random_secret(length)?;
    state.write(relative, value.as_bytes())?;
    Ok(value.into_bytes())
}

#[cfg(unix)]
fn env_bytes(var: &str) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStringExt;
    std::env::var_os(var).map(OsStringExt::into_vec)
}

#[cfg(not(unix))]
fn env_bytes(var: &str) -> Option<Vec<u8>> {
    std::env::var_os(var).map(|v| v.to_string_lossy().into_owned().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_have_the_length_and_alphabet() {
        let a = random_secret(40).unwrap();
        let b = random_secret(40).unwrap();
        assert_eq!(a.len(), 40);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        assert_ne!(a, b);
    }
}
