//! The argument groups several commands share: where presets and templates come from, and
//! how a service is described to the commands that only look at its plan or its shape.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::error::Error;
use crate::pipeline::Input;
use crate::preset::Lookup;
use crate::render::invariants;
use crate::spec::flags::SpecFlags;
use crate::validate::Overrides;

/// The folder of named presets, shared by every command that resolves presets.
#[derive(Debug, Clone, Default, Args)]
pub struct PresetsDirArg {
    /// A folder of presets, each found by name as NAME.yaml (shipped names are reserved)
    #[arg(long, value_name = "DIR", env = "KUBEWARD_PRESETS_DIR")]
    pub presets_dir: Option<PathBuf>,
}

impl PresetsDirArg {
    pub fn lookup(&self) -> Lookup<'_> {
        Lookup {
            presets_dir: self.presets_dir.as_deref(),
            require: None,
        }
    }
}

/// The preset an organisation requires, shared by every command that renders or checks.
#[derive(Debug, Clone, Default, Args)]
pub struct RequirePresetArg {
    /// Refuse a preset chain that does not include the preset NAME (shipped or from the
    /// presets folder); KUBEWARD_REQUIRED_PRESET and requirePreset in the presets folder's
    /// kubeward-presets.yaml require one too, and every requirement holds
    #[arg(long, value_name = "NAME")]
    pub require_preset: Option<String>,
}

impl RequirePresetArg {
    /// Where presets are looked up (`presets`), with this requirement.
    pub fn lookup<'a>(&'a self, presets: &'a PresetsDirArg) -> Lookup<'a> {
        Lookup {
            require: self.require_preset.as_deref(),
            ..presets.lookup()
        }
    }
}

/// Where presets come from, which templates replace the shipped ones and where the API
/// server is (shared by the commands that render).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CustomiseArgs {
    #[command(flatten)]
    pub presets: PresetsDirArg,
    #[command(flatten)]
    pub required: RequirePresetArg,
    /// Replace shipped templates with the files of the same name in DIR (over the preset's)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Accept an override template that drops this control, recorded on the object (repeatable)
    #[arg(long, value_name = "CONTROL", value_parser = clap::builder::PossibleValuesParser::new(invariants::control_ids()))]
    pub allow_template_override: Vec<String>,
    /// The API server's endpoint addresses, for apiAccess egress, in place of the preset's
    /// apiServer.cidrs (repeatable; on the preset's apiServer.ports): those of `kubectl get
    /// endpointslices -n default -l kubernetes.io/service-name=kubernetes`, never the Service
    /// address 10.96.0.1
    #[arg(long, value_name = "CIDR")]
    pub api_server_cidr: Vec<String>,
}

impl CustomiseArgs {
    /// Where presets are looked up, with the required preset.
    pub fn lookup(&self) -> Lookup<'_> {
        self.required.lookup(&self.presets)
    }
}

/// How a service is described to the commands that only look at its plan or its shape.
#[derive(Debug, clap::Args)]
pub struct ServiceArgs {
    /// The service spec (kubeward.yaml), or a folder of specs: a system; without it, the
    /// service is described by flags
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

impl ServiceArgs {
    /// Whether a service was described at all (by a file or by flags).
    pub fn given(&self) -> bool {
        self.file.is_some() || self.spec.any()
    }

    /// The folder of a system's specs, when `-f` names one; the flags that describe a
    /// service do not go with it.
    pub fn system(&self) -> Result<Option<&Path>, Error> {
        let dir = self.file.as_deref().filter(|path| path.is_dir());
        if dir.is_some() && self.spec.any() {
            return Err(Error::Usage(
                "the flags that describe a service (--name, --image, ...) apply to one spec, not to a system given as a folder".into(),
            ));
        }
        Ok(dir)
    }

    pub fn overrides(&self) -> Overrides {
        Overrides {
            allow_unpinned_image: self.allow_unpinned_image,
        }
    }

    pub fn input(&self) -> Input<'_> {
        Input {
            file: self.file.as_deref(),
            flags: &self.spec,
            overrides: self.overrides(),
            state_dir: None,
            rotate: &[],
            presets: self.customise.lookup(),
            templates: self.customise.templates.as_deref(),
            allow_template_override: &self.customise.allow_template_override,
            annotate: false,
            api_server_cidrs: &self.customise.api_server_cidr,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}
