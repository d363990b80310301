//! The rules of metadata (KW-META): explicit namespaces and stable API versions.

use super::common::NONE;
use crate::check::Scanner::{Checkov, KubeLinter, KubeScore};
use crate::check::index::Index;
use crate::check::object::Object;
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};

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
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_21",
                    "checkov reports only the default namespace (a missing one included), on fifteen kinds; kubeward also reports kube-system, on every namespaced kind.",
                ),
                Related::stricter(
                    KubeLinter,
                    "use-namespace",
                    "kube-linter reports only the default namespace.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Namespaced,
        check: explicit_namespace,
    },
    Rule {
        id: "KW-META-002",
        severity: Severity::Error,
        title: "Objects use a stable API version that serves their kind",
        explanation: "Beta and alpha API versions are removed from the API server after \
deprecation: the manifest stops applying at the next upgrade. An `apiVersion` that does not \
serve the kind at all (`v1` on a Deployment) never applies. Use v1, apps/v1, batch/v1, \
networking.k8s.io/v1, policy/v1, rbac.authorization.k8s.io/v1, autoscaling/v2 and \
gateway.networking.k8s.io/v1 (and apps.openshift.io/v1 for a DeploymentConfig). Custom \
resources of other projects (Sealed Secrets' SealedSecret, Envoy Gateway's \
BackendTrafficPolicy and SecurityPolicy, whose only version is v1alpha1, and a service mesh's \
policy kinds: Istio, Linkerd) follow their project's own versions and are not judged.",
        rubric: &[29],
        scanners: Scanners {
            related: &[
                Related::differs(
                    KubeScore,
                    "stable-version",
                    "kube-score reports the apiVersions it knows to be deprecated; kubeward reports every alpha and beta version, and a version that does not serve the kind.",
                ),
                Related::stricter(
                    KubeLinter,
                    "no-extensions-v1beta",
                    "kube-linter reports only extensions/v1beta*.",
                ),
            ],
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
    if !object.api_serves_kind {
        hits.add(
            "apiVersion",
            format!(
                "apiVersion {} does not serve {}: the API server refuses the object (kubeward judged it as a {:?} anyway)",
                object.api_version,
                object.kind_name(),
                object.kind
            ),
        );
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
