//! Many services in one run (`render -f A -f B`, `render -f DIR`): finding the specs,
//! rendering them on every core, and reporting every failure with its file. Each service is
//! written to its own folder `OUT/<namespace>/<name>/`, or all of them, in the order given,
//! to one stream.
//!
//! A batch runs in three passes over the specs, each spread over the cores with its results
//! kept in the specs' order: load and validate (no state is touched, so a batch with an
//! invalid spec writes nothing at all), then plan, gather material and render, then write.
//! Presets and CAs are resolved once for the whole run.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Failure, Warning};
use crate::material::pki::CaCache;
use crate::output::{self, git};
use crate::pipeline::parallel::parallel_map;
use crate::pipeline::{self, Input};
use crate::plan;
use crate::preset;
use crate::render;
use crate::spec::flags::SpecFlags;
use crate::validate::{Overrides, Service};

/// The file name a folder's specs are found by.
pub const SPEC_FILE: &str = "kubeward.yaml";

/// Whether these `-f` paths ask for a batch: more than one, or a folder.
pub fn is_batch(paths: &[PathBuf]) -> bool {
    paths.len() > 1 || paths.iter().any(|path| path.is_dir())
}

/// The choices that apply to every service of a batch.
pub struct Options<'a> {
    pub overrides: Overrides,
    /// One state folder for every spec, instead of `.kubeward/` beside each.
    pub state_dir: Option<&'a Path>,
    /// Where named presets are looked up besides the shipped ones.
    pub presets: preset::Lookup<'a>,
    /// A folder of template overrides (`--templates`), over each preset's own.
    pub templates: Option<&'a Path>,
    /// Invariant controls an override template may drop, each recorded on its object.
    pub allow_template_override: &'a [String],
    /// Comment the manifests with the decisions behind their fields.
    pub annotate: bool,
    /// The folder that gets one sub-folder per service; without it, one stream is printed.
    pub output: Option<&'a Path>,
    pub force: bool,
    /// Render the services whose specs are good even when others fail.
    pub keep_going: bool,
    /// Refuse every secret value in base64 that git would commit (or cannot tell about).
    pub gitops: bool,
}

/// A validated service and where its spec came from.
struct Loaded {
    spec: PathBuf,
    service: pipeline::Loaded,
}

/// Renders every spec the paths name. With an output folder, each service is written to
/// `OUT/<namespace>/<name>/`; without, each service's stream goes to `print`, in order. When any spec fails,
/// the error lists every failure with its file, and nothing is written unless `keep_going`.
/// The warnings about secret values that git would commit go to `warn` before anything is
/// rendered.
pub fn run(
    paths: &[PathBuf],
    options: &Options,
    warn: impl Fn(&[Warning]) -> Result<(), Error>,
    print: impl Fn(&str) -> Result<(), Error>,
) -> Result<(), Error> {
    let specs = discover(paths);
    let total = specs.len();
    let presets = preset::Cache::default();
    let mut loaded = parallel_map(specs, |spec| {
        let loaded = load(spec?, options, &presets)?;
        if let Some(out) = options.output {
            output::check_dir(&service_dir(out, &loaded.service.0), options.force)
                .map_err(|error| failed(&loaded.spec, error))?;
        }
        Ok(loaded)
    });
    refuse_duplicates(&mut loaded);
    let mut loaded = stop_unless_kept(loaded, total, options)?;
    let warnings = secrets_exposed(&mut loaded, options);
    let loaded = stop_unless_kept(loaded, total, options)?;
    warn(&warnings)?;
    let cas = CaCache::default();
    let flags = SpecFlags::default();
    let rendered_by = |Loaded { spec, service }: Loaded| {
        pipeline::render_service(&input(&spec, &flags, options), service, &cas)
            .map(|rendered| (spec.clone(), rendered))
            .map_err(|error| failed(&spec, error))
    };
    match options.output {
        Some(out) => {
            let bundles = parallel_map(loaded, |loaded| {
                let (spec, rendered) = rendered_by(loaded?)?;
                let files = render::files(&rendered.manifests);
                Ok((spec, service_dir(out, &rendered.service), files))
            });
            let bundles = stop_unless_kept(bundles, total, options)?;
            let written = parallel_map(bundles, |bundle| {
                let (spec, dir, files) = bundle?;
                output::write_dir(&dir, &files, options.force).map_err(|error| failed(&spec, error))
            });
            finish(written, total)
        }
        None => {
            let streams = parallel_map(loaded, |loaded| {
                let (_, rendered) = rendered_by(loaded?)?;
                Ok(render::stream(&rendered.manifests))
            });
            let streams = stop_unless_kept(streams, total, options)?;
            for stream in streams.iter().flatten() {
                print(stream)?;
            }
            finish(streams, total)
        }
    }
}

/// The warnings about secret values git would commit, for every service loaded; under
/// `--gitops`, each such service fails instead (see [`git::exposure`]).
fn secrets_exposed(loaded: &mut [Result<Loaded, Failure>], options: &Options) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for entry in loaded.iter_mut() {
        let Ok(this) = entry else { continue };
        let (service, preset, _) = &this.service;
        let files = plan::plan(service, &preset.preset).plaintext_files();
        let dir = options.output.map(|out| service_dir(out, service));
        match git::exposure(dir.as_deref(), &files, options.gitops) {
            Ok(warning) => warnings.extend(warning),
            Err(error) => *entry = Err(failed(&this.spec, error)),
        }
    }
    warnings
}

/// `OUT/<namespace>/<name>`: unambiguous, since a batch renders each service once, and safe,
/// since both are validated DNS labels.
fn service_dir(out: &Path, service: &Service) -> PathBuf {
    out.join(&service.namespace).join(&service.name)
}

fn failed(spec: &Path, error: Error) -> Failure {
    Failure {
        spec: spec.to_path_buf(),
        error,
    }
}

/// The specs the `-f` paths name, in order: a file as given; a folder as every
/// `kubeward.yaml` in it and its sub-folders, sorted by path, hidden folders (`.kubeward/`,
/// `.git/`) skipped. A spec named twice is rendered once.
fn discover(paths: &[PathBuf]) -> Vec<Result<PathBuf, Failure>> {
    let mut found = Vec::new();
    for path in paths {
        if !path.is_dir() {
            found.push(Ok(path.clone()));
            continue;
        }
        let mut specs = Vec::new();
        match find_specs(path, &mut specs) {
            Err(error) => found.push(Err(failed(path, error))),
            Ok(()) if specs.is_empty() => found.push(Err(failed(
                path,
                Error::Usage(format!(
                    "no {SPEC_FILE} in this folder or its sub-folders (other spec files can be given with -f FILE)"
                )),
            ))),
            Ok(()) => {
                specs.sort();
                found.extend(specs.into_iter().map(Ok));
            }
        }
    }
    let mut seen = HashSet::new();
    found.retain(|spec| match spec {
        Ok(path) => seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone())),
        Err(_) => true,
    });
    found
}

fn find_specs(dir: &Path, specs: &mut Vec<PathBuf>) -> Result<(), Error> {
    let unreadable = |e| Error::io(format!("cannot read folder {}", dir.display()), e);
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name();
        if entry.file_type().map_err(unreadable)?.is_dir() {
            if !name.to_string_lossy().starts_with('.') {
                find_specs(&entry.path(), specs)?;
            }
        } else if name == SPEC_FILE {
            specs.push(entry.path());
        }
    }
    Ok(())
}

/// The pipeline's input for one spec of the batch: no service flags, nothing rotated.
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
    }
}

fn load(spec: PathBuf, options: &Options, presets: &preset::Cache) -> Result<Loaded, Failure> {
    let flags = SpecFlags::default();
    match pipeline::load_service_with(&input(&spec, &flags, options), presets) {
        Ok(service) => Ok(Loaded { spec, service }),
        Err(error) => Err(failed(&spec, error)),
    }
}

/// Fails every spec after the first that describes the same service (namespace and name):
/// their objects and output folders would be the same.
fn refuse_duplicates(loaded: &mut [Result<Loaded, Failure>]) {
    let mut first: HashMap<(&str, &str), &Path> = HashMap::new();
    let mut duplicates = Vec::new();
    for (index, entry) in loaded.iter().enumerate() {
        let Ok(this) = entry else { continue };
        let service = &this.service.0;
        let key = (service.namespace.as_str(), service.name.as_str());
        match first.get(&key) {
            Some(earlier) => duplicates.push((
                index,
                failed(
                    &this.spec,
                    Error::Usage(format!(
                        "describes service {}/{} as {} does; a batch renders each service once",
                        key.0,
                        key.1,
                        earlier.display()
                    )),
                ),
            )),
            None => {
                first.insert(key, &this.spec);
            }
        }
    }
    for (index, failure) in duplicates {
        loaded[index] = Err(failure);
    }
}

/// Ends the run with every failure so far, unless there is none or the batch keeps going.
fn stop_unless_kept<T>(
    results: Vec<Result<T, Failure>>,
    total: usize,
    options: &Options,
) -> Result<Vec<Result<T, Failure>>, Error> {
    if options.keep_going || results.iter().all(Result::is_ok) {
        return Ok(results);
    }
    Err(batch_error(results, total, false))
}

/// The outcome once the good services are delivered: success, or every failure.
fn finish<T>(results: Vec<Result<T, Failure>>, total: usize) -> Result<(), Error> {
    if results.iter().all(Result::is_ok) {
        return Ok(());
    }
    Err(batch_error(results, total, true))
}

fn batch_error<T>(results: Vec<Result<T, Failure>>, total: usize, rendered_others: bool) -> Error {
    Error::Batch {
        failures: results.into_iter().filter_map(Result::err).collect(),
        total,
        rendered_others,
    }
}
