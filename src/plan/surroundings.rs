//! What a service's plan knows of the services rendered with it: for each caller and each
//! destination that is a service of the same system, that service (its port, its account, its
//! TLS); the namespaces the render writes; and the trust every caller verifies servers with.
//! A service rendered alone has none of it ([`Surroundings::alone`]). The `system` stage fills
//! it; the plan only reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// A service of the system at the other end of one of this service's connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub name: String,
    pub namespace: String,
    /// The port policies use to reach it: its container port (for a destination declared by
    /// its container port or its Service port; any other port as declared).
    pub port: u16,
    /// Its Service's port.
    pub service_port: u16,
    /// The ServiceAccount its pods run as.
    pub service_account: String,
    /// How a client verifies it, when it serves TLS.
    pub tls: Option<PeerTls>,
    /// It requires client certificates (`tls.clientAuth: required`).
    pub client_auth: bool,
}

/// How a caller verifies a service's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerTls {
    /// Against the system's trust bundle: kubeward's root, or the user's CA (mode `ca`).
    Bundle,
    /// A cert-manager issuer's certificate: against the issuer's CA, in the bundle only when
    /// its spec gives it (`tls.issuer.ca`).
    Issuer {
        kind: String,
        name: String,
        ca_known: bool,
    },
}

/// A certificate the system's trust bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Anchor {
    /// kubeward's root CA in the state folder.
    Root,
    /// A CA certificate file (a user's CA, an issuer's CA), by its full path.
    File(PathBuf),
}

/// The service's view of its system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// Whether the service is rendered in a system (several specs, or a folder), which writes
    /// the policies and trust that pods outside it need.
    pub system: bool,
    /// The callers that are services of the system, by their index in `spec.callers`.
    pub callers: BTreeMap<usize, Neighbour>,
    /// The destinations that are services of the system, by their index in `spec.egress`.
    pub destinations: BTreeMap<usize, Neighbour>,
    /// The namespaces the render writes, each with its default deny (one set for the whole
    /// system, shared by every service's view).
    pub namespaces: Arc<BTreeSet<String>>,
    /// The system's trust bundle: what every caller verifies servers with.
    pub anchors: Vec<Anchor>,
}

impl Surroundings {
    /// A service rendered on its own: every peer is someone else's, and only its own
    /// namespace is written.
    pub fn alone(namespace: &str) -> Self {
        Surroundings {
            namespaces: Arc::new(BTreeSet::from([namespace.to_string()])),
            ..Surroundings::default()
        }
    }
}
