//! The replica count under load: the HorizontalPodAutoscaler that owns it, scaling up at once
//! and down slowly, on the resource requests it is measured against.

use serde::Serialize;

use super::decisions::Decisions;
use crate::validate::Service;

/// An `autoscaling/v2` HorizontalPodAutoscaler for the Deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Autoscaler {
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// Average utilization targets, in percent of the requests: cpu, then memory if any.
    pub metrics: Vec<UtilizationTarget>,
    /// Scale down only after load stayed low this long, then by one pod a minute.
    pub scale_down_stabilization_seconds: u32,
}

/// One `Resource` metric with a `Utilization` target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UtilizationTarget {
    pub resource: &'static str,
    pub average_utilization: u32,
}

pub(super) fn autoscaler(service: &Service, d: &mut Decisions) -> Option<Autoscaler> {
    let scaling = service.autoscaling.as_ref()?;
    let mut metrics = vec![UtilizationTarget {
        resource: "cpu",
        average_utilization: scaling.target_cpu,
    }];
    metrics.extend(scaling.target_memory.map(|memory| UtilizationTarget {
        resource: "memory",
        average_utilization: memory,
    }));
    let targets: Vec<String> = metrics
        .iter()
        .map(|m| {
            format!(
                "{} at {}% of its request",
                m.resource, m.average_utilization
            )
        })
        .collect();
    d.add(
        "autoscaler",
        format!(
            "a HorizontalPodAutoscaler keeps {} to {} pods, {}; it adds pods at once and removes them one a minute after {} s of low load; the Deployment has no replicas of its own",
            scaling.min_replicas,
            scaling.max_replicas,
            targets.join(" and "),
            scaling.scale_down_stabilization_seconds
        ),
        if scaling.from_spec {
            "spec.autoscaling"
        } else {
            "the preset's autoscaling"
        },
    );
    Some(Autoscaler {
        min_replicas: scaling.min_replicas,
        max_replicas: scaling.max_replicas,
        metrics,
        scale_down_stabilization_seconds: scaling.scale_down_stabilization_seconds,
    })
}
