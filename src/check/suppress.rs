//! Suppression annotations: kubeward's own (`kubeward.dev/ignore: KW-SEC-001=<reason>`, one
//! entry per line, a reason required) and the scanners' own where they name a check that a
//! rule corresponds to (`checkov.io/skip<N>: CKV_K8S_43=<reason>`, `kube-score/ignore:
//! <check>,<check>`, `ignore-check.kube-linter.io/<check>: <reason>`,
//! `polaris.fairwinds.com/<check>-exempt: "true"`) where the check judges the same property
//! as the rule, or the rule judges a part of it. Suppressed findings stay in the report,
//! marked with the annotation and reason; a malformed kubeward annotation is a finding itself.

use serde_json::Value;

use super::object::Object;
use super::rules::NONE;
use super::{Applies, Finding, Hits, Rule, Scanner, Severity, Suppression, SuppressionKind};
use crate::vocabulary::IGNORE_ANNOTATION;

pub static INVALID_SUPPRESSION: Rule = Rule {
    id: "KW-META-003",
    severity: Severity::Error,
    title: "`kubeward.dev/ignore` entries name a known rule and give a reason",
    explanation: "A suppression without a reason hides a weakness without saying why, and one \
that names no known rule suppresses nothing. Write one entry per line as `RULE-ID=reason`, for \
example `kubeward.dev/ignore: \"KW-AVAIL-009=a singleton by design: the queue allows one \
consumer\"`. An entry without a reason does not suppress anything.",
    rubric: &[],
    scanners: NONE,
    applies: Applies::AllKinds,
    check: malformed_entries,
};

fn malformed_entries(_: &super::index::Index, object: &Object, hits: &mut Hits) {
    if !object
        .annotations()
        .any(|(key, _)| key == IGNORE_ANNOTATION)
    {
        return;
    }
    for (path, key, value) in annotations(object) {
        if key == IGNORE_ANNOTATION {
            for problem in kubeward_entries(value).filter_map(Result::err) {
                hits.add(path.clone(), problem);
            }
        }
    }
}

/// The entries of a `kubeward.dev/ignore` value: `(rule id, reason)`, or what is wrong.
fn kubeward_entries(value: &str) -> impl Iterator<Item = Result<(&str, &str), String>> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (id, reason) = line.split_once('=').unwrap_or((line, ""));
            let (id, reason) = (id.trim(), reason.trim());
            if super::rule(id).is_none() {
                Err(format!(
                    "`{id}` is not a kubeward rule id (see `kubeward check --list-rules`)"
                ))
            } else if reason.is_empty() {
                Err(format!(
                    "the suppression of {id} gives no reason: write `{id}=<why this is acceptable>`"
                ))
            } else {
                Ok((id, reason))
            }
        })
}

/// One suppression read from an annotation.
struct Entry {
    /// Which rules it silences.
    silences: Silences,
    suppression: Suppression,
}

enum Silences {
    Rule(String),
    Check(Scanner, String),
}

impl Silences {
    fn covers(&self, rule: &Rule) -> bool {
        match self {
            Silences::Rule(id) => rule.id == id,
            Silences::Check(scanner, check) => rule.scanners.silenced_by(*scanner, check),
        }
    }
}

/// kube-score's implied ignores: ignoring the first check ignores the others too.
const KUBE_SCORE_IMPLIED: &[(&str, &[&str])] = &[(
    "container-resources",
    &["container-ephemeral-storage-request-and-limit"],
)];

/// Marks the findings of `object` (its index is `index`, its findings at the end of
/// `findings`) that one of its annotations suppresses.
pub fn apply(object: &Object, index: usize, findings: &mut [Finding]) {
    let mut entries: Option<Vec<Entry>> = None;
    for finding in findings.iter_mut().rev() {
        if finding.object != index {
            break;
        }
        finding.suppressed = entries
            .get_or_insert_with(|| {
                annotations(object)
                    .into_iter()
                    .flat_map(|(_, key, value)| read(key, value))
                    .collect()
            })
            .iter()
            .find(|e| e.silences.covers(finding.rule))
            .map(|e| e.suppression.clone());
    }
}

/// The annotations of the object and of its pod template, with the path of each.
fn annotations(object: &Object) -> Vec<(String, &str, &str)> {
    let pod = object.pod();
    let maps = [
        ("metadata", object.at(&["metadata"])),
        (
            pod.as_ref().map_or("", |p| p.metadata_path),
            pod.and_then(|p| p.metadata),
        ),
    ];
    let mut out = Vec::new();
    for (meta_path, metadata) in maps {
        let Some(map) = metadata
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (key, value) in map {
            if let Some(value) = value.as_str() {
                out.push((
                    format!("{meta_path}.annotations.{key}"),
                    key.as_str(),
                    value,
                ));
            }
        }
    }
    out
}

/// The suppressions an annotation holds (none for unrelated annotations).
fn read(key: &str, value: &str) -> Vec<Entry> {
    let entry = |silences, reason: &str| Entry {
        silences,
        suppression: Suppression {
            annotation: key.to_string(),
            reason: reason.trim().to_string(),
            kind: SuppressionKind::InSource,
        },
    };
    let or = |text: &'static str, value: &str| -> String {
        if value.trim().is_empty() {
            text.to_string()
        } else {
            value.to_string()
        }
    };
    if key == IGNORE_ANNOTATION {
        kubeward_entries(value)
            .filter_map(Result::ok)
            .map(|(id, reason)| entry(Silences::Rule(id.to_string()), reason))
            .collect()
    } else if key.starts_with("checkov.io/skip") {
        let (id, reason) = value.split_once('=').unwrap_or((value, ""));
        let reason = or("skipped for checkov", reason);
        vec![entry(
            Silences::Check(Scanner::Checkov, id.trim().to_string()),
            &reason,
        )]
    } else if key == "kube-score/ignore" {
        let mut entries = Vec::new();
        for id in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let implied = KUBE_SCORE_IMPLIED
                .iter()
                .filter(|(ignored, _)| *ignored == id)
                .flat_map(|(_, implied)| implied.iter());
            for check in std::iter::once(&id).chain(implied) {
                let reason = if *check == id {
                    format!("kube-score check {id} ignored")
                } else {
                    format!("kube-score check {check} ignored (implied by {id})")
                };
                entries.push(entry(
                    Silences::Check(Scanner::KubeScore, check.to_string()),
                    &reason,
                ));
            }
        }
        entries
    } else if let Some(check) = key.strip_prefix("ignore-check.kube-linter.io/") {
        let reason = or("ignored for kube-linter", value);
        vec![entry(
            Silences::Check(Scanner::KubeLinter, check.to_string()),
            &reason,
        )]
    } else if let Some(check) = key
        .strip_prefix("polaris.fairwinds.com/")
        .and_then(|rest| rest.strip_suffix("-exempt"))
        && value.trim() == "true"
    {
        vec![entry(
            Silences::Check(Scanner::Polaris, check.to_string()),
            "exempted for Polaris",
        )]
    } else {
        Vec::new()
    }
}
