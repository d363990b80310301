//! The one trust of a system: the anchors of its trust bundle (kubeward's root when kubeward
//! signs any certificate of the system, and the CA files its specs name: their own CAs in mode
//! `ca`, their cert-manager issuers' CAs), and the names each namespace's CA must permit (every
//! service of the namespace's).

use std::collections::{BTreeMap, BTreeSet};

use super::{Edge, Member};
use crate::plan::{Anchor, Plan};
use crate::spec::TlsMode;

/// The trust bundle's anchors: the root first (when kubeward's CA signs anything here), then
/// the CA files, each once, by absolute path (every service reads them from its own folder).
pub(super) fn anchors(members: &[Member], edges: &[Edge]) -> Vec<Anchor> {
    let kubeward_signs = members.iter().enumerate().any(|(i, m)| {
        let tls = &m.service.tls;
        let own = tls.mode == TlsMode::SelfSigned;
        let public_host = m
            .service
            .ingress
            .as_ref()
            .is_some_and(|i| i.issuer.is_none())
            && matches!(tls.mode, TlsMode::None | TlsMode::SelfSigned);
        // Client certificates for a service the bundle verifies come from kubeward's CA.
        let clients =
            tls.client_auth && tls.mode == TlsMode::Ca && edges.iter().any(|e| e.callee == i);
        own || public_host || clients
    });
    let files: BTreeSet<_> = members
        .iter()
        .filter_map(|m| {
            let tls = &m.service.tls;
            let file = match tls.mode {
                TlsMode::Ca => tls.ca_cert.as_ref(),
                TlsMode::CertManager => tls.issuer_ca.as_ref(),
                TlsMode::None | TlsMode::SelfSigned => None,
            }?;
            let path = m.base_dir.join(file);
            Some(std::path::absolute(&path).unwrap_or(path))
        })
        .collect();
    kubeward_signs
        .then_some(Anchor::Root)
        .into_iter()
        .chain(files.into_iter().map(Anchor::File))
        .collect()
}

/// Gives every plan of a namespace the names all of them need its CA to permit: one CA per
/// namespace signs for every service in it.
pub fn widen_ca_names(plans: &mut [&mut Plan]) {
    let mut by_namespace: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for plan in plans.iter() {
        by_namespace
            .entry(plan.namespace.clone())
            .or_default()
            .extend(plan.ca_names.iter().cloned());
    }
    for plan in plans.iter_mut() {
        plan.ca_names = by_namespace[&plan.namespace].iter().cloned().collect();
    }
}
