//! The rules that join objects, which single-object scanners cannot judge: pods that no
//! NetworkPolicy isolates, policies, Services and budgets that select no pods, namespaces
//! without a default deny, bindings that hand out Secrets, autoscaled replica counts, Secrets
//! behind an Ingress (`network`, `access`, `availability`); autoscalers and the public entry
//! under load, which read their targets, Gateways and traffic policies (`entry`); and the
//! floors of the presets a check applies, which read the whole pod and its ServiceAccount and
//! autoscaler (`floors`); Linkerd Servers no AuthorizationPolicy targets (`mesh`); fixed uids
//! in OpenShift's namespaces (`openshift`); several LimitRanges, disagreeing quotas and two
//! objects under one name in a namespace (`quota`). They run once every object is read, on the
//! [`Index`](super::index) of all of them; `kubeward check` then sees each object pruned to
//! what these rules read (`super::load::prune`; nothing is pruned when the check has floors):
//! a field a joined rule reads must be kept there.

mod access;
mod availability;
mod entry;
mod floors;
mod mesh;
mod network;
mod openshift;
mod quota;

pub use openshift::ids_assigned;

use super::Rule;

/// Every joined rule, family by family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    network::RULES
        .iter()
        .chain(access::RULES)
        .chain(availability::RULES)
        .chain(entry::RULES)
        .chain(floors::RULES)
        .chain(mesh::RULES)
        .chain(openshift::RULES)
        .chain(quota::RULES)
}

/// Whether `rule` judges a preset floor: its findings stand whatever suppresses others.
pub fn is_floor(rule: &Rule) -> bool {
    floors::RULES.iter().any(|r| r.id == rule.id)
}
