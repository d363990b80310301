//! The flags a control-plane component runs with, read from where they are written: the
//! `command` and `args` of a static Pod's container (kube-apiserver, kube-controller-manager,
//! kube-scheduler, etcd), or a kubeadm `ClusterConfiguration`, whose `extraArgs` (v1beta4's
//! list of `{name, value}`, v1beta3's map) replace by name the flags kubeadm sets itself.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::check::object::{Kind, Object};

/// A control-plane component whose flags the CIS Kubernetes Benchmark judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
}

impl Component {
    const ALL: [Component; 4] = [
        Component::ApiServer,
        Component::ControllerManager,
        Component::Scheduler,
        Component::Etcd,
    ];

    /// The binary's name, as a static Pod's command (or its image) names it.
    pub fn binary(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
        }
    }

    /// Where kubeadm's `ClusterConfiguration` holds the component's extra arguments.
    fn kubeadm_path(self) -> &'static [&'static str] {
        match self {
            Component::ApiServer => &["apiServer"],
            Component::ControllerManager => &["controllerManager"],
            Component::Scheduler => &["scheduler"],
            Component::Etcd => &["etcd", "local"],
        }
    }

    /// The component a binary path (`/usr/local/bin/kube-apiserver`) or an image reference
    /// (`registry.k8s.io/kube-apiserver:v1.36.3`) names.
    fn named_by(text: &str) -> Option<Component> {
        let last = text.rsplit('/').next().unwrap_or(text);
        let name = last.split([':', '@']).next().unwrap_or(last);
        Component::ALL.into_iter().find(|c| c.binary() == name)
    }
}

/// One occurrence of a flag: its value and where it is written (`None`: set by kubeadm).
#[derive(Debug, Clone)]
pub struct Flag {
    pub value: String,
    pub path: Option<String>,
}

/// The flags one component runs with.
#[derive(Debug)]
pub struct CommandLine {
    pub component: Component,
    /// Every occurrence of each flag, in order (list flags accumulate, others: last wins).
    flags: BTreeMap<String, Vec<Flag>>,
    /// Where a missing flag would be written.
    pub anchor: String,
    /// The container image, for a static Pod.
    pub image: Option<String>,
}

/// Flags whose bare form (`--profiling`) means true and which take no separate value.
const BOOLEAN_FLAGS: &[&str] = &[
    "anonymous-auth",
    "profiling",
    "service-account-lookup",
    "service-account-extend-token-expiration",
    "use-service-account-credentials",
    "client-cert-auth",
    "peer-client-cert-auth",
    "auto-tls",
    "peer-auto-tls",
];

impl CommandLine {
    fn new(component: Component, anchor: String) -> Self {
        CommandLine {
            component,
            flags: BTreeMap::new(),
            anchor,
            image: None,
        }
    }

    fn push(&mut self, name: &str, value: String, path: Option<String>) {
        self.flags
            .entry(name.to_string())
            .or_default()
            .push(Flag { value, path });
    }

    /// The flag's effective occurrence: the last one.
    pub fn get(&self, name: &str) -> Option<&Flag> {
        self.flags.get(name).and_then(|all| all.last())
    }

    /// A comma-separated list flag's items over every occurrence, each with its flag.
    pub fn items(&self, name: &str) -> Vec<(String, &Flag)> {
        self.flags
            .get(name)
            .into_iter()
            .flatten()
            .flat_map(|flag| {
                flag.value
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(move |item| (item.to_string(), flag))
            })
            .collect()
    }

    /// Reads `--name=value`, `--name value` and a bare boolean `--name` (one dash too, as
    /// etcd accepts), every token with its field path.
    fn read_tokens<'a>(&mut self, tokens: impl IntoIterator<Item = (String, &'a str)>) {
        let tokens: Vec<(String, &str)> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            let (path, token) = &tokens[i];
            i += 1;
            let Some(flag) = token
                .strip_prefix("--")
                .or_else(|| token.strip_prefix('-'))
                .filter(|f| !f.is_empty())
            else {
                continue;
            };
            let (name, value) = match flag.split_once('=') {
                Some((name, value)) => (name, value.to_string()),
                None if !BOOLEAN_FLAGS.contains(&flag)
                    && tokens
                        .get(i)
                        .is_some_and(|(_, next)| !next.starts_with('-')) =>
                {
                    i += 1;
                    (flag, tokens[i - 1].1.to_string())
                }
                None => (flag, "true".to_string()),
            };
            self.push(name, value, Some(path.clone()));
        }
    }
}

/// The command lines of the control-plane components `object` runs or configures.
pub fn command_lines(object: &Object) -> Vec<CommandLine> {
    match object.kind {
        Kind::Pod => static_pod(object),
        Kind::ClusterConfiguration => kubeadm(object),
        _ => Vec::new(),
    }
}

/// The containers of a static Pod that run a control-plane component.
fn static_pod(object: &Object) -> Vec<CommandLine> {
    let Some(pod) = object.pod() else {
        return Vec::new();
    };
    let strings = |value: &Value, field: &str| -> Vec<String> {
        value
            .get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    };
    let mut lines = Vec::new();
    for container in pod.containers().into_iter().filter(|c| !c.init) {
        let command = strings(container.value, "command");
        let args = strings(container.value, "args");
        let image = container.value.get("image").and_then(Value::as_str);
        let component = match command.first() {
            Some(binary) => Component::named_by(binary),
            None => image.and_then(Component::named_by),
        };
        let Some(component) = component else {
            continue;
        };
        let mut line = CommandLine::new(
            component,
            format!(
                "{}.{}",
                container.path,
                if command.is_empty() {
                    "args"
                } else {
                    "command"
                }
            ),
        );
        line.image = image.map(str::to_string);
        let tokens = command
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, t)| (format!("{}.command[{i}]", container.path), t.as_str()))
            .chain(
                args.iter()
                    .enumerate()
                    .map(|(i, t)| (format!("{}.args[{i}]", container.path), t.as_str())),
            );
        line.read_tokens(tokens);
        lines.push(line);
    }
    lines
}

/// The components a `ClusterConfiguration` configures: kubeadm's own flags, then the
/// `extraArgs`, which replace kubeadm's flag of the same name. etcd is judged only when
/// kubeadm runs it (`etcd.local`, the default); external etcd is configured elsewhere.
fn kubeadm(object: &Object) -> Vec<CommandLine> {
    let certificates = object
        .at(&["certificatesDir"])
        .and_then(Value::as_str)
        .unwrap_or("/etc/kubernetes/pki");
    let external = object.at(&["etcd", "external"]);
    let mut lines = Vec::new();
    for component in Component::ALL {
        if component == Component::Etcd && external.is_some() {
            continue;
        }
        let path = component.kubeadm_path();
        let anchor = format!("{}.extraArgs", path.join("."));
        let mut line = CommandLine::new(component, anchor.clone());
        let extra = extra_args(object.at(path).and_then(|c| c.get("extraArgs")), &anchor);
        let given = |flag: &str| extra.iter().any(|(n, _, _)| n == flag);
        for (name, value) in kubeadm_defaults(component, certificates, external) {
            // kubeadm leaves out its authorization modes when given an authorization file.
            let replaced = name == "authorization-mode" && given("authorization-config");
            if !given(&name) && !replaced {
                line.push(&name, value, None);
            }
        }
        for (name, value, path) in extra {
            line.push(&name, value, Some(path));
        }
        lines.push(line);
    }
    lines
}

/// `extraArgs` as (name, value, path): v1beta4's list of `{name, value}` or v1beta3's map.
fn extra_args(value: Option<&Value>, anchor: &str) -> Vec<(String, String, String)> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match value {
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .filter_map(|(i, arg)| {
                let name = arg.get("name")?.as_str()?;
                let value = arg.get("value").map(text).unwrap_or_default();
                Some((name.to_string(), value, format!("{anchor}[{i}]")))
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, v)| (name.clone(), text(v), format!("{anchor}.{name}")))
            .collect(),
        _ => Vec::new(),
    }
}

/// The flags kubeadm sets on each component that the CIS checks read (kubeadm's
/// `getAPIServerCommand`, `getControllerManagerCommand`, `getSchedulerCommand` and
/// `getEtcdCommand`).
fn kubeadm_defaults(
    component: Component,
    pki: &str,
    external_etcd: Option<&Value>,
) -> Vec<(String, String)> {
    let file = |name: &str| format!("{pki}/{name}");
    let pairs: Vec<(&str, String)> = match component {
        Component::ApiServer => {
            let mut pairs = vec![
                ("enable-admission-plugins", "NodeRestriction".to_string()),
                ("authorization-mode", "Node,RBAC".to_string()),
                ("service-account-key-file", file("sa.pub")),
                ("client-ca-file", file("ca.crt")),
                ("tls-cert-file", file("apiserver.crt")),
                ("tls-private-key-file", file("apiserver.key")),
                (
                    "kubelet-client-certificate",
                    file("apiserver-kubelet-client.crt"),
                ),
                ("kubelet-client-key", file("apiserver-kubelet-client.key")),
            ];
            match external_etcd {
                None => pairs.extend([
                    ("etcd-cafile", file("etcd/ca.crt")),
                    ("etcd-certfile", file("apiserver-etcd-client.crt")),
                    ("etcd-keyfile", file("apiserver-etcd-client.key")),
                ]),
                Some(external) => {
                    let field = |name: &str| {
                        external
                            .get(name)
                            .and_then(Value::as_str)
                            .filter(|v| !v.is_empty())
                            .map(str::to_string)
                    };
                    pairs.extend(
                        [
                            ("etcd-cafile", "caFile"),
                            ("etcd-certfile", "certFile"),
                            ("etcd-keyfile", "keyFile"),
                        ]
                        .into_iter()
                        .filter_map(|(flag, name)| Some((flag, field(name)?))),
                    );
                }
            }
            pairs
        }
        Component::ControllerManager => vec![
            ("bind-address", "127.0.0.1".to_string()),
            ("root-ca-file", file("ca.crt")),
            ("service-account-private-key-file", file("sa.key")),
            ("use-service-account-credentials", "true".to_string()),
        ],
        Component::Scheduler => vec![("bind-address", "127.0.0.1".to_string())],
        Component::Etcd => vec![
            ("cert-file", file("etcd/server.crt")),
            ("key-file", file("etcd/server.key")),
            ("trusted-ca-file", file("etcd/ca.crt")),
            ("client-cert-auth", "true".to_string()),
            ("peer-cert-file", file("etcd/peer.crt")),
            ("peer-key-file", file("etcd/peer.key")),
            ("peer-trusted-ca-file", file("etcd/ca.crt")),
            ("peer-client-cert-auth", "true".to_string()),
        ],
    };
    pairs
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::load::load_text;

    fn lines(text: &str) -> Vec<CommandLine> {
        let loaded = load_text("in.yaml", text);
        command_lines(&loaded.objects[0])
    }

    #[test]
    fn a_static_pod_is_read_from_its_command_and_args() {
        let found = lines(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.36.3\n    command: [/usr/local/bin/kube-apiserver, --profiling=false, --audit-log-path, /var/log/a.log, --anonymous-auth]\n    args: [--enable-admission-plugins=NodeRestriction, --enable-admission-plugins=EventRateLimit]\n",
        );
        assert_eq!(found.len(), 1);
        let line = &found[0];
        assert_eq!(line.component, Component::ApiServer);
        assert_eq!(line.get("profiling").unwrap().value, "false");
        assert_eq!(line.get("audit-log-path").unwrap().value, "/var/log/a.log");
        assert_eq!(
            line.get("audit-log-path").unwrap().path.as_deref(),
            Some("spec.containers[0].command[2]")
        );
        assert_eq!(line.get("anonymous-auth").unwrap().value, "true");
        let plugins: Vec<String> = line
            .items("enable-admission-plugins")
            .into_iter()
            .map(|(item, _)| item)
            .collect();
        assert_eq!(plugins, ["NodeRestriction", "EventRateLimit"]);
    }

    #[test]
    fn an_image_names_the_component_when_there_is_no_command() {
        let found = lines(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: etcd}\nspec:\n  containers:\n  - {name: e, image: 'quay.io/coreos/etcd:v3.5.21', args: [-client-cert-auth=true]}\n  - {name: other, image: nginx, command: [nginx]}\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].component, Component::Etcd);
        assert_eq!(found[0].get("client-cert-auth").unwrap().value, "true");
    }

    #[test]
    fn kubeadm_extra_args_replace_its_defaults_by_name() {
        let found = lines(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - {name: enable-admission-plugins, value: AlwaysPullImages}\n  - {name: profiling, value: 'false'}\ncontrollerManager:\n  extraArgs: []\n",
        );
        assert_eq!(found.len(), 4);
        let api = &found[0];
        assert_eq!(
            api.get("enable-admission-plugins").unwrap().value,
            "AlwaysPullImages"
        );
        assert_eq!(
            api.get("profiling").unwrap().path.as_deref(),
            Some("apiServer.extraArgs[1]")
        );
        assert_eq!(api.get("authorization-mode").unwrap().value, "Node,RBAC");
        assert!(api.get("authorization-mode").unwrap().path.is_none());
        let v1beta3 = lines(
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\netcd:\n  external: {endpoints: [https://e:2379], caFile: /ca.crt}\napiServer:\n  extraArgs: {profiling: 'false'}\n",
        );
        assert_eq!(v1beta3.len(), 3, "external etcd is not judged here");
        assert_eq!(
            v1beta3[0].get("profiling").unwrap().path.as_deref(),
            Some("apiServer.extraArgs.profiling")
        );
        assert_eq!(v1beta3[0].get("etcd-cafile").unwrap().value, "/ca.crt");
        assert!(v1beta3[0].get("etcd-certfile").is_none());
    }
}
