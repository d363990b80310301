//! Kubernetes API access: a Role with exactly the declared rules, or none at all.

use serde::Serialize;

use super::decisions::Decisions;
use crate::validate::Service;

#[derive(Debug, Clone, Serialize)]
pub struct RoleRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
}

pub(super) fn role(service: &Service, d: &mut Decisions) -> Option<Vec<RoleRule>> {
    if service.api_access.is_empty() {
        d.add(
            "no-api-access",
            "no Role, no RoleBinding and no API token in the pod",
            "no spec.apiAccess",
        );
        return None;
    }
    d.add("api-access", "a Role with exactly the declared rules, bound to the service's own account; a short-lived projected token instead of the automounted one", "spec.apiAccess");
    Some(
        service
            .api_access
            .iter()
            .map(|r| RoleRule {
                api_groups: r.api_groups.clone(),
                resources: r.resources.clone(),
                verbs: r.verbs.clone(),
                resource_names: r.resource_names.clone(),
            })
            .collect(),
    )
}
