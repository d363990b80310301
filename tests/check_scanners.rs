//! `kubeward check` against checkov on manifests kubeward did not write: what
//! `kubectl create deployment/service ... -o yaml` produces, the rendered default chart of
//! `helm create`, and objects written to sit on the edges of the catalogue's claims
//! (`claims.yaml`). Every claim the rules make about a checkov check must hold on every
//! object checkov evaluates: a rule that judges the same property reports exactly the objects
//! the check fails, a rule that judges part of it only objects the check fails, and a rule
//! stricter than it at least those. Needs checkov in `.venv` (`scripts/install-tools.sh`).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::check_fixture;
use kubeward::check::{self, Relation, Rule, Scanner, load};
use serde_json::Value;

const FIXTURES: &[&str] = &[
    "kubectl-nginx-deployment.yaml",
    "kubectl-nginx-service.yaml",
    "helm-create-default.yaml",
    "claims.yaml",
];

/// What checkov concluded on one file: (check id, resource `Kind.namespace.name...`, failed).
fn checkov_results(file: &Path) -> Vec<(String, String, bool)> {
    let checkov = common::repo(".venv/bin/checkov");
    assert!(
        checkov.exists(),
        "{} is missing: run scripts/install-tools.sh",
        checkov.display()
    );
    let out = Command::new(checkov)
        .args([
            "--framework",
            "kubernetes",
            "--skip-download",
            "-o",
            "json",
            "-f",
        ])
        .arg(file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "checkov output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let reports = match report {
        Value::Array(list) => list,
        one => vec![one],
    };
    let mut results = Vec::new();
    for report in &reports {
        for (list, failed) in [("passed_checks", false), ("failed_checks", true)] {
            for c in report["results"][list].as_array().into_iter().flatten() {
                results.push((
                    c["check_id"].as_str().unwrap().to_string(),
                    c["resource"].as_str().unwrap().to_string(),
                    failed,
                ));
            }
        }
    }
    results
}

/// Whether a checkov resource id names this object (graph checks name a workload's pods
/// `Pod.<namespace>.<workload name>.<labels>`).
fn names(resource: &str, object: &check::object::Object) -> bool {
    let mut parts = resource.splitn(3, '.');
    let (kind, _namespace, rest) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
    let same = rest == object.name || rest.starts_with(&format!("{}.", object.name));
    same && (kind == Some(object.kind_name()) || kind == Some("Pod"))
}

/// Every claim a rule makes about a checkov check: (rule, check, relation; `None` for the
/// same property).
fn checkov_claims() -> Vec<(&'static Rule, &'static str, Option<Relation>)> {
    let mut claims = Vec::new();
    for rule in check::all_rules() {
        claims.extend(rule.scanners.checkov.iter().map(|id| (rule, *id, None)));
        claims.extend(
            rule.scanners
                .related
                .iter()
                .filter(|r| r.scanner == Scanner::Checkov)
                .map(|r| (rule, r.check, Some(r.relation))),
        );
    }
    claims
}

#[test]
fn every_claim_about_a_checkov_check_holds_on_every_object_checkov_evaluates() {
    let claims = checkov_claims();
    assert!(claims.len() >= 40, "{} claims", claims.len());
    let mut wrong = Vec::new();
    let mut judged = 0;
    for name in FIXTURES {
        let file = check_fixture(name);
        let loaded = load::load_paths(std::slice::from_ref(&file));
        assert!(loaded.errors.is_empty(), "{name}: {:?}", loaded.errors);
        let findings = check::run(&loaded.objects);
        let checkov = checkov_results(&file);
        assert!(
            checkov.iter().any(|(.., failed)| *failed),
            "{name}: checkov found nothing"
        );
        for (i, object) in loaded.objects.iter().enumerate() {
            for (rule, id, how) in &claims {
                let verdicts: BTreeSet<bool> = checkov
                    .iter()
                    .filter(|(check, resource, _)| check == id && names(resource, object))
                    .map(|(.., failed)| *failed)
                    .collect();
                if verdicts.is_empty() {
                    continue; // checkov does not evaluate this kind
                }
                judged += 1;
                let fails = verdicts.contains(&true);
                let reports = findings
                    .iter()
                    .any(|f| f.object == i && f.rule.id == rule.id);
                let holds = match how {
                    None => reports == fails,
                    Some(Relation::Part) => !reports || fails,
                    Some(Relation::Stricter) => !fails || reports,
                    Some(Relation::Differs) => true,
                };
                if !holds {
                    wrong.push(format!(
                        "{name}: {} {} checkov {id}, but on {} kubeward reports: {reports}, checkov fails: {fails}",
                        rule.id,
                        match how {
                            None => "judges the same as",
                            Some(Relation::Part) => "judges part of",
                            Some(Relation::Stricter) => "is stricter than",
                            Some(Relation::Differs) => "differs from",
                        },
                        object.display(),
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(judged >= 200, "only {judged} (object, claim) pairs judged");
}

/// Where the claims are only true because of the probes: each must be a disagreement that
/// checkov and kubeward really have, or the claim would have to be `same`.
#[test]
fn the_probes_show_each_difference_the_catalogue_states() {
    let file = check_fixture("claims.yaml");
    let loaded = load::load_paths(std::slice::from_ref(&file));
    let findings = check::run(&loaded.objects);
    let checkov = checkov_results(&file);
    let kubeward_reports = |rule: &str, object: &str| {
        findings
            .iter()
            .any(|f| f.rule.id == rule && loaded.objects[f.object].name == object)
    };
    let checkov_fails = |id: &str, object: &str| {
        checkov.iter().any(|(check, resource, failed)| {
            *failed && check == id && resource.split('.').nth(2) == Some(object)
        })
    };
    // (rule, checkov check, object, whether kubeward reports it): kubeward reports what
    // checkov passes (stricter), or checkov fails what kubeward passes (part)
    for (rule, id, object, reported) in [
        ("KW-SEC-001", "CKV_K8S_23", "uid-without-non-root", true),
        ("KW-SEC-005", "CKV_K8S_28", "uid-without-non-root", true),
        ("KW-SEC-014", "CKV_K8S_27", "host-etc", true),
        ("KW-SEC-006", "CKV_K8S_39", "net-admin", true),
        ("KW-SEC-015", "CKV_K8S_31", "net-admin", true),
        ("KW-SEC-019", "CKV_K8S_15", "host-etc", true),
        ("KW-META-001", "CKV_K8S_21", "settings", true),
        ("KW-RBAC-003", "CKV_K8S_41", "worker", true),
        ("KW-RBAC-005", "CKV_K8S_49", "escalator", true),
        ("KW-RBAC-006", "CKV_K8S_157", "escalator", true),
        ("KW-RBAC-008", "CKV_K8S_42", "everyone", true),
        ("KW-NET-008", "CKV_K8S_152", "snippets", true),
        ("KW-SEC-013", "CKV_K8S_26", "host-etc", false),
        ("KW-AVAIL-006", "CKV_K8S_9", "run-once", false),
        ("KW-AVAIL-007", "CKV_K8S_8", "run-once", false),
    ] {
        assert!(
            kubeward_reports(rule, object) == reported && checkov_fails(id, object) != reported,
            "{rule} on {object}: kubeward {}, checkov {id} {}",
            kubeward_reports(rule, object),
            checkov_fails(id, object)
        );
    }
}

fn rule_ids_on(name: &str, object_name: &str) -> BTreeSet<&'static str> {
    let loaded = load::load_paths(&[check_fixture(name)]);
    check::run(&loaded.objects)
        .iter()
        .filter(|f| loaded.objects[f.object].name == object_name)
        .map(|f| f.rule.id)
        .collect()
}

#[test]
fn the_helm_chart_has_the_findings_of_kube_score_and_polaris_that_checkov_lacks() {
    let deployment = rule_ids_on("helm-create-default.yaml", "release-name-mychart");
    for (id, scanner_check) in [
        (
            "KW-AVAIL-008",
            "kube-score pod-probes-identical: both probes GET / on http",
        ),
        (
            "KW-AVAIL-009",
            "Polaris deploymentMissingReplicas: replicas 1",
        ),
        (
            "KW-AVAIL-013",
            "kube-score deployment-has-poddisruptionbudget",
        ),
        (
            "KW-AVAIL-005",
            "kube-score container-ephemeral-storage-request-and-limit",
        ),
        (
            "KW-RBAC-003",
            "the chart's ServiceAccount automounts its token",
        ),
    ] {
        assert!(
            deployment.contains(id),
            "{id} ({scanner_check}): {deployment:?}"
        );
    }
    let service = rule_ids_on("kubectl-nginx-service.yaml", "nginx");
    assert!(
        service.contains("KW-NET-004"),
        "kube-score service-targets-pod: {service:?}"
    );
    assert!(
        service.contains("KW-NET-006"),
        "a numeric targetPort: {service:?}"
    );
}

#[test]
fn every_checkov_check_a_rule_names_exists_in_checkov() {
    let checks = common::repo(".venv/lib");
    let mut ids = BTreeSet::new();
    let mut stack = vec![checks];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let text = path.to_string_lossy().into_owned();
            if path.is_dir() && !text.contains("__pycache__") {
                stack.push(path);
            } else if text.contains("checkov/kubernetes/checks")
                && (text.ends_with(".py") || text.ends_with(".json"))
            {
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                for part in source.split('"').filter(|p| p.starts_with("CKV")) {
                    ids.insert(part.to_string());
                }
            }
        }
    }
    assert!(
        ids.len() > 100,
        "checkov's Kubernetes checks not found: {}",
        ids.len()
    );
    for (rule, id, _) in checkov_claims() {
        assert!(
            ids.contains(id),
            "{} names checkov {id}, which checkov does not have",
            rule.id
        );
    }
}
