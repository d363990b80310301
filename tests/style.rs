//! One YAML style across every file kubeward writes: each document, its `#` comment lines
//! aside, is byte for byte what `kubeward::yaml::block::document` writes for the value it
//! holds (block collections two spaces a level, empty ones in flow style, plain scalars
//! wherever every YAML reader takes them for the same string and double quotes otherwise),
//! whichever template, example, system or cluster spec wrote it.

mod common;

use std::path::{Path, PathBuf};

use common::bundle::documents_without_comments;
use common::run::{kubeward, success_stdout};
use kubeward::yaml::block;
use serde_json::Value;

/// Where `text` first differs from how `block::document` writes its value, if it does.
fn off_style(text: &str) -> Option<String> {
    let value: Value =
        serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("the document parses: {e}\n{text}"));
    let canonical = block::document(&value);
    if canonical == text {
        return None;
    }
    let (line, (written, expected)) = text
        .lines()
        .zip(canonical.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .unwrap_or((
            text.lines().count().min(canonical.lines().count()),
            ("(end)", "(end)"),
        ));
    Some(format!(
        "line {}: written {written:?}, the one style writes {expected:?}",
        line + 1
    ))
}

/// Every document of every YAML file under `dir` that is not in the one style.
fn files_off_style(dir: &Path) -> Vec<String> {
    let files: Vec<PathBuf> = common::files_under(dir)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    assert!(!files.is_empty(), "{} holds YAML files", dir.display());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, doc) in documents_without_comments(&text).iter().enumerate() {
            if let Some(why) = off_style(doc) {
                found.push(format!("{} document {}: {why}", file.display(), i + 1));
            }
        }
    }
    found
}

fn render(spec: &Path, out: &Path, extra: &[&str]) {
    success_stdout(
        kubeward()
            .args(["render", "--quiet", "-f"])
            .arg(spec)
            .arg("-o")
            .arg(out.join("bundle"))
            .arg("--state")
            .arg(out.join("state"))
            .args(extra),
    );
}

#[test]
fn every_example_and_system_is_written_in_one_style() {
    let tmp = tempfile::tempdir().unwrap();
    let mut off = Vec::new();
    let mut examples: Vec<PathBuf> = std::fs::read_dir(common::repo("tests/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    examples.sort();
    for (i, example) in examples.iter().enumerate() {
        let spec = example.join("kubeward.yaml");
        for (variant, extra) in [("plain", &[][..]), ("annotated", &["--annotate"][..])] {
            let out = tmp.path().join(format!("{i}-{variant}"));
            render(&spec, &out, extra);
            off.extend(files_off_style(&out.join("bundle")));
        }
    }
    for system in [
        common::repo("tests/examples"),
        common::repo("tests/systems/clinic"),
    ] {
        let out = tmp.path().join(system.file_name().unwrap());
        render(&system, &out, &[]);
        off.extend(files_off_style(&out.join("bundle")));
    }
    assert!(off.is_empty(), "{}", off.join("\n"));
}

/// A service with what no example has: a mesh, client certificates, a secret from a store
/// and one sealed, under a preset file.
fn service(name: &str, mesh: &str) -> String {
    format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {{name: {name}, namespace: pay}}\nspec:\n  image: ghcr.io/acme/api:1.0.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 8443\n  protocol: https\n  sensitivity: restricted\n  exposure: cluster\n  probes: {{port: 8081}}\n  mesh: {mesh}\n  tls: {{mode: self-signed, clientAuth: required}}\n  callers:\n    - {{app: web, namespace: \"front\", serviceAccount: web-sa}}\n  egress:\n    - {{app: ledger, namespace: books, port: 5432}}\n  secrets:\n    - {{name: stripe-key, fromStore: {{store: vault, kind: ClusterSecretStore, key: payments/stripe, property: api-key}}}}\n    - {{name: token, generate: {{length: 32}}}}\n  sealing: {{certificate: ./controller.pem, scope: strict}}\n"
    )
}

#[test]
fn mesh_store_sealing_and_client_certificate_objects_are_written_in_the_same_style() {
    let tmp = tempfile::tempdir().unwrap();
    common::sealing::key_pair(
        2048,
        &tmp.path().join("controller-key.pem"),
        &tmp.path().join("controller.pem"),
    );
    let mut off = Vec::new();
    for mesh in ["none", "istio", "linkerd"] {
        let spec = tmp.path().join(format!("{mesh}.yaml"));
        common::write(&spec, service(&format!("api-{mesh}"), mesh));
        let out = tmp.path().join(mesh);
        render(&spec, &out, &["--annotate"]);
        let kinds = std::fs::read_dir(out.join("bundle")).unwrap().count();
        assert!(kinds > 10, "{mesh}: {kinds} files");
        off.extend(files_off_style(&out.join("bundle")));
    }
    assert!(off.is_empty(), "{}", off.join("\n"));
}

#[test]
fn the_control_planes_files_are_written_in_the_same_style() {
    let tmp = tempfile::tempdir().unwrap();
    let kms = common::cluster::cluster_spec(
        "1.36.3",
        "  encryption:\n    provider: kms\n    kms: { name: vault-kms, endpoint: \"unix:///var/run/kms-plugin/socket.sock\" }\n    resources: [secrets]\n",
    );
    for (name, spec) in [
        ("secretbox", common::cluster::CONTRACT.to_string()),
        ("kms", kms),
    ] {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let run = common::cluster::render(&dir, &spec, &[]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let off = files_off_style(&dir.join("out"));
        assert!(off.is_empty(), "{}", off.join("\n"));
    }
}

#[test]
fn the_style_check_sees_quotes_flow_collections_and_indentation() {
    for (text, why) in [
        ("labels:\n  \"app\": web\n", "a quoted key"),
        ("cpu: \"100m\"\n", "a quoted plain string"),
        ("matchLabels: {app: web}\n", "a flow mapping"),
        ("verbs: [get]\n", "a flow sequence"),
        ("spec:\n    replicas: 2\n", "four spaces a level"),
        (
            "ports:\n- port: 80\n",
            "a sequence not indented under its key",
        ),
        ("port: '8080'\n", "single quotes"),
    ] {
        assert!(off_style(text).is_some(), "{why} passes: {text}");
    }
    assert_eq!(
        off_style("cpu: 100m\nreplicas: 2\nname: \"8\"\nempty: {}\n"),
        None
    );
}

/// Strings of the characters plain scalars may hold, and some that may not, drawn the same on
/// every run, with the words and numbers of YAML 1.1 that look most like them.
fn scalar_candidates() -> Vec<String> {
    let alphabet: Vec<char> = "0123456789abefnoxtzyABEFNOXTZY._/+=@ -:#,"
        .chars()
        .collect();
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut out: Vec<String> = [
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "N",
        "true",
        "False",
        "null",
        "Null",
        "~",
        "",
        "1",
        "-1",
        "+1",
        "0x1F",
        "0o17",
        "017",
        "0b101",
        "1_000",
        "190:20:30",
        "1e3",
        "1.5e+3",
        "6.8523015e+5",
        "685.230_15e+03",
        ".inf",
        "-.Inf",
        ".NaN",
        "1.0",
        "5.2.0",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2002-12-14",
        "<<",
        "=",
        "100m",
        "64Mi",
        "2160h",
        "/readyz",
        "a b",
        "a  b",
        "a ",
        " a",
        "KW-NET-002=reason",
        "c2VjcmV0+/=",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..20_000 {
        let len = 1 + next() % 10;
        out.push(
            (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect(),
        );
    }
    out
}

#[test]
fn a_yaml_1_1_reader_takes_every_scalar_for_the_string_it_encodes() {
    // PyYAML's SafeLoader resolves YAML 1.1's booleans, nulls, integers (sexagesimal, octal,
    // binary), floats and timestamps: the readers of Kubernetes' own YAML 1.1 lineage, judged
    // by one that is not kubeward's.
    let python = common::repo(".venv/bin/python");
    assert!(
        python.exists(),
        "{} missing: run scripts/install-tools.sh",
        python.display()
    );
    let candidates = scalar_candidates();
    let mut doc = String::from("block:\n");
    for text in &candidates {
        doc.push_str(&format!("  - {}\n", kubeward::yaml::safe::scalar(text)));
    }
    doc.push_str("flow: ");
    doc.push_str(&kubeward::yaml::safe::encode(&Value::from(
        candidates.clone(),
    )));
    doc.push('\n');
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("scalars.yaml");
    common::write(&file, &doc);
    let out = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    for context in ["block", "flow"] {
        let read = read[context].as_array().unwrap();
        assert_eq!(read.len(), candidates.len());
        for (text, back) in candidates.iter().zip(read) {
            assert_eq!(
                back,
                &Value::from(text.as_str()),
                "{context}: {text:?} written as {}",
                kubeward::yaml::safe::scalar(text)
            );
        }
    }
    let plain = candidates
        .iter()
        .filter(|t| kubeward::yaml::safe::scalar(t) == **t)
        .count();
    assert!(
        plain > 2_000,
        "only {plain} of the candidates are written plain"
    );
}

/// The backticked snippets of the bullet of `section` that starts with `bullet`.
fn snippets(section: &str, bullet: &str) -> Vec<String> {
    let start = section
        .find(bullet)
        .unwrap_or_else(|| panic!("concepts.md: no bullet {bullet:?}"));
    let text = &section[start..];
    let end = text[2..].find("\n- ").map_or(text.len(), |i| i + 2);
    text[..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_books_examples_of_the_style_are_what_kubeward_writes() {
    let page = common::book::page("concepts.md");
    let section = &page[page.find("## How the files read").expect("the section")..];
    let plain = snippets(section, "- a string is plain");
    assert!(plain.len() >= 3, "{plain:?}");
    for snippet in plain {
        let (key, value) = snippet.split_once(": ").unwrap_or(("", &snippet));
        for text in [key, value].into_iter().filter(|t| !t.is_empty()) {
            assert_eq!(
                kubeward::yaml::safe::scalar(text),
                text,
                "concepts.md: {snippet}"
            );
        }
    }
    let quoted = snippets(section, "- it is double-quoted otherwise");
    assert!(quoted.len() >= 5, "{quoted:?}");
    for snippet in quoted {
        let text: String = serde_saphyr::from_str(&snippet).unwrap();
        assert_eq!(kubeward::yaml::safe::scalar(&text), snippet, "concepts.md");
    }
}
