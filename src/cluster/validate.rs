//! The cluster spec checked and defaulted into a typed [`Cluster`], or every problem with
//! its field. Whatever the rendered files' self-check would refuse is refused here first.

use super::spec::{ClusterFile, KIND, Level, ProviderName};
use crate::check::releases::Version;
use crate::error::FieldError;
use crate::spec::API_VERSION;
use crate::spec::names::dns_label;

/// The oldest minor whose kubeadm reads the v1beta4 configuration kubeward renders.
const OLDEST_MINOR: u32 = 31;

/// A valid cluster spec, with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub name: String,
    pub version: Version,
    pub encryption: Encryption,
    pub audit: Audit,
    pub pod_security: PodSecurity,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Encryption {
    pub provider: Provider,
    /// What the API server encrypts, as its configuration names them.
    pub resources: Vec<String>,
    /// Keep readers for what is still stored the old way.
    pub migrating: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Provider {
    Secretbox,
    Kms {
        name: String,
        endpoint: String,
        timeout: String,
    },
}

impl Provider {
    /// The socket's folder, for a KMS plugin.
    pub fn socket_dir(&self) -> Option<&str> {
        match self {
            Provider::Kms { endpoint, .. } => Some(parent(endpoint.trim_start_matches("unix://"))),
            Provider::Secretbox => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub log_path: String,
    pub max_age_days: i64,
    pub max_backups: i64,
    pub max_size_mb: i64,
}

impl Audit {
    /// The log's folder, mounted writable into the API server.
    pub fn log_dir(&self) -> &str {
        parent(&self.log_path)
    }
}

/// The folder of an absolute path.
fn parent(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((dir, _)) => dir,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodSecurity {
    pub enforce: Level,
    /// `v1.36`: the cluster's minor.
    pub version: String,
    pub exempt_namespaces: Vec<String>,
    pub exempt_runtime_classes: Vec<String>,
    pub exempt_usernames: Vec<String>,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Restricted => "restricted",
            Level::Baseline => "baseline",
        }
    }
}

/// Checks `file` and fills in the defaults; every problem is returned, with its field.
pub fn validate(file: &ClusterFile) -> Result<Cluster, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut error = |field: &str, message: String| errors.push(FieldError::new(field, message));
    if file.api_version.as_deref() != Some(API_VERSION) {
        error("apiVersion", format!("must be `{API_VERSION}`"));
    }
    if file.kind.as_deref() != Some(KIND) {
        error("kind", format!("must be `{KIND}`"));
    }
    let name = match file.metadata.name.as_deref() {
        None => {
            error("metadata.name", "is required: the cluster's name".into());
            String::new()
        }
        Some(name) => {
            if let Err(e) = dns_label(name) {
                error("metadata.name", e);
            }
            name.to_string()
        }
    };
    let spec = &file.spec;
    let version = match spec.kubernetes_version.as_deref().map(Version::parse) {
        None => {
            error(
                "spec.kubernetesVersion",
                "is required: the control plane's version, e.g. \"1.36.3\"".into(),
            );
            None
        }
        Some(Err(e)) => {
            error("spec.kubernetesVersion", e);
            None
        }
        Some(Ok(v)) if v.major != 1 || v.minor < OLDEST_MINOR => {
            error(
                "spec.kubernetesVersion",
                format!(
                    "{v} is too old: kubeward renders kubeadm's v1beta4 configuration, which kubeadm reads from 1.{OLDEST_MINOR}"
                ),
            );
            None
        }
        Some(Ok(v)) => Some(v),
    };
    let encryption = encryption(file, &mut error);
    let audit = audit(file, &mut error);
    let pod_security = pod_security(file, version, &mut error);
    match (version, encryption, audit, pod_security) {
        (Some(version), Some(encryption), Some(audit), Some(pod_security)) if errors.is_empty() => {
            Ok(Cluster {
                name,
                version,
                encryption,
                audit,
                pod_security,
            })
        }
        _ => Err(errors),
    }
}

type Report<'a> = dyn FnMut(&str, String) + 'a;

fn encryption(file: &ClusterFile, error: &mut Report) -> Option<Encryption> {
    let spec = file.spec.encryption.clone().unwrap_or_default();
    let provider = match (spec.provider.unwrap_or(ProviderName::Secretbox), &spec.kms) {
        (ProviderName::Secretbox, None) => Some(Provider::Secretbox),
        (ProviderName::Secretbox, Some(_)) => {
            error(
                "spec.encryption.kms",
                "is only for `provider: kms`: remove it, or set the provider".into(),
            );
            None
        }
        (ProviderName::Kms, None) => {
            error(
                "spec.encryption.kms",
                "is required with `provider: kms`: the plugin's `name` and `endpoint`".into(),
            );
            None
        }
        (ProviderName::Kms, Some(kms)) => kms_provider(kms, error),
    };
    let resources = if spec.resources.is_empty() {
        vec!["secrets".to_string()]
    } else {
        spec.resources.clone()
    };
    let resources_ok = check_resources(&resources, error);
    Some(Encryption {
        provider: provider?,
        resources,
        migrating: spec.migrating.unwrap_or(false),
    })
    .filter(|_| resources_ok)
}

fn kms_provider(kms: &super::spec::KmsSpec, error: &mut Report) -> Option<Provider> {
    let field = "spec.encryption.kms";
    let name = match kms.name.as_deref() {
        None => {
            error(
                &format!("{field}.name"),
                "is required: the provider's name".into(),
            );
            None
        }
        Some(name) if !is_kms_name(name) => {
            error(
                &format!("{field}.name"),
                format!(
                    "`{name}` is not a KMS provider name: lowercase letters, digits, `-` and `.`, at most 63 (never `:`, which separates the parts of each stored value's prefix)"
                ),
            );
            None
        }
        Some(name) => Some(name.to_string()),
    };
    let endpoint = match kms.endpoint.as_deref() {
        None => {
            error(
                &format!("{field}.endpoint"),
                "is required: the plugin's socket, `unix:///path/to/socket.sock`".into(),
            );
            None
        }
        Some(endpoint) => match endpoint.strip_prefix("unix://") {
            Some(path) if path.len() > 1 && is_path(path) && !path.ends_with('/') => {
                Some(endpoint.to_string())
            }
            _ => {
                error(
                    &format!("{field}.endpoint"),
                    format!(
                        "`{endpoint}` is not a KMS socket: the API server takes only `unix:///absolute/path.sock` (letters, digits, `._/-`)"
                    ),
                );
                None
            }
        },
    };
    let timeout = match kms.timeout.as_deref() {
        None => Some("3s".to_string()),
        Some(t) if is_duration(t) => Some(t.to_string()),
        Some(t) => {
            error(
                &format!("{field}.timeout"),
                format!("`{t}` is not a timeout: a positive whole number of ms, s or m, e.g. `3s`"),
            );
            None
        }
    };
    Some(Provider::Kms {
        name: name?,
        endpoint: endpoint?,
        timeout: timeout?,
    })
}

fn is_kms_name(name: &str) -> bool {
    let edge = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    name.len() <= 63
        && name.starts_with(edge)
        && name.ends_with(edge)
        && name.chars().all(|c| edge(c) || c == '-' || c == '.')
}

fn is_path(path: &str) -> bool {
    path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
        && !path.split('/').any(|part| part == "..")
}

fn is_duration(text: &str) -> bool {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &text[digits.len()..];
    matches!(unit, "ms" | "s" | "m")
        && !digits.is_empty()
        && !digits.starts_with('0')
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// The API server's own rules for the resources of an encryption entry, and `secrets`.
fn check_resources(resources: &[String], error: &mut Report) -> bool {
    let mut ok = true;
    let mut fail = |i: usize, message: String| {
        error(&format!("spec.encryption.resources[{i}]"), message);
        ok = false;
    };
    for (i, resource) in resources.iter().enumerate() {
        let (name, group) = resource.split_once('.').unwrap_or((resource, ""));
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '*');
        if resource.is_empty() || !resource.chars().all(allowed) {
            fail(
                i,
                format!("`{resource}` is not a resource: lowercase `resource` or `resource.group`"),
            );
        } else if resource == "*" {
            fail(
                i,
                "`*` is not accepted: `*.` is every core resource, `*.*` every resource".into(),
            );
        } else if group == "*" && name != "*" {
            fail(
                i,
                format!("`{resource}`: a resource cannot be encrypted across groups"),
            );
        } else if group == "events.k8s.io" {
            fail(
                i,
                format!("`{resource}`: events.k8s.io events are stored as `events`; name `events`"),
            );
        } else if group == "extensions" {
            fail(
                i,
                format!("`{resource}`: the extensions group has been removed"),
            );
        } else if matches!(
            name,
            "apiserveripinfo" | "serviceipallocations" | "servicenodeportallocations"
        ) {
            fail(
                i,
                format!("`{resource}` has no REST API and cannot be encrypted"),
            );
        } else if resources[..i].contains(resource) {
            fail(i, format!("`{resource}` is listed twice"));
        }
    }
    let overlapping = resources.len() > 1
        && resources.iter().any(|r| {
            let (name, group) = r.split_once('.').unwrap_or((r, ""));
            r == "*.*"
                || (name == "*"
                    && resources
                        .iter()
                        .any(|o| o != r && o.split_once('.').map_or("", |(_, g)| g) == group))
        });
    if ok && overlapping {
        error(
            "spec.encryption.resources",
            "overlaps: `*.*` (or `*.group`) already covers the other entries; the API server refuses masked entries".into(),
        );
        ok = false;
    }
    if ok
        && !resources
            .iter()
            .any(|r| matches!(r.as_str(), "secrets" | "*." | "*.*"))
    {
        error(
            "spec.encryption.resources",
            "must cover `secrets` (`secrets`, `*.` or `*.*`): encrypting Secrets at rest is the point".into(),
        );
        ok = false;
    }
    ok
}

fn audit(file: &ClusterFile, error: &mut Report) -> Option<Audit> {
    let spec = file.spec.audit.clone().unwrap_or_default();
    let log_path = spec
        .log_path
        .unwrap_or_else(|| "/var/log/kubernetes/audit/audit.log".to_string());
    let path_ok = is_path(&log_path) && !log_path.ends_with('/') && log_path.len() > 1;
    if !path_ok {
        error(
            "spec.audit.logPath",
            format!(
                "`{log_path}` is not a log file: an absolute path of letters, digits and `._/-`"
            ),
        );
    }
    let mut bounded =
        |field: &str, value: Option<i64>, default: i64, least: i64, most: i64, cis: &str| {
            let value = value.unwrap_or(default);
            if value < least || value > most {
                error(
                    &format!("spec.audit.{field}"),
                    format!(
                        "{value} is out of range: {least}-{most} (CIS {cis} wants at least {least})"
                    ),
                );
                None
            } else {
                Some(value)
            }
        };
    let max_age_days = bounded("maxAgeDays", spec.max_age_days, 30, 30, 3650, "1.2.17");
    let max_backups = bounded("maxBackups", spec.max_backups, 10, 10, 1000, "1.2.18");
    let max_size_mb = bounded("maxSizeMB", spec.max_size_mb, 100, 100, 100_000, "1.2.19");
    Some(Audit {
        log_path,
        max_age_days: max_age_days?,
        max_backups: max_backups?,
        max_size_mb: max_size_mb?,
    })
    .filter(|_| path_ok)
}

fn pod_security(
    file: &ClusterFile,
    version: Option<Version>,
    error: &mut Report,
) -> Option<PodSecurity> {
    let spec = file.spec.pod_security.clone().unwrap_or_default();
    let exemptions = spec.exemptions.unwrap_or(super::spec::ExemptionsSpec {
        namespaces: vec!["kube-system".into()],
        ..Default::default()
    });
    let mut ok = true;
    for (field, names, check) in [
        (
            "namespaces",
            &exemptions.namespaces,
            dns_label as fn(&str) -> Result<(), String>,
        ),
        (
            "runtimeClasses",
            &exemptions.runtime_classes,
            crate::spec::names::dns_subdomain,
        ),
        ("usernames", &exemptions.usernames, username),
    ] {
        for (i, name) in names.iter().enumerate() {
            let problem = check(name).err().or_else(|| {
                names[..i]
                    .contains(name)
                    .then(|| format!("`{name}` is listed twice"))
            });
            if let Some(problem) = problem {
                error(
                    &format!("spec.podSecurity.exemptions.{field}[{i}]"),
                    problem,
                );
                ok = false;
            }
        }
    }
    let version = version?;
    ok.then(|| PodSecurity {
        enforce: spec.enforce.unwrap_or(Level::Restricted),
        version: format!("v{}", version.minor_name()),
        exempt_namespaces: exemptions.namespaces,
        exempt_runtime_classes: exemptions.runtime_classes,
        exempt_usernames: exemptions.usernames,
    })
}

fn username(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().any(char::is_control) {
        Err("is not a user name: not empty, no control characters".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(spec: &str) -> ClusterFile {
        serde_saphyr::from_str(&format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: SecureCluster\nmetadata: {{name: prod}}\nspec:\n{spec}"
        ))
        .unwrap()
    }

    fn problems(spec: &str) -> Vec<String> {
        validate(&file(spec))
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn defaults_are_secretbox_for_secrets_restricted_and_the_cis_retention() {
        let cluster = validate(&file("  kubernetesVersion: \"1.36.3\"\n")).unwrap();
        assert_eq!(cluster.encryption.provider, Provider::Secretbox);
        assert_eq!(cluster.encryption.resources, ["secrets"]);
        assert!(!cluster.encryption.migrating);
        assert_eq!(
            (
                cluster.audit.max_age_days,
                cluster.audit.max_backups,
                cluster.audit.max_size_mb
            ),
            (30, 10, 100)
        );
        assert_eq!(cluster.audit.log_dir(), "/var/log/kubernetes/audit");
        assert_eq!(cluster.pod_security.enforce, Level::Restricted);
        assert_eq!(cluster.pod_security.version, "v1.36");
        assert_eq!(cluster.pod_security.exempt_namespaces, ["kube-system"]);
    }

    #[test]
    fn kms_needs_its_plugin_and_a_unix_socket() {
        assert!(
            problems("  kubernetesVersion: \"1.36.3\"\n  encryption: {provider: kms}\n")[0]
                .contains("spec.encryption.kms: is required")
        );
        let p = problems(
            "  kubernetesVersion: \"1.36.3\"\n  encryption: {provider: kms, kms: {name: 'a:b', endpoint: 'tcp://x:1', timeout: 0s}}\n",
        );
        assert_eq!(p.len(), 3, "{p:?}");
        let ok = validate(&file("  kubernetesVersion: \"1.36.3\"\n  encryption: {provider: kms, kms: {name: vault-kms, endpoint: 'unix:///var/run/kms-plugin/socket.sock'}}\n")).unwrap();
        assert_eq!(
            ok.encryption.provider.socket_dir(),
            Some("/var/run/kms-plugin")
        );
    }

    #[test]
    fn resources_follow_the_api_servers_rules_and_cover_secrets() {
        for (resources, wanted) in [
            ("[configmaps]", "must cover `secrets`"),
            ("['*']", "`*` is not accepted"),
            ("[secrets, '*.*']", "overlaps"),
            ("[secrets, 'events.events.k8s.io']", "stored as `events`"),
            ("[secrets, secrets]", "listed twice"),
            ("[Secrets]", "not a resource"),
            ("['deployments.*']", "across groups"),
        ] {
            let p = problems(&format!(
                "  kubernetesVersion: \"1.36.3\"\n  encryption: {{resources: {resources}}}\n"
            ));
            assert!(p.iter().any(|e| e.contains(wanted)), "{resources}: {p:?}");
        }
        assert!(problems("  kubernetesVersion: \"1.36.3\"\n  encryption: {resources: [secrets, configmaps, '*.apps']}\n").is_empty());
    }

    #[test]
    fn retention_below_the_benchmark_and_old_versions_are_refused() {
        let p = problems(
            "  kubernetesVersion: \"1.30.2\"\n  audit: {maxAgeDays: 7, logPath: relative.log}\n",
        );
        assert!(
            p.iter().any(|e| e.contains("kubeadm reads from 1.31")),
            "{p:?}"
        );
        assert!(p.iter().any(|e| e.contains("CIS 1.2.17")), "{p:?}");
        assert!(p.iter().any(|e| e.contains("spec.audit.logPath")), "{p:?}");
        assert!(problems("  kubernetesVersion: 1.36.3\n").is_empty());
    }
}
