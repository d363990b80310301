//! Presets: the settings a service starts from, as data. A preset file names the preset it
//! `extends` and writes only what it changes; the chain is merged from `restricted` (the only
//! root) down, each value remembering the preset that set it, and checked against the floors
//! the chain locks (see `floors`). Shipped presets are embedded from `presets/`; others come
//! from a path or from a presets folder (`--presets-dir`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, FieldError};
use crate::floors::{self, Floors, SetBy};
use crate::spec::{Exposure, Protocol, ResourceAmounts, Sensitivity};
use crate::validate;
use crate::yaml_locate::Locator;

pub const KIND: &str = "Preset";
pub const DEFAULT: &str = "restricted";
/// The shortest projected token lifetime the API server issues.
pub const MIN_TOKEN_EXPIRATION_SECONDS: u32 = 600;

/// The presets compiled into the binary: (name, YAML text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("restricted", include_str!("../presets/restricted.yaml")),
    ("baseline", include_str!("../presets/baseline.yaml")),
    ("public-web", include_str!("../presets/public-web.yaml")),
    (
        "internal-grpc",
        include_str!("../presets/internal-grpc.yaml"),
    ),
    ("worker", include_str!("../presets/worker.yaml")),
    ("api-client", include_str!("../presets/api-client.yaml")),
];

/// Settings whose value is replaced as a whole by a child, never merged key by key.
pub const ATOMIC: &[&str] = &["spec.dns.podLabels", "spec.seccompProfile"];

/// The settings a preset fixes for every service that uses it, resolved along its chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Preset {
    /// Values for the spec fields a service leaves out.
    pub defaults: Defaults,
    /// Pods per service when the spec does not say.
    pub replicas: u32,
    /// The uid the containers run as (above 10000).
    pub run_as_user: i64,
    /// The gid the containers run as (above 10000).
    pub run_as_group: i64,
    /// `false` relaxes rubric row 6: the root filesystem is writable (recorded on the
    /// Deployment as scanner exemptions).
    pub read_only_root_filesystem: bool,
    /// `false` relaxes rubric row 20: no anti-affinity or topology spread.
    pub spread_across_nodes: bool,
    /// The pod's seccomp profile: `RuntimeDefault` (rubric row 8), or a `Localhost` profile.
    pub seccomp_profile: SeccompProfile,
    /// Container requests and limits when the spec does not say.
    pub resources: Resources,
    /// Probe paths when the spec does not say.
    pub probes: Probes,
    /// The writable, size-limited emptyDir beside the read-only root filesystem.
    pub writable_tmp: WritableTmp,
    /// Where cluster DNS runs: the only destination every service may always reach.
    pub dns: Dns,
    /// The ingress class and controller of public services.
    pub ingress: IngressDefaults,
    /// The cluster's DNS domain, for the certificate's names.
    pub cluster_domain: String,
    /// Where secret files and the `tls/` folder are mounted in the container.
    pub secrets_mount_path: String,
    /// Certificate lifetimes.
    pub tls: TlsDefaults,
    /// Where the API server is, for services with `apiAccess`.
    pub api_server: ApiServer,
    /// ResourceQuota for the namespace of a `restricted` service.
    pub namespace_quota: NamespaceQuota,
    /// The `pod-security.kubernetes.io/*-version` of the Namespace, e.g. `latest` or `v1.30`.
    pub pod_security_version: String,
    /// Seconds a pod gets to shut down.
    pub termination_grace_period_seconds: u32,
    /// Old ReplicaSets kept for rollback.
    pub revision_history_limit: u32,
    /// A folder of template overrides (absolute once resolved: a preset file writes it
    /// relative to its own folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// `spec.protocol` when the spec does not say.
    pub protocol: Protocol,
    /// `spec.exposure` when the spec does not say.
    pub exposure: Exposure,
    /// `spec.sensitivity` when the spec does not say.
    pub sensitivity: Sensitivity,
}

/// The pod's seccomp profile: `RuntimeDefault`, or a `Localhost` profile on the nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SeccompProfile {
    /// `RuntimeDefault` or `Localhost`.
    #[serde(rename = "type")]
    pub kind: SeccompType,
    /// With `Localhost`: the profile's path on the nodes, relative to the kubelet's seccomp folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SeccompType {
    RuntimeDefault,
    Localhost,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// What the scheduler reserves for the container.
    pub requests: ResourceAmounts,
    /// What the container may use at most.
    pub limits: ResourceAmounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probes {
    /// HTTP path of the readiness probe.
    pub readiness_path: String,
    /// HTTP path of the liveness probe (different from the readiness path).
    pub liveness_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WritableTmp {
    /// Where the emptyDir is mounted, e.g. `/tmp`.
    pub mount_path: String,
    /// Its size limit, e.g. `64Mi`.
    pub size_limit: String,
}

/// Where cluster DNS runs: the only destination every service may always reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dns {
    /// The namespace of the DNS pods, e.g. `kube-system`.
    pub namespace: String,
    /// The labels of the DNS pods, e.g. `k8s-app: kube-dns`.
    pub pod_labels: BTreeMap<String, String>,
    /// The DNS port (UDP and TCP).
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressDefaults {
    /// `spec.ingress.className` when the spec does not say.
    pub class_name: String,
    /// `spec.ingress.controller` when the spec does not say.
    pub controller: AppSelector,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsDefaults {
    /// Lifetime of kubeward's own CA for a namespace.
    pub ca_validity_days: u32,
    /// Lifetime of a service certificate.
    pub leaf_validity_days: u32,
    /// A certificate this close to expiry is renewed at the next render.
    pub renew_before_days: u32,
}

/// Where the API server is reached from pods, and the token they get for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServer {
    /// The API server's addresses as NetworkPolicies see them (its endpoints, not the
    /// `kubernetes` Service address).
    pub cidrs: Vec<String>,
    /// The API server's ports.
    pub ports: Vec<u16>,
    /// Lifetime of the projected service account token.
    pub token_expiration_seconds: u32,
    /// The token's audience; unset, the API server's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_audience: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceQuota {
    /// Pods in the namespace at most.
    pub pods: String,
    /// Sum of cpu requests.
    pub requests_cpu: String,
    /// Sum of memory requests.
    pub requests_memory: String,
    /// Sum of cpu limits.
    pub limits_cpu: String,
    /// Sum of memory limits.
    pub limits_memory: String,
    /// Sum of ephemeral-storage requests.
    pub requests_ephemeral_storage: String,
    /// Sum of ephemeral-storage limits.
    pub limits_ephemeral_storage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppSelector {
    /// The namespace of the pods.
    pub namespace: String,
    /// Their `app.kubernetes.io/name` label.
    pub app: String,
}

/// A kubeward preset file: the settings every service that names it starts from. Its own
/// settings are partial (`spec`: only what it changes), checked once merged along the chain.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "kubeward preset")]
pub struct PresetFile {
    /// Always `kubeward.dev/v1alpha1`.
    #[schemars(extend("enum" = [crate::spec::API_VERSION]))]
    api_version: String,
    /// Always `Preset`.
    #[schemars(extend("enum" = [KIND]))]
    kind: String,
    /// The preset's name and description.
    metadata: PresetMetadata,
    /// The preset this one builds on: a shipped name, a path, or a name in the presets folder.
    /// Every preset but `restricted` names one.
    #[serde(default)]
    extends: Option<String>,
    /// The settings this preset changes; the rest come from the preset it extends.
    #[serde(default)]
    #[schemars(with = "Option<Preset>")]
    spec: Option<Value>,
    /// Minimums that neither a child preset nor a service spec may weaken.
    #[serde(default)]
    floors: Option<Floors>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PresetMetadata {
    /// The preset's name.
    name: String,
    /// What the preset is for, in one sentence.
    #[serde(default)]
    description: String,
}

/// Where a preset was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Shipped,
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Shipped => f.write_str("shipped"),
            Origin::File(path) => {
                // Relative to the current folder when the file lies under it, as users type it.
                let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
                let shown = cwd
                    .ok()
                    .and_then(|cwd| path.strip_prefix(cwd).ok())
                    .unwrap_or(path);
                write!(f, "{}", shown.display())
            }
        }
    }
}

/// One preset of a chain: its name and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub name: String,
    pub origin: Origin,
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.origin)
    }
}

/// A preset resolved along its chain: the settings and floors the plan and the spec check
/// use, and which preset set each value.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub name: String,
    pub description: String,
    /// The preset asked for first, `restricted` last.
    pub chain: Vec<Link>,
    pub preset: Preset,
    pub floors: Floors,
    /// `spec.<setting path>` or `floors.<floor>` → the name of the preset that set it.
    pub set_by: SetBy,
}

impl Resolved {
    /// The preset that set `path` (a setting or a floor), or set the nearest value above it.
    pub fn setter_of(&self, path: &str) -> Option<&str> {
        let mut candidate = path;
        loop {
            if let Some(name) = self.set_by.get(candidate) {
                return Some(name);
            }
            candidate = &candidate[..candidate.rfind(['.', '['])?];
        }
    }

    /// The chain as `team (./team.yaml) → acme (...) → restricted (shipped)`.
    pub fn chain_text(&self) -> String {
        chain_text(&self.chain)
    }
}

fn chain_text(chain: &[Link]) -> String {
    chain
        .iter()
        .map(Link::to_string)
        .collect::<Vec<_>>()
        .join(" → ")
}

/// One preset file read and parsed, not yet merged.
struct Loaded {
    link: Link,
    description: String,
    extends: Option<String>,
    spec: Map<String, Value>,
    floors: Floors,
    locator: Locator,
}

impl Loaded {
    /// The folder its relative paths (`extends`, `templates`) are taken from.
    fn dir(&self) -> Option<&Path> {
        match &self.link.origin {
            Origin::Shipped => None,
            Origin::File(path) => path.parent(),
        }
    }
}

/// A problem in one preset file, at a field and (when known) a line.
struct Problem {
    origin: Origin,
    error: FieldError,
}

fn problems_error(name: &str, mut problems: Vec<Problem>) -> Error {
    problems.sort_by_key(|p| (p.origin.to_string(), p.error.line));
    let mut message = format!(
        "not valid ({} problem{}):",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        message.push_str(&format!("\n  - {}: {}", problem.origin, problem.error));
    }
    Error::Preset {
        name: name.to_string(),
        message,
    }
}

/// Where presets are looked up besides the shipped ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lookup<'a> {
    /// The folder of named presets (`--presets-dir` / `KUBEWARD_PRESETS_DIR`).
    pub presets_dir: Option<&'a Path>,
}

/// Whether a reference names a file rather than a preset.
fn is_path(reference: &str) -> bool {
    reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml")
}

fn shipped_text(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

impl Lookup<'_> {
    /// The file in the presets folder for `name`, if there is one.
    fn folder_file(&self, name: &str) -> Option<PathBuf> {
        let dir = self.presets_dir?;
        ["yaml", "yml"]
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.is_file())
    }

    /// Finds `reference`: a path (relative to `from_dir`), a shipped name, or a name in the
    /// presets folder. A folder preset may not take a shipped name: shipped names always mean
    /// the shipped presets, so `restricted` reads the same in every repository.
    fn locate(&self, reference: &str, from_dir: Option<&Path>) -> Result<(Origin, String), String> {
        if is_path(reference) {
            let Some(dir) = from_dir else {
                return Err(
                    "a path, but a shipped preset can only extend shipped presets".to_string(),
                );
            };
            return read_file(dir.join(reference));
        }
        if let Some(text) = shipped_text(reference) {
            if let Some(shadow) = self.folder_file(reference) {
                return Err(format!(
                    "{} takes the name of a shipped preset, and shipped names are reserved: rename it (e.g. acme-{reference}) and write `extends: {reference}` in it",
                    shadow.display()
                ));
            }
            return Ok((Origin::Shipped, text.to_string()));
        }
        if let Some(path) = self.folder_file(reference) {
            return read_file(path);
        }
        let shipped: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
        let folder = match self.presets_dir {
            Some(dir) => format!(
                "no {reference}.yaml in the presets folder {}",
                dir.display()
            ),
            None => "no presets folder given (--presets-dir or KUBEWARD_PRESETS_DIR)".into(),
        };
        Err(format!(
            "not found: no shipped preset has this name (shipped: {}), {folder}; to use a file, give its path",
            shipped.join(", ")
        ))
    }
}

/// Reads a preset file; its origin is its canonical path, so one file is one preset.
fn read_file(path: PathBuf) -> Result<(Origin, String), String> {
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot be read from {}: {e}", path.display()))?;
    let canonical = std::fs::canonicalize(&path).unwrap_or(path);
    Ok((Origin::File(canonical), text))
}

/// Parses one preset file and checks its header.
fn parse(origin: Origin, text: &str, lookup: Lookup) -> Result<Loaded, Vec<Problem>> {
    let locator = Locator::new(text);
    let at = |error: FieldError| {
        let line = error.line.or_else(|| locator.line_of(&error.field));
        Problem {
            origin: origin.clone(),
            error: error.at_line(line),
        }
    };
    let file: PresetFile =
        serde_saphyr::from_str(text).map_err(|e| vec![at(locator.locate(&e))])?;
    let mut problems = Vec::new();
    if file.api_version != crate::spec::API_VERSION {
        problems.push(at(FieldError::new(
            "apiVersion",
            format!(
                "`{}` is not supported: use {}",
                file.api_version,
                crate::spec::API_VERSION
            ),
        )));
    }
    if file.kind != KIND {
        problems.push(at(FieldError::new(
            "kind",
            format!("`{}` is not supported: use {KIND}", file.kind),
        )));
    }
    let name = file.metadata.name;
    if let Err(message) = validate::dns_label(&name) {
        problems.push(at(FieldError::new("metadata.name", message)));
    }
    if let Origin::File(path) = &origin {
        if shipped_text(&name).is_some() {
            problems.push(at(FieldError::new(
                "metadata.name",
                format!("`{name}` is the name of a shipped preset; shipped names are reserved: pick another (e.g. acme-{name})"),
            )));
        }
        let in_folder = lookup
            .presets_dir
            .and_then(|dir| std::fs::canonicalize(dir).ok())
            .is_some_and(|dir| path.parent() == Some(dir.as_path()));
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        if in_folder && stem.as_deref() != Some(name.as_str()) {
            problems.push(at(FieldError::new(
                "metadata.name",
                format!(
                    "`{name}` differs from the file name: a preset in the presets folder is found by name, so name the file {name}.yaml"
                ),
            )));
        }
    }
    let spec = match file.spec {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => {
            problems.push(at(FieldError::new("spec", "must be a mapping of settings")));
            Map::new()
        }
    };
    if file.extends.is_none() && !(origin == Origin::Shipped && name == DEFAULT) {
        problems.push(at(FieldError::new(
            "extends",
            format!(
                "is required: name the preset this one starts from (e.g. `extends: {DEFAULT}`)"
            ),
        )));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Loaded {
        link: Link { name, origin },
        description: file.metadata.description,
        extends: file.extends,
        spec,
        floors: file.floors.unwrap_or_default(),
        locator,
    })
}

/// Loads `reference` and every preset it extends, the asked-for preset first.
fn load_chain(reference: &str, base_dir: &Path, lookup: Lookup) -> Result<Vec<Loaded>, Error> {
    let mut chain: Vec<Loaded> = Vec::new();
    let mut next = Some((reference.to_string(), Some(base_dir.to_path_buf())));
    while let Some((reference, from_dir)) = next.take() {
        let located = lookup.locate(&reference, from_dir.as_deref());
        let child_problem = |message: String| match chain.last() {
            Some(child) => problems_error(
                &chain[0].link.name,
                vec![Problem {
                    origin: child.link.origin.clone(),
                    error: FieldError::new("extends", message)
                        .at_line(child.locator.line_of("extends")),
                }],
            ),
            None => Error::Preset {
                name: reference.clone(),
                message,
            },
        };
        let (origin, text) = located.map_err(|message| {
            let chain_so_far: Vec<Link> = chain.iter().map(|l| l.link.clone()).collect();
            if chain_so_far.is_empty() {
                child_problem(message)
            } else {
                child_problem(format!(
                    "`{reference}`: {message} (chain: {} → {reference})",
                    chain_text(&chain_so_far)
                ))
            }
        })?;
        let seen = chain.iter().position(|l| match (&l.link.origin, &origin) {
            (Origin::File(a), Origin::File(b)) => a == b,
            (Origin::Shipped, Origin::Shipped) => l.link.name == reference,
            _ => false,
        });
        if let Some(first) = seen {
            let mut links: Vec<Link> = chain.iter().map(|l| l.link.clone()).collect();
            links.push(chain[first].link.clone());
            return Err(child_problem(format!(
                "`{reference}` makes a cycle: {}",
                chain_text(&links)
            )));
        }
        let loaded = parse(origin, &text, lookup)
            .map_err(|problems| problems_error(&reference, problems))?;
        if let Some(twin) = chain.iter().find(|l| l.link.name == loaded.link.name) {
            return Err(child_problem(format!(
                "`{reference}` is named `{}` like {twin}, which is already in the chain; names in a chain must differ",
                loaded.link.name,
                twin = twin.link
            )));
        }
        next = loaded
            .extends
            .clone()
            .map(|parent| (parent, loaded.dir().map(Path::to_path_buf)));
        chain.push(loaded);
    }
    Ok(chain)
}

/// Merges `patch` into `base` (both mappings) the way a child preset applies to its parent:
/// mappings merge key by key (but for [`ATOMIC`] settings), anything else replaces, and
/// `null` removes an optional setting. Records `by` as the setter of every value it writes.
fn merge(
    base: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    path: &str,
    by: &str,
    set_by: &mut SetBy,
) {
    for (key, value) in patch {
        let here = format!("{path}.{key}");
        let forget = |set_by: &mut SetBy| {
            let below = format!("{here}.");
            set_by.retain(|k, _| k != &here && !k.starts_with(&below));
        };
        match value {
            Value::Null => {
                base.remove(key);
                forget(set_by);
            }
            Value::Object(fields) if !ATOMIC.contains(&here.as_str()) => {
                let slot = base
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                    forget(set_by);
                }
                if let Value::Object(inner) = slot {
                    merge(inner, fields, &here, by, set_by);
                }
            }
            _ => {
                base.insert(key.clone(), value.clone());
                forget(set_by);
                set_by.insert(here, by.to_string());
            }
        }
    }
}

/// Presets resolved so far in a run, so that a batch resolves each one once: by name
/// (shipped or from the presets folder, the same for the whole run), or by the file a path
/// names.
#[derive(Debug, Default)]
pub struct Cache {
    resolved: Mutex<HashMap<(String, Option<PathBuf>), Resolved>>,
}

impl Cache {
    /// [`resolve`], from the cache when this run has resolved the same preset. Failures are
    /// not kept: each spec that names a bad preset reports it.
    pub fn resolve(
        &self,
        reference: &str,
        base_dir: &Path,
        lookup: Lookup,
    ) -> Result<Resolved, Error> {
        let file = is_path(reference).then(|| {
            let path = base_dir.join(reference);
            std::fs::canonicalize(&path).unwrap_or(path)
        });
        let key = (reference.to_string(), file);
        let cached = self.entries().get(&key).cloned();
        if let Some(resolved) = cached {
            return Ok(resolved);
        }
        let resolved = resolve(reference, base_dir, lookup)?;
        self.entries().insert(key, resolved.clone());
        Ok(resolved)
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<(String, Option<PathBuf>), Resolved>> {
        self.resolved.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Resolves the preset `reference` (a name or a path relative to `base_dir`).
pub fn resolve(reference: &str, base_dir: &Path, lookup: Lookup) -> Result<Resolved, Error> {
    let chain = load_chain(reference, base_dir, lookup)?;
    let leaf_name = chain[0].link.name.clone();
    let mut settings = Map::new();
    let mut floors = Floors::default();
    let mut set_by = SetBy::new();
    let mut problems = Vec::new();
    for loaded in chain.iter().rev() {
        let mut spec = loaded.spec.clone();
        if let (Some(Value::String(templates)), Some(dir)) = (spec.get("templates"), loaded.dir()) {
            let absolute = dir.join(templates).to_string_lossy().into_owned();
            spec.insert("templates".into(), Value::String(absolute));
        }
        merge(&mut settings, &spec, "spec", &loaded.link.name, &mut set_by);
        for error in floors::tighten(&mut floors, &loaded.floors, &loaded.link.name, &mut set_by) {
            let line = loaded.locator.line_of(&error.field);
            problems.push(Problem {
                origin: loaded.link.origin.clone(),
                error: error.at_line(line),
            });
        }
    }
    let blame = |path: &str| -> &Loaded {
        let mut candidate = path;
        loop {
            if let Some(name) = set_by.get(candidate) {
                return chain
                    .iter()
                    .find(|l| &l.link.name == name)
                    .unwrap_or(&chain[0]);
            }
            match candidate.rfind(['.', '[']) {
                Some(cut) => candidate = &candidate[..cut],
                None => return &chain[0],
            }
        }
    };
    let problem_at = |path: &str, message: String| {
        let loaded = blame(path);
        Problem {
            origin: loaded.link.origin.clone(),
            error: FieldError::new(path, message).at_line(loaded.locator.line_of(path)),
        }
    };
    let preset = match serde_path_to_error::deserialize::<_, Preset>(&Value::Object(settings)) {
        Ok(preset) => preset,
        Err(err) => {
            // The path names the offending key itself, unknown ones included.
            let path = format!("spec.{}", err.path()).replace("spec..", "spec");
            let message = err.inner().to_string();
            problems.push(problem_at(&path, message));
            return Err(problems_error(&leaf_name, problems));
        }
    };
    for error in settings_problems(&preset) {
        problems.push(problem_at(&error.field, error.message));
    }
    let index = |name: &str| chain.iter().position(|l| l.link.name == name).unwrap_or(0);
    for breach in floors::breaches(&floors, &preset) {
        let floor_key = format!("floors.{}", breach.floor);
        let floor_by = set_by.get(&floor_key).cloned().unwrap_or_default();
        let value_by = blame(breach.setting).link.name.clone();
        // Blame whichever came later in the chain: the preset that brought the conflict.
        let (path, hint) = if index(&value_by) <= index(&floor_by) {
            (breach.setting.to_string(), String::new())
        } else {
            (
                floor_key.clone(),
                format!("; set {} in this preset too", breach.setting),
            )
        };
        let loaded = &chain[index(if path == floor_key {
            &floor_by
        } else {
            &value_by
        })];
        problems.push(Problem {
            origin: loaded.link.origin.clone(),
            error: FieldError::new(
                &path,
                format!(
                    "{} (value set by preset `{value_by}`, floor set by preset `{floor_by}`){hint}",
                    breach.message
                ),
            )
            .at_line(loaded.locator.line_of(&path)),
        });
    }
    if !problems.is_empty() {
        return Err(problems_error(&leaf_name, problems));
    }
    Ok(Resolved {
        name: leaf_name,
        description: chain[0].description.clone(),
        chain: chain.iter().map(|l| l.link.clone()).collect(),
        preset,
        floors,
        set_by,
    })
}

/// The values of resolved settings that no preset may use, each with its field path.
fn settings_problems(p: &Preset) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.push(FieldError::new(field, message));
        }
    };
    let at_least = |value: u64, min: u64, what: &str| {
        if value >= min {
            Ok(())
        } else {
            Err(format!("{value} is too small: {what}"))
        }
    };
    check(
        "spec.replicas",
        at_least(u64::from(p.replicas), 1, "use 1-1000").and_then(|()| {
            if p.replicas <= 1000 {
                Ok(())
            } else {
                Err(format!("{} replicas: use 1-1000", p.replicas))
            }
        }),
    );
    for (field, id) in [
        ("spec.runAsUser", p.run_as_user),
        ("spec.runAsGroup", p.run_as_group),
    ] {
        check(
            field,
            if (10001..=i64::from(i32::MAX)).contains(&id) {
                Ok(())
            } else {
                Err(format!(
                    "{id} is not a high non-root id: use 10001 or more (rubric row 2; 10000 and below fail kube-score and kubesec)"
                ))
            },
        );
    }
    match (&p.seccomp_profile.kind, &p.seccomp_profile.localhost_profile) {
        (SeccompType::RuntimeDefault, Some(_)) => check(
            "spec.seccompProfile.localhostProfile",
            Err("is only used with `type: Localhost`".into()),
        ),
        (SeccompType::Localhost, None) => check(
            "spec.seccompProfile.localhostProfile",
            Err("is required with `type: Localhost`: the profile's path under the kubelet's seccomp folder".into()),
        ),
        (SeccompType::Localhost, Some(profile)) => check(
            "spec.seccompProfile.localhostProfile",
            relative_path(profile),
        ),
        (SeccompType::RuntimeDefault, None) => {}
    }
    for (kind, amounts) in [
        ("requests", &p.resources.requests),
        ("limits", &p.resources.limits),
    ] {
        for (key, value) in [
            ("cpu", &amounts.cpu),
            ("memory", &amounts.memory),
            ("ephemeralStorage", &amounts.ephemeral_storage),
        ] {
            let field = format!("spec.resources.{kind}.{key}");
            match value {
                Some(value) => check(&field, validate::quantity(value)),
                None => check(&field, Err("is required (rubric row 15)".into())),
            }
        }
    }
    check(
        "spec.probes.readinessPath",
        http_path(&p.probes.readiness_path),
    );
    check(
        "spec.probes.livenessPath",
        http_path(&p.probes.liveness_path),
    );
    if p.probes.readiness_path == p.probes.liveness_path {
        check(
            "spec.probes.livenessPath",
            Err("must differ from readinessPath (rubric row 16)".into()),
        );
    }
    check(
        "spec.writableTmp.mountPath",
        absolute_path(&p.writable_tmp.mount_path),
    );
    check(
        "spec.writableTmp.sizeLimit",
        validate::quantity(&p.writable_tmp.size_limit),
    );
    check("spec.dns.namespace", validate::dns_label(&p.dns.namespace));
    if p.dns.pod_labels.is_empty() {
        check(
            "spec.dns.podLabels",
            Err("name at least one label of the DNS pods".into()),
        );
    }
    for (key, value) in &p.dns.pod_labels {
        check(&format!("spec.dns.podLabels.{key}"), label(key, value));
    }
    check(
        "spec.dns.port",
        validate::port(i64::from(p.dns.port)).map(|_| ()),
    );
    check(
        "spec.ingress.className",
        validate::dns_subdomain(&p.ingress.class_name),
    );
    check(
        "spec.ingress.controller.namespace",
        validate::dns_label(&p.ingress.controller.namespace),
    );
    check(
        "spec.ingress.controller.app",
        validate::dns_label(&p.ingress.controller.app),
    );
    check(
        "spec.clusterDomain",
        validate::dns_subdomain(&p.cluster_domain),
    );
    check(
        "spec.secretsMountPath",
        absolute_path(&p.secrets_mount_path),
    );
    let tls = &p.tls;
    check(
        "spec.tls.renewBeforeDays",
        at_least(u64::from(tls.renew_before_days), 1, "use 1 or more days"),
    );
    check(
        "spec.tls.leafValidityDays",
        at_least(
            u64::from(tls.leaf_validity_days),
            u64::from(tls.renew_before_days) + 1,
            "a leaf must outlive renewBeforeDays",
        ),
    );
    check(
        "spec.tls.caValidityDays",
        at_least(
            u64::from(tls.ca_validity_days),
            u64::from(tls.leaf_validity_days),
            "the CA must outlive the leaves it signs",
        ),
    );
    let api = &p.api_server;
    if api.cidrs.is_empty() {
        check(
            "spec.apiServer.cidrs",
            Err("list the API server's addresses".into()),
        );
    }
    for (i, cidr) in api.cidrs.iter().enumerate() {
        check(
            &format!("spec.apiServer.cidrs[{i}]"),
            cidr.parse::<crate::cidr::Cidr>().map(|_| ()),
        );
    }
    if api.ports.is_empty() {
        check(
            "spec.apiServer.ports",
            Err("list the API server's ports".into()),
        );
    }
    for (i, port) in api.ports.iter().enumerate() {
        check(
            &format!("spec.apiServer.ports[{i}]"),
            validate::port(i64::from(*port)).map(|_| ()),
        );
    }
    check(
        "spec.apiServer.tokenExpirationSeconds",
        at_least(
            u64::from(api.token_expiration_seconds),
            u64::from(MIN_TOKEN_EXPIRATION_SECONDS),
            "Kubernetes issues tokens for 600 seconds or more",
        ),
    );
    if api.token_audience.as_deref() == Some("") {
        check(
            "spec.apiServer.tokenAudience",
            Err(
                "must not be empty: leave it out (or null) for the API server's own audience"
                    .into(),
            ),
        );
    }
    let q = &p.namespace_quota;
    check(
        "spec.namespaceQuota.pods",
        q.pods
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(|_| ())
            .ok_or_else(|| format!("`{}` is not a positive whole number", q.pods)),
    );
    for (key, value) in [
        ("requestsCpu", &q.requests_cpu),
        ("requestsMemory", &q.requests_memory),
        ("limitsCpu", &q.limits_cpu),
        ("limitsMemory", &q.limits_memory),
        ("requestsEphemeralStorage", &q.requests_ephemeral_storage),
        ("limitsEphemeralStorage", &q.limits_ephemeral_storage),
    ] {
        check(
            &format!("spec.namespaceQuota.{key}"),
            validate::quantity(value),
        );
    }
    let version_ok = p.pod_security_version == "latest"
        || p.pod_security_version
            .strip_prefix("v1.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    if !version_ok {
        check(
            "spec.podSecurityVersion",
            Err(format!(
                "`{}` is not `latest` or a version such as v1.30",
                p.pod_security_version
            )),
        );
    }
    if p.templates.as_deref() == Some("") {
        check("spec.templates", Err("must not be empty".into()));
    }
    errors
}

fn absolute_path(path: &str) -> Result<(), String> {
    if path.starts_with('/')
        && path.len() > 1
        && !path.split('/').any(|c| c == "..")
        && !path.chars().any(char::is_control)
    {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not an absolute path (start with '/', no '..', not '/' alone)"
        ))
    }
}

fn relative_path(path: &str) -> Result<(), String> {
    if !path.is_empty()
        && !path.starts_with('/')
        && !path.split('/').any(|c| c == "..")
        && !path.chars().any(char::is_control)
    {
        Ok(())
    } else {
        Err(format!("`{path}` is not a relative path without '..'"))
    }
}

fn http_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') && !path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not an HTTP path: start with '/', no spaces"
        ))
    }
}

/// A label: a key with an optional DNS-subdomain prefix and a name, and a value of up to 63
/// alphanumerics, `-`, `_` and `.`.
fn label(key: &str, value: &str) -> Result<(), String> {
    let name_ok = |text: &str, empty_ok: bool| {
        (empty_ok && text.is_empty())
            || (text.len() <= 63
                && text.starts_with(|c: char| c.is_ascii_alphanumeric())
                && text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
    };
    let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
    let prefix_ok = prefix.is_empty() || validate::dns_subdomain(prefix).is_ok();
    if !prefix_ok || !name_ok(name, false) {
        return Err(format!("`{key}` is not a label key"));
    }
    if !name_ok(value, true) {
        return Err(format!("`{value}` is not a label value"));
    }
    Ok(())
}

/// A preset as `presets list` shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub link: Link,
    pub extends: Option<String>,
    pub description: String,
}

/// Every preset that can be named: the shipped ones, then the presets folder's, by name.
/// A folder file that does not parse, or that takes a shipped name, is an error.
pub fn list(lookup: Lookup) -> Result<Vec<Listed>, Error> {
    let listed = |loaded: Loaded| Listed {
        link: loaded.link,
        extends: loaded.extends,
        description: loaded.description,
    };
    let mut out = Vec::new();
    for (name, text) in SHIPPED {
        let loaded = parse(Origin::Shipped, text, lookup).map_err(|p| problems_error(name, p))?;
        out.push(listed(loaded));
    }
    let Some(dir) = lookup.presets_dir else {
        return Ok(out);
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::io(
            format!("cannot read the presets folder {}", dir.display()),
            e,
        )
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        // Found as a render would find it: a shipped name in the folder is refused here too.
        let (origin, text) = lookup
            .locate(&name, None)
            .map_err(|message| Error::Preset {
                name: name.clone(),
                message,
            })?;
        let loaded = parse(origin, &text, lookup).map_err(|p| problems_error(&name, p))?;
        out.push(listed(loaded));
    }
    Ok(out)
}

/// The text of a preset as written: the shipped text, or the file's.
pub fn source_text(reference: &str, base_dir: &Path, lookup: Lookup) -> Result<String, Error> {
    lookup
        .locate(reference, Some(base_dir))
        .map(|(_, text)| text)
        .map_err(|message| Error::Preset {
            name: reference.to_string(),
            message,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of preset files for one test.
    struct Folder(tempfile::TempDir);

    impl Folder {
        fn new(files: &[(&str, &str)]) -> Self {
            let dir = tempfile::tempdir().unwrap();
            for (name, body) in files {
                std::fs::write(dir.path().join(name), body).unwrap();
            }
            Folder(dir)
        }

        fn lookup(&self) -> Lookup<'_> {
            Lookup {
                presets_dir: Some(self.0.path()),
            }
        }

        fn resolve(&self, reference: &str) -> Result<Resolved, String> {
            resolve(reference, self.0.path(), self.lookup()).map_err(|e| e.to_string())
        }
    }

    fn preset(name: &str, extends: &str, rest: &str) -> String {
        format!(
            "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: {name}\nextends: {extends}\n{rest}"
        )
    }

    #[test]
    fn every_shipped_preset_resolves() {
        for (name, _) in SHIPPED {
            let resolved = resolve(name, Path::new("."), Lookup::default()).unwrap();
            assert_eq!(resolved.chain.last().unwrap().name, DEFAULT);
        }
    }

    #[test]
    fn unknown_names_are_refused_with_the_list() {
        let err = resolve("nope", Path::new("."), Lookup::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("restricted") && err.contains("baseline"),
            "{err}"
        );
    }

    #[test]
    fn a_child_sets_only_what_it_changes_and_provenance_names_each_setter() {
        let folder = Folder::new(&[
            (
                "org.yaml",
                &preset(
                    "org",
                    "restricted",
                    "spec:\n  replicas: 4\n  resources:\n    limits: { cpu: '1' }\n",
                ),
            ),
            (
                "team.yaml",
                &preset(
                    "team",
                    "org",
                    "spec:\n  probes: { readinessPath: /ready }\n",
                ),
            ),
        ]);
        let resolved = folder.resolve("team").unwrap();
        let p = &resolved.preset;
        assert_eq!(p.replicas, 4);
        assert_eq!(p.resources.limits.cpu.as_deref(), Some("1"));
        assert_eq!(
            p.resources.limits.memory.as_deref(),
            Some("256Mi"),
            "siblings are kept"
        );
        assert_eq!(p.probes.readiness_path, "/ready");
        assert_eq!(p.probes.liveness_path, "/livez");
        assert_eq!(resolved.setter_of("spec.replicas"), Some("org"));
        assert_eq!(resolved.setter_of("spec.resources.limits.cpu"), Some("org"));
        assert_eq!(
            resolved.setter_of("spec.resources.limits.memory"),
            Some("restricted")
        );
        assert_eq!(
            resolved.setter_of("spec.probes.readinessPath"),
            Some("team")
        );
        let names: Vec<&str> = resolved.chain.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["team", "org", "restricted"]);
    }

    #[test]
    fn label_maps_are_replaced_whole_and_null_unsets_an_optional_setting() {
        let folder = Folder::new(&[
            (
                "a.yaml",
                &preset(
                    "a",
                    "restricted",
                    "spec:\n  apiServer: { tokenAudience: vault }\n",
                ),
            ),
            (
                "b.yaml",
                &preset(
                    "b",
                    "a",
                    "spec:\n  dns: { podLabels: { k8s-app: node-local-dns } }\n  apiServer: { tokenAudience: null }\n",
                ),
            ),
        ]);
        let resolved = folder.resolve("b").unwrap();
        assert_eq!(
            resolved.preset.dns.pod_labels,
            BTreeMap::from([("k8s-app".to_string(), "node-local-dns".to_string())])
        );
        assert_eq!(resolved.preset.api_server.token_audience, None);
        assert_eq!(resolved.setter_of("spec.apiServer.tokenAudience"), None);
    }

    #[test]
    fn unknown_settings_are_refused_with_the_path_and_line() {
        let folder = Folder::new(&[(
            "org.yaml",
            &preset(
                "org",
                "restricted",
                "spec:\n  resources:\n    limits:\n      gpu: 1\n",
            ),
        )]);
        let err = folder.resolve("org").unwrap_err();
        assert!(
            err.contains("line 9: spec.resources.limits.gpu: unknown field `gpu`"),
            "{err}"
        );
        assert!(err.contains("org.yaml"), "{err}");
    }

    #[test]
    fn unknown_top_level_keys_and_bad_types_name_the_line() {
        let folder = Folder::new(&[
            (
                "a.yaml",
                &preset("a", "restricted", "flors:\n  minReplicas: 2\n"),
            ),
            (
                "b.yaml",
                &preset("b", "restricted", "spec:\n  replicas: three\n"),
            ),
        ]);
        let err = folder.resolve("a").unwrap_err();
        assert!(err.contains("line 6: flors"), "{err}");
        let err = folder.resolve("b").unwrap_err();
        assert!(err.contains("line 7: spec.replicas"), "{err}");
    }

    #[test]
    fn cycles_are_errors_that_name_the_chain() {
        let folder = Folder::new(&[
            ("a.yaml", &preset("a", "b", "")),
            ("b.yaml", &preset("b", "./a.yaml", "")),
        ]);
        let err = folder.resolve("a").unwrap_err();
        assert!(err.contains("makes a cycle: a ("), "{err}");
        assert!(
            err.contains("→ b (") && err.matches("→").count() == 2,
            "{err}"
        );
        assert!(err.contains("b.yaml: line 5: extends"), "{err}");
    }

    #[test]
    fn missing_parents_are_errors_that_name_the_chain() {
        let folder = Folder::new(&[("team.yaml", &preset("team", "org", ""))]);
        let err = folder.resolve("team").unwrap_err();
        assert!(
            err.contains("team.yaml: line 5: extends: `org`: not found"),
            "{err}"
        );
        assert!(err.contains("(chain: team ("), "{err}");
        assert!(err.ends_with("→ org)"), "{err}");
    }

    #[test]
    fn only_restricted_may_omit_extends() {
        let folder = Folder::new(&[(
            "root.yaml",
            "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata:\n  name: root\nspec:\n  replicas: 2\n",
        )]);
        let err = folder.resolve("root").unwrap_err();
        assert!(err.contains("extends: is required"), "{err}");
    }

    #[test]
    fn a_folder_preset_may_not_take_a_shipped_name() {
        let folder = Folder::new(&[("restricted.yaml", &preset("restricted", "restricted", ""))]);
        let err = folder.resolve("restricted").unwrap_err();
        assert!(err.contains("shipped names are reserved"), "{err}");
        assert!(list(folder.lookup()).is_err());
    }

    #[test]
    fn a_child_cannot_set_a_value_below_an_inherited_floor() {
        let folder = Folder::new(&[
            (
                "org.yaml",
                &preset(
                    "org",
                    "restricted",
                    "floors:\n  minReplicas: 2\n  readOnlyRootFilesystem: true\n",
                ),
            ),
            (
                "team.yaml",
                &preset(
                    "team",
                    "org",
                    "spec:\n  replicas: 1\n  readOnlyRootFilesystem: false\n",
                ),
            ),
        ]);
        let err = folder.resolve("team").unwrap_err();
        assert!(
            err.contains("team.yaml: line 7: spec.replicas: replicas 1 is below the floor minReplicas: 2 (value set by preset `team`, floor set by preset `org`)"),
            "{err}"
        );
        assert!(err.contains("line 8: spec.readOnlyRootFilesystem"), "{err}");
    }

    #[test]
    fn a_floor_over_an_inherited_relaxation_is_blamed_on_the_floor() {
        let folder = Folder::new(&[(
            "strict.yaml",
            &preset(
                "strict",
                "baseline",
                "floors:\n  readOnlyRootFilesystem: true\n",
            ),
        )]);
        let err = folder.resolve("strict").unwrap_err();
        assert!(err.contains("strict.yaml: line 7: floors.readOnlyRootFilesystem: readOnlyRootFilesystem is false"), "{err}");
        assert!(
            err.contains("set spec.readOnlyRootFilesystem in this preset too"),
            "{err}"
        );
        assert!(err.contains("value set by preset `baseline`"), "{err}");
    }

    #[test]
    fn lowering_an_inherited_floor_is_an_error_at_its_line() {
        let folder = Folder::new(&[
            (
                "org.yaml",
                &preset(
                    "org",
                    "restricted",
                    "floors:\n  maxTokenExpirationSeconds: 3600\n",
                ),
            ),
            (
                "team.yaml",
                &preset(
                    "team",
                    "org",
                    "floors:\n  maxTokenExpirationSeconds: 86400\n",
                ),
            ),
        ]);
        let err = folder.resolve("team").unwrap_err();
        assert!(
            err.contains(
                "team.yaml: line 7: floors.maxTokenExpirationSeconds: 86400 would lower the floor"
            ),
            "{err}"
        );
        assert!(err.contains("set by preset `org`"), "{err}");
    }

    #[test]
    fn settings_are_validated_where_they_are_set() {
        let folder = Folder::new(&[(
            "org.yaml",
            &preset(
                "org",
                "restricted",
                "spec:\n  runAsUser: 1000\n  probes: { livenessPath: /readyz }\n",
            ),
        )]);
        let err = folder.resolve("org").unwrap_err();
        assert!(
            err.contains("line 7: spec.runAsUser: 1000 is not a high non-root id"),
            "{err}"
        );
        assert!(
            err.contains("line 8: spec.probes.livenessPath: must differ"),
            "{err}"
        );
    }

    #[test]
    fn templates_are_taken_from_the_folder_of_the_preset_that_names_them() {
        let folder = Folder::new(&[(
            "org.yaml",
            &preset("org", "restricted", "spec:\n  templates: tpl\n"),
        )]);
        let resolved = folder.resolve("org").unwrap();
        let expected = std::fs::canonicalize(folder.0.path()).unwrap().join("tpl");
        assert_eq!(
            resolved.preset.templates.as_deref(),
            Some(expected.to_str().unwrap())
        );
    }
}
