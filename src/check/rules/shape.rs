//! The rule of readable workloads (KW-META-004): a workload whose pod template is missing or
//! malformed is a finding, not a pass. The API server refuses it, and no other rule can judge
//! what it cannot read: a `containers` mapping with `privileged: true` inside is invisible to
//! the rule of privileged containers.

use serde_json::Value;

use super::common::NONE;
use crate::check::index::Index;
use crate::check::object::Object;
use crate::check::{Applies, Hits, Rule, Severity};

pub static RULES: &[Rule] = &[Rule {
    id: "KW-META-004",
    severity: Severity::Error,
    title: "Workloads have a pod template that can be read",
    explanation: "A workload whose pod template is missing or malformed (no `containers` list, \
a container that is not a mapping, a security field of the wrong type such as \
`privileged: \"yes\"`) is refused by the API server, and no rule can judge what it cannot read: \
a check that passed it would pass anything hidden inside. Fix the field the finding names.",
    rubric: &[],
    scanners: NONE,
    applies: Applies::Workloads,
    check: readable_workload,
}];

/// The JSON type a field must have.
#[derive(Clone, Copy)]
enum Shape {
    Bool,
    Int,
    Text,
    List,
    Map,
}

impl Shape {
    fn fits(self, value: &Value) -> bool {
        match self {
            Shape::Bool => value.is_boolean(),
            Shape::Int => value.is_i64() || value.is_u64(),
            Shape::Text => value.is_string(),
            Shape::List => value.is_array(),
            Shape::Map => value.is_object(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Shape::Bool => "true or false",
            Shape::Int => "an integer",
            Shape::Text => "a string",
            Shape::List => "a list",
            Shape::Map => "a mapping",
        }
    }
}

use Shape::{Bool, Int, List, Map, Text};

const POD_FIELDS: &[(&str, Shape)] = &[
    ("hostNetwork", Bool),
    ("hostPID", Bool),
    ("hostIPC", Bool),
    ("hostUsers", Bool),
    ("automountServiceAccountToken", Bool),
    ("serviceAccountName", Text),
    ("serviceAccount", Text),
    ("securityContext", Map),
    ("initContainers", List),
    ("volumes", List),
    ("affinity", Map),
    ("topologySpreadConstraints", List),
];

const POD_SECURITY_FIELDS: &[(&str, Shape)] = &[
    ("runAsNonRoot", Bool),
    ("runAsUser", Int),
    ("runAsGroup", Int),
    ("fsGroup", Int),
    ("seccompProfile", Map),
    ("appArmorProfile", Map),
    ("seLinuxOptions", Map),
    ("windowsOptions", Map),
    ("sysctls", List),
];

const CONTAINER_FIELDS: &[(&str, Shape)] = &[
    ("name", Text),
    ("image", Text),
    ("imagePullPolicy", Text),
    ("securityContext", Map),
    ("resources", Map),
    ("ports", List),
    ("env", List),
    ("envFrom", List),
    ("volumeMounts", List),
    ("livenessProbe", Map),
    ("readinessProbe", Map),
    ("startupProbe", Map),
    ("lifecycle", Map),
];

const CONTAINER_SECURITY_FIELDS: &[(&str, Shape)] = &[
    ("privileged", Bool),
    ("allowPrivilegeEscalation", Bool),
    ("readOnlyRootFilesystem", Bool),
    ("runAsNonRoot", Bool),
    ("runAsUser", Int),
    ("runAsGroup", Int),
    ("procMount", Text),
    ("capabilities", Map),
    ("seccompProfile", Map),
    ("appArmorProfile", Map),
    ("seLinuxOptions", Map),
    ("windowsOptions", Map),
];

const CAPABILITY_FIELDS: &[(&str, Shape)] = &[("add", List), ("drop", List)];

/// Reports each field of `map` (at `path`) that is present, not null, and of another shape.
fn fields(map: &Value, path: &str, shapes: &[(&str, Shape)], hits: &mut Hits) {
    for &(field, shape) in shapes {
        if let Some(value) = map.get(field).filter(|v| !v.is_null())
            && !shape.fits(value)
        {
            hits.add(
                format!("{path}.{field}"),
                format!(
                    "{path}.{field} is {}, not {}: the API server refuses the workload and kubeward cannot judge it",
                    describe(value),
                    shape.name()
                ),
            );
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Reports the key on the way to the pod spec that is missing or not a mapping.
fn missing_template(object: &Object, keys: &[&str], hits: &mut Hits) {
    let mut current = &object.value;
    let mut path = String::new();
    for key in keys.iter().chain(["spec"].iter()) {
        path = if path.is_empty() {
            (*key).to_string()
        } else {
            format!("{path}.{key}")
        };
        match current.get(key).filter(|v| !v.is_null()) {
            Some(next) if next.is_object() => current = next,
            found => {
                let what = if found.is_some() {
                    "is not a mapping"
                } else {
                    "is missing"
                };
                hits.add(
                    path.clone(),
                    format!(
                        "{path} {what}: the {} has no pod template kubeward can read, and the API server refuses it",
                        object.kind_name()
                    ),
                );
                return;
            }
        }
    }
}

/// Checks a list of containers: a list of mappings, each of the right shape.
fn containers(list: &Value, path: &str, required: bool, hits: &mut Hits) {
    let Some(items) = list.as_array() else {
        return;
    };
    if required && items.is_empty() {
        hits.add(
            path,
            format!("{path} is empty: a pod runs at least one container"),
        );
    }
    for (i, container) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if !container.is_object() {
            hits.add(
                at.clone(),
                format!(
                    "{at} is {}, not a mapping: kubeward cannot judge the container",
                    describe(container)
                ),
            );
            continue;
        }
        if container.get("name").and_then(Value::as_str).is_none() {
            hits.add(at.clone(), format!("{at} has no name"));
        }
        fields(container, &at, CONTAINER_FIELDS, hits);
        if let Some(security) = container.get("securityContext").filter(|s| s.is_object()) {
            let at = format!("{at}.securityContext");
            fields(security, &at, CONTAINER_SECURITY_FIELDS, hits);
            if let Some(caps) = security.get("capabilities").filter(|c| c.is_object()) {
                fields(caps, &format!("{at}.capabilities"), CAPABILITY_FIELDS, hits);
            }
        }
    }
}

fn readable_workload(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((keys, ..)) = object.kind.pod_paths() else {
        return;
    };
    let Some(pod) = object.pod().filter(|p| p.spec.is_object()) else {
        missing_template(object, keys, hits);
        return;
    };
    let spec = pod.spec;
    let path = &pod.spec_path;
    match spec.get("containers").filter(|c| !c.is_null()) {
        None => hits.add(
            format!("{path}.containers"),
            format!("{path}.containers is missing: the pod runs nothing kubeward can judge, and the API server refuses it"),
        ),
        Some(list) if !list.is_array() => hits.add(
            format!("{path}.containers"),
            format!(
                "{path}.containers is {}, not a list: kubeward cannot judge its containers, and the API server refuses it",
                describe(list)
            ),
        ),
        Some(list) => containers(list, &format!("{path}.containers"), true, hits),
    }
    fields(spec, path, POD_FIELDS, hits);
    if let Some(init) = spec.get("initContainers") {
        containers(init, &format!("{path}.initContainers"), false, hits);
    }
    if let Some(security) = spec.get("securityContext").filter(|s| s.is_object()) {
        fields(
            security,
            &format!("{path}.securityContext"),
            POD_SECURITY_FIELDS,
            hits,
        );
    }
    let volumes = spec.get("volumes").and_then(Value::as_array);
    for (i, volume) in volumes.into_iter().flatten().enumerate() {
        if !volume.is_object() {
            hits.add(
                format!("{path}.volumes[{i}]"),
                format!("{path}.volumes[{i}] is {}, not a mapping", describe(volume)),
            );
        }
    }
}
