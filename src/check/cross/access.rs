//! The joined rules of identity and API access (KW-RBAC): ServiceAccounts the pods name but
//! the manifests lack, bindings that hand out every Secret.

use serde_json::Value;

use crate::check::Scanner::{Checkov, KubeLinter};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::NONE;
use crate::check::rules::{role_rules, rule_list};
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
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
];

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
