//! The rules of availability (KW-AVAIL): resources, probes, replicas, spread and disruption
//! budgets.

use serde_json::Value;

use super::common::{NONE, for_containers};
use crate::check::Scanner::{Checkov, KubeLinter, KubeScore, Polaris};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-AVAIL-001",
        severity: Severity::Warning,
        title: "Every container requests CPU",
        explanation: "Without a CPU request the scheduler places the pod as if it needed nothing, \
and under contention it gets the least. Set `resources.requests.cpu` on every container.",
        rubric: &[15],
        scanners: Scanners {
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_10",
                    "checkov accepts a quantity of zero written as a string (\"0\"); a zero request or limit is none.",
                ),
                Related::differs(
                    Polaris,
                    "cpuRequestsMissing",
                    "Polaris does not judge init containers, and asks for the quantity as a string.",
                ),
                Related::part(
                    KubeScore,
                    "container-resources",
                    "kube-score judges CPU and memory requests and limits together.",
                ),
            ],
            kube_linter: &["unset-cpu-requirements"],
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
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_11",
                    "checkov accepts a quantity of zero written as a string (\"0\"); a zero request or limit is none.",
                ),
                Related::differs(
                    Polaris,
                    "cpuLimitsMissing",
                    "Polaris does not judge init containers, and asks for the quantity as a string.",
                ),
                Related::part(
                    KubeScore,
                    "container-resources",
                    "kube-score judges CPU and memory requests and limits together.",
                ),
            ],
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
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_12",
                    "checkov accepts a quantity of zero written as a string (\"0\"); a zero request or limit is none.",
                ),
                Related::differs(
                    Polaris,
                    "memoryRequestsMissing",
                    "Polaris does not judge init containers, and asks for the quantity as a string.",
                ),
                Related::part(
                    KubeScore,
                    "container-resources",
                    "kube-score judges CPU and memory requests and limits together.",
                ),
            ],
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
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_13",
                    "checkov accepts a quantity of zero written as a string (\"0\"); a zero request or limit is none.",
                ),
                Related::differs(
                    Polaris,
                    "memoryLimitsMissing",
                    "Polaris does not judge init containers, and asks for the quantity as a string.",
                ),
                Related::part(
                    KubeScore,
                    "container-resources",
                    "kube-score judges CPU and memory requests and limits together.",
                ),
            ],
            kube_linter: &["unset-memory-requirements"],
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
            related: &[Related::part(
                KubeScore,
                "container-ephemeral-storage-request-and-limit",
                "kube-score also asks the request to equal the limit; its suppression (and that of container-resources, which implies it) silences this rule.",
            )],
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
            related: &READINESS_CLAIMS,
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
            related: &LIVENESS_CLAIMS,
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
            related: &[Related::differs(
                KubeScore,
                "pod-probes-identical",
                "kube-score compares the path and port of HTTP probes, TCP ports and exec commands across the pod; kubeward compares each container's whole handlers, gRPC included.",
            )],
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
        scanners: Scanners {
            related: &[Related::part(
                KubeLinter,
                "hpa-minimum-three-replicas",
                "kube-linter asks for three replicas; kubeward for two.",
            )],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::HorizontalPodAutoscaler]),
        check: autoscaler_minimum,
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
            kube_linter: &["pdb-unhealthy-pod-eviction-policy"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_eviction_policy,
    },
];

/// Why kubeward asks fewer pods for probes than the checks of each scanner do.
const RUN_TO_COMPLETION: &str = "kubeward does not ask a Pod that runs to completion (restartPolicy Never or OnFailure, such as a helm test) for probes: they guard nothing there.";

/// How a probe rule relates to the probe checks of checkov, kube-score, kube-linter and
/// Polaris.
const fn probe_claims(
    checkov: &'static str,
    kube_linter: &'static str,
    polaris: &'static str,
) -> [Related; 4] {
    [
        Related::part(Checkov, checkov, RUN_TO_COMPLETION),
        Related::differs(
            KubeScore,
            "pod-probes",
            "kube-score asks for probes only on pods a Service targets, and counts a probe on any container of the pod.",
        ),
        Related::part(KubeLinter, kube_linter, RUN_TO_COMPLETION),
        Related::part(Polaris, polaris, RUN_TO_COMPLETION),
    ]
}

static READINESS_CLAIMS: [Related; 4] =
    probe_claims("CKV_K8S_9", "no-readiness-probe", "readinessProbeMissing");
static LIVENESS_CLAIMS: [Related; 4] =
    probe_claims("CKV_K8S_8", "no-liveness-probe", "livenessProbeMissing");

/// Whether a resource quantity is unset or zero (`0`, `"0"`, `"0m"`, `"0Mi"`): the
/// scheduler and the kubelet treat a zero request or limit as none.
fn zero_or_unset(quantity: Option<&Value>) -> bool {
    match quantity {
        None | Some(Value::Null) => true,
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::String(text)) => {
            let number = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            number.parse::<f64>().is_ok_and(|n| n == 0.0)
        }
        Some(_) => false,
    }
}

/// Checks that every container sets `resources.<kind>.<resource>` to more than zero.
fn resource(object: &Object, hits: &mut Hits, kind: &str, resource: &str) {
    for_containers(object, hits, |c| {
        zero_or_unset(
            c.value
                .get("resources")
                .and_then(|r| r.get(kind))
                .and_then(|r| r.get(resource)),
        )
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

fn budget_eviction_policy(_: &Index, object: &Object, hits: &mut Hits) {
    if object.at(&["spec", "unhealthyPodEvictionPolicy"]).is_none() {
        hits.add("spec", "no unhealthyPodEvictionPolicy");
    }
}
