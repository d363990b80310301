//! The names every stage shares: the well-known labels that select pods and namespaces,
//! kubeward's own annotation keys, the rule ids the plan suppresses by name, and the API
//! resources through which a Role lets its holder run code as someone else. They live
//! here, below every stage, so that the plan, the templates, the rule engine and the traffic
//! reader agree on them without importing each other.

/// The label that names an app's pods; callers and destinations are matched by it alone.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// The label Kubernetes puts on every Namespace with its own name.
pub const NAMESPACE_LABEL: &str = "kubernetes.io/metadata.name";
/// The annotation key of kubeward's own suppressions (`RULE-ID=reason`, one per line).
pub const IGNORE_ANNOTATION: &str = "kubeward.dev/ignore";
/// The annotation that records the controls an override template was allowed to drop.
pub const OVERRIDE_ANNOTATION: &str = "kubeward.dev/template-override";
/// The rule a NetworkPolicy for pods outside the checked set must suppress.
pub const POLICY_SELECTS_NOTHING: &str = "KW-NET-002";

/// The subresources that run commands inside pods (`create`, and `get` through a WebSocket):
/// exec and attach, and the kubelet's API behind `nodes/proxy`. All in the core group.
pub const POD_EXEC_RESOURCES: &[&str] = &["pods/exec", "pods/attach", "nodes/proxy"];
/// The verbs that open [`POD_EXEC_RESOURCES`].
pub const POD_EXEC_VERBS: &[&str] = &["create", "get"];
/// The pod controllers, by API group, whose pod template names the ServiceAccount the pods
/// run as: `create`, `update` or `patch` on them runs a pod as any account of the namespace,
/// as `create` on `pods` (core group) does.
pub const POD_CONTROLLERS: &[(&str, &str)] = &[
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("extensions", "deployments"),
    ("extensions", "daemonsets"),
    ("extensions", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("apps.openshift.io", "deploymentconfigs"),
];
/// The verbs that change a pod controller's template.
pub const POD_CONTROLLER_VERBS: &[&str] = &["create", "update", "patch"];
