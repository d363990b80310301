//! Command-line definitions (clap) and the dispatch of each command.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::batch;
use crate::error::Error;
use crate::flags::SpecFlags;
use crate::output;
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the hardened bundle for a service
    Render(RenderArgs),
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The service spec (kubeward.yaml); without it, the service is described by flags.
    /// Repeat it, or give a folder (every kubeward.yaml in it and its sub-folders), to render
    /// a batch: each service into OUTPUT/<namespace>/<name>, or all in one stream
    #[arg(long, short = 'f', value_name = "SPEC")]
    pub file: Vec<PathBuf>,
    /// Write one file per object (and kustomization.yaml) into this folder instead of stdout
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// In a batch, render the services whose specs are good even when others fail (the exit
    /// status still reports the failures)
    #[arg(long)]
    pub keep_going: bool,
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
    }
}

fn render_command(args: &RenderArgs) -> Result<(), Error> {
    if batch::is_batch(&args.file) {
        return render_batch(args);
    }
    if let Some(dir) = &args.output {
        output::check_dir(dir, args.force)?;
    }
    let rendered = pipeline::render(&Input {
        file: args.file.first().map(PathBuf::as_path),
        flags: &args.spec,
        overrides: Overrides {
            allow_unpinned_image: args.allow_unpinned_image,
        },
        state_dir: args.state.as_deref(),
        rotate: &args.rotate,
    })?;
    match &args.output {
        None => print_stdout(&render::stream(&rendered.manifests)),
        Some(dir) => output::write_dir(dir, &render::files(&rendered.manifests), args.force),
    }
}

fn render_batch(args: &RenderArgs) -> Result<(), Error> {
    if args.spec.any() || !args.rotate.is_empty() {
        return Err(Error::Usage(
            "--rotate and the flags that describe a service (--name, --image, ...) apply to one spec, not to a batch of several -f or a folder".into(),
        ));
    }
    batch::run(
        &args.file,
        &batch::Options {
            overrides: Overrides {
                allow_unpinned_image: args.allow_unpinned_image,
            },
            state_dir: args.state.as_deref(),
            output: args.output.as_deref(),
            force: args.force,
            keep_going: args.keep_going,
        },
        print_stdout,
    )
}

/// Prints data to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}
