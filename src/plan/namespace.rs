//! The namespace: Pod Security enforced, the service's own account, and a quota where the
//! data is sensitive.

use super::decisions::Decisions;
use crate::preset::{NamespaceQuota, Preset};
use crate::spec::Sensitivity;
use crate::validate::Service;

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
) -> Option<NamespaceQuota> {
    if service.sensitivity != Sensitivity::Restricted {
        return None;
    }
    d.add(
        "namespace-quota",
        "a ResourceQuota and a LimitRange for the namespace",
        "sensitivity restricted",
    );
    Some(preset.namespace_quota.clone())
}
