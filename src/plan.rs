//! The plan: a pure function from a validated service and its preset to the objects to
//! render and the decisions behind them, each with its reason and rubric rows. No YAML, no I/O.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::cross::POLICY_SELECTS_NOTHING;
use crate::check::suppress::IGNORE_ANNOTATION;
use crate::cidr::Cidr;
use crate::exemptions::{self, Departure};
use crate::preset::{NamespaceQuota, Preset, SeccompProfile, SeccompType};
use crate::rationale;
use crate::spec::{Exposure, Protocol, ResourceAmounts, Sensitivity, TlsMode, Transport};
use crate::validate::{AppRef, SecretSource, Service, Target};

pub const NAME_LABEL: &str = "app.kubernetes.io/name";
pub const NAMESPACE_LABEL: &str = "kubernetes.io/metadata.name";
/// Where client libraries look for the service account token, CA and namespace.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// Everything a render needs, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub name: String,
    pub namespace: String,
    /// Labels on every object.
    pub labels: BTreeMap<String, String>,
    /// The one label that selects the service's pods.
    pub selector: BTreeMap<String, String>,
    pub pod_security_version: String,
    pub workload: Workload,
    pub service: ServicePort,
    pub network: Network,
    pub ingress: Option<Ingress>,
    pub role: Option<Vec<RoleRule>>,
    pub secrets: Vec<SecretPlan>,
    /// The certificate for the service's own port.
    pub tls: Option<CertPlan>,
    /// How long kubeward's own CA for the namespace is valid.
    pub ca_validity_days: u32,
    /// ResourceQuota and LimitRange for the namespace (sensitivity restricted).
    pub quota: Option<NamespaceQuota>,
    pub objects: Vec<PlannedObject>,
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    /// `None` only when an autoscaler owns the count.
    pub replicas: Option<u32>,
    pub image: String,
    pub port: u16,
    pub port_name: &'static str,
    pub run_as_user: i64,
    pub run_as_group: i64,
    /// `false` only when the preset relaxes rubric row 6 (recorded in `annotations`).
    pub read_only_root_filesystem: bool,
    /// Anti-affinity and topology spread across nodes; `false` only when the preset relaxes
    /// rubric row 20 (recorded in `annotations`).
    pub spread_across_nodes: bool,
    pub seccomp_profile: SeccompProfile,
    pub requests: ResourceAmounts,
    pub limits: ResourceAmounts,
    /// The readiness probe, then the liveness probe.
    pub probes: [Probe; 2],
    /// The clear-text container port the probes use, when the spec gives one.
    pub probe_port: Option<ProbePort>,
    pub tmp_mount_path: String,
    pub tmp_size_limit: String,
    pub termination_grace_period_seconds: u32,
    pub revision_history_limit: u32,
    /// The projected API token, when the service needs the API.
    pub api_token: Option<ApiToken>,
    pub token_mount_path: &'static str,
    /// Where secret files and the TLS folder are mounted.
    pub secrets_mount_path: String,
    /// Scanner suppression annotations, each with its reason.
    pub annotations: BTreeMap<String, String>,
}

/// The clear-text container port of `spec.probes.port`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbePort {
    pub name: &'static str,
    pub port: u16,
}

/// A probe handler: `httpGet` (with path and scheme), `grpc` or `tcpSocket`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    /// The container field: `readinessProbe` or `livenessProbe`.
    pub field: &'static str,
    pub kind: &'static str,
    pub path: Option<String>,
    pub scheme: Option<&'static str>,
    /// The port probed: by number for `grpc` (which takes no name), by name otherwise.
    pub port: u16,
    pub port_name: &'static str,
    pub period_seconds: u32,
    pub failure_threshold: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub audience: Option<String>,
    pub expiration_seconds: u32,
}

/// A Secret of the service: its name in the spec, its object name, where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretPlan {
    pub name: String,
    pub object_name: String,
    #[serde(skip)]
    pub source: SecretSource,
    /// The decision (index into [`Plan::decisions`]) about this Secret.
    pub decision: usize,
}

/// How a certificate is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertSource {
    /// Signed by kubeward's own CA for the namespace, kept in the state folder.
    SelfSigned,
    /// Signed by the CA given in `spec.tls.ca`.
    Ca,
    /// Issued in the cluster by cert-manager from a `Certificate` object.
    CertManager,
}

/// A certificate to put in a `kubernetes.io/tls` Secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertPlan {
    /// The Secret (and, for cert-manager, the Certificate) name.
    pub secret_name: String,
    pub dns_names: Vec<String>,
    pub source: CertSource,
    pub issuer_kind: String,
    pub issuer_name: String,
    pub validity_days: u32,
    pub renew_before_days: u32,
    /// The same two periods as cert-manager durations, e.g. `2160h`.
    pub duration: String,
    pub renew_before: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServicePort {
    pub port: u16,
    pub target_port_name: &'static str,
    pub app_protocol: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Network {
    /// Peers admitted to the service's port; empty means no ingress at all.
    pub ingress_from: Vec<Admitted>,
    pub port: u16,
    pub egress: Vec<EgressRule>,
}

/// Pods selected by labels in one namespace (by its `kubernetes.io/metadata.name`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodPeer {
    pub namespace: String,
    pub pod_labels: BTreeMap<String, String>,
}

/// A peer admitted to the service's port, and the decision (index into
/// [`Plan::decisions`]) that admits it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Admitted {
    #[serde(flatten)]
    pub peer: PodPeer,
    pub decision: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EgressRule {
    pub pod: Option<PodPeer>,
    pub cidr: Option<String>,
    pub except: Vec<String>,
    pub ports: Vec<PortRule>,
    /// The decision (index into [`Plan::decisions`]) that opens this rule.
    pub decision: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortRule {
    pub protocol: &'static str,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ingress {
    pub host: String,
    pub class_name: String,
    pub tls: CertPlan,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
}

/// One Kubernetes object of the bundle and the template that renders it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedObject {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub namespace: Option<String>,
    pub template: &'static str,
    /// Whether the object carries secret material (written with mode 0600).
    pub secret: bool,
    /// For a peer policy: the neighbour whose side of a flow it opens.
    pub peer: Option<PeerPolicy>,
}

/// A policy for a pod that is not ours but shares our namespace, and so our default deny:
/// it opens exactly its side of a declared flow (a caller's egress to us, or a destination's
/// ingress from us), and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerPolicy {
    pub pod_labels: BTreeMap<String, String>,
    /// `Egress` for a caller, `Ingress` for a destination.
    pub direction: &'static str,
    pub port: u16,
    pub protocol: &'static str,
    /// The suppression of "a policy that selects no pod of the bundle", with its reason.
    pub annotations: BTreeMap<String, String>,
    /// The decision (index into [`Plan::decisions`]) that declared the flow.
    pub decision: usize,
}

/// The `kubeward.dev/ignore` annotation for a peer policy: its pods are not in the bundle.
fn peer_annotations(app: &AppRef, direction: &str) -> BTreeMap<String, String> {
    let side = if direction == "Egress" {
        "its egress to this service"
    } else {
        "its ingress from this service"
    };
    BTreeMap::from([(
        IGNORE_ANNOTATION.to_string(),
        format!(
            "{POLICY_SELECTS_NOTHING}=selects the pods of `{}` in namespace {}, which are deployed separately: this policy opens {side}, as declared",
            app.app, app.namespace
        ),
    )])
}

impl PlannedObject {
    /// The file name in an output folder, e.g. `deployment-payments-api.yaml`.
    pub fn file_name(&self) -> String {
        format!("{}-{}.yaml", self.kind.to_lowercase(), self.name)
    }
}

/// Groups of decisions, as `explain` presents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Concern {
    Identity,
    Network,
    Runtime,
    SecretsAndTls,
    Availability,
}

impl Concern {
    pub const ALL: [Concern; 5] = [
        Concern::Identity,
        Concern::Network,
        Concern::Runtime,
        Concern::SecretsAndTls,
        Concern::Availability,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Concern::Identity => "Identity",
            Concern::Network => "Network",
            Concern::Runtime => "Runtime",
            Concern::SecretsAndTls => "Secrets and TLS",
            Concern::Availability => "Availability",
        }
    }
}

/// What an attacker (or an accident) could do that a decision stands in the way of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Threat {
    UnauthorisedAccess,
    ExposedSecrets,
    ManInTheMiddle,
    DenialOfService,
    ContainerBreakout,
    ApiServerAttack,
    /// A re-pushed tag or a swapped registry image runs code nobody reviewed.
    TamperedImage,
}

impl Threat {
    pub const ALL: [Threat; 7] = [
        Threat::UnauthorisedAccess,
        Threat::ExposedSecrets,
        Threat::ManInTheMiddle,
        Threat::DenialOfService,
        Threat::ContainerBreakout,
        Threat::ApiServerAttack,
        Threat::TamperedImage,
    ];

    /// The id used on the command line and in JSON, e.g. `man-in-the-middle`.
    pub fn id(self) -> &'static str {
        match self {
            Threat::UnauthorisedAccess => "unauthorised-access",
            Threat::ExposedSecrets => "exposed-secrets",
            Threat::ManInTheMiddle => "man-in-the-middle",
            Threat::DenialOfService => "denial-of-service",
            Threat::ContainerBreakout => "container-breakout",
            Threat::ApiServerAttack => "api-server-attack",
            Threat::TamperedImage => "tampered-image",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Threat::UnauthorisedAccess => "unauthorised access between components",
            Threat::ExposedSecrets => "exposed secrets",
            Threat::ManInTheMiddle => "man-in-the-middle",
            Threat::DenialOfService => "denial of service",
            Threat::ContainerBreakout => "container breakout",
            Threat::ApiServerAttack => "attacks on the API server",
            Threat::TamperedImage => "a tampered or swapped image",
        }
    }
}

/// One choice the plan made, the answer that caused it, and what it counters. The concern,
/// threat, reason and rubric rows come from the decision's kind in [`crate::rationale`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: &'static str,
    pub concern: Concern,
    pub summary: String,
    pub cause: String,
    pub reason: &'static str,
    pub threat: Threat,
    pub rubric: Vec<u8>,
}

/// Ranges a declared CIDR egress never reaches unless named exactly: cluster-internal and
/// link-local (cloud metadata) addresses.
const NEVER_IMPLIED: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "127.0.0.0/8",
    "fc00::/7",
    "fe80::/10",
];

/// Builds the plan. Pure: same inputs, same plan.
pub fn plan(service: &Service, preset: &Preset) -> Plan {
    let mut decisions = Decisions::default();
    let name = service.name.clone();
    let ns = service.namespace.clone();
    let selector = BTreeMap::from([(NAME_LABEL.to_string(), name.clone())]);
    let mut labels = selector.clone();
    labels.insert("app.kubernetes.io/managed-by".into(), "kubeward".into());

    decisions.identity(service, preset);
    let workload = workload(service, preset, &mut decisions);
    let network = network(service, preset, &mut decisions);
    let ingress = ingress(service, preset, &mut decisions);
    let role = role(service, &mut decisions);
    let secrets = secrets(service, &mut decisions);
    let tls = service_cert(service, preset, &mut decisions);
    let quota = quota(service, preset, &mut decisions);
    let service_port = service_port(service);
    decisions.add(
        "cluster-ip-service",
        format!(
            "a ClusterIP Service on port {} to the container's `{}` port",
            service_port.port, service_port.target_port_name
        ),
        "always",
    );

    let mut objects = vec![object("v1", "Namespace", &ns, None, "namespace.yaml")];
    let mut add =
        |api: &'static str, kind: &'static str, obj_name: &str, template: &'static str| {
            objects.push(object(api, kind, obj_name, Some(&ns), template));
        };
    if quota.is_some() {
        add("v1", "ResourceQuota", &name, "resourcequota.yaml");
        add("v1", "LimitRange", &name, "limitrange.yaml");
    }
    add("v1", "ServiceAccount", &name, "serviceaccount.yaml");
    if role.is_some() {
        add("rbac.authorization.k8s.io/v1", "Role", &name, "role.yaml");
        add(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            &name,
            "rolebinding.yaml",
        );
    }
    for secret in &secrets {
        add("v1", "Secret", &secret.object_name, "secret.yaml");
    }
    for cert in tls.iter().chain(ingress.as_ref().map(|i| &i.tls)) {
        match cert.source {
            CertSource::CertManager => add(
                "cert-manager.io/v1",
                "Certificate",
                &cert.secret_name,
                "certificate.yaml",
            ),
            CertSource::SelfSigned | CertSource::Ca => {
                add("v1", "Secret", &cert.secret_name, "secret-tls.yaml")
            }
        }
    }
    add("v1", "Service", &name, "service.yaml");
    add("apps/v1", "Deployment", &name, "deployment.yaml");
    add(
        "policy/v1",
        "PodDisruptionBudget",
        &name,
        "poddisruptionbudget.yaml",
    );
    add(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        "default-deny",
        "networkpolicy-default-deny.yaml",
    );
    add(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        &name,
        "networkpolicy.yaml",
    );
    for (peer_name, peer) in peer_policies(service, &network) {
        let mut policy = object(
            "networking.k8s.io/v1",
            "NetworkPolicy",
            &peer_name,
            Some(&ns),
            "networkpolicy-peer.yaml",
        );
        policy.peer = Some(peer);
        objects.push(policy);
    }
    if ingress.is_some() {
        objects.push(object(
            "networking.k8s.io/v1",
            "Ingress",
            &name,
            Some(&ns),
            "ingress.yaml",
        ));
    }

    Plan {
        name,
        namespace: ns,
        labels,
        selector,
        pod_security_version: preset.pod_security_version.clone(),
        workload,
        service: service_port,
        network,
        ingress,
        role,
        secrets,
        tls,
        ca_validity_days: preset.tls.ca_validity_days,
        quota,
        objects: objects
            .into_iter()
            .map(|mut o| {
                o.secret = o.kind == "Secret";
                o
            })
            .collect(),
        decisions: decisions.0,
    }
}

fn object(
    api_version: &'static str,
    kind: &'static str,
    name: &str,
    namespace: Option<&str>,
    template: &'static str,
) -> PlannedObject {
    PlannedObject {
        api_version,
        kind,
        name: name.to_string(),
        namespace: namespace.map(str::to_string),
        template,
        secret: false,
        peer: None,
    }
}

/// Peer policies for callers and destinations inside the service's own namespace, which the
/// namespace's default deny would otherwise cut off on their side. Each carries the decision
/// that declared its flow.
fn peer_policies(service: &Service, network: &Network) -> Vec<(String, PeerPolicy)> {
    let local = |app: &AppRef| app.namespace == service.namespace && app.app != service.name;
    let mut out = Vec::new();
    for caller in service.callers.iter().filter(|c| local(c)) {
        let peer = app_peer(caller);
        let decision = network
            .ingress_from
            .iter()
            .find(|a| a.peer == peer)
            .map(|a| a.decision)
            .expect("every caller is admitted");
        out.push((
            format!("{}-from-{}", service.name, caller.app),
            PeerPolicy {
                pod_labels: peer.pod_labels,
                direction: "Egress",
                port: service.port,
                protocol: "TCP",
                annotations: peer_annotations(caller, "Egress"),
                decision,
            },
        ));
    }
    for dest in &service.egress {
        if let Target::App(app) = &dest.target
            && local(app)
        {
            let peer = app_peer(app);
            let protocol = transport(dest.transport);
            let decision = network
                .egress
                .iter()
                .find(|rule| {
                    rule.pod.as_ref() == Some(&peer)
                        && rule
                            .ports
                            .iter()
                            .any(|p| p.port == dest.port && p.protocol == protocol)
                })
                .map(|rule| rule.decision)
                .expect("every destination has an egress rule");
            out.push((
                format!("{}-to-{}-{}", service.name, app.app, dest.port),
                PeerPolicy {
                    pod_labels: peer.pod_labels,
                    direction: "Ingress",
                    port: dest.port,
                    protocol: transport(dest.transport),
                    annotations: peer_annotations(app, "Ingress"),
                    decision,
                },
            ));
        }
    }
    out
}

#[derive(Default)]
struct Decisions(Vec<Decision>);

impl Decisions {
    /// Records a decision of the kind `id` (which must be in [`crate::rationale::KINDS`]) and
    /// returns its index.
    fn add(
        &mut self,
        id: &'static str,
        summary: impl Into<String>,
        cause: impl Into<String>,
    ) -> usize {
        let kind = rationale::kind(id)
            .unwrap_or_else(|| panic!("decision `{id}` has no entry in rationale::KINDS"));
        self.0.push(Decision {
            id: kind.id,
            concern: kind.concern,
            summary: summary.into(),
            cause: cause.into(),
            reason: kind.reason,
            threat: kind.threat,
            rubric: kind.rubric.to_vec(),
        });
        self.0.len() - 1
    }

    fn identity(&mut self, service: &Service, preset: &Preset) {
        self.add(
            "namespace-pod-security",
            format!(
                "namespace `{}` enforces, audits and warns at Pod Security level restricted ({})",
                service.namespace, preset.pod_security_version
            ),
            "always",
        );
        self.add(
            "dedicated-service-account",
            format!(
                "a ServiceAccount `{}` of its own, with automountServiceAccountToken: false",
                service.name
            ),
            "always",
        );
    }
}

fn merge_amounts(base: &ResourceAmounts, over: Option<&ResourceAmounts>) -> ResourceAmounts {
    let over = over.cloned().unwrap_or_default();
    ResourceAmounts {
        cpu: over.cpu.or_else(|| base.cpu.clone()),
        memory: over.memory.or_else(|| base.memory.clone()),
        ephemeral_storage: over
            .ephemeral_storage
            .or_else(|| base.ephemeral_storage.clone()),
    }
}

fn port_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Http => "http",
        Protocol::Https => "https",
        Protocol::Grpc => "grpc",
        Protocol::Tcp => "tcp",
    }
}

/// The Service listens on 80 or 443 for HTTP(S), on the container's port otherwise. gRPC is
/// HTTP/2: in clear text `kubernetes.io/h2c`; over TLS (the service has a certificate)
/// `https`, the IANA name under which TLS clients negotiate HTTP/2.
fn service_port(service: &Service) -> ServicePort {
    let tls = service.tls.mode != TlsMode::None;
    ServicePort {
        port: match service.protocol {
            Protocol::Http => 80,
            Protocol::Https => 443,
            Protocol::Grpc | Protocol::Tcp => service.port,
        },
        target_port_name: port_name(service.protocol),
        app_protocol: match service.protocol {
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Grpc if tls => "https",
            Protocol::Grpc => "kubernetes.io/h2c",
            Protocol::Tcp => "tcp",
        },
    }
}

/// The name of the clear-text container port the probes use when `spec.probes.port` is set.
const PROBE_PORT_NAME: &str = "health";

/// Readiness and liveness differ in handler or path, so a busy pod is taken out of
/// rotation without being restarted. They reach the service's own port, or the clear-text
/// `spec.probes.port` when there is one (then HTTPS is probed as HTTP).
fn probes(service: &Service, preset: &Preset) -> [Probe; 2] {
    let (port, port_name) = match service.probe_port {
        Some(port) => (port, PROBE_PORT_NAME),
        None => (service.port, port_name(service.protocol)),
    };
    let probe = |kind, path, scheme| Probe {
        field: "readinessProbe",
        kind,
        path,
        scheme,
        port,
        port_name,
        period_seconds: 10,
        failure_threshold: 3,
    };
    let readiness_path = service
        .readiness_path
        .clone()
        .unwrap_or_else(|| preset.probes.readiness_path.clone());
    let liveness_path = service
        .liveness_path
        .clone()
        .unwrap_or_else(|| preset.probes.liveness_path.clone());
    let http = |scheme| {
        (
            probe("httpGet", Some(readiness_path), Some(scheme)),
            probe("httpGet", Some(liveness_path), Some(scheme)),
        )
    };
    let (readiness, liveness) = match service.protocol {
        Protocol::Https if service.probe_port.is_none() => http("HTTPS"),
        Protocol::Http | Protocol::Https => http("HTTP"),
        Protocol::Grpc => (probe("grpc", None, None), probe("tcpSocket", None, None)),
        Protocol::Tcp => (
            probe("tcpSocket", None, None),
            probe("tcpSocket", None, None),
        ),
    };
    let liveness = Probe {
        field: "livenessProbe",
        period_seconds: 20,
        failure_threshold: 6,
        ..liveness
    };
    [readiness, liveness]
}

fn workload(service: &Service, preset: &Preset, d: &mut Decisions) -> Workload {
    let replicas = service.replicas.unwrap_or(preset.replicas);
    let replica_cause = match service.replicas {
        Some(_) => "spec.replicas",
        None => "the preset's replicas",
    };
    let spread = if preset.spread_across_nodes {
        "spread across nodes"
    } else {
        "not spread across nodes (the preset's spreadAcrossNodes: false)"
    };
    d.add(
        "replicas",
        format!("{replicas} replica(s), {spread}, with a PodDisruptionBudget allowing one down at a time"),
        replica_cause,
    );
    let mut departures = Vec::new();
    let mut annotations = BTreeMap::new();
    if service.image_ref.is_pinned_by_digest() {
        d.add(
            "image-digest",
            "the image is pinned by digest and always pulled",
            "spec.image",
        );
    } else {
        let why = if service.sensitivity >= Sensitivity::Confidential {
            annotations.insert(
                "kubeward.dev/override".to_string(),
                format!(
                    "allow-unpinned-image: a tag-only image was accepted at sensitivity {} by --allow-unpinned-image",
                    service.sensitivity.as_str()
                ),
            );
            "accepted by --allow-unpinned-image"
        } else {
            "allowed at this sensitivity"
        };
        departures.push((
            Departure::TagOnlyImage,
            format!(
                "image is pinned by tag only ({why}, sensitivity {}); pin by digest to remove this exemption",
                service.sensitivity.as_str()
            ),
        ));
        d.add("image-tag-only", "the image is pinned by tag only; recorded as a checkov exemption (CKV_K8S_43) on the Deployment", "spec.image");
    }
    if replicas == 1 {
        departures.push((
            Departure::SingleReplica,
            format!("a single replica ({replica_cause}); the PodDisruptionBudget still allows it to be evicted for node drains"),
        ));
    }
    if !preset.spread_across_nodes {
        departures.push((
            Departure::NotSpread,
            "the preset's spreadAcrossNodes is false: replicas may share a node".to_string(),
        ));
    }
    if !preset.read_only_root_filesystem {
        departures.push((
            Departure::WritableRootFilesystem,
            "the preset's readOnlyRootFilesystem is false: the application writes outside its emptyDir; the ephemeral-storage limit still bounds what it writes".to_string(),
        ));
    }
    let seccomp = &preset.seccomp_profile;
    if let (SeccompType::Localhost, Some(profile)) = (seccomp.kind, &seccomp.localhost_profile) {
        departures.push((
            Departure::LocalhostSeccomp,
            format!("the preset's seccomp profile is Localhost {profile}, managed on the nodes, instead of RuntimeDefault"),
        ));
    }
    if service.protocol == Protocol::Tcp {
        departures.push((
            Departure::SingleProbePort,
            "protocol tcp has one port and no health endpoint: both probes check that it accepts connections, and liveness waits longer (every 20 s, 6 failures) so a busy pod leaves the Service before it is restarted".to_string(),
        ));
    }
    annotations.extend(exemptions::annotations(&departures));
    let low_ports: Vec<(u16, &str)> = [(service.port, "spec.port")]
        .into_iter()
        .chain(service.probe_port.map(|port| (port, "spec.probes.port")))
        .filter(|(port, _)| *port < 1024)
        .collect();
    if !low_ports.is_empty() {
        let ports: Vec<String> = low_ports.iter().map(|(port, _)| port.to_string()).collect();
        let fields: Vec<&str> = low_ports.iter().map(|(_, field)| *field).collect();
        let (ports, are) = match ports.len() {
            1 => (format!("port {}", ports[0]), "is"),
            _ => (format!("ports {}", ports.join(" and ")), "are"),
        };
        d.add("low-port", format!("{ports} {are} below 1024 and {are} not granted NET_BIND_SERVICE: the runtime must allow unprivileged low ports, or listen on 1024+"), fields.join(", "));
    }
    let seccomp_text = match (&seccomp.kind, &seccomp.localhost_profile) {
        (SeccompType::Localhost, Some(profile)) => format!("seccomp Localhost {profile}"),
        _ => "seccomp RuntimeDefault".to_string(),
    };
    d.add(
        "non-root",
        format!("runs as uid {} / gid {} (non-root), no privilege escalation, all capabilities dropped, {seccomp_text}", preset.run_as_user, preset.run_as_group),
        "always",
    );
    if preset.read_only_root_filesystem {
        d.add(
            "read-only-root",
            format!(
                "read-only root filesystem; {} is a size-limited emptyDir",
                preset.writable_tmp.mount_path
            ),
            "always",
        );
    } else {
        d.add(
            "writable-root",
            "writable root filesystem, recorded as scanner exemptions on the Deployment",
            "the preset's readOnlyRootFilesystem: false",
        );
    }
    d.add(
        "resources",
        "cpu, memory and ephemeral-storage requests and limits on the container",
        if service.resources.requests.is_some() || service.resources.limits.is_some() {
            "spec.resources"
        } else {
            "the preset's resources"
        },
    );
    let (probed, probe_cause) = match service.probe_port {
        Some(port) => (
            format!(", on the clear-text port {port} (`{PROBE_PORT_NAME}`)"),
            ", spec.probes.port",
        ),
        None => (String::new(), ""),
    };
    d.add(
        "probes",
        if service.protocol == Protocol::Tcp {
            format!("readiness and liveness probes that both check the port accepts connections (protocol tcp has no health endpoint), the liveness one slower{probed}; recorded as an exemption on the Deployment")
        } else {
            format!("distinct readiness and liveness probes{probed}")
        },
        format!("spec.protocol: {}{probe_cause}", port_name(service.protocol)),
    );
    let api_token = (!service.api_access.is_empty()).then(|| ApiToken {
        audience: preset.api_server.token_audience.clone(),
        expiration_seconds: preset.api_server.token_expiration_seconds,
    });
    Workload {
        replicas: Some(replicas),
        image: service.image.clone(),
        port: service.port,
        port_name: port_name(service.protocol),
        run_as_user: preset.run_as_user,
        run_as_group: preset.run_as_group,
        read_only_root_filesystem: preset.read_only_root_filesystem,
        spread_across_nodes: preset.spread_across_nodes,
        seccomp_profile: preset.seccomp_profile.clone(),
        requests: merge_amounts(
            &preset.resources.requests,
            service.resources.requests.as_ref(),
        ),
        limits: merge_amounts(&preset.resources.limits, service.resources.limits.as_ref()),
        probes: probes(service, preset),
        probe_port: service.probe_port.map(|port| ProbePort {
            name: PROBE_PORT_NAME,
            port,
        }),
        tmp_mount_path: preset.writable_tmp.mount_path.clone(),
        tmp_size_limit: preset.writable_tmp.size_limit.clone(),
        termination_grace_period_seconds: preset.termination_grace_period_seconds,
        revision_history_limit: preset.revision_history_limit,
        api_token,
        token_mount_path: TOKEN_MOUNT_PATH,
        secrets_mount_path: preset.secrets_mount_path.clone(),
        annotations,
    }
}

fn app_peer(app: &AppRef) -> PodPeer {
    PodPeer {
        namespace: app.namespace.clone(),
        pod_labels: BTreeMap::from([(NAME_LABEL.to_string(), app.app.clone())]),
    }
}

fn transport(t: Transport) -> &'static str {
    match t {
        Transport::Tcp => "TCP",
        Transport::Udp => "UDP",
    }
}

/// The ranges to carve out of a declared CIDR: never-implied ranges it strictly contains.
fn implied_exceptions(cidr: &Cidr) -> Vec<String> {
    NEVER_IMPLIED
        .iter()
        .map(|r| r.parse::<Cidr>().expect("constant ranges parse"))
        .filter(|r| cidr.strictly_contains(r))
        .map(|r| r.to_string())
        .collect()
}

fn controller(service: &Service, preset: &Preset) -> AppRef {
    service
        .ingress
        .as_ref()
        .and_then(|i| i.controller.clone())
        .unwrap_or_else(|| AppRef {
            app: preset.ingress.controller.app.clone(),
            namespace: preset.ingress.controller.namespace.clone(),
        })
}

fn network(service: &Service, preset: &Preset, d: &mut Decisions) -> Network {
    d.add(
        "default-deny",
        format!(
            "namespace `{}` denies all ingress and egress unless a policy allows it",
            service.namespace
        ),
        "always",
    );
    let mut ingress_from = Vec::new();
    for caller in &service.callers {
        let decision = d.add(
            "caller",
            format!(
                "admit {}/{} on port {}",
                caller.namespace, caller.app, service.port
            ),
            "spec.callers",
        );
        ingress_from.push(Admitted {
            peer: app_peer(caller),
            decision,
        });
    }
    if service.exposure == Exposure::Public {
        let controller = controller(service, preset);
        let decision = d.add(
            "ingress-controller",
            format!(
                "admit the ingress controller {}/{} on port {}",
                controller.namespace, controller.app, service.port
            ),
            "exposure: public",
        );
        ingress_from.push(Admitted {
            peer: app_peer(&controller),
            decision,
        });
    }
    if ingress_from.is_empty() {
        d.add(
            "no-callers",
            "no pod may connect to the service (no callers declared)",
            format!("exposure: {}, no callers", service.exposure.as_str()),
        );
    }
    let dns = PodPeer {
        namespace: preset.dns.namespace.clone(),
        pod_labels: preset.dns.pod_labels.clone(),
    };
    let dns_decision = d.add(
        "dns-egress",
        format!(
            "allow DNS to {} pods in {} on port {} (UDP and TCP) only",
            label_text(&dns.pod_labels),
            dns.namespace,
            preset.dns.port
        ),
        "always",
    );
    let mut egress = vec![EgressRule {
        pod: Some(dns),
        cidr: None,
        except: vec![],
        ports: vec![
            PortRule {
                protocol: "UDP",
                port: preset.dns.port,
            },
            PortRule {
                protocol: "TCP",
                port: preset.dns.port,
            },
        ],
        decision: dns_decision,
    }];
    for dest in &service.egress {
        let ports = vec![PortRule {
            protocol: transport(dest.transport),
            port: dest.port,
        }];
        match &dest.target {
            Target::App(app) => {
                let decision = d.add(
                    "egress-app",
                    format!(
                        "allow egress to {}/{} on port {}",
                        app.namespace, app.app, dest.port
                    ),
                    "spec.egress",
                );
                egress.push(EgressRule {
                    pod: Some(app_peer(app)),
                    cidr: None,
                    except: vec![],
                    ports,
                    decision,
                });
            }
            Target::Cidr(cidr) => {
                let except = implied_exceptions(cidr);
                let carve = if except.is_empty() {
                    String::new()
                } else {
                    format!(", except {}", except.join(", "))
                };
                let decision = d.add(
                    "egress-cidr",
                    format!("allow egress to {cidr} on port {}{carve}", dest.port),
                    "spec.egress",
                );
                egress.push(EgressRule {
                    pod: None,
                    cidr: Some(cidr.to_string()),
                    except,
                    ports,
                    decision,
                });
            }
        }
    }
    if !service.api_access.is_empty() {
        let api = &preset.api_server;
        let decision = d.add(
            "api-server-egress",
            format!(
                "allow egress to the API server at {} on port(s) {}",
                api.cidrs.join(", "),
                api.ports
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "spec.apiAccess",
        );
        for cidr in &api.cidrs {
            egress.push(EgressRule {
                pod: None,
                cidr: Some(cidr.clone()),
                except: vec![],
                ports: api
                    .ports
                    .iter()
                    .map(|port| PortRule {
                        protocol: "TCP",
                        port: *port,
                    })
                    .collect(),
                decision,
            });
        }
    }
    Network {
        ingress_from,
        port: service.port,
        egress,
    }
}

fn label_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn ingress(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<Ingress> {
    let public = service.ingress.as_ref()?;
    let class_name = public
        .class_name
        .clone()
        .unwrap_or_else(|| preset.ingress.class_name.clone());
    let mut annotations = BTreeMap::new();
    if class_name == "nginx" {
        let backend = match service.protocol {
            Protocol::Https => Some("HTTPS"),
            Protocol::Grpc if service.tls.mode != TlsMode::None => Some("GRPCS"),
            Protocol::Grpc => Some("GRPC"),
            Protocol::Http | Protocol::Tcp => None,
        };
        if let Some(backend) = backend {
            annotations.insert(
                "nginx.ingress.kubernetes.io/backend-protocol".to_string(),
                backend.to_string(),
            );
        }
    }
    let own_source = cert_plan(
        service,
        preset,
        format!("{}-ingress-tls", service.name),
        vec![public.host.clone()],
    );
    let tls = match &public.issuer {
        Some(issuer) => CertPlan {
            source: CertSource::CertManager,
            issuer_kind: issuer
                .kind
                .clone()
                .unwrap_or_else(|| "ClusterIssuer".into()),
            issuer_name: issuer.name.clone().unwrap_or_default(),
            ..own_source
        },
        None => own_source,
    };
    d.add(
        "public-ingress",
        format!(
            "Ingress for https://{} (class {class_name}) with a {} certificate in Secret `{}`",
            public.host,
            source_text(tls.source),
            tls.secret_name
        ),
        "exposure: public",
    );
    Some(Ingress {
        host: public.host.clone(),
        class_name,
        tls,
        annotations,
    })
}

fn role(service: &Service, d: &mut Decisions) -> Option<Vec<RoleRule>> {
    if service.api_access.is_empty() {
        d.add(
            "no-api-access",
            "no Role, no RoleBinding and no API token in the pod",
            "no spec.apiAccess",
        );
        return None;
    }
    d.add("api-access", "a Role with exactly the declared rules, bound to the service's own account; a short-lived projected token instead of the automounted one", "spec.apiAccess");
    Some(
        service
            .api_access
            .iter()
            .map(|r| RoleRule {
                api_groups: r.api_groups.clone(),
                resources: r.resources.clone(),
                verbs: r.verbs.clone(),
                resource_names: r.resource_names.clone(),
            })
            .collect(),
    )
}

fn secrets(service: &Service, d: &mut Decisions) -> Vec<SecretPlan> {
    service
        .secrets
        .iter()
        .map(|secret| {
            let object_name = format!("{}-{}", service.name, secret.name);
            let origin = match &secret.source {
                SecretSource::Generate { length } => format!("generated, {length} random characters, kept in the state folder"),
                SecretSource::Env(var) => format!("read from ${var} at render time"),
                SecretSource::File(path) => format!("read from {path} at render time"),
            };
            let decision = d.add("secret-file", format!("Secret `{object_name}` ({origin}), mounted read-only as a file, never an environment variable"), "spec.secrets");
            SecretPlan {
                name: secret.name.clone(),
                object_name,
                source: secret.source.clone(),
                decision,
            }
        })
        .collect()
}

fn source_text(source: CertSource) -> &'static str {
    match source {
        CertSource::SelfSigned => "kubeward-CA-signed",
        CertSource::Ca => "your-CA-signed",
        CertSource::CertManager => "cert-manager-issued",
    }
}

/// How a certificate is obtained for `service`: its TLS mode, or kubeward's own CA when the
/// mode is `none` (the public host still gets TLS).
fn cert_plan(
    service: &Service,
    preset: &Preset,
    secret_name: String,
    dns_names: Vec<String>,
) -> CertPlan {
    let source = match service.tls.mode {
        TlsMode::Ca => CertSource::Ca,
        TlsMode::CertManager => CertSource::CertManager,
        TlsMode::SelfSigned | TlsMode::None => CertSource::SelfSigned,
    };
    CertPlan {
        secret_name,
        dns_names,
        source,
        issuer_kind: service
            .tls
            .issuer_kind
            .clone()
            .unwrap_or_else(|| "ClusterIssuer".into()),
        issuer_name: service.tls.issuer_name.clone().unwrap_or_default(),
        validity_days: preset.tls.leaf_validity_days,
        renew_before_days: preset.tls.renew_before_days,
        duration: format!("{}h", preset.tls.leaf_validity_days * 24),
        renew_before: format!("{}h", preset.tls.renew_before_days * 24),
    }
}

/// The certificate for the service's own port, with every name clients may use.
fn service_cert(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<CertPlan> {
    if service.tls.mode == TlsMode::None {
        d.add(
            "no-tls",
            "no certificate for the service's own port",
            format!(
                "sensitivity {}, protocol {}",
                service.sensitivity.as_str(),
                port_name(service.protocol)
            ),
        );
        return None;
    }
    let (name, ns, domain) = (&service.name, &service.namespace, &preset.cluster_domain);
    let mut dns_names = vec![
        name.clone(),
        format!("{name}.{ns}"),
        format!("{name}.{ns}.svc"),
        format!("{name}.{ns}.svc.{domain}"),
    ];
    dns_names.extend(service.ingress.iter().map(|i| i.host.clone()));
    dns_names.extend(service.tls.dns_names.iter().cloned());
    dns_names.dedup();
    let cert = cert_plan(service, preset, format!("{name}-tls"), dns_names);
    d.add(
        "service-tls",
        format!(
            "a {} certificate for {} in Secret `{}`, mounted at {}/tls",
            source_text(cert.source),
            cert.dns_names.join(", "),
            cert.secret_name,
            preset.secrets_mount_path
        ),
        format!(
            "tls.mode {}, sensitivity {}",
            service.tls.mode.as_str(),
            service.sensitivity.as_str()
        ),
    );
    Some(cert)
}

fn quota(service: &Service, preset: &Preset, d: &mut Decisions) -> Option<NamespaceQuota> {
    if service.sensitivity != Sensitivity::Restricted {
        return None;
    }
    d.add(
        "namespace-quota",
        "a ResourceQuota and a LimitRange for the namespace",
        "sensitivity restricted",
    );
    Some(preset.namespace_quota.clone())
}

/// Plans a spec written as YAML with the default preset, for other modules' tests.
#[cfg(test)]
pub(crate) fn plan_from_yaml(text: &str) -> Plan {
    let file = crate::spec::parse(std::path::Path::new("kubeward.yaml"), text)
        .expect("the test spec parses")
        .spec;
    let preset = crate::preset::resolve(
        crate::preset::DEFAULT,
        std::path::Path::new("."),
        crate::preset::Lookup::default(),
    )
    .expect("restricted resolves")
    .preset;
    let service = crate::validate::validate(&file, &preset, Default::default())
        .expect("the test spec is valid");
    plan(&service, &preset)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRPC: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {name: inventory, namespace: shop}\nspec:\n  image: ghcr.io/acme/inventory:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 9090\n  protocol: grpc\n  sensitivity: internal\n";

    #[test]
    fn a_low_probe_port_is_noted_like_a_low_service_port() {
        let plan = plan_from_yaml(&format!("{GRPC}  probes: {{port: 81}}\n"));
        let note = plan.decisions.iter().find(|d| d.id == "low-port").unwrap();
        assert!(
            note.summary.starts_with("port 81 is below 1024"),
            "{}",
            note.summary
        );
        assert_eq!(note.cause, "spec.probes.port");
    }

    #[test]
    fn grpc_is_https_over_tls_and_h2c_in_clear_text() {
        let public = format!("{GRPC}  exposure: public\n  ingress: {{host: api.example.com}}\n");
        let backend = |plan: &Plan| {
            plan.ingress.as_ref().unwrap().annotations["nginx.ingress.kubernetes.io/backend-protocol"]
                .clone()
        };
        let tls = plan_from_yaml(&public);
        assert_eq!(tls.service.app_protocol, "https");
        assert_eq!(backend(&tls), "GRPCS");
        let clear = plan_from_yaml(&format!("{public}  tls: {{mode: none}}\n"));
        assert_eq!(clear.service.app_protocol, "kubernetes.io/h2c");
        assert_eq!(backend(&clear), "GRPC");
    }
}
