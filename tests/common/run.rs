//! Running the `kubeward` binary: the command, and the outcome of a run as text.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// The binary under test.
pub fn binary() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("kubeward")
}

/// `kubeward`, to be given its arguments, without a required preset from the shell that runs
/// the tests (a test that needs one sets it).
pub fn kubeward() -> Command {
    let mut command = Command::new(binary());
    command.env_remove("KUBEWARD_REQUIRED_PRESET");
    command
}

/// `kubeward` run in `dir`, given a minute to finish.
pub fn kubeward_in(dir: &Path) -> Command {
    let mut command = kubeward();
    command.current_dir(dir).timeout(Duration::from_secs(60));
    command
}

/// What a run printed, and how it ended (`None`: killed by a signal or the time limit).
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `command` to its end.
    pub fn of(command: &mut Command) -> Run {
        let output = command.output().expect("kubeward runs");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Whether stderr holds exactly what rendering the spec file `spec` warns about: the
    /// warnings `kubeward explain` lists for it, one line each, in order (nothing for most
    /// examples; the tag-only image of some, the clear text of a confidential one).
    pub fn warns_as_example(&self, spec: &Path) -> bool {
        let explained = success_stdout(
            kubeward()
                .args(["explain", "--format", "json", "-f"])
                .arg(spec),
        );
        let explanation: serde_json::Value =
            serde_json::from_str(&explained).expect("explain prints JSON");
        let expected: Vec<String> = explanation["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| {
                format!(
                    "warning: {} [{}]",
                    w["message"].as_str().unwrap(),
                    w["id"].as_str().unwrap()
                )
            })
            .collect();
        self.stderr.lines().eq(expected.iter().map(String::as_str))
    }
}

/// Runs `kubeward ARGS` in `dir` (see [`kubeward_in`]).
pub fn run_in<S: AsRef<OsStr>>(dir: &Path, args: impl IntoIterator<Item = S>) -> Run {
    Run::of(kubeward_in(dir).args(args))
}

/// The standard error of a finished process, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The standard output of `command`, which must succeed.
pub fn success_stdout(command: &mut Command) -> String {
    let out = command.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// The rule ids `kubeward check ARGS FILE` reports, and its exit code.
pub fn rule_ids(file: &Path, args: &[&str]) -> (BTreeSet<String>, Option<i32>) {
    let run = Run::of(
        kubeward()
            .args(["check", "--format", "json"])
            .args(args)
            .arg(file),
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ids = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["ruleId"].as_str().unwrap().to_string())
        .collect();
    (ids, run.code)
}
