//! End-to-end tests of the teaching commands: `explain` (text, JSON, `--rule`, `--threat`),
//! `render --annotate`, `graph` (from a spec, a folder, foreign manifests) and
//! `diff-presets`, for every shipped example and for hostile input.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::run::{Run, run_in};
use common::spec::example;
use serde_json::Value;
use tempfile::TempDir;

/// The shipped examples (see [`common::spec::examples`]), all seven of them at least.
fn examples() -> Vec<(String, PathBuf)> {
    let out = common::spec::examples();
    assert!(out.len() >= 7, "examples missing: {out:?}");
    out
}

impl Run {
    #[track_caller]
    fn ok(self) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstderr: {}\nstdout: {}",
            self.stderr,
            self.stdout
        );
        assert!(self.stderr.is_empty(), "stderr: {}", self.stderr);
        self.stdout
    }

    /// The stdout of a successful render of the example `spec`, which warns only as the
    /// example must.
    fn rendered_example(self, spec: &Path) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstderr: {}",
            self.stderr
        );
        assert!(self.warns_as_example(spec), "stderr: {}", self.stderr);
        self.stdout
    }

    /// Exit code 2 with `text` in the message and nothing on stdout.
    #[track_caller]
    fn usage_error(self, text: &str) {
        assert_eq!(self.code, Some(2), "stderr: {}", self.stderr);
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
    }
}

/// Runs kubeward in the repository with `args`.
fn run<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Run {
    run_in(common::root(), args)
}

/// The objects of a YAML stream, read the way `graph` reads manifests.
fn documents(stream: &str) -> Vec<Value> {
    kubeward::graph::read::parse("stdout", stream)
        .unwrap_or_else(|e| panic!("{e}\n{stream}"))
        .into_iter()
        .map(|o| o.value)
        .collect()
}

fn spec_arg(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------------------

#[test]
fn explain_text_and_json_of_every_example_match_their_snapshots() {
    for (name, spec) in examples() {
        let text = run(["explain", "-f", &spec_arg(&spec)]).ok();
        insta::assert_snapshot!(format!("explain-{name}"), text);
        let json = run(["explain", "-f", &spec_arg(&spec), "--format", "json"]).ok();
        serde_json::from_str::<Value>(&json).expect("explain --format json is JSON");
        insta::assert_snapshot!(format!("explain-json-{name}"), json);
    }
}

#[test]
fn explain_groups_every_decision_with_a_threat_and_references() {
    let spec = example("ledger");
    let json: Value =
        serde_json::from_str(&run(["explain", "-f", &spec_arg(&spec), "--format", "json"]).ok())
            .unwrap();
    let concerns: Vec<&str> = json["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["concern"].as_str().unwrap())
        .collect();
    assert_eq!(
        concerns,
        [
            "identity",
            "network",
            "runtime",
            "secrets-and-tls",
            "availability"
        ]
    );
    let decisions: Vec<&Value> = json["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["decisions"].as_array().unwrap())
        .collect();
    for d in &decisions {
        assert!(
            d["threat"]["id"].is_string() && d["threat"]["title"].is_string(),
            "{d}"
        );
        assert!(!d["cause"].as_str().unwrap().is_empty(), "{d}");
    }
    let non_root = decisions.iter().find(|d| d["id"] == "non-root").unwrap();
    assert_eq!(non_root["threat"]["id"], "container-breakout");
    let row1 = &non_root["references"][0];
    assert_eq!(row1["row"], 1);
    assert_eq!(row1["checkov"], serde_json::json!(["CKV_K8S_23"]));
    assert!(row1["nsa"].as_str().unwrap().contains("Non-root"));
    let callers = decisions.iter().filter(|d| d["id"] == "caller").count();
    assert_eq!(callers, 3, "one decision per declared caller");
}

#[test]
fn explain_threat_keeps_only_the_decisions_against_it() {
    let spec = example("checkout");
    let text = run([
        "explain",
        "-f",
        &spec_arg(&spec),
        "--threat",
        "exposed-secrets",
    ])
    .ok();
    assert!(
        text.starts_with("checkout in namespace shop: 3 decisions against exposed secrets\n"),
        "{text}"
    );
    assert!(
        text.contains("rollout-digest: the pod template carries a digest of what the pods mount (checkout-session-key), so a rotation"),
        "{text}"
    );
    assert!(
        text.contains("secret-file: Secret `checkout-session-key`")
            && text.contains("plain-secrets: plain Secrets, their values base64"),
        "{text}"
    );
    assert!(!text.contains("non-root"), "{text}");
    run(["explain", "-f", &spec_arg(&spec), "--threat", "aliens"])
        .usage_error("unknown threat `aliens`; known: unauthorised-access");
}

#[test]
fn explain_rule_explains_a_check_rule_a_rubric_row_or_a_decision_kind() {
    let text = run(["explain", "--rule", "rubric-5"]).ok();
    assert!(
        text.starts_with("rubric-5: capabilities: drop ALL, add none\n"),
        "{text}"
    );
    assert!(
        text.contains("checkov: CKV_K8S_25, CKV_K8S_28, CKV_K8S_37"),
        "{text}"
    );
    assert!(text.contains("decided by: low-port, non-root"), "{text}");

    let spec = example("payments-api");
    let text = run(["explain", "--rule", "non-root", "-f", &spec_arg(&spec)]).ok();
    assert!(text.contains("counters: container breakout"), "{text}");
    assert!(
        text.contains("In payments-api (namespace payments):\n  non-root: runs as uid 10001"),
        "{text}"
    );

    let json: Value =
        serde_json::from_str(&run(["explain", "--rule", "rubric-23", "--format", "json"]).ok())
            .unwrap();
    assert_eq!(json["decided_by"], serde_json::json!(["default-deny"]));
    assert!(json["in_plan"].is_null());

    let rule = run(["explain", "--rule", "KW-SEC-001"]).ok();
    assert!(
        rule.starts_with("KW-SEC-001: Containers run as non-root")
            && rule.contains("decided by: non-root")
            && rule.contains("checkov: CKV_K8S_23"),
        "{rule}"
    );
    run(["explain", "--rule", "KW-SEC-999"]).usage_error("no rule `KW-SEC-999`");
    for missing in ["rubric-38", "rubric-40"] {
        run(["explain", "--rule", missing]).usage_error("rubric-1 to rubric-37");
    }
}

#[test]
fn explain_needs_a_service_or_a_rule_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    run_in(dir.path(), ["explain"]).usage_error("describe the service with -f kubeward.yaml");
    fs::copy(example("checkout"), dir.path().join("kubeward.yaml")).unwrap();
    run_in(dir.path(), ["explain", "-f", "kubeward.yaml"]).ok();
    run_in(dir.path(), ["graph", "-f", "kubeward.yaml"]).ok();
    let entries: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        ["kubeward.yaml"],
        "no state folder, nothing written"
    );
}

// ---------------------------------------------------------------------------------------
// render --annotate
// ---------------------------------------------------------------------------------------

#[test]
fn annotated_output_parses_to_exactly_the_plain_objects_for_every_example() {
    for (name, spec) in examples() {
        let state = TempDir::new().unwrap();
        let args = |annotate: bool| {
            let mut args = vec![
                "render".to_string(),
                "-f".into(),
                spec_arg(&spec),
                "--state".into(),
                state.path().display().to_string(),
            ];
            if annotate {
                args.push("--annotate".into());
            }
            args
        };
        let plain = run(args(false)).rendered_example(&spec);
        let annotated = run(args(true)).rendered_example(&spec);
        assert_ne!(plain, annotated, "{name}: --annotate added nothing");
        assert_eq!(documents(&annotated), documents(&plain), "{name}");
        let comments = annotated
            .lines()
            .filter(|l| l.trim_start().starts_with("# "))
            .count();
        assert!(comments >= 20, "{name}: only {comments} comment lines");
        // Every comment line is one of the two lines of a decision's note.
        for line in annotated
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('#'))
        {
            let id = line.trim_start_matches("# ").split(':').next().unwrap();
            assert!(
                id == "why" || kubeward::plan::rationale::kind(id).is_some(),
                "{name}: stray comment {line}"
            );
        }
    }
}

#[test]
fn annotations_sit_above_the_fields_they_explain() {
    let spec = example("payments-api");
    let state = TempDir::new().unwrap();
    let text = run([
        "render",
        "-f",
        &spec_arg(&spec),
        "--annotate",
        "--state",
        &state.path().display().to_string(),
    ])
    .rendered_example(&spec);
    let above = |field: &str, id: &str| {
        let lines: Vec<&str> = text.lines().collect();
        let found = lines.windows(3).any(|w| {
            w[0].trim_start().starts_with(&format!("# {id}: "))
                && w[1].trim_start().starts_with("# why: ")
                && w[2].trim_start().starts_with(field)
        });
        assert!(found, "no `{id}` comment right above `{field}`\n{text}");
    };
    above("securityContext:", "non-root");
    above("securityContext:", "read-only-root");
    above("image:", "image-digest");
    above("resources:", "resources");
    above("readinessProbe:", "probes");
    above("podSelector: {}", "default-deny");
    above("type: ClusterIP", "cluster-ip-service");
    assert!(
        text.contains("        # caller: admit checkout/web on port 8080 [spec.callers]\n        # why: only declared callers may open connections"),
        "{text}"
    );
    assert!(
        text.contains(
            "    # egress-cidr: allow egress to 203.0.113.0/24 on port 443 [spec.egress]\n"
        ),
        "{text}"
    );
}

#[test]
fn a_hostile_value_never_escapes_its_comment() {
    let dir = TempDir::new().unwrap();
    let file = "key\nkind: Pod\n---\nevil: \u{2028}yes";
    fs::write(dir.path().join(file), "secret").unwrap();
    let spec = format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  image: {}\n  port: 8080\n  secrets:\n    - name: token\n      fromFile: {}\n",
        common::spec::IMAGE,
        serde_json::to_string(file).unwrap()
    );
    fs::write(dir.path().join("kubeward.yaml"), spec).unwrap();
    let plain = run_in(dir.path(), ["render", "-f", "kubeward.yaml"]).ok();
    let annotated = run_in(dir.path(), ["render", "-f", "kubeward.yaml", "--annotate"]).ok();
    assert_eq!(documents(&annotated), documents(&plain));
    assert!(
        annotated.contains(
            "read from key\\u{000A}kind: Pod\\u{000A}---\\u{000A}evil: \\u{2028}yes at render time"
        ),
        "{annotated}"
    );
    assert!(
        !annotated
            .lines()
            .any(|l| l == "kind: Pod" || l.starts_with("evil"))
    );
}

// ---------------------------------------------------------------------------------------
// graph
// ---------------------------------------------------------------------------------------

#[test]
fn graph_of_every_example_matches_its_snapshot_in_both_formats() {
    for (name, spec) in examples() {
        let mermaid = run(["graph", "-f", &spec_arg(&spec)]).ok();
        assert!(mermaid.starts_with("flowchart LR\n"), "{name}");
        assert!(
            !mermaid.contains("blocked"),
            "{name}: a declared flow is blocked\n{mermaid}"
        );
        insta::assert_snapshot!(format!("graph-mermaid-{name}"), mermaid);
        let dot = run(["graph", "-f", &spec_arg(&spec), "--format", "dot"]).ok();
        assert!(
            dot.starts_with("digraph traffic {\n") && dot.ends_with("}\n"),
            "{name}"
        );
        insta::assert_snapshot!(format!("graph-dot-{name}"), dot);
    }
}

#[test]
fn graph_of_a_rendered_folder_is_the_graph_of_its_spec() {
    let spec = example("checkout");
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    run([
        "render",
        "-f",
        &spec_arg(&spec),
        "-o",
        &out.display().to_string(),
        "--state",
        &dir.path().join("state").display().to_string(),
    ])
    .ok();
    let from_folder = run(["graph".to_string(), out.display().to_string()]).ok();
    assert_eq!(from_folder, run(["graph", "-f", &spec_arg(&spec)]).ok());
    assert!(
        from_folder.contains("envoy-gateway-system"),
        "the Gateway's data plane is drawn"
    );
    assert!(
        from_folder.contains("198.51.100.16/28"),
        "the outside range is drawn"
    );
}

#[test]
fn graph_reads_a_rendered_stream_from_standard_input() {
    let spec = example("inventory");
    let state = TempDir::new().unwrap();
    let stream = run([
        "render",
        "-f",
        &spec_arg(&spec),
        "--state",
        &state.path().display().to_string(),
    ])
    .ok();
    let output = common::run::kubeward()
        .args(["graph", "-", "--format", "dot"])
        .write_stdin(stream)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        run(["graph", "-f", &spec_arg(&spec), "--format", "dot"]).ok()
    );
}

#[test]
fn graph_reads_foreign_manifests_and_shows_half_open_flows() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("policies.yaml"),
        r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [ { podSelector: { matchLabels: { app: web } } } ]
      ports: [ { port: 8080 } ]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [ { ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } } ]
"#,
    )
    .unwrap();
    let text = run_in(dir.path(), ["graph", "policies.yaml"]).ok();
    assert!(
        text.contains("TCP 8080: blocked by the source#39;s egress"),
        "{text}"
    );
    assert!(text.contains("0.0.0.0/0<br/>except 10.0.0.0/8"), "{text}");
    assert!(
        text.contains("ingress: only what is drawn#59; egress: open"),
        "{text}"
    );
    let same = run_in(dir.path(), ["graph", "."]).ok();
    assert_eq!(same, text, "a folder reads the same file");
}

#[test]
fn graph_refuses_bad_manifests_naming_file_and_field() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("bad.yaml"),
        "kind: NetworkPolicy\nmetadata: { name: p, namespace: ns }\nspec: { podSelector: [] }\n",
    )
    .unwrap();
    run_in(dir.path(), ["graph", "bad.yaml"])
        .usage_error("bad.yaml: NetworkPolicy p: spec.podSelector: must be a label selector");
    run_in(dir.path(), ["graph", "missing"]).usage_error("cannot read missing");
    let spec = example("checkout");
    run(["graph", "bad.yaml", "-f", &spec_arg(&spec)]).usage_error("not both");
}

// ---------------------------------------------------------------------------------------
// diff-presets
// ---------------------------------------------------------------------------------------

#[test]
fn diff_presets_shows_changed_decisions_and_fields() {
    let spec = example("inventory");
    let text = run([
        "diff-presets",
        "restricted",
        "tests/presets/small-team.yaml",
        "-f",
        &spec_arg(&spec),
    ])
    .ok();
    insta::assert_snapshot!("diff-presets-inventory", text);
    assert!(text.contains("  - replicas: 3 replica(s)"), "{text}");
    assert!(text.contains("  + replicas: 2 replica(s)"), "{text}");
    assert!(text.contains("      spec.replicas: 3 -> 2\n"), "{text}");
    let json: Value = serde_json::from_str(
        &run([
            "diff-presets",
            "restricted",
            "tests/presets/small-team.yaml",
            "-f",
            &spec_arg(&spec),
            "--format",
            "json",
        ])
        .ok(),
    )
    .unwrap();
    let deployment = json["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["object"] == "Deployment/inventory")
        .unwrap();
    assert_eq!(deployment["change"], "changed");
    assert!(deployment["fields"].as_array().unwrap().iter().any(|f| {
        f["path"] == "spec.template.spec.containers[0].resources.limits.memory"
            && f["before"] == "256Mi"
            && f["after"] == "512Mi"
    }));
}

#[test]
fn diff_presets_of_one_preset_with_itself_is_empty_and_bad_presets_are_refused() {
    let spec = example("storefront");
    let text = run([
        "diff-presets",
        "restricted",
        "restricted",
        "-f",
        &spec_arg(&spec),
    ])
    .ok();
    assert!(text.ends_with("\nno difference\n"), "{text}");
    run(["diff-presets", "restricted", "nope", "-f", &spec_arg(&spec)])
        .usage_error("no shipped preset has this name");
    run(["diff-presets", "restricted", "restricted"]).usage_error("describe the service");
}
