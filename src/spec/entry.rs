//! The public entry as a user writes it (`spec.ingress`): the host, which API carries it
//! (Gateway API routes or an Ingress), where the entry's pods run, and the limits it
//! enforces at the door.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::{CallerSpec, IssuerRef};

/// The pattern of a Gateway API duration, e.g. `30s`, `1m30s` or `500ms`.
pub const DURATION_PATTERN: &str = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("required" = ["host"]))]
pub struct IngressSpec {
    /// The public host name, e.g. `shop.example.com`; the entry serves it over TLS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Which API carries the public entry: `gateway` (Gateway API routes attached to a
    /// Gateway's HTTPS listener), `ingress` (a `networking.k8s.io/v1` Ingress, for
    /// clusters that run an Ingress controller) or `route` (an OpenShift Route). Default from
    /// the preset (`gateway`; `route` for the `openshift` preset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<EntryApi>,
    /// The Gateway the routes attach to (`api: gateway`). Each key defaults from the preset
    /// (`gateway-system/public`, listener `https`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<GatewayRefSpec>,
    /// Where the Route's TLS ends (`api: route`): `edge` (at the router, for a plain-HTTP
    /// service), `reencrypt` (the router verifies the service's certificate with its CA and
    /// speaks TLS to it) or `passthrough` (the router forwards the TLS connection unopened,
    /// by its SNI; the service's own certificate is the one clients see). Default: `edge` for
    /// a service without TLS, `reencrypt` for one with it, `passthrough` for protocol `tcp`
    /// and for a service that requires client certificates. Never unencrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<RouteTermination>,
    /// The IngressClass (`api: ingress`). Default from the preset (`nginx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// Where the pods of the public path run (the Gateway's data plane, or the Ingress
    /// controller); only their traffic is admitted on the public path. Both `app` and
    /// `namespace` are required here. Default from the preset: Envoy Gateway's proxies of
    /// the Gateway (`api: gateway`), `ingress-nginx/ingress-nginx` (`api: ingress`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("required" = ["app", "namespace"]))]
    pub controller: Option<CallerSpec>,
    /// The cert-manager issuer of the public host's certificate, for instance an ACME
    /// (Let's Encrypt) `ClusterIssuer`, whose certificates browsers trust; the service's own
    /// certificate still comes from `spec.tls`. An HTTP-01 issuer's solver pod is not admitted
    /// through the namespace's default deny: add that policy, or use DNS-01. With
    /// `api: gateway` the certificate is for the Gateway's listener, which must reference it;
    /// with `api: route` the Route references its Secret (`tls.externalCertificate`, OpenShift
    /// 4.19 or later) and the router's ServiceAccount may read that Secret alone. Default: with
    /// `api: ingress` the public host's certificate comes from where the service's own does;
    /// with `api: gateway` the Gateway's listener brings its own; with `api: route` the
    /// router serves its default (wildcard) certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<IssuerRef>,
    /// Only clients from these address ranges reach the service through the entry, e.g.
    /// `[203.0.113.0/24]`. Default: every client.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_ranges: Vec<String>,
    /// How many requests and connections one client address may make. Default from the
    /// preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitSpec>,
    /// The largest request body the entry accepts, a quantity in bytes such as `1Mi` or
    /// `512Ki`; larger requests get `413`. Default from the preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern("^[1-9][0-9]*([KMGTPE]i|[kMGTPE])?$"))]
    pub max_body_size: Option<String>,
    /// How long the entry waits for the service. Default from the preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<TimeoutsSpec>,
}

/// The API that carries the public entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryApi {
    /// Gateway API (`gateway.networking.k8s.io/v1`): an HTTPRoute, or a GRPCRoute for gRPC.
    Gateway,
    /// A `networking.k8s.io/v1` Ingress for an Ingress controller.
    Ingress,
    /// An OpenShift Route (`route.openshift.io/v1`) served by the platform's router.
    Route,
}

impl EntryApi {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryApi::Gateway => "gateway",
            EntryApi::Ingress => "ingress",
            EntryApi::Route => "route",
        }
    }
}

/// Where an OpenShift Route's TLS ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RouteTermination {
    /// At the router; plain HTTP from the router to the service, HTTP redirected to HTTPS.
    Edge,
    /// At the router, which opens a new TLS connection to the service and verifies it.
    Reencrypt,
    /// At the service: the router forwards the TLS connection by its SNI.
    Passthrough,
}

impl RouteTermination {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteTermination::Edge => "edge",
            RouteTermination::Reencrypt => "reencrypt",
            RouteTermination::Passthrough => "passthrough",
        }
    }
}

/// A Gateway and the listener of it that the routes attach to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayRefSpec {
    /// The Gateway's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The Gateway's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The name of the Gateway's HTTPS listener: the only one the service's route attaches to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

/// Limits per client address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RateLimitSpec {
    /// Requests per second one client address may make, sustained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100000))]
    pub requests_per_second: Option<i64>,
    /// Requests one client address may make at once, at least `requestsPerSecond`. Default:
    /// `requestsPerSecond`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000000))]
    pub burst: Option<i64>,
    /// Concurrent connections: per client address on ingress-nginx, to the service from each
    /// Envoy on Envoy Gateway (see the book's "Surviving load").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000000))]
    pub connections: Option<i64>,
}

/// How long the entry waits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TimeoutsSpec {
    /// The longest a client waits for the whole response, retries included, e.g. `30s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(DURATION_PATTERN))]
    pub request: Option<String>,
    /// The longest one request from the entry to the service may take, at most `request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(DURATION_PATTERN))]
    pub backend_request: Option<String>,
}

impl RateLimitSpec {
    /// What is wrong with these limits, each with the key it is about (`requestsPerSecond`,
    /// `burst`, `connections`).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut positive = |key: &'static str, value: Option<i64>, max: i64| {
            if let Some(value) = value
                && !(1..=max).contains(&value)
            {
                out.push((key, format!("{value} is out of range: use 1-{max}")));
            }
        };
        positive("requestsPerSecond", self.requests_per_second, 100_000);
        positive("burst", self.burst, 1_000_000);
        positive("connections", self.connections, 1_000_000);
        match (self.requests_per_second, self.burst) {
            (None, Some(_)) => out.push((
                "burst",
                "needs requestsPerSecond: a burst is allowed above a sustained rate".to_string(),
            )),
            (Some(rate), Some(burst)) if burst < rate => out.push((
                "burst",
                format!("{burst} is below requestsPerSecond {rate}: a burst is at least the rate"),
            )),
            _ => {}
        }
        out
    }
}

impl TimeoutsSpec {
    /// What is wrong with these timeouts, each with the key it is about.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut read = |key: &'static str, value: &Option<String>| {
            value.as_deref().and_then(|v| {
                super::names::duration(v)
                    .map_err(|e| out.push((key, e)))
                    .ok()
            })
        };
        let request = read("request", &self.request);
        let backend = read("backendRequest", &self.backend_request);
        if let (Some(request), Some(backend)) = (request, backend)
            && backend > request
        {
            out.push((
                "backendRequest",
                format!(
                    "`{}` is longer than request `{}`: one try cannot outlast the whole request",
                    self.backend_request.as_deref().unwrap_or_default(),
                    self.request.as_deref().unwrap_or_default()
                ),
            ));
        }
        out
    }
}
