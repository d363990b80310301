//! Reading manifests for a check: files, folders (recursively, `.yaml`/`.yml`/`.json`) and
//! `-` for stdin; multi-document YAML streams split at their `---`/`...` markers so that one
//! broken document is reported with its file and line and the others are still checked;
//! `List` kinds unpacked into their items. Every object keeps its file and line. Documents
//! are parsed on every core, a stream of one file as well as many files. A document that
//! Helm marks with `# Source: CHART/templates/FILE` (as `helm template` does) is reported
//! against that template file, its lines counted within the template's output.

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Hit;
use super::index::Expiry;
use super::object::{Kind, Object, Origin};
use crate::yaml::locate::Locator;

/// One input: a file or stdin, and its text.
pub struct Source {
    /// The path as given (or found in a folder), or `-` for stdin.
    pub name: String,
    pub text: String,
}

/// An input that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub source: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Everything read for one check.
#[derive(Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    pub objects: Vec<Object>,
    pub errors: Vec<LoadError>,
    /// Documents that are not objects of a known kind (CRDs, values files, ...), skipped.
    pub skipped: usize,
    /// With [`judge_inputs`]: the hits of the single-object rules on each object, in the
    /// order of `objects`, found before the object was pruned.
    pub alone: Vec<Vec<Hit>>,
}

/// How a check judges each object as it is parsed: with the single-object rules, certificates
/// counting as expiring within `expiry`, then, with `pruned`, keeping only what the joined
/// rules read ([`prune`]).
#[derive(Debug, Clone, Copy)]
pub struct Judging {
    pub pruned: bool,
    pub expiry: Expiry,
}

/// The name stdin goes by.
pub const STDIN: &str = "-";

/// The prefix of the comment Helm writes above each document of `helm template`.
const HELM_SOURCE: &str = "# Source: ";

/// Reads every path: `-` is stdin, a folder is walked for `.yaml`, `.yml` and `.json` files.
/// The inputs are read in order, then parsed on every available core.
pub fn load_paths(paths: &[PathBuf]) -> Loaded {
    load_inputs(paths, None)
}

/// Reads every path as [`load_inputs`] does (stdin reported as `stdin_name` when given),
/// judging each object with the single-object rules as soon as it is parsed
/// ([`Loaded::alone`]) and, as `judging` says, keeping only what the joined rules read
/// ([`prune`]): a check of 100,000 objects holds a fraction of them.
pub fn judge_inputs(paths: &[PathBuf], stdin_name: Option<&str>, judging: Judging) -> Loaded {
    let mut loaded = read_inputs(paths, stdin_name);
    loaded.parse(Some(judging), 0);
    loaded
}

/// [`load_paths`], stdin reported as `stdin_name` when given (and the chart name of its Helm
/// `# Source:` paths replaced by it: `--stdin-name charts/shop` reports
/// `shop/templates/x.yaml` as `charts/shop/templates/x.yaml`).
pub fn load_inputs(paths: &[PathBuf], stdin_name: Option<&str>) -> Loaded {
    let mut loaded = read_inputs(paths, stdin_name);
    loaded.parse(None, 0);
    loaded
}

/// The texts of every path, not parsed yet.
fn read_inputs(paths: &[PathBuf], stdin_name: Option<&str>) -> Loaded {
    let mut loaded = Loaded::default();
    for path in paths {
        if path.as_os_str() == STDIN {
            let name = stdin_name.unwrap_or(STDIN);
            let mut text = String::new();
            match std::io::stdin().read_to_string(&mut text) {
                Ok(_) => loaded.sources.extend(helm_sources(name, &text, stdin_name)),
                Err(e) => loaded.error(name, None, format!("cannot read stdin: {e}")),
            }
        } else if path.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(path, &mut files) {
                loaded.error(&path.display().to_string(), None, e);
            }
            files.sort();
            for file in files {
                loaded.read_file(&file);
            }
        } else {
            loaded.read_file(path);
        }
    }
    loaded
}

/// Parses one text as if read from a file called `name`.
pub fn load_text(name: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    loaded.sources.extend(helm_sources(name, text, None));
    loaded.parse(None, 0);
    loaded
}

/// The template a document came from, when Helm marked it: the path after `# Source: ` on
/// its first line that is not blank or the `---` marker.
fn helm_source(document: &str) -> Option<(&str, usize)> {
    let mut offset = 0;
    for line in document.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(path) = trimmed.strip_prefix(HELM_SOURCE) {
            return Some((path.trim(), offset + line.len()));
        }
        if !(trimmed.is_empty() || (is_marker(line, "---") && trimmed.len() == 3)) {
            return None;
        }
        offset += line.len();
    }
    None
}

/// The inputs in `text` (read as `name`): the documents Helm marked with `# Source:`, one
/// input per template file (named by the path, its chart name replaced by `chart_dir` when
/// given), each holding its documents as the template rendered them; then the rest, under
/// `name`, its lines where they were.
fn helm_sources(name: &str, text: &str, chart_dir: Option<&str>) -> Vec<Source> {
    let mut templates: Vec<Source> = Vec::new();
    let mut rest = String::with_capacity(text.len());
    for (range, _) in split_documents(text) {
        let document = &text[range];
        let Some((path, body_start)) = helm_source(document) else {
            rest.push_str(document);
            continue;
        };
        // The template's lines stay where they were in the rest: blank lines in their place.
        rest.extend(std::iter::repeat_n('\n', document.matches('\n').count()));
        let path = match (chart_dir, path.split_once('/')) {
            (Some(dir), Some((_, inside))) => format!("{}/{inside}", dir.trim_end_matches('/')),
            _ => path.to_string(),
        };
        let body = &document[body_start..];
        match templates.iter_mut().find(|t| t.name == path) {
            Some(template) => {
                if !template.text.ends_with('\n') {
                    template.text.push('\n');
                }
                template.text.push_str("---\n");
                template.text.push_str(body);
            }
            None => templates.push(Source {
                name: path,
                text: body.to_string(),
            }),
        }
    }
    if templates.is_empty() {
        return vec![Source {
            name: name.to_string(),
            text: text.to_string(),
        }];
    }
    if !rest.trim().is_empty() {
        templates.push(Source {
            name: name.to_string(),
            text: rest,
        });
    }
    templates
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read folder {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read folder {}: {e}", dir.display()))?
            .path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            files.push(path);
        }
    }
    Ok(())
}

impl Loaded {
    /// Adds one more input, parsed as if read from a file called `name`, and judged (and
    /// pruned) as `judge` says, as [`Loaded::parse`] does.
    pub fn add_text(&mut self, name: &str, text: &str, judge: Option<Judging>) {
        self.sources.push(Source {
            name: name.to_string(),
            text: text.to_string(),
        });
        self.parse(judge, self.sources.len() - 1);
    }

    fn error(&mut self, source: &str, line: Option<usize>, message: String) {
        self.errors.push(LoadError {
            source: source.to_string(),
            line,
            message,
        });
    }

    fn read_file(&mut self, path: &Path) {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) if name.ends_with(".json") => self.sources.push(Source { name, text }),
            Ok(text) => self.sources.extend(helm_sources(&name, &text, None)),
            Err(e) => self.error(&name, None, format!("cannot read: {e}")),
        }
    }

    /// Parses every document of every source, documents spread over the available cores,
    /// results kept in order; with `judge`, judges each object as it is parsed, and prunes it
    /// when `judge` says so. Only the sources from number `first` on are parsed.
    fn parse(&mut self, judge: Option<Judging>, first: usize) {
        let documents: Vec<(usize, Range<usize>, usize)> = self
            .sources
            .iter()
            .enumerate()
            .skip(first)
            .flat_map(|(index, source)| {
                let ranges = if source.name.ends_with(".json") {
                    vec![(0..source.text.len(), 1)]
                } else {
                    split_documents(&source.text)
                };
                ranges
                    .into_iter()
                    .map(move |(range, line)| (index, range, line))
            })
            .collect();
        let sources = &self.sources;
        let parsed = super::spread::map(documents, |(index, range, line)| {
            let mut parsed = Parsed::of(index, &sources[index], range, line);
            for object in &mut parsed.objects {
                if let Some(judging) = judge {
                    parsed
                        .alone
                        .push(super::judge_alone(object, judging.expiry));
                    if judging.pruned {
                        prune(object);
                    }
                }
                shrink(&mut object.value);
            }
            parsed.objects.shrink_to_fit();
            parsed.alone.shrink_to_fit();
            parsed
        });
        self.objects
            .reserve(parsed.iter().map(|p| p.objects.len()).sum());
        self.alone
            .reserve(parsed.iter().map(|p| p.alone.len()).sum());
        for p in parsed {
            self.objects.extend(p.objects);
            self.alone.extend(p.alone);
            self.errors.extend(p.errors);
            self.skipped += p.skipped;
        }
    }
}

/// What one source holds.
#[derive(Default)]
struct Parsed {
    objects: Vec<Object>,
    alone: Vec<Vec<Hit>>,
    errors: Vec<LoadError>,
    skipped: usize,
}

impl Parsed {
    /// Parses the document at `range` of source number `index`, which starts on line
    /// `first_line`.
    fn of(index: usize, source: &Source, range: Range<usize>, first_line: usize) -> Parsed {
        let mut parsed = Parsed::default();
        let name = &source.name;
        let json = name.ends_with(".json");
        let chunk = &source.text[range.clone()];
        let Some(line) = first_content_line(chunk) else {
            return parsed;
        };
        let value = if json {
            serde_json::from_str::<Value>(chunk).map_err(|e| (Some(e.line()), e.to_string()))
        } else {
            serde_saphyr::from_str::<Value>(chunk).map_err(|e| {
                let at = e.location().map(|l| l.line() as usize).filter(|l| *l > 0);
                (
                    at.map(|l| first_line + l - 1),
                    crate::yaml::locate::plain_message(&e),
                )
            })
        };
        match value {
            Ok(value) => {
                let origin = Origin {
                    source: index,
                    document: range,
                    document_line: first_line,
                    line: first_line + line - 1,
                    prefix: String::new(),
                };
                parsed.add(value, origin, chunk);
            }
            Err((line, message)) => parsed.errors.push(LoadError {
                source: name.clone(),
                line,
                message: format!("invalid YAML: {message}"),
            }),
        }
        parsed
    }

    /// Adds a parsed document: an object, a `List` of objects, or something skipped.
    fn add(&mut self, value: Value, origin: Origin, chunk: &str) {
        let is_list = value
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"))
            && value.get("items").is_some_and(Value::is_array);
        if !is_list {
            match object_from(value, origin) {
                Some(object) => self.objects.push(object),
                None => self.skipped += 1,
            }
            return;
        }
        let locator = Locator::new(chunk);
        let Value::Object(mut list) = value else {
            return;
        };
        let Some(Value::Array(items)) = list.remove("items") else {
            return;
        };
        for (i, item) in items.into_iter().enumerate() {
            let prefix = format!("items[{i}]");
            let line = locator
                .line_of(&prefix)
                .map_or(origin.line, |l| origin.document_line + l - 1);
            let item_origin = Origin {
                line,
                prefix,
                ..origin.clone()
            };
            match object_from(item, item_origin) {
                Some(object) => self.objects.push(object),
                None => self.skipped += 1,
            }
        }
    }
}

/// The object in `value`, if it is of a kind the rules know.
pub fn object_from(value: Value, origin: Origin) -> Option<Object> {
    let text = |keys: &[&str]| {
        keys.iter()
            .try_fold(&value, |v, k| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let api_version = text(&["apiVersion"])?;
    let kind_name = text(&["kind"])?;
    let (kind, api_serves_kind) = match Kind::of(&api_version, &kind_name) {
        Some(kind) => (kind, true),
        None => (Kind::misplaced(&api_version, &kind_name)?, false),
    };
    let name = text(&["metadata", "name"])
        .or_else(|| text(&["metadata", "generateName"]))
        .unwrap_or_else(|| "(unnamed)".to_string());
    let namespace = if kind.is_namespaced() {
        text(&["metadata", "namespace"])
    } else {
        None
    };
    Some(Object {
        kind,
        value,
        api_version,
        api_serves_kind,
        name,
        namespace,
        origin,
    })
}

/// Whether `line` is the document marker `marker` (`---` or `...`), alone or followed by
/// a space. YAML forbids these at column 0 inside content, so a text split is exact.
fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

/// The documents of a YAML stream: byte ranges and the 1-based line each starts on.
fn split_documents(text: &str) -> Vec<(Range<usize>, usize)> {
    let mut documents = Vec::new();
    let (mut start, mut start_line, mut offset) = (0, 1, 0);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if is_marker(line, "---") && offset > start {
            documents.push((start..offset, start_line));
            (start, start_line) = (offset, i + 1);
        }
        offset += line.len();
        if is_marker(line, "...") {
            documents.push((start..offset, start_line));
            (start, start_line) = (offset, i + 2);
        }
    }
    if start < text.len() {
        documents.push((start..text.len(), start_line));
    }
    documents
}

/// The 1-based line (within `chunk`) of its first content: not blank, a comment, a marker
/// or a directive. `None` for a document without content.
fn first_content_line(chunk: &str) -> Option<usize> {
    chunk
        .lines()
        .position(|line| {
            let trimmed = line.trim();
            !(trimmed.is_empty()
                || trimmed.starts_with('#')
                || line.starts_with('%')
                || (is_marker(line, "---") && trimmed.len() == 3)
                || is_marker(line, "..."))
        })
        .map(|i| i + 1)
}

/// Frees the spare capacity parsing leaves in every string, list and mapping of `value`.
fn shrink(value: &mut Value) {
    match value {
        Value::String(s) => s.shrink_to_fit(),
        Value::Array(items) => {
            items.shrink_to_fit();
            items.iter_mut().for_each(shrink);
        }
        Value::Object(map) => {
            *map = std::mem::take(map)
                .into_iter()
                .map(|(mut key, mut value)| {
                    key.shrink_to_fit();
                    shrink(&mut value);
                    (key, value)
                })
                .collect();
        }
        _ => {}
    }
}

/// The metadata the joined rules, the suppressions and the report read.
const METADATA: &[&str] = &["name", "generateName", "namespace", "labels", "annotations"];
/// What the joined rules read of a pod spec (`restartPolicy` tells a Pod that runs once).
const POD_SPEC: &[&str] = &[
    "serviceAccountName",
    "serviceAccount",
    "affinity",
    "topologySpreadConstraints",
    "restartPolicy",
];

/// Keeps of `object`, once the single-object rules have judged it, only what the joined
/// rules (`check::cross`), the suppressions and the report read: its kind, version and
/// metadata (but `managedFields` and the like); of a workload its replicas, selector and the
/// labels, annotations, account, scheduling and fixed ids of its pod template (of its
/// containers their names, resources and fixed uids); of a NetworkPolicy its selector, types
/// and whether it has rules; of a Service its selector and type; of a binding its role; of an Ingress its TLS and hosts; of a Secret its type; of an
/// autoscaler its target and minimum; a Role's rules and a budget's spec whole. A field a
/// joined rule reads must be kept here (tests/check_cli.rs compares the findings either way).
pub fn prune(object: &mut Object) {
    if matches!(
        object.kind,
        // read whole by the rules of the public entry under load (KW-LOAD)
        Kind::Ingress
            | Kind::IngressClass
            | Kind::HorizontalPodAutoscaler
            | Kind::Gateway
            | Kind::HTTPRoute
            | Kind::GRPCRoute
            | Kind::BackendTrafficPolicy
            | Kind::SecurityPolicy
            // and by the mesh's (KW-MESH-005)
            | Kind::LinkerdServer
            | Kind::LinkerdAuthorizationPolicy
    ) {
        return;
    }
    let Value::Object(map) = &mut object.value else {
        return;
    };
    map.retain(|k, _| {
        matches!(
            k.as_str(),
            "apiVersion" | "kind" | "metadata" | "spec" | "rules" | "roleRef" | "type"
        )
    });
    if let Some(Value::Object(metadata)) = map.get_mut("metadata") {
        metadata.retain(|k, _| METADATA.contains(&k.as_str()));
    }
    let keep_spec = |map: &mut serde_json::Map<String, Value>, keep: &[&str]| {
        if let Some(Value::Object(spec)) = map.get_mut("spec") {
            spec.retain(|k, _| keep.contains(&k.as_str()));
        }
    };
    match object.kind {
        Kind::NetworkPolicy => {
            keep_spec(map, &["podSelector", "policyTypes", "ingress", "egress"]);
            if let Some(Value::Object(spec)) = map.get_mut("spec") {
                for direction in ["ingress", "egress"] {
                    // whether the policy has rules is all the joined rules read of them
                    if let Some(Value::Array(rules)) = spec.get_mut(direction)
                        && !rules.is_empty()
                    {
                        *rules = vec![Value::Object(Default::default())];
                    }
                }
            }
        }
        Kind::Service => keep_spec(map, &["selector", "type"]),
        Kind::HorizontalPodAutoscaler => keep_spec(map, &["scaleTargetRef", "minReplicas"]),
        Kind::Ingress => {
            keep_spec(map, &["tls", "rules"]);
            if let Some(Value::Array(rules)) = map.get_mut("spec").and_then(|s| s.get_mut("rules"))
            {
                for rule in rules.iter_mut().filter_map(Value::as_object_mut) {
                    rule.retain(|k, _| k == "host");
                }
            }
        }
        Kind::Role | Kind::ClusterRole | Kind::PodDisruptionBudget | Kind::Secret => {}
        // compared whole by KW-AVAIL-017
        Kind::ResourceQuota | Kind::LimitRange => {}
        Kind::RoleBinding | Kind::ClusterRoleBinding => {}
        kind if kind.carries_pods() => {
            if let Some((keys, ..)) = kind.pod_paths() {
                prune_workload(map, keys);
            }
            return;
        }
        _ => {
            map.remove("spec");
        }
    }
    if !matches!(object.kind, Kind::Role | Kind::ClusterRole) {
        map.remove("rules");
    }
    if !matches!(object.kind, Kind::RoleBinding | Kind::ClusterRoleBinding) {
        map.remove("roleRef");
    }
    if object.kind != Kind::Secret {
        map.remove("type");
    }
}

/// Keeps of a pod spec what the joined rules read: [`POD_SPEC`], each container's name and
/// resources (an autoscaler's target must request what it scales on, KW-LOAD-003), and the
/// ids the pod and its containers fix (OpenShift's namespaces assign them, KW-OCP-020).
fn prune_pod_spec(spec: &mut serde_json::Map<String, Value>) {
    spec.retain(|k, _| {
        POD_SPEC.contains(&k.as_str())
            || matches!(
                k.as_str(),
                "containers" | "initContainers" | "securityContext"
            )
    });
    keep_ids(spec, &["runAsUser", "fsGroup"]);
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(containers)) = spec.get_mut(list) {
            for container in containers.iter_mut().filter_map(Value::as_object_mut) {
                container
                    .retain(|k, _| matches!(k.as_str(), "name" | "resources" | "securityContext"));
                keep_ids(container, &["runAsUser"]);
            }
        }
    }
}

/// Keeps of the `securityContext` of `map` only the fields `ids`, and none when it fixes none.
fn keep_ids(map: &mut serde_json::Map<String, Value>, ids: &[&str]) {
    if let Some(Value::Object(context)) = map.get_mut("securityContext") {
        context.retain(|k, _| ids.contains(&k.as_str()));
        if context.is_empty() {
            map.remove("securityContext");
        }
    }
}

/// Prunes a workload whose pod template stands at `keys` (none for a Pod).
fn prune_workload(map: &mut serde_json::Map<String, Value>, keys: &[&str]) {
    let Some((first, rest)) = keys.split_first() else {
        if let Some(Value::Object(spec)) = map.get_mut("spec") {
            prune_pod_spec(spec);
        }
        return;
    };
    let Some(Value::Object(next)) = map.get_mut(*first) else {
        return;
    };
    if *first == "spec" && rest.first() == Some(&"template") {
        next.retain(|k, _| matches!(k.as_str(), "replicas" | "selector" | "template"));
    } else {
        next.retain(|k, _| k == rest.first().copied().unwrap_or("template"));
    }
    if rest.is_empty() {
        return;
    }
    if rest == ["template"] {
        if let Some(Value::Object(template)) = next.get_mut("template") {
            template.retain(|k, _| k == "metadata" || k == "spec");
            if let Some(Value::Object(metadata)) = template.get_mut("metadata") {
                metadata.retain(|k, _| k == "labels" || k == "annotations");
            }
            if let Some(Value::Object(spec)) = template.get_mut("spec") {
                prune_pod_spec(spec);
            }
        }
        return;
    }
    prune_workload(next, rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_streams_at_document_markers_only() {
        let text = "a: 1\n---\nb: |\n  ---not a marker\n--- # c\nc: 3\n...\nd: 4\n";
        let docs = split_documents(text);
        let parts: Vec<(&str, usize)> = docs.iter().map(|(r, l)| (&text[r.clone()], *l)).collect();
        assert_eq!(
            parts,
            vec![
                ("a: 1\n", 1),
                ("---\nb: |\n  ---not a marker\n", 2),
                ("--- # c\nc: 3\n...\n", 5),
                ("d: 4\n", 8),
            ]
        );
    }

    #[test]
    fn a_broken_document_is_reported_with_its_line_and_the_others_load() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: x}\n---\n# comment\nkind: [unclosed\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b, namespace: x}\n";
        let loaded = load_text("in.yaml", text);
        let names: Vec<&str> = loaded.objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(loaded.objects[1].origin.line, 8);
        assert_eq!(loaded.errors.len(), 1);
        assert_eq!(loaded.errors[0].source, "in.yaml");
        assert_eq!(loaded.errors[0].line, Some(6), "{:?}", loaded.errors);
    }

    #[test]
    fn lists_are_unpacked_and_unknown_kinds_skipped() {
        let text = "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: s}\n  - apiVersion: example.com/v1\n    kind: Widget\n    metadata: {name: w}\n";
        let loaded = load_text("list.yaml", text);
        assert_eq!(loaded.objects.len(), 1);
        assert_eq!(loaded.objects[0].origin.prefix, "items[0]");
        assert_eq!(loaded.objects[0].origin.line, 4);
        assert_eq!(loaded.skipped, 1);
    }
}
