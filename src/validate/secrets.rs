//! The service's secrets: unique names, one source each.

use std::collections::BTreeSet;

use super::problems::Problems;
use super::service::{Secret, SecretSource};
use crate::spec;
use crate::spec::names::{DEFAULT_SECRET_LENGTH, env_var_name, secret_name};

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
        ];
        let source = match sources.iter().filter(|s| **s).count() {
            1 => {
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
                } else {
                    let path = secret.from_file.clone().unwrap_or_default();
                    p.check(
                        format!("{field}.fromFile"),
                        if path.is_empty() {
                            Err("must not be empty".to_string())
                        } else {
                            Ok(SecretSource::File(path))
                        },
                    )
                }
            }
            0 => {
                p.add(
                    &field,
                    "needs one source: `generate`, `fromEnv` or `fromFile`",
                );
                None
            }
            _ => {
                p.add(&field, "give only one of `generate`, `fromEnv`, `fromFile`");
                None
            }
        };
        if let (Some(name), Some(source)) = (name, source) {
            out.push(Secret { name, source });
        }
    }
    out
}
