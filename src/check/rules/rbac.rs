//! The rules of identity and API access (KW-RBAC): service accounts and their tokens, and
//! Roles that grant exactly what is needed.

use serde_json::Value;

use super::common::{NONE, rule_list};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-RBAC-001",
        severity: Severity::Warning,
        title: "Pods do not mount a service account token (`automountServiceAccountToken: false`)",
        explanation: "A mounted token lets anyone who gets code execution in the pod call the \
Kubernetes API as its service account. Set `automountServiceAccountToken: false` on the pod spec \
(the ServiceAccount's own field is not enough for checkov). A pod that needs the API mounts a \
short-lived `projected` `serviceAccountToken` volume instead.",
        rubric: &[10, 12],
        scanners: Scanners {
            checkov: &["CKV_K8S_38"],
            kube_linter: &["automount-service-account-token"],
            polaris: &["automountServiceAccountToken"],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_token_automount,
    },
    Rule {
        id: "KW-RBAC-002",
        severity: Severity::Warning,
        title: "Pods run under a dedicated ServiceAccount, not `default`",
        explanation: "The namespace's `default` account is shared by every pod that names none: \
any permission granted to it is granted to all of them. Create a ServiceAccount for the workload \
and set `serviceAccountName`.",
        rubric: &[11],
        scanners: Scanners {
            kube_linter: &["default-service-account"],
            ..NONE
        },
        applies: Applies::Pods,
        check: dedicated_service_account,
    },
    Rule {
        id: "KW-RBAC-003",
        severity: Severity::Warning,
        title: "ServiceAccounts do not automount their token",
        explanation: "A ServiceAccount with `automountServiceAccountToken` unset hands a token to \
every pod that uses it and does not opt out. Set `automountServiceAccountToken: false` on the \
ServiceAccount, and mount a projected token only in the pods that need the API.",
        rubric: &[11],
        scanners: Scanners {
            checkov: &["CKV_K8S_41"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::ServiceAccount]),
        check: service_account_no_automount,
    },
    Rule {
        id: "KW-RBAC-005",
        severity: Severity::Error,
        title: "Roles grant no wildcard (`*`) API group, resource or verb",
        explanation: "A `*` grants everything that exists now and everything added later (new \
resources, new subresources). List the API groups, resources and verbs the workload uses.",
        rubric: &[28],
        scanners: Scanners {
            checkov: &["CKV_K8S_49"],
            kube_linter: &["wildcard-in-rules"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Role, Kind::ClusterRole]),
        check: no_wildcards,
    },
    Rule {
        id: "KW-RBAC-006",
        severity: Severity::Error,
        title: "Roles never grant `bind`, `escalate` or `impersonate`",
        explanation: "`bind` and `escalate` let the holder grant itself any role; `impersonate` \
lets it act as any user, group or account. All three are privilege escalation. Remove them; \
controllers that manage RBAC belong to the platform, not to a service.",
        rubric: &[28],
        scanners: Scanners {
            checkov: &["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3"],
            kube_linter: &["bind-verb-in-role", "escalate-verb-in-role"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Role, Kind::ClusterRole]),
        check: no_escalation_verbs,
    },
    Rule {
        id: "KW-RBAC-008",
        severity: Severity::Warning,
        title: "Bindings grant roles to dedicated accounts, not to `default` or to everyone",
        explanation: "A binding to the `default` ServiceAccount grants the role to every pod of \
the namespace that names no account; one to `system:authenticated`, `system:unauthenticated`, \
`system:serviceaccounts` or `system:anonymous` grants it to (nearly) everyone. Bind the workload's \
own ServiceAccount.",
        rubric: &[28],
        scanners: Scanners {
            checkov: &["CKV_K8S_42"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::RoleBinding, Kind::ClusterRoleBinding]),
        check: dedicated_subjects,
    },
];

fn no_token_automount(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    if pod
        .spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false)
    {
        hits.add(
            pod.spec_path.clone(),
            "the pod does not set automountServiceAccountToken: false: every container gets an API token",
        );
    }
}

fn dedicated_service_account(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let account = ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|f| pod.spec.get(*f).and_then(Value::as_str));
    match account {
        Some(name) if name != "default" => {}
        Some(_) => hits.add(
            format!("{}.serviceAccountName", pod.spec_path),
            "the pod runs under the namespace's default ServiceAccount",
        ),
        None => hits.add(
            pod.spec_path.clone(),
            "the pod names no ServiceAccount and so runs under the namespace's default one",
        ),
    }
}

fn service_account_no_automount(_: &Index, object: &Object, hits: &mut Hits) {
    if object
        .value
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false)
    {
        hits.add(
            "",
            format!(
                "ServiceAccount `{}` does not set automountServiceAccountToken: false",
                object.name
            ),
        );
    }
}

/// The rules of a Role or ClusterRole with their paths.
pub fn role_rules(object: &Object) -> impl Iterator<Item = (String, &Value)> {
    object
        .value
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, rule)| (format!("rules[{i}]"), rule))
}

fn no_wildcards(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, rule) in role_rules(object) {
        for field in ["apiGroups", "resources", "verbs", "nonResourceURLs"] {
            if rule_list(rule, field).iter().any(|v| v.contains('*')) {
                hits.add(
                    format!("{path}.{field}"),
                    format!("{path} grants a wildcard in {field}"),
                );
            }
        }
    }
}

fn no_escalation_verbs(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, rule) in role_rules(object) {
        let dangerous: Vec<&str> = rule_list(rule, "verbs")
            .into_iter()
            .filter(|v| matches!(*v, "bind" | "escalate" | "impersonate"))
            .collect();
        if !dangerous.is_empty() {
            hits.add(
                format!("{path}.verbs"),
                format!("{path} grants {}", dangerous.join(", ")),
            );
        }
    }
}

fn dedicated_subjects(_: &Index, object: &Object, hits: &mut Hits) {
    let subjects = object.value.get("subjects").and_then(Value::as_array);
    for (i, subject) in subjects.into_iter().flatten().enumerate() {
        let field = |k: &str| subject.get(k).and_then(Value::as_str).unwrap_or_default();
        let (kind, name) = (field("kind"), field("name"));
        let everyone = match kind {
            "ServiceAccount" => name == "default",
            "Group" => matches!(
                name,
                "system:authenticated" | "system:unauthenticated" | "system:serviceaccounts"
            ),
            "User" => name == "system:anonymous",
            _ => false,
        };
        if everyone {
            hits.add(format!("subjects[{i}]"), format!("binds {kind} `{name}`"));
        }
    }
}
