//! Scanner exemptions: each deliberate departure from a rubric row, written on the object as
//! the scanners' own suppression annotations with the reason, so that nothing is silently
//! weaker and a scan shows the departure as suppressed rather than passed.

use std::collections::BTreeMap;

use crate::vocabulary::IGNORE_ANNOTATION;

/// A departure kubeward knows how to record, and the scanner checks it trips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// Row 13: the image is pinned by tag, not by digest.
    TagOnlyImage,
    /// Row 6: the container's root filesystem is writable.
    WritableRootFilesystem,
    /// Row 19: one replica.
    SingleReplica,
    /// Rows 19 and 31: no `replicas`, because an autoscaler owns the count.
    Autoscaled,
    /// Row 20: no anti-affinity or topology spread.
    NotSpread,
    /// Row 8: a Localhost seccomp profile instead of RuntimeDefault.
    LocalhostSeccomp,
    /// Row 2: no fixed uid or gid, because the platform assigns them (OpenShift's SCC).
    PlatformAssignedIds,
    /// Row 16: a plain TCP service, whose readiness and liveness probes both check its port.
    SingleProbePort,
}

/// The checks one departure trips, per scanner.
struct Checks {
    /// kubeward's own rules (`kubeward check` and the render's self-check).
    kubeward: &'static [&'static str],
    checkov: &'static [&'static str],
    kube_score: &'static [&'static str],
    kube_linter: &'static [&'static str],
    polaris: &'static [&'static str],
}

impl Departure {
    fn checks(self) -> Checks {
        match self {
            Departure::TagOnlyImage => Checks {
                kubeward: &["KW-SEC-018"],
                checkov: &["CKV_K8S_43"],
                kube_score: &[],
                kube_linter: &[],
                polaris: &[],
            },
            Departure::WritableRootFilesystem => Checks {
                kubeward: &["KW-SEC-007"],
                checkov: &["CKV_K8S_22"],
                kube_score: &["container-security-context-readonlyrootfilesystem"],
                kube_linter: &["no-read-only-root-fs"],
                polaris: &["notReadOnlyRootFilesystem"],
            },
            Departure::SingleReplica => Checks {
                kubeward: &["KW-AVAIL-009"],
                checkov: &[],
                kube_score: &["deployment-replicas"],
                kube_linter: &["minimum-three-replicas"],
                polaris: &["deploymentMissingReplicas"],
            },
            Departure::Autoscaled => Checks {
                kubeward: &[],
                checkov: &[],
                kube_score: &[],
                kube_linter: &["minimum-three-replicas"],
                polaris: &["deploymentMissingReplicas"],
            },
            Departure::NotSpread => Checks {
                kubeward: &["KW-AVAIL-012"],
                checkov: &[],
                kube_score: &["deployment-has-host-podantiaffinity"],
                kube_linter: &["no-anti-affinity"],
                polaris: &["topologySpreadConstraint"],
            },
            Departure::LocalhostSeccomp => Checks {
                kubeward: &["KW-SEC-015"],
                checkov: &["CKV_K8S_31"],
                kube_score: &[],
                kube_linter: &[],
                polaris: &[],
            },
            Departure::PlatformAssignedIds => Checks {
                kubeward: &["KW-SEC-002"],
                checkov: &["CKV_K8S_40"],
                kube_score: &["container-security-context-user-group-id"],
                kube_linter: &[],
                polaris: &[],
            },
            Departure::SingleProbePort => Checks {
                kubeward: &["KW-AVAIL-008"],
                checkov: &[],
                kube_score: &["pod-probes-identical"],
                kube_linter: &[],
                polaris: &[],
            },
        }
    }
}

/// The suppression annotations for `departures` (each with its reason): `kubeward.dev/ignore`
/// (`KW-ID=reason`, one a line), `checkov.io/skipN`
/// (`CKV_ID=reason`, numbered in order), `kube-score/ignore` (the checks, comma-separated:
/// kube-score takes no reason), `ignore-check.kube-linter.io/<check>` (the reason) and
/// `polaris.fairwinds.com/<check>-exempt` (`"true"`).
pub fn annotations(departures: &[(Departure, String)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut checkov = 0;
    let mut kube_score = Vec::new();
    let mut kubeward = Vec::new();
    for (departure, reason) in departures {
        let checks = departure.checks();
        kubeward.extend(checks.kubeward.iter().map(|id| format!("{id}={reason}")));
        for id in checks.checkov {
            checkov += 1;
            out.insert(
                format!("checkov.io/skip{checkov}"),
                format!("{id}={reason}"),
            );
        }
        kube_score.extend_from_slice(checks.kube_score);
        for check in checks.kube_linter {
            out.insert(
                format!("ignore-check.kube-linter.io/{check}"),
                reason.clone(),
            );
        }
        for check in checks.polaris {
            out.insert(
                format!("polaris.fairwinds.com/{check}-exempt"),
                "true".to_string(),
            );
        }
    }
    if !kube_score.is_empty() {
        out.insert("kube-score/ignore".to_string(), kube_score.join(","));
    }
    if !kubeward.is_empty() {
        out.insert(IGNORE_ANNOTATION.to_string(), kubeward.join("\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scanner_gets_its_own_annotation_with_the_reason_where_it_takes_one() {
        let annotations = annotations(&[
            (Departure::TagOnlyImage, "tag only".to_string()),
            (
                Departure::WritableRootFilesystem,
                "writes to /var".to_string(),
            ),
            (Departure::SingleReplica, "one replica".to_string()),
        ]);
        assert_eq!(annotations["checkov.io/skip1"], "CKV_K8S_43=tag only");
        assert_eq!(annotations["checkov.io/skip2"], "CKV_K8S_22=writes to /var");
        assert_eq!(
            annotations["kube-score/ignore"],
            "container-security-context-readonlyrootfilesystem,deployment-replicas"
        );
        assert_eq!(
            annotations["ignore-check.kube-linter.io/no-read-only-root-fs"],
            "writes to /var"
        );
        assert_eq!(
            annotations["polaris.fairwinds.com/deploymentMissingReplicas-exempt"],
            "true"
        );
        assert!(!annotations.contains_key("checkov.io/skip3"));
        assert_eq!(
            annotations[IGNORE_ANNOTATION],
            "KW-SEC-018=tag only\nKW-SEC-007=writes to /var\nKW-AVAIL-009=one replica"
        );
    }

    #[test]
    fn no_departure_no_annotation() {
        assert!(annotations(&[]).is_empty());
    }
}
