//! The identities a service mesh admits to an app's pods, read from the mesh's own objects
//! (any manifests): Istio ALLOW AuthorizationPolicies' principals, and the identities of the
//! Linkerd MeshTLSAuthentications that the AuthorizationPolicies of a Server require. Only
//! objects that select pods by `app.kubernetes.io/name` are read; `diagram` writes the
//! identities beside the pods' labels.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::vocabulary::NAME_LABEL;

/// The pods of an app: (namespace, app).
pub type App = (String, String);

fn namespace(object: &Value) -> String {
    object["metadata"]["namespace"]
        .as_str()
        .unwrap_or("default")
        .to_string()
}

fn is(object: &Value, group: &str, kind: &str) -> bool {
    object["kind"] == kind
        && object["apiVersion"]
            .as_str()
            .is_some_and(|a| a.split_once('/').is_some_and(|(g, _)| g == group))
}

/// The app a selector picks by its name label alone.
fn app_of(selector: &Value) -> Option<String> {
    let labels = selector["matchLabels"].as_object()?;
    (labels.len() == 1)
        .then(|| labels.get(NAME_LABEL)?.as_str().map(str::to_string))
        .flatten()
}

fn strings(value: &Value) -> impl Iterator<Item = String> + '_ {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
}

/// The identities admitted to each app's pods, sorted.
pub fn identities(objects: &[Value]) -> BTreeMap<App, BTreeSet<String>> {
    let mut admitted: BTreeMap<App, BTreeSet<String>> = BTreeMap::new();
    for policy in objects
        .iter()
        .filter(|o| is(o, "security.istio.io", "AuthorizationPolicy"))
        .filter(|o| o["spec"]["action"].as_str().unwrap_or("ALLOW") == "ALLOW")
    {
        let Some(app) = app_of(&policy["spec"]["selector"]) else {
            continue;
        };
        let mut principals = Vec::new();
        for rule in policy["spec"]["rules"].as_array().into_iter().flatten() {
            for from in rule["from"].as_array().into_iter().flatten() {
                principals.extend(strings(&from["source"]["principals"]));
            }
        }
        admitted
            .entry((namespace(policy), app))
            .or_default()
            .extend(principals);
    }
    let linkerd = |kind: &'static str| {
        objects
            .iter()
            .filter(move |o| is(o, "policy.linkerd.io", kind))
    };
    for server in linkerd("Server") {
        let Some(app) = app_of(&server["spec"]["podSelector"]) else {
            continue;
        };
        let ns = namespace(server);
        for policy in linkerd("AuthorizationPolicy").filter(|p| {
            namespace(p) == ns
                && p["spec"]["targetRef"]["kind"] == "Server"
                && p["spec"]["targetRef"]["name"] == server["metadata"]["name"]
        }) {
            let refs = policy["spec"]["requiredAuthenticationRefs"].as_array();
            for reference in refs.into_iter().flatten() {
                let ref_ns = reference["namespace"].as_str().unwrap_or(&ns);
                let found = linkerd("MeshTLSAuthentication")
                    .find(|m| m["metadata"]["name"] == reference["name"] && namespace(m) == ref_ns);
                if let Some(authentication) = found {
                    admitted
                        .entry((ns.clone(), app.clone()))
                        .or_default()
                        .extend(strings(&authentication["spec"]["identities"]));
                }
            }
        }
    }
    admitted
}
