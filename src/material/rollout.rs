//! The digest that rolls pods out when what they mount changes: SHA-256 over the name and the
//! content of every Secret value and certificate file the pod mounts, written on the pod
//! template (`kubeward.dev/material-digest`). A `--rotate` or a certificate renewal changes it,
//! so `kubectl apply` restarts the pods; a render that changes nothing keeps it. The digest
//! says nothing the Secrets beside it do not hold; a certificate cert-manager issues is not in
//! it (kubeward never sees its content), nor the public host's, which the pods do not mount.

use ring::digest::{Context, SHA256};

use super::Material;
use crate::plan::{CertSource, Plan};

/// `sha256:<hex>` over what the pods of `plan` mount of `material`, or `None` when they mount
/// nothing kubeward supplies.
pub fn digest(plan: &Plan, material: &Material) -> Option<String> {
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
        return None;
    }
    let mut context = Context::new(&SHA256);
    for (object, key, value) in parts {
        // Each field length-prefixed, so that no two different inputs read the same.
        for field in [object, key, value] {
            context.update(&(field.len() as u64).to_be_bytes());
            context.update(field.as_bytes());
        }
    }
    let hex: String = context
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(format!("sha256:{hex}"))
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
        };
        material.certs.insert("api-tls".into(), files.clone());
        material.certs.insert("api-ingress-tls".into(), files);
        material
    }

    #[test]
    fn the_digest_follows_every_mounted_value_and_nothing_else() {
        let plan = crate::plan::plan_from_yaml(SPEC);
        let base = digest(&plan, &material("s", "crt")).unwrap();
        assert!(base.starts_with("sha256:") && base.len() == 71, "{base}");
        assert_eq!(digest(&plan, &material("s", "crt")).unwrap(), base);
        assert_ne!(digest(&plan, &material("t", "crt")).unwrap(), base);
        assert_ne!(digest(&plan, &material("s", "crt2")).unwrap(), base);
        let mut other = material("s", "crt");
        other.certs.get_mut("api-ingress-tls").unwrap().crt = "changed".into();
        assert_eq!(
            digest(&plan, &other).unwrap(),
            base,
            "the pods do not mount it"
        );
        // Moving bytes between fields is a different input.
        assert_ne!(
            digest(&plan, &material("sc", "rt")).unwrap(),
            digest(&plan, &material("s", "crt")).unwrap()
        );
    }

    #[test]
    fn nothing_mounted_no_digest() {
        let plan = crate::plan::plan_from_yaml(&SPEC.replace(
            "  protocol: https\n  secrets:\n    - {name: db, generate: {length: 32}}\n",
            "",
        ));
        assert_eq!(digest(&plan, &Material::default()), None);
    }
}
