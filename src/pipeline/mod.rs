//! The stages run in order: load the spec, apply flags, resolve the preset, validate, plan,
//! gather material, render and self-check, for one service; `system` does the same for the
//! services of a system, on every core (`parallel`). Commands call this; it writes nothing but
//! the state folder.

pub mod parallel;
pub mod system;

use std::path::{Path, PathBuf};

use crate::check;
use crate::error::{Error, FieldError, SpecError, Warning};
use crate::material::{self, Material, Sources, state, trust};
use crate::plan::{self, Plan};
use crate::preset;
use crate::preset::floors::{self, Locks};
use crate::render::{self, Manifest};
use crate::spec::flags::SpecFlags;
use crate::spec::{self, SpecFile};
use crate::system::Member;
use crate::validate::{self, Overrides, Service};
use crate::yaml::locate::Locator;

/// The error when neither a spec file nor flags describe the service.
pub const DESCRIBE_THE_SERVICE: &str = "describe the service with -f kubeward.yaml, or with flags (--name, --namespace, --image, --port, ...)";

/// Where a service description comes from, and the choices that go with a render.
pub struct Input<'a> {
    pub file: Option<&'a Path>,
    pub flags: &'a SpecFlags,
    pub overrides: Overrides,
    /// The state folder; default `.kubeward/` beside the spec (or in the current folder).
    pub state_dir: Option<&'a Path>,
    /// Generated secrets to replace on purpose.
    pub rotate: &'a [String],
    /// Where named presets are looked up besides the shipped ones.
    pub presets: preset::Lookup<'a>,
    /// A folder of template overrides (`--templates`), over the preset's own.
    pub templates: Option<&'a Path>,
    /// Invariant controls an override template may drop, each recorded on its object.
    pub allow_template_override: &'a [String],
    /// Comment the manifests with the decisions behind their fields.
    pub annotate: bool,
    /// The API server's endpoints (`--api-server-cidr`), in place of the preset's
    /// `apiServer.cidrs` when any is given.
    pub api_server_cidrs: &'a [String],
}

/// The flag that gives the API server's endpoints for one run.
pub const API_SERVER_CIDR_FLAG: &str = "--api-server-cidr";

/// A validated service, its plan and its rendered manifests.
pub struct Rendered {
    pub service: Service,
    pub preset: preset::Resolved,
    pub plan: Plan,
    pub manifests: Vec<Manifest>,
    /// The folder relative paths in the spec are resolved against.
    pub base_dir: PathBuf,
    /// What the material warns about: the CAs it keeps that near their end.
    pub warnings: Vec<Warning>,
}

/// Loads and validates the service described by `input`, with its resolved preset; a spec
/// field below one of the preset's floors, and a preset chain without a required preset, are
/// validation errors like any other.
pub fn load_service(input: &Input) -> Result<Member, Error> {
    load_service_with(input, &preset::Cache::default())
}

/// [`load_service`], taking presets from `presets` (a system shares one cache).
pub fn load_service_with(input: &Input, presets: &preset::Cache) -> Result<Member, Error> {
    let (mut file, locator, path, base_dir) = match input.file {
        Some(path) => {
            let loaded = spec::load(path)?;
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (loaded.spec, loaded.locator, Some(path.to_path_buf()), base)
        }
        None => (
            SpecFile::default(),
            Locator::default(),
            None,
            PathBuf::from("."),
        ),
    };
    if input.file.is_none() {
        if !input.flags.any() {
            return Err(Error::Usage(DESCRIBE_THE_SERVICE.into()));
        }
        file = input.flags.to_spec().map_err(Error::Usage)?;
    } else {
        input.flags.apply(&mut file).map_err(Error::Usage)?;
    }
    let preset_name = file
        .spec
        .preset
        .clone()
        .unwrap_or_else(|| preset::DEFAULT.to_string());
    let given = input.flags.given();
    let locate = |e: FieldError| match given.iter().find(|(field, _)| e.field.starts_with(field)) {
        Some((_, flag)) => FieldError::new(format!("{} (from {flag})", e.field), e.message),
        None => {
            let line = path.as_ref().and_then(|_| locator.line_of(&e.field));
            e.at_line(line)
        }
    };
    let mut resolved = presets
        .resolve(&preset_name, &base_dir, input.presets)
        .map_err(|err| {
            // A preset that cannot be found is a problem of spec.preset; problems inside a
            // preset file are listed with that file's own lines instead.
            match (&err, file.spec.preset.is_some()) {
                (Error::Preset { message, .. }, true) if !message.contains('\n') => {
                    Error::Spec(SpecError::Invalid {
                        path: path.clone(),
                        errors: vec![locate(FieldError::new("spec.preset", err.to_string()))],
                    })
                }
                _ => err,
            }
        })?;
    let mut errors = floors::check_spec(&resolved.floors, &resolved.set_by, &file);
    if !input.api_server_cidrs.is_empty() {
        let services = &resolved.preset.cluster_ranges.services;
        for text in input.api_server_cidrs {
            if let Err(why) = preset::api_server_cidr(text, services) {
                errors.push(FieldError::new(API_SERVER_CIDR_FLAG, why));
            }
        }
        resolved.preset.api_server.cidrs = input.api_server_cidrs.to_vec();
    }
    let requirements = preset::required::in_force(input.presets)?;
    for message in preset::required::unmet(&resolved, &requirements, input.presets) {
        errors.push(FieldError::new("spec.preset", message));
    }
    let service = match validate::validate(&file, &resolved.preset, input.overrides) {
        Ok(service) if errors.is_empty() => Some(service),
        Ok(_) => None,
        Err(invalid) => {
            errors.splice(0..0, invalid);
            None
        }
    };
    // The controller's certificate is read now, so that a bad one fails like a bad field,
    // before anything is written.
    let certificate = service
        .as_ref()
        .and_then(|s| s.sealing.as_ref())
        .map(|sealing| material::sealing_key(sealing, &base_dir, time::OffsetDateTime::now_utc()));
    if let Some(Err(error)) = certificate {
        errors.push(error);
    }
    let Some(service) = service.filter(|_| errors.is_empty()) else {
        let mut errors: Vec<_> = errors.into_iter().map(locate).collect();
        errors.sort_by_key(|e| e.line);
        return Err(SpecError::Invalid { errors, path }.into());
    };
    Ok(Member {
        spec: path,
        service,
        preset: resolved,
        base_dir,
        lines: locator,
    })
}

/// Loads, validates and plans, touching no secret.
pub fn plan(input: &Input) -> Result<(Service, Plan), Error> {
    let member = load_service(input)?;
    let plan = plan::plan(&member.service, &member.preset.preset);
    Ok((member.service, plan))
}

/// The templates of a render: the shipped ones, overridden by the preset's folder, then by
/// `--templates`.
fn templates(input: &Input, preset: &preset::Resolved) -> Result<render::Templates, Error> {
    let dirs: Vec<PathBuf> = preset
        .preset
        .templates
        .iter()
        .map(PathBuf::from)
        .chain(input.templates.map(Path::to_path_buf))
        .collect();
    render::Templates::load(&dirs)
}

/// Loads, validates, plans and renders with every secret value and key replaced by a
/// placeholder: no state folder, no secret file or variable read. For commands that look at
/// the shape of a bundle (`graph -f`, `diff-presets`), never for one to apply.
pub fn render_shape(input: &Input) -> Result<Rendered, Error> {
    let member = load_service(input)?;
    let plan = plan::plan(&member.service, &member.preset.preset);
    render_planned(input, member, plan, None, |_, plan, _| {
        Ok(Material::placeholder(plan))
    })
}

/// Loads, validates, plans and renders.
pub fn render(input: &Input) -> Result<Rendered, Error> {
    let member = load_service(input)?;
    let plan = plan::plan(&member.service, &member.preset.preset);
    let state_dir = match input.state_dir {
        Some(dir) => dir.to_path_buf(),
        None => member.base_dir.join(state::DEFAULT_DIR),
    };
    render_with_state(input, member, plan, &state_dir, &Run::default())
}

/// What the services of one run share: the CAs obtained so far, and the objects of their
/// namespaces rendered so far.
#[derive(Default)]
pub struct Run {
    pub cas: trust::CaCache,
    pub shared: render::SharedRenders,
}

/// Renders a planned service with its material from `state_dir` (and what the run already
/// has, in `run`), then checks the manifests.
pub fn render_with_state(
    input: &Input,
    member: Member,
    plan: Plan,
    state_dir: &Path,
    run: &Run,
) -> Result<Rendered, Error> {
    render_planned(
        input,
        member,
        plan,
        Some(&run.shared),
        |service, plan, base_dir| {
            material::gather(
                service,
                plan,
                &Sources {
                    base_dir,
                    state_dir: state_dir.to_path_buf(),
                    rotate: input.rotate,
                    now: time::OffsetDateTime::now_utc(),
                    cas: &run.cas,
                },
            )
        },
    )
}

/// Gets a planned service's material from `material`, renders (the objects of its namespace
/// from `shared` when the run rendered them already) and self-checks.
pub fn render_planned(
    input: &Input,
    member: Member,
    plan: Plan,
    shared: Option<&render::SharedRenders>,
    material: impl FnOnce(&Service, &Plan, &Path) -> Result<Material, Error>,
) -> Result<Rendered, Error> {
    let Member {
        service,
        preset,
        base_dir,
        ..
    } = member;
    let material = material(&service, &plan, &base_dir)?;
    let manifests = render::render_sharing(
        &plan,
        &material,
        &templates(input, &preset)?,
        input.allow_template_override,
        input.annotate,
        shared,
    )?;
    self_check(&manifests, &[preset.locks()])?;
    Ok(Rendered {
        service,
        preset,
        plan,
        manifests,
        base_dir,
        warnings: material.warnings,
    })
}

/// The self-check of rendered manifests: every rule of `check` and the floors of their preset,
/// each object named by the file it is written to.
pub fn self_check(manifests: &[Manifest], floors: &[Locks]) -> Result<(), Error> {
    check::self_check(
        manifests.iter().map(|m| (m.object.file_name(), &m.value)),
        floors,
    )
}
