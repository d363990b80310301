//! Who reaches the pods and what they reach: the Service port, the callers and the ingress
//! controller admitted, DNS and the declared destinations, the API server, and the peer
//! policies for neighbours that share the namespace's default deny.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
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
    /// Peers admitted to the service's port; empty means no ingress at all.
    pub ingress_from: Vec<Admitted>,
    pub port: u16,
    pub egress: Vec<EgressRule>,
}

/// Pods selected by labels in one namespace (by its `kubernetes.io/metadata.name`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodPeer {
    pub namespace: String,
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
/// ingress from us), and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerPolicy {
    pub pod_labels: BTreeMap<String, String>,
    /// `Egress` for a caller, `Ingress` for a destination.
    pub direction: &'static str,
    pub port: u16,
    pub protocol: &'static str,
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

/// The cloud metadata service (AWS, GCP, Azure, OpenStack): it hands out the node's cloud
/// credentials to any pod that reaches it.
const METADATA_ADDRESS: std::net::IpAddr =
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(169, 254, 169, 254));

/// Peer policies for callers and destinations inside the service's own namespace, which the
/// namespace's default deny would otherwise cut off on their side. Each carries the decision
/// that declared its flow.
pub(super) fn peer_policies(service: &Service, network: &Network) -> Vec<(String, PeerPolicy)> {
    let local = |app: &AppRef| app.namespace == service.namespace && app.app != service.name;
    let mut out = Vec::new();
    for caller in service.callers.iter().filter(|c| local(c)) {
        let peer = app_peer(caller);
        let decision = network
            .ingress_from
            .iter()
            .find(|a| a.peer == peer)
            .map(|a| a.decision)
            .expect("every caller is admitted");
        out.push((
            format!("{}-from-{}", service.name, caller.app),
            PeerPolicy {
                pod_labels: peer.pod_labels,
                direction: "Egress",
                port: service.port,
                protocol: "TCP",
                annotations: peer_annotations(caller, "Egress"),
                decision,
            },
        ));
    }
    for dest in &service.egress {
        if let Target::App(app) = &dest.target
            && local(app)
        {
            let peer = app_peer(app);
            let protocol = transport(dest.transport);
            let decision = network
                .egress
                .iter()
                .find(|rule| {
                    rule.pod.as_ref() == Some(&peer)
                        && rule
                            .ports
                            .iter()
                            .any(|p| p.port == dest.port && p.protocol == protocol)
                })
                .map(|rule| rule.decision)
                .expect("every destination has an egress rule");
            out.push((
                format!("{}-to-{}-{}", service.name, app.app, dest.port),
                PeerPolicy {
                    pod_labels: peer.pod_labels,
                    direction: "Ingress",
                    port: dest.port,
                    protocol: transport(dest.transport),
                    annotations: peer_annotations(app, "Ingress"),
                    decision,
                },
            ));
        }
    }
    out
}

/// The Service listens on 80 or 443 for HTTP(S), on the container's port otherwise. gRPC is
/// HTTP/2: in clear text `kubernetes.io/h2c`; over TLS (the service has a certificate)
/// `https`, the IANA name under which TLS clients negotiate HTTP/2.
pub(super) fn service_port(service: &Service) -> ServicePort {
    let tls = service.tls.mode != TlsMode::None;
    ServicePort {
        port: match service.protocol {
            Protocol::Http => 80,
            Protocol::Https => 443,
            Protocol::Grpc | Protocol::Tcp => service.port,
        },
        target_port_name: port_name(service.protocol),
        app_protocol: match service.protocol {
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Grpc if tls => "https",
            Protocol::Grpc => "kubernetes.io/h2c",
            Protocol::Tcp => "tcp",
        },
    }
}

fn app_peer(app: &AppRef) -> PodPeer {
    PodPeer {
        namespace: app.namespace.clone(),
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

pub(super) fn network(service: &Service, preset: &Preset, d: &mut Decisions) -> Network {
    d.add(
        "default-deny",
        format!(
            "namespace `{}` denies all ingress and egress unless a policy allows it",
            service.namespace
        ),
        "always",
    );
    let mut ingress_from = Vec::new();
    for caller in &service.callers {
        let decision = d.add(
            "caller",
            format!(
                "admit {}/{} on port {}",
                caller.namespace, caller.app, service.port
            ),
            "spec.callers",
        );
        ingress_from.push(Admitted {
            peer: app_peer(caller),
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
        };
        let decision = d.add(
            "ingress-controller",
            format!(
                "admit {what} (pods labelled {} in namespace {}) on port {}, and no other pod on the public path",
                label_text(&pods.labels),
                pods.namespace,
                service.port
            ),
            "exposure: public",
        );
        ingress_from.push(Admitted {
            peer: PodPeer {
                namespace: pods.namespace.clone(),
                pod_labels: pods.labels.clone(),
            },
            decision,
        });
    }
    if ingress_from.is_empty() {
        d.add(
            "no-callers",
            "no pod may connect to the service (no callers declared)",
            format!("exposure: {}, no callers", service.exposure.as_str()),
        );
    }
    let dns = PodPeer {
        namespace: preset.dns.namespace.clone(),
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
        pod: Some(dns),
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
        let ports = vec![PortRule {
            protocol: transport(dest.transport),
            port: dest.port,
        }];
        match &dest.target {
            Target::App(app) => {
                let decision = d.add(
                    "egress-app",
                    format!(
                        "allow egress to {}/{} on port {}",
                        app.namespace, app.app, dest.port
                    ),
                    "spec.egress",
                );
                egress.push(EgressRule {
                    pod: Some(app_peer(app)),
                    cidr: None,
                    except: vec![],
                    ports,
                    decision,
                });
            }
            Target::Cidr(cidr) => {
                let except = implied_exceptions(cidr, preset);
                let carved = except.iter().any(|r| {
                    r.parse::<Cidr>()
                        .is_ok_and(|r| r.contains_addr(METADATA_ADDRESS))
                });
                if cidr.contains_addr(METADATA_ADDRESS) && !carved {
                    d.warn(
                        "metadata-egress",
                        format!("spec.egress allows {cidr} on port {}, which holds the cloud metadata service 169.254.169.254: any process of the pod can fetch the node's cloud credentials there; remove it unless the service needs them (prefer workload identity)", dest.port),
                    );
                }
                let carve = if except.is_empty() {
                    String::new()
                } else {
                    format!(", except {}", except.join(", "))
                };
                let decision = d.add(
                    "egress-cidr",
                    format!("allow egress to {cidr} on port {}{carve}", dest.port),
                    "spec.egress",
                );
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
        let decision = d.add(
            "api-server-egress",
            format!(
                "allow egress to the API server at {} on port(s) {}",
                api.cidrs.join(", "),
                api.ports
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "spec.apiAccess",
        );
        for cidr in &api.cidrs {
            egress.push(EgressRule {
                pod: None,
                cidr: Some(cidr.clone()),
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
        port: service.port,
        egress,
    }
}

fn label_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
