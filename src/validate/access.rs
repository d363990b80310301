//! The service's Kubernetes API permissions: exact rules, no wildcards, no escalation, no
//! exec into pods and no way to run a pod as another account; and the API server's
//! addresses, which its egress needs.

use super::problems::Problems;
use super::service::ApiRule;
use crate::preset::ApiServer;
use crate::spec;
use crate::spec::names::{role_entry, role_runs_no_pods, role_secret_names, role_verb};

pub(super) fn validate_api_access(p: &mut Problems, rules: &[spec::ApiRuleSpec]) -> Vec<ApiRule> {
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let field = format!("spec.apiAccess[{i}]");
        let before = p.0.len();
        if rule.resources.is_empty() {
            p.add(
                format!("{field}.resources"),
                "list at least one resource, e.g. [configmaps]",
            );
        }
        if rule.verbs.is_empty() {
            p.add(
                format!("{field}.verbs"),
                "list at least one verb, e.g. [get, list, watch]",
            );
        }
        for (j, verb) in rule.verbs.iter().enumerate() {
            p.check(format!("{field}.verbs[{j}]"), role_verb(verb));
        }
        for (list, values) in [
            ("resources", &rule.resources),
            ("apiGroups", &rule.api_groups),
            ("resourceNames", &rule.resource_names),
        ] {
            for (j, value) in values.iter().enumerate() {
                p.check(
                    format!("{field}.{list}[{j}]"),
                    role_entry(value, list == "apiGroups"),
                );
            }
        }
        p.check(
            format!("{field}.resourceNames"),
            role_secret_names(&rule.resources, &rule.resource_names),
        );
        p.check(
            format!("{field}.resources"),
            role_runs_no_pods(&rule.api_groups, &rule.resources, &rule.verbs),
        );
        if p.0.len() == before {
            out.push(ApiRule {
                api_groups: if rule.api_groups.is_empty() {
                    vec![String::new()]
                } else {
                    rule.api_groups.clone()
                },
                resources: rule.resources.clone(),
                verbs: rule.verbs.clone(),
                resource_names: rule.resource_names.clone(),
            });
        }
    }
    out
}

/// A service with `apiAccess` reaches the API server at the preset's `apiServer.cidrs` (or
/// `--api-server-cidr`): an egress rule to no address would let nothing through.
pub(super) fn api_server_known(api: &ApiServer) -> Result<(), String> {
    if !api.cidrs.is_empty() {
        return Ok(());
    }
    let ports: Vec<String> = api.ports.iter().map(u16::to_string).collect();
    Err(format!(
        "the pod needs egress to the API server, and the preset does not say where it is (apiServer.cidrs is empty): set apiServer.cidrs in your preset to the API server's endpoint addresses (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), reached on apiServer.ports ({}), or pass --api-server-cidr CIDR (repeatable). Not the Service address 10.96.0.1: NetworkPolicies see the endpoints, after the Service address is translated. On Cilium no ipBlock matches the API server: allow it with a CiliumNetworkPolicy (toEntities: [kube-apiserver])",
        ports.join(", ")
    ))
}
