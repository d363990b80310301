//! `kubeward init` apart from its questions: which answers are still missing (and the flags
//! that give them), the preset's defaults made explicit in a new spec, and the spec's text.

use std::path::Path;

use crate::error::Error;
use crate::preset::Preset;
use crate::spec::{self, Exposure, SpecFile, TlsMode};

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
    need(s.port.is_none(), "--port PORT");
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
/// that the spec states the service's three main traits.
pub fn fill_defaults(file: &mut SpecFile, preset: &Preset) {
    let s = &mut file.spec;
    s.protocol.get_or_insert(preset.defaults.protocol);
    s.exposure.get_or_insert(preset.defaults.exposure);
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
    fn an_empty_spec_misses_the_four_answers_without_default() {
        assert_eq!(
            missing_flags(&SpecFile::default(), &preset()),
            [
                "--name NAME",
                "--namespace NAMESPACE",
                "--image IMAGE",
                "--port PORT"
            ]
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

    fn with_file_secret(path: &str) -> SpecFile {
        let mut file = complete();
        file.spec.callers = vec![CallerSpec {
            app: Some("yes".into()),
            namespace: Some("on".into()),
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
