//! The API server's `EncryptionConfiguration`: which provider writes Secrets to etcd, and
//! whether its keys are keys the API server accepts (CIS 1.2.28). Key values are never
//! quoted in a finding.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::check::Hits;
use crate::check::index::Index;
use crate::check::object::Object;

/// The `resources` entry that decides how Secrets are stored: the first naming `secrets`,
/// every core resource (`*.`) or every resource (`*.*`), with its index.
fn secrets_entry(object: &Object) -> Option<(usize, &Value)> {
    object
        .at(&["resources"])
        .and_then(Value::as_array)?
        .iter()
        .enumerate()
        .find(|(_, entry)| {
            entry
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|r| matches!(r.as_str(), Some("secrets" | "*." | "*.*")))
        })
}

/// The provider's name (`secretbox`, `kms`, ...) and its settings.
fn provider(value: &Value) -> Option<(&str, &Value)> {
    value
        .as_object()?
        .iter()
        .next()
        .map(|(name, settings)| (name.as_str(), settings))
}

/// KW-CP: Secrets are written with a strong provider.
pub fn strong_first_provider(_: &Index, object: &Object, hits: &mut Hits) {
    const CIS: &str = "1.2.28";
    let Some((index, entry)) = secrets_entry(object) else {
        hits.add_cis(
            CIS,
            "resources",
            "no entry of `resources` names `secrets`: the API server writes Secrets to etcd in plaintext",
        );
        return;
    };
    let path = format!("resources[{index}].providers[0]");
    let first = entry
        .get("providers")
        .and_then(Value::as_array)
        .and_then(|p| p.first())
        .and_then(provider);
    let problem = match first {
        None => Some("the entry for Secrets has no provider: they are written in plaintext".to_string()),
        Some(("identity", _)) => Some(
            "the first provider for Secrets is `identity`: they are written to etcd in plaintext; put `secretbox` or `kms` (v2) first and keep `identity` last only while existing Secrets are rewritten".to_string(),
        ),
        Some(("aescbc", _)) => Some(
            "the first provider for Secrets is `aescbc`, which the Kubernetes documentation rates weak (CBC is open to padding-oracle attacks): use `kms` (v2) or `secretbox`".to_string(),
        ),
        Some(("aesgcm", _)) => Some(
            "the first provider for Secrets is `aesgcm`, safe only when its key is rotated every 200,000 writes (its nonces are random): use `kms` (v2) or `secretbox`".to_string(),
        ),
        Some(("kms", settings)) if settings.get("apiVersion").and_then(Value::as_str) != Some("v2") => Some(
            "the first provider for Secrets is KMS v1 (no `apiVersion: v2`), deprecated since Kubernetes 1.28 and off by default since 1.29: set `apiVersion: v2`".to_string(),
        ),
        Some(_) => None,
    };
    if let Some(problem) = problem {
        hits.add_cis(CIS, path, problem);
    }
}

/// The key lengths (in bytes) a provider accepts, from the API server's validation.
fn key_sizes(provider: &str) -> Option<&'static [usize]> {
    match provider {
        "aescbc" | "aesgcm" => Some(&[16, 24, 32]),
        "secretbox" => Some(&[32]),
        _ => None,
    }
}

/// KW-CP: every key decodes to a length its provider accepts.
pub fn key_lengths(_: &Index, object: &Object, hits: &mut Hits) {
    const CIS: &str = "1.2.28";
    let entries = object.at(&["resources"]).and_then(Value::as_array);
    for (e, entry) in entries.into_iter().flatten().enumerate() {
        let providers = entry.get("providers").and_then(Value::as_array);
        for (p, (name, settings)) in providers
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(p, v)| Some((p, provider(v)?)))
        {
            let Some(sizes) = key_sizes(name) else {
                continue;
            };
            let keys = settings.get("keys").and_then(Value::as_array);
            let base = format!("resources[{e}].providers[{p}].{name}.keys");
            if keys.is_none_or(|k| k.is_empty()) {
                hits.add_cis(
                    CIS,
                    base,
                    format!("`{name}` has no key: the API server refuses the file"),
                );
                continue;
            }
            for (k, key) in keys.into_iter().flatten().enumerate() {
                let label = key.get("name").and_then(Value::as_str).unwrap_or("?");
                let path = format!("{base}[{k}].secret");
                let secret = key
                    .get("secret")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let sizes_text = sizes
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                match STANDARD.decode(secret) {
                    Err(_) => hits.add_cis(
                        CIS,
                        path,
                        format!("the secret of {name} key `{label}` is not base64: the API server refuses the file"),
                    ),
                    Ok(bytes) if !sizes.contains(&bytes.len()) => hits.add_cis(
                        CIS,
                        path,
                        format!(
                            "the secret of {name} key `{label}` is {} bytes; {name} takes {sizes_text} (generate one with `head -c 32 /dev/urandom | base64`)",
                            bytes.len()
                        ),
                    ),
                    Ok(_) => {}
                }
            }
        }
    }
}
