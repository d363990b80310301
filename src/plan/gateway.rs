//! The public entry on Gateway API (`api: gateway`): an HTTPRoute (a GRPCRoute for gRPC)
//! for the host, attached to the Gateway's HTTPS listener only; a redirect of the host to
//! HTTPS on its plain-HTTP listener; a BackendTLSPolicy that verifies the service's
//! certificate; the public host's certificate when an issuer is named, with the one
//! ReferenceGrant the listener needs to read it; and, for Envoy Gateway, the policies for the
//! limits Gateway API has no field for.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::limits::{self, Limit};
use super::tls::{CertPlan, cert_plan, issued_by, source_text};
use crate::preset::{GatewayImplementation, Preset};
use crate::spec::{Protocol, TlsMode};
use crate::validate::{Entry, GatewayEntry, PublicIngress, Service};
use crate::vocabulary::{IGNORE_ANNOTATION, UNLIMITED_PUBLIC_ENTRY};

#[derive(Debug, Clone, Serialize)]
pub struct Gateway {
    /// `HTTPRoute`, or `GRPCRoute` for gRPC.
    pub route_kind: &'static str,
    pub host: String,
    /// The HTTPS listener the route attaches to.
    pub parent: ParentRef,
    /// The plain-HTTP listener where the host is redirected to HTTPS, if the Gateway has one.
    pub redirect: Option<ParentRef>,
    /// The Service port the route sends to.
    pub backend_port: u16,
    /// Gateway API's own timeouts (HTTPRoute only).
    pub timeouts: Option<RouteTimeouts>,
    /// How the Gateway verifies the service's certificate, when the service speaks TLS.
    pub backend_tls: Option<BackendTls>,
    /// The public host's certificate, when an issuer is named for it.
    pub cert: Option<CertPlan>,
    /// The ReferenceGrant that lets the Gateway's listener read that certificate's Secret.
    pub reference_grant: Option<ReferenceGrant>,
    /// Envoy Gateway's BackendTrafficPolicy for rate, connection and body-size limits.
    pub traffic_policy: Option<TrafficPolicy>,
    /// Envoy Gateway's SecurityPolicy that admits only the client ranges.
    pub client_cidrs: Vec<String>,
    /// Annotations of the route (recorded departures).
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentRef {
    pub name: String,
    pub namespace: String,
    pub section_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteTimeouts {
    pub request: Option<String>,
    pub backend_request: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackendTls {
    /// The name the Gateway sends as SNI and verifies in the service's certificate.
    pub hostname: String,
    /// `ConfigMap` (kubeward's CA bundle, in the bundle) or `Secret` (cert-manager's
    /// `ca.crt`, read by Envoy Gateway).
    pub ca_kind: &'static str,
    pub ca_name: String,
    /// Whether the bundle holds the ConfigMap (kubeward knows the CA).
    pub renders_config_map: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceGrant {
    pub name: String,
    /// The namespace of the Gateways that may read the Secret.
    pub from_namespace: String,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficPolicy {
    /// Local rate limit rules, each per client address.
    pub rate_rules: Vec<RateRule>,
    /// Circuit breaker: connections and requests in flight from each Envoy to the service.
    pub connections: Option<u32>,
    /// The request buffer limit (body size), e.g. `1Mi`.
    pub body_limit: Option<String>,
    /// The request timeout, where the route has no timeouts of its own (GRPCRoute).
    pub request_timeout: Option<String>,
}

/// One rule of Envoy Gateway's local rate limit: `requests` per `unit` for each client
/// address in `cidr` (`Distinct`); `every_path` makes its descriptor differ from a rule with
/// the same range (Envoy refuses two identical descriptors), matching every request still.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateRule {
    pub cidr: &'static str,
    pub requests: u64,
    pub unit: &'static str,
    pub every_path: bool,
}

/// The address ranges of every client, IPv4 and IPv6.
const EVERY_CLIENT: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// The per-client rules for a sustained `rate` a second with bursts of `burst`: Envoy's
/// buckets refill whole at each unit, so a burst above the rate is a bucket of `burst` a
/// second beside one of `60 × rate` a minute.
fn rate_rules(rate: u32, burst: u32) -> Vec<RateRule> {
    EVERY_CLIENT
        .iter()
        .flat_map(|cidr| {
            let second = RateRule {
                cidr,
                requests: u64::from(burst.max(rate)),
                unit: "Second",
                every_path: false,
            };
            let minute = (burst > rate).then(|| RateRule {
                cidr,
                requests: u64::from(rate) * 60,
                unit: "Minute",
                every_path: true,
            });
            std::iter::once(second).chain(minute)
        })
        .collect()
}

pub(super) fn gateway(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<Gateway> {
    let public = service.ingress.as_ref()?;
    let Entry::Gateway(entry) = &public.entry else {
        return None;
    };
    let envoy = entry.implementation == GatewayImplementation::EnvoyGateway;
    let grpc = service.protocol == Protocol::Grpc;
    let (route_kind, article) = if grpc {
        ("GRPCRoute", "a")
    } else {
        ("HTTPRoute", "an")
    };
    let parent = ParentRef {
        name: entry.name.clone(),
        namespace: entry.namespace.clone(),
        section_name: entry.section_name.clone(),
    };
    d.add(
        "gateway-route",
        format!(
            "{article} {route_kind} for https://{} attached only to the HTTPS listener `{}` of Gateway {}/{}, to the Service's port",
            public.host, entry.section_name, entry.namespace, entry.name
        ),
        "exposure: public, spec.ingress.api: gateway",
    );
    let redirect = redirect(entry, grpc, &public.host, d);
    let backend_tls = backend_tls(service, entry, d);
    let (cert, reference_grant) = certificate(service, preset, public, entry, d);
    let l = &public.limits;
    let timeouts = (!grpc && (l.request_timeout.is_some() || l.backend_request_timeout.is_some()))
        .then(|| RouteTimeouts {
            request: l.request_timeout.clone(),
            backend_request: l.backend_request_timeout.clone(),
        });
    let traffic_policy = envoy
        .then(|| TrafficPolicy {
            rate_rules: l
                .requests_per_second
                .map(|rate| rate_rules(rate, l.burst.unwrap_or(rate)))
                .unwrap_or_default(),
            connections: l.connections,
            body_limit: l.max_body_size.as_ref().map(|(size, _)| size.clone()),
            request_timeout: l.request_timeout.clone().filter(|_| grpc),
        })
        .filter(|p| {
            !p.rate_rules.is_empty()
                || p.connections.is_some()
                || p.body_limit.is_some()
                || p.request_timeout.is_some()
        });
    let client_cidrs: Vec<String> = l.source_ranges.iter().map(|c| c.to_string()).collect();
    let mut annotations = BTreeMap::new();
    if !l.sheds_load() {
        annotations.insert(
            IGNORE_ANNOTATION.to_string(),
            format!(
                "{UNLIMITED_PUBLIC_ENTRY}=no rate or connection limit: {}",
                match envoy {
                    true => "none is set for this service",
                    false => "Gateway API has none, and the preset's Gateway implementation is not Envoy Gateway; set them on the Gateway's implementation",
                }
            ),
        );
    }
    limits::record(d, public, |limit| {
        match limit {
        Limit::Rate => "Envoy Gateway's local rate limit (BackendTrafficPolicy), a bucket per client address in each Envoy replica: excess requests get 429".into(),
        Limit::Connections => "from each Envoy replica to the service, all clients together (BackendTrafficPolicy circuitBreaker: maxConnections and maxParallelRequests); more wait in Envoy's queue, then get 503".into(),
        Limit::BodySize => "Envoy Gateway buffers each request up to this size (BackendTrafficPolicy requestBuffer); larger ones get 413".into(),
        Limit::Timeouts if grpc => "Envoy Gateway's request timeout (BackendTrafficPolicy timeout.http.requestTimeout); a GRPCRoute has no timeouts of its own".into(),
        Limit::Timeouts => format!("the {route_kind}'s own timeouts (Gateway API); the client gets 504 when they run out"),
        Limit::SourceRanges => "Envoy Gateway's SecurityPolicy authorization: clients from other addresses get 403 (the address Envoy sees: keep the client's address up to the Gateway)".into(),
    }
    });
    Some(Gateway {
        route_kind,
        host: public.host.clone(),
        parent,
        redirect,
        backend_port: super::network::service_port(service)
            .expect("validation refuses a public entry for a worker")
            .port,
        timeouts,
        backend_tls,
        cert,
        reference_grant,
        traffic_policy,
        client_cidrs,
        annotations,
    })
}

/// The redirect of the host to HTTPS, on the Gateway's plain-HTTP listener (an HTTPRoute
/// with no backend; gRPC clients never follow redirects, so none for them).
fn redirect(entry: &GatewayEntry, grpc: bool, host: &str, d: &mut Decisions) -> Option<ParentRef> {
    let http = entry.http_section_name.as_ref()?;
    if grpc {
        return None;
    }
    d.add(
        "https-redirect",
        format!(
            "http://{host} on the listener `{http}` of Gateway {}/{} answers only with a redirect to https:// (301), never with the service",
            entry.namespace, entry.name
        ),
        "the preset's ingress.gateway.httpSectionName",
    );
    Some(ParentRef {
        name: entry.name.clone(),
        namespace: entry.namespace.clone(),
        section_name: http.clone(),
    })
}

/// How the Gateway verifies the service's own certificate, when the service speaks TLS.
fn backend_tls(service: &Service, entry: &GatewayEntry, d: &mut Decisions) -> Option<BackendTls> {
    if service.tls.mode == TlsMode::None {
        return None;
    }
    let hostname = format!("{}.{}.svc", service.name, service.namespace);
    let (ca_kind, ca_name, renders_config_map, from) = match service.tls.mode {
        TlsMode::CertManager => (
            "Secret",
            format!("{}-tls", service.name),
            false,
            "cert-manager's ca.crt in the certificate's Secret (Envoy Gateway reads a CA from a Secret)".to_string(),
        ),
        TlsMode::SelfSigned | TlsMode::Ca => (
            "ConfigMap",
            format!("{}-ca", service.name),
            true,
            format!(
                "the CA bundle in ConfigMap `{}-ca`",
                service.name
            ),
        ),
        TlsMode::None => unreachable!("checked above"),
    };
    d.add(
        "backend-tls",
        format!(
            "a BackendTLSPolicy: the Gateway speaks TLS to the Service and verifies that its certificate is for {hostname}, signed by {from}"
        ),
        format!(
            "tls.mode {}, spec.ingress.api: gateway ({})",
            service.tls.mode.as_str(),
            match entry.implementation {
                GatewayImplementation::EnvoyGateway => "Envoy Gateway",
                GatewayImplementation::Other => "implementation other",
            }
        ),
    );
    Some(BackendTls {
        hostname,
        ca_kind,
        ca_name,
        renders_config_map,
    })
}

/// The public host's certificate: the listener's own, or one issued for it in this
/// namespace, which the listener reads through a ReferenceGrant for that Secret only.
fn certificate(
    service: &Service,
    preset: &Preset,
    public: &PublicIngress,
    entry: &GatewayEntry,
    d: &mut Decisions,
) -> (Option<CertPlan>, Option<ReferenceGrant>) {
    let listener = format!(
        "the listener `{}` of Gateway {}/{}",
        entry.section_name, entry.namespace, entry.name
    );
    let Some(issuer) = &public.issuer else {
        d.add(
            "public-certificate",
            format!(
                "{listener} terminates TLS for {} with a certificate from its own certificateRefs: it must cover the host (kubeward renders none)",
                public.host
            ),
            "spec.ingress.api: gateway, no spec.ingress.issuer",
        );
        return (None, None);
    };
    let secret_name = format!("{}-ingress-tls", service.name);
    let cert = issued_by(
        issuer,
        cert_plan(
            service,
            preset,
            secret_name.clone(),
            vec![public.host.clone()],
        ),
    );
    let grant = (entry.namespace != service.namespace).then(|| ReferenceGrant {
        name: format!("{}-gateway-tls", service.name),
        from_namespace: entry.namespace.clone(),
        secret: secret_name.clone(),
    });
    let reference = match &grant {
        Some(grant) => format!(
            "{{kind: Secret, namespace: {}, name: {secret_name}}}; a ReferenceGrant lets Gateways of {} read that Secret and nothing else",
            service.namespace, grant.from_namespace
        ),
        None => format!("{{kind: Secret, name: {secret_name}}}"),
    };
    d.add(
        "public-certificate",
        format!(
            "a {} certificate for {} in Secret `{secret_name}`; {listener} serves it once its certificateRefs list {reference}",
            source_text(cert.source),
            public.host
        ),
        "spec.ingress.issuer",
    );
    (Some(cert), grant)
}
