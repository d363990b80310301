//! The system seen whole, for people and tools (`explain -f DIR`, `graph -f DIR`): its
//! services, every connection between them and which ends declare it, how each caller
//! verifies each server, the peers outside the system and the policy each needs, and the
//! system's trust. Built from the system and its plans; no I/O.

use serde::Serialize;

use super::{System, peer_tls};
use crate::material::trust::permitted_subtrees;
use crate::plan::{Anchor, CertSource, PEERS_DIR, PeerTls, Placement, Plan, spiffe_id};
use crate::vocabulary::NAME_LABEL;

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub services: Vec<ServiceRef>,
    pub namespaces: Vec<String>,
    pub connections: Vec<Connection>,
    pub outside: Vec<OutsidePeer>,
    pub trust: Trust,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRef {
    pub namespace: String,
    pub name: String,
    /// Its spec file.
    pub spec: Option<String>,
}

/// A connection between two services of the system.
#[derive(Debug, Clone, Serialize)]
pub struct Connection {
    /// `namespace/name` of each end.
    pub caller: String,
    pub callee: String,
    /// The callee's container port.
    pub port: u16,
    /// `both`, or the one side that declares it (`caller`, `callee`): a render refuses it.
    pub declared_by: &'static str,
    /// How the caller verifies the callee.
    pub tls: String,
    /// The identity the caller's client certificate carries, when the callee requires one.
    pub client_identity: Option<String>,
}

impl Connection {
    pub fn one_sided(&self) -> bool {
        self.declared_by != "both"
    }
}

/// A pod outside the system at one end of a service's connection, and its policy.
#[derive(Debug, Clone, Serialize)]
pub struct OutsidePeer {
    /// `namespace/name` of the service.
    pub service: String,
    /// `namespace/app` of the peer.
    pub peer: String,
    pub peer_namespace: String,
    pub peer_app: String,
    /// `caller` or `destination` of the service.
    pub role: &'static str,
    pub port: u16,
    /// The NetworkPolicy its namespace needs, and the output folder it is written to.
    pub policy: String,
    pub folder: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trust {
    /// What the system's trust bundle holds.
    pub anchors: Vec<String>,
    /// Each namespace whose CA kubeward keeps, with the names it may sign.
    pub namespace_cas: Vec<NamespaceCa>,
    /// The services that require client certificates.
    pub client_auth: Vec<ClientAuth>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamespaceCa {
    pub namespace: String,
    pub permits: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClientAuth {
    pub service: String,
    /// Callers outside the system, which kubeward issues no client certificate to.
    pub callers_outside: Vec<String>,
}

fn id(namespace: &str, name: &str) -> String {
    format!("{namespace}/{name}")
}

impl Overview {
    /// The overview of `system`, whose members' plans are `plans` (in the members' order).
    pub fn new(system: &System, plans: &[Plan]) -> Overview {
        let members = &system.members;
        let services = members
            .iter()
            .map(|m| ServiceRef {
                namespace: m.service.namespace.clone(),
                name: m.service.name.clone(),
                spec: m.spec.as_ref().map(|p| p.display().to_string()),
            })
            .collect();
        let connections = system
            .edges
            .iter()
            .map(|edge| {
                let (caller, callee) = (&members[edge.caller].service, &members[edge.callee].service);
                let tls = match peer_tls(callee) {
                    None => "clear text".to_string(),
                    Some(PeerTls::Bundle) => "TLS, verified with the system's trust bundle".to_string(),
                    Some(PeerTls::Issuer { kind, name, ca_known: true }) => format!(
                        "TLS from the cert-manager {kind} `{name}`, verified with the system's trust bundle"
                    ),
                    Some(PeerTls::Issuer { kind, name, ca_known: false }) => format!(
                        "TLS from the cert-manager {kind} `{name}`, whose CA kubeward does not know: not verified"
                    ),
                };
                let domain = &members[edge.caller].preset.preset.cluster_domain;
                Connection {
                    caller: id(&caller.namespace, &caller.name),
                    callee: id(&callee.namespace, &callee.name),
                    port: edge.port,
                    declared_by: match (edge.egress, edge.admitted) {
                        (Some(_), Some(_)) => "both",
                        (Some(_), None) => "caller",
                        _ => "callee",
                    },
                    tls,
                    client_identity: callee
                        .tls
                        .client_auth
                        .then(|| spiffe_id(domain, &caller.namespace, &edge.service_account)),
                }
            })
            .collect();
        Overview {
            services,
            namespaces: system.namespaces().iter().cloned().collect(),
            connections,
            outside: outside(plans),
            trust: trust(system, plans),
        }
    }
}

fn outside(plans: &[Plan]) -> Vec<OutsidePeer> {
    let mut peers = Vec::new();
    for plan in plans {
        for object in &plan.objects {
            let Some(policy) = &object.peer else { continue };
            let namespace = object.namespace.clone().unwrap_or_default();
            let app = policy
                .pod_labels
                .get(NAME_LABEL)
                .cloned()
                .unwrap_or_default();
            peers.push(OutsidePeer {
                service: id(&plan.namespace, &plan.name),
                peer: id(&namespace, &app),
                role: if policy.direction == "Egress" {
                    "caller"
                } else {
                    "destination"
                },
                port: policy.port,
                policy: object.name.clone(),
                folder: match object.placement {
                    Placement::Outside => format!("{PEERS_DIR}/{namespace}/"),
                    _ => format!("{namespace}/"),
                },
                peer_namespace: namespace,
                peer_app: app,
            });
        }
    }
    peers
}

fn trust(system: &System, plans: &[Plan]) -> Trust {
    let anchors = system
        .anchors
        .iter()
        .map(|anchor| match anchor {
            Anchor::Root => "kubeward's root CA (trust/ca.crt in the state folder)".to_string(),
            Anchor::File(path) => path.display().to_string(),
        })
        .collect();
    let mut namespace_cas: Vec<NamespaceCa> = Vec::new();
    for plan in plans {
        let signs = plan
            .certificates()
            .any(|c| c.source == CertSource::SelfSigned);
        if signs
            && !namespace_cas
                .iter()
                .any(|ca| ca.namespace == plan.namespace)
        {
            namespace_cas.push(NamespaceCa {
                namespace: plan.namespace.clone(),
                permits: permitted_subtrees(&plan.ca_names),
            });
        }
    }
    namespace_cas.sort_by(|a, b| a.namespace.cmp(&b.namespace));
    let client_auth = system
        .members
        .iter()
        .filter(|m| m.service.tls.client_auth)
        .map(|m| ClientAuth {
            service: id(&m.service.namespace, &m.service.name),
            callers_outside: m
                .service
                .callers
                .iter()
                .filter(|c| system.find(&c.app.namespace, &c.app.app).is_none())
                .map(|c| id(&c.app.namespace, &c.app.app))
                .collect(),
        })
        .collect();
    Trust {
        anchors,
        namespace_cas,
        client_auth,
    }
}
