//! Namespaces the platform owns (`spec.namespace.manage: false`, or the preset's
//! `namespace.manage`): the bundle then has no Namespace, ResourceQuota or LimitRange, render
//! names the labels the platform must set (exactly those kubeward's own Namespace carries),
//! `explain` says so, and the services of one namespace in a system agree on its owner.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use common::bundle::parse_stream;
use common::run::{Run, binary, kubeward};
use common::spec::{IMAGE, spec};
use serde_json::Value;

/// A restricted service (so quota and LimitRange are due) with `body` after its port.
fn restricted(name: &str, body: &str) -> String {
    spec(
        name,
        "shop",
        &format!(
            "  image: {IMAGE}\n  port: 8443\n  protocol: https\n  sensitivity: restricted\n{body}"
        ),
    )
}

/// The objects `render` prints for the spec `text`, written into `dir` as kubeward.yaml.
fn rendered(dir: &Path, text: &str) -> Vec<Value> {
    let path = dir.join("kubeward.yaml");
    fs::write(&path, text).unwrap();
    let run = Run::of(
        kubeward()
            .args(["render", "--state"])
            .arg(dir.join("state"))
            .arg("-f")
            .arg(&path),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    parse_stream(&run.stdout)
}

/// The kinds `render` prints for the spec `text`.
fn kinds(dir: &Path, text: &str) -> Vec<String> {
    rendered(dir, text)
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Labels or annotations, in their order.
type Pairs = Vec<(String, String)>;

const NAMESPACE_KINDS: [&str; 3] = ["Namespace", "ResourceQuota", "LimitRange"];

fn has_namespace_objects(kinds: &[String]) -> Vec<&str> {
    NAMESPACE_KINDS
        .into_iter()
        .filter(|k| kinds.iter().any(|kind| kind == k))
        .collect()
}

#[test]
fn manage_false_renders_no_namespace_quota_or_limit_range() {
    let dir = tempfile::tempdir().unwrap();
    let managed = kinds(dir.path(), &restricted("api", ""));
    assert_eq!(has_namespace_objects(&managed), NAMESPACE_KINDS.to_vec());
    let left = kinds(
        dir.path(),
        &restricted("api", "  namespace: { manage: false }\n"),
    );
    assert!(has_namespace_objects(&left).is_empty(), "{left:?}");
    // the service's own objects and the namespace's default deny stay
    for kind in ["ServiceAccount", "Deployment", "Service", "NetworkPolicy"] {
        assert!(left.iter().any(|k| k == kind), "{kind}: {left:?}");
    }
}

#[test]
fn the_preset_sets_the_default_and_the_spec_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("platform.yaml");
    fs::write(
        &preset,
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: { name: platform }\nextends: restricted\nspec:\n  namespace: { manage: false }\n",
    )
    .unwrap();
    let body = format!("  preset: {}\n", preset.display());
    let by_preset = kinds(dir.path(), &restricted("api", &body));
    assert!(
        has_namespace_objects(&by_preset).is_empty(),
        "{by_preset:?}"
    );
    let overridden = kinds(
        dir.path(),
        &restricted("api", &format!("{body}  namespace: {{ manage: true }}\n")),
    );
    assert_eq!(has_namespace_objects(&overridden), NAMESPACE_KINDS.to_vec());
}

/// What `kubeward ARGS` (a shell command line after the binary) prints on a terminal: run
/// under `script`, which gives it one.
fn on_terminal(args: &str) -> String {
    let command = format!("{} {args}", binary().display());
    let out = Process::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("KUBEWARD_REQUIRED_PRESET")
        .output()
        .expect("script (util-linux) runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n")
}

/// The labels and annotations of kubeward's own Namespace for `body`, and the note render
/// prints on a terminal (run under `script`, which gives it one) for the same service with
/// `manage: false`.
fn namespace_and_note(body: &str) -> (Pairs, Pairs, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeward.yaml");
    let docs = rendered(dir.path(), &restricted("api", body));
    let namespace = docs.iter().find(|d| d["kind"] == "Namespace").unwrap();
    let pairs = |map: &Value| -> Pairs {
        map.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "app.kubernetes.io/managed-by")
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect()
    };
    let labels = pairs(&namespace["metadata"]["labels"]);
    let annotations = pairs(&namespace["metadata"]["annotations"]);
    fs::write(
        &path,
        restricted("api", &format!("{body}  namespace: {{ manage: false }}\n")),
    )
    .unwrap();
    let note = on_terminal(&format!(
        "render --state {} -f {} > {}",
        dir.path().join("state").display(),
        path.display(),
        dir.path().join("out.yaml").display()
    ));
    (labels, annotations, note)
}

#[test]
fn render_notes_exactly_the_labels_kubewards_own_namespace_carries() {
    for body in [
        "",
        "  mesh: istio\n",
        "  mesh: linkerd\n  probes: { port: 8081 }\n",
        "  preset: openshift\n",
    ] {
        let (labels, annotations, note) = namespace_and_note(body);
        let shown = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut expected = format!("kubectl label namespace shop {}", shown(&labels));
        if !annotations.is_empty() {
            expected.push_str(&format!(
                "; kubectl annotate namespace shop {}",
                shown(&annotations)
            ));
        }
        assert!(
            note.contains(&format!("must carry: {expected}\n")),
            "{body:?}: {note}"
        );
        assert_eq!(note.matches("is the platform's").count(), 1, "{note}");
    }
}

#[test]
fn the_note_is_no_warning_and_explain_says_the_namespace_is_the_platforms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeward.yaml");
    fs::write(&path, restricted("api", "  namespace: { manage: false }\n")).unwrap();
    let run = Run::of(
        kubeward()
            .args(["--deny-warnings", "render", "--state"])
            .arg(dir.path().join("state"))
            .arg("-f")
            .arg(&path),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let explained = Run::of(kubeward().args(["explain", "-f"]).arg(&path));
    assert!(
        explained
            .stdout
            .contains("namespace `shop` is the platform's")
            && explained
                .stdout
                .contains("pod-security.kubernetes.io/enforce-version=v1.35"),
        "{}",
        explained.stdout
    );
    assert!(
        !explained.stdout.contains("namespace-quota"),
        "{}",
        explained.stdout
    );
}

#[test]
fn a_system_whose_services_disagree_on_the_namespaces_owner_is_refused_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fs::create_dir_all(&specs).unwrap();
    fs::write(specs.join("a.yaml"), restricted("a", "")).unwrap();
    fs::write(
        specs.join("b.yaml"),
        restricted("b", "  namespace: { manage: false }\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let render_system = || {
        Run::of(
            kubeward()
                .args(["render", "-f"])
                .arg(&specs)
                .arg("-o")
                .arg(&out),
        )
    };
    let run = render_system();
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("b.yaml")
            && run.stderr.contains("line 11")
            && run
                .stderr
                .contains("spec.namespace.manage: false (the platform owns namespace `shop`), but")
            && run
                .stderr
                .contains("a.yaml of the same namespace write its Namespace object"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing written");
    // agreeing, they render: no Namespace in the namespace's folder
    fs::write(
        specs.join("a.yaml"),
        restricted("a", "  namespace: { manage: false }\n"),
    )
    .unwrap();
    let run = render_system();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let shared = fs::read_to_string(out.join("shop/kustomization.yaml")).unwrap();
    assert!(!shared.contains("namespace.yaml"), "{shared}");
    assert!(!out.join("shop/namespace.yaml").exists());
    // the note is given once for the namespace, not once a service
    let note = on_terminal(&format!(
        "render -f {} -o {}",
        specs.display(),
        dir.path().join("out2").display()
    ));
    assert_eq!(
        note.matches("namespace `shop` is the platform's").count(),
        1,
        "{note}"
    );
    assert!(
        note.contains(
            "must carry: kubectl label namespace shop pod-security.kubernetes.io/enforce=restricted"
        ),
        "{note}"
    );
}

/// The how-to page lists exactly the labels and annotations kubeward's own Namespace carries
/// for the page's service: its spec rendered with `manage: true`, compared with the page's
/// Namespace block, so that the page cannot drift from the template.
#[test]
fn the_platform_namespaces_page_lists_exactly_what_kubewards_namespace_carries() {
    let page = common::book::BookPage::read("how-to/platform-namespaces.md");
    let listed = common::yaml_value(&page.block("platform-namespace", "yaml kubernetes"));
    let text = common::book::page("how-to/platform-namespaces.md");
    let start = text.find("```yaml kubeward\n").unwrap() + "```yaml kubeward\n".len();
    let spec_text = &text[start..start + text[start..].find("```\n").unwrap()];
    assert!(
        spec_text.contains("namespace: { manage: false }"),
        "{spec_text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let docs = rendered(
        dir.path(),
        &spec_text.replace(
            "namespace: { manage: false }",
            "namespace: { manage: true }",
        ),
    );
    let mut own = docs
        .iter()
        .find(|d| d["kind"] == "Namespace")
        .unwrap()
        .clone();
    own["metadata"]["labels"]
        .as_object_mut()
        .unwrap()
        .remove("app.kubernetes.io/managed-by");
    assert_eq!(listed["metadata"], own["metadata"]);
}
