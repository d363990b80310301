//! Who reaches the pods and what they reach: the Service port, the callers and the ingress
//! controller admitted, DNS and the declared destinations, the API server, and the peer
//! policies for neighbours that share the namespace's default deny.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::objects::{PEERS_DIR, Placement};
use super::surroundings::Surroundings;
use super::workload::port_name;
use crate::preset::Preset;
use crate::spec::cidr::Cidr;
use crate::spec::{Protocol, TlsMode, Transport};
use crate::validate::{AppRef, Entry, Service, Target};
use crate::vocabulary::{IGNORE_ANNOTATION, NAME_LABEL, POLICY_SELECTS_NOTHING};

#[derive(Debug, Clone, Serialize)]
pub struct ServicePort {
    pub port: u16,
    pub target_port_name: &'static str,
    pub app_protocol: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Network {
    /// Pods admitted to the service's port.
    pub ingress_from: Vec<Admitted>,
    /// Address ranges admitted to the service's port; with `ingress_from` empty too, no
    /// ingress at all.
    pub ingress_ranges: Vec<AdmittedRange>,
    /// The container's port the admitted peers reach; `None` for a worker, which admits none.
    pub port: Option<u16>,
    /// The mesh proxy's inbound ports, admitted from `ingress_from` beside `port`.
    pub mesh_ports: Vec<u16>,
    pub egress: Vec<EgressRule>,
    /// Cluster DNS, as the service's own first egress rule reaches it.
    pub dns: Dns,
}

/// Cluster DNS: its pods and port (UDP and TCP).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dns {
    pub pods: PodPeer,
    pub port: u16,
}

/// An address range admitted to the service's port, with the never-implied ranges carved out
/// of it, and the decision that admits it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdmittedRange {
    pub cidr: String,
    pub except: Vec<String>,
    pub decision: usize,
}

/// Pods selected by labels in one namespace (by its `kubernetes.io/metadata.name`), or
/// every pod of the namespaces that carry `namespace_labels` (OpenShift's router).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodPeer {
    pub namespace: String,
    /// Selects the namespaces instead of `namespace`'s name.
    pub namespace_labels: Option<BTreeMap<String, String>>,
    /// Empty: every pod of the namespaces (no podSelector).
    pub pod_labels: BTreeMap<String, String>,
}

/// A peer admitted to the service's port, and the decision (index into
/// [`Plan::decisions`](super::Plan::decisions)) that admits it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Admitted {
    #[serde(flatten)]
    pub peer: PodPeer,
    pub decision: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EgressRule {
    pub pod: Option<PodPeer>,
    pub cidr: Option<String>,
    pub except: Vec<String>,
    pub ports: Vec<PortRule>,
    /// The decision (index into [`Plan::decisions`](super::Plan::decisions)) that opens this rule.
    pub decision: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortRule {
    pub protocol: &'static str,
    pub port: u16,
}

/// A policy for a pod that is not ours but shares our namespace, and so our default deny:
/// it opens exactly its side of a declared flow (a caller's egress to us, or a destination's
/// ingress from us), and DNS, which the default deny took from it too; nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerPolicy {
    pub pod_labels: BTreeMap<String, String>,
    /// `Egress` for a caller, `Ingress` for a destination.
    pub direction: &'static str,
    /// The service's pods, the other end of the flow.
    pub service: PodPeer,
    pub port: u16,
    pub protocol: &'static str,
    /// The mesh proxy's inbound ports, opened beside `port`.
    pub mesh_ports: Vec<u16>,
    /// The mesh's control plane, for a peer in a namespace the render meshes.
    pub control_plane: Vec<EgressRule>,
    /// Cluster DNS for the peer's pods.
    pub dns: Option<Dns>,
    /// The suppression of "a policy that selects no pod of the bundle", with its reason.
    pub annotations: BTreeMap<String, String>,
    /// The decision (index into [`Plan::decisions`](super::Plan::decisions)) that declared the flow.
    pub decision: usize,
}

/// The `kubeward.dev/ignore` annotation for a peer policy: its pods are not in the bundle.
fn peer_annotations(app: &AppRef, direction: &str) -> BTreeMap<String, String> {
    let side = if direction == "Egress" {
        "its egress to this service"
    } else {
        "its ingress from this service"
    };
    BTreeMap::from([(
        IGNORE_ANNOTATION.to_string(),
        format!(
            "{POLICY_SELECTS_NOTHING}=selects the pods of `{}` in namespace {}, which are deployed separately: this policy opens {side}, as declared",
            app.app, app.namespace
        ),
    )])
}

/// Ranges a declared CIDR egress never reaches unless named exactly: cluster-internal and
/// link-local (cloud metadata) addresses, and the IPv6 prefixes that lead back into IPv4
/// (NAT64, well-known and local-use, and IPv4-mapped addresses), through which `::/0` would
/// reach every IPv4 address the IPv4 carve-outs deny.
const NEVER_IMPLIED: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "127.0.0.0/8",
    "fc00::/7",
    "fe80::/10",
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "::ffff:0:0/96",
];

/// Cloud instance metadata addresses (AWS, GCP, Azure, OpenStack and others; AWS's IPv6 and
/// ECS task endpoints; Alibaba Cloud): a pod that reaches one can often read the node's cloud
/// credentials.
const METADATA_ADDRESSES: &[&str] = &[
    "169.254.169.254",
    "169.254.170.2",
    "fd00:ec2::254",
    "100.100.100.200",
];

/// The metadata addresses a CIDR egress rule reaches, past its exceptions.
fn metadata_reached(cidr: &Cidr, except: &[String]) -> Vec<&'static str> {
    METADATA_ADDRESSES
        .iter()
        .copied()
        .filter(|address| {
            let addr = address.parse().expect("constant addresses parse");
            cidr.contains_addr(addr)
                && !except.iter().any(|e| {
                    e.parse::<Cidr>()
                        .is_ok_and(|excepted| excepted.contains_addr(addr))
                })
        })
        .collect()
}

/// A peer policy and where it is written.
pub(super) struct PeerObject {
    pub name: String,
    pub namespace: String,
    pub placement: Placement,
    pub policy: PeerPolicy,
}

/// Where the policy of a pod that is not a service of the system goes, and its name: in a
/// namespace the render writes (the service's own, or another of the system's) its default
/// deny cuts the pod off, so the policy is part of the output; elsewhere it is written apart
/// for that namespace's owners, in a system only.
fn peer_home(
    service: &Service,
    around: &Surroundings,
    peer_namespace: &str,
    flow: &str,
) -> Option<(String, Placement)> {
    if peer_namespace == service.namespace {
        return Some((format!("{}-{flow}", service.name), Placement::Namespace));
    }
    let name = format!("{}.{}-{flow}", service.name, service.namespace);
    if around.namespaces.contains(peer_namespace) {
        Some((name, Placement::Namespace))
    } else if around.system {
        Some((name, Placement::Outside))
    } else {
        None
    }
}

/// Peer policies for the callers and destinations that are not services of the system, where
/// their side of the flow needs one: under a default deny the render writes (the service's own
/// namespace, or another of the system's), which would cut them off, DNS included; and, in a
/// system, for the namespaces it does not write, apart (their owners apply them where a
/// default deny holds). Each carries the decision that explains it.
pub(super) fn peer_policies(
    service: &Service,
    selector: &BTreeMap<String, String>,
    network: &Network,
    around: &Surroundings,
    d: &mut Decisions,
) -> Vec<PeerObject> {
    let ours = PodPeer {
        namespace: service.namespace.clone(),
        namespace_labels: None,
        pod_labels: selector.clone(),
    };
    let not_us = |app: &AppRef| !(app.namespace == service.namespace && app.app == service.name);
    let peer_object = |(name, placement): (String, Placement), app: &AppRef, side: Side| {
        let dns = side.direction == "Egress" || placement == Placement::Namespace;
        PeerObject {
            name,
            namespace: app.namespace.clone(),
            placement,
            policy: PeerPolicy {
                pod_labels: app_peer(app).pod_labels,
                direction: side.direction,
                service: ours.clone(),
                port: side.port,
                protocol: side.protocol,
                mesh_ports: Vec::new(),
                control_plane: Vec::new(),
                // A caller needs DNS to connect by name; under a default deny the render
                // writes, a destination lost its own DNS too.
                dns: dns.then(|| network.dns.clone()),
                annotations: peer_annotations(app, side.direction),
                decision: side.decision,
            },
        }
    };
    let mut out = Vec::new();
    for caller in &service.callers {
        if around.callers.contains_key(&caller.entry) || !not_us(&caller.app) {
            continue;
        }
        let app = &caller.app;
        let Some(home) = peer_home(
            service,
            around,
            &app.namespace,
            &format!("from-{}", app.app),
        ) else {
            continue;
        };
        let decision = match home.1 {
            Placement::Outside => {
                outside_peer(d, &home.0, app, "its egress to this service, and DNS")
            }
            _ => network
                .ingress_from
                .iter()
                .find(|a| a.peer == app_peer(app))
                .map(|a| a.decision)
                .expect("every caller is admitted"),
        };
        let side = Side {
            direction: "Egress",
            port: service.port.expect(CALLERS_NEED_A_PORT),
            protocol: "TCP",
            decision,
        };
        out.push(peer_object(home, app, side));
    }
    for dest in &service.egress {
        let Target::App(app) = &dest.target else {
            continue;
        };
        if around.destinations.contains_key(&dest.entry) || !not_us(app) {
            continue;
        }
        let flow = format!("to-{}-{}", app.app, dest.port);
        let Some(home) = peer_home(service, around, &app.namespace, &flow) else {
            continue;
        };
        let protocol = transport(dest.transport);
        let decision = match home.1 {
            Placement::Outside => outside_peer(d, &home.0, app, "its ingress from this service"),
            _ => network
                .egress
                .iter()
                .find(|rule| {
                    rule.pod.as_ref() == Some(&app_peer(app))
                        && rule
                            .ports
                            .iter()
                            .any(|p| p.port == dest.port && p.protocol == protocol)
                })
                .map(|rule| rule.decision)
                .expect("every destination has an egress rule"),
        };
        let side = Side {
            direction: "Ingress",
            port: dest.port,
            protocol,
            decision,
        };
        out.push(peer_object(home, app, side));
    }
    out
}

/// The peer's side of a flow: its direction, the port and protocol, the decision behind it.
struct Side {
    direction: &'static str,
    port: u16,
    protocol: &'static str,
    decision: usize,
}

/// The decision for a peer outside the namespaces the render writes: its policy, written apart.
fn outside_peer(d: &mut Decisions, name: &str, app: &AppRef, side: &str) -> usize {
    d.add(
        "outside-peer",
        format!(
            "{}/{} is not a service of this system: its namespace needs `{name}`, which opens {side} (written to {PEERS_DIR}/{}/ of the output, outside its kustomization: apply it there where a default deny holds)",
            app.namespace, app.app, app.namespace
        ),
        "spec.callers, spec.egress",
    )
}

/// Validation refuses callers, caller ranges and a public entry for a worker (no port).
const CALLERS_NEED_A_PORT: &str = "validation admits callers only to a service with a port";

/// The Service listens on 80 or 443 for HTTP(S), on the container's port otherwise. gRPC is
/// HTTP/2: in clear text `kubernetes.io/h2c`; over TLS (the service has a certificate)
/// `https`, the IANA name under which TLS clients negotiate HTTP/2. A worker has no Service.
pub fn service_port(service: &Service) -> Option<ServicePort> {
    let tls = service.tls.mode != TlsMode::None;
    let container_port = service.port?;
    Some(ServicePort {
        port: match service.protocol {
            Protocol::Http => 80,
            Protocol::Https => 443,
            Protocol::Grpc | Protocol::Tcp => container_port,
        },
        target_port_name: port_name(service.protocol),
        app_protocol: match service.protocol {
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Grpc if tls => "https",
            Protocol::Grpc => "kubernetes.io/h2c",
            Protocol::Tcp => "tcp",
        },
    })
}

fn app_peer(app: &AppRef) -> PodPeer {
    PodPeer {
        namespace: app.namespace.clone(),
        namespace_labels: None,
        pod_labels: BTreeMap::from([(NAME_LABEL.to_string(), app.app.clone())]),
    }
}

fn transport(t: Transport) -> &'static str {
    match t {
        Transport::Tcp => "TCP",
        Transport::Udp => "UDP",
    }
}

/// The ranges to carve out of a declared CIDR: never-implied ranges, the preset's cluster
/// ranges and API server addresses, that it strictly contains (each once: none inside another
/// carve-out).
fn implied_exceptions(cidr: &Cidr, preset: &Preset) -> Vec<String> {
    let fixed = NEVER_IMPLIED
        .iter()
        .map(|r| r.parse::<Cidr>().expect("constant ranges parse"));
    let api = (preset.cluster_ranges.all().map(|(_, r)| r))
        .chain(&preset.api_server.cidrs)
        .filter_map(|r| r.parse::<Cidr>().ok());
    let carved: Vec<Cidr> = fixed
        .chain(api)
        .filter(|r| cidr.strictly_contains(r))
        .collect();
    carved
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            !carved[..*i].contains(r) && !carved.iter().any(|outer| outer.strictly_contains(r))
        })
        .map(|(_, r)| r.to_string())
        .collect()
}

pub(super) fn network(
    service: &Service,
    preset: &Preset,
    around: &Surroundings,
    d: &mut Decisions,
) -> Network {
    d.add(
        "default-deny",
        format!(
            "namespace `{}` denies all ingress and egress unless a policy allows it",
            service.namespace
        ),
        "always",
    );
    let mut ingress_from = Vec::new();
    let port = || service.port.expect(CALLERS_NEED_A_PORT);
    for caller in &service.callers {
        let decision = d.add(
            "caller",
            format!(
                "admit {}/{} on port {}",
                caller.app.namespace,
                caller.app.app,
                port()
            ),
            "spec.callers",
        );
        ingress_from.push(Admitted {
            peer: app_peer(&caller.app),
            decision,
        });
    }
    let mut ingress_ranges = Vec::new();
    for range in &service.caller_ranges {
        let except = implied_exceptions(&range.cidr, preset);
        let decision = d.add(
            "caller-range",
            format!(
                "admit clients from {} on port {}{}",
                range.cidr,
                port(),
                carved(&except)
            ),
            "spec.callers",
        );
        ingress_ranges.push(AdmittedRange {
            cidr: range.cidr.to_string(),
            except,
            decision,
        });
    }
    if let Some(public) = &service.ingress {
        let pods = &public.controller;
        let what = match &public.entry {
            Entry::Gateway(gateway) => format!(
                "the data plane of Gateway {}/{}",
                gateway.namespace, gateway.name
            ),
            Entry::Ingress { class_name } => format!("the {class_name} Ingress controller"),
            Entry::Route { .. } => "OpenShift's router".to_string(),
        };
        let whose = match &pods.namespace_labels {
            Some(labels) => format!(
                "every pod of the namespaces labelled {}, such as {}; on OVN-Kubernetes the label also admits a router on the host network",
                label_text(labels),
                pods.namespace
            ),
            None => format!(
                "pods labelled {} in namespace {}",
                label_text(&pods.labels),
                pods.namespace
            ),
        };
        let decision = d.add(
            "ingress-controller",
            format!(
                "admit {what} ({whose}) on port {}, and no other pod on the public path",
                port()
            ),
            "exposure: public",
        );
        ingress_from.push(Admitted {
            peer: PodPeer {
                namespace: pods.namespace.clone(),
                namespace_labels: pods.namespace_labels.clone(),
                pod_labels: pods.labels.clone(),
            },
            decision,
        });
    }
    if service.is_worker() {
        d.add(
            "no-callers",
            "no pod may connect to the service: a worker listens on no port",
            "no spec.port",
        );
    } else if ingress_from.is_empty() && ingress_ranges.is_empty() {
        d.add(
            "no-callers",
            "no pod may connect to the service (no callers declared)",
            format!("exposure: {}, no callers", service.exposure.as_str()),
        );
    }
    let dns = PodPeer {
        namespace: preset.dns.namespace.clone(),
        namespace_labels: None,
        pod_labels: preset.dns.pod_labels.clone(),
    };
    let dns_decision = d.add(
        "dns-egress",
        format!(
            "allow DNS to {} pods in {} on port {} (UDP and TCP) only",
            label_text(&dns.pod_labels),
            dns.namespace,
            preset.dns.port
        ),
        "always",
    );
    let mut egress = vec![EgressRule {
        pod: Some(dns.clone()),
        cidr: None,
        except: vec![],
        ports: vec![
            PortRule {
                protocol: "UDP",
                port: preset.dns.port,
            },
            PortRule {
                protocol: "TCP",
                port: preset.dns.port,
            },
        ],
        decision: dns_decision,
    }];
    for dest in &service.egress {
        let neighbour = around.destinations.get(&dest.entry);
        let port = neighbour.and_then(|n| n.port).unwrap_or(dest.port);
        let ports = vec![PortRule {
            protocol: transport(dest.transport),
            port,
        }];
        match &dest.target {
            Target::App(app) => {
                let pod = Some(app_peer(app));
                if egress.iter().any(|r| r.pod == pod && r.ports == ports) {
                    continue;
                }
                let behind = if port == dest.port {
                    String::new()
                } else {
                    format!(", the container port behind its Service port {}", dest.port)
                };
                let decision = d.add(
                    "egress-app",
                    format!(
                        "allow egress to {}/{} on port {port}{behind}",
                        app.namespace, app.app
                    ),
                    "spec.egress",
                );
                egress.push(EgressRule {
                    pod,
                    cidr: None,
                    except: vec![],
                    ports,
                    decision,
                });
            }
            Target::Cidr(cidr) => {
                let except = implied_exceptions(cidr, preset);
                let decision = d.add(
                    "egress-cidr",
                    format!(
                        "allow egress to {cidr} on port {}{}",
                        dest.port,
                        carved(&except)
                    ),
                    "spec.egress",
                );
                let reached = metadata_reached(cidr, &except);
                if !reached.is_empty() {
                    d.warn(
                        "metadata-egress",
                        format!(
                            "spec.egress allows {cidr} on port {}, which reaches the cloud metadata address {}: a pod that reads instance metadata can often take the node's cloud credentials; remove the entry unless the service needs it, and give the service its own cloud identity",
                            dest.port,
                            reached.join(", ")
                        ),
                    );
                }
                egress.push(EgressRule {
                    pod: None,
                    cidr: Some(cidr.to_string()),
                    except,
                    ports,
                    decision,
                });
            }
        }
    }
    if !service.api_access.is_empty() {
        let api = &preset.api_server;
        // Canonical (`192.0.2.10/32`): an ipBlock takes no bare address.
        let cidrs: Vec<String> = (api.cidrs.iter())
            .map(|c| {
                c.parse::<Cidr>()
                    .map_or_else(|_| c.clone(), |c| c.to_string())
            })
            .collect();
        let decision = d.add(
            "api-server-egress",
            format!(
                "allow egress to the API server at {} on port(s) {}",
                cidrs.join(", "),
                api.ports
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "spec.apiAccess",
        );
        for cidr in cidrs {
            egress.push(EgressRule {
                pod: None,
                cidr: Some(cidr),
                except: vec![],
                ports: api
                    .ports
                    .iter()
                    .map(|port| PortRule {
                        protocol: "TCP",
                        port: *port,
                    })
                    .collect(),
                decision,
            });
        }
    }
    Network {
        ingress_from,
        ingress_ranges,
        port: service.port,
        mesh_ports: Vec::new(),
        egress,
        dns: Dns {
            pods: dns,
            port: preset.dns.port,
        },
    }
}

/// `, except A, B` for the ranges carved out of a declared one; empty when there are none.
fn carved(except: &[String]) -> String {
    if except.is_empty() {
        String::new()
    } else {
        format!(", except {}", except.join(", "))
    }
}

pub(super) fn label_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
