//! `kubeward check` through the binary: inputs (files, folders, stdin, lists, broken YAML),
//! exit codes, the three output forms (SARIF validated against the 2.1.0 schema), the rule
//! catalogue in the book, and kubeward's own bundles, which must have no finding.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command as Process;

use common::book::BookPage;
use common::check_fixture;
use common::run::{kubeward, rule_ids, success_stdout};
use serde_json::Value;

/// Runs `kubeward check ARGS` and returns (exit code, stdout, stderr).
fn check(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = kubeward();
    cmd.arg("check").args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

const CLEAN: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\nautomountServiceAccountToken: false\n";
const WARNING_ONLY: &str =
    "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n";

#[test]
fn exit_status_follows_fail_on() {
    assert_eq!(check(&["-"], Some(CLEAN)).0, 0);
    let (code, stdout, stderr) = check(&["-"], Some(WARNING_ONLY));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("KW-RBAC-003"), "{stdout}");
    assert!(stderr.contains("findings at or above warning"), "{stderr}");
    assert_eq!(check(&["--fail-on", "error", "-"], Some(WARNING_ONLY)).0, 0);
    assert_eq!(check(&["--fail-on", "info", "-"], Some(WARNING_ONLY)).0, 1);
}

#[test]
fn text_output_groups_findings_by_object_with_file_and_line() {
    let file = check_fixture("kubectl-nginx-deployment.yaml");
    let (code, stdout, _) = check(&[file.to_str().unwrap()], None);
    assert_eq!(code, 1);
    let header = format!("{}:1: Deployment nginx", file.display());
    assert!(stdout.starts_with(&header), "{stdout}");
    // The container stands on line 21 (`- image: nginx`) of the kubectl output.
    assert!(
        stdout.contains("error      KW-SEC-001   line 21    container `nginx` may run as root"),
        "{stdout}"
    );
    assert!(stdout.contains("1 object(s) in 1 input(s)"), "{stdout}");
}

#[test]
fn broken_yaml_is_reported_with_file_and_line_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a-broken.yaml"),
        "apiVersion: v1\nkind: [x\n",
    )
    .unwrap();
    fs::write(dir.path().join("b.yaml"), WARNING_ONLY).unwrap();
    let (code, stdout, stderr) = check(&[dir.path().to_str().unwrap()], None);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let broken = dir.path().join("a-broken.yaml");
    assert!(
        stderr.contains(&format!("{}:2: invalid YAML", broken.display())),
        "{stderr}"
    );
    assert!(stdout.contains("KW-RBAC-003"), "{stdout}");
}

#[test]
fn a_missing_file_is_unreadable_input() {
    let (code, _, stderr) = check(&["/nonexistent/x.yaml"], None);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/x.yaml: cannot read"),
        "{stderr}"
    );
}

#[test]
fn folders_are_searched_recursively_for_yaml_and_json_only() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    fs::create_dir_all(&nested).unwrap();
    fs::write(nested.join("one.yml"), WARNING_ONLY).unwrap();
    let json = serde_json::to_string(&serde_saphyr::from_str::<Value>(WARNING_ONLY).unwrap())
        .unwrap()
        .replace("\"api\"", "\"api2\"");
    fs::write(dir.path().join("two.json"), json).unwrap();
    fs::write(dir.path().join("notes.txt"), "kind: [broken").unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join(".git/x.yaml"), "kind: [broken").unwrap();
    let (code, stdout, stderr) = check(&["--format", "json", dir.path().to_str().unwrap()], None);
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["objects"], 2);
    assert_eq!(report["summary"]["inputs"], 2);
}

#[test]
fn stdin_multi_document_streams_and_lists_are_read() {
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a, namespace: shop}\n";
    let stream = format!("---\n# a comment-only document\n---\n{WARNING_ONLY}---\n{list}");
    let (code, stdout, _) = check(&["--format", "json", "-"], Some(&stream));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["objects"], 2);
    let lines: Vec<(String, i64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["object"]["name"].as_str().unwrap().to_string(),
                f["line"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("api".to_string(), 4), ("a".to_string(), 13)]);
    assert_eq!(report["findings"][0]["file"], "-");
}

#[test]
fn json_output_carries_rule_object_location_and_suppression() {
    let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n  annotations:\n    kubeward.dev/ignore: \"KW-RBAC-003=the pods opt out themselves\"\n";
    let (code, stdout, _) = check(&["--format", "json", "-"], Some(text));
    assert_eq!(code, 0, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["ruleId"], "KW-RBAC-003");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["object"]["kind"], "ServiceAccount");
    assert_eq!(finding["suppression"]["annotation"], "kubeward.dev/ignore");
    assert_eq!(
        finding["suppression"]["reason"],
        "the pods opt out themselves"
    );
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["summary"]["failed"], false);
}

/// Validates `document` against the SARIF 2.1.0 JSON schema with the `jsonschema` package.
fn assert_valid_sarif(document: &str) {
    let python = common::repo(".venv/bin/python");
    assert!(
        python.exists(),
        "{} missing: run scripts/install-tools.sh",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.sarif");
    fs::write(&path, document).unwrap();
    let script = "import json, sys, jsonschema\n\
schema = json.load(open(sys.argv[1]))\n\
jsonschema.Draft7Validator.check_schema(schema)\n\
errors = list(jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(json.load(open(sys.argv[2]))))\n\
for e in errors: print(list(e.absolute_path), e.message)\n\
sys.exit(1 if errors else 0)\n";
    let out = Process::new(python)
        .args(["-c", script])
        .arg(common::repo("tests/fixtures/sarif-schema-2.1.0.json"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0_with_rules_locations_and_suppressions() {
    let deployment = check_fixture("helm-create-default.yaml");
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken file.yaml");
    fs::write(&broken, "a: [\n").unwrap();
    let suppressed = dir.path().join("suppressed.yaml");
    fs::write(
        &suppressed,
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: y\n  annotations:\n    kubeward.dev/ignore: \"KW-RBAC-003=reviewed\"\n",
    )
    .unwrap();
    let (code, stdout, _) = check(
        &[
            "--format",
            "sarif",
            deployment.to_str().unwrap(),
            broken.to_str().unwrap(),
            suppressed.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert_valid_sarif(&stdout);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), kubeward::check::all_rules().count());
    let results = run["results"].as_array().unwrap();
    let first = &results[0];
    let index = first["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], first["ruleId"]);
    let location = &first["locations"][0]["physicalLocation"];
    // The fixture is `helm template` output: each document is reported against its template.
    assert_eq!(
        location["artifactLocation"]["uri"],
        "mychart/templates/serviceaccount.yaml"
    );
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            > 1
    }));
    assert!(
        results
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "inSource")
    );
    let notice = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("broken%20file.yaml")
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

/// The results of a SARIF report as (uri, line, rule id).
fn sarif_places(stdout: &str) -> Vec<(String, u64, String)> {
    assert_valid_sarif(stdout);
    let sarif: Value = serde_json::from_str(stdout).unwrap();
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                location["region"]["startLine"].as_u64().unwrap(),
                r["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn helm_template_output_is_reported_against_each_template_file_and_line() {
    let helm = fs::read_to_string(check_fixture("helm-create-default.yaml")).unwrap();
    let args = ["--format", "sarif", "--stdin-name", "charts/mychart/", "-"];
    let (code, stdout, _) = check(&args, Some(&helm));
    assert_eq!(code, 1);
    let places = sarif_places(&stdout);
    assert!(
        places
            .iter()
            .all(|(uri, _, _)| uri.starts_with("charts/mychart/templates/")),
        "{places:?}"
    );
    // `- name: mychart` stands on line 67 of the stream; its document's `# Source:` comment on
    // line 37, so on line 30 of what deployment.yaml rendered.
    let container = (
        "charts/mychart/templates/deployment.yaml".to_string(),
        30,
        "KW-SEC-001".to_string(),
    );
    assert!(places.contains(&container), "{places:?}");
    let test_pod = places
        .iter()
        .find(|(uri, _, _)| uri.ends_with("templates/tests/test-connection.yaml"))
        .unwrap();
    assert!(test_pod.1 < 20, "{test_pod:?}");
    // The same places in JSON and text.
    let (_, json, _) = check(
        &["--format", "json", "--stdin-name", "charts/mychart", "-"],
        Some(&helm),
    );
    let report: Value = serde_json::from_str(&json).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "KW-SEC-001" && f["object"]["kind"] == "Deployment")
        .unwrap();
    assert_eq!(finding["file"], "charts/mychart/templates/deployment.yaml");
    assert_eq!(finding["line"], 30);
    assert_eq!(finding["object"]["line"], 1);
    let (_, text, _) = check(&["--stdin-name", "charts/mychart", "-"], Some(&helm));
    assert!(
        text.contains(
            "charts/mychart/templates/deployment.yaml:1: Deployment release-name-mychart\n"
        ),
        "{text}"
    );
    // Without --stdin-name, the paths as Helm wrote them.
    let (_, stdout, _) = check(&["--format", "sarif", "-"], Some(&helm));
    assert!(
        sarif_places(&stdout)
            .iter()
            .all(|(uri, _, _)| uri.starts_with("mychart/templates/")),
        "{stdout}"
    );
}

#[test]
fn a_template_that_renders_several_documents_counts_its_lines_across_them() {
    let helm = "---\n# Source: shop/templates/rbac.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: one\n  namespace: shop\nautomountServiceAccountToken: false\n---\n# Source: shop/templates/rbac.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: two\n  namespace: shop\n---\n# Source: shop/templates/other.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: three\n  namespace: shop\n";
    let (_, json, _) = check(
        &["--format", "json", "--stdin-name", "charts/shop", "-"],
        Some(helm),
    );
    let report: Value = serde_json::from_str(&json).unwrap();
    let places: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["object"]["name"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["object"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        places.contains(&("two".into(), "charts/shop/templates/rbac.yaml".into(), 8)),
        "{places:?}"
    );
    assert!(
        places.contains(&("three".into(), "charts/shop/templates/other.yaml".into(), 1)),
        "{places:?}"
    );
    assert!(
        !places.iter().any(|(name, _, _)| name == "one"),
        "{places:?}"
    );
}

#[test]
fn stdin_without_helm_comments_goes_by_its_stdin_name() {
    let (_, stdout, _) = check(
        &["--format", "sarif", "--stdin-name", "k8s/all.yaml", "-"],
        Some(WARNING_ONLY),
    );
    assert_eq!(
        sarif_places(&stdout),
        [("k8s/all.yaml".to_string(), 1, "KW-RBAC-003".to_string())]
    );
    let (_, stdout, _) = check(&["--format", "sarif", "-"], Some(WARNING_ONLY));
    assert_eq!(sarif_places(&stdout)[0].0, "stdin");
}

#[test]
fn the_book_rule_catalogue_is_generated_from_the_rules() {
    let generated =
        success_stdout(kubeward().args(["check", "--list-rules", "--format", "markdown"]));
    let committed = fs::read_to_string(common::repo("book/src/reference/rules.md")).unwrap();
    assert!(
        committed == generated,
        "book/src/reference/rules.md is stale: run `cargo run -- check --list-rules --format markdown > book/src/reference/rules.md`"
    );
    for rule in kubeward::check::all_rules() {
        assert!(generated.contains(&format!("## {}", rule.id)));
    }
}

#[test]
fn list_rules_prints_text_and_json_and_refuses_sarif() {
    let (code, stdout, _) = check(&["--list-rules"], None);
    assert_eq!(code, 0);
    assert!(
        stdout.lines().any(|l| l.starts_with("KW-SEC-001   error")),
        "{stdout}"
    );
    let (_, stdout, _) = check(&["--list-rules", "--format", "json"], None);
    let catalogue: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        catalogue["rules"].as_array().unwrap().len(),
        kubeward::check::all_rules().count()
    );
    assert_eq!(check(&["--list-rules", "--format", "sarif"], None).0, 2);
    assert_eq!(check(&["--format", "markdown", "-"], Some(CLEAN)).0, 2);
    assert_eq!(check(&[], None).0, 2);
}

#[test]
fn kubeward_bundles_for_every_example_have_no_finding() {
    let examples = common::repo("tests/examples");
    let mut names: Vec<PathBuf> = fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 7);
    let work = tempfile::tempdir().unwrap();
    for example in names {
        let name = example.file_name().unwrap().to_str().unwrap().to_string();
        let out = work.path().join(&name);
        kubeward()
            .args(["render", "-f"])
            .arg(example.join("kubeward.yaml"))
            .arg("-o")
            .arg(&out)
            .arg("--state")
            .arg(work.path().join(format!("state-{name}")))
            .assert()
            .success();
        let (code, stdout, stderr) = check(&["--fail-on", "info", out.to_str().unwrap()], None);
        assert_eq!(code, 0, "{name}: {stdout}{stderr}");
        let (_, stdout, _) = check(&["--format", "json", out.to_str().unwrap()], None);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let standing: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["suppression"].is_null())
            .collect();
        assert!(standing.is_empty(), "{name}: {standing:#?}");
        for f in report["findings"].as_array().unwrap() {
            assert!(
                !f["suppression"]["reason"]
                    .as_str()
                    .unwrap()
                    .trim()
                    .is_empty(),
                "{name}: a suppression without a reason: {f}"
            );
        }
    }
}

#[test]
fn the_self_check_fails_a_render_naming_the_object_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        fs::read_to_string(common::repo("tests/examples/payments-api/kubeward.yaml")).unwrap();
    fs::write(dir.path().join("kubeward.yaml"), spec).unwrap();
    let flags = kubeward::spec::flags::SpecFlags::default();
    let input = kubeward::pipeline::Input {
        file: Some(&dir.path().join("kubeward.yaml")),
        flags: &flags,
        overrides: Default::default(),
        state_dir: Some(&dir.path().join("state")),
        rotate: &[],
        presets: Default::default(),
        templates: None,
        allow_template_override: &[],
        annotate: false,
        api_server_cidrs: &[],
    };
    let mut manifests = kubeward::pipeline::render(&input).unwrap().manifests;
    kubeward::pipeline::self_check(&manifests, &[]).unwrap();
    let deployment = manifests
        .iter_mut()
        .find(|m| m.object.kind == "Deployment")
        .unwrap();
    let pod = &mut deployment.value["spec"]["template"]["spec"];
    for path in ["/securityContext", "/containers/0/securityContext"] {
        let context = pod.pointer_mut(path).unwrap().as_object_mut().unwrap();
        context.remove("runAsNonRoot");
    }
    let err = kubeward::pipeline::self_check(&manifests, &[]).unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let message = err.to_string();
    assert!(
        message.contains("Deployment payments/payments-api"),
        "{message}"
    );
    assert!(message.contains("KW-SEC-001"), "{message}");
}

/// The fenced block after the `<!-- test: NAME ... -->` marker of a book page.
fn book_block(page: &str, name: &str) -> String {
    BookPage::read(page).block_after(&format!("<!-- test: {name} "), None)
}

#[test]
fn the_helm_how_to_shows_what_kubeward_check_prints() {
    let page = BookPage::read("how-to/check-a-helm-chart.md");
    let marker = "<!-- test: helm-output ";
    let block = page.block_after(marker, None);
    let (command, _) = block.split_once('\n').unwrap();
    assert_eq!(command, "$ kubeward check rendered.yaml");
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        check_fixture("helm-create-default.yaml"),
        dir.path().join("rendered.yaml"),
    )
    .unwrap();
    let out = kubeward()
        .current_dir(dir.path())
        .args(["check", "rendered.yaml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let printed = String::from_utf8(out).unwrap();
    page.expect_block_after(marker, &format!("{command}\n{printed}"));
}

#[test]
fn the_how_to_suppression_example_suppresses_with_its_reasons() {
    let block = book_block("how-to/check-a-helm-chart.md", "suppressions");
    let (_, stdout, _) = check(&["--format", "json", "-"], Some(&block));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    for (id, reason) in [
        (
            "KW-AVAIL-009",
            "one consumer by design: the queue allows a single reader",
        ),
        ("KW-SEC-018", "tags are immutable in our registry"),
        (
            "KW-SEC-019",
            "the image is pinned by tag in an immutable registry",
        ),
    ] {
        let finding = findings.iter().find(|f| f["ruleId"] == id).unwrap();
        assert_eq!(finding["suppression"]["reason"], reason, "{id}");
    }
    assert!(!findings.iter().any(|f| f["ruleId"] == "KW-META-003"));
}

#[test]
fn the_how_to_workflow_places_every_result_on_a_template_of_the_chart() {
    let block = book_block("how-to/check-a-helm-chart.md", "workflow");
    let steps: Value = serde_saphyr::from_str(&block).unwrap();
    let run = steps[0]["run"].as_str().unwrap();
    assert_eq!(steps[1]["with"]["sarif_file"], "kubeward.sarif");
    // The step as written, with the chart's `helm template` output on stdin.
    let (helm, kubeward_part) = run.split_once(" | ").unwrap();
    assert!(
        helm.starts_with("helm template my-release charts/mychart"),
        "{helm}"
    );
    let command = kubeward_part
        .strip_suffix(" > kubeward.sarif")
        .and_then(|c| c.strip_prefix("kubeward check "))
        .unwrap_or_else(|| panic!("{kubeward_part}"));
    let dir = tempfile::tempdir().unwrap();
    common::write(
        &dir.path().join("ci/kubeward-suppressions.yaml"),
        book_block("how-to/check-a-helm-chart.md", "suppressions-file"),
    );
    let out = kubeward()
        .current_dir(dir.path())
        .arg("check")
        .args(command.split(' '))
        .write_stdin(fs::read_to_string(check_fixture("helm-create-default.yaml")).unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let places = sarif_places(&stdout);
    assert!(!places.is_empty());
    for (uri, line, rule) in &places {
        assert!(
            uri.starts_with("charts/mychart/templates/"),
            "{rule}: {uri}"
        );
        assert!(*line >= 1, "{rule}: {uri}");
    }
}

#[test]
fn the_how_to_suppressions_file_accepts_its_finding_and_the_configuration_adds_floors() {
    let agent = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: node-agent\n  namespace: monitoring\n  annotations:\n    kubeward.dev/ignore: KW-SEC-018=tag only\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: ghcr.io/acme/agent:1.0\n          securityContext:\n            privileged: true\n";
    let dir = tempfile::tempdir().unwrap();
    common::write(&dir.path().join("agent.yaml"), agent);
    common::write(
        &dir.path().join("ci/kubeward-suppressions.yaml"),
        book_block("how-to/check-a-helm-chart.md", "suppressions-file"),
    );
    common::write(
        &dir.path().join("ci/kubeward-check.yaml"),
        book_block("how-to/check-a-helm-chart.md", "check-config"),
    );
    common::write(
        &dir.path().join("presets/acme.yaml"),
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: acme}\nextends: restricted\nfloors: {requireImageDigest: true}\n",
    );
    let check_with = |args: &[&str]| {
        let out = kubeward()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "--presets-dir", "presets"])
            .args(args)
            .arg("agent.yaml")
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"].as_array().unwrap().clone()
    };
    let suppression = |findings: &[Value], rule: &str| {
        findings
            .iter()
            .find(|f| f["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no {rule}"))["suppression"]
            .clone()
    };
    let findings = check_with(&["--suppressions", "ci/kubeward-suppressions.yaml"]);
    assert_eq!(
        suppression(&findings, "KW-SEC-009")["annotation"],
        "ci/kubeward-suppressions.yaml:4"
    );
    assert_eq!(
        suppression(&findings, "KW-SEC-018")["annotation"],
        "kubeward.dev/ignore"
    );
    let findings = check_with(&["--config", "ci/kubeward-check.yaml"]);
    assert_eq!(suppression(&findings, "KW-SEC-009")["kind"], "external");
    assert!(
        suppression(&findings, "KW-SEC-018").is_null(),
        "inline suppressions are off"
    );
    assert!(
        suppression(&findings, "KW-FLOOR-002").is_null(),
        "acme's floor applies"
    );
}

/// The findings as comparable text: object, rule, path, message, suppression.
fn described(findings: &[kubeward::check::Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {:?}",
                f.object, f.rule.id, f.path, f.message, f.suppressed
            )
        })
        .collect()
}

#[test]
fn judging_objects_as_they_are_read_and_pruning_them_changes_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let status = std::process::Command::new("python3")
        .arg(common::repo("scripts/gen-check-corpus.py"))
        .arg(&corpus)
        .arg("60")
        .status()
        .expect("python3 runs the corpus generator");
    assert!(status.success());
    let examples = dir.path().join("examples");
    for spec in [
        "ledger",
        "payments-api",
        "storefront",
        "report-worker",
        "config-watcher",
        // the public entry under load: an autoscaler, Gateway routes, an Ingress of another class
        "catalog",
        "search-api",
        "legacy-portal",
    ] {
        kubeward()
            .args(["render", "-f"])
            .arg(common::repo(&format!(
                "tests/examples/{spec}/kubeward.yaml"
            )))
            .arg("--state")
            .arg(dir.path().join("state").join(spec))
            .arg("-o")
            .arg(examples.join(spec))
            .assert()
            .success();
    }
    let mut judged = std::collections::BTreeSet::new();
    for input in [
        corpus,
        examples,
        common::repo("tests/fixtures/check"),
        common::repo("tests/fixtures/pod-security"),
    ] {
        let paths = [input.clone()];
        let full = kubeward::check::load::load_paths(&paths);
        let expected = described(&kubeward::check::run(&full.objects));
        let (pruned, findings) =
            kubeward::check::check_paths(&paths, None, None, &Default::default());
        assert_eq!(pruned.objects.len(), full.objects.len());
        assert!(!expected.is_empty(), "{}: no finding", input.display());
        assert_eq!(described(&findings), expected, "{}", input.display());
        judged.extend(findings.iter().map(|f| f.rule.id));
    }
    // every joined rule of the public entry under load had something to find, pruned
    let load: Vec<&str> = kubeward::check::all_rules()
        .map(|r| r.id)
        .filter(|id| id.starts_with("KW-LOAD") && !judged.contains(id))
        .collect();
    assert!(load.is_empty(), "no input breaks {load:?}");
}

/// A TLS Secret holding a self-signed certificate valid from `from` to `to` days from now.
fn tls_secret(name: &str, from: i64, to: i64) -> String {
    use base64::Engine;
    let now = time::OffsetDateTime::now_utc();
    let mut params = rcgen::CertificateParams::new(vec!["api.shop.svc".to_string()]).unwrap();
    params.not_before = now + time::Duration::days(from);
    params.not_after = now + time::Duration::days(to);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let b64 = |text: String| base64::engine::general_purpose::STANDARD.encode(text);
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: shop\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n---\n",
        b64(cert.pem()),
        b64(key.serialize_pem())
    )
}

#[test]
fn tls_secrets_that_expire_within_expiry_days_or_have_expired_are_reported() {
    let stream = [
        tls_secret("soon", -80, 10),
        tls_secret("gone", -100, -3),
        tls_secret("fresh", -1, 89),
    ]
    .concat();
    let expiring = |args: &[&str]| -> Vec<String> {
        let (_, stdout, _) = check(&[args, &["--format", "json", "-"]].concat(), Some(&stream));
        let report: Value = serde_json::from_str(&stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["ruleId"] == "KW-SECRET-003")
            .map(|f| format!("{}: {}", f["object"]["name"], f["message"]))
            .collect()
    };
    // The default window is 30 days.
    let default = expiring(&[]);
    assert_eq!(default.len(), 2, "{default:?}");
    assert!(
        default[0].contains("soon")
            && (default[0].contains("in 9 day(s)") || default[0].contains("in 10 day(s)")),
        "{default:?}"
    );
    assert!(
        default[1].contains("gone") && default[1].contains("expired on"),
        "{default:?}"
    );
    // A shorter window drops the one that is still valid; a longer one takes the fresh one.
    let short = expiring(&["--expiry-days", "5"]);
    assert_eq!(short.len(), 1, "{short:?}");
    assert!(short[0].contains("gone"), "{short:?}");
    assert_eq!(expiring(&["--expiry-days", "100"]).len(), 3);
    assert_eq!(check(&["--expiry-days", "-1", "-"], Some(CLEAN)).0, 2);
}

/// KW-AVAIL-017 through the binary on the fixtures of `tests/fixtures/check/namespace/`: each
/// `broken` folder (two LimitRanges, quotas that disagree, two renders' `kubeward-namespace`
/// LimitRanges in two files) is reported, its `fixed` twin is clean.
#[test]
fn one_limit_range_and_agreeing_quotas_per_namespace() {
    for case in ["two-limitranges", "quotas-disagree", "renders-fight"] {
        let dir = check_fixture("namespace").join(case);
        let ids = |folder: &str| rule_ids(&dir.join(folder), &[]);
        let broken = BTreeSet::from(["KW-AVAIL-017".to_string()]);
        assert_eq!(ids("broken"), (broken, Some(1)), "{case}");
        assert_eq!(ids("fixed"), (BTreeSet::new(), Some(0)), "{case}");
    }
}
