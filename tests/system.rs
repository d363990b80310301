//! Systems of services (`render -f DIR`, `render -f A -f B`) through the binary: every spec of
//! a folder is found by its kind; both ends of every connection are declared or nothing is
//! written; the output is one kustomization with what a namespace shares written once; pods
//! outside the system get their policies apart; one trust, whose every certificate the other
//! end verifies with `openssl verify`; the order never depends on the threads.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::book::BookPage;
use common::read_path;
use common::run::stderr;
use common::tls::{self, Check};
use serde_json::Value;

/// A temporary workspace, with or without a copy of every shipped example in `specs/`.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new_empty() -> Self {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn with_examples() -> Self {
        let workspace = Workspace::new_empty();
        for name in example_names() {
            common::spec::copy_example(&name, &workspace.path(&format!("specs/{name}")));
        }
        workspace
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        common::write(&self.path(relative), text);
    }

    /// Runs `kubeward render <args>` in the workspace.
    fn render(&self, args: &[&str]) -> Output {
        let output = common::run::kubeward()
            .current_dir(self.dir.path())
            .arg("render")
            .args(args)
            .output()
            .unwrap();
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
        output
    }

    #[track_caller]
    fn render_ok(&self, args: &[&str]) -> String {
        let output = self.render(args);
        assert!(
            output.status.success(),
            "kubeward render {args:?} failed: {}",
            stderr(&output)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Renders `args`, which must fail with exit 2 and write nothing: no `out` folder, no state.
    #[track_caller]
    fn refused(&self, args: &[&str]) -> String {
        let output = self.render(args);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(output.stdout.is_empty());
        assert!(!self.path("out").exists(), "the output folder was written");
        assert_eq!(
            self.state_folders(),
            Vec::<PathBuf>::new(),
            "state was written"
        );
        stderr(&output)
    }

    /// Renders the system in `folder` into `out`, which must be refused (see [`Self::refused`])
    /// with a message holding every one of `texts`.
    #[track_caller]
    fn refuses(&self, folder: &str, texts: &[&str]) {
        let message = self.refused(&["-f", folder, "-o", "out"]);
        for text in texts {
            assert!(message.contains(text), "{text:?} missing in:\n{message}");
        }
    }

    /// Every file under `relative`, by path relative to it, with its bytes.
    fn files(&self, relative: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path(relative);
        let mut files = BTreeMap::new();
        collect(&root, &root, &mut files);
        files
    }

    /// The object in the file `relative`.
    fn object(&self, relative: &str) -> Value {
        common::yaml_value(&read_path(&self.path(relative)))
    }

    /// Every state folder (`.kubeward`) in the workspace.
    fn state_folders(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().unwrap() == ".kubeward" {
                    found.push(path);
                } else if path.is_dir() {
                    stack.push(path);
                }
            }
        }
        found
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(name, fs::read(&path).unwrap());
        }
    }
}

/// The shipped examples' names, sorted (see [`common::spec::examples`]).
fn example_names() -> Vec<String> {
    let names: Vec<String> = common::spec::examples()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(names.len() >= 6, "expected the shipped examples");
    names
}

/// A minimal valid spec for service `name` in namespace `namespace`, with `extra` under `spec:`.
fn spec(name: &str, namespace: &str, extra: &str) -> String {
    let body =
        format!("  image: ghcr.io/acme/app:1.0.0\n  port: 8080\n  exposure: cluster\n{extra}");
    common::spec::spec(name, namespace, &body)
}

/// The spec of `web` in `front`, calling `api` of `back` on `port`.
fn web_calling_api(port: u16) -> String {
    spec(
        "web",
        "front",
        &format!("  egress:\n    - {{app: api, namespace: back, port: {port}}}\n"),
    )
}

/// `kubectl kustomize DIR`: its objects.
fn kustomize(dir: &Path) -> Vec<Value> {
    let output = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("kubectl runs (scripts/install-tools.sh installs it)");
    assert!(
        output.status.success(),
        "kubectl kustomize {} failed: {}",
        dir.display(),
        stderr(&output)
    );
    common::bundle::parse_stream(&String::from_utf8(output.stdout).unwrap())
}

/// `kind namespace/name` of an object.
fn key(object: &Value) -> String {
    format!(
        "{} {}/{}",
        object["kind"].as_str().unwrap_or("?"),
        object["metadata"]["namespace"].as_str().unwrap_or(""),
        object["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// The PEM text under `key` of a Secret (base64) or ConfigMap (plain) file.
fn pem(ws: &Workspace, relative: &str, key: &str) -> String {
    let object = ws.object(relative);
    match object["kind"].as_str() {
        Some("Secret") => String::from_utf8(
            STANDARD
                .decode(object["data"][key].as_str().unwrap())
                .unwrap(),
        )
        .unwrap(),
        _ => object["data"][key].as_str().unwrap().to_string(),
    }
}

/// The projected sources of the Deployment's `secrets` volume: path in the volume to the
/// (kind, object) it comes from; and whether the volume is mounted read-only.
fn mounted(ws: &Workspace, deployment: &str) -> (BTreeMap<String, (String, String)>, bool) {
    let object = ws.object(deployment);
    let pod = &object["spec"]["template"]["spec"];
    let mut paths = BTreeMap::new();
    let volume = pod["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "secrets")
        .expect("a secrets volume");
    for source in volume["projected"]["sources"].as_array().unwrap() {
        for (kind, field) in [("ConfigMap", "configMap"), ("Secret", "secret")] {
            let Some(from) = source.get(field) else {
                continue;
            };
            for item in from["items"].as_array().unwrap() {
                paths.insert(
                    item["path"].as_str().unwrap().to_string(),
                    (kind.to_string(), from["name"].as_str().unwrap().to_string()),
                );
            }
        }
    }
    let mount = pod["containers"][0]["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "secrets")
        .expect("the secrets volume is mounted")
        .clone();
    assert_eq!(mount["mountPath"], "/var/run/secrets/kubeward");
    (paths, mount["readOnly"] == true)
}

// ---------------------------------------------------------------------------------------
// The system's output
// ---------------------------------------------------------------------------------------

#[test]
fn a_folder_is_one_system_whose_kustomization_builds_every_service_once() {
    let ws = Workspace::with_examples();
    let stream = ws.render_ok(&["-f", "specs"]);
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let built = kustomize(&ws.path("k8s"));
    let keys: Vec<String> = built.iter().map(key).collect();
    let unique: BTreeSet<&String> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "an object twice: {keys:?}");
    for namespace in [
        "finance",
        "payments",
        "platform",
        "reports",
        "shop",
        "warehouse",
    ] {
        assert!(
            keys.contains(&format!("Namespace /{namespace}")),
            "{namespace}"
        );
        assert!(
            keys.contains(&format!("NetworkPolicy {namespace}/default-deny")),
            "{namespace}"
        );
    }
    for service in example_names() {
        let spec = read_path(&ws.path(&format!("specs/{service}/kubeward.yaml")));
        let ns = spec
            .lines()
            .find_map(|l| l.strip_prefix("  namespace: "))
            .unwrap();
        let name = spec
            .lines()
            .find_map(|l| l.strip_prefix("  name: "))
            .unwrap();
        assert!(
            keys.contains(&format!("Deployment {ns}/{name}")),
            "{ns}/{name}"
        );
    }
    // What is for other namespaces is not part of the system's build, nor of its stream.
    assert!(
        !keys.iter().any(|k| k.contains(" analytics/")),
        "the peers folder is outside the kustomization: {keys:?}"
    );
    let streamed: Vec<String> = common::bundle::parse_stream(&stream)
        .iter()
        .map(key)
        .collect();
    assert_eq!(
        streamed.iter().collect::<BTreeSet<_>>(),
        unique,
        "the stream holds what the kustomization builds"
    );
    // Each peers folder builds on its own, for its namespace's owners.
    let peers = common::entries(&ws.path("k8s/_peers"));
    assert_eq!(
        peers,
        [
            "analytics",
            "checkout",
            "compliance",
            "data",
            "db",
            "ops",
            "queues"
        ]
    );
    for namespace in &peers {
        let objects = kustomize(&ws.path(&format!("k8s/_peers/{namespace}")));
        assert!(
            objects
                .iter()
                .all(|o| o["metadata"]["namespace"] == *namespace.as_str())
        );
    }
}

#[test]
fn services_of_one_namespace_build_together() {
    let ws = Workspace::new_empty();
    let restricted = "  protocol: https\n  sensitivity: restricted\n  replicas: 2\n";
    for i in 0..3 {
        ws.write(
            &format!("team/s{i}/kubeward.yaml"),
            &spec(&format!("svc-{i}"), "team", restricted)
                .replace("ghcr.io/acme/app:1.0.0", common::spec::IMAGE),
        );
    }
    ws.render_ok(&["-f", "team", "-o", "out"]);
    let objects = kustomize(&ws.path("out"));
    let count = |kind: &str| objects.iter().filter(|o| o["kind"] == kind).count();
    assert_eq!(count("Namespace"), 1);
    assert_eq!(count("ResourceQuota"), 1, "one quota for the namespace");
    assert_eq!(count("LimitRange"), 1, "one LimitRange for the namespace");
    assert_eq!(count("Deployment"), 3);
    let files: Vec<String> = ws.files("out").into_keys().collect();
    for shared in [
        "team/namespace-team.yaml",
        "team/networkpolicy-default-deny.yaml",
        "team/resourcequota-kubeward-namespace.yaml",
        "team/limitrange-kubeward-namespace.yaml",
    ] {
        assert!(files.contains(&shared.to_string()), "{shared} in {files:?}");
    }
}

#[test]
fn services_of_one_namespace_must_agree_on_what_it_shares() {
    let ws = Workspace::new_empty();
    ws.write(
        "team/older.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: older}\nextends: restricted\nspec:\n  podSecurityVersion: v1.30\n",
    );
    ws.write("team/a/kubeward.yaml", &spec("a", "team", ""));
    ws.write(
        "team/b/kubeward.yaml",
        &spec("b", "team", "  preset: ../older.yaml\n"),
    );
    ws.refuses(
        "team",
        &[
            "team/a/kubeward.yaml and team/b/kubeward.yaml render team/namespace-team.yaml differently",
        ],
    );
}

#[test]
fn services_of_one_namespace_fit_its_one_quota_together() {
    // The restricted preset's quota allows 16 cpu of limits; each pod may use 500m, and a
    // rolling update runs one pod more than the replicas: 15 + 1 and 15 + 1 pods fit exactly.
    let ws = Workspace::new_empty();
    let restricted = |replicas: u32| {
        format!("  protocol: https\n  sensitivity: restricted\n  replicas: {replicas}\n")
    };
    let write = |name: &str, extra: &str| {
        ws.write(
            &format!("team/{name}.yaml"),
            &spec(name, "team", extra).replace("ghcr.io/acme/app:1.0.0", common::spec::IMAGE),
        )
    };
    write("a", &restricted(15));
    write("b", &restricted(15));
    ws.render_ok(&["-f", "team", "-o", "fits", "--state", "fits-state"]);
    let quota = ws.object("fits/team/resourcequota-kubeward-namespace.yaml");
    assert_eq!(
        quota["spec"]["hard"]["limits.cpu"], "16",
        "the preset's quota"
    );
    // One replica more, or a service of the namespace that asks for no quota but is counted
    // by it all the same, and the API server would refuse a pod: refused, naming both files.
    write("b", &restricted(16));
    ws.refuses(
        "team",
        &[
            "team/a.yaml line 12: spec.replicas: limits.cpu at a rollout (a 16 × 500m, b 17 × 500m) exceed the namespace quota's limits.cpu 16: the last pods would be refused",
            "the services of namespace `team` share its quota: team/a.yaml, team/b.yaml",
        ],
    );
    write("b", &restricted(15));
    write("c", "  sensitivity: internal\n  replicas: 1\n");
    ws.refuses(
        "team",
        &["limits.cpu at a rollout (a 16 × 500m, b 16 × 500m, c 2 × 500m) exceed"],
    );
    // Alone, a service that cannot fit its own quota is refused too.
    fs::remove_file(ws.path("team/c.yaml")).unwrap();
    write("b", &restricted(50));
    let refused = ws.refused(&["-f", "team/b.yaml", "-o", "out"]);
    assert!(
        refused.contains("spec.replicas: 50 pods, and one more during a rollout, exceed the namespace quota's 50 pods"),
        "{refused}"
    );
}

#[test]
fn a_rerender_is_byte_identical_with_one_state_folder_for_the_system() {
    let ws = Workspace::with_examples();
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let first = ws.files("k8s");
    assert_eq!(ws.state_folders(), [ws.path("specs/.kubeward")]);
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    assert_eq!(ws.files("k8s"), first);
    let stream = ws.render_ok(&["-f", "specs"]);
    assert_eq!(stream, ws.render_ok(&["-f", "specs"]));
}

/// The inode and modification time of a file: whether it was written again.
#[cfg(unix)]
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

#[cfg(unix)]
#[test]
fn an_unchanged_rerender_writes_nothing_and_a_changed_one_replaces_the_folder() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new_empty();
    let secret = "  secrets:\n    - name: token\n      generate: { length: 24 }\n";
    ws.write("app/kubeward.yaml", &spec("app", "shop", secret));
    ws.render_ok(&["-f", "app", "-o", "out"]);
    let deployment = ws.path("out/shop/app/deployment-app.yaml");
    let token = ws.path("out/shop/app/secret-app-token.yaml");
    let before = (identity(&deployment), identity(&token));
    let files = ws.files("out");
    ws.render_ok(&["-f", "app", "-o", "out"]);
    assert_eq!((identity(&deployment), identity(&token)), before);
    assert_eq!(ws.files("out"), files);
    // A secret file that is no longer private is written again, private.
    fs::set_permissions(&token, fs::Permissions::from_mode(0o644)).unwrap();
    ws.render_ok(&["-f", "app", "-o", "out"]);
    assert_eq!(
        fs::metadata(&token).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(ws.files("out"), files);
    // A changed spec replaces the folder.
    let changed = spec("app", "shop", secret).replace("port: 8080", "port: 9090");
    ws.write("app/kubeward.yaml", &changed);
    ws.render_ok(&["-f", "app", "-o", "out"]);
    assert_ne!(identity(&deployment), before.0);
    assert!(read_path(&deployment).contains("containerPort: 9090"));
}

#[test]
fn an_output_folder_with_foreign_files_is_refused_before_anything_is_rendered() {
    let ws = Workspace::with_examples();
    ws.write("out/shop/notes.txt", "mine");
    let output = ws.render(&["-f", "specs", "-o", "out"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("shop"), "{}", stderr(&output));
    assert_eq!(ws.state_folders(), Vec::<PathBuf>::new());
    ws.render_ok(&["-f", "specs", "-o", "out", "--force"]);
    assert_eq!(read_path(&ws.path("out/shop/notes.txt")), "mine");
}

// ---------------------------------------------------------------------------------------
// Both ends of every connection
// ---------------------------------------------------------------------------------------

#[test]
fn a_connection_declared_on_one_side_is_refused_naming_both_files_the_line_and_the_entry() {
    let ws = Workspace::new_empty();
    let web = spec(
        "web",
        "front",
        "  egress:\n    - app: api\n      namespace: back\n      port: 8080\n",
    );
    let api = spec("api", "back", "");
    ws.write("caller-only/web.yaml", &web);
    ws.write("caller-only/api.yaml", &api);
    ws.refuses(
        "caller-only",
        &[
            "caller-only/web.yaml line 11: spec.egress[0]: front/web calls back/api",
            "add to spec.callers of caller-only/api.yaml",
            "- {app: web, namespace: front}",
        ],
    );
    let api_admits = spec(
        "api",
        "back",
        "  callers:\n    - app: web\n      namespace: front\n",
    );
    ws.write("callee-only/web.yaml", &spec("web", "front", ""));
    ws.write("callee-only/api.yaml", &api_admits);
    ws.refuses(
        "callee-only",
        &[
            "callee-only/api.yaml line 11: spec.callers[0]: back/api admits front/web",
            "add to spec.egress of callee-only/web.yaml",
            "- {app: api, namespace: back, port: 8080}",
        ],
    );
    // Fixing either with the entry offered makes the system whole.
    ws.write(
        "callee-only/web.yaml",
        &spec(
            "web",
            "front",
            "  egress:\n    - {app: api, namespace: back, port: 8080}\n",
        ),
    );
    ws.render_ok(&["-f", "callee-only", "-o", "out"]);
}

#[test]
fn a_one_sided_connection_to_a_namespace_only_service_says_so() {
    let ws = Workspace::new_empty();
    ws.write("s/web.yaml", &web_calling_api(8080));
    ws.write(
        "s/api.yaml",
        &spec("api", "back", "").replace("exposure: cluster", "exposure: namespace"),
    );
    ws.refuses(
        "s",
        &["set its spec.exposure to cluster (`namespace` admits callers of back only)"],
    );
}

#[test]
fn an_egress_may_name_the_service_port_and_the_policies_open_the_container_port() {
    let ws = Workspace::new_empty();
    // An https service: its Service listens on 443, its container on 8443.
    let api = spec(
        "api",
        "back",
        "  protocol: https\n  callers:\n    - {app: web, namespace: front}\n",
    )
    .replace("port: 8080", "port: 8443");
    ws.write("s/api.yaml", &api);
    ws.write("s/web.yaml", &web_calling_api(443));
    ws.render_ok(&["-f", "s", "-o", "out"]);
    let policy = ws.object("out/front/web/networkpolicy-web.yaml");
    let rule = &policy["spec"]["egress"][1];
    assert_eq!(
        rule["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"],
        "api"
    );
    assert_eq!(
        rule["ports"],
        serde_json::json!([{"protocol": "TCP", "port": 8443}])
    );
    // Any other port is refused at its line, naming both ports.
    ws.write("s/web.yaml", &web_calling_api(9999));
    fs::remove_dir_all(ws.path("out")).unwrap();
    fs::remove_dir_all(ws.path("s/.kubeward")).unwrap();
    ws.refuses(
        "s",
        &[
            "s/web.yaml line 11: spec.egress[0].port: back/api listens on container port 8443 (its Service's port is 443)",
        ],
    );
}

#[test]
fn a_caller_of_the_system_runs_as_its_own_service_account() {
    let ws = Workspace::new_empty();
    ws.write("s/web.yaml", &web_calling_api(8080));
    ws.write(
        "s/api.yaml",
        &spec(
            "api",
            "back",
            "  callers:\n    - app: web\n      namespace: front\n      serviceAccount: someone-else\n",
        ),
    );
    ws.refuses(
        "s",
        &[
            "s/api.yaml line 13: spec.callers[0].serviceAccount: front/web is a service of this system and runs as its own ServiceAccount `web`",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Peers outside the system
// ---------------------------------------------------------------------------------------

#[test]
fn peers_outside_the_system_get_their_policies_apart_with_dns_and_are_named_on_stderr() {
    let ws = Workspace::with_examples();
    let output = ws.render(&["-f", "specs", "-o", "k8s"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    let shown = book_block("peer-warning");
    assert!(
        message.contains(&shown),
        "the book shows\n{shown}\nstderr is\n{message}"
    );
    for (peer, policy) in [
        ("analytics/reporting", "ledger.finance-from-reporting"),
        ("db/postgres", "ledger.finance-to-postgres-5432"),
        ("ops/dashboard", "config-watcher.platform-from-dashboard"),
    ] {
        assert!(
            message.contains(&format!(
                "{peer} is not a service of this system: its namespace needs `{policy}`"
            )),
            "{peer}: {message}"
        );
        let namespace = peer.split('/').next().unwrap();
        assert!(
            ws.path(&format!(
                "k8s/_peers/{namespace}/networkpolicy-{policy}.yaml"
            ))
            .is_file(),
            "{policy}"
        );
    }
    let dns = serde_json::json!({
        "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]});
    // A caller outside: its egress to the service, and DNS.
    let caller = ws.object("k8s/_peers/analytics/networkpolicy-ledger.finance-from-reporting.yaml");
    assert_eq!(caller["spec"]["policyTypes"], serde_json::json!(["Egress"]));
    assert_eq!(caller["spec"]["egress"][1], dns);
    assert_eq!(caller["spec"]["egress"][0]["ports"][0]["port"], 8443);
    // A destination outside: only its ingress from the service.
    let destination = ws.object("k8s/_peers/db/networkpolicy-ledger.finance-to-postgres-5432.yaml");
    assert_eq!(
        destination["spec"]["policyTypes"],
        serde_json::json!(["Ingress"])
    );
    // A pod that shares a namespace the system writes keeps DNS under its default deny, and its
    // policy is part of the system.
    let local = ws.object("k8s/payments/networkpolicy-payments-api-from-billing-worker.yaml");
    assert_eq!(local["spec"]["egress"][1], dns);
    let namespace_kustomization = read_path(&ws.path("k8s/payments/kustomization.yaml"));
    assert!(
        namespace_kustomization.contains("networkpolicy-payments-api-from-billing-worker.yaml")
    );
    let top = read_path(&ws.path("k8s/kustomization.yaml"));
    assert!(!top.contains("_peers"), "{top}");
}

// ---------------------------------------------------------------------------------------
// One trust
// ---------------------------------------------------------------------------------------

/// The folder of a service's files in the examples' system output.
fn service_dir(namespace: &str, name: &str) -> String {
    format!("k8s/{namespace}/{name}")
}

#[test]
fn every_server_and_client_certificate_verifies_against_the_trust_the_other_end_mounts() {
    let ws = Workspace::with_examples();
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let root = read_path(&ws.path("specs/.kubeward/trust/ca.crt"));
    // Every caller of a TLS service of the system, and the server it calls.
    for (caller, callee) in [
        (("payments", "payments-api"), ("finance", "ledger")),
        (("shop", "storefront"), ("shop", "checkout")),
    ] {
        let (paths, read_only) = mounted(
            &ws,
            &format!(
                "{}/deployment-{}.yaml",
                service_dir(caller.0, caller.1),
                caller.1
            ),
        );
        assert!(read_only, "{caller:?} mounts its files read-only");
        assert_eq!(
            paths.get("trust/ca.crt"),
            Some(&("ConfigMap".to_string(), "kubeward-trust".to_string())),
            "{caller:?} mounts the trust bundle"
        );
        let bundle = pem(
            &ws,
            &format!("k8s/{}/configmap-kubeward-trust.yaml", caller.0),
            "ca.crt",
        );
        assert!(bundle.contains(root.trim()), "the bundle holds the root");
        let host = format!("{}.{}.svc.cluster.local", callee.1, callee.0);
        if callee.1 == "checkout" {
            // cert-manager issues checkout's certificate; the bundle holds its issuer's CA.
            let issuer_ca = read_path(&common::repo("tests/examples/checkout/internal-ca.pem"));
            assert!(bundle.contains(issuer_ca.trim()), "{bundle}");
            continue;
        }
        let server = pem(
            &ws,
            &format!(
                "{}/secret-{}-tls.yaml",
                service_dir(callee.0, callee.1),
                callee.1
            ),
            "tls.crt",
        );
        tls::openssl_verify(&bundle, &server, Check::Server(&host))
            .unwrap_or_else(|e| panic!("{callee:?}: {e}"));
        // The chain holds the namespace's CA; the anchor is the one root.
        assert_eq!(tls::pem_blocks(&server).len(), 2);
    }
    // Every server certificate of the system chains to the one root.
    for (namespace, name) in [("finance", "ledger"), ("warehouse", "inventory")] {
        let server = pem(
            &ws,
            &format!("{}/secret-{name}-tls.yaml", service_dir(namespace, name)),
            "tls.crt",
        );
        tls::openssl_verify(
            &root,
            &server,
            Check::Server(&format!("{name}.{namespace}")),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The ledger requires client certificates: payments-api presents one, which the ledger
    // verifies with what it mounts.
    let (ledger, _) = mounted(&ws, "k8s/finance/ledger/deployment-ledger.yaml");
    assert_eq!(
        ledger.get("tls/client-ca.crt"),
        Some(&("ConfigMap".to_string(), "ledger-client-ca".to_string()))
    );
    let client_ca = pem(
        &ws,
        "k8s/finance/ledger/configmap-ledger-client-ca.yaml",
        "ca.crt",
    );
    let (payments, _) = mounted(
        &ws,
        "k8s/payments/payments-api/deployment-payments-api.yaml",
    );
    for file in ["tls.crt", "tls.key", "ca.crt"] {
        assert_eq!(
            payments.get(&format!("client/{file}")),
            Some(&("Secret".to_string(), "payments-api-client-tls".to_string()))
        );
    }
    let client = pem(
        &ws,
        "k8s/payments/payments-api/secret-payments-api-client-tls.yaml",
        "tls.crt",
    );
    tls::openssl_verify(&client_ca, &client, Check::Client).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        tls::uris(&client),
        ["spiffe://cluster.local/ns/payments/sa/payments-api"]
    );
    // A client certificate is no server certificate.
    assert!(
        tls::openssl_verify(&client_ca, &client, Check::Server("payments-api.payments")).is_err()
    );
    // And a client certificate from another system's trust is refused.
    let other = Workspace::with_examples();
    other.render_ok(&["-f", "specs", "-o", "k8s"]);
    let stranger = pem(
        &other,
        "k8s/payments/payments-api/secret-payments-api-client-tls.yaml",
        "tls.crt",
    );
    assert!(tls::openssl_verify(&client_ca, &stranger, Check::Client).is_err());
}

#[test]
fn payments_api_and_the_ledger_complete_a_real_mutual_tls_handshake_and_strangers_do_not() {
    let ws = Workspace::with_examples();
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let ledger_dir = service_dir("finance", "ledger");
    let ledger_secret = format!("{ledger_dir}/secret-ledger-tls.yaml");
    let (ledger_chain, ledger_key) = (
        pem(&ws, &ledger_secret, "tls.crt"),
        pem(&ws, &ledger_secret, "tls.key"),
    );
    let ledger_client_ca = pem(
        &ws,
        &format!("{ledger_dir}/configmap-ledger-client-ca.yaml"),
        "ca.crt",
    );
    let ledger = tls::End {
        chain: Some((&ledger_chain, &ledger_key)),
        anchors: &ledger_client_ca,
    };
    // payments-api, with what its pod mounts: its client certificate and the trust bundle.
    let client_secret = "k8s/payments/payments-api/secret-payments-api-client-tls.yaml";
    let (client_chain, client_key) = (
        pem(&ws, client_secret, "tls.crt"),
        pem(&ws, client_secret, "tls.key"),
    );
    let bundle = pem(&ws, "k8s/payments/configmap-kubeward-trust.yaml", "ca.crt");
    let payments = tls::End {
        chain: Some((&client_chain, &client_key)),
        anchors: &bundle,
    };
    let host = "ledger.finance.svc";
    tls::mutual_handshake(&ledger, &payments, host).unwrap_or_else(|e| panic!("{e}"));
    // The same caller, for a name the ledger's certificate does not hold.
    assert!(tls::mutual_handshake(&ledger, &payments, "ledger.payments.svc").is_err());
    // Without a client certificate, the ledger refuses the connection.
    let anonymous = tls::End {
        chain: None,
        anchors: &bundle,
    };
    assert!(tls::mutual_handshake(&ledger, &anonymous, host).is_err());
    // A client certificate of another system's trust (its own state folder) is refused, and so
    // is the ledger's own server certificate presented as a client's.
    let other = Workspace::with_examples();
    other.render_ok(&["-f", "specs", "-o", "k8s"]);
    let (stranger_chain, stranger_key) = (
        pem(&other, client_secret, "tls.crt"),
        pem(&other, client_secret, "tls.key"),
    );
    let stranger = tls::End {
        chain: Some((&stranger_chain, &stranger_key)),
        anchors: &bundle,
    };
    assert!(tls::mutual_handshake(&ledger, &stranger, host).is_err());
    let server_as_client = tls::End {
        chain: Some((&ledger_chain, &ledger_key)),
        anchors: &bundle,
    };
    assert!(tls::mutual_handshake(&ledger, &server_as_client, host).is_err());
}

#[test]
fn callers_outside_a_client_auth_service_are_named_with_the_field_that_admits_them() {
    let ws = Workspace::with_examples();
    let output = ws.render(&["-f", "specs", "-o", "k8s"]);
    let message = stderr(&output);
    assert!(
        message.contains("compliance/auditor (ServiceAccount audit-reader) is outside the system: kubeward issues it no client certificate; issue it one from a CA you add to spec.tls.clientCa"),
        "{message}"
    );
    // The trust bundle goes to the namespaces of callers outside the system.
    let bundle = pem(
        &ws,
        "k8s/_peers/compliance/configmap-kubeward-trust.yaml",
        "ca.crt",
    );
    let ledger = pem(&ws, "k8s/finance/ledger/secret-ledger-tls.yaml", "tls.crt");
    tls::openssl_verify(&bundle, &ledger, Check::Server("ledger.finance.svc")).unwrap();
    // With spec.tls.clientCa, the partners' CA signs client certificates the ledger accepts.
    let partner = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Compliance CA");
    let partner_ca = params.self_signed(&partner).unwrap();
    ws.write("specs/ledger/compliance-ca.pem", &partner_ca.pem());
    let spec = read_path(&ws.path("specs/ledger/kubeward.yaml"));
    ws.write(
        "specs/ledger/kubeward.yaml",
        &spec.replace(
            "    clientAuth: required",
            "    clientAuth: required\n    clientCa: ./compliance-ca.pem",
        ),
    );
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let client_ca = pem(
        &ws,
        "k8s/finance/ledger/configmap-ledger-client-ca.yaml",
        "ca.crt",
    );
    let key = rcgen::KeyPair::generate().unwrap();
    let mut auditor = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    auditor.subject_alt_names = vec![rcgen::SanType::URI(
        "spiffe://cluster.local/ns/compliance/sa/audit-reader"
            .try_into()
            .unwrap(),
    )];
    auditor.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    auditor.use_authority_key_identifier_extension = true;
    let issuer = rcgen::Issuer::new(params, partner);
    let auditor = auditor.signed_by(&key, &issuer).unwrap();
    tls::openssl_verify(&client_ca, &auditor.pem(), Check::Client).unwrap();
    // The system's own clients still verify.
    let client = pem(
        &ws,
        "k8s/payments/payments-api/secret-payments-api-client-tls.yaml",
        "tls.crt",
    );
    tls::openssl_verify(&client_ca, &client, Check::Client).unwrap();
}

#[test]
fn with_cert_manager_client_certificates_are_certificates_for_client_auth() {
    let ws = Workspace::new_empty();
    let issuer = "    mode: cert-manager\n    issuer: { kind: ClusterIssuer, name: mesh-ca, ca: ./mesh-ca.pem }\n";
    ws.write(
        "s/api.yaml",
        &spec("api", "back", &format!("  protocol: https\n  callers:\n    - {{app: web, namespace: front}}\n  tls:\n{issuer}    clientAuth: required\n")),
    );
    ws.write(
        "s/mesh-ca.pem",
        &read_path(&common::repo("tests/examples/checkout/internal-ca.pem")),
    );
    ws.write("s/web.yaml", &web_calling_api(443));
    ws.render_ok(&["-f", "s", "-o", "out"]);
    let name = "web-client-tls.clusterissuer.mesh-ca";
    let certificate = ws.object(&format!("out/front/web/certificate-{name}.yaml"));
    assert_eq!(
        certificate["spec"]["usages"],
        serde_json::json!(["client auth", "digital signature"])
    );
    assert_eq!(
        certificate["spec"]["uris"],
        serde_json::json!(["spiffe://cluster.local/ns/front/sa/web"])
    );
    assert_eq!(certificate["spec"]["issuerRef"]["name"], "mesh-ca");
    assert_eq!(certificate["spec"]["secretName"], name);
    assert_eq!(common::crds::crd_errors(&certificate), Vec::<String>::new());
    let server = ws.object("out/back/api/certificate-api-tls.yaml");
    assert_eq!(common::crds::crd_errors(&server), Vec::<String>::new());
    let (paths, _) = mounted(&ws, "out/front/web/deployment-web.yaml");
    assert_eq!(
        paths.get("client/clusterissuer/mesh-ca/tls.crt"),
        Some(&("Secret".to_string(), name.to_string()))
    );
    // The issuer's CA, given in the callee's spec, is in the caller's trust bundle.
    assert!(paths.contains_key("trust/ca.crt"));
    // A namespaced Issuer cannot certify a caller of another namespace.
    ws.write(
        "s/api.yaml",
        &read_path(&ws.path("s/api.yaml")).replace("kind: ClusterIssuer", "kind: Issuer"),
    );
    fs::remove_dir_all(ws.path("out")).unwrap();
    ws.refuses(
        "s",
        &[
            "spec.tls.issuer.kind: an Issuer lives in namespace back only: its caller front/web cannot get a client certificate from it",
        ],
    );
}

#[test]
fn services_of_one_namespace_share_one_ca_under_the_one_root() {
    let ws = Workspace::new_empty();
    let tls = "  protocol: https\n  tls:\n    mode: self-signed\n";
    for i in 0..8 {
        ws.write(
            &format!("team/s{i}/kubeward.yaml"),
            &spec(
                &format!("svc-{i}"),
                if i < 6 { "team" } else { "other" },
                tls,
            ),
        );
    }
    ws.render_ok(&["-f", "team", "--state", "state", "-o", "out"]);
    let root = read_path(&ws.path("state/trust/ca.crt"));
    let team_ca = read_path(&ws.path("state/trust/team/ca.crt"));
    for i in 0..8 {
        let ns = if i < 6 { "team" } else { "other" };
        let signer = read_path(&ws.path(&format!("state/{ns}/svc-{i}/certs/svc-{i}-tls.ca")));
        assert_eq!(signer == team_ca, ns == "team", "svc-{i}");
        let chain = pem(
            &ws,
            &format!("out/{ns}/svc-{i}/secret-svc-{i}-tls.yaml"),
            "tls.crt",
        );
        tls::openssl_verify(&root, &chain, Check::Server(&format!("svc-{i}.{ns}.svc")))
            .unwrap_or_else(|e| panic!("svc-{i}: {e}"));
    }
    // Its name constraints permit every service of the namespace, and no other's.
    let permitted = Command::new("openssl")
        .args(["x509", "-noout", "-ext", "nameConstraints", "-in"])
        .arg(ws.path("state/trust/team/ca.crt"))
        .output()
        .unwrap();
    let permitted = String::from_utf8(permitted.stdout).unwrap();
    for i in 0..6 {
        assert!(permitted.contains(&format!("DNS:svc-{i}\n")), "{permitted}");
    }
    assert!(
        !permitted.contains("svc-6") && !permitted.contains("other"),
        "{permitted}"
    );
}

// ---------------------------------------------------------------------------------------
// Finding the specs, and what goes wrong
// ---------------------------------------------------------------------------------------

#[test]
fn every_yaml_of_kind_secure_service_is_a_spec_and_other_kinds_are_passed_over() {
    let ws = Workspace::new_empty();
    ws.write("tree/a/kubeward.yaml", &spec("a", "one", ""));
    ws.write("tree/deep/er/b/kubeward.yaml", &spec("b", "two", ""));
    ws.write("tree/.hidden/kubeward.yaml", &spec("hidden", "three", ""));
    ws.write("tree/other.yaml", &spec("other", "four", ""));
    ws.write("tree/also.yml", &spec("also", "four", ""));
    ws.write(
        "tree/presets/acme.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: acme}\nextends: restricted\n",
    );
    ws.write(
        "tree/rendered/stream.yaml",
        "kind: Deployment\n---\nkind: Service\n",
    );
    ws.write("tree/notes.txt", "not yaml, not read");
    ws.render_ok(&["-f", "tree", "-o", "out"]);
    let services: Vec<String> = ws
        .files("out")
        .keys()
        .filter_map(|f| f.strip_suffix("/kustomization.yaml").map(str::to_string))
        .filter(|f| f.matches('/').count() == 1)
        .collect();
    assert_eq!(services, ["four/also", "four/other", "one/a", "two/b"]);
    // A .yaml file that is not YAML is an error naming it, and nothing is written.
    ws.write(
        "tree/templates/deployment.yaml",
        "{%- set w = plan.workload -%}\nkind: x\n",
    );
    fs::remove_dir_all(ws.path("out")).unwrap();
    ws.refuses("tree", &["tree/templates/deployment.yaml: is not YAML"]);
    ws.write("empty/notes.txt", "no specs here");
    let output = ws.render(&["-f", "empty"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("empty: no spec in this folder or its sub-folders"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_order_of_the_output_never_depends_on_the_threads() {
    let ws = Workspace::with_examples();
    for i in 0..40 {
        // Uneven work: every third service needs a certificate, which costs far more.
        let tls = if i % 3 == 0 {
            "  protocol: https\n  tls:\n    mode: self-signed\n"
        } else {
            ""
        };
        ws.write(
            &format!("many/s{i:02}/kubeward.yaml"),
            &spec(&format!("svc-{i}"), &format!("ns-{}", i % 4), tls),
        );
    }
    let first = ws.render_ok(&["-f", "many", "--state", "state"]);
    let names: Vec<String> = common::bundle::parse_stream(&first)
        .iter()
        .filter(|o| o["kind"] == "Deployment")
        .map(|o| o["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    let mut expected: Vec<(String, usize)> =
        (0..40).map(|i| (format!("ns-{}", i % 4), i)).collect();
    expected.sort_by(|a, b| (&a.0, format!("svc-{}", a.1)).cmp(&(&b.0, format!("svc-{}", b.1))));
    assert_eq!(
        names,
        expected
            .into_iter()
            .map(|(_, i)| format!("svc-{i}"))
            .collect::<Vec<_>>(),
        "namespaces in order, then their services by name"
    );
    for _ in 0..4 {
        assert_eq!(ws.render_ok(&["-f", "many", "--state", "state"]), first);
    }
}

#[test]
fn every_bad_spec_is_reported_with_its_file_and_nothing_is_written() {
    let ws = Workspace::with_examples();
    ws.write(
        "specs/zz-bad-name/kubeward.yaml",
        &spec("Bad_Name", "shop2", ""),
    );
    ws.write(
        "specs/aa-bad-port/kubeward.yaml",
        &spec("ok-name", "shop3", "").replace("port: 8080", "port: 70000"),
    );
    ws.write(
        "elsewhere/unknown-field.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nbogus: 1\n",
    );
    let output = ws.render(&[
        "-f",
        "specs",
        "-f",
        "elsewhere/unknown-field.yaml",
        "-f",
        "missing.yaml",
        "-o",
        "out",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    let total = example_names().len() + 4;
    assert!(
        message.contains(&format!("4 of {total} specs failed")),
        "{message}"
    );
    let expected = [
        "specs/aa-bad-port/kubeward.yaml is not a valid service",
        "line 8: spec.port",
        "specs/zz-bad-name/kubeward.yaml is not a valid service",
        "line 4: metadata.name",
        "elsewhere/unknown-field.yaml is not a valid service",
        "line 3: bogus",
        "cannot read missing.yaml",
    ];
    let mut from = 0;
    for text in expected {
        let at = message[from..]
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} missing or out of order in:\n{message}"));
        from += at + text.len();
    }
    assert!(!ws.path("out").exists(), "the output folder was written");
    assert_eq!(
        ws.state_folders(),
        Vec::<PathBuf>::new(),
        "state was written"
    );
}

#[test]
fn keep_going_renders_the_system_of_the_good_specs_and_still_fails() {
    let ws = Workspace::with_examples();
    ws.write("specs/bad/kubeward.yaml", &spec("bad", "default", ""));
    let output = ws.render(&["-f", "specs", "-o", "out", "--keep-going"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("specs/bad/kubeward.yaml"), "{message}");
    assert!(message.contains("metadata.namespace"), "{message}");
    assert!(
        message.contains(&format!(
            "the other {} were rendered",
            example_names().len()
        )),
        "{message}"
    );
    assert_eq!(
        kustomize(&ws.path("out"))
            .iter()
            .filter(|o| o["kind"] == "Deployment")
            .count(),
        example_names().len()
    );
    assert!(!ws.path("out/default").exists());
    // To stdout, the good services are printed and the failure still reported.
    let output = ws.render(&["-f", "specs", "--keep-going"]);
    assert_eq!(output.status.code(), Some(2));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        printed.matches("\nkind: Deployment\n").count(),
        example_names().len()
    );
}

#[test]
fn a_failure_after_validation_exits_1_and_names_its_file() {
    let ws = Workspace::with_examples();
    let secret = "  secrets:\n    - name: token\n      fromEnv: KUBEWARD_SYSTEM_UNSET_VARIABLE\n";
    ws.write(
        "specs/needs-env/kubeward.yaml",
        &spec("needs-env", "tools", secret),
    );
    let output = ws.render(&["-f", "specs", "-o", "out"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("specs/needs-env/kubeward.yaml: spec.secrets[0].fromEnv"),
        "{message}"
    );
    assert!(!ws.path("out").exists(), "the output folder was written");
}

#[test]
fn two_specs_of_one_service_are_refused() {
    let ws = Workspace::with_examples();
    let ledger = read_path(&ws.path("specs/ledger/kubeward.yaml"));
    ws.write("copy/kubeward.yaml", &ledger);
    let output = ws.render(&["-f", "specs", "-f", "copy"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("copy/kubeward.yaml: describes service finance/ledger as specs/ledger/kubeward.yaml does"),
        "{message}"
    );
    assert!(output.stdout.is_empty());
    // The same file named twice is one spec, rendered once.
    let twice = ws.render_ok(&["-f", "specs/ledger", "-f", "specs/ledger/kubeward.yaml"]);
    assert_eq!(twice, ws.render_ok(&["-f", "specs/ledger"]));
}

#[test]
fn service_flags_and_rotate_are_refused_in_a_system() {
    let ws = Workspace::with_examples();
    for extra in [["--image", "nginx:1.0"], ["--rotate", "session-key"]] {
        let mut args = vec!["-f", "specs"];
        args.extend(extra);
        let output = ws.render(&args);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(
            stderr(&output).contains("not to a system"),
            "{}",
            stderr(&output)
        );
    }
}

// ---------------------------------------------------------------------------------------
// The book
// ---------------------------------------------------------------------------------------

/// The ```` ```text ```` block that follows `marker` in the system chapter of the book.
fn book_block(marker: &str) -> String {
    BookPage::read("reference/system.md").block_after(marker, Some("text"))
}

#[test]
fn the_book_shows_the_folders_the_examples_system_writes() {
    let ws = Workspace::with_examples();
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let folders: BTreeSet<String> = ws
        .files("k8s")
        .keys()
        .filter_map(|file| file.rsplit_once('/').map(|(dir, _)| format!("k8s/{dir}/")))
        .collect();
    let shown: BTreeSet<String> = book_block("system-tree")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(shown, folders);
}

#[test]
fn the_book_shows_the_errors_of_a_system_with_two_bad_specs() {
    let ws = Workspace::new_empty();
    for name in example_names() {
        common::spec::copy_example(&name, &ws.path(&format!("services/{name}")));
    }
    let bad = spec("Bad", "shop", "").replace("exposure: cluster\n", "");
    ws.write("services/a/kubeward.yaml", &bad);
    let bad_port = bad
        .replace("name: Bad", "name: b")
        .replace("port: 8080", "port: 70000");
    ws.write("services/b/kubeward.yaml", &bad_port);
    let output = ws.render(&["-f", "services", "-o", "k8s"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), book_block("system-errors"));
    assert!(!ws.path("k8s").exists());
}

#[test]
fn the_book_shows_the_error_of_a_one_sided_connection() {
    let ws = Workspace::new_empty();
    for name in example_names() {
        common::spec::copy_example(&name, &ws.path(&format!("services/{name}")));
    }
    let payments = read_path(&ws.path("services/payments-api/kubeward.yaml"));
    let one_sided = payments.replace("    - app: checkout\n      namespace: shop\n", "");
    assert_ne!(one_sided, payments);
    ws.write("services/payments-api/kubeward.yaml", &one_sided);
    let output = ws.render(&["-f", "services", "-o", "k8s"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), book_block("one-sided"));
    assert!(!ws.path("k8s").exists());
}

// ---------------------------------------------------------------------------------------
// The system seen whole: graph and explain
// ---------------------------------------------------------------------------------------

/// `kubeward ARGS` in the workspace, which must succeed: its standard output.
fn kubeward_ok(ws: &Workspace, args: &[&str]) -> String {
    let output = common::run::kubeward()
        .current_dir(ws.dir.path())
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "kubeward {args:?}: {}",
        stderr(&output)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The workspace with the examples, `payments-api` no longer admitting `shop/checkout`.
fn one_sided_examples() -> Workspace {
    let ws = Workspace::with_examples();
    let path = "specs/payments-api/kubeward.yaml";
    let payments = read_path(&ws.path(path));
    ws.write(
        path,
        &payments.replace("    - app: checkout\n      namespace: shop\n", ""),
    );
    ws
}

#[test]
fn the_graph_of_a_system_draws_every_service_and_marks_one_sided_connections_and_outsiders() {
    let ws = Workspace::with_examples();
    for format in ["mermaid", "dot"] {
        let drawing = kubeward_ok(&ws, &["graph", "-f", "specs", "--format", format]);
        for (_, spec) in common::spec::examples() {
            let spec = common::yaml_value(&read_path(&spec));
            let service = spec["metadata"]["name"].as_str().unwrap();
            assert!(drawing.contains(service), "{format}: {service}");
        }
        for outsider in ["reporting", "auditor", "postgres", "billing-worker"] {
            let line = drawing
                .lines()
                .find(|l| l.contains(&format!("\"{outsider}")))
                .unwrap_or_else(|| panic!("{format}: no {outsider} in\n{drawing}"));
            assert!(line.contains("outside the system"), "{format}: {line}");
        }
        assert!(
            !drawing.contains("one-sided"),
            "{format}: the examples fit together"
        );
        assert!(
            !drawing.contains("blocked"),
            "{format}: every declared flow is open at both ends"
        );
    }
    let ws = one_sided_examples();
    for format in ["mermaid", "dot"] {
        let drawing = kubeward_ok(&ws, &["graph", "-f", "specs", "--format", format]);
        let marked: Vec<&str> = drawing
            .lines()
            .filter(|l| l.contains("one-sided"))
            .collect();
        assert_eq!(marked.len(), 1, "{format}:\n{drawing}");
        assert!(
            marked[0].contains("TCP 8080: one-sided: declared by the caller only"),
            "{format}: {}",
            marked[0]
        );
    }
}

#[test]
fn explain_of_a_system_says_how_each_connection_is_declared_and_verified() {
    let ws = Workspace::with_examples();
    let text = kubeward_ok(&ws, &["explain", "-f", "specs"]);
    for line in [
        "A system of 13 services in 11 namespaces",
        "  payments/payments-api -> finance/ledger on port 8443: both ends declare it; TLS, verified with the system's trust bundle; mutual TLS, the caller presents spiffe://cluster.local/ns/payments/sa/payments-api",
        "  shop/storefront -> shop/checkout on port 8443: both ends declare it; TLS from the cert-manager ClusterIssuer `internal-ca`, verified with the system's trust bundle",
        "  analytics/reporting, a caller of finance/ledger on port 8443: ledger.finance-from-reporting (in _peers/analytics/ of the output)",
        "  finance/ledger requires client certificates; callers outside the system, which kubeward issues no client certificate: compliance/auditor, analytics/reporting",
        "ledger in namespace finance: ",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
    assert!(
        text.starts_with(&book_block("system-explain")),
        "the book's excerpt is not how explain starts:\n{text}"
    );
    let json: Value = serde_json::from_str(&kubeward_ok(
        &ws,
        &["explain", "-f", "specs", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json["system"]["connections"].as_array().unwrap().len(), 4);
    assert_eq!(json["services"].as_array().unwrap().len(), 13);
    let ws = one_sided_examples();
    let text = kubeward_ok(&ws, &["explain", "-f", "specs"]);
    assert!(
        text.contains("  shop/checkout -> payments/payments-api on port 8080: declared by the caller only: the render refuses it"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------
// Every connection of every system, verified as its two ends would
// ---------------------------------------------------------------------------------------

/// The connections of the system in `specs`, as `explain --format json` lists them.
fn connections(ws: &Workspace, specs: &str) -> Value {
    serde_json::from_str(&kubeward_ok(
        ws,
        &["explain", "-f", specs, "--format", "json"],
    ))
    .unwrap()
}

/// The files of the folder of service `namespace/name` in the output `out`, by name.
fn service_files(ws: &Workspace, out: &str, id: &str) -> BTreeMap<String, Value> {
    let (namespace, name) = id.split_once('/').unwrap();
    ws.files(&format!("{out}/{namespace}/{name}"))
        .into_iter()
        .filter(|(file, _)| file != "kustomization.yaml")
        .map(|(file, bytes)| (file, common::yaml_value(&String::from_utf8(bytes).unwrap())))
        .collect()
}

/// Verifies every connection of the system in `specs` (a folder of the workspace) as its
/// two ends would; returns how many certificate chains openssl verified.
fn verify_every_connection(ws: &Workspace, specs: &str) -> usize {
    ws.render_ok(&["-f", specs, "-o", "out", "--state", "state"]);
    let root = read_path(&ws.path("state/trust/ca.crt"));
    let explained = connections(ws, specs);
    let anchors: Vec<String> = explained["system"]["trust"]["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_str().unwrap();
            if a.starts_with("kubeward's root CA") {
                root.clone()
            } else {
                read_path(Path::new(a))
            }
        })
        .collect();
    let mut verified = 0;
    // Every trust bundle, in the system and for the peers outside it, holds the anchors.
    for (file, bytes) in ws.files("out") {
        if file.ends_with("configmap-kubeward-trust.yaml") {
            let bundle = common::yaml_value(&String::from_utf8(bytes).unwrap());
            let text = bundle["data"]["ca.crt"].as_str().unwrap();
            for anchor in &anchors {
                assert!(text.contains(anchor.trim()), "{file} lacks an anchor");
            }
            assert_eq!(tls::pem_blocks(text).len(), anchors.len(), "{file}");
        }
    }
    let connections = explained["system"]["connections"].as_array().unwrap();
    assert!(!connections.is_empty());
    for c in connections {
        assert_eq!(c["declared_by"], "both", "{c}");
        let (caller, callee) = (c["caller"].as_str().unwrap(), c["callee"].as_str().unwrap());
        let (callee_ns, callee_name) = callee.split_once('/').unwrap();
        let (caller_ns, caller_name) = caller.split_once('/').unwrap();
        let callee_files = service_files(ws, "out", callee);
        let caller_files = service_files(ws, "out", caller);
        let deployment = format!("out/{caller_ns}/{caller_name}/deployment-{caller_name}.yaml");
        let server_secret = callee_files.get(&format!("secret-{callee_name}-tls.yaml"));
        let server_certificate = callee_files.get(&format!("certificate-{callee_name}-tls.yaml"));
        if server_secret.is_none() && server_certificate.is_none() {
            assert_eq!(c["tls"], "clear text", "{c}");
            continue;
        }
        let (mounts, read_only) = mounted(ws, &deployment);
        assert!(read_only, "{caller}");
        assert_eq!(
            mounts.get("trust/ca.crt"),
            Some(&("ConfigMap".to_string(), "kubeward-trust".to_string())),
            "{caller} calls {callee} and mounts the trust bundle"
        );
        let bundle = pem(
            ws,
            &format!("out/{caller_ns}/configmap-kubeward-trust.yaml"),
            "ca.crt",
        );
        if let Some(secret) = server_secret {
            let chain = String::from_utf8(
                STANDARD
                    .decode(secret["data"]["tls.crt"].as_str().unwrap())
                    .unwrap(),
            )
            .unwrap();
            let host = format!("{callee_name}.{callee_ns}.svc.cluster.local");
            tls::openssl_verify(&bundle, &chain, Check::Server(&host))
                .unwrap_or_else(|e| panic!("{caller} -> {callee}: {e}"));
            verified += 1;
        }
        let Some(identity) = c["client_identity"].as_str() else {
            continue;
        };
        match server_certificate {
            None => {
                let client_ca = pem(
                    ws,
                    &format!(
                        "out/{callee_ns}/{callee_name}/configmap-{callee_name}-client-ca.yaml"
                    ),
                    "ca.crt",
                );
                let (callee_mounts, _) = mounted(
                    ws,
                    &format!("out/{callee_ns}/{callee_name}/deployment-{callee_name}.yaml"),
                );
                assert!(callee_mounts.contains_key("tls/client-ca.crt"), "{callee}");
                let secret = &caller_files[&format!("secret-{caller_name}-client-tls.yaml")];
                let chain = String::from_utf8(
                    STANDARD
                        .decode(secret["data"]["tls.crt"].as_str().unwrap())
                        .unwrap(),
                )
                .unwrap();
                tls::openssl_verify(&client_ca, &chain, Check::Client)
                    .unwrap_or_else(|e| panic!("{caller} presents to {callee}: {e}"));
                assert_eq!(tls::uris(&chain), [identity]);
                assert!(mounts.contains_key("client/tls.crt"), "{caller}");
                verified += 1;
            }
            Some(server) => {
                let issuer = &server["spec"]["issuerRef"];
                let name = format!(
                    "{caller_name}-client-tls.{}.{}",
                    issuer["kind"].as_str().unwrap().to_lowercase(),
                    issuer["name"].as_str().unwrap()
                );
                let client = &caller_files[&format!("certificate-{name}.yaml")];
                assert_eq!(&client["spec"]["issuerRef"], issuer, "{caller}");
                assert_eq!(client["spec"]["uris"], serde_json::json!([identity]));
                assert!(
                    client["spec"]["usages"]
                        .as_array()
                        .unwrap()
                        .contains(&Value::from("client auth"))
                );
                assert_eq!(common::crds::crd_errors(client), Vec::<String>::new());
                assert_eq!(common::crds::crd_errors(server), Vec::<String>::new());
            }
        }
    }
    // Every certificate kubeward issued for a server chains to the one root.
    for (file, bytes) in ws.files("out") {
        let object = common::yaml_value(&String::from_utf8(bytes).unwrap());
        if object["type"] == "kubernetes.io/tls" && !file.contains("client-tls") {
            let chain = String::from_utf8(
                STANDARD
                    .decode(object["data"]["tls.crt"].as_str().unwrap())
                    .unwrap(),
            )
            .unwrap();
            let (dns, _) = tls::names(&tls::der(&chain));
            tls::openssl_verify(&root, &chain, Check::Server(&dns[0]))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            verified += 1;
        }
    }
    verified
}

#[test]
fn every_connection_of_the_examples_system_verifies_at_both_ends() {
    let ws = Workspace::with_examples();
    let verified = verify_every_connection(&ws, "specs");
    assert!(verified >= 4, "only {verified} chains verified");
}

#[test]
fn every_connection_of_the_clinic_system_verifies_at_both_ends() {
    let ws = Workspace::new_empty();
    let from = common::repo("tests/systems/clinic");
    for (file, bytes) in {
        let mut files = BTreeMap::new();
        collect(&from, &from, &mut files);
        files
    } {
        common::write(&ws.path(&format!("clinic/{file}")), bytes);
    }
    let verified = verify_every_connection(&ws, "clinic");
    assert!(verified >= 8, "only {verified} chains verified");
}
