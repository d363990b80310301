//! The audit `Policy` (audit.k8s.io/v1). The first rule that matches a request sets its level,
//! so the order is the policy: the kinds whose bodies hold secrets at `Metadata` first, then
//! the read-only noise of system components dropped, RBAC changes with their bodies, access
//! into pods and nodes, changes to workloads, and everything else at `Metadata`. The
//! `RequestReceived` stage is never logged (every request is logged again when it completes).

use serde_json::{Value, json};

const READ: [&str; 3] = ["get", "list", "watch"];
const WRITE: [&str; 5] = ["create", "update", "patch", "delete", "deletecollection"];

pub fn policy() -> Value {
    json!({
        "apiVersion": "audit.k8s.io/v1",
        "kind": "Policy",
        "omitStages": ["RequestReceived"],
        "omitManagedFields": true,
        "rules": [
            // Bodies with secret values or credentials: who, what and when only (CIS 3.2.2).
            {
                "level": "Metadata",
                "resources": [
                    {"group": "", "resources": ["secrets", "configmaps", "serviceaccounts/token"]},
                    {"group": "authentication.k8s.io", "resources": ["tokenreviews"]},
                ],
            },
            // Read-only noise: health checks, discovery, metrics.
            {
                "level": "None",
                "verbs": ["get"],
                "nonResourceURLs": [
                    "/healthz*", "/livez*", "/readyz*", "/version", "/metrics",
                    "/openapi/*", "/api", "/api/*", "/apis", "/apis/*",
                ],
            },
            // Reading Events, by anyone.
            {
                "level": "None",
                "verbs": READ,
                "resources": [
                    {"group": "", "resources": ["events"]},
                    {"group": "events.k8s.io", "resources": ["events"]},
                ],
            },
            // kube-proxy's watches of the Services it programs.
            {
                "level": "None",
                "users": ["system:kube-proxy"],
                "verbs": ["watch"],
                "resources": [
                    {"group": "", "resources": ["endpoints", "services", "services/status"]},
                    {"group": "discovery.k8s.io", "resources": ["endpointslices"]},
                ],
            },
            // Kubelets reading their Nodes.
            {
                "level": "None",
                "userGroups": ["system:nodes"],
                "verbs": READ,
                "resources": [{"group": "", "resources": ["nodes", "nodes/status"]}],
            },
            // Leader election reads of the controller manager and the scheduler.
            {
                "level": "None",
                "users": ["system:kube-controller-manager", "system:kube-scheduler"],
                "verbs": READ,
                "namespaces": ["kube-system"],
                "resources": [
                    {"group": "coordination.k8s.io", "resources": ["leases"]},
                    {"group": "", "resources": ["endpoints"]},
                ],
            },
            // Who granted what: RBAC changes with their bodies.
            {
                "level": "RequestResponse",
                "verbs": WRITE,
                "resources": [{
                    "group": "rbac.authorization.k8s.io",
                    "resources": ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
                }],
            },
            // Into pods and nodes: exec, attach, port-forward and every proxy.
            {
                "level": "Metadata",
                "resources": [{
                    "group": "",
                    "resources": ["pods/exec", "pods/attach", "pods/portforward", "*/proxy"],
                }],
            },
            // Changes to workloads (CIS 3.2.2), with the request's body.
            {
                "level": "Request",
                "verbs": WRITE,
                "resources": [
                    {"group": "", "resources": ["pods", "pods/ephemeralcontainers"]},
                    {"group": "apps", "resources": ["deployments", "daemonsets", "statefulsets", "replicasets"]},
                    {"group": "batch", "resources": ["jobs", "cronjobs"]},
                ],
            },
            // Everything else.
            {"level": "Metadata"},
        ],
    })
}
