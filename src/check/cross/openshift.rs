//! OpenShift's rule that joins objects (KW-OCP-020): a fixed uid or fsGroup in a namespace
//! whose SCC assigns them. A namespace is OpenShift's when the check applies a preset for
//! OpenShift (`check --preset openshift`, or one extending it), or when its Namespace object
//! in the checked set carries OpenShift's id ranges or the podSecurityLabelSync label.
//! `check::load::prune` keeps the pod's and containers' `runAsUser` and `fsGroup` for it.

use serde_json::Value;

use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::{NONE, pod_of};
use crate::check::{Applies, Hits, Rule, Severity};
use crate::preset::Platform;
use crate::vocabulary::{OPENSHIFT_GROUP_RANGE, OPENSHIFT_LABEL_SYNC, OPENSHIFT_UID_RANGE};

pub static RULES: &[Rule] = &[Rule {
    id: "KW-OCP-020",
    severity: Severity::Info,
    title: "On OpenShift, pods leave runAsUser and fsGroup to the SCC",
    explanation: "OpenShift's default SCC `restricted-v2` assigns every namespace a uid range \
(`openshift.io/sa.scc.uid-range`) and a group range (`openshift.io/sa.scc.supplemental-groups`, \
which `fsGroup` must lie in) and refuses a pod whose `runAsUser` or `fsGroup` lies outside them \
(\"must be in the ranges\"), so a fixed id works only where someone chose it to match one \
namespace. Leave `runAsUser`, `runAsGroup` and `fsGroup` out (keep `runAsNonRoot: true`) and \
build the image for an arbitrary uid in group 0 (files it uses owned by group 0 with group \
permissions); kubeward's `openshift` preset renders that. Judged in every namespace when the \
check applies a preset for OpenShift (`kubeward check --preset openshift`), and otherwise in \
the namespaces whose Namespace object in the checked set carries OpenShift's id ranges or the \
podSecurityLabelSync label.",
    rubric: &[2],
    scanners: NONE,
    applies: Applies::Pods,
    check: fixed_id_on_openshift,
}];

/// The id ranges of an OpenShift namespace, as far as the checked set says.
#[derive(Default)]
struct Ranges<'a> {
    uid: Option<&'a str>,
    group: Option<&'a str>,
}

/// The ranges of the OpenShift namespace `name`, if the check knows it is one.
fn openshift_namespace<'a>(index: &Index<'a>, name: &str) -> Option<Ranges<'a>> {
    let by_preset = index
        .floors()
        .iter()
        .any(|locks| locks.platform == Platform::Openshift);
    let metadata = index
        .find(Kind::Namespace, None, name)
        .and_then(|ns| ns.value.get("metadata"));
    let annotation = |key: &str| {
        metadata
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
    };
    let ranges = Ranges {
        uid: annotation(OPENSHIFT_UID_RANGE),
        group: annotation(OPENSHIFT_GROUP_RANGE),
    };
    let synced = metadata
        .and_then(|m| m.get("labels"))
        .and_then(|l| l.get(OPENSHIFT_LABEL_SYNC))
        .is_some();
    (by_preset || synced || ranges.uid.is_some() || ranges.group.is_some()).then_some(ranges)
}

/// Whether the SCC assigns `object`'s ids: its namespace is OpenShift's as far as the check
/// knows. There KW-SEC-002's advice (fix a uid above 10000) would make the pod refused, so
/// that rule does not judge it; KW-OCP-020 judges the fixed ids instead.
pub fn ids_assigned(index: &Index, object: &Object) -> bool {
    object
        .namespace
        .as_deref()
        .is_some_and(|namespace| openshift_namespace(index, namespace).is_some())
}

/// Whether `id` lies in an OpenShift range: blocks `<first>/<size>` or `<first>-<last>`,
/// separated by commas.
fn in_range(id: i64, ranges: &str) -> bool {
    ranges.split(',').any(|block| {
        let block = block.trim();
        let bounds = if let Some((first, size)) = block.split_once('/') {
            first
                .trim()
                .parse::<i64>()
                .ok()
                .zip(size.trim().parse::<i64>().ok())
                .map(|(first, size)| (first, first + size - 1))
        } else if let Some((first, last)) = block.split_once('-') {
            first
                .trim()
                .parse::<i64>()
                .ok()
                .zip(last.trim().parse::<i64>().ok())
        } else {
            None
        };
        bounds.is_some_and(|(first, last)| (first..=last).contains(&id))
    })
}

fn fixed_id_on_openshift(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(namespace) = object.namespace.as_deref() else {
        return;
    };
    let Some(ranges) = openshift_namespace(index, namespace) else {
        return;
    };
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    let mut fixed: Vec<(String, &str, i64)> = Vec::new();
    for field in ["runAsUser", "fsGroup"] {
        if let Some(id) = pod.security(field).and_then(Value::as_i64) {
            fixed.push((
                format!("{}.securityContext.{field}", pod.spec_path),
                field,
                id,
            ));
        }
    }
    for c in &containers {
        if let Some(id) = c.security("runAsUser").and_then(Value::as_i64) {
            fixed.push((
                format!("{}.securityContext.runAsUser", c.path),
                "runAsUser",
                id,
            ));
        }
    }
    for (path, field, id) in fixed {
        let (range, which) = match field {
            "fsGroup" => (ranges.group, "group range"),
            _ => (ranges.uid, "uid range"),
        };
        let verdict = match range {
            Some(range) if in_range(id, range) => {
                format!("inside the namespace's {which} {range} today, outside another namespace's")
            }
            Some(range) => {
                format!("outside the namespace's {which} {range}: restricted-v2 refuses the pod")
            }
            None => {
                format!("which restricted-v2 refuses unless it lies in the namespace's {which}")
            }
        };
        hits.add(
            path,
            format!("{field} is fixed at {id}, {verdict}; leave it to the SCC"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::in_range;

    #[test]
    fn ranges_are_blocks_by_size_or_by_bounds() {
        assert!(in_range(1000850000, "1000850000/10000"));
        assert!(in_range(1000859999, "1000850000/10000"));
        assert!(!in_range(1000860000, "1000850000/10000"));
        assert!(!in_range(10001, "1000850000/10000"));
        assert!(in_range(5005, "1000850000/10000, 5000-5010"));
        assert!(!in_range(5011, "1000850000/10000,5000-5010"));
        assert!(!in_range(5, "garbage"));
    }
}
