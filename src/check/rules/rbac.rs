//! The rules of identity and API access (KW-RBAC): service accounts and their tokens, Roles
//! that grant exactly what is needed (no wildcard, no escalation verb, no exec into pods, no
//! way to run a pod as another account), and bindings that grant neither `cluster-admin` nor
//! everyone.

use serde_json::Value;

use super::common::{NONE, rule_list};
use crate::check::Scanner::{Checkov, KubeLinter, Polaris};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};
use crate::vocabulary::{
    POD_CONTROLLER_VERBS, POD_CONTROLLERS, POD_EXEC_RESOURCES, POD_EXEC_VERBS,
};

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
            related: &[Related::differs(
                Polaris,
                "automountServiceAccountToken",
                "Polaris accepts a pod that leaves the field unset when its ServiceAccount sets it false, and reports a pod that names no ServiceAccount; kubeward asks the pod itself, so that a change to the account cannot mount the token.",
            )],
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
            related: &[Related::part(
                KubeLinter,
                "default-service-account",
                "kubeward reads the deprecated serviceAccount field when serviceAccountName is empty, as the API server does.",
            )],
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
            related: &[Related::stricter(
                Checkov,
                "CKV_K8S_41",
                "CKV_K8S_41 judges only the ServiceAccount named default; every account that automounts hands a token to each pod that does not opt out.",
            )],
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
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_49",
                    "checkov judges only the first rule of a Role, and not nonResourceURLs.",
                ),
                Related::stricter(
                    KubeLinter,
                    "wildcard-in-rules",
                    "kube-linter reports a * resource or verb; kubeward also reports * API groups, nonResourceURLs and partial wildcards such as */scale.",
                ),
            ],
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
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_157",
                    "CKV_K8S_157 reports bind only, and only with the other RBAC permissions of its list; escalate and impersonate escalate as surely.",
                ),
                Related::stricter(Checkov, "CKV_K8S_158", "CKV_K8S_158 reports escalate only."),
                Related::differs(
                    Checkov,
                    "CKV2_K8S_3",
                    "checkov reports impersonate at the binding, for ServiceAccount and Node subjects; kubeward reports the Role, whoever it is bound to.",
                ),
            ],
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
            related: &[Related::stricter(
                Checkov,
                "CKV_K8S_42",
                "checkov reports only the default ServiceAccount; kubeward also reports bindings to system:authenticated, system:unauthenticated, system:serviceaccounts and system:anonymous.",
            )],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::RoleBinding, Kind::ClusterRoleBinding]),
        check: dedicated_subjects,
    },
    Rule {
        id: "KW-RBAC-009",
        severity: Severity::Error,
        title: "Roles grant no exec or attach into pods",
        explanation: "`create` (and, through a WebSocket, `get`) on `pods/exec` or `pods/attach` \
runs commands inside any pod of the namespace, as that pod's user, with its Secrets and its \
ServiceAccount token; `nodes/proxy` reaches the kubelet of a node, which execs into every pod \
it runs. Remove the rule; debugging access belongs to people, through their own bindings, not \
to a service.",
        rubric: &[28],
        scanners: Scanners {
            related: &[
                Related::stricter(
                    Polaris,
                    "rolePodExecAttach",
                    "Polaris judges Roles only (clusterrolePodExecAttach judges ClusterRoles), and not */exec, */attach or nodes/proxy.",
                ),
                Related::stricter(
                    Polaris,
                    "clusterrolePodExecAttach",
                    "Polaris judges ClusterRoles only, and not */exec, */attach or nodes/proxy.",
                ),
                Related::differs(
                    Checkov,
                    "CKV2_K8S_2",
                    "checkov reports create on pods/exec or nodes/proxy at the binding, for ServiceAccount and Node subjects; kubeward reports the Role, whoever it is bound to, and get and attach too.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Role, Kind::ClusterRole]),
        check: no_exec_into_pods,
    },
    Rule {
        id: "KW-RBAC-010",
        severity: Severity::Warning,
        title: "Roles do not let an account create pods or change pod controllers",
        explanation: "An account that may create pods may run one as any ServiceAccount of the \
namespace, mount any Secret, and so hold every permission of the namespace's accounts; `create`, \
`update` or `patch` on a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, \
ReplicationController or DeploymentConfig does the same through its pod template. Deploying \
belongs to the platform's deployer, not to a service: remove the rule.",
        rubric: &[28],
        scanners: Scanners {
            related: &[Related::differs(
                KubeLinter,
                "access-to-create-pods",
                "kube-linter reports create at the binding, on its own list of resources; kubeward reports the Role, and update and patch on pod controllers too.",
            )],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Role, Kind::ClusterRole]),
        check: no_pod_creation,
    },
    Rule {
        id: "KW-RBAC-011",
        severity: Severity::Error,
        title: "No binding grants `cluster-admin`",
        explanation: "`cluster-admin` allows every verb on every resource: bound by a \
ClusterRoleBinding it owns the cluster, and by a RoleBinding the namespace, its Secrets and \
its RBAC included. Bind a Role that lists what the account needs.",
        rubric: &[28],
        scanners: Scanners {
            related: &[
                Related::differs(
                    Polaris,
                    "clusterrolebindingClusterAdmin",
                    "Polaris judges ClusterRoleBindings, skips the cluster's own default bindings, and also reports bindings to ClusterRoles with wildcard permissions.",
                ),
                Related::differs(
                    Polaris,
                    "rolebindingClusterAdminClusterRole",
                    "Polaris reports a RoleBinding to any ClusterRole with wildcard permissions, among the manifests.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::RoleBinding, Kind::ClusterRoleBinding]),
        check: no_cluster_admin,
    },
    Rule {
        id: "KW-RBAC-012",
        severity: Severity::Info,
        title: "Pods name their ServiceAccount in `serviceAccountName`, not the deprecated `serviceAccount`",
        explanation: "`serviceAccount` is a deprecated alias that the API server copies into \
`serviceAccountName` only when that is empty: with both set to different accounts, readers and \
tools disagree on which one the pod runs as. Write `serviceAccountName` and remove \
`serviceAccount`.",
        rubric: &[11],
        scanners: Scanners {
            kube_linter: &["deprecated-service-account-field"],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_deprecated_account_field,
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
            pod.spec_path,
            "the pod does not set automountServiceAccountToken: false: every container gets an API token",
        );
    }
}

fn dedicated_service_account(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    match pod.service_account() {
        Some((_, name)) if name != "default" => {}
        Some((field, _)) => hits.add(
            format!("{}.{field}", pod.spec_path),
            "the pod runs under the namespace's default ServiceAccount",
        ),
        None => hits.add(
            pod.spec_path,
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

/// Whether an RBAC rule grants one of `verbs` on one of `resources` in one of `groups`, as
/// the API server's authorizer matches them: `*` matches every verb, group and resource
/// (subresources included), and `*/<sub>` every resource's subresource.
fn grants(rule: &Value, groups: &[&str], resources: &[&str], verbs: &[&str]) -> Option<String> {
    let rule_groups = rule_list(rule, "apiGroups");
    if !rule_groups.iter().any(|g| *g == "*" || groups.contains(g)) {
        return None;
    }
    let verb = rule_list(rule, "verbs")
        .into_iter()
        .find(|v| *v == "*" || verbs.contains(v))?;
    let resource = rule_list(rule, "resources").into_iter().find(|r| {
        *r == "*"
            || resources.contains(r)
            || r.strip_prefix("*/").is_some_and(|sub| {
                resources
                    .iter()
                    .any(|wanted| wanted.split_once('/').is_some_and(|(_, s)| s == sub))
            })
    })?;
    Some(format!("{verb} on {resource}"))
}

fn no_exec_into_pods(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, rule) in role_rules(object) {
        let exec = grants(rule, &[""], POD_EXEC_RESOURCES, POD_EXEC_VERBS);
        if let Some(what) = exec {
            hits.add(
                path.clone(),
                format!("{path} grants {what}: the account can run commands inside pods"),
            );
        }
    }
}

fn no_pod_creation(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, rule) in role_rules(object) {
        let pods = grants(rule, &[""], &["pods"], &["create"]);
        let controllers = POD_CONTROLLERS.iter().find_map(|(group, resource)| {
            grants(rule, &[group], &[resource], POD_CONTROLLER_VERBS)
        });
        if let Some(what) = pods.or(controllers) {
            hits.add(
                path.clone(),
                format!(
                    "{path} grants {what}: the account can run a pod as any ServiceAccount of the namespace"
                ),
            );
        }
    }
}

fn no_cluster_admin(_: &Index, object: &Object, hits: &mut Hits) {
    let field = |k: &str| object.at(&["roleRef", k]).and_then(Value::as_str);
    if field("kind") == Some("ClusterRole") && field("name") == Some("cluster-admin") {
        let scope = if object.kind == Kind::ClusterRoleBinding {
            "the whole cluster"
        } else {
            "the whole namespace"
        };
        hits.add(
            "roleRef",
            format!("the binding grants cluster-admin: every verb on every resource of {scope}"),
        );
    }
}

fn no_deprecated_account_field(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let Some(deprecated) = pod.spec.get("serviceAccount").and_then(Value::as_str) else {
        return;
    };
    let path = format!("{}.serviceAccount", pod.spec_path);
    match pod.spec.get("serviceAccountName").and_then(Value::as_str) {
        Some(name) if !name.is_empty() && name != deprecated => hits.add(
            path,
            format!(
                "the pod names ServiceAccount `{name}` in serviceAccountName and `{deprecated}` in the deprecated serviceAccount"
            ),
        ),
        _ => hits.add(
            path,
            format!("the pod names ServiceAccount `{deprecated}` in the deprecated serviceAccount field: write serviceAccountName"),
        ),
    }
}
