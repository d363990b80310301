//! The pods: image, user and filesystem, resources, probes, the API token, and the scanner
//! exemptions every departure from the rubric is recorded with.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::exemptions::{self, Departure};
use crate::preset::{Preset, SeccompProfile, SeccompType};
use crate::spec::{Protocol, ResourceAmounts, Sensitivity};
use crate::validate::Service;

/// Where client libraries look for the service account token, CA and namespace.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    /// `None` only when an autoscaler owns the count.
    pub replicas: Option<u32>,
    /// The PriorityClass of the pods, when the preset names one.
    pub priority_class_name: Option<String>,
    pub image: String,
    pub port: u16,
    pub port_name: &'static str,
    /// `None` (with `run_as_group`): the platform assigns the ids (OpenShift's SCC).
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
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

pub(super) fn port_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Http => "http",
        Protocol::Https => "https",
        Protocol::Grpc => "grpc",
        Protocol::Tcp => "tcp",
    }
}

/// The name of the clear-text container port the probes use when `spec.probes.port` is set.
pub(super) const PROBE_PORT_NAME: &str = "health";

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

pub(super) fn workload(service: &Service, preset: &Preset, d: &mut Decisions) -> Workload {
    let autoscaled = service.autoscaling.as_ref();
    let replicas = match autoscaled {
        Some(_) => None,
        None => Some(service.replicas.unwrap_or(preset.replicas)),
    };
    let replica_cause = match (autoscaled, service.replicas) {
        (Some(s), _) if s.from_spec => "spec.autoscaling",
        (Some(_), _) => "the preset's autoscaling",
        (None, Some(_)) => "spec.replicas",
        (None, None) => "the preset's replicas",
    };
    let spread = if preset.spread_across_nodes {
        "spread across nodes"
    } else {
        "not spread across nodes (the preset's spreadAcrossNodes: false)"
    };
    let count = match (replicas, autoscaled) {
        (Some(replicas), _) => format!("{replicas} replica(s)"),
        (None, Some(s)) => format!(
            "{} to {} replicas, as the autoscaler decides",
            s.min_replicas, s.max_replicas
        ),
        (None, None) => unreachable!("a fixed count or an autoscaler"),
    };
    d.add(
        "replicas",
        format!("{count}, {spread}, with a PodDisruptionBudget allowing one down at a time"),
        replica_cause,
    );
    let mut departures = Vec::new();
    if let Some(scaling) = autoscaled {
        departures.push((
            Departure::Autoscaled,
            format!(
                "a HorizontalPodAutoscaler owns the replica count ({} to {} pods): spec.replicas is left out so that an apply never resets what it chose",
                scaling.min_replicas, scaling.max_replicas
            ),
        ));
    }
    if let Some(class) = &preset.priority_class_name {
        d.add(
            "priority-class",
            format!("the pods run at the priority of the PriorityClass `{class}`"),
            "the preset's priorityClassName",
        );
    }
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
        d.warn(
            "tag-only-image",
            format!(
                "the image `{}` is pinned by tag only: kubeward writes the exemptions checkov.io/skip CKV_K8S_43 and kubeward.dev/ignore KW-SEC-018 on the Deployment; pin it by digest (repo:tag@sha256:...) to remove them",
                service.image
            ),
        );
    }
    if replicas == Some(1) {
        departures.push((
            Departure::SingleReplica,
            format!("a single replica ({replica_cause}); the PodDisruptionBudget still allows it to be evicted for node drains"),
        ));
        if service.replicas.is_none() {
            d.warn(
                "single-replica",
                "the preset's replicas is 1: kubeward writes the exemptions of a singleton (kubeward.dev/ignore KW-AVAIL-009, kube-score, kube-linter, Polaris) on the Deployment; set spec.replicas to 2 or more, or to 1 to ask for a singleton by name",
            );
        }
    }
    if !preset.spread_across_nodes {
        departures.push((
            Departure::NotSpread,
            "the preset's spreadAcrossNodes is false: replicas may share a node".to_string(),
        ));
        d.warn(
            "not-spread",
            "the preset's spreadAcrossNodes is false: replicas may share a node, and kubeward writes the exemptions (kubeward.dev/ignore KW-AVAIL-012, kube-score, kube-linter, Polaris) on the Deployment; use a preset that spreads them",
        );
    }
    if !preset.read_only_root_filesystem {
        departures.push((
            Departure::WritableRootFilesystem,
            "the preset's readOnlyRootFilesystem is false: the application writes outside its emptyDir; the ephemeral-storage limit still bounds what it writes".to_string(),
        ));
        d.warn(
            "writable-root-filesystem",
            "the preset's readOnlyRootFilesystem is false: the container's root filesystem is writable, and kubeward writes the exemptions (checkov CKV_K8S_22, kubeward.dev/ignore KW-SEC-007, kube-score, kube-linter, Polaris) on the Deployment; use a preset that keeps it read-only",
        );
    }
    if preset.run_as_user.is_none() {
        departures.push((
            Departure::PlatformAssignedIds,
            "no fixed runAsUser or runAsGroup: OpenShift's restricted-v2 SCC assigns a uid from the namespace's range and refuses any other; runAsNonRoot: true still refuses root".to_string(),
        ));
    }
    let seccomp = &preset.seccomp_profile;
    if let (SeccompType::Localhost, Some(profile)) = (seccomp.kind, &seccomp.localhost_profile) {
        departures.push((
            Departure::LocalhostSeccomp,
            format!("the preset's seccomp profile is Localhost {profile}, managed on the nodes, instead of RuntimeDefault"),
        ));
        d.warn(
            "localhost-seccomp",
            format!("the preset's seccomp profile is Localhost {profile}, which every node must hold, instead of RuntimeDefault: kubeward writes the exemptions (checkov CKV_K8S_31, kubeward.dev/ignore KW-SEC-015) on the Deployment"),
        );
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
    let (ids, ids_cause) = match (preset.run_as_user, preset.run_as_group) {
        (Some(uid), Some(gid)) => (format!("uid {uid} / gid {gid}"), "always"),
        _ => (
            "the uid the SCC assigns from the namespace's range (none fixed; fsGroup assigned too)"
                .to_string(),
            "the preset's runAsUser: null (OpenShift restricted-v2)",
        ),
    };
    d.add(
        "non-root",
        format!("runs as {ids} (non-root), no privilege escalation, all capabilities dropped, {seccomp_text}"),
        ids_cause,
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
        replicas,
        priority_class_name: preset.priority_class_name.clone(),
        image: service.image.clone(),
        port: service.port,
        port_name: port_name(service.protocol),
        run_as_user: preset.run_as_user,
        run_as_group: preset.run_as_group,
        read_only_root_filesystem: preset.read_only_root_filesystem,
        spread_across_nodes: preset.spread_across_nodes,
        seccomp_profile: preset.seccomp_profile.clone(),
        requests: preset
            .resources
            .requests
            .overridden_by(service.resources.requests.as_ref()),
        limits: preset
            .resources
            .limits
            .overridden_by(service.resources.limits.as_ref()),
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
