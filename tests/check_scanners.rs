//! `kubeward check` against checkov on manifests kubeward did not write: what
//! `kubectl create deployment/service ... -o yaml` produces, and the rendered default chart of
//! `helm create`. Every checkov failure that a kubeward rule corresponds to must be a kubeward
//! finding on the same object, and every kubeward finding with a checkov equivalent must be
//! a checkov failure too, but for the documented differences below. Needs checkov in `.venv`
//! (`scripts/install-tools.sh`).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::check_fixture;
use kubeward::check::{self, load};
use serde_json::Value;

const FIXTURES: &[&str] = &[
    "kubectl-nginx-deployment.yaml",
    "kubectl-nginx-service.yaml",
    "helm-create-default.yaml",
];

/// Where kubeward is deliberately stricter than checkov: (rule, why).
const STRICTER_THAN_CHECKOV: &[(&str, &str)] = &[
    (
        "KW-AVAIL-001",
        "checkov answers UNKNOWN, not FAILED, for `resources: {}`",
    ),
    (
        "KW-AVAIL-003",
        "checkov answers UNKNOWN, not FAILED, for `resources: {}`",
    ),
    (
        "KW-SEC-019",
        "checkov accepts an unset pull policy on an untagged or `latest` image, which the API defaults to Always; the rubric asks for it written",
    ),
    (
        "KW-RBAC-003",
        "CKV_K8S_41 judges only the ServiceAccount named `default`",
    ),
];

/// Where kubeward deliberately stays silent and checkov does not: (rule, object, why).
const LAXER_THAN_CHECKOV: &[(&str, &str, &str)] = &[
    (
        "KW-AVAIL-006",
        "release-name-mychart-test-connection",
        "the `helm test` Pod has restartPolicy Never: it runs to completion, a probe guards nothing",
    ),
    (
        "KW-AVAIL-007",
        "release-name-mychart-test-connection",
        "the `helm test` Pod has restartPolicy Never: it runs to completion, a probe guards nothing",
    ),
];

/// checkov's failed checks on one file: (check id, resource `Kind.namespace.name...`).
fn checkov_failures(file: &Path) -> BTreeSet<(String, String)> {
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
            "--quiet",
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
    reports
        .iter()
        .flat_map(|r| {
            r["results"]["failed_checks"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|c| {
            (
                c["check_id"].as_str().unwrap().to_string(),
                c["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Whether a checkov resource id names this object (graph checks name a workload's pods
/// `Pod.<namespace>.<workload name>.<labels>`).
fn names(resource: &str, object: &check::object::Object) -> bool {
    let mut parts = resource.splitn(3, '.');
    let (kind, _namespace, rest) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
    let same = rest == object.name || rest.starts_with(&format!("{}.", object.name));
    same && (kind == Some(object.kind_name()) || kind == Some("Pod"))
}

#[test]
fn kubectl_and_helm_manifests_have_the_findings_checkov_reports() {
    for name in FIXTURES {
        let file = check_fixture(name);
        let loaded = load::load_paths(std::slice::from_ref(&file));
        assert!(loaded.errors.is_empty(), "{name}: {:?}", loaded.errors);
        let findings = check::run(&loaded.objects);
        let checkov = checkov_failures(&file);
        assert!(!checkov.is_empty(), "{name}: checkov found nothing");
        for (id, resource) in &checkov {
            let rules: Vec<&str> = check::all_rules()
                .filter(|r| r.scanners.checkov.contains(&id.as_str()))
                .map(|r| r.id)
                .collect();
            let laxer = rules.iter().all(|rule| {
                LAXER_THAN_CHECKOV
                    .iter()
                    .any(|(r, object, _)| r == rule && resource.contains(object))
            });
            if rules.is_empty() || laxer {
                continue;
            }
            let found = findings
                .iter()
                .any(|f| rules.contains(&f.rule.id) && names(resource, &loaded.objects[f.object]));
            assert!(
                found,
                "{name}: checkov {id} fails {resource}, kubeward {rules:?} does not"
            );
        }
        for f in &findings {
            let ids = f.rule.scanners.checkov;
            if ids.is_empty() || STRICTER_THAN_CHECKOV.iter().any(|(r, _)| *r == f.rule.id) {
                continue;
            }
            let object = &loaded.objects[f.object];
            let agreed = checkov
                .iter()
                .any(|(id, resource)| ids.contains(&id.as_str()) && names(resource, object));
            assert!(
                agreed,
                "{name}: kubeward {} on {} ({}), checkov {ids:?} passes it",
                f.rule.id,
                object.display(),
                f.message
            );
        }
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
