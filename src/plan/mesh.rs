//! Who is calling, as the mesh proves it: with `mesh: istio` or `mesh: linkerd`, the
//! identities (ServiceAccounts) of the declared callers and of the public entry, mutual TLS
//! for the service's pods, the objects that admit exactly those identities on the service's
//! port, the injection labels of the namespace and the pods, and what the proxy needs from
//! the NetworkPolicies (its control plane, its inbound port). The NetworkPolicies all stay.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::network::{EgressRule, Network, PeerPolicy, PodPeer, PortRule, label_text};
use super::objects::{Placement, PlannedObject, object};
use super::surroundings::Surroundings;
use crate::preset::{MeshNetwork, Preset};
use crate::spec::{Exposure, Mesh, Protocol, TlsMode};
use crate::validate::{AppRef, Service, entry_identity as entry_identity_of};

/// The Linkerd annotation that sets the inbound policy of unlisted ports and clients.
pub const LINKERD_DEFAULT_POLICY: &str = "config.linkerd.io/default-inbound-policy";
/// The Linkerd annotation that injects the proxy.
pub const LINKERD_INJECT: &str = "linkerd.io/inject";
/// The Linkerd annotation for inbound ports the proxy does not intercept.
pub const LINKERD_SKIP_INBOUND: &str = "config.linkerd.io/skip-inbound-ports";
/// The Istio namespace label that injects the sidecar.
pub const ISTIO_INJECTION: &str = "istio-injection";

/// The mesh part of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeshPlan {
    /// `istio` or `linkerd`.
    pub mesh: &'static str,
    pub trust_domain: String,
    /// The container port the authorization covers.
    pub port: u16,
    /// The same port as text (Istio's `operation.ports` are strings).
    pub port_text: String,
    /// Linkerd's `Server.spec.proxyProtocol` for that port.
    pub proxy_protocol: &'static str,
    /// The identities admitted to the port, sorted, each once.
    pub identities: Vec<MeshIdentity>,
    /// Labels and annotations of the Namespace (injection, default policy).
    pub namespace_labels: BTreeMap<String, String>,
    pub namespace_annotations: BTreeMap<String, String>,
    /// Annotations of the pods (Linkerd: injection, default policy, ports the proxy skips).
    pub pod_annotations: BTreeMap<String, String>,
    /// The proxy's inbound ports admitted from the callers besides the service's port.
    pub inbound_ports: Vec<u16>,
    /// The decision that asks for mutual TLS.
    pub decision: usize,
    /// The decisions of the control-plane egress rules.
    pub control_plane: Vec<usize>,
}

/// One identity admitted: the caller's pods, their ServiceAccount and the string the mesh
/// matches (Istio's principal, Linkerd's identity).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MeshIdentity {
    pub identity: String,
    pub namespace: String,
    pub app: String,
    pub service_account: String,
    pub decision: usize,
}

/// Istio's principal of a ServiceAccount: `<trust domain>/ns/<namespace>/sa/<account>`.
pub fn istio_principal(trust_domain: &str, namespace: &str, account: &str) -> String {
    format!("{trust_domain}/ns/{namespace}/sa/{account}")
}

/// Linkerd's identity of a ServiceAccount:
/// `<account>.<namespace>.serviceaccount.identity.linkerd.<trust domain>`.
pub fn linkerd_identity(trust_domain: &str, namespace: &str, account: &str) -> String {
    format!("{account}.{namespace}.serviceaccount.identity.linkerd.{trust_domain}")
}

/// The pods of the public entry as a mesh caller, when their identity is known (validation
/// refuses a mesh with an entry whose identity is not).
pub(super) fn entry_identity(service: &Service) -> Option<AppRef> {
    service.ingress.as_ref().and_then(entry_identity_of)
}

/// Plans the mesh part of the service, or nothing with `mesh: none`.
pub(super) fn mesh(
    service: &Service,
    preset: &Preset,
    around: &Surroundings,
    ingress_controller: Option<&AppRef>,
    d: &mut Decisions,
) -> Option<MeshPlan> {
    let network = preset.mesh.network(service.mesh)?;
    let domain = &preset.mesh.trust_domain;
    let name = service.mesh.as_str();
    let identity = |ns: &str, account: &str| match service.mesh {
        Mesh::Istio => istio_principal(domain, ns, account),
        _ => linkerd_identity(domain, ns, account),
    };
    let port = service.port;
    let mut namespace_labels = BTreeMap::new();
    let mut namespace_annotations = BTreeMap::new();
    let mut pod_annotations = BTreeMap::new();
    let decision = match service.mesh {
        Mesh::Istio => {
            namespace_labels.insert(ISTIO_INJECTION.to_string(), "enabled".to_string());
            d.add(
                "mesh-mtls",
                format!(
                    "the Istio sidecar is injected (namespace label {ISTIO_INJECTION}: enabled; install Istio with its CNI node agent, so no privileged init container breaks Pod Security `restricted`); a PeerAuthentication requires mutual TLS (STRICT) and an ALLOW AuthorizationPolicy admits only the identities below, in trust domain {domain}; the kubelet's probes are rewritten by the sidecar to its own port"
                ),
                format!("mesh: {name}"),
            )
        }
        Mesh::Linkerd | Mesh::None => {
            for annotations in [&mut namespace_annotations, &mut pod_annotations] {
                annotations.insert(LINKERD_INJECT.to_string(), "enabled".to_string());
                annotations.insert(LINKERD_DEFAULT_POLICY.to_string(), "deny".to_string());
            }
            if let Some(probe) = service.probe_port {
                pod_annotations.insert(LINKERD_SKIP_INBOUND.to_string(), probe.to_string());
            }
            d.add(
                "mesh-mtls",
                format!(
                    "the Linkerd proxy is injected ({LINKERD_INJECT}: enabled on the namespace and the pods; install Linkerd with its CNI plugin, so no privileged init container breaks Pod Security `restricted`); {LINKERD_DEFAULT_POLICY}: deny refuses every client no policy admits; a Server for port {port}, a MeshTLSAuthentication and an AuthorizationPolicy admit only the declared callers' identities (trust domain {domain}); the kubelet's HTTP probes pass through the proxy's default probe routes{}",
                    service.probe_port.map_or(String::new(), |p| format!(
                        ", and the probe port {p} is not intercepted ({LINKERD_SKIP_INBOUND})"
                    ))
                ),
                format!("mesh: {name}"),
            )
        }
    };
    let mut identities = Vec::new();
    for caller in &service.callers {
        let account = around
            .callers
            .get(&caller.entry)
            .map_or(caller.service_account(), |n| n.service_account.as_str());
        let id = identity(&caller.app.namespace, account);
        let decision = d.add(
            "mesh-caller",
            format!(
                "admit the identity {id} ({}/{}, ServiceAccount {account}) on port {port}",
                caller.app.namespace, caller.app.app
            ),
            format!("spec.callers[{}], mesh: {name}", caller.entry),
        );
        identities.push(MeshIdentity {
            identity: id,
            namespace: caller.app.namespace.clone(),
            app: caller.app.app.clone(),
            service_account: account.to_string(),
            decision,
        });
    }
    if let (Exposure::Public, Some(controller)) = (service.exposure, ingress_controller) {
        let id = identity(&controller.namespace, &controller.app);
        let decision = d.add(
            "mesh-entry",
            format!(
                "admit the public entry's identity {id} (the controller {}/{} runs as ServiceAccount {}, meshed) on port {port}",
                controller.namespace, controller.app, controller.app
            ),
            format!("exposure: public, mesh: {name}"),
        );
        identities.push(MeshIdentity {
            identity: id,
            namespace: controller.namespace.clone(),
            app: controller.app.clone(),
            service_account: controller.app.clone(),
            decision,
        });
    }
    identities.sort();
    identities.dedup_by(|a, b| a.identity == b.identity);
    if identities.is_empty() {
        d.add(
            "mesh-no-callers",
            format!("no identity is admitted: the {name} proxy refuses every client"),
            format!("no callers, mesh: {name}"),
        );
    }
    Some(MeshPlan {
        mesh: name,
        trust_domain: domain.clone(),
        port,
        port_text: port.to_string(),
        proxy_protocol: proxy_protocol(service),
        identities,
        namespace_labels,
        namespace_annotations,
        pod_annotations,
        inbound_ports: network.inbound_ports.clone(),
        decision,
        control_plane: Vec::new(),
    })
}

/// What the Linkerd proxy of the server expects on the port: gRPC in clear text, TLS the
/// container serves itself (opaque to the proxy), or detection.
fn proxy_protocol(service: &Service) -> &'static str {
    match (service.protocol, service.tls.mode) {
        (_, mode) if mode != TlsMode::None => "TLS",
        (Protocol::Grpc, _) => "gRPC",
        _ => "unknown",
    }
}

/// Opens what the proxy needs in the service's own NetworkPolicy: egress to its control
/// plane; from the admitted callers, the proxy's inbound ports; to pod destinations, the
/// same ports, where a meshed destination's proxy receives the connection.
pub(super) fn open_network(
    network: &mut Network,
    mesh: &mut MeshPlan,
    settings: &MeshNetwork,
    d: &mut Decisions,
) {
    if !mesh.inbound_ports.is_empty() {
        let extra: Vec<PortRule> = mesh
            .inbound_ports
            .iter()
            .map(|&port| PortRule {
                protocol: "TCP",
                port,
            })
            .collect();
        let dns = network.dns.pods.clone();
        for rule in &mut network.egress {
            let to_app = rule.pod.as_ref().is_some_and(|pod| pod != &dns)
                && rule.ports.iter().all(|p| p.protocol == "TCP");
            if to_app {
                rule.ports.extend(extra.iter().cloned());
            }
        }
        if !network.ingress_from.is_empty() {
            d.add(
                "mesh-inbound-port",
                format!(
                    "admit the declared callers on the {} proxy's inbound port(s) {} too, and reach pod destinations there: between meshed pods the connection arrives on the proxy's port",
                    mesh.mesh,
                    ports_text(&mesh.inbound_ports)
                ),
                format!(
                    "mesh: {}, the preset's spec.mesh.{}.inboundPorts",
                    mesh.mesh, mesh.mesh
                ),
            );
            network.mesh_ports = mesh.inbound_ports.clone();
        }
    }
    for plane in &settings.control_plane {
        let decision = d.add(
            "mesh-control-plane",
            format!(
                "allow the {} proxy's egress to its control plane {} ({} pods in {}) on port(s) {}",
                mesh.mesh,
                plane.name,
                label_text(&plane.pod_labels),
                plane.namespace,
                ports_text(&plane.ports)
            ),
            format!(
                "mesh: {}, the preset's spec.mesh.{}.controlPlane",
                mesh.mesh, mesh.mesh
            ),
        );
        network.egress.push(EgressRule {
            pod: Some(PodPeer {
                namespace: plane.namespace.clone(),
                namespace_labels: None,
                pod_labels: plane.pod_labels.clone(),
            }),
            cidr: None,
            except: vec![],
            ports: plane
                .ports
                .iter()
                .map(|&port| PortRule {
                    protocol: "TCP",
                    port,
                })
                .collect(),
            decision,
        });
        mesh.control_plane.push(decision);
    }
}

/// Opens the proxy's needs in the policy of a neighbour: the inbound ports beside the flow's
/// port and, in a namespace the render meshes (its pods get a proxy too), the control plane.
pub(super) fn open_peer(
    policy: &mut PeerPolicy,
    placement: Placement,
    mesh: &MeshPlan,
    network: &Network,
) {
    if policy.protocol == "TCP" {
        policy.mesh_ports = mesh.inbound_ports.clone();
    }
    if placement == Placement::Namespace {
        policy.control_plane = network
            .egress
            .iter()
            .filter(|rule| mesh.control_plane.contains(&rule.decision))
            .cloned()
            .collect();
    }
}

/// The mesh's objects for the service.
pub(super) fn objects(mesh: &MeshPlan, name: &str, namespace: &str) -> Vec<PlannedObject> {
    let ns = Some(namespace);
    match mesh.mesh {
        "istio" => vec![
            object(
                "security.istio.io/v1",
                "PeerAuthentication",
                name,
                ns,
                "peerauthentication-istio.yaml",
            ),
            object(
                "security.istio.io/v1",
                "AuthorizationPolicy",
                name,
                ns,
                "authorizationpolicy-istio.yaml",
            ),
        ],
        _ if mesh.identities.is_empty() => Vec::new(),
        _ => vec![
            object(
                "policy.linkerd.io/v1beta3",
                "Server",
                name,
                ns,
                "server-linkerd.yaml",
            ),
            object(
                "policy.linkerd.io/v1alpha1",
                "MeshTLSAuthentication",
                name,
                ns,
                "meshtlsauthentication-linkerd.yaml",
            ),
            object(
                "policy.linkerd.io/v1alpha1",
                "AuthorizationPolicy",
                name,
                ns,
                "authorizationpolicy-linkerd.yaml",
            ),
        ],
    }
}

fn ports_text(ports: &[u16]) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
