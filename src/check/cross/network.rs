//! The joined rules of exposure (KW-NET): pods that no NetworkPolicy isolates, policies and
//! Services that select no pods, namespaces without a default deny, Ingresses whose TLS
//! Secret is of the wrong type.

use serde_json::Value;

use crate::check::Scanner::{Checkov, KubeLinter, KubeScore, Polaris};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::NONE;
use crate::check::rules::rule_list;
use crate::check::selector;
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};
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
        id: "KW-NET-007",
        severity: Severity::Warning,
        title: "Ingresses serve every host over TLS from a `kubernetes.io/tls` Secret",
        explanation: "A host without a `spec.tls` entry is served in clear text, open to \
eavesdropping and tampering. List every host of `spec.rules` under `spec.tls[].hosts` with a \
`secretName`; the Secret must be of type `kubernetes.io/tls`.",
        rubric: &[27],
        scanners: Scanners {
            related: &[Related::differs(
                Polaris,
                "tlsSettingsMissing",
                "Polaris asks for a spec.tls list; kubeward asks that every host of spec.rules be listed in it, with a Secret of type kubernetes.io/tls.",
            )],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Ingress]),
        check: ingress_tls,
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

fn ingress_tls(index: &Index, object: &Object, hits: &mut Hits) {
    let tls = object.at(&["spec", "tls"]).and_then(Value::as_array);
    let secured: Vec<&str> = tls
        .into_iter()
        .flatten()
        .flat_map(|t| rule_list(t, "hosts"))
        .collect();
    let rules = object.at(&["spec", "rules"]).and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        match rule.get("host").and_then(Value::as_str) {
            Some(host) if secured.contains(&host) => {}
            Some(host) => hits.add(
                format!("spec.rules[{i}].host"),
                format!("host {host} is not listed under spec.tls"),
            ),
            None if tls.is_none_or(Vec::is_empty) => hits.add(
                format!("spec.rules[{i}]"),
                "a rule without a host is served without TLS",
            ),
            None => {}
        }
    }
    for (i, entry) in tls.into_iter().flatten().enumerate() {
        let Some(name) = entry.get("secretName").and_then(Value::as_str) else {
            continue;
        };
        let secret = index.find(Kind::Secret, object.namespace.as_deref(), name);
        let kind = secret
            .and_then(|s| s.value.get("type"))
            .and_then(Value::as_str);
        if let Some(secret) = secret
            && kind != Some("kubernetes.io/tls")
        {
            hits.add(
                format!("spec.tls[{i}].secretName"),
                format!(
                    "Secret `{}` is of type {}, not kubernetes.io/tls",
                    secret.name,
                    kind.unwrap_or("Opaque")
                ),
            );
        }
    }
}
