//! `spec.mesh`: the mesh objects against their upstream CRDs, and what the mesh decides for
//! each declared caller and for its neighbours (another account, another namespace, another
//! port, no mTLS), judged by an evaluator of the mesh's own semantics (`mesh/authz.rs`).

#[path = "mesh/authz.rs"]
mod authz;
mod common;

use std::path::Path;

use authz::{Client, Target, istio_allows, linkerd_allows};
use common::bundle::{find, parse_stream};
use common::run::{Run, run_in};
use common::spec::spec;
use serde_json::{Value, json};

const IMAGE: &str = common::spec::IMAGE;

/// `payments-api` in `payments`: public, called by `checkout/web` and by
/// `payments/worker` (as ServiceAccount `payments-worker`), calling `db/postgres`.
fn payments(mesh: &str, extra: &str) -> String {
    spec(
        "payments-api",
        "payments",
        &format!(
            "  image: {IMAGE}\n  port: 8443\n  protocol: https\n  exposure: public\n  sensitivity: confidential\n  mesh: {mesh}\n  ingress: {{host: pay.example.com, api: ingress, className: traefik, controller: {{namespace: traefik, app: traefik}}}}\n  callers:\n    - {{app: web, namespace: checkout}}\n    - {{app: worker, namespace: payments, serviceAccount: payments-worker}}\n  egress:\n    - {{app: postgres, namespace: db, port: 5432}}\n{extra}"
        ),
    )
}

fn run(dir: &Path, files: &[(&str, &str)], args: &[&str]) -> Run {
    for (name, text) in files {
        common::write(&dir.join(name), text);
    }
    run_in(dir, args)
}

/// The stream `render -f kubeward.yaml` prints for `text`.
fn render(text: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[("kubeward.yaml", text)],
        &["render", "-f", "kubeward.yaml"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    parse_stream(&out.stdout)
}

fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[("kubeward.yaml", text)],
        &["render", "-f", "kubeward.yaml", "-o", "out"],
    );
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(!dir.path().join("out").exists(), "nothing is written");
    out.stderr
}

/// The pod template of the Deployment `name`, as a Target on `port`.
fn pod<'a>(docs: &'a [Value], name: &str, port: u16) -> Target<'a> {
    let deployment = find(docs, "Deployment", name);
    let template = &deployment["spec"]["template"]["metadata"];
    Target {
        namespace: deployment["metadata"]["namespace"].as_str().unwrap(),
        labels: &template["labels"],
        annotations: &template["annotations"],
        port,
    }
}

fn mesh_objects(docs: &[Value]) -> Vec<&Value> {
    docs.iter()
        .filter(|d| {
            let api = d["apiVersion"].as_str().unwrap_or_default();
            api.starts_with("security.istio.io/") || api.starts_with("policy.linkerd.io/")
        })
        .collect()
}

fn assert_valid_custom_resources(docs: &[Value]) -> usize {
    let objects = mesh_objects(docs);
    for object in &objects {
        let errors = common::crds::crd_errors(object);
        assert!(errors.is_empty(), "{errors:?}\n{object}");
    }
    objects.len()
}

/// Istio principal and Linkerd identity of a ServiceAccount in the default trust domain.
fn istio(ns: &str, sa: &str) -> String {
    format!("cluster.local/ns/{ns}/sa/{sa}")
}
fn linkerd(ns: &str, sa: &str) -> String {
    format!("{sa}.{ns}.serviceaccount.identity.linkerd.cluster.local")
}

/// The identities a mesh must admit on payments-api's port, and the neighbours it must refuse.
fn admitted_and_refused(identity: fn(&str, &str) -> String) -> (Vec<String>, Vec<String>) {
    let admitted = vec![
        identity("checkout", "web"),
        identity("payments", "payments-worker"),
        identity("traefik", "traefik"),
    ];
    let refused = vec![
        // the label's default account, where the spec names another
        identity("payments", "worker"),
        // the same account name in other namespaces
        identity("payments", "web"),
        identity("shop", "web"),
        identity("checkout-2", "web"),
        // another account in the caller's namespace
        identity("checkout", "default"),
        identity("checkout", "web-admin"),
        // the service itself, and a prefix or suffix of an admitted identity
        identity("payments", "payments-api"),
        identity("checkout", "we"),
        format!("x{}", identity("checkout", "web")),
        format!("{}x", identity("checkout", "web")),
        // another trust domain
        identity("checkout", "web").replace("cluster.local", "evil.example"),
    ];
    (admitted, refused)
}

#[test]
fn istio_admits_exactly_the_declared_identities_on_the_port_over_mutual_tls() {
    let docs = render(&payments("istio", ""));
    assert_eq!(assert_valid_custom_resources(&docs), 2);
    let peer = find(&docs, "PeerAuthentication", "payments-api");
    assert_eq!(peer["spec"]["mtls"]["mode"], "STRICT");
    assert_eq!(peer["apiVersion"], "security.istio.io/v1");
    let policy = find(&docs, "AuthorizationPolicy", "payments-api");
    assert_eq!(policy["apiVersion"], "security.istio.io/v1");
    assert_eq!(policy["spec"]["action"], "ALLOW");
    let target = pod(&docs, "payments-api", 8443);
    let (admitted, refused) = admitted_and_refused(istio);
    let mut evaluated = 0;
    for id in &admitted {
        let client = Client { identity: Some(id) };
        assert!(istio_allows(&docs, client, &target), "{id} is declared");
        for port in [8080, 15000, 9090, 4143] {
            let other = Target {
                port,
                ..target.clone()
            };
            assert!(!istio_allows(&docs, client, &other), "{id} on port {port}");
        }
        evaluated += 5;
    }
    for id in &refused {
        let client = Client { identity: Some(id) };
        assert!(
            !istio_allows(&docs, client, &target),
            "{id} is not declared"
        );
        evaluated += 1;
    }
    assert!(
        !istio_allows(&docs, Client { identity: None }, &target),
        "no mTLS"
    );
    assert!(evaluated >= 25);
    // The namespace injects the sidecar; its pods stay Pod Security restricted.
    let namespace = find(&docs, "Namespace", "payments");
    assert_eq!(
        namespace["metadata"]["labels"]["istio-injection"],
        "enabled"
    );
    assert_eq!(
        namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
        "restricted"
    );
}

#[test]
fn linkerd_admits_exactly_the_declared_identities_and_denies_the_rest_by_default() {
    let docs = render(&payments("linkerd", "  probes: {port: 8081}\n"));
    assert_eq!(assert_valid_custom_resources(&docs), 3);
    let server = find(&docs, "Server", "payments-api");
    assert_eq!(server["apiVersion"], "policy.linkerd.io/v1beta3");
    assert_eq!(server["spec"]["port"], 8443);
    let namespace = find(&docs, "Namespace", "payments");
    let ns_annotations = &namespace["metadata"]["annotations"];
    assert_eq!(
        ns_annotations["config.linkerd.io/default-inbound-policy"],
        "deny"
    );
    let target = pod(&docs, "payments-api", 8443);
    assert_eq!(
        target.annotations["config.linkerd.io/default-inbound-policy"],
        "deny"
    );
    assert_eq!(target.annotations["linkerd.io/inject"], "enabled");
    // The clear-text probe port is left to the kubelet; the service's port is not.
    assert_eq!(
        target.annotations["config.linkerd.io/skip-inbound-ports"],
        "8081"
    );
    let (admitted, refused) = admitted_and_refused(linkerd);
    for id in &admitted {
        let client = Client { identity: Some(id) };
        assert!(
            linkerd_allows(&docs, ns_annotations, client, &target),
            "{id}"
        );
        for port in [8080, 9090, 4191] {
            let other = Target {
                port,
                ..target.clone()
            };
            assert!(
                !linkerd_allows(&docs, ns_annotations, client, &other),
                "{id} on {port}"
            );
        }
    }
    for id in &refused {
        let client = Client { identity: Some(id) };
        assert!(
            !linkerd_allows(&docs, ns_annotations, client, &target),
            "{id}"
        );
    }
    let anonymous = Client { identity: None };
    assert!(!linkerd_allows(&docs, ns_annotations, anonymous, &target));
    // Without the pod's own annotation the namespace's default still denies.
    let bare = Target {
        annotations: &Value::Null,
        port: 9090,
        ..target.clone()
    };
    let admitted_client = Client {
        identity: Some(&admitted[0]),
    };
    assert!(!linkerd_allows(
        &docs,
        ns_annotations,
        admitted_client,
        &bare
    ));
}

#[test]
fn the_evaluator_tells_a_wide_policy_from_a_narrow_one() {
    // The evaluator is what the tests above trust: it must fail open objects.
    let docs = render(&payments("istio", ""));
    let target = pod(&docs, "payments-api", 8443);
    let stranger = Client {
        identity: Some("cluster.local/ns/shop/sa/web"),
    };
    let widened = |rules: Value| {
        let mut wide = docs.clone();
        let policy = wide
            .iter_mut()
            .find(|d| d["kind"] == "AuthorizationPolicy")
            .unwrap();
        policy["spec"]["rules"] = rules;
        wide
    };
    assert!(istio_allows(&widened(json!([{}])), stranger, &target));
    let wildcard = json!([{"from": [{"source": {"principals": ["cluster.local/ns/*"]}}]}]);
    assert!(istio_allows(&widened(wildcard), stranger, &target));
    let mut deny = docs.clone();
    deny.push(json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
        "metadata": {"name": "deny", "namespace": "payments"},
        "spec": {"action": "DENY", "rules": [{"from": [{"source": {"principals": [istio("checkout", "web")]}}]}]}}));
    let web = istio("checkout", "web");
    assert!(istio_allows(
        &docs,
        Client {
            identity: Some(&web)
        },
        &target
    ));
    assert!(
        !istio_allows(
            &deny,
            Client {
                identity: Some(&web)
            },
            &target
        ),
        "DENY first"
    );
    let linkerd_docs = render(&payments("linkerd", "  probes: {port: 8081}\n"));
    let target = pod(&linkerd_docs, "payments-api", 8443);
    let mut open = linkerd_docs.clone();
    let auth = open
        .iter_mut()
        .find(|d| d["kind"] == "MeshTLSAuthentication")
        .unwrap();
    auth["spec"]["identities"] = json!(["*"]);
    let stranger = linkerd("shop", "web");
    let client = Client {
        identity: Some(&stranger),
    };
    assert!(linkerd_allows(&open, &Value::Null, client, &target));
    let unauthorized: Vec<Value> = linkerd_docs
        .iter()
        .filter(|d| d["kind"] != "AuthorizationPolicy")
        .cloned()
        .collect();
    let web = linkerd("checkout", "web");
    assert!(!linkerd_allows(
        &unauthorized,
        &Value::Null,
        Client {
            identity: Some(&web)
        },
        &target
    ));
}

#[test]
fn without_callers_the_mesh_admits_nobody() {
    let body = format!("  image: {IMAGE}\n  port: 8080\n");
    let docs = render(&spec("solo", "shop", &format!("{body}  mesh: istio\n")));
    assert_valid_custom_resources(&docs);
    let policy = find(&docs, "AuthorizationPolicy", "solo");
    assert!(policy["spec"].get("rules").is_none(), "{policy}");
    let target = pod(&docs, "solo", 8080);
    let anyone = istio("shop", "anyone");
    assert!(!istio_allows(
        &docs,
        Client {
            identity: Some(&anyone)
        },
        &target
    ));
    let docs = render(&spec("solo", "shop", &format!("{body}  mesh: linkerd\n")));
    assert_eq!(
        assert_valid_custom_resources(&docs),
        0,
        "default deny, no Server"
    );
    let namespace = find(&docs, "Namespace", "shop");
    let target = pod(&docs, "solo", 8080);
    let client = Client {
        identity: Some(&anyone),
    };
    assert!(!linkerd_allows(
        &docs,
        &namespace["metadata"]["annotations"],
        client,
        &target
    ));
}

#[test]
fn the_trust_domain_comes_from_the_preset() {
    let dir = tempfile::tempdir().unwrap();
    let preset = "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: acme}\nextends: restricted\nspec:\n  mesh: {default: istio, trustDomain: acme.internal}\n";
    let body = format!(
        "  preset: ./acme.yaml\n  image: {IMAGE}\n  port: 8080\n  exposure: cluster\n  callers: [{{app: web, namespace: front}}]\n"
    );
    let out = run(
        dir.path(),
        &[
            ("acme.yaml", preset),
            ("kubeward.yaml", &spec("api", "shop", &body)),
        ],
        &["render", "-f", "kubeward.yaml"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let docs = parse_stream(&out.stdout);
    let policy = find(&docs, "AuthorizationPolicy", "api");
    assert_eq!(
        policy["spec"]["rules"][0]["from"][0]["source"]["principals"],
        json!(["acme.internal/ns/front/sa/web"])
    );
    let target = pod(&docs, "api", 8080);
    assert!(!istio_allows(
        &docs,
        Client {
            identity: Some(&istio("front", "web"))
        },
        &target
    ));
}

#[test]
fn callers_by_address_cannot_be_mesh_identities() {
    for mesh in ["istio", "linkerd"] {
        let body = format!(
            "  image: {IMAGE}\n  port: 8080\n  exposure: cluster\n  mesh: {mesh}\n  callers:\n    - {{app: web, namespace: front}}\n    - {{cidr: 198.51.100.0/24}}\n"
        );
        let err = refused(&spec("api", "shop", &body));
        assert!(
            err.contains("spec.callers[1].cidr") && err.contains(mesh),
            "{err}"
        );
    }
}

#[test]
fn a_gateway_entry_has_no_identity_a_mesh_can_admit() {
    for mesh in ["istio", "linkerd"] {
        let extra = format!("  mesh: {mesh}\n");
        // The Gateway API entry, the preset's default: its data plane's account is unknown.
        let gateway = payments("none", "")
            .replace("  mesh: none\n", &extra)
            .replace(
                ", api: ingress, className: traefik, controller: {namespace: traefik, app: traefik}",
                "",
            );
        let err = refused(&gateway);
        assert!(
            err.contains("spec.mesh") && err.contains("Gateway's data plane"),
            "{mesh}: {err}"
        );
    }
    // The same service behind an Ingress controller known by its app renders.
    render(&payments("istio", ""));
}

#[test]
fn linkerd_needs_a_clear_text_probe_port_unless_the_probes_are_http() {
    for protocol in ["https", "grpc", "tcp"] {
        let body =
            format!("  image: {IMAGE}\n  port: 8443\n  protocol: {protocol}\n  mesh: linkerd\n");
        let err = refused(&spec("api", "shop", &body));
        assert!(err.contains("spec.probes.port"), "{protocol}: {err}");
    }
    let docs = render(&spec(
        "api",
        "shop",
        &format!("  image: {IMAGE}\n  port: 8080\n  mesh: linkerd\n"),
    ));
    let deployment = find(&docs, "Deployment", "api");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["readinessProbe"]["httpGet"]["scheme"], "HTTP");
}

#[test]
fn the_mesh_flag_and_the_preset_default_choose_the_mesh() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!("  image: {IMAGE}\n  port: 8080\n");
    let out = run(
        dir.path(),
        &[("kubeward.yaml", &spec("api", "shop", &body))],
        &["render", "-f", "kubeward.yaml", "--mesh", "istio"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_valid_custom_resources(&parse_stream(&out.stdout));
    assert!(out.stdout.contains("kind: PeerAuthentication"));
    let plain = render(&spec("api", "shop", &body));
    assert!(
        mesh_objects(&plain).is_empty(),
        "the shipped presets default to none"
    );
    let ns = find(&plain, "Namespace", "shop");
    assert!(ns["metadata"]["labels"].get("istio-injection").is_none());
}

#[test]
fn in_a_system_a_caller_of_the_system_is_admitted_by_its_own_account() {
    let dir = tempfile::tempdir().unwrap();
    let api = format!(
        "  image: {IMAGE}\n  port: 8080\n  exposure: cluster\n  mesh: linkerd\n  callers: [{{app: web, namespace: front}}]\n"
    );
    let web = format!(
        "  image: {IMAGE}\n  port: 8080\n  mesh: linkerd\n  egress: [{{app: api, namespace: back, port: 8080}}]\n"
    );
    let out = run(
        dir.path(),
        &[
            ("s/api.yaml", &spec("api", "back", &api)),
            ("s/web.yaml", &spec("web", "front", &web)),
        ],
        &["render", "-f", "s"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let docs = parse_stream(&out.stdout);
    assert_valid_custom_resources(&docs);
    let auth = find(&docs, "MeshTLSAuthentication", "api");
    assert_eq!(auth["spec"]["identities"], json!([linkerd("front", "web")]));
    let web_pods = find(&docs, "Deployment", "web");
    assert_eq!(
        web_pods["spec"]["template"]["spec"]["serviceAccountName"],
        "web"
    );
    // The caller's own policy reaches the callee's proxy port too.
    let web_policy = docs
        .iter()
        .find(|d| {
            d["kind"] == "NetworkPolicy"
                && d["metadata"]["name"] == "web"
                && d["metadata"]["namespace"] == "front"
        })
        .unwrap();
    let to_api = web_policy["spec"]["egress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "api")
        .unwrap();
    let ports: Vec<u64> = to_api["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["port"].as_u64().unwrap())
        .collect();
    assert_eq!(ports, vec![8080, 4143]);
}

#[test]
fn check_passes_the_rendered_mesh_bundles_and_knows_their_kinds() {
    for (mesh, extra) in [("istio", ""), ("linkerd", "  probes: {port: 8081}\n")] {
        let dir = tempfile::tempdir().unwrap();
        let text = payments(mesh, extra);
        let out = run(
            dir.path(),
            &[("kubeward.yaml", &text)],
            &["render", "-f", "kubeward.yaml", "-o", "out"],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let out = run(dir.path(), &[], &["check", "--fail-on", "info", "out"]);
        assert_eq!(out.code, Some(0), "{mesh}: {}{}", out.stdout, out.stderr);

        if mesh == "linkerd" {
            std::fs::remove_file(dir.path().join("out/authorizationpolicy-payments-api.yaml"))
                .unwrap();
            let kustomization = dir.path().join("out/kustomization.yaml");
            let text = common::read_path(&kustomization)
                .replace("  - authorizationpolicy-payments-api.yaml\n", "");
            common::write(&kustomization, text);
            let out = run(dir.path(), &[], &["check", "out"]);
            assert!(out.stdout.contains("KW-MESH-005"), "{}", out.stdout);
        }
    }
}

#[test]
fn explain_annotate_and_graph_show_the_identities_next_to_the_labels() {
    for (mesh, extra, web) in [
        ("istio", "", istio("checkout", "web")),
        (
            "linkerd",
            "  probes: {port: 8081}\n",
            linkerd("checkout", "web"),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let text = payments(mesh, extra);
        let files = [("kubeward.yaml", text.as_str())];
        let explained = run(dir.path(), &files, &["explain", "-f", "kubeward.yaml"]);
        assert_eq!(explained.code, Some(0), "{}", explained.stderr);
        assert!(
            explained.stdout.contains(&format!(
                "admit the identity {web} (checkout/web, ServiceAccount web) on port 8443"
            )),
            "{}",
            explained.stdout
        );
        assert!(
            explained.stdout.contains("mesh-control-plane"),
            "{}",
            explained.stdout
        );
        let annotated = run(
            dir.path(),
            &[],
            &["render", "--annotate", "-f", "kubeward.yaml"],
        );
        assert_eq!(annotated.code, Some(0), "{}", annotated.stderr);
        let comment = format!("# mesh-caller: admit the identity {web} (checkout/web");
        let at = annotated
            .stdout
            .find(&comment)
            .expect("the identity is annotated");
        let next_item = annotated.stdout[at..].find(&format!("- {web}"));
        assert!(
            next_item.is_some_and(|i| i < 600),
            "the note stands above the identity"
        );
        let graph = run(dir.path(), &[], &["graph", "-f", "kubeward.yaml"]);
        assert_eq!(graph.code, Some(0), "{}", graph.stderr);
        let line = graph
            .stdout
            .lines()
            .find(|l| l.contains("payments-api<br/>"))
            .unwrap();
        assert!(
            line.contains("mesh admits: ") && line.contains(&web),
            "{line}"
        );
        assert!(!line.contains(&web.replace("checkout", "shop")), "{line}");
    }
}

#[test]
fn a_system_keeps_one_mesh_per_namespace_and_at_both_ends_of_a_connection() {
    let api = |mesh: &str| {
        spec(
            "api",
            "back",
            &format!(
                "  image: {IMAGE}\n  port: 8080\n  exposure: cluster\n  mesh: {mesh}\n  callers: [{{app: web, namespace: front}}]\n"
            ),
        )
    };
    let web = |mesh: &str| {
        spec(
            "web",
            "front",
            &format!(
                "  image: {IMAGE}\n  port: 8080\n  mesh: {mesh}\n  egress: [{{app: api, namespace: back, port: 8080}}]\n"
            ),
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[("s/api.yaml", &api("istio")), ("s/web.yaml", &web("none"))],
        &["render", "-f", "s", "-o", "out"],
    );
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(
        out.stderr.contains("spec.egress[0]")
            && out.stderr.contains("back/api admits only istio identities"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("out").exists());
    let dir = tempfile::tempdir().unwrap();
    let other = spec(
        "cron",
        "back",
        &format!("  image: {IMAGE}\n  port: 8080\n  mesh: linkerd\n"),
    );
    let out = run(
        dir.path(),
        &[
            ("s/api.yaml", &api("istio")),
            ("s/web.yaml", &web("istio")),
            ("s/cron.yaml", &other),
        ],
        &["render", "-f", "s", "-o", "out"],
    );
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(
        out.stderr.contains("spec.mesh") && out.stderr.contains("namespace back runs mesh"),
        "{}",
        out.stderr
    );
    // A meshed caller of an unmeshed callee is fine: the callee admits by label only.
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[("s/api.yaml", &api("none")), ("s/web.yaml", &web("istio"))],
        &["render", "-f", "s", "-o", "out"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}
