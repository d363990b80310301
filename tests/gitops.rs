//! Secrets that never reach git, end to end through the binary: every SealedSecret unsealed
//! by an independent implementation of the controller (`tests/sealing/unseal.py`, Python
//! `cryptography` on OpenSSL) with a key pair made here by openssl, back to the exact bytes;
//! the ExternalSecrets and SealedSecrets held to the upstream CRD schemas (`tests/crds`);
//! byte-identical re-renders; no plaintext of any value anywhere in the output; the git
//! work-tree warning and `--gitops`; and the certificates that cannot seal.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use common::crds::crd_errors;
use common::run::{Run, kubeward_in};
use common::sealing::{Controller, controller, openssl, self_signed};
use serde_json::{Value, json};

/// A value read from the environment that spells YAML structure, a template and odd
/// characters: it must come back byte for byte.
const DB_URL: &str =
    "postgres://api:p@ss\"w0rd@db:5432/shop\n---\nkind: Pod\n{{ evil }}\u{2028}é\r\n";
/// A binary file value: NUL, high bytes, a document separator, CRLF, an escape sequence.
const SIGNING_KEY: &[u8] = b"\x00\xff\xfe\x80---\n\r\n\x1b[31mkey\x00\xc3\x28 end";

/// Every kind of secret kubeward seals, on a public HTTPS service behind an Ingress (so both
/// TLS Secrets: a Gateway's listener brings its own certificate, or cert-manager issues it),
/// and one value that stays in an external store.
const SECRETS: &str = "  protocol: https\n  exposure: public\n  ingress: {host: shop.example.com, api: ingress, className: traefik, controller: {namespace: traefik, app: traefik}}\n  secrets:\n    - {name: db-password, generate: {length: 48}}\n    - {name: db-url, fromEnv: DB_URL}\n    - {name: signing-key, fromFile: ./signing.bin}\n    - name: stripe-key\n      fromStore: {store: vault, kind: ClusterSecretStore, key: payments/stripe, property: api-key, version: \"3\"}\n";

/// The Secrets kubeward writes for [`SECRETS`], and the ExternalSecret.
const SEALED: [&str; 5] = [
    "api-db-password",
    "api-db-url",
    "api-signing-key",
    "api-tls",
    "api-ingress-tls",
];

/// A project folder with the spec, the file value, and git kept to itself.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(body: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        common::write(
            &dir.path().join("kubeward.yaml"),
            common::spec::api_spec(body),
        );
        common::write(&dir.path().join("signing.bin"), SIGNING_KEY);
        Project { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// A command in the project folder: git never looks above it, nor at this machine's
    /// configuration.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.dir.path())
            .env("GIT_CEILING_DIRECTORIES", self.dir.path().parent().unwrap())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("DB_URL", DB_URL);
        command
    }

    fn git(&self, args: &[&str]) {
        let out = self.command("git").args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    /// `kubeward render -f kubeward.yaml ARGS`.
    fn render(&self, args: &[&str]) -> Run {
        let mut command = kubeward_in(self.dir.path());
        command
            .env("GIT_CEILING_DIRECTORIES", self.dir.path().parent().unwrap())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("DB_URL", DB_URL)
            .args(["render", "-f", "kubeward.yaml"])
            .args(args);
        Run::of(&mut command)
    }

    /// Renders into `out` with the state folder `state`, and must succeed.
    fn render_into(&self, out: &str, state: &str, extra: &[&str]) -> Run {
        let run = self.render(&[&["-o", out, "--state", state][..], extra].concat());
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        run
    }

    /// Renders into `out` sealed for `controller` with `scope`, the state folder `state`.
    fn render_sealed(&self, out: &str, controller: &Controller, scope: &str) -> Run {
        let cert = controller.cert.to_str().unwrap();
        self.render_into(out, "state", &["--seal-cert", cert, "--seal-scope", scope])
    }

    /// The documents of every YAML file of the folder `out`, by file name.
    fn documents(&self, out: &str) -> BTreeMap<String, Value> {
        yaml_files(&self.path(out))
            .into_iter()
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, common::yaml_value(&common::read_path(&path)))
            })
            .collect()
    }
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn identity(doc: &Value) -> String {
    format!(
        "{}/{}",
        doc["metadata"]["namespace"].as_str().unwrap(),
        doc["metadata"]["name"].as_str().unwrap()
    )
}

/// The Secrets the controller would make of the SealedSecrets in `files`, unsealed with
/// `key` by `tests/sealing/unseal.py`; `Err` with its reasons when some value does not unseal.
fn unseal(key: &Path, files: &[PathBuf]) -> Result<Value, String> {
    let python = common::repo(".venv/bin/python");
    assert!(
        python.exists(),
        "{} missing: run scripts/install-tools.sh",
        python.display()
    );
    let out = Command::new(python)
        .arg(common::repo("tests/sealing/unseal.py"))
        .arg(key)
        .args(files)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0) => Ok(serde_json::from_slice(&out.stdout).unwrap()),
        Some(1) if !stderr.contains("Traceback") => Err(stderr),
        _ => panic!("unseal.py failed: {stderr}"),
    }
}

fn decoded(text: &Value) -> Vec<u8> {
    STANDARD.decode(text.as_str().unwrap()).unwrap()
}

/// Renders `project` plain and sealed (`scope`) from one state folder: (plain documents,
/// sealed documents, what the controller unseals from the sealed folder).
fn plain_and_sealed(
    project: &Project,
    controller: &Controller,
    scope: &str,
) -> (BTreeMap<String, Value>, BTreeMap<String, Value>, Value) {
    project.render_into("plain", "state", &[]);
    project.render_sealed("sealed", controller, scope);
    let unsealed = unseal(&controller.key, &yaml_files(&project.path("sealed")))
        .unwrap_or_else(|e| panic!("scope {scope}: {e}"));
    (
        project.documents("plain"),
        project.documents("sealed"),
        unsealed,
    )
}

#[test]
fn every_sealed_secret_unseals_as_the_controller_would_to_the_exact_bytes() {
    let controller = controller(4096);
    for scope in ["strict", "namespace-wide", "cluster-wide"] {
        let project = Project::new(SECRETS);
        let (plain, sealed, unsealed) = plain_and_sealed(&project, &controller, scope);
        let secrets: Vec<&Value> = plain.values().filter(|d| d["kind"] == "Secret").collect();
        let names: BTreeSet<String> = secrets
            .iter()
            .map(|s| s["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, SEALED.iter().map(|s| s.to_string()).collect());
        assert!(
            !sealed.values().any(|d| d["kind"] == "Secret"),
            "scope {scope}: a Secret left unsealed"
        );
        let unsealed = unsealed.as_object().unwrap();
        assert_eq!(unsealed.len(), secrets.len(), "scope {scope}: {unsealed:?}");
        for secret in secrets {
            let got = &unsealed[&identity(secret)];
            let want = secret["data"].as_object().unwrap();
            let got_data = got["data"].as_object().unwrap();
            assert_eq!(
                got_data.keys().collect::<BTreeSet<_>>(),
                want.keys().collect::<BTreeSet<_>>()
            );
            for (key, value) in want {
                assert_eq!(decoded(&got_data[key]), decoded(value), "{scope} {key}");
            }
            assert_eq!(got["type"], secret["type"]);
            assert_eq!(got["labels"], secret["metadata"]["labels"]);
        }
        // The values as given, not only as the plain render wrote them.
        let value = |name: &str| decoded(&unsealed[&format!("shop/{name}")]["data"]["value"]);
        assert_eq!(value("api-db-url"), DB_URL.as_bytes());
        assert_eq!(value("api-signing-key"), SIGNING_KEY);
        let generated = fs::read(project.path("state/shop/api/secrets/db-password")).unwrap();
        assert_eq!(value("api-db-password"), generated);
        assert_eq!(generated.len(), 48);
        let tls = &unsealed["shop/api-tls"]["data"];
        assert_eq!(
            decoded(&tls["tls.key"]),
            fs::read(project.path("state/shop/api/certs/api-tls.key")).unwrap()
        );
        assert_eq!(
            sealed["sealedsecret-api-tls.yaml"]["spec"]["template"]["type"],
            "kubernetes.io/tls"
        );
    }
}

/// Writes `doc` with its namespace and name changed, as someone who copies its
/// `encryptedData` into a SealedSecret of their own would.
fn moved(dir: &Path, doc: &Value, namespace: &str, name: &str) -> PathBuf {
    let mut doc = doc.clone();
    doc["metadata"]["namespace"] = json!(namespace);
    doc["metadata"]["name"] = json!(name);
    let path = dir.join(format!("{namespace}-{name}.yaml"));
    fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    path
}

#[test]
fn a_sealed_value_unseals_only_where_its_scope_lets_it() {
    let (controller, other) = (controller(2048), controller(2048));
    // (scope, unseals under another name in its namespace, unseals in another namespace)
    for (scope, renamed, elsewhere) in [
        ("strict", false, false),
        ("namespace-wide", true, false),
        ("cluster-wide", true, true),
    ] {
        let project = Project::new("  secrets:\n    - {name: token, generate: {}}\n");
        project.render_sealed("out", &controller, scope);
        let doc = &project.documents("out")["sealedsecret-api-token.yaml"];
        let dir = project.path("moved");
        fs::create_dir_all(&dir).unwrap();
        for (namespace, name, should) in [
            ("shop", "api-token", true),
            ("shop", "thief", renamed),
            ("attacker", "api-token", elsewhere),
        ] {
            let result = unseal(&controller.key, &[moved(&dir, doc, namespace, name)]);
            assert_eq!(
                result.is_ok(),
                should,
                "scope {scope}: as {namespace}/{name}: {result:?}"
            );
        }
        assert!(
            unseal(&other.key, &yaml_files(&project.path("out"))).is_err(),
            "another controller's key unseals nothing"
        );
    }
}

#[test]
fn sealed_and_external_secrets_match_the_upstream_crd_schemas() {
    let controller = controller(2048);
    let mut checked = BTreeSet::new();
    for scope in ["strict", "namespace-wide", "cluster-wide"] {
        let project = Project::new(SECRETS);
        project.render_sealed("out", &controller, scope);
        for (file, doc) in project.documents("out") {
            if !matches!(
                doc["kind"].as_str(),
                Some("SealedSecret" | "ExternalSecret")
            ) {
                continue;
            }
            let problems = crd_errors(&doc);
            assert!(
                problems.is_empty(),
                "{scope} {file}: {problems:#?}\n{doc:#}"
            );
            checked.insert(file);
        }
    }
    assert_eq!(checked.len(), SEALED.len() + 1, "{checked:?}");
    // The check itself fails on what the API server would refuse or drop.
    let mut wrong = json!({"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
        "metadata": {"name": "x"}, "spec": {"target": {"creationPolicy": "Owned"}, "refreshInteval": "1h"}});
    let problems = crd_errors(&wrong);
    assert!(
        problems.iter().any(|p| p.contains("creationPolicy"))
            && problems
                .iter()
                .any(|p| p.contains("/spec:") && p.contains("'refreshInteval' was unexpected")),
        "{problems:?}"
    );
    wrong = json!({"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
        "metadata": {"name": "x"}, "spec": {"template": {"type": "Opaque"}}});
    assert!(!crd_errors(&wrong).is_empty(), "encryptedData is required");
    // A misspelt field of the template's metadata, which the controller would drop.
    wrong = json!({"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
        "metadata": {"name": "x"}, "spec": {"encryptedData": {"value": "AgA="},
            "template": {"metadata": {"name": "x", "labls": {"a": "b"}}}}});
    let problems = crd_errors(&wrong);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("/spec/template/metadata:") && p.contains("'labls'")),
        "{problems:?}"
    );
}

#[test]
fn an_external_secret_writes_the_very_secret_the_pods_mount() {
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("team.yaml");
    common::write(
        &preset,
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: team}\nextends: restricted\nspec:\n  externalSecrets: {refreshInterval: 15m}\n",
    );
    let project = Project::new(&format!("  preset: {}\n{SECRETS}", preset.display()));
    project.render_into("out", "state", &[]);
    let docs = project.documents("out");
    let external = &docs["externalsecret-api-stripe-key.yaml"];
    assert_eq!(external["apiVersion"], "external-secrets.io/v1");
    assert_eq!(
        external["spec"],
        json!({
            "refreshInterval": "15m",
            "secretStoreRef": {"kind": "ClusterSecretStore", "name": "vault"},
            "target": {"name": "api-stripe-key", "creationPolicy": "Owner"},
            "data": [{"secretKey": "value", "remoteRef": {"key": "payments/stripe", "property": "api-key", "version": "3"}}],
        })
    );
    assert!(!docs.contains_key("secret-api-stripe-key.yaml"), "{docs:?}");
    // The Deployment mounts that Secret's `value` as the file `stripe-key`, like every other.
    let sources = docs["deployment-api.yaml"]["spec"]["template"]["spec"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "secrets")
        .unwrap()["projected"]["sources"]
        .clone();
    let mounted = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["secret"]["name"] == "api-stripe-key")
        .unwrap_or_else(|| panic!("{sources:#}"));
    assert_eq!(
        mounted["secret"]["items"],
        json!([{"key": "value", "path": "stripe-key"}])
    );
    // Nothing of it reaches the state folder.
    let kept = common::files_under(&project.path("state"));
    assert!(
        kept.iter().all(|p| !p.to_string_lossy().contains("stripe")),
        "{kept:?}"
    );
}

#[test]
fn a_store_reference_is_checked_field_by_field() {
    for (store, problems) in [
        (
            "{store: Vault_1, kind: Store}",
            &[
                "line 11: spec.secrets[0].fromStore.store: `Vault_1` is not a DNS name",
                "spec.secrets[0].fromStore.kind: `Store` is not a store kind",
                "spec.secrets[0].fromStore.key: is required",
            ][..],
        ),
        (
            "{store: vault, key: k, property: \"\"}",
            &["spec.secrets[0].fromStore.property: must not be empty"],
        ),
    ] {
        let project = Project::new(&format!(
            "  secrets:\n    - name: stripe\n      fromStore: {store}\n"
        ));
        let run = project.render(&["-o", "out"]);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        for problem in problems {
            assert!(run.stderr.contains(problem), "{problem}\n{}", run.stderr);
        }
        assert!(!project.path("out").exists() && !project.path(".kubeward").exists());
    }
    let project = Project::new(
        "  secrets:\n    - {name: stripe, fromEnv: X, fromStore: {store: vault, key: k}}\n",
    );
    let run = project.render(&[]);
    assert!(
        run.stderr
            .contains("give only one of `generate`, `fromEnv`, `fromFile`, `fromStore`"),
        "{}",
        run.stderr
    );
}

/// The forms in which `value` could leak into a file: itself, each of its lines that is long
/// enough to be telling, and its base64 in the standard and URL-safe alphabets, with or
/// without padding, at each of the three alignments it could take inside a longer base64
/// text (what stays fixed whatever bytes come before and after).
fn leak_forms(value: &[u8]) -> Vec<Vec<u8>> {
    let mut forms = vec![value.to_vec()];
    forms.extend(
        value
            .split(|b| *b == b'\n')
            .filter(|line| line.len() >= 16)
            .map(<[u8]>::to_vec),
    );
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(value).into_bytes());
    }
    for offset in 0..3 {
        let tail = &value[offset..];
        let whole = tail.len() / 3 * 3;
        let encoded = STANDARD_NO_PAD.encode(&tail[..whole]);
        // The first group may mix in the bytes before: drop it; the rest is fixed.
        if encoded.len() > 8 {
            forms.push(encoded.as_bytes()[4..].to_vec());
        }
    }
    forms.retain(|f| f.len() >= 8);
    forms
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_secret_value_is_anywhere_in_a_sealed_output() {
    let controller = controller(2048);
    let project = Project::new(SECRETS);
    project.render_into(
        "out",
        "state",
        &["--seal-cert", controller.cert.to_str().unwrap()],
    );
    let state = |relative: &str| fs::read(project.path("state").join(relative)).unwrap();
    let values: Vec<(&str, Vec<u8>)> = vec![
        ("db-password", state("shop/api/secrets/db-password")),
        ("db-url", DB_URL.as_bytes().to_vec()),
        ("signing-key", SIGNING_KEY.to_vec()),
        ("tls.key", state("shop/api/certs/api-tls.key")),
        ("tls.crt", state("shop/api/certs/api-tls.crt")),
        (
            "ingress tls.key",
            state("shop/api/certs/api-ingress-tls.key"),
        ),
        ("namespace ca.crt", state("trust/shop/ca.crt")),
        ("namespace ca.key", state("trust/shop/ca.key")),
        ("root ca.key", state("trust/ca.key")),
    ];
    let files = common::files_under(&project.path("out"));
    assert!(files.len() > 10, "{files:?}");
    for file in &files {
        let bytes = fs::read(file).unwrap();
        for (name, value) in &values {
            for form in leak_forms(value) {
                assert!(
                    !contains(&bytes, &form),
                    "{} holds {name} as {:?}",
                    file.display(),
                    String::from_utf8_lossy(&form)
                );
            }
        }
    }
    // The same check finds every value in a plain render, so it can fail.
    project.render_into("plain", "state", &[]);
    let plain: Vec<Vec<u8>> = common::files_under(&project.path("plain"))
        .iter()
        .map(|f| fs::read(f).unwrap())
        .collect();
    for (name, value) in values.iter().filter(|(n, _)| !n.ends_with("ca.key")) {
        let found = plain
            .iter()
            .any(|bytes| leak_forms(value).iter().any(|form| contains(bytes, form)));
        assert!(found, "the plain render should hold {name}");
    }
    // Applying the folder needs nothing from the state folder: no file names it.
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        assert!(!text.contains("state/"), "{}", file.display());
    }
}

#[test]
fn a_re_render_is_byte_identical_and_reseals_only_what_changed() {
    let first = controller(2048);
    let project = Project::new(SECRETS);
    let cert = first.cert.to_str().unwrap();
    project.render_into("a", "state", &["--seal-cert", cert]);
    let record = fs::read(project.path("state/shop/sealed/api-db-url.json")).unwrap();
    project.render_into("b", "state", &["--seal-cert", cert]);
    let read = |out: &str| -> BTreeMap<String, Vec<u8>> {
        common::files_under(&project.path(out))
            .into_iter()
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (read("a"), read("b"));
    assert_eq!(a, b, "a second render with the same values and certificate");
    assert_eq!(
        fs::read(project.path("state/shop/sealed/api-db-url.json")).unwrap(),
        record,
        "the kept record is left as it was"
    );
    let changed =
        |x: &BTreeMap<String, Vec<u8>>, y: &BTreeMap<String, Vec<u8>>| -> BTreeSet<String> {
            x.iter()
                .filter(|(name, bytes)| y.get(*name) != Some(bytes))
                .map(|(name, _)| name.clone())
                .collect()
        };
    // A new value is sealed anew, and nothing else is.
    let mut command = kubeward_in(project.dir.path());
    let run = Run::of(command.env("DB_URL", "another value").args([
        "render",
        "-f",
        "kubeward.yaml",
        "-o",
        "c",
        "--state",
        "state",
        "--seal-cert",
        cert,
    ]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let c = read("c");
    // The pod template's digest of the mounted material changes with it, so the pods restart.
    assert_eq!(
        changed(&c, &a),
        BTreeSet::from([
            "deployment-api.yaml".to_string(),
            "sealedsecret-api-db-url.yaml".to_string()
        ])
    );
    // A new certificate (the controller's next key) re-seals every value.
    let second = controller(2048);
    project.render_into(
        "d",
        "state",
        &["--seal-cert", second.cert.to_str().unwrap()],
    );
    let d = read("d");
    let sealed: BTreeSet<String> = SEALED
        .iter()
        .map(|s| format!("sealedsecret-{s}.yaml"))
        .collect();
    assert_eq!(changed(&d, &a), sealed);
    assert!(unseal(&second.key, &yaml_files(&project.path("d"))).is_ok());
    assert!(unseal(&first.key, &yaml_files(&project.path("d"))).is_err());
    // So does a new scope: the label changes.
    project.render_into(
        "e",
        "state",
        &[
            "--seal-cert",
            second.cert.to_str().unwrap(),
            "--seal-scope",
            "namespace-wide",
        ],
    );
    assert_eq!(changed(&read("e"), &d).len(), SEALED.len());
}

/// The warning about Secret files git would commit, naming `files`.
fn warns_of(run: &Run, files: &[&str]) -> bool {
    let warning = run
        .stderr
        .lines()
        .find(|l| l.ends_with("[secrets-in-git]"))
        .unwrap_or_default();
    warning.starts_with(&format!(
        "warning: git would commit {} file(s) of the work tree",
        files.len()
    )) && files.iter().all(|f| warning.contains(&format!("k8s/{f}")))
        && warning.contains("spec.sealing")
        && warning.contains("secrets[].fromStore")
}

/// The stderr of `run` but the warning every render of [`SECRETS`] gives: its public host's
/// certificate comes from kubeward's own CA (so that both TLS Secrets are kubeward's to seal).
fn unexpected(run: &Run) -> String {
    run.stderr
        .lines()
        .filter(|line| !line.ends_with("[private-ca-public-host]"))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn inside_a_git_work_tree_plain_secret_files_are_warned_about() {
    let plain = [
        "secret-api-db-password.yaml",
        "secret-api-db-url.yaml",
        "secret-api-signing-key.yaml",
        "secret-api-tls.yaml",
        "secret-api-ingress-tls.yaml",
    ];
    let project = Project::new(SECRETS);
    // Outside any work tree there is nothing to warn about.
    let run = project.render(&["-o", "k8s"]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    project.git(&["init", "-q"]);
    let run = project.render(&["-o", "k8s"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(warns_of(&run, &plain), "{}", run.stderr);
    // Files the work tree ignores are not committed...
    fs::write(project.path(".gitignore"), "/k8s/secret-*.yaml\n").unwrap();
    let run = project.render(&["-o", "k8s"]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    // ...unless git tracks them already.
    project.git(&["add", "-f", "k8s/secret-api-tls.yaml"]);
    let run = project.render(&["-o", "k8s"]);
    assert!(warns_of(&run, &["secret-api-tls.yaml"]), "{}", run.stderr);
    // An ignore rule in a folder below counts too.
    project.git(&["rm", "-q", "--cached", "k8s/secret-api-tls.yaml"]);
    fs::write(project.path(".gitignore"), "").unwrap();
    common::write(&project.path("deploy/.gitignore"), "secret-*\n");
    let run = project.render(&["-o", "deploy/k8s"]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    // --deny-warnings makes it an error, before anything is written.
    let run = project.render(&["-o", "k8s2", "--state", "state2", "--deny-warnings"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("[secrets-in-git]"), "{}", run.stderr);
    assert!(!project.path("k8s2").exists() && !project.path("state2").exists());
}

#[test]
fn sealed_or_stored_secrets_leave_nothing_to_warn_about() {
    let controller = controller(2048);
    let project = Project::new(SECRETS);
    project.git(&["init", "-q"]);
    let run = project.render(&[
        "-o",
        "k8s",
        "--seal-cert",
        controller.cert.to_str().unwrap(),
    ]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    let run = project.render(&[
        "-o",
        "k8s",
        "--gitops",
        "--seal-cert",
        controller.cert.to_str().unwrap(),
    ]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    // Only values in a store and certificates from cert-manager: no Secret to seal at all.
    let stored = Project::new(
        "  protocol: https\n  tls: {mode: cert-manager, issuer: {name: internal}}\n  secrets:\n    - {name: stripe, fromStore: {store: vault, key: payments/stripe}}\n",
    );
    stored.git(&["init", "-q"]);
    let run = stored.render(&["-o", "k8s", "--gitops"]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    assert!(
        !stored.path(".kubeward").exists(),
        "nothing needed a state folder"
    );
}

#[test]
fn a_gateway_entry_is_sealed_too_and_its_ca_config_map_holds_no_secret() {
    // The shipped default entry: a route on the Gateway, which verifies the service's own
    // certificate with kubeward's CA, published in a ConfigMap (a certificate, not a secret).
    let controller = controller(2048);
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress: {host: shop.example.com}\n  secrets:\n    - {name: db-password, generate: {length: 48}}\n",
    );
    project.git(&["init", "-q"]);
    let cert = controller.cert.to_str().unwrap();
    let run = project.render(&[
        "-o",
        "k8s",
        "--state",
        "state",
        "--gitops",
        "--seal-cert",
        cert,
    ]);
    assert_eq!((run.code, unexpected(&run).as_str()), (Some(0), ""));
    let docs = project.documents("k8s");
    let kind_of = |file: &str| docs[file]["kind"].as_str().unwrap().to_string();
    assert_eq!(kind_of("backendtlspolicy-api.yaml"), "BackendTLSPolicy");
    assert_eq!(kind_of("httproute-api.yaml"), "HTTPRoute");
    let sealed: BTreeSet<&str> = docs
        .values()
        .filter(|d| d["kind"] == "SealedSecret")
        .map(|d| d["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(sealed, BTreeSet::from(["api-db-password", "api-tls"]));
    assert!(!docs.values().any(|d| d["kind"] == "Secret"), "{docs:?}");
    // The ConfigMap holds the CA's certificate, and the Gateway trusts what the pods serve
    // once the controller unseals it.
    let state = |relative: &str| fs::read(project.path("state").join(relative)).unwrap();
    let ca = &docs["configmap-api-ca.yaml"]["data"]["ca.crt"];
    assert_eq!(ca.as_str().unwrap().as_bytes(), state("trust/ca.crt"));
    let unsealed = unseal(&controller.key, &yaml_files(&project.path("k8s"))).unwrap();
    assert_eq!(
        decoded(&unsealed["shop/api-tls"]["data"]["ca.crt"]),
        state("trust/ca.crt")
    );
    for file in common::files_under(&project.path("k8s")) {
        let bytes = fs::read(&file).unwrap();
        for (name, value) in [
            ("ca.key", state("trust/shop/ca.key")),
            ("root ca.key", state("trust/ca.key")),
            ("tls.key", state("shop/api/certs/api-tls.key")),
            ("db-password", state("shop/api/secrets/db-password")),
        ] {
            for form in leak_forms(&value) {
                assert!(!contains(&bytes, &form), "{} holds {name}", file.display());
            }
        }
    }
}

#[test]
fn gitops_refuses_every_secret_value_git_could_receive_and_writes_nothing() {
    let project = Project::new(SECRETS);
    project.git(&["init", "-q"]);
    for args in [
        &["-o", "k8s", "--gitops"][..],
        &["--gitops"],
        &["-o", "deploy/prod/k8s", "--gitops"],
    ] {
        let run = project.render(args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: --gitops: ")
                && run.stderr.contains("spec.sealing")
                && run.stderr.contains("nothing was written"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
        assert!(!project.path("k8s").exists() && !project.path("deploy").exists());
        assert!(!project.path(".kubeward").exists());
    }
    // Outside any work tree, git cannot keep the files out of one.
    let outside = Project::new(SECRETS);
    let run = outside.render(&["-o", "k8s", "--gitops"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("is in no git work tree"),
        "{}",
        run.stderr
    );
}

/// Writes `text` as `NAME.pem` in `dir`.
fn pem(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(format!("{name}.pem"));
    fs::write(&path, text).unwrap();
    path
}

/// An RSA certificate that expired yesterday (rcgen signs it with an openssl RSA key).
fn expired_rsa_certificate(dir: &Path) -> Vec<u8> {
    let key = dir.join("rsa-key.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.to_str().unwrap(),
    ]);
    let key = rcgen::KeyPair::from_pem(&fs::read_to_string(&key).unwrap()).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["sealed-secret".into()]).unwrap();
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(30);
    params.not_after = now - time::Duration::days(1);
    params.self_signed(&key).unwrap().pem().into_bytes()
}

#[test]
fn a_certificate_that_cannot_seal_is_an_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (small, ec) = (dir.path().join("small"), dir.path().join("ec"));
    for (new_key, path) in [
        (&["-newkey", "rsa:1024"][..], &small),
        (
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            &ec,
        ),
    ] {
        self_signed(
            new_key,
            &path.with_extension("key"),
            &path.with_extension("pem"),
        );
    }
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            pem(dir.path(), "expired", &expired_rsa_certificate(dir.path())),
            "the certificate expired on ",
        ),
        (
            ec.with_extension("pem"),
            "the certificate holds a elliptic-curve key",
        ),
        (
            small.with_extension("pem"),
            "the certificate's RSA key (1024 bits) cannot seal",
        ),
        (
            ec.with_extension("key"),
            "holds a PEM PRIVATE KEY block, not a CERTIFICATE",
        ),
        (
            pem(dir.path(), "garbage", b"not a certificate\n"),
            "is not a PEM certificate",
        ),
        (dir.path().join("missing.pem"), "cannot read"),
    ];
    for (path, why) in &cases {
        let path = path.to_str().unwrap();
        // In the spec: the field and its line.
        let project = Project::new(&format!(
            "  secrets:\n    - {{name: token, generate: {{}}}}\n  sealing:\n    certificate: {path}\n"
        ));
        let run = project.render(&["-o", "out"]);
        assert_eq!(run.code, Some(2), "{path}: {}", run.stderr);
        assert!(
            run.stderr.contains("line 12: spec.sealing.certificate: ") && run.stderr.contains(why),
            "{path}: {}",
            run.stderr
        );
        assert!(!project.path("out").exists() && !project.path(".kubeward").exists());
        // From the flag: the flag is named.
        let project = Project::new("  secrets:\n    - {name: token, generate: {}}\n");
        let run = project.render(&["--seal-cert", path]);
        assert_eq!(run.code, Some(2), "{path}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("spec.sealing.certificate (from --seal-cert): ")
                && run.stderr.contains(why),
            "{path}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty() && !project.path(".kubeward").exists());
    }
}

#[test]
fn a_preset_seals_for_its_controller_with_the_certificate_beside_it() {
    let controller = controller(2048);
    let presets = tempfile::tempdir().unwrap();
    fs::copy(&controller.cert, presets.path().join("cluster.pem")).unwrap();
    common::write(
        &presets.path().join("sealed.yaml"),
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: sealed}\nextends: restricted\nspec:\n  sealing: {certificate: ./cluster.pem, scope: namespace-wide}\n",
    );
    let project = Project::new(&format!(
        "  preset: {}\n  secrets:\n    - {{name: token, generate: {{}}}}\n",
        presets.path().join("sealed.yaml").display()
    ));
    project.render_into("out", "state", &[]);
    let docs = project.documents("out");
    let sealed = &docs["sealedsecret-api-token.yaml"];
    assert_eq!(
        sealed["metadata"]["annotations"],
        json!({"sealedsecrets.bitnami.com/namespace-wide": "true"})
    );
    assert!(unseal(&controller.key, &yaml_files(&project.path("out"))).is_ok());
    // A spec may narrow the scope the preset chose.
    let narrowed = Project::new(&format!(
        "  preset: {}\n  secrets:\n    - {{name: token, generate: {{}}}}\n  sealing: {{scope: strict}}\n",
        presets.path().join("sealed.yaml").display()
    ));
    narrowed.render_into("out", "state", &[]);
    let docs = narrowed.documents("out");
    assert!(docs["sealedsecret-api-token.yaml"]["metadata"]["annotations"].is_null());
    // A preset's certificate that cannot seal is named as the preset's.
    fs::write(presets.path().join("cluster.pem"), "nope").unwrap();
    let run = project.render(&[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the preset's spec.sealing.certificate: ")
            && run.stderr.contains("cluster.pem: is not a PEM certificate"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_reports_plain_secrets_as_info_and_cluster_wide_sealing_as_a_warning() {
    let controller = controller(2048);
    let project = Project::new(SECRETS);
    let check = |args: &[&str]| {
        let mut command = kubeward_in(project.dir.path());
        Run::of(command.arg("check").args(args))
    };
    // kubeward's own output passes with every finding of the kind suppressed, saying why.
    project.render_into("plain", "state", &[]);
    project.render_sealed("wide", &controller, "cluster-wide");
    for out in ["plain", "wide"] {
        let run = check(&["--fail-on", "info", out]);
        assert_eq!(run.code, Some(0), "{out}: {}{}", run.stdout, run.stderr);
    }
    let run = check(&["--format", "json", "plain"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let suppressed: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["ruleId"] == "KW-SECRET-001")
        .map(|f| f["suppression"]["reason"].as_str().unwrap())
        .collect();
    assert_eq!(suppressed.len(), 1, "{suppressed:?}");
    assert!(suppressed.iter().next().unwrap().contains("spec.sealing"));
    // A user's manifests: the plain Secret is info, the cluster-wide SealedSecret a warning.
    common::write(
        &project.path("theirs/secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nstringData: {password: hunter2}\n---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\n  namespace: shop\n  annotations: {sealedsecrets.bitnami.com/cluster-wide: \"true\"}\nspec:\n  encryptedData: {password: AgBy}\n",
    );
    let run = check(&["--fail-on", "error", "--format", "json", "theirs"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let found: BTreeMap<&str, &str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["ruleId"].as_str().unwrap().starts_with("KW-SECRET"))
        .map(|f| {
            (
                f["ruleId"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        BTreeMap::from([("KW-SECRET-001", "info"), ("KW-SECRET-002", "warning")]),
        "{report:#}"
    );
    assert_eq!(
        check(&["theirs"]).code,
        Some(1),
        "the warning fails a default check"
    );
}

#[cfg(unix)]
#[test]
fn render_says_a_sealed_output_can_be_committed() {
    use expectrl::{Expect, Session};
    let controller = controller(2048);
    let project = Project::new(SECRETS);
    let mut command = project.command(common::run::binary());
    command.args([
        "render",
        "-f",
        "kubeward.yaml",
        "-o",
        "k8s",
        "--seal-cert",
        controller.cert.to_str().unwrap(),
    ]);
    let mut session = Session::spawn(command).expect("kubeward starts in a pty");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(60)));
    session
        .expect("k8s holds no secret value: it can be committed (GitOps)")
        .expect("the note on a terminal");
}

#[test]
fn a_kept_sealed_value_that_is_not_kubewards_is_an_error_naming_the_file() {
    let controller = controller(2048);
    let project = Project::new("  secrets:\n    - {name: token, generate: {}}\n");
    let cert = controller.cert.to_str().unwrap();
    project.render_into("out", "state", &["--seal-cert", cert]);
    let record = project.path("state/shop/sealed/api-token.json");
    fs::write(&record, "{\"certificate\": 1}").unwrap();
    let run = project.render(&["-o", "out", "--state", "state", "--seal-cert", cert]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("state file state/shop/sealed/api-token.json is not a sealed-value record"),
        "{}",
        run.stderr
    );
}
