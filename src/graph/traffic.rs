//! What a set of NetworkPolicies lets through, read from the policy objects themselves (any
//! manifests, kubeward's or not): the pod groups they select, whether each is isolated for
//! ingress and egress, and the flows their rules admit, with ports, each checked against the
//! policies on the other end when that end is known. No I/O; `diagram` draws the result.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::vocabulary::NAMESPACE_LABEL;

/// The namespace of a namespaced object that names none (as `kubectl apply` without `-n`).
const DEFAULT_NAMESPACE: &str = "default";

/// A label selector: `matchLabels` and `matchExpressions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Selector {
    pub labels: BTreeMap<String, String>,
    pub expressions: Vec<Expression>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expression {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether an object with exactly `labels` is selected.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.expressions.iter().all(|e| {
                let value = labels.get(&e.key);
                match e.operator.as_str() {
                    "In" => value.is_some_and(|v| e.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !e.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }

    /// Whether every pod `narrower` selects is surely selected by `self`.
    fn covers(&self, narrower: &Selector) -> bool {
        self.labels
            .iter()
            .all(|(k, v)| narrower.labels.get(k) == Some(v))
            && self
                .expressions
                .iter()
                .all(|e| narrower.expressions.contains(e))
    }
}

/// Which namespaces a pod peer reaches into.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Namespaces {
    /// One namespace, by name (a policy's own, or `kubernetes.io/metadata.name: N`).
    Named(String),
    /// Namespaces whose labels match.
    Selected(Selector),
    /// Every namespace (`namespaceSelector: {}`).
    All,
}

/// Where traffic comes from or goes to, outside the selected groups.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Peer {
    Pods {
        namespaces: Namespaces,
        pods: Selector,
    },
    Block {
        cidr: String,
        except: Vec<String>,
    },
}

/// Pods selected by one policy's `podSelector` in its namespace, and how policies treat them.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub namespace: String,
    pub selector: Selector,
    /// The policies that select exactly these pods.
    pub policies: Vec<String>,
    /// Some policy selecting these pods restricts ingress: only what the rules allow gets in.
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    Group(usize),
    Peer(usize),
    /// Any pod or address not drawn otherwise.
    Anything,
}

/// A port as a rule gives it; `port: None` is every port of the protocol.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Port {
    pub protocol: String,
    pub port: Option<String>,
    pub end_port: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Allowed by the rules of every known end.
    Allowed,
    /// Allowed by one end's rules, but the source's egress policies do not let it out.
    BlockedAtSource,
    /// Allowed by one end's rules, but the destination's ingress policies do not let it in.
    BlockedAtDestination,
    /// Not allowed by any rule: the isolation of a group (the default deny).
    Denied,
    /// Nothing isolates this direction of the group: everything passes.
    Open,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub from: Endpoint,
    pub to: Endpoint,
    /// Empty: every port.
    pub ports: Vec<Port>,
    pub status: Status,
}

/// The groups, peers and flows of a set of policies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traffic {
    pub groups: Vec<Group>,
    pub peers: Vec<Peer>,
    pub flows: Vec<Flow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

/// One rule: its peers (empty: everything) and ports (empty: every port).
#[derive(Debug, Clone)]
struct Rule {
    peers: Vec<Peer>,
    ports: Vec<Port>,
}

#[derive(Debug, Clone)]
struct Policy {
    name: String,
    namespace: String,
    selector: Selector,
    ingress: Option<Vec<Rule>>,
    egress: Option<Vec<Rule>>,
}

/// Reads the NetworkPolicies (and the Namespace labels) among `objects`, `origin(i)` naming
/// where object `i` came from in errors.
pub fn analyse(objects: &[Value], origin: impl Fn(usize) -> String) -> Result<Traffic, String> {
    let mut policies = Vec::new();
    let mut namespace_labels: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (i, object) in objects.iter().enumerate() {
        let at = |field: &str, why: &str| {
            let name = object["metadata"]["name"].as_str().unwrap_or("?");
            format!("{}: {} {name}: {field}: {why}", origin(i), kind_of(object))
        };
        match kind_of(object) {
            "NetworkPolicy" => policies.push(read_policy(object, &at)?),
            "Namespace" => {
                let name = text(&object["metadata"]["name"], "metadata.name", &at)?;
                let labels = string_map(&object["metadata"]["labels"], "metadata.labels", &at)?;
                namespace_labels.insert(name, labels);
            }
            _ => {}
        }
    }
    // The drawing must not depend on the order the objects were read in.
    policies.sort_by(|a, b| {
        (&a.namespace, &a.selector, &a.name).cmp(&(&b.namespace, &b.selector, &b.name))
    });
    Ok(interpret(&policies, &namespace_labels))
}

fn kind_of(object: &Value) -> &str {
    object["kind"].as_str().unwrap_or("")
}

type At<'a> = dyn Fn(&str, &str) -> String + 'a;

fn text(value: &Value, field: &str, at: &At) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| at(field, "must be a string"))
}

fn string_map(value: &Value, field: &str, at: &At) -> Result<BTreeMap<String, String>, String> {
    match value {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), text(v, &format!("{field}.{k}"), at)?)))
            .collect(),
        _ => Err(at(field, "must be a mapping of strings")),
    }
}

fn list<'v>(value: &'v Value, field: &str, at: &At) -> Result<&'v [Value], String> {
    match value {
        Value::Null => Ok(&[]),
        Value::Array(items) => Ok(items),
        _ => Err(at(field, "must be a list")),
    }
}

fn read_selector(value: &Value, field: &str, at: &At) -> Result<Selector, String> {
    if !value.is_object() {
        return Err(at(field, "must be a label selector (a mapping)"));
    }
    let labels = string_map(&value["matchLabels"], &format!("{field}.matchLabels"), at)?;
    let mut expressions = Vec::new();
    for (i, e) in list(&value["matchExpressions"], field, at)?
        .iter()
        .enumerate()
    {
        let here = format!("{field}.matchExpressions[{i}]");
        let operator = text(&e["operator"], &format!("{here}.operator"), at)?;
        if !["In", "NotIn", "Exists", "DoesNotExist"].contains(&operator.as_str()) {
            return Err(at(
                &here,
                "operator must be In, NotIn, Exists or DoesNotExist",
            ));
        }
        let mut values = list(&e["values"], &format!("{here}.values"), at)?
            .iter()
            .map(|v| text(v, &format!("{here}.values"), at))
            .collect::<Result<Vec<_>, _>>()?;
        values.sort();
        expressions.push(Expression {
            key: text(&e["key"], &format!("{here}.key"), at)?,
            operator,
            values,
        });
    }
    expressions.sort();
    Ok(Selector {
        labels,
        expressions,
    })
}

fn read_policy(object: &Value, at: &At) -> Result<Policy, String> {
    let name = text(&object["metadata"]["name"], "metadata.name", at)?;
    let namespace = match &object["metadata"]["namespace"] {
        Value::Null => DEFAULT_NAMESPACE.to_string(),
        value => text(value, "metadata.namespace", at)?,
    };
    let spec = &object["spec"];
    let selector = read_selector(&spec["podSelector"], "spec.podSelector", at)?;
    let types: Vec<String> = match &spec["policyTypes"] {
        Value::Null => {
            let mut types = vec!["Ingress".to_string()];
            if !spec["egress"].is_null() {
                types.push("Egress".to_string());
            }
            types
        }
        value => list(value, "spec.policyTypes", at)?
            .iter()
            .map(|t| text(t, "spec.policyTypes", at))
            .collect::<Result<_, _>>()?,
    };
    if let Some(bad) = types.iter().find(|t| *t != "Ingress" && *t != "Egress") {
        return Err(at(
            "spec.policyTypes",
            &format!("`{bad}` is neither Ingress nor Egress"),
        ));
    }
    let rules = |direction: Direction| -> Result<Option<Vec<Rule>>, String> {
        let (key, peers_key, type_name) = match direction {
            Direction::Ingress => ("ingress", "from", "Ingress"),
            Direction::Egress => ("egress", "to", "Egress"),
        };
        if !types.iter().any(|t| t == type_name) {
            return Ok(None);
        }
        let mut rules = Vec::new();
        for (i, rule) in list(&spec[key], &format!("spec.{key}"), at)?
            .iter()
            .enumerate()
        {
            let here = format!("spec.{key}[{i}]");
            let peers = list(&rule[peers_key], &format!("{here}.{peers_key}"), at)?
                .iter()
                .enumerate()
                .map(|(j, p)| read_peer(p, &format!("{here}.{peers_key}[{j}]"), &namespace, at))
                .collect::<Result<_, _>>()?;
            let ports = list(&rule["ports"], &format!("{here}.ports"), at)?
                .iter()
                .enumerate()
                .map(|(j, p)| read_port(p, &format!("{here}.ports[{j}]"), at))
                .collect::<Result<_, _>>()?;
            rules.push(Rule { peers, ports });
        }
        Ok(Some(rules))
    };
    Ok(Policy {
        ingress: rules(Direction::Ingress)?,
        egress: rules(Direction::Egress)?,
        name,
        namespace,
        selector,
    })
}

fn read_peer(value: &Value, field: &str, own_namespace: &str, at: &At) -> Result<Peer, String> {
    if !value["ipBlock"].is_null() {
        let block = &value["ipBlock"];
        let cidr = text(&block["cidr"], &format!("{field}.ipBlock.cidr"), at)?;
        let except = list(&block["except"], &format!("{field}.ipBlock.except"), at)?
            .iter()
            .map(|e| text(e, &format!("{field}.ipBlock.except"), at))
            .collect::<Result<_, _>>()?;
        return Ok(Peer::Block { cidr, except });
    }
    let pods = match &value["podSelector"] {
        Value::Null => Selector::default(),
        selector => read_selector(selector, &format!("{field}.podSelector"), at)?,
    };
    let namespaces = match &value["namespaceSelector"] {
        Value::Null if value["podSelector"].is_null() => {
            return Err(at(field, "needs podSelector, namespaceSelector or ipBlock"));
        }
        Value::Null => Namespaces::Named(own_namespace.to_string()),
        selector => {
            let selector = read_selector(selector, &format!("{field}.namespaceSelector"), at)?;
            match (selector.labels.get(NAMESPACE_LABEL), selector.labels.len()) {
                _ if selector.is_empty() => Namespaces::All,
                (Some(name), 1) if selector.expressions.is_empty() => {
                    Namespaces::Named(name.clone())
                }
                _ => Namespaces::Selected(selector),
            }
        }
    };
    Ok(Peer::Pods { namespaces, pods })
}

fn read_port(value: &Value, field: &str, at: &At) -> Result<Port, String> {
    let protocol = match &value["protocol"] {
        Value::Null => "TCP".to_string(),
        p => text(p, &format!("{field}.protocol"), at)?,
    };
    let port = match &value["port"] {
        Value::Null => None,
        Value::Number(n) => Some(n.to_string()),
        Value::String(name) => Some(name.clone()),
        _ => return Err(at(&format!("{field}.port"), "must be a number or a name")),
    };
    let end_port = match &value["endPort"] {
        Value::Null => None,
        v => Some(
            v.as_u64()
                .ok_or_else(|| at(&format!("{field}.endPort"), "must be a number"))?,
        ),
    };
    Ok(Port {
        protocol,
        port,
        end_port,
    })
}

/// Whether `rule_ports` let every port of `ports` through.
fn ports_allow(rule_ports: &[Port], ports: &[Port]) -> bool {
    if rule_ports.is_empty() {
        return true;
    }
    !ports.is_empty()
        && ports.iter().all(|wanted| {
            rule_ports.iter().any(|rule| {
                rule.protocol == wanted.protocol
                    && match (&rule.port, &wanted.port) {
                        (None, _) => true,
                        (Some(_), None) => false,
                        (Some(r), Some(w)) if r == w && rule.end_port.is_none() => true,
                        (Some(r), Some(w)) => match (r.parse::<u64>(), w.parse::<u64>()) {
                            (Ok(lo), Ok(w)) => {
                                let hi = rule.end_port.unwrap_or(lo);
                                let w_hi = wanted.end_port.unwrap_or(w);
                                lo <= w && w_hi <= hi
                            }
                            _ => false,
                        },
                    }
            })
        })
}

fn interpret(
    policies: &[Policy],
    namespace_labels: &BTreeMap<String, BTreeMap<String, String>>,
) -> Traffic {
    let mut traffic = Traffic::default();
    for policy in policies {
        match traffic
            .groups
            .iter_mut()
            .find(|g| g.namespace == policy.namespace && g.selector == policy.selector)
        {
            Some(group) => group.policies.push(policy.name.clone()),
            None => traffic.groups.push(Group {
                namespace: policy.namespace.clone(),
                selector: policy.selector.clone(),
                policies: vec![policy.name.clone()],
                ingress_isolated: false,
                egress_isolated: false,
            }),
        }
    }
    let applying = |group: &Group| -> Vec<&Policy> {
        policies
            .iter()
            .filter(|p| p.namespace == group.namespace && p.selector.covers(&group.selector))
            .collect()
    };
    for group in &mut traffic.groups {
        let applied = applying(group);
        group.ingress_isolated = applied.iter().any(|p| p.ingress.is_some());
        group.egress_isolated = applied.iter().any(|p| p.egress.is_some());
    }
    let ns_labels = |name: &str| {
        let mut labels = namespace_labels.get(name).cloned().unwrap_or_default();
        labels.insert(NAMESPACE_LABEL.to_string(), name.to_string());
        labels
    };
    // Whether `peer` (a rule's peer, or every peer when the rule names none) takes in `group`.
    let reaches = |peers: &[Peer], group: &Group| {
        peers.is_empty()
            || peers.iter().any(|peer| match peer {
                Peer::Block { .. } => false,
                Peer::Pods { namespaces, pods } => {
                    let in_namespace = match namespaces {
                        Namespaces::Named(name) => *name == group.namespace,
                        Namespaces::Selected(selector) => {
                            selector.matches(&ns_labels(&group.namespace))
                        }
                        Namespaces::All => true,
                    };
                    in_namespace && pods.matches(&group.selector.labels)
                }
            })
    };
    // Whether `group`'s own policies let traffic with `other` on `ports` through in `direction`.
    let admits = |group: &Group, direction: Direction, other: &Group, ports: &[Port]| {
        let isolated = match direction {
            Direction::Ingress => group.ingress_isolated,
            Direction::Egress => group.egress_isolated,
        };
        !isolated
            || applying(group).iter().any(|p| {
                let rules = match direction {
                    Direction::Ingress => &p.ingress,
                    Direction::Egress => &p.egress,
                };
                rules
                    .iter()
                    .flatten()
                    .any(|rule| reaches(&rule.peers, other) && ports_allow(&rule.ports, ports))
            })
    };

    let mut flows: Vec<Flow> = Vec::new();
    for policy in policies {
        let own = traffic
            .groups
            .iter()
            .position(|g| g.namespace == policy.namespace && g.selector == policy.selector)
            .expect("every policy has its group");
        for (direction, rules) in [
            (Direction::Ingress, &policy.ingress),
            (Direction::Egress, &policy.egress),
        ] {
            for rule in rules.iter().flatten() {
                let ends: Vec<Endpoint> = if rule.peers.is_empty() {
                    vec![Endpoint::Anything]
                } else {
                    rule.peers
                        .iter()
                        .map(|peer| endpoint(&mut traffic, peer))
                        .collect()
                };
                for end in ends {
                    let (from, to) = match direction {
                        Direction::Ingress => (end, Endpoint::Group(own)),
                        Direction::Egress => (Endpoint::Group(own), end),
                    };
                    let status = match (from, to) {
                        (Endpoint::Group(f), Endpoint::Group(t)) => {
                            let (source, dest) = (&traffic.groups[f], &traffic.groups[t]);
                            if !admits(source, Direction::Egress, dest, &rule.ports) {
                                Status::BlockedAtSource
                            } else if !admits(dest, Direction::Ingress, source, &rule.ports) {
                                Status::BlockedAtDestination
                            } else {
                                Status::Allowed
                            }
                        }
                        _ => Status::Allowed,
                    };
                    let flow = Flow {
                        from,
                        to,
                        ports: rule.ports.clone(),
                        status,
                    };
                    if !flows.contains(&flow) {
                        flows.push(flow);
                    }
                }
            }
        }
    }
    for (i, group) in traffic.groups.iter().enumerate() {
        let status = |isolated| {
            if isolated {
                Status::Denied
            } else {
                Status::Open
            }
        };
        flows.push(Flow {
            from: Endpoint::Anything,
            to: Endpoint::Group(i),
            ports: vec![],
            status: status(group.ingress_isolated),
        });
        flows.push(Flow {
            from: Endpoint::Group(i),
            to: Endpoint::Anything,
            ports: vec![],
            status: status(group.egress_isolated),
        });
    }
    traffic.flows = flows;
    traffic
}

/// The endpoint for a rule's peer: a known group when the peer names exactly its pods in its
/// namespace, else a peer (added once).
fn endpoint(traffic: &mut Traffic, peer: &Peer) -> Endpoint {
    if let Peer::Pods {
        namespaces: Namespaces::Named(namespace),
        pods,
    } = peer
        && let Some(i) = traffic
            .groups
            .iter()
            .position(|g| g.namespace == *namespace && g.selector == *pods)
    {
        return Endpoint::Group(i);
    }
    match traffic.peers.iter().position(|p| p == peer) {
        Some(i) => Endpoint::Peer(i),
        None => {
            traffic.peers.push(peer.clone());
            Endpoint::Peer(traffic.peers.len() - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(namespace: &str, name: &str, spec: Value) -> Value {
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": {"name": name, "namespace": namespace}, "spec": spec})
    }

    fn app(name: &str) -> Value {
        json!({"matchLabels": {"app": name}})
    }

    fn analysed(objects: &[Value]) -> Traffic {
        analyse(objects, |i| format!("object {i}")).unwrap()
    }

    /// The group of `namespace` selecting `app=NAME` (`None`: every pod).
    fn group(traffic: &Traffic, namespace: &str, app_name: Option<&str>) -> Endpoint {
        let labels: BTreeMap<String, String> = app_name
            .map(|a| BTreeMap::from([("app".to_string(), a.to_string())]))
            .unwrap_or_default();
        let index = traffic
            .groups
            .iter()
            .position(|g| g.namespace == namespace && g.selector.labels == labels)
            .expect("the group exists");
        Endpoint::Group(index)
    }

    fn status_between(traffic: &Traffic, from: Endpoint, to: Endpoint) -> Vec<Status> {
        traffic
            .flows
            .iter()
            .filter(|f| f.from == from && f.to == to)
            .map(|f| f.status)
            .collect()
    }

    #[test]
    fn a_default_deny_isolates_every_group_of_its_namespace() {
        let traffic = analysed(&[
            policy(
                "shop",
                "deny",
                json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
            ),
            policy(
                "shop",
                "web",
                json!({"podSelector": app("web"), "policyTypes": ["Ingress"],
                "ingress": [{"ports": [{"port": 80}]}]}),
            ),
            policy(
                "other",
                "open",
                json!({"podSelector": app("x"), "policyTypes": ["Ingress"]}),
            ),
        ]);
        let (web, x) = (
            group(&traffic, "shop", Some("web")),
            group(&traffic, "other", Some("x")),
        );
        let at = |e: Endpoint| match e {
            Endpoint::Group(i) => &traffic.groups[i],
            _ => unreachable!(),
        };
        assert!(at(web).ingress_isolated && at(web).egress_isolated);
        assert!(at(x).ingress_isolated && !at(x).egress_isolated);
        assert_eq!(
            status_between(&traffic, x, Endpoint::Anything),
            vec![Status::Open]
        );
        assert_eq!(
            status_between(&traffic, Endpoint::Anything, web),
            vec![Status::Allowed, Status::Denied],
            "a rule without peers admits anything on its port; the rest is denied"
        );
    }

    #[test]
    fn a_flow_between_known_groups_needs_both_sides() {
        let ingress_from_a = json!({"podSelector": app("b"), "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": app("a")}], "ports": [{"port": 8080}]}]});
        let a_egress_closed = json!({"podSelector": app("a"), "policyTypes": ["Egress"]});
        let traffic = analysed(&[
            policy("ns", "b", ingress_from_a.clone()),
            policy("ns", "a", a_egress_closed),
        ]);
        assert_eq!(
            status_between(
                &traffic,
                group(&traffic, "ns", Some("a")),
                group(&traffic, "ns", Some("b"))
            ),
            vec![Status::BlockedAtSource]
        );
        let a_egress_open = json!({"podSelector": app("a"), "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {}}], "ports": [{"port": 8000, "endPort": 9000}]}]});
        let traffic = analysed(&[
            policy("ns", "b", ingress_from_a),
            policy("ns", "a", a_egress_open),
        ]);
        assert_eq!(
            status_between(
                &traffic,
                group(&traffic, "ns", Some("a")),
                group(&traffic, "ns", Some("b"))
            ),
            vec![Status::Allowed]
        );
    }

    #[test]
    fn peers_keep_namespaces_selectors_and_blocks_apart() {
        let traffic = analysed(&[policy(
            "ns",
            "p",
            json!({
            "podSelector": app("svc"),
            "egress": [{"to": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "db"}}, "podSelector": app("pg")},
                {"namespaceSelector": {"matchLabels": {"team": "data"}}},
                {"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}
            ]}]}),
        )]);
        assert_eq!(traffic.peers.len(), 3);
        assert!(
            matches!(&traffic.peers[0], Peer::Pods { namespaces: Namespaces::Named(n), .. } if n == "db")
        );
        assert!(
            matches!(&traffic.peers[1], Peer::Pods { namespaces: Namespaces::Selected(_), pods } if pods.is_empty())
        );
        assert!(matches!(&traffic.peers[2], Peer::Block { except, .. } if except.len() == 1));
        assert!(traffic.groups[0].egress_isolated && traffic.groups[0].ingress_isolated);
    }

    #[test]
    fn malformed_policies_are_refused_naming_the_field() {
        let err = analyse(
            &[policy(
                "ns",
                "bad",
                json!({"podSelector": app("a"), "ingress": [{"from": [{}]}]}),
            )],
            |_| "bundle.yaml".into(),
        )
        .unwrap_err();
        assert!(
            err.starts_with("bundle.yaml: NetworkPolicy bad: spec.ingress[0].from[0]"),
            "{err}"
        );
        let err = analyse(&[policy("ns", "bad", json!({}))], |_| "f".into()).unwrap_err();
        assert!(err.contains("spec.podSelector"), "{err}");
    }

    #[test]
    fn selectors_match_expressions() {
        let selector = Selector {
            labels: BTreeMap::new(),
            expressions: vec![Expression {
                key: "tier".into(),
                operator: "NotIn".into(),
                values: vec!["db".into()],
            }],
        };
        let labels = |v: &str| BTreeMap::from([("tier".to_string(), v.to_string())]);
        assert!(selector.matches(&labels("web")));
        assert!(!selector.matches(&labels("db")));
        assert!(selector.matches(&BTreeMap::new()));
    }
}
