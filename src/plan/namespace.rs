//! The namespace: Pod Security enforced, the service's own account, and a quota where the
//! data is sensitive. The Namespace, its quota and its limits are the namespace's, the same
//! for every service in it: they come from the preset, never from one service's spec.

use serde::Serialize;

use super::decisions::Decisions;
use crate::preset::{NamespaceQuota, Preset};
use crate::spec::{ResourceAmounts, Sensitivity};
use crate::validate::Service;

/// The namespace's ResourceQuota, and the defaults of its LimitRange for containers that give
/// no resources of their own (the preset's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamespaceLimits {
    pub quota: NamespaceQuota,
    pub default_requests: ResourceAmounts,
    pub default_limits: ResourceAmounts,
}

/// The namespace enforces Pod Security `restricted`, and the service runs as an account of
/// its own.
pub(super) fn identity(d: &mut Decisions, service: &Service, preset: &Preset) {
    d.add(
        "namespace-pod-security",
        format!(
            "namespace `{}` enforces, audits and warns at Pod Security level restricted ({})",
            service.namespace, preset.pod_security_version
        ),
        "always",
    );
    d.add(
        "dedicated-service-account",
        format!(
            "a ServiceAccount `{}` of its own, with automountServiceAccountToken: false",
            service.name
        ),
        "always",
    );
}

pub(super) fn quota(
    service: &Service,
    preset: &Preset,
    d: &mut Decisions,
) -> Option<NamespaceLimits> {
    if service.sensitivity != Sensitivity::Restricted {
        return None;
    }
    d.add(
        "namespace-quota",
        format!(
            "a ResourceQuota and a LimitRange `{}` for the namespace, from the preset",
            service.namespace
        ),
        "sensitivity restricted",
    );
    Some(NamespaceLimits {
        quota: preset.namespace_quota.clone(),
        default_requests: preset.resources.requests.clone(),
        default_limits: preset.resources.limits.clone(),
    })
}
