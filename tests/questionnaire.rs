//! `kubeward init` in a real pseudo-terminal: expectrl types the answers into the actual
//! binary, and a terminal emulator (vt100) rebuilds the screen a person would see. Every step
//! waits for the text it needs (never for a fixed time), with a generous limit.
#![cfg(unix)]

use std::fs;
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Expect, Session};

mod common;
use common::book::BookPage;
use common::entries;

const BOOK_PAGE: &str = "how-to/questionnaire.md";

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";
/// The terminal's "show cursor" sequence.
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
/// The questions after the exposure (and the entry), in order, down to the confirmation.
const AFTER_EXPOSURE: [&str; 8] = [
    "How sensitive is the data it handles?",
    "Scale the number of pods with the load",
    "Does it call anything?",
    "Does it call the Kubernetes API?",
    "Secret name (Enter if none)",
    "TLS on its own port",
    "Which service mesh does the cluster run?",
    "Write kubeward.yaml and render the bundle into k8s?",
];

/// The longest one step may take on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

const IMAGE: &str = "ghcr.io/acme/payments-api:1.4.2@sha256:3b2e5f8a9c1d4e7f6a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f";

/// Flags that answer the identity, exposure, sensitivity, scaling and mesh of a plain HTTP
/// service `api`.
const HTTP_SERVICE: &[&str] = &[
    "--name",
    "api",
    "-n",
    "shop",
    "--image",
    IMAGE,
    "--port",
    "8080",
    "--protocol",
    "http",
    "--exposure",
    "namespace",
    "--sensitivity",
    "internal",
    "--autoscaling",
    "off",
    "--mesh",
    "none",
];

/// `kubeward init` running in a pseudo-terminal of 80 columns.
struct Terminal {
    session: OsSession,
    screen: vt100::Parser,
    /// Every byte the program wrote, as far as read.
    output: Vec<u8>,
}

impl Terminal {
    /// `kubeward init ARGS` with these environment variables set too, without answering the
    /// platform question.
    fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(common::run::binary());
        command
            .arg("init")
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env_remove("KUBEWARD_REQUIRED_PRESET")
            .envs(env.iter().copied());
        let session = Session::spawn(command).expect("kubeward starts in a pty");
        let (rows, cols) = (NonZeroU16::new(1000).unwrap(), NonZeroU16::new(80).unwrap());
        Terminal {
            session,
            screen: vt100::Parser::new(rows, cols, 0),
            output: Vec::new(),
        }
    }

    /// `kubeward init ARGS`; without a preset, the first question is the platform, answered
    /// with its default (plain Kubernetes).
    fn start(dir: &Path, args: &[&str]) -> Self {
        Self::start_with_env(dir, args, &[])
    }

    /// [`Terminal::start`] with these environment variables set too.
    fn start_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut terminal = Terminal::spawn(dir, args, env);
        if !args.iter().any(|a| a.starts_with("--preset")) && !args.contains(&"--yes") {
            terminal.answer("Which platform does it run on?", ENTER);
        }
        terminal
    }

    /// Waits until the program has written `text`.
    fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.session.check(text) {
                Ok(found) if !found.is_empty() => {
                    self.screen.process(found.as_bytes());
                    self.output.extend_from_slice(found.as_bytes());
                    return;
                }
                Ok(_) if Instant::now() < deadline => sleep(Duration::from_millis(5)),
                Ok(_) => panic!(
                    "no {text:?} in {PATIENCE:?}; the screen:\n{}",
                    self.screen()
                ),
                Err(e) => panic!("waiting for {text:?}: {e}; the screen:\n{}", self.screen()),
            }
        }
    }

    /// Answers the question whose prompt holds `prompt` by typing `keys`.
    fn answer(&mut self, prompt: &str, keys: &str) {
        self.expect(prompt);
        self.session.send(keys).unwrap();
    }

    /// Takes the default of each question in turn.
    fn defaults(&mut self, prompts: &[&str]) {
        for prompt in prompts {
            self.answer(prompt, ENTER);
        }
    }

    /// The screen as text: each row without trailing blanks, no empty rows at the end.
    fn screen(&self) -> String {
        let contents = self.screen.screen().contents();
        let lines: Vec<&str> = contents.lines().map(str::trim_end).collect();
        lines.join("\n").trim_end().to_string()
    }

    /// Waits for `last` and then for the program's end; returns its exit code.
    fn finish(&mut self, last: &str) -> i32 {
        self.expect(last);
        let process = self.session.get_process();
        let deadline = Instant::now() + PATIENCE;
        loop {
            match process.status().unwrap() {
                WaitStatus::Exited(_, code) => return code,
                WaitStatus::StillAlive if Instant::now() < deadline => {
                    sleep(Duration::from_millis(5))
                }
                other => panic!("kubeward did not exit: {other:?}\n{}", self.screen()),
            }
        }
    }
}

fn spec_body(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("kubeward.yaml")).unwrap();
    text.lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn picking_openshift_writes_its_preset_and_renders_a_route() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::spawn(dir.path(), &[], &[]);
    t.answer("Which platform does it run on?", &format!("{DOWN}{ENTER}"));
    t.answer("Service name", &format!("shop{ENTER}"));
    t.answer("Namespace it runs in", &format!("shop{ENTER}"));
    t.answer("Container image", &format!("{IMAGE}{ENTER}"));
    t.answer("Port the container listens on", &format!("8080{ENTER}"));
    t.answer("Protocol it speaks on that port", ENTER);
    t.answer("App that calls it (Enter if none)", ENTER);
    t.answer(
        "How far should it be reachable?",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );
    t.answer("Public host name", &format!("shop.apps.example.com{ENTER}"));
    t.answer("What carries the public entry?", ENTER);
    t.answer("Only clients from these address ranges", ENTER);
    for prompt in AFTER_EXPOSURE {
        t.answer(prompt, ENTER);
    }
    assert_eq!(
        t.finish("apply it with `kubectl apply -k k8s`"),
        0,
        "{}",
        t.screen()
    );
    let body = spec_body(dir.path());
    assert!(body.contains("preset: openshift"), "{body}");
    let route = fs::read_to_string(dir.path().join("k8s/route-shop.yaml")).unwrap();
    assert!(route.contains("termination: edge"), "{route}");
    let deployment = fs::read_to_string(dir.path().join("k8s/deployment-shop.yaml")).unwrap();
    assert!(!deployment.contains("runAsUser:"), "{deployment}");
}

#[test]
fn accepting_every_default_writes_and_renders_a_service() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(dir.path(), &[]);
    t.answer("Service name", &format!("api{ENTER}"));
    t.answer("Namespace it runs in", &format!("shop{ENTER}"));
    t.answer("Container image", &format!("{IMAGE}{ENTER}"));
    t.answer("Port the container listens on", &format!("8080{ENTER}"));
    for prompt in [
        "Protocol it speaks on that port",
        "App that calls it (Enter if none)",
        "How far should it be reachable?",
    ]
    .into_iter()
    .chain(AFTER_EXPOSURE)
    {
        t.answer(prompt, ENTER);
    }
    assert_eq!(t.finish("apply it with `kubectl apply -k k8s`"), 0);
    assert_eq!(
        entries(dir.path()),
        ["k8s", "kubeward.schema.json", "kubeward.yaml"]
    );
    assert_eq!(
        spec_body(dir.path()),
        format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  image: {IMAGE}\n  port: 8080\n  protocol: http\n  exposure: namespace\n  sensitivity: internal\n"
        )
    );
    assert!(dir.path().join("k8s/kustomization.yaml").is_file());
}

#[test]
fn no_port_makes_a_worker_that_is_asked_nothing_a_port_would_need() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(dir.path(), &[]);
    t.answer("Service name", &format!("jobs{ENTER}"));
    t.answer("Namespace it runs in", &format!("shop{ENTER}"));
    t.answer("Container image", &format!("{IMAGE}{ENTER}"));
    t.answer(
        "Port the container listens on (Enter if none: a worker)",
        ENTER,
    );
    t.expect("A worker: no Service, no callers");
    // No protocol, caller, exposure or TLS question: the next is the sensitivity.
    for prompt in [
        "How sensitive is the data it handles?",
        "Scale the number of pods with the load",
        "Does it call anything?",
        "Does it call the Kubernetes API?",
        "Secret name (Enter if none)",
        "Which service mesh does the cluster run?",
        "Write kubeward.yaml and render the bundle into k8s?",
    ] {
        t.answer(prompt, ENTER);
    }
    assert_eq!(t.finish("apply it with `kubectl apply -k k8s`"), 0);
    assert_eq!(
        spec_body(dir.path()),
        format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata:\n  name: jobs\n  namespace: shop\nspec:\n  image: {IMAGE}\n  sensitivity: internal\n"
        )
    );
    assert!(dir.path().join("k8s/deployment-jobs.yaml").is_file());
    assert!(!dir.path().join("k8s/service-jobs.yaml").exists());
}

#[test]
fn a_public_service_is_asked_about_its_entry_and_its_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(
        dir.path(),
        &[
            "--spec-only",
            "--name",
            "web",
            "-n",
            "shop",
            "--image",
            IMAGE,
            "--port",
            "8080",
        ],
    );
    t.answer("Protocol it speaks on that port", ENTER);
    t.answer("App that calls it", ENTER);
    t.answer(
        "How far should it be reachable?",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );
    t.answer("Public host name", &format!("shop.example.com{ENTER}"));
    t.answer("What carries the public entry?", ENTER);
    t.answer("Gateway it is routed through", ENTER);
    t.answer("Its HTTPS listener", ENTER);
    t.answer(
        "Requests a second one client address may make",
        &format!("{}15{ENTER}", "\x7f".repeat(4)),
    );
    t.answer("Largest request body", ENTER);
    t.answer("Longest a request may take", ENTER);
    t.answer(
        "Only clients from these address ranges",
        &format!("203.0.113.0/24{ENTER}"),
    );
    t.answer("How sensitive is the data it handles?", ENTER);
    t.answer("Scale the number of pods with the load", "y");
    t.answer("Fewest pods", &format!("{}1{ENTER}", "\x7f".repeat(4)));
    t.expect("an autoscaler keeps 2 to 999 pods");
    t.answer("Fewest pods", &format!("{}4{ENTER}", "\x7f".repeat(4)));
    t.answer("Most pods", &format!("{}20{ENTER}", "\x7f".repeat(4)));
    t.answer("Does it call anything?", ENTER);
    t.answer("Does it call the Kubernetes API?", ENTER);
    t.answer("Secret name", ENTER);
    t.answer("TLS on its own port", ENTER);
    t.answer("Which service mesh does the cluster run?", ENTER);
    t.answer("Write kubeward.yaml?", ENTER);
    assert_eq!(t.finish("wrote kubeward.yaml"), 0);
    let body = spec_body(dir.path());
    assert!(
        body.contains(
            "  autoscaling:\n    enabled: true\n    minReplicas: 4\n    maxReplicas: 20\n"
        ),
        "{body}"
    );
    assert!(
        body.contains("  ingress:\n    host: shop.example.com\n    sourceRanges:\n    - 203.0.113.0/24\n    rateLimit:\n      requestsPerSecond: 15\n"),
        "only what differs from the preset is written: {body}"
    );
}

#[test]
fn a_bad_answer_is_asked_again_with_its_reason_and_given_flags_are_not_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(dir.path(), &["--spec-only", "--namespace", "shop"]);
    t.answer("Service name", &format!("Payments{ENTER}"));
    t.expect("`Payments` is not a DNS-1123 label");
    t.expect("Service name (lowercase letters, digits and '-') ›");
    let reask = BookPage::read(BOOK_PAGE).block("reask", "text");
    assert!(
        t.screen().ends_with(reask.trim_end()),
        "the book shows what a bad answer looks like:\n{}",
        t.screen()
    );
    t.session.send(format!("payments{ENTER}")).unwrap();
    t.answer(
        "Container image",
        &format!("ghcr.io/acme/api:latest{ENTER}"),
    );
    t.expect("uses the mutable tag `latest`");
    t.answer("Container image", &format!("{IMAGE}{ENTER}"));
    t.answer("Port the container listens on", &format!("http{ENTER}"));
    t.expect("`http` is not a port: use 1-65535");
    t.answer("Port the container listens on", &format!("99999{ENTER}"));
    t.expect("99999 is not a port: use 1-65535");
    t.answer("Port the container listens on", &format!("8443{ENTER}"));
    t.answer("Protocol it speaks on that port", &format!("{DOWN}{ENTER}"));
    t.answer("App that calls it", ENTER);
    t.answer("How far should it be reachable?", ENTER);
    t.answer(
        "How sensitive is the data it handles?",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );
    t.answer("Scale the number of pods with the load", ENTER);
    t.answer("Does it call anything?", ENTER);
    t.answer("Does it call the Kubernetes API?", ENTER);
    t.answer("Secret name", ENTER);
    // Restricted data defaults to TLS; `none` is refused with the spec's reason, and the
    // cursor moves off it onto the next allowed choice, so Enter takes that one.
    t.answer("TLS on its own port", &format!("{UP}{ENTER}"));
    t.expect("sensitivity restricted refuses `none`");
    t.answer("TLS on its own port", ENTER);
    // Linkerd would refuse the kubelet's HTTPS probes: refused with the spec's reason.
    t.answer(
        "Which service mesh does the cluster run?",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );
    t.expect("Linkerd's default probe routes admit it for clear-text HTTP probes only");
    // The cursor moved off the refused choice onto the next allowed one, `none` (it wraps
    // round): one down is `istio`.
    t.answer(
        "Which service mesh does the cluster run?",
        &format!("{DOWN}{ENTER}"),
    );
    t.answer("Write kubeward.yaml?", ENTER);
    assert_eq!(t.finish("wrote kubeward.yaml"), 0);
    assert!(
        !t.screen().contains("Namespace it runs in"),
        "--namespace was given: not asked\n{}",
        t.screen()
    );
    assert_eq!(
        entries(dir.path()),
        ["kubeward.schema.json", "kubeward.yaml"],
        "--spec-only"
    );
    let body = spec_body(dir.path());
    assert!(
        body.contains("  name: payments\n  namespace: shop\n"),
        "{body}"
    );
    assert!(body.contains("  port: 8443\n  protocol: https\n"), "{body}");
    assert!(body.contains("  sensitivity: restricted\n"), "{body}");
    assert!(!body.contains("tls"), "self-signed is the default: {body}");
    assert!(body.contains("  mesh: istio\n"), "{body}");
}

/// The walkthrough in the book: its transcript and its spec are this run's, exactly.
#[test]
fn several_callers_and_the_book_walkthrough() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(dir.path(), &[]);
    t.answer("Service name", &format!("payments-api{ENTER}"));
    t.answer("Namespace it runs in", &format!("payments{ENTER}"));
    t.answer("Container image", &format!("{IMAGE}{ENTER}"));
    t.answer("Port the container listens on", &format!("8080{ENTER}"));
    t.answer("Protocol it speaks on that port", ENTER);
    t.answer("App that calls it (Enter if none)", &format!("web{ENTER}"));
    t.answer("Namespace of `web`", &format!("checkout{ENTER}"));
    t.answer(
        "Another app that calls it",
        &format!("billing-worker{ENTER}"),
    );
    t.answer("Namespace of `billing-worker`", ENTER);
    t.answer("Another app that calls it", &format!("reports{ENTER}"));
    t.answer("Namespace of `reports`", &format!("analytics{ENTER}"));
    t.answer("Another app that calls it", ENTER);
    // A caller from another namespace rules out `namespace`: refused with the spec's reason,
    // and the cursor is back on `cluster`, so Enter takes it.
    t.answer("How far should it be reachable?", &format!("{UP}{ENTER}"));
    t.expect("is outside namespace `payments`, but exposure is `namespace`");
    t.answer("How far should it be reachable?", ENTER);
    t.answer(
        "How sensitive is the data it handles?",
        &format!("{DOWN}{ENTER}"),
    );
    t.answer("Scale the number of pods with the load", ENTER);
    t.answer("Does it call anything?", &format!("{DOWN}{ENTER}"));
    t.answer("App it calls", &format!("postgres{ENTER}"));
    t.answer("Namespace of `postgres`", &format!("db{ENTER}"));
    t.answer("Port on `postgres`", &format!("5432{ENTER}"));
    t.answer(
        "Does it call anything else?",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );
    t.answer("Address range", &format!("203.0.113.0/24{ENTER}"));
    t.answer("Port in 203.0.113.0/24", &format!("443{ENTER}"));
    t.answer("Does it call anything else?", ENTER);
    t.answer("Does it call the Kubernetes API?", ENTER);
    t.answer("Secret name", &format!("db-password{ENTER}"));
    t.answer("Where does its value come from?", ENTER);
    t.answer("Another secret", ENTER);
    t.answer("TLS on its own port", ENTER);
    t.answer("Which service mesh does the cluster run?", ENTER);
    t.answer("Write kubeward.yaml and render the bundle", ENTER);
    assert_eq!(t.finish("apply it with `kubectl apply -k k8s`"), 0);

    let body = spec_body(dir.path());
    assert!(
        body.contains("  callers:\n  - app: web\n    namespace: checkout\n  - app: billing-worker\n  - app: reports\n    namespace: analytics\n"),
        "{body}"
    );
    let book = BookPage::read(BOOK_PAGE);
    assert_eq!(
        t.screen(),
        book.block("transcript", "text")
            .strip_prefix("$ kubeward init\n")
            .unwrap()
            .trim_end(),
        "the book's transcript differs from this run's screen:\n{}",
        t.screen()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("kubeward.yaml")).unwrap(),
        book.block("spec", "yaml kubeward")
    );
}

#[test]
fn ctrl_c_at_the_last_question_leaves_the_folder_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(
        dir.path(),
        &[
            "--name", "api", "-n", "shop", "--image", IMAGE, "--port", "8080",
        ],
    );
    for prompt in [
        "Protocol it speaks on that port",
        "App that calls it",
        "How far should it be reachable?",
        "How sensitive is the data it handles?",
        "Scale the number of pods with the load",
        "Does it call anything?",
        "Does it call the Kubernetes API?",
    ] {
        t.answer(prompt, ENTER);
    }
    t.answer("Secret name", &format!("token{ENTER}"));
    t.answer("Where does its value come from?", ENTER);
    t.answer("Another secret", ENTER);
    t.answer("TLS on its own port", ENTER);
    t.answer("Which service mesh does the cluster run?", ENTER);
    t.answer("Write kubeward.yaml and render the bundle", CTRL_C);
    assert_eq!(t.finish("cancelled: nothing was written"), 130);
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
    assert!(
        t.output
            .windows(SHOW_CURSOR.len())
            .any(|w| w == SHOW_CURSOR),
        "the cursor is shown again"
    );
}

#[test]
fn ctrl_c_while_typing_and_esc_at_a_choice_cancel_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(dir.path(), &[]);
    t.answer("Service name", "half-typ");
    t.session.send(CTRL_C).unwrap();
    assert_eq!(t.finish("cancelled: nothing was written"), 130);

    let mut t = Terminal::start(dir.path(), &["-n", "shop", "--name", "api"]);
    t.answer("Container image", &format!("{IMAGE}{ENTER}"));
    t.answer("Port the container listens on", &format!("8080{ENTER}"));
    t.answer("Protocol it speaks on that port", ESC);
    assert_eq!(t.finish("cancelled: nothing was written"), 130);
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn yes_never_asks_even_on_a_terminal_and_a_bad_flag_is_asked_instead() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Terminal::start(dir.path(), &["--yes", "--name", "api"]);
    assert_eq!(
        t.finish("--yes never asks: pass --namespace NAMESPACE --image IMAGE"),
        2
    );
    assert!(!t.screen().contains('?'), "no question:\n{}", t.screen());

    let mut t = Terminal::start(dir.path(), &["--spec-only", "--name", "Api", "-n", "shop"]);
    t.expect("--name: `Api` is not a DNS-1123 label");
    t.answer("Service name", &format!("api{ENTER}"));
    t.answer("Container image", ESC);
    t.session.send(CTRL_C).unwrap();
    assert_eq!(t.finish("cancelled: nothing was written"), 130);
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn an_existing_spec_is_kept_unless_replacing_is_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("kubeward.yaml"), "mine\n").unwrap();
    let mut t = Terminal::start(dir.path(), &[]);
    t.answer("kubeward.yaml exists. Replace it?", ENTER);
    assert_eq!(t.finish("cancelled: nothing was written"), 130);
    assert_eq!(
        fs::read_to_string(dir.path().join("kubeward.yaml")).unwrap(),
        "mine\n"
    );
    assert_eq!(entries(dir.path()), ["kubeward.yaml"]);
}

#[test]
fn a_refused_choice_moves_the_cursor_onto_the_next_allowed_one() {
    let dir = tempfile::tempdir().unwrap();
    // The plain service, but for its exposure: a caller in another namespace instead.
    let mut args: Vec<&str> = HTTP_SERVICE
        .chunks(2)
        .filter(|flag| flag[0] != "--exposure")
        .flatten()
        .copied()
        .collect();
    args.extend(["--spec-only", "--caller", "edge/web"]);
    let mut t = Terminal::start(dir.path(), &args);
    t.answer("How far should it be reachable?", &format!("{UP}{ENTER}"));
    t.expect("is outside namespace `shop`, but exposure is `namespace`");
    t.expect("How far should it be reachable?");
    t.expect("cluster");
    // The screen marks the selected line with `❯`: now `cluster`, not the refused `namespace`.
    let screen = t.screen();
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains('❯')).collect();
    assert!(
        marked.last().is_some_and(|l| l.contains("cluster")),
        "{screen}"
    );
    t.session.send(ENTER).unwrap();
    for prompt in [
        "Does it call anything?",
        "Does it call the Kubernetes API?",
        "Secret name",
    ] {
        t.answer(prompt, ENTER);
    }
    t.defaults(&["TLS on its own port", "Write kubeward.yaml?"]);
    assert_eq!(t.finish("wrote kubeward.yaml"), 0);
    assert!(spec_body(dir.path()).contains("  exposure: cluster\n"));
}

#[test]
fn an_unset_variable_for_a_secret_is_refused_when_its_name_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = HTTP_SERVICE.to_vec();
    args.extend(["--tls", "none"]);
    let env = [("KW_TEST_SET_VAR", "sk_test_value")];
    let mut t = Terminal::start_with_env(dir.path(), &args, &env);
    t.defaults(&[
        "App that calls it",
        "Does it call anything?",
        "Does it call the Kubernetes API?",
    ]);
    t.answer("Secret name", &format!("stripe{ENTER}"));
    t.answer("Where does its value come from?", &format!("{DOWN}{ENTER}"));
    t.answer("Environment variable", &format!("KW_TEST_UNSET_VAR{ENTER}"));
    t.expect("environment variable KW_TEST_UNSET_VAR is not set");
    assert!(entries(dir.path()).is_empty(), "nothing written yet");
    t.answer("Environment variable", &format!("KW_TEST_SET_VAR{ENTER}"));
    t.defaults(&[
        "Another secret",
        "Write kubeward.yaml and render the bundle",
    ]);
    assert_eq!(t.finish("apply it with `kubectl apply -k k8s`"), 0);
    assert!(spec_body(dir.path()).contains("fromEnv: KW_TEST_SET_VAR"));

    // With --spec-only nothing is read now: the variable may be set later, where it renders.
    let dir = tempfile::tempdir().unwrap();
    let mut with_spec_only = args.to_vec();
    with_spec_only.extend(["--spec-only", "--secret", "stripe=env:KW_TEST_UNSET_VAR"]);
    let mut t = Terminal::start(dir.path(), &with_spec_only);
    t.defaults(&[
        "App that calls it",
        "Does it call anything?",
        "Does it call the Kubernetes API?",
        "Write kubeward.yaml?",
    ]);
    assert_eq!(t.finish("wrote kubeward.yaml"), 0);
}

#[test]
fn one_address_is_taken_where_a_range_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = HTTP_SERVICE.to_vec();
    args.push("--spec-only");
    let mut t = Terminal::start(dir.path(), &args);
    t.answer("App that calls it", ENTER);
    t.answer("Does it call anything?", &format!("{DOWN}{DOWN}{ENTER}"));
    t.answer("Address range or address", &format!("203.0.113.10{ENTER}"));
    t.answer("Port in 203.0.113.10", &format!("443{ENTER}"));
    t.defaults(&[
        "Does it call anything else?",
        "Does it call the Kubernetes API?",
        "Secret name",
        "TLS on its own port",
        "Write kubeward.yaml?",
    ]);
    assert_eq!(t.finish("wrote kubeward.yaml"), 0);
    let body = spec_body(dir.path());
    assert!(
        body.contains("- cidr: \"203.0.113.10\"\n    port: 443\n"),
        "{body}"
    );
}

#[test]
fn api_access_on_a_preset_without_the_api_servers_endpoints_asks_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = HTTP_SERVICE.to_vec();
    args.extend(["--api", "configmaps:get:app-config"]);
    let mut t = Terminal::start(dir.path(), &args);
    t.defaults(&[
        "App that calls it",
        "Does it call anything?",
        "Secret name",
        "TLS on its own port",
    ]);
    t.expect("`kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`");
    t.answer(
        "API server endpoint addresses",
        &format!("api.example.com{ENTER}"),
    );
    t.expect("`api.example.com` is not an IPv4 or IPv6 address");
    t.answer(
        "API server endpoint addresses",
        &format!("192.0.2.10, 192.0.2.11/32{ENTER}"),
    );
    t.answer("Write kubeward.yaml and render the bundle into k8s?", ENTER);
    assert_eq!(t.finish("kubectl apply -k k8s"), 0, "{}", t.screen());
    let printed = String::from_utf8_lossy(&t.output).replace("\r\n", " ");
    assert!(
        printed.contains("--api-server-cidr 192.0.2.10 --api-server-cidr 192.0.2.11/32`"),
        "how to render it again:\n{}",
        t.screen()
    );
    let policy = fs::read_to_string(dir.path().join("k8s/networkpolicy-api.yaml")).unwrap();
    for endpoint in ["192.0.2.10/32", "192.0.2.11/32"] {
        assert!(policy.contains(endpoint), "{endpoint}: {policy}");
    }
}
