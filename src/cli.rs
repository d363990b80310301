//! Command-line definitions (clap) and the dispatch of each command.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{Error, SpecError};
use crate::flags::SpecFlags;
use crate::interactive::Questionnaire;
use crate::output::{self, OutFile};
use crate::pipeline::{self, Input};
use crate::validate::{self, Overrides};
use crate::{init, plan, preset, render};

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
    /// Describe a service by answering questions (or by flags), write kubeward.yaml and render it
    Init(InitArgs),
}

#[derive(Debug, Default, clap::Args)]
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

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the spec
    #[arg(
        long,
        short = 'f',
        value_name = "SPEC",
        default_value = "kubeward.yaml"
    )]
    pub file: PathBuf,
    /// The folder to render the bundle into
    #[arg(long, short = 'o', value_name = "DIR", default_value = "k8s")]
    pub output: PathBuf,
    /// Write only the spec; render it later with `kubeward render -f SPEC -o DIR`
    #[arg(long)]
    pub spec_only: bool,
    /// Replace an existing spec, and write into an output folder that holds files kubeward did not write
    #[arg(long)]
    pub force: bool,
    /// Never ask: answers come from the flags and the preset's defaults
    #[arg(long, short = 'y')]
    pub yes: bool,
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
        Command::Init(args) => init_command(&args),
    }
}

/// `init`: the answers come from the questionnaire when stdin and stderr are terminals and
/// `--yes` is not given, else from flags and the preset alone; nothing is written before
/// every answer is valid (and, when asked, confirmed).
fn init_command(args: &InitArgs) -> Result<(), Error> {
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let overrides = Overrides {
        allow_unpinned_image: args.allow_unpinned_image,
    };
    let mut file = args.spec.to_spec().map_err(Error::Usage)?;
    let preset_name = file
        .spec
        .preset
        .clone()
        .unwrap_or_else(|| preset::DEFAULT.to_string());
    let base_dir = match args.file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let preset = preset::load(&preset_name, base_dir)?;
    let questionnaire = (terminal && !args.yes).then(|| Questionnaire::new(&preset, overrides));
    let replace = args.file.exists()
        && match &questionnaire {
            _ if args.force => true,
            Some(q) => {
                let prompt = format!("{} exists. Replace it?", args.file.display());
                q.confirm(&prompt, false)? || return Err(Error::Cancelled)
            }
            None => {
                return Err(Error::Output(format!(
                    "{} exists; pass --force to replace it",
                    args.file.display()
                )));
            }
        };
    if !args.spec_only {
        output::check_dir(&args.output, args.force)?;
    }
    match &questionnaire {
        Some(q) => q.fill(&mut file, &preset_name)?,
        None => {
            let missing = init::missing_flags(&file, &preset);
            if !missing.is_empty() {
                let why = if args.yes {
                    "--yes never asks"
                } else {
                    "there is no terminal to ask on"
                };
                return Err(Error::Usage(format!(
                    "kubeward init needs answers that have no default, and {why}: pass {}",
                    missing.join(" ")
                )));
            }
            init::fill_defaults(&mut file, &preset);
        }
    }
    let service = validate::validate(&file, &preset, overrides)
        .map_err(|errors| SpecError::Invalid { path: None, errors })?;
    let text = init::spec_text(&file)?;
    if let Some(q) = &questionnaire {
        let action = match args.spec_only {
            true => format!("Write {}?", args.file.display()),
            false => format!(
                "Write {} and render the bundle into {}?",
                args.file.display(),
                args.output.display()
            ),
        };
        q.confirm_plan(&plan::plan(&service, &preset), &action)?;
    }
    output::write_user_file(&args.file, text.as_bytes(), replace)?;
    eprintln!("wrote {}", args.file.display());
    if args.spec_only {
        return Ok(());
    }
    render_command(&RenderArgs {
        file: Some(args.file.clone()),
        output: Some(args.output.clone()),
        force: args.force,
        allow_unpinned_image: args.allow_unpinned_image,
        ..RenderArgs::default()
    })
    .map_err(|e| {
        Error::Output(format!(
            "{e}\n{} is written: fix the problem, then run `kubeward render -f {} -o {}`",
            args.file.display(),
            args.file.display(),
            args.output.display()
        ))
    })?;
    eprintln!(
        "rendered the bundle into {}: apply it with `kubectl apply -k {}`",
        args.output.display(),
        args.output.display()
    );
    Ok(())
}

fn render_command(args: &RenderArgs) -> Result<(), Error> {
    if let Some(dir) = &args.output {
        output::check_dir(dir, args.force)?;
    }
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
fn print_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}
