//! The rules that judge one object on its own, by family: pod and container security and
//! images (`security`), secret values at rest (`secrets`), identity and API access (`rbac`),
//! resources, probes and budgets (`availability`), Service, Ingress and DNS exposure
//! (`network`), namespaces and API versions (`meta`), autoscalers and the public entry under
//! load (`entry`), OpenShift's SCCs, Routes and assigned ids (`openshift`), the control plane's flags and files (`control_plane`). Each rule names the
//! rubric rows it judges and the scanner checks it
//! corresponds to.

mod availability;
mod common;
pub mod control_plane;
mod entry;
mod meta;
mod network;
mod openshift;
mod rbac;
mod secrets;
mod security;

pub use availability::replicas;
pub use common::{NONE, rule_list};
pub use rbac::role_rules;

use super::Rule;

/// Every single-object rule, family by family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    security::RULES
        .iter()
        .chain(secrets::RULES)
        .chain(rbac::RULES)
        .chain(availability::RULES)
        .chain(network::RULES)
        .chain(meta::RULES)
        .chain(entry::RULES)
        .chain(openshift::RULES)
        .chain(control_plane::RULES)
}
