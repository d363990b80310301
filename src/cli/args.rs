//! The command line's definition: the global flags and the commands, each with its own
//! arguments (defined beside the command, in its file). Help, completions and man pages are
//! generated from it.

use std::ffi::OsString;

use clap::{ColorChoice, CommandFactory, FromArgMatches, Parser, Subcommand};

use super::check::CheckArgs;
use super::cluster::ClusterArgs;
use super::diff_presets::DiffPresetsArgs;
use super::explain::ExplainArgs;
use super::graph::GraphArgs;
use super::init::InitArgs;
use super::manual::{CompletionsArgs, ManArgs};
use super::presets::PresetsCommand;
use super::render::RenderArgs;
use super::schema::SchemaArgs;
use super::templates::TemplatesCommand;
use crate::check::releases::table_date;
use crate::output::ui::Ui;

/// `--version`: kubeward's version, the Kubernetes versions its output is validated against
/// (the default `KUBE_VERSIONS` of scripts/scan-bundles.sh; a test keeps them equal) and the
/// date of the release table that says which minors upstream supports.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (targets Kubernetes 1.30\u{2013}1.37; release table of ",
    table_date!(),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "kubeward",
    version = VERSION,
    about = "Scaffold hardened Kubernetes services and audit manifests"
)]
pub struct Cli {
    /// When to colour messages: auto (stderr is a terminal and NO_COLOR is unset), always,
    /// never
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Print nothing on stderr but errors and warnings
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Make every warning an error (exit 2, nothing written), for CI
    #[arg(long, global = true)]
    pub deny_warnings: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
#[allow(
    clippy::large_enum_variant,
    reason = "parsed once per process; boxing would only add noise"
)]
pub enum Command {
    /// Render the hardened bundle for a service
    Render(RenderArgs),
    /// Explain every decision of the plan: the answer that caused it, the threat it counters,
    /// its references
    Explain(ExplainArgs),
    /// Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)
    Graph(GraphArgs),
    /// Show what changes for a service between two presets (decisions and objects)
    DiffPresets(DiffPresetsArgs),
    /// Describe a service by answering questions (or by flags), write kubeward.yaml and render it
    Init(InitArgs),
    /// Print the JSON Schema (draft-07) of kubeward.yaml or of a preset file, for editors
    Schema(SchemaArgs),
    /// Print the completion script for a shell
    Completions(CompletionsArgs),
    /// Print the man page (roff) of kubeward or of one of its commands
    Man(ManArgs),
    /// List, show and validate presets
    #[command(subcommand)]
    Presets(PresetsCommand),
    /// Export the shipped templates, to override some of them
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Audit Kubernetes manifests (any, not only kubeward's) against the hardening rules
    Check(CheckArgs),
    /// Render the control plane's encryption, audit, admission and kubeadm configuration for a
    /// cluster spec (kind SecureCluster)
    Cluster(ClusterArgs),
}

impl Cli {
    /// How this command line wants messages shown.
    pub fn ui(&self) -> Ui {
        Ui::new(self.color, self.quiet, self.deny_warnings)
    }
}

/// Parses the process's arguments (exiting on `--help`, `--version` and usage errors); clap's
/// own help and errors follow `--color` too.
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    let matches = Cli::command().color(color_in(&args)).get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The `--color` value among `args`, read before clap parses them; `auto` when absent or not
/// a valid value (clap then reports it).
fn color_in(args: &[OsString]) -> ColorChoice {
    let mut value = None;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        } else if arg == "--color" {
            value = args.next().map(|v| v.into_owned());
        } else if let Some(v) = arg.strip_prefix("--color=") {
            value = Some(v.to_string());
        }
    }
    value
        .and_then(|v| <ColorChoice as clap::ValueEnum>::from_str(&v, false).ok())
        .unwrap_or(ColorChoice::Auto)
}
