//! The public entry: which API carries it (Gateway API routes or an Ingress), the Gateway or
//! IngressClass, the pods of the public path, and each limit at the door checked against
//! what that entry can enforce: a limit the spec asks for that it cannot is an error naming
//! what can; one the preset sets is left out, and said so.

use std::collections::BTreeMap;

use super::network::app_ref;
use super::problems::Problems;
use super::service::{Entry, GatewayEntry, Limits, Pods, PublicIngress, Unenforced};
use super::tls::check_issuer;
use crate::preset::{GatewayImplementation, IngressDefaults};
use crate::spec::cidr::Cidr;
use crate::spec::names::{byte_size, dns_label, dns_subdomain};
use crate::spec::{
    self, EntryApi, Exposure, Protocol, RateLimitSpec, RouteTermination, TimeoutsSpec, TlsMode,
};
use crate::vocabulary::NAME_LABEL;

/// The labels Envoy Gateway puts on the proxies of one Gateway.
pub const ENVOY_GATEWAY_OWNER_LABELS: [&str; 2] = [
    "gateway.envoyproxy.io/owning-gateway-name",
    "gateway.envoyproxy.io/owning-gateway-namespace",
];

/// What the service speaks and how, as far as the entry cares.
pub(super) struct Backend {
    pub(super) exposure: Exposure,
    pub(super) protocol: Protocol,
    pub(super) tls_mode: TlsMode,
    /// Whether the service requires client certificates (`tls.clientAuth: required`).
    pub(super) client_auth: bool,
}

pub(super) fn validate_ingress(
    p: &mut Problems,
    ingress: Option<&spec::IngressSpec>,
    backend: &Backend,
    defaults: &IngressDefaults,
) -> Option<PublicIngress> {
    if backend.exposure != Exposure::Public {
        if ingress.is_some() {
            p.add(
                "spec.ingress",
                "is only used with `exposure: public`: remove it or change the exposure",
            );
        }
        return None;
    }
    let Some(ingress) = ingress else {
        p.add(
            "spec.ingress",
            "is required with `exposure: public`: give at least `host`",
        );
        return None;
    };
    let host = p
        .required(
            "spec.ingress.host",
            &ingress.host,
            "the public host name, e.g. shop.example.com",
        )
        .and_then(|h| p.check("spec.ingress.host", dns_subdomain(h).map(|_| h.clone())));
    let entry = match ingress.api.unwrap_or(defaults.api) {
        EntryApi::Route => route_entry(p, ingress, backend),
        EntryApi::Gateway => gateway_entry(p, ingress, backend, defaults),
        EntryApi::Ingress => ingress_entry(p, ingress, defaults),
    };
    let controller = controller(p, ingress, entry.as_ref(), defaults);
    let issuer = ingress.issuer.as_ref().filter(|issuer| {
        check_issuer(
            p,
            "spec.ingress.issuer",
            issuer,
            "of the public host's certificate",
        )
    });
    let entry = entry?;
    let mut unenforced = Vec::new();
    let limits = limits(
        p,
        ingress,
        &entry,
        backend.protocol,
        defaults,
        &mut unenforced,
    );
    Some(PublicIngress {
        host: host?,
        issuer: issuer.cloned(),
        entry,
        controller: controller?,
        limits,
        unenforced,
    })
}

fn gateway_entry(
    p: &mut Problems,
    ingress: &spec::IngressSpec,
    backend: &Backend,
    defaults: &IngressDefaults,
) -> Option<Entry> {
    if ingress.class_name.is_some() {
        let why = match ingress.api {
            Some(_) => "is only used with `api: ingress`: a Gateway API route has no IngressClass; name the Gateway in `spec.ingress.gateway`".to_string(),
            None => "the preset's public entry is Gateway API (`api: gateway`), which has no IngressClass: remove `className` to route through the Gateway, or set `api: ingress` to keep an Ingress (class nginx is ingress-nginx, retired in March 2026: no security fixes)".to_string(),
        };
        p.add("spec.ingress.className", why);
    }
    if backend.protocol == Protocol::Tcp {
        p.add(
            "spec.protocol",
            "`tcp` cannot be routed through a Gateway by Gateway API's standard routes (HTTPRoute, GRPCRoute): use http, https or grpc, or `spec.ingress.api: ingress`",
        );
    }
    let preset = &defaults.gateway;
    let given = ingress.gateway.clone().unwrap_or_default();
    let name = given.name.unwrap_or_else(|| preset.name.clone());
    let namespace = given.namespace.unwrap_or_else(|| preset.namespace.clone());
    let section_name = given
        .section_name
        .unwrap_or_else(|| preset.section_name.clone());
    let name = p.check(
        "spec.ingress.gateway.name",
        dns_subdomain(&name).map(|_| name.clone()),
    );
    let namespace = p.check(
        "spec.ingress.gateway.namespace",
        dns_label(&namespace).map(|_| namespace.clone()),
    );
    let section_name = p.check(
        "spec.ingress.gateway.sectionName",
        dns_subdomain(&section_name).map(|_| section_name.clone()),
    );
    let (name, namespace, section_name) = (name?, namespace?, section_name?);
    // The preset knows the listeners of its own Gateway only.
    let http_section_name = (name == preset.name && namespace == preset.namespace)
        .then(|| preset.http_section_name.clone())
        .flatten()
        .filter(|http| *http != section_name);
    if backend.tls_mode == TlsMode::CertManager
        && preset.implementation == GatewayImplementation::Other
    {
        p.add(
            "spec.tls.mode",
            "with `api: gateway` the Gateway verifies the service's certificate (BackendTLSPolicy) with a CA bundle in a ConfigMap, which kubeward fills only for the CAs it knows (`self-signed`, `ca`); Envoy Gateway (the preset's ingress.gateway.implementation: envoy-gateway) reads cert-manager's `ca.crt` from the certificate's Secret",
        );
    }
    Some(Entry::Gateway(GatewayEntry {
        name,
        namespace,
        section_name,
        http_section_name,
        implementation: preset.implementation,
    }))
}

/// An OpenShift Route: where its TLS ends, never unencrypted, and nothing of the other entries.
fn route_entry(p: &mut Problems, ingress: &spec::IngressSpec, backend: &Backend) -> Option<Entry> {
    for (field, given, what) in [
        ("gateway", ingress.gateway.is_some(), "a Gateway"),
        ("className", ingress.class_name.is_some(), "an IngressClass"),
        (
            "controller",
            ingress.controller.is_some(),
            "a controller of your choosing: the router is admitted by the label of its namespaces (the preset's ingress.router)",
        ),
    ] {
        if given {
            p.add(
                format!("spec.ingress.{field}"),
                format!("is not used with `api: route`: an OpenShift Route has no {what}"),
            );
        }
    }
    let tls = backend.tls_mode != TlsMode::None;
    let termination = match ingress.termination {
        Some(t) => t,
        // The router forwards other TCP only unopened, by the SNI of its TLS, and presents no
        // client certificate to a service that requires one: the client must reach it.
        None if tls && (backend.protocol == Protocol::Tcp || backend.client_auth) => {
            RouteTermination::Passthrough
        }
        None if tls => RouteTermination::Reencrypt,
        None => RouteTermination::Edge,
    };
    if termination == RouteTermination::Passthrough && ingress.issuer.is_some() {
        p.add(
            "spec.ingress.issuer",
            "with termination passthrough the router never opens the TLS connection, so it presents no certificate of its own: clients see the service's (spec.tls; tls.mode cert-manager with a public issuer gives the host a certificate they trust)",
        );
    }
    let field = "spec.ingress.termination";
    let problem = match (termination, tls, backend.protocol) {
        (RouteTermination::Edge, true, _) => Some(
            "`edge` sends plain HTTP to the service, which speaks TLS (spec.tls): use `reencrypt` or `passthrough`".to_string(),
        ),
        (RouteTermination::Reencrypt | RouteTermination::Passthrough, false, _) => Some(format!(
            "`{}` needs the service to speak TLS: set spec.tls (or protocol https), or use `edge`",
            termination.as_str()
        )),
        (RouteTermination::Reencrypt, true, _) if backend.tls_mode == TlsMode::CertManager => Some(
            "`reencrypt` writes the CA that signed the service's certificate into the Route (destinationCACertificate), and cert-manager's CA is not known at render time: use tls.mode self-signed or ca, or `passthrough`".to_string(),
        ),
        (RouteTermination::Edge | RouteTermination::Reencrypt, _, Protocol::Tcp) => Some(
            "protocol tcp is not HTTP: the router forwards it only as `passthrough` (TLS with SNI)".to_string(),
        ),
        (RouteTermination::Reencrypt, true, _) if backend.client_auth => Some(
            "the service requires client certificates (spec.tls.clientAuth), and the router presents none when it re-encrypts: use `passthrough`, where the client's own certificate reaches the service".to_string(),
        ),
        (RouteTermination::Edge, false, Protocol::Grpc) => Some(
            "the router speaks HTTP/1.1 to a plain-text backend, which gRPC cannot use: give the service TLS (spec.tls) for `reencrypt` (HTTP/2 when the IngressController enables it) or `passthrough`".to_string(),
        ),
        _ => None,
    };
    match problem {
        Some(problem) => {
            p.add(field, problem);
            None
        }
        None => Some(Entry::Route { termination }),
    }
}

fn ingress_entry(
    p: &mut Problems,
    ingress: &spec::IngressSpec,
    defaults: &IngressDefaults,
) -> Option<Entry> {
    if ingress.gateway.is_some() {
        p.add(
            "spec.ingress.gateway",
            "is only used with `api: gateway`: an Ingress is served by its IngressClass (`className`)",
        );
    }
    let class_name = ingress
        .class_name
        .clone()
        .unwrap_or_else(|| defaults.class_name.clone());
    p.check(
        "spec.ingress.className",
        dns_subdomain(&class_name).map(|_| Entry::Ingress {
            class_name: class_name.clone(),
        }),
    )
}

/// The pods of the public path: the spec's, or the preset's for the entry; Envoy Gateway's
/// proxies of this Gateway only.
fn controller(
    p: &mut Problems,
    ingress: &spec::IngressSpec,
    entry: Option<&Entry>,
    defaults: &IngressDefaults,
) -> Option<Pods> {
    let field = "spec.ingress.controller";
    let mut pods = match (&ingress.controller, entry) {
        (Some(given), _) => {
            if given.namespace.is_none() {
                p.add(
                    format!("{field}.namespace"),
                    "is required: the namespace the pods of the public path run in",
                );
                return None;
            }
            let app = app_ref(p, field, &given.app, &given.namespace, "")?;
            Pods {
                namespace: app.namespace,
                namespace_labels: None,
                labels: BTreeMap::from([(NAME_LABEL.to_string(), app.app)]),
            }
        }
        (None, Some(Entry::Gateway(_))) => Pods {
            namespace: defaults.gateway.controller.namespace.clone(),
            namespace_labels: None,
            labels: defaults.gateway.controller.pod_labels.clone(),
        },
        (None, Some(Entry::Route { .. })) => Pods {
            namespace: defaults.router.namespace.clone(),
            namespace_labels: Some(defaults.router.namespace_labels.clone()),
            labels: BTreeMap::new(),
        },
        (None, _) => Pods {
            namespace: defaults.controller.namespace.clone(),
            namespace_labels: None,
            labels: BTreeMap::from([(NAME_LABEL.to_string(), defaults.controller.app.clone())]),
        },
    };
    if let Some(Entry::Gateway(gateway)) = entry
        && gateway.implementation == GatewayImplementation::EnvoyGateway
    {
        let [name, namespace] = ENVOY_GATEWAY_OWNER_LABELS;
        pods.labels.insert(name.to_string(), gateway.name.clone());
        pods.labels
            .insert(namespace.to_string(), gateway.namespace.clone());
    }
    Some(pods)
}

/// Whether the entry carried by `api` (an Ingress of `class_name`, or a Gateway run by
/// `implementation`) enforces the limit at the spec field `field` for a service speaking
/// `protocol`: what `init` asks about.
pub fn entry_enforces(
    api: EntryApi,
    class_name: &str,
    implementation: GatewayImplementation,
    protocol: Protocol,
    field: &str,
) -> bool {
    let entry = match api {
        EntryApi::Ingress => Entry::Ingress {
            class_name: class_name.to_string(),
        },
        EntryApi::Gateway => Entry::Gateway(GatewayEntry {
            name: String::new(),
            namespace: String::new(),
            section_name: String::new(),
            http_section_name: None,
            implementation,
        }),
        EntryApi::Route => Entry::Route {
            termination: RouteTermination::Edge,
        },
    };
    LIMITS
        .iter()
        .find(|l| l.field() == field)
        .is_some_and(|l| enforced(*l, &entry, protocol).is_ok())
}

/// Every limit, in the order of the spec.
const LIMITS: [Limit; 6] = [
    Limit::Rate,
    Limit::Connections,
    Limit::BodySize,
    Limit::RequestTimeout,
    Limit::BackendTimeout,
    Limit::SourceRanges,
];

/// The limits kinds the entries tell apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Limit {
    Rate,
    Connections,
    BodySize,
    RequestTimeout,
    BackendTimeout,
    SourceRanges,
}

impl Limit {
    fn field(self) -> &'static str {
        match self {
            Limit::Rate => "spec.ingress.rateLimit",
            Limit::Connections => "spec.ingress.rateLimit.connections",
            Limit::BodySize => "spec.ingress.maxBodySize",
            Limit::RequestTimeout => "spec.ingress.timeouts.request",
            Limit::BackendTimeout => "spec.ingress.timeouts.backendRequest",
            Limit::SourceRanges => "spec.ingress.sourceRanges",
        }
    }
}

/// Whether `entry` enforces `limit` for a service speaking `protocol`; if not, why, and what
/// does.
fn enforced(limit: Limit, entry: &Entry, protocol: Protocol) -> Result<(), String> {
    let grpc = protocol == Protocol::Grpc;
    match entry {
        Entry::Gateway(gateway) => match (gateway.implementation, limit) {
            (_, Limit::RequestTimeout | Limit::BackendTimeout) if !grpc => Ok(()),
            (GatewayImplementation::EnvoyGateway, Limit::BackendTimeout) => Err(
                "a GRPCRoute has no timeouts in Gateway API, and Envoy Gateway has no per-try timeout for it: leave it out (timeouts.request is enforced by Envoy Gateway's BackendTrafficPolicy)".into(),
            ),
            (GatewayImplementation::EnvoyGateway, Limit::BodySize) if grpc => Err(
                "Envoy Gateway enforces a body size by buffering whole requests, which breaks gRPC streaming: leave it out and limit the message size in the gRPC server (e.g. grpc.MaxRecvMsgSize)".into(),
            ),
            (GatewayImplementation::EnvoyGateway, _) => Ok(()),
            (GatewayImplementation::Other, _) => Err(format!(
                "Gateway API has no standard field for it{}, and the preset's Gateway implementation is `other`: kubeward renders it as Envoy Gateway policy (the preset's ingress.gateway.implementation: envoy-gateway)",
                if grpc && matches!(limit, Limit::RequestTimeout | Limit::BackendTimeout) {
                    " on a GRPCRoute"
                } else {
                    ""
                }
            )),
        },
        Entry::Ingress { class_name } if class_name == "nginx" => match limit {
            Limit::RequestTimeout | Limit::BackendTimeout => Err(
                "ingress-nginx has no whole-request timeout (proxy-read-timeout only bounds the wait between two reads): use `api: gateway`, whose route timeouts bound the whole request".into(),
            ),
            _ => Ok(()),
        },
        Entry::Ingress { class_name } => Err(format!(
            "kubeward knows no annotation of the IngressClass `{class_name}` for it: use `api: gateway` with Envoy Gateway, or set it on the controller yourself"
        )),
        Entry::Route { .. } => match limit {
            Limit::Connections | Limit::SourceRanges => Ok(()),
            Limit::Rate => Err(
                "the OpenShift router counts a client's HTTP requests over a window of its own (haproxy.router.openshift.io/rate-limit-connections.rate-http), not per second: leave it out and limit concurrent connections per client (rateLimit.connections), or annotate the Route yourself".into(),
            ),
            Limit::BodySize => Err(
                "the OpenShift router has no request body limit: limit it in the service".into(),
            ),
            Limit::RequestTimeout | Limit::BackendTimeout => Err(
                "the OpenShift router's haproxy.router.openshift.io/timeout bounds the wait for the service between two reads, not the whole request: leave it out".into(),
            ),
        },
    }
}

/// One limit: the spec's value when it gives one (an error when the entry cannot enforce
/// it), else the preset's where the entry enforces it (recorded as unenforced otherwise).
struct Resolver<'a> {
    entry: &'a Entry,
    protocol: Protocol,
    unenforced: &'a mut Vec<Unenforced>,
    from_spec: Vec<&'static str>,
}

impl Resolver<'_> {
    fn pick<T>(
        &mut self,
        p: &mut Problems,
        limit: Limit,
        given: Option<T>,
        preset: Option<T>,
    ) -> Option<T> {
        let verdict = enforced(limit, self.entry, self.protocol);
        match (given, preset, verdict) {
            (Some(value), _, Ok(())) => {
                self.from_spec.push(limit.field());
                Some(value)
            }
            (Some(_), _, Err(why)) => {
                p.add(
                    limit.field(),
                    format!("this entry cannot enforce it: {why}"),
                );
                None
            }
            (None, Some(value), Ok(())) => Some(value),
            (None, Some(_), Err(why)) => {
                self.unenforced.push(Unenforced {
                    field: limit.field(),
                    why,
                });
                None
            }
            (None, None, _) => None,
        }
    }
}

fn limits(
    p: &mut Problems,
    ingress: &spec::IngressSpec,
    entry: &Entry,
    protocol: Protocol,
    defaults: &IngressDefaults,
    unenforced: &mut Vec<Unenforced>,
) -> Limits {
    let mut resolver = Resolver {
        entry,
        protocol,
        unenforced,
        from_spec: Vec::new(),
    };
    let rate_given = ingress.rate_limit.as_ref();
    if let Some(rate) = rate_given {
        for (key, message) in rate.problems() {
            p.add(format!("spec.ingress.rateLimit.{key}"), message);
        }
    }
    let keep = |rate: Option<&RateLimitSpec>| {
        rate.filter(|r| r.requests_per_second.is_some() || r.burst.is_some())
            .map(|r| (r.requests_per_second, r.burst))
    };
    let (requests_per_second, burst) = resolver
        .pick(
            p,
            Limit::Rate,
            keep(rate_given),
            keep(defaults.rate_limit.as_ref()),
        )
        .unwrap_or_default();
    let connections = resolver.pick(
        p,
        Limit::Connections,
        rate_given.and_then(|r| r.connections),
        defaults.rate_limit.as_ref().and_then(|r| r.connections),
    );
    let as_u32 = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    let (requests_per_second, burst, connections) = (
        as_u32(requests_per_second),
        as_u32(burst),
        as_u32(connections),
    );
    if let (Entry::Ingress { .. }, Some(rate), Some(burst)) = (entry, requests_per_second, burst)
        && burst % rate != 0
    {
        p.add(
            "spec.ingress.rateLimit.burst",
            format!("ingress-nginx takes a burst as a whole multiple of requestsPerSecond ({rate}): {burst} is not one"),
        );
    }
    if let Some(size) = &ingress.max_body_size {
        p.check("spec.ingress.maxBodySize", byte_size(size));
    }
    let max_body_size = resolver
        .pick(
            p,
            Limit::BodySize,
            ingress.max_body_size.clone(),
            defaults.max_body_size.clone(),
        )
        .and_then(|size| byte_size(&size).ok().map(|bytes| (size, bytes)));
    let timeouts_given = ingress.timeouts.as_ref();
    if let Some(timeouts) = timeouts_given {
        for (key, message) in timeouts.problems() {
            p.add(format!("spec.ingress.timeouts.{key}"), message);
        }
    }
    let timeout = |t: Option<&TimeoutsSpec>, backend: bool| {
        t.and_then(|t| match backend {
            true => t.backend_request.clone(),
            false => t.request.clone(),
        })
    };
    let preset_timeouts = defaults.timeouts.as_ref();
    let request_timeout = resolver.pick(
        p,
        Limit::RequestTimeout,
        timeout(timeouts_given, false),
        timeout(preset_timeouts, false),
    );
    // The preset's backend timeout pairs with its own request timeout only.
    let preset_backend = timeout(preset_timeouts, true).filter(|_| {
        timeout(timeouts_given, false).is_none_or(|r| Some(r) == timeout(preset_timeouts, false))
    });
    let backend_request_timeout = resolver.pick(
        p,
        Limit::BackendTimeout,
        timeout(timeouts_given, true),
        preset_backend,
    );
    let mut source_ranges: Vec<Cidr> = Vec::new();
    for (i, range) in ingress.source_ranges.iter().enumerate() {
        if let Some(cidr) = p.check(
            format!("spec.ingress.sourceRanges[{i}]"),
            range.parse::<Cidr>(),
        ) && !source_ranges.contains(&cidr)
        {
            source_ranges.push(cidr);
        }
    }
    let source_ranges = resolver
        .pick(
            p,
            Limit::SourceRanges,
            (!source_ranges.is_empty()).then_some(source_ranges),
            None,
        )
        .unwrap_or_default();
    Limits {
        requests_per_second,
        burst: burst.or(requests_per_second),
        connections,
        max_body_size,
        request_timeout,
        backend_request_timeout,
        source_ranges,
        from_spec: resolver.from_spec,
    }
}
