//! The command-line conventions: `--version`, stdout for data and stderr for messages,
//! `--color`/`NO_COLOR`, `--quiet`, closed pipes, and the generated companions.

mod common;

use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;

const LEDGER: &str = "tests/examples/ledger/kubeward.yaml";

/// `kubeward` run in the repository, colours not turned off by the environment.
fn kubeward() -> Command {
    let mut cmd = common::run::kubeward();
    cmd.current_dir(common::repo("")).env_remove("NO_COLOR");
    cmd
}

#[test]
fn version_names_the_kubernetes_versions_the_scanners_validate_against_and_the_release_table() {
    let script = common::read("scripts/scan-bundles.sh");
    let defaults = script
        .split("KUBE_VERSIONS:-")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("scan-bundles.sh has a default KUBE_VERSIONS");
    let minors: Vec<&str> = defaults
        .split_whitespace()
        .map(|v| v.rsplit_once('.').map_or(v, |(minor, _patch)| minor))
        .collect();
    let (oldest, newest) = (minors.first().unwrap(), minors.last().unwrap());
    let expected = format!(
        "kubeward {} (targets Kubernetes {oldest}\u{2013}{newest}; release table of {})\n",
        env!("CARGO_PKG_VERSION"),
        kubeward::check::releases::TABLE_DATE
    );
    kubeward()
        .arg("--version")
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn data_goes_to_stdout_and_errors_to_stderr_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    kubeward()
        .args(["render", "-f", LEDGER, "--state"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "---\napiVersion: v1\nkind: Namespace\n",
        ))
        .stderr("");
    kubeward()
        .args(["render", "--name", "api", "--namespace", "default"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: the flags are not a valid service",
        ))
        .stderr(predicate::str::contains("metadata.namespace"));
}

/// What kubeward prints with its stdout and stderr on a pseudo-terminal, as a person at a
/// terminal sees it; `no_color` sets NO_COLOR.
#[cfg(unix)]
fn on_a_terminal(args: &[&str], no_color: bool) -> String {
    use expectrl::Expect;
    let mut command = Process::new(common::run::binary());
    command
        .args(args)
        .current_dir(common::repo(""))
        .env("TERM", "xterm");
    if no_color {
        command.env("NO_COLOR", "1");
    } else {
        command.env_remove("NO_COLOR");
    }
    let mut session = expectrl::Session::spawn(command).expect("kubeward starts in a pty");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(60)));
    let all = session.expect(expectrl::Eof).expect("kubeward ends");
    String::from_utf8_lossy(all.as_bytes()).into_owned()
}

const RED_ERROR: &str = "\x1b[1;31merror:\x1b[0m cannot read missing.yaml";

#[test]
fn color_always_colours_the_error_prefix_even_into_a_pipe_and_auto_does_not() {
    let fail = ["render", "-f", "missing.yaml"];
    kubeward()
        .args(["--color", "always"])
        .args(fail)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(RED_ERROR));
    kubeward()
        .args(fail)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: cannot read missing.yaml",
        ));
}

/// On a terminal `auto` colours, so there `--color never` and NO_COLOR are seen to turn it off
/// (into a pipe they could not fail).
#[cfg(unix)]
#[test]
fn on_a_terminal_auto_colours_and_never_or_no_color_do_not() {
    let fail = ["render", "-f", "missing.yaml"];
    let auto = on_a_terminal(&fail, false);
    assert!(auto.contains(RED_ERROR), "{auto:?}");
    for (args, no_color) in [
        (vec!["render", "-f", "missing.yaml", "--color=never"], false),
        (fail.to_vec(), true),
    ] {
        let out = on_a_terminal(&args, no_color);
        assert!(
            out.contains("error: cannot read missing.yaml") && !out.contains('\x1b'),
            "{args:?} NO_COLOR={no_color}: {out:?}"
        );
    }
}

#[test]
fn a_bad_color_value_is_a_usage_error() {
    kubeward()
        .args(["--color", "sometimes", "schema"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sometimes"));
}

#[test]
fn without_a_terminal_or_with_quiet_a_success_is_silent_and_errors_still_show() {
    let dir = tempfile::tempdir().unwrap();
    for quiet in [false, true] {
        let mut cmd = kubeward();
        if quiet {
            cmd.arg("--quiet");
        }
        cmd.args(["render", "-f", LEDGER, "--force", "--state"])
            .arg(dir.path().join("state"))
            .arg("-o")
            .arg(dir.path().join("k8s"))
            .assert()
            .success()
            .stdout("")
            .stderr("");
    }
    kubeward()
        .args(["-q", "render", "-f", "missing.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: "));
}

/// Runs kubeward with its stdout already closed by the reader, as in `kubeward ... | head -0`.
fn run_into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Process::new(common::run::binary())
        .current_dir(common::repo(""))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_stdout_writer_exits_quietly_into_a_closed_pipe() {
    let state = tempfile::tempdir().unwrap();
    let state = state.path().to_str().unwrap();
    for args in [
        vec!["render", "-f", LEDGER, "--state", state],
        vec!["schema", "spec"],
        vec!["schema", "preset"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["man", "render"],
        vec!["--help"],
        vec!["--version"],
    ] {
        assert_eq!(
            run_into_closed_pipe(&args),
            (Some(0), String::new()),
            "{args:?}"
        );
    }
}

#[test]
fn completions_exist_for_every_shell_and_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        kubeward()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("render").and(predicate::str::contains("namespace")));
    }
}

#[test]
fn man_prints_a_page_per_command_and_refuses_unknown_ones() {
    kubeward()
        .args(["man", "render"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH kubeward-render 1"));
    kubeward()
        .args(["man", "deploy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no man page for `deploy`; there are: render, ",
        ));
}
