//! One quota for the services of a namespace: where a system renders several services into a
//! namespace that has a ResourceQuota (a service sensitive enough asks for it), every pod of
//! every one of them counts against it, so their largest rollouts must fit it together. Each
//! service was checked alone when it was validated.

use super::{Member, Problem, by_namespace};
use crate::validate::quota::shared_overflows;

/// A problem for each amount of a shared quota that the namespace's services exceed, at the
/// spec of the service whose preset sets the quota.
pub(super) fn problems(members: &[Member]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (namespace, sharing) in by_namespace(members) {
        let owner = sharing.iter().find(|m| {
            m.service.manage_namespace
                && m.service.sensitivity >= m.preset.preset.namespace_quota.from_sensitivity
        });
        let Some(owner) = owner.filter(|_| sharing.len() > 1) else {
            continue;
        };
        let services: Vec<_> = sharing
            .iter()
            .map(|m| (&m.service, &m.preset.preset))
            .collect();
        let files: Vec<String> = sharing.iter().map(|m| m.origin()).collect();
        for overflow in shared_overflows(&owner.preset.preset.namespace_quota, &services) {
            problems.push(owner.problem(
                "spec.replicas",
                format!(
                    "{overflow} (the services of namespace `{namespace}` share its quota: {}); lower their replicas or resources, or raise the quota in a preset",
                    files.join(", ")
                ),
            ));
        }
    }
    problems
}
