//! The pods: image, user and filesystem, resources, probes, the API token, and the scanner
//! exemptions every departure from the rubric is recorded with.

use std::collections::BTreeMap;

use serde::Serialize;

use super::decisions::Decisions;
use super::exemptions::{self, Departure};
use crate::preset::{Preset, SLEEP_ACTION_MINOR, SeccompProfile, SeccompType};
use crate::spec::{Protocol, ResourceAmounts, Sensitivity};
use crate::validate::Service;

pub use crate::vocabulary::TOKEN_MOUNT_PATH;

#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    /// `None` only when an autoscaler owns the count.
    pub replicas: Option<u32>,
    /// The PriorityClass of the pods, when the preset names one.
    pub priority_class_name: Option<String>,
    pub image: String,
    /// The container's port; `None` for a worker.
    pub port: Option<u16>,
    pub port_name: &'static str,
    /// `None` (with `run_as_group`): the platform assigns the ids (OpenShift's SCC).
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    /// `false` only when the preset relaxes rubric row 6 (recorded in `annotations`).
    pub read_only_root_filesystem: bool,
    /// Anti-affinity and topology spread across nodes; `false` only when the preset relaxes
    /// rubric row 20 (recorded in `annotations`).
    pub spread_across_nodes: bool,
    /// The `whenUnsatisfiable` of the spread across zones, when the preset spreads them.
    pub zone_spread: Option<&'static str>,
    pub seccomp_profile: SeccompProfile,
    pub requests: ResourceAmounts,
    pub limits: ResourceAmounts,
    /// The readiness probe, then the liveness probe; a worker has those its spec gives.
    pub probes: Vec<Probe>,
    /// The clear-text container port the probes use, when the spec gives one.
    pub probe_port: Option<ProbePort>,
    pub tmp_mount_path: String,
    pub tmp_size_limit: String,
    /// The emptyDirs of `spec.writablePaths`.
    pub writable_paths: Vec<WritablePath>,
    pub termination_grace_period_seconds: u32,
    /// Seconds of the `preStop` `sleep` action, when there is one.
    pub pre_stop_sleep_seconds: Option<u32>,
    pub revision_history_limit: u32,
    /// The projected API token, when the service needs the API.
    pub api_token: Option<ApiToken>,
    pub token_mount_path: &'static str,
    /// Where secret files and the TLS folder are mounted.
    pub secrets_mount_path: String,
    /// Scanner suppression annotations, each with its reason.
    pub annotations: BTreeMap<String, String>,
}

/// A folder of `spec.writablePaths`: an emptyDir with a size limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WritablePath {
    /// The volume's name, `writable-<n>`.
    pub volume: String,
    pub mount_path: String,
    pub size_limit: String,
}

/// The clear-text container port of `spec.probes.port`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbePort {
    pub name: &'static str,
    pub port: u16,
}

/// A probe handler: `httpGet` (with path and scheme), `grpc`, `tcpSocket`, or a worker's
/// `exec`.
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
    /// The command of an `exec` probe.
    pub command: Vec<String>,
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
fn probes(service: &Service, preset: &Preset) -> Vec<Probe> {
    let Some(own_port) = service.port else {
        return worker_probes(service);
    };
    let (port, port_name) = match service.probe_port {
        Some(port) => (port, PROBE_PORT_NAME),
        None => (own_port, port_name(service.protocol)),
    };
    let probe = |kind, path, scheme| Probe {
        field: "readinessProbe",
        kind,
        path,
        scheme,
        port,
        port_name,
        command: Vec::new(),
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
    vec![readiness, as_liveness(liveness)]
}

/// The liveness form of a probe: slower than readiness, so a busy pod leaves rotation before
/// it is restarted.
fn as_liveness(probe: Probe) -> Probe {
    Probe {
        field: "livenessProbe",
        period_seconds: 20,
        failure_threshold: 6,
        ..probe
    }
}

/// A worker's probes: the commands its spec gives, run in the container.
fn worker_probes(service: &Service) -> Vec<Probe> {
    let exec = |command: &Vec<String>| Probe {
        field: "readinessProbe",
        kind: "exec",
        path: None,
        scheme: None,
        port: 0,
        port_name: "",
        command: command.clone(),
        period_seconds: 10,
        failure_threshold: 3,
    };
    let readiness =
        (!service.readiness_command.is_empty()).then(|| exec(&service.readiness_command));
    let live = (!service.liveness_command.is_empty())
        .then(|| as_liveness(exec(&service.liveness_command)));
    readiness.into_iter().chain(live).collect()
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
    if service.protocol == Protocol::Tcp && !service.is_worker() {
        departures.push((
            Departure::SingleProbePort,
            "protocol tcp has one port and no health endpoint: both probes check that it accepts connections, and liveness waits longer (every 20 s, 6 failures) so a busy pod leaves the Service before it is restarted".to_string(),
        ));
    }
    if service.is_worker() {
        for (missing, departure, probe) in [
            (
                service.readiness_command.is_empty(),
                Departure::NoReadinessProbe,
                "readiness",
            ),
            (
                service.liveness_command.is_empty(),
                Departure::NoLivenessProbe,
                "liveness",
            ),
        ] {
            if missing {
                departures.push((
                    departure,
                    format!("a worker listens on no port and is in no Service's endpoints, and its spec gives no {probe} command (spec.probes.{probe}Command) for the kubelet to run in the container"),
                ));
            }
        }
    }
    annotations.extend(exemptions::annotations(&departures));
    let low_ports: Vec<(u16, &str)> = service
        .port
        .map(|port| (port, "spec.port"))
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
    let writable_paths: Vec<WritablePath> = service
        .writable_paths
        .iter()
        .enumerate()
        .map(|(index, path)| WritablePath {
            volume: format!("writable-{}", index + 1),
            mount_path: path.clone(),
            size_limit: preset.writable_path_size_limit.clone(),
        })
        .collect();
    if preset.read_only_root_filesystem {
        let (summary, cause) = match writable_paths.len() {
            0 => (
                format!(
                    "read-only root filesystem; {} is a size-limited emptyDir",
                    preset.writable_tmp.mount_path
                ),
                "always",
            ),
            _ => {
                let mut paths = vec![preset.writable_tmp.mount_path.as_str()];
                paths.extend(writable_paths.iter().map(|w| w.mount_path.as_str()));
                (
                    format!(
                        "read-only root filesystem; {} are size-limited emptyDirs",
                        paths.join(", ")
                    ),
                    "always, spec.writablePaths",
                )
            }
        };
        d.add("read-only-root", summary, cause);
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
    if service.is_worker() {
        worker_decision(service, d);
    } else {
        d.add(
            "probes",
            if service.protocol == Protocol::Tcp {
            format!("readiness and liveness probes that both check the port accepts connections (protocol tcp has no health endpoint), the liveness one slower{probed}; recorded as an exemption on the Deployment")
        } else {
            format!("distinct readiness and liveness probes{probed}")
        },
        format!("spec.protocol: {}{probe_cause}", port_name(service.protocol)),
    );
    }
    let zone_spread = preset.zone_spread.when_unsatisfiable();
    if let Some(when) = zone_spread {
        d.add(
            "zone-spread",
            format!(
                "replicas spread across zones (topology.kubernetes.io/zone, maxSkew 1, {when})"
            ),
            "the preset's zoneSpread",
        );
    }
    // A worker is in no Service's endpoints: nothing to drain before SIGTERM.
    let pre_stop_sleep_seconds = match service.is_worker() {
        true => None,
        false => drain(preset, d),
    };
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
        zone_spread,
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
        writable_paths,
        termination_grace_period_seconds: preset.termination_grace_period_seconds,
        pre_stop_sleep_seconds,
        revision_history_limit: preset.revision_history_limit,
        api_token,
        token_mount_path: TOKEN_MOUNT_PATH,
        secrets_mount_path: preset.secrets_mount_path.clone(),
        annotations,
    }
}

/// The drain delay before SIGTERM: a `preStop` `sleep` action where the target Kubernetes
/// runs it. No `exec` of a `sleep` binary instead: kubeward cannot know that the image has
/// one (distroless and scratch images do not), and a failed hook only delays the kill.
fn drain(preset: &Preset, d: &mut Decisions) -> Option<u32> {
    let seconds = preset.drain_seconds;
    if seconds == 0 {
        return None;
    }
    if !preset.has_sleep_action() {
        d.warn(
            "no-drain-delay",
            format!(
                "the preset targets Kubernetes {} (podSecurityVersion), whose kubelet has no preStop sleep action (on by default from 1.{SLEEP_ACTION_MINOR}): the pods get SIGTERM while their endpoints are still being removed, so some connections fail at every rollout; target 1.{SLEEP_ACTION_MINOR} or later, or make the application keep serving for {seconds} s after SIGTERM",
                preset.pod_security_version
            ),
        );
        return None;
    }
    let grace = preset.termination_grace_period_seconds;
    d.add(
        "drain-delay",
        format!(
            "a terminating pod keeps serving for {seconds} s (a preStop sleep) before SIGTERM, and has {} s more to stop before it is killed (terminationGracePeriodSeconds {grace})",
            grace - seconds
        ),
        "the preset's drainSeconds",
    );
    Some(seconds)
}

/// What a worker is, and how it is probed.
fn worker_decision(service: &Service, d: &mut Decisions) {
    let given: Vec<&str> = [
        (!service.readiness_command.is_empty()).then_some("readiness"),
        (!service.liveness_command.is_empty()).then_some("liveness"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let probed = match given.as_slice() {
        [] => "no probe: nothing listens for the kubelet to probe, and the spec gives no command; the scanners' probe checks are suppressed on the Deployment with that reason".to_string(),
        [one] => format!("a {one} probe that runs its command in the container; no other probe (suppressed on the Deployment with that reason)"),
        _ => "readiness and liveness probes that run their commands in the container".to_string(),
    };
    let cause = match given.as_slice() {
        [] => "no spec.port".to_string(),
        _ => format!(
            "no spec.port, {}",
            given
                .iter()
                .map(|probe| format!("spec.probes.{probe}Command"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    d.add(
        "probes",
        format!("a worker: no container port and no Service; {probed}"),
        cause,
    );
}
