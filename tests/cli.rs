//! End-to-end tests of the `kubeward` binary: bad input, the output folder, stdout, flags,
//! value safety and snapshots of the shipped examples.
//!
//! Every test runs the binary in a fresh temporary folder through [`Kubeward`], so that
//! "nothing was written" can be checked by listing that folder.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::bundle::{find, identities, identity, parse_stream};
use common::run::{Run, binary, kubeward_in};
use kubeward::vocabulary::MATERIAL_DIGEST_ANNOTATION;
use serde_json::{Value, json};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

/// The bookkeeping file kubeward keeps in an output folder (not a manifest).
const MARKER: &str = ".kubeward-output";

/// A temporary working folder, the files in it, and the arguments to run kubeward with.
struct Kubeward {
    dir: TempDir,
    args: Vec<String>,
}

impl Kubeward {
    fn new() -> Self {
        Kubeward {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
        }
    }

    fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Writes a file (relative to the working folder, folders created) before the run.
    fn file(self, name: &str, text: &str) -> Self {
        common::write(&self.path(name), text);
        self
    }

    /// Copies the shipped example `name` (its `kubeward.yaml` and the files beside it) into
    /// the working folder before the run.
    fn example(self, name: &str) -> Self {
        common::spec::copy_example(name, self.dir.path());
        self
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `kubeward <args>` in the working folder.
    fn run(&self) -> Run {
        self.run_with(std::iter::empty::<&str>())
    }

    /// Runs `kubeward <args> <extra>` in the working folder.
    fn run_with<S: AsRef<std::ffi::OsStr>>(&self, extra: impl IntoIterator<Item = S>) -> Run {
        Run::of(kubeward_in(self.dir.path()).args(&self.args).args(extra))
    }

    /// Names in a folder of the working folder ("" for itself), hidden ones included, sorted.
    fn entries(&self, sub: &str) -> Vec<String> {
        common::entries(&self.path(sub))
    }

    /// Every file of an output folder with its bytes.
    fn snapshot_dir(&self, sub: &str) -> BTreeMap<String, Vec<u8>> {
        self.entries(sub)
            .into_iter()
            .map(|name| {
                let bytes = fs::read(self.path(sub).join(&name)).unwrap();
                (name, bytes)
            })
            .collect()
    }
}

impl Run {
    fn describe(&self) -> String {
        let stdout: String = self.stdout.chars().take(2000).collect();
        format!(
            "exit code {:?}\n--- stderr ---\n{}\n--- stdout (first 2000 characters) ---\n{stdout}",
            self.code, self.stderr,
        )
    }

    #[track_caller]
    fn success(&self) -> &Self {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.describe());
        assert!(
            self.stderr.is_empty(),
            "expected a quiet success\n{}",
            self.describe()
        );
        self
    }

    /// A success whose stderr holds nothing but warnings, each with one of `ids`.
    #[track_caller]
    fn success_warning_only(&self, ids: &[&str]) -> &Self {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.describe());
        for line in self.stderr.lines() {
            assert!(
                line.starts_with("warning: ")
                    && ids.iter().any(|id| line.ends_with(&format!(" [{id}]"))),
                "expected only warnings {ids:?} on stderr, got {line:?}\n{}",
                self.describe()
            );
        }
        self
    }

    /// The success of rendering the example at `spec`: quiet, but for the one warning of a
    /// tag-only image, which is rendered with its exemptions and said so on stderr.
    #[track_caller]
    fn example_success(&self, spec: &Path) -> &Self {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.describe());
        assert!(
            self.warns_as_example(spec),
            "expected the example's own warnings only\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    fn no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "kubeward panicked\n{}",
            self.describe()
        );
        self
    }

    /// Exit code 2 (usage or validation error), no panic.
    #[track_caller]
    fn usage_error(&self) -> &Self {
        self.no_panic();
        assert_eq!(
            self.code,
            Some(2),
            "expected exit code 2\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    fn failure(&self) -> &Self {
        self.no_panic();
        assert!(
            !matches!(self.code, Some(0)),
            "expected a failure\n{}",
            self.describe()
        );
        self
    }

    #[track_caller]
    fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr should contain {text:?}\n{}",
            self.describe()
        );
        self
    }

    /// The documents of the stdout stream.
    fn documents(&self) -> Vec<Value> {
        parse_stream(&self.stdout)
    }
}

/// The valid spec most tests start from. Its lines (the bad-input table relies on them):
/// 1 apiVersion, 2 kind, 3 metadata, 4 name, 5 namespace, 6 spec, 7 image, 8 port,
/// 9 exposure; appended text starts on line 10.
const BASE: &str = concat!(
    common::spec::api_head!(),
    "  image: ",
    common::spec::image!(),
    "\n",
    "  port: 8080\n",
    "  exposure: cluster\n",
);

/// [`BASE`] with one piece of text replaced (which must be there).
fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE has no {from:?}");
    BASE.replacen(from, to, 1)
}

/// [`BASE`] with lines appended under `spec:` (indent them by two spaces).
fn base_plus(extra: &str) -> String {
    format!("{BASE}{extra}")
}

// ---------------------------------------------------------------------------------------
// 1. Bad input
// ---------------------------------------------------------------------------------------

/// A spec that must be refused: the field the message must name, and its line if any.
struct BadInput {
    name: &'static str,
    spec: String,
    field: &'static str,
    line: Option<usize>,
}

fn bad(name: &'static str, spec: String, field: &'static str, line: Option<usize>) -> BadInput {
    BadInput {
        name,
        spec,
        field,
        line,
    }
}

/// Renders `case.spec` with `-o out`; the error if kubeward did not refuse it properly.
fn check_rejected(case: &BadInput) -> Result<(), String> {
    let kw = Kubeward::new()
        .file("spec.yaml", &case.spec)
        .args(["render", "-f", "spec.yaml"])
        .args(["-o", "out"]);
    let run = kw.run();
    let mut problems = Vec::new();
    if run.code != Some(2) {
        problems.push("exit code is not 2".to_string());
    }
    if run.stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    if run
        .stderr
        .chars()
        .any(|c| c != '\n' && kubeward::output::terminal::is_hidden(c))
    {
        problems.push("a character a terminal acts on is printed raw".to_string());
    }
    let expected = match case.line {
        Some(line) => format!("line {line}: {}: ", case.field),
        None => format!("{}: ", case.field),
    };
    if !run.stderr.contains(&expected) {
        problems.push(format!("stderr lacks {expected:?}"));
    }
    if !run.stdout.is_empty() {
        problems.push("something was printed on stdout".to_string());
    }
    let entries = kw.entries("");
    if entries != ["spec.yaml"] {
        problems.push(format!("the folder holds {entries:?}, not only spec.yaml"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: {}\n{}",
            case.name,
            problems.join("; "),
            run.describe()
        ))
    }
}

#[track_caller]
fn assert_all_rejected(cases: &[BadInput]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check_rejected(c).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs were not refused properly:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn bad_input_exits_2_naming_field_and_line_and_writes_nothing() {
    let long_name = format!("name: {}", "a".repeat(64));
    let public = |extra: &str| base_with("exposure: cluster", "exposure: public") + extra;
    let local_only = |extra: &str| base_with("exposure: cluster", "exposure: namespace") + extra;
    let egress = |item: &str| base_plus(&format!("  egress:\n    - {item}\n")); // item: line 11
    let api = |rule: &str| base_plus(&format!("  apiAccess:\n    - {rule}\n")); // rule: line 11
    let image = |reference: &str| base_with(common::spec::IMAGE, reference);
    let worker = |extra: &str| base_with("  port: 8080\n", "") + extra;
    let writable = |path: &str| base_plus(&format!("  writablePaths:\n    - {path:?}\n")); // line 11
    #[rustfmt::skip]
    let cases = [
        // Unknown fields, at every level.
        bad("unknown field at top level", base_plus("extra: 1\n"), "extra", Some(10)),
        bad("unknown field in spec", base_plus("  replica: 3\n"), "spec.replica", Some(10)),
        bad("unknown field in a caller",
            base_plus("  callers:\n    - app: web\n      namespac: checkout\n"),
            "spec.callers[0].namespac", Some(12)),
        // Names and namespaces.
        bad("uppercase name", base_with("name: api", "name: Api"), "metadata.name", Some(4)),
        bad("name over 63 characters", base_with("name: api", &long_name), "metadata.name", Some(4)),
        bad("underscore in name", base_with("name: api", "name: api_v2"), "metadata.name", Some(4)),
        bad("missing namespace", base_with("  namespace: shop\n", ""), "metadata.namespace", Some(3)),
        bad("namespace default", base_with("shop", "default"), "metadata.namespace", Some(5)),
        bad("namespace kube-system", base_with("shop", "kube-system"), "metadata.namespace", Some(5)),
        // Ports.
        bad("port 0", base_with("port: 8080", "port: 0"), "spec.port", Some(8)),
        bad("port 70000", base_with("port: 8080", "port: 70000"), "spec.port", Some(8)),
        bad("port abc", base_with("port: 8080", "port: abc"), "spec.port", Some(8)),
        // Images.
        bad("uppercase image path", image("ghcr.io/ACME/api:1.0.0"), "spec.image", Some(7)),
        bad("empty tag", image("\"nginx:\""), "spec.image", Some(7)),
        bad("bad digest", image("nginx@sha256:abc"), "spec.image", Some(7)),
        bad("tag latest", image("nginx:latest"), "spec.image", Some(7)),
        bad("no tag", image("nginx"), "spec.image", Some(7)),
        // Exposure, callers and ingress.
        bad("caller from another namespace with exposure namespace",
            local_only("  callers:\n    - app: web\n      namespace: checkout\n"),
            "spec.callers[0].namespace", Some(12)),
        bad("public exposure without ingress", public(""), "spec.ingress", Some(6)),
        bad("public exposure without ingress.host",
            public("  ingress:\n    className: nginx\n"), "spec.ingress.host", Some(10)),
        bad("ingress with exposure cluster",
            base_plus("  ingress:\n    host: shop.example.com\n"), "spec.ingress", Some(10)),
        // Callers by address, and their identity.
        bad("caller range with host bits",
            base_plus("  callers:\n    - cidr: 10.0.0.1/8\n"), "spec.callers[0].cidr", Some(11)),
        bad("caller range of every IPv4 address",
            base_plus("  callers:\n    - cidr: 0.0.0.0/0\n"), "spec.callers[0].cidr", Some(11)),
        bad("caller range of every IPv6 address",
            base_plus("  callers:\n    - app: web\n    - cidr: \"::/0\"\n"), "spec.callers[1].cidr", Some(12)),
        bad("caller range with a bad IPv6 prefix",
            base_plus("  callers:\n    - cidr: 2001:db8::/129\n"), "spec.callers[0].cidr", Some(11)),
        bad("caller range with exposure namespace",
            local_only("  callers:\n    - cidr: 198.51.100.0/24\n"), "spec.callers[0].cidr", Some(11)),
        bad("caller with both app and cidr",
            base_plus("  callers:\n    - app: web\n      cidr: 198.51.100.0/24\n"), "spec.callers[0]", Some(11)),
        bad("caller range with a namespace",
            base_plus("  callers:\n    - cidr: 198.51.100.0/24\n      namespace: shop\n"),
            "spec.callers[0].namespace", Some(12)),
        bad("caller range with a service account",
            base_plus("  callers:\n    - cidr: 198.51.100.0/24\n      serviceAccount: web\n"),
            "spec.callers[0].serviceAccount", Some(12)),
        bad("caller service account that is not a name",
            base_plus("  callers:\n    - app: web\n      serviceAccount: Web_SA\n"),
            "spec.callers[0].serviceAccount", Some(12)),
        // Mutual TLS.
        bad("client auth without TLS",
            base_plus("  tls:\n    mode: none\n    clientAuth: required\n"), "spec.tls.clientAuth", Some(12)),
        bad("client auth with TLS off by default",
            base_plus("  tls:\n    clientAuth: required\n"), "spec.tls.clientAuth", Some(11)),
        bad("unknown client auth",
            base_plus("  tls:\n    mode: self-signed\n    clientAuth: optional\n"), "spec.tls.clientAuth", Some(12)),
        bad("client CA without client auth",
            base_plus("  tls:\n    mode: self-signed\n    clientCa: partners.pem\n"), "spec.tls.clientCa", Some(12)),
        bad("an ACME issuer for the cluster names of the service's own certificate",
            base_plus("  protocol: https\n  tls:\n    mode: cert-manager\n    issuer: {name: letsencrypt}\n"),
            "spec.tls.issuer.name", Some(13)),
        bad("client CA with cert-manager",
            base_plus("  tls:\n    mode: cert-manager\n    issuer: {name: internal}\n    clientAuth: required\n    clientCa: partners.pem\n"),
            "spec.tls.clientCa", Some(14)),
        // Egress.
        bad("egress with both app and cidr",
            egress("app: db\n      cidr: 203.0.113.0/24\n      port: 5432"), "spec.egress[0]", Some(11)),
        bad("egress without port",
            egress("app: postgres\n      namespace: db"), "spec.egress[0].port", Some(11)),
        bad("cidr with host bits",
            egress("cidr: 10.0.0.1/8\n      port: 443"), "spec.egress[0].cidr", Some(11)),
        bad("cidr with a bad address",
            egress("cidr: 300.0.0.0/8\n      port: 443"), "spec.egress[0].cidr", Some(11)),
        bad("cidr prefix over 32",
            egress("cidr: 10.0.0.0/33\n      port: 443"), "spec.egress[0].cidr", Some(11)),
        // API access.
        bad("wildcard verb",
            api("resources: [pods]\n      verbs: ['*']"), "spec.apiAccess[0].verbs[0]", Some(12)),
        bad("wildcard resource",
            api("resources: ['*']\n      verbs: [get]"), "spec.apiAccess[0].resources[0]", Some(11)),
        bad("verb escalate",
            api("resources: [roles]\n      verbs: [get, escalate]"), "spec.apiAccess[0].verbs[1]", Some(12)),
        bad("secrets without resourceNames",
            api("resources: [secrets]\n      verbs: [get]"), "spec.apiAccess[0].resourceNames", Some(11)),
        bad("exec into pods",
            api("resources: [pods/exec]\n      verbs: [create]"), "spec.apiAccess[0].resources", Some(11)),
        bad("creating pods",
            api("resources: [configmaps, pods]\n      verbs: [get, create]"), "spec.apiAccess[0].resources", Some(11)),
        bad("apiAccess with a preset that names no API server endpoint (restricted)",
            api("resources: [configmaps]\n      verbs: [get]"), "spec.apiAccess", Some(10)),
        // Probes.
        bad("probe port is the service's port",
            base_plus("  probes:\n    port: 8080\n"), "spec.probes.port", Some(11)),
        bad("probe port out of range",
            base_plus("  probes:\n    port: 0\n"), "spec.probes.port", Some(11)),
        // NEL (U+0085) is whitespace, so the path is refused; the message must show the
        // overrides and C1 controls escaped (checked for every case by check_rejected).
        bad("readiness path with bidirectional overrides and C1 controls",
            base_plus("  probes:\n    readinessPath: \"/ready\\u202E\\u2066\\x85\\x9B[2J\"\n"),
            "spec.probes.readinessPath", Some(11)),
        // Writable paths (spec.writablePaths, the list on line 10, its entries from 11).
        bad("relative writable path", writable("var/cache"), "spec.writablePaths[0]", Some(11)),
        bad("writable path with ..", writable("/var/../etc"), "spec.writablePaths[0]", Some(11)),
        bad("writable path not normalised", writable("/var//cache/"), "spec.writablePaths[0]", Some(11)),
        bad("writable path /", writable("/"), "spec.writablePaths[0]", Some(11)),
        bad("writable /tmp again", writable("/tmp"), "spec.writablePaths[0]", Some(11)),
        bad("writable path inside /tmp", writable("/tmp/cache"), "spec.writablePaths[0]", Some(11)),
        bad("writable path in the secrets mount", writable("/var/run/secrets/kubeward/cache"),
            "spec.writablePaths[0]", Some(11)),
        bad("writable path over the secrets mount", writable("/var/run/secrets/kubeward"),
            "spec.writablePaths[0]", Some(11)),
        bad("writable path around the token mount", writable("/var/run/secrets"),
            "spec.writablePaths[0]", Some(11)),
        bad("writable path in the token mount", writable("/var/run/secrets/kubernetes.io/serviceaccount/x"),
            "spec.writablePaths[0]", Some(11)),
        bad("writable path over /proc", writable("/proc/self"), "spec.writablePaths[0]", Some(11)),
        bad("writable path twice", base_plus("  writablePaths:\n    - /var/cache\n    - /var/cache\n"),
            "spec.writablePaths[1]", Some(12)),
        bad("writable path inside another", base_plus("  writablePaths:\n    - /var/cache\n    - /var/cache/nginx\n"),
            "spec.writablePaths[1]", Some(12)),
        bad("writable path around another", base_plus("  writablePaths:\n    - /var/cache/nginx\n    - /var/cache\n"),
            "spec.writablePaths[1]", Some(12)),
        bad("writable paths beyond the ephemeral-storage limit",
            base_plus("  writablePaths: [/a, /b, /c, /d]\n"), "spec.writablePaths", Some(10)),
        // Workers (no spec.port: BASE without line 8, so exposure is line 8 and appended
        // text starts on line 9).
        bad("a caller of a worker", worker("  callers:\n    - app: web\n"), "spec.callers[0]", Some(10)),
        bad("a caller range of a worker", worker("  callers:\n    - cidr: 198.51.100.0/24\n"),
            "spec.callers[0]", Some(10)),
        bad("a public worker", worker("").replace("exposure: cluster", "exposure: public"), "spec.exposure", Some(8)),
        bad("a worker's protocol", worker("  protocol: http\n"), "spec.protocol", Some(9)),
        bad("a worker's certificate", worker("  tls:\n    mode: self-signed\n"), "spec.tls", Some(9)),
        bad("a worker's probe path", worker("  probes:\n    livenessPath: /livez\n"),
            "spec.probes.livenessPath", Some(10)),
        bad("a worker's probe port", worker("  probes:\n    port: 9090\n"), "spec.probes.port", Some(10)),
        bad("a probe command with a port", base_plus("  probes:\n    livenessCommand: [/app/check]\n"),
            "spec.probes.livenessCommand", Some(11)),
        bad("a worker's identical probe commands",
            worker("  probes:\n    readinessCommand: [/app/check]\n    livenessCommand: [/app/check]\n"),
            "spec.probes.livenessCommand", Some(11)),
        bad("an empty word in a probe command", worker("  probes:\n    livenessCommand: [\"\", --live]\n"),
            "spec.probes.livenessCommand[0]", Some(10)),
        // Recommended labels.
        bad("part-of not a label value", base_plus("  partOf: \"shop/eu\"\n"), "spec.partOf", Some(10)),
        bad("component over 63 characters", base_plus(&format!("  component: {}\n", "c".repeat(64))),
            "spec.component", Some(10)),
        bad("instance ending in a dash", base_plus("  instance: shop-\n"), "spec.instance", Some(10)),
        // Enumerations.
        bad("unknown protocol", base_plus("  protocol: smtp\n"), "spec.protocol", Some(10)),
        bad("unknown exposure", base_with("cluster", "world"), "spec.exposure", Some(9)),
        bad("unknown sensitivity", base_plus("  sensitivity: secret\n"), "spec.sensitivity", Some(10)),
        // Header.
        bad("wrong apiVersion", base_with("kubeward.dev/v1alpha1", "apps/v1"), "apiVersion", Some(1)),
        bad("wrong kind", base_with("SecureService", "Deployment"), "kind", Some(2)),
        // Not YAML, or nothing at all.
        bad("unclosed quote", base_with("name: api", "name: \"api"), "metadata.name", Some(4)),
        bad("unclosed bracket", base_plus("  callers: [web\n"), "spec.callers", Some(10)),
        bad("empty file", String::new(), "apiVersion", None),
    ];
    assert_all_rejected(&cases);
}

/// BUG: a syntax error is blamed on the last field that parsed before it. With `port`
/// indented by three spaces (line 8), the message is
/// `line 8: spec.image: mapping values are not allowed in this context`; line 7 is fine.
#[test]
fn syntax_error_is_not_blamed_on_the_field_before_it() {
    let run = Kubeward::new()
        .file("spec.yaml", &base_with("  port: 8080", "   port: 8080"))
        .args(["render", "-f", "spec.yaml"])
        .run();
    run.usage_error().stderr_has("line 8: ");
    assert!(
        !run.stderr.contains("spec.image"),
        "the error names spec.image, whose line 7 is valid\n{}",
        run.describe()
    );
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let spec = "\
apiVersion: kubeward.dev/v1alpha1
kind: SecureService
metadata:
  name: Bad_Name
  namespace: kube-system
spec:
  image: nginx:latest
  port: 0
  egress:
    - app: postgres
";
    let kw = Kubeward::new()
        .file("spec.yaml", spec)
        .args(["render", "-f", "spec.yaml"])
        .args(["-o", "out"]);
    let run = kw.run();
    run.usage_error().stderr_has("(5 problems)");
    for expected in [
        "line 4: metadata.name: ",
        "line 5: metadata.namespace: ",
        "line 7: spec.image: ",
        "line 8: spec.port: ",
        "line 10: spec.egress[0].port: ",
    ] {
        run.stderr_has(expected);
    }
    assert_eq!(kw.entries(""), ["spec.yaml"]);
}

/// BUG: `preset: restrictd` is refused, but the message names neither `spec.preset` nor
/// its line: `error: preset `restrictd`: no shipped preset has this name ...`.
#[test]
fn unknown_preset_error_names_spec_preset_and_its_line() {
    assert_all_rejected(&[bad(
        "unknown preset",
        base_plus("  preset: restrictd\n"),
        "spec.preset",
        Some(10),
    )]);
}

/// BUG: with an invalid own namespace, a caller error reads
/// "caller `other/web` is outside namespace ``, but exposure is `namespace`".
#[test]
fn a_caller_error_never_shows_an_empty_namespace() {
    let spec = base_with("namespace: shop", "namespace: default")
        .replace("exposure: cluster", "exposure: namespace")
        + "  callers:\n    - app: web\n      namespace: other\n";
    let run = Kubeward::new()
        .file("spec.yaml", &spec)
        .args(["render", "-f", "spec.yaml"])
        .run();
    run.usage_error().stderr_has("line 5: metadata.namespace: ");
    assert!(
        !run.stderr.contains("namespace ``"),
        "the message shows an empty namespace\n{}",
        run.describe()
    );
}

/// BUG: values are echoed into error messages as they are: a value holding an escape
/// sequence reaches the terminal, and one holding a newline forges extra message lines.
#[test]
fn error_messages_do_not_echo_raw_control_characters() {
    let spec = base_with("name: api", "name: \"x\\e[2J\\n  - line 1: all: fine\"");
    let run = Kubeward::new()
        .file("spec.yaml", &spec)
        .args(["render", "-f", "spec.yaml"])
        .run();
    run.usage_error().stderr_has("line 4: metadata.name: ");
    assert!(
        !run.stderr.contains('\u{1b}'),
        "stderr carries a raw ESC from the spec\n{}",
        run.describe()
    );
    assert_eq!(
        run.stderr.lines().count(),
        2,
        "one problem should take one line after the header\n{}",
        run.describe()
    );
}

#[test]
fn missing_spec_file_is_an_error_that_names_it() {
    let kw = Kubeward::new().args(["render", "-f", "nope.yaml", "-o", "out"]);
    kw.run().usage_error().stderr_has("nope.yaml");
    assert!(kw.entries("").is_empty());
}

// ---------------------------------------------------------------------------------------
// 2. The output folder
// ---------------------------------------------------------------------------------------

/// A working folder holding the payments-api example as `kubeward.yaml`.
fn payments() -> Kubeward {
    Kubeward::new()
        .file("kubeward.yaml", &common::read_path(&payments_spec()))
        .arg("render")
        .args(["-f", "kubeward.yaml"])
}

/// The spec of the example `payments-api`.
fn payments_spec() -> PathBuf {
    common::spec::example("payments-api")
}

/// The `resources` listed by `out/kustomization.yaml`.
fn kustomization_resources(kw: &Kubeward) -> Vec<String> {
    let text = fs::read_to_string(kw.path("out/kustomization.yaml")).expect("kustomization.yaml");
    let value: Value = serde_saphyr::from_str(&text).expect("kustomization parses");
    assert_eq!(value["kind"], "Kustomization");
    value["resources"]
        .as_array()
        .expect("resources list")
        .iter()
        .map(|r| r.as_str().expect("resource is a file name").to_string())
        .collect()
}

/// Checks `out/` is a complete bundle (one object per listed file, every manifest listed,
/// nothing else but `user_files`) and returns its objects in the listed order.
#[track_caller]
fn assert_bundle(kw: &Kubeward, user_files: &[&str]) -> Vec<Value> {
    let listed = kustomization_resources(kw);
    let mut expected: Vec<String> = listed.clone();
    expected.extend(
        ["kustomization.yaml", MARKER]
            .iter()
            .chain(user_files)
            .map(|s| s.to_string()),
    );
    expected.sort();
    assert_eq!(
        kw.entries("out"),
        expected,
        "files in out/ vs kustomization.yaml"
    );
    listed
        .iter()
        .map(|file| {
            let text = fs::read_to_string(kw.path("out").join(file)).unwrap();
            let docs = parse_stream(&text);
            assert_eq!(docs.len(), 1, "{file} should hold one object");
            docs.into_iter().next().unwrap()
        })
        .collect()
}

/// The state folder kubeward keeps generated keys and secrets in, beside the spec.
const STATE: &str = ".kubeward";

/// The working folder holds exactly `names`, apart from the state folder: no temporary
/// folders are left beside `out`.
#[track_caller]
fn assert_folder_holds(kw: &Kubeward, names: &[&str]) {
    let entries: Vec<String> = kw.entries("").into_iter().filter(|n| n != STATE).collect();
    assert_eq!(entries, names, "unexpected entries in the working folder");
}

#[test]
fn render_to_dir_writes_one_file_per_object_and_a_kustomization_listing_them() {
    let kw = payments();
    kw.run_with(["-o", "out"]).example_success(&payments_spec());
    let objects = assert_bundle(&kw, &[]);
    assert_eq!(
        identities(&objects),
        identities(&kw.run().example_success(&payments_spec()).documents()),
        "the folder holds the objects of the stream, in order"
    );
    assert_folder_holds(&kw, &["kubeward.yaml", "out"]);
}

#[test]
fn second_render_into_same_dir_is_byte_identical() {
    for (name, path) in common::spec::examples() {
        let kw = Kubeward::new()
            .example(&name)
            .args(["render", "-f", "kubeward.yaml"])
            .args(["-o", "out"]);
        kw.run().example_success(&path);
        let first = kw.snapshot_dir("out");
        kw.run().example_success(&path);
        assert!(
            kw.snapshot_dir("out") == first,
            "{name}: the second render differs"
        );
        let mut expected = common::entries(&common::repo("tests/examples").join(&name));
        expected.push("out".into());
        expected.sort();
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_folder_holds(&kw, &expected);
    }
}

#[test]
fn rerender_after_dropping_a_caller_removes_its_stale_file() {
    let kw = payments();
    kw.run_with(["-o", "out"]).example_success(&payments_spec());
    let stale = "networkpolicy-payments-api-from-billing-worker.yaml";
    assert!(kw.path("out").join(stale).exists());
    kw.run_with(["-o", "out", "--caller", "checkout/web"])
        .example_success(&payments_spec());
    assert!(
        !kw.path("out").join(stale).exists(),
        "{stale} was left behind"
    );
    assert_bundle(&kw, &[]);
    assert_folder_holds(&kw, &["kubeward.yaml", "out"]);
}

/// As the command reference says: `.kubeward-output` names the files kubeward wrote, one per
/// line; without it, the folder's files count as the user's.
#[test]
fn the_output_record_lists_the_written_files_and_without_it_the_folder_is_foreign() {
    let page = common::book::page("reference/commands.md");
    assert!(page.contains("`DIR/.kubeward-output`: the names of the files it wrote, one per line"));
    let kw = payments();
    kw.run_with(["-o", "out"]).example_success(&payments_spec());
    let record = fs::read_to_string(kw.path("out/.kubeward-output")).unwrap();
    let mut listed: Vec<&str> = record.lines().collect();
    listed.sort_unstable();
    let written: Vec<String> = kw
        .entries("out")
        .into_iter()
        .filter(|name| name != ".kubeward-output")
        .collect();
    assert_eq!(listed, written);
    fs::remove_file(kw.path("out/.kubeward-output")).unwrap();
    kw.run_with(["-o", "out"])
        .failure()
        .stderr_has("holds files kubeward did not write");
}

/// The concepts page names every shipped preset (it once said `restricted` was the only one).
#[test]
fn the_concepts_page_names_every_shipped_preset() {
    let page = common::book::page("concepts.md");
    for (name, _) in kubeward::preset::SHIPPED {
        assert!(
            page.contains(&format!("`{name}`")),
            "concepts.md does not name {name}"
        );
    }
    assert!(!page.contains("only shipped preset"));
}

#[test]
fn dir_with_a_user_file_is_refused_without_force() {
    let kw = payments().file("out/notes.txt", "my notes\n");
    kw.run_with(["-o", "out"]).failure().stderr_has("notes.txt");
    assert_eq!(
        kw.entries("out"),
        ["notes.txt"],
        "nothing may be written beside the user file"
    );
    assert_eq!(
        fs::read_to_string(kw.path("out/notes.txt")).unwrap(),
        "my notes\n"
    );
    assert_folder_holds(&kw, &["kubeward.yaml", "out"]);
}

#[test]
fn force_keeps_user_files_and_writes_the_bundle() {
    let kw = payments().file("out/notes.txt", "my notes\n");
    kw.run_with(["-o", "out", "--force"])
        .example_success(&payments_spec());
    assert_eq!(
        fs::read_to_string(kw.path("out/notes.txt")).unwrap(),
        "my notes\n"
    );
    let objects = assert_bundle(&kw, &["notes.txt"]);
    assert_eq!(identities(&objects), identities(&kw.run().documents()));
    assert_folder_holds(&kw, &["kubeward.yaml", "out"]);
}

#[test]
fn output_path_that_is_a_file_is_refused_and_left_alone() {
    let kw = payments().file("out", "not a folder\n");
    kw.run_with(["-o", "out"]).failure().stderr_has("out");
    assert_eq!(
        fs::read_to_string(kw.path("out")).unwrap(),
        "not a folder\n"
    );
    assert_folder_holds(&kw, &["kubeward.yaml", "out"]);
}

/// BUG (data loss): `kubeward render -f kubeward.yaml -o . --force` moves the folder's own
/// files (kubeward.yaml, notes.txt) into a staging folder, fails to rename `.` ("Device or
/// resource busy"), then deletes the staging folder with the user's files in it.
#[test]
fn force_into_the_current_directory_never_deletes_user_files() {
    let kw = payments().file("notes.txt", "my notes\n");
    let run = kw.run_with(["-o", ".", "--force"]);
    run.no_panic();
    assert!(
        kw.path("kubeward.yaml").exists() && kw.path("notes.txt").exists(),
        "user files are gone; the folder now holds {:?}\n{}",
        kw.entries(""),
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------
// 3. stdout
// ---------------------------------------------------------------------------------------

#[test]
fn stdout_stream_holds_the_same_objects_as_the_output_dir() {
    for (name, path) in common::spec::examples() {
        let kw = Kubeward::new()
            .example(&name)
            .args(["render", "-f", "kubeward.yaml"]);
        let streamed = kw.run().example_success(&path).documents();
        kw.run_with(["-o", "out"]).example_success(&path);
        let written = assert_bundle(&kw, &[]);
        assert_eq!(streamed.len(), written.len(), "{name}: object count");
        assert_eq!(streamed, written, "{name}: stdout and -o differ");
    }
}

#[test]
fn closed_stdout_pipe_is_not_an_error() {
    // Enough callers that the stream far exceeds a pipe buffer, so the write meets EPIPE.
    let callers: String = (0..2000)
        .map(|i| format!("    - {{app: caller-{i}, namespace: team-{i}}}\n"))
        .collect();
    let kw = Kubeward::new().file("spec.yaml", &base_plus(&format!("  callers:\n{callers}")));
    let mut child = std::process::Command::new(binary())
        .args(["render", "-f", "spec.yaml"])
        .current_dir(kw.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kubeward");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .expect("read one line");
    assert_eq!(first, "---\n");
    // The reader (and the pipe) is dropped here, as `| head -1` would.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

// ---------------------------------------------------------------------------------------
// 4. Flags
// ---------------------------------------------------------------------------------------

/// The `spec.ingress[*].from` peers and `spec.egress` rules of the service's NetworkPolicy.
fn policy(docs: &[Value], name: &str) -> (Value, Value) {
    let spec = &find(docs, "NetworkPolicy", name)["spec"];
    (spec["ingress"].clone(), spec["egress"].clone())
}

fn pod_peer(namespace: &str, app: &str) -> Value {
    json!({
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": app}},
    })
}

#[test]
fn flags_alone_render_a_bundle_with_those_network_peers() {
    let docs = Kubeward::new()
        .args(["render", "--name", "api", "--namespace", "shop"])
        .args(["--image", common::spec::IMAGE, "--port", "8080"])
        .args(["--exposure", "cluster", "--caller", "other/web"])
        .args(["--egress", "db/postgres:5432"])
        .args(["--egress-cidr", "203.0.113.0/24:443"])
        .run()
        .success()
        .documents();
    let (ingress, egress) = policy(&docs, "api");
    assert_eq!(
        ingress,
        json!([{"from": [pod_peer("other", "web")], "ports": [{"protocol": "TCP", "port": 8080}]}])
    );
    let egress = egress.as_array().expect("egress rules");
    for rule in [
        json!({"to": [pod_peer("db", "postgres")], "ports": [{"protocol": "TCP", "port": 5432}]}),
        json!({"to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}], "ports": [{"protocol": "TCP", "port": 443}]}),
    ] {
        assert!(
            egress.contains(&rule),
            "missing egress rule {rule}\nin {egress:?}"
        );
    }
    assert_eq!(
        egress.len(),
        3,
        "DNS plus the two declared destinations: {egress:?}"
    );
}

#[test]
fn callers_by_address_are_admitted_on_the_port_and_nothing_wider() {
    let docs = Kubeward::new()
        .args(["render", "--name", "api", "--namespace", "shop"])
        .args(["--image", common::spec::IMAGE, "--port", "8080"])
        .args(["--exposure", "cluster", "--caller", "web"])
        .args(["--caller-cidr", "198.51.100.0/24"])
        .args(["--caller-cidr", "2001:db8:40::/48"])
        .args(["--caller-cidr", "0.0.0.0/1"])
        .run()
        .success()
        .documents();
    let (ingress, _) = policy(&docs, "api");
    assert_eq!(
        ingress,
        json!([{"from": [
            pod_peer("shop", "web"),
            {"ipBlock": {"cidr": "198.51.100.0/24"}},
            {"ipBlock": {"cidr": "2001:db8:40::/48"}},
            // A wide range keeps the cluster-internal ranges it contains out, as egress does.
            {"ipBlock": {"cidr": "0.0.0.0/1", "except": [
                "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8"
            ]}},
        ], "ports": [{"protocol": "TCP", "port": 8080}]}])
    );
}

#[test]
fn flags_override_the_spec_file() {
    let spec = base_plus("  replicas: 3\n");
    let docs = Kubeward::new()
        .file("spec.yaml", &spec)
        .args(["render", "-f", "spec.yaml"])
        .args(["--replicas", "5", "--namespace", "other"])
        .run()
        .success()
        .documents();
    assert_eq!(find(&docs, "Deployment", "api")["spec"]["replicas"], 5);
    find(&docs, "Namespace", "other");
    for doc in docs.iter().filter(|d| d["kind"] != "Namespace") {
        assert_eq!(doc["metadata"]["namespace"], "other", "{}", identity(doc));
    }
}

#[test]
fn render_without_spec_or_flags_is_a_usage_error() {
    for args in [
        &["render"][..],
        &["render", "-o", "out"],
        &["render", "--force"],
    ] {
        let kw = Kubeward::new().args(args.iter().copied());
        kw.run().usage_error().stderr_has("-f");
        assert!(kw.entries("").is_empty(), "{args:?} wrote something");
    }
}

#[test]
fn bad_flag_value_exits_2_naming_the_field() {
    let flags = Kubeward::new()
        .args(["render", "--name", "api", "--namespace", "shop"])
        .args(["--image", common::spec::IMAGE, "--port", "8080"])
        .args(["--exposure", "cluster"]);
    flags
        .run_with(["--caller", "a/B"])
        .usage_error()
        .stderr_has("spec.callers[0].app");
    flags
        .run_with(["--egress", "db/postgres"])
        .usage_error()
        .stderr_has("--egress");
    flags
        .run_with(["--port", "abc"])
        .usage_error()
        .stderr_has("--port");
}

/// BUG: a bad value given by flag over a file is reported at the file's line, e.g.
/// `kubeward render -f spec.yaml --namespace default` prints
/// `line 5: metadata.namespace: `default` is reserved` though line 5 says `namespace: shop`.
#[test]
fn bad_flag_value_over_a_file_is_not_blamed_on_a_file_line() {
    let run = Kubeward::new()
        .file("spec.yaml", BASE)
        .args(["render", "-f", "spec.yaml", "--namespace", "default"])
        .run();
    run.usage_error().stderr_has("metadata.namespace");
    assert!(
        !run.stderr.contains("line 5"),
        "the error points at the file's line 5, which holds `namespace: shop`\n{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------
// 5. Value safety
// ---------------------------------------------------------------------------------------

/// Where a hostile value is given.
enum Via {
    /// Lines appended to [`BASE`].
    Spec(&'static str),
    /// Extra flags on the command line.
    Flags(&'static [&'static str]),
    /// A replacement in the shipped restricted preset, used through `preset: ./preset.yaml`.
    /// A setting of a preset that extends `restricted`, as YAML under its `spec:`.
    Preset(&'static str),
}

/// A value that could break out of its place in a manifest: the field a refusal must
/// name, or the object and JSON pointer where an accepted value must land verbatim.
struct Hostile {
    name: &'static str,
    via: Via,
    field: &'static str,
    kind: &'static str,
    pointer: &'static str,
    value: &'static str,
}

const IMAGE: &str = "/spec/template/spec/containers/0/image";
const MEMORY: &str = "/spec/template/spec/containers/0/resources/limits/memory";
const READINESS: &str = "/spec/template/spec/containers/0/readinessProbe/httpGet/path";
const LIVENESS: &str = "/spec/template/spec/containers/0/livenessProbe/httpGet/path";
const TMP_MOUNT: &str = "/spec/template/spec/containers/0/volumeMounts/0/mountPath";
const PINNED: &str = "registry.example.com:5000/a/b:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

#[rustfmt::skip]
const HOSTILE: &[Hostile] = &[
    Hostile { name: "image flag with a document break",
        via: Via::Flags(&["--image", "ghcr.io/acme/api:1.0\n---\nkind: Pod"]),
        field: "spec.image", kind: "Deployment", pointer: IMAGE, value: "ghcr.io/acme/api:1.0\n---\nkind: Pod" },
    Hostile { name: "image flag with a comment",
        via: Via::Flags(&["--image", "ghcr.io/acme/api:1.0 # x"]),
        field: "spec.image", kind: "Deployment", pointer: IMAGE, value: "ghcr.io/acme/api:1.0 # x" },
    Hostile { name: "image flag with registry port and digest",
        via: Via::Flags(&["--image", PINNED]),
        field: "spec.image", kind: "Deployment", pointer: IMAGE, value: PINNED },
    Hostile { name: "memory limit override",
        via: Via::Spec("  resources:\n    limits:\n      memory: \"256Mi\"\n"),
        field: "spec.resources.limits.memory", kind: "Deployment", pointer: MEMORY, value: "256Mi" },
    Hostile { name: "memory limit with a document break",
        via: Via::Spec("  resources:\n    limits:\n      memory: \"256Mi\\n---\\nkind: Pod\"\n"),
        field: "spec.resources.limits.memory", kind: "Deployment", pointer: MEMORY,
        value: "256Mi\n---\nkind: Pod" },
    Hostile { name: "readiness path with a document break",
        via: Via::Spec("  probes:\n    readinessPath: \"/ready\\n---\\nkind: Pod\"\n"),
        field: "spec.probes.readinessPath", kind: "Deployment", pointer: READINESS,
        value: "/ready\n---\nkind: Pod" },
    Hostile { name: "readiness path with YAML and template syntax",
        via: Via::Spec("  probes:\n    readinessPath: '/ready\"}:#x{{evil}}---&a*b!c|>'\n"),
        field: "spec.probes.readinessPath", kind: "Deployment", pointer: READINESS,
        value: "/ready\"}:#x{{evil}}---&a*b!c|>" },
    Hostile { name: "liveness path with control characters",
        via: Via::Spec("  probes:\n    livenessPath: \"/live\\0\\e[31m\\uFEFF\"\n"),
        field: "spec.probes.livenessPath", kind: "Deployment", pointer: LIVENESS,
        value: "/live\0\u{1b}[31m\u{feff}" },
    Hostile { name: "cert-manager issuer name with bidirectional overrides and C1 controls",
        via: Via::Spec("  tls:\n    mode: cert-manager\n    issuer: { kind: ClusterIssuer, name: \"x\\u202E\\u2066\\x85\\x9B[2J\" }\n"),
        field: "spec.tls.issuer.name", kind: "Certificate", pointer: "/spec/issuerRef/name",
        value: "x\u{202e}\u{2066}\u{85}\u{9b}[2J" },
    Hostile { name: "ingress host with a document break",
        via: Via::Flags(&["--exposure", "public", "--host", "shop.example.com\n---\nkind: Pod"]),
        field: "spec.ingress.host", kind: "Ingress", pointer: "/spec/rules/0/host",
        value: "shop.example.com\n---\nkind: Pod" },
    Hostile { name: "cert-manager issuer name with a document break",
        via: Via::Spec("  tls:\n    mode: cert-manager\n    issuer: { kind: ClusterIssuer, name: \"x\\n---\\nkind: Pod\" }\n"),
        field: "spec.tls.issuer.name", kind: "Certificate", pointer: "/spec/issuerRef/name",
        value: "x\n---\nkind: Pod" },
    Hostile { name: "preset tmp mount path with a document break",
        via: Via::Preset("writableTmp: { mountPath: \"/tmp\\n---\\nkind: Pod\" }"),
        field: "writableTmp.mountPath", kind: "Deployment", pointer: TMP_MOUNT,
        value: "/tmp\n---\nkind: Pod" },
    Hostile { name: "preset pod security version with a document break",
        via: Via::Preset("podSecurityVersion: \"latest\\n---\\nkind: Pod\""),
        field: "podSecurityVersion", kind: "Namespace",
        pointer: "/metadata/labels/pod-security.kubernetes.io~1enforce-version",
        value: "latest\n---\nkind: Pod" },
];

/// Renders the case; Ok when it is refused naming its field, or rendered with exactly the
/// planned objects (one per file of `-o`) and the value verbatim where it belongs.
fn check_hostile(case: &Hostile) -> Result<(), String> {
    let fail = |why: String, run: &Run| Err(format!("{}: {why}\n{}", case.name, run.describe()));
    let mut kw = Kubeward::new().args(["render", "-f", "spec.yaml"]);
    let spec = match case.via {
        Via::Spec(extra) => base_plus(extra),
        Via::Flags(flags) => {
            kw = kw.args(flags.iter().copied());
            BASE.to_string()
        }
        Via::Preset(setting) => {
            let preset = format!(
                "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {{ name: hostile }}\nextends: restricted\nspec:\n  {setting}\n"
            );
            kw = kw.file("preset.yaml", &preset);
            base_plus("  preset: ./preset.yaml\n")
        }
    };
    let kw = kw.file("spec.yaml", &spec);
    let run = kw.run();
    let shown = |c: &char| *c != '\n' && kubeward::output::terminal::is_hidden(*c);
    if run.stdout.chars().any(|c| shown(&c)) || run.stderr.chars().any(|c| shown(&c)) {
        return fail("a character a terminal acts on is printed raw".into(), &run);
    }
    match run.code {
        Some(0) => {}
        Some(2) if run.stderr.contains(case.field) && !run.stderr.contains("panicked") => {
            return Ok(());
        }
        _ => return fail("neither rendered nor refused naming the field".into(), &run),
    }
    let docs = match serde_saphyr::from_multiple::<Value>(&run.stdout) {
        Ok(docs) => docs,
        Err(e) => return fail(format!("the stream does not parse: {e}"), &run),
    };
    // The hostile image values are tag-only: warned about, as any tag-only image.
    kw.run_with(["-o", "out"])
        .success_warning_only(&["tag-only-image"]);
    let planned = identities(&assert_bundle(&kw, &[]));
    if identities(&docs) != planned {
        return fail(
            format!("objects {:?}, planned {planned:?}", identities(&docs)),
            &run,
        );
    }
    let kinds = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("kind:"))
        .count();
    if kinds != planned.len() {
        return fail(
            format!(
                "{kinds} `kind:` lines for {} planned objects",
                planned.len()
            ),
            &run,
        );
    }
    let Some(doc) = docs.iter().find(|d| d["kind"] == case.kind) else {
        return fail(format!("no {} in the bundle", case.kind), &run);
    };
    match doc.pointer(case.pointer) {
        Some(Value::String(found)) if found == case.value => Ok(()),
        found => fail(
            format!(
                "{}{} is {found:?}, not the value given",
                case.kind, case.pointer
            ),
            &run,
        ),
    }
}

#[test]
fn hostile_values_are_rejected_or_rendered_verbatim_never_as_new_documents() {
    let failures: Vec<String> = HOSTILE
        .iter()
        .filter_map(|c| check_hostile(c).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------
// 6. Snapshots
// ---------------------------------------------------------------------------------------

/// `stream` with the value of every Secret `data` entry replaced by `<base64>` (after
/// checking it is base64), every CA bundle by its count of certificates, and the digest of the
/// mounted material by a placeholder (after checking it is one): keys and certificates are
/// generated anew in every fresh folder.
fn redact_secret_data(stream: &str) -> String {
    use base64::Engine;
    let (mut secret, mut data) = (false, false);
    let mut out = String::with_capacity(stream.len());
    for line in stream.lines() {
        match line {
            "---" => (secret, data) = (false, false),
            "kind: Secret" => secret = true,
            "data:" if secret => data = true,
            _ if !line.starts_with("  ") => data = false,
            _ => {}
        }
        // The expiry changes with the day of the render: its form is checked, not its value.
        if secret && let Some(at) = line.strip_prefix("    kubeward.dev/not-after: ") {
            let at = at.trim_matches('"');
            assert!(
                at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
                "not RFC 3339 UTC: {at}"
            );
            out.push_str("    kubeward.dev/not-after: <rfc3339>\n");
            continue;
        }
        match line.split_once(": ") {
            Some((key, value)) if key.trim() == MATERIAL_DIGEST_ANNOTATION => {
                let hex = value
                    .trim_matches('"')
                    .strip_prefix("hmac-sha256:")
                    .unwrap();
                assert!(
                    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{line}"
                );
                out.push_str(&format!("{key}: <sha256 of the mounted material>\n"));
            }
            Some((key, value)) if data && line.starts_with("  ") => {
                let value = value.trim_matches('"');
                base64::engine::general_purpose::STANDARD
                    .decode(value)
                    .unwrap_or_else(|e| panic!("{key} is not base64 ({e}): {value}"));
                out.push_str(&format!("{key}: <base64>\n"));
            }
            // A CA bundle (a ConfigMap): certificates, new in every state folder.
            Some((key, value)) if value.starts_with("\"-----BEGIN CERTIFICATE-----") => {
                let count = value.matches("-----BEGIN CERTIFICATE-----").count();
                out.push_str(&format!("{key}: <{count} PEM certificate(s)>\n"));
            }
            _ => out.push_str(&format!("{line}\n")),
        }
    }
    out
}

#[test]
fn examples_render_to_their_snapshots() {
    for (name, path) in common::spec::examples() {
        // Rendered from a copy, so that no state folder lands in tests/examples.
        let run = Kubeward::new()
            .example(&name)
            .args(["render", "-f", "kubeward.yaml"])
            .run();
        run.example_success(&path);
        insta::assert_snapshot!(name.as_str(), redact_secret_data(&run.stdout));
    }
}

#[test]
fn a_clear_text_probe_port_carries_the_probes_and_nothing_else() {
    let spec = base_plus("  protocol: grpc\n  sensitivity: internal\n  probes:\n    port: 8081\n");
    let kw = Kubeward::new()
        .file("kubeward.yaml", &spec)
        .args(["render", "-f", "kubeward.yaml"]);
    let docs = kw.run().success().documents();
    let deployment = find(&docs, "Deployment", "api");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        container["ports"][1],
        serde_json::json!({"name": "health", "containerPort": 8081, "protocol": "TCP"})
    );
    assert_eq!(container["readinessProbe"]["grpc"]["port"], 8081);
    assert_eq!(container["livenessProbe"]["tcpSocket"]["port"], "health");
    // Callers reach the service's port only: the health port is for the kubelet.
    let service = find(&docs, "Service", "api");
    assert_eq!(service["spec"]["ports"].as_array().unwrap().len(), 1);
    let policy = find(&docs, "NetworkPolicy", "api");
    assert!(
        !serde_json::to_string(policy).unwrap().contains("8081"),
        "{policy}"
    );
}

/// Renders `extra` over the base spec and returns the run, for refusals.
fn render_plus(extra: &str) -> Run {
    Kubeward::new()
        .file("kubeward.yaml", &base_plus(extra))
        .args(["render", "-f", "kubeward.yaml"])
        .run()
}

#[test]
fn grpc_over_tls_needs_a_clear_text_probe_port_and_http_never_carries_a_certificate() {
    // The kubelet's gRPC probe speaks no TLS: TLS on (by default or asked) needs probes.port.
    for extra in [
        "  protocol: grpc\n  sensitivity: internal\n",
        "  protocol: grpc\n  tls: {mode: self-signed}\n",
        "  protocol: grpc\n  tls: {mode: cert-manager, issuer: {name: internal}}\n",
    ] {
        let run = render_plus(extra);
        assert_eq!(run.code, Some(2), "{extra}: {}", run.describe());
        assert!(
            run.stderr
                .contains("spec.probes.port: is required for protocol grpc")
                && run.stderr.contains("line "),
            "{extra}: {}",
            run.describe()
        );
        assert!(run.stdout.is_empty());
    }
    // Its neighbours render: gRPC in clear text, TLS with a health port, https with TLS.
    for extra in [
        "  protocol: grpc\n  sensitivity: internal\n  tls: {mode: none}\n",
        "  protocol: grpc\n  sensitivity: internal\n  probes: {port: 8081}\n",
        "  protocol: https\n  sensitivity: restricted\n  replicas: 2\n",
    ] {
        let run = render_plus(extra);
        assert_eq!(run.code, Some(0), "{extra}: {}", run.describe());
    }
    // http with a certificate: the probes and the Service would say clear text.
    // The message says where the certificate came from: the default of the sensitivity, or
    // the spec's own tls.mode.
    for (extra, why) in [
        (
            "  protocol: http\n  sensitivity: restricted\n  replicas: 2\n",
            "tls.mode is `self-signed`, the default at sensitivity restricted:",
        ),
        (
            "  protocol: http\n  tls: {mode: self-signed}\n",
            "tls.mode is `self-signed`: if",
        ),
    ] {
        let run = render_plus(extra);
        assert_eq!(run.code, Some(2), "{extra}: {}", run.describe());
        assert!(
            run.stderr
                .contains(&format!("spec.protocol: `http` is clear text, but {why}"))
                && run.stderr.contains("set protocol `https`"),
            "{extra}: {}",
            run.describe()
        );
    }
}

#[test]
fn dns_egress_to_an_address_range_is_a_validation_error_not_a_failed_self_check() {
    for cidr in ["8.0.0.0/5", "0.0.0.0/0", "::/0", "2001:db8::/64"] {
        let run = render_plus(&format!(
            "  egress:\n    - cidr: {cidr}\n      port: 53\n      protocol: UDP\n"
        ));
        assert_eq!(run.code, Some(2), "{cidr}: {}", run.describe());
        assert!(
            run.stderr.contains(&format!(
                "line 11: spec.egress[0].cidr: port 53 to the range {cidr}"
            )),
            "{cidr}: {}",
            run.describe()
        );
    }
    // One resolver's address, and other ports to a range, render.
    for (cidr, port) in [
        ("8.8.8.8/32", 53),
        ("2001:db8::53/128", 53),
        ("8.0.0.0/5", 443),
    ] {
        let run = render_plus(&format!(
            "  egress:\n    - cidr: {cidr}\n      port: {port}\n      protocol: UDP\n"
        ));
        assert_eq!(run.code, Some(0), "{cidr}:{port}: {}", run.describe());
    }
}

#[test]
fn pod_security_enforces_a_pinned_version_and_warns_at_the_latest() {
    let labels = |docs: &[Value]| find(docs, "Namespace", "shop")["metadata"]["labels"].clone();
    let shipped = labels(&render_plus("").success().documents());
    assert_eq!(
        shipped["pod-security.kubernetes.io/enforce-version"],
        "v1.35"
    );
    assert_eq!(
        shipped["pod-security.kubernetes.io/audit-version"],
        "latest"
    );
    assert_eq!(shipped["pod-security.kubernetes.io/warn-version"], "latest");
    // A preset pins the minor its clusters run.
    let preset = "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: { name: org }\nextends: restricted\nspec:\n  podSecurityVersion: v1.37\n";
    let run = Kubeward::new()
        .file("preset.yaml", preset)
        .file("kubeward.yaml", &base_plus("  preset: ./preset.yaml\n"))
        .args(["render", "-f", "kubeward.yaml"])
        .run();
    let org = labels(&run.success().documents());
    assert_eq!(org["pod-security.kubernetes.io/enforce-version"], "v1.37");
    assert_eq!(org["pod-security.kubernetes.io/warn-version"], "latest");
}

#[test]
fn a_tls_secret_carries_its_certificate_expiry() {
    use base64::Engine;
    let docs = render_plus("  protocol: https\n  sensitivity: internal\n")
        .success()
        .documents();
    let secret = find(&docs, "Secret", "api-tls");
    let written = secret["metadata"]["annotations"]["kubeward.dev/not-after"]
        .as_str()
        .unwrap();
    let pem = base64::engine::general_purpose::STANDARD
        .decode(secret["data"]["tls.crt"].as_str().unwrap())
        .unwrap();
    let not_after = kubeward::material::pki::not_after(&pem).unwrap();
    assert_eq!(written, kubeward::material::pki::rfc3339(not_after));
    // The preset's 90 days, from today.
    let days = (not_after - time::OffsetDateTime::now_utc()).whole_days();
    assert!((89..=90).contains(&days), "{written}");
}

// ---------------------------------------------------------------------------------------
// 7. Warnings
// ---------------------------------------------------------------------------------------

/// The base spec on a tag-only image (rendered with its exemptions, and warned about), with a
/// generated secret, so that a render writes the state folder.
fn tag_only() -> Kubeward {
    let spec = base_with(common::spec::IMAGE, "ghcr.io/acme/api:1.0.0")
        + "  secrets:\n    - {name: token, generate: {}}\n";
    Kubeward::new()
        .file("kubeward.yaml", &spec)
        .args(["render", "-f", "kubeward.yaml"])
}

#[test]
fn a_warning_reaches_stderr_without_a_terminal_and_with_quiet() {
    for quiet in [false, true] {
        let kw = tag_only();
        let run = match quiet {
            false => kw.run_with(["-o", "out"]),
            true => kw.run_with(["-o", "out", "--quiet"]),
        };
        run.success_warning_only(&["tag-only-image"]);
        assert_eq!(
            run.stderr,
            "warning: the image `ghcr.io/acme/api:1.0.0` is pinned by tag only: kubeward writes the exemptions checkov.io/skip CKV_K8S_43 and kubeward.dev/ignore KW-SEC-018 on the Deployment; pin it by digest (repo:tag@sha256:...) to remove them [tag-only-image]\n",
            "quiet: {quiet}"
        );
        assert!(
            kw.path("out/kustomization.yaml").is_file(),
            "quiet: {quiet}"
        );
    }
}

#[test]
fn egress_to_the_cloud_metadata_service_is_warned_about_and_ipv6_never_leads_back_into_ipv4() {
    for cidr in ["169.254.169.254/32", "169.254.0.0/16", "169.254.169.0/24"] {
        let run = render_plus(&format!("  egress:\n    - {{cidr: {cidr}, port: 80}}\n"));
        run.success_warning_only(&["metadata-egress"]);
        assert!(
            run.stderr
                .contains(&format!("spec.egress allows {cidr} on port 80"))
        );
    }
    // Carved out of wider ranges, and not in neighbouring ones: no warning.
    for cidr in ["0.0.0.0/0", "169.254.0.0/24", "::/0"] {
        let run = render_plus(&format!(
            "  egress:\n    - {{cidr: \"{cidr}\", port: 80}}\n"
        ));
        assert!(run.stderr.is_empty(), "{cidr}: {}", run.describe());
    }
    let run = render_plus("  egress:\n    - {cidr: \"::/0\", port: 443}\n");
    let docs = run.success().documents();
    let policy = find(&docs, "NetworkPolicy", "api");
    let except = &policy["spec"]["egress"][1]["to"][0]["ipBlock"]["except"];
    assert_eq!(
        except,
        &json!([
            "fc00::/7",
            "fe80::/10",
            "64:ff9b::/96",
            "64:ff9b:1::/48",
            "::ffff:0.0.0.0/96"
        ]),
        "{policy}"
    );
    // A preset names the cluster's own ranges outside the private ones: carved out too, once,
    // from the ranges that contain them only.
    let preset = "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: { name: dual-stack }\nextends: restricted\nspec:\n  clusterRanges: { pods: [\"2001:db8:42::/56\"], services: [10.96.0.0/12], nodes: [198.51.100.0/24] }\n";
    let run = Kubeward::new()
        .file("preset.yaml", preset)
        .file(
            "kubeward.yaml",
            &base_plus("  preset: ./preset.yaml\n  egress:\n    - {cidr: \"::/0\", port: 443}\n    - {cidr: 0.0.0.0/0, port: 443}\n    - {cidr: 198.51.100.0/25, port: 443}\n"),
        )
        .args(["render", "-f", "kubeward.yaml"])
        .run();
    let docs = run.success().documents();
    let egress = &find(&docs, "NetworkPolicy", "api")["spec"]["egress"];
    let except = |i: usize| egress[i]["to"][0]["ipBlock"]["except"].clone();
    assert_eq!(except(1)[5], "2001:db8:42::/56", "{egress}");
    let v4 = except(2);
    assert!(
        v4.as_array().unwrap().contains(&json!("198.51.100.0/24")),
        "{v4}"
    );
    assert!(
        !v4.as_array().unwrap().contains(&json!("10.96.0.0/12")),
        "inside 10/8: {v4}"
    );
    assert!(
        except(3).is_null(),
        "named exactly, inside a node range: {egress}"
    );
}

#[test]
fn deny_warnings_refuses_with_exit_2_and_writes_nothing_not_even_the_state() {
    for output in [true, false] {
        let kw = tag_only();
        let run = match output {
            true => kw.run_with(["-o", "out", "--deny-warnings"]),
            false => kw.run_with(["--deny-warnings"]),
        };
        assert_eq!(run.code, Some(2), "{}", run.describe());
        assert!(run.stdout.is_empty(), "{}", run.describe());
        assert!(
            run.stderr.starts_with(
                "error: 1 warning(s), and --deny-warnings makes them errors; nothing was written:\n  - the image `ghcr.io/acme/api:1.0.0` is pinned by tag only"
            ) && run.stderr.trim_end().ends_with("[tag-only-image]"),
            "{}",
            run.describe()
        );
        assert_eq!(kw.entries(""), ["kubeward.yaml"], "{}", run.describe());
    }
    // A bundle without warnings passes the same flag.
    let pinned = Kubeward::new().file("kubeward.yaml", BASE).args([
        "render",
        "-f",
        "kubeward.yaml",
        "--deny-warnings",
        "-o",
        "out",
    ]);
    pinned.run().success();
}

#[test]
fn the_warning_prefix_is_coloured_with_color_always() {
    let run = tag_only().run_with(["--color", "always"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(
        run.stderr
            .starts_with("\x1b[1;33mwarning:\x1b[0m the image"),
        "{}",
        run.describe()
    );
}

#[test]
fn init_warns_before_it_writes_and_deny_warnings_keeps_the_spec_unwritten() {
    let init = |extra: &[&str]| {
        let kw = Kubeward::new()
            .args([
                "init",
                "--yes",
                "--spec-only",
                "--name",
                "api",
                "-n",
                "shop",
            ])
            .args(["--image", "ghcr.io/acme/api:1.0.0", "--port", "8080"])
            .args(extra.iter().copied());
        let run = kw.run();
        (kw, run)
    };
    let (kw, run) = init(&[]);
    run.success_warning_only(&["tag-only-image"]);
    assert!(
        run.stderr.contains("[tag-only-image]"),
        "{}",
        run.describe()
    );
    assert!(kw.path("kubeward.yaml").is_file());
    let (kw, run) = init(&["--deny-warnings"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains("[tag-only-image]"),
        "{}",
        run.describe()
    );
    assert!(kw.entries("").is_empty(), "{:?}", kw.entries(""));
}

/// [`BASE`] with API access to one ConfigMap (`apiAccess` on line 10), and `preset` first
/// when given.
fn api_client(preset: Option<&str>) -> String {
    let spec = base_plus(
        "  apiAccess:\n    - {resources: [configmaps], verbs: [get], resourceNames: [api-config]}\n",
    );
    match preset {
        Some(preset) => spec.replacen("spec:\n", &format!("spec:\n  preset: {preset}\n"), 1),
        None => spec,
    }
}

/// The `(cidr, ports)` of the service's egress rules to address ranges.
fn range_egress(docs: &[Value]) -> Vec<(String, Value)> {
    let egress = &find(docs, "NetworkPolicy", "api")["spec"]["egress"];
    egress
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|rule| {
            let cidr = rule["to"][0]["ipBlock"]["cidr"].as_str()?;
            Some((cidr.to_string(), rule["ports"].clone()))
        })
        .collect()
}

/// The address ranges the service's NetworkPolicy lets it reach, of a render that succeeded.
fn range_cidrs(run: Run) -> Vec<String> {
    range_egress(&run.success().documents())
        .into_iter()
        .map(|(cidr, _)| cidr)
        .collect()
}

#[test]
fn api_access_without_the_api_servers_endpoints_is_refused_saying_what_to_set() {
    let kw = Kubeward::new()
        .file("kubeward.yaml", &api_client(None))
        .args(["render", "-f", "kubeward.yaml", "-o", "out"]);
    let run = kw.run();
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stdout.is_empty(), "{}", run.describe());
    assert_eq!(kw.entries(""), ["kubeward.yaml"], "nothing is written");
    let problem = run
        .stderr
        .lines()
        .find(|l| l.contains("spec.apiAccess"))
        .unwrap_or_else(|| panic!("no problem at spec.apiAccess: {}", run.describe()));
    assert!(
        problem.starts_with("  - line 10: spec.apiAccess: "),
        "{problem}"
    );
    for needed in [
        "apiServer.cidrs",
        "endpoint",
        "apiServer.ports (443, 6443)",
        "--api-server-cidr CIDR",
        "10.96.0.1",
        "toEntities: [kube-apiserver]",
    ] {
        assert!(problem.contains(needed), "lacks {needed:?}: {problem}");
    }
    assert!(
        run.stderr.contains("(1 problem)"),
        "only that problem: {}",
        run.describe()
    );
}

#[test]
fn api_server_cidr_gives_the_endpoints_on_the_presets_ports() {
    // The flag replaces the preset's addresses (openshift names 10.0.0.0/16 on 6443).
    for (preset, ports) in [
        (None, json!([443, 6443])),
        (Some("openshift"), json!([6443])),
    ] {
        let run = Kubeward::new()
            .file("kubeward.yaml", &api_client(preset))
            .args([
                "render",
                "-f",
                "kubeward.yaml",
                "--api-server-cidr",
                "192.0.2.10",
            ])
            .run();
        let docs = run.success().documents();
        let tcp: Vec<Value> = ports
            .as_array()
            .unwrap()
            .iter()
            .map(|p| json!({"protocol": "TCP", "port": p}))
            .collect();
        assert_eq!(
            range_egress(&docs),
            [("192.0.2.10/32".to_string(), json!(tcp))],
            "{preset:?}: exactly the endpoint, on the preset's ports"
        );
    }
    // Repeated: each endpoint, in the order given.
    let run = Kubeward::new()
        .file("kubeward.yaml", &api_client(None))
        .args(["render", "-f", "kubeward.yaml"])
        .args([
            "--api-server-cidr",
            "192.0.2.10/32",
            "--api-server-cidr",
            "2001:db8::10",
        ])
        .run();
    assert_eq!(range_cidrs(run), ["192.0.2.10/32", "2001:db8::10/128"]);
    // A system: every service gets them.
    let run = Kubeward::new()
        .file("specs/kubeward.yaml", &api_client(None))
        .args([
            "render",
            "-f",
            "specs",
            "--api-server-cidr",
            "192.0.2.10/32",
        ])
        .run();
    assert_eq!(range_cidrs(run), ["192.0.2.10/32"]);
}

#[test]
fn an_api_server_address_that_is_not_a_cidr_or_is_a_service_address_is_refused() {
    let services = "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: { name: kubeadm }\nextends: restricted\nspec:\n  clusterRanges: { services: [10.96.0.0/12] }\n";
    let cases = [
        ("10.96.0.1/33", None, "not a prefix length"),
        ("10.0.0.1/8", None, "host bits"),
        ("api.example.com", None, "is not an IPv4 or IPv6 address"),
        (
            "10.96.0.1/32",
            Some("./preset.yaml"),
            "lies in the Service range 10.96.0.0/12",
        ),
        (
            "10.96.0.0/12",
            Some("./preset.yaml"),
            "lies in the Service range 10.96.0.0/12",
        ),
    ];
    for (cidr, preset, why) in cases {
        let kw = Kubeward::new()
            .file("preset.yaml", services)
            .file("kubeward.yaml", &api_client(preset))
            .args([
                "render",
                "-f",
                "kubeward.yaml",
                "-o",
                "out",
                "--api-server-cidr",
                cidr,
            ]);
        let run = kw.run();
        assert_eq!(run.code, Some(2), "{cidr}: {}", run.describe());
        assert!(
            run.stderr.contains("  - --api-server-cidr: ") && run.stderr.contains(why),
            "{cidr}: {}",
            run.describe()
        );
        assert_eq!(
            kw.entries(""),
            ["kubeward.yaml", "preset.yaml"],
            "{cidr}: nothing written"
        );
    }
    // Just outside the Service range: an endpoint.
    let run = Kubeward::new()
        .file("preset.yaml", services)
        .file("kubeward.yaml", &api_client(Some("./preset.yaml")))
        .args([
            "render",
            "-f",
            "kubeward.yaml",
            "--api-server-cidr",
            "10.112.0.1",
        ])
        .run();
    run.success();
    // In the preset itself: refused at its field and line.
    let vip = format!("{services}  apiServer: {{ cidrs: [10.96.0.1/32] }}\n");
    let kw = Kubeward::new()
        .file("preset.yaml", &vip)
        .file("kubeward.yaml", &api_client(Some("./preset.yaml")))
        .args(["render", "-f", "kubeward.yaml", "-o", "out"]);
    let run = kw.run();
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains(
            "line 7: spec.apiServer.cidrs[0]: `10.96.0.1/32` lies in the Service range 10.96.0.0/12"
        ),
        "{}",
        run.describe()
    );
    assert_eq!(kw.entries(""), ["kubeward.yaml", "preset.yaml"]);
}
