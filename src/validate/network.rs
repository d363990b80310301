//! Who may call the service, what it may call, and its public entry.

use std::collections::BTreeSet;

use super::problems::Problems;
use super::rules::caller_allowed;
use super::service::{AppRef, Destination, PublicIngress, Target};
use super::tls::check_issuer;
use crate::spec::cidr::Cidr;
use crate::spec::names::{dns_label, dns_subdomain, port};
use crate::spec::{self, Exposure, Transport};

fn app_ref(
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

pub(super) fn validate_ingress(
    p: &mut Problems,
    ingress: Option<&spec::IngressSpec>,
    exposure: Exposure,
) -> Option<PublicIngress> {
    if exposure != Exposure::Public {
        if ingress.is_some() {
            p.add(
                "spec.ingress",
                "is only used with `exposure: public`: remove it or change the exposure",
            );
        }
        return None;
    }
    let Some(ingress) = ingress else {
        p.add(
            "spec.ingress",
            "is required with `exposure: public`: give at least `host`",
        );
        return None;
    };
    let host = p
        .required(
            "spec.ingress.host",
            &ingress.host,
            "the public host name, e.g. shop.example.com",
        )
        .and_then(|h| p.check("spec.ingress.host", dns_subdomain(h).map(|_| h.clone())));
    let class_name = ingress.class_name.as_ref().and_then(|c| {
        p.check(
            "spec.ingress.className",
            dns_subdomain(c).map(|_| c.clone()),
        )
    });
    let controller = ingress.controller.as_ref().and_then(|c| {
        let field = "spec.ingress.controller";
        if c.namespace.is_none() {
            p.add(
                format!("{field}.namespace"),
                "is required: the namespace the ingress controller runs in",
            );
            return None;
        }
        app_ref(p, field, &c.app, &c.namespace, "")
    });
    let issuer = ingress.issuer.as_ref().filter(|issuer| {
        check_issuer(
            p,
            "spec.ingress.issuer",
            issuer,
            "of the public host's certificate",
        )
    });
    Some(PublicIngress {
        host: host?,
        class_name,
        controller,
        issuer: issuer.cloned(),
    })
}
