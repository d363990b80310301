//! `kubeward init`: the answers from the questionnaire (on a terminal) or from flags and the
//! preset alone, then the spec written and rendered. Besides the questions (`questionnaire`):
//! which answers are still missing (and the flags that give them), the preset's defaults made
//! explicit in a new spec, and the spec's text.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::questionnaire::{Questionnaire, env_var_set};
use super::render::{self, RenderArgs};
use super::schema::{self, SchemaKind};
use super::shared::{CustomiseArgs, PresetsDirArg, RequirePresetArg};
use crate::error::{Error, FieldError, SpecError};
use crate::output;
use crate::output::ui::Ui;
use crate::pipeline::API_SERVER_CIDR_FLAG;
use crate::plan;
use crate::preset::{self, Platform, Preset, floors, required};
use crate::spec::flags::SpecFlags;
use crate::spec::{self, Exposure, SpecFile, TlsMode};
use crate::validate::{self, Overrides};

/// The shipped preset `init` picks for OpenShift.
const OPENSHIFT_PRESET: &str = "openshift";

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
    /// The API server's endpoint addresses, for apiAccess egress, in place of the preset's
    /// apiServer.cidrs (repeatable); asked when the spec has apiAccess and the preset names none
    #[arg(long, value_name = "CIDR")]
    pub api_server_cidr: Vec<String>,
    #[command(flatten)]
    pub presets: PresetsDirArg,
    #[command(flatten)]
    pub required: RequirePresetArg,
    #[command(flatten)]
    pub spec: SpecFlags,
}

/// `init`: the answers come from the questionnaire when stdin and stderr are terminals and
/// `--yes` is not given, else from flags and the preset alone; nothing is written before
/// every answer is valid (and, when asked, confirmed).
pub fn run(args: &InitArgs, ui: &Ui) -> Result<(), Error> {
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let overrides = Overrides {
        allow_unpinned_image: args.allow_unpinned_image,
    };
    let mut file = args.spec.to_spec().map_err(Error::Usage)?;
    let lookup = args.required.lookup(&args.presets);
    let requirements = required::in_force(lookup)?;
    let mut required_names: Vec<&str> = requirements.iter().map(|r| r.name.as_str()).collect();
    required_names.sort_unstable();
    required_names.dedup();
    let base_dir = match args.file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let (None, [only]) = (&file.spec.preset, required_names.as_slice()) {
        // A new spec starts from the one preset required of it, and says so.
        file.spec.preset = Some(only.to_string());
    } else if terminal && !args.yes && file.spec.preset.is_none() {
        let default = preset::resolve(preset::DEFAULT, base_dir, lookup)?;
        let platform =
            Questionnaire::new(&default.preset, overrides, !args.spec_only).platform()?;
        if platform == Platform::Openshift {
            file.spec.preset = Some(OPENSHIFT_PRESET.to_string());
        }
    }
    let preset_name = file
        .spec
        .preset
        .clone()
        .unwrap_or_else(|| preset::DEFAULT.to_string());
    let resolved = preset::resolve(&preset_name, base_dir, lookup)?;
    let field = match args.spec.preset {
        Some(_) => "spec.preset (from --preset)",
        None => "spec.preset",
    };
    let unmet: Vec<FieldError> = required::unmet(&resolved, &requirements, lookup)
        .into_iter()
        .map(|message| FieldError::new(field, message))
        .collect();
    if !unmet.is_empty() {
        return Err(SpecError::Invalid {
            path: None,
            errors: unmet,
        }
        .into());
    }
    let preset = &resolved.preset;
    let questionnaire =
        (terminal && !args.yes).then(|| Questionnaire::new(preset, overrides, !args.spec_only));
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
            let missing = missing_flags(&file, preset);
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
            fill_defaults(&mut file, preset);
        }
    }
    let mut breaches = floors::check_spec(&resolved.floors, &resolved.set_by, &file);
    // Where the API server is: the flag, else asked when the spec needs it and the preset
    // names none; the spec and the render use them in place of the preset's.
    let api_server_cidrs = match &questionnaire {
        Some(q) if !file.spec.api_access.is_empty() && preset.api_server.cidrs.is_empty() => {
            q.api_server_cidrs(args.api_server_cidr.clone())?
        }
        _ => args.api_server_cidr.clone(),
    };
    for cidr in &api_server_cidrs {
        if let Err(why) = preset::api_server_cidr(cidr, &preset.cluster_ranges.services) {
            breaches.push(FieldError::new(API_SERVER_CIDR_FLAG, why));
        }
    }
    let mut preset = preset.clone();
    if !api_server_cidrs.is_empty() {
        preset.api_server.cidrs = api_server_cidrs.clone();
    }
    let preset = &preset;
    if !args.spec_only {
        // Read at the render right after: reported now, before the spec is written.
        for (i, secret) in file.spec.secrets.iter().enumerate() {
            if let Some(Err(why)) = secret.from_env.as_deref().map(env_var_set) {
                breaches.push(FieldError::new(
                    format!("spec.secrets[{i}].fromEnv (from --secret)"),
                    why,
                ));
            }
        }
    }
    let service = validate::validate(&file, preset, overrides)
        .and_then(|service| breaches.is_empty().then_some(service).ok_or(breaches))
        .map_err(|errors| SpecError::Invalid { path: None, errors })?;
    let text = spec_text(&file)?;
    let plan = plan::plan(&service, preset);
    if args.spec_only || ui.denies_warnings() {
        // Shown here when nothing is rendered; refused before the spec is written when denied
        // (the render below shows them otherwise).
        ui.warnings(&plan.warnings)?;
    }
    if let Some(q) = &questionnaire {
        let action = match args.spec_only {
            true => format!("Write {}?", args.file.display()),
            false => format!(
                "Write {} and render the bundle into {}?",
                args.file.display(),
                args.output.display()
            ),
        };
        q.confirm_plan(&plan, &action)?;
    }
    output::write_user_file(&args.file, text.as_bytes(), replace)?;
    let schema_file = args.file.with_file_name(SCHEMA_FILE);
    if !schema_file.exists() {
        output::write_user_file(
            &schema_file,
            schema::schema_text(SchemaKind::Spec).as_bytes(),
            false,
        )?;
    }
    ui.note(format!("wrote {}", args.file.display()));
    if !api_server_cidrs.is_empty() {
        let flags: String = api_server_cidrs
            .iter()
            .map(|c| format!(" {API_SERVER_CIDR_FLAG} {c}"))
            .collect();
        ui.note(format!(
            "the API server's endpoints are not in the spec: render it with `kubeward render -f {} -o {}{flags}`, or set apiServer.cidrs in a preset of yours",
            args.file.display(),
            args.output.display()
        ));
    }
    if args.spec_only {
        return Ok(());
    }
    render::run(
        &RenderArgs {
            file: vec![args.file.clone()],
            output: Some(args.output.clone()),
            force: args.force,
            allow_unpinned_image: args.allow_unpinned_image,
            customise: CustomiseArgs {
                presets: args.presets.clone(),
                required: args.required.clone(),
                api_server_cidr: api_server_cidrs.clone(),
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

/// The JSON Schema file `init` writes beside the spec (when none is there), for editors.
pub const SCHEMA_FILE: &str = "kubeward.schema.json";

/// The first lines of every spec `init` writes: the yaml-language-server modeline that points
/// editors at [`SCHEMA_FILE`] beside it, and what the file is.
pub const SPEC_HEADER: &str = "# yaml-language-server: $schema=./kubeward.schema.json\n# A kubeward service spec: `kubeward render -f <this file>` turns it into manifests.";

/// The flags for the answers `file` still lacks that have no default, in the order the
/// questionnaire asks them.
pub fn missing_flags(file: &SpecFile, preset: &Preset) -> Vec<&'static str> {
    let s = &file.spec;
    let mut missing = Vec::new();
    let mut need = |absent: bool, flag: &'static str| {
        if absent {
            missing.push(flag);
        }
    };
    need(file.metadata.name.is_none(), "--name NAME");
    need(file.metadata.namespace.is_none(), "--namespace NAMESPACE");
    need(s.image.is_none(), "--image IMAGE");
    // No --port: a worker, which listens on none.
    let exposure = s.exposure.unwrap_or(preset.defaults.exposure);
    let host = s.ingress.as_ref().and_then(|i| i.host.as_ref());
    need(
        exposure == Exposure::Public && host.is_none(),
        "--host HOST",
    );
    let tls = s.tls.clone().unwrap_or_default();
    let ca = tls.ca.unwrap_or_default();
    let issuer_name = tls.issuer.and_then(|i| i.name);
    need(
        tls.mode == Some(TlsMode::Ca) && ca.cert.is_none(),
        "--tls-ca-cert PATH",
    );
    need(
        tls.mode == Some(TlsMode::Ca) && ca.key.is_none(),
        "--tls-ca-key PATH",
    );
    need(
        tls.mode == Some(TlsMode::CertManager) && issuer_name.is_none(),
        "--tls-issuer [KIND/]NAME",
    );
    missing
}

/// Writes the preset's protocol, exposure and sensitivity into `file` where it has none, so
/// that the spec states the service's three main traits; the exposure as the questionnaire
/// offers it (`cluster` when a caller is outside the namespace, `public` with a host). A
/// worker (no port) gets no protocol and no exposure, as the questionnaire asks it none.
pub fn fill_defaults(file: &mut SpecFile, preset: &Preset) {
    let own = file.metadata.namespace.clone().unwrap_or_default();
    let s = &mut file.spec;
    let outside_caller = s
        .callers
        .iter()
        .any(|c| c.cidr.is_some() || c.namespace.as_ref().is_some_and(|ns| *ns != own));
    if s.port.is_none() {
        // A worker: no protocol and no exposure (it is exposed nowhere), unless the preset's
        // default would make it public.
        if preset.defaults.exposure == Exposure::Public {
            s.exposure.get_or_insert(Exposure::Namespace);
        }
    } else {
        s.protocol.get_or_insert(preset.defaults.protocol);
        s.exposure.get_or_insert(validate::default_exposure(
            preset.defaults.exposure,
            s.ingress.is_some(),
            outside_caller,
        ));
    }
    s.sensitivity.get_or_insert(preset.defaults.sensitivity);
}

/// The text of the spec file: [`SPEC_HEADER`], then `file` as YAML, checked to read back
/// as exactly `file`.
pub fn spec_text(file: &SpecFile) -> Result<String, Error> {
    // One line per value: no folded (`>`) or literal (`|`) blocks in a file people edit.
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    let yaml = serde_saphyr::to_string_with_options(file, options)
        .map_err(|e| Error::Render(format!("cannot write the spec as YAML: {e}")))?;
    let text = format!("{SPEC_HEADER}\n{yaml}");
    let back = spec::parse(Path::new("kubeward.yaml"), &text)
        .map_err(|e| Error::Render(format!("the spec does not read back: {e}")))?;
    if back.spec != *file {
        return Err(Error::Render(
            "the spec does not read back as written".into(),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{CallerSpec, IngressSpec, SecretSpec, TlsSpec};

    fn preset() -> Preset {
        crate::preset::resolve(crate::preset::DEFAULT, Path::new("."), Default::default())
            .unwrap()
            .preset
    }

    fn complete() -> SpecFile {
        let mut file = SpecFile {
            api_version: Some(spec::API_VERSION.into()),
            kind: Some(spec::KIND.into()),
            ..SpecFile::default()
        };
        file.metadata.name = Some("api".into());
        file.metadata.namespace = Some("shop".into());
        file.spec.image = Some("ghcr.io/acme/api:1.0".into());
        file.spec.port = Some(8080);
        file
    }

    #[test]
    fn an_empty_spec_misses_the_three_answers_without_default() {
        assert_eq!(
            missing_flags(&SpecFile::default(), &preset()),
            ["--name NAME", "--namespace NAMESPACE", "--image IMAGE",]
        );
        assert!(missing_flags(&complete(), &preset()).is_empty());
    }

    #[test]
    fn public_exposure_and_tls_modes_ask_for_what_they_need() {
        let mut file = complete();
        file.spec.exposure = Some(Exposure::Public);
        assert_eq!(missing_flags(&file, &preset()), ["--host HOST"]);
        file.spec.ingress = Some(IngressSpec {
            host: Some("shop.example.com".into()),
            ..IngressSpec::default()
        });
        file.spec.tls = Some(TlsSpec {
            mode: Some(TlsMode::Ca),
            ..TlsSpec::default()
        });
        assert_eq!(
            missing_flags(&file, &preset()),
            ["--tls-ca-cert PATH", "--tls-ca-key PATH"]
        );
        file.spec.tls = Some(TlsSpec {
            mode: Some(TlsMode::CertManager),
            ..TlsSpec::default()
        });
        assert_eq!(
            missing_flags(&file, &preset()),
            ["--tls-issuer [KIND/]NAME"]
        );
    }

    #[test]
    fn defaults_come_from_the_preset_and_never_replace_an_answer() {
        let mut file = complete();
        file.spec.exposure = Some(Exposure::Cluster);
        fill_defaults(&mut file, &preset());
        assert_eq!(file.spec.exposure, Some(Exposure::Cluster));
        assert_eq!(file.spec.protocol, Some(preset().defaults.protocol));
        assert_eq!(file.spec.sensitivity, Some(preset().defaults.sensitivity));
    }

    #[test]
    fn a_caller_outside_the_namespace_makes_the_default_exposure_cluster() {
        let mut file = complete();
        file.spec.callers = vec![CallerSpec {
            app: Some("web".into()),
            namespace: Some("shop".into()),
            ..CallerSpec::default()
        }];
        fill_defaults(&mut file, &preset());
        assert_eq!(
            file.spec.exposure,
            Some(Exposure::Namespace),
            "same namespace"
        );
        let mut file = complete();
        file.spec.callers = vec![CallerSpec {
            app: Some("mobile-bff".into()),
            namespace: Some("edge".into()),
            ..CallerSpec::default()
        }];
        fill_defaults(&mut file, &preset());
        assert_eq!(file.spec.exposure, Some(Exposure::Cluster));
        // Clients by address are outside the namespace too.
        let mut file = complete();
        file.spec.callers = vec![CallerSpec {
            cidr: Some("198.51.100.0/24".into()),
            ..CallerSpec::default()
        }];
        fill_defaults(&mut file, &preset());
        assert_eq!(file.spec.exposure, Some(Exposure::Cluster));
        let mut file = complete();
        file.spec.ingress = Some(IngressSpec {
            host: Some("shop.example.com".into()),
            ..IngressSpec::default()
        });
        fill_defaults(&mut file, &preset());
        assert_eq!(file.spec.exposure, Some(Exposure::Public));
    }

    fn with_file_secret(path: &str) -> SpecFile {
        let mut file = complete();
        file.spec.callers = vec![CallerSpec {
            app: Some("yes".into()),
            namespace: Some("on".into()),
            ..CallerSpec::default()
        }];
        file.spec.secrets = vec![SecretSpec {
            name: Some("key".into()),
            from_file: Some(path.into()),
            ..SecretSpec::default()
        }];
        file
    }

    fn reads_back(file: &SpecFile) {
        let text = spec_text(file).unwrap();
        assert!(text.starts_with(SPEC_HEADER));
        let back = spec::parse(Path::new("k.yaml"), &text).unwrap().spec;
        assert_eq!(back, *file, "{text}");
    }

    #[test]
    fn the_spec_text_reads_back_exactly_even_with_awkward_values() {
        for path in [
            "./a \"quoted\"\n---\nb: c # not a comment\t\u{2028}'x'",
            "  leading spaces\n\n",
            "\n",
            "",
            "- item",
            "---",
            "...\n",
            "null",
            "0o17",
            "trailing \\",
            "\u{feff}bom \u{85} nel",
        ] {
            reads_back(&with_file_secret(path));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_path_reads_back_exactly(path in "\\PC*|[\\x00-\\x1f\\x7f\\u{85}\\u{2028}a ]{0,8}|[ \n\t\"'#:\\-]{0,12}") {
            reads_back(&with_file_secret(&path));
        }
    }
}
