//! Invariants: the controls every rendered object must still hold after its template ran,
//! checked on the parsed object and keyed by kind. Shipped templates hold them by
//! construction; an override template that drops one fails the render, unless the user
//! accepts that departure by name (recorded on the object by `render`).

use serde_json::Value;

use crate::plan::{Plan, PlannedObject};
use crate::preset::SeccompType;

/// A control an object must hold: its id (as `--allow-template-override` takes it), the
/// rubric rows it stands for, the `kubeward check` rules that judge the same thing (an
/// accepted override suppresses them on the object, with the reason), and what it requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    pub id: &'static str,
    pub rubric: &'static [u8],
    pub rules: &'static [&'static str],
    pub requires: &'static str,
}

pub const RUN_AS_NON_ROOT: Control = Control {
    id: "run-as-non-root",
    rubric: &[1],
    rules: &["KW-SEC-001"],
    requires: "every container runs with runAsNonRoot: true (pod or container level)",
};
pub const HIGH_IDS: Control = Control {
    id: "high-ids",
    rubric: &[2],
    rules: &["KW-SEC-002"],
    requires: "every container runs with runAsUser and runAsGroup above 10000, or with none fixed where the platform assigns them (OpenShift)",
};
pub const NO_PRIVILEGE_ESCALATION: Control = Control {
    id: "no-privilege-escalation",
    rubric: &[4],
    rules: &["KW-SEC-004"],
    requires: "every container sets allowPrivilegeEscalation: false",
};
pub const DROP_ALL_CAPABILITIES: Control = Control {
    id: "drop-all-capabilities",
    rubric: &[5],
    rules: &["KW-SEC-005", "KW-SEC-006"],
    requires: "every container drops ALL capabilities and adds none",
};
pub const READ_ONLY_ROOT_FILESYSTEM: Control = Control {
    id: "read-only-root-filesystem",
    rubric: &[6],
    rules: &["KW-SEC-007"],
    requires: "every container sets readOnlyRootFilesystem: true (unless the preset relaxes it)",
};
pub const NOT_PRIVILEGED: Control = Control {
    id: "not-privileged",
    rubric: &[7],
    rules: &["KW-SEC-009"],
    requires: "no container is privileged",
};
pub const NO_HOST_NAMESPACES: Control = Control {
    id: "no-host-namespaces",
    rubric: &[7],
    rules: &[
        "KW-SEC-010",
        "KW-SEC-011",
        "KW-SEC-012",
        "KW-SEC-013",
        "KW-SEC-014",
    ],
    requires: "no hostNetwork, hostPID, hostIPC, hostPort or hostPath",
};
pub const SECCOMP: Control = Control {
    id: "seccomp-profile",
    rubric: &[8],
    rules: &["KW-SEC-015"],
    requires: "every container runs under the preset's seccomp profile (RuntimeDefault unless the preset names a Localhost profile)",
};
pub const VOLUME_TYPES: Control = Control {
    id: "volume-types",
    rubric: &[9],
    rules: &["KW-SEC-016"],
    requires: "volumes only of the types Pod Security restricted allows",
};
pub const NO_TOKEN_AUTOMOUNT: Control = Control {
    id: "no-token-automount",
    rubric: &[10, 11],
    rules: &["KW-RBAC-001", "KW-RBAC-003"],
    requires: "automountServiceAccountToken: false on the pod and on the ServiceAccount",
};
pub const NO_SECRET_ENV: Control = Control {
    id: "no-secret-env",
    rubric: &[17],
    rules: &["KW-SEC-020"],
    requires: "no secret in env valueFrom.secretKeyRef or envFrom.secretRef",
};
pub const POD_SECURITY_RESTRICTED: Control = Control {
    id: "pod-security-restricted",
    rubric: &[22],
    rules: &["KW-SEC-021"],
    requires: "the Namespace enforces, audits and warns at Pod Security level restricted",
};
pub const DEFAULT_DENY: Control = Control {
    id: "default-deny",
    rubric: &[23],
    rules: &["KW-NET-003"],
    requires: "the default-deny NetworkPolicy selects every pod for Ingress and Egress and allows nothing",
};
pub const CLUSTER_IP: Control = Control {
    id: "cluster-ip",
    rubric: &[26],
    rules: &["KW-NET-005"],
    requires: "the Service is of type ClusterIP, without node ports",
};
pub const AUTOSCALER_BOUNDS: Control = Control {
    id: "autoscaler-bounds",
    rubric: &[31],
    rules: &["KW-LOAD-001", "KW-AVAIL-011"],
    requires: "the HorizontalPodAutoscaler keeps at least 2 pods and can add one (maxReplicas above minReplicas)",
};
pub const ROUTE_ON_HTTPS_LISTENER: Control = Control {
    id: "route-on-https-listener",
    rubric: &[32],
    rules: &["KW-LOAD-006"],
    requires: "the service's route attaches only to the planned HTTPS listener of its Gateway, and the redirect route sends nothing to a backend",
};
pub const LEAST_PRIVILEGE_ROLE: Control = Control {
    id: "least-privilege-role",
    rubric: &[28],
    rules: &["KW-RBAC-005", "KW-RBAC-006"],
    requires: "Role rules without `*`, bind, escalate or impersonate",
};
pub const INGRESS_TLS: Control = Control {
    id: "ingress-tls",
    rubric: &[27],
    rules: &["KW-NET-007", "KW-NET-008"],
    requires: "the Ingress terminates TLS (spec.tls) and carries no *-snippet annotation",
};

/// Every control, in rubric order.
pub const CONTROLS: &[Control] = &[
    RUN_AS_NON_ROOT,
    HIGH_IDS,
    NO_PRIVILEGE_ESCALATION,
    DROP_ALL_CAPABILITIES,
    READ_ONLY_ROOT_FILESYSTEM,
    NOT_PRIVILEGED,
    NO_HOST_NAMESPACES,
    SECCOMP,
    VOLUME_TYPES,
    NO_TOKEN_AUTOMOUNT,
    NO_SECRET_ENV,
    POD_SECURITY_RESTRICTED,
    DEFAULT_DENY,
    CLUSTER_IP,
    INGRESS_TLS,
    LEAST_PRIVILEGE_ROLE,
    AUTOSCALER_BOUNDS,
    ROUTE_ON_HTTPS_LISTENER,
];

/// The ids of every control, for the command line.
pub fn control_ids() -> Vec<&'static str> {
    CONTROLS.iter().map(|c| c.id).collect()
}

/// A control an object does not hold, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub control: Control,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows: Vec<String> = self.control.rubric.iter().map(u8::to_string).collect();
        write!(
            f,
            "{}: {} (requires: {}; rubric row {})",
            self.control.id,
            self.detail,
            self.control.requires,
            rows.join(", ")
        )
    }
}

/// Volume sources Pod Security `restricted` allows.
const ALLOWED_VOLUMES: &[&str] = &[
    "configMap",
    "secret",
    "emptyDir",
    "projected",
    "downwardAPI",
    "csi",
    "persistentVolumeClaim",
    "ephemeral",
];

/// The controls `value` (the parsed `object`) does not hold.
pub fn check(object: &PlannedObject, value: &Value, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut fail = |control: Control, detail: String| out.push(Violation { control, detail });
    match object.kind {
        "Deployment" => pod(&value["spec"]["template"]["spec"], plan, &mut fail),
        "Namespace" => {
            let labels = &value["metadata"]["labels"];
            for mode in ["enforce", "audit", "warn"] {
                let key = format!("pod-security.kubernetes.io/{mode}");
                if labels[&key] != "restricted" {
                    fail(
                        POD_SECURITY_RESTRICTED,
                        format!(
                            "metadata.labels.{key} is {}, not restricted",
                            shown(&labels[&key])
                        ),
                    );
                }
            }
        }
        "NetworkPolicy" if object.template == "networkpolicy-default-deny.yaml" => {
            let spec = &value["spec"];
            if spec["podSelector"] != Value::Object(Default::default()) {
                fail(
                    DEFAULT_DENY,
                    format!(
                        "spec.podSelector is {}, not {{}}",
                        shown(&spec["podSelector"])
                    ),
                );
            }
            for kind in ["Ingress", "Egress"] {
                if !array(&spec["policyTypes"]).any(|t| t == kind) {
                    fail(DEFAULT_DENY, format!("spec.policyTypes lacks {kind}"));
                }
            }
            for rules in ["ingress", "egress"] {
                if array(&spec[rules]).next().is_some() {
                    fail(DEFAULT_DENY, format!("spec.{rules} allows traffic"));
                }
            }
        }
        "ServiceAccount" if value["automountServiceAccountToken"] != false => {
            fail(
                NO_TOKEN_AUTOMOUNT,
                format!(
                    "automountServiceAccountToken is {}, not false",
                    shown(&value["automountServiceAccountToken"])
                ),
            );
        }
        "Service" => {
            let kind = &value["spec"]["type"];
            if !(kind.is_null() || kind == "ClusterIP") {
                fail(CLUSTER_IP, format!("spec.type is {}", shown(kind)));
            }
            if array(&value["spec"]["ports"]).any(|p| !p["nodePort"].is_null()) {
                fail(CLUSTER_IP, "a port sets nodePort".into());
            }
        }
        "Role" => {
            for (i, rule) in array(&value["rules"]).enumerate() {
                let wild = |list: &str| {
                    array(&rule[list]).any(|v| v.as_str().is_some_and(|s| s.contains('*')))
                };
                let escalating = array(&rule["verbs"])
                    .any(|v| matches!(v.as_str(), Some("bind" | "escalate" | "impersonate")));
                if wild("verbs") || wild("resources") || wild("apiGroups") || escalating {
                    fail(
                        LEAST_PRIVILEGE_ROLE,
                        format!("rules[{i}] grants a wildcard, bind, escalate or impersonate"),
                    );
                }
            }
        }
        "HorizontalPodAutoscaler" => {
            let field = |f: &str| value["spec"][f].as_i64().unwrap_or(1);
            let (min, max) = (field("minReplicas"), field("maxReplicas"));
            if min < 2 || max <= min {
                fail(
                    AUTOSCALER_BOUNDS,
                    format!("spec.minReplicas is {min} and spec.maxReplicas {max}"),
                );
            }
        }
        "HTTPRoute" | "GRPCRoute" => route(object, value, plan, &mut fail),
        "Ingress" => {
            if array(&value["spec"]["tls"]).next().is_none() {
                fail(INGRESS_TLS, "spec.tls is missing".into());
            }
            if let Some(annotations) = value["metadata"]["annotations"].as_object() {
                for key in annotations.keys().filter(|k| k.ends_with("-snippet")) {
                    fail(
                        INGRESS_TLS,
                        format!("annotation {key} injects controller configuration"),
                    );
                }
            }
        }
        _ => {}
    }
    out
}

/// The checks of a route: its parents, and a redirect's rules.
fn route(
    object: &PlannedObject,
    value: &Value,
    plan: &Plan,
    fail: &mut impl FnMut(Control, String),
) {
    let Some(gateway) = &plan.gateway else {
        return;
    };
    let redirect = object.template == "httproute-redirect.yaml";
    let planned = match (redirect, &gateway.redirect) {
        (true, Some(parent)) => parent,
        _ => &gateway.parent,
    };
    for (i, parent) in array(&value["spec"]["parentRefs"]).enumerate() {
        let at = |f: &str| parent[f].as_str().unwrap_or_default();
        if at("name") != planned.name
            || at("namespace") != planned.namespace
            || at("sectionName") != planned.section_name
        {
            fail(
                ROUTE_ON_HTTPS_LISTENER,
                format!(
                    "spec.parentRefs[{i}] is {}/{} listener {}, the plan says {}/{} listener {}",
                    at("namespace"),
                    at("name"),
                    shown(&parent["sectionName"]),
                    planned.namespace,
                    planned.name,
                    planned.section_name
                ),
            );
        }
    }
    if redirect && array(&value["spec"]["rules"]).any(|r| array(&r["backendRefs"]).next().is_some())
    {
        fail(
            ROUTE_ON_HTTPS_LISTENER,
            "a rule of the redirect route sends requests to a backend".into(),
        );
    }
}

fn array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "missing".to_string(),
        other => other.to_string(),
    }
}

/// The checks of a pod spec: security contexts, host access, volumes, token, secrets.
fn pod(pod: &Value, plan: &Plan, fail: &mut impl FnMut(Control, String)) {
    let pod_context = &pod["securityContext"];
    if plan.workload.run_as_user.is_none() && !pod_context["fsGroup"].is_null() {
        fail(
            HIGH_IDS,
            format!(
                "spec.template.spec.securityContext.fsGroup is {}, but the platform assigns it",
                pod_context["fsGroup"]
            ),
        );
    }
    for field in ["hostNetwork", "hostPID", "hostIPC"] {
        if pod[field] == true {
            fail(
                NO_HOST_NAMESPACES,
                format!("spec.template.spec.{field} is true"),
            );
        }
    }
    if pod["automountServiceAccountToken"] != false {
        fail(
            NO_TOKEN_AUTOMOUNT,
            format!(
                "spec.template.spec.automountServiceAccountToken is {}, not false",
                shown(&pod["automountServiceAccountToken"])
            ),
        );
    }
    for (i, volume) in array(&pod["volumes"]).enumerate() {
        let sources: Vec<&String> = volume
            .as_object()
            .map(|m| m.keys().filter(|k| *k != "name").collect())
            .unwrap_or_default();
        if sources.iter().any(|k| *k == "hostPath") {
            fail(NO_HOST_NAMESPACES, format!("volumes[{i}] is a hostPath"));
        } else if sources
            .iter()
            .any(|k| !ALLOWED_VOLUMES.contains(&k.as_str()))
        {
            fail(VOLUME_TYPES, format!("volumes[{i}] is of type {sources:?}"));
        }
    }
    let planned = &plan.workload.seccomp_profile;
    let planned_type = match planned.kind {
        SeccompType::RuntimeDefault => "RuntimeDefault",
        SeccompType::Localhost => "Localhost",
    };
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for (i, container) in array(&pod[list]).enumerate() {
            let at = format!("{list}[{i}]");
            let context = &container["securityContext"];
            let effective = |field: &str| match &context[field] {
                Value::Null => &pod_context[field],
                own => own,
            };
            if effective("runAsNonRoot") != true {
                fail(
                    RUN_AS_NON_ROOT,
                    format!("{at} may run as root (runAsNonRoot is not true)"),
                );
            }
            for field in ["runAsUser", "runAsGroup"] {
                let id = effective(field);
                let wrong = match plan.workload.run_as_user {
                    // The platform assigns the ids: none may be fixed.
                    None => !id.is_null(),
                    Some(_) => id.as_i64().is_none_or(|id| id <= 10000),
                };
                if wrong {
                    fail(HIGH_IDS, format!("{at} {field} is {}", shown(id)));
                }
            }
            if context["allowPrivilegeEscalation"] != false {
                fail(
                    NO_PRIVILEGE_ESCALATION,
                    format!(
                        "{at}.securityContext.allowPrivilegeEscalation is {}, not false",
                        shown(&context["allowPrivilegeEscalation"])
                    ),
                );
            }
            let capabilities = &context["capabilities"];
            if !array(&capabilities["drop"]).any(|c| c == "ALL")
                || array(&capabilities["add"]).next().is_some()
            {
                fail(
                    DROP_ALL_CAPABILITIES,
                    format!(
                        "{at}.securityContext.capabilities is {}",
                        shown(capabilities)
                    ),
                );
            }
            if plan.workload.read_only_root_filesystem && context["readOnlyRootFilesystem"] != true
            {
                fail(
                    READ_ONLY_ROOT_FILESYSTEM,
                    format!(
                        "{at}.securityContext.readOnlyRootFilesystem is {}, not true",
                        shown(&context["readOnlyRootFilesystem"])
                    ),
                );
            }
            if context["privileged"] == true {
                fail(
                    NOT_PRIVILEGED,
                    format!("{at}.securityContext.privileged is true"),
                );
            }
            if array(&container["ports"]).any(|p| !p["hostPort"].is_null()) {
                fail(NO_HOST_NAMESPACES, format!("{at} uses a hostPort"));
            }
            let seccomp = effective("seccompProfile");
            let localhost_ok = planned.kind == SeccompType::RuntimeDefault
                || seccomp["localhostProfile"].as_str() == planned.localhost_profile.as_deref();
            if seccomp["type"] != planned_type || !localhost_ok {
                fail(
                    SECCOMP,
                    format!(
                        "{at} seccompProfile is {}, the preset says {planned_type}",
                        shown(seccomp)
                    ),
                );
            }
            let secret_env = array(&container["env"])
                .any(|e| !e["valueFrom"]["secretKeyRef"].is_null())
                || array(&container["envFrom"]).any(|e| !e["secretRef"].is_null());
            if secret_env {
                fail(
                    NO_SECRET_ENV,
                    format!("{at} takes a secret from the environment"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::material::Material;
    use crate::plan::plan_from_yaml;
    use crate::render::{self, Templates};

    /// The public service `api` in `shop`, with `rest` under its spec, planned and rendered.
    fn rendered_public(rest: &str) -> (Plan, Vec<render::Manifest>) {
        let plan = plan_from_yaml(&format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {{name: api, namespace: shop}}\nspec:\n  image: ghcr.io/acme/api:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 8080\n  exposure: public\n{rest}"
        ));
        let manifests = render::render(
            &plan,
            &Material::default(),
            &Templates::default(),
            &[],
            false,
        )
        .unwrap();
        (plan, manifests)
    }

    /// The rendered objects of a service with a role, an ingress and a secret.
    fn rendered() -> (Plan, Vec<render::Manifest>) {
        rendered_public(
            "  protocol: https\n  ingress: {host: shop.example.com, api: ingress}\n  tls: {mode: cert-manager, issuer: {name: le}}\n  apiAccess: [{resources: [configmaps], verbs: [get]}]\n",
        )
    }

    fn violations_after(kind: &str, change: impl Fn(&mut Value)) -> Vec<&'static str> {
        let (plan, manifests) = rendered();
        let manifest = manifests.iter().find(|m| m.object.kind == kind).unwrap();
        let mut value = manifest.value.clone();
        change(&mut value);
        check(&manifest.object, &value, &plan)
            .iter()
            .map(|v| v.control.id)
            .collect()
    }

    #[test]
    fn shipped_templates_hold_every_control() {
        let (plan, manifests) = rendered();
        for m in &manifests {
            assert_eq!(check(&m.object, &m.value, &plan), vec![], "{}", m.text);
        }
    }

    /// Sets the value at a `/`-separated path, creating mappings on the way.
    fn set(value: &mut Value, path: &str, new: Value) {
        let mut at = value;
        for part in path.split('/') {
            at = match part.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[part],
            };
        }
        *at = new;
    }

    #[test]
    fn each_dropped_pod_control_is_named() {
        use serde_json::json;
        let pod = "spec/template/spec";
        let context = "spec/template/spec/containers/0/securityContext";
        let cases = [
            (
                "run-as-non-root",
                vec![
                    (format!("{pod}/securityContext/runAsNonRoot"), Value::Null),
                    (format!("{context}/runAsNonRoot"), Value::Null),
                ],
            ),
            ("high-ids", vec![(format!("{context}/runAsUser"), json!(0))]),
            (
                "no-privilege-escalation",
                vec![(format!("{context}/allowPrivilegeEscalation"), json!(true))],
            ),
            (
                "drop-all-capabilities",
                vec![(format!("{context}/capabilities/add"), json!(["NET_ADMIN"]))],
            ),
            (
                "read-only-root-filesystem",
                vec![(format!("{context}/readOnlyRootFilesystem"), json!(false))],
            ),
            (
                "not-privileged",
                vec![(format!("{context}/privileged"), json!(true))],
            ),
            (
                "no-host-namespaces",
                vec![(format!("{pod}/hostPID"), json!(true))],
            ),
            (
                "seccomp-profile",
                vec![(
                    format!("{context}/seccompProfile"),
                    json!({"type": "Unconfined"}),
                )],
            ),
            (
                "volume-types",
                vec![(
                    format!("{pod}/volumes/0"),
                    json!({"name": "x", "nfs": {"server": "n", "path": "/"}}),
                )],
            ),
            (
                "no-token-automount",
                vec![(format!("{pod}/automountServiceAccountToken"), json!(true))],
            ),
            (
                "no-secret-env",
                vec![(
                    format!("{pod}/containers/0/envFrom"),
                    json!([{"secretRef": {"name": "db"}}]),
                )],
            ),
        ];
        for (control, changes) in cases {
            let found = violations_after("Deployment", |v| {
                for (path, new) in &changes {
                    set(v, path, new.clone());
                }
            });
            assert_eq!(found, vec![control]);
        }
    }

    #[test]
    fn routes_and_autoscalers_keep_their_controls() {
        let (plan, manifests) = rendered_public(
            "  ingress: {host: shop.example.com}\n  autoscaling: {minReplicas: 2}\n",
        );
        let after = |name: &str, change: &dyn Fn(&mut Value)| -> Vec<&'static str> {
            let m = manifests
                .iter()
                .find(|m| m.object.kind == "HTTPRoute" && m.object.name == name)
                .unwrap();
            assert_eq!(check(&m.object, &m.value, &plan), vec![], "{}", m.text);
            let mut value = m.value.clone();
            change(&mut value);
            check(&m.object, &value, &plan)
                .iter()
                .map(|v| v.control.id)
                .collect()
        };
        assert_eq!(
            after("api", &|v| v["spec"]["parentRefs"][0]["sectionName"] =
                "http".into()),
            vec!["route-on-https-listener"]
        );
        assert_eq!(
            after(
                "api-https-redirect",
                &|v| v["spec"]["rules"][0]["backendRefs"] =
                    serde_json::json!([{"name": "api", "port": 80}])
            ),
            vec!["route-on-https-listener"]
        );
        let hpa = manifests
            .iter()
            .find(|m| m.object.kind == "HorizontalPodAutoscaler")
            .unwrap();
        let mut value = hpa.value.clone();
        value["spec"]["maxReplicas"] = 2.into();
        let found: Vec<&str> = check(&hpa.object, &value, &plan)
            .iter()
            .map(|v| v.control.id)
            .collect();
        assert_eq!(found, vec!["autoscaler-bounds"]);
    }

    #[test]
    fn other_kinds_are_checked_for_their_controls() {
        assert_eq!(
            violations_after(
                "Namespace",
                |v| v["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] =
                    "baseline".into()
            ),
            vec!["pod-security-restricted"]
        );
        assert_eq!(
            violations_after("ServiceAccount", |v| v["automountServiceAccountToken"] =
                true.into()),
            vec!["no-token-automount"]
        );
        assert_eq!(
            violations_after("Service", |v| v["spec"]["type"] = "NodePort".into()),
            vec!["cluster-ip"]
        );
        assert_eq!(
            violations_after("Role", |v| v["rules"][0]["verbs"] =
                serde_json::json!(["*"])),
            vec!["least-privilege-role"]
        );
        assert_eq!(
            violations_after("Ingress", |v| v["metadata"]["annotations"] =
                serde_json::json!({"nginx.ingress.kubernetes.io/server-snippet": "x"})),
            vec!["ingress-tls"]
        );
        let (plan, manifests) = rendered();
        let deny = manifests
            .iter()
            .find(|m| m.object.template == "networkpolicy-default-deny.yaml")
            .unwrap();
        let mut value = deny.value.clone();
        value["spec"]["ingress"] = serde_json::json!([{}]);
        value["spec"]["podSelector"] = serde_json::json!({"matchLabels": {"a": "b"}});
        let found: Vec<&str> = check(&deny.object, &value, &plan)
            .iter()
            .map(|v| v.control.id)
            .collect();
        assert_eq!(found, vec!["default-deny", "default-deny"]);
    }
}
