//! Who may call the service and what it may call.

use std::collections::BTreeMap;

use super::problems::Problems;
use super::rules::caller_allowed;
use super::service::{AppRef, Destination, PodCaller, RangeCaller, Target};
use crate::spec::cidr::Cidr;
use crate::spec::names::{dns_label, dns_subdomain, port};
use crate::spec::{self, Exposure, Transport};

pub(super) fn app_ref(
    p: &mut Problems,
    field: &str,
    app: &Option<String>,
    namespace: &Option<String>,
    own_ns: &str,
) -> Option<AppRef> {
    let app = p
        .required(
            &format!("{field}.app"),
            app,
            "the app name (its pods' app.kubernetes.io/name label)",
        )
        .and_then(|a| p.check(format!("{field}.app"), dns_label(a).map(|_| a.clone())))?;
    let namespace = match namespace {
        Some(n) => p.check(
            format!("{field}.namespace"),
            dns_label(n).map(|_| n.clone()),
        )?,
        None => own_ns.to_string(),
    };
    Some(AppRef { app, namespace })
}

/// The pod callers (sorted, each once) and the address ranges (as declared, each once).
pub(super) fn validate_callers(
    p: &mut Problems,
    callers: &[spec::CallerSpec],
    exposure: Exposure,
    own_ns: &str,
) -> (Vec<PodCaller>, Vec<RangeCaller>) {
    let mut pods: BTreeMap<AppRef, PodCaller> = BTreeMap::new();
    let mut ranges: Vec<RangeCaller> = Vec::new();
    for (i, caller) in callers.iter().enumerate() {
        let field = format!("spec.callers[{i}]");
        match (&caller.app, &caller.cidr) {
            (Some(_), Some(_)) => p.add(
                &field,
                "give either `app` (pods) or `cidr` (an address range), not both",
            ),
            (None, None) => p.add(&field, "needs `app` (with `namespace`) or `cidr`"),
            (None, Some(cidr)) => {
                for (key, given) in [
                    ("namespace", caller.namespace.is_some()),
                    ("serviceAccount", caller.service_account.is_some()),
                ] {
                    if given {
                        p.add(format!("{field}.{key}"), "only applies to `app` callers");
                    }
                }
                if let Some(cidr) = p.check(format!("{field}.cidr"), caller_range(cidr, exposure))
                    && !ranges.iter().any(|r| r.cidr == cidr)
                {
                    ranges.push(RangeCaller { cidr, entry: i });
                }
            }
            (Some(_), None) => {
                let Some(app) = app_ref(p, &field, &caller.app, &caller.namespace, own_ns) else {
                    continue;
                };
                let service_account = caller.service_account.as_ref().and_then(|sa| {
                    p.check(
                        format!("{field}.serviceAccount"),
                        dns_subdomain(sa).map(|_| sa.clone()),
                    )
                });
                if p.check(
                    format!("{field}.namespace"),
                    caller_allowed(&app, exposure, own_ns),
                )
                .is_some()
                {
                    pods.entry(app.clone()).or_insert(PodCaller {
                        app,
                        service_account,
                        entry: i,
                    });
                }
            }
        }
    }
    (pods.into_values().collect(), ranges)
}

/// An address range as a caller: a network (no host bits), not every address, and only where
/// the exposure admits callers from outside the namespace.
fn caller_range(text: &str, exposure: Exposure) -> Result<Cidr, String> {
    let cidr: Cidr = text.parse()?;
    if cidr.prefix() == 0 {
        return Err(format!(
            "`{cidr}` admits every address: to serve the public, use `exposure: public` (behind the ingress controller) instead"
        ));
    }
    if exposure == Exposure::Namespace {
        return Err(format!(
            "`{cidr}` is not in the namespace, but exposure is `namespace`: use exposure `cluster` or drop the caller"
        ));
    }
    Ok(cidr)
}

pub(super) fn validate_egress(
    p: &mut Problems,
    egress: &[spec::EgressSpec],
    own_ns: &str,
) -> Vec<Destination> {
    let mut out = Vec::new();
    for (i, e) in egress.iter().enumerate() {
        let field = format!("spec.egress[{i}]");
        let port = p
            .required(&format!("{field}.port"), &e.port, "the destination port")
            .and_then(|v| p.check(format!("{field}.port"), port(*v)));
        let target = match (&e.app, &e.cidr) {
            (Some(_), Some(_)) => {
                p.add(
                    &field,
                    "give either `app` (a pod destination) or `cidr` (an address range), not both",
                );
                None
            }
            (None, None) => {
                p.add(&field, "needs `app` (with `namespace`) or `cidr`");
                None
            }
            (Some(_), None) => app_ref(p, &field, &e.app, &e.namespace, own_ns).map(Target::App),
            (None, Some(cidr)) => {
                if e.namespace.is_some() {
                    p.add(
                        format!("{field}.namespace"),
                        "only applies to `app` destinations",
                    );
                }
                p.check(format!("{field}.cidr"), cidr.parse::<Cidr>())
                    .map(Target::Cidr)
            }
        };
        if let (Some(Target::Cidr(cidr)), Some(53)) = (&target, port)
            && !cidr.is_single_address()
        {
            p.add(
                format!("{field}.cidr"),
                format!("port 53 to the range {cidr} would let a compromised pod tunnel data out over DNS: cluster DNS is always allowed; for another resolver, give its single address (/32 or /128)"),
            );
        }
        if let (Some(target), Some(port)) = (target, port) {
            out.push(Destination {
                target,
                port,
                transport: e.protocol.unwrap_or(Transport::Tcp),
                entry: i,
            });
        }
    }
    out
}
