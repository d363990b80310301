//! A worker: a spec without `spec.port`. It listens on nothing, so nothing may be declared
//! that would reach it (callers, a public entry, a certificate for its port, a protocol) or
//! probe a port (probe paths, a probe port); its probes, when it has any, are commands the
//! kubelet runs in the container (`spec.probes.readinessCommand`, `livenessCommand`).

use super::problems::Problems;
use crate::spec::{Exposure, ProbesSpec, ServiceSpec};

/// Why a field has no place in a worker's spec.
const LISTENS_ON_NOTHING: &str = "a worker (no spec.port) listens on no port";

/// The problems of a worker's spec: each field that assumes a port, at its own path.
pub(super) fn worker_problems(p: &mut Problems, spec: &ServiceSpec, exposure: Exposure) {
    for (index, _) in spec.callers.iter().enumerate() {
        p.add(
            format!("spec.callers[{index}]"),
            format!("{LISTENS_ON_NOTHING}, so no caller can connect to it: remove the caller, or give spec.port if the service serves"),
        );
    }
    if exposure == Exposure::Public {
        p.add(
            "spec.exposure",
            format!(
                "{LISTENS_ON_NOTHING} to expose: use namespace (the default), or give spec.port"
            ),
        );
    }
    if spec.protocol.is_some() {
        p.add(
            "spec.protocol",
            format!("is what the service's port speaks, and {LISTENS_ON_NOTHING}: remove it, or give spec.port"),
        );
    }
    if spec.tls.is_some() {
        p.add(
            "spec.tls",
            format!("is the certificate of the service's port, and {LISTENS_ON_NOTHING}: remove it (the worker's calls verify TLS services with the trust a system mounts)"),
        );
    }
    let probes = spec.probes.clone().unwrap_or_default();
    for (field, given) in [
        ("spec.probes.readinessPath", probes.readiness_path.is_some()),
        ("spec.probes.livenessPath", probes.liveness_path.is_some()),
        ("spec.probes.port", probes.port.is_some()),
    ] {
        if given {
            p.add(
                field,
                format!("probes a port, and {LISTENS_ON_NOTHING}: give spec.probes.readinessCommand and livenessCommand, commands the kubelet runs in the container"),
            );
        }
    }
}

/// The commands of exec probes: only for a worker, each a command line of non-empty words,
/// readiness and liveness not the same.
pub(super) fn probe_commands(p: &mut Problems, probes: &ProbesSpec, worker: bool) {
    for (field, command) in [
        ("spec.probes.readinessCommand", &probes.readiness_command),
        ("spec.probes.livenessCommand", &probes.liveness_command),
    ] {
        if command.is_empty() {
            continue;
        }
        if !worker {
            p.add(
                field,
                "is the probe of a worker (no spec.port): a service with a port is probed on it (readinessPath, livenessPath, probes.port)",
            );
        } else if let Some(index) = command.iter().position(|word| word.is_empty()) {
            p.add(
                format!("{field}[{index}]"),
                "is empty: the first word is the program (an absolute path, or one on the image's PATH), then its arguments",
            );
        }
    }
    if worker
        && !probes.readiness_command.is_empty()
        && probes.readiness_command == probes.liveness_command
    {
        p.add(
            "spec.probes.livenessCommand",
            "must differ from readinessCommand: a liveness check that mirrors readiness restarts workers that are only busy; let it check the process alone",
        );
    }
}
