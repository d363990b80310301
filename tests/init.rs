//! `kubeward init` driven by flags alone (`--yes`, or no terminal): what it writes, what it
//! refuses, and that it never waits for input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use kubeward::spec::{self, SpecFile};

mod common;
use common::book::BookPage;
use common::run::{kubeward_in, success_stdout};
use common::spec::IMAGE;

/// An empty temporary folder to run `kubeward` in.
struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Self {
        Folder {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `kubeward ARGS` in the folder, stdin an empty pipe (not a terminal), bounded in time:
    /// it must never wait for input.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = kubeward_in(self.dir.path());
        cmd.args(args).write_stdin("");
        cmd
    }

    fn init(&self, args: &[&str]) -> Command {
        let mut cmd = self.cmd(&["init"]);
        cmd.args(args);
        cmd
    }

    fn fail(&self, args: &[&str]) -> (i32, String) {
        let out = self.init(args).assert().failure().get_output().clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (out.status.code().unwrap(), stderr)
    }

    /// Every entry of the folder, hidden ones too.
    fn entries(&self) -> Vec<String> {
        common::entries(self.dir.path())
    }

    fn spec(&self, relative: &str) -> SpecFile {
        spec::load(&self.path(relative)).unwrap().spec
    }
}

/// The bundle files of `dir` in kustomization order, joined as `render` prints them.
fn bundle_stream(dir: &Path) -> String {
    let kustomization = fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
    kustomization
        .lines()
        .filter_map(|l| l.strip_prefix("  - "))
        .map(|name| {
            let name: String = serde_saphyr::from_str(name).unwrap();
            format!("---\n{}", fs::read_to_string(dir.join(name)).unwrap())
        })
        .collect()
}

const BASE: &[&str] = &[
    "--yes",
    "--name",
    "api",
    "--namespace",
    "shop",
    "--image",
    IMAGE,
    "--port",
    "8080",
];

#[test]
fn flags_alone_write_a_spec_whose_render_is_the_written_bundle() {
    let folder = Folder::new();
    let mut args = BASE.to_vec();
    args.extend([
        "--caller",
        "web",
        "--caller",
        "checkout/cart",
        "--exposure",
        "cluster",
        "--egress",
        "db/postgres:5432",
        "--egress-cidr",
        "203.0.113.0/24:443",
        "--api",
        "configmaps:get,list,watch:api-config",
        "--api",
        "apps/deployments:get",
        // restricted does not know where the API server is
        "--api-server-cidr",
        "192.0.2.10/32",
        "--secret",
        "db-password=generate",
        "--secret",
        "token=generate:48",
        "--sensitivity",
        "confidential",
    ]);
    let out = folder.init(&args).assert().success().get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // Without a terminal, success prints no note; the one warning is the bundle's own.
    assert!(
        stderr.starts_with("warning: sensitivity confidential, but tls.mode is none")
            && stderr.ends_with("[plaintext-confidential]\n")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert_eq!(
        folder.entries(),
        [".kubeward", "k8s", "kubeward.schema.json", "kubeward.yaml"]
    );
    assert_eq!(
        fs::read_to_string(folder.path("kubeward.schema.json")).unwrap(),
        kubeward::cli::schema::schema_text(kubeward::cli::schema::SchemaKind::Spec),
        "the schema the modeline points at"
    );
    assert!(
        fs::read_to_string(folder.path("kubeward.yaml"))
            .unwrap()
            .starts_with("# yaml-language-server: $schema=./kubeward.schema.json\n")
    );

    let spec = folder.spec("kubeward.yaml");
    let s = &spec.spec;
    assert_eq!(spec.metadata.name.as_deref(), Some("api"));
    assert_eq!(
        s.protocol,
        Some(spec::Protocol::Http),
        "preset default made explicit"
    );
    assert_eq!(s.sensitivity, Some(spec::Sensitivity::Confidential));
    assert_eq!(s.callers.len(), 2);
    assert_eq!(s.callers[0].namespace, None, "same namespace is left out");
    assert_eq!(s.callers[1].namespace.as_deref(), Some("checkout"));
    assert_eq!(s.egress[1].cidr.as_deref(), Some("203.0.113.0/24"));
    assert_eq!(s.api_access[0].resource_names, ["api-config"]);
    assert_eq!(s.api_access[1].api_groups, ["apps"]);
    assert_eq!(s.secrets[1].generate.as_ref().unwrap().length, Some(48));

    let rendered = success_stdout(&mut folder.cmd(&[
        "render",
        "-f",
        "kubeward.yaml",
        "--api-server-cidr",
        "192.0.2.10/32",
    ]));
    assert_eq!(
        rendered,
        bundle_stream(&folder.path("k8s")),
        "rendering the written spec again gives the written bundle"
    );
}

#[test]
fn awkward_values_reach_the_spec_exactly() {
    let folder = Folder::new();
    let path = "./keys/a \"quoted\" 'name'\n---\nkind: Secret # not YAML";
    let mut args = BASE.to_vec();
    let secret = format!("signing=file:{path}");
    args.extend(["--spec-only", "--secret", &secret]);
    folder.init(&args).assert().success();
    let spec = folder.spec("kubeward.yaml");
    assert_eq!(spec.spec.secrets[0].from_file.as_deref(), Some(path));
    assert_eq!(folder.entries(), ["kubeward.schema.json", "kubeward.yaml"]);
}

#[test]
fn without_a_terminal_the_missing_answers_are_named_as_flags() {
    let folder = Folder::new();
    let (code, stderr) = folder.fail(&[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "there is no terminal to ask on: pass --name NAME --namespace NAMESPACE --image IMAGE\n"
        ),
        "{stderr}"
    );
    assert!(folder.entries().is_empty(), "nothing written");

    let (code, stderr) = folder.fail(&["--yes", "--name", "api", "--port", "8080"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--yes never asks: pass --namespace NAMESPACE --image IMAGE\n"),
        "{stderr}"
    );
    assert!(folder.entries().is_empty());
}

#[test]
fn answers_that_need_more_name_the_flags_for_it() {
    let folder = Folder::new();
    let mut public = BASE.to_vec();
    public.extend(["--exposure", "public"]);
    let (code, stderr) = folder.fail(&public);
    assert_eq!(code, 2);
    assert!(stderr.contains("pass --host HOST\n"), "{stderr}");

    let mut ca = BASE.to_vec();
    ca.extend(["--tls", "ca", "--tls-ca-cert", "ca.pem"]);
    let (_, stderr) = folder.fail(&ca);
    assert!(stderr.contains("pass --tls-ca-key PATH\n"), "{stderr}");

    let mut issuer = BASE.to_vec();
    issuer.extend(["--tls", "cert-manager"]);
    let (_, stderr) = folder.fail(&issuer);
    assert!(
        stderr.contains("pass --tls-issuer [KIND/]NAME\n"),
        "{stderr}"
    );
    assert!(folder.entries().is_empty());
}

#[test]
fn invalid_flag_values_are_refused_with_the_spec_rules_and_nothing_is_written() {
    let folder = Folder::new();
    let base_with = |flag: &'static str, value: &'static str| {
        let mut args = BASE.to_vec();
        match args.iter().position(|a| *a == flag) {
            Some(i) => args[i + 1] = value,
            None => args.extend([flag, value]),
        }
        args
    };
    for (flag, value, expected) in [
        (
            "--name",
            "Api",
            "metadata.name: `Api` is not a DNS-1123 label",
        ),
        (
            "--namespace",
            "default",
            "metadata.namespace: `default` is reserved",
        ),
        ("--port", "70000", "spec.port: 70000 is not a port"),
        ("--api", "secrets:get", "access to secrets must name them"),
        (
            "--secret",
            "k=env:1X",
            "`1X` is not an environment variable name",
        ),
        (
            "--secret",
            "tls=generate",
            "spec.secrets[0].name: `tls` is reserved",
        ),
        (
            "--probe-port",
            "8080",
            "spec.probes.port: 8080 is the service's own port",
        ),
    ] {
        let (code, stderr) = folder.fail(&base_with(flag, value));
        assert_eq!(code, 2, "{flag} {value}: {stderr}");
        assert!(stderr.contains(expected), "{flag} {value}: {stderr}");
        assert!(folder.entries().is_empty(), "{flag} {value}");
    }
    for (flag, value, expected) in [
        ("--secret", "k", "--secret `k`: use NAME=generate"),
        ("--secret", "k=generate:many", "`many` is not a length"),
        ("--api", "configmaps", "--api `configmaps` needs verbs"),
    ] {
        let (code, stderr) = folder.fail(&base_with(flag, value));
        assert_eq!((code, stderr.contains(expected)), (2, true), "{stderr}");
    }
}

#[test]
fn an_existing_spec_is_replaced_only_with_force() {
    let folder = Folder::new();
    fs::write(folder.path("kubeward.yaml"), "mine\n").unwrap();
    let (code, stderr) = folder.fail(BASE);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("kubeward.yaml exists; pass --force to replace it"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(folder.path("kubeward.yaml")).unwrap(),
        "mine\n"
    );
    assert_eq!(folder.entries(), ["kubeward.yaml"], "nothing rendered");

    let mut forced = BASE.to_vec();
    forced.push("--force");
    folder.init(&forced).assert().success();
    assert_eq!(
        folder.spec("kubeward.yaml").metadata.name.as_deref(),
        Some("api")
    );
}

#[test]
fn an_output_folder_with_foreign_files_stops_init_before_it_writes() {
    let folder = Folder::new();
    fs::create_dir(folder.path("k8s")).unwrap();
    fs::write(folder.path("k8s/notes.txt"), "mine").unwrap();
    let (code, stderr) = folder.fail(BASE);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("holds files kubeward did not write"),
        "{stderr}"
    );
    assert_eq!(folder.entries(), ["k8s"]);
}

#[test]
fn spec_only_and_custom_paths_write_where_asked() {
    let folder = Folder::new();
    let mut args = BASE.to_vec();
    args.extend(["-f", "svc/api.yaml", "--spec-only"]);
    folder.init(&args).assert().success();
    assert_eq!(folder.entries(), ["svc"]);
    assert!(folder.path("svc/api.yaml").is_file());

    let mut args = BASE.to_vec();
    args.extend([
        "-f",
        "other/kubeward.yaml",
        "-o",
        "out/bundle",
        "--secret",
        "pw=generate",
    ]);
    folder.init(&args).assert().success();
    assert!(folder.path("out/bundle/kustomization.yaml").is_file());
    assert!(
        folder.path("other/.kubeward").is_dir(),
        "state beside the spec"
    );
}

#[test]
fn render_takes_the_api_secret_issuer_and_probe_flags_too() {
    let folder = Folder::new();
    let text = success_stdout(&mut folder.cmd(&[
        "render",
        "--name",
        "api",
        "-n",
        "shop",
        "--image",
        IMAGE,
        "--port",
        "8080",
        "--api",
        "configmaps:get",
        "--api-server-cidr",
        "192.0.2.10/32",
        "--secret",
        "pw=generate",
        "--exposure",
        "public",
        "--host",
        "api.example.com",
        "--ingress-issuer",
        "letsencrypt",
        "--probe-port",
        "8081",
    ]));
    assert!(text.contains("kind: Role\n"), "{text}");
    assert!(text.contains("name: api-pw\n"), "{text}");
    assert!(
        text.contains("kind: Certificate\n") && text.contains("name: letsencrypt\n"),
        "{text}"
    );
    assert!(text.contains("containerPort: 8081\n"), "{text}");
}

/// The book's commands for `init` without a terminal, run as written: same output, same spec.
#[test]
fn the_book_commands_print_and_write_what_the_book_shows() {
    let page = BookPage::read("how-to/questionnaire.md");
    for (block, code) in [("flags", 0), ("missing", 2)] {
        let text = page.block(block, "text");
        let (command, shown) = text.split_once('\n').unwrap();
        let args: Vec<&str> = command
            .strip_prefix("$ kubeward init ")
            .unwrap()
            .split(' ')
            .collect();
        let folder = Folder::new();
        let out = folder.init(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{block}");
        assert_eq!(String::from_utf8(out.stderr).unwrap(), shown, "{block}");
        if code == 0 {
            assert_eq!(
                fs::read_to_string(folder.path("kubeward.yaml")).unwrap(),
                page.block("spec", "yaml kubeward"),
                "the flags write the walkthrough's spec"
            );
        } else {
            assert!(folder.entries().is_empty());
        }
    }
}

#[test]
fn a_preset_from_the_presets_folder_shapes_the_spec_and_its_bundle() {
    let folder = Folder::new();
    fs::create_dir(folder.path("presets")).unwrap();
    fs::write(
        folder.path("presets/acme.yaml"),
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: { name: acme }\nextends: restricted\nspec:\n  replicas: 4\n",
    )
    .unwrap();
    let mut args = BASE.to_vec();
    args.extend(["--presets-dir", "presets", "--preset", "acme"]);
    folder.init(&args).assert().success();
    assert_eq!(
        folder.spec("kubeward.yaml").spec.preset.as_deref(),
        Some("acme")
    );
    let deployment = fs::read_to_string(folder.path("k8s/deployment-api.yaml")).unwrap();
    assert!(deployment.contains("replicas: 4"), "{deployment}");
}

#[test]
fn a_caller_outside_the_namespace_makes_the_exposure_cluster_without_a_terminal_too() {
    let mut args = BASE[1..].to_vec();
    args.extend(["--caller", "edge/mobile-bff", "--spec-only"]);
    // With --yes, and without it (stdin is not a terminal here).
    for yes in [true, false] {
        let folder = Folder::new();
        let mut all = args.to_vec();
        if yes {
            all.push("--yes");
        }
        folder.init(&all).assert().success();
        let spec = folder.spec("kubeward.yaml");
        assert_eq!(
            spec.spec.exposure,
            Some(spec::Exposure::Cluster),
            "--yes: {yes}"
        );
    }
    // An exposure given by flag is kept, and refused with the reason when it cannot be.
    let folder = Folder::new();
    let mut all = args.to_vec();
    all.extend(["--yes", "--exposure", "namespace"]);
    let (code, stderr) = folder.fail(&all);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("caller `edge/mobile-bff` is outside namespace `shop`"),
        "{stderr}"
    );
}

#[test]
fn an_unset_variable_for_a_secret_is_reported_before_anything_is_written() {
    let mut args = BASE.to_vec();
    args.extend(["--secret", "stripe=env:KW_TEST_NEVER_SET"]);
    let folder = Folder::new();
    let out = folder
        .init(&args)
        .env_remove("KW_TEST_NEVER_SET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("spec.secrets[0].fromEnv (from --secret): environment variable KW_TEST_NEVER_SET is not set"),
        "{stderr}"
    );
    assert!(folder.entries().is_empty(), "{:?}", folder.entries());
    // Set: the spec is written and rendered; --spec-only: written, the variable read later.
    let folder = Folder::new();
    folder
        .init(&args)
        .env("KW_TEST_NEVER_SET", "sk_test")
        .assert()
        .success();
    assert!(folder.path("k8s/kustomization.yaml").is_file());
    let folder = Folder::new();
    args.push("--spec-only");
    folder
        .init(&args)
        .env_remove("KW_TEST_NEVER_SET")
        .assert()
        .success();
    assert_eq!(folder.entries(), ["kubeward.schema.json", "kubeward.yaml"]);
}

#[test]
fn one_address_is_taken_where_a_range_is_and_rendered_as_a_range_of_one() {
    let mut args = BASE.to_vec();
    args.extend([
        "--egress-cidr",
        "203.0.113.10:443",
        "--egress-cidr",
        "2001:db8::1:443",
    ]);
    let folder = Folder::new();
    folder.init(&args).assert().success();
    let policy = fs::read_to_string(folder.path("k8s/networkpolicy-api.yaml")).unwrap();
    assert!(policy.contains("cidr: 203.0.113.10/32\n"), "{policy}");
    assert!(policy.contains("cidr: \"2001:db8::1/128\""), "{policy}");
}
