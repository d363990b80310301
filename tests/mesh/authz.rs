//! A small evaluator of the mesh's authorization, independent of kubeward: what the Istio
//! sidecar or the Linkerd proxy of a pod decides for one connection, from the objects of a
//! bundle (as the projects document it).
//!
//! Istio: a STRICT PeerAuthentication selecting the pod refuses clients without mTLS; a DENY
//! policy that matches refuses; then, if any ALLOW policy selects the pod, only what some of
//! its rules match is admitted (an ALLOW policy without rules admits nothing); with none,
//! everything. Principals match exactly, or by a `*` prefix or suffix.
//!
//! Linkerd: a Server selecting the pod's port admits a client only through an
//! AuthorizationPolicy targeting that Server in its namespace whose every required
//! MeshTLSAuthentication lists the client's identity (exactly, `*`, or `*.suffix`); without
//! a Server, the default inbound policy of the pod (else of its namespace) decides.

use serde_json::Value;

/// The client of a connection: its mesh identity, if it has one (`None`: no mTLS).
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    pub identity: Option<&'a str>,
}

/// The server's pod: namespace, labels, annotations, and the port the client reaches.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub namespace: &'a str,
    pub labels: &'a Value,
    pub annotations: &'a Value,
    pub port: u16,
}

fn selects(selector: &Value, labels: &Value) -> bool {
    let Some(wanted) = selector["matchLabels"].as_object() else {
        return selector.is_null() || selector.as_object().is_some_and(|o| o.is_empty());
    };
    assert!(
        selector.get("matchExpressions").is_none(),
        "the evaluator reads matchLabels only"
    );
    wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn in_namespace(doc: &Value, namespace: &str) -> bool {
    doc["metadata"]["namespace"] == namespace
}

fn wildcard(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        value.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        value.starts_with(prefix)
    } else {
        pattern == value
    }
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether an Istio rule matches the connection.
fn istio_rule_matches(rule: &Value, client: Client, target: &Target) -> bool {
    for key in rule.as_object().into_iter().flat_map(|o| o.keys()) {
        assert!(
            ["from", "to"].contains(&key.as_str()),
            "the evaluator does not read rules.{key}"
        );
    }
    let from_ok = match rule["from"].as_array() {
        None => true,
        Some(froms) => froms.iter().any(|from| {
            let source = &from["source"];
            for key in source.as_object().into_iter().flat_map(|o| o.keys()) {
                assert!(
                    key == "principals",
                    "the evaluator does not read source.{key}"
                );
            }
            match source.get("principals") {
                None => true,
                Some(principals) => client
                    .identity
                    .is_some_and(|id| strings(principals).iter().any(|p| wildcard(p, id))),
            }
        }),
    };
    let to_ok = match rule["to"].as_array() {
        None => true,
        Some(tos) => tos.iter().any(|to| {
            let operation = &to["operation"];
            for key in operation.as_object().into_iter().flat_map(|o| o.keys()) {
                assert!(
                    key == "ports",
                    "the evaluator does not read operation.{key}"
                );
            }
            match operation.get("ports") {
                None => true,
                Some(ports) => strings(ports).contains(&target.port.to_string().as_str()),
            }
        }),
    };
    from_ok && to_ok
}

/// What Istio decides.
pub fn istio_allows(docs: &[Value], client: Client, target: &Target) -> bool {
    let selecting = |kind: &str| -> Vec<&Value> {
        docs.iter()
            .filter(|d| {
                d["kind"] == kind
                    && d["apiVersion"]
                        .as_str()
                        .is_some_and(|a| a.starts_with("security.istio.io/"))
            })
            .filter(|d| in_namespace(d, target.namespace))
            .filter(|d| selects(&d["spec"]["selector"], target.labels))
            .collect()
    };
    let strict = selecting("PeerAuthentication")
        .iter()
        .any(|p| p["spec"]["mtls"]["mode"] == "STRICT");
    if strict && client.identity.is_none() {
        return false;
    }
    let policies = selecting("AuthorizationPolicy");
    let action = |p: &&Value| p["spec"]["action"].as_str().unwrap_or("ALLOW").to_string();
    let rules = |p: &Value| p["spec"]["rules"].as_array().cloned().unwrap_or_default();
    for deny in policies.iter().filter(|p| action(p) == "DENY") {
        if rules(deny)
            .iter()
            .any(|r| istio_rule_matches(r, client, target))
        {
            return false;
        }
    }
    let allows: Vec<&&Value> = policies.iter().filter(|p| action(p) == "ALLOW").collect();
    allows.is_empty()
        || allows.iter().any(|p| {
            rules(p)
                .iter()
                .any(|r| istio_rule_matches(r, client, target))
        })
}

/// What Linkerd decides; `namespace_annotations` are those of the target's Namespace.
pub fn linkerd_allows(
    docs: &[Value],
    namespace_annotations: &Value,
    client: Client,
    target: &Target,
) -> bool {
    let linkerd = |d: &&Value, kind: &str| {
        d["kind"] == kind
            && d["apiVersion"]
                .as_str()
                .is_some_and(|a| a.starts_with("policy.linkerd.io/"))
            && in_namespace(d, target.namespace)
    };
    let servers: Vec<&Value> = docs
        .iter()
        .filter(|d| linkerd(d, "Server"))
        .filter(|s| selects(&s["spec"]["podSelector"], target.labels))
        .filter(|s| s["spec"]["port"].as_u64() == Some(u64::from(target.port)))
        .collect();
    let Some(server) = servers.first() else {
        let default = target
            .annotations
            .get("config.linkerd.io/default-inbound-policy")
            .or_else(|| namespace_annotations.get("config.linkerd.io/default-inbound-policy"))
            .and_then(Value::as_str)
            .unwrap_or("all-unauthenticated");
        return match default {
            "deny" => false,
            "all-unauthenticated" | "cluster-unauthenticated" => true,
            _ => client.identity.is_some(),
        };
    };
    let authentication = |name: &str| {
        docs.iter()
            .filter(|d| linkerd(d, "MeshTLSAuthentication"))
            .find(|m| m["metadata"]["name"] == name)
    };
    docs.iter()
        .filter(|d| linkerd(d, "AuthorizationPolicy"))
        .filter(|p| {
            let target_ref = &p["spec"]["targetRef"];
            target_ref["kind"] == "Server"
                && target_ref["group"] == "policy.linkerd.io"
                && target_ref["name"] == server["metadata"]["name"]
        })
        .any(|p| {
            let refs = p["spec"]["requiredAuthenticationRefs"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            !refs.is_empty()
                && refs.iter().all(|r| {
                    assert_eq!(
                        r["kind"], "MeshTLSAuthentication",
                        "the evaluator reads MeshTLSAuthentication refs only"
                    );
                    let Some(auth) = r["name"].as_str().and_then(authentication) else {
                        return false;
                    };
                    client.identity.is_some_and(|id| {
                        strings(&auth["spec"]["identities"]).iter().any(|p| {
                            *p == "*" || p.strip_prefix('*').map_or(*p == id, |s| id.ends_with(s))
                        })
                    })
                })
        })
}
