//! Draws [`Traffic`] as a Mermaid flowchart or a Graphviz DOT digraph. Node and cluster ids
//! are generated (`n0`, `s0`, ...), never taken from labels; every label passes through an
//! escaper for its format, so any label text (a foreign manifest's, say) stays a label.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::graph::traffic::{
    Endpoint, Expression, Flow, Group, Namespaces, Peer, Port, Selector, Status, Traffic,
};
use crate::yaml::safe::one_line;

/// The label kubeward (and most charts) name an app's pods by.
const NAME_LABEL: &str = crate::vocabulary::NAME_LABEL;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

/// What a drawing of a system adds to the traffic its policies allow: the connections that
/// only one end declares, and the pods that are not services of the system. Pods are named by
/// namespace and app (their `app.kubernetes.io/name`).
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub one_sided: Vec<MarkedFlow>,
    pub outside: Vec<(String, String)>,
    /// The mesh identities admitted to an app's pods, by (namespace, app).
    pub identities: BTreeMap<(String, String), BTreeSet<String>>,
}

/// A connection between two apps, and what to say of it.
#[derive(Debug, Clone)]
pub struct MarkedFlow {
    pub from: (String, String),
    pub to: (String, String),
    pub text: String,
}

/// Whether `endpoint` is the pods of app `app` in `namespace`, as a group or a peer.
fn is_app(traffic: &Traffic, endpoint: &Endpoint, (namespace, app): &(String, String)) -> bool {
    let only = |selector: &Selector| {
        selector.expressions.is_empty()
            && selector.labels.len() == 1
            && selector.labels.get(NAME_LABEL) == Some(app)
    };
    match endpoint {
        Endpoint::Group(i) => {
            let group = &traffic.groups[*i];
            group.namespace == *namespace && only(&group.selector)
        }
        Endpoint::Peer(i) => matches!(
            &traffic.peers[*i],
            Peer::Pods { namespaces: Namespaces::Named(n), pods } if n == namespace && only(pods)
        ),
        Endpoint::Anything => false,
    }
}

/// A box: its lines of text (the first is the title) and its cluster.
struct Node {
    lines: Vec<String>,
    cluster: String,
    isolated: bool,
}

fn selector_text(selector: &Selector, empty: &str) -> String {
    if selector.is_empty() {
        return empty.to_string();
    }
    if selector.expressions.is_empty()
        && selector.labels.len() == 1
        && let Some(app) = selector.labels.get(NAME_LABEL)
    {
        return app.clone();
    }
    let mut parts: Vec<String> = selector
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    parts.extend(selector.expressions.iter().map(expression_text));
    parts.join(", ")
}

fn expression_text(e: &Expression) -> String {
    match e.operator.as_str() {
        "Exists" => e.key.clone(),
        "DoesNotExist" => format!("!{}", e.key),
        op => format!("{} {op} ({})", e.key, e.values.join(", ")),
    }
}

fn group_node(group: &Group) -> Node {
    let isolation = match (group.ingress_isolated, group.egress_isolated) {
        (true, true) => "ingress and egress: only what is drawn",
        (true, false) => "ingress: only what is drawn; egress: open",
        (false, true) => "egress: only what is drawn; ingress: open",
        (false, false) => "not isolated",
    };
    Node {
        lines: vec![
            selector_text(&group.selector, "every pod"),
            isolation.to_string(),
        ],
        cluster: format!("namespace {}", group.namespace),
        isolated: group.ingress_isolated || group.egress_isolated,
    }
}

fn peer_node(peer: &Peer) -> Node {
    match peer {
        Peer::Pods { namespaces, pods } => Node {
            lines: vec![selector_text(pods, "every pod")],
            cluster: match namespaces {
                Namespaces::Named(name) => format!("namespace {name}"),
                Namespaces::Selected(selector) => {
                    format!("namespaces where {}", selector_text(selector, ""))
                }
                Namespaces::All => "every namespace".to_string(),
            },
            isolated: false,
        },
        Peer::Block { cidr, except } => {
            let mut lines = vec![cidr.clone()];
            if !except.is_empty() {
                lines.push(format!("except {}", except.join(", ")));
            }
            Node {
                lines,
                cluster: "address ranges".to_string(),
                isolated: false,
            }
        }
    }
}

fn ports_text(ports: &[Port]) -> String {
    if ports.is_empty() {
        return "any port".to_string();
    }
    ports
        .iter()
        .map(|p| match (&p.port, p.end_port) {
            (None, _) => format!("{} any port", p.protocol),
            (Some(port), None) => format!("{} {port}", p.protocol),
            (Some(port), Some(end)) => format!("{} {port}-{end}", p.protocol),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn flow_label(flow: &Flow) -> String {
    match flow.status {
        Status::Allowed => ports_text(&flow.ports),
        Status::BlockedAtSource => format!(
            "{}: blocked by the source's egress",
            ports_text(&flow.ports)
        ),
        Status::BlockedAtDestination => {
            format!(
                "{}: blocked by the destination's ingress",
                ports_text(&flow.ports)
            )
        }
        Status::Denied => "denied by default".to_string(),
        Status::Open => "not isolated: all allowed".to_string(),
    }
}

/// How an edge is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Allowed,
    Blocked,
    /// Denied by default; `both`: in and out, drawn as one edge with two crossed ends.
    Denied {
        both: bool,
    },
}

struct Edge<'a> {
    from: &'a Endpoint,
    to: &'a Endpoint,
    label: String,
    look: Look,
}

/// The edges to draw: one per flow, except that a group denied both ways gets one edge; a
/// flow between the ends of a one-sided connection says so.
fn edges<'a>(traffic: &'a Traffic, marks: &Marks) -> Vec<Edge<'a>> {
    let denied = |from: &Endpoint, to: &Endpoint| {
        traffic
            .flows
            .iter()
            .any(|f| f.status == Status::Denied && f.from == *from && f.to == *to)
    };
    let mut edges = Vec::new();
    for flow in &traffic.flows {
        let look = match flow.status {
            Status::Allowed | Status::Open => Look::Allowed,
            Status::BlockedAtSource | Status::BlockedAtDestination => Look::Blocked,
            Status::Denied => {
                let both = denied(&flow.to, &flow.from);
                if both && flow.to == Endpoint::Anything {
                    continue;
                }
                Look::Denied { both }
            }
        };
        let one_sided = marks
            .one_sided
            .iter()
            .find(|m| is_app(traffic, &flow.from, &m.from) && is_app(traffic, &flow.to, &m.to));
        let (label, look) = match (look, one_sided) {
            (Look::Denied { both: true }, _) => ("in and out: denied by default".to_string(), look),
            (Look::Allowed | Look::Blocked, Some(mark)) => (
                format!("{}: one-sided: {}", ports_text(&flow.ports), mark.text),
                Look::Blocked,
            ),
            _ => (flow_label(flow), look),
        };
        edges.push(Edge {
            from: &flow.from,
            to: &flow.to,
            label,
            look,
        });
    }
    edges
}

/// Every node of the drawing, keyed by endpoint, in a stable order; a pod that is not a
/// service of the system says so.
fn nodes(traffic: &Traffic, marks: &Marks) -> BTreeMap<Endpoint, Node> {
    let mut nodes = BTreeMap::new();
    for (i, group) in traffic.groups.iter().enumerate() {
        nodes.insert(Endpoint::Group(i), group_node(group));
    }
    for (i, peer) in traffic.peers.iter().enumerate() {
        nodes.insert(Endpoint::Peer(i), peer_node(peer));
    }
    for (endpoint, node) in nodes.iter_mut() {
        if marks
            .outside
            .iter()
            .any(|pod| is_app(traffic, endpoint, pod))
        {
            node.lines.push("outside the system".to_string());
        }
        if let Endpoint::Group(_) = endpoint {
            for (pod, identities) in &marks.identities {
                if is_app(traffic, endpoint, pod) {
                    let list: Vec<&str> = identities.iter().map(String::as_str).collect();
                    node.lines
                        .push(format!("mesh admits: {}", or_nobody(&list.join(", "))));
                }
            }
        }
    }
    nodes.insert(
        Endpoint::Anything,
        Node {
            lines: vec![
                "anything else".to_string(),
                "any pod or address not drawn".to_string(),
            ],
            cluster: String::new(),
            isolated: false,
        },
    );
    nodes
}

fn or_nobody(list: &str) -> &str {
    if list.is_empty() { "nobody" } else { list }
}

fn id(endpoint: &Endpoint, nodes: &BTreeMap<Endpoint, Node>) -> String {
    let index = nodes
        .keys()
        .position(|e| e == endpoint)
        .expect("every endpoint has a node");
    format!("n{index}")
}

/// Clusters (by title, in order of first appearance) and the endpoints in each.
fn clusters(nodes: &BTreeMap<Endpoint, Node>) -> Vec<(&str, Vec<&Endpoint>)> {
    let mut clusters: Vec<(&str, Vec<&Endpoint>)> = Vec::new();
    for (endpoint, node) in nodes {
        match clusters
            .iter_mut()
            .find(|(title, _)| *title == node.cluster)
        {
            Some((_, members)) => members.push(endpoint),
            None => clusters.push((&node.cluster, vec![endpoint])),
        }
    }
    clusters
}

/// Draws `traffic` in `format`.
pub fn draw(traffic: &Traffic, format: Format) -> String {
    draw_marked(traffic, format, &Marks::default())
}

/// Draws `traffic` in `format`, with what `marks` says of a system.
pub fn draw_marked(traffic: &Traffic, format: Format, marks: &Marks) -> String {
    match format {
        Format::Mermaid => mermaid(traffic, marks),
        Format::Dot => dot(traffic, marks),
    }
}

/// Mermaid label text: every character outside a small safe set as an entity code (`#35;`),
/// after [`one_line`], so no quote, bracket, pipe or markup can leave the label.
fn mermaid_text(text: &str) -> String {
    one_line(text)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .,:/=_-()+@!*".contains(c) {
                c.to_string()
            } else {
                format!("#{};", c as u32)
            }
        })
        .collect()
}

fn mermaid(traffic: &Traffic, marks: &Marks) -> String {
    let nodes = nodes(traffic, marks);
    let mut out = String::from("flowchart LR\n");
    for (s, (title, members)) in clusters(&nodes).into_iter().enumerate() {
        let indent = if title.is_empty() { "  " } else { "    " };
        if !title.is_empty() {
            let _ = writeln!(out, "  subgraph s{s}[\"{}\"]", mermaid_text(title));
        }
        for endpoint in members {
            let node = &nodes[endpoint];
            let label: Vec<String> = node.lines.iter().map(|l| mermaid_text(l)).collect();
            let id = id(endpoint, &nodes);
            let _ = writeln!(out, "{indent}{id}[\"{}\"]", label.join("<br/>"));
            if node.isolated {
                let _ = writeln!(out, "{indent}class {id} isolated");
            }
        }
        if !title.is_empty() {
            out.push_str("  end\n");
        }
    }
    let mut styles = Vec::new();
    for (i, edge) in edges(traffic, marks).iter().enumerate() {
        let arrow = match edge.look {
            Look::Allowed => "-->",
            Look::Blocked => "-.->",
            Look::Denied { both: false } => "-.-x",
            Look::Denied { both: true } => "x-.-x",
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            id(edge.from, &nodes),
            mermaid_text(&edge.label),
            id(edge.to, &nodes)
        );
        match edge.look {
            Look::Denied { .. } => {
                styles.push(format!("  linkStyle {i} stroke:#999999,color:#666666"))
            }
            Look::Blocked => styles.push(format!("  linkStyle {i} stroke:#cc0000,color:#cc0000")),
            Look::Allowed => {}
        }
    }
    for style in styles {
        out.push_str(&style);
        out.push('\n');
    }
    out.push_str("  classDef isolated stroke-width:2px\n");
    out
}

/// A DOT double-quoted string body: backslashes and quotes escaped, `&` as an entity (so the
/// text is shown as it is), after [`one_line`].
fn dot_text(text: &str) -> String {
    one_line(text)
        .replace('&', "&amp;")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

fn dot(traffic: &Traffic, marks: &Marks) -> String {
    let nodes = nodes(traffic, marks);
    let mut out = String::from(
        "digraph traffic {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for (s, (title, members)) in clusters(&nodes).into_iter().enumerate() {
        let indent = if title.is_empty() { "  " } else { "    " };
        if !title.is_empty() {
            let _ = writeln!(
                out,
                "  subgraph cluster_{s} {{\n    label=\"{}\";",
                dot_text(title)
            );
        }
        for endpoint in members {
            let node = &nodes[endpoint];
            let label: Vec<String> = node.lines.iter().map(|l| dot_text(l)).collect();
            let pen = if node.isolated { ", penwidth=2" } else { "" };
            let _ = writeln!(
                out,
                "{indent}{} [label=\"{}\"{pen}];",
                id(endpoint, &nodes),
                label.join("\\n")
            );
        }
        if !title.is_empty() {
            out.push_str("  }\n");
        }
    }
    for edge in edges(traffic, marks) {
        let style = match edge.look {
            Look::Allowed => "",
            Look::Blocked => ", style=dashed, color=\"#cc0000\", fontcolor=\"#cc0000\"",
            Look::Denied { both: false } => {
                ", style=dotted, arrowhead=tee, color=\"#999999\", fontcolor=\"#666666\""
            }
            Look::Denied { both: true } => {
                ", style=dotted, dir=both, arrowhead=tee, arrowtail=tee, color=\"#999999\", fontcolor=\"#666666\""
            }
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"{style}];",
            id(edge.from, &nodes),
            id(edge.to, &nodes),
            dot_text(&edge.label)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::traffic::analyse;
    use serde_json::json;

    const HOSTILE: &str = "x\"] --> evil[\"y\n}|#;<b>&amp;\\end";

    fn hostile_traffic() -> Traffic {
        let labels = json!({ "app": HOSTILE });
        let policy = json!({"kind": "NetworkPolicy",
            "metadata": {"name": "p", "namespace": HOSTILE},
            "spec": {"podSelector": {"matchLabels": labels},
                     "ingress": [{"from": [{"namespaceSelector": {"matchLabels": labels}, "podSelector": {"matchLabels": labels}}]}]}});
        analyse(&[policy], |_| "test".into()).unwrap()
    }

    #[test]
    fn mermaid_labels_hide_every_special_character() {
        let text = draw(&hostile_traffic(), Format::Mermaid);
        for line in text.lines().filter(|l| l.contains("[\"")) {
            let inside = &line[line.find("[\"").unwrap() + 2..line.rfind("\"]").unwrap()];
            assert!(
                !inside.contains(['"', '[', ']', '|', '<', '>', '\n', '\\', '{', '}'])
                    || inside.contains("<br/>"),
                "{line}"
            );
            assert!(!inside.replace("<br/>", "").contains(['<', '>']), "{line}");
        }
        assert!(!text.contains("evil[\""), "{text}");
    }

    #[test]
    fn dot_labels_escape_quotes_and_backslashes() {
        let text = draw(&hostile_traffic(), Format::Dot);
        assert!(
            text.contains("x\\\"] --> evil[\\\"y\\\\u{000A}}|#;<b>&amp;amp;\\\\u{005C}end"),
            "{text}"
        );
        for line in text.lines() {
            let unescaped_quotes = line
                .replace("\\\\", "")
                .replace("\\\"", "")
                .matches('"')
                .count();
            assert_eq!(unescaped_quotes % 2, 0, "{line}");
        }
    }

    #[test]
    fn node_ids_are_generated() {
        let text = draw(&hostile_traffic(), Format::Mermaid);
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| l.contains("[\"") && !l.starts_with("subgraph"))
        {
            let id = &line[..line.find('[').unwrap()];
            assert!(
                id.starts_with('n') && id[1..].chars().all(|c| c.is_ascii_digit()),
                "{line}"
            );
        }
    }
}
