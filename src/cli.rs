//! Command-line definitions (clap) and the dispatch of each command.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{Error, SpecError};
use crate::explain;
use crate::flags::SpecFlags;
use crate::interactive::Questionnaire;
use crate::output::{self, OutFile};
use crate::pipeline::{self, Input};
use crate::validate::{self, Overrides};
use crate::{diagram, init, manifests, plan, preset, preset_diff, render, traffic};

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
    /// Explain every decision of the plan: the answer that caused it, the threat it counters,
    /// its references
    Explain(ExplainArgs),
    /// Draw the traffic the NetworkPolicies allow (of a service, or of manifests in PATH)
    Graph(GraphArgs),
    /// Show what changes for a service between two presets (decisions and objects)
    DiffPresets(DiffPresetsArgs),
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
    /// Comment the fields that carry a decision with why (the objects stay the same)
    #[arg(long)]
    pub annotate: bool,
    #[command(flatten)]
    pub spec: SpecFlags,
}

/// How a service is described to the commands that only look at its plan or its shape.
#[derive(Debug, clap::Args)]
pub struct ServiceArgs {
    /// The service spec (kubeward.yaml); without it, the service is described by flags
    #[arg(long, short = 'f', value_name = "SPEC")]
    pub file: Option<PathBuf>,
    /// Accept a tag-only image at sensitivity confidential or restricted
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

impl ServiceArgs {
    /// Whether a service was described at all (by a file or by flags).
    fn given(&self) -> bool {
        self.file.is_some() || self.spec.any()
    }

    fn input(&self) -> Input<'_> {
        Input {
            file: self.file.as_deref(),
            flags: &self.spec,
            overrides: Overrides {
                allow_unpinned_image: self.allow_unpinned_image,
            },
            state_dir: None,
            rotate: &[],
            annotate: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Explain one rule: a rubric row (rubric-1 .. rubric-30) or a decision id (e.g. non-root);
    /// with a service, also where its plan applies it
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// Only the decisions that counter this threat (e.g. exposed-secrets, man-in-the-middle)
    #[arg(long, value_name = "THREAT")]
    pub threat: Option<String>,
    /// text for people, json for tools
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Render(args) => render_command(&args),
        Command::Explain(args) => explain_command(&args),
        Command::Graph(args) => graph_command(&args),
        Command::DiffPresets(args) => diff_presets_command(&args),
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
        annotate: args.annotate,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Rendered or foreign manifests: a folder (every .yaml/.yml in it), a file, or - for
    /// standard input; instead of a service
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// mermaid (a flowchart) or dot (Graphviz)
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    #[command(flatten)]
    pub service: ServiceArgs,
}

fn graph_command(args: &GraphArgs) -> Result<(), Error> {
    let objects: Vec<manifests::Object> = match (&args.path, args.service.given()) {
        (Some(_), true) => {
            return Err(Error::Usage(
                "give either manifests (PATH) or a service (-f or flags), not both".into(),
            ));
        }
        (Some(path), false) => manifests::read(path)?,
        (None, _) => pipeline::render_shape(&args.service.input())?
            .manifests
            .into_iter()
            .map(|m| manifests::Object {
                origin: m.object.file_name(),
                value: m.value,
            })
            .collect(),
    };
    let values: Vec<serde_json::Value> = objects.iter().map(|o| o.value.clone()).collect();
    let traffic =
        traffic::analyse(&values, |i| objects[i].origin.clone()).map_err(Error::Manifests)?;
    let format = match args.format {
        GraphFormat::Mermaid => diagram::Format::Mermaid,
        GraphFormat::Dot => diagram::Format::Dot,
    };
    print_stdout(&diagram::draw(&traffic, format))
}

#[derive(Debug, clap::Args)]
pub struct DiffPresetsArgs {
    /// The first preset: a shipped name or a preset file (relative to the current folder)
    #[arg(value_name = "A")]
    pub from: String,
    /// The second preset, compared with the first
    #[arg(value_name = "B")]
    pub to: String,
    /// text for people, json for tools
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// A preset reference as given on the command line: a path is taken from the current folder
/// (not the spec's), so it is made absolute.
fn preset_argument(reference: &str) -> Result<String, Error> {
    let is_path =
        reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml");
    if !is_path {
        return Ok(reference.to_string());
    }
    let path =
        std::path::absolute(reference).map_err(|e| Error::io(format!("preset {reference}"), e))?;
    Ok(path.display().to_string())
}

fn diff_presets_command(args: &DiffPresetsArgs) -> Result<(), Error> {
    if !args.service.given() {
        return Err(Error::Usage(pipeline::DESCRIBE_THE_SERVICE.into()));
    }
    let render_with = |reference: &str| -> Result<pipeline::Rendered, Error> {
        let mut flags = args.service.spec.clone();
        flags.preset = Some(preset_argument(reference)?);
        pipeline::render_shape(&Input {
            flags: &flags,
            ..args.service.input()
        })
    };
    let (a, b) = (render_with(&args.from)?, render_with(&args.to)?);
    let diff = preset_diff::diff(&args.from, &a, &args.to, &b);
    print_stdout(&match args.format {
        TextOrJson::Text => preset_diff::text(&diff),
        TextOrJson::Json => to_json(&diff),
    })
}

fn explain_command(args: &ExplainArgs) -> Result<(), Error> {
    let plan = match (args.service.given(), &args.rule) {
        (false, Some(_)) => None,
        _ => Some(pipeline::plan(&args.service.input())?.1),
    };
    let text = match &args.rule {
        Some(id) => {
            if args.threat.is_some() {
                return Err(Error::Usage(
                    "--threat filters a plan; it does not go with --rule".into(),
                ));
            }
            let rule = explain::find_rule(id).map_err(Error::Usage)?;
            let explained = explain::explain_rule(rule, plan.as_ref());
            match args.format {
                TextOrJson::Text => explain::rule_text(
                    &explained,
                    plan.as_ref()
                        .map(|p| (p.name.as_str(), p.namespace.as_str())),
                ),
                TextOrJson::Json => to_json(&explained),
            }
        }
        None => {
            let threat = args
                .threat
                .as_deref()
                .map(explain::parse_threat)
                .transpose()
                .map_err(Error::Usage)?;
            let plan = plan.expect("a plan is made unless only a rule is asked for");
            let explained = explain::explain(&plan, threat);
            match args.format {
                TextOrJson::Text => explain::text(&explained),
                TextOrJson::Json => to_json(&explained),
            }
        }
    };
    print_stdout(&text)
}

/// Pretty JSON with a final newline.
fn to_json(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("plain data serializes");
    text.push('\n');
    text
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
