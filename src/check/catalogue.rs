//! The rule catalogue as `kubeward check --list-rules` prints it: text, JSON, or the Markdown
//! page of the book (`book/src/reference/rules.md`, generated from the rules themselves).

use std::fmt::Write;

use serde_json::{Value, json};

use super::{Applies, Relation, Rule, Scanner, all_rules};

/// Rows of the rubric (1..=33) and the rules judging each.
const RUBRIC_ROWS: u8 = 33;

impl Applies {
    /// What the rule looks at, for people.
    pub fn describe(self) -> String {
        match self {
            Applies::Pods => {
                "Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and DeploymentConfig pod templates (init containers included)".into()
            }
            Applies::Workloads => {
                "every Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and DeploymentConfig, readable or not".into()
            }
            Applies::LongRunningPods => {
                "Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet and DeploymentConfig pod templates (not Jobs, CronJobs, or Pods with restartPolicy Never or OnFailure)".into()
            }
            Applies::Replicated => "Deployment, StatefulSet and DeploymentConfig".into(),
            Applies::Namespaced => "every namespaced kind kubeward knows".into(),
            Applies::AllKinds => "every kind of API object kubeward knows".into(),
            Applies::Kinds(kinds) => kinds
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

const SCANNERS: [Scanner; 6] = [
    Scanner::Pss,
    Scanner::Checkov,
    Scanner::KubeScore,
    Scanner::KubeLinter,
    Scanner::Polaris,
    Scanner::KubeBench,
];

/// The scanner checks that judge the same property as the rule, as (scanner, check ids)
/// pairs, empty ones left out.
fn scanner_rows(rule: &Rule) -> Vec<(Scanner, &'static [&'static str])> {
    SCANNERS
        .into_iter()
        .map(|s| (s, rule.scanners.same(s)))
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

/// The annotation by which `scanner` suppresses `check`, if it has one.
fn annotation(scanner: Scanner, check: &str) -> Option<String> {
    match scanner {
        Scanner::Pss | Scanner::KubeBench => None,
        Scanner::Checkov => Some(format!("`checkov.io/skip1: {check}=<reason>`")),
        Scanner::KubeScore => Some(format!("`kube-score/ignore: {check}`")),
        Scanner::KubeLinter => Some(format!("`ignore-check.kube-linter.io/{check}: <reason>`")),
        Scanner::Polaris => Some(format!("`polaris.fairwinds.com/{check}-exempt: \"true\"`")),
    }
}

/// The scanners' own annotations that suppress the rule: those of the same checks, and of
/// the checks the rule judges a part of.
fn scanner_annotations(rule: &Rule) -> Vec<String> {
    let same = scanner_rows(rule)
        .into_iter()
        .flat_map(|(s, ids)| ids.iter().map(move |id| (s, *id)));
    let parts = rule
        .scanners
        .related
        .iter()
        .filter(|r| r.relation == Relation::Part)
        .map(|r| (r.scanner, r.check));
    same.chain(parts)
        .filter_map(|(s, id)| annotation(s, id))
        .collect()
}

/// How the rule differs from each related check, one sentence each: "Stricter than checkov
/// `CKV_K8S_27`: ...".
pub fn related_lines(rule: &Rule) -> Vec<String> {
    rule.scanners
        .related
        .iter()
        .map(|r| {
            let how = match r.relation {
                Relation::Part => "Judges part of",
                Relation::Stricter => "Stricter than",
                Relation::Differs => "Differs from",
            };
            format!("{how} {} `{}`: {}", r.scanner.name(), r.check, r.why)
        })
        .collect()
}

/// The rule's help: its explanation, then how it differs from the related checks.
pub fn help_text(rule: &Rule) -> String {
    let mut out = rule.explanation.to_string();
    for line in related_lines(rule) {
        out.push_str("\n\n");
        out.push_str(&line);
    }
    out
}

/// One rule as a Markdown section body (without its heading).
pub fn rule_markdown(rule: &Rule) -> String {
    let mut out = String::new();
    let rows: Vec<String> = rule.rubric.iter().map(u8::to_string).collect();
    let _ = writeln!(
        out,
        "Severity: **{}**. Applies to: {}.{}\n",
        rule.severity.as_str(),
        rule.applies.describe(),
        if rows.is_empty() {
            String::new()
        } else {
            format!(" Rubric row(s): {}.", rows.join(", "))
        }
    );
    let _ = writeln!(out, "{}\n", rule.explanation);
    let scanners = scanner_rows(rule);
    if scanners.is_empty() {
        out.push_str("No scanner check judges exactly the same property.\n\n");
    } else {
        out.push_str("| Scanner | Checks that judge the same property |\n|---|---|\n");
        for (scanner, ids) in scanners {
            let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            let _ = writeln!(out, "| {} | {} |", scanner.name(), ids.join(", "));
        }
        out.push('\n');
    }
    for line in related_lines(rule) {
        let _ = writeln!(out, "- {line}");
    }
    if !rule.scanners.related.is_empty() {
        out.push('\n');
    }
    let _ = write!(
        out,
        "Suppress with `kubeward.dev/ignore: \"{}=<reason>\"`",
        rule.id
    );
    let others = scanner_annotations(rule);
    if others.is_empty() {
        out.push_str(".\n");
    } else {
        let _ = writeln!(out, ", or with {}.", others.join(", "));
    }
    out
}

/// The whole catalogue as the book's reference page.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n\
<!-- Generated by `kubeward check --list-rules --format markdown`; a test keeps it in step. -->\n\n\
`kubeward check` judges Kubernetes manifests against the rules below, one or more per row of \
kubeward's hardening rubric that can be judged from manifests. Rule ids are stable: a rule may \
be reworded but is never renumbered. The same rules run on every bundle `kubeward render` \
writes (the self-check), so kubeward's own output has no finding.\n\n\
Prefixes: `KW-SEC` pod and container security, images and secrets in pods; `KW-SECRET` secret \
values at rest in the manifests; `KW-RBAC` service accounts and API permissions; `KW-NET` \
network policies, Services and Ingresses; `KW-AVAIL` resources, probes, replicas and disruption \
budgets; `KW-LOAD` autoscalers and the public entry under load (limits, TLS-only listeners, \
maintained controllers); `KW-META` namespaces, API versions and suppressions; `KW-CP` the \
control plane: API server, controller manager, scheduler and etcd flags (static Pods and \
kubeadm's `ClusterConfiguration`), encryption at rest, the audit policy, Pod Security by default \
and a supported Kubernetes minor, each finding with the CIS Kubernetes Benchmark check it \
breaks.\n\n\
Severities: **error** (an exploitable weakness), **warning** (a hardening gap), **info** (a \
practice). `--fail-on` (default `warning`) sets the lowest severity that fails a check.\n\n\
Each rule lists the checks of other scanners that judge exactly the same property, and below them \
the related checks that do not: **stricter than** (the rule also reports objects the check \
passes), **judges part of** (the rule reports only objects the check reports, not all of them) \
and **differs from** (each reports objects the other passes), each with what differs. The \
suppression annotations of the same checks and of the checks a rule judges part of \
(`checkov.io/skip<N>`, `kube-score/ignore`, `ignore-check.kube-linter.io/<check>`, \
`polaris.fairwinds.com/<check>-exempt`) suppress the kubeward rule too; those of stricter-than and \
differs-from checks do not, since they accept less than the rule reports. Suppressed findings are \
still reported, with their reason.\n\n",
    );
    let covered: Vec<u8> = all_rules().flat_map(|r| r.rubric.iter().copied()).collect();
    let uncovered: Vec<String> = (1..=RUBRIC_ROWS)
        .filter(|row| !covered.contains(row))
        .map(|row| row.to_string())
        .collect();
    if !uncovered.is_empty() {
        let _ = writeln!(
            out,
            "Rubric rows without a rule: {}. Row 30 is optional per preset: ResourceQuota, \
LimitRange, priorityClassName and AppArmor are choices of the platform, not properties every \
workload must have.\n",
            uncovered.join(", ")
        );
    }
    out.push_str("| Rule | Severity | Title |\n|---|---|---|\n");
    for rule in all_rules() {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} |",
            rule.id,
            rule.id.to_lowercase(),
            rule.severity.as_str(),
            rule.title.replace('|', "\\|")
        );
    }
    for rule in all_rules() {
        let _ = write!(
            out,
            "\n## {}\n\n**{}**\n\n{}",
            rule.id,
            rule.title,
            rule_markdown(rule)
        );
    }
    out
}

/// The catalogue as plain text, one rule per line.
pub fn text() -> String {
    all_rules()
        .map(|r| format!("{:<12} {:<8} {}\n", r.id, r.severity.as_str(), r.title))
        .collect()
}

/// The catalogue as JSON.
pub fn json() -> Value {
    let rules: Vec<Value> = all_rules()
        .map(|r| {
            json!({
                "id": r.id,
                "severity": r.severity,
                "title": r.title,
                "explanation": r.explanation,
                "appliesTo": r.applies.describe(),
                "rubric": r.rubric,
                "scanners": {
                    "pss": r.scanners.pss,
                    "checkov": r.scanners.checkov,
                    "kubeScore": r.scanners.kube_score,
                    "kubeLinter": r.scanners.kube_linter,
                    "polaris": r.scanners.polaris,
                    "related": r.scanners.related.iter().map(|rel| json!({
                        "scanner": rel.scanner,
                        "check": rel.check,
                        "relation": rel.relation,
                        "why": rel.why,
                    })).collect::<Vec<_>>(),
                    "kubeBench": r.scanners.kube_bench,
                },
            })
        })
        .collect();
    json!({"rules": rules})
}
