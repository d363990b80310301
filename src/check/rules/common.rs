//! What the single-object rules share: the empty scanner list, and reading a pod's containers
//! and a rule's lists.

use serde_json::Value;

use crate::check::object::{Container, Object, PodTemplate};
use crate::check::{Hits, Scanners};

/// No scanner equivalent; the base of every `Scanners` literal of the rules.
pub const NONE: Scanners = Scanners {
    pss: &[],
    checkov: &[],
    kube_score: &[],
    kube_linter: &[],
    polaris: &[],
    related: &[],
    kube_bench: &[],
};

/// The pod template and its containers; every rule with `Applies::*Pods` has one.
pub(crate) fn pod_of(object: &Object) -> Option<(PodTemplate<'_>, Vec<Container<'_>>)> {
    let pod = object.pod()?;
    let containers = pod.containers();
    Some((pod, containers))
}

/// Runs `problem` on every container; each `Some` is a hit at the container.
pub(crate) fn for_containers(
    object: &Object,
    hits: &mut Hits,
    problem: impl Fn(&Container) -> Option<String>,
) {
    let Some((_, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        if let Some(message) = problem(c) {
            hits.add(c.path, message);
        }
    }
}

/// The strings of a list field of an RBAC rule.
pub fn rule_list<'a>(rule: &'a Value, field: &str) -> Vec<&'a str> {
    rule.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A value as text for a message: a string as it is, anything else as JSON.
pub(super) fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}
