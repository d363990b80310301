//! The rules of load and abuse (KW-LOAD): autoscalers that can scale, on requests they can
//! measure, and a public entry that sheds floods, runs on a maintained controller and serves
//! its host over TLS only.

use serde_json::{Map, Value};

use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::{NONE, for_containers};
use crate::check::{Applies, Hits, Rule, Scanners, Severity, selector};
use crate::vocabulary::{RETIRED_INGRESS_CONTROLLER, UNLIMITED_PUBLIC_ENTRY};

const GATEWAY_API: &str = "gateway.networking.k8s.io";

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-LOAD-001",
        severity: Severity::Warning,
        title: "HorizontalPodAutoscalers can add a pod: `maxReplicas` above `minReplicas`",
        explanation: "An autoscaler whose `maxReplicas` is not above `minReplicas` (1 when \
unset) never adds a pod: under load the service stays as small as it is and falls over. Set \
`maxReplicas` to the most pods the service and its quota can run, above `minReplicas`. Polaris's \
`hpaMaxAvailability` judges the same when `minReplicas` is written.",
        rubric: &[31],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::HorizontalPodAutoscaler]),
        check: autoscaler_can_grow,
    },
    Rule {
        id: "KW-LOAD-002",
        severity: Severity::Warning,
        title: "HorizontalPodAutoscalers scale a workload of the checked manifests",
        explanation: "An autoscaler whose `scaleTargetRef` (apiVersion, kind and name, in its own \
namespace) matches no workload scales nothing: usually a name or an apiVersion differs \
(`apps/v1` for Deployments). Point it at the Deployment or StatefulSet it is for, or check it \
together with that workload. kube-score's `horizontalpodautoscaler-has-target` makes the same \
comparison.",
        rubric: &[31],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::HorizontalPodAutoscaler]),
        check: autoscaler_has_target,
    },
    Rule {
        id: "KW-LOAD-003",
        severity: Severity::Warning,
        title: "The workload an autoscaler scales requests what it scales on",
        explanation: "A utilization target is a percentage of the containers' requests: without a \
`resources.requests.cpu` (or `memory`) on every (non-init) container, the autoscaler cannot \
compute it and never scales. Set the request for each resource the autoscaler measures on every container of \
the workload it targets.",
        rubric: &[31],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::HorizontalPodAutoscaler]),
        check: autoscaler_target_requests,
    },
    Rule {
        id: UNLIMITED_PUBLIC_ENTRY,
        severity: Severity::Info,
        title: "A public Ingress or route sheds floods: a rate or connection limit",
        explanation: "Without a rate or connection limit at the entry, one client can send more \
than the pods can serve and take the service down for everyone. On an Ingress, set \
`nginx.ingress.kubernetes.io/limit-rps` (or `limit-rpm`, `limit-connections`) for ingress-nginx, \
`nginx.org/limit-req-rate` for the F5 NGINX Ingress Controller or \
`haproxy.org/rate-limit-requests` for HAProxy; on Envoy Gateway, a BackendTrafficPolicy with \
`rateLimit` or `circuitBreaker` that targets the route (or its Gateway). Where the entry cannot enforce one, say so with `kubeward.dev/ignore: \
KW-LOAD-004=<where the limit is enforced>`. Only limits kubeward can read are seen: another \
controller's own objects are not.",
        rubric: &[33],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Ingress, Kind::HTTPRoute, Kind::GRPCRoute]),
        check: entry_sheds_floods,
    },
    Rule {
        id: RETIRED_INGRESS_CONTROLLER,
        severity: Severity::Warning,
        title: "Ingresses are not served by a retired controller (ingress-nginx)",
        explanation: "The ingress-nginx project was retired in March 2026: no releases and no \
security fixes since, after CVE-2025-1974 (\"IngressNightmare\", CVSS 9.8: remote code execution \
through its admission webhook, and every Secret of the cluster with it). An Ingress of the class \
`nginx` (or of an IngressClass whose controller is `k8s.io/ingress-nginx`, or one without a class \
that carries `nginx.ingress.kubernetes.io/*` annotations) runs on it. Route the host through a \
Gateway API implementation instead (an HTTPRoute), or through a maintained Ingress controller. \
The F5 NGINX Ingress Controller (`nginx.org/ingress-controller`) is another project: an \
IngressClass in the checked manifests that names it clears the finding.",
        rubric: &[32],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Ingress]),
        check: retired_controller_check,
    },
    Rule {
        id: "KW-LOAD-006",
        severity: Severity::Warning,
        title: "HTTPRoutes serve nothing on a plain-HTTP listener but a redirect to HTTPS",
        explanation: "A route attached to a Gateway listener of protocol `HTTP` (by its \
`sectionName`, or to every listener without one) serves the host in clear text, open to \
eavesdropping and tampering. Attach the route to the HTTPS listener only (`sectionName`), and \
give the HTTP listener a route whose every rule matches all paths and only redirects to \
`https`. Judged when the Gateway is among the checked manifests, with its listeners' \
`allowedRoutes` and hostnames, as Polaris's `httpRouteInsecureListener` does.",
        rubric: &[32],
        scanners: Scanners {
            polaris: &["httpRouteInsecureListener"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::HTTPRoute]),
        check: route_on_plain_http,
    },
];

/// The HPA's `minReplicas`, 1 when unset (the API's default).
fn min_replicas(object: &Object) -> i64 {
    object
        .at(&["spec", "minReplicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn autoscaler_can_grow(_: &Index, object: &Object, hits: &mut Hits) {
    let min = min_replicas(object);
    match object.at(&["spec", "maxReplicas"]).and_then(Value::as_i64) {
        Some(max) if max > min => {}
        Some(max) => hits.add(
            "spec.maxReplicas",
            format!(
                "maxReplicas {max} is not above minReplicas {min}: the autoscaler never adds a pod"
            ),
        ),
        None => hits.add("spec", "no maxReplicas: the autoscaler has no room to grow"),
    }
}

/// The workload an HPA scales, when it is among the checked objects: the same apiVersion,
/// kind and name in the HPA's namespace.
fn target<'a>(index: &Index<'a>, object: &Object) -> Option<&'a Object> {
    let target = object.at(&["spec", "scaleTargetRef"])?;
    let field = |k: &str| target.get(k).and_then(Value::as_str).unwrap_or_default();
    let kind = Kind::of(field("apiVersion"), field("kind"))?;
    index
        .find(kind, object.namespace.as_deref(), field("name"))
        .filter(|o| o.pod().is_some() && o.api_version == field("apiVersion"))
}

fn autoscaler_has_target(index: &Index, object: &Object, hits: &mut Hits) {
    if target(index, object).is_none() {
        let field = |k: &str| {
            object
                .at(&["spec", "scaleTargetRef", k])
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string()
        };
        hits.add(
            "spec.scaleTargetRef",
            format!(
                "no {} {} of apiVersion {} is among the checked manifests in this namespace",
                field("kind"),
                field("name"),
                field("apiVersion")
            ),
        );
    }
}

/// The resources an HPA measures as a percentage of the requests.
fn utilization_resources(object: &Object) -> Vec<String> {
    if object.api_version == "autoscaling/v1" {
        return object
            .at(&["spec", "targetCPUUtilizationPercentage"])
            .map(|_| vec!["cpu".to_string()])
            .unwrap_or_default();
    }
    let metrics = object.at(&["spec", "metrics"]).and_then(Value::as_array);
    metrics
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let source = match m.get("type").and_then(Value::as_str) {
                Some("Resource") => m.get("resource"),
                Some("ContainerResource") => m.get("containerResource"),
                _ => None,
            }?;
            let utilization = source.get("target")?.get("type")?.as_str()? == "Utilization";
            utilization
                .then(|| source.get("name")?.as_str().map(str::to_string))
                .flatten()
        })
        .collect()
}

fn autoscaler_target_requests(index: &Index, object: &Object, hits: &mut Hits) {
    let Some(workload) = target(index, object) else {
        return;
    };
    let resources = utilization_resources(object);
    let mut missing = Hits::default();
    for_containers(workload, &mut missing, |c| {
        if c.init {
            // Init containers are done before the pod runs: the autoscaler does not count them.
            return None;
        }
        let absent: Vec<&str> = resources
            .iter()
            .map(String::as_str)
            .filter(|r| {
                c.value
                    .get("resources")
                    .and_then(|v| v.get("requests"))
                    .and_then(|v| v.get(*r))
                    .is_none_or(Value::is_null)
            })
            .collect();
        (!absent.is_empty()).then(|| format!("{} requests no {}", c.label(), absent.join(" or ")))
    });
    for (_, message, _) in missing.0 {
        hits.add(
            "spec.metrics",
            format!(
                "{} {}: {message}, so the utilization it scales on cannot be computed",
                workload.kind_name(),
                workload.name
            ),
        );
    }
}

/// The Ingress annotations that limit a client's requests or connections: ingress-nginx's,
/// the F5 NGINX Ingress Controller's and HAProxy's.
const INGRESS_LIMITS: [&str; 5] = [
    "nginx.ingress.kubernetes.io/limit-rps",
    "nginx.ingress.kubernetes.io/limit-rpm",
    "nginx.ingress.kubernetes.io/limit-connections",
    "nginx.org/limit-req-rate",
    "haproxy.org/rate-limit-requests",
];

/// Whether a BackendTrafficPolicy in the route's namespace sheds load for `route` or for
/// a Gateway it is attached to.
fn traffic_policy_limits(index: &Index, route: &Object) -> bool {
    let parents = parent_refs(route);
    index
        .of_kind(Kind::BackendTrafficPolicy)
        .filter(|policy| {
            let spec = policy.at(&["spec"]);
            spec.and_then(|s| s.get("rateLimit")).is_some()
                || spec.and_then(|s| s.get("circuitBreaker")).is_some()
        })
        .any(|policy| {
            let own_namespace = policy.namespace == route.namespace;
            policy_targets(policy).any(|(kind, name)| {
                (own_namespace && kind == route.kind_name() && name == route.name)
                    || parents.iter().any(|p| {
                        kind == "Gateway"
                            && p.name == name
                            && policy.namespace.as_deref() == Some(&p.namespace)
                    })
            })
        })
}

/// `(kind, name)` of each of a policy's `targetRef` and `targetRefs` in Gateway API's group.
fn policy_targets(policy: &Object) -> impl Iterator<Item = (&str, &str)> {
    let single = policy.at(&["spec", "targetRef"]).into_iter();
    let many = policy
        .at(&["spec", "targetRefs"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    single.chain(many).filter_map(|r| {
        let group = r
            .get("group")
            .and_then(Value::as_str)
            .unwrap_or(GATEWAY_API);
        (group == GATEWAY_API).then_some(())?;
        Some((r.get("kind")?.as_str()?, r.get("name")?.as_str()?))
    })
}

fn entry_sheds_floods(index: &Index, object: &Object, hits: &mut Hits) {
    let limited = match object.kind {
        Kind::Ingress => {
            let hosts = object
                .at(&["spec", "rules"])
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty());
            if !hosts {
                return;
            }
            object
                .annotations()
                .any(|(k, _)| INGRESS_LIMITS.contains(&k))
        }
        _ => {
            let backends = object
                .at(&["spec", "rules"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|r| {
                    r.get("backendRefs")
                        .and_then(Value::as_array)
                        .is_some_and(|b| !b.is_empty())
                });
            if parent_refs(object).is_empty() || !backends {
                return;
            }
            traffic_policy_limits(index, object)
        }
    };
    if !limited {
        hits.add(
            "metadata",
            format!(
                "the public {} {} has no rate or connection limit kubeward can see: one client can exhaust the service",
                object.kind_name(),
                object.name
            ),
        );
    }
}

/// The class an Ingress names: `spec.ingressClassName`, or the older annotation.
fn ingress_class(object: &Object) -> Option<&str> {
    object
        .at(&["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .or_else(|| {
            object
                .at(&["metadata", "annotations", "kubernetes.io/ingress.class"])
                .and_then(Value::as_str)
        })
}

fn retired_controller(index: &Index, object: &Object) -> Option<String> {
    const INGRESS_NGINX: &str = "k8s.io/ingress-nginx";
    let Some(class) = ingress_class(object) else {
        let annotated = object
            .annotations()
            .any(|(k, _)| k.starts_with("nginx.ingress.kubernetes.io/"));
        return annotated.then(|| {
            "it names no class and carries nginx.ingress.kubernetes.io/* annotations: ingress-nginx serves it".to_string()
        });
    };
    let controller = index
        .find(Kind::IngressClass, None, class)
        .and_then(|c| c.at(&["spec", "controller"]))
        .and_then(Value::as_str);
    match controller {
        Some(INGRESS_NGINX) => Some(format!(
            "its IngressClass `{class}` is served by {INGRESS_NGINX}"
        )),
        Some(_) => None,
        None => (class == "nginx").then(|| "its class `nginx` is ingress-nginx's".to_string()),
    }
}

fn retired_controller_check(index: &Index, object: &Object, hits: &mut Hits) {
    if let Some(why) = retired_controller(index, object) {
        hits.add(
            "spec.ingressClassName",
            format!("{why}, retired in March 2026: no security fixes (CVE-2025-1974)"),
        );
    }
}

/// A route's parent Gateway: the namespace (the route's own when unset), name and section.
struct Parent {
    namespace: String,
    name: String,
    section: Option<String>,
}

fn parent_refs(route: &Object) -> Vec<Parent> {
    let own = route.namespace.clone().unwrap_or_default();
    route
        .at(&["spec", "parentRefs"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let text = |k: &str| p.get(k).and_then(Value::as_str);
            let is_gateway = text("group").unwrap_or(GATEWAY_API) == GATEWAY_API
                && text("kind").unwrap_or("Gateway") == "Gateway";
            is_gateway.then(|| Parent {
                namespace: text("namespace").map_or_else(|| own.clone(), str::to_string),
                name: text("name").unwrap_or_default().to_string(),
                section: text("sectionName")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            })
        })
        .collect()
}

/// Whether every rule of the route matches all traffic and only redirects to HTTPS.
fn full_https_redirect(route: &Object) -> bool {
    let rules = route.at(&["spec", "rules"]).and_then(Value::as_array);
    let Some(rules) = rules.filter(|r| !r.is_empty()) else {
        return false;
    };
    rules.iter().all(|rule| {
        let backends = rule
            .get("backendRefs")
            .and_then(Value::as_array)
            .is_some_and(|b| !b.is_empty());
        let matches_all = match rule.get("matches").and_then(Value::as_array) {
            None => true,
            Some(matches) if matches.is_empty() => true,
            Some(matches) => matches.iter().any(|m| {
                let path = m.get("path");
                m.as_object().is_some_and(|m| m.len() == 1)
                    && path.is_some_and(|path| {
                        let kind = path.get("type").and_then(Value::as_str).unwrap_or("");
                        (kind.is_empty() || kind == "PathPrefix")
                            && path.get("value").and_then(Value::as_str) == Some("/")
                    })
            }),
        };
        let redirects = rule
            .get("filters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|f| {
                f.get("type").and_then(Value::as_str) == Some("RequestRedirect")
                    && f.get("requestRedirect")
                        .and_then(|r| r.get("scheme"))
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.eq_ignore_ascii_case("https"))
            });
        !backends && matches_all && redirects
    })
}

/// Whether two host names can name the same host (`*.` wildcards included).
fn hostnames_intersect(left: &str, right: &str) -> bool {
    let (left, right) = (left.to_ascii_lowercase(), right.to_ascii_lowercase());
    if left.is_empty() || right.is_empty() || left == "*" || right == "*" || left == right {
        return true;
    }
    match (left.strip_prefix("*."), right.strip_prefix("*.")) {
        (Some(l), Some(r)) => {
            l == r || l.ends_with(&format!(".{r}")) || r.ends_with(&format!(".{l}"))
        }
        (Some(l), None) => right.ends_with(&format!(".{l}")),
        (None, Some(r)) => left.ends_with(&format!(".{r}")),
        (None, None) => false,
    }
}

/// Whether `listener` of a Gateway in `gateway_namespace` accepts `route`: a hostname in
/// common, HTTPRoutes among its kinds, and the route's namespace among those it allows.
fn listener_accepts(
    index: &Index,
    listener: &Map<String, Value>,
    gateway_namespace: &str,
    route: &Object,
) -> bool {
    let hostname = listener
        .get("hostname")
        .and_then(Value::as_str)
        .unwrap_or("");
    let hostnames: Vec<&str> = route
        .at(&["spec", "hostnames"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let shares_a_host = hostnames.is_empty()
        || hostname.is_empty()
        || hostnames.iter().any(|h| hostnames_intersect(hostname, h));
    if !shares_a_host {
        return false;
    }
    let route_namespace = route.namespace.as_deref().unwrap_or_default();
    let Some(allowed) = listener.get("allowedRoutes") else {
        return route_namespace == gateway_namespace;
    };
    let kinds = allowed.get("kinds").and_then(Value::as_array);
    if let Some(kinds) = kinds.filter(|k| !k.is_empty())
        && !kinds.iter().any(|k| {
            k.get("group")
                .and_then(Value::as_str)
                .unwrap_or(GATEWAY_API)
                == GATEWAY_API
                && k.get("kind").and_then(Value::as_str) == Some("HTTPRoute")
        })
    {
        return false;
    }
    let namespaces = allowed.get("namespaces");
    match namespaces
        .and_then(|n| n.get("from"))
        .and_then(Value::as_str)
    {
        None | Some("") | Some("Same") => route_namespace == gateway_namespace,
        Some("All") => true,
        Some("Selector") => {
            let Some(wanted) = namespaces.and_then(|n| n.get("selector")) else {
                return false;
            };
            index
                .of_kind(Kind::Namespace)
                .find(|n| n.name == route_namespace)
                .is_some_and(|n| {
                    let labels = n.at(&["metadata", "labels"]).and_then(Value::as_object);
                    selector::matches(wanted, labels)
                })
        }
        Some(_) => false,
    }
}

fn route_on_plain_http(index: &Index, object: &Object, hits: &mut Hits) {
    if full_https_redirect(object) {
        return;
    }
    for parent in parent_refs(object) {
        let Some(gateway) = index.find(Kind::Gateway, Some(&parent.namespace), &parent.name) else {
            continue;
        };
        let listeners = gateway.at(&["spec", "listeners"]).and_then(Value::as_array);
        for listener in listeners.into_iter().flatten().filter_map(Value::as_object) {
            let name = listener.get("name").and_then(Value::as_str).unwrap_or("");
            if parent.section.as_deref().is_some_and(|s| s != name) {
                continue;
            }
            if listener.get("protocol").and_then(Value::as_str) == Some("HTTP")
                && listener_accepts(index, listener, &parent.namespace, object)
            {
                hits.add(
                    "spec.parentRefs",
                    format!(
                        "the route is attached to the plain-HTTP listener `{name}` of Gateway {}/{} and does not only redirect to HTTPS",
                        parent.namespace, parent.name
                    ),
                );
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_intersect_as_gateway_api_matches_them() {
        assert!(hostnames_intersect("*.example.com", "shop.example.com"));
        assert!(hostnames_intersect("shop.example.com", "shop.example.com"));
        assert!(!hostnames_intersect("*.example.com", "example.com"));
        assert!(!hostnames_intersect("a.example.com", "b.example.com"));
        assert!(hostnames_intersect("*.example.com", "*.shop.example.com"));
        assert!(hostnames_intersect("", "anything"));
    }
}
