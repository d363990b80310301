//! The `kubeward check` command: read the inputs, run the rules, print the report, and turn
//! the result into the exit status (0 clean, 1 findings at or above `--fail-on`, 2 unreadable
//! input).

use std::path::PathBuf;

use crate::check::index::Expiry;
use crate::check::load::{self, STDIN};
use crate::check::releases::Version;
use crate::check::report::Report;
use crate::check::{self, catalogue, run_with as run_rules};
use crate::error::Error;
use crate::output::stdout::print_stdout;

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
    #[arg(value_name = "PATH", required_unless_present_any = ["list_rules", "kubernetes_version"])]
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
    /// The cluster's Kubernetes version (MAJOR.MINOR.PATCH): a finding when its minor is out
    /// of upstream support, by the release table built into kubeward (dated in --version)
    #[arg(long, value_name = "VERSION", value_parser = Version::parse)]
    pub kubernetes_version: Option<Version>,
    /// Report TLS Secrets whose certificate expires within this many days (or has expired)
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub expiry_days: u32,
}

/// The input `--kubernetes-version` is reported against.
pub const VERSION_INPUT: &str = "--kubernetes-version";

pub fn run(args: &CheckArgs) -> Result<(), Error> {
    if args.list_rules {
        return print_stdout(&match args.format {
            CheckFormat::Text => catalogue::text(),
            CheckFormat::Json => pretty(&catalogue::json()),
            CheckFormat::Markdown => catalogue::markdown(),
            CheckFormat::Sarif => {
                return Err(Error::Usage(
                    "--list-rules prints text, json or markdown, not sarif".into(),
                ));
            }
        });
    }
    if args.format == CheckFormat::Markdown {
        return Err(Error::Usage(
            "--format markdown is for --list-rules; a check prints text, json or sarif".into(),
        ));
    }
    if args.paths.iter().filter(|p| p.as_os_str() == STDIN).count() > 1 {
        return Err(Error::Usage("`-` (stdin) may be given once".into()));
    }
    let mut loaded = load::load_paths(&args.paths);
    if let Some(version) = &args.kubernetes_version {
        loaded.add_text(VERSION_INPUT, &version_document(version));
    }
    let findings = run_rules(&loaded.objects, Expiry::from_now(args.expiry_days));
    let report = Report {
        loaded: &loaded,
        findings: &findings,
        fail_on: args.fail_on,
    };
    for error in &loaded.errors {
        match error.line {
            Some(line) => eprintln!("{}:{line}: {}", error.source, error.message),
            None => eprintln!("{}: {}", error.source, error.message),
        }
    }
    print_stdout(&match args.format {
        CheckFormat::Json => pretty(&report.json()),
        CheckFormat::Sarif => pretty(&report.sarif()),
        CheckFormat::Text | CheckFormat::Markdown => report.text(),
    })?;
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

/// The version as a document the rules read (`KubernetesVersion`, a kind of kubeward's own).
fn version_document(version: &Version) -> String {
    format!(
        "version: \"{version}\"\napiVersion: kubeward.dev/v1alpha1\nkind: KubernetesVersion\nmetadata:\n  name: \"{version}\"\n"
    )
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
