//! Presets and template overrides end to end through the binary: every shipped preset on a
//! representative example, folders of presets and their floors, the `presets` and
//! `templates` commands, and hostile override templates.

mod common;

use std::fs;
use std::path::PathBuf;

use common::spec::api_spec;
use serde_json::Value;

/// A temporary folder with files, where kubeward runs.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = Dir(tempfile::tempdir().unwrap());
        for (name, text) in files {
            dir.write(name, text);
        }
        dir
    }

    fn write(&self, name: &str, text: &str) {
        common::write(&self.path(name), text);
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = common::run::kubeward()
            .current_dir(self.0.path())
            .env_remove("KUBEWARD_PRESETS_DIR")
            .args(args)
            .output()
            .unwrap();
        let run = Run {
            code: out.status.code().unwrap(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        run
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> String {
        assert_eq!(self.code, 0, "{}", self.stderr);
        self.stdout
    }

    fn failed(self, code: i32) -> String {
        assert_eq!(
            self.code, code,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self.stderr
    }

    fn objects(self) -> Vec<Value> {
        serde_saphyr::from_multiple(&self.ok()).unwrap()
    }
}

fn preset(name: &str, extends: &str, body: &str) -> String {
    format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: {name}\nextends: {extends}\n{body}"
    )
}

fn find<'a>(objects: &'a [Value], kind: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind}"))
}

/// Renders an example with a shipped preset (the state folder in a temporary directory).
fn render_example(example_name: &str, preset: &str) -> Vec<Value> {
    render_example_with(example_name, preset, &[])
}

/// [`render_example`], with more flags.
fn render_example_with(example_name: &str, preset: &str, flags: &[&str]) -> Vec<Value> {
    let dir = Dir::new(&[]);
    let spec = common::spec::example(example_name).display().to_string();
    let state = dir.path("state").display().to_string();
    let mut args = vec!["render", "-f", &spec, "--preset", preset, "--state", &state];
    args.extend(flags);
    dir.run(&args).objects()
}

fn pod(objects: &[Value]) -> &Value {
    &find(objects, "Deployment")["spec"]["template"]["spec"]
}

#[test]
fn baseline_relaxes_three_rows_and_records_each_as_scanner_exemptions() {
    let objects = render_example("storefront", "baseline");
    let deployment = find(&objects, "Deployment");
    let annotations = &deployment["metadata"]["annotations"];
    assert_eq!(deployment["spec"]["replicas"], 1);
    assert!(pod(&objects)["affinity"].is_null());
    assert!(pod(&objects)["topologySpreadConstraints"].is_null());
    let context = &pod(&objects)["containers"][0]["securityContext"];
    assert_eq!(context["readOnlyRootFilesystem"], false);
    assert_eq!(context["runAsNonRoot"], true, "the rest stays restricted");
    assert_eq!(context["capabilities"]["drop"][0], "ALL");
    assert!(
        annotations["checkov.io/skip1"]
            .as_str()
            .unwrap()
            .starts_with("CKV_K8S_22=the preset's readOnlyRootFilesystem is false")
    );
    assert_eq!(
        annotations["kube-score/ignore"],
        "deployment-replicas,deployment-has-host-podantiaffinity,container-security-context-readonlyrootfilesystem"
    );
    for check in [
        "no-read-only-root-fs",
        "no-anti-affinity",
        "minimum-three-replicas",
    ] {
        let reason = annotations[format!("ignore-check.kube-linter.io/{check}")]
            .as_str()
            .unwrap();
        assert!(reason.len() > 20, "{check}: {reason}");
    }
    for check in [
        "notReadOnlyRootFilesystem",
        "topologySpreadConstraint",
        "deploymentMissingReplicas",
    ] {
        assert_eq!(
            annotations[format!("polaris.fairwinds.com/{check}-exempt")],
            "true"
        );
    }
    assert_eq!(
        deployment["spec"]["template"]["metadata"]["annotations"], *annotations,
        "the pod template carries the same exemptions"
    );
}

#[test]
fn restricted_based_presets_render_their_shape_without_exemptions() {
    let web = render_example("storefront", "public-web");
    let deployment = find(&web, "Deployment");
    assert!(
        deployment["spec"]["replicas"].is_null(),
        "the autoscaler owns the count"
    );
    let autoscaler = find(&web, "HorizontalPodAutoscaler");
    assert_eq!(autoscaler["spec"]["minReplicas"], 3);
    assert_eq!(autoscaler["spec"]["maxReplicas"], 10);
    assert_eq!(
        find(&web, "HTTPRoute")["spec"]["parentRefs"][0]["sectionName"],
        "https"
    );
    let exempt = deployment["metadata"]["annotations"].as_object().unwrap();
    let keys: Vec<&str> = exempt.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ignore-check.kube-linter.io/minimum-three-replicas",
            "polaris.fairwinds.com/deploymentMissingReplicas-exempt"
        ],
        "only the exemptions of the autoscaled count"
    );

    let grpc = render_example("inventory", "internal-grpc");
    // The port speaks TLS, which the kubelet's gRPC probe cannot: the clear-text health port.
    assert_eq!(
        pod(&grpc)["containers"][0]["readinessProbe"]["grpc"]["port"],
        8081
    );
    assert!(
        grpc.iter()
            .any(|o| o["metadata"]["name"] == "inventory-tls")
    );

    let worker = render_example("report-worker", "worker");
    let policy = worker
        .iter()
        .find(|o| o["kind"] == "NetworkPolicy" && o["metadata"]["name"] == "report-worker")
        .unwrap();
    assert!(
        policy["spec"]["ingress"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "called by nobody: {policy}"
    );
    assert!(pod(&worker)["containers"][0]["livenessProbe"]["tcpSocket"].is_object());

    // api-client does not know where the API server is.
    let client = render_example_with(
        "config-watcher",
        "api-client",
        &["--api-server-cidr", "192.0.2.10/32"],
    );
    let token = &pod(&client)["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "api-token")
        .unwrap()["projected"]["sources"][0]["serviceAccountToken"];
    assert_eq!(token["expirationSeconds"], 600);

    for objects in [&grpc, &client] {
        let annotations = &find(objects, "Deployment")["metadata"]["annotations"];
        assert!(annotations.is_null(), "{annotations}");
    }
}

#[test]
fn a_spec_below_a_shipped_floor_is_refused_with_field_line_and_preset() {
    let dir = Dir::new(&[(
        "kubeward.yaml",
        &api_spec("  preset: public-web\n  replicas: 1\n  ingress: { host: shop.example.com }\n"),
    )]);
    let err = dir
        .run(&["render", "-f", "kubeward.yaml", "-o", "out"])
        .failed(2);
    assert!(
        err.contains(
            "line 10: spec.replicas: 1 is below the floor minReplicas: 2 set by preset `public-web`"
        ),
        "{err}"
    );
    assert!(!dir.path("out").exists(), "nothing is written");
}

#[test]
fn confidential_services_refuse_a_preset_default_of_one_replica() {
    let dir = Dir::new(&[(
        "kubeward.yaml",
        &api_spec("  preset: baseline\n  sensitivity: confidential\n"),
    )]);
    let err = dir.run(&["render", "-f", "kubeward.yaml"]).failed(2);
    assert!(
        err.contains("spec.replicas: sensitivity confidential and above needs at least 2 replicas")
            && err.contains("the preset's default is 1"),
        "{err}"
    );
}

/// An organisation's folder: `acme` extends restricted and locks floors.
fn acme_folder() -> Dir {
    Dir::new(&[
        (
            "presets/acme.yaml",
            &preset(
                "acme",
                "restricted",
                "spec:\n  replicas: 2\nfloors:\n  allowedRegistries: [ghcr.io/acme]\n  minReplicas: 2\n  requireImageDigest: true\n",
            ),
        ),
        (
            "presets/acme-web.yaml",
            &preset(
                "acme-web",
                "acme",
                "spec:\n  defaults: { exposure: cluster }\n",
            ),
        ),
    ])
}

#[test]
fn a_folder_preset_is_found_by_name_from_the_flag_or_the_environment() {
    let dir = acme_folder();
    dir.write("kubeward.yaml", &api_spec("  preset: acme-web\n"));
    let objects = dir
        .run(&["render", "-f", "kubeward.yaml", "--presets-dir", "presets"])
        .objects();
    assert_eq!(find(&objects, "Deployment")["spec"]["replicas"], 2);
    let from_env = common::run::kubeward()
        .current_dir(dir.path("."))
        .env("KUBEWARD_PRESETS_DIR", "presets")
        .args(["render", "-f", "kubeward.yaml"])
        .output()
        .unwrap();
    assert!(from_env.status.success());
    let err = dir.run(&["render", "-f", "kubeward.yaml"]).failed(2);
    assert!(err.contains("no presets folder given"), "{err}");
}

#[test]
fn a_spec_cannot_weaken_an_organisation_floor() {
    let dir = acme_folder();
    dir.write(
        "kubeward.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  preset: acme-web\n  image: docker.io/someone/api:1.0\n  port: 8443\n  replicas: 1\n",
    );
    let err = dir
        .run(&["render", "-f", "kubeward.yaml", "--presets-dir", "presets"])
        .failed(2);
    for expected in [
        "line 8: spec.image: `docker.io/someone/api` is not from an allowed registry: the floor allowedRegistries: [ghcr.io/acme] is set by preset `acme`",
        "line 8: spec.image: is not pinned by digest (repo:tag@sha256:...): the floor requireImageDigest is set by preset `acme`",
        "line 10: spec.replicas: 1 is below the floor minReplicas: 2 set by preset `acme`",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let err = dir
        .run(&[
            "render",
            "-f",
            "kubeward.yaml",
            "--presets-dir",
            "presets",
            "--image",
            "ghcr.io/acme/api:1.0",
            "--replicas",
            "2",
            "--allow-unpinned-image",
        ])
        .failed(2);
    assert!(
        err.contains("the floor requireImageDigest is set by preset `acme`"),
        "a flag does not lift a floor: {err}"
    );
}

#[test]
fn presets_list_and_show_name_where_each_preset_and_value_comes_from() {
    let dir = acme_folder();
    let list = dir
        .run(&["presets", "list", "--presets-dir", "presets"])
        .ok();
    for name in [
        "restricted",
        "baseline",
        "public-web",
        "internal-grpc",
        "worker",
        "api-client",
    ] {
        assert!(list.contains(&format!("\n{name} ")), "{name}\n{list}");
    }
    assert!(
        list.lines().any(|l| l.starts_with("acme-web ")
            && l.contains(" acme ")
            && l.contains("presets/acme-web.yaml")),
        "{list}"
    );
    let shown = dir
        .run(&["presets", "show", "acme-web", "--presets-dir", "presets"])
        .ok();
    assert!(shown.starts_with(
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: acme-web"
    ));
    let resolved = dir
        .run(&[
            "presets",
            "show",
            "acme-web",
            "--resolved",
            "--presets-dir",
            "presets",
        ])
        .ok();
    assert!(resolved.contains("# chain: acme-web (presets/acme-web.yaml) → acme (presets/acme.yaml) → restricted (shipped)"), "{resolved}");
    let setter = |key: &str| {
        resolved
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{key}:")))
            .and_then(|l| l.rsplit("# ").next())
            .unwrap_or_else(|| panic!("{key} in\n{resolved}"))
            .to_string()
    };
    assert_eq!(setter("exposure"), "acme-web");
    assert_eq!(setter("replicas"), "acme");
    assert_eq!(setter("runAsUser"), "restricted");
    let floors = &resolved[resolved.find("\nfloors:").expect("a floors section")..];
    let floor_setter = floors
        .lines()
        .find(|l| l.trim_start().starts_with("minReplicas:"))
        .and_then(|l| l.rsplit("# ").next())
        .unwrap_or_else(|| panic!("minReplicas in\n{floors}"));
    assert_eq!(floor_setter, "acme");
    let parsed: Value = serde_saphyr::from_str(&resolved).unwrap();
    assert_eq!(parsed["floors"]["allowedRegistries"][0], "ghcr.io/acme");
}

#[test]
fn presets_validate_reports_every_file_and_exits_2_if_any_is_invalid() {
    let dir = acme_folder();
    dir.write(
        "presets/team.yaml",
        &preset(
            "team",
            "acme",
            "spec:\n  replicas: 1\n  readOnlyRootFilesytem: false\n",
        ),
    );
    let ok = dir
        .run(&[
            "presets",
            "validate",
            "presets/acme.yaml",
            "presets/acme-web.yaml",
            "--presets-dir",
            "presets",
        ])
        .ok();
    assert!(
        ok.contains("ok    presets/acme.yaml: acme (presets/acme.yaml) → restricted (shipped)"),
        "{ok}"
    );
    let run = dir.run(&[
        "presets",
        "validate",
        "presets/acme.yaml",
        "presets/team.yaml",
        "--presets-dir",
        "presets",
    ]);
    let err = run.failed(2);
    assert!(
        err.contains("error: preset `presets/team.yaml`: 1 of 2 files not valid:"),
        "{err}"
    );
    assert!(err.contains("ok    presets/acme.yaml"), "{err}");
    assert!(err.contains("FAIL  presets/team.yaml"), "{err}");
    assert!(
        err.contains("presets/team.yaml: line 8: spec.readOnlyRootFilesytem: unknown field"),
        "{err}"
    );
}

#[test]
fn a_folder_preset_may_not_shadow_a_shipped_one() {
    let dir = Dir::new(&[(
        "presets/restricted.yaml",
        &preset("restricted", "restricted", ""),
    )]);
    dir.write("kubeward.yaml", &api_spec(""));
    let err = dir
        .run(&["render", "-f", "kubeward.yaml", "--presets-dir", "presets"])
        .failed(2);
    assert!(err.contains("shipped names are reserved"), "{err}");
    let err = dir
        .run(&["presets", "list", "--presets-dir", "presets"])
        .failed(2);
    assert!(err.contains("shipped names are reserved"), "{err}");
}

#[test]
fn templates_export_never_overwrites_without_force() {
    let dir = Dir::new(&[]);
    let out = dir.run(&["templates", "export", "tpl"]).ok();
    let shipped = kubeward::render::TEMPLATES.len();
    assert!(out.contains(&format!("wrote {shipped} templates")), "{out}");
    let shipped = fs::read_to_string(dir.path("tpl/deployment.yaml")).unwrap();
    assert!(shipped.contains("runAsNonRoot: true"));
    dir.write("tpl/deployment.yaml", "mine");
    let err = dir.run(&["templates", "export", "tpl"]).failed(1);
    assert!(
        err.contains("already holds") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path("tpl/deployment.yaml")).unwrap(),
        "mine"
    );
    dir.run(&["templates", "export", "tpl", "--force"]).ok();
    assert_eq!(
        fs::read_to_string(dir.path("tpl/deployment.yaml")).unwrap(),
        shipped
    );
}

/// A project with the shipped templates exported into `tpl/`, the deployment's changed.
fn with_deployment_template(change: impl Fn(String) -> String) -> Dir {
    let dir = Dir::new(&[("kubeward.yaml", &api_spec(""))]);
    dir.run(&["templates", "export", "tpl"]).ok();
    let text = fs::read_to_string(dir.path("tpl/deployment.yaml")).unwrap();
    dir.write("tpl/deployment.yaml", &change(text));
    for other in fs::read_dir(dir.path("tpl")).unwrap() {
        let path = other.unwrap().path();
        if path.file_name().unwrap() != "deployment.yaml" {
            fs::remove_file(path).unwrap();
        }
    }
    dir
}

#[test]
fn an_override_template_changes_the_output_and_the_rest_stay_shipped() {
    let dir = with_deployment_template(|t| t.replace("timeoutSeconds: 2", "timeoutSeconds: 5"));
    let objects = dir
        .run(&["render", "-f", "kubeward.yaml", "--templates", "tpl"])
        .objects();
    assert_eq!(
        pod(&objects)["containers"][0]["readinessProbe"]["timeoutSeconds"],
        5
    );
    assert_eq!(
        find(&objects, "Namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
        "restricted"
    );
}

#[test]
fn a_preset_can_name_a_templates_folder_and_the_flag_wins_over_it() {
    let dir = with_deployment_template(|t| t.replace("timeoutSeconds: 2", "timeoutSeconds: 5"));
    dir.write(
        "presets/acme.yaml",
        &preset("acme", "restricted", "spec:\n  templates: ../tpl\n"),
    );
    dir.write(
        "kubeward.yaml",
        &api_spec("  preset: ./presets/acme.yaml\n"),
    );
    let objects = dir.run(&["render", "-f", "kubeward.yaml"]).objects();
    assert_eq!(
        pod(&objects)["containers"][0]["livenessProbe"]["timeoutSeconds"],
        5
    );
    let shipped = fs::read_to_string(dir.path("tpl/deployment.yaml")).unwrap();
    dir.write(
        "mine/deployment.yaml",
        &shipped.replace("timeoutSeconds: 5", "timeoutSeconds: 7"),
    );
    let objects = dir
        .run(&["render", "-f", "kubeward.yaml", "--templates", "mine"])
        .objects();
    assert_eq!(
        pod(&objects)["containers"][0]["livenessProbe"]["timeoutSeconds"],
        7
    );
}

#[test]
fn an_unknown_template_file_is_an_error_not_a_silent_no_op() {
    let dir = Dir::new(&[
        ("kubeward.yaml", &api_spec("")),
        ("tpl/deploymnet.yaml", "x"),
    ]);
    let err = dir
        .run(&["render", "-f", "kubeward.yaml", "--templates", "tpl"])
        .failed(1);
    assert!(
        err.contains("deploymnet.yaml is not a kubeward template"),
        "{err}"
    );
}

/// Renders the project with its `tpl/` overrides into `out/`, expecting a failure.
fn render_into_out(dir: &Dir) -> String {
    dir.run(&[
        "render",
        "-f",
        "kubeward.yaml",
        "--templates",
        "tpl",
        "-o",
        "out",
    ])
    .failed(1)
}

#[test]
fn a_hostile_template_that_adds_a_privileged_pod_is_rejected() {
    let dir = with_deployment_template(|t| {
        t + "\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: miner\n  namespace: shop\nspec:\n  hostPID: true\n  containers:\n    - name: miner\n      image: evil/miner\n      securityContext: { privileged: true }\n"
    });
    let err = render_into_out(&dir);
    assert!(
        err.contains("template deployment.yaml (override ")
            && err.contains(
                "tpl/deployment.yaml) for Deployment api: produced 2 documents instead of one"
            ),
        "{err}"
    );
    assert!(!dir.path("out").exists(), "nothing is written");
}

#[test]
fn a_hostile_template_that_removes_run_as_non_root_is_rejected_naming_the_control() {
    let dir = with_deployment_template(|t| t.replace("runAsNonRoot: true", "runAsNonRoot: false"));
    let err = render_into_out(&dir);
    assert!(
        err.contains("tpl/deployment.yaml) for Deployment api drops required controls:"),
        "{err}"
    );
    assert!(
        err.contains("- run-as-non-root: containers[0] may run as root (runAsNonRoot is not true) (requires: every container runs with runAsNonRoot: true (pod or container level); rubric row 1)"),
        "{err}"
    );
    assert!(!dir.path("out").exists(), "nothing is written");

    let objects = dir
        .run(&[
            "render",
            "-f",
            "kubeward.yaml",
            "--templates",
            "tpl",
            "--allow-template-override",
            "run-as-non-root",
        ])
        .objects();
    let record =
        find(&objects, "Deployment")["metadata"]["annotations"]["kubeward.dev/template-override"]
            .as_str()
            .unwrap();
    assert!(
        record.contains("run-as-non-root (containers[0] may run as root"),
        "{record}"
    );
    assert!(record.contains("tpl/deployment.yaml"), "{record}");

    let run = dir.run(&[
        "render",
        "-f",
        "kubeward.yaml",
        "--allow-template-override",
        "no-such-control",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("run-as-non-root"),
        "the error lists the controls: {}",
        run.stderr
    );
}

#[test]
fn a_localhost_seccomp_profile_is_recorded_and_a_floor_can_forbid_it() {
    let dir = Dir::new(&[
        (
            "presets/spo.yaml",
            &preset(
                "spo",
                "restricted",
                "spec:\n  seccompProfile: { type: Localhost, localhostProfile: operator/api.json }\n",
            ),
        ),
        (
            "presets/locked.yaml",
            &preset(
                "locked",
                "restricted",
                "floors:\n  seccompProfile: RuntimeDefault\n",
            ),
        ),
        (
            "presets/sneaky.yaml",
            &preset(
                "sneaky",
                "locked",
                "spec:\n  seccompProfile: { type: Localhost, localhostProfile: allow-all.json }\n",
            ),
        ),
    ]);
    dir.write("kubeward.yaml", &api_spec("  preset: spo\n"));
    let objects = dir
        .run(&["render", "-f", "kubeward.yaml", "--presets-dir", "presets"])
        .objects();
    let profile = &pod(&objects)["securityContext"]["seccompProfile"];
    assert_eq!(profile["type"], "Localhost");
    assert_eq!(profile["localhostProfile"], "operator/api.json");
    assert_eq!(
        pod(&objects)["containers"][0]["securityContext"]["seccompProfile"],
        *profile
    );
    let skip = find(&objects, "Deployment")["metadata"]["annotations"]["checkov.io/skip1"]
        .as_str()
        .unwrap();
    assert!(
        skip.starts_with("CKV_K8S_31=") && skip.contains("operator/api.json"),
        "{skip}"
    );
    let err = dir
        .run(&[
            "presets",
            "validate",
            "presets/sneaky.yaml",
            "--presets-dir",
            "presets",
        ])
        .failed(2);
    assert!(
        err.contains("sneaky.yaml: line 7: spec.seccompProfile: seccompProfile is Localhost, but the floor requires RuntimeDefault (value set by preset `sneaky`, floor set by preset `locked`)"),
        "{err}"
    );
}
