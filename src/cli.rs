//! Command-line definitions (clap) and the dispatch of each command.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::flags::SpecFlags;
use crate::output::{self, OutFile};
use crate::pipeline::{self, Input};
use crate::render;
use crate::validate::Overrides;

#[derive(Debug, Parser)]
#[command(
    name = "kubeward",
    version,
    about = "Scaffold hardened Kubernetes services and audit manifests"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the hardened bundle for a service
    Render(RenderArgs),
    /// Audit Kubernetes manifests (any, not only kubeward's) against the hardening rules
    Check(CheckArgs),
}

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
    pub fail_on: crate::check::Severity,
    /// Print the rule catalogue instead of checking (text, json or markdown)
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The service spec (kubeward.yaml); without it, the service is described by flags
    #[arg(long, short = 'f', value_name = "SPEC")]
    pub file: Option<PathBuf>,
    /// Write one file per object (and kustomization.yaml) into this folder instead of stdout
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Write into an output folder that holds files kubeward did not write
    #[arg(long)]
    pub force: bool,
    /// The state folder for generated secrets and keys [default: .kubeward beside the spec]
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Generate a new value for this generated secret (repeatable)
    #[arg(long, value_name = "SECRET")]
    pub rotate: Vec<String>,
    /// Accept a tag-only image at sensitivity confidential or restricted (recorded on the Deployment)
    #[arg(long)]
    pub allow_unpinned_image: bool,
    #[command(flatten)]
    pub spec: SpecFlags,
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Render(args) => render_command(&args),
        Command::Check(args) => crate::check::command::run(&args),
    }
}

fn render_command(args: &RenderArgs) -> Result<(), Error> {
    let rendered = pipeline::render(&Input {
        file: args.file.as_deref(),
        flags: &args.spec,
        overrides: Overrides {
            allow_unpinned_image: args.allow_unpinned_image,
        },
        state_dir: args.state.as_deref(),
        rotate: &args.rotate,
    })?;
    match &args.output {
        None => print_stdout(&render::stream(&rendered.manifests)),
        Some(dir) => {
            let mut files: Vec<OutFile> = rendered
                .manifests
                .iter()
                .map(|m| OutFile {
                    name: m.object.file_name(),
                    content: m.text.clone(),
                    secret: m.object.secret,
                })
                .collect();
            files.push(OutFile {
                name: "kustomization.yaml".into(),
                content: kustomization(&files),
                secret: false,
            });
            output::write_dir(dir, &files, args.force)
        }
    }
}

fn kustomization(files: &[OutFile]) -> String {
    let mut text = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for file in files {
        text.push_str(&format!("  - {}\n", crate::yaml_safe::quote(&file.name)));
    }
    text
}

/// Prints data to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}
