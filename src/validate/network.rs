//! Who may call the service and what it may call.

use std::collections::BTreeSet;

use super::problems::Problems;
use super::rules::caller_allowed;
use super::service::{AppRef, Destination, Target};
use crate::spec::cidr::Cidr;
use crate::spec::names::{dns_label, port};
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

pub(super) fn validate_callers(
    p: &mut Problems,
    callers: &[spec::CallerSpec],
    exposure: Exposure,
    own_ns: &str,
) -> Vec<AppRef> {
    let mut seen = BTreeSet::new();
    for (i, caller) in callers.iter().enumerate() {
        let field = format!("spec.callers[{i}]");
        let Some(peer) = app_ref(p, &field, &caller.app, &caller.namespace, own_ns) else {
            continue;
        };
        if p.check(
            format!("{field}.namespace"),
            caller_allowed(&peer, exposure, own_ns),
        )
        .is_some()
        {
            seen.insert(peer);
        }
    }
    seen.into_iter().collect()
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
            });
        }
    }
    out
}
