//! Batch rendering (`render -f A -f B`, `render -f DIR`) through the binary: each service's
//! output is exactly its single render, every bad spec is reported with its file and nothing
//! is written, `--keep-going` writes the good ones, the order never depends on the threads.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::book::BookPage;
use common::read_path;
use common::run::stderr;
use x509_parser::pem::parse_x509_pem;
use x509_parser::prelude::{FromDer, X509Certificate};

/// A temporary workspace holding a copy of every shipped example, each in its own folder.
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
            let spec = common::spec::example(&name);
            workspace.write(&format!("specs/{name}/kubeward.yaml"), &read_path(&spec));
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

    /// Every file under `relative`, by path relative to it, with its bytes.
    fn files(&self, relative: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path(relative);
        let mut files = BTreeMap::new();
        collect(&root, &root, &mut files);
        files
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
    assert!(names.len() >= 5, "expected the shipped examples");
    names
}

/// `metadata.namespace/metadata.name` of a spec, read plainly from its text.
fn service_of(spec: &str) -> String {
    let field = |key: &str| {
        spec.lines()
            .find_map(|line| line.strip_prefix(&format!("  {key}: ")))
            .unwrap_or_else(|| panic!("no {key} in {spec}"))
            .trim()
            .to_string()
    };
    format!("{}/{}", field("namespace"), field("name"))
}

/// A minimal valid spec for service `name` in namespace `namespace`, with `extra` under `spec:`.
fn spec(name: &str, namespace: &str, extra: &str) -> String {
    let body =
        format!("  image: ghcr.io/acme/app:1.0.0\n  port: 8080\n  exposure: cluster\n{extra}");
    common::spec::spec(name, namespace, &body)
}

#[test]
fn each_service_of_a_batch_is_written_exactly_as_its_single_render() {
    let ws = Workspace::with_examples();
    ws.render_ok(&["-f", "specs", "-o", "batch"]);
    for name in example_names() {
        let spec_path = format!("specs/{name}/kubeward.yaml");
        let single = format!("single/{name}");
        // The batch created the state; the single render reuses it, as a re-render does.
        ws.render_ok(&["-f", &spec_path, "-o", &single]);
        let service = service_of(&read_path(&ws.path(&spec_path)));
        assert_eq!(
            ws.files(&format!("batch/{service}")),
            ws.files(&single),
            "batch/{service} differs from the single render of {name}"
        );
    }
    let services: Vec<String> = example_names()
        .iter()
        .map(|name| service_of(&read_path(&ws.path(&format!("specs/{name}/kubeward.yaml")))))
        .collect();
    let batch_files = ws.files("batch");
    assert!(
        batch_files
            .keys()
            .all(|file| services.iter().any(|s| file.starts_with(&format!("{s}/")))),
        "the batch folder holds only OUT/<namespace>/<name>/ folders: {:?}",
        batch_files.keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_batch_stream_is_the_single_streams_in_the_order_given() {
    let ws = Workspace::with_examples();
    let mut names = example_names();
    names.reverse();
    let specs: Vec<String> = names
        .iter()
        .map(|name| format!("specs/{name}/kubeward.yaml"))
        .collect();
    let mut args = Vec::new();
    for spec in &specs {
        args.extend(["-f", spec.as_str()]);
    }
    let batch = ws.render_ok(&args);
    let singles: String = specs
        .iter()
        .map(|spec| ws.render_ok(&["-f", spec]))
        .collect();
    assert_eq!(batch, singles);
    // A folder renders its specs sorted by path, whatever order it was given in.
    let folder = ws.render_ok(&["-f", "specs"]);
    let sorted: String = example_names()
        .iter()
        .map(|name| ws.render_ok(&["-f", &format!("specs/{name}/kubeward.yaml")]))
        .collect();
    assert_eq!(folder, sorted);
}

#[test]
fn batch_output_is_the_same_on_every_run_whatever_the_thread_timing() {
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
    let names: Vec<String> = first
        .split("\n---\n")
        .filter_map(|doc| {
            doc.lines()
                .find(|l| l.starts_with("kind: Deployment"))
                .and_then(|_| doc.lines().find_map(|l| l.strip_prefix("  name: ")))
                .map(str::to_string)
        })
        .collect();
    let mut expected: Vec<(String, String)> = (0..40)
        .map(|i| (format!("s{i:02}"), format!("svc-{i}")))
        .collect();
    expected.sort();
    assert_eq!(
        names,
        expected
            .into_iter()
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
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
fn keep_going_writes_the_good_services_and_still_fails() {
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
    for name in example_names() {
        let service = service_of(&read_path(&ws.path(&format!("specs/{name}/kubeward.yaml"))));
        assert!(
            ws.path(&format!("out/{service}/kustomization.yaml"))
                .is_file(),
            "{service} was not written"
        );
    }
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
    let secret = "  secrets:\n    - name: token\n      fromEnv: KUBEWARD_BATCH_UNSET_VARIABLE\n";
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
    assert_eq!(twice, ws.render_ok(&["-f", "specs/ledger/kubeward.yaml"]));
}

#[test]
fn a_folder_is_searched_below_but_not_in_hidden_folders() {
    let ws = Workspace::new_empty();
    ws.write("tree/a/kubeward.yaml", &spec("a", "one", ""));
    ws.write("tree/deep/er/b/kubeward.yaml", &spec("b", "two", ""));
    ws.write("tree/.hidden/kubeward.yaml", &spec("hidden", "three", ""));
    ws.write("tree/other.yaml", &spec("other", "four", ""));
    ws.render_ok(&["-f", "tree", "-o", "out"]);
    let services: Vec<String> = ws
        .files("out")
        .keys()
        .filter_map(|f| f.strip_suffix("/kustomization.yaml").map(str::to_string))
        .collect();
    assert_eq!(services, ["one/a", "two/b"]);
    ws.write("empty/notes.txt", "no specs here");
    let output = ws.render(&["-f", "empty"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("empty: no kubeward.yaml in this folder or its sub-folders"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn services_of_one_namespace_share_one_ca_created_once() {
    let ws = Workspace::new_empty();
    let tls = "  protocol: https\n  tls:\n    mode: self-signed\n";
    for i in 0..8 {
        ws.write(
            &format!("team/s{i}/kubeward.yaml"),
            &spec(&format!("svc-{i}"), "team", tls),
        );
    }
    ws.render_ok(&["-f", "team", "--state", "state", "-o", "out"]);
    let ca = read_path(&ws.path("state/trust/team/ca.crt"));
    let (_, ca_pem) = parse_x509_pem(ca.as_bytes()).unwrap();
    let (_, ca_cert) = X509Certificate::from_der(&ca_pem.contents).unwrap();
    for i in 0..8 {
        let signer = read_path(&ws.path(&format!("state/team/svc-{i}/certs/svc-{i}-tls.ca")));
        assert_eq!(signer, ca, "svc-{i} was signed by another CA");
        let leaf = read_path(&ws.path(&format!("state/team/svc-{i}/certs/svc-{i}-tls.crt")));
        let (_, pem) = parse_x509_pem(leaf.as_bytes()).unwrap();
        let (_, cert) = X509Certificate::from_der(&pem.contents).unwrap();
        cert.verify_signature(Some(ca_cert.public_key()))
            .unwrap_or_else(|e| panic!("svc-{i} does not chain to the CA in the state: {e:?}"));
    }
}

#[test]
fn service_flags_and_rotate_are_refused_in_a_batch() {
    let ws = Workspace::with_examples();
    for extra in [["--image", "nginx:1.0"], ["--rotate", "session-key"]] {
        let mut args = vec!["-f", "specs"];
        args.extend(extra);
        let output = ws.render(&args);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(
            stderr(&output).contains("not to a batch"),
            "{}",
            stderr(&output)
        );
    }
}

/// The ```` ```text ```` block that follows `marker` in the batch chapter of the book.
fn book_block(marker: &str) -> String {
    BookPage::read("reference/batch.md").block_after(marker, Some("text"))
}

#[test]
fn the_book_shows_the_folders_a_batch_of_the_examples_writes() {
    let ws = Workspace::with_examples();
    ws.render_ok(&["-f", "specs", "-o", "k8s"]);
    let folders: std::collections::BTreeSet<String> = ws
        .files("k8s")
        .keys()
        .filter_map(|file| file.rsplit_once('/').map(|(dir, _)| format!("k8s/{dir}/")))
        .collect();
    let shown: std::collections::BTreeSet<String> = book_block("batch-tree")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(shown, folders);
}

#[test]
fn the_book_shows_the_errors_of_a_batch_with_two_bad_specs() {
    let ws = Workspace::new_empty();
    for name in example_names() {
        let spec = read_path(&common::spec::example(&name));
        ws.write(&format!("services/{name}/kubeward.yaml"), &spec);
    }
    let bad = spec("Bad", "shop", "").replace("exposure: cluster\n", "");
    ws.write("services/a/kubeward.yaml", &bad);
    let bad_port = bad
        .replace("name: Bad", "name: b")
        .replace("port: 8080", "port: 70000");
    ws.write("services/b/kubeward.yaml", &bad_port);
    let output = ws.render(&["-f", "services", "-o", "k8s"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), book_block("batch-errors"));
    assert!(!ws.path("k8s").exists());
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
