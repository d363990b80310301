//! Custom resources checked against the upstream CRDs copied under `tests/crds/`: the
//! `openAPIV3Schema` of the served version the object names.

use serde_json::Value;

use super::{read, yaml_value};

/// The CRD files of `tests/crds/` by `(group, kind)`.
const CRDS: &[(&str, &str, &str)] = &[
    (
        "security.istio.io",
        "PeerAuthentication",
        "tests/crds/istio/peerauthentications.security.istio.io.yaml",
    ),
    (
        "security.istio.io",
        "AuthorizationPolicy",
        "tests/crds/istio/authorizationpolicies.security.istio.io.yaml",
    ),
    (
        "policy.linkerd.io",
        "Server",
        "tests/crds/linkerd/servers.policy.linkerd.io.yaml",
    ),
    (
        "policy.linkerd.io",
        "AuthorizationPolicy",
        "tests/crds/linkerd/authorizationpolicies.policy.linkerd.io.yaml",
    ),
    (
        "policy.linkerd.io",
        "MeshTLSAuthentication",
        "tests/crds/linkerd/meshtlsauthentications.policy.linkerd.io.yaml",
    ),
    (
        "cert-manager.io",
        "Certificate",
        "tests/crds/cert-manager/certificates.cert-manager.io.yaml",
    ),
];

/// Whether `tests/crds/` holds the CRD of the object's group and kind.
pub fn known(object: &Value) -> bool {
    crd_path(object).is_some()
}

fn crd_path(object: &Value) -> Option<&'static str> {
    let (group, _) = object["apiVersion"].as_str()?.split_once('/')?;
    let kind = object["kind"].as_str()?;
    CRDS.iter()
        .find(|(g, k, _)| *g == group && *k == kind)
        .map(|(_, _, path)| *path)
}

/// Why `object` does not match its CRD's schema (empty: it does). Panics when the CRD is not
/// in `tests/crds/` or does not serve the object's version.
pub fn schema_errors(object: &Value) -> Vec<String> {
    let path = crd_path(object).unwrap_or_else(|| panic!("no CRD for {object}"));
    let crd = yaml_value(&read(path));
    let version = object["apiVersion"]
        .as_str()
        .unwrap()
        .split_once('/')
        .unwrap()
        .1;
    let served = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == version && v["served"] == true)
        .unwrap_or_else(|| panic!("{path} does not serve {version}"));
    let validator = jsonschema::validator_for(&served["schema"]["openAPIV3Schema"]).unwrap();
    validator
        .iter_errors(object)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}
