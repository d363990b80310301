//! The namespace: Pod Security enforced, the service's own account, and a quota and limit
//! range where the data is confidential or more.

use serde::Serialize;

use super::decisions::Decisions;
use crate::preset::{NamespaceQuota, Platform, Preset};
use crate::spec::ResourceAmounts;
use crate::validate::Service;

/// The namespace enforces Pod Security `restricted`, and the service runs as an account of
/// its own.
pub(super) fn identity(d: &mut Decisions, service: &Service, preset: &Preset) {
    let kept = match preset.platform {
        Platform::Openshift => {
            ", kept from OpenShift's label synchronisation (security.openshift.io/scc.podSecurityLabelSync: \"false\")"
        }
        Platform::Kubernetes => "",
    };
    d.add(
        "namespace-pod-security",
        format!(
            "namespace `{}` enforces Pod Security level restricted at version {} (the preset's podSecurityVersion), and audits and warns at restricted of the latest version{kept}",
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

/// The name of the namespace's ResourceQuota and LimitRange: objects of the namespace, not
/// of one service, so that services sharing it render the same two.
pub const QUOTA_NAME: &str = "kubeward-namespace";

/// The namespace's ResourceQuota and LimitRange, from the preset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota {
    pub hard: NamespaceQuota,
    /// The LimitRange's defaults for containers that say nothing: the preset's resources.
    pub default_requests: ResourceAmounts,
    pub default_limits: ResourceAmounts,
    /// The LimitRange's `max` for any one container.
    pub max: ResourceAmounts,
}

pub(super) fn quota(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<Quota> {
    let q = &preset.namespace_quota;
    if service.sensitivity < q.from_sensitivity {
        return None;
    }
    d.add(
        "namespace-quota",
        format!(
            "a ResourceQuota for namespace `{}` (at most {} pods, {} cpu and {} memory in limits, no NodePort and no LoadBalancer Service) and one LimitRange (defaults for containers that set none, at most {} cpu and {} memory each)",
            service.namespace,
            q.pods,
            q.limits_cpu,
            q.limits_memory,
            q.max_per_container.cpu.as_deref().unwrap_or_default(),
            q.max_per_container.memory.as_deref().unwrap_or_default()
        ),
        format!(
            "sensitivity {} (the preset's namespaceQuota.fromSensitivity: {})",
            service.sensitivity.as_str(),
            q.from_sensitivity.as_str()
        ),
    );
    Some(Quota {
        hard: q.clone(),
        default_requests: preset.resources.requests.clone(),
        default_limits: preset.resources.limits.clone(),
        max: q.max_per_container.clone(),
    })
}
