//! The check stage: the rule engine over parsed Kubernetes manifests (any manifests,
//! kubeward's or not). Every rule of the catalogue runs on every object of a kind it applies
//! to, with the whole set of objects at hand for the rules that join objects; then the
//! suppression annotations decide which findings stand. It judges a render's output (the
//! self-check, before anything is written) and, for `kubeward check`, any files; it knows
//! nothing of specs, plans or the command line.
//!
//! `object` (the view of one object), `selector` (label selectors), `index` (lookups across
//! objects), `rules` (single-object rules), `cross` (cross-object rules), `suppress`
//! (annotations that silence findings), `accepted` (suppressions accepted in a file),
//! `policy` (the floors a check applies and which suppressions count), `config` (the check
//! configuration file), `load` (files, folders, stdin), `report` (text, JSON, SARIF),
//! `catalogue` (the rule list for `--list-rules` and the book), `releases` (the upstream
//! Kubernetes releases and which are supported), `spread` (work over every core).

pub mod accepted;
pub mod catalogue;
pub mod config;
pub mod cross;
pub mod index;
pub mod load;
pub mod object;
pub mod policy;
pub mod releases;
pub mod report;
pub mod rules;
pub mod selector;
pub mod spread;
pub mod suppress;

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::preset::floors::Locks;
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

/// The checks of the trusted scanners that judge exactly the same property, so that findings
/// can be mapped to the tools a team already runs and their suppression annotations honoured;
/// and, in `related`, the checks that judge a neighbouring property (see [`Relation`]).
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
    /// Checks that are not the same as the rule, each with how and why.
    pub related: &'static [Related],
}

/// A scanner kubeward maps its rules to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scanner {
    Pss,
    Checkov,
    KubeScore,
    KubeLinter,
    Polaris,
    /// kube-bench, by its CIS Kubernetes Benchmark ids.
    KubeBench,
}

impl Scanner {
    /// The scanner's name, for people.
    pub fn name(self) -> &'static str {
        match self {
            Scanner::Pss => "Pod Security Standards",
            Scanner::Checkov => "checkov",
            Scanner::KubeScore => "kube-score",
            Scanner::KubeLinter => "kube-linter",
            Scanner::Polaris => "Polaris",
            Scanner::KubeBench => "kube-bench (CIS Kubernetes Benchmark)",
        }
    }
}

/// How a rule judges differently from a scanner check that it is not the same as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The rule reports only objects the check reports, not all of them: the check's
    /// suppression annotation covers what the rule reports, so it silences the rule too.
    Part,
    /// The rule reports every object the check reports, and more: the check's suppression
    /// does not silence the rule.
    Stricter,
    /// Each reports objects the other passes: no suppression crosses.
    Differs,
}

/// A scanner check related to a rule, how, and why they differ.
#[derive(Debug)]
pub struct Related {
    pub scanner: Scanner,
    pub check: &'static str,
    pub relation: Relation,
    /// What the two judge differently, in one sentence.
    pub why: &'static str,
}

impl Related {
    /// The rule judges part of `check`.
    pub const fn part(scanner: Scanner, check: &'static str, why: &'static str) -> Related {
        Related {
            scanner,
            check,
            relation: Relation::Part,
            why,
        }
    }

    /// The rule is stricter than `check`.
    pub const fn stricter(scanner: Scanner, check: &'static str, why: &'static str) -> Related {
        Related {
            scanner,
            check,
            relation: Relation::Stricter,
            why,
        }
    }

    /// The rule and `check` each report what the other passes.
    pub const fn differs(scanner: Scanner, check: &'static str, why: &'static str) -> Related {
        Related {
            scanner,
            check,
            relation: Relation::Differs,
            why,
        }
    }
}

impl Scanners {
    /// The checks of `scanner` that judge the same property as the rule.
    pub fn same(&self, scanner: Scanner) -> &'static [&'static str] {
        match scanner {
            Scanner::Pss => self.pss,
            Scanner::Checkov => self.checkov,
            Scanner::KubeScore => self.kube_score,
            Scanner::KubeLinter => self.kube_linter,
            Scanner::Polaris => self.polaris,
            Scanner::KubeBench => self.kube_bench,
        }
    }

    /// Whether the suppression of `scanner`'s `check` silences the rule: the check judges
    /// the same property, or the rule judges a part of it.
    pub fn silenced_by(&self, scanner: Scanner, check: &str) -> bool {
        self.same(scanner).contains(&check)
            || self
                .related
                .iter()
                .any(|r| r.scanner == scanner && r.check == check && r.relation == Relation::Part)
    }
}

/// The objects a rule looks at.
#[derive(Debug, Clone, Copy)]
pub enum Applies {
    /// Every kind that carries a pod template (Pod, Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, Job, CronJob, DeploymentConfig), when the template can be read.
    Pods,
    /// Every kind that carries a pod template, whether or not it can be read.
    Workloads,
    /// Pods that run until stopped: not Jobs, CronJobs, or Pods that run to completion.
    LongRunningPods,
    /// Deployments, StatefulSets and DeploymentConfigs.
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
            Applies::Workloads => kind.carries_pods(),
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

/// Why a finding does not count: the annotation that silenced it (or the suppressions file
/// and line that accepted it) and its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub annotation: String,
    pub reason: String,
    pub kind: SuppressionKind,
}

/// Where a suppression was written, in SARIF's words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// An annotation of the checked object itself.
    #[default]
    InSource,
    /// An entry of a suppressions file (`--suppressions`).
    External,
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
pub const PREFIXES: [&str; 11] = [
    "KW-SEC",
    "KW-SECRET",
    "KW-RBAC",
    "KW-NET",
    "KW-AVAIL",
    "KW-LOAD",
    "KW-META",
    "KW-MESH",
    "KW-OCP",
    "KW-CP",
    "KW-FLOOR",
];

/// Every rule, in catalogue order: by prefix, then by number.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    static SORTED: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut all: Vec<&'static Rule> = rules::all()
                .chain(cross::all())
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

/// A rule's report on one object, before the findings are numbered and suppressed.
pub struct Hit {
    pub rule: &'static Rule,
    pub path: String,
    pub message: String,
    /// The CIS Kubernetes Benchmark check the hit breaks, when the rule judges several.
    pub cis: Option<&'static str>,
}

/// The position of each rule in the catalogue, which orders the findings of an object.
fn catalogue_position(rule: &Rule) -> usize {
    static POSITIONS: OnceLock<std::collections::HashMap<&'static str, usize>> = OnceLock::new();
    POSITIONS.get_or_init(|| all_rules().enumerate().map(|(i, r)| (r.id, i)).collect())[rule.id]
}

/// Runs `rules` that apply to `object` with `index`, adding their hits to `out`.
fn judge<'r>(
    rules: impl Iterator<Item = &'r &'static Rule>,
    index: &Index,
    object: &Object,
    out: &mut Vec<Hit>,
) {
    for &rule in rules {
        if !rule.applies.includes(object) {
            continue;
        }
        let mut hits = Hits::default();
        (rule.check)(index, object, &mut hits);
        out.extend(hits.0.into_iter().map(|(path, message, cis)| Hit {
            rule,
            path,
            message,
            cis,
        }));
    }
}

/// The rules that judge one object alone: every rule of `rules` and the check of the
/// suppressions themselves; the joined rules (`cross`) are the others.
fn single_object_rules() -> &'static [&'static Rule] {
    static SINGLE: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    SINGLE.get_or_init(|| {
        rules::all()
            .chain(std::iter::once(&suppress::INVALID_SUPPRESSION))
            .collect()
    })
}

/// The hits of every single-object rule on `object`, which needs no other object: while a
/// check reads its inputs, each object is judged alone as soon as it is parsed. Certificates
/// count as expiring within `expiry`.
pub fn judge_alone(object: &Object, expiry: Expiry) -> Vec<Hit> {
    let mut hits = Vec::new();
    judge(
        single_object_rules().iter(),
        &Index::alone(expiry),
        object,
        &mut hits,
    );
    hits
}

/// The findings on object `i`: its hits alone and those of the joined rules on `index`, in
/// catalogue order, settled by `policy` (which suppressions count; floors stand).
fn findings_on(
    index: &Index,
    policy: &policy::Policy,
    i: usize,
    mut hits: Vec<Hit>,
) -> Vec<Finding> {
    let object = &index.objects[i];
    let joined: Vec<&'static Rule> = cross::all().collect();
    judge(joined.iter(), index, object, &mut hits);
    if cross::ids_assigned(index, object) {
        hits.retain(|h| h.rule.id != "KW-SEC-002");
    }
    hits.sort_by_key(|h| catalogue_position(h.rule));
    let mut findings: Vec<Finding> = hits
        .into_iter()
        .map(|h| Finding {
            rule: h.rule,
            object: i,
            path: h.path,
            message: h.message,
            cis: h.cis.or(match h.rule.scanners.kube_bench {
                [only] => Some(*only),
                _ => None,
            }),
            suppressed: None,
        })
        .collect();
    policy.settle(object, i, &mut findings);
    findings
}

/// Runs every rule over `objects` (spread over the available cores) and applies the
/// suppression annotations. Findings are grouped by object, in input order, then in
/// catalogue order.
pub fn run(objects: &[Object]) -> Vec<Finding> {
    run_with(objects, &policy::Policy::default())
}

/// [`run`] under `policy`: its floors judged too, and only the suppressions it counts.
pub fn run_with(objects: &[Object], policy: &policy::Policy) -> Vec<Finding> {
    let alone = spread::map(objects.iter().collect(), |object| {
        judge_alone(object, policy.expiry)
    });
    run_joined(objects, alone, policy)
}

/// The findings on `objects`, given the hits each got alone ([`judge_alone`], in the same
/// order): the joined rules (the floors of `policy` among them) run on the index of all of
/// them.
pub fn run_joined(
    objects: &[Object],
    alone: Vec<Vec<Hit>>,
    policy: &policy::Policy,
) -> Vec<Finding> {
    assert_eq!(objects.len(), alone.len(), "one list of hits per object");
    let index = Index::judged_by(objects, &policy.floors, policy.expiry);
    spread::map(alone.into_iter().enumerate().collect(), |(i, hits)| {
        findings_on(&index, policy, i, hits)
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Reads `paths` (see [`load::load_inputs`]) and checks them under `policy`, with the least
/// memory: each object is judged alone as soon as it is parsed, then kept only with what the
/// joined rules read ([`load::prune`]); with floors, which read whole pods, nothing is pruned.
/// `extra` is one more input, as (name, text), such as the version `--kubernetes-version`
/// gives.
pub fn check_paths(
    paths: &[std::path::PathBuf],
    stdin_name: Option<&str>,
    extra: Option<(&str, &str)>,
    policy: &policy::Policy,
) -> (load::Loaded, Vec<Finding>) {
    let pruned = policy.floors.is_empty();
    let judging = load::Judging {
        pruned,
        expiry: policy.expiry,
    };
    let mut loaded = load::judge_inputs(paths, stdin_name, judging);
    if let Some((name, text)) = extra {
        loaded.add_text(name, text, Some(judging));
    }
    let alone = std::mem::take(&mut loaded.alone);
    let findings = run_joined(&loaded.objects, alone, policy);
    (loaded, findings)
}

/// The self-check of a render: every rule over the rendered objects, each given with the
/// file it is written to, and the floors of the render's preset; any finding that no reasoned
/// suppression covers fails the render, naming the object and the rule (a floor breach, which
/// nothing suppresses, exits 2 like any input below a floor).
pub fn self_check<'a>(
    documents: impl IntoIterator<Item = (String, &'a Value)>,
    floors: &[Locks],
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
    let policy = policy::Policy {
        floors: floors.to_vec(),
        ..policy::Policy::default()
    };
    let findings = run_with(&objects, &policy);
    let problems: Vec<String> = findings
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
    if findings
        .iter()
        .any(|f| f.suppressed.is_none() && cross::is_floor(f.rule))
    {
        return Err(Error::Floors(format!(
            "the rendered bundle breaches its preset's floors (a template or a flag undoes what the preset locks):\n  - {}",
            problems.join("\n  - ")
        )));
    }
    Err(Error::Render(format!(
        "the self-check found {} problem(s) in the rendered bundle (a template or the plan breaks a rule of `kubeward check`):\n  - {}",
        problems.len(),
        problems.join("\n  - ")
    )))
}
