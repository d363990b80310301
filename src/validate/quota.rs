//! A namespace's ResourceQuota must hold every pod of its services at their largest: during a
//! rolling update each Deployment runs its replicas and one more (`maxSurge: 1`), and the
//! API server refuses the pods that would take the namespace over its quota. The quota is
//! the preset's; the services counted are one service alone, or every service of a system in
//! that namespace (whichever of them asked for the quota).

use crate::preset::{NamespaceQuota, Preset};
use crate::spec::ResourceAmounts;
use crate::validate::Service;

/// The extra pod a Deployment starts during a rolling update (the template's `maxSurge`).
pub const ROLLOUT_SURGE: u32 = 1;

/// What one service takes of its namespace's quota at its largest.
#[derive(Debug, Clone)]
pub struct Footprint {
    pub name: String,
    /// Pods at once during a rolling update.
    pub pods: u32,
    pub requests: ResourceAmounts,
    pub limits: ResourceAmounts,
}

/// The footprint of `service` under its `preset`, as its Deployment is rendered.
pub fn footprint(service: &Service, preset: &Preset) -> Footprint {
    Footprint {
        name: service.name.clone(),
        pods: service.replicas.unwrap_or(preset.replicas) + ROLLOUT_SURGE,
        requests: ResourceAmounts::over(
            service.resources.requests.as_ref(),
            &preset.resources.requests,
        ),
        limits: ResourceAmounts::over(service.resources.limits.as_ref(), &preset.resources.limits),
    }
}

/// An amount of the quota that the services together exceed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow {
    /// The spec field that sets each service's share (`spec.replicas`, `spec.resources...`).
    pub field: &'static str,
    /// The amount, every service's share, and the quota's field.
    pub message: String,
}

/// Each amount of `quota` that `footprints` together exceed, with every service's share;
/// empty when they fit. Amounts that cannot be read (checked elsewhere) are not compared.
pub fn overflows(quota: &NamespaceQuota, footprints: &[Footprint]) -> Vec<Overflow> {
    type Amount = fn(&Footprint) -> Option<&String>;
    let amounts: [(&str, &str, &str, &String, Amount); 6] = [
        (
            "requests.cpu",
            "requestsCpu",
            "spec.resources.requests.cpu",
            &quota.requests_cpu,
            |f| f.requests.cpu.as_ref(),
        ),
        (
            "requests.memory",
            "requestsMemory",
            "spec.resources.requests.memory",
            &quota.requests_memory,
            |f| f.requests.memory.as_ref(),
        ),
        (
            "requests.ephemeral-storage",
            "requestsEphemeralStorage",
            "spec.resources.requests.ephemeralStorage",
            &quota.requests_ephemeral_storage,
            |f| f.requests.ephemeral_storage.as_ref(),
        ),
        (
            "limits.cpu",
            "limitsCpu",
            "spec.resources.limits.cpu",
            &quota.limits_cpu,
            |f| f.limits.cpu.as_ref(),
        ),
        (
            "limits.memory",
            "limitsMemory",
            "spec.resources.limits.memory",
            &quota.limits_memory,
            |f| f.limits.memory.as_ref(),
        ),
        (
            "limits.ephemeral-storage",
            "limitsEphemeralStorage",
            "spec.resources.limits.ephemeralStorage",
            &quota.limits_ephemeral_storage,
            |f| f.limits.ephemeral_storage.as_ref(),
        ),
    ];
    let mut over = Vec::new();
    let pods: u64 = footprints.iter().map(|f| u64::from(f.pods)).sum();
    if let Ok(allowed) = quota.pods.parse::<u64>()
        && pods > allowed
    {
        let shares: Vec<String> = footprints
            .iter()
            .map(|f| format!("{} {}", f.name, f.pods))
            .collect();
        over.push(Overflow {
            field: "spec.replicas",
            message: format!(
                "the namespace's ResourceQuota would refuse pods: {pods} at a rolling update ({}; replicas + {ROLLOUT_SURGE} each) but the preset's spec.namespaceQuota.pods allows {allowed}",
                shares.join(", ")
            ),
        });
    }
    for (resource, field, spec_field, allowed, amount) in amounts {
        let Some(allowed_milli) = milli(allowed) else {
            continue;
        };
        let mut total = 0u128;
        let mut shares = Vec::new();
        for f in footprints {
            let Some(each) = amount(f).and_then(|a| milli(a).map(|m| (a, m))) else {
                continue;
            };
            total += each.1 * u128::from(f.pods);
            shares.push(format!("{} {} × {}", f.name, f.pods, each.0));
        }
        if total > allowed_milli {
            over.push(Overflow {
                field: spec_field,
                message: format!(
                    "the namespace's ResourceQuota would refuse pods: {resource} {} at a rolling update ({}) but the preset's spec.namespaceQuota.{field} allows {allowed}",
                    shown(total),
                    shares.join(", ")
                ),
            });
        }
    }
    over
}

/// A Kubernetes quantity in thousandths of its unit, rounded up as the API server rounds.
fn milli(quantity: &str) -> Option<u128> {
    const SUFFIXES: &[(&str, u128)] = &[
        ("Ki", 1 << 10),
        ("Mi", 1 << 20),
        ("Gi", 1 << 30),
        ("Ti", 1 << 40),
        ("Pi", 1 << 50),
        ("Ei", 1 << 60),
        ("k", 1_000),
        ("M", 1_000_000),
        ("G", 1_000_000_000),
        ("T", 1_000_000_000_000),
        ("P", 1_000_000_000_000_000),
        ("E", 1_000_000_000_000_000_000),
    ];
    let split = quantity
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(quantity.len());
    let (number, suffix) = quantity.split_at(split);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.len() > 18 {
        return None;
    }
    let digits: u128 = format!("{whole}{fraction}").parse().ok()?;
    let scale = 10u128.pow(u32::try_from(fraction.len()).ok()?);
    let numerator = match suffix {
        "m" => digits,
        "" => digits.checked_mul(1_000)?,
        _ => {
            let (_, factor) = SUFFIXES.iter().find(|(s, _)| *s == suffix)?;
            digits.checked_mul(factor * 1_000)?
        }
    };
    Some(numerator.div_ceil(scale))
}

/// An amount in thousandths, shown plainly (`16`, `15.5`, `34359738368`).
fn shown(milli: u128) -> String {
    if milli.is_multiple_of(1_000) {
        (milli / 1_000).to_string()
    } else {
        format!("{}.{:03}", milli / 1_000, milli % 1_000)
            .trim_end_matches('0')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_read_exactly_and_rounded_up() {
        assert_eq!(milli("500m"), Some(500));
        assert_eq!(milli("2"), Some(2_000));
        assert_eq!(milli("0.5"), Some(500));
        assert_eq!(milli("1.5Gi"), Some(1_610_612_736_000));
        assert_eq!(milli("128Mi"), Some(134_217_728_000));
        assert_eq!(milli("1k"), Some(1_000_000));
        assert_eq!(milli("0.0001"), Some(1), "below a thousandth rounds up");
        assert_eq!(milli("1x"), None);
        assert_eq!(milli(""), None);
        assert_eq!(shown(15_500), "15.5");
        assert_eq!(shown(16_000), "16");
    }

    fn quota(pods: &str, cpu: &str) -> NamespaceQuota {
        NamespaceQuota {
            pods: pods.into(),
            requests_cpu: "100".into(),
            requests_memory: "100Gi".into(),
            limits_cpu: cpu.into(),
            limits_memory: "100Gi".into(),
            requests_ephemeral_storage: "100Gi".into(),
            limits_ephemeral_storage: "100Gi".into(),
        }
    }

    fn pods(name: &str, pods: u32, cpu: &str) -> Footprint {
        Footprint {
            name: name.into(),
            pods,
            requests: ResourceAmounts::default(),
            limits: ResourceAmounts {
                cpu: Some(cpu.into()),
                ..ResourceAmounts::default()
            },
        }
    }

    #[test]
    fn services_fit_up_to_the_quota_and_not_one_pod_more() {
        let fits = [pods("a", 16, "500m"), pods("b", 16, "500m")];
        assert_eq!(overflows(&quota("32", "16"), &fits), Vec::<Overflow>::new());
        let over = [pods("a", 17, "500m"), pods("b", 16, "500m")];
        let said: Vec<(&str, String)> = overflows(&quota("32", "16"), &over)
            .into_iter()
            .map(|o| (o.field, o.message))
            .collect();
        let refuse = "the namespace's ResourceQuota would refuse pods";
        assert_eq!(
            said,
            [
                (
                    "spec.replicas",
                    format!(
                        "{refuse}: 33 at a rolling update (a 17, b 16; replicas + 1 each) but the preset's spec.namespaceQuota.pods allows 32"
                    )
                ),
                (
                    "spec.resources.limits.cpu",
                    format!(
                        "{refuse}: limits.cpu 16.5 at a rolling update (a 17 × 500m, b 16 × 500m) but the preset's spec.namespaceQuota.limitsCpu allows 16"
                    )
                ),
            ]
        );
    }
}
