//! `kubeward render`: one service into a stream or a folder, or a batch of specs.

use std::path::PathBuf;

use super::shared::CustomiseArgs;
use crate::error::Error;
use crate::output::stdout::print_stdout;
use crate::output::ui::Ui;
use crate::output::{self, git};
use crate::pipeline::system;
use crate::pipeline::{self, Input};
use crate::plan::{NamespaceMarks, Plan};
use crate::render;
use crate::spec::flags::SpecFlags;
use crate::validate::Overrides;

#[derive(Debug, Default, clap::Args)]
pub struct RenderArgs {
    /// The service spec (kubeward.yaml); without it, the service is described by flags.
    /// Repeat it, or give a folder (every spec in it and its sub-folders: each kubeward.yaml,
    /// each .yaml of kind SecureService), to render a system: both ends of every connection
    /// checked, one trust, into OUTPUT/<namespace>/<name> with one kustomization, or one stream
    #[arg(long, short = 'f', value_name = "SPEC")]
    pub file: Vec<PathBuf>,
    /// Write one file per object (and kustomization.yaml) into this folder instead of stdout
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// In a system, render the services whose specs are good even when others fail (the exit
    /// status still reports the failures)
    #[arg(long)]
    pub keep_going: bool,
    /// Write into an output folder that holds files kubeward did not write
    #[arg(long)]
    pub force: bool,
    /// The state folder for generated secrets and keys [default: .kubeward beside the spec; for
    /// a system, in the folder of its specs]
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
    /// The output goes to git: refuse (exit 2, nothing written) any secret value in base64
    /// that git would commit, or that goes where git cannot tell (stdout, a folder outside
    /// any work tree); seal the Secrets or keep their values in a store
    #[arg(long)]
    pub gitops: bool,
    #[command(flatten)]
    pub customise: CustomiseArgs,
    #[command(flatten)]
    pub spec: SpecFlags,
}

pub fn run(args: &RenderArgs, ui: &Ui) -> Result<(), Error> {
    if system::is_system(&args.file) {
        return render_system(args, ui);
    }
    if let Some(dir) = &args.output {
        output::check_dir(dir, args.force)?;
    }
    let input = Input {
        file: args.file.first().map(PathBuf::as_path),
        flags: &args.spec,
        overrides: Overrides {
            allow_unpinned_image: args.allow_unpinned_image,
        },
        state_dir: args.state.as_deref(),
        rotate: &args.rotate,
        presets: args.customise.lookup(),
        templates: args.customise.templates.as_deref(),
        allow_template_override: &args.customise.allow_template_override,
        annotate: args.annotate,
        api_server_cidrs: &args.customise.api_server_cidr,
    };
    // What git would receive of the output's secret values: a warning, or under --gitops an
    // error. It is asked of the plan first when a warning or that error must stop the render
    // before the state folder is touched.
    let exposure =
        |plan: &Plan| git::exposure(args.output.as_deref(), &plan.plaintext_files(), args.gitops);
    let early = if ui.denies_warnings() || args.gitops {
        let (_, plan) = pipeline::plan(&input)?;
        let exposed = exposure(&plan)?;
        if ui.denies_warnings() {
            ui.warnings(&[plan.warnings, exposed.iter().cloned().collect()].concat())?;
        }
        Some(exposed)
    } else {
        None
    };
    let rendered = pipeline::render(&input)?;
    let exposed = match early {
        Some(exposed) => exposed,
        None => exposure(&rendered.plan)?,
    };
    let mut warnings = rendered.plan.warnings.clone();
    warnings.extend(exposed);
    warnings.extend(rendered.warnings.iter().cloned());
    ui.warnings(&warnings)?;
    if let Some(marks) = &rendered.plan.platform_namespace {
        ui.note(platform_namespace_note(&rendered.plan.namespace, marks));
    }
    match &args.output {
        None => print_stdout(&render::stream(&rendered.manifests)),
        Some(dir) => {
            output::write_dir(dir, &render::files(&rendered.manifests), args.force)?;
            ui.note(format!(
                "rendered the bundle into {}: apply it with `kubectl apply -k {}`",
                dir.display(),
                dir.display()
            ));
            if rendered.plan.plaintext_files().is_empty() {
                ui.note(format!(
                    "{} holds no secret value: it can be committed (GitOps); the state folder is not needed to apply it",
                    dir.display()
                ));
            }
            Ok(())
        }
    }
}

/// Renders a system: several `-f`, or a folder of specs.
fn render_system(args: &RenderArgs, ui: &Ui) -> Result<(), Error> {
    if args.spec.any() || !args.rotate.is_empty() {
        return Err(Error::Usage(
            "--rotate and the flags that describe a service (--name, --image, ...) apply to one spec, not to a system of several -f or a folder".into(),
        ));
    }
    system::run(
        &args.file,
        &system::Options {
            overrides: Overrides {
                allow_unpinned_image: args.allow_unpinned_image,
            },
            state_dir: args.state.as_deref(),
            presets: args.customise.lookup(),
            templates: args.customise.templates.as_deref(),
            allow_template_override: &args.customise.allow_template_override,
            annotate: args.annotate,
            output: args.output.as_deref(),
            force: args.force,
            keep_going: args.keep_going,
            gitops: args.gitops,
            api_server_cidrs: &args.customise.api_server_cidr,
        },
        |warnings| ui.warnings(warnings),
        |namespace, marks| ui.note(platform_namespace_note(namespace, marks)),
        print_stdout,
    )?;
    if let Some(dir) = &args.output {
        ui.note(format!(
            "rendered the system into {}: apply it with `kubectl apply -k {}`",
            dir.display(),
            dir.display()
        ));
    }
    Ok(())
}

/// What the platform must put on namespace `namespace`, which it owns, for the bundle to be
/// enforced as planned: a note, not a warning (the choice is the user's, and `--deny-warnings`
/// does not refuse it).
fn platform_namespace_note(namespace: &str, marks: &NamespaceMarks) -> String {
    format!(
        "namespace `{namespace}` is the platform's (namespace.manage: false): the bundle has no Namespace, ResourceQuota or LimitRange; for it to be enforced as planned the namespace must carry: {}",
        marks.commands(namespace)
    )
}
