//! The `AdmissionConfiguration` (apiserver.config.k8s.io/v1) given to
//! `--admission-control-config-file`: Pod Security's defaults for every namespace without a
//! label of its own, enforced, audited and warned about at one level pinned to the
//! cluster's minor, with the spec's exemptions; and EventRateLimit's limits.

use serde_json::{Value, json};

use crate::cluster::validate::Cluster;

pub fn configuration(cluster: &Cluster) -> Value {
    let pss = &cluster.pod_security;
    let (level, version) = (pss.enforce.as_str(), &pss.version);
    json!({
        "apiVersion": "apiserver.config.k8s.io/v1",
        "kind": "AdmissionConfiguration",
        "plugins": [
            {
                "name": "PodSecurity",
                "configuration": {
                    "apiVersion": "pod-security.admission.config.k8s.io/v1",
                    "kind": "PodSecurityConfiguration",
                    "defaults": {
                        "enforce": level,
                        "enforce-version": version,
                        "audit": level,
                        "audit-version": version,
                        "warn": level,
                        "warn-version": version,
                    },
                    "exemptions": {
                        "usernames": pss.exempt_usernames,
                        "runtimeClasses": pss.exempt_runtime_classes,
                        "namespaces": pss.exempt_namespaces,
                    },
                },
            },
            {
                "name": "EventRateLimit",
                "configuration": {
                    "apiVersion": "eventratelimit.admission.k8s.io/v1alpha1",
                    "kind": "Configuration",
                    "limits": [
                        {"type": "Namespace", "qps": 50, "burst": 100, "cacheSize": 2000},
                        {"type": "User", "qps": 10, "burst": 50},
                    ],
                },
            },
        ],
    })
}
