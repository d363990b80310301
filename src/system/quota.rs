//! One quota for the services of a namespace: where a system renders several services into a
//! namespace that has a ResourceQuota (a restricted service asks for it), every pod of every
//! one of them counts against it, so their largest rollouts must fit it together. Each
//! service was checked alone when it was validated.

use std::collections::BTreeMap;

use super::{Member, Problem};
use crate::spec::Sensitivity;
use crate::validate::quota::{footprint, overflows};

/// A problem for each amount of a shared quota that the namespace's services exceed, at the
/// spec of the service whose preset sets the quota.
pub(super) fn problems(members: &[Member]) -> Vec<Problem> {
    let mut by_namespace: BTreeMap<&str, Vec<&Member>> = BTreeMap::new();
    for member in members {
        by_namespace
            .entry(member.service.namespace.as_str())
            .or_default()
            .push(member);
    }
    let mut problems = Vec::new();
    for (namespace, sharing) in by_namespace {
        let Some(owner) = sharing
            .iter()
            .find(|m| m.service.sensitivity == Sensitivity::Restricted)
        else {
            continue;
        };
        if sharing.len() < 2 {
            continue;
        }
        let footprints: Vec<_> = sharing
            .iter()
            .map(|m| footprint(&m.service, &m.preset.preset))
            .collect();
        let files: Vec<String> = sharing
            .iter()
            .map(|m| match &m.spec {
                Some(path) => path.display().to_string(),
                None => m.service.name.clone(),
            })
            .collect();
        for overflow in overflows(&owner.preset.preset.namespace_quota, &footprints) {
            problems.push(owner.problem(
                overflow.field,
                format!(
                    "{} (the services of namespace `{namespace}` share its quota: {}); lower their replicas or resources, or raise the quota in a preset",
                    overflow.message,
                    files.join(", ")
                ),
            ));
        }
    }
    problems
}
