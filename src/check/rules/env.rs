//! The rules of environment variables (KW-SEC): secret values written into a manifest as
//! literal `env[].value`s, where everyone who reads the manifest, the pod spec or the
//! process environment reads them too. Values are never printed.

use serde_json::Value;

use super::common::{NONE, pod_of};
use crate::check::index::Index;
use crate::check::object::Object;
use crate::check::{Applies, Hits, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-SEC-022",
        severity: Severity::Error,
        title: "No literal value in an environment variable named like a secret (`*SECRET*`)",
        explanation: "A variable whose name contains `SECRET` (in any case) and that has a literal \
`value` puts the secret in the manifest, in every copy of it and in the pod spec anyone with read \
access sees. Put the value in a Secret and mount it as a file (kubeward's `spec.secrets`); a \
`valueFrom.secretKeyRef` keeps it out of the manifest but still in the environment (KW-SEC-020). \
This is exactly kube-linter's `env-var-secret` (a name matching `(?i).*secret.*` with a \
non-empty value, every container of a pod-carrying object).",
        rubric: &[17],
        scanners: Scanners {
            kube_linter: &["env-var-secret"],
            ..NONE
        },
        applies: Applies::Pods,
        check: secret_named,
    },
    Rule {
        id: "KW-SEC-023",
        severity: Severity::Error,
        title: "No literal password, token, key or credential in an environment variable",
        explanation: "A literal `value` in a variable named like a credential (`*PASSWORD*`, \
`*PASSWD*`, `*PASSPHRASE*`, `*TOKEN*`, `*API_KEY*`, `*APIKEY*`, `*PRIVATE_KEY*`, \
`*ACCESS_KEY*`, `*CREDENTIAL*`), or a value that looks like a key whatever the name (a PEM \
private key, an AWS access key id, a GitHub, Slack, Stripe or Google API token, a JWT, a URL \
with a password), puts the secret in the manifest. Names ending in `_FILE`, `_PATH`, `_DIR`, \
`_URL`, `_URI`, `_HOST` or `_PORT` (where a value names a place, not a secret), numbers, \
`true`/`false` and `$(VAR)` references are not reported by name; names containing `SECRET` are \
KW-SEC-022's. Mount the value from a Secret as a file instead. No scanner judges the same \
set: kube-linter's `env-var-secret` looks at `SECRET` names only.",
        rubric: &[17],
        scanners: NONE,
        applies: Applies::Pods,
        check: credential_like,
    },
];

/// The literal variables of every container of `object`: (the container as messages name it,
/// the path of the value, the name, the value).
fn literals(object: &Object) -> Vec<(String, String, &str, &str)> {
    let Some((_, containers)) = pod_of(object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in containers {
        let vars = c.value.get("env").and_then(Value::as_array);
        for (i, var) in vars.into_iter().flatten().enumerate() {
            let name = var.get("name").and_then(Value::as_str);
            let value = var.get("value").and_then(Value::as_str);
            if let (Some(name), Some(value)) = (name, value) {
                out.push((c.label(), format!("{}.env[{i}].value", c.path), name, value));
            }
        }
    }
    out
}

/// Whether kube-linter's `env-var-secret` reports the variable: a name matching
/// `(?i).*secret.*` and a value matching `.+` (a character other than a line feed).
fn is_secret_named(name: &str, value: &str) -> bool {
    name.to_ascii_lowercase().contains("secret") && value.chars().any(|c| c != '\n')
}

fn secret_named(_: &Index, object: &Object, hits: &mut Hits) {
    for (c, path, name, value) in literals(object) {
        if is_secret_named(name, value) {
            hits.add(
                path,
                format!(
                    "{c}: environment variable {name} holds a literal value (not shown): mount it from a Secret as a file"
                ),
            );
        }
    }
}

/// Words of a variable name that say it holds a credential.
const CREDENTIAL_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

/// Name endings whose values name a place or a setting, not a secret.
const PLACE_SUFFIXES: &[&str] = &["_FILE", "_PATH", "_DIR", "_URL", "_URI", "_HOST", "_PORT"];

/// Whether `name` says it holds a credential and `value` could be one.
fn credential_named(name: &str, value: &str) -> bool {
    let name = name.to_ascii_uppercase().replace(['-', '.'], "_");
    let value = value.trim();
    let not_secret = value.is_empty()
        || value.parse::<f64>().is_ok()
        || matches!(value, "true" | "false")
        || (value.starts_with("$(") && value.ends_with(')') && value.matches("$(").count() == 1);
    CREDENTIAL_WORDS.iter().any(|w| name.contains(w))
        && !PLACE_SUFFIXES.iter().any(|s| name.ends_with(s))
        && !not_secret
}

/// What `value` looks like when it looks like a key, token or credential.
fn key_like(value: &str) -> Option<&'static str> {
    let value = value.trim();
    let alnum = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
    let token_chars = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let after = |prefix: &str, min: usize| {
        value
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.len() >= min && token_chars(rest))
    };
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") {
        return Some("a PEM private key");
    }
    if value.len() == 20
        && (value.starts_with("AKIA") || value.starts_with("ASIA"))
        && value[4..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key id");
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"].iter().any(|p| {
        value
            .strip_prefix(p)
            .is_some_and(|r| r.len() >= 36 && alnum(r))
    }) || after("github_pat_", 22)
    {
        return Some("a GitHub token");
    }
    if ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| after(p, 10))
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_", "sk_test_", "rk_test_"]
        .iter()
        .any(|p| after(p, 16))
    {
        return Some("a Stripe key");
    }
    if value.len() == 39 && after("AIza", 35) {
        return Some("a Google API key");
    }
    let parts: Vec<&str> = value.split('.').collect();
    if parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts.iter().all(|p| p.len() >= 4 && token_chars(p))
    {
        return Some("a JSON Web Token");
    }
    if let Some((_, rest)) = value.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo
                .split_once(':')
                .is_some_and(|(_, password)| !password.is_empty())
        {
            return Some("a URL with a password");
        }
    }
    None
}

fn credential_like(_: &Index, object: &Object, hits: &mut Hits) {
    for (c, path, name, value) in literals(object) {
        if is_secret_named(name, value) {
            continue;
        }
        let what = match key_like(value) {
            Some(kind) => format!("what looks like {kind}"),
            None if credential_named(name, value) => "a literal value".to_string(),
            None => continue,
        };
        hits.add(
            path,
            format!(
                "{c}: environment variable {name} holds {what} (not shown): mount it from a Secret as a file"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_match_kube_linter_exactly() {
        assert!(is_secret_named("CLIENT_SECRET", "x"));
        assert!(is_secret_named("mySecretValue", "x"));
        assert!(is_secret_named("SECRET", "\n x"));
        assert!(!is_secret_named("SECRET", ""));
        assert!(!is_secret_named("SECRET", "\n\n"));
        assert!(!is_secret_named("DB_PASSWORD", "hunter2"));
    }

    #[test]
    fn credential_names_skip_places_numbers_and_references() {
        assert!(credential_named("DB_PASSWORD", "hunter2"));
        assert!(credential_named("github-token", "abc"));
        assert!(credential_named("STRIPE_API_KEY", "abc"));
        assert!(!credential_named(
            "DB_PASSWORD_FILE",
            "/var/run/secrets/kubeward/db"
        ));
        assert!(!credential_named(
            "TOKEN_URL",
            "https://auth.example.com/token"
        ));
        assert!(!credential_named("TOKEN_TTL", "3600"));
        assert!(!credential_named("PASSWORD_REQUIRED", "true"));
        assert!(!credential_named(
            "DB_PASSWORD",
            "$(DB_PASSWORD_FROM_SECRET)"
        ));
        assert!(!credential_named("DB_PASSWORD", "  "));
        assert!(!credential_named("LOG_LEVEL", "debug"));
    }

    #[test]
    fn values_that_look_like_keys_are_recognised() {
        for (value, kind) in [
            (
                "-----BEGIN EC PRIVATE KEY-----\nMHc...\n-----END EC PRIVATE KEY-----",
                "a PEM private key",
            ),
            ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            (&format!("ghp_{}", "a1".repeat(18)), "a GitHub token"),
            ("xoxb-1234567890-abcdef", "a Slack token"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "a Stripe key"),
            (&format!("AIza{}", "x".repeat(35)), "a Google API key"),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl",
                "a JSON Web Token",
            ),
            (
                "postgres://app:hunter2@db.shop:5432/orders",
                "a URL with a password",
            ),
        ] {
            assert_eq!(key_like(value), Some(kind), "{value}");
        }
        for value in [
            "https://example.com/path?q=a:b@c",
            "postgres://app@db:5432",
            "AKIAshort",
            "hello.world.again",
            "plain text",
        ] {
            assert_eq!(key_like(value), None, "{value}");
        }
    }
}
