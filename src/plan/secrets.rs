//! The service's secrets: one Secret each, mounted as a read-only file.

use serde::Serialize;

use super::decisions::Decisions;
use crate::validate::{SecretSource, Service};

/// A Secret of the service: its name in the spec, its object name, where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretPlan {
    pub name: String,
    pub object_name: String,
    #[serde(skip)]
    pub source: SecretSource,
    /// The decision (index into [`Plan::decisions`](super::Plan::decisions)) about this Secret.
    pub decision: usize,
}

pub(super) fn secrets(service: &Service, d: &mut Decisions) -> Vec<SecretPlan> {
    service
        .secrets
        .iter()
        .map(|secret| {
            let object_name = format!("{}-{}", service.name, secret.name);
            let origin = match &secret.source {
                SecretSource::Generate { length } => format!("generated, {length} random characters, kept in the state folder"),
                SecretSource::Env(var) => format!("read from ${var} at render time"),
                SecretSource::File(path) => format!("read from {path} at render time"),
            };
            let decision = d.add("secret-file", format!("Secret `{object_name}` ({origin}), mounted read-only as a file, never an environment variable"), "spec.secrets");
            SecretPlan {
                name: secret.name.clone(),
                object_name,
                source: secret.source.clone(),
                decision,
            }
        })
        .collect()
}
