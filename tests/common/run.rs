//! Running the `kubeward` binary: the command, and the outcome of a run as text.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// The binary under test.
pub fn binary() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("kubeward")
}

/// `kubeward`, to be given its arguments.
pub fn kubeward() -> Command {
    Command::new(binary())
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
    /// Whether stderr holds exactly what rendering the spec file `spec` warns about: nothing
    /// for an image pinned by digest, else the one warning of a tag-only image (rendered with
    /// its exemptions).
    pub fn warns_as_example(&self, spec: &Path) -> bool {
        let text = std::fs::read_to_string(spec).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
        if text.contains("@sha256:") {
            return self.stderr.is_empty();
        }
        let lines: Vec<&str> = self.stderr.lines().collect();
        lines.len() == 1
            && lines[0].starts_with("warning: ")
            && lines[0].ends_with(" [tag-only-image]")
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
