//! The check stage: the rule engine over parsed Kubernetes manifests (any manifests,
//! kubeward's or not). Every rule of the catalogue runs on every object of a kind it applies
//! to, with the whole set of objects at hand for the rules that join objects; then the
//! suppression annotations decide which findings stand. It judges a render's output (the
//! self-check, before anything is written) and, for `kubeward check`, any files; it knows
//! nothing of specs, plans or the command line.
//!
//! `object` (the view of one object), `selector` (label selectors), `index` (lookups across
//! objects), `rules` (single-object rules), `cross` (cross-object rules), `suppress`
//! (annotations that silence findings), `load` (files, folders, stdin), `report` (text, JSON,
//! SARIF), `catalogue` (the rule list for `--list-rules` and the book), `releases` (the
//! upstream Kubernetes releases and which are supported).

pub mod catalogue;
pub mod cross;
pub mod index;
pub mod load;
pub mod object;
pub mod releases;
pub mod report;
pub mod rules;
pub mod selector;
pub mod suppress;

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use index::{Expiry, Index};
use object::{Kind, Object, Origin};

/// How serious a finding is; `--fail-on` compares against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The checks of the trusted scanners that judge the same property, so that findings can be
/// mapped to the tools a team already runs, and their suppression annotations honoured.
#[derive(Debug, Default)]
pub struct Scanners {
    /// Pod Security Standards controls, e.g. `restricted: Running as Non-root`.
    pub pss: &'static [&'static str],
    /// checkov check ids, e.g. `CKV_K8S_23`.
    pub checkov: &'static [&'static str],
    pub kube_score: &'static [&'static str],
    pub kube_linter: &'static [&'static str],
    pub polaris: &'static [&'static str],
    /// kube-bench checks: CIS Kubernetes Benchmark ids, e.g. `1.2.1`.
    pub kube_bench: &'static [&'static str],
}

/// The objects a rule looks at.
#[derive(Debug, Clone, Copy)]
pub enum Applies {
    /// Every kind that carries a pod template (Pod, Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, Job, CronJob).
    Pods,
    /// Pods that run until stopped: not Jobs, CronJobs, or Pods that run to completion.
    LongRunningPods,
    /// Deployments and StatefulSets.
    Replicated,
    /// Every namespaced kind the engine knows.
    Namespaced,
    /// Every kind of API object the engine knows (not the control plane's files).
    AllKinds,
    Kinds(&'static [Kind]),
}

impl Applies {
    pub fn includes(self, object: &Object) -> bool {
        let kind = object.kind;
        match self {
            Applies::Pods => object.pod().is_some(),
            Applies::LongRunningPods => object.is_long_running() && object.pod().is_some(),
            Applies::Replicated => kind.is_replicated(),
            Applies::Namespaced => kind.is_namespaced(),
            Applies::AllKinds => kind.is_api_object(),
            Applies::Kinds(kinds) => kinds.contains(&kind),
        }
    }
}

/// What a rule reports about one object: field paths and messages, and the CIS Benchmark
/// check a hit breaks when the rule judges several.
#[derive(Default)]
pub struct Hits(Vec<(String, String, Option<&'static str>)>);

impl Hits {
    pub fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push((path.into(), message.into(), None));
    }

    /// A hit that breaks the CIS Kubernetes Benchmark check `cis` (e.g. `1.2.1`).
    pub fn add_cis(
        &mut self,
        cis: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push((path.into(), message.into(), Some(cis)));
    }
}

/// A rule's judgement of one object.
pub type Check = fn(&Index, &Object, &mut Hits);

/// One rule of the catalogue. Ids are stable: a rule may be reworded, never renumbered.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// One line: the property that must hold.
    pub title: &'static str,
    /// Why it matters and how to fix it (Markdown).
    pub explanation: &'static str,
    /// Rows of the hardening rubric the rule judges.
    pub rubric: &'static [u8],
    pub scanners: Scanners,
    pub applies: Applies,
    pub check: Check,
}

/// Why a finding does not count: the annotation that silenced it and its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub annotation: String,
    pub reason: String,
}

/// One rule broken by one object.
pub struct Finding {
    pub rule: &'static Rule,
    /// Index of the object in the checked set.
    pub object: usize,
    /// The field path the finding points at, e.g. `spec.template.spec.containers[0]`.
    pub path: String,
    pub message: String,
    /// The CIS Kubernetes Benchmark check the finding breaks: the hit's own, or the rule's
    /// one kube-bench check.
    pub cis: Option<&'static str>,
    pub suppressed: Option<Suppression>,
}

/// The rule id prefixes, in catalogue order.
pub const PREFIXES: [&str; 8] = [
    "KW-SEC",
    "KW-SECRET",
    "KW-RBAC",
    "KW-NET",
    "KW-AVAIL",
    "KW-LOAD",
    "KW-META",
    "KW-CP",
];

/// Every rule, in catalogue order: by prefix, then by number.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    static SORTED: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut all: Vec<&'static Rule> = rules::all()
                .chain(cross::RULES)
                .chain(std::iter::once(&suppress::INVALID_SUPPRESSION))
                .collect();
            all.sort_by_key(|r| {
                let prefix = r.id.rsplit_once('-').map_or(r.id, |(p, _)| p);
                (PREFIXES.iter().position(|p| *p == prefix), r.id)
            });
            all
        })
        .iter()
        .copied()
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    all_rules().find(|r| r.id == id)
}

/// Runs every rule over `objects` and applies the suppression annotations. Findings are
/// grouped by object, in input order, then in catalogue order.
pub fn run(objects: &[Object]) -> Vec<Finding> {
    run_with(objects, Expiry::from_now(0))
}

/// [`run`], reporting TLS certificates that expire within `expiry`.
pub fn run_with(objects: &[Object], expiry: Expiry) -> Vec<Finding> {
    let index = Index::new(objects, expiry);
    let mut findings = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        for rule in all_rules() {
            if !rule.applies.includes(object) {
                continue;
            }
            let mut hits = Hits::default();
            (rule.check)(&index, object, &mut hits);
            findings.extend(hits.0.into_iter().map(|(path, message, cis)| Finding {
                rule,
                object: i,
                path,
                message,
                cis: cis.or(match rule.scanners.kube_bench {
                    [only] => Some(*only),
                    _ => None,
                }),
                suppressed: None,
            }));
        }
        suppress::apply(object, i, &mut findings);
    }
    findings
}

/// The self-check of a render: every rule over the rendered objects, each given with the
/// file it is written to; any finding that no reasoned suppression covers fails the render,
/// naming the object and the rule.
pub fn self_check<'a>(
    documents: impl IntoIterator<Item = (String, &'a Value)>,
) -> Result<(), Error> {
    let documents: Vec<(String, &Value)> = documents.into_iter().collect();
    let objects: Vec<Object> = documents
        .iter()
        .enumerate()
        .filter_map(|(source, (_, value))| {
            load::object_from(
                (*value).clone(),
                Origin {
                    source,
                    document: 0..0,
                    document_line: 1,
                    line: 1,
                    prefix: String::new(),
                },
            )
        })
        .collect();
    let problems: Vec<String> = run(&objects)
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| {
            format!(
                "{} ({}): {} {}: {}",
                objects[f.object].display(),
                documents[objects[f.object].origin.source].0,
                f.rule.id,
                f.rule.title,
                f.message
            )
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Render(format!(
        "the self-check found {} problem(s) in the rendered bundle (a template or the plan breaks a rule of `kubeward check`):\n  - {}",
        problems.len(),
        problems.join("\n  - ")
    )))
}
