//! Validation: turns a [`SpecFile`] into a typed [`Service`], collecting every problem with
//! the path of the field that caused it. The single-value rules are public so that `init`
//! can check answers as they are typed, with the same messages.

use std::collections::BTreeSet;

use crate::cidr::Cidr;
use crate::error::FieldError;
use crate::image::ImageRef;
use crate::preset::Preset;
use crate::spec::{
    self, Exposure, Protocol, ResourcesSpec, Sensitivity, SpecFile, TlsMode, Transport,
};

/// A service whose every field is checked and defaulted from the preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub image: String,
    pub image_ref: ImageRef,
    pub port: u16,
    pub protocol: Protocol,
    pub replicas: Option<u32>,
    pub exposure: Exposure,
    pub sensitivity: Sensitivity,
    pub callers: Vec<AppRef>,
    pub egress: Vec<Destination>,
    pub ingress: Option<PublicIngress>,
    pub api_access: Vec<ApiRule>,
    pub secrets: Vec<Secret>,
    pub tls: Tls,
    pub resources: ResourcesSpec,
    pub readiness_path: Option<String>,
    pub liveness_path: Option<String>,
    /// The clear-text port the probes use instead of `port`.
    pub probe_port: Option<u16>,
}

/// Pods labelled `app.kubernetes.io/name: app` in namespace `namespace`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppRef {
    pub app: String,
    pub namespace: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    App(AppRef),
    Cidr(Cidr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    pub target: Target,
    pub port: u16,
    pub transport: Transport,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PublicIngress {
    pub host: String,
    pub class_name: Option<String>,
    pub controller: Option<AppRef>,
    /// The cert-manager issuer of the host's certificate, when it is not the service's own
    /// certificate source; its name is present.
    pub issuer: Option<spec::IssuerRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    pub name: String,
    pub source: SecretSource,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecretSource {
    Generate { length: usize },
    Env(String),
    File(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tls {
    pub mode: TlsMode,
    pub ca_cert: Option<String>,
    pub ca_key: Option<String>,
    pub issuer_kind: Option<String>,
    pub issuer_name: Option<String>,
    pub dns_names: Vec<String>,
}

/// Verbs a Role may grant; `bind`, `escalate`, `impersonate` and `*` are never granted.
pub const ALLOWED_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
/// The length of a generated secret whose spec gives none.
pub const DEFAULT_SECRET_LENGTH: i64 = 32;
const FORBIDDEN_VERBS: &[&str] = &["bind", "escalate", "impersonate", "*"];
/// Namespaces a service may not live in.
pub const RESERVED_NAMESPACES: &[&str] =
    &["default", "kube-system", "kube-public", "kube-node-lease"];
/// [`dns_label`] as a regular expression (with a maximum length of 63), for the JSON Schema.
pub const DNS_LABEL_PATTERN: &str = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/// A value without `*`, for the JSON Schema of API rules (wildcards are never granted).
pub const NO_WILDCARD_PATTERN: &str = "^[^*]*$";

/// A DNS-1123 label: lowercase alphanumerics and `-`, starting and ending alphanumeric, <= 63.
pub fn dns_label(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let ok_char = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    let edge = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value.len() > 63 {
        return Err(format!("`{value}` is longer than 63 characters"));
    }
    if !bytes.iter().all(ok_char) || !edge(bytes[0]) || !edge(bytes[bytes.len() - 1]) {
        return Err(format!(
            "`{value}` is not a DNS-1123 label: use lowercase letters, digits and '-', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A DNS-1123 subdomain: dot-separated labels, <= 253.
pub fn dns_subdomain(value: &str) -> Result<(), String> {
    if value.len() > 253 {
        return Err(format!("`{value}` is longer than 253 characters"));
    }
    value.split('.').try_for_each(dns_label).map_err(|_| {
        format!("`{value}` is not a DNS name: lowercase labels of letters, digits and '-', separated by dots")
    })
}

/// A host name for a certificate or an Ingress: a DNS subdomain, optionally `*.` wildcard.
pub fn host_name(value: &str) -> Result<(), String> {
    dns_subdomain(value.strip_prefix("*.").unwrap_or(value))
}

/// A namespace the service may live in.
pub fn namespace(value: &str) -> Result<(), String> {
    dns_label(value)?;
    if RESERVED_NAMESPACES.contains(&value) {
        return Err(format!(
            "`{value}` is reserved: pick a namespace of the service's own (e.g. the team or product name)"
        ));
    }
    Ok(())
}

pub fn port(value: i64) -> Result<u16, String> {
    u16::try_from(value)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| format!("{value} is not a port: use 1-65535"))
}

/// A port typed as text, e.g. an answer in `init`.
pub fn port_text(text: &str) -> Result<u16, String> {
    text.parse::<i64>()
        .map_err(|_| format!("`{text}` is not a port: use 1-65535"))
        .and_then(port)
}

/// A verb a Role may grant.
pub fn role_verb(verb: &str) -> Result<(), String> {
    if FORBIDDEN_VERBS.contains(&verb) {
        return Err(format!(
            "`{verb}` is never granted: it lets the service escalate its own privileges"
        ));
    }
    if !ALLOWED_VERBS.contains(&verb) {
        return Err(format!(
            "`{verb}` is not a verb; use one of {}",
            ALLOWED_VERBS.join(", ")
        ));
    }
    Ok(())
}

/// One entry of a Role rule's resources or resource names (`may_be_empty` for API groups,
/// where the empty group is the core API): never a wildcard.
pub fn role_entry(value: &str, may_be_empty: bool) -> Result<(), String> {
    if value.contains('*') {
        return Err(format!(
            "wildcard `{value}` is refused: name exactly what the service needs"
        ));
    }
    if value.is_empty() && !may_be_empty {
        return Err("must not be empty".into());
    }
    Ok(())
}

/// Names kubeward gives its own material: the Secret `<service>-tls` (mounted as the folder
/// `tls/` beside the other secrets) and the Secret `<service>-ingress-tls`.
pub const RESERVED_SECRET_NAMES: [&str; 2] = ["tls", "ingress-tls"];

/// The name of one of `spec.secrets`: a DNS-1123 label that is not one of kubeward's own.
pub fn secret_name(value: &str) -> Result<(), String> {
    dns_label(value)?;
    if RESERVED_SECRET_NAMES.contains(&value) {
        return Err(format!(
            "`{value}` is reserved: kubeward names its own certificate Secrets `<service>-tls` and `<service>-ingress-tls`, and mounts the certificate as the folder `tls/` beside the secrets; choose another name"
        ));
    }
    Ok(())
}

/// A Role rule over secrets must name them.
pub fn role_secret_names(resources: &[String], names: &[String]) -> Result<(), String> {
    let grants_secrets = resources
        .iter()
        .any(|r| r == "secrets" || r.starts_with("secrets/"));
    if grants_secrets && names.is_empty() {
        return Err("access to secrets must name them in resourceNames: otherwise the service could read every secret of the namespace".into());
    }
    Ok(())
}

/// An image reference that names a version: a tag other than `latest`, or a digest.
pub fn image(value: &str) -> Result<ImageRef, String> {
    let image = ImageRef::parse(value)?;
    if image.digest.is_none() && image.tag.is_none() {
        return Err(format!(
            "`{value}` names no version: add a tag and, better, a digest (repo:tag@sha256:...)"
        ));
    }
    if image.tag.as_deref() == Some("latest") {
        return Err(format!(
            "`{value}` uses the mutable tag `latest`: pin a version tag and a digest"
        ));
    }
    Ok(image)
}

/// An environment variable name as POSIX shells accept it.
pub fn env_var_name(value: &str) -> Result<(), String> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "`{value}` is not an environment variable name (letters, digits, '_', not starting with a digit)"
        ));
    }
    Ok(())
}

/// From sensitivity `confidential` up, the image must be pinned by digest (unless overridden).
pub fn image_pinned(
    image: &ImageRef,
    sensitivity: Sensitivity,
    overrides: Overrides,
) -> Result<(), String> {
    if sensitivity >= Sensitivity::Confidential
        && !image.is_pinned_by_digest()
        && !overrides.allow_unpinned_image
    {
        return Err(format!(
            "sensitivity `{}` requires an image pinned by digest (repo:tag@sha256:...); pass --allow-unpinned-image to accept a tag, recorded on the Deployment",
            sensitivity.as_str()
        ));
    }
    Ok(())
}

/// Sensitivity `restricted` refuses to run without TLS.
pub fn tls_mode_allowed(mode: TlsMode, sensitivity: Sensitivity) -> Result<(), String> {
    if sensitivity == Sensitivity::Restricted && mode == TlsMode::None {
        return Err(
            "sensitivity restricted refuses `none`: use self-signed, ca or cert-manager".into(),
        );
    }
    Ok(())
}

/// Collects errors while walking the spec.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records `result`'s error under `field` and passes the value on.
    fn check<T>(&mut self, field: impl Into<String>, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.add(field, m)).ok()
    }

    fn required<'a, T>(&mut self, field: &str, value: &'a Option<T>, hint: &str) -> Option<&'a T> {
        if value.is_none() {
            self.add(field, format!("is required: {hint}"));
        }
        value.as_ref()
    }
}

/// Departures from the sensitivity rules that the user asked for explicitly; each is
/// recorded in an annotation on the objects it weakens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Accept a tag-only image at sensitivity `confidential` or above.
    pub allow_unpinned_image: bool,
}

/// Validates the whole file against the rules of the contract and of its sensitivity.
pub fn validate(
    file: &SpecFile,
    preset: &Preset,
    overrides: Overrides,
) -> Result<Service, Vec<FieldError>> {
    let mut p = Problems::default();
    let s = &file.spec;

    match file.api_version.as_deref() {
        Some(spec::API_VERSION) => {}
        Some(other) => p.add(
            "apiVersion",
            format!("`{other}` is not supported: use {}", spec::API_VERSION),
        ),
        None => p.add("apiVersion", format!("is required: {}", spec::API_VERSION)),
    }
    match file.kind.as_deref() {
        Some(spec::KIND) => {}
        Some(other) => p.add(
            "kind",
            format!("`{other}` is not supported: use {}", spec::KIND),
        ),
        None => p.add("kind", format!("is required: {}", spec::KIND)),
    }

    let name = p
        .required(
            "metadata.name",
            &file.metadata.name,
            "the app name, a DNS-1123 label",
        )
        .and_then(|n| p.check("metadata.name", dns_label(n).map(|_| n.clone())));
    let ns = p
        .required(
            "metadata.namespace",
            &file.metadata.namespace,
            "pick a namespace (not `default`)",
        )
        .and_then(|n| p.check("metadata.namespace", namespace(n).map(|_| n.clone())));
    let image_text = p.required(
        "spec.image",
        &s.image,
        "an OCI image reference, ideally repo:tag@sha256:...",
    );
    let image_ref = image_text.and_then(|i| p.check("spec.image", image(i)));
    let port_value = p
        .required("spec.port", &s.port, "the port the container listens on")
        .and_then(|v| p.check("spec.port", port(*v)));
    let replicas = s.replicas.and_then(|r| {
        let ok = (1..=1000).contains(&r);
        p.check(
            "spec.replicas",
            if ok {
                Ok(r as u32)
            } else {
                Err(format!("{r} replicas: use 1-1000"))
            },
        )
    });
    let exposure = s.exposure.unwrap_or(preset.defaults.exposure);
    let own_ns = ns.clone().unwrap_or_default();

    let callers = validate_callers(&mut p, &s.callers, exposure, &own_ns);
    let egress = validate_egress(&mut p, &s.egress, &own_ns);
    let ingress = validate_ingress(&mut p, s.ingress.as_ref(), exposure);
    let api_access = validate_api_access(&mut p, &s.api_access);
    let secrets = validate_secrets(&mut p, &s.secrets);
    let protocol = s.protocol.unwrap_or(preset.defaults.protocol);
    let sensitivity = s.sensitivity.unwrap_or(preset.defaults.sensitivity);
    let tls = validate_tls(
        &mut p,
        s.tls.as_ref(),
        default_tls_mode(sensitivity, protocol),
    );
    if let Some(image) = &image_ref {
        p.check("spec.image", image_pinned(image, sensitivity, overrides));
    }
    if sensitivity >= Sensitivity::Confidential && replicas.unwrap_or(preset.replicas) == 1 {
        let from_preset = if replicas.is_none() {
            " (the preset's default is 1: set spec.replicas)"
        } else {
            ""
        };
        p.add("spec.replicas", format!("sensitivity confidential and above needs at least 2 replicas: one pod is one eviction away from an outage{from_preset}"));
    }
    p.check("spec.tls.mode", tls_mode_allowed(tls.mode, sensitivity));
    validate_resources(&mut p, s.resources.as_ref());
    let probes = s.probes.clone().unwrap_or_default();
    for (field, path) in [
        ("spec.probes.readinessPath", &probes.readiness_path),
        ("spec.probes.livenessPath", &probes.liveness_path),
    ] {
        if let Some(path) = path
            && (!path.starts_with('/') || path.chars().any(char::is_whitespace))
        {
            p.add(
                field,
                format!("`{path}` is not an HTTP path: start with '/', no spaces"),
            );
        }
    }
    let probe_port = probes.port.and_then(|v| {
        p.check(
            "spec.probes.port",
            port(v).and_then(|probe_port| {
                if Some(probe_port) == port_value {
                    Err(format!("{probe_port} is the service's own port: omit `probes.port` to probe it, or give the clear-text health port"))
                } else {
                    Ok(probe_port)
                }
            }),
        )
    });
    if probes.readiness_path.is_some() && probes.readiness_path == probes.liveness_path {
        p.add(
            "spec.probes.livenessPath",
            "must differ from readinessPath: a liveness probe that mirrors readiness restarts pods that are only busy",
        );
    }

    if !p.0.is_empty() {
        return Err(p.0);
    }
    Ok(Service {
        name: name.unwrap_or_default(),
        namespace: own_ns,
        image: image_text.cloned().unwrap_or_default(),
        image_ref: image_ref.expect("checked above"),
        port: port_value.unwrap_or_default(),
        protocol,
        replicas,
        exposure,
        sensitivity,
        callers,
        egress,
        ingress,
        api_access,
        secrets,
        tls,
        resources: s.resources.clone().unwrap_or_default(),
        readiness_path: probes.readiness_path,
        liveness_path: probes.liveness_path,
        probe_port,
    })
}

fn app_ref(
    p: &mut Problems,
    field: &str,
    app: &Option<String>,
    namespace: &Option<String>,
    own_ns: &str,
) -> Option<AppRef> {
    let app = p
        .required(
            &format!("{field}.app"),
            app,
            "the app name (its pods' app.kubernetes.io/name label)",
        )
        .and_then(|a| p.check(format!("{field}.app"), dns_label(a).map(|_| a.clone())))?;
    let namespace = match namespace {
        Some(n) => p.check(
            format!("{field}.namespace"),
            dns_label(n).map(|_| n.clone()),
        )?,
        None => own_ns.to_string(),
    };
    Some(AppRef { app, namespace })
}

/// A caller outside the service's namespace needs an exposure wider than `namespace`.
pub fn caller_allowed(caller: &AppRef, exposure: Exposure, own_ns: &str) -> Result<(), String> {
    if exposure == Exposure::Namespace && !own_ns.is_empty() && caller.namespace != own_ns {
        return Err(format!(
            "caller `{}/{}` is outside namespace `{own_ns}`, but exposure is `namespace`: use exposure `cluster` or drop the caller",
            caller.namespace, caller.app
        ));
    }
    Ok(())
}

fn validate_callers(
    p: &mut Problems,
    callers: &[spec::CallerSpec],
    exposure: Exposure,
    own_ns: &str,
) -> Vec<AppRef> {
    let mut seen = BTreeSet::new();
    for (i, caller) in callers.iter().enumerate() {
        let field = format!("spec.callers[{i}]");
        let Some(peer) = app_ref(p, &field, &caller.app, &caller.namespace, own_ns) else {
            continue;
        };
        if p.check(
            format!("{field}.namespace"),
            caller_allowed(&peer, exposure, own_ns),
        )
        .is_some()
        {
            seen.insert(peer);
        }
    }
    seen.into_iter().collect()
}

fn validate_egress(
    p: &mut Problems,
    egress: &[spec::EgressSpec],
    own_ns: &str,
) -> Vec<Destination> {
    let mut out = Vec::new();
    for (i, e) in egress.iter().enumerate() {
        let field = format!("spec.egress[{i}]");
        let port = p
            .required(&format!("{field}.port"), &e.port, "the destination port")
            .and_then(|v| p.check(format!("{field}.port"), port(*v)));
        let target = match (&e.app, &e.cidr) {
            (Some(_), Some(_)) => {
                p.add(
                    &field,
                    "give either `app` (a pod destination) or `cidr` (an address range), not both",
                );
                None
            }
            (None, None) => {
                p.add(&field, "needs `app` (with `namespace`) or `cidr`");
                None
            }
            (Some(_), None) => app_ref(p, &field, &e.app, &e.namespace, own_ns).map(Target::App),
            (None, Some(cidr)) => {
                if e.namespace.is_some() {
                    p.add(
                        format!("{field}.namespace"),
                        "only applies to `app` destinations",
                    );
                }
                p.check(format!("{field}.cidr"), cidr.parse::<Cidr>())
                    .map(Target::Cidr)
            }
        };
        if let (Some(target), Some(port)) = (target, port) {
            out.push(Destination {
                target,
                port,
                transport: e.protocol.unwrap_or(Transport::Tcp),
            });
        }
    }
    out
}

fn validate_ingress(
    p: &mut Problems,
    ingress: Option<&spec::IngressSpec>,
    exposure: Exposure,
) -> Option<PublicIngress> {
    if exposure != Exposure::Public {
        if ingress.is_some() {
            p.add(
                "spec.ingress",
                "is only used with `exposure: public`: remove it or change the exposure",
            );
        }
        return None;
    }
    let Some(ingress) = ingress else {
        p.add(
            "spec.ingress",
            "is required with `exposure: public`: give at least `host`",
        );
        return None;
    };
    let host = p
        .required(
            "spec.ingress.host",
            &ingress.host,
            "the public host name, e.g. shop.example.com",
        )
        .and_then(|h| p.check("spec.ingress.host", dns_subdomain(h).map(|_| h.clone())));
    let class_name = ingress.class_name.as_ref().and_then(|c| {
        p.check(
            "spec.ingress.className",
            dns_subdomain(c).map(|_| c.clone()),
        )
    });
    let controller = ingress.controller.as_ref().and_then(|c| {
        let field = "spec.ingress.controller";
        if c.namespace.is_none() {
            p.add(
                format!("{field}.namespace"),
                "is required: the namespace the ingress controller runs in",
            );
            return None;
        }
        app_ref(p, field, &c.app, &c.namespace, "")
    });
    let issuer = ingress.issuer.as_ref().filter(|issuer| {
        check_issuer(
            p,
            "spec.ingress.issuer",
            issuer,
            "of the public host's certificate",
        )
    });
    Some(PublicIngress {
        host: host?,
        class_name,
        controller,
        issuer: issuer.cloned(),
    })
}

fn validate_api_access(p: &mut Problems, rules: &[spec::ApiRuleSpec]) -> Vec<ApiRule> {
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let field = format!("spec.apiAccess[{i}]");
        let before = p.0.len();
        if rule.resources.is_empty() {
            p.add(
                format!("{field}.resources"),
                "list at least one resource, e.g. [configmaps]",
            );
        }
        if rule.verbs.is_empty() {
            p.add(
                format!("{field}.verbs"),
                "list at least one verb, e.g. [get, list, watch]",
            );
        }
        for (j, verb) in rule.verbs.iter().enumerate() {
            p.check(format!("{field}.verbs[{j}]"), role_verb(verb));
        }
        for (list, values) in [
            ("resources", &rule.resources),
            ("apiGroups", &rule.api_groups),
            ("resourceNames", &rule.resource_names),
        ] {
            for (j, value) in values.iter().enumerate() {
                p.check(
                    format!("{field}.{list}[{j}]"),
                    role_entry(value, list == "apiGroups"),
                );
            }
        }
        p.check(
            format!("{field}.resourceNames"),
            role_secret_names(&rule.resources, &rule.resource_names),
        );
        if p.0.len() == before {
            out.push(ApiRule {
                api_groups: if rule.api_groups.is_empty() {
                    vec![String::new()]
                } else {
                    rule.api_groups.clone()
                },
                resources: rule.resources.clone(),
                verbs: rule.verbs.clone(),
                resource_names: rule.resource_names.clone(),
            });
        }
    }
    out
}

fn validate_secrets(p: &mut Problems, secrets: &[spec::SecretSpec]) -> Vec<Secret> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    for (i, secret) in secrets.iter().enumerate() {
        let field = format!("spec.secrets[{i}]");
        let name = p
            .required(
                &format!("{field}.name"),
                &secret.name,
                "a name for the secret (a DNS-1123 label)",
            )
            .and_then(|n| p.check(format!("{field}.name"), secret_name(n).map(|_| n.clone())));
        if let Some(n) = &name
            && !names.insert(n.clone())
        {
            p.add(format!("{field}.name"), format!("`{n}` is listed twice"));
        }
        let sources = [
            secret.generate.is_some(),
            secret.from_env.is_some(),
            secret.from_file.is_some(),
        ];
        let source = match sources.iter().filter(|s| **s).count() {
            1 => {
                if let Some(generate) = &secret.generate {
                    let length = generate.length.unwrap_or(DEFAULT_SECRET_LENGTH);
                    p.check(
                        format!("{field}.generate.length"),
                        if (16..=4096).contains(&length) {
                            Ok(SecretSource::Generate {
                                length: length as usize,
                            })
                        } else {
                            Err(format!("{length} characters: use 16-4096"))
                        },
                    )
                } else if let Some(var) = &secret.from_env {
                    p.check(
                        format!("{field}.fromEnv"),
                        env_var_name(var).map(|_| SecretSource::Env(var.clone())),
                    )
                } else {
                    let path = secret.from_file.clone().unwrap_or_default();
                    p.check(
                        format!("{field}.fromFile"),
                        if path.is_empty() {
                            Err("must not be empty".to_string())
                        } else {
                            Ok(SecretSource::File(path))
                        },
                    )
                }
            }
            0 => {
                p.add(
                    &field,
                    "needs one source: `generate`, `fromEnv` or `fromFile`",
                );
                None
            }
            _ => {
                p.add(&field, "give only one of `generate`, `fromEnv`, `fromFile`");
                None
            }
        };
        if let (Some(name), Some(source)) = (name, source) {
            out.push(Secret { name, source });
        }
    }
    out
}

/// TLS when nothing is said: on for `restricted`, and from `internal` up when the protocol
/// already speaks TLS (https, grpc); off otherwise.
pub fn default_tls_mode(sensitivity: Sensitivity, protocol: Protocol) -> TlsMode {
    let speaks_tls = matches!(protocol, Protocol::Https | Protocol::Grpc);
    if sensitivity == Sensitivity::Restricted
        || (sensitivity >= Sensitivity::Internal && speaks_tls)
    {
        TlsMode::SelfSigned
    } else {
        TlsMode::None
    }
}

fn validate_tls(p: &mut Problems, tls: Option<&spec::TlsSpec>, default_mode: TlsMode) -> Tls {
    let default = spec::TlsSpec::default();
    let tls = tls.unwrap_or(&default);
    let mode = tls.mode.unwrap_or(default_mode);
    let ca = tls.ca.clone().unwrap_or_default();
    let issuer = tls.issuer.clone().unwrap_or_default();
    match mode {
        TlsMode::Ca => {
            p.required(
                "spec.tls.ca.cert",
                &ca.cert,
                "the CA certificate PEM file for mode `ca`",
            );
            p.required(
                "spec.tls.ca.key",
                &ca.key,
                "the CA private key PEM file for mode `ca`",
            );
        }
        TlsMode::CertManager => {
            check_issuer(p, "spec.tls.issuer", &issuer, "for mode `cert-manager`");
        }
        TlsMode::None | TlsMode::SelfSigned => {}
    }
    if mode != TlsMode::Ca && tls.ca.is_some() {
        p.add("spec.tls.ca", "is only used with `mode: ca`");
    }
    if mode != TlsMode::CertManager && tls.issuer.is_some() {
        p.add("spec.tls.issuer", "is only used with `mode: cert-manager`");
    }
    for (i, name) in tls.dns_names.iter().enumerate() {
        p.check(format!("spec.tls.dnsNames[{i}]"), host_name(name));
    }
    Tls {
        mode,
        ca_cert: ca.cert,
        ca_key: ca.key,
        issuer_kind: issuer.kind,
        issuer_name: issuer.name,
        dns_names: tls.dns_names.clone(),
    }
}

/// A cert-manager issuer reference at `field`: a name, and `Issuer` or `ClusterIssuer`.
fn check_issuer(p: &mut Problems, field: &str, issuer: &spec::IssuerRef, purpose: &str) -> bool {
    let named = p
        .required(
            &format!("{field}.name"),
            &issuer.name,
            &format!("the cert-manager issuer {purpose}"),
        )
        .and_then(|name| p.check(format!("{field}.name"), dns_subdomain(name)))
        .is_some();
    if let Some(kind) = &issuer.kind
        && kind != "Issuer"
        && kind != "ClusterIssuer"
    {
        p.add(
            format!("{field}.kind"),
            format!("`{kind}` is not Issuer or ClusterIssuer"),
        );
        return false;
    }
    named
}

/// A Kubernetes quantity: digits with an optional fraction and a known suffix.
pub fn quantity(value: &str) -> Result<(), String> {
    const SUFFIXES: &[&str] = &[
        "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    ];
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, suffix) = value.split_at(split);
    let number_ok = !number.is_empty() && number.parse::<f64>().is_ok_and(|n| n > 0.0);
    if !number_ok || !SUFFIXES.contains(&suffix) {
        return Err(format!(
            "`{value}` is not a positive quantity such as 250m, 128Mi or 1Gi"
        ));
    }
    Ok(())
}

fn validate_resources(p: &mut Problems, resources: Option<&ResourcesSpec>) {
    let Some(resources) = resources else { return };
    for (kind, amounts) in [
        ("requests", &resources.requests),
        ("limits", &resources.limits),
    ] {
        let Some(amounts) = amounts else { continue };
        for (key, value) in [
            ("cpu", &amounts.cpu),
            ("memory", &amounts.memory),
            ("ephemeralStorage", &amounts.ephemeral_storage),
        ] {
            if let Some(value) = value {
                p.check(format!("spec.resources.{kind}.{key}"), quantity(value));
            }
        }
    }
}
