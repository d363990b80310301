//! A system of services in one run (`render -f DIR`, `render -f A -f B`): finding the specs,
//! loading and validating them, seeing them whole (`system`: both ends of every connection,
//! one trust), then planning, rendering and writing them as one output (`render::layout`),
//! or one stream. Every failure is reported with its file.
//!
//! The run goes in passes, each spread over the cores with its results kept in the specs'
//! order: load and validate (no state is touched, so a system with an invalid spec, or whose
//! services do not fit together, writes nothing at all), then plan (keeping only what the
//! system needs of each plan: the names of its namespace's CA, its warnings), then plan again,
//! gather material and render, then write. Presets, CAs and the objects a namespace's services
//! share are obtained once for the whole run; the system keeps one state folder.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Error, Failure, Warning};
use crate::material::{Material, state};
use crate::output::{self, git};
use crate::pipeline::parallel::parallel_map;
use crate::pipeline::{self, Input};
use crate::plan::{self, NamespaceMarks, Placement, Plan};
use crate::preset;
use crate::render::Manifest;
use crate::render::layout::{self, Layout, ServiceFiles};
use crate::spec::discover::discover;
use crate::spec::flags::SpecFlags;
use crate::system::{CaNames, Member, System, widen_ca_names};
use crate::validate::Overrides;

/// Whether these `-f` paths make a system: more than one, or a folder.
pub fn is_system(paths: &[PathBuf]) -> bool {
    paths.len() > 1 || paths.iter().any(|path| path.is_dir())
}

/// The choices that apply to every service of a system.
pub struct Options<'a> {
    pub overrides: Overrides,
    /// The system's state folder, instead of `.kubeward/` in the folder of its specs.
    pub state_dir: Option<&'a Path>,
    /// Where named presets are looked up besides the shipped ones.
    pub presets: preset::Lookup<'a>,
    /// A folder of template overrides (`--templates`), over each preset's own.
    pub templates: Option<&'a Path>,
    /// Invariant controls an override template may drop, each recorded on its object.
    pub allow_template_override: &'a [String],
    /// Comment the manifests with the decisions behind their fields.
    pub annotate: bool,
    /// The output folder; without it, one stream is printed.
    pub output: Option<&'a Path>,
    pub force: bool,
    /// Render the services whose specs are good even when others fail.
    pub keep_going: bool,
    /// Refuse every secret value in base64 that git would commit (or cannot tell about).
    pub gitops: bool,
    /// The API server's endpoints (`--api-server-cidr`), for every service of the system.
    pub api_server_cidrs: &'a [String],
}

impl Options<'_> {
    /// Options that only read: for the commands that look at a system (`graph`, `explain`).
    pub fn reading(overrides: Overrides, presets: preset::Lookup<'_>) -> Options<'_> {
        Options {
            overrides,
            state_dir: None,
            presets,
            templates: None,
            allow_template_override: &[],
            annotate: false,
            output: None,
            force: false,
            keep_going: false,
            gitops: false,
            api_server_cidrs: &[],
        }
    }
}

/// The specs the paths name, loaded and validated, as one system; with `keep_going`, the
/// specs that failed are left out of it and returned, else they end the run.
pub fn load(paths: &[PathBuf], options: &Options) -> Result<(System, Vec<Failure>, usize), Error> {
    let specs = discover(paths);
    let total = specs.len();
    let presets = preset::Cache::default();
    let flags = SpecFlags::default();
    let mut loaded = parallel_map(specs, |spec| {
        let spec = spec?;
        pipeline::load_service_with(&input(&spec, &flags, options), &presets)
            .map_err(|error| failed(&spec, error))
    });
    refuse_duplicates(&mut loaded);
    let loaded = stop_unless_kept(loaded, total, options)?;
    let (members, failures): (Vec<_>, Vec<_>) = loaded.into_iter().partition(Result::is_ok);
    let members = members.into_iter().filter_map(Result::ok).collect();
    let failures = failures.into_iter().filter_map(Result::err).collect();
    Ok((System::new(members), failures, total))
}

/// The decisions of a plan that ask for something outside the system's output.
const WARNED: &[&str] = &["outside-peer", "unverified-server", "client-auth-outside"];

/// Renders the system the paths name. With an output folder, the whole system is written
/// into it (see [`crate::render::layout`]); without, its stream goes to `print`. When any
/// spec fails, the error lists every failure with its file, and nothing is written unless
/// `keep_going`; when the services do not fit together, nothing is written at all. The
/// warnings (what pods outside the system need, what cannot be verified, the services' own,
/// the secret values git would commit) go to `warn` before the state folder is touched; those
/// of the material (a kept CA near its end), once each, before anything is written. What the
/// platform must put on each namespace it owns goes to `note`, once a namespace.
pub fn run(
    paths: &[PathBuf],
    options: &Options,
    warn: impl Fn(&[Warning]) -> Result<(), Error>,
    note: impl Fn(&str, &NamespaceMarks),
    print: impl Fn(&str) -> Result<(), Error>,
) -> Result<(), Error> {
    let (system, mut failures, total) = load(paths, options)?;
    refuse_problems(&system)?;
    if let Some(out) = options.output {
        output::check_dir(out, options.force)?;
    }
    let state_dir = match options.state_dir {
        Some(dir) => dir.to_path_buf(),
        None => common_folder(paths).join(state::DEFAULT_DIR),
    };
    // Plans are cheap and large: a first pass keeps only what the system needs of them (the
    // names each namespace's CA must permit, the warnings), the render plans each again.
    let indices: Vec<usize> = (0..system.members.len()).collect();
    let firsts = parallel_map(indices, |i| {
        let plan = plan_of(&system, i);
        let exposed = exposure(&plan, options)
            .map_err(|error| failed(&system.members[i].spec.clone().unwrap_or_default(), error));
        (
            plan.namespace.clone(),
            plan.ca_names.clone(),
            exposed.map(|exposed| [warnings(&plan), exposed].concat()),
            plan.platform_namespace.clone(),
        )
    });
    let mut ca_names = CaNames::default();
    let mut warned = Vec::new();
    let mut exposed = Vec::new();
    let mut platform_namespaces = BTreeMap::new();
    for (namespace, names, warnings, marks) in firsts {
        if let Some(marks) = marks {
            platform_namespaces
                .entry(namespace.clone())
                .or_insert(marks);
        }
        ca_names.add(&namespace, names);
        match warnings {
            Ok(warnings) => {
                warned.extend(warnings);
                exposed.push(Ok(()));
            }
            Err(failure) => exposed.push(Err(failure)),
        }
    }
    // Under --gitops, a service whose secret values git would receive fails (and, kept
    // going, is left out).
    let exposed = stop_unless_kept(exposed, total, options)?;
    let kept: Vec<bool> = exposed.iter().map(Result::is_ok).collect();
    failures.extend(exposed.into_iter().filter_map(Result::err));
    warn(&warned)?;
    for (namespace, marks) in &platform_namespaces {
        note(namespace, marks);
    }
    let run = pipeline::Run::default();
    let flags = SpecFlags::default();
    let surroundings: Vec<_> = (0..system.members.len())
        .map(|i| system.surroundings(i))
        .collect();
    let planned: Vec<(Member, _)> = system
        .members
        .into_iter()
        .zip(surroundings)
        .zip(kept)
        .filter_map(|(planned, kept)| kept.then_some(planned))
        .collect();
    let rendered = parallel_map(planned, |(member, around)| {
        let mut plan = plan::plan_in(&member.service, &member.preset.preset, &around);
        drop(around);
        ca_names.widen(&mut plan);
        let spec = member.spec.clone().unwrap_or_default();
        let rendered = pipeline::render_with_state(
            &input(&spec, &flags, options),
            member,
            plan,
            &state_dir,
            &run,
        )
        .map_err(|error| failed(&spec, error))?;
        let files = ServiceFiles {
            origin: spec.display().to_string(),
            namespace: rendered.service.namespace,
            name: rendered.service.name,
            objects: layout::placed(rendered.manifests),
        };
        Ok((files, rendered.warnings))
    });
    let rendered = stop_unless_kept(rendered, total, options)?;
    let (services, failed_renders): (Vec<_>, Vec<_>) =
        rendered.into_iter().partition(Result::is_ok);
    failures.extend(failed_renders.into_iter().filter_map(Result::err));
    let (services, renewals): (Vec<_>, Vec<_>) =
        services.into_iter().filter_map(Result::ok).unzip();
    // The CAs the services share (the root, above all) are warned about once.
    let mut once = Vec::new();
    for warning in renewals.into_iter().flatten() {
        if !once.contains(&warning) {
            once.push(warning);
        }
    }
    warn(&once)?;
    let layout = Layout::new(services).map_err(|problems| Error::System { problems })?;
    match options.output {
        Some(out) => output::write_dir(out, &layout.files(), options.force)?,
        None => {
            for part in layout.stream() {
                print(&part)?;
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(batch_error(failures, total, true))
    }
}

/// Ends the run when the system's services do not fit together.
pub fn refuse_problems(system: &System) -> Result<(), Error> {
    if system.problems.is_empty() {
        return Ok(());
    }
    Err(Error::System {
        problems: system.problems.iter().map(ToString::to_string).collect(),
    })
}

/// The plan of member `i` among the others.
fn plan_of(system: &System, i: usize) -> Plan {
    let member = &system.members[i];
    plan::plan_in(
        &member.service,
        &member.preset.preset,
        &system.surroundings(i),
    )
}

/// The plan of every member, each among the others, with its namespace CA's names widened to
/// the whole namespace's.
pub fn plans(system: &System) -> Vec<Plan> {
    let indices: Vec<usize> = (0..system.members.len()).collect();
    let mut plans = parallel_map(indices, |i| plan_of(system, i));
    widen_ca_names(&mut plans);
    plans
}

/// The system's objects with every secret value and key a placeholder (no state folder is
/// opened): for the commands that look at its shape (`graph -f DIR`), never for one to apply.
/// What is written apart for namespaces outside the system is left out.
pub fn render_shapes(
    system: System,
    plans: Vec<Plan>,
    options: &Options,
) -> Result<Vec<Manifest>, Error> {
    let flags = SpecFlags::default();
    let total = system.members.len();
    let mut manifests = Vec::new();
    for (member, plan) in system.members.into_iter().zip(plans) {
        let spec = member.spec.clone().unwrap_or_default();
        let rendered = pipeline::render_planned(
            &input(&spec, &flags, options),
            member,
            plan,
            None,
            |_, plan, _| Ok(Material::placeholder(plan)),
        )
        .map_err(|error| batch_error(vec![failed(&spec, error)], total, false))?;
        manifests.extend(
            rendered
                .manifests
                .into_iter()
                .filter(|m| m.object.placement != Placement::Outside),
        );
    }
    Ok(manifests)
}

/// The warnings of a plan, and those of its decisions that ask for something outside the
/// system's output, each naming its service.
fn warnings(plan: &Plan) -> Vec<Warning> {
    let named = |message: &str| format!("{}/{}: {message}", plan.namespace, plan.name);
    plan.warnings
        .iter()
        .map(|w| Warning::new(w.id, named(&w.message)))
        .chain(
            plan.decisions
                .iter()
                .filter(|d| WARNED.contains(&d.id))
                .map(|d| Warning::new(d.id, named(&d.summary))),
        )
        .collect()
}

/// What git would receive of the plan's secret values, in the service's folder of the
/// output (see [`git::exposure`]): a warning, or under `--gitops` an error.
fn exposure(plan: &Plan, options: &Options) -> Result<Vec<Warning>, Error> {
    let dir = options
        .output
        .map(|out| out.join(&plan.namespace).join(&plan.name));
    Ok(
        git::exposure(dir.as_deref(), &plan.plaintext_files(), options.gitops)?
            .into_iter()
            .collect(),
    )
}

/// The folder the paths have in common (a file counts as its folder): where the system's
/// state folder is kept by default.
fn common_folder(paths: &[PathBuf]) -> PathBuf {
    let folders: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            let folder = if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            std::path::absolute(&folder).unwrap_or(folder)
        })
        .collect();
    let mut common = folders.first().cloned().unwrap_or_default();
    for folder in &folders[1..] {
        while !folder.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

fn failed(spec: &Path, error: Error) -> Failure {
    Failure {
        spec: spec.to_path_buf(),
        error,
    }
}

/// The pipeline's input for one spec of the system: no service flags, nothing rotated.
fn input<'a>(spec: &'a Path, flags: &'a SpecFlags, options: &'a Options) -> Input<'a> {
    Input {
        file: Some(spec),
        flags,
        overrides: options.overrides,
        state_dir: options.state_dir,
        rotate: &[],
        presets: options.presets,
        templates: options.templates,
        allow_template_override: options.allow_template_override,
        annotate: options.annotate,
        api_server_cidrs: options.api_server_cidrs,
    }
}

/// Fails every spec after the first that describes the same service (namespace and name):
/// their objects and output folders would be the same.
fn refuse_duplicates(loaded: &mut [Result<Member, Failure>]) {
    let mut first: HashMap<(String, String), PathBuf> = HashMap::new();
    for entry in loaded.iter_mut() {
        let Ok(member) = entry else { continue };
        let service = &member.service;
        let key = (service.namespace.clone(), service.name.clone());
        let spec = member.spec.clone().unwrap_or_default();
        match first.get(&key) {
            Some(earlier) => {
                *entry = Err(failed(
                    &spec,
                    Error::Usage(format!(
                        "describes service {}/{} as {} does; a system holds each service once",
                        key.0,
                        key.1,
                        earlier.display()
                    )),
                ));
            }
            None => {
                first.insert(key, spec);
            }
        }
    }
}

/// Ends the run with every failure so far, unless there is none or the run keeps going.
fn stop_unless_kept<T>(
    results: Vec<Result<T, Failure>>,
    total: usize,
    options: &Options,
) -> Result<Vec<Result<T, Failure>>, Error> {
    if options.keep_going || results.iter().all(Result::is_ok) {
        return Ok(results);
    }
    Err(batch_error(
        results.into_iter().filter_map(Result::err).collect(),
        total,
        false,
    ))
}

fn batch_error(failures: Vec<Failure>, total: usize, rendered_others: bool) -> Error {
    Error::Batch {
        failures,
        total,
        rendered_others,
    }
}
