//! The rules of the service mesh (KW-MESH) that judge one object: Istio authorization that
//! admits anyone, mutual TLS that is optional or off, identities matched by wildcard, Linkerd
//! pods and namespaces that admit unauthenticated clients by default. Linkerd Servers that no
//! policy authorizes are judged once every object is read (`check::cross::mesh`).

use serde_json::Value;

use super::common::NONE;
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Rule, Severity};

/// The Linkerd annotation that sets the inbound policy of unlisted ports and clients.
const DEFAULT_POLICY: &str = "config.linkerd.io/default-inbound-policy";

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-MESH-001",
        severity: Severity::Error,
        title: "Istio ALLOW policies have no rule that matches every request",
        explanation: "An ALLOW AuthorizationPolicy with an empty rule (`rules: [{}]`), or a rule \
whose `from` and `to` are empty, matches every request from anyone: the workload it selects is \
open to every pod of the mesh and, without STRICT mutual TLS, to every client. Give each rule a \
`from.source.principals` list of the callers' identities and a `to.operation.ports` list.",
        rubric: &[36],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::IstioAuthorizationPolicy]),
        check: empty_allow_rule,
    },
    Rule {
        id: "KW-MESH-002",
        severity: Severity::Error,
        title: "Istio PeerAuthentications require mutual TLS (`STRICT`)",
        explanation: "`PERMISSIVE` accepts clear-text clients beside mutual TLS, and `DISABLE` \
turns it off: a client without an identity reaches the pods, and principals in authorization \
policies cannot be proven. Set `mtls.mode: STRICT` (and no weaker `portLevelMtls`).",
        rubric: &[36],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::PeerAuthentication]),
        check: strict_mtls,
    },
    Rule {
        id: "KW-MESH-003",
        severity: Severity::Warning,
        title: "Mesh identities are matched exactly, not by wildcard",
        explanation: "A principal or identity with `*` admits every ServiceAccount it covers, \
today's and tomorrow's: `cluster.local/ns/shop/*` lets any pod of the namespace in, `*` lets \
the whole mesh in. Name each caller's identity in full \
(`<trust domain>/ns/<namespace>/sa/<account>`, or Linkerd's \
`<account>.<namespace>.serviceaccount.identity.linkerd.<trust domain>`).",
        rubric: &[36],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::IstioAuthorizationPolicy, Kind::MeshTlsAuthentication]),
        check: exact_identities,
    },
    Rule {
        id: "KW-MESH-004",
        severity: Severity::Warning,
        title: "Linkerd namespaces and pods do not admit unauthenticated clients by default",
        explanation: "With `config.linkerd.io/default-inbound-policy: all-unauthenticated` (or \
`cluster-unauthenticated`), a port that no Server covers accepts any client, meshed or not. \
Set it to `deny`, and admit the callers with a Server, an AuthorizationPolicy and a \
MeshTLSAuthentication.",
        rubric: &[36],
        scanners: NONE,
        applies: Applies::Kinds(&[
            Kind::Namespace,
            Kind::Pod,
            Kind::Deployment,
            Kind::StatefulSet,
            Kind::DaemonSet,
            Kind::ReplicaSet,
            Kind::Job,
            Kind::CronJob,
        ]),
        check: no_unauthenticated_default,
    },
];

fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(fields)) => fields.is_empty(),
        Some(_) => false,
    }
}

fn empty_allow_rule(_: &Index, object: &Object, hits: &mut Hits) {
    let action = object
        .at(&["spec", "action"])
        .and_then(Value::as_str)
        .unwrap_or("ALLOW");
    if action != "ALLOW" {
        return;
    }
    let rules = object.at(&["spec", "rules"]).and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let sources_open = is_empty(rule.get("from"))
            || rule["from"]
                .as_array()
                .is_some_and(|froms| froms.iter().any(|f| is_empty(f.get("source"))));
        let targets_open = is_empty(rule.get("to"))
            || rule["to"]
                .as_array()
                .is_some_and(|tos| tos.iter().any(|t| is_empty(t.get("operation"))));
        if sources_open && targets_open && is_empty(rule.get("when")) {
            hits.add(
                format!("spec.rules[{i}]"),
                "this rule matches every request from any client: the policy allows all",
            );
        }
    }
}

fn strict_mtls(_: &Index, object: &Object, hits: &mut Hits) {
    let weak = |mode: Option<&str>| matches!(mode, Some("PERMISSIVE" | "DISABLE"));
    let mode = object.at(&["spec", "mtls", "mode"]).and_then(Value::as_str);
    if weak(mode) {
        hits.add(
            "spec.mtls.mode",
            format!(
                "mutual TLS is {}: clients without an identity get through",
                mode.unwrap_or_default()
            ),
        );
    } else if mode.is_none_or(|m| m == "UNSET") {
        hits.add(
            "spec.mtls",
            "no mtls.mode: the mesh's default (PERMISSIVE unless the mesh says otherwise) applies",
        );
    }
    let ports = object
        .at(&["spec", "portLevelMtls"])
        .and_then(Value::as_object);
    for (port, setting) in ports.into_iter().flatten() {
        let mode = setting["mode"].as_str();
        if weak(mode) {
            hits.add(
                format!("spec.portLevelMtls.{port}.mode"),
                format!("mutual TLS on port {port} is {}", mode.unwrap_or_default()),
            );
        }
    }
}

fn exact_identities(_: &Index, object: &Object, hits: &mut Hits) {
    let mut wildcards = |path: String, values: Option<&Value>| {
        for (i, value) in values
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(text) = value.as_str()
                && text.contains('*')
            {
                hits.add(
                    format!("{path}[{i}]"),
                    format!("`{text}` matches identities by wildcard"),
                );
            }
        }
    };
    if object.kind == Kind::MeshTlsAuthentication {
        wildcards("spec.identities".into(), object.at(&["spec", "identities"]));
        return;
    }
    let rules = object.at(&["spec", "rules"]).and_then(Value::as_array);
    for (r, rule) in rules.into_iter().flatten().enumerate() {
        let froms = rule["from"].as_array();
        for (f, from) in froms.into_iter().flatten().enumerate() {
            wildcards(
                format!("spec.rules[{r}].from[{f}].source.principals"),
                from["source"].get("principals"),
            );
        }
    }
}

fn no_unauthenticated_default(_: &Index, object: &Object, hits: &mut Hits) {
    let open = object
        .annotations()
        .find(|(key, value)| {
            *key == DEFAULT_POLICY
                && matches!(*value, "all-unauthenticated" | "cluster-unauthenticated")
        })
        .map(|(_, value)| value.to_string());
    if let Some(value) = open {
        hits.add(
            "metadata.annotations",
            format!("{DEFAULT_POLICY}: {value} admits clients without a mesh identity on every port no Server covers"),
        );
    }
}
