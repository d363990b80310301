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

/// The names each namespace's CA must permit: every name the plans of its services ask for,
/// since one CA per namespace signs for every service in it.
#[derive(Debug, Default)]
pub struct CaNames(BTreeMap<String, BTreeSet<String>>);

impl CaNames {
    /// Adds the names a plan of `namespace` asks of its CA.
    pub fn add(&mut self, namespace: &str, names: Vec<String>) {
        self.0
            .entry(namespace.to_string())
            .or_default()
            .extend(names);
    }

    /// Gives `plan` the names of its whole namespace.
    pub fn widen(&self, plan: &mut Plan) {
        if let Some(names) = self.0.get(&plan.namespace) {
            plan.ca_names = names.iter().cloned().collect();
        }
    }
}

/// Gives every plan of a namespace the names all of them need its CA to permit.
pub fn widen_ca_names(plans: &mut [Plan]) {
    let mut names = CaNames::default();
    for plan in plans.iter() {
        names.add(&plan.namespace, plan.ca_names.clone());
    }
    for plan in plans.iter_mut() {
        names.widen(plan);
    }
}
