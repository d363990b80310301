//! The connections between the services of a system, read from both ends: a caller's
//! `spec.egress` entry naming a service of the system, and that service's `spec.callers`
//! entry naming the caller. An edge declared on one side only, an egress port that is neither
//! the callee's container port nor its Service port, an account that contradicts the caller's
//! own, are problems, each at the line that declares it.

use std::collections::BTreeMap;

use super::{Member, Problem};
use crate::plan::service_port;
use crate::spec::{Exposure, TlsMode, Transport};
use crate::validate::Target;

/// A connection between two services of the system (by their index among the members), with
/// the entry of each side that declares it: `spec.egress[egress]` of the caller and
/// `spec.callers[admitted]` of the callee. One of them is `None` for a one-sided edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub caller: usize,
    pub callee: usize,
    pub egress: Option<usize>,
    pub admitted: Option<usize>,
    /// The callee's container port: what the policies open.
    pub port: u16,
    /// The ServiceAccount the caller's pods run as: its own.
    pub service_account: String,
}

impl Edge {
    /// Declared by one side only.
    pub fn one_sided(&self) -> bool {
        self.egress.is_none() || self.admitted.is_none()
    }
}

fn id(member: &Member) -> String {
    format!("{}/{}", member.service.namespace, member.service.name)
}

/// Every edge between `members` (`index` finds a member by namespace and name), in the
/// callers' order, and the problems of their declarations.
pub(super) fn edges(
    members: &[Member],
    index: &BTreeMap<(String, String), usize>,
) -> (Vec<Edge>, Vec<Problem>) {
    let find = |namespace: &str, name: &str| {
        index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    };
    let mut edges: BTreeMap<(usize, usize), Edge> = BTreeMap::new();
    let mut problems = Vec::new();
    for (c, caller) in members.iter().enumerate() {
        for dest in &caller.service.egress {
            let Target::App(app) = &dest.target else {
                continue;
            };
            let Some(t) = find(&app.namespace, &app.app) else {
                continue;
            };
            let callee = &members[t].service;
            let field = format!("spec.egress[{}]", dest.entry);
            let service = service_port(callee).port;
            if dest.port != callee.port && dest.port != service {
                problems.push(caller.problem(
                    &format!("{field}.port"),
                    format!(
                        "{} listens on container port {} (its Service's port is {service}): give one of them",
                        id(&members[t]),
                        callee.port
                    ),
                ));
            }
            if dest.transport == Transport::Udp {
                problems.push(caller.problem(
                    &format!("{field}.protocol"),
                    format!("{} serves TCP: drop `protocol: UDP`", id(&members[t])),
                ));
            }
            edges.entry((c, t)).or_insert(Edge {
                caller: c,
                callee: t,
                egress: Some(dest.entry),
                admitted: None,
                port: callee.port,
                service_account: caller.service.name.clone(),
            });
        }
    }
    for (t, callee) in members.iter().enumerate() {
        for admitted in &callee.service.callers {
            let Some(c) = find(&admitted.app.namespace, &admitted.app.app) else {
                continue;
            };
            let caller = &members[c].service;
            if let Some(account) = &admitted.service_account
                && *account != caller.name
            {
                problems.push(callee.problem(
                    &format!("spec.callers[{}].serviceAccount", admitted.entry),
                    format!(
                        "{} is a service of this system and runs as its own ServiceAccount `{}`: drop serviceAccount, or set it to {}",
                        id(&members[c]),
                        caller.name,
                        caller.name
                    ),
                ));
            }
            edges
                .entry((c, t))
                .or_insert(Edge {
                    caller: c,
                    callee: t,
                    egress: None,
                    admitted: None,
                    port: callee.service.port,
                    service_account: caller.name.clone(),
                })
                .admitted = Some(admitted.entry);
        }
    }
    let edges: Vec<Edge> = edges.into_values().collect();
    for edge in &edges {
        problems.extend(one_sided(members, edge));
        problems.extend(issuer_out_of_reach(members, edge));
    }
    (edges, problems)
}

/// The problem of an edge declared on one side only: at the line that declares it, naming the
/// other spec and the exact entry its list needs.
fn one_sided(members: &[Member], edge: &Edge) -> Option<Problem> {
    let (caller, callee) = (&members[edge.caller], &members[edge.callee]);
    let other = |member: &Member| {
        member
            .spec
            .as_ref()
            .map_or("its flags".to_string(), |p| p.display().to_string())
    };
    match (edge.egress, edge.admitted) {
        (Some(_), Some(_)) => None,
        (None, Some(entry)) => Some(callee.problem(
            &format!("spec.callers[{entry}]"),
            format!(
                "{} admits {}, a service of this system whose spec.egress does not reach it, so its own namespace's default deny stops the connection: add to spec.egress of {}:\n      - {{app: {}, namespace: {}, port: {}}}",
                id(callee),
                id(caller),
                other(caller),
                callee.service.name,
                callee.service.namespace,
                callee.service.port
            ),
        )),
        (Some(entry), None) => {
            let exposure = if callee.service.exposure == Exposure::Namespace
                && callee.service.namespace != caller.service.namespace
            {
                format!(
                    ", and set its spec.exposure to cluster (`namespace` admits callers of {} only)",
                    callee.service.namespace
                )
            } else {
                String::new()
            };
            Some(caller.problem(
                &format!("spec.egress[{entry}]"),
                format!(
                    "{} calls {}, a service of this system whose spec.callers does not admit it, so the connection is refused at its end: add to spec.callers of {}{exposure}:\n      - {{app: {}, namespace: {}}}",
                    id(caller),
                    id(callee),
                    other(callee),
                    caller.service.name,
                    caller.service.namespace
                ),
            ))
        }
        (None, None) => unreachable!("an edge is declared by at least one side"),
    }
}

/// A callee that requires client certificates from a cert-manager `Issuer` (namespaced) has no
/// way to certify a caller of another namespace.
fn issuer_out_of_reach(members: &[Member], edge: &Edge) -> Option<Problem> {
    let (caller, callee) = (&members[edge.caller], &members[edge.callee]);
    let tls = &callee.service.tls;
    let namespaced = tls.mode == TlsMode::CertManager
        && tls.client_auth
        && tls.issuer_kind.as_deref() == Some("Issuer");
    (namespaced && caller.service.namespace != callee.service.namespace).then(|| {
        callee.problem(
            "spec.tls.issuer.kind",
            format!(
                "an Issuer lives in namespace {} only: its caller {} cannot get a client certificate from it in namespace {}; use a ClusterIssuer",
                callee.service.namespace,
                id(caller),
                caller.service.namespace
            ),
        )
    })
}
