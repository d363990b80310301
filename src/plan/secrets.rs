//! The service's secrets: one Secret each, mounted as a read-only file; written by kubeward, or,
//! for a value in an external store, by the External Secrets Operator from an `ExternalSecret`.
//! And how the bundle keeps its Secrets out of plain sight: sealed for the cluster's Sealed
//! Secrets controller, or plain (base64) and marked as such.

use serde::Serialize;

use super::decisions::Decisions;
use crate::preset::Preset;
use crate::spec::SealingScope;
use crate::validate::{SecretSource, Service, StoreRef};

/// A Secret of the service: its name in the spec, its object name, where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretPlan {
    pub name: String,
    pub object_name: String,
    #[serde(skip)]
    pub source: SecretSource,
    /// For a value in an external store: the `ExternalSecret` that writes the Secret.
    pub store: Option<StorePlan>,
    /// The decision (index into [`Plan::decisions`](super::Plan::decisions)) about this Secret.
    pub decision: usize,
}

/// The `ExternalSecret` of a secret `fromStore`: where the value is, and how often it is read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorePlan {
    #[serde(flatten)]
    pub reference: StoreRef,
    /// The preset's `externalSecrets.refreshInterval`.
    pub refresh_interval: String,
}

/// Every Secret of the bundle written as a SealedSecret for one controller certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SealingPlan {
    /// The certificate as the spec or preset gives it (for people; `material` reads it).
    pub certificate: String,
    pub scope: SealingScope,
    /// The decision about sealing.
    pub decision: usize,
}

pub(super) fn secrets(service: &Service, preset: &Preset, d: &mut Decisions) -> Vec<SecretPlan> {
    service
        .secrets
        .iter()
        .enumerate()
        .map(|(index, secret)| {
            let object_name = format!("{}-{}", service.name, secret.name);
            let origin = match &secret.source {
                SecretSource::Generate { length } => format!("generated, {length} random characters, kept in the state folder"),
                SecretSource::Env(var) => format!("read from ${var} at render time"),
                SecretSource::File(path) => format!("read from {path} at render time"),
                SecretSource::Store(store) => format!("written by the External Secrets Operator from {}", store_text(store)),
            };
            let decision = d.add("secret-file", format!("Secret `{object_name}` ({origin}), mounted read-only as a file, never an environment variable"), "spec.secrets");
            let store = match &secret.source {
                SecretSource::Store(store) => {
                    let refresh_interval = preset.external_secrets.refresh_interval.clone();
                    d.add(
                        "secret-store",
                        format!(
                            "an ExternalSecret copies {} into Secret `{object_name}`, again every {refresh_interval}; the value never passes through kubeward",
                            store_text(store)
                        ),
                        format!("spec.secrets[{index}].fromStore"),
                    );
                    Some(StorePlan {
                        reference: store.clone(),
                        refresh_interval,
                    })
                }
                _ => None,
            };
            SecretPlan {
                name: secret.name.clone(),
                object_name,
                source: secret.source.clone(),
                store,
                decision,
            }
        })
        .collect()
}

/// `key K (property P, version V) of ClusterSecretStore `S``, for decisions.
fn store_text(store: &StoreRef) -> String {
    let mut details = Vec::new();
    details.extend(store.property.iter().map(|p| format!("property `{p}`")));
    details.extend(store.version.iter().map(|v| format!("version `{v}`")));
    let details = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join(", "))
    };
    format!(
        "key `{}`{details} of {} `{}`",
        store.key, store.kind, store.store
    )
}

/// How the Secrets kubeward writes are kept: sealed for the controller of `spec.sealing`, or,
/// when some are written and nothing seals them, plain, which the plan records and warns
/// about for the widest scope.
pub(super) fn sealing(
    service: &Service,
    writes_secrets: bool,
    d: &mut Decisions,
) -> Option<SealingPlan> {
    let Some(sealing) = &service.sealing else {
        if writes_secrets {
            d.add(
                "plain-secrets",
                "plain Secrets, their values base64 in the output: keep those files out of git, or seal them (spec.sealing)",
                "no spec.sealing",
            );
        }
        return None;
    };
    let scope = sealing.scope;
    let binding = match scope {
        SealingScope::Strict => "to its own namespace and name",
        SealingScope::NamespaceWide => "to its namespace, under any name",
        SealingScope::ClusterWide => "to nothing: any namespace, any name",
    };
    let decision = d.add(
        "sealed-secrets",
        format!(
            "every Secret written as a SealedSecret sealed for the controller certificate {} (scope {}: each value unseals bound {binding})",
            sealing.certificate,
            scope.as_str()
        ),
        sealing.field.clone(),
    );
    if scope == SealingScope::ClusterWide {
        d.warn(
            "sealing-cluster-wide",
            format!(
                "{}: scope cluster-wide lets anyone who may create a SealedSecret in any namespace unseal these values there, under any name; use strict (the default) unless the value must move",
                sealing.field.replace("certificate", "scope")
            ),
        );
    }
    Some(SealingPlan {
        certificate: sealing.certificate.clone(),
        scope,
        decision,
    })
}

impl super::Plan {
    /// The files of the output that will hold secret values in base64: every Secret's,
    /// unless the plan seals them.
    pub fn plaintext_files(&self) -> Vec<String> {
        if self.sealing.is_some() {
            return Vec::new();
        }
        self.objects
            .iter()
            .filter(|o| o.secret)
            .map(super::PlannedObject::file_name)
            .collect()
    }
}
