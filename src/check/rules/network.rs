//! The rules of exposure (KW-NET) that judge one object: ClusterIP Services with named ports,
//! Ingresses with TLS and no snippets, DNS egress that reaches cluster DNS only.

use serde_json::Value;

use super::common::NONE;
use crate::check::Scanner::{Checkov, KubeScore};
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-NET-005",
        severity: Severity::Warning,
        title: "Services are `ClusterIP`, not `NodePort` or `LoadBalancer`",
        explanation: "A `NodePort` opens the port on every node's address and a `LoadBalancer` \
outside the cluster, around the Ingress and its TLS. Use `type: ClusterIP` and publish through \
an Ingress with TLS.",
        rubric: &[26],
        scanners: Scanners {
            kube_linter: &["exposed-services"],
            related: &[Related::stricter(
                KubeScore,
                "service-type",
                "kube-score reports NodePort only; a LoadBalancer opens a NodePort on every node too.",
            )],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Service]),
        check: cluster_ip_service,
    },
    Rule {
        id: "KW-NET-006",
        severity: Severity::Info,
        title: "Services target a named container port",
        explanation: "A numeric `targetPort` silently breaks when the container's port changes; a \
name (`targetPort: http`, matching `ports[].name` on the container) fails visibly. Name the \
container port and target it by name.",
        rubric: &[26],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Service]),
        check: named_target_port,
    },
    Rule {
        id: "KW-NET-008",
        severity: Severity::Error,
        title: "Ingresses carry no snippet annotations (`*-snippet`)",
        explanation: "Snippet annotations inject raw configuration into the ingress controller, \
which runs with the credentials of every Ingress in the cluster (CVE-2021-25742, and the \
2025 ingress-nginx admission flaws). Remove them; use the controller's typed annotations.",
        rubric: &[27],
        scanners: Scanners {
            checkov: &["CKV_K8S_153"],
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_152",
                    "CKV_K8S_152 reports only snippets that hold Lua code.",
                ),
                Related::stricter(
                    Checkov,
                    "CKV_K8S_154",
                    "CKV_K8S_154 reports only snippets that hold an alias directive.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Ingress]),
        check: no_snippets,
    },
    Rule {
        id: "KW-NET-009",
        severity: Severity::Warning,
        title: "DNS egress goes to cluster DNS only, on UDP and TCP 53",
        explanation: "A rule that opens port 53 to any destination lets a compromised pod tunnel \
data out over DNS to any server. A rule without `ports` (or with `ports: []`) opens every port, \
53 among them, and kube-dns's labels under `namespaceSelector: {}` match a pod of those labels \
in any namespace, which anyone who may run a pod can create. Allow port 53 only to the cluster \
DNS pods (`namespaceSelector` for `kube-system` and `podSelector` `k8s-app: kube-dns`, or a \
single node-local address), on both UDP and TCP (large answers fall back to TCP).",
        rubric: &[25],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::NetworkPolicy]),
        check: dns_egress,
    },
];

fn cluster_ip_service(_: &Index, object: &Object, hits: &mut Hits) {
    if let Some(kind @ ("NodePort" | "LoadBalancer")) =
        object.at(&["spec", "type"]).and_then(Value::as_str)
    {
        hits.add("spec.type", format!("the Service is of type {kind}"));
    }
}

fn named_target_port(_: &Index, object: &Object, hits: &mut Hits) {
    let has_selector = object
        .at(&["spec", "selector"])
        .and_then(Value::as_object)
        .is_some_and(|s| !s.is_empty());
    if !has_selector {
        return;
    }
    let ports = object.at(&["spec", "ports"]).and_then(Value::as_array);
    for (i, port) in ports.into_iter().flatten().enumerate() {
        if !port.get("targetPort").is_some_and(Value::is_string) {
            let number = port.get("targetPort").or_else(|| port.get("port"));
            let name = port
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("spec.ports[{i}]"), |n| format!("port `{n}`"));
            hits.add(
                format!("spec.ports[{i}]"),
                format!(
                    "{name} targets container port {} by number",
                    number.map_or("?".to_string(), Value::to_string)
                ),
            );
        }
    }
}

fn no_snippets(_: &Index, object: &Object, hits: &mut Hits) {
    let annotations = object
        .at(&["metadata", "annotations"])
        .and_then(Value::as_object);
    for key in annotations.into_iter().flatten().map(|(k, _)| k) {
        if key.contains("snippet") {
            hits.add(
                format!("metadata.annotations.{key}"),
                format!("annotation {key} injects raw controller configuration"),
            );
        }
    }
}

/// Whether a NetworkPolicy port entry covers port 53 for `protocol`.
fn covers_dns(port: &Value, protocol: &str) -> bool {
    let proto = port
        .get("protocol")
        .and_then(Value::as_str)
        .unwrap_or("TCP");
    let number = port.get("port");
    let end = port.get("endPort").and_then(Value::as_i64);
    let covers = match number {
        None => true,
        Some(Value::String(name)) => name == "dns" || name == "dns-tcp" || name == "domain",
        Some(n) => n
            .as_i64()
            .is_some_and(|start| start == 53 || (start <= 53 && end.is_some_and(|e| e >= 53))),
    };
    proto == protocol && covers
}

/// Why a peer of a DNS egress rule reaches beyond cluster DNS, if it does.
fn too_wide(peer: &Value) -> Option<String> {
    if let Some(block) = peer.get("ipBlock") {
        let cidr = block.get("cidr").and_then(Value::as_str).unwrap_or("?");
        let single = cidr.ends_with("/32") || cidr.ends_with("/128");
        return (!single).then(|| format!("to the address range {cidr}"));
    }
    let pods = peer.get("podSelector");
    let namespaces = peer.get("namespaceSelector");
    match (namespaces, pods) {
        (_, None) => Some("to every pod of the selected namespaces".to_string()),
        (_, Some(p)) if crate::check::selector::is_empty(p) => {
            Some("to every pod of the selected namespaces".to_string())
        }
        // anyone who may run a pod anywhere can give it the DNS pods' labels
        (Some(n), Some(_)) if crate::check::selector::is_empty(n) => {
            Some("to pods of those labels in every namespace".to_string())
        }
        _ => None,
    }
}

fn dns_egress(_: &Index, object: &Object, hits: &mut Hits) {
    let egress = object.at(&["spec", "egress"]).and_then(Value::as_array);
    let mut udp = false;
    let mut tcp = false;
    for (i, rule) in egress.into_iter().flatten().enumerate() {
        let ports: Vec<&Value> = rule
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        // `ports` missing or empty: the rule matches every port, 53 included
        let (rule_udp, rule_tcp) = (
            ports.is_empty() || ports.iter().any(|p| covers_dns(p, "UDP")),
            ports.is_empty() || ports.iter().any(|p| covers_dns(p, "TCP")),
        );
        if !rule_udp && !rule_tcp {
            continue;
        }
        udp |= rule_udp;
        tcp |= rule_tcp;
        let peers: Vec<&Value> = rule
            .get("to")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        if peers.is_empty() {
            hits.add(
                format!("spec.egress[{i}]"),
                format!("egress[{i}] opens port 53 to every destination"),
            );
        }
        for (j, peer) in peers.iter().enumerate() {
            if let Some(why) = too_wide(peer) {
                hits.add(
                    format!("spec.egress[{i}].to[{j}]"),
                    format!("egress[{i}] opens port 53 {why}"),
                );
            }
        }
    }
    if udp && !tcp {
        hits.add(
            "spec.egress",
            "DNS egress allows UDP 53 but not TCP 53: large answers fall back to TCP and fail",
        );
    }
}
