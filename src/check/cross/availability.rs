//! The joined rules of availability (KW-AVAIL): replica counts and autoscalers, budgets for
//! every workload and workloads for every budget, budgets that block every eviction, and
//! replicas spread over nodes (anti-affinity in the pod's own namespace, autoscaled replicas).

use serde_json::Value;

use crate::check::Scanner::{KubeLinter, KubeScore, Polaris};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::NONE;
use crate::check::rules::replicas;
use crate::check::selector;
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
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
        id: "KW-AVAIL-012",
        severity: Severity::Warning,
        title: "Replicas are spread across nodes",
        explanation: "Replicas that land on one node go down together. Add a `podAntiAffinity` \
term on `topologyKey: kubernetes.io/hostname` and/or a `topologySpreadConstraints` entry, with \
a label selector that matches the pod's own labels.",
        rubric: &[20],
        scanners: Scanners {
            related: &[
                Related::differs(
                    KubeScore,
                    "deployment-has-host-podantiaffinity",
                    "kube-score accepts no topologySpreadConstraints in place of the anti-affinity, and skips a workload with replicas: 1 that an autoscaler scales.",
                ),
                Related::differs(
                    KubeScore,
                    "statefulset-has-host-podantiaffinity",
                    "kube-score accepts no topologySpreadConstraints in place of the anti-affinity, and skips a workload with replicas: 1 that an autoscaler scales.",
                ),
                Related::differs(
                    KubeLinter,
                    "no-anti-affinity",
                    "kube-linter accepts no topologySpreadConstraints in place of the anti-affinity.",
                ),
                Related::differs(
                    Polaris,
                    "topologySpreadConstraint",
                    "Polaris asks for a topologySpreadConstraints entry on the hostname or zone key, and accepts no anti-affinity in its place.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Replicated,
        check: spread_across_nodes,
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
    Rule {
        id: "KW-AVAIL-015",
        severity: Severity::Warning,
        title: "PodDisruptionBudgets allow at least one disruption",
        explanation: "A budget of `maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` as \
large as the replica count of the workloads it selects (the autoscaler's `minReplicas` when one \
scales them) blocks every voluntary eviction: node drains and cluster upgrades hang on the pod. \
Use `maxUnavailable: 1`.",
        rubric: &[21],
        scanners: Scanners {
            kube_linter: &["pdb-max-unavailable"],
            related: &[
                Related::differs(
                    KubeLinter,
                    "pdb-min-available",
                    "kube-linter compares minAvailable with the replicas of the workloads the budget selects; kubeward also with an autoscaler's minReplicas.",
                ),
                Related::differs(
                    Polaris,
                    "pdbDisruptionsIsZero",
                    "Polaris reads status.disruptionsAllowed, which only a live cluster reports.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_allows_disruption,
    },
];

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

/// Whether an affinity term's namespaces include `namespace` (the pod's own): with neither
/// `namespaces` nor `namespaceSelector` the term means the pod's namespace; otherwise the
/// listed namespaces and those the selector matches. A pod without a namespace is given the
/// benefit of the doubt.
fn term_covers_namespace(index: &Index, term: &Value, namespace: Option<&str>) -> bool {
    let listed: Vec<&str> = term
        .get("namespaces")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let selector = term.get("namespaceSelector").filter(|s| !s.is_null());
    let Some(namespace) = namespace else {
        return true;
    };
    if listed.is_empty() && selector.is_none() || listed.contains(&namespace) {
        return true;
    }
    selector.is_some_and(|selector| {
        let mut labels = index
            .namespace_labels(namespace)
            .cloned()
            .unwrap_or_default();
        labels.insert("kubernetes.io/metadata.name".into(), Value::from(namespace));
        crate::check::selector::matches(selector, Some(&labels))
    })
}

/// Why a topologySpreadConstraints entry is one the API server refuses, if it is.
fn invalid_spread(constraint: &Value) -> Option<String> {
    match constraint.get("maxSkew") {
        Some(skew) if skew.as_i64().is_some_and(|s| s >= 1) => {}
        Some(skew) => return Some(format!("maxSkew {skew} (it must be 1 or more)")),
        None => return Some("no maxSkew".into()),
    }
    match constraint.get("whenUnsatisfiable").and_then(Value::as_str) {
        Some("DoNotSchedule" | "ScheduleAnyway") => {}
        Some(other) => {
            return Some(format!(
                "whenUnsatisfiable `{other}` (it must be DoNotSchedule or ScheduleAnyway)"
            ));
        }
        None => return Some("no whenUnsatisfiable".into()),
    }
    match constraint.get("topologyKey").and_then(Value::as_str) {
        Some(key) if !key.is_empty() => None,
        _ => Some("no topologyKey".into()),
    }
}

fn spread_across_nodes(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let constraints: Vec<(usize, &Value)> = pod
        .spec
        .get("topologySpreadConstraints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .collect();
    let mut valid = Vec::new();
    for (i, constraint) in constraints {
        match invalid_spread(constraint) {
            Some(why) => hits.add(
                format!("{}.topologySpreadConstraints[{i}]", pod.spec_path),
                format!("topologySpreadConstraints[{i}] has {why}: the API server refuses the pod"),
            ),
            None => valid.push(constraint),
        }
    }
    if let Some((path, message)) = unspread(index, object, valid) {
        hits.add(path, message);
    }
}

/// Where and why the replicas of `object` (more than one, or autoscaled) may share a node,
/// given its `valid` topologySpreadConstraints.
fn unspread(index: &Index, object: &Object, valid: Vec<&Value>) -> Option<(String, &'static str)> {
    if replicas(object) < 2 && !index.is_autoscaled(object) {
        return None;
    }
    let pod = object.pod()?;
    let labels = pod.labels();
    let selects_own = |term: &Value| {
        term.get("labelSelector")
            .is_some_and(|s| crate::check::selector::matches(s, labels))
    };
    let anti_affinity = pod
        .spec
        .get("affinity")
        .and_then(|a| a.get("podAntiAffinity"));
    let required = anti_affinity
        .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let preferred = anti_affinity
        .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("podAffinityTerm"));
    let on_hostname = required.chain(preferred).any(|term| {
        term.get("topologyKey").and_then(Value::as_str) == Some("kubernetes.io/hostname")
            && selects_own(term)
            && term_covers_namespace(index, term, object.namespace.as_deref())
    });
    let spread = valid.into_iter().any(selects_own);
    (!on_hostname && !spread).then(|| {
        (
            pod.spec_path.to_string(),
            "no podAntiAffinity on kubernetes.io/hostname and no topologySpreadConstraints select the pod's own labels in its own namespace: replicas may share a node",
        )
    })
}

/// [`unspread`] for a floor: the constraints the API server would refuse left out.
pub(super) fn replicas_unspread(index: &Index, object: &Object) -> Option<(String, &'static str)> {
    let valid: Vec<&Value> = object
        .pod()?
        .spec
        .get("topologySpreadConstraints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|c| invalid_spread(c).is_none())
        .collect();
    unspread(index, object, valid)
}

/// How many pods the workloads a budget selects keep at least, or `None` when one of them
/// keeps a number kubeward cannot know (a DaemonSet runs one per node).
fn selected_pods(index: &Index, budget: &Object) -> Option<i64> {
    let selector = budget.at(&["spec", "selector"])?;
    let mut total = 0;
    let mut any = false;
    for pods in index.pods_in(budget.namespace.as_deref()) {
        if !crate::check::selector::matches(selector, pods.labels) {
            continue;
        }
        let workload = &index.objects[pods.object];
        any = true;
        total += match workload.kind {
            Kind::Deployment | Kind::StatefulSet | Kind::DeploymentConfig | Kind::ReplicaSet => {
                index
                    .autoscaler_minimum(workload)
                    .unwrap_or_else(|| replicas(workload))
            }
            Kind::Pod if workload.is_long_running() => 1,
            _ => return None,
        };
    }
    any.then_some(total)
}

fn budget_allows_disruption(index: &Index, object: &Object, hits: &mut Hits) {
    let field = |f: &str| object.at(&["spec", f]);
    let is = |v: Option<&Value>, int: i64, text: &str| {
        v.is_some_and(|v| v.as_i64() == Some(int) || v.as_str() == Some(text))
    };
    if is(field("maxUnavailable"), 0, "0%") {
        hits.add(
            "spec.maxUnavailable",
            "maxUnavailable 0 blocks every eviction",
        );
    }
    match field("minAvailable") {
        Some(Value::String(percent)) if percent == "100%" => hits.add(
            "spec.minAvailable",
            "minAvailable 100% blocks every eviction",
        ),
        Some(min) => {
            if let (Some(min), Some(pods)) = (min.as_i64(), selected_pods(index, object))
                && min >= pods
            {
                hits.add(
                    "spec.minAvailable",
                    format!(
                        "minAvailable {min} with {pods} pod(s) selected (at the fewest) blocks every eviction: use maxUnavailable: 1"
                    ),
                );
            }
        }
        None => {}
    }
}
