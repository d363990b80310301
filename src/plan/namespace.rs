//! The namespace: Pod Security enforced, the service's own account, and a quota and limit
//! range where the data is confidential or more; or, where the platform owns the namespace
//! (`spec.namespace.manage: false`), none of the namespace's objects and the labels and
//! annotations the platform must put on it.

use serde::Serialize;

use super::decisions::Decisions;
use super::mesh::MeshPlan;
use crate::preset::{NamespaceQuota, Platform, Preset};
use crate::spec::ResourceAmounts;
use crate::validate::Service;
use crate::vocabulary::OPENSHIFT_LABEL_SYNC;

/// The namespace enforces Pod Security `restricted` (when the bundle writes it), and the
/// service runs as an account of its own.
pub(super) fn identity(d: &mut Decisions, service: &Service, preset: &Preset) {
    let kept = match preset.platform {
        Platform::Openshift => {
            ", kept from OpenShift's label synchronisation (security.openshift.io/scc.podSecurityLabelSync: \"false\")"
        }
        Platform::Kubernetes => "",
    };
    if service.manage_namespace {
        d.add(
            "namespace-pod-security",
            format!(
                "namespace `{}` enforces Pod Security level restricted at version {} (the preset's podSecurityVersion), and audits and warns at restricted of the latest version{kept}",
                service.namespace, preset.pod_security_version
            ),
            "always",
        );
    }
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
    if !service.manage_namespace || service.sensitivity < q.from_sensitivity {
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

/// The labels and annotations on the namespace that the bundle is planned with: Pod Security
/// `restricted` with the preset's version, the mesh's injection, OpenShift's label
/// synchronisation kept off. kubeward's own Namespace object carries exactly these (and its
/// `managed-by` label); a namespace the platform owns must carry them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamespaceMarks {
    /// In the Namespace object's order.
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
}

impl NamespaceMarks {
    /// The marks of a plan's namespace, from the same data as its Namespace template.
    pub fn of(pod_security_version: &str, platform: Platform, mesh: Option<&MeshPlan>) -> Self {
        let pair = |(k, v): (&String, &String)| (k.clone(), v.clone());
        let mut labels: Vec<(String, String)> = mesh
            .iter()
            .flat_map(|m| m.namespace_labels.iter().map(pair))
            .collect();
        for (mode, version) in [
            ("enforce", pod_security_version),
            ("audit", "latest"),
            ("warn", "latest"),
        ] {
            let key = format!("pod-security.kubernetes.io/{mode}");
            labels.push((key.clone(), "restricted".into()));
            labels.push((format!("{key}-version"), version.into()));
        }
        if platform == Platform::Openshift {
            labels.push((OPENSHIFT_LABEL_SYNC.into(), "false".into()));
        }
        let annotations = mesh
            .iter()
            .flat_map(|m| m.namespace_annotations.iter().map(pair))
            .collect();
        NamespaceMarks {
            labels,
            annotations,
        }
    }

    /// `key=value` pairs, as `kubectl label` and `kubectl annotate` take them.
    pub fn shown(pairs: &[(String, String)]) -> String {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// What the platform must do to namespace `namespace`: the `kubectl` commands that give it
    /// these marks.
    pub fn commands(&self, namespace: &str) -> String {
        let mut commands = format!(
            "kubectl label namespace {namespace} {}",
            Self::shown(&self.labels)
        );
        if !self.annotations.is_empty() {
            commands.push_str(&format!(
                "; kubectl annotate namespace {namespace} {}",
                Self::shown(&self.annotations)
            ));
        }
        commands
    }
}

/// Where the platform owns the namespace: the marks it must carry, and the decision that says
/// so; `None` where the bundle writes the Namespace.
pub(super) fn platform_owned(
    d: &mut Decisions,
    service: &Service,
    preset: &Preset,
    mesh: Option<&MeshPlan>,
) -> Option<NamespaceMarks> {
    if service.manage_namespace {
        return None;
    }
    let marks = NamespaceMarks::of(&preset.pod_security_version, preset.platform, mesh);
    let annotated = if marks.annotations.is_empty() {
        String::new()
    } else {
        format!(
            ", and annotations {}",
            NamespaceMarks::shown(&marks.annotations)
        )
    };
    let injected = mesh.map_or_else(String::new, |m| {
        format!(", and {}'s proxy injected into the pods", m.mesh)
    });
    d.add(
        "namespace-platform-owned",
        format!(
            "namespace `{}` is the platform's: the bundle writes no Namespace, ResourceQuota or LimitRange, so deleting it leaves the namespace and its other services; the bundle is enforced as planned (Pod Security restricted at version {}{injected}) only where the platform gives the namespace labels {}{annotated}",
            service.namespace,
            preset.pod_security_version,
            NamespaceMarks::shown(&marks.labels)
        ),
        // The preset manages namespaces unless it says otherwise: then the spec overrode it.
        if preset.namespace.manage {
            "spec.namespace.manage: false"
        } else {
            "the preset's namespace.manage: false"
        },
    );
    Some(marks)
}
