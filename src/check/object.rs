//! The typed view over one parsed Kubernetes object: which known kind it is, its name and
//! namespace, where it came from, and the pod template inside a workload.

use serde_json::Value;

/// The kinds the rules know. Every other kind is skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    Job,
    CronJob,
    Namespace,
    Service,
    ServiceAccount,
    Secret,
    ConfigMap,
    PersistentVolumeClaim,
    ResourceQuota,
    LimitRange,
    NetworkPolicy,
    Ingress,
    Role,
    ClusterRole,
    RoleBinding,
    ClusterRoleBinding,
    PodDisruptionBudget,
    HorizontalPodAutoscaler,
    /// OpenShift's `apps.openshift.io` DeploymentConfig, whose pod template is a Deployment's.
    DeploymentConfig,
    IngressClass,
    Gateway,
    HTTPRoute,
    GRPCRoute,
    BackendTLSPolicy,
    ReferenceGrant,
    /// Envoy Gateway's policies (gateway.envoyproxy.io), custom resources.
    BackendTrafficPolicy,
    SecurityPolicy,
    /// bitnami.com's SealedSecret, a custom resource.
    SealedSecret,
    /// OpenShift's Route (route.openshift.io).
    Route,
    /// OpenShift's SecurityContextConstraints (security.openshift.io), cluster-scoped.
    SecurityContextConstraints,
    /// The API server's `--encryption-provider-config` file (apiserver.config.k8s.io).
    EncryptionConfiguration,
    /// The API server's `--audit-policy-file` (audit.k8s.io `Policy`).
    AuditPolicy,
    /// The API server's `--admission-control-config-file` (apiserver.config.k8s.io).
    AdmissionConfiguration,
    /// kubeadm's cluster-wide configuration: the control plane's flags (kubeadm.k8s.io).
    ClusterConfiguration,
    /// The cluster's version, as `kubeward check --kubernetes-version` gives it.
    KubernetesVersion,
    /// Istio `security.istio.io` PeerAuthentication.
    PeerAuthentication,
    /// Istio `security.istio.io` AuthorizationPolicy.
    IstioAuthorizationPolicy,
    /// Linkerd `policy.linkerd.io` Server.
    LinkerdServer,
    /// Linkerd `policy.linkerd.io` AuthorizationPolicy.
    LinkerdAuthorizationPolicy,
    /// Linkerd `policy.linkerd.io` MeshTLSAuthentication.
    MeshTlsAuthentication,
}

impl Kind {
    /// The known kind for `apiVersion` and `kind`, or `None` (a CRD, or a kind of another group).
    pub fn of(api_version: &str, kind: &str) -> Option<Kind> {
        let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
        let kind = match (group, kind) {
            ("", "Pod") => Kind::Pod,
            ("", "Namespace") => Kind::Namespace,
            ("", "Service") => Kind::Service,
            ("", "ServiceAccount") => Kind::ServiceAccount,
            ("", "Secret") => Kind::Secret,
            ("", "ConfigMap") => Kind::ConfigMap,
            ("", "PersistentVolumeClaim") => Kind::PersistentVolumeClaim,
            ("", "ResourceQuota") => Kind::ResourceQuota,
            ("", "LimitRange") => Kind::LimitRange,
            ("apps" | "extensions", "Deployment") => Kind::Deployment,
            ("apps" | "extensions", "DaemonSet") => Kind::DaemonSet,
            ("apps" | "extensions", "ReplicaSet") => Kind::ReplicaSet,
            ("apps", "StatefulSet") => Kind::StatefulSet,
            ("batch", "Job") => Kind::Job,
            ("batch", "CronJob") => Kind::CronJob,
            ("networking.k8s.io" | "extensions", "NetworkPolicy") => Kind::NetworkPolicy,
            ("networking.k8s.io" | "extensions", "Ingress") => Kind::Ingress,
            ("rbac.authorization.k8s.io", "Role") => Kind::Role,
            ("rbac.authorization.k8s.io", "ClusterRole") => Kind::ClusterRole,
            ("rbac.authorization.k8s.io", "RoleBinding") => Kind::RoleBinding,
            ("rbac.authorization.k8s.io", "ClusterRoleBinding") => Kind::ClusterRoleBinding,
            ("policy", "PodDisruptionBudget") => Kind::PodDisruptionBudget,
            ("autoscaling", "HorizontalPodAutoscaler") => Kind::HorizontalPodAutoscaler,
            ("apps.openshift.io", "DeploymentConfig") => Kind::DeploymentConfig,
            ("networking.k8s.io", "IngressClass") => Kind::IngressClass,
            ("gateway.networking.k8s.io", "Gateway") => Kind::Gateway,
            ("gateway.networking.k8s.io", "HTTPRoute") => Kind::HTTPRoute,
            ("gateway.networking.k8s.io", "GRPCRoute") => Kind::GRPCRoute,
            ("gateway.networking.k8s.io", "BackendTLSPolicy") => Kind::BackendTLSPolicy,
            ("gateway.networking.k8s.io", "ReferenceGrant") => Kind::ReferenceGrant,
            ("gateway.envoyproxy.io", "BackendTrafficPolicy") => Kind::BackendTrafficPolicy,
            ("gateway.envoyproxy.io", "SecurityPolicy") => Kind::SecurityPolicy,
            ("bitnami.com", "SealedSecret") => Kind::SealedSecret,
            ("route.openshift.io", "Route") => Kind::Route,
            ("security.openshift.io", "SecurityContextConstraints") => {
                Kind::SecurityContextConstraints
            }
            ("apiserver.config.k8s.io", "EncryptionConfiguration") => Kind::EncryptionConfiguration,
            ("apiserver.config.k8s.io", "AdmissionConfiguration") => Kind::AdmissionConfiguration,
            ("audit.k8s.io", "Policy") => Kind::AuditPolicy,
            ("kubeadm.k8s.io", "ClusterConfiguration") => Kind::ClusterConfiguration,
            ("kubeward.dev", "KubernetesVersion") => Kind::KubernetesVersion,
            ("security.istio.io", "PeerAuthentication") => Kind::PeerAuthentication,
            ("security.istio.io", "AuthorizationPolicy") => Kind::IstioAuthorizationPolicy,
            ("policy.linkerd.io", "Server") => Kind::LinkerdServer,
            ("policy.linkerd.io", "AuthorizationPolicy") => Kind::LinkerdAuthorizationPolicy,
            ("policy.linkerd.io", "MeshTLSAuthentication") => Kind::MeshTlsAuthentication,
            _ => return None,
        };
        Some(kind)
    }

    /// The known kind that `kind` names under an `apiVersion` of a built-in group that does
    /// not serve it (`apiVersion: v1` on a Deployment): not a custom resource (their groups
    /// have a dot and are not `*.k8s.io`), but a manifest the API server refuses.
    pub fn misplaced(api_version: &str, kind: &str) -> Option<Kind> {
        let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
        let built_in = !group.contains('.') || group.ends_with(".k8s.io");
        if !built_in {
            return None;
        }
        [
            "v1",
            "apps/v1",
            "batch/v1",
            "networking.k8s.io/v1",
            "rbac.authorization.k8s.io/v1",
            "policy/v1",
            "autoscaling/v2",
            "gateway.networking.k8s.io/v1",
            "apps.openshift.io/v1",
        ]
        .into_iter()
        .find_map(|served| Kind::of(served, kind))
    }

    /// Whether objects of this kind live in a namespace.
    pub fn is_namespaced(self) -> bool {
        self.is_api_object()
            && !matches!(
                self,
                Kind::Namespace
                    | Kind::ClusterRole
                    | Kind::ClusterRoleBinding
                    | Kind::IngressClass
                    | Kind::SecurityContextConstraints
            )
    }

    /// Whether the API server stores objects of this kind; the others are files the control
    /// plane reads at start (and the version `--kubernetes-version` gives).
    pub fn is_api_object(self) -> bool {
        !matches!(
            self,
            Kind::EncryptionConfiguration
                | Kind::AuditPolicy
                | Kind::AdmissionConfiguration
                | Kind::ClusterConfiguration
                | Kind::KubernetesVersion
        )
    }

    /// Whether the kind is a custom resource of a project other than Kubernetes, whose API
    /// versions are that project's own: Sealed Secrets' SealedSecret (only `bitnami.com/v1alpha1`)
    /// and Envoy Gateway's policies (only `gateway.envoyproxy.io/v1alpha1`). Gateway API, though
    /// installed as custom resources, is Kubernetes' own API and is not one of them.
    pub fn is_custom(self) -> bool {
        matches!(
            self,
            Kind::SealedSecret | Kind::BackendTrafficPolicy | Kind::SecurityPolicy
        )
    }

    /// The keys that lead to the pod template, for the kinds that carry pods (`Pod` is its
    /// own template), with the field paths of the pod spec and the pod metadata.
    pub fn pod_paths(self) -> Option<(&'static [&'static str], &'static str, &'static str)> {
        match self {
            Kind::Pod => Some((&[], "spec", "metadata")),
            Kind::Deployment
            | Kind::StatefulSet
            | Kind::DaemonSet
            | Kind::ReplicaSet
            | Kind::Job
            | Kind::DeploymentConfig => Some((
                &["spec", "template"],
                "spec.template.spec",
                "spec.template.metadata",
            )),
            Kind::CronJob => Some((
                &["spec", "jobTemplate", "spec", "template"],
                "spec.jobTemplate.spec.template.spec",
                "spec.jobTemplate.spec.template.metadata",
            )),
            _ => None,
        }
    }

    /// Whether objects of this kind carry a pod template (or are a pod).
    pub fn carries_pods(self) -> bool {
        self.pod_paths().is_some()
    }

    /// Where the pod template stands, for messages (`spec.template`).
    pub fn template_path(self) -> Option<String> {
        self.pod_paths().map(|(keys, ..)| match keys {
            [] => "spec".to_string(),
            keys => keys.join("."),
        })
    }

    /// Kinds whose pods are meant to run until stopped (not Jobs and CronJobs).
    fn is_long_running(self) -> bool {
        matches!(
            self,
            Kind::Pod
                | Kind::Deployment
                | Kind::StatefulSet
                | Kind::DaemonSet
                | Kind::ReplicaSet
                | Kind::DeploymentConfig
        )
    }

    /// A service mesh's custom resources, whose API versions are their project's own.
    pub fn is_mesh(self) -> bool {
        matches!(
            self,
            Kind::PeerAuthentication
                | Kind::IstioAuthorizationPolicy
                | Kind::LinkerdServer
                | Kind::LinkerdAuthorizationPolicy
                | Kind::MeshTlsAuthentication
        )
    }

    /// Kinds that keep a number of identical replicas.
    pub fn is_replicated(self) -> bool {
        matches!(
            self,
            Kind::Deployment | Kind::StatefulSet | Kind::DeploymentConfig
        )
    }
}

/// Where an object was read: the input, the line of its document, and for an item of a
/// `List` the field path of the item within the document (`items[3]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index of the input in [`super::load::Loaded::sources`].
    pub source: usize,
    /// Byte range of the document in the source text.
    pub document: std::ops::Range<usize>,
    /// 1-based line of the document's first line in the source.
    pub document_line: usize,
    /// 1-based line of the object itself.
    pub line: usize,
    /// Field path prefix inside the document: empty, or `items[N]`.
    pub prefix: String,
}

/// One Kubernetes object of a known kind.
#[derive(Clone, Debug)]
pub struct Object {
    pub kind: Kind,
    pub value: Value,
    pub api_version: String,
    /// Whether `api_version` serves `kind`; `false` for a built-in kind under another built-in
    /// group's version (see [`Kind::misplaced`]), which the rules read as that kind anyway.
    pub api_serves_kind: bool,
    pub name: String,
    pub namespace: Option<String>,
    pub origin: Origin,
}

/// The pod template of a workload (or the pod itself).
pub struct PodTemplate<'a> {
    pub spec: &'a Value,
    pub metadata: Option<&'a Value>,
    /// Path of the pod spec, e.g. `spec.template.spec`.
    pub spec_path: &'static str,
    /// Path of the pod metadata, e.g. `spec.template.metadata`.
    pub metadata_path: &'static str,
}

/// The field path of a container (`spec.template.spec.containers[0]`), written out only for
/// the findings that name it.
#[derive(Clone, Copy, Debug)]
pub struct ContainerPath {
    spec: &'static str,
    field: &'static str,
    index: usize,
}

impl std::fmt::Display for ContainerPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}[{}]", self.spec, self.field, self.index)
    }
}

impl From<ContainerPath> for String {
    fn from(path: ContainerPath) -> String {
        path.to_string()
    }
}

/// One container of a pod spec.
pub struct Container<'a> {
    pub value: &'a Value,
    pub name: &'a str,
    pub path: ContainerPath,
    pub init: bool,
}

impl<'a> Container<'a> {
    /// `container NAME` or `init container NAME`, for messages.
    pub fn label(&self) -> String {
        if self.init {
            format!("init container `{}`", self.name)
        } else {
            format!("container `{}`", self.name)
        }
    }

    /// A field of the container's `securityContext`.
    pub fn security(&self, field: &str) -> Option<&'a Value> {
        self.value.get("securityContext")?.get(field)
    }
}

impl Object {
    /// `Kind namespace/name` (or `Kind name` when cluster-scoped or without a namespace).
    pub fn display(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind_name(), self.name),
            None => format!("{} {}", self.kind_name(), self.name),
        }
    }

    pub fn kind_name(&self) -> &str {
        self.value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// A nested field by keys.
    pub fn at(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(&self.value, |v, key| v.get(key))
    }

    /// Whether the object's pods run until stopped: not Jobs and CronJobs, nor bare Pods with
    /// `restartPolicy: Never` or `OnFailure` (a `helm test` pod, a one-off task).
    pub fn is_long_running(&self) -> bool {
        let restart = self.at(&["spec", "restartPolicy"]).and_then(Value::as_str);
        self.kind.is_long_running()
            && !(self.kind == Kind::Pod && matches!(restart, Some("Never" | "OnFailure")))
    }

    /// The pod template, for the kinds that carry pods.
    pub fn pod(&self) -> Option<PodTemplate<'_>> {
        let (keys, spec_path, metadata_path) = self.kind.pod_paths()?;
        let template = self.at(keys)?;
        Some(PodTemplate {
            spec: template.get("spec")?,
            metadata: template.get("metadata"),
            spec_path,
            metadata_path,
        })
    }

    /// The annotations of the object, then those of its pod template.
    pub fn annotations(&self) -> impl Iterator<Item = (&str, &str)> {
        let own = self.at(&["metadata", "annotations"]);
        let pod = self
            .pod()
            .and_then(|p| p.metadata)
            .and_then(|m| m.get("annotations"));
        [own, pod]
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flatten()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
    }
}

impl<'a> PodTemplate<'a> {
    /// Init containers first, then containers.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (field, init) in [("initContainers", true), ("containers", false)] {
            let Some(list) = self.spec.get(field).and_then(Value::as_array) else {
                continue;
            };
            for (i, value) in list.iter().enumerate() {
                out.push(Container {
                    value,
                    name: value.get("name").and_then(Value::as_str).unwrap_or("?"),
                    path: ContainerPath {
                        spec: self.spec_path,
                        field,
                        index: i,
                    },
                    init,
                });
            }
        }
        out
    }

    /// A field of the pod's `securityContext`.
    pub fn security(&self, field: &str) -> Option<&'a Value> {
        self.spec.get("securityContext")?.get(field)
    }

    /// The ServiceAccount the pod runs as, when named, and the field that names it:
    /// `serviceAccountName`, or the deprecated `serviceAccount` the API server copies into it
    /// when `serviceAccountName` is empty.
    pub fn service_account(&self) -> Option<(&'static str, &'a str)> {
        ["serviceAccountName", "serviceAccount"]
            .into_iter()
            .find_map(|f| {
                let name = self.spec.get(f).and_then(Value::as_str)?;
                (!name.is_empty()).then_some((f, name))
            })
    }

    /// Whether the pod runs in its own user namespace (`hostUsers: false`): uid 0 in the
    /// container is then an unprivileged uid on the node.
    pub fn in_user_namespace(&self) -> bool {
        self.spec.get("hostUsers").and_then(Value::as_bool) == Some(false)
    }

    /// The pod's labels.
    pub fn labels(&self) -> Option<&'a serde_json::Map<String, Value>> {
        self.metadata?.get("labels")?.as_object()
    }

    /// The pod's volumes with their paths.
    pub fn volumes(&self) -> impl Iterator<Item = (String, &'a Value)> {
        let path = self.spec_path;
        self.spec
            .get("volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(move |(i, v)| (format!("{path}.volumes[{i}]"), v))
    }
}
