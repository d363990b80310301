//! Limits at the door: one decision per limit the public entry enforces, in the words of the
//! entry that enforces it, and one for the preset's limits it cannot.

use super::decisions::Decisions;
use crate::validate::{Limits, PublicIngress};

/// The limits an entry describes how it enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    Rate,
    Connections,
    BodySize,
    Timeouts,
    SourceRanges,
}

/// The decision id of each limit, in `rationale::KINDS`.
fn id(limit: Limit) -> &'static str {
    match limit {
        Limit::Rate => "rate-limit",
        Limit::Connections => "connection-limit",
        Limit::BodySize => "body-size-limit",
        Limit::Timeouts => "request-timeout",
        Limit::SourceRanges => "source-ranges",
    }
}

/// What one limit is, in numbers, when it is set.
fn what(limit: Limit, limits: &Limits) -> Option<String> {
    match limit {
        Limit::Rate => limits.requests_per_second.map(|rate| {
            let burst = limits.burst.unwrap_or(rate);
            format!("at most {rate} requests a second per client address, bursts of {burst}")
        }),
        Limit::Connections => limits
            .connections
            .map(|n| format!("at most {n} concurrent connections")),
        Limit::BodySize => limits
            .max_body_size
            .as_ref()
            .map(|(size, _)| format!("request bodies of at most {size}")),
        Limit::Timeouts => {
            let parts: Vec<String> = [
                limits
                    .request_timeout
                    .as_ref()
                    .map(|t| format!("{t} per request")),
                limits
                    .backend_request_timeout
                    .as_ref()
                    .map(|t| format!("{t} per try to the service")),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!parts.is_empty()).then(|| format!("a timeout of {}", parts.join(", ")))
        }
        Limit::SourceRanges => (!limits.source_ranges.is_empty()).then(|| {
            let ranges: Vec<String> = limits.source_ranges.iter().map(|c| c.to_string()).collect();
            format!("only clients from {}", ranges.join(", "))
        }),
    }
}

/// The spec fields behind one limit.
fn fields(limit: Limit) -> &'static [&'static str] {
    match limit {
        Limit::Rate => &["spec.ingress.rateLimit"],
        Limit::Connections => &["spec.ingress.rateLimit.connections"],
        Limit::BodySize => &["spec.ingress.maxBodySize"],
        Limit::Timeouts => &[
            "spec.ingress.timeouts.request",
            "spec.ingress.timeouts.backendRequest",
        ],
        Limit::SourceRanges => &["spec.ingress.sourceRanges"],
    }
}

/// Records a decision for every limit `public` enforces, saying how with `how`, and one for
/// the preset's limits this entry leaves out.
pub(super) fn record(d: &mut Decisions, public: &PublicIngress, how: impl Fn(Limit) -> String) {
    let limits = &public.limits;
    for limit in [
        Limit::Rate,
        Limit::Connections,
        Limit::BodySize,
        Limit::Timeouts,
        Limit::SourceRanges,
    ] {
        let Some(what) = what(limit, limits) else {
            continue;
        };
        let from_spec = fields(limit)
            .iter()
            .filter(|f| limits.from_spec.contains(f))
            .copied()
            .collect::<Vec<_>>();
        let cause = match from_spec.is_empty() {
            true => format!(
                "the preset's {}",
                fields(limit)[0].trim_start_matches("spec.")
            ),
            false => from_spec.join(", "),
        };
        d.add(id(limit), format!("{what}: {}", how(limit)), cause);
    }
    for unenforced in &public.unenforced {
        d.add(
            "limit-unenforced",
            format!(
                "the preset's {} is not rendered: {}",
                unenforced.field.trim_start_matches("spec."),
                unenforced.why
            ),
            unenforced.field,
        );
    }
}
