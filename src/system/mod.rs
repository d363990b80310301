//! The system stage: services rendered together, seen whole. It receives the validated
//! services ([`Member`]s) and finds the connections between them from both ends (`edges`):
//! a connection must be declared by the caller's `spec.egress` and by the callee's
//! `spec.callers`, or it is a problem at the line that declares it; the services of a
//! namespace must fit its one quota together (`quota`) and agree on who owns it
//! (`ownership`). It decides the one trust of the system (`trust`: the anchors every caller
//! verifies servers with, the names each namespace's CA may sign) and hands each service's plan its [`Surroundings`]: which of its
//! peers are services of the system, and what they are; `mesh` keeps the meshes of a namespace
//! and of each connection's ends the same; `overview` describes the whole for `explain` and
//! `graph`. No I/O.

mod edges;
mod mesh;
pub mod overview;
mod ownership;
mod quota;
mod trust;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

pub use edges::Edge;
pub use trust::{CaNames, widen_ca_names};

use crate::plan::{Neighbour, PeerTls, Surroundings};
use crate::preset;
use crate::spec::TlsMode;
use crate::validate::Service;
use crate::yaml::locate::Locator;

/// A validated service, ready to plan: where its spec is (none for flags alone), its resolved
/// preset, the folder its relative paths start from, and the lines of its spec's fields.
pub struct Member {
    pub spec: Option<PathBuf>,
    pub service: Service,
    pub preset: preset::Resolved,
    pub base_dir: PathBuf,
    pub lines: Locator,
}

/// The members of each namespace, in their order.
fn by_namespace(members: &[Member]) -> BTreeMap<&str, Vec<&Member>> {
    let mut by_namespace: BTreeMap<&str, Vec<&Member>> = BTreeMap::new();
    for member in members {
        by_namespace
            .entry(member.service.namespace.as_str())
            .or_default()
            .push(member);
    }
    by_namespace
}

impl Member {
    /// How the member is named in messages: its spec file, or its name.
    pub fn origin(&self) -> String {
        match &self.spec {
            Some(path) => path.display().to_string(),
            None => self.service.name.clone(),
        }
    }

    /// A problem with `field` of this member's spec, at its line.
    pub fn problem(&self, field: &str, message: String) -> Problem {
        Problem {
            spec: self.spec.clone(),
            line: self.lines.line_of(field),
            field: field.to_string(),
            message,
        }
    }
}

/// What makes a set of services unfit to render as one system, at the field and line of the
/// spec that declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub spec: Option<PathBuf>,
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(spec) = &self.spec {
            write!(f, "{}", spec.display())?;
            if let Some(line) = self.line {
                write!(f, " line {line}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The services of one render and the connections between them.
pub struct System {
    pub members: Vec<Member>,
    /// Every connection between two members, one-sided ones too.
    pub edges: Vec<Edge>,
    /// Problems of the declarations: an empty list means the system may be rendered.
    pub problems: Vec<Problem>,
    index: BTreeMap<(String, String), usize>,
    namespaces: Arc<BTreeSet<String>>,
    anchors: Vec<crate::plan::Anchor>,
}

impl System {
    /// The system of `members` (each service once: the caller refuses duplicates).
    pub fn new(members: Vec<Member>) -> System {
        let index: BTreeMap<(String, String), usize> = members
            .iter()
            .enumerate()
            .map(|(i, m)| ((m.service.namespace.clone(), m.service.name.clone()), i))
            .collect();
        let (edges, mut problems) = edges::edges(&members, &index);
        problems.extend(mesh::problems(&members, &edges));
        problems.extend(quota::problems(&members));
        problems.extend(ownership::problems(&members));
        problems.sort_by(|a, b| (&a.spec, a.line).cmp(&(&b.spec, b.line)));
        let anchors = trust::anchors(&members, &edges);
        let namespaces = Arc::new(
            members
                .iter()
                .map(|m| m.service.namespace.clone())
                .collect(),
        );
        System {
            members,
            edges,
            problems,
            index,
            namespaces,
            anchors,
        }
    }

    /// The member that is the service `name` of `namespace`.
    pub fn find(&self, namespace: &str, name: &str) -> Option<usize> {
        self.index
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
    }

    /// The namespaces of the system's services, each with its default deny.
    pub fn namespaces(&self) -> &BTreeSet<String> {
        &self.namespaces
    }

    /// The view member `i`'s plan has of the system.
    pub fn surroundings(&self, i: usize) -> Surroundings {
        let service = &self.members[i].service;
        let callers = service
            .callers
            .iter()
            .filter_map(|c| {
                let caller = self.find(&c.app.namespace, &c.app.app)?;
                Some((c.entry, self.neighbour(caller, None)))
            })
            .collect();
        let destinations = service
            .egress
            .iter()
            .filter_map(|d| match &d.target {
                crate::validate::Target::App(app) => {
                    let callee = self.find(&app.namespace, &app.app)?;
                    Some((d.entry, self.neighbour(callee, Some(d.port))))
                }
                crate::validate::Target::Cidr(_) => None,
            })
            .collect();
        Surroundings {
            system: true,
            callers,
            destinations,
            namespaces: Arc::clone(&self.namespaces),
            anchors: self.anchors.clone(),
        }
    }

    /// Member `i` as a neighbour: reached on `declared` (a destination's port), which the
    /// policies open as its container port when it is that or its Service's port.
    fn neighbour(&self, i: usize, declared: Option<u16>) -> Neighbour {
        let service = &self.members[i].service;
        let service_port = crate::plan::service_port(service).map(|s| s.port);
        let port = match declared {
            Some(port) if Some(port) != service.port && Some(port) != service_port => Some(port),
            _ => service.port,
        };
        Neighbour {
            name: service.name.clone(),
            namespace: service.namespace.clone(),
            port,
            service_port,
            service_account: service.name.clone(),
            tls: peer_tls(service),
            client_auth: service.tls.client_auth,
        }
    }
}

/// How a caller verifies `service`'s certificate, when it has one.
fn peer_tls(service: &Service) -> Option<PeerTls> {
    match service.tls.mode {
        TlsMode::None => None,
        TlsMode::SelfSigned | TlsMode::Ca => Some(PeerTls::Bundle),
        TlsMode::CertManager => Some(PeerTls::Issuer {
            kind: service
                .tls
                .issuer_kind
                .clone()
                .unwrap_or_else(|| "ClusterIssuer".into()),
            name: service.tls.issuer_name.clone().unwrap_or_default(),
            ca_known: service.tls.issuer_ca.is_some(),
        }),
    }
}
