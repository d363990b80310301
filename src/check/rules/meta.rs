//! The rules of metadata (KW-META): explicit namespaces and stable API versions.

use super::common::NONE;
use crate::check::index::Index;
use crate::check::object::Object;
use crate::check::{Applies, Hits, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-META-001",
        severity: Severity::Warning,
        title: "Objects name their namespace, and it is not `default` or `kube-system`",
        explanation: "An object without `metadata.namespace` lands wherever kubectl or Helm is \
pointed; `default` is shared by everything that names nothing, and `kube-system` belongs to \
the cluster. Give every namespaced object an explicit namespace of its own.",
        rubric: &[18],
        scanners: Scanners {
            checkov: &["CKV_K8S_21"],
            kube_linter: &["use-namespace"],
            ..NONE
        },
        applies: Applies::Namespaced,
        check: explicit_namespace,
    },
    Rule {
        id: "KW-META-002",
        severity: Severity::Error,
        title: "Objects use stable API versions",
        explanation: "Beta and alpha API versions are removed from the API server after \
deprecation: the manifest stops applying at the next upgrade. Use apps/v1, batch/v1, \
networking.k8s.io/v1, policy/v1, rbac.authorization.k8s.io/v1, autoscaling/v2 and \
gateway.networking.k8s.io/v1. Custom resources of other projects (Sealed Secrets' SealedSecret, \
Envoy Gateway's BackendTrafficPolicy and SecurityPolicy, whose only version is v1alpha1, and a \
service mesh's policy kinds: Istio, Linkerd) follow their project's own versions and are not \
judged.",
        rubric: &[29],
        scanners: Scanners {
            kube_score: &["stable-version"],
            kube_linter: &["no-extensions-v1beta"],
            ..NONE
        },
        applies: Applies::AllKinds,
        check: stable_api_version,
    },
];

fn explicit_namespace(_: &Index, object: &Object, hits: &mut Hits) {
    match object.namespace.as_deref() {
        None => hits.add(
            "metadata",
            "no metadata.namespace: the object lands in whatever namespace it is applied to",
        ),
        Some(ns @ ("default" | "kube-system")) => hits.add(
            "metadata.namespace",
            format!("the object is in the {ns} namespace"),
        ),
        Some(_) => {}
    }
}

fn stable_api_version(_: &Index, object: &Object, hits: &mut Hits) {
    if object.kind.is_custom() || object.kind.is_mesh() {
        // Versioned by its own project: bitnami.com and gateway.envoyproxy.io have v1alpha1
        // only; a mesh's policy kinds are served in their project's current versions only
        // (Linkerd's AuthorizationPolicy has no other than v1alpha1).
        return;
    }
    let version = object
        .api_version
        .rsplit_once('/')
        .map_or(object.api_version.as_str(), |(_, v)| v);
    if version.contains("alpha") || version.contains("beta") {
        hits.add(
            "apiVersion",
            format!(
                "{} {} is not a stable API version",
                object.api_version,
                object.kind_name()
            ),
        );
    }
}
