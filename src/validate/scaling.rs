//! The replica count under load: a HorizontalPodAutoscaler's bounds and targets, from the spec
//! or the preset, that keep at least two pods and can add one.

use super::problems::Problems;
use super::service::Autoscaling;
use crate::preset::AutoscalingDefaults;
use crate::spec::ServiceSpec;

/// The autoscaler the spec (or its preset) asks for, checked; `None` when the replica count
/// is fixed.
pub(super) fn validate_autoscaling(
    p: &mut Problems,
    spec: &ServiceSpec,
    defaults: &AutoscalingDefaults,
) -> Option<Autoscaling> {
    let given = spec.autoscaling.clone().unwrap_or_default();
    let enabled = given
        .enabled
        .unwrap_or(spec.autoscaling.is_some() || defaults.enabled);
    if !enabled {
        let unused = [
            ("minReplicas", given.min_replicas.is_some()),
            ("maxReplicas", given.max_replicas.is_some()),
            (
                "targetCPUUtilizationPercentage",
                given.target_cpu_utilization_percentage.is_some(),
            ),
            (
                "targetMemoryUtilizationPercentage",
                given.target_memory_utilization_percentage.is_some(),
            ),
        ];
        for (key, _) in unused.iter().filter(|(_, set)| *set) {
            p.add(
                format!("spec.autoscaling.{key}"),
                "is only used when autoscaling is enabled: remove it, or leave out `enabled: false`",
            );
        }
        return None;
    }
    if spec.replicas.is_some() {
        let from = match spec.autoscaling {
            Some(_) => "",
            None => " (the preset turns autoscaling on)",
        };
        p.add(
            "spec.replicas",
            format!("a HorizontalPodAutoscaler owns the replica count{from}: set spec.autoscaling.minReplicas instead, or `spec.autoscaling.enabled: false` for a fixed count"),
        );
    }
    let from_preset = |given: bool| if given { "" } else { " (the preset's)" };
    let min = given
        .min_replicas
        .unwrap_or(i64::from(defaults.min_replicas));
    let max = given
        .max_replicas
        .unwrap_or(i64::from(defaults.max_replicas));
    let mut ok = true;
    if !(2..=1000).contains(&min) {
        p.add(
            "spec.autoscaling.minReplicas",
            format!("{min}{}: an autoscaler keeps at least 2 pods, so that one eviction is not an outage (and at most 1000)", from_preset(given.min_replicas.is_some())),
        );
        ok = false;
    }
    if max <= min || max > 1000 {
        p.add(
            "spec.autoscaling.maxReplicas",
            format!(
                "{max}{} must be above minReplicas {min} and at most 1000: an autoscaler that cannot add a pod does not scale",
                from_preset(given.max_replicas.is_some())
            ),
        );
        ok = false;
    }
    let percent = |p: &mut Problems, key: &str, value: Option<i64>| {
        value.and_then(|v| {
            p.check(
                format!("spec.autoscaling.{key}"),
                u32::try_from(v)
                    .ok()
                    .filter(|v| (1..=100).contains(v))
                    .ok_or_else(|| format!("{v} is not a percentage: use 1-100")),
            )
        })
    };
    let cpu = percent(
        p,
        "targetCPUUtilizationPercentage",
        given.target_cpu_utilization_percentage,
    );
    let memory = percent(
        p,
        "targetMemoryUtilizationPercentage",
        given.target_memory_utilization_percentage,
    );
    let whole = |v: i64| u32::try_from(v).unwrap_or_default();
    ok.then(|| Autoscaling {
        min_replicas: whole(min),
        max_replicas: whole(max),
        target_cpu: cpu.unwrap_or(defaults.target_cpu_utilization_percentage),
        target_memory: memory.or(defaults.target_memory_utilization_percentage),
        scale_down_stabilization_seconds: defaults.scale_down_stabilization_seconds,
        from_spec: spec.autoscaling.is_some(),
    })
}
