//! The rules of OpenShift (KW-OCP): SecurityContextConstraints that let a pod out of its
//! container (privileged, host namespaces, host paths, any user, added capabilities), Routes
//! that serve their host in clear text. Fixed uids in OpenShift's namespaces join objects:
//! `check::cross::openshift`.

use serde_json::Value;

use super::common::NONE;
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Rule, Severity};

const SCC: Applies = Applies::Kinds(&[Kind::SecurityContextConstraints]);

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-OCP-001",
        severity: Severity::Error,
        title: "SecurityContextConstraints allow neither privileged containers nor privilege escalation",
        explanation: "Every pod a ServiceAccount may run under this SCC may then be privileged \
(every device, every capability: the node itself) or gain privileges through setuid binaries. \
Set `allowPrivilegedContainer: false` and `allowPrivilegeEscalation: false` (unset, it is \
allowed), as `restricted-v2` does; grant a privileged SCC only to the one ServiceAccount of \
a node agent that needs it.",
        rubric: &[4, 7],
        scanners: NONE,
        applies: SCC,
        check: scc_privileged,
    },
    Rule {
        id: "KW-OCP-002",
        severity: Severity::Error,
        title: "SecurityContextConstraints allow no host network, PID, IPC or ports",
        explanation: "A pod on the host's network sees every connection of the node and bypasses \
NetworkPolicies; the host's PID or IPC namespace lets it signal or read the node's processes. \
Set `allowHostNetwork`, `allowHostPID`, `allowHostIPC` and `allowHostPorts` to `false`.",
        rubric: &[7],
        scanners: NONE,
        applies: SCC,
        check: scc_host_namespaces,
    },
    Rule {
        id: "KW-OCP-003",
        severity: Severity::Error,
        title: "SecurityContextConstraints allow no host paths",
        explanation: "A hostPath volume mounts the node's filesystem into the pod: its kubelet \
credentials, the container runtime's socket, other pods' data. Set \
`allowHostDirVolumePlugin: false` and list the volume types pods need in `volumes` (never \
`hostPath` or `*`): `restricted-v2` allows configMap, csi, downwardAPI, emptyDir, ephemeral, \
persistentVolumeClaim, projected and secret.",
        rubric: &[7],
        scanners: NONE,
        applies: SCC,
        check: scc_host_paths,
    },
    Rule {
        id: "KW-OCP-004",
        severity: Severity::Error,
        title: "SecurityContextConstraints do not let pods run as any user (`RunAsAny`)",
        explanation: "`runAsUser.type: RunAsAny` admits uid 0: a pod may run as root, one kernel \
bug away from the node. Use `MustRunAsRange` (the namespace's range, as `restricted-v2` does) \
or at least `MustRunAsNonRoot`.",
        rubric: &[1],
        scanners: NONE,
        applies: SCC,
        check: scc_any_user,
    },
    Rule {
        id: "KW-OCP-005",
        severity: Severity::Warning,
        title: "SecurityContextConstraints add no capabilities beyond NET_BIND_SERVICE",
        explanation: "Capabilities in `allowedCapabilities` may be added by any pod the SCC \
admits, and `defaultAddCapabilities` are added to every one of them; `*` allows all of them \
(SYS_ADMIN among them, nearly root). Leave both empty, or at most `NET_BIND_SERVICE` (what \
`restricted-v2` allows), and set `requiredDropCapabilities: [ALL]`.",
        rubric: &[5],
        scanners: NONE,
        applies: SCC,
        check: scc_capabilities,
    },
    Rule {
        id: "KW-OCP-010",
        severity: Severity::Error,
        title: "Routes serve their host over TLS only",
        explanation: "A Route without `spec.tls` serves its host in clear text through the \
router, and `insecureEdgeTerminationPolicy: Allow` serves it over plain HTTP beside HTTPS: \
credentials and sessions cross the network readable. Set `spec.tls.termination` (`edge`, \
`reencrypt` for a service with TLS, or `passthrough`) and `insecureEdgeTerminationPolicy: \
Redirect`.",
        rubric: &[32],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Route]),
        check: route_tls,
    },
];

fn flag(object: &Object, key: &str) -> Option<bool> {
    object.value.get(key).and_then(Value::as_bool)
}

fn strings<'a>(object: &'a Object, key: &str) -> Vec<&'a str> {
    object
        .value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn scc_privileged(_: &Index, object: &Object, hits: &mut Hits) {
    if flag(object, "allowPrivilegedContainer") == Some(true) {
        hits.add("allowPrivilegedContainer", "allows privileged containers");
    }
    match flag(object, "allowPrivilegeEscalation") {
        Some(false) => {}
        Some(true) => hits.add("allowPrivilegeEscalation", "allows privilege escalation"),
        None => hits.add(
            "",
            "allows privilege escalation: allowPrivilegeEscalation is unset, which allows it",
        ),
    }
}

fn scc_host_namespaces(_: &Index, object: &Object, hits: &mut Hits) {
    for key in [
        "allowHostNetwork",
        "allowHostPID",
        "allowHostIPC",
        "allowHostPorts",
    ] {
        if flag(object, key) == Some(true) {
            hits.add(key, format!("{key} is true"));
        }
    }
}

fn scc_host_paths(_: &Index, object: &Object, hits: &mut Hits) {
    if flag(object, "allowHostDirVolumePlugin") == Some(true) {
        hits.add(
            "allowHostDirVolumePlugin",
            "allows hostPath volumes (allowHostDirVolumePlugin: true)",
        );
    }
    for (i, volume) in strings(object, "volumes").into_iter().enumerate() {
        if volume == "hostPath" || volume == "*" {
            hits.add(
                format!("volumes[{i}]"),
                format!("allows the volume type `{volume}`"),
            );
        }
    }
}

fn scc_any_user(_: &Index, object: &Object, hits: &mut Hits) {
    let kind = object.at(&["runAsUser", "type"]).and_then(Value::as_str);
    if kind == Some("RunAsAny") {
        hits.add(
            "runAsUser.type",
            "lets pods run as any user, root included (RunAsAny)",
        );
    }
}

fn scc_capabilities(_: &Index, object: &Object, hits: &mut Hits) {
    for key in ["allowedCapabilities", "defaultAddCapabilities"] {
        for (i, cap) in strings(object, key).into_iter().enumerate() {
            if cap != "NET_BIND_SERVICE" {
                hits.add(format!("{key}[{i}]"), format!("{key} adds `{cap}`"));
            }
        }
    }
}

fn route_tls(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(tls) = object.at(&["spec", "tls"]).filter(|t| t.is_object()) else {
        hits.add(
            "spec",
            "has no spec.tls: the router serves the host in clear text",
        );
        return;
    };
    if tls
        .get("insecureEdgeTerminationPolicy")
        .and_then(Value::as_str)
        == Some("Allow")
    {
        hits.add(
            "spec.tls.insecureEdgeTerminationPolicy",
            "insecureEdgeTerminationPolicy is Allow: the host is served over plain HTTP too",
        );
    }
}
