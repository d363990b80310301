//! The rules that join objects, which single-object scanners cannot judge: pods that no
//! NetworkPolicy isolates, policies, Services and budgets that select no pods, namespaces
//! without a default deny, bindings that hand out Secrets, autoscaled replica counts.

use serde_json::Value;

use super::Scanner::{Checkov, KubeLinter, KubeScore, Polaris};
use super::index::Index;
use super::object::{Kind, Object};
use super::rules::{NONE, replicas, role_rules, rule_list};
use super::selector;
use super::{Applies, Hits, Related, Rule, Scanners, Severity};
use crate::vocabulary::POLICY_SELECTS_NOTHING;

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-NET-001",
        severity: Severity::Warning,
        title: "Every pod is isolated by NetworkPolicies for ingress and egress",
        explanation: "Pods that no NetworkPolicy selects accept connections from every pod of \
the cluster and may connect anywhere: one compromised component reaches them all. Add a \
NetworkPolicy whose `podSelector` matches the pod's labels with `policyTypes: [Ingress, Egress]` \
and rules for exactly the declared callers and destinations (a namespace-wide default deny \
counts for isolation too).",
        rubric: &[24],
        scanners: Scanners {
            related: &[
                Related::differs(
                    Checkov,
                    "CKV2_K8S_6",
                    "checkov connects bare Pods only to the NetworkPolicies that select them, whatever their policyTypes.",
                ),
                Related::differs(
                    KubeScore,
                    "pod-networkpolicy",
                    "kube-score does not count a namespace-wide podSelector: {} or a policy without policyTypes, and counts a policy whose matchLabels share one label with the pod.",
                ),
                Related::stricter(
                    KubeLinter,
                    "non-isolated-pod",
                    "kube-linter counts a policy of either direction; kubeward asks for ingress and egress isolation.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: pods_isolated,
    },
    Rule {
        id: POLICY_SELECTS_NOTHING,
        severity: Severity::Warning,
        title: "Every NetworkPolicy selects some pod of the checked manifests",
        explanation: "A policy whose `podSelector` matches no pod protects nothing: usually a \
label was renamed on one side only. Fix the selector so it matches the pod template's labels. \
When the policy is meant for pods deployed from elsewhere, say so with `kubeward.dev/ignore: \
KW-NET-002=<which pods, deployed where>`.",
        rubric: &[24],
        scanners: Scanners {
            related: &[
                Related::part(
                    KubeScore,
                    "networkpolicy-targets-pod",
                    "kubeward does not report a namespace-wide podSelector: {}, which selects whatever pods the namespace gets.",
                ),
                Related::part(
                    KubeLinter,
                    "dangling-networkpolicy",
                    "kubeward does not report a namespace-wide podSelector: {}, which selects whatever pods the namespace gets.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::NetworkPolicy]),
        check: policy_selects_pods,
    },
    Rule {
        id: "KW-NET-003",
        severity: Severity::Warning,
        title: "Every namespace with pods has a default-deny NetworkPolicy",
        explanation: "Without a namespace-wide default deny, any pod that its own policies miss \
(a new workload, a renamed label) is open in both directions. Add a NetworkPolicy with \
`podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules. The finding stands on the \
Namespace object, or on the first object of the namespace when the Namespace is not among the \
checked manifests.",
        rubric: &[23],
        scanners: NONE,
        applies: Applies::AllKinds,
        check: namespace_default_deny,
    },
    Rule {
        id: "KW-NET-004",
        severity: Severity::Warning,
        title: "Every Service selects some pod of the checked manifests",
        explanation: "A Service whose selector matches no pod template has no endpoints: its \
clients fail, usually because a label differs. Make `spec.selector` match the pod template's \
labels.",
        rubric: &[26],
        scanners: Scanners {
            related: &[
                Related::part(
                    KubeScore,
                    "service-targets-pod",
                    "kubeward does not report a Service without a selector or of type ExternalName, whose endpoints are managed elsewhere.",
                ),
                Related::part(
                    KubeLinter,
                    "dangling-service",
                    "kubeward does not report a Service without a selector or of type ExternalName, whose endpoints are managed elsewhere.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Service]),
        check: service_selects_pods,
    },
    Rule {
        id: "KW-RBAC-004",
        severity: Severity::Info,
        title: "The ServiceAccount a pod names is part of the manifests",
        explanation: "A pod that names a ServiceAccount which does not exist is not admitted; one \
that exists but is defined elsewhere may carry permissions nobody reviews with the workload. \
Ship the workload's ServiceAccount with it.",
        rubric: &[11],
        scanners: Scanners {
            related: &[Related::stricter(
                KubeLinter,
                "non-existent-service-account",
                "kube-linter ignores the deprecated serviceAccount field, which the API server reads when serviceAccountName is empty.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: service_account_present,
    },
    Rule {
        id: "KW-RBAC-007",
        severity: Severity::Error,
        title: "No binding grants read access to Secrets without `resourceNames`",
        explanation: "A binding to a role that may get, list or watch `secrets` without \
`resourceNames` lets the account read every Secret of the namespace (or of the cluster, for a \
ClusterRoleBinding): every other service's passwords and keys. Name the Secrets the workload \
needs in `resourceNames`, or mount them as files instead of reading them through the API.",
        rubric: &[28],
        scanners: Scanners {
            related: &[
                Related::differs(
                    Checkov,
                    "CKV2_K8S_5",
                    "checkov judges bindings of ServiceAccount and Node subjects to the roles among the manifests; kubeward judges every binding, to built-in roles (cluster-admin, admin, edit) too.",
                ),
                Related::differs(
                    KubeLinter,
                    "access-to-secrets",
                    "kube-linter reports any of get, list, watch, create and delete on secrets, resourceNames or not.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::RoleBinding, Kind::ClusterRoleBinding]),
        check: binding_reads_secrets,
    },
    Rule {
        id: "KW-AVAIL-009",
        severity: Severity::Warning,
        title: "Deployments and StatefulSets run at least 2 replicas",
        explanation: "A single replica is one node failure, eviction or rollout away from an \
outage. Set `replicas: 2` or more; with a HorizontalPodAutoscaler, leave `replicas` out and set \
its `minReplicas` instead. A deliberate singleton says so with `kubeward.dev/ignore: \
KW-AVAIL-009=<why one>`.",
        rubric: &[19],
        scanners: Scanners {
            related: &[
                Related::differs(
                    KubeScore,
                    "deployment-replicas",
                    "kube-score judges Deployments only.",
                ),
                Related::part(
                    KubeLinter,
                    "minimum-three-replicas",
                    "kube-linter asks for three replicas; kubeward for two.",
                ),
                Related::differs(
                    Polaris,
                    "deploymentMissingReplicas",
                    "Polaris judges Deployments only, and reports an unset replicas even when an autoscaler sets it.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Replicated,
        check: enough_replicas,
    },
    Rule {
        id: "KW-AVAIL-010",
        severity: Severity::Warning,
        title: "Autoscaled workloads leave `replicas` unset",
        explanation: "With both an autoscaler and `spec.replicas`, every apply resets the replica \
count the autoscaler chose: a rollout during a traffic peak scales the service down. Remove \
`spec.replicas` when a HorizontalPodAutoscaler targets the workload (add \
`polaris.fairwinds.com/deploymentMissingReplicas-exempt: \"true\"` for Polaris).",
        rubric: &[19],
        scanners: Scanners {
            related: &[Related::stricter(
                KubeScore,
                "deployment-targeted-by-hpa-does-not-have-replicas-configured",
                "kube-score judges Deployments only.",
            )],
            ..NONE
        },
        applies: Applies::Replicated,
        check: autoscaled_without_replicas,
    },
    Rule {
        id: "KW-AVAIL-013",
        severity: Severity::Warning,
        title: "Every Deployment and StatefulSet has a PodDisruptionBudget",
        explanation: "Without a budget a node drain may evict every replica at once. Add a \
`policy/v1` PodDisruptionBudget whose selector matches the pod labels, with \
`maxUnavailable: 1` (also right for a singleton, where `minAvailable: 1` would block drains).",
        rubric: &[21],
        scanners: Scanners {
            related: &[
                Related::stricter(
                    KubeScore,
                    "deployment-has-poddisruptionbudget",
                    "kube-score skips a Deployment with replicas: 1; a singleton needs a budget too, so that a drain waits for its replacement.",
                ),
                Related::stricter(
                    KubeScore,
                    "statefulset-has-poddisruptionbudget",
                    "kube-score skips a StatefulSet with replicas: 1.",
                ),
                Related::differs(
                    Polaris,
                    "missingPodDisruptionBudget",
                    "Polaris asks for a budget named <name>-pdb that selects app.kubernetes.io/name, on Deployments only.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Replicated,
        check: has_budget,
    },
    Rule {
        id: "KW-AVAIL-014",
        severity: Severity::Warning,
        title: "Every PodDisruptionBudget selects some pod of the checked manifests",
        explanation: "A budget whose selector matches no pod protects nothing, usually because a \
label differs. Make `spec.selector` match the pod template's labels.",
        rubric: &[21],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_selects_pods,
    },
];

/// A NetworkPolicy's `policyTypes`, with the API's default when absent.
fn policy_types(policy: &Object) -> (bool, bool) {
    match policy
        .at(&["spec", "policyTypes"])
        .and_then(Value::as_array)
    {
        Some(types) => (
            types.iter().any(|t| t == "Ingress"),
            types.iter().any(|t| t == "Egress"),
        ),
        None => (true, policy.at(&["spec", "egress"]).is_some()),
    }
}

/// The policy's pod selector; an absent one selects every pod, like `{}`.
fn pod_selector(policy: &Object) -> Value {
    policy
        .at(&["spec", "podSelector"])
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()))
}

fn pods_isolated(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let labels = pod.labels();
    let (mut ingress, mut egress) = (false, false);
    for policy in index.of_kind_in(Kind::NetworkPolicy, object.namespace.as_deref()) {
        if selector::matches(&pod_selector(policy), labels) {
            let (i, e) = policy_types(policy);
            ingress |= i;
            egress |= e;
        }
    }
    let missing = match (ingress, egress) {
        (true, true) => return,
        (false, false) => "no NetworkPolicy selects the pods",
        (true, false) => "no NetworkPolicy isolates the pods' egress",
        (false, true) => "no NetworkPolicy isolates the pods' ingress",
    };
    hits.add(pod.metadata_path, missing);
}

fn policy_selects_pods(index: &Index, object: &Object, hits: &mut Hits) {
    let selector = pod_selector(object);
    if selector::is_empty(&selector) {
        return;
    }
    let selected = index
        .pods_in(object.namespace.as_deref())
        .iter()
        .any(|p| selector::matches(&selector, p.labels));
    if !selected {
        hits.add(
            "spec.podSelector",
            "the podSelector matches no pod template of the checked manifests",
        );
    }
}

/// Whether a namespace's policies deny ingress and egress to every pod by default.
fn has_default_deny(index: &Index, namespace: Option<&str>) -> (bool, bool) {
    let (mut ingress, mut egress) = (false, false);
    for policy in index.of_kind_in(Kind::NetworkPolicy, namespace) {
        if !selector::is_empty(&pod_selector(policy)) {
            continue;
        }
        let (i, e) = policy_types(policy);
        let empty = |field| {
            policy
                .at(&["spec", field])
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        };
        ingress |= i && empty("ingress");
        egress |= e && empty("egress");
    }
    (ingress, egress)
}

fn namespace_default_deny(index: &Index, object: &Object, hits: &mut Hits) {
    let namespace = if object.kind == Kind::Namespace {
        Some(object.name.as_str())
    } else {
        let ns = object.namespace.as_deref();
        let anchored_here = ns.is_none_or(|n| !index.has_namespace(n))
            && index.is_first_in_namespace(object)
            && !index.pods_in(ns).is_empty();
        if !anchored_here {
            return;
        }
        ns
    };
    let name = namespace.map_or_else(
        || "the namespace these objects are applied to (none is named)".to_string(),
        |n| format!("namespace `{n}`"),
    );
    let missing = match has_default_deny(index, namespace) {
        (true, true) => return,
        (false, false) => "ingress and egress",
        (true, false) => "egress",
        (false, true) => "ingress",
    };
    hits.add(
        if object.kind == Kind::Namespace {
            "metadata.name"
        } else {
            "metadata"
        },
        format!("{name} has no default-deny NetworkPolicy for {missing}"),
    );
}

fn service_selects_pods(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(selector) = object.at(&["spec", "selector"]).and_then(Value::as_object) else {
        return;
    };
    if selector.is_empty() || object.at(&["spec", "type"]) == Some(&Value::from("ExternalName")) {
        return;
    }
    let selected = index
        .pods_in(object.namespace.as_deref())
        .iter()
        .any(|p| selector::map_matches(selector, p.labels));
    if !selected {
        hits.add(
            "spec.selector",
            "the selector matches no pod template of the checked manifests",
        );
    }
}

fn service_account_present(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let Some((field, name)) = pod.service_account() else {
        return;
    };
    if name != "default" && !index.has(Kind::ServiceAccount, object.namespace.as_deref(), name) {
        hits.add(
            format!("{}.{field}", pod.spec_path),
            format!("ServiceAccount `{name}` is not among the checked manifests"),
        );
    }
}

/// Built-in ClusterRoles that may read every Secret they are bound over.
const SECRET_READING_CLUSTER_ROLES: &[&str] = &["cluster-admin", "admin", "edit"];

/// Whether an RBAC rule lets its holder read Secrets without naming them.
fn reads_any_secret(rule: &Value) -> bool {
    let groups = rule_list(rule, "apiGroups");
    let resources = rule_list(rule, "resources");
    let verbs = rule_list(rule, "verbs");
    groups.iter().any(|g| g.is_empty() || *g == "*")
        && resources.iter().any(|r| *r == "secrets" || *r == "*")
        && verbs
            .iter()
            .any(|v| matches!(*v, "get" | "list" | "watch" | "*"))
        && rule_list(rule, "resourceNames").is_empty()
}

fn binding_reads_secrets(index: &Index, object: &Object, hits: &mut Hits) {
    let field = |k: &str| {
        object
            .at(&["roleRef", k])
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let (kind, name) = (field("kind"), field("name"));
    let role = match kind {
        "Role" => index.find(Kind::Role, object.namespace.as_deref(), name),
        "ClusterRole" => index.find(Kind::ClusterRole, None, name),
        _ => None,
    };
    let grants = match role {
        Some(role) => role_rules(role)
            .find(|(_, rule)| reads_any_secret(rule))
            .map(|(path, _)| format!("{kind} `{name}` {path}")),
        None => (kind == "ClusterRole" && SECRET_READING_CLUSTER_ROLES.contains(&name))
            .then(|| format!("the built-in ClusterRole `{name}`")),
    };
    if let Some(grants) = grants {
        hits.add(
            "roleRef",
            format!("the binding grants {grants}, which reads Secrets without resourceNames"),
        );
    }
}

fn enough_replicas(index: &Index, object: &Object, hits: &mut Hits) {
    let count = replicas(object);
    if count < 2 && !index.is_autoscaled(object) {
        hits.add(
            "spec.replicas",
            format!("{count} replica: one failure away from an outage"),
        );
    }
}

fn autoscaled_without_replicas(index: &Index, object: &Object, hits: &mut Hits) {
    if index.is_autoscaled(object) && object.at(&["spec", "replicas"]).is_some() {
        hits.add(
            "spec.replicas",
            "a HorizontalPodAutoscaler scales this workload, but spec.replicas is set too",
        );
    }
}

fn has_budget(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let labels = pod.labels();
    let covered = index
        .of_kind_in(Kind::PodDisruptionBudget, object.namespace.as_deref())
        .any(|pdb| {
            pdb.at(&["spec", "selector"])
                .is_some_and(|s| selector::matches(s, labels))
        });
    if !covered {
        hits.add(pod.metadata_path, "no PodDisruptionBudget selects the pods");
    }
}

fn budget_selects_pods(index: &Index, object: &Object, hits: &mut Hits) {
    let selector = object.at(&["spec", "selector"]);
    let selected = selector.is_some_and(|s| {
        index
            .pods_in(object.namespace.as_deref())
            .iter()
            .any(|p| selector::matches(s, p.labels))
    });
    if !selected {
        hits.add(
            "spec.selector",
            "the selector matches no pod template of the checked manifests",
        );
    }
}
