//! `kubeward cluster`: the control plane's files from a cluster spec (`SecureCluster`), a
//! small pipeline of its own. The spec is read (`spec`) and validated (`validate`); the
//! secretbox keys come from the state folder (`keys`, through `material::state`); the files
//! are rendered (`files`) and held to the rules of `check`, which judge them as they judge
//! anyone's; then the keys are kept and the folder written, atomically, through `output`.

pub mod files;
pub mod keys;
pub mod spec;
pub mod validate;

use std::path::Path;

use crate::check::load::load_text;
use crate::check::releases;
use crate::check::{self, Finding};
use crate::error::{Error, SpecError, Warning};
use crate::material::state::{self, State};
use crate::output::{self, OutFile};
use keys::Progress;
use validate::{Cluster, Provider};

/// The rule whose finding is a warning of `kubeward cluster`, not a refusal: rendering for a
/// cluster that runs an old minor is how its upgrade starts.
const VERSION_RULE: &str = "KW-CP-021";

/// What a run is given.
pub struct Options<'a> {
    /// The cluster spec.
    pub file: &'a Path,
    /// The folder the files are written into.
    pub output: &'a Path,
    /// The state folder; default `.kubeward/` beside the spec.
    pub state_dir: Option<&'a Path>,
    /// Move the encryption key's rotation one step on.
    pub rotate: bool,
    /// Write into a folder that holds files kubeward did not write.
    pub force: bool,
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    pub cluster: Cluster,
    /// The files written, in order.
    pub files: Vec<String>,
    /// Where the key rotation stands, when one is under way or this run finished one.
    pub rotation: Option<Progress>,
}

/// What the user should know of a cluster: a Kubernetes minor out of upstream support, or
/// newer than the release table.
pub fn warnings(cluster: &Cluster) -> Vec<Warning> {
    let unsupported = releases::unsupported(&cluster.version)
        .map(|message| Warning::new("kubernetes-unsupported", message));
    let unknown = releases::unknown(&cluster.version)
        .map(|message| Warning::new("kubernetes-unknown", message));
    unsupported.into_iter().chain(unknown).collect()
}

/// Renders the files of the cluster `options.file` describes into `options.output`. Its
/// [`warnings`] go to `confirm` before anything is read from or written to the state folder
/// (an error there stops the run with nothing written).
pub fn run(
    options: &Options,
    confirm: impl FnOnce(&[Warning]) -> Result<(), Error>,
) -> Result<Outcome, Error> {
    output::check_dir(options.output, options.force)?;
    let cluster = load(options.file)?;
    let warnings = warnings(&cluster);
    confirm(&warnings)?;
    let state_dir = match options.state_dir {
        Some(dir) => dir.to_path_buf(),
        None => options
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join(state::DEFAULT_DIR),
    };
    let (keys, kept) = match &cluster.encryption.provider {
        Provider::Secretbox => {
            let state = State::open(&state_dir)?;
            let keys = keys::for_run(&state, &cluster.name, options.rotate)?;
            (keys.keys.clone(), Some((state, keys)))
        }
        Provider::Kms { .. } if options.rotate => {
            return Err(Error::Usage(
                "--rotate encryption-key: with `provider: kms` the key is the KMS's own; rotate it there (the API server follows the plugin's key id)".into(),
            ));
        }
        Provider::Kms { .. } => (migrating_readers(&cluster, &state_dir)?, None),
    };
    let rotation = kept
        .as_ref()
        .and_then(|(_, keys)| keys.progress(options.rotate));
    let warnings: Vec<String> = warnings.iter().map(|w| w.message.clone()).collect();
    let files = files::render(&files::Inputs {
        cluster: &cluster,
        keys: &keys,
        rotation: rotation.as_ref(),
        warnings: &warnings,
    });
    self_check(&files)?;
    if let Some((state, keys)) = &kept {
        keys::keep(state, &cluster.name, keys)?;
    }
    output::write_dir(options.output, &files, options.force)?;
    Ok(Outcome {
        cluster,
        files: files.into_iter().map(|f| f.name).collect(),
        rotation,
    })
}

/// Reads and validates the spec; every problem names its field and line.
pub fn load(path: &Path) -> Result<Cluster, Error> {
    let loaded = spec::load(path)?;
    validate::validate(&loaded.file).map_err(|errors| {
        let mut errors: Vec<_> = errors
            .into_iter()
            .map(|e| {
                let line = loaded.locator.line_of(&e.field);
                e.at_line(line)
            })
            .collect();
        errors.sort_by_key(|e| e.line);
        Error::Spec(SpecError::InvalidCluster {
            path: path.to_path_buf(),
            errors,
        })
    })
}

/// With `kms` while migrating, the secretbox keys kept from an earlier render, so that the
/// API server still reads what they encrypted. Nothing is created when there are none.
fn migrating_readers(cluster: &Cluster, state_dir: &Path) -> Result<Vec<keys::Key>, Error> {
    if !cluster.encryption.migrating || !state_dir.is_dir() {
        return Ok(Vec::new());
    }
    let state = State::open(state_dir)?;
    Ok(keys::kept(&state, &cluster.name)?
        .map(|kept| kept.keys)
        .unwrap_or_default())
}

/// The rendered files parsed back and judged by every rule of `check`: a finding fails the
/// render (a defect of kubeward's). An unsupported Kubernetes minor is the run's warning
/// instead, said before.
fn self_check(files: &[OutFile]) -> Result<(), Error> {
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| f.name.ends_with(".yaml")) {
        let loaded = load_text(&file.name, &file.content);
        if let Some(error) = loaded.errors.first() {
            problems.push(format!("{}: {}", file.name, error.message));
        }
        for Finding { rule, message, .. } in check::run(&loaded.objects) {
            if rule.id != VERSION_RULE {
                problems.push(format!(
                    "{}: {} {}: {message}",
                    file.name, rule.id, rule.title
                ));
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Render(format!(
        "the self-check found {} problem(s) in the rendered control-plane files:\n  - {}",
        problems.len(),
        problems.join("\n  - ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Cluster {
        let file: spec::ClusterFile = serde_saphyr::from_str(
            "apiVersion: kubeward.dev/v1alpha1\nkind: SecureCluster\nmetadata: {name: prod}\nspec: {kubernetesVersion: \"1.36.3\"}\n",
        )
        .unwrap();
        validate::validate(&file).unwrap()
    }

    #[test]
    fn the_self_check_refuses_files_that_break_a_rule() {
        let cluster = cluster();
        let key = keys::Key {
            name: "key-1".into(),
            secret: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".into(),
        };
        let mut rendered = files::render(&files::Inputs {
            cluster: &cluster,
            keys: std::slice::from_ref(&key),
            rotation: None,
            warnings: &[],
        });
        self_check(&rendered).unwrap();
        let kubeadm = rendered
            .iter_mut()
            .find(|f| f.name == files::KUBEADM_FILE)
            .unwrap();
        let anonymous = "- name: anonymous-auth\n      value: \"false\"";
        assert!(kubeadm.content.contains(anonymous));
        kubeadm.content = kubeadm
            .content
            .replace(anonymous, "- name: anonymous-auth\n      value: \"true\"");
        let error = self_check(&rendered).unwrap_err().to_string();
        assert!(error.contains("kubeadm-config.yaml: KW-CP-001"), "{error}");
    }
}
