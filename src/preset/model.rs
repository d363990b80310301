//! The settings a preset fixes for every service that names it, as the plan reads them once
//! resolved along the preset's chain.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::{
    EntryApi, Exposure, Protocol, RateLimitSpec, ResourceAmounts, SealingSpec, Sensitivity,
    TimeoutsSpec,
};

pub const KIND: &str = "Preset";
pub const DEFAULT: &str = "restricted";
/// The shortest projected token lifetime the API server issues.
pub const MIN_TOKEN_EXPIRATION_SECONDS: u32 = 600;

/// The presets compiled into the binary: (name, YAML text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("restricted", include_str!("../../presets/restricted.yaml")),
    ("baseline", include_str!("../../presets/baseline.yaml")),
    ("public-web", include_str!("../../presets/public-web.yaml")),
    (
        "internal-grpc",
        include_str!("../../presets/internal-grpc.yaml"),
    ),
    ("worker", include_str!("../../presets/worker.yaml")),
    ("api-client", include_str!("../../presets/api-client.yaml")),
    ("openshift", include_str!("../../presets/openshift.yaml")),
];

/// Settings whose value is replaced as a whole by a child, never merged key by key.
pub const ATOMIC: &[&str] = &[
    "spec.dns.podLabels",
    "spec.seccompProfile",
    "spec.ingress.gateway.controller.podLabels",
    "spec.ingress.router.namespaceLabels",
];

/// The settings a preset fixes for every service that uses it, resolved along its chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Preset {
    /// Values for the spec fields a service leaves out.
    pub defaults: Defaults,
    /// Pods per service when the spec does not say (and autoscaling is off).
    pub replicas: u32,
    /// The HorizontalPodAutoscaler of services that do not say.
    pub autoscaling: AutoscalingDefaults,
    /// The cluster the bundle is for: `kubernetes`, or `openshift` (whose namespaces keep the
    /// Pod Security labels kubeward writes, and whose SCCs `check` knows).
    #[serde(default)]
    pub platform: Platform,
    /// The uid the containers run as (above 10000); `null`: none is fixed, the platform
    /// assigns it (OpenShift's `restricted-v2` SCC, from the namespace's range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    /// The gid the containers run as (above 10000), also the pod's `fsGroup`; `null` with
    /// `runAsUser: null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<i64>,
    /// `false` relaxes rubric row 6: the root filesystem is writable (recorded on the
    /// Deployment as scanner exemptions).
    pub read_only_root_filesystem: bool,
    /// `false` relaxes rubric row 20: no anti-affinity or topology spread.
    pub spread_across_nodes: bool,
    /// Replicas spread across zones (`topology.kubernetes.io/zone`), beside the spread across
    /// nodes: `ScheduleAnyway` (prefer other zones), `DoNotSchedule` (never more than one pod
    /// above the emptiest zone: pods wait rather than share a zone; nodes without the zone
    /// label are not used) or `None`.
    pub zone_spread: ZoneSpread,
    /// The pod's seccomp profile: `RuntimeDefault` (rubric row 8), or a `Localhost` profile.
    pub seccomp_profile: SeccompProfile,
    /// Container requests and limits when the spec does not say.
    pub resources: Resources,
    /// Probe paths when the spec does not say.
    pub probes: Probes,
    /// The writable, size-limited emptyDir beside the read-only root filesystem.
    pub writable_tmp: WritableTmp,
    /// The size limit of the emptyDir of each of a spec's `writablePaths`.
    pub writable_path_size_limit: String,
    /// Where cluster DNS runs: the only destination every service may always reach.
    pub dns: Dns,
    /// The public entry of public services: its API, its Gateway or IngressClass, where its
    /// pods run, and the limits it enforces.
    pub ingress: IngressDefaults,
    /// The cluster's DNS domain, for the certificate's names.
    pub cluster_domain: String,
    /// Where secret files and the `tls/` folder are mounted in the container.
    pub secrets_mount_path: String,
    /// Certificate lifetimes.
    pub tls: TlsDefaults,
    /// Where the API server is, for services with `apiAccess`.
    pub api_server: ApiServer,
    /// The cluster's own address ranges: carved out of every declared egress range that
    /// contains them, so that an address range never reaches pods, Services or nodes.
    #[serde(default)]
    pub cluster_ranges: ClusterRanges,
    /// ResourceQuota and LimitRange for the namespace of a service with sensitive data.
    pub namespace_quota: NamespaceQuota,
    /// Who owns the services' Namespace objects, when a spec does not say.
    pub namespace: NamespaceDefaults,
    /// The PriorityClass of the pods; it must exist in the cluster. Unset: the cluster's
    /// default priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// The `pod-security.kubernetes.io/enforce-version` of the Namespace, e.g. `v1.35` (or
    /// `latest`); audit and warn are always at `latest`.
    pub pod_security_version: String,
    /// The recommended labels (`app.kubernetes.io/*`) every object of a service carries
    /// besides its name; never in a selector.
    pub recommended_labels: RecommendedLabels,
    /// Seconds a pod gets to shut down, counted from the start of its drain delay: more than
    /// `drainSeconds`.
    pub termination_grace_period_seconds: u32,
    /// Seconds a terminating container waits before it gets SIGTERM (a `preStop` `sleep`
    /// action, from Kubernetes 1.30 on by default), while the endpoints, kube-proxy, the
    /// entry and the mesh stop sending it connections; `0`: no delay.
    pub drain_seconds: u32,
    /// Old ReplicaSets kept for rollback.
    pub revision_history_limit: u32,
    /// The service mesh: its default for `spec.mesh`, its trust domain, its control plane.
    pub mesh: super::MeshSettings,
    /// How the `ExternalSecret`s of secrets `fromStore` are kept in step with their store.
    pub external_secrets: ExternalSecretsDefaults,
    /// Seal every Secret for this Sealed Secrets controller (the certificate's path is
    /// relative to the preset file), unless a spec says otherwise; absent, Secrets are plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealing: Option<SealingSpec>,
    /// A folder of template overrides (absolute once resolved: a preset file writes it
    /// relative to its own folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

/// The first Kubernetes minor whose kubelet runs the `sleep` lifecycle action by default
/// (KEP-3960: alpha in 1.29, beta and on by default in 1.30, GA in 1.34).
pub const SLEEP_ACTION_MINOR: u32 = 30;

impl Preset {
    /// The Kubernetes minor (of 1.x) the bundle targets: the Pod Security version it pins;
    /// `None` for `latest`, the newest.
    pub fn target_minor(&self) -> Option<u32> {
        self.pod_security_version
            .strip_prefix("v1.")
            .and_then(|minor| minor.parse().ok())
    }

    /// Whether the target Kubernetes runs the `sleep` lifecycle action.
    pub fn has_sleep_action(&self) -> bool {
        self.target_minor()
            .is_none_or(|minor| minor >= SLEEP_ACTION_MINOR)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// `spec.protocol` when the spec does not say.
    pub protocol: Protocol,
    /// `spec.exposure` when the spec does not say.
    pub exposure: Exposure,
    /// `spec.sensitivity` when the spec does not say.
    pub sensitivity: Sensitivity,
}

/// The cluster a bundle is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Any conformant Kubernetes.
    #[default]
    Kubernetes,
    /// OpenShift: security context constraints assign the ids, Routes carry the public entry,
    /// and the namespace's Pod Security labels are kept from its label synchronisation.
    Openshift,
}

/// The pod's seccomp profile: `RuntimeDefault`, or a `Localhost` profile on the nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SeccompProfile {
    /// `RuntimeDefault` or `Localhost`.
    #[serde(rename = "type")]
    pub kind: SeccompType,
    /// With `Localhost`: the profile's path on the nodes, relative to the kubelet's seccomp folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

/// The recommended labels a preset writes, or gives defaults for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecommendedLabels {
    /// `app.kubernetes.io/version` from the image's tag (never from a digest, which is no
    /// version); `false`: no version label.
    pub version: bool,
    /// `spec.partOf` when the spec does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// `spec.component` when the spec does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

/// How replicas are spread across zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ZoneSpread {
    /// Prefer zones with fewer of the pods; schedule anyway when none is free.
    ScheduleAnyway,
    /// At most one pod more in a zone than in the emptiest one; pods wait otherwise.
    DoNotSchedule,
    /// No spread across zones.
    None,
}

impl ZoneSpread {
    /// The `whenUnsatisfiable` of the zone's topology spread constraint, when there is one.
    pub fn when_unsatisfiable(self) -> Option<&'static str> {
        match self {
            ZoneSpread::ScheduleAnyway => Some("ScheduleAnyway"),
            ZoneSpread::DoNotSchedule => Some("DoNotSchedule"),
            ZoneSpread::None => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SeccompType {
    RuntimeDefault,
    Localhost,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// What the scheduler reserves for the container.
    pub requests: ResourceAmounts,
    /// What the container may use at most.
    pub limits: ResourceAmounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probes {
    /// HTTP path of the readiness probe.
    pub readiness_path: String,
    /// HTTP path of the liveness probe (different from the readiness path).
    pub liveness_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WritableTmp {
    /// Where the emptyDir is mounted, e.g. `/tmp`.
    pub mount_path: String,
    /// Its size limit, e.g. `64Mi`.
    pub size_limit: String,
}

/// Where cluster DNS runs: the only destination every service may always reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Dns {
    /// The namespace of the DNS pods, e.g. `kube-system`.
    pub namespace: String,
    /// The labels of the DNS pods, e.g. `k8s-app: kube-dns`.
    pub pod_labels: BTreeMap<String, String>,
    /// The DNS port (UDP and TCP).
    pub port: u16,
}

/// The HorizontalPodAutoscaler of services whose spec does not say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AutoscalingDefaults {
    /// Whether services autoscale when the spec does not say.
    pub enabled: bool,
    /// `spec.autoscaling.minReplicas` when the spec does not say (at least 2).
    pub min_replicas: u32,
    /// `spec.autoscaling.maxReplicas` when the spec does not say.
    pub max_replicas: u32,
    /// `spec.autoscaling.targetCPUUtilizationPercentage` when the spec does not say.
    #[serde(rename = "targetCPUUtilizationPercentage")]
    pub target_cpu_utilization_percentage: u32,
    /// `spec.autoscaling.targetMemoryUtilizationPercentage` when the spec does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_memory_utilization_percentage: Option<u32>,
    /// How long load must stay low before the autoscaler removes pods: it scales down slowly
    /// (one pod a minute after this window) and up at once.
    pub scale_down_stabilization_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressDefaults {
    /// `spec.ingress.api` when the spec does not say.
    pub api: EntryApi,
    /// `spec.ingress.className` when the spec does not say (`api: ingress`).
    pub class_name: String,
    /// `spec.ingress.controller` when the spec does not say (`api: ingress`): the Ingress
    /// controller's pods.
    pub controller: AppSelector,
    /// The Gateway of `api: gateway`.
    pub gateway: GatewayDefaults,
    /// The OpenShift router of `api: route`.
    #[serde(default)]
    pub router: RouterDefaults,
    /// `spec.ingress.rateLimit` when the spec does not say, where the entry enforces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitSpec>,
    /// `spec.ingress.maxBodySize` when the spec does not say, where the entry enforces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_size: Option<String>,
    /// `spec.ingress.timeouts` when the spec does not say, where the entry enforces them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<TimeoutsSpec>,
}

/// The Gateway public routes attach to, and what runs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayDefaults {
    /// `spec.ingress.gateway.name` when the spec does not say.
    pub name: String,
    /// `spec.ingress.gateway.namespace` when the spec does not say.
    pub namespace: String,
    /// `spec.ingress.gateway.sectionName` when the spec does not say: the HTTPS listener.
    pub section_name: String,
    /// The Gateway's plain-HTTP listener, when it has one: a route there redirects the host to
    /// HTTPS and serves nothing else. Unset: no HTTP listener, no redirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_section_name: Option<String>,
    /// What runs the Gateway: `envoy-gateway` (kubeward renders Envoy Gateway's policies for
    /// the limits Gateway API has no field for) or `other` (only Gateway API itself).
    pub implementation: GatewayImplementation,
    /// Where the Gateway's data-plane pods run: only they are admitted on the public path.
    /// For Envoy Gateway, kubeward adds the labels that name the Gateway they serve.
    pub controller: PodSelector,
}

/// What implements a Gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GatewayImplementation {
    /// Envoy Gateway (gateway.envoyproxy.io): rate and connection limits, body size and
    /// client ranges as its BackendTrafficPolicy and SecurityPolicy.
    EnvoyGateway,
    /// Any other conformant implementation: Gateway API's own fields only.
    Other,
}

/// Where OpenShift's router runs, as NetworkPolicies select it: by the label of its
/// namespaces (it may run on the host network, where no pod selector matches it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouterDefaults {
    /// The namespace of the default IngressController's router, for the decisions' text.
    pub namespace: String,
    /// The labels of the namespaces whose traffic is the router's (OpenShift's own
    /// `policy-group.network.openshift.io/ingress: ""`, which also covers a host-network router).
    pub namespace_labels: BTreeMap<String, String>,
    /// The router's ServiceAccount in `namespace` (`router` for the default IngressController):
    /// a Route whose certificate is in a Secret lets it read that Secret alone.
    pub service_account: String,
}

impl Default for RouterDefaults {
    fn default() -> Self {
        RouterDefaults {
            namespace: "openshift-ingress".to_string(),
            namespace_labels: BTreeMap::from([(
                "policy-group.network.openshift.io/ingress".to_string(),
                String::new(),
            )]),
            service_account: "router".to_string(),
        }
    }
}

/// Pods by namespace and labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PodSelector {
    /// The namespace of the pods.
    pub namespace: String,
    /// Labels every one of the pods carries.
    pub pod_labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalSecretsDefaults {
    /// How often the External Secrets Operator reads each value from its store again and
    /// updates the Secret, as a Go duration (`1h`, `15m`); `0` reads it once.
    pub refresh_interval: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsDefaults {
    /// Lifetime of kubeward's own CAs: the root and each namespace's.
    pub ca_validity_days: u32,
    /// Lifetime of a service certificate.
    pub leaf_validity_days: u32,
    /// A certificate this close to expiry is renewed at the next render.
    pub renew_before_days: u32,
    /// The cert-manager issuers of the cluster known to be ACME (Let's Encrypt and the like):
    /// they sign public DNS names only, so `spec.tls.issuer` (whose certificate carries the
    /// service's cluster names) may not name one. `kind` defaults to `ClusterIssuer`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acme_issuers: Vec<crate::spec::IssuerRef>,
}

/// Where the API server is reached from pods, and the token they get for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServer {
    /// The API server's addresses as NetworkPolicies see them: its endpoints, never the
    /// `kubernetes` Service address (nor any inside `clusterRanges.services`). Empty: unknown,
    /// and a spec with `apiAccess` is refused until a preset or `--api-server-cidr` names them.
    pub cidrs: Vec<String>,
    /// The API server's ports.
    pub ports: Vec<u16>,
    /// Lifetime of the projected service account token.
    pub token_expiration_seconds: u32,
    /// The token's audience; unset, the API server's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_audience: Option<String>,
}

/// The cluster's pod, Service and node ranges (CIDRs), where the private ranges kubeward
/// always carves out do not cover them (public or IPv6 global addresses, for instance).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterRanges {
    /// The pods' ranges (the cluster CIDR).
    #[serde(default)]
    pub pods: Vec<String>,
    /// The Services' range (the service cluster IP range).
    #[serde(default)]
    pub services: Vec<String>,
    /// The nodes' ranges.
    #[serde(default)]
    pub nodes: Vec<String>,
}

impl ClusterRanges {
    /// Every range, with the setting it is written in.
    pub fn all(&self) -> impl Iterator<Item = (String, &String)> {
        [
            ("pods", &self.pods),
            ("services", &self.services),
            ("nodes", &self.nodes),
        ]
        .into_iter()
        .flat_map(|(key, ranges)| {
            ranges
                .iter()
                .enumerate()
                .map(move |(i, r)| (format!("spec.clusterRanges.{key}[{i}]"), r))
        })
    }
}

/// Who owns the Namespace object of a service's namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceDefaults {
    /// `spec.namespace.manage` when the spec does not say: `true`, the bundle writes the
    /// Namespace (and its quota and LimitRange); `false`, the platform creates it and they
    /// are its.
    pub manage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespaceQuota {
    /// The namespaces of services of this sensitivity and above get the ResourceQuota and
    /// LimitRange.
    pub from_sensitivity: Sensitivity,
    /// The most one container may ask for (the LimitRange's `max`).
    pub max_per_container: ResourceAmounts,
    /// Pods in the namespace at most.
    pub pods: String,
    /// Sum of cpu requests.
    pub requests_cpu: String,
    /// Sum of memory requests.
    pub requests_memory: String,
    /// Sum of cpu limits.
    pub limits_cpu: String,
    /// Sum of memory limits.
    pub limits_memory: String,
    /// Sum of ephemeral-storage requests.
    pub requests_ephemeral_storage: String,
    /// Sum of ephemeral-storage limits.
    pub limits_ephemeral_storage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppSelector {
    /// The namespace of the pods.
    pub namespace: String,
    /// Their `app.kubernetes.io/name` label.
    pub app: String,
}
