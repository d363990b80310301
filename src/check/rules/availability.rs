//! The rules of availability (KW-AVAIL): resources, probes, replicas, spread and disruption
//! budgets.

use serde_json::Value;

use super::common::{NONE, for_containers};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-AVAIL-001",
        severity: Severity::Warning,
        title: "Every container requests CPU",
        explanation: "Without a CPU request the scheduler places the pod as if it needed nothing, \
and under contention it gets the least. Set `resources.requests.cpu` on every container.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_10"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-cpu-requirements"],
            polaris: &["cpuRequestsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: cpu_requests,
    },
    Rule {
        id: "KW-AVAIL-002",
        severity: Severity::Warning,
        title: "Every container limits CPU",
        explanation: "A container without a CPU limit can take every core of its node: one \
compromised or runaway pod starves its neighbours. Set `resources.limits.cpu`.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_11"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-cpu-requirements"],
            polaris: &["cpuLimitsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: cpu_limits,
    },
    Rule {
        id: "KW-AVAIL-003",
        severity: Severity::Warning,
        title: "Every container requests memory",
        explanation: "Without a memory request the pod is scheduled onto nodes that cannot hold it \
and is the first evicted under pressure. Set `resources.requests.memory`.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_12"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-memory-requirements"],
            polaris: &["memoryRequestsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: memory_requests,
    },
    Rule {
        id: "KW-AVAIL-004",
        severity: Severity::Warning,
        title: "Every container limits memory",
        explanation: "A container without a memory limit can exhaust its node's memory and get \
other pods killed. Set `resources.limits.memory`.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_13"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-memory-requirements"],
            polaris: &["memoryLimitsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: memory_limits,
    },
    Rule {
        id: "KW-AVAIL-005",
        severity: Severity::Warning,
        title: "Every container requests and limits ephemeral storage",
        explanation: "Logs and scratch files count against the node's disk: without an \
`ephemeral-storage` limit one pod can fill it and get every pod of the node evicted. Set \
`resources.requests.ephemeral-storage` and `resources.limits.ephemeral-storage`.",
        rubric: &[15],
        scanners: Scanners {
            kube_score: &["container-ephemeral-storage-request-and-limit"],
            kube_linter: &["unset-ephemeral-storage-requirements"],
            ..NONE
        },
        applies: Applies::Pods,
        check: ephemeral_storage,
    },
    Rule {
        id: "KW-AVAIL-006",
        severity: Severity::Warning,
        title: "Every container has a readiness probe",
        explanation: "Without a readiness probe a pod receives traffic as soon as its process \
starts, before it can serve, and keeps receiving it when it cannot. Add a `readinessProbe` to \
every (non-init) container of a long-running workload.",
        rubric: &[16],
        scanners: Scanners {
            checkov: &["CKV_K8S_9"],
            kube_score: &["pod-probes"],
            kube_linter: &["no-readiness-probe"],
            polaris: &["readinessProbeMissing"],
            ..NONE
        },
        applies: Applies::LongRunningPods,
        check: readiness_probe,
    },
    Rule {
        id: "KW-AVAIL-007",
        severity: Severity::Warning,
        title: "Every container has a liveness probe",
        explanation: "Without a liveness probe a stuck process (deadlock, exhausted pool) keeps \
its pod forever. Add a `livenessProbe` to every (non-init) container of a long-running workload.",
        rubric: &[16],
        scanners: Scanners {
            checkov: &["CKV_K8S_8"],
            kube_score: &["pod-probes"],
            kube_linter: &["no-liveness-probe"],
            polaris: &["livenessProbeMissing"],
            ..NONE
        },
        applies: Applies::LongRunningPods,
        check: liveness_probe,
    },
    Rule {
        id: "KW-AVAIL-008",
        severity: Severity::Warning,
        title: "Readiness and liveness probes are not identical",
        explanation: "With identical probes, a pod that is merely busy (not ready) is also \
restarted, and a slow dependency turns into a restart storm. Point the liveness probe at a \
different path or port that only checks the process itself.",
        rubric: &[16],
        scanners: Scanners {
            kube_score: &["pod-probes-identical"],
            ..NONE
        },
        applies: Applies::LongRunningPods,
        check: distinct_probes,
    },
    Rule {
        id: "KW-AVAIL-011",
        severity: Severity::Warning,
        title: "HorizontalPodAutoscalers keep at least 2 replicas",
        explanation: "An autoscaler with `minReplicas` 1 (the default) scales down to a single \
pod: one node failure or eviction away from an outage. Set `minReplicas: 2` or more.",
        rubric: &[19],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::HorizontalPodAutoscaler]),
        check: autoscaler_minimum,
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
            kube_score: &[
                "deployment-has-host-podantiaffinity",
                "statefulset-has-host-podantiaffinity",
                "pod-topology-spread-constraints",
            ],
            kube_linter: &["no-anti-affinity"],
            polaris: &["topologySpreadConstraint"],
            ..NONE
        },
        applies: Applies::Replicated,
        check: spread_across_nodes,
    },
    Rule {
        id: "KW-AVAIL-015",
        severity: Severity::Warning,
        title: "PodDisruptionBudgets allow at least one disruption",
        explanation: "A budget of `maxUnavailable: 0` or `minAvailable: 100%` blocks every \
voluntary eviction: node drains and cluster upgrades hang on the pod. Use `maxUnavailable: 1`.",
        rubric: &[21],
        scanners: Scanners {
            kube_linter: &["pdb-max-unavailable", "pdb-min-available"],
            polaris: &["pdbDisruptionsIsZero"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_allows_disruption,
    },
    Rule {
        id: "KW-AVAIL-016",
        severity: Severity::Info,
        title: "PodDisruptionBudgets set `unhealthyPodEvictionPolicy`",
        explanation: "By default a pod that is running but not ready still counts against the \
budget, so a broken rollout can block node drains. Set `unhealthyPodEvictionPolicy: \
AlwaysAllow`.",
        rubric: &[21],
        scanners: Scanners {
            kube_score: &["poddisruptionbudget-has-policy"],
            kube_linter: &["pdb-unhealthy-pod-eviction-policy"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_eviction_policy,
    },
];

/// Checks that every container sets `resources.<kind>.<resource>`.
fn resource(object: &Object, hits: &mut Hits, kind: &str, resource: &str) {
    for_containers(object, hits, |c| {
        c.value
            .get("resources")
            .and_then(|r| r.get(kind))
            .and_then(|r| r.get(resource))
            .is_none_or(Value::is_null)
            .then(|| format!("{} sets no {resource} {kind}", c.label()))
    });
}

fn cpu_requests(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "requests", "cpu");
}

fn cpu_limits(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "limits", "cpu");
}

fn memory_requests(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "requests", "memory");
}

fn memory_limits(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "limits", "memory");
}

fn ephemeral_storage(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "requests", "ephemeral-storage");
    resource(object, hits, "limits", "ephemeral-storage");
}

fn probe(object: &Object, hits: &mut Hits, field: &str) {
    for_containers(object, hits, |c| {
        (!c.init && c.value.get(field).is_none_or(Value::is_null))
            .then(|| format!("{} has no {field}", c.label()))
    });
}

fn readiness_probe(_: &Index, object: &Object, hits: &mut Hits) {
    probe(object, hits, "readinessProbe");
}

fn liveness_probe(_: &Index, object: &Object, hits: &mut Hits) {
    probe(object, hits, "livenessProbe");
}

/// The handler of a probe: what it calls, without its timing.
fn probe_handler(probe: &Value) -> Option<Value> {
    let handler: serde_json::Map<String, Value> = probe
        .as_object()?
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "httpGet" | "tcpSocket" | "grpc" | "exec"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(Value::Object(handler))
}

fn distinct_probes(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        let readiness = probe_handler(c.value.get("readinessProbe")?)?;
        let liveness = probe_handler(c.value.get("livenessProbe")?)?;
        (readiness == liveness)
            .then(|| format!("{} has identical readiness and liveness probes", c.label()))
    });
}

fn autoscaler_minimum(_: &Index, object: &Object, hits: &mut Hits) {
    let min = object
        .at(&["spec", "minReplicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1);
    if min < 2 {
        hits.add(
            "spec.minReplicas",
            format!("the autoscaler may scale down to {min} replica"),
        );
    }
}

/// The replica count of a Deployment or StatefulSet (1 when unset).
pub fn replicas(object: &Object) -> i64 {
    object
        .at(&["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn spread_across_nodes(index: &Index, object: &Object, hits: &mut Hits) {
    if let Some((path, message)) = unspread(index, object) {
        hits.add(path, message);
    }
}

/// Where and why the replicas of `object` (more than one, or autoscaled) may share a node.
pub fn unspread(index: &Index, object: &Object) -> Option<(String, &'static str)> {
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
    });
    let spread = pod
        .spec
        .get("topologySpreadConstraints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(selects_own);
    (!on_hostname && !spread).then(|| {
        (
            pod.spec_path.clone(),
            "no podAntiAffinity on kubernetes.io/hostname and no topologySpreadConstraints select the pod's own labels: replicas may share a node",
        )
    })
}

fn budget_allows_disruption(_: &Index, object: &Object, hits: &mut Hits) {
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
    if field("minAvailable").and_then(Value::as_str) == Some("100%") {
        hits.add(
            "spec.minAvailable",
            "minAvailable 100% blocks every eviction",
        );
    }
}

fn budget_eviction_policy(_: &Index, object: &Object, hits: &mut Hits) {
    if object.at(&["spec", "unhealthyPodEvictionPolicy"]).is_none() {
        hits.add("spec", "no unhealthyPodEvictionPolicy");
    }
}
