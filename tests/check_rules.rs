//! Every rule of `kubeward check`, table-driven: a hardened bundle that breaks no rule, and
//! for each rule a change to it that breaks exactly that property (the failing manifest,
//! whose fixed twin is the bundle itself). Then the suppression annotations.

mod common;

use std::collections::BTreeSet;

use common::spec::IMAGE;
use kubeward::check::load::object_from;
use kubeward::check::object::{Object, Origin};
use kubeward::check::policy::Policy;
use kubeward::check::{self, Finding};
use kubeward::preset::floors::{Floors, Locks, SeccompFloor};
use serde_json::{Value, json};

/// A bundle that satisfies every rule: the fixed twin of every case below.
fn hardened() -> Vec<Value> {
    let labels = json!({"app.kubernetes.io/name": "api"});
    let selector = json!({"matchLabels": labels});
    vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/audit-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/warn-version": "latest"}}}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny", "namespace": "shop"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"podSelector": selector, "policyTypes": ["Ingress", "Egress"],
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "web"}}}],
                    "ports": [{"protocol": "TCP", "port": 8080}]}],
                "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]}}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": "api", "namespace": "shop"}, "automountServiceAccountToken": false}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "api", "namespace": "shop"},
            "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["api-key"]}]}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "api", "namespace": "shop"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "api"},
            "subjects": [{"kind": "ServiceAccount", "name": "api", "namespace": "shop"}]}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"replicas": 3, "selector": selector, "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "serviceAccountName": "api",
                    "automountServiceAccountToken": false,
                    "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"}},
                    "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": selector}}]}},
                    "initContainers": [container("init", false)],
                    "containers": [container("api", true)],
                    "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
                        {"name": "key", "secret": {"secretName": "api-key"}}]}}}}),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"type": "ClusterIP", "selector": labels,
                "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}),
        json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"maxUnavailable": 1, "unhealthyPodEvictionPolicy": "AlwaysAllow", "selector": selector}}),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "api-tls", "namespace": "shop"},
            "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}}),
        json!({"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
            "metadata": {"name": "api-key", "namespace": "shop"},
            "spec": {"encryptedData": {"value": "AgBy3i4OJSWK+PiTySYZZA=="},
                "template": {"metadata": {"name": "api-key", "namespace": "shop"}, "type": "Opaque"}}}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": {"name": "nginx"}, "spec": {"controller": "nginx.org/ingress-controller"}}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "api", "namespace": "shop",
                "annotations": {"nginx.org/limit-req-rate": "20r/s"}},
            "spec": {"ingressClassName": "nginx",
                "tls": [{"hosts": ["shop.example.com"], "secretName": "api-tls"}],
                "rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                    "backend": {"service": {"name": "api", "port": {"name": "http"}}}}]}}]}}),
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "public", "namespace": "gateway-system"},
            "spec": {"gatewayClassName": "eg", "listeners": [
                {"name": "http", "protocol": "HTTP", "port": 80,
                    "allowedRoutes": {"namespaces": {"from": "All"}}},
                {"name": "https", "protocol": "HTTPS", "port": 443, "hostname": "*.example.com",
                    "allowedRoutes": {"namespaces": {"from": "All"}},
                    "tls": {"certificateRefs": [{"name": "wildcard"}]}}]}}),
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "public", "namespace": "gateway-system", "sectionName": "https"}],
                "hostnames": ["shop.example.com"],
                "rules": [{"backendRefs": [{"name": "api", "port": 80}]}]}}),
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "api-https-redirect", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "public", "namespace": "gateway-system", "sectionName": "http"}],
                "hostnames": ["shop.example.com"],
                "rules": [{"filters": [{"type": "RequestRedirect",
                    "requestRedirect": {"scheme": "https", "statusCode": 301}}]}]}}),
        json!({"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "api"}],
                "rateLimit": {"local": {"rules": [{"limit": {"requests": 20, "unit": "Second"}}]}}}}),
        json!({"apiVersion": "security.openshift.io/v1", "kind": "SecurityContextConstraints",
            "metadata": {"name": "acme-restricted"},
            "allowHostDirVolumePlugin": false, "allowHostIPC": false, "allowHostNetwork": false,
            "allowHostPID": false, "allowHostPorts": false, "allowPrivilegeEscalation": false,
            "allowPrivilegedContainer": false, "allowedCapabilities": ["NET_BIND_SERVICE"],
            "requiredDropCapabilities": ["ALL"], "runAsUser": {"type": "MustRunAsRange"},
            "volumes": ["configMap", "emptyDir", "projected", "secret"]}),
        json!({"apiVersion": "route.openshift.io/v1", "kind": "Route",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"host": "api.apps.example.com", "to": {"kind": "Service", "name": "api"},
                "tls": {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"}}}),
    ]
}

/// A hardened container; `serving` ones get probes on distinct paths.
fn container(name: &str, serving: bool) -> Value {
    let mut c = json!({
        "name": name,
        "image": IMAGE,
        "imagePullPolicy": "Always",
        "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
            "privileged": false, "capabilities": {"drop": ["ALL"]}},
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "64Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi", "ephemeral-storage": "256Mi"}},
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    });
    if serving {
        c["ports"] = json!([{"name": "http", "containerPort": 8080}]);
        c["readinessProbe"] = json!({"httpGet": {"path": "/readyz", "port": "http"}});
        c["livenessProbe"] = json!({"httpGet": {"path": "/livez", "port": "http"}});
    }
    c
}

fn objects(values: &[Value]) -> Vec<Object> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            object_from(
                v.clone(),
                Origin {
                    source: 0,
                    document: 0..0,
                    document_line: 1,
                    line: i + 1,
                    prefix: String::new(),
                },
            )
        })
        .collect()
}

fn findings(values: &[Value]) -> Vec<Finding> {
    check::run(&objects(values))
}

/// The floors of a preset `acme` that locks every floor, as `check --preset acme` applies them.
fn acme_floors() -> Vec<Locks> {
    let floors = Floors {
        read_only_root_filesystem: Some(true),
        spread_across_nodes: Some(true),
        seccomp_profile: Some(SeccompFloor::RuntimeDefault),
        min_replicas: Some(2),
        max_token_expiration_seconds: Some(3600),
        min_sensitivity: None,
        allowed_registries: Some(vec!["ghcr.io/acme".into()]),
        require_image_digest: Some(true),
    };
    let locked_at = [
        "readOnlyRootFilesystem",
        "spreadAcrossNodes",
        "seccompProfile",
        "minReplicas",
        "maxTokenExpirationSeconds",
        "allowedRegistries",
        "requireImageDigest",
    ]
    .iter()
    .map(|f| {
        (
            format!("floors.{f}"),
            "preset `acme` (acme.yaml, line 9)".to_string(),
        )
    })
    .collect();
    vec![Locks {
        preset: "acme".into(),
        floors,
        locked_at,
        ..Locks::default()
    }]
}

/// [`findings`] with the floors of [`acme_floors`].
fn floor_findings(values: &[Value]) -> Vec<Finding> {
    let policy = Policy {
        floors: acme_floors(),
        ..Policy::default()
    };
    check::run_with(&objects(values), &policy)
}

/// The ids of the findings that no annotation suppresses.
fn standing(values: &[Value]) -> BTreeSet<&'static str> {
    standing_in(&findings(values))
}

fn standing_in(findings: &[Finding]) -> BTreeSet<&'static str> {
    findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.rule.id)
        .collect()
}

fn find<'a>(bundle: &'a mut [Value], kind: &str) -> &'a mut Value {
    bundle
        .iter_mut()
        .find(|v| v["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind}"))
}

fn limit_range(name: &str, cpu: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": name, "namespace": "shop"},
        "spec": {"limits": [{"type": "Container", "default": {"cpu": cpu}}]}})
}

fn quota(name: &str, pods: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": name, "namespace": "shop"},
        "spec": {"hard": {"pods": pods}}})
}

fn pod(bundle: &mut [Value]) -> &mut Value {
    &mut find(bundle, "Deployment")["spec"]["template"]["spec"]
}

fn app(bundle: &mut [Value]) -> &mut Value {
    &mut pod(bundle)["containers"][0]
}

fn init(bundle: &mut [Value]) -> &mut Value {
    &mut pod(bundle)["initContainers"][0]
}

fn remove(value: &mut Value, key: &str) {
    value.as_object_mut().unwrap().remove(key);
}

fn drop_kind(bundle: &mut Vec<Value>, kind: &str, name: &str) {
    bundle.retain(|v| !(v["kind"] == kind && v["metadata"]["name"] == name));
}

type Break = fn(&mut Vec<Value>);

/// For each rule, changes to the hardened bundle that each break it, and only it: the rule
/// ids the change breaks, joined by `+` where one property cannot break without another.
const CASES: &[(&str, Break)] = &[
    ("KW-SEC-001", |b| {
        remove(&mut pod(b)["securityContext"], "runAsNonRoot")
    }),
    ("KW-SEC-001", |b| {
        init(b)["securityContext"]["runAsNonRoot"] = json!(false)
    }),
    ("KW-SEC-002", |b| {
        pod(b)["securityContext"]["runAsUser"] = json!(10000)
    }),
    ("KW-SEC-002", |b| {
        app(b)["securityContext"]["runAsGroup"] = json!(1000)
    }),
    ("KW-SEC-003", |b| {
        // the pod's settings moved onto each container: only the pod's context is missing
        let pod_context = pod(b)["securityContext"].take();
        for field in ["containers", "initContainers"] {
            for (k, v) in pod_context.as_object().unwrap() {
                pod(b)[field][0]["securityContext"][k] = v.clone();
            }
        }
        remove(pod(b), "securityContext");
    }),
    ("KW-SEC-004", |b| {
        remove(&mut init(b)["securityContext"], "allowPrivilegeEscalation")
    }),
    ("KW-SEC-005", |b| {
        app(b)["securityContext"]["capabilities"]["drop"] = json!(["NET_RAW"])
    }),
    ("KW-SEC-006", |b| {
        app(b)["securityContext"]["capabilities"]["add"] = json!(["NET_BIND_SERVICE"])
    }),
    ("KW-SEC-007", |b| {
        app(b)["securityContext"]["readOnlyRootFilesystem"] = json!(false)
    }),
    ("KW-SEC-008", |b| {
        pod(b)["volumes"][0]["emptyDir"] = json!({})
    }),
    ("KW-SEC-009", |b| {
        init(b)["securityContext"]["privileged"] = json!(true)
    }),
    ("KW-SEC-010", |b| pod(b)["hostNetwork"] = json!(true)),
    ("KW-SEC-011", |b| pod(b)["hostPID"] = json!(true)),
    ("KW-SEC-012", |b| pod(b)["hostIPC"] = json!(true)),
    ("KW-SEC-013", |b| {
        app(b)["ports"][0]["hostPort"] = json!(8080)
    }),
    ("KW-SEC-014", |b| {
        pod(b)["volumes"][1] = json!({"name": "sock", "hostPath": {"path": "/var/run"}})
    }),
    ("KW-SEC-015", |b| {
        pod(b)["securityContext"]["seccompProfile"]["type"] = json!("Localhost")
    }),
    ("KW-SEC-015", |b| {
        remove(&mut pod(b)["securityContext"], "seccompProfile")
    }),
    (
        "KW-SEC-016",
        |b| pod(b)["volumes"][1] = json!({"name": "data", "nfs": {"server": "nfs", "path": "/"}}),
    ),
    ("KW-SEC-017", |b| remove(app(b), "image")),
    // an image without a version has no digest either
    ("KW-SEC-017+KW-SEC-018", |b| {
        app(b)["image"] = json!("nginx")
    }),
    ("KW-SEC-017+KW-SEC-018", |b| {
        init(b)["image"] = json!("ghcr.io/acme/api:latest")
    }),
    ("KW-SEC-018", |b| {
        app(b)["image"] = json!("ghcr.io/acme/api:1.0")
    }),
    ("KW-SEC-019", |b| {
        app(b)["imagePullPolicy"] = json!("IfNotPresent")
    }),
    (
        "KW-SEC-020",
        |b| app(b)["env"] = json!([{"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "api-key", "key": "k"}}}]),
    ),
    ("KW-SEC-020", |b| {
        app(b)["envFrom"] = json!([{"secretRef": {"name": "api-key"}}])
    }),
    ("KW-SEC-021", |b| {
        find(b, "Namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] =
            json!("baseline")
    }),
    ("KW-SEC-021", |b| {
        remove(
            &mut find(b, "Namespace")["metadata"]["labels"],
            "pod-security.kubernetes.io/warn-version",
        )
    }),
    ("KW-RBAC-001", |b| {
        remove(pod(b), "automountServiceAccountToken")
    }),
    ("KW-RBAC-002", |b| remove(pod(b), "serviceAccountName")),
    ("KW-RBAC-002", |b| {
        pod(b)["serviceAccountName"] = json!("default")
    }),
    ("KW-RBAC-003", |b| {
        remove(find(b, "ServiceAccount"), "automountServiceAccountToken")
    }),
    ("KW-RBAC-004", |b| drop_kind(b, "ServiceAccount", "api")),
    ("KW-RBAC-005", |b| {
        find(b, "Role")["rules"][0]["verbs"] = json!(["*"])
    }),
    ("KW-RBAC-006", |b| {
        find(b, "Role")["rules"][0]["verbs"] = json!(["get", "escalate"])
    }),
    ("KW-RBAC-007", |b| {
        remove(&mut find(b, "Role")["rules"][0], "resourceNames")
    }),
    ("KW-RBAC-007", |b| {
        find(b, "RoleBinding")["roleRef"] = json!({"kind": "ClusterRole", "name": "edit"})
    }),
    ("KW-RBAC-008", |b| {
        find(b, "RoleBinding")["subjects"][0]["name"] = json!("default")
    }),
    (
        "KW-RBAC-008",
        |b| {
            find(b, "RoleBinding")["subjects"] =
                json!([{"kind": "Group", "name": "system:authenticated"}])
        },
    ),
    // without a namespace-wide default deny, which would isolate the pod
    ("KW-NET-001+KW-NET-003", |b| {
        drop_kind(b, "NetworkPolicy", "default-deny");
        drop_kind(b, "NetworkPolicy", "api");
    }),
    ("KW-NET-001+KW-NET-003", |b| {
        drop_kind(b, "NetworkPolicy", "default-deny");
        find(b, "NetworkPolicy")["spec"]["policyTypes"] = json!(["Ingress"]);
    }),
    ("KW-NET-002", |b| {
        b.push(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "gone", "namespace": "shop"},
            "spec": {"podSelector": {"matchLabels": {"app": "gone"}}, "policyTypes": ["Ingress"]}}),
        )
    }),
    ("KW-NET-002", |b| {
        api_policy(b)["spec"]["podSelector"] =
            json!({"matchLabels": {"app.kubernetes.io/name": "old-name"}});
    }),
    ("KW-NET-003", |b| {
        drop_kind(b, "NetworkPolicy", "default-deny")
    }),
    // an egress rule of no peer and no port opens DNS to every server too
    ("KW-NET-003+KW-NET-009", |b| {
        find(b, "NetworkPolicy")["spec"]["egress"] = json!([{}])
    }),
    ("KW-NET-004", |b| {
        find(b, "Service")["spec"]["selector"] = json!({"app": "api"})
    }),
    ("KW-NET-005", |b| {
        find(b, "Service")["spec"]["type"] = json!("NodePort")
    }),
    ("KW-NET-005", |b| {
        find(b, "Service")["spec"]["type"] = json!("LoadBalancer")
    }),
    ("KW-NET-006", |b| {
        find(b, "Service")["spec"]["ports"][0]["targetPort"] = json!(8080)
    }),
    ("KW-NET-007", |b| {
        find(b, "Ingress")["spec"]["rules"][0]["host"] = json!("other.example.com")
    }),
    ("KW-NET-007", |b| {
        find(b, "Secret")["type"] = json!("Opaque")
    }),
    ("KW-NET-008", |b| {
        find(b, "Ingress")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/configuration-snippet"] =
            json!("more_set_headers x;")
    }),
    ("KW-NET-009", |b| {
        api_policy(b)["spec"]["egress"][0]["to"] = json!([]);
    }),
    ("KW-NET-009", |b| {
        api_policy(b)["spec"]["egress"][0]["ports"] = json!([{"protocol": "UDP", "port": 53}]);
    }),
    ("KW-NET-009", |b| {
        api_policy(b)["spec"]["egress"][0]["to"] = json!([{"ipBlock": {"cidr": "0.0.0.0/0"}}]);
    }),
    ("KW-NET-009", |b| {
        // DNS pods' labels in every namespace: anyone may label a pod k8s-app: kube-dns
        api_policy(b)["spec"]["egress"][0]["to"][0]["namespaceSelector"] = json!({});
    }),
    ("KW-NET-009", |b| {
        // no ports: every port, 53 among them, to the whole internet
        push_egress(b, json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}));
    }),
    ("KW-NET-009", |b| {
        // `ports: []` is no restriction, as a missing list
        push_egress(
            b,
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": []}),
        );
    }),
    ("KW-NET-009", |b| {
        // a range that starts at 53
        push_egress(
            b,
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}],
            "ports": [{"protocol": "UDP", "port": 53, "endPort": 60}]}),
        );
    }),
    ("KW-NET-009", |b| {
        // a range that ends at 53 (endPort is inclusive)
        push_egress(
            b,
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}],
            "ports": [{"protocol": "TCP", "port": 40, "endPort": 53}]}),
        );
    }),
    ("KW-AVAIL-001", |b| {
        remove(&mut init(b)["resources"]["requests"], "cpu")
    }),
    ("KW-AVAIL-002", |b| {
        remove(&mut app(b)["resources"]["limits"], "cpu")
    }),
    ("KW-AVAIL-003", |b| {
        remove(&mut app(b)["resources"]["requests"], "memory")
    }),
    ("KW-AVAIL-004", |b| {
        remove(&mut app(b)["resources"]["limits"], "memory")
    }),
    ("KW-AVAIL-005", |b| {
        remove(&mut app(b)["resources"]["limits"], "ephemeral-storage")
    }),
    ("KW-AVAIL-006", |b| remove(app(b), "readinessProbe")),
    ("KW-AVAIL-007", |b| remove(app(b), "livenessProbe")),
    ("KW-AVAIL-008", |b| {
        app(b)["livenessProbe"] = app(b)["readinessProbe"].clone()
    }),
    ("KW-AVAIL-009", |b| {
        find(b, "Deployment")["spec"]["replicas"] = json!(1)
    }),
    ("KW-AVAIL-009", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas")
    }),
    ("KW-AVAIL-010", |b| b.push(autoscaler(3))),
    ("KW-AVAIL-011", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas");
        b.push(autoscaler(1));
    }),
    ("KW-AVAIL-012", |b| remove(pod(b), "affinity")),
    ("KW-AVAIL-012", |b| {
        pod(b)["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            [0]["podAffinityTerm"]["topologyKey"] = json!("topology.kubernetes.io/zone")
    }),
    ("KW-AVAIL-013", |b| {
        drop_kind(b, "PodDisruptionBudget", "api")
    }),
    ("KW-AVAIL-014", |b| {
        let mut other = find(b, "PodDisruptionBudget").clone();
        other["metadata"]["name"] = json!("other");
        other["spec"]["selector"] = json!({"matchLabels": {"app": "x"}});
        b.push(other);
    }),
    ("KW-AVAIL-015", |b| {
        find(b, "PodDisruptionBudget")["spec"]["maxUnavailable"] = json!(0)
    }),
    ("KW-AVAIL-016", |b| {
        remove(
            &mut find(b, "PodDisruptionBudget")["spec"],
            "unhealthyPodEvictionPolicy",
        )
    }),
    ("KW-AVAIL-017", |b| {
        b.push(limit_range("kubeward-namespace", "500m"));
        b.push(limit_range("team-defaults", "1"));
    }),
    ("KW-AVAIL-017", |b| {
        b.push(limit_range("kubeward-namespace", "500m"));
        b.push(limit_range("kubeward-namespace", "1"));
    }),
    ("KW-AVAIL-017", |b| {
        b.push(quota("kubeward-namespace", "50"));
        b.push(quota("team-quota", "20"));
    }),
    ("KW-META-001", |b| b.push(config_map(None))),
    ("KW-META-001", |b| b.push(config_map(Some("default")))),
    ("KW-META-001", |b| b.push(config_map(Some("kube-system")))),
    ("KW-SECRET-001", |b| {
        find(b, "Secret")["data"]["tls.key"] = json!("c2VjcmV0")
    }),
    ("KW-SECRET-001", |b| {
        find(b, "Secret")["stringData"] = json!({"password": "hunter2"})
    }),
    ("KW-SECRET-002", |b| {
        find(b, "SealedSecret")["metadata"]["annotations"] =
            json!({"sealedsecrets.bitnami.com/cluster-wide": "true"})
    }),
    ("KW-SECRET-002", |b| {
        find(b, "SealedSecret")["spec"]["template"]["metadata"]["annotations"] =
            json!({"sealedsecrets.bitnami.com/cluster-wide": "true"})
    }),
    ("KW-SECRET-003", |b| {
        // A TLS Secret whose certificate expired yesterday: reported even by the self-check
        // (its values in the manifests are accepted, as a render accepts its own).
        use base64::Engine;
        let now = time::OffsetDateTime::now_utc();
        let mut params = rcgen::CertificateParams::new(vec!["api.shop.svc".into()]).unwrap();
        params.not_before = now - time::Duration::days(91);
        params.not_after = now - time::Duration::days(1);
        let key = rcgen::KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        let crt = base64::engine::general_purpose::STANDARD.encode(pem);
        b.push(
            json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": {"name": "api-tls", "namespace": "shop",
                "annotations": {"kubeward.dev/ignore": "KW-SECRET-001=rendered with its material"}},
            "data": {"tls.crt": crt, "tls.key": ""}}),
        );
    }),
    ("KW-META-002", |b| {
        find(b, "PodDisruptionBudget")["apiVersion"] = json!("policy/v1beta1")
    }),
    ("KW-META-002", |b| {
        // Gateway API is Kubernetes' own API, judged though it is installed as custom resources.
        find(b, "HTTPRoute")["apiVersion"] = json!("gateway.networking.k8s.io/v1beta1")
    }),
    ("KW-LOAD-001", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas");
        let mut hpa = autoscaler(3);
        hpa["spec"]["maxReplicas"] = json!(3);
        b.push(hpa);
    }),
    ("KW-LOAD-001", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas");
        let mut hpa = autoscaler(2);
        remove(&mut hpa["spec"], "maxReplicas");
        b.push(hpa);
    }),
    ("KW-LOAD-002", |b| {
        let mut hpa = autoscaler(2);
        hpa["spec"]["scaleTargetRef"]["name"] = json!("gone");
        b.push(hpa);
    }),
    ("KW-LOAD-002", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas");
        let mut hpa = autoscaler(2);
        hpa["spec"]["scaleTargetRef"]["apiVersion"] = json!("extensions/v1beta1");
        b.push(hpa);
    }),
    // the container requests no memory at all, which KW-AVAIL-003 reports too
    ("KW-LOAD-003+KW-AVAIL-003", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas");
        let mut hpa = autoscaler(2);
        hpa["spec"]["metrics"] = json!([{"type": "Resource", "resource": {"name": "memory",
            "target": {"type": "Utilization", "averageUtilization": 80}}}]);
        b.push(hpa);
        remove(&mut app(b)["resources"]["requests"], "memory");
    }),
    ("KW-LOAD-004", |b| {
        remove(&mut find(b, "Ingress")["metadata"], "annotations")
    }),
    ("KW-LOAD-004", |b| {
        drop_kind(b, "BackendTrafficPolicy", "api")
    }),
    ("KW-LOAD-004", |b| {
        let policy = find(b, "BackendTrafficPolicy");
        policy["spec"]["targetRefs"][0]["name"] = json!("other");
    }),
    ("KW-LOAD-005", |b| {
        find(b, "IngressClass")["spec"]["controller"] = json!("k8s.io/ingress-nginx")
    }),
    ("KW-LOAD-005", |b| drop_kind(b, "IngressClass", "nginx")),
    ("KW-LOAD-005", |b| {
        let ingress = find(b, "Ingress");
        remove(&mut ingress["spec"], "ingressClassName");
        ingress["metadata"]["annotations"] = json!({"nginx.ingress.kubernetes.io/limit-rps": "20"});
    }),
    ("KW-LOAD-006", |b| {
        find(b, "HTTPRoute")["spec"]["parentRefs"][0]["sectionName"] = json!("http")
    }),
    ("KW-LOAD-006", |b| {
        remove(
            &mut find(b, "HTTPRoute")["spec"]["parentRefs"][0],
            "sectionName",
        )
    }),
    // the redirect route now serves the app, with no traffic policy limiting it
    ("KW-LOAD-006+KW-LOAD-004", |b| {
        let redirect = b
            .iter_mut()
            .find(|v| v["metadata"]["name"] == "api-https-redirect")
            .unwrap();
        redirect["spec"]["rules"][0]["backendRefs"] = json!([{"name": "api", "port": 80}]);
    }),
    ("KW-META-003", |b| {
        find(b, "Service")["metadata"]["annotations"] = json!({"kubeward.dev/ignore": "KW-NET-005"})
    }),
    ("KW-OCP-001", |b| {
        find(b, "SecurityContextConstraints")["allowPrivilegedContainer"] = json!(true)
    }),
    ("KW-OCP-001", |b| {
        remove(
            find(b, "SecurityContextConstraints"),
            "allowPrivilegeEscalation",
        )
    }),
    ("KW-OCP-002", |b| {
        find(b, "SecurityContextConstraints")["allowHostNetwork"] = json!(true)
    }),
    ("KW-OCP-002", |b| {
        find(b, "SecurityContextConstraints")["allowHostPorts"] = json!(true)
    }),
    ("KW-OCP-003", |b| {
        find(b, "SecurityContextConstraints")["allowHostDirVolumePlugin"] = json!(true)
    }),
    ("KW-OCP-003", |b| {
        find(b, "SecurityContextConstraints")["volumes"] = json!(["secret", "hostPath"])
    }),
    ("KW-OCP-004", |b| {
        find(b, "SecurityContextConstraints")["runAsUser"] = json!({"type": "RunAsAny"})
    }),
    ("KW-OCP-005", |b| {
        find(b, "SecurityContextConstraints")["defaultAddCapabilities"] = json!(["NET_RAW"])
    }),
    ("KW-OCP-005", |b| {
        find(b, "SecurityContextConstraints")["allowedCapabilities"] = json!(["*"])
    }),
    ("KW-OCP-010", |b| {
        remove(&mut find(b, "Route")["spec"], "tls")
    }),
    ("KW-OCP-010", |b| {
        find(b, "Route")["spec"]["tls"]["insecureEdgeTerminationPolicy"] = json!("Allow")
    }),
    // The uid 10001 is outside the namespace's range (the SCC would refuse the pod).
    ("KW-OCP-020", |b| {
        find(b, "Namespace")["metadata"]["annotations"] =
            json!({"openshift.io/sa.scc.uid-range": "1000850000/10000"})
    }),
    ("KW-OCP-020", |b| {
        find(b, "Namespace")["metadata"]["labels"]["security.openshift.io/scc.podSecurityLabelSync"] =
            json!("false")
    }),
    ("KW-META-003", |b| {
        find(b, "Service")["metadata"]["annotations"] =
            json!({"kubeward.dev/ignore": "KW-NOPE-001=why"})
    }),
    ("KW-MESH-001", |b| b.push(istio_allow(json!([{}])))),
    ("KW-MESH-001", |b| {
        b.push(istio_allow(json!([{"from": [{"source": {}}], "to": []}])))
    }),
    ("KW-MESH-002", |b| b.push(peer_authentication("PERMISSIVE"))),
    ("KW-MESH-002", |b| b.push(peer_authentication("DISABLE"))),
    ("KW-MESH-003", |b| {
        b.push(istio_allow(
            json!([{"from": [{"source": {"principals": ["cluster.local/ns/shop/sa/*"]}}]}]),
        ))
    }),
    ("KW-MESH-003", |b| {
        b.push(
            json!({"apiVersion": "policy.linkerd.io/v1alpha1", "kind": "MeshTLSAuthentication",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"identities": ["*.shop.serviceaccount.identity.linkerd.cluster.local"]}}),
        )
    }),
    (
        "KW-MESH-004",
        |b| {
            find(b, "Namespace")["metadata"]["annotations"] =
                json!({"config.linkerd.io/default-inbound-policy": "all-unauthenticated"})
        },
    ),
    ("KW-MESH-004", |b| {
        find(b, "Deployment")["spec"]["template"]["metadata"]["annotations"] =
            json!({"config.linkerd.io/default-inbound-policy": "cluster-unauthenticated"})
    }),
    ("KW-MESH-005", |b| {
        b.push(json!({"apiVersion": "policy.linkerd.io/v1beta3", "kind": "Server",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}, "port": 8080}}))
    }),
    ("KW-SEC-002", |b| {
        pod(b)["securityContext"]["runAsUser"] = json!(0)
    }),
    ("KW-SEC-002", |b| {
        // in its own user namespace, uid 0 is still refused by Pod Security restricted
        pod(b)["hostUsers"] = json!(false);
        app(b)["securityContext"]["runAsUser"] = json!(0);
    }),
    ("KW-SEC-013", |b| {
        init(b)["ports"] = json!([{"containerPort": 9000, "hostPort": 9000}])
    }),
    ("KW-SEC-014", |b| {
        pod(b)["volumes"][1] = json!({"name": "etc", "hostPath": {"path": "/etc"}})
    }),
    ("KW-SEC-024", |b| {
        pod(b)["securityContext"]["windowsOptions"] = json!({"hostProcess": true})
    }),
    ("KW-SEC-024", |b| {
        init(b)["securityContext"]["windowsOptions"] = json!({"hostProcess": true})
    }),
    ("KW-SEC-025", |b| {
        app(b)["securityContext"]["appArmorProfile"] = json!({"type": "Unconfined"})
    }),
    ("KW-SEC-025", |b| {
        find(b, "Deployment")["spec"]["template"]["metadata"]["annotations"] =
            json!({"container.apparmor.security.beta.kubernetes.io/api": "unconfined"})
    }),
    ("KW-SEC-026", |b| {
        pod(b)["securityContext"]["seLinuxOptions"] = json!({"type": "spc_t"})
    }),
    ("KW-SEC-026", |b| {
        init(b)["securityContext"]["seLinuxOptions"] = json!({"user": "system_u"})
    }),
    ("KW-SEC-027", |b| {
        app(b)["securityContext"]["procMount"] = json!("Unmasked")
    }),
    ("KW-SEC-027", |b| {
        // a user namespace does not make an unmasked /proc acceptable to kubeward
        pod(b)["hostUsers"] = json!(false);
        init(b)["securityContext"]["procMount"] = json!("Unmasked");
    }),
    ("KW-SEC-028", |b| {
        pod(b)["securityContext"]["sysctls"] = json!([{"name": "kernel.msgmax", "value": "65536"}])
    }),
    ("KW-SEC-029", |b| {
        app(b)["readinessProbe"]["httpGet"]["host"] = json!("169.254.169.254")
    }),
    (
        "KW-SEC-029",
        |b| {
            init(b)["lifecycle"] =
                json!({"preStop": {"tcpSocket": {"host": "127.0.0.1", "port": 22}}})
        },
    ),
    ("KW-RBAC-009", |b| {
        push_rule(
            b,
            json!({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}),
        )
    }),
    ("KW-RBAC-009", |b| {
        push_rule(
            b,
            json!({"apiGroups": [""], "resources": ["pods/attach"], "verbs": ["get"]}),
        )
    }),
    ("KW-RBAC-009", |b| {
        push_rule(
            b,
            json!({"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}),
        )
    }),
    ("KW-RBAC-010", |b| {
        push_rule(
            b,
            json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "create"]}),
        )
    }),
    ("KW-RBAC-010", |b| {
        push_rule(
            b,
            json!({"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["patch"]}),
        )
    }),
    // cluster-admin reads every Secret too
    ("KW-RBAC-011+KW-RBAC-007", |b| {
        find(b, "RoleBinding")["roleRef"] = json!({"kind": "ClusterRole", "name": "cluster-admin"})
    }),
    ("KW-RBAC-012", |b| pod(b)["serviceAccount"] = json!("api")),
    ("KW-RBAC-012", |b| {
        // the deprecated field alone still names a dedicated account (KW-RBAC-002 passes)
        remove(pod(b), "serviceAccountName");
        pod(b)["serviceAccount"] = json!("api");
    }),
    ("KW-META-002", |b| {
        find(b, "Deployment")["apiVersion"] = json!("v1")
    }),
    ("KW-META-004", |b| {
        let containers = pod(b)["containers"].take();
        pod(b)["containers"] = json!({"api": containers[0]});
    }),
    ("KW-META-004", |b| remove(pod(b), "containers")),
    ("KW-META-004", |b| {
        init(b)["securityContext"]["privileged"] = json!("yes")
    }),
    ("KW-META-004", |b| {
        b.push(json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "nightly", "namespace": "shop"}, "spec": {}}))
    }),
    ("KW-AVAIL-012", |b| {
        pod(b)["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            [0]["podAffinityTerm"]["namespaces"] = json!(["other"])
    }),
    ("KW-AVAIL-012", |b| {
        pod(b)["topologySpreadConstraints"] = json!([{"maxSkew": 0,
            "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}])
    }),
    ("KW-AVAIL-012", |b| {
        pod(b)["topologySpreadConstraints"] = json!([{"maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "Foo",
            "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}])
    }),
    ("KW-AVAIL-015", |b| {
        let pdb = &mut find(b, "PodDisruptionBudget")["spec"];
        remove(pdb, "maxUnavailable");
        pdb["minAvailable"] = json!(3);
    }),
    ("KW-NET-008", |b| {
        find(b, "Ingress")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/server-snippets-extra"] =
            json!("x")
    }),
    ("KW-SEC-022", |b| {
        app(b)["env"] = json!([{"name": "client_secret", "value": "s3cr3t"}])
    }),
    ("KW-SEC-022", |b| {
        init(b)["env"] = json!([{"name": "APP_SECRET_KEY", "value": "x"}])
    }),
    ("KW-SEC-023", |b| {
        app(b)["env"] = json!([{"name": "DB_PASSWORD", "value": "hunter2"}])
    }),
    (
        "KW-SEC-023",
        |b| app(b)["env"] = json!([{"name": "INIT_ARGS", "value": "AKIAIOSFODNN7EXAMPLE"}]),
    ),
    // The floors of acme (see `acme_floors`), each breached by one change.
    ("KW-FLOOR-001", |b| {
        app(b)["image"] = json!(IMAGE.replace("ghcr.io/acme", "docker.io/evil"))
    }),
    ("KW-FLOOR-001", |b| {
        init(b)["image"] = json!(IMAGE.replace("ghcr.io/acme", "ghcr.io/acme-evil"))
    }),
    ("KW-FLOOR-002", |b| {
        init(b)["image"] = json!("ghcr.io/acme/api:1.0")
    }),
    ("KW-FLOOR-003", |b| {
        find(b, "Deployment")["spec"]["replicas"] = json!(1)
    }),
    ("KW-FLOOR-003", |b| {
        remove(&mut find(b, "Deployment")["spec"], "replicas")
    }),
    ("KW-FLOOR-003", |b| b.push(autoscaler(1))),
    ("KW-FLOOR-004", |b| {
        remove(pod(b), "automountServiceAccountToken");
        remove(find(b, "ServiceAccount"), "automountServiceAccountToken");
    }),
    ("KW-FLOOR-004", |b| {
        pod(b)["volumes"][1] = json!({"name": "token", "projected": {"sources": [
            {"serviceAccountToken": {"path": "token", "expirationSeconds": 86400}}]}})
    }),
    ("KW-FLOOR-005", |b| {
        init(b)["securityContext"]["readOnlyRootFilesystem"] = json!(false)
    }),
    ("KW-FLOOR-006", |b| {
        app(b)["securityContext"]["seccompProfile"] =
            json!({"type": "Localhost", "localhostProfile": "p.json"})
    }),
    ("KW-FLOOR-006", |b| {
        remove(&mut pod(b)["securityContext"], "seccompProfile")
    }),
    ("KW-FLOOR-007", |b| remove(pod(b), "affinity")),
];

/// Changes to the hardened bundle that break nothing: the fixed twins of the rules that
/// accept a second form (rule, change).
const PASSES: &[(&str, Break)] = &[
    ("KW-AVAIL-017", |b| {
        // the same LimitRange from two renders is one object; quotas that agree are harmless
        b.push(limit_range("kubeward-namespace", "500m"));
        b.push(limit_range("kubeward-namespace", "500m"));
        b.push(quota("kubeward-namespace", "50"));
        b.push(quota("team-quota", "50"));
    }),
    ("KW-SEC-002", |b| {
        // a pod in its own user namespace is not asked for its uid and gid
        pod(b)["hostUsers"] = json!(false);
        remove(&mut pod(b)["securityContext"], "runAsUser");
        remove(&mut pod(b)["securityContext"], "runAsGroup");
    }),
    ("KW-SEC-005", |b| {
        app(b)["securityContext"]["capabilities"]["drop"] = json!(["all"])
    }),
    ("KW-SEC-013", |b| app(b)["ports"][0]["hostPort"] = json!(0)),
    ("KW-SEC-025", |b| {
        app(b)["securityContext"]["appArmorProfile"] =
            json!({"type": "Localhost", "localhostProfile": "api"});
        find(b, "Deployment")["spec"]["template"]["metadata"]["annotations"] =
            json!({"container.apparmor.security.beta.kubernetes.io/init": "runtime/default"});
    }),
    ("KW-SEC-026", |b| {
        pod(b)["securityContext"]["seLinuxOptions"] =
            json!({"type": "container_t", "level": "s0:c123,c456"})
    }),
    ("KW-SEC-027", |b| {
        app(b)["securityContext"]["procMount"] = json!("Default")
    }),
    (
        "KW-SEC-028",
        |b| {
            pod(b)["securityContext"]["sysctls"] =
                json!([{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}])
        },
    ),
    ("KW-SEC-029", |b| {
        app(b)["readinessProbe"]["httpGet"]["host"] = json!("")
    }),
    ("KW-RBAC-009", |b| {
        push_rule(
            b,
            json!({"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}),
        )
    }),
    ("KW-RBAC-010", |b| {
        push_rule(
            b,
            json!({"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list"]}),
        )
    }),
    ("KW-RBAC-012", |b| {
        pod(b)["serviceAccount"] = serde_json::Value::Null;
    }),
    ("KW-AVAIL-012", |b| {
        pod(b)["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            [0]["podAffinityTerm"]["namespaces"] = json!(["shop"])
    }),
    ("KW-AVAIL-012", |b| {
        pod(b)["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            [0]["podAffinityTerm"]["namespaceSelector"] =
            json!({"matchLabels": {"kubernetes.io/metadata.name": "shop"}})
    }),
    ("KW-AVAIL-015", |b| {
        let pdb = &mut find(b, "PodDisruptionBudget")["spec"];
        remove(pdb, "maxUnavailable");
        pdb["minAvailable"] = json!(2);
    }),
    ("KW-META-004", |b| {
        init(b)["securityContext"]["privileged"] = serde_json::Value::Null;
    }),
    ("KW-NET-009", |b| {
        // ranges on either side of 53, and a port of its own, to the internet
        push_egress(
            b,
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}],
            "ports": [{"protocol": "UDP", "port": 54, "endPort": 60},
                {"protocol": "TCP", "port": 40, "endPort": 52},
                {"protocol": "TCP", "port": 443}]}),
        );
    }),
];

/// The service's own NetworkPolicy in the hardened bundle.
fn api_policy(bundle: &mut [Value]) -> &mut Value {
    bundle
        .iter_mut()
        .find(|v| v["metadata"]["name"] == "api" && v["kind"] == "NetworkPolicy")
        .expect("the hardened bundle has the service's policy")
}

/// Adds an egress rule to the service's own NetworkPolicy.
fn push_egress(bundle: &mut [Value], rule: Value) {
    api_policy(bundle)["spec"]["egress"]
        .as_array_mut()
        .expect("egress is a list")
        .push(rule);
}

fn config_map(namespace: Option<&str>) -> Value {
    let mut map =
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}});
    if let Some(ns) = namespace {
        map["metadata"]["namespace"] = json!(ns);
    }
    map
}

/// Adds a rule to the service's Role.
fn push_rule(bundle: &mut [Value], rule: Value) {
    find(bundle, "Role")["rules"]
        .as_array_mut()
        .unwrap()
        .push(rule);
}

fn istio_allow(rules: Value) -> Value {
    json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
        "metadata": {"name": "api", "namespace": "shop"},
        "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
            "action": "ALLOW", "rules": rules}})
}

fn peer_authentication(mode: &str) -> Value {
    json!({"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
        "metadata": {"name": "api", "namespace": "shop"},
        "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
            "mtls": {"mode": mode}}})
}

fn autoscaler(min: u32) -> Value {
    json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "api", "namespace": "shop"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
            "minReplicas": min, "maxReplicas": 10}})
}

#[test]
fn the_hardened_bundle_breaks_no_rule() {
    let all: Vec<String> = findings(&hardened())
        .iter()
        .map(|f| format!("{} {}: {}", f.rule.id, f.path, f.message))
        .collect();
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn each_failing_manifest_breaks_exactly_its_rule_and_its_fixed_twin_does_not() {
    let fixed = hardened();
    assert!(standing(&fixed).is_empty(), "{:?}", standing(&fixed));
    let under_floors = standing_in(&floor_findings(&fixed));
    assert!(under_floors.is_empty(), "{under_floors:?}");
    let mut wrong = Vec::new();
    for (i, (id, breaks)) in CASES.iter().enumerate() {
        let mut failing = fixed.clone();
        breaks(&mut failing);
        let broken = standing(&failing);
        let expected: BTreeSet<&str> = id.split('+').collect();
        if id.starts_with("KW-FLOOR") {
            // a floor breach may break a rule of its own too (one replica, KW-AVAIL-009):
            // exactly its floor breaks, and only under the floors
            let floors: BTreeSet<&str> = standing_in(&floor_findings(&failing))
                .into_iter()
                .filter(|f| f.starts_with("KW-FLOOR"))
                .collect();
            if floors != expected || broken.contains(id) {
                wrong.push(format!(
                    "case {i} of {id} breaks the floors {floors:?}, and without floors {broken:?}"
                ));
            }
        } else if broken != expected {
            wrong.push(format!("case {i} of {id} breaks {broken:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "each failing manifest must break exactly its rule:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn each_broken_control_plane_object_breaks_its_rule_beside_the_hardened_bundle() {
    for (id, broken) in common::control_plane::BROKEN {
        let mut bundle = hardened();
        bundle.push(broken());
        // a static Pod of the control plane breaks workload rules of its own (its containers
        // are not the hardened bundle's): of the control-plane rules, exactly its own breaks
        let found: BTreeSet<&str> = standing(&bundle)
            .into_iter()
            .filter(|f| f.starts_with("KW-CP"))
            .collect();
        assert!(
            found == BTreeSet::from([*id]),
            "{id}: the broken object must break exactly its control-plane rule, found {found:?}"
        );
    }
}

#[test]
fn the_second_forms_each_rule_accepts_break_nothing() {
    let mut wrong = Vec::new();
    for (i, (id, change)) in PASSES.iter().enumerate() {
        let mut bundle = hardened();
        change(&mut bundle);
        let broken = standing(&bundle);
        if !broken.is_empty() {
            wrong.push(format!("pass {i} for {id} breaks {broken:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_rule_has_a_failing_case() {
    let tested: BTreeSet<&str> = CASES
        .iter()
        .flat_map(|(ids, _)| ids.split('+'))
        .chain(common::control_plane::BROKEN.iter().map(|(id, _)| *id))
        .collect();
    let untested: Vec<&str> = check::all_rules()
        .map(|r| r.id)
        .filter(|id| !tested.contains(id))
        .collect();
    assert!(untested.is_empty(), "rules without a case: {untested:?}");
}

#[test]
fn rule_ids_are_unique_stable_shaped_and_documented() {
    let mut seen = BTreeSet::new();
    for rule in check::all_rules() {
        assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
        let (prefix, number) = rule.id.rsplit_once('-').unwrap();
        assert!(check::PREFIXES.contains(&prefix), "{}", rule.id);
        assert!(
            number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()),
            "{}",
            rule.id
        );
        assert!(
            !rule.title.is_empty() && rule.explanation.len() > 80,
            "{}",
            rule.id
        );
    }
}

#[test]
fn rules_apply_to_every_pod_bearing_kind() {
    let template = |b: &mut Vec<Value>| find(b, "Deployment")["spec"]["template"].clone();
    for kind in [
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "Job",
        "CronJob",
        "DeploymentConfig",
    ] {
        let mut bundle = hardened();
        let mut t = template(&mut bundle);
        t["spec"]["hostPID"] = json!(true);
        let api = match kind {
            "Pod" => "v1",
            "Job" | "CronJob" => "batch/v1",
            "DeploymentConfig" => "apps.openshift.io/v1",
            _ => "apps/v1",
        };
        let mut object = json!({"apiVersion": api, "kind": kind, "metadata": {"name": "x", "namespace": "shop"}});
        match kind {
            "Pod" => {
                object["metadata"]["labels"] = t["metadata"]["labels"].clone();
                object["spec"] = t["spec"].clone();
            }
            "CronJob" => {
                object["spec"] =
                    json!({"schedule": "@daily", "jobTemplate": {"spec": {"template": t}}})
            }
            _ => object["spec"] = json!({"template": t}),
        }
        bundle.push(object);
        let hits: Vec<String> = findings(&bundle)
            .iter()
            .filter(|f| f.rule.id == "KW-SEC-011")
            .map(|f| f.path.clone())
            .collect();
        assert_eq!(hits.len(), 1, "{kind}: {hits:?}");
    }
}

#[test]
fn unknown_kinds_are_skipped() {
    let mut bundle = hardened();
    bundle.push(json!({"apiVersion": "example.com/v1", "kind": "Deployment",
        "metadata": {"name": "x"}, "spec": {"template": {"spec": {"hostPID": true}}}}));
    assert!(standing(&bundle).is_empty());
}

fn suppressed_by(bundle: &[Value], id: &str) -> Option<(String, String)> {
    findings(bundle)
        .into_iter()
        .find(|f| f.rule.id == id)
        .map(|f| f.suppressed.expect("the finding is suppressed"))
        .map(|s| (s.annotation, s.reason))
}

#[test]
fn the_scanners_own_annotations_suppress_their_equivalent_rules_with_the_reason() {
    let cases: &[(&str, &str, &str, Break)] = &[
        (
            "KW-SEC-018",
            "checkov.io/skip1",
            "CKV_K8S_43=tag only on purpose",
            |b| app(b)["image"] = json!("ghcr.io/acme/api:1.0"),
        ),
        (
            "KW-AVAIL-001",
            "kube-score/ignore",
            "pod-probes, container-resources",
            |b| remove(&mut init(b)["resources"]["requests"], "cpu"),
        ),
        (
            // kube-score's ignore of container-resources implies its ephemeral-storage check
            "KW-AVAIL-005",
            "kube-score/ignore",
            "container-resources",
            |b| remove(&mut app(b)["resources"]["limits"], "ephemeral-storage"),
        ),
        (
            "KW-SEC-007",
            "ignore-check.kube-linter.io/no-read-only-root-fs",
            "writes its cache",
            |b| app(b)["securityContext"]["readOnlyRootFilesystem"] = json!(false),
        ),
        (
            "KW-SEC-019",
            "polaris.fairwinds.com/pullPolicyNotAlways-exempt",
            "true",
            |b| app(b)["imagePullPolicy"] = json!("IfNotPresent"),
        ),
        (
            "KW-AVAIL-009",
            "kubeward.dev/ignore",
            "KW-AVAIL-009=one consumer by design",
            |b| find(b, "Deployment")["spec"]["replicas"] = json!(1),
        ),
    ];
    for (id, key, value, breaks) in cases {
        let mut bundle = hardened();
        breaks(&mut bundle);
        find(&mut bundle, "Deployment")["metadata"]["annotations"] = json!({ *key: value });
        let (annotation, reason) = suppressed_by(&bundle, id).unwrap();
        assert_eq!(annotation, *key);
        assert!(!reason.is_empty());
        if *key == "checkov.io/skip1"
            || key.starts_with("kubeward")
            || key.starts_with("ignore-check")
        {
            assert!(value.ends_with(&reason), "{reason}");
        }
        assert!(
            standing(&bundle).is_empty(),
            "{id}: {:?}",
            standing(&bundle)
        );
    }
}

#[test]
fn a_scanner_check_that_judges_less_than_the_rule_silences_nothing() {
    let cases: &[(&str, &str, &str, Break)] = &[
        (
            "KW-SEC-014",
            "checkov.io/skip1",
            "CKV_K8S_27=no docker socket here",
            |b| pod(b)["volumes"][1] = json!({"name": "etc", "hostPath": {"path": "/etc"}}),
        ),
        (
            "KW-SEC-006",
            "checkov.io/skip2",
            "CKV_K8S_39=no SYS_ADMIN",
            |b| app(b)["securityContext"]["capabilities"]["add"] = json!(["NET_ADMIN"]),
        ),
        (
            "KW-SEC-001",
            "polaris.fairwinds.com/runAsRootAllowed-exempt",
            "true",
            |b| remove(&mut pod(b)["securityContext"], "runAsNonRoot"),
        ),
        (
            "KW-AVAIL-008",
            "kube-score/ignore",
            "pod-probes-identical",
            |b| app(b)["livenessProbe"] = app(b)["readinessProbe"].clone(),
        ),
        (
            "KW-AVAIL-009",
            "polaris.fairwinds.com/deploymentMissingReplicas-exempt",
            "true",
            |b| find(b, "Deployment")["spec"]["replicas"] = json!(1),
        ),
    ];
    for (id, key, value, breaks) in cases {
        let mut bundle = hardened();
        breaks(&mut bundle);
        find(&mut bundle, "Deployment")["metadata"]["annotations"] = json!({ *key: value });
        assert!(
            standing(&bundle).contains(id),
            "{key}: {value} silenced {id}"
        );
    }
    // a workload in kube-system, with checkov's skip of the default-namespace check
    let mut bundle = hardened();
    let mut map = config_map(Some("kube-system"));
    map["metadata"]["annotations"] = json!({"checkov.io/skip1": "CKV_K8S_21=not default"});
    bundle.push(map);
    assert!(standing(&bundle).contains("KW-META-001"));
}

#[test]
fn a_scanner_annotation_for_another_check_suppresses_nothing() {
    let mut bundle = hardened();
    app(&mut bundle)["image"] = json!("ghcr.io/acme/api:1.0");
    find(&mut bundle, "Deployment")["metadata"]["annotations"] =
        json!({"checkov.io/skip1": "CKV_K8S_22=unrelated"});
    assert!(standing(&bundle).contains("KW-SEC-018"));
}

#[test]
fn pod_template_annotations_suppress_too() {
    let mut bundle = hardened();
    app(&mut bundle)["image"] = json!("ghcr.io/acme/api:1.0");
    find(&mut bundle, "Deployment")["spec"]["template"]["metadata"]["annotations"] =
        json!({"kubeward.dev/ignore": "KW-SEC-018=pinned by the admission controller"});
    assert!(standing(&bundle).is_empty());
}

#[test]
fn a_kubeward_suppression_without_a_reason_suppresses_nothing_and_is_a_finding() {
    let mut bundle = hardened();
    find(&mut bundle, "Deployment")["spec"]["replicas"] = json!(1);
    find(&mut bundle, "Deployment")["metadata"]["annotations"] =
        json!({"kubeward.dev/ignore": "KW-AVAIL-009=  "});
    let ids = standing(&bundle);
    assert!(
        ids.contains("KW-AVAIL-009") && ids.contains("KW-META-003"),
        "{ids:?}"
    );
}

#[test]
fn several_kubeward_suppressions_go_one_per_line() {
    let mut bundle = hardened();
    find(&mut bundle, "Deployment")["spec"]["replicas"] = json!(1);
    app(&mut bundle)["imagePullPolicy"] = json!("IfNotPresent");
    find(&mut bundle, "Deployment")["metadata"]["annotations"] = json!({
        "kubeward.dev/ignore": "KW-AVAIL-009=a singleton\nKW-SEC-019=the digest pins it"});
    assert!(standing(&bundle).is_empty(), "{:?}", standing(&bundle));
}

#[test]
fn pods_that_run_to_completion_need_no_probes() {
    let mut bundle = hardened();
    let template = find(&mut bundle, "Deployment")["spec"]["template"].clone();
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "once", "namespace": "shop", "labels": template["metadata"]["labels"]},
        "spec": template["spec"]});
    remove(&mut pod["spec"]["containers"][0], "readinessProbe");
    bundle.push(pod.clone());
    assert!(standing(&bundle).contains("KW-AVAIL-006"));
    bundle.pop();
    pod["spec"]["restartPolicy"] = json!("Never");
    bundle.push(pod);
    assert!(standing(&bundle).is_empty(), "{:?}", standing(&bundle));
}

/// The check ids of the scanners without a copy here (checkov's come from its installed
/// package, in tests/check_scanners.rs; Pod Security's from tests/pod_security.rs): the
/// released kube-linter's `docs/generated/checks.md`, kube-score's `README_CHECKS.md` with
/// its split security checks, and Polaris's `checks/` folder.
const KUBE_LINTER: &[&str] = &[
    "access-to-create-pods",
    "access-to-secrets",
    "cluster-admin-role-binding",
    "dangling-horizontalpodautoscaler",
    "dangling-ingress",
    "dangling-networkpolicy",
    "dangling-networkpolicypeer-podselector",
    "dangling-service",
    "dangling-servicemonitor",
    "default-service-account",
    "deprecated-service-account-field",
    "dnsconfig-options",
    "docker-sock",
    "drop-net-raw-capability",
    "duplicate-env-var",
    "env-var-secret",
    "exposed-services",
    "host-ipc",
    "host-network",
    "host-pid",
    "hpa-minimum-three-replicas",
    "invalid-target-ports",
    "latest-tag",
    "liveness-port",
    "minimum-three-replicas",
    "mismatching-selector",
    "no-anti-affinity",
    "no-extensions-v1beta",
    "no-liveness-probe",
    "no-node-affinity",
    "no-read-only-root-fs",
    "no-readiness-probe",
    "no-rolling-update-strategy",
    "non-existent-service-account",
    "non-isolated-pod",
    "pdb-max-unavailable",
    "pdb-min-available",
    "pdb-unhealthy-pod-eviction-policy",
    "privilege-escalation-container",
    "privileged-container",
    "privileged-ports",
    "read-secret-from-env-var",
    "readiness-port",
    "required-annotation-email",
    "required-label-owner",
    "run-as-non-root",
    "scc-deny-privileged-container",
    "sensitive-host-mounts",
    "ssh-port",
    "startup-port",
    "unsafe-proc-mount",
    "unsafe-sysctls",
    "unset-cpu-requirements",
    "unset-memory-requirements",
    "use-namespace",
    "wildcard-in-rules",
    "writable-host-mount",
];
const KUBE_SCORE: &[&str] = &[
    "ingress-targets-service",
    "cronjob-has-deadline",
    "container-resources",
    "container-resource-requests-equal-limits",
    "container-cpu-requests-equal-limits",
    "container-memory-requests-equal-limits",
    "container-image-tag",
    "container-image-pull-policy",
    "container-ephemeral-storage-request-and-limit",
    "statefulset-has-poddisruptionbudget",
    "deployment-has-poddisruptionbudget",
    "poddisruptionbudget-has-policy",
    "pod-networkpolicy",
    "networkpolicy-targets-pod",
    "pod-probes",
    "pod-probes-identical",
    "container-security-context-user-group-id",
    "container-security-context-privileged",
    "container-security-context-readonlyrootfilesystem",
    "container-seccomp-profile",
    "service-targets-pod",
    "service-type",
    "stable-version",
    "deployment-has-host-podantiaffinity",
    "statefulset-has-host-podantiaffinity",
    "deployment-targeted-by-hpa-does-not-have-replicas-configured",
    "deployment-replicas",
    "label-values",
    "horizontalpodautoscaler-has-target",
    "pod-topology-spread-constraints",
];
const POLARIS: &[&str] = &[
    "automountServiceAccountToken",
    "clusterrolePodExecAttach",
    "clusterrolebindingClusterAdmin",
    "clusterrolebindingPodExecAttach",
    "cpuLimitsMissing",
    "cpuRequestsMissing",
    "dangerousCapabilities",
    "deploymentMissingReplicas",
    "hostIPCSet",
    "hostNetworkSet",
    "hostPIDSet",
    "hostPortSet",
    "insecureCapabilities",
    "livenessProbeMissing",
    "memoryLimitsMissing",
    "memoryRequestsMissing",
    "missingPodDisruptionBudget",
    "notReadOnlyRootFilesystem",
    "pdbDisruptionsIsZero",
    "priorityClassNotSet",
    "privilegeEscalationAllowed",
    "pullPolicyNotAlways",
    "readinessProbeMissing",
    "rolePodExecAttach",
    "rolebindingClusterAdminClusterRole",
    "rolebindingClusterAdminRole",
    "rolebindingClusterRolePodExecAttach",
    "rolebindingRolePodExecAttach",
    "runAsPrivileged",
    "runAsRootAllowed",
    "sensitiveContainerEnvVar",
    "tagNotSpecified",
    "tlsSettingsMissing",
    "topologySpreadConstraint",
    // a Gateway API check of Polaris's Go validator (pkg/validator, registered as a custom
    // check and listed in docs/checks/security.md; cluster audits only), not of checks/
    "httpRouteInsecureListener",
];

#[test]
fn every_kube_linter_kube_score_and_polaris_check_a_rule_names_exists() {
    use kubeward::check::Scanner;
    let mut unknown = Vec::new();
    for rule in check::all_rules() {
        for (scanner, known) in [
            (Scanner::KubeLinter, KUBE_LINTER),
            (Scanner::KubeScore, KUBE_SCORE),
            (Scanner::Polaris, POLARIS),
        ] {
            let named = rule.scanners.same(scanner).iter().copied().chain(
                rule.scanners
                    .related
                    .iter()
                    .filter(|r| r.scanner == scanner)
                    .map(|r| r.check),
            );
            unknown.extend(
                named
                    .filter(|id| !known.contains(id))
                    .map(|id| format!("{} names {} `{id}`", rule.id, scanner.name())),
            );
        }
    }
    assert!(unknown.is_empty(), "{unknown:#?}");
}
