//! The rules that judge one object on its own, by family: pod and container security and
//! images (`security`), the remaining Pod Security baseline controls (`pod_security`), literal
//! secrets in environment variables (`env`), secret values at rest (`secrets`), identity and
//! API access (`rbac`), resources, probes and budgets (`availability`), Service, Ingress and
//! DNS exposure (`network`), namespaces and API versions (`meta`), the service mesh's
//! authorization (`mesh`), OpenShift's SCCs, Routes and assigned ids (`openshift`), the control
//! plane's flags and files (`control_plane`), and workloads too malformed to judge (`shape`).
//! Each rule names the rubric rows it judges and the scanner checks it
//! corresponds to.

mod availability;
mod common;
pub mod control_plane;
mod env;
mod mesh;
mod meta;
mod network;
mod openshift;
mod pod_security;
mod rbac;
mod secrets;
mod security;
mod shape;

pub use availability::replicas;
pub use common::{NONE, rule_list};
pub(crate) use common::{for_containers, pod_of};
pub use rbac::role_rules;

use super::Rule;

/// Every single-object rule, family by family.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    security::RULES
        .iter()
        .chain(pod_security::RULES)
        .chain(env::RULES)
        .chain(secrets::RULES)
        .chain(rbac::RULES)
        .chain(availability::RULES)
        .chain(network::RULES)
        .chain(meta::RULES)
        .chain(mesh::RULES)
        .chain(openshift::RULES)
        .chain(shape::RULES)
        .chain(control_plane::RULES)
}
