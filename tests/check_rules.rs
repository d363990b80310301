//! Every rule of `kubeward check`, table-driven: a hardened bundle that breaks no rule, and
//! for each rule a change to it that breaks exactly that property (the failing manifest,
//! whose fixed twin is the bundle itself). Then the suppression annotations.

mod common;

use std::collections::BTreeSet;

use common::spec::IMAGE;
use kubeward::check::load::object_from;
use kubeward::check::object::{Object, Origin};
use kubeward::check::{self, Finding};
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

/// The ids of the findings that no annotation suppresses.
fn standing(values: &[Value]) -> BTreeSet<&'static str> {
    findings(values)
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

/// For each rule, changes to the hardened bundle that each break it.
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
    ("KW-SEC-003", |b| remove(init(b), "securityContext")),
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
    ("KW-SEC-017", |b| app(b)["image"] = json!("nginx")),
    ("KW-SEC-017", |b| {
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
    ("KW-NET-001", |b| {
        drop_kind(b, "NetworkPolicy", "default-deny");
        drop_kind(b, "NetworkPolicy", "api");
    }),
    ("KW-NET-001", |b| {
        drop_kind(b, "NetworkPolicy", "default-deny");
        find(b, "NetworkPolicy")["spec"]["policyTypes"] = json!(["Ingress"]);
    }),
    ("KW-NET-002", |b| {
        find(b, "NetworkPolicy")["spec"]["podSelector"] = json!({"matchLabels": {"app": "gone"}})
    }),
    ("KW-NET-002", |b| {
        let policy = b
            .iter_mut()
            .find(|v| v["metadata"]["name"] == "api" && v["kind"] == "NetworkPolicy")
            .unwrap();
        policy["spec"]["podSelector"] =
            json!({"matchLabels": {"app.kubernetes.io/name": "old-name"}});
    }),
    ("KW-NET-003", |b| {
        drop_kind(b, "NetworkPolicy", "default-deny")
    }),
    ("KW-NET-003", |b| {
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
    (
        "KW-NET-008",
        |b| {
            find(b, "Ingress")["metadata"]["annotations"] =
                json!({"nginx.ingress.kubernetes.io/configuration-snippet": "more_set_headers x;"})
        },
    ),
    ("KW-NET-009", |b| {
        let policy = b
            .iter_mut()
            .find(|v| v["metadata"]["name"] == "api" && v["kind"] == "NetworkPolicy")
            .unwrap();
        policy["spec"]["egress"][0]["to"] = json!([]);
    }),
    ("KW-NET-009", |b| {
        let policy = b
            .iter_mut()
            .find(|v| v["metadata"]["name"] == "api" && v["kind"] == "NetworkPolicy")
            .unwrap();
        policy["spec"]["egress"][0]["ports"] = json!([{"protocol": "UDP", "port": 53}]);
    }),
    ("KW-NET-009", |b| {
        let policy = b
            .iter_mut()
            .find(|v| v["metadata"]["name"] == "api" && v["kind"] == "NetworkPolicy")
            .unwrap();
        policy["spec"]["egress"][0]["to"] = json!([{"ipBlock": {"cidr": "0.0.0.0/0"}}]);
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
        find(b, "PodDisruptionBudget")["spec"]["selector"] = json!({"matchLabels": {"app": "x"}})
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
    ("KW-META-001", |b| {
        remove(&mut find(b, "Service")["metadata"], "namespace")
    }),
    ("KW-META-001", |b| {
        find(b, "ServiceAccount")["metadata"]["namespace"] = json!("default")
    }),
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
        // A TLS Secret whose certificate expired yesterday: reported even by the self-check.
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
            "metadata": {"name": "api-tls", "namespace": "shop"},
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
        let mut hpa = autoscaler(2);
        hpa["spec"]["scaleTargetRef"]["apiVersion"] = json!("extensions/v1beta1");
        b.push(hpa);
    }),
    ("KW-LOAD-003", |b| {
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
    ("KW-LOAD-006", |b| {
        let redirect = b
            .iter_mut()
            .find(|v| v["metadata"]["name"] == "api-https-redirect")
            .unwrap();
        redirect["spec"]["rules"][0]["backendRefs"] = json!([{"name": "api", "port": 80}]);
    }),
    ("KW-META-003", |b| {
        find(b, "Service")["metadata"]["annotations"] = json!({"kubeward.dev/ignore": "KW-NET-005"})
    }),
    ("KW-META-003", |b| {
        find(b, "Service")["metadata"]["annotations"] =
            json!({"kubeward.dev/ignore": "KW-NOPE-001=why"})
    }),
];

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
fn each_failing_manifest_breaks_its_rule_and_its_fixed_twin_does_not() {
    for (i, (id, breaks)) in CASES.iter().enumerate() {
        let fixed = hardened();
        let mut failing = fixed.clone();
        breaks(&mut failing);
        assert!(
            standing(&failing).contains(id),
            "case {i}: {id} does not fire on its failing manifest; found {:?}",
            standing(&failing)
        );
        assert!(
            !standing(&fixed).contains(id),
            "case {i}: {id} fires on its fixed twin"
        );
    }
}

#[test]
fn each_broken_control_plane_object_breaks_its_rule_beside_the_hardened_bundle() {
    for (id, broken) in common::control_plane::BROKEN {
        let mut bundle = hardened();
        bundle.push(broken());
        assert!(
            standing(&bundle).contains(id),
            "{id}: found {:?}",
            standing(&bundle)
        );
        assert!(
            !standing(&hardened()).contains(id),
            "{id} fires on the hardened bundle"
        );
    }
}

#[test]
fn every_rule_has_a_failing_case() {
    let tested: BTreeSet<&str> = CASES
        .iter()
        .map(|(id, _)| *id)
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
    ] {
        let mut bundle = hardened();
        let mut t = template(&mut bundle);
        t["spec"]["hostPID"] = json!(true);
        let api = match kind {
            "Pod" => "v1",
            "Job" | "CronJob" => "batch/v1",
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
            "KW-AVAIL-008",
            "kube-score/ignore",
            "container-resources, pod-probes-identical",
            |b| app(b)["livenessProbe"] = app(b)["readinessProbe"].clone(),
        ),
        (
            "KW-SEC-007",
            "ignore-check.kube-linter.io/no-read-only-root-fs",
            "writes its cache",
            |b| app(b)["securityContext"]["readOnlyRootFilesystem"] = json!(false),
        ),
        (
            "KW-AVAIL-009",
            "polaris.fairwinds.com/deploymentMissingReplicas-exempt",
            "true",
            |b| find(b, "Deployment")["spec"]["replicas"] = json!(1),
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
