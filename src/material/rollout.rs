//! The digest that rolls pods out when what they mount changes: HMAC-SHA256 over the name and
//! the content of every Secret value and certificate file the pod mounts, written on the pod
//! template (`kubeward.dev/material-digest`). A `--rotate` or a certificate renewal changes it,
//! so `kubectl apply` restarts the pods; a render that changes nothing keeps it. Its key is a
//! random value kept in the state folder beside the secrets, so the digest, which stays in the
//! output when the Secrets are sealed and committed, cannot be used to guess a short value
//! (a plain hash of a `fromEnv` password could be searched offline). A certificate
//! cert-manager issues is not in it (kubeward never sees its content), nor the public host's,
//! which the pods do not mount.

use ring::hmac;

use super::Material;
use crate::error::Error;
use crate::plan::{CertSource, Plan};

/// `hmac-sha256:<hex>` over what the pods of `plan` mount of `material`, keyed by what `key`
/// gives (called only when the pods mount something), or `None` when they mount nothing
/// kubeward supplies.
pub fn digest(
    plan: &Plan,
    material: &Material,
    key: impl FnOnce() -> Result<Vec<u8>, Error>,
) -> Result<Option<String>, Error> {
    let mut parts: Vec<(&str, &str, &str)> = Vec::new();
    for secret in &plan.secrets {
        if let Some(value) = material.secrets.get(&secret.object_name) {
            parts.push((&secret.object_name, "value", value));
        }
    }
    let mounted = plan
        .tls
        .iter()
        .filter(|cert| cert.source != CertSource::CertManager);
    for cert in mounted {
        if let Some(files) = material.certs.get(&cert.secret_name) {
            for (key, value) in [
                ("tls.crt", &files.crt),
                ("tls.key", &files.key),
                ("ca.crt", &files.ca),
            ] {
                parts.push((&cert.secret_name, key, value));
            }
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let mut context = hmac::Context::with_key(&hmac::Key::new(hmac::HMAC_SHA256, &key()?));
    for (object, key, value) in parts {
        // Each field length-prefixed, so that no two different inputs read the same.
        for field in [object, key, value] {
            context.update(&(field.len() as u64).to_be_bytes());
            context.update(field.as_bytes());
        }
    }
    let hex: String = context
        .sign()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Some(format!("hmac-sha256:{hex}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::material::pki::CertFiles;

    const SPEC: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {name: api, namespace: shop}\nspec:\n  image: ghcr.io/acme/api:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 8443\n  protocol: https\n  secrets:\n    - {name: db, generate: {length: 32}}\n";

    fn material(secret: &str, crt: &str) -> Material {
        let mut material = Material::default();
        material.secrets.insert("api-db".into(), secret.into());
        let files = CertFiles {
            crt: crt.into(),
            key: "k".into(),
            ca: "c".into(),
            not_after: String::new(),
        };
        material.certs.insert("api-tls".into(), files.clone());
        material.certs.insert("api-ingress-tls".into(), files);
        material
    }

    fn keyed(plan: &Plan, material: &Material) -> Option<String> {
        digest(plan, material, || Ok(b"key".to_vec())).unwrap()
    }

    #[test]
    fn the_digest_follows_every_mounted_value_and_nothing_else() {
        let plan = crate::plan::plan_from_yaml(SPEC);
        let base = keyed(&plan, &material("s", "crt")).unwrap();
        assert!(
            base.starts_with("hmac-sha256:") && base.len() == 76,
            "{base}"
        );
        let other_key = digest(&plan, &material("s", "crt"), || Ok(b"other".to_vec()));
        assert_ne!(
            other_key.unwrap().unwrap(),
            base,
            "the key changes the digest"
        );
        assert_eq!(keyed(&plan, &material("s", "crt")).unwrap(), base);
        assert_ne!(keyed(&plan, &material("t", "crt")).unwrap(), base);
        assert_ne!(keyed(&plan, &material("s", "crt2")).unwrap(), base);
        let mut other = material("s", "crt");
        other.certs.get_mut("api-ingress-tls").unwrap().crt = "changed".into();
        assert_eq!(
            keyed(&plan, &other).unwrap(),
            base,
            "the pods do not mount it"
        );
        // Moving bytes between fields is a different input.
        assert_ne!(
            keyed(&plan, &material("sc", "rt")).unwrap(),
            keyed(&plan, &material("s", "crt")).unwrap()
        );
    }

    #[test]
    fn nothing_mounted_no_digest() {
        let plan = crate::plan::plan_from_yaml(&SPEC.replace(
            "  protocol: https\n  secrets:\n    - {name: db, generate: {length: 32}}\n",
            "",
        ));
        let unused_key = || -> Result<Vec<u8>, Error> { panic!("no key is needed") };
        assert_eq!(
            digest(&plan, &Material::default(), unused_key).unwrap(),
            None
        );
    }
}
