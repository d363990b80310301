//! The rules that join objects, which single-object scanners cannot judge: pods that no
//! NetworkPolicy isolates, policies, Services and budgets that select no pods, namespaces
//! without a default deny, bindings that hand out Secrets, autoscaled replica counts, Secrets
//! behind an Ingress. They run once every object is read, on the [`Index`](super::index) of
//! all of them; `kubeward check` then sees each object pruned to what these rules read
//! (`super::load::prune`): a field a joined rule reads must be kept there.

mod access;
mod availability;
mod network;

use super::Rule;

/// Every joined rule, family by family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    network::RULES
        .iter()
        .chain(access::RULES)
        .chain(availability::RULES)
}
