//! Floors that hold: an organisation preset `acme` required of every render, by
//! `--require-preset`, by `KUBEWARD_REQUIRED_PRESET` and by the presets folder's own
//! configuration, against every route a spec, a preset file, a flag or a template offers; and
//! the same floors applied by `kubeward check --preset` to any manifests, where no annotation
//! excuses a breach.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::run::{Run, kubeward_in};
use common::spec::{DIGEST, api_head};
use serde_json::Value;

/// ACME's preset: registries, digests, two replicas, read-only root, short tokens.
const ACME: &str = "apiVersion: kubeward.dev/v1alpha1
kind: Preset
metadata:
  name: acme
extends: restricted
floors:
  allowedRegistries: [ghcr.io/acme]
  requireImageDigest: true
  minReplicas: 2
  readOnlyRootFilesystem: true
  maxTokenExpirationSeconds: 3600
";

/// A team preset that extends acme and so meets the requirement.
const TEAM: &str = "apiVersion: kubeward.dev/v1alpha1
kind: Preset
metadata:
  name: team
extends: acme
spec:
  replicas: 2
";

/// A local file that reuses the name `acme` and extends baseline.
const IMPOSTOR: &str = "apiVersion: kubeward.dev/v1alpha1
kind: Preset
metadata:
  name: acme
extends: baseline
";

/// A local preset with another name that leaves acme out.
const LOOSE: &str = "apiVersion: kubeward.dev/v1alpha1
kind: Preset
metadata:
  name: loose
extends: baseline
";

/// The service: an image from docker.io and one replica.
fn weak_spec(preset_line: &str) -> String {
    format!(
        "{}{preset_line}  image: docker.io/evil/orders:1.0.0\n  port: 8080\n  replicas: 1\n",
        api_head!()
    )
}

/// A service that meets acme's floors.
fn good_spec(preset_line: &str) -> String {
    format!(
        "{}{preset_line}  image: ghcr.io/acme/orders:1.0.0@{DIGEST}\n  port: 8080\n",
        api_head!()
    )
}

/// How the requirement is set for a run.
#[derive(Clone, Copy, Debug)]
enum Required {
    Flag,
    Env,
    Folder,
}

const EVERY_WAY: [Required; 3] = [Required::Flag, Required::Env, Required::Folder];

/// A working folder with the presets folder `presets/` (acme, team) and local preset files.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("presets/acme.yaml", ACME),
            ("presets/team.yaml", TEAM),
            ("local/acme.yaml", IMPOSTOR),
            ("local/loose.yaml", LOOSE),
        ] {
            common::write(&dir.path().join(name), text);
        }
        Project { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        common::write(&self.path(name), text);
    }

    /// `kubeward ARGS` with the presets folder and acme required the way `how` says.
    fn run(&self, how: Required, args: &[&str]) -> Run {
        let mut command = kubeward_in(self.dir.path());
        command.env("KUBEWARD_PRESETS_DIR", "presets");
        let config = self.path("presets/kubeward-presets.yaml");
        let _ = fs::remove_file(&config);
        match how {
            Required::Flag => {
                command.args(args).args(["--require-preset", "acme"]);
            }
            Required::Env => {
                command.args(args).env("KUBEWARD_REQUIRED_PRESET", "acme");
            }
            Required::Folder => {
                fs::write(
                    &config,
                    "apiVersion: kubeward.dev/v1alpha1\nkind: PresetsFolder\n# every render from this folder\nrequirePreset: acme\n",
                )
                .unwrap();
                command.args(args);
            }
        }
        Run::of(&mut command)
    }

    /// Asserts that `args` is refused with exit 2 naming the requirement, its source and
    /// `expected`, and that nothing was written.
    fn refused(&self, how: Required, args: &[&str], expected: &str) {
        let run = self.run(how, args);
        let source = match how {
            Required::Flag => "--require-preset".to_string(),
            Required::Env => "KUBEWARD_REQUIRED_PRESET".to_string(),
            Required::Folder => "requirePreset in presets/kubeward-presets.yaml (line 4)".into(),
        };
        assert_eq!(run.code, Some(2), "{how:?} {args:?}\n{}", run.stderr);
        assert!(
            run.stderr.contains(expected)
                && run.stderr.contains(&format!("which {source} requires")),
            "{how:?} {args:?}: expected `{expected}` and `{source}`\n{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        for written in ["out", ".kubeward", "k8s"] {
            assert!(
                !self.path(written).exists(),
                "{how:?} {args:?} wrote {written}"
            );
        }
    }
}

#[test]
fn every_route_around_the_required_preset_is_refused() {
    let p = Project::new();
    let chain_lacks = "does not include `acme` from presets/acme.yaml";
    let impostor = "has `acme` from local/acme.yaml, not `acme` from presets/acme.yaml";
    for how in EVERY_WAY {
        // The `preset:` line deleted: the default chain is restricted alone.
        p.write("kubeward.yaml", &weak_spec(""));
        p.refused(
            how,
            &["render", "-f", "kubeward.yaml", "-o", "out"],
            chain_lacks,
        );
        // A shipped preset that is not acme.
        p.write("kubeward.yaml", &weak_spec("  preset: baseline\n"));
        p.refused(how, &["render", "-f", "kubeward.yaml"], chain_lacks);
        // A local file that reuses the name acme.
        p.write("kubeward.yaml", &weak_spec("  preset: ./local/acme.yaml\n"));
        p.refused(how, &["render", "-f", "kubeward.yaml"], impostor);
        // A local preset of another name.
        p.write(
            "kubeward.yaml",
            &weak_spec("  preset: ./local/loose.yaml\n"),
        );
        p.refused(how, &["render", "-f", "kubeward.yaml"], chain_lacks);
        // `--preset` on the command line over a spec that names acme.
        p.write("kubeward.yaml", &good_spec("  preset: acme\n"));
        for preset in ["restricted", "./local/acme.yaml"] {
            let args = ["render", "-f", "kubeward.yaml", "--preset", preset];
            p.refused(how, &args, "spec.preset (from --preset)");
        }
        // A service described by flags alone.
        let flags = [
            "render",
            "--name",
            "api",
            "--namespace",
            "shop",
            "--image",
            "ghcr.io/acme/api:1.0",
            "--port",
            "8080",
        ];
        p.refused(how, &flags, chain_lacks);
        // Every command that renders or plans a spec.
        p.write("kubeward.yaml", &weak_spec("  preset: baseline\n"));
        for command in ["explain", "graph"] {
            p.refused(how, &[command, "-f", "kubeward.yaml"], chain_lacks);
        }
        p.refused(
            how,
            &["diff-presets", "baseline", "acme", "-f", "kubeward.yaml"],
            chain_lacks,
        );
    }
}

#[test]
fn a_batch_refuses_each_spec_that_leaves_the_chain() {
    let p = Project::new();
    p.write("specs/a/kubeward.yaml", &good_spec("  preset: team\n"));
    p.write("specs/b/kubeward.yaml", &weak_spec("  preset: baseline\n"));
    for how in EVERY_WAY {
        let run = p.run(how, &["render", "-f", "specs", "-o", "out"]);
        assert_eq!(run.code, Some(2), "{how:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("specs/b/kubeward.yaml"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("specs/a/kubeward.yaml"),
            "{}",
            run.stderr
        );
        assert!(!p.path("out").exists());
    }
}

#[test]
fn a_chain_through_the_required_preset_renders_and_passes_its_floors() {
    let p = Project::new();
    for (how, preset) in EVERY_WAY.iter().zip(["acme", "team", "acme"]) {
        p.write(
            "kubeward.yaml",
            &good_spec(&format!("  preset: {preset}\n")),
        );
        let run = p.run(*how, &["render", "-f", "kubeward.yaml"]);
        assert_eq!(run.code, Some(0), "{how:?}: {}", run.stderr);
        p.write("bundle.yaml", &run.stdout);
        let checked = p.run(*how, &["check", "--preset", "acme", "bundle.yaml"]);
        assert_eq!(checked.code, Some(0), "{}", checked.stdout);
    }
}

#[test]
fn the_floors_of_the_required_preset_hold_against_spec_fields_and_flags() {
    let p = Project::new();
    p.write("kubeward.yaml", &good_spec("  preset: acme\n"));
    let base = ["render", "-f", "kubeward.yaml"];
    for (flags, field) in [
        (
            &["--replicas", "1"][..],
            "spec.replicas (from --replicas): 1 is below the floor minReplicas: 2 set by preset `acme`",
        ),
        (
            &["--image", "docker.io/evil/orders:1.0.0"][..],
            "spec.image (from --image): `docker.io/evil/orders` is not from an allowed registry",
        ),
        (
            &[
                "--image",
                "ghcr.io/acme/orders:1.0.0",
                "--allow-unpinned-image",
            ][..],
            "the floor requireImageDigest is set by preset `acme`",
        ),
    ] {
        for how in EVERY_WAY {
            let args: Vec<&str> = base.iter().chain(flags).copied().collect();
            let run = p.run(how, &args);
            assert_eq!(run.code, Some(2), "{flags:?}: {}", run.stderr);
            assert!(run.stderr.contains(field), "{flags:?}: {}", run.stderr);
        }
    }
    p.write("kubeward.yaml", &weak_spec("  preset: acme\n"));
    let run = p.run(Required::Env, &base);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("line 8: spec.image"), "{}", run.stderr);
    assert!(
        run.stderr.contains("line 10: spec.replicas"),
        "{}",
        run.stderr
    );
}

/// Exports the shipped templates into `templates/` and edits the Deployment's.
fn override_deployment(p: &Project, from: &str, to: &str) {
    let run = Run::of(kubeward_in(p.dir.path()).args(["templates", "export", "templates"]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let path = p.path("templates/deployment.yaml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn an_override_template_cannot_undo_a_floor_even_when_its_departure_is_accepted() {
    let p = Project::new();
    p.write("kubeward.yaml", &good_spec("  preset: acme\n"));
    override_deployment(
        &p,
        "readOnlyRootFilesystem: {{ w.read_only_root_filesystem | yaml }}",
        "readOnlyRootFilesystem: false",
    );
    let args = [
        "render",
        "-f",
        "kubeward.yaml",
        "--templates",
        "templates",
        "--allow-template-override",
        "read-only-root-filesystem",
        "-o",
        "out",
    ];
    for how in EVERY_WAY {
        let run = p.run(how, &args);
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(
            run.stderr.contains("breaches its preset's floors")
                && run.stderr.contains("KW-FLOOR-005")
                && run
                    .stderr
                    .contains("locked by preset `acme` (presets/acme.yaml, line 10)"),
            "{}",
            run.stderr
        );
        assert!(!p.path("out").exists());
    }
    // The same override for a preset without the floor is accepted, and recorded.
    p.write("kubeward.yaml", &good_spec(""));
    let mut command = kubeward_in(p.dir.path());
    command.args(&args[..7]);
    let run = Run::of(&mut command);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn an_override_template_that_hard_codes_one_replica_is_refused() {
    let p = Project::new();
    p.write("kubeward.yaml", &good_spec("  preset: acme\n"));
    override_deployment(&p, "replicas: {{ w.replicas | yaml }}", "replicas: 1");
    let run = p.run(
        Required::Env,
        &["render", "-f", "kubeward.yaml", "--templates", "templates"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("KW-FLOOR-003"), "{}", run.stderr);
}

#[test]
fn init_starts_from_the_required_preset_and_refuses_another() {
    let p = Project::new();
    let flags = [
        "init",
        "--yes",
        "--spec-only",
        "--name",
        "api",
        "-n",
        "shop",
        "--port",
        "8080",
        "--image",
    ];
    let image = format!("ghcr.io/acme/api:1.0@{DIGEST}");
    for how in EVERY_WAY {
        let _ = fs::remove_file(p.path("kubeward.yaml"));
        let mut args: Vec<&str> = flags.to_vec();
        args.push(&image);
        let run = p.run(how, &args);
        assert_eq!(run.code, Some(0), "{how:?}: {}", run.stderr);
        let spec = fs::read_to_string(p.path("kubeward.yaml")).unwrap();
        assert!(spec.contains("preset: acme"), "{spec}");
        fs::remove_file(p.path("kubeward.yaml")).unwrap();
        args.extend(["--preset", "baseline"]);
        p.refused(
            how,
            &args,
            "spec.preset (from --preset): the chain baseline (shipped)",
        );
        assert!(!p.path("kubeward.yaml").exists());
    }
}

#[test]
fn a_presets_flag_cannot_replace_the_folder_of_the_variable() {
    let p = Project::new();
    p.write("other/acme.yaml", IMPOSTOR);
    p.write("kubeward.yaml", &weak_spec("  preset: acme\n"));
    let run = p.run(
        Required::Env,
        &["render", "-f", "kubeward.yaml", "--presets-dir", "other"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "--presets-dir other replaces the presets folder of KUBEWARD_PRESETS_DIR (presets)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_requirement_that_names_no_preset_is_an_error() {
    let p = Project::new();
    p.write("kubeward.yaml", &good_spec("  preset: acme\n"));
    for value in ["", "./presets/acme.yaml", "nowhere"] {
        let mut command = kubeward_in(p.dir.path());
        command
            .env("KUBEWARD_PRESETS_DIR", "presets")
            .env("KUBEWARD_REQUIRED_PRESET", value)
            .args(["render", "-f", "kubeward.yaml"]);
        let run = Run::of(&mut command);
        assert_eq!(run.code, Some(2), "{value:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("KUBEWARD_REQUIRED_PRESET"),
            "{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------
// kubeward check --preset, --no-inline-suppressions, --suppressions, --config
// ---------------------------------------------------------------------------------------

/// The bundle: rendered with baseline, so it carries kubeward's own exemptions for a
/// writable root filesystem and one replica, from docker.io, pinned by tag only.
fn baseline_bundle(p: &Project) -> PathBuf {
    p.write(
        "weak/kubeward.yaml",
        &format!(
            "{}  preset: baseline\n  image: docker.io/evil/orders:1.0.0\n  port: 8080\n",
            api_head!()
        ),
    );
    let mut command = kubeward_in(p.dir.path());
    command.args(["render", "-f", "weak/kubeward.yaml", "-o", "weak/k8s"]);
    let run = Run::of(&mut command);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    p.path("weak/k8s")
}

fn check(p: &Project, args: &[&str]) -> (Run, Value) {
    let mut command = kubeward_in(p.dir.path());
    command
        .env("KUBEWARD_PRESETS_DIR", "presets")
        .args(["check", "--format", "json"])
        .args(args);
    let run = Run::of(&mut command);
    let report = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    (run, report)
}

fn standing(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppression"].is_null())
        .map(|f| f["ruleId"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn check_preset_finds_each_breach_that_kubewards_own_exemptions_hide() {
    let p = Project::new();
    let bundle = baseline_bundle(&p);
    let bundle = bundle.to_str().unwrap();
    let (plain, report) = check(&p, &[bundle]);
    assert_eq!(plain.code, Some(0), "{}", plain.stdout);
    assert!(standing(&report).is_empty());
    let (run, report) = check(&p, &["--preset", "acme", bundle]);
    assert_eq!(run.code, Some(1));
    let found = standing(&report);
    for rule in [
        "KW-FLOOR-001",
        "KW-FLOOR-002",
        "KW-FLOOR-003",
        "KW-FLOOR-005",
    ] {
        assert!(found.contains(&rule.to_string()), "{rule}: {found:?}");
    }
    let floor = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "KW-FLOOR-003")
        .unwrap();
    assert_eq!(
        floor["message"],
        "1 replica(s); floor minReplicas: 2, locked by preset `acme` (presets/acme.yaml, line 9)"
    );
    assert!(
        floor["file"]
            .as_str()
            .unwrap()
            .ends_with("deployment-api.yaml")
    );
    // A required preset applies its floors to a check without --preset.
    let mut command = kubeward_in(p.dir.path());
    command
        .env("KUBEWARD_PRESETS_DIR", "presets")
        .env("KUBEWARD_REQUIRED_PRESET", "acme")
        .args(["check", bundle]);
    let run = Run::of(&mut command);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("KW-FLOOR-001"), "{}", run.stdout);
    // And --preset must meet it.
    command.args(["--preset", "baseline"]);
    let run = Run::of(&mut command);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("--preset baseline: the chain"),
        "{}",
        run.stderr
    );
}

const PRIVILEGED: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: shop
  annotations:
    kubeward.dev/ignore: \"KW-SEC-009=needed\"
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: ghcr.io/acme/agent:1.0
          securityContext:
            privileged: true
";

fn privileged_finding(report: &Value) -> Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "KW-SEC-009")
        .unwrap()
        .clone()
}

#[test]
fn inline_suppressions_can_be_switched_off_by_flag_or_configuration() {
    let p = Project::new();
    p.write("pr/agent.yaml", PRIVILEGED);
    let (_, report) = check(&p, &["pr/agent.yaml"]);
    assert_eq!(
        privileged_finding(&report)["suppression"]["annotation"],
        "kubeward.dev/ignore"
    );
    let (run, report) = check(&p, &["--no-inline-suppressions", "pr/agent.yaml"]);
    assert_eq!(run.code, Some(1));
    assert!(privileged_finding(&report)["suppression"].is_null());
    p.write(
        "ci/kubeward-check.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: CheckConfiguration\ninlineSuppressions: false\n",
    );
    let (run, report) = check(&p, &["--config", "ci/kubeward-check.yaml", "pr/agent.yaml"]);
    assert_eq!(run.code, Some(1));
    assert!(privileged_finding(&report)["suppression"].is_null());
}

fn suppressions(expires: &str) -> String {
    format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: Suppressions\nsuppressions:\n  - rule: KW-SEC-009\n    object: Deployment shop/agent\n    reason: the node agent needs it (SEC-123)\n    expires: {expires}\n  - rule: KW-SEC-007\n    object: Deployment shop/gone\n    reason: removed last year\n    expires: 2999-01-01\n"
    )
}

#[test]
fn a_suppressions_file_accepts_until_its_date_and_says_what_no_longer_counts() {
    let p = Project::new();
    p.write("pr/agent.yaml", PRIVILEGED);
    p.write("ci/suppressions.yaml", &suppressions("2999-12-31"));
    let args = [
        "--no-inline-suppressions",
        "--suppressions",
        "ci/suppressions.yaml",
        "pr/agent.yaml",
    ];
    let (run, report) = check(&p, &args);
    let suppression = &privileged_finding(&report)["suppression"];
    assert_eq!(suppression["annotation"], "ci/suppressions.yaml:4");
    assert_eq!(suppression["kind"], "external");
    assert_eq!(
        suppression["reason"],
        "the node agent needs it (SEC-123) (accepted until 2999-12-31)"
    );
    // The stale entry is a warning, on stderr without a terminal.
    assert!(
        run.stderr.contains("warning: ci/suppressions.yaml:8: the suppression of KW-SEC-007 for Deployment shop/gone matches no finding: remove it [unused-suppression]"),
        "{}",
        run.stderr
    );
    // Expired: the finding stands again, and says why.
    p.write("ci/suppressions.yaml", &suppressions("2020-01-31"));
    let (run, report) = check(&p, &args);
    assert_eq!(run.code, Some(1));
    assert!(privileged_finding(&report)["suppression"].is_null());
    assert!(
        run.stderr.contains("warning: ci/suppressions.yaml:4: the suppression of KW-SEC-009 for Deployment shop/agent expired on 2020-01-31: it no longer counts"),
        "{}",
        run.stderr
    );
    // --deny-warnings makes them errors.
    let deny: Vec<&str> = ["--deny-warnings"].iter().chain(&args).copied().collect();
    let (run, _) = check(&p, &deny);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("--deny-warnings makes them errors"),
        "{}",
        run.stderr
    );
    // Malformed: exit 2, naming the file, line and field; nothing checked.
    p.write("ci/suppressions.yaml", &suppressions("31/12/2999"));
    let (run, _) = check(&p, &args);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("ci/suppressions.yaml is not a valid suppressions file: line 7: suppressions[0].expires: `31/12/2999` is not a date"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn neither_annotations_nor_the_suppressions_file_excuse_a_floor() {
    let p = Project::new();
    let bundle = baseline_bundle(&p);
    let deployment = bundle.join("deployment-api.yaml");
    let mut value: Value =
        serde_saphyr::from_str(&fs::read_to_string(&deployment).unwrap()).unwrap();
    // What a pull request could add: kubeward's own exemption for the floor's rule.
    let ignore = &mut value["metadata"]["annotations"]["kubeward.dev/ignore"];
    *ignore = Value::from(format!("{}\nKW-FLOOR-003=please", ignore.as_str().unwrap()));
    fs::write(&deployment, value.to_string()).unwrap();
    let (_, report) = check(&p, &["--preset", "acme", bundle.to_str().unwrap()]);
    assert!(
        standing(&report).contains(&"KW-FLOOR-003".to_string()),
        "{report:#}"
    );
    p.write(
        "ci/suppressions.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: Suppressions\nsuppressions:\n  - rule: KW-FLOOR-003\n    object: Deployment shop/api\n    reason: please\n    expires: 2999-01-01\n",
    );
    let (run, _) = check(
        &p,
        &[
            "--preset",
            "acme",
            "--suppressions",
            "ci/suppressions.yaml",
            bundle.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("a floor breach cannot be suppressed"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_check_configuration_names_presets_and_suppressions_relative_to_itself() {
    let p = Project::new();
    p.write("pr/agent.yaml", PRIVILEGED);
    p.write("ci/suppressions.yaml", &suppressions("2999-12-31"));
    p.write(
        "ci/kubeward-check.yaml",
        "apiVersion: kubeward.dev/v1alpha1\nkind: CheckConfiguration\ninlineSuppressions: false\nsuppressions: suppressions.yaml\npresets: [acme]\n",
    );
    let (run, report) = check(&p, &["--config", "ci/kubeward-check.yaml", "pr/agent.yaml"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        privileged_finding(&report)["suppression"]["kind"],
        "external"
    );
    let found = standing(&report);
    assert!(found.contains(&"KW-FLOOR-002".to_string()), "{found:?}");
    assert!(Path::new(&p.path("ci")).is_dir());
}
