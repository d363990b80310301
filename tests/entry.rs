//! The public entry and load, end to end through the binary: every custom resource of the
//! entry validated against its upstream CRD (structural schema, strict, and the CEL rules that
//! concern what kubeward writes), the autoscaler as kube-score and Polaris expect it, the
//! Gateway's trust in the service's certificate verified with openssl, and every limit an
//! entry cannot enforce refused with the field named.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::bundle::{find, parse_stream};
use common::crds::crd_errors;
use common::run::{Run, run_in};
use common::spec::api_spec;
use common::tls::{self, Check};
use serde_json::Value;

/// A folder with the spec `api_spec(body)` and, when given, a preset file `org.yaml`.
struct Project(tempfile::TempDir);

impl Project {
    fn new(body: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        common::write(&dir.path().join("kubeward.yaml"), api_spec(body));
        Project(dir)
    }

    fn with_preset(self, preset: &str) -> Self {
        common::write(&self.0.path().join("org.yaml"), preset);
        self
    }

    fn render(&self) -> Run {
        run_in(self.0.path(), ["render", "-f", "kubeward.yaml"])
    }

    fn objects(&self) -> Vec<Value> {
        let run = self.render();
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        parse_stream(&run.stdout)
    }

    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.0.path().join(relative)
    }
}

/// A preset of Envoy-Gateway-less Gateways: Gateway API's own fields only.
const OTHER_IMPLEMENTATION: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: org}\nextends: restricted\nspec:\n  ingress:\n    gateway:\n      implementation: other\n      controller: {namespace: gateways, podLabels: {app.kubernetes.io/name: gateway}}\n    rateLimit: null\n    maxBodySize: null\n";

/// Public services of every shape the entry has, with the limits each can enforce.
fn shapes() -> Vec<(&'static str, Project)> {
    vec![
        (
            "http on Envoy Gateway, every limit",
            Project::new(
                "  protocol: http\n  exposure: public\n  ingress:\n    host: shop.example.com\n    rateLimit: {requestsPerSecond: 20, burst: 40, connections: 100}\n    maxBodySize: 1Mi\n    timeouts: {request: 30s, backendRequest: 10s}\n    sourceRanges: [203.0.113.0/24, 2001:db8::/32]\n  autoscaling: {minReplicas: 2, maxReplicas: 6}\n",
            ),
        ),
        (
            "https with its own issuer for the host",
            Project::new(
                "  protocol: https\n  exposure: public\n  sensitivity: confidential\n  ingress:\n    host: shop.example.com\n    issuer: {name: letsencrypt}\n",
            ),
        ),
        (
            "https with a cert-manager certificate",
            Project::new(
                "  protocol: https\n  exposure: public\n  ingress: {host: shop.example.com}\n  tls: {mode: cert-manager, issuer: {name: internal-ca}}\n",
            ),
        ),
        (
            "gRPC over TLS, a request timeout",
            Project::new(
                "  protocol: grpc\n  probes: {port: 8081}\n  exposure: public\n  ingress:\n    host: grpc.example.com\n    timeouts: {request: 5m}\n",
            ),
        ),
        (
            "another implementation",
            Project::new(
                "  preset: ./org.yaml\n  protocol: http\n  exposure: public\n  ingress: {host: shop.example.com}\n",
            )
            .with_preset(OTHER_IMPLEMENTATION),
        ),
    ]
}

/// The CEL rules of the CRDs that concern the fields kubeward writes, checked on `object`.
fn cel_problems(object: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let seconds = |d: &str| -> u64 {
        let mut total = 0;
        let mut number = 0;
        let mut chars = d.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(digit) = c.to_digit(10) {
                number = number * 10 + u64::from(digit);
                continue;
            }
            let unit = match (c, chars.peek()) {
                ('m', Some('s')) => {
                    chars.next();
                    1
                }
                ('h', _) => 3_600_000,
                ('m', _) => 60_000,
                _ => 1000,
            };
            total += number * unit;
            number = 0;
        }
        total
    };
    let kind = object["kind"].as_str().unwrap_or_default();
    let spec = &object["spec"];
    match kind {
        "HTTPRoute" => {
            for rule in spec["rules"].as_array().into_iter().flatten() {
                let redirects = rule["filters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|f| f.get("requestRedirect").is_some());
                if redirects
                    && rule["backendRefs"]
                        .as_array()
                        .is_some_and(|b| !b.is_empty())
                {
                    out.push(
                        "RequestRedirect filter must not be used together with backendRefs".into(),
                    );
                }
                let timeouts = &rule["timeouts"];
                if let (Some(request), Some(backend)) = (
                    timeouts["request"].as_str(),
                    timeouts["backendRequest"].as_str(),
                ) && seconds(backend) > seconds(request)
                {
                    out.push("backendRequest timeout cannot be longer than request timeout".into());
                }
            }
        }
        "BackendTLSPolicy" => {
            let validation = &spec["validation"];
            let refs = validation["caCertificateRefs"]
                .as_array()
                .is_some_and(|r| !r.is_empty());
            if refs == validation["wellKnownCACertificates"].is_string() {
                out.push("must specify either CACertificateRefs or WellKnownCACertificates".into());
            }
        }
        "BackendTrafficPolicy" | "SecurityPolicy" => {
            let allowed: &[&str] = &["Gateway", "HTTPRoute", "GRPCRoute"];
            for target in spec["targetRefs"].as_array().into_iter().flatten() {
                if target["group"] != "gateway.networking.k8s.io"
                    || !allowed.contains(&target["kind"].as_str().unwrap_or_default())
                {
                    out.push(format!("targetRefs may not name {target}"));
                }
            }
            if spec["requestBuffer"].is_object() && spec["httpUpgrade"].is_array() {
                out.push("requestBuffer cannot be used together with httpUpgrade".into());
            }
            for rule in spec["rateLimit"]["local"]["rules"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if rule["cost"]["response"].is_object() || rule["limit"]["fromMetadata"].is_object()
                {
                    out.push(
                        "response cost and fromMetadata are not supported for local rate limits"
                            .into(),
                    );
                }
                for selector in rule["clientSelectors"].as_array().into_iter().flatten() {
                    let any = ["headers", "methods", "path", "sourceCIDR", "queryParams"]
                        .iter()
                        .any(|k| selector.get(*k).is_some());
                    if !any {
                        out.push("a client selector must match something".into());
                    }
                }
            }
            // Envoy refuses two local rate limit descriptors with the same entries.
            let descriptors: Vec<String> = spec["rateLimit"]["local"]["rules"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| r["clientSelectors"].to_string())
                .collect();
            let unique: std::collections::BTreeSet<&String> = descriptors.iter().collect();
            if unique.len() != descriptors.len() {
                out.push("two local rate limit rules select the same clients".into());
            }
        }
        _ => {}
    }
    out
}

#[test]
fn every_custom_resource_of_the_entry_matches_its_upstream_crd() {
    let mut checked = std::collections::BTreeSet::new();
    for (shape, project) in shapes() {
        for object in project.objects() {
            let api = object["apiVersion"].as_str().unwrap_or_default();
            if !(api.starts_with("gateway.networking.k8s.io/")
                || api.starts_with("gateway.envoyproxy.io/"))
            {
                continue;
            }
            let mut problems = crd_errors(&object);
            problems.extend(cel_problems(&object));
            assert!(problems.is_empty(), "{shape}: {problems:#?}\n{object:#}");
            checked.insert(object["kind"].as_str().unwrap().to_string());
        }
    }
    let kinds: Vec<&str> = checked.iter().map(String::as_str).collect();
    assert_eq!(
        kinds,
        [
            "BackendTLSPolicy",
            "BackendTrafficPolicy",
            "GRPCRoute",
            "HTTPRoute",
            "ReferenceGrant",
            "SecurityPolicy"
        ],
        "every kind of the entry was rendered and checked"
    );
}

#[test]
fn a_misspelt_field_fails_the_crd_check() {
    let objects = shapes().remove(0).1.objects();
    let mut policy = find(&objects, "BackendTrafficPolicy", "api").clone();
    policy["spec"]["circuitBreaker"]["maxConnection"] = 5.into();
    assert!(!crd_errors(&policy).is_empty());
    let mut route = find(&objects, "HTTPRoute", "api").clone();
    route["spec"]["rules"][0]["timeouts"]["request"] = "30 seconds".into();
    assert!(!crd_errors(&route).is_empty());
    route["spec"]["rules"][0]["timeouts"] =
        serde_json::json!({"request": "10s", "backendRequest": "20s"});
    assert!(!cel_problems(&route).is_empty());
}

#[test]
fn each_limit_is_rendered_as_the_entry_enforces_it() {
    let objects = shapes().remove(0).1.objects();
    let route = find(&objects, "HTTPRoute", "api");
    assert_eq!(route["spec"]["parentRefs"][0]["sectionName"], "https");
    assert_eq!(
        route["spec"]["rules"][0]["timeouts"],
        serde_json::json!({"request": "30s", "backendRequest": "10s"})
    );
    let policy = &find(&objects, "BackendTrafficPolicy", "api")["spec"];
    assert_eq!(policy["targetRefs"][0]["name"], "api");
    let rules = policy["rateLimit"]["local"]["rules"].as_array().unwrap();
    let shape: Vec<(String, u64, String)> = rules
        .iter()
        .map(|r| {
            (
                r["clientSelectors"][0]["sourceCIDR"]["value"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["limit"]["requests"].as_u64().unwrap(),
                r["limit"]["unit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = |cidr: &str| {
        [
            (cidr.to_string(), 40, "Second".to_string()),
            (cidr.to_string(), 1200, "Minute".to_string()),
        ]
    };
    assert_eq!(shape, [expected("0.0.0.0/0"), expected("::/0")].concat());
    for rule in rules {
        assert_eq!(
            rule["clientSelectors"][0]["sourceCIDR"]["type"], "Distinct",
            "per client"
        );
    }
    assert_eq!(policy["circuitBreaker"]["maxConnections"], 100);
    assert_eq!(policy["circuitBreaker"]["maxParallelRequests"], 100);
    assert_eq!(policy["requestBuffer"]["limit"], "1Mi");
    let security = &find(&objects, "SecurityPolicy", "api")["spec"]["authorization"];
    assert_eq!(security["defaultAction"], "Deny");
    assert_eq!(
        security["rules"][0]["principal"]["clientCIDRs"],
        serde_json::json!(["203.0.113.0/24", "2001:db8::/32"])
    );
    let redirect = find(&objects, "HTTPRoute", "api-https-redirect");
    assert_eq!(redirect["spec"]["parentRefs"][0]["sectionName"], "http");
    assert!(redirect["spec"]["rules"][0].get("backendRefs").is_none());

    let grpc = shapes().remove(3).1.objects();
    let timeout = &find(&grpc, "BackendTrafficPolicy", "api")["spec"]["timeout"];
    assert_eq!(timeout["http"]["requestTimeout"], "5m");
    assert!(
        !grpc
            .iter()
            .any(|o| o["metadata"]["name"] == "api-https-redirect"),
        "gRPC clients follow no redirect"
    );
}

#[test]
fn the_autoscaler_is_as_kube_score_and_polaris_expect_it() {
    let objects = shapes().remove(0).1.objects();
    let hpa = find(&objects, "HorizontalPodAutoscaler", "api");
    let deployment = find(&objects, "Deployment", "api");
    assert_eq!(hpa["apiVersion"], "autoscaling/v2");
    // kube-score horizontalpodautoscaler-has-target: apiVersion, kind and name of an object
    // of the same namespace.
    let target = &hpa["spec"]["scaleTargetRef"];
    assert_eq!(target["apiVersion"], deployment["apiVersion"]);
    assert_eq!(target["kind"], deployment["kind"]);
    assert_eq!(target["name"], deployment["metadata"]["name"]);
    assert_eq!(
        hpa["metadata"]["namespace"],
        deployment["metadata"]["namespace"]
    );
    // kube-score deployment-targeted-by-hpa-does-not-have-replicas-configured.
    assert!(deployment["spec"].get("replicas").is_none());
    // Polaris hpaMinAvailability and hpaMaxAvailability.
    let (min, max) = (
        hpa["spec"]["minReplicas"].as_u64().unwrap(),
        hpa["spec"]["maxReplicas"].as_u64().unwrap(),
    );
    assert!(min >= 2 && max > min, "{min}..{max}");
    // Polaris deploymentMissingReplicas, exempted with kube-linter's reason beside it.
    let annotations = &deployment["metadata"]["annotations"];
    assert_eq!(
        annotations["polaris.fairwinds.com/deploymentMissingReplicas-exempt"],
        "true"
    );
    assert!(
        annotations["ignore-check.kube-linter.io/minimum-three-replicas"]
            .as_str()
            .unwrap()
            .contains("HorizontalPodAutoscaler owns the replica count")
    );
    // Scale down slowly, up at once; the budget always lets one pod go.
    let behavior = &hpa["spec"]["behavior"];
    assert!(
        behavior["scaleDown"]["stabilizationWindowSeconds"]
            .as_u64()
            .unwrap()
            >= 60
    );
    assert_eq!(behavior["scaleUp"]["stabilizationWindowSeconds"], 0);
    let budget = find(&objects, "PodDisruptionBudget", "api");
    assert_eq!(budget["spec"]["maxUnavailable"], 1);
    // The autoscaler measures CPU against the request every container has.
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert!(container["resources"]["requests"]["cpu"].is_string());
}

#[test]
fn the_gateway_trusts_the_services_certificate_and_nothing_else() {
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress: {host: shop.example.com}\n",
    );
    let objects = project.objects();
    let policy = find(&objects, "BackendTLSPolicy", "api");
    let hostname = policy["spec"]["validation"]["hostname"].as_str().unwrap();
    let reference = &policy["spec"]["validation"]["caCertificateRefs"][0];
    assert_eq!(reference["kind"], "ConfigMap");
    let config_map = find(&objects, "ConfigMap", reference["name"].as_str().unwrap());
    let ca = config_map["data"]["ca.crt"].as_str().unwrap();
    assert_eq!(
        ca.as_bytes(),
        std::fs::read(project.path(".kubeward/trust/ca.crt")).unwrap(),
        "the ConfigMap holds kubeward's root CA, the anchor the service's chain ends at"
    );
    let secret = find(&objects, "Secret", "api-tls");
    let leaf = STANDARD
        .decode(secret["data"]["tls.crt"].as_str().unwrap())
        .unwrap();
    // The Gateway is sent the chain the pods serve (tls.crt) and trusts only the ConfigMap.
    let chain = String::from_utf8(leaf).unwrap();
    let verify =
        |anchor: &str, host: &str| tls::openssl_verify(anchor, &chain, Check::Server(host));
    verify(ca, hostname).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        verify(ca, "other.shop.svc").is_err(),
        "the certificate is not for another name"
    );
    let other = Project::new("  protocol: https\n  tls: {mode: self-signed}\n");
    other.objects();
    let other_ca = common::read_path(&other.path(".kubeward/trust/ca.crt"));
    assert!(
        verify(&other_ca, hostname).is_err(),
        "another CA does not verify it"
    );
    assert!(
        objects.iter().all(|o| o["kind"] != "ReferenceGrant"),
        "no cross-namespace reference without an issuer for the host"
    );
}

#[test]
fn the_hosts_own_certificate_is_granted_to_the_gateway_alone() {
    let objects = shapes().remove(1).1.objects();
    let certificate = find(&objects, "Certificate", "api-ingress-tls");
    assert_eq!(
        certificate["spec"]["dnsNames"],
        serde_json::json!(["shop.example.com"])
    );
    let grant = find(&objects, "ReferenceGrant", "api-gateway-tls");
    assert_eq!(
        grant["spec"],
        serde_json::json!({
            "from": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "gateway-system"}],
            "to": [{"group": "", "kind": "Secret", "name": "api-ingress-tls"}]
        }),
        "one Secret, by name, for the Gateways of one namespace"
    );
}

#[test]
fn a_limit_the_entry_cannot_enforce_is_refused_naming_what_can() {
    for (body, field, names) in [
        (
            "  preset: ./org.yaml\n  exposure: public\n  ingress:\n    host: shop.example.com\n    rateLimit: {requestsPerSecond: 10}\n",
            "spec.ingress.rateLimit",
            "envoy-gateway",
        ),
        (
            "  preset: ./org.yaml\n  exposure: public\n  ingress:\n    host: shop.example.com\n    sourceRanges: [203.0.113.0/24]\n",
            "spec.ingress.sourceRanges",
            "envoy-gateway",
        ),
        (
            "  exposure: public\n  ingress:\n    host: shop.example.com\n    api: ingress\n    className: traefik\n    maxBodySize: 1Mi\n",
            "spec.ingress.maxBodySize",
            "api: gateway",
        ),
        (
            "  exposure: public\n  ingress:\n    host: shop.example.com\n    api: ingress\n    timeouts: {request: 30s}\n",
            "spec.ingress.timeouts.request",
            "api: gateway",
        ),
        (
            "  protocol: grpc\n  exposure: public\n  ingress:\n    host: shop.example.com\n    maxBodySize: 1Mi\n",
            "spec.ingress.maxBodySize",
            "grpc.MaxRecvMsgSize",
        ),
        (
            "  protocol: grpc\n  exposure: public\n  ingress:\n    host: shop.example.com\n    timeouts: {request: 30s, backendRequest: 10s}\n",
            "spec.ingress.timeouts.backendRequest",
            "timeouts.request is enforced",
        ),
        (
            "  exposure: public\n  ingress:\n    host: shop.example.com\n    api: ingress\n    rateLimit: {requestsPerSecond: 10, burst: 15}\n",
            "spec.ingress.rateLimit.burst",
            "whole multiple",
        ),
    ] {
        let project = Project::new(body).with_preset(OTHER_IMPLEMENTATION);
        let run = project.render();
        assert_eq!(run.code, Some(2), "{body}\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{field}: ")) && run.stderr.contains(names),
            "{body}\n{}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn the_entry_and_the_count_refuse_what_would_not_work() {
    for (body, message) in [
        (
            "  exposure: public\n  ingress: {host: shop.example.com, className: nginx}\n",
            "spec.ingress.className: the preset's public entry is Gateway API",
        ),
        (
            "  protocol: https\n  exposure: public\n  ingress: {host: shop.example.com, api: route, termination: edge}\n",
            "spec.ingress.termination: `edge` sends plain HTTP to the service",
        ),
        (
            "  protocol: tcp\n  exposure: public\n  ingress: {host: shop.example.com}\n",
            "spec.protocol: `tcp` cannot be routed through a Gateway",
        ),
        (
            "  replicas: 3\n  autoscaling: {minReplicas: 2}\n",
            "spec.replicas: a HorizontalPodAutoscaler owns the replica count",
        ),
        (
            "  autoscaling: {minReplicas: 1, maxReplicas: 4}\n",
            "spec.autoscaling.minReplicas: 1: an autoscaler keeps at least 2 pods",
        ),
        (
            "  autoscaling: {minReplicas: 12}\n",
            "spec.autoscaling.maxReplicas: 10 (the preset's) must be above minReplicas 12",
        ),
        (
            "  autoscaling: {enabled: false, maxReplicas: 4}\n",
            "spec.autoscaling.maxReplicas: is only used when autoscaling is enabled",
        ),
        (
            "  sensitivity: confidential\n  autoscaling: {minReplicas: 2, maxReplicas: 60}\n",
            "spec.autoscaling.maxReplicas: 60 pods, and one more during a rollout, exceed the namespace quota's 50 pods",
        ),
        (
            "  sensitivity: confidential\n  autoscaling: {minReplicas: 2, maxReplicas: 40}\n",
            "limits each exceed the namespace quota's limits.cpu 16",
        ),
        (
            "  sensitivity: confidential\n  resources: {limits: {cpu: '4'}}\n",
            "spec.resources.limits.cpu: 4 is above the namespace LimitRange's max 2 per container",
        ),
    ] {
        let run = Project::new(body).render();
        assert_eq!(run.code, Some(2), "{body}\n{}", run.stderr);
        assert!(run.stderr.contains(message), "{body}\n{}", run.stderr);
    }
}

#[test]
fn ingress_nginx_is_rendered_only_with_a_warning_and_its_departure_recorded() {
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress:\n    host: shop.example.com\n    api: ingress\n    rateLimit: {requestsPerSecond: 10, burst: 30, connections: 20}\n    sourceRanges: [203.0.113.0/24]\n",
    );
    let run = project.render();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.lines().any(
            |line| line.contains("ingress-nginx was retired in March 2026")
                && line.contains("CVE-2025-1974")
                && line.ends_with("[retired-ingress-controller]")
        ),
        "{}",
        run.stderr
    );
    let objects = parse_stream(&run.stdout);
    let annotations = &find(&objects, "Ingress", "api")["metadata"]["annotations"];
    let nginx = |key: &str| annotations[format!("nginx.ingress.kubernetes.io/{key}")].clone();
    assert_eq!(nginx("limit-rps"), "10");
    assert_eq!(nginx("limit-burst-multiplier"), "3");
    assert_eq!(nginx("limit-connections"), "20");
    assert_eq!(nginx("whitelist-source-range"), "203.0.113.0/24");
    assert_eq!(
        nginx("proxy-body-size"),
        "8388608",
        "the preset's 8Mi in bytes"
    );
    assert_eq!(nginx("proxy-ssl-verify"), "on");
    assert_eq!(nginx("proxy-ssl-secret"), "shop/api-tls");
    assert!(
        annotations["kubeward.dev/ignore"]
            .as_str()
            .unwrap()
            .starts_with("KW-LOAD-005=spec.ingress.api: ingress with class nginx was asked for")
    );
    let denied = run_in(
        project.0.path(),
        ["--deny-warnings", "render", "-f", "kubeward.yaml"],
    );
    assert_eq!(denied.code, Some(2), "{}", denied.stderr);
}

#[test]
fn the_public_path_is_admitted_from_the_controller_the_spec_names_and_from_no_other() {
    for (api, owner) in [
        ("api: ingress\n    className: traefik", false),
        ("api: gateway", true),
    ] {
        let project = Project::new(&format!(
            "  protocol: http\n  exposure: public\n  ingress:\n    host: shop.example.com\n    {api}\n    controller: {{namespace: traefik, app: traefik}}\n"
        ));
        let objects = project.objects();
        let policy = find(&objects, "NetworkPolicy", "api");
        let peers = &policy["spec"]["ingress"][0]["from"];
        assert_eq!(peers.as_array().map(Vec::len), Some(1), "{api}: {peers:#}");
        let peer = &peers[0];
        assert_eq!(
            peer["namespaceSelector"],
            serde_json::json!({"matchLabels": {"kubernetes.io/metadata.name": "traefik"}}),
            "{api}: {peer:#}"
        );
        let labels = peer["podSelector"]["matchLabels"]
            .as_object()
            .expect("pod labels");
        assert_eq!(
            labels["app.kubernetes.io/name"], "traefik",
            "{api}: {peer:#}"
        );
        // a Gateway's proxies are also told apart by the Gateway they serve
        let expected = if owner { 3 } else { 1 };
        assert_eq!(labels.len(), expected, "{api}: {peer:#}");
    }
}
