//! Command-line definitions (clap) and the dispatch of each command.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{ColorChoice, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::batch;
use crate::error::{Error, SpecError};
use crate::explain;
use crate::flags::SpecFlags;
use crate::interactive::Questionnaire;
use crate::invariants;
use crate::manual;
use crate::output;
use crate::pipeline::{self, Input};
use crate::platform::{self, PresetsCommand, PresetsDirArg, TemplatesCommand};
use crate::schema::{self, SchemaKind};
use crate::ui::Ui;
use crate::validate::{self, Overrides};
use crate::{diagram, floors, init, manifests, plan, preset, preset_diff, render, traffic};

/// `--version`: kubeward's version and the Kubernetes versions its output is validated
/// against (the default `KUBE_VERSIONS` of scripts/scan-bundles.sh; a test keeps them equal).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (targets Kubernetes 1.30\u{2013}1.37)"
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
    /// Print nothing on stderr but errors
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
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
pub struct SchemaArgs {
    /// Which file the schema describes
    #[arg(value_enum, default_value_t = SchemaKind::Spec)]
    pub kind: SchemaKind,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command (e.g. render); without it, the page of kubeward itself
    pub command: Option<String>,
}

#[derive(Debug, Default, clap::Args)]
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
    /// Comment the fields that carry a decision with why (the objects stay the same)
    #[arg(long)]
    pub annotate: bool,
    #[command(flatten)]
    pub customise: CustomiseArgs,
    #[command(flatten)]
    pub spec: SpecFlags,
}

/// Where presets come from and which templates replace the shipped ones (shared by the
/// commands that render).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CustomiseArgs {
    #[command(flatten)]
    pub presets: PresetsDirArg,
    /// Replace shipped templates with the files of the same name in DIR (over the preset's)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Accept an override template that drops this control, recorded on the object (repeatable)
    #[arg(long, value_name = "CONTROL", value_parser = clap::builder::PossibleValuesParser::new(invariants::control_ids()))]
    pub allow_template_override: Vec<String>,
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
    pub customise: CustomiseArgs,
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
    pub presets: PresetsDirArg,
    #[command(flatten)]
    pub spec: SpecFlags,
}

impl Cli {
    /// How this command line wants messages shown.
    pub fn ui(&self) -> Ui {
        Ui::new(self.color, self.quiet)
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
            presets: self.customise.presets.lookup(),
            templates: self.customise.templates.as_deref(),
            allow_template_override: &self.customise.allow_template_override,
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
    /// Explain one rule: a check rule (e.g. KW-SEC-001), a rubric row (rubric-1 .. rubric-30) or a decision id (e.g. non-root);
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
    let ui = cli.ui();
    match cli.command {
        Command::Render(args) => render_command(&args, &ui),
        Command::Init(args) => init_command(&args, &ui),
        Command::Presets(command) => print_stdout(&platform::presets(&command)?),
        Command::Templates(command) => print_stdout(&platform::templates(&command)?),
        Command::Schema(args) => print_stdout(&schema::schema_text(args.kind)),
        Command::Completions(args) => print_stdout(&manual::completions(args.shell)),
        Command::Man(args) => print_stdout(&manual::man_page(args.command.as_deref())?),
        Command::Check(args) => crate::check::command::run(&args),
        Command::Explain(args) => explain_command(&args),
        Command::Graph(args) => graph_command(&args),
        Command::DiffPresets(args) => diff_presets_command(&args),
    }
}

/// `init`: the answers come from the questionnaire when stdin and stderr are terminals and
/// `--yes` is not given, else from flags and the preset alone; nothing is written before
/// every answer is valid (and, when asked, confirmed).
fn init_command(args: &InitArgs, ui: &Ui) -> Result<(), Error> {
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
    let resolved = preset::resolve(&preset_name, base_dir, args.presets.lookup())?;
    let preset = &resolved.preset;
    let questionnaire = (terminal && !args.yes).then(|| Questionnaire::new(preset, overrides));
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
            let missing = init::missing_flags(&file, preset);
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
            init::fill_defaults(&mut file, preset);
        }
    }
    let breaches = floors::check_spec(&resolved.floors, &resolved.set_by, &file);
    let service = validate::validate(&file, preset, overrides)
        .and_then(|service| breaches.is_empty().then_some(service).ok_or(breaches))
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
        q.confirm_plan(&plan::plan(&service, preset), &action)?;
    }
    output::write_user_file(&args.file, text.as_bytes(), replace)?;
    let schema_file = args.file.with_file_name(init::SCHEMA_FILE);
    if !schema_file.exists() {
        output::write_user_file(
            &schema_file,
            schema::schema_text(SchemaKind::Spec).as_bytes(),
            false,
        )?;
    }
    ui.note(format!("wrote {}", args.file.display()));
    if args.spec_only {
        return Ok(());
    }
    render_command(
        &RenderArgs {
            file: vec![args.file.clone()],
            output: Some(args.output.clone()),
            force: args.force,
            allow_unpinned_image: args.allow_unpinned_image,
            customise: CustomiseArgs {
                presets: args.presets.clone(),
                ..CustomiseArgs::default()
            },
            ..RenderArgs::default()
        },
        ui,
    )
    .map_err(|e| {
        Error::Output(format!(
            "{e}\n{} is written: fix the problem, then run `kubeward render -f {} -o {}`",
            args.file.display(),
            args.file.display(),
            args.output.display()
        ))
    })
}

fn render_command(args: &RenderArgs, ui: &Ui) -> Result<(), Error> {
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
        presets: args.customise.presets.lookup(),
        templates: args.customise.templates.as_deref(),
        allow_template_override: &args.customise.allow_template_override,
        annotate: args.annotate,
    })?;
    match &args.output {
        None => print_stdout(&render::stream(&rendered.manifests)),
        Some(dir) => {
            output::write_dir(dir, &render::files(&rendered.manifests), args.force)?;
            ui.note(format!(
                "rendered the bundle into {}: apply it with `kubectl apply -k {}`",
                dir.display(),
                dir.display()
            ));
            Ok(())
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

/// Renders a batch: several `-f`, or a folder of specs.
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
            presets: args.customise.presets.lookup(),
            templates: args.customise.templates.as_deref(),
            allow_template_override: &args.customise.allow_template_override,
            annotate: args.annotate,
            output: args.output.as_deref(),
            force: args.force,
            keep_going: args.keep_going,
        },
        print_stdout,
    )
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
