//! `kubeward cluster`: the control plane's files for a cluster spec, into a folder, and what
//! the operator does next when a key rotation is under way.

use std::path::PathBuf;

use crate::cluster::{self, Options};
use crate::error::Error;
use crate::output::stdout::print_text;
use crate::output::ui::Ui;

#[derive(Debug, clap::Args)]
pub struct ClusterArgs {
    /// The cluster spec (cluster.yaml, kind SecureCluster)
    #[arg(long, short = 'f', value_name = "SPEC")]
    pub file: PathBuf,
    /// The folder to write the files into: the API server's encryption, audit and admission
    /// configuration, kubeadm's configuration, and a README saying where each goes
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,
    /// Write into a folder that holds files kubeward did not write
    #[arg(long)]
    pub force: bool,
    /// The state folder that keeps the secretbox keys [default: .kubeward beside the spec]
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Move a rotation one step on: `encryption-key` rotates the secretbox key in the six
    /// steps the Kubernetes documentation orders, one per run
    #[arg(long, value_enum, value_name = "WHAT")]
    pub rotate: Option<Rotate>,
}

/// What `--rotate` rotates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Rotate {
    /// The secretbox key that encrypts Secrets at rest
    EncryptionKey,
}

pub fn run(args: &ClusterArgs, ui: &Ui) -> Result<(), Error> {
    let outcome = cluster::run(
        &Options {
            file: &args.file,
            output: &args.output,
            state_dir: args.state.as_deref(),
            rotate: args.rotate == Some(Rotate::EncryptionKey),
            force: args.force,
        },
        |warnings| ui.warnings(warnings),
    )?;
    let mut report = format!(
        "rendered the control plane of cluster {} (Kubernetes {}) into {}: {}; its README.md says where each file goes, in which order\n",
        outcome.cluster.name,
        outcome.cluster.version,
        args.output.display(),
        outcome.files.join(", ")
    );
    if let Some(progress) = &outcome.rotation {
        report.push_str(&progress.report());
    }
    print_text(&report)
}
