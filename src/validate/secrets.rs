//! The service's secrets: unique names, one source each (a store reference complete); and the
//! sealing of every Secret, the spec's over the preset's.

use std::collections::BTreeSet;

use super::problems::Problems;
use super::service::{Sealing, Secret, SecretSource, StoreRef};
use crate::spec::names::{
    DEFAULT_SECRET_LENGTH, STORE_KINDS, dns_subdomain, env_var_name, secret_name,
};
use crate::spec::{self, SealingScope};

pub(super) fn validate_secrets(p: &mut Problems, secrets: &[spec::SecretSpec]) -> Vec<Secret> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    for (i, secret) in secrets.iter().enumerate() {
        let field = format!("spec.secrets[{i}]");
        let name = p
            .required(
                &format!("{field}.name"),
                &secret.name,
                "a name for the secret (a DNS-1123 label)",
            )
            .and_then(|n| p.check(format!("{field}.name"), secret_name(n).map(|_| n.clone())));
        if let Some(n) = &name
            && !names.insert(n.clone())
        {
            p.add(format!("{field}.name"), format!("`{n}` is listed twice"));
        }
        let sources = [
            secret.generate.is_some(),
            secret.from_env.is_some(),
            secret.from_file.is_some(),
            secret.from_store.is_some(),
        ];
        let source = match sources.iter().filter(|s| **s).count() {
            1 => source(p, secret, &field),
            0 => {
                p.add(
                    &field,
                    "needs one source: `generate`, `fromEnv`, `fromFile` or `fromStore`",
                );
                None
            }
            _ => {
                p.add(
                    &field,
                    "give only one of `generate`, `fromEnv`, `fromFile`, `fromStore`",
                );
                None
            }
        };
        if let (Some(name), Some(source)) = (name, source) {
            out.push(Secret { name, source });
        }
    }
    out
}

/// The one source `secret` gives, checked.
fn source(p: &mut Problems, secret: &spec::SecretSpec, field: &str) -> Option<SecretSource> {
    if let Some(generate) = &secret.generate {
        let length = generate.length.unwrap_or(DEFAULT_SECRET_LENGTH);
        p.check(
            format!("{field}.generate.length"),
            if (16..=4096).contains(&length) {
                Ok(SecretSource::Generate {
                    length: length as usize,
                })
            } else {
                Err(format!("{length} characters: use 16-4096"))
            },
        )
    } else if let Some(var) = &secret.from_env {
        p.check(
            format!("{field}.fromEnv"),
            env_var_name(var).map(|_| SecretSource::Env(var.clone())),
        )
    } else if let Some(path) = &secret.from_file {
        p.check(
            format!("{field}.fromFile"),
            if path.is_empty() {
                Err("must not be empty".to_string())
            } else {
                Ok(SecretSource::File(path.clone()))
            },
        )
    } else {
        store_ref(
            p,
            secret.from_store.as_ref()?,
            &format!("{field}.fromStore"),
        )
        .map(SecretSource::Store)
    }
}

/// A `fromStore` reference: a store name, its kind, a key, and no empty property or version.
fn store_ref(p: &mut Problems, store: &spec::StoreRefSpec, field: &str) -> Option<StoreRef> {
    let before = p.0.len();
    let name = p.required(
        &format!("{field}.store"),
        &store.store,
        "the name of the SecretStore or ClusterSecretStore",
    );
    if let Some(name) = name {
        p.check(format!("{field}.store"), dns_subdomain(name));
    }
    let kind = store.kind.as_deref().unwrap_or(STORE_KINDS[0]);
    if !STORE_KINDS.contains(&kind) {
        p.add(
            format!("{field}.kind"),
            format!("`{kind}` is not a store kind: use SecretStore or ClusterSecretStore"),
        );
    }
    p.required(
        &format!("{field}.key"),
        &store.key,
        "the key of the value in the store",
    );
    for (name, value) in [
        ("key", &store.key),
        ("property", &store.property),
        ("version", &store.version),
    ] {
        if value.as_deref() == Some("") {
            p.add(format!("{field}.{name}"), "must not be empty: leave it out");
        }
    }
    (p.0.len() == before).then(|| StoreRef {
        store: name.cloned().unwrap_or_default(),
        kind: kind.to_string(),
        key: store.key.clone().unwrap_or_default(),
        property: store.property.clone(),
        version: store.version.clone(),
    })
}

/// The sealing of the spec over the preset's, field by field: the certificate is required
/// once either asks for sealing.
pub(super) fn validate_sealing(
    p: &mut Problems,
    spec: Option<&spec::SealingSpec>,
    preset: Option<&spec::SealingSpec>,
) -> Option<Sealing> {
    if spec.is_none() && preset.is_none() {
        return None;
    }
    let (spec, preset) = (
        spec.cloned().unwrap_or_default(),
        preset.cloned().unwrap_or_default(),
    );
    let scope = spec.scope.or(preset.scope).unwrap_or(SealingScope::Strict);
    let (certificate, field) = match (spec.certificate, preset.certificate) {
        (Some(path), _) => (path, "spec.sealing.certificate".to_string()),
        (None, Some(path)) => (path, "the preset's spec.sealing.certificate".to_string()),
        (None, None) => {
            p.add(
                "spec.sealing.certificate",
                "is required: the Sealed Secrets controller's public certificate (kubeseal --fetch-cert > sealed-secrets.pem), or --seal-cert PATH",
            );
            return None;
        }
    };
    if certificate.is_empty() {
        p.add(&field, "must not be empty");
        return None;
    }
    Some(Sealing {
        certificate,
        scope,
        field,
    })
}
