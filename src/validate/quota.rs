//! Whether the service fits its namespace's quota and LimitRange: every container within the
//! LimitRange's `max`, and the most pods it can run (its replicas, or the autoscaler's
//! maximum, plus the one extra pod of a rollout) within the ResourceQuota. Otherwise the API
//! server refuses its pods, or the autoscaler cannot add them.

use super::problems::Problems;
use crate::preset::{NamespaceQuota, Preset};
use crate::spec::names::quantity_value;
use crate::spec::{ResourceAmounts, ResourcesSpec, Sensitivity};
use crate::validate::Service;

/// The service's replica count (or autoscaler's maximum) and the field that sets it.
pub(super) struct Peak {
    pub(super) pods: u32,
    pub(super) field: &'static str,
}

pub(super) fn check_quota_fit(
    p: &mut Problems,
    sensitivity: Sensitivity,
    resources: &ResourcesSpec,
    peak: Peak,
    preset: &Preset,
) {
    let q = &preset.namespace_quota;
    if sensitivity < q.from_sensitivity {
        return;
    }
    let requests = preset
        .resources
        .requests
        .overridden_by(resources.requests.as_ref());
    let limits = preset
        .resources
        .limits
        .overridden_by(resources.limits.as_ref());
    for (key, max, limit) in q.max_per_container.side_by_side(&limits) {
        if let (Some(max_value), Some(limit_value)) =
            (max.and_then(quantity_value), limit.and_then(quantity_value))
            && limit_value > max_value
        {
            p.add(
                format!("spec.resources.limits.{key}"),
                format!(
                    "{} is above the namespace LimitRange's max {} per container (the preset's namespaceQuota.maxPerContainer.{key}): the API server would refuse the pods",
                    limit.unwrap_or_default(),
                    max.unwrap_or_default()
                ),
            );
        }
    }
    // A rolling update runs one pod more than the count (maxSurge: 1).
    let pods = peak.pods + 1;
    let quota_pods = q.pods.parse::<u32>().unwrap_or(u32::MAX);
    if pods > quota_pods {
        p.add(
            peak.field,
            format!(
                "{} pods, and one more during a rollout, exceed the namespace quota's {quota_pods} pods (the preset's namespaceQuota.pods)",
                peak.pods
            ),
        );
        return;
    }
    let totals = [
        (
            "requests",
            &requests,
            [
                &q.requests_cpu,
                &q.requests_memory,
                &q.requests_ephemeral_storage,
            ],
        ),
        (
            "limits",
            &limits,
            [&q.limits_cpu, &q.limits_memory, &q.limits_ephemeral_storage],
        ),
    ];
    for (kind, amounts, quota) in totals {
        let each = [&amounts.cpu, &amounts.memory, &amounts.ephemeral_storage];
        for ((key, per_pod), hard) in ["cpu", "memory", "ephemeral-storage"]
            .iter()
            .zip(each)
            .zip(quota)
        {
            let (Some(per_pod_value), Some(hard_value)) = (
                per_pod.as_deref().and_then(quantity_value),
                quantity_value(hard),
            ) else {
                continue;
            };
            if per_pod_value * f64::from(pods) > hard_value {
                p.add(
                    peak.field,
                    format!(
                        "{} pods, and one more during a rollout, at {} {key} {kind} each exceed the namespace quota's {kind}.{key} {hard}: the last pods would be refused",
                        peak.pods,
                        per_pod.as_deref().unwrap_or_default()
                    ),
                );
                return;
            }
        }
    }
}

/// The most pods `service` runs at once during a rollout (its replicas, or its autoscaler's
/// maximum, and one more), with the requests and limits of each.
fn peak(service: &Service, preset: &Preset) -> (u32, ResourceAmounts, ResourceAmounts) {
    let pods = match &service.autoscaling {
        Some(scaling) => scaling.max_replicas,
        None => service.replicas.unwrap_or(preset.replicas),
    };
    let requests = preset
        .resources
        .requests
        .overridden_by(service.resources.requests.as_ref());
    let limits = preset
        .resources
        .limits
        .overridden_by(service.resources.limits.as_ref());
    (pods + 1, requests, limits)
}

/// Each amount of `quota` that `services` (those of one namespace, which share it) exceed
/// together at their peaks, with every service's share: a message each, empty when they fit.
pub fn shared_overflows(quota: &NamespaceQuota, services: &[(&Service, &Preset)]) -> Vec<String> {
    let peaks: Vec<_> = services
        .iter()
        .map(|(service, preset)| (service.name.as_str(), peak(service, preset)))
        .collect();
    let mut over = Vec::new();
    let pods: u32 = peaks.iter().map(|(_, (pods, _, _))| pods).sum();
    if let Ok(hard) = quota.pods.parse::<u32>()
        && pods > hard
    {
        let shares: Vec<String> = peaks
            .iter()
            .map(|(name, (pods, _, _))| format!("{name} {pods}"))
            .collect();
        over.push(format!(
            "{pods} pods at a rollout ({}: replicas or the autoscaler's maximum, and one more each) exceed the namespace quota's {hard} pods (the preset's namespaceQuota.pods)",
            shares.join(", ")
        ));
    }
    let hards = [
        (
            "requests",
            [
                &quota.requests_cpu,
                &quota.requests_memory,
                &quota.requests_ephemeral_storage,
            ],
        ),
        (
            "limits",
            [
                &quota.limits_cpu,
                &quota.limits_memory,
                &quota.limits_ephemeral_storage,
            ],
        ),
    ];
    for (kind, hard) in hards {
        for (i, key) in ["cpu", "memory", "ephemeral-storage"].iter().enumerate() {
            let Some(hard_value) = quantity_value(hard[i]) else {
                continue;
            };
            let mut total = 0.0;
            let mut shares = Vec::new();
            for (name, (pods, requests, limits)) in &peaks {
                let amounts = if kind == "requests" { requests } else { limits };
                let each = [&amounts.cpu, &amounts.memory, &amounts.ephemeral_storage][i];
                if let Some(value) = each.as_deref().and_then(quantity_value) {
                    total += value * f64::from(*pods);
                    shares.push(format!(
                        "{name} {pods} × {}",
                        each.as_deref().unwrap_or_default()
                    ));
                }
            }
            if total > hard_value {
                over.push(format!(
                    "{kind}.{key} at a rollout ({}) exceed the namespace quota's {kind}.{key} {}: the last pods would be refused",
                    shares.join(", "),
                    hard[i]
                ));
            }
        }
    }
    over
}
