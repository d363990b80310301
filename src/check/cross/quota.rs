//! The joined rule of a namespace's limits (KW-AVAIL-017): one LimitRange in a namespace,
//! ResourceQuotas that agree, and no two different objects under one name (two renders that
//! both write the namespace's `kubeward-namespace` objects, each apply undoing the other).
//! `check::load::prune` keeps the `spec` of both kinds for it.

use serde_json::Value;

use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::NONE;
use crate::check::{Applies, Hits, Rule, Severity};

pub static RULES: &[Rule] = &[Rule {
    id: "KW-AVAIL-017",
    severity: Severity::Warning,
    title: "A namespace has one LimitRange, and its ResourceQuotas agree",
    explanation: "Every LimitRange of a namespace applies to each new container: where two \
set defaults for the same resource, which one a container gets depends on the order the \
admission plugin reads them in, which is unspecified, so the same manifest runs with different \
limits in two clusters. Several ResourceQuotas all apply, so the smallest `hard` of each \
resource is the real one and the others mislead. And two different objects under one name (two \
bundles, or two renders of services that share the namespace, each writing its \
`kubeward-namespace` quota or LimitRange) undo each other at every apply. Keep one LimitRange \
and one quota per namespace, owned by one bundle: render the namespace's services together \
(`kubeward render -f FOLDER`), or leave the namespace to the platform \
(`spec.namespace.manage: false`).",
    rubric: &[30],
    scanners: NONE,
    applies: Applies::Kinds(&[Kind::LimitRange, Kind::ResourceQuota]),
    check: one_limit_per_namespace,
}];

fn one_limit_per_namespace(index: &Index, object: &Object, hits: &mut Hits) {
    let ns = object.namespace.as_deref();
    let namespace = ns.map_or_else(
        || "the namespace these objects are applied to".to_string(),
        |n| format!("namespace `{n}`"),
    );
    let kind = object.kind_name();
    let spec = object.at(&["spec"]);
    // Judged from the second object on: the first of each name stands, each later one is
    // either the same object again, a different one under its name, or another object.
    let earlier: Vec<&Object> = index
        .of_kind_in(object.kind, ns)
        .take_while(|o| !std::ptr::eq(*o, object))
        .collect();
    if let Some(same) = earlier.iter().find(|o| o.name == object.name) {
        if same.at(&["spec"]) != spec {
            hits.add(
                "spec",
                format!(
                    "{namespace} has another {kind} `{}` with a different spec: two bundles write it, and each apply undoes the other",
                    object.name
                ),
            );
        }
        return;
    }
    let Some(first) = earlier.first() else {
        return;
    };
    match object.kind {
        Kind::LimitRange => hits.add(
            "metadata.name",
            format!(
                "{namespace} has LimitRange `{}` already: the defaults of several LimitRanges reach a container in an unspecified order",
                first.name
            ),
        ),
        _ => {
            let hard = |o: &Object| o.at(&["spec", "hard"]).cloned().unwrap_or(Value::Null);
            if let Some(other) = earlier.iter().find(|o| hard(o) != hard(object)) {
                hits.add(
                    "spec.hard",
                    format!(
                        "{namespace} has ResourceQuota `{}` with different hard limits: both apply, so the smaller of each is the real one",
                        other.name
                    ),
                );
            }
        }
    }
}
