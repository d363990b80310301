//! End-to-end tests of the pods as a kubelet runs them: the folders a spec makes writable,
//! the drain delay before SIGTERM, the spread across zones, and the recommended labels that
//! never enter a selector. The refusals of bad values are in `tests/cli.rs` (bad input).

mod common;

use common::bundle::{find, parse_stream};
use common::run::{Run, run_in};
use common::spec::{IMAGE, api_spec};
use serde_json::{Value, json};
use tempfile::TempDir;

/// Renders `spec` (and the files beside it) to stdout; the run.
fn render(spec: &str, files: &[(&str, &str)]) -> Run {
    let dir = TempDir::new().unwrap();
    common::write(&dir.path().join("kubeward.yaml"), spec);
    for (name, text) in files {
        common::write(&dir.path().join(name), text);
    }
    run_in(dir.path(), ["render", "-f", "kubeward.yaml"])
}

/// The documents of a render of `spec` that must succeed.
#[track_caller]
fn bundle(spec: &str, files: &[(&str, &str)]) -> Vec<Value> {
    let run = render(spec, files);
    assert_eq!(run.code, Some(0), "render failed: {}", run.stderr);
    parse_stream(&run.stdout)
}

fn pod_spec(docs: &[Value]) -> &Value {
    &find(docs, "Deployment", "api")["spec"]["template"]["spec"]
}

fn container(docs: &[Value]) -> &Value {
    &pod_spec(docs)["containers"][0]
}

/// A preset file extending restricted with `settings` (indented by two spaces).
fn preset(settings: &str) -> String {
    format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: team\nextends: restricted\nspec:\n{settings}"
    )
}

#[test]
fn writable_paths_are_size_limited_empty_dirs_under_a_read_only_root() {
    let docs = bundle(
        &api_spec("  writablePaths: [/var/cache/nginx, /var/lib/app]\n"),
        &[],
    );
    let pod = pod_spec(&docs);
    let c = container(&docs);
    assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], json!(true));
    let mounts = c["volumeMounts"].as_array().unwrap();
    let volumes = pod["volumes"].as_array().unwrap();
    for path in ["/tmp", "/var/cache/nginx", "/var/lib/app"] {
        let mount = mounts
            .iter()
            .find(|m| m["mountPath"] == json!(path))
            .unwrap_or_else(|| panic!("{path} is not mounted: {mounts:?}"));
        assert_ne!(mount["readOnly"], json!(true), "{path} must be writable");
        let volume = volumes
            .iter()
            .find(|v| v["name"] == mount["name"])
            .unwrap_or_else(|| panic!("no volume {}", mount["name"]));
        assert_eq!(
            volume["emptyDir"]["sizeLimit"],
            json!("64Mi"),
            "{path}: {volume}"
        );
    }
    let names: Vec<&Value> = volumes.iter().map(|v| &v["name"]).collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "volume names repeat: {names:?}");
}

#[test]
fn the_size_of_writable_paths_comes_from_the_preset_and_must_fit_the_storage_limit() {
    let spec = |paths: &str, extra: &str| {
        api_spec(&format!(
            "  preset: ./team.yaml\n  writablePaths: [{paths}]\n{extra}"
        ))
    };
    let team = preset("  writablePathSizeLimit: 96Mi\n");
    let docs = bundle(&spec("/a", ""), &[("team.yaml", &team)]);
    let volumes = pod_spec(&docs)["volumes"].as_array().unwrap().clone();
    assert!(
        volumes
            .iter()
            .any(|v| v["emptyDir"]["sizeLimit"] == json!("96Mi")),
        "{volumes:?}"
    );
    // 64Mi of /tmp and two of 96Mi fit in 256Mi; three do not (352Mi), until the limit is raised.
    bundle(&spec("/a, /b", ""), &[("team.yaml", &team)]);
    let run = render(&spec("/a, /b, /c", ""), &[("team.yaml", &team)]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("spec.writablePaths:")
            && run.stderr.contains("352Mi in all")
            && run.stderr.contains("ephemeral-storage limit 256Mi"),
        "{}",
        run.stderr
    );
    bundle(
        &spec(
            "/a, /b, /c",
            "  resources:\n    limits: { ephemeralStorage: 352Mi }\n",
        ),
        &[("team.yaml", &team)],
    );
}

#[test]
fn a_terminating_pod_sleeps_before_sigterm_within_its_grace_period() {
    let docs = bundle(&api_spec(""), &[]);
    let sleep = &container(&docs)["lifecycle"]["preStop"]["sleep"]["seconds"];
    assert_eq!(sleep, &json!(10), "{}", container(&docs));
    let grace = pod_spec(&docs)["terminationGracePeriodSeconds"]
        .as_u64()
        .unwrap();
    assert!(grace > sleep.as_u64().unwrap(), "grace {grace}");
    // No exec hook: the image may have no sleep binary.
    assert!(
        container(&docs)["lifecycle"]["preStop"]
            .get("exec")
            .is_none()
    );
}

#[test]
fn the_drain_delay_follows_the_preset_and_its_target_kubernetes() {
    let spec = api_spec("  preset: ./team.yaml\n");
    let docs = bundle(
        &spec,
        &[(
            "team.yaml",
            &preset("  drainSeconds: 5\n  podSecurityVersion: v1.30\n"),
        )],
    );
    assert_eq!(
        container(&docs)["lifecycle"]["preStop"]["sleep"]["seconds"],
        json!(5)
    );
    // 1.29 runs no sleep action by default: no hook, and a warning that says why.
    let old = preset("  podSecurityVersion: v1.29\n");
    let run = render(&spec, &[("team.yaml", &old)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("[no-drain-delay]") && run.stderr.contains("1.30"),
        "{}",
        run.stderr
    );
    let docs = parse_stream(&run.stdout);
    assert!(container(&docs).get("lifecycle").is_none());
    // drainSeconds 0 turns it off without a word.
    let off = render(&spec, &[("team.yaml", &preset("  drainSeconds: 0\n"))]);
    assert_eq!(off.code, Some(0), "{}", off.stderr);
    assert!(!off.stderr.contains("no-drain-delay"), "{}", off.stderr);
    assert!(
        container(&parse_stream(&off.stdout))
            .get("lifecycle")
            .is_none()
    );
}

#[test]
fn a_grace_period_no_longer_than_the_drain_delay_is_refused_at_the_preset() {
    let run = render(
        &api_spec("  preset: ./team.yaml\n"),
        &[(
            "team.yaml",
            &preset("  drainSeconds: 30\n  terminationGracePeriodSeconds: 30\n"),
        )],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("spec.terminationGracePeriodSeconds")
            && run.stderr.contains("drainSeconds (30)"),
        "{}",
        run.stderr
    );
}

/// The topology spread constraints of the pods, by topology key: `whenUnsatisfiable`.
fn spread(docs: &[Value]) -> Vec<(String, String)> {
    pod_spec(docs)["topologySpreadConstraints"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            assert_eq!(
                c["labelSelector"]["matchLabels"],
                json!({"app.kubernetes.io/name": "api"})
            );
            assert_eq!(c["maxSkew"], json!(1));
            (
                c["topologyKey"].as_str().unwrap().to_string(),
                c["whenUnsatisfiable"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn replicas_spread_across_zones_beside_nodes_as_the_preset_says() {
    let pair = |key: &str, when: &str| (key.to_string(), when.to_string());
    let host = pair("kubernetes.io/hostname", "ScheduleAnyway");
    assert_eq!(
        spread(&bundle(&api_spec(""), &[])),
        [
            host.clone(),
            pair("topology.kubernetes.io/zone", "ScheduleAnyway")
        ]
    );
    let with = |setting: &str| {
        let spec = api_spec("  preset: ./team.yaml\n");
        spread(&bundle(&spec, &[("team.yaml", &preset(setting))]))
    };
    assert_eq!(
        with("  zoneSpread: DoNotSchedule\n"),
        [
            host.clone(),
            pair("topology.kubernetes.io/zone", "DoNotSchedule")
        ]
    );
    assert_eq!(with("  zoneSpread: None\n"), [host]);
}

/// Every label selector of `doc`, wherever it is: `selector`, `podSelector`, `matchLabels`.
fn selectors(doc: &Value, out: &mut Vec<Value>) {
    match doc {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "selector" || key == "podSelector" || key == "matchLabels" {
                    out.push(value.clone());
                }
                selectors(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| selectors(v, out)),
        _ => {}
    }
}

const RECOMMENDED: [&str; 4] = [
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/component",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
];

#[test]
fn recommended_labels_mark_every_object_of_the_service_and_no_selector() {
    let spec = api_spec(concat!(
        "  partOf: shop\n  component: api\n  instance: shop-eu\n",
        "  exposure: cluster\n  callers:\n    - app: web\n      namespace: front\n",
        "  replicas: 2\n",
    ))
    .replace(IMAGE, "ghcr.io/acme/api:1.4.2");
    let docs = bundle(&spec, &[]);
    let expected = json!({
        "app.kubernetes.io/name": "api",
        "app.kubernetes.io/managed-by": "kubeward",
        "app.kubernetes.io/part-of": "shop",
        "app.kubernetes.io/component": "api",
        "app.kubernetes.io/instance": "shop-eu",
        "app.kubernetes.io/version": "1.4.2",
    });
    let mut checked = 0;
    for doc in &docs {
        let kind = doc["kind"].as_str().unwrap();
        if ["Namespace", "ResourceQuota", "LimitRange"].contains(&kind)
            || doc["metadata"]["name"] == json!("default-deny")
        {
            // Objects of the namespace, shared by its services: no service's labels.
            for key in RECOMMENDED {
                assert!(
                    doc["metadata"]["labels"].get(key).is_none(),
                    "{kind}: {key}"
                );
            }
            continue;
        }
        assert_eq!(doc["metadata"]["labels"], expected, "{kind}");
        checked += 1;
    }
    assert!(checked >= 5, "{checked} objects");
    let deployment = find(&docs, "Deployment", "api");
    assert_eq!(
        deployment["spec"]["template"]["metadata"]["labels"],
        expected
    );
    let mut found = Vec::new();
    docs.iter().for_each(|doc| selectors(doc, &mut found));
    assert!(found.len() >= 5, "{found:?}");
    for selector in found {
        for key in RECOMMENDED {
            assert!(
                !selector.to_string().contains(key),
                "{key} in a selector: {selector}"
            );
        }
    }
}

#[test]
fn the_version_label_is_the_tag_never_the_digest_and_follows_the_preset() {
    let version = |image: &str, extra: &str, files: &[(&str, &str)]| {
        let docs = bundle(&api_spec(extra).replace(IMAGE, image), files);
        find(&docs, "Deployment", "api")["metadata"]["labels"]
            .get("app.kubernetes.io/version")
            .cloned()
    };
    let digest = common::spec::DIGEST;
    assert_eq!(
        version(&format!("ghcr.io/acme/api:2.0.1@{digest}"), "", &[]),
        Some(json!("2.0.1"))
    );
    assert_eq!(
        version(&format!("ghcr.io/acme/api@{digest}"), "", &[]),
        None
    );
    // A tag that is no label value (64 characters) gets no label, rather than a refused one.
    let long = format!("ghcr.io/acme/api:{}@{digest}", "1".repeat(64));
    assert_eq!(version(&long, "", &[]), None);
    let off = preset("  recommendedLabels: { version: false }\n");
    assert_eq!(
        version(
            &format!("ghcr.io/acme/api:2.0.1@{digest}"),
            "  preset: ./team.yaml\n",
            &[("team.yaml", &off)]
        ),
        None
    );
}

#[test]
fn a_preset_gives_part_of_and_component_that_a_spec_overrides() {
    let team = preset("  recommendedLabels: { version: true, partOf: shop, component: backend }\n");
    let labels = |extra: &str| {
        let spec = api_spec(&format!("  preset: ./team.yaml\n{extra}"));
        find(&bundle(&spec, &[("team.yaml", &team)]), "Deployment", "api")["metadata"]["labels"]
            .clone()
    };
    let given = labels("");
    assert_eq!(given["app.kubernetes.io/part-of"], json!("shop"));
    assert_eq!(given["app.kubernetes.io/component"], json!("backend"));
    let over = labels("  component: api\n");
    assert_eq!(over["app.kubernetes.io/component"], json!("api"));
    assert_eq!(over["app.kubernetes.io/part-of"], json!("shop"));
}

/// The spec of the worker `api` in `shop` (no port), with `body` after the image.
fn worker_spec(body: &str) -> String {
    format!("{}  image: {IMAGE}\n{body}", common::spec::api_head!())
}

fn kinds(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_worker_gets_no_service_no_port_no_ingress_and_its_missing_probes_are_suppressed() {
    let docs = bundle(&worker_spec(""), &[]);
    assert!(
        !kinds(&docs).contains(&"Service".to_string()),
        "{:?}",
        kinds(&docs)
    );
    let c = container(&docs);
    assert!(c.get("ports").is_none(), "{c}");
    assert!(c.get("readinessProbe").is_none() && c.get("livenessProbe").is_none());
    // In no Service's endpoints: nothing to drain before SIGTERM.
    assert!(c.get("lifecycle").is_none(), "{c}");
    let policy = find(&docs, "NetworkPolicy", "api");
    assert_eq!(policy["spec"]["ingress"], json!([]));
    assert!(
        policy["spec"]["policyTypes"]
            .as_array()
            .unwrap()
            .contains(&json!("Ingress"))
    );
    let annotations = &find(&docs, "Deployment", "api")["metadata"]["annotations"];
    let reason = |key: &str| annotations[key].as_str().unwrap_or_default().to_string();
    for (key, check) in [
        ("kubeward.dev/ignore", "KW-AVAIL-006="),
        ("kubeward.dev/ignore", "KW-AVAIL-007="),
        ("checkov.io/skip1", "CKV_K8S_9="),
        ("checkov.io/skip2", "CKV_K8S_8="),
        ("ignore-check.kube-linter.io/no-readiness-probe", "a worker"),
        ("ignore-check.kube-linter.io/no-liveness-probe", "a worker"),
        ("kube-score/ignore", "pod-probes"),
    ] {
        assert!(reason(key).contains(check), "{key}: {annotations}");
    }
    for check in ["readinessProbeMissing", "livenessProbeMissing"] {
        assert_eq!(
            annotations[format!("polaris.fairwinds.com/{check}-exempt")],
            json!("true")
        );
    }
    assert!(reason("checkov.io/skip1").contains("listens on no port"));
}

#[test]
fn a_worker_is_probed_by_the_commands_its_spec_gives_and_only_the_missing_one_is_suppressed() {
    let docs = bundle(
        &worker_spec("  probes:\n    livenessCommand: [/app/worker, health, \"--it's alive\"]\n"),
        &[],
    );
    let c = container(&docs);
    assert_eq!(
        c["livenessProbe"]["exec"]["command"],
        json!(["/app/worker", "health", "--it's alive"])
    );
    assert!(c.get("readinessProbe").is_none());
    let ignored =
        find(&docs, "Deployment", "api")["metadata"]["annotations"]["kubeward.dev/ignore"]
            .as_str()
            .unwrap()
            .to_string();
    assert!(
        ignored.contains("KW-AVAIL-006=") && !ignored.contains("KW-AVAIL-007="),
        "{ignored}"
    );
    let both = bundle(
        &worker_spec(
            "  probes:\n    readinessCommand: [/app/ready]\n    livenessCommand: [/app/live]\n",
        ),
        &[],
    );
    let c = container(&both);
    assert_eq!(
        c["readinessProbe"]["exec"]["command"],
        json!(["/app/ready"])
    );
    assert_eq!(c["livenessProbe"]["exec"]["command"], json!(["/app/live"]));
    let deployment = find(&both, "Deployment", "api");
    assert!(
        deployment["metadata"].get("annotations").is_none(),
        "{deployment}"
    );
}

#[test]
fn a_meshed_worker_keeps_its_egress_and_the_proxy_control_plane_but_no_inbound_policy() {
    for (mesh, plane, inbound) in [
        ("istio", "istio-system", ["AuthorizationPolicy"].as_slice()),
        (
            "linkerd",
            "linkerd",
            ["Server", "MeshTLSAuthentication", "AuthorizationPolicy"].as_slice(),
        ),
    ] {
        let docs = bundle(
            &worker_spec(&format!(
                "  mesh: {mesh}\n  egress:\n    - app: rabbitmq\n      namespace: queues\n      port: 5672\n"
            )),
            &[],
        );
        for kind in inbound {
            assert!(!kinds(&docs).contains(&kind.to_string()), "{mesh}: {kind}");
        }
        if mesh == "istio" {
            assert!(kinds(&docs).contains(&"PeerAuthentication".to_string()));
        }
        let policy = find(&docs, "NetworkPolicy", "api");
        assert_eq!(policy["spec"]["ingress"], json!([]), "{mesh}");
        let egress = policy["spec"]["egress"].to_string();
        assert!(
            egress.contains("\"queues\"") && egress.contains("5672"),
            "{mesh}: {egress}"
        );
        assert!(
            egress.contains(&format!("\"{plane}\"")),
            "{mesh}: no control plane: {egress}"
        );
    }
}

#[test]
fn in_a_system_a_worker_calls_with_both_ends_declared_and_nothing_may_call_it() {
    let dir = TempDir::new().unwrap();
    let write = |name: &str, text: &str| common::write(&dir.path().join(name), text);
    write(
        "worker.yaml",
        &common::spec::spec(
            "jobs",
            "shop",
            &format!(
                "  image: {IMAGE}\n  egress:\n    - app: api\n      namespace: shop\n      port: 8443\n"
            ),
        ),
    );
    write("api.yaml", &api_spec("  callers:\n    - app: jobs\n"));
    let run = run_in(dir.path(), ["render", "-f", ".", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The api calling the worker back is refused at its egress entry's line.
    write(
        "api.yaml",
        &api_spec(
            "  callers:\n    - app: jobs\n  egress:\n    - app: jobs\n      namespace: shop\n      port: 8080\n",
        ),
    );
    let run = run_in(dir.path(), ["render", "-f", ".", "-o", "again"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("line 12: spec.egress[0]") && run.stderr.contains("is a worker"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("again").exists());
}

#[test]
fn init_without_a_port_writes_a_worker_that_renders() {
    let dir = TempDir::new().unwrap();
    let run = run_in(
        dir.path(),
        [
            "init", "--yes", "--name", "jobs", "-n", "shop", "--image", IMAGE, "-o", "out",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let spec = common::read_path(&dir.path().join("kubeward.yaml"));
    assert!(
        !spec.contains("port:") && !spec.contains("protocol:") && !spec.contains("exposure:"),
        "{spec}"
    );
    assert!(!dir.path().join("out/service-jobs.yaml").exists());
    assert!(dir.path().join("out/deployment-jobs.yaml").exists());
}

#[test]
fn explain_says_what_a_worker_is() {
    let dir = TempDir::new().unwrap();
    common::write(&dir.path().join("kubeward.yaml"), worker_spec(""));
    let run = run_in(dir.path(), ["explain", "-f", "kubeward.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("a worker: no container port and no Service"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("a worker listens on no port"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("ClusterIP"), "{}", run.stdout);
}
