//! The hardening rubric as data: one entry per row, with the outside references that check or
//! recommend it (Pod Security Standards control, checkov and kube-score ids, the NSA/CISA
//! Kubernetes Hardening Guide section). The one table `explain` and the annotations cite.

use serde::Serialize;

/// One row of the rubric and where else it is checked or recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Row {
    pub row: u8,
    /// The property, in a few words.
    pub title: &'static str,
    /// Pod Security Standards controls (level: control name).
    pub pss: &'static [&'static str],
    pub checkov: &'static [&'static str],
    pub kube_score: &'static [&'static str],
    /// NSA/CISA Kubernetes Hardening Guide (v1.2): section › subsection.
    pub nsa: Option<&'static str>,
}

const NON_ROOT: &str =
    "Kubernetes Pod security › Non-root containers and rootless container engines";
const ENFORCEMENT: &str = "Kubernetes Pod security › Pod security enforcement";
const TOKENS: &str = "Kubernetes Pod security › Protecting Pod service account tokens";
const IMAGES: &str = "Kubernetes Pod security › Building secure container images";
const NETWORK_POLICIES: &str = "Network separation and hardening › Network policies";
const RESOURCE_POLICIES: &str = "Network separation and hardening › Resource policies";

const fn entry(
    row: u8,
    title: &'static str,
    pss: &'static [&'static str],
    checkov: &'static [&'static str],
    kube_score: &'static [&'static str],
    nsa: Option<&'static str>,
) -> Row {
    Row {
        row,
        title,
        pss,
        checkov,
        kube_score,
        nsa,
    }
}

/// Every row of the rubric (design/rubric.md), in order.
#[rustfmt::skip]
pub const ROWS: &[Row] = &[
    entry(1, "runAsNonRoot: true", &["Restricted: Running as Non-root"], &["CKV_K8S_23"], &[], Some(NON_ROOT)),
    entry(2, "runAsUser and runAsGroup above 10000", &[], &["CKV_K8S_40"], &["container-security-context-user-group-id"], Some(NON_ROOT)),
    entry(3, "a securityContext on the pod and on every container", &[], &["CKV_K8S_29", "CKV_K8S_30"], &[], Some(ENFORCEMENT)),
    entry(4, "allowPrivilegeEscalation: false on every container", &["Restricted: Privilege Escalation"], &["CKV_K8S_20"], &[], Some(ENFORCEMENT)),
    entry(5, "capabilities: drop ALL, add none", &["Restricted: Capabilities"], &["CKV_K8S_25", "CKV_K8S_28", "CKV_K8S_37"], &[], Some(ENFORCEMENT)),
    entry(6, "read-only root filesystem, writable paths on size-limited emptyDir", &[], &["CKV_K8S_22"], &["container-security-context-readonlyrootfilesystem"], Some("Kubernetes Pod security › Immutable container file systems")),
    entry(7, "not privileged; no host network, PID, IPC, ports or paths", &["Baseline: Privileged Containers", "Baseline: Host Namespaces", "Baseline: Host Ports", "Baseline: HostPath Volumes"], &["CKV_K8S_16", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_26"], &["container-security-context-privileged"], Some(ENFORCEMENT)),
    entry(8, "seccompProfile RuntimeDefault", &["Restricted: Seccomp"], &["CKV_K8S_31"], &["container-seccomp-profile"], Some("Kubernetes Pod security › Hardening container environments")),
    entry(9, "only restricted volume types", &["Restricted: Volume Types"], &[], &[], Some(ENFORCEMENT)),
    entry(10, "automountServiceAccountToken: false on the pod", &[], &["CKV_K8S_38"], &[], Some(TOKENS)),
    entry(11, "a dedicated ServiceAccount without automount", &[], &[], &[], Some(TOKENS)),
    entry(12, "API access through a projected, expiring token", &[], &["CKV_K8S_38"], &[], Some(TOKENS)),
    entry(13, "image pinned by digest", &[], &["CKV_K8S_14", "CKV_K8S_43"], &["container-image-tag"], Some(IMAGES)),
    entry(14, "imagePullPolicy: Always", &[], &["CKV_K8S_15"], &["container-image-pull-policy"], Some(IMAGES)),
    entry(15, "cpu, memory and ephemeral-storage requests and limits", &[], &["CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13"], &["container-resources", "container-ephemeral-storage-request-and-limit"], Some(RESOURCE_POLICIES)),
    entry(16, "distinct readiness and liveness probes", &[], &["CKV_K8S_8", "CKV_K8S_9"], &["pod-probes"], None),
    entry(17, "secrets as files, never environment variables", &[], &["CKV_K8S_35"], &[], Some("Network separation and hardening › Secrets")),
    entry(18, "an explicit namespace, never default or kube-system", &[], &["CKV_K8S_21"], &[], Some("Network separation and hardening › Namespaces")),
    entry(19, "two replicas or more", &[], &[], &["deployment-replicas"], None),
    entry(20, "replicas spread across nodes", &[], &[], &["deployment-has-host-podantiaffinity", "pod-topology-spread-constraints"], None),
    entry(21, "a PodDisruptionBudget with maxUnavailable: 1", &[], &[], &["deployment-has-poddisruptionbudget", "poddisruptionbudget-has-policy"], None),
    entry(22, "namespace enforces Pod Security restricted", &[], &[], &[], Some(ENFORCEMENT)),
    entry(23, "a namespace-wide default-deny NetworkPolicy", &[], &[], &[], Some(NETWORK_POLICIES)),
    entry(24, "a NetworkPolicy for the app with ingress and egress rules", &[], &[], &["pod-networkpolicy", "networkpolicy-targets-pod"], Some(NETWORK_POLICIES)),
    entry(25, "DNS egress only to cluster DNS", &[], &[], &[], Some(NETWORK_POLICIES)),
    entry(26, "a ClusterIP Service selecting the pods by a named port", &[], &[], &["service-type", "service-targets-pod"], Some("Network separation and hardening")),
    entry(27, "public exposure through an Ingress with TLS, no snippet annotations", &[], &["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154"], &["ingress-targets-service"], Some("Network separation and hardening › Encryption")),
    entry(28, "a Role with exactly the declared rules, bound to the service's account", &[], &["CKV_K8S_49", "CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_2", "CKV2_K8S_3", "CKV2_K8S_5"], &[], Some("Authentication and authorization › Role-based access control")),
    entry(29, "stable API versions", &[], &[], &["stable-version"], Some("Upgrading and application security practices")),
    entry(30, "per preset: ResourceQuota and LimitRange in the namespace, a priorityClassName", &[], &[], &[], Some(RESOURCE_POLICIES)),
    entry(31, "a HorizontalPodAutoscaler of at least 2 pods that can scale, the Deployment without replicas", &[], &[], &["horizontalpodautoscaler-has-target", "deployment-targeted-by-hpa-does-not-have-replicas-configured"], None),
    entry(32, "the public entry serves only TLS, HTTP redirected, the TLS backend verified", &[], &[], &[], Some("Network separation and hardening › Encryption")),
    entry(33, "limits at the door; a quota and a LimitRange for confidential data", &[], &[], &[], Some(RESOURCE_POLICIES)),
    entry(34, "both ends of every connection admit it, DNS included, and nothing else", &[], &[], &[], Some(NETWORK_POLICIES)),
    entry(35, "callers verify the server with its trust anchor; with clientAuth, callers present client certificates", &[], &[], &[], Some("Network separation and hardening › Encryption")),
    entry(36, "in a mesh: mutual TLS STRICT, exactly the callers' identities admitted, the proxy's control plane reached and nothing more", &[], &[], &[], Some("Network separation and hardening › Encryption")),
    entry(37, "no secret value in the output when sealing or an external store is chosen; a plain Secret is reported as plaintext at rest", &[], &[], &[], Some("Network separation and hardening › Secrets")),
];

/// The rubric row with this number.
pub fn row(number: u8) -> Option<&'static Row> {
    ROWS.iter().find(|r| r.row == number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Rule, Scanner, all_rules};

    /// The controls of the Pod Security Standards (v1.35), as upstream names them.
    const PSS_CONTROLS: &[&str] = &[
        "Baseline: HostProcess",
        "Baseline: Host Namespaces",
        "Baseline: Privileged Containers",
        "Baseline: Capabilities",
        "Baseline: HostPath Volumes",
        "Baseline: Host Ports",
        "Baseline: Host Probes / Lifecycle Hooks",
        "Baseline: AppArmor",
        "Baseline: SELinux",
        "Baseline: /proc Mount Type",
        "Baseline: Seccomp",
        "Baseline: Sysctls",
        "Restricted: Volume Types",
        "Restricted: Privilege Escalation",
        "Restricted: Running as Non-root",
        "Restricted: Running as Non-root user",
        "Restricted: Seccomp",
        "Restricted: Capabilities",
    ];

    /// Whether `rule` judges `check` of `scanner`, as the same check or a related one.
    fn judges(rule: &Rule, scanner: Scanner, check: &str) -> bool {
        let same = match scanner {
            Scanner::Pss => rule.scanners.pss,
            Scanner::Checkov => rule.scanners.checkov,
            _ => unreachable!("only PSS and checkov are cross-checked"),
        };
        same.iter()
            .chain(
                rule.scanners
                    .related
                    .iter()
                    .filter(|r| r.scanner == scanner)
                    .map(|r| &r.check),
            )
            .any(|c| c.eq_ignore_ascii_case(check))
    }

    /// `explain` cites a row's controls for every decision of that row: each Pod Security
    /// control must be one upstream has, and each PSS control and checkov check must be one a
    /// rule of `kubeward check` for the same row judges (whose claims the scanner tests hold
    /// to the scanners), so that no decision cites a control about something else (the
    /// namespace quota once cited "Baseline: AppArmor", the entry's TLS the NGINX snippet
    /// checks). kube-score's ids are checked by hand: no rule maps them all.
    #[test]
    fn every_control_a_row_cites_is_judged_by_a_rule_of_that_row() {
        let mut wrong = Vec::new();
        for row in ROWS {
            let rules: Vec<&Rule> = all_rules()
                .filter(|r| r.rubric.contains(&row.row))
                .collect();
            for control in row.pss {
                if !PSS_CONTROLS.iter().any(|c| c.eq_ignore_ascii_case(control)) {
                    wrong.push(format!(
                        "row {}: `{control}` is no Pod Security control",
                        row.row
                    ));
                }
            }
            let cited = (row.pss.iter().map(|c| (Scanner::Pss, c)))
                .chain(row.checkov.iter().map(|c| (Scanner::Checkov, c)));
            for (scanner, check) in cited {
                if !rules.iter().any(|rule| judges(rule, scanner, check)) {
                    wrong.push(format!(
                        "row {} ({}): no rule of the row judges {scanner:?} `{check}`",
                        row.row, row.title
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn rows_are_the_first_round_then_the_second_rounds_rows_that_exist() {
        let numbers: Vec<u8> = ROWS.iter().map(|r| r.row).collect();
        let expected: Vec<u8> = (1..=37).collect();
        assert_eq!(numbers, expected);
    }
}
