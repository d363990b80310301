//! The `kubeward check` command: read the inputs, run the rules, print the report, and turn
//! the result into the exit status (0 clean, 1 findings at or above `--fail-on`, 2 unreadable
//! input).

use std::path::PathBuf;

use crate::check::load::STDIN;
use crate::check::report::Report;
use crate::check::{self, catalogue};
use crate::error::Error;
use crate::output::stdout::{print_json, print_stdout, print_text, write_stdout};
use crate::output::terminal::escape;
use crate::output::ui::Ui;

/// Output forms of `kubeward check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// Markdown (with --list-rules only: the book's rule catalogue)
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files, folders (searched recursively for .yaml, .yml and .json) or `-` for stdin
    #[arg(value_name = "PATH", required_unless_present = "list_rules")]
    pub paths: Vec<PathBuf>,
    /// The output form
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Exit 1 when a finding at or above this severity is not suppressed
    #[arg(long, value_enum, value_name = "SEVERITY", default_value = "warning")]
    pub fail_on: check::Severity,
    /// Print the rule catalogue instead of checking (text, json or markdown)
    #[arg(long)]
    pub list_rules: bool,
}

pub fn run(args: &CheckArgs, ui: &Ui) -> Result<(), Error> {
    if args.list_rules {
        return match args.format {
            CheckFormat::Text => print_text(&catalogue::text()),
            CheckFormat::Json => print_json(&catalogue::json()),
            CheckFormat::Markdown => print_stdout(&catalogue::markdown()),
            CheckFormat::Sarif => Err(Error::Usage(
                "--list-rules prints text, json or markdown, not sarif".into(),
            )),
        };
    }
    if args.format == CheckFormat::Markdown {
        return Err(Error::Usage(
            "--format markdown is for --list-rules; a check prints text, json or sarif".into(),
        ));
    }
    if args.paths.iter().filter(|p| p.as_os_str() == STDIN).count() > 1 {
        return Err(Error::Usage("`-` (stdin) may be given once".into()));
    }
    let (loaded, findings) = check::check_paths(&args.paths);
    let report = Report::new(&loaded, &findings, args.fail_on);
    for error in &loaded.errors {
        let (source, message) = (escape(&error.source), escape(&error.message));
        match error.line {
            Some(line) => ui.problem(format!("{source}:{line}: {message}")),
            None => ui.problem(format!("{source}: {message}")),
        }
    }
    match args.format {
        CheckFormat::Json => write_stdout(|out| report.write_json(out))?,
        CheckFormat::Sarif => write_stdout(|out| report.write_sarif(out))?,
        CheckFormat::Text | CheckFormat::Markdown => print_text(&report.text())?,
    }
    if !loaded.errors.is_empty() {
        return Err(Error::Unreadable(format!(
            "{} input problem(s): the rest was checked ({})",
            loaded.errors.len(),
            report.summary()
        )));
    }
    if report.failed() {
        return Err(Error::Findings(format!(
            "findings at or above {}: {}",
            args.fail_on.as_str(),
            report.summary()
        )));
    }
    Ok(())
}
