//! `kubeward explain -f DIR`: a system's decisions, whole (its connections and which ends
//! declare them, the peers outside it, its trust), then every service's own.

use serde::Serialize;

use super::{Explanation, ROW_PREFIX, explain, text};
use crate::plan::{Threat, rubric};
use crate::system::overview::Overview;
use crate::yaml::safe::one_line;

/// A system explained: the whole, then each service.
#[derive(Debug, Clone, Serialize)]
pub struct SystemExplanation {
    pub system: Overview,
    pub services: Vec<Explanation>,
}

/// Explains a system from its overview and its members' plans.
pub fn explain_system(
    overview: Overview,
    plans: &[crate::plan::Plan],
    threat: Option<Threat>,
) -> SystemExplanation {
    SystemExplanation {
        system: overview,
        services: plans.iter().map(|plan| explain(plan, threat)).collect(),
    }
}

/// A rubric row's title as a reference line, e.g. `rubric-34: both ends ...`.
fn row(number: u8) -> String {
    rubric::row(number).map_or(String::new(), |row| {
        format!("  {ROW_PREFIX}{}: {}\n", row.row, row.title)
    })
}

/// The system's explanation as text for a terminal: user values on one line each.
pub fn system_text(explained: &SystemExplanation) -> String {
    let system = &explained.system;
    let mut out = format!(
        "A system of {} service{} in {} namespace{}\n",
        system.services.len(),
        if system.services.len() == 1 { "" } else { "s" },
        system.namespaces.len(),
        if system.namespaces.len() == 1 {
            ""
        } else {
            "s"
        },
    );
    out.push_str("\nConnections between its services\n");
    out.push_str(&row(34));
    if system.connections.is_empty() {
        out.push_str("  none\n");
    }
    for c in &system.connections {
        let ends = match c.declared_by {
            "both" => "both ends declare it".to_string(),
            side => format!("declared by the {side} only: the render refuses it"),
        };
        let mutual = c.client_identity.as_ref().map_or(String::new(), |id| {
            format!("; mutual TLS, the caller presents {id}")
        });
        out.push_str(&one_line(&format!(
            "  {} -> {} on port {}: {ends}; {}{mutual}",
            c.caller, c.callee, c.port, c.tls
        )));
        out.push('\n');
    }
    out.push_str("\nPeers outside the system, and the policy each one's namespace needs\n");
    if system.outside.is_empty() {
        out.push_str("  none\n");
    }
    for p in &system.outside {
        out.push_str(&one_line(&format!(
            "  {}, a {} of {} on port {}: {} (in {} of the output)",
            p.peer, p.role, p.service, p.port, p.policy, p.folder
        )));
        out.push('\n');
    }
    let trust = &system.trust;
    out.push_str("\nTrust\n");
    out.push_str(&row(35));
    if trust.anchors.is_empty() {
        out.push_str("  no certificate of the system is verified with a bundle\n");
    } else {
        out.push_str(&one_line(&format!(
            "  the trust bundle every caller of a TLS service mounts: {}",
            trust.anchors.join(", ")
        )));
        out.push('\n');
    }
    for ca in &trust.namespace_cas {
        out.push_str(&one_line(&format!(
            "  kubeward's CA for namespace {}, under the root, may sign only: {}",
            ca.namespace,
            ca.permits.join(", ")
        )));
        out.push('\n');
    }
    for auth in &trust.client_auth {
        let outside = if auth.callers_outside.is_empty() {
            "every caller is a service of the system and gets a client certificate".to_string()
        } else {
            format!(
                "callers outside the system, which kubeward issues no client certificate: {}",
                auth.callers_outside.join(", ")
            )
        };
        out.push_str(&one_line(&format!(
            "  {} requires client certificates; {outside}",
            auth.service
        )));
        out.push('\n');
    }
    for service in &explained.services {
        out.push('\n');
        out.push_str(&text(service));
    }
    out
}
