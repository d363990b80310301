//! The validate stage: a [`SpecFile`] checked against its resolved preset and turned into a typed
//! [`Service`], the input of the plan. Every problem is collected with the path of the field
//! that caused it, so a file with three mistakes gets three errors at once. The rules that
//! join one answer to the others are public (`rules`), so that `init` checks answers as they
//! are typed, with the same messages.

mod access;
mod entry;
mod network;
mod paths;
mod problems;
pub mod quota;
pub mod rules;
mod scaling;
mod secrets;
pub mod service;
mod tls;
mod worker;

pub use entry::{ENVOY_GATEWAY_OWNER_LABELS, entry_enforces};
pub use rules::{
    Overrides, caller_allowed, default_exposure, default_tls_mode, entry_identity,
    grpc_probe_reachable, image_pinned, mesh_caller_by_address, mesh_entry, mesh_probes,
    protocol_matches_tls, tls_mode_allowed,
};
pub use service::{
    ApiRule, AppRef, Autoscaling, Destination, Entry, GatewayEntry, Limits, PodCaller, Pods,
    PublicIngress, RangeCaller, Sealing, Secret, SecretSource, Service, StoreRef, Target, Tls,
    Unenforced,
};

use crate::error::FieldError;
use crate::preset::Preset;
use crate::spec::names::{dns_label, image, label_value, namespace, port, quantity};
use crate::spec::{self, ResourcesSpec, Sensitivity, SpecFile};
use problems::Problems;

/// Validates the whole file against the rules of the contract and of its sensitivity.
pub fn validate(
    file: &SpecFile,
    preset: &Preset,
    overrides: Overrides,
) -> Result<Service, Vec<FieldError>> {
    let mut p = Problems::default();
    let s = &file.spec;

    match file.api_version.as_deref() {
        Some(spec::API_VERSION) => {}
        Some(other) => p.add(
            "apiVersion",
            format!("`{other}` is not supported: use {}", spec::API_VERSION),
        ),
        None => p.add("apiVersion", format!("is required: {}", spec::API_VERSION)),
    }
    match file.kind.as_deref() {
        Some(spec::KIND) => {}
        Some(other) => p.add(
            "kind",
            format!("`{other}` is not supported: use {}", spec::KIND),
        ),
        None => p.add("kind", format!("is required: {}", spec::KIND)),
    }

    let name = p
        .required(
            "metadata.name",
            &file.metadata.name,
            "the app name, a DNS-1123 label",
        )
        .and_then(|n| p.check("metadata.name", dns_label(n).map(|_| n.clone())));
    let ns = p
        .required(
            "metadata.namespace",
            &file.metadata.namespace,
            "pick a namespace (not `default`)",
        )
        .and_then(|n| p.check("metadata.namespace", namespace(n).map(|_| n.clone())));
    let image_text = p.required(
        "spec.image",
        &s.image,
        "an OCI image reference, ideally repo:tag@sha256:...",
    );
    let image_ref = image_text.and_then(|i| p.check("spec.image", image(i)));
    let port_value = s.port.and_then(|v| p.check("spec.port", port(v)));
    let worker = s.port.is_none();
    let mut label = |field: &str, value: &Option<String>, default: &Option<String>| {
        let value = value.as_ref().or(default.as_ref())?;
        p.check(field, label_value(value).map(|()| value.clone()))
    };
    let part_of = label(
        "spec.partOf",
        &s.part_of,
        &preset.recommended_labels.part_of,
    );
    let component = label(
        "spec.component",
        &s.component,
        &preset.recommended_labels.component,
    );
    let instance = label("spec.instance", &s.instance, &None);
    let replicas = s.replicas.and_then(|r| {
        let ok = (1..=1000).contains(&r);
        p.check(
            "spec.replicas",
            if ok {
                Ok(r as u32)
            } else {
                Err(format!("{r} replicas: use 1-1000"))
            },
        )
    });
    let exposure = s.exposure.unwrap_or(preset.defaults.exposure);
    let own_ns = ns.clone().unwrap_or_default();
    if worker {
        worker::worker_problems(&mut p, s, exposure);
    }

    let (callers, caller_ranges) = network::validate_callers(&mut p, &s.callers, exposure, &own_ns);
    let egress = network::validate_egress(&mut p, &s.egress, &own_ns);
    let api_access = access::validate_api_access(&mut p, &s.api_access);
    if !s.api_access.is_empty() {
        p.check(
            "spec.apiAccess",
            access::api_server_known(&preset.api_server),
        );
    }
    let secrets = secrets::validate_secrets(&mut p, &s.secrets);
    let sealing = secrets::validate_sealing(&mut p, s.sealing.as_ref(), preset.sealing.as_ref());
    let protocol = s.protocol.unwrap_or(preset.defaults.protocol);
    let sensitivity = s.sensitivity.unwrap_or(preset.defaults.sensitivity);
    let tls = tls::validate_tls(
        &mut p,
        s.tls.as_ref(),
        match worker {
            // A worker has no port to encrypt (a `spec.tls` of its own is refused).
            true => spec::TlsMode::None,
            false => default_tls_mode(sensitivity, protocol),
        },
        &preset.tls.acme_issuers,
    );
    let ingress = entry::validate_ingress(
        &mut p,
        s.ingress.as_ref(),
        &entry::Backend {
            exposure,
            protocol,
            tls_mode: tls.mode,
            client_auth: tls.client_auth,
        },
        &preset.ingress,
    );
    let autoscaling = scaling::validate_autoscaling(&mut p, s, &preset.autoscaling);
    if let Some(image) = &image_ref {
        p.check("spec.image", image_pinned(image, sensitivity, overrides));
    }
    if sensitivity >= Sensitivity::Confidential
        && autoscaling.is_none()
        && replicas.unwrap_or(preset.replicas) == 1
    {
        let from_preset = if replicas.is_none() {
            " (the preset's default is 1: set spec.replicas)"
        } else {
            ""
        };
        p.add("spec.replicas", format!("sensitivity confidential and above needs at least 2 replicas: one pod is one eviction away from an outage{from_preset}"));
    }
    if !worker {
        p.check("spec.tls.mode", tls_mode_allowed(tls.mode, sensitivity));
    }
    let tls_defaulted = s.tls.as_ref().and_then(|t| t.mode).is_none();
    p.check(
        "spec.protocol",
        protocol_matches_tls(protocol, tls.mode, tls_defaulted.then_some(sensitivity)),
    );
    validate_resources(&mut p, s.resources.as_ref());
    let writable_paths = paths::validate_writable_paths(&mut p, s, preset);
    let peak = match &autoscaling {
        Some(scaling) => quota::Peak {
            pods: scaling.max_replicas,
            field: if s
                .autoscaling
                .as_ref()
                .is_some_and(|a| a.max_replicas.is_some())
            {
                "spec.autoscaling.maxReplicas"
            } else {
                "spec.autoscaling"
            },
        },
        None => quota::Peak {
            pods: replicas.unwrap_or(preset.replicas),
            field: "spec.replicas",
        },
    };
    // The platform's own quota, when it owns the namespace, is not kubeward's to know.
    let manage_namespace = s
        .namespace
        .as_ref()
        .and_then(|n| n.manage)
        .unwrap_or(preset.namespace.manage);
    if p.0.is_empty() && manage_namespace {
        quota::check_quota_fit(
            &mut p,
            sensitivity,
            &s.resources.clone().unwrap_or_default(),
            peak,
            preset,
        );
    }
    let probes = s.probes.clone().unwrap_or_default();
    worker::probe_commands(&mut p, &probes, worker);
    for (field, path) in [
        ("spec.probes.readinessPath", &probes.readiness_path),
        ("spec.probes.livenessPath", &probes.liveness_path),
    ] {
        if let Some(path) = path
            && (!path.starts_with('/') || path.chars().any(char::is_whitespace))
        {
            p.add(
                field,
                format!("`{path}` is not an HTTP path: start with '/', no spaces"),
            );
        }
    }
    let probe_port = probes.port.and_then(|v| {
        p.check(
            "spec.probes.port",
            port(v).and_then(|probe_port| {
                if Some(probe_port) == port_value {
                    Err(format!("{probe_port} is the service's own port: omit `probes.port` to probe it, or give the clear-text health port"))
                } else {
                    Ok(probe_port)
                }
            }),
        )
    });
    let mesh = s.mesh.unwrap_or(preset.mesh.default);
    for range in &caller_ranges {
        p.check(
            format!("spec.callers[{}].cidr", range.entry),
            rules::mesh_caller_by_address(mesh),
        );
    }
    // A worker's probes are commands, which neither the kubelet's gRPC probe nor a proxy sees.
    if !worker && probes.port.is_none() {
        p.check(
            "spec.probes.port",
            grpc_probe_reachable(protocol, tls.mode, None)
                .and_then(|()| rules::mesh_probes(mesh, protocol, false)),
        );
    }
    if let Some(public) = &ingress {
        let known = entry_identity(public).is_some();
        p.check("spec.mesh", rules::mesh_entry(mesh, known));
    }
    if probes.readiness_path.is_some() && probes.readiness_path == probes.liveness_path {
        p.add(
            "spec.probes.livenessPath",
            "must differ from readinessPath: a liveness probe that mirrors readiness restarts pods that are only busy",
        );
    }

    if !p.0.is_empty() {
        return Err(p.0);
    }
    Ok(Service {
        name: name.unwrap_or_default(),
        namespace: own_ns,
        image: image_text.cloned().unwrap_or_default(),
        image_ref: image_ref.expect("checked above"),
        part_of,
        component,
        instance,
        port: port_value,
        protocol,
        replicas,
        autoscaling,
        exposure,
        sensitivity,
        callers,
        caller_ranges,
        egress,
        ingress,
        api_access,
        secrets,
        tls,
        resources: s.resources.clone().unwrap_or_default(),
        writable_paths,
        readiness_path: probes.readiness_path,
        liveness_path: probes.liveness_path,
        probe_port,
        readiness_command: probes.readiness_command,
        liveness_command: probes.liveness_command,
        mesh,
        sealing,
        manage_namespace,
    })
}

fn validate_resources(p: &mut Problems, resources: Option<&ResourcesSpec>) {
    let Some(resources) = resources else { return };
    for (kind, amounts) in [
        ("requests", &resources.requests),
        ("limits", &resources.limits),
    ] {
        let Some(amounts) = amounts else { continue };
        for (key, value) in [
            ("cpu", &amounts.cpu),
            ("memory", &amounts.memory),
            ("ephemeralStorage", &amounts.ephemeral_storage),
        ] {
            if let Some(value) = value {
                p.check(format!("spec.resources.{kind}.{key}"), quantity(value));
            }
        }
    }
}
