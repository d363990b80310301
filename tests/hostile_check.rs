//! `kubeward check` on what an attacker can put in a pull request: arbitrary bytes, and
//! arbitrary YAML shaped like manifests, whose names, values, annotations and file names hold
//! terminal escapes, carriage returns and bidirectional overrides. It never panics, exits 0,
//! 1 or 2, prints nothing a terminal would act on (text), and prints valid JSON and SARIF that
//! read back the exact strings.

mod common;

use std::path::Path;

use kubeward::check::{self, Severity, load, report::Report};
use kubeward::output::terminal::is_hidden;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Characters that attack terminals and YAML readers, and a little of everything else.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            '\u{1b}', '\r', '\n', '\t', '\u{7}', '\u{8}', '\u{0}', '\u{7f}', '\u{85}', '\u{9b}',
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200f}', '\u{2028}', '\u{2029}',
            '\u{feff}', '"', '\'', ':', '-', '#', '[', '{', '&', '*', '!', '|', '>', '%', '@',
        ]),
        2 => prop::char::range('a', 'z'),
        1 => any::<char>(),
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..20).prop_map(|chars| chars.into_iter().collect())
}

/// Field names the rules read, and hostile ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "metadata", "name", "namespace", "labels", "annotations", "spec", "template",
            "jobTemplate", "containers", "initContainers", "securityContext", "image",
            "privileged", "capabilities", "add", "drop", "volumes", "hostPath", "path",
            "ports", "hostPort", "rules", "verbs", "resources", "apiGroups", "selector",
            "matchLabels", "podSelector", "policyTypes", "egress", "ingress", "to", "from",
            "replicas", "minAvailable", "roleRef", "subjects", "kubeward.dev/ignore",
            "checkov.io/skip1", "sysctls", "seLinuxOptions", "readinessProbe", "httpGet", "host",
        ])
        .prop_map(str::to_string),
        1 => hostile_string(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        hostile_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A document shaped like a manifest of a kind the rules know, or anything at all.
fn document() -> impl Strategy<Value = Value> {
    let kind = prop::sample::select(vec![
        ("v1", "Pod"),
        ("apps/v1", "Deployment"),
        ("batch/v1", "CronJob"),
        ("v1", "Deployment"),
        ("apps.openshift.io/v1", "DeploymentConfig"),
        ("rbac.authorization.k8s.io/v1", "Role"),
        ("rbac.authorization.k8s.io/v1", "RoleBinding"),
        ("networking.k8s.io/v1", "NetworkPolicy"),
        ("policy/v1", "PodDisruptionBudget"),
        ("v1", "Namespace"),
        ("v1", "List"),
    ]);
    prop_oneof![
        3 => (kind, hostile_string(), hostile_string(), value(), value()).prop_map(
            |((api, kind), name, namespace, annotations, spec)| {
                serde_json::json!({
                    "apiVersion": api,
                    "kind": kind,
                    "metadata": {"name": name, "namespace": namespace, "annotations": annotations},
                    "spec": spec,
                })
            }
        ),
        1 => value(),
    ]
}

/// A YAML stream of documents, some written as YAML and some as JSON (valid YAML).
fn yaml_stream() -> impl Strategy<Value = String> {
    prop::collection::vec((document(), any::<bool>()), 1..4).prop_map(|docs| {
        docs.iter()
            .map(|(doc, as_json)| {
                if *as_json {
                    serde_json::to_string(doc).unwrap()
                } else {
                    serde_saphyr::to_string(doc)
                        .unwrap_or_else(|_| serde_json::to_string(doc).unwrap())
                }
            })
            .collect::<Vec<_>>()
            .join("\n---\n")
    })
}

/// Asserts that `out` holds no character a terminal would act on, but line breaks.
fn terminal_safe(what: &str, out: &str) -> Result<(), TestCaseError> {
    let raw: Vec<char> = out.chars().filter(|&c| c != '\n' && is_hidden(c)).collect();
    prop_assert!(raw.is_empty(), "{what} prints {raw:?}:\n{out}");
    Ok(())
}

/// Checks `text` in process, every output form.
fn check_in_process(name: &str, text: &str) -> Result<(), TestCaseError> {
    let loaded = load::load_text(name, text);
    let findings = check::run(&loaded.objects);
    let report = Report::new(&loaded, &findings, Severity::Warning);
    terminal_safe("the text report", &report.text())?;
    for (form, bytes) in [
        ("json", json_of(&report, false)),
        ("sarif", json_of(&report, true)),
    ] {
        let out = String::from_utf8(bytes).expect("UTF-8");
        terminal_safe(form, &out)?;
        let parsed: Value = serde_json::from_str(&out).expect("valid JSON");
        if form == "json" {
            for (finding, f) in parsed["findings"].as_array().unwrap().iter().zip(&findings) {
                prop_assert_eq!(finding["message"].as_str(), Some(f.message.as_str()));
                prop_assert_eq!(finding["file"].as_str(), Some(name));
            }
        }
    }
    Ok(())
}

fn json_of(report: &Report, sarif: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if sarif {
        report.write_sarif(&mut out).unwrap();
    } else {
        report.write_json(&mut out).unwrap();
    }
    out
}

/// Runs the binary on `bytes` written to a file named `name`, in every output form.
fn check_binary(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    for format in ["text", "json", "sarif"] {
        let out = common::run::kubeward()
            .args(["check", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        prop_assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{format}: exit {:?}\n{stderr}",
            out.status.code()
        );
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
        terminal_safe(&format!("{format} stdout"), &stdout)?;
        terminal_safe(&format!("{format} stderr"), &stderr)?;
        if format != "text" {
            let _: Value = serde_json::from_str(&stdout).expect("valid JSON");
        }
    }
    Ok(())
}

/// A file name with terminal escapes in it (and the extension check reads).
fn hostile_file_name() -> impl Strategy<Value = String> {
    hostile_string().prop_map(|s| {
        let name: String = s.chars().filter(|c| *c != '/' && *c != '\0').collect();
        format!("{name}.yaml")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_manifest_yaml_is_judged_without_panic_or_raw_control_characters(
        name in hostile_file_name(), text in yaml_stream()
    ) {
        check_in_process(&name, &text)?;
    }

    #[test]
    fn arbitrary_text_is_judged_without_panic_or_raw_control_characters(
        name in hostile_file_name(), text in prop::collection::vec(hostile_char(), 0..200)
    ) {
        check_in_process(&name, &text.into_iter().collect::<String>())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_binary_never_panics_nor_prints_raw_control_characters_on_arbitrary_bytes(
        name in hostile_file_name(), bytes in prop::collection::vec(any::<u8>(), 0..400)
    ) {
        let dir = tempfile::tempdir().unwrap();
        check_binary(dir.path(), &name, &bytes)?;
    }

    #[test]
    fn the_binary_never_panics_nor_prints_raw_control_characters_on_arbitrary_yaml(
        name in hostile_file_name(), text in yaml_stream()
    ) {
        let dir = tempfile::tempdir().unwrap();
        check_binary(dir.path(), &name, text.as_bytes())?;
    }
}

/// Runs `kubeward ARGS` in `dir` and returns what it printed on both streams.
fn printed(dir: &Path, args: &[&str]) -> String {
    let run = common::run::run_in(dir, args);
    assert!(matches!(run.code, Some(0..=2)), "{args:?}: {}", run.stderr);
    format!("{}{}", run.stdout, run.stderr)
}

#[test]
fn every_command_escapes_what_a_manifest_or_a_preset_supplies() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "x\u{1b}]0;owned\u{7}\u{1b}[2J\r\u{202e}\u{2066}\u{85}\u{9b}";
    common::write(
        &dir.path().join("presets/team.yaml"),
        format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: team\n  description: {}\nextends: restricted\nspec: {{}}\n",
            serde_json::to_string(evil).unwrap()
        ),
    );
    let manifest = format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {name}\nspec:\n  podSelector: {{matchLabels: {{app: {name}}}}}\n  policyTypes: [Ingress]\n  ingress:\n    - from: [{{podSelector: {{matchLabels: {{app: {name}}}}}}}]\n",
        name = serde_json::to_string(evil).unwrap()
    );
    let file = format!("{evil}.yaml").replace('/', "");
    common::write(&dir.path().join(&file), &manifest);
    for args in [
        vec!["presets", "list", "--presets-dir", "presets"],
        vec!["presets", "show", "team", "--presets-dir", "presets"],
        vec!["check", &file],
        vec!["check", "missing\u{1b}[31m.yaml"],
        vec!["graph", &file],
        vec!["graph", "--format", "dot", &file],
        vec!["explain", "--rule", evil],
        vec!["render", "-f", &file],
    ] {
        let out = printed(dir.path(), &args);
        let raw: Vec<char> = out.chars().filter(|&c| c != '\n' && is_hidden(c)).collect();
        assert!(
            raw.is_empty(),
            "{:?} prints {raw:?}:\n{out}",
            args[..2].to_vec()
        );
    }
}
