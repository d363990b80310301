//! The `kubeward check` command: read the inputs, run the rules, print the report, and turn
//! the result into the exit status (0 clean, 1 findings at or above `--fail-on`, 2 unreadable
//! input).

use std::path::{Path, PathBuf};

use super::shared::{PresetsDirArg, RequirePresetArg};
use crate::check::accepted::{self, Accepted};
use crate::check::index::Expiry;
use crate::check::load::STDIN;
use crate::check::policy::Policy;
use crate::check::releases::Version;
use crate::check::report::Report;
use crate::check::{self, catalogue, config};
use crate::error::{Error, Warning};
use crate::output::stdout::{print_json, print_stdout, print_text, write_stdout};
use crate::output::terminal::escape;
use crate::output::ui::Ui;
use crate::preset::{self, Lookup, required};

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
    /// Apply the floors of this preset (a name, or a preset file) to the manifests; repeatable.
    /// Without it, the floors of a required preset apply
    #[arg(long, value_name = "NAME")]
    pub preset: Vec<String>,
    #[command(flatten)]
    pub presets: PresetsDirArg,
    #[command(flatten)]
    pub required: RequirePresetArg,
    /// Ignore the suppression annotations in the checked manifests (kubeward's and the
    /// scanners'): only --suppressions counts
    #[arg(long)]
    pub no_inline_suppressions: bool,
    /// A suppressions file kept beside the CI configuration: rule, object, reason, expiry date
    #[arg(long, value_name = "FILE")]
    pub suppressions: Option<PathBuf>,
    /// A check configuration file (inlineSuppressions, suppressions, presets), which adds to
    /// the flags
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The name standard input is reported as; with `helm template` output, the chart's
    /// folder, which replaces the chart name of each `# Source:` path
    #[arg(long, value_name = "PATH")]
    pub stdin_name: Option<String>,
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
    let policy = policy(args)?;
    let version = args.kubernetes_version.as_ref().map(version_document);
    let (loaded, findings) = check::check_paths(
        &args.paths,
        args.stdin_name.as_deref(),
        version.as_deref().map(|text| (VERSION_INPUT, text)),
        &policy,
    );
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
    let warnings: Vec<Warning> = policy
        .accepted
        .warnings
        .iter()
        .cloned()
        .chain(policy.accepted.unused(&findings))
        .collect();
    ui.warnings(&warnings)?;
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

/// The floors and suppression sources of this check, from the flags and the configuration
/// file; every preset that applies must meet the required presets.
fn policy(args: &CheckArgs) -> Result<Policy, Error> {
    let config = args.config.as_deref().map(config::load).transpose()?;
    let lookup = args.required.lookup(&args.presets);
    let requirements = required::in_force(lookup)?;
    let mut names: Vec<String> = args.preset.clone();
    names.extend(config.iter().flat_map(|c| c.presets.iter().cloned()));
    if names.is_empty() {
        names = requirements.iter().map(|r| r.name.clone()).collect();
    }
    let mut floors = Vec::new();
    for name in &names {
        floors.push(floors_of(name, lookup, &requirements)?);
    }
    let files: Vec<&Path> = args
        .suppressions
        .iter()
        .chain(config.iter().flat_map(|c| c.suppressions.iter()))
        .map(PathBuf::as_path)
        .collect();
    let today = time::OffsetDateTime::now_utc().date();
    let mut accepted = Accepted::default();
    for file in files {
        let more = accepted::load(file, today)?;
        accepted.entries.extend(more.entries);
        accepted.warnings.extend(more.warnings);
    }
    Ok(Policy {
        floors,
        inline_suppressions: !args.no_inline_suppressions
            && config.as_ref().is_none_or(|c| c.inline_suppressions),
        accepted,
        expiry: Expiry::from_now(args.expiry_days),
    })
}

/// The floors of the preset `name`, which must meet `requirements`.
fn floors_of(
    name: &str,
    lookup: Lookup,
    requirements: &[required::Requirement],
) -> Result<preset::floors::Locks, Error> {
    let resolved = preset::resolve(name, Path::new("."), lookup)?;
    let unmet = required::unmet(&resolved, requirements, lookup);
    if !unmet.is_empty() {
        return Err(Error::Usage(format!(
            "--preset {name}: {}",
            unmet.join("; ")
        )));
    }
    Ok(resolved.locks())
}

/// The version as a document the rules read (`KubernetesVersion`, a kind of kubeward's own).
fn version_document(version: &Version) -> String {
    format!(
        "version: \"{version}\"\napiVersion: kubeward.dev/v1alpha1\nkind: KubernetesVersion\nmetadata:\n  name: \"{version}\"\n"
    )
}
