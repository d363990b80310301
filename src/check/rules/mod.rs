//! The rules that judge one object on its own, by family: pod and container security and
//! images (`security`), literal secrets in environment variables (`env`), secret values at
//! rest (`secrets`), identity and API access (`rbac`), resources, probes and budgets
//! (`availability`), Service, Ingress and DNS exposure (`network`), namespaces and API
//! versions (`meta`), autoscalers and the public entry under load (`entry`), the service
//! mesh's authorization (`mesh`), the control plane's flags and files (`control_plane`), and
//! the floors of the presets a check applies (`floors`). Each rule names the rubric rows it
//! judges and the scanner checks it
//! corresponds to.

mod availability;
mod common;
pub mod control_plane;
mod entry;
mod env;
mod floors;
mod mesh;
mod meta;
mod network;
mod rbac;
mod secrets;
mod security;

pub use availability::{replicas, unspread};
pub use common::{NONE, rule_list};
pub use rbac::role_rules;

use super::Rule;

/// Whether `rule` judges a preset floor: its findings stand whatever suppresses others.
pub fn is_floor(rule: &Rule) -> bool {
    floors::RULES.iter().any(|r| r.id == rule.id)
}

/// Every single-object rule, family by family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    security::RULES
        .iter()
        .chain(env::RULES)
        .chain(secrets::RULES)
        .chain(rbac::RULES)
        .chain(availability::RULES)
        .chain(network::RULES)
        .chain(meta::RULES)
        .chain(entry::RULES)
        .chain(mesh::RULES)
        .chain(control_plane::RULES)
        .chain(floors::RULES)
}
