//! The rules every resolved preset's settings meet, whichever preset set them: counts,
//! quantities, names, paths, ports and labels a render can use.

use super::model::{MIN_TOKEN_EXPIRATION_SECONDS, Preset, SeccompType};
use crate::error::FieldError;
use crate::spec::cidr::Cidr;
use crate::spec::names;

/// One of the API server's addresses as NetworkPolicies see them: a range of its endpoints,
/// never inside the cluster's Service ranges (`services`): a Service address such as
/// `kubernetes.default`'s is translated to an endpoint before any policy sees the packet.
pub fn api_server_cidr(text: &str, services: &[String]) -> Result<Cidr, String> {
    let cidr = text.parse::<Cidr>()?;
    let vip = services
        .iter()
        .filter_map(|range| range.parse::<Cidr>().ok())
        .find(|range| *range == cidr || range.strictly_contains(&cidr));
    match vip {
        Some(range) => Err(format!(
            "`{text}` lies in the Service range {range} (clusterRanges.services): it is a Service address, which NetworkPolicies never see (they see the endpoints, after the Service address is translated); give the API server's endpoints (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)"
        )),
        None => Ok(cidr),
    }
}

/// The values of resolved settings that no preset may use, each with its field path.
pub(super) fn settings_problems(p: &Preset) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.push(FieldError::new(field, message));
        }
    };
    let at_least = |value: u64, min: u64, what: &str| {
        if value >= min {
            Ok(())
        } else {
            Err(format!("{value} is too small: {what}"))
        }
    };
    check(
        "spec.replicas",
        at_least(u64::from(p.replicas), 1, "use 1-1000").and_then(|()| {
            if p.replicas <= 1000 {
                Ok(())
            } else {
                Err(format!("{} replicas: use 1-1000", p.replicas))
            }
        }),
    );
    for (field, id) in [
        ("spec.runAsUser", p.run_as_user),
        ("spec.runAsGroup", p.run_as_group),
    ] {
        check(
            field,
            match id {
                Some(id) if !(10001..=i64::from(i32::MAX)).contains(&id) => Err(format!(
                    "{id} is not a high non-root id: use 10001 or more (rubric row 2; 10000 and below fail kube-score and kubesec)"
                )),
                _ => Ok(()),
            },
        );
    }
    if p.run_as_user.is_some() != p.run_as_group.is_some() {
        check(
            "spec.runAsGroup",
            Err("is set with runAsUser, or both are null (the platform assigns both)".into()),
        );
    }
    match (&p.seccomp_profile.kind, &p.seccomp_profile.localhost_profile) {
        (SeccompType::RuntimeDefault, Some(_)) => check(
            "spec.seccompProfile.localhostProfile",
            Err("is only used with `type: Localhost`".into()),
        ),
        (SeccompType::Localhost, None) => check(
            "spec.seccompProfile.localhostProfile",
            Err("is required with `type: Localhost`: the profile's path under the kubelet's seccomp folder".into()),
        ),
        (SeccompType::Localhost, Some(profile)) => check(
            "spec.seccompProfile.localhostProfile",
            relative_path(profile),
        ),
        (SeccompType::RuntimeDefault, None) => {}
    }
    for (kind, amounts) in [
        ("requests", &p.resources.requests),
        ("limits", &p.resources.limits),
    ] {
        for (key, value) in [
            ("cpu", &amounts.cpu),
            ("memory", &amounts.memory),
            ("ephemeralStorage", &amounts.ephemeral_storage),
        ] {
            let field = format!("spec.resources.{kind}.{key}");
            match value {
                Some(value) => check(&field, names::quantity(value)),
                None => check(&field, Err("is required (rubric row 15)".into())),
            }
        }
    }
    check(
        "spec.probes.readinessPath",
        http_path(&p.probes.readiness_path),
    );
    check(
        "spec.probes.livenessPath",
        http_path(&p.probes.liveness_path),
    );
    if p.probes.readiness_path == p.probes.liveness_path {
        check(
            "spec.probes.livenessPath",
            Err("must differ from readinessPath (rubric row 16)".into()),
        );
    }
    check(
        "spec.writableTmp.mountPath",
        absolute_path(&p.writable_tmp.mount_path),
    );
    check(
        "spec.writableTmp.sizeLimit",
        names::quantity(&p.writable_tmp.size_limit),
    );
    check(
        "spec.writablePathSizeLimit",
        names::quantity(&p.writable_path_size_limit),
    );
    check("spec.dns.namespace", names::dns_label(&p.dns.namespace));
    if p.dns.pod_labels.is_empty() {
        check(
            "spec.dns.podLabels",
            Err("name at least one label of the DNS pods".into()),
        );
    }
    for (key, value) in &p.dns.pod_labels {
        check(&format!("spec.dns.podLabels.{key}"), label(key, value));
    }
    check(
        "spec.dns.port",
        names::port(i64::from(p.dns.port)).map(|_| ()),
    );
    let autoscaling = &p.autoscaling;
    check(
        "spec.autoscaling.minReplicas",
        at_least(
            u64::from(autoscaling.min_replicas),
            2,
            "an autoscaler keeps at least 2 pods (rubric row 31)",
        ),
    );
    check(
        "spec.autoscaling.maxReplicas",
        if autoscaling.max_replicas > autoscaling.min_replicas && autoscaling.max_replicas <= 1000 {
            Ok(())
        } else {
            Err(format!(
                "{} must be above minReplicas {} and at most 1000: an autoscaler that cannot add a pod does not scale",
                autoscaling.max_replicas, autoscaling.min_replicas
            ))
        },
    );
    for (key, value) in [
        (
            "targetCPUUtilizationPercentage",
            Some(autoscaling.target_cpu_utilization_percentage),
        ),
        (
            "targetMemoryUtilizationPercentage",
            autoscaling.target_memory_utilization_percentage,
        ),
    ] {
        if let Some(value) = value
            && !(1..=100).contains(&value)
        {
            check(
                &format!("spec.autoscaling.{key}"),
                Err(format!("{value} is not a percentage: use 1-100")),
            );
        }
    }
    check(
        "spec.autoscaling.scaleDownStabilizationSeconds",
        if autoscaling.scale_down_stabilization_seconds <= 3600 {
            Ok(())
        } else {
            Err("use 0-3600 seconds (the API's limit)".into())
        },
    );
    if let Some(class) = &p.priority_class_name {
        check("spec.priorityClassName", priority_class(class));
    }
    check(
        "spec.ingress.className",
        names::dns_subdomain(&p.ingress.class_name),
    );
    let gateway = &p.ingress.gateway;
    for (key, value) in [
        ("name", &gateway.name),
        ("sectionName", &gateway.section_name),
    ] {
        check(
            &format!("spec.ingress.gateway.{key}"),
            names::dns_subdomain(value),
        );
    }
    check(
        "spec.ingress.gateway.namespace",
        names::dns_label(&gateway.namespace),
    );
    if let Some(http) = &gateway.http_section_name {
        check(
            "spec.ingress.gateway.httpSectionName",
            names::dns_subdomain(http).and_then(|()| {
                if *http == gateway.section_name {
                    Err("is the HTTPS listener (sectionName): name the plain-HTTP one, or leave it out".into())
                } else {
                    Ok(())
                }
            }),
        );
    }
    check(
        "spec.ingress.gateway.controller.namespace",
        names::dns_label(&gateway.controller.namespace),
    );
    if gateway.controller.pod_labels.is_empty() {
        check(
            "spec.ingress.gateway.controller.podLabels",
            Err("name at least one label of the Gateway's data-plane pods".into()),
        );
    }
    for (key, value) in &gateway.controller.pod_labels {
        check(
            &format!("spec.ingress.gateway.controller.podLabels.{key}"),
            label(key, value),
        );
    }
    if let Some(rate) = &p.ingress.rate_limit {
        for (key, message) in rate.problems() {
            check(&format!("spec.ingress.rateLimit.{key}"), Err(message));
        }
    }
    if let Some(size) = &p.ingress.max_body_size {
        check(
            "spec.ingress.maxBodySize",
            names::byte_size(size).map(|_| ()),
        );
    }
    if let Some(timeouts) = &p.ingress.timeouts {
        for (key, message) in timeouts.problems() {
            check(&format!("spec.ingress.timeouts.{key}"), Err(message));
        }
    }
    check(
        "spec.ingress.controller.namespace",
        names::dns_label(&p.ingress.controller.namespace),
    );
    let router = &p.ingress.router;
    check(
        "spec.ingress.router.namespace",
        names::dns_label(&router.namespace),
    );
    check(
        "spec.ingress.router.serviceAccount",
        names::dns_subdomain(&router.service_account),
    );
    if router.namespace_labels.is_empty() {
        check(
            "spec.ingress.router.namespaceLabels",
            Err("name at least one label of the router's namespaces".into()),
        );
    }
    for (key, value) in &router.namespace_labels {
        check(
            &format!("spec.ingress.router.namespaceLabels.{key}"),
            label(key, value),
        );
    }
    check(
        "spec.ingress.controller.app",
        names::dns_label(&p.ingress.controller.app),
    );
    check(
        "spec.clusterDomain",
        names::dns_subdomain(&p.cluster_domain),
    );
    check(
        "spec.mesh.trustDomain",
        names::dns_subdomain(&p.mesh.trust_domain),
    );
    for (mesh, network) in [("istio", &p.mesh.istio), ("linkerd", &p.mesh.linkerd)] {
        for (i, plane) in network.control_plane.iter().enumerate() {
            let at = format!("spec.mesh.{mesh}.controlPlane[{i}]");
            check(
                &format!("{at}.namespace"),
                names::dns_label(&plane.namespace),
            );
            if plane.pod_labels.is_empty() {
                check(
                    &format!("{at}.podLabels"),
                    Err("name at least one label of the control-plane pods".into()),
                );
            }
            for (key, value) in &plane.pod_labels {
                check(&format!("{at}.podLabels.{key}"), label(key, value));
            }
            if plane.ports.is_empty() {
                check(&format!("{at}.ports"), Err("name at least one port".into()));
            }
            for port in &plane.ports {
                check(
                    &format!("{at}.ports"),
                    names::port(i64::from(*port)).map(|_| ()),
                );
            }
        }
        for port in &network.inbound_ports {
            check(
                &format!("spec.mesh.{mesh}.inboundPorts"),
                names::port(i64::from(*port)).map(|_| ()),
            );
        }
    }
    check(
        "spec.secretsMountPath",
        absolute_path(&p.secrets_mount_path),
    );
    let tls = &p.tls;
    check(
        "spec.tls.renewBeforeDays",
        at_least(u64::from(tls.renew_before_days), 1, "use 1 or more days"),
    );
    check(
        "spec.tls.leafValidityDays",
        at_least(
            u64::from(tls.leaf_validity_days),
            u64::from(tls.renew_before_days) + 1,
            "a leaf must outlive renewBeforeDays",
        ),
    );
    check(
        "spec.tls.caValidityDays",
        at_least(
            u64::from(tls.ca_validity_days),
            u64::from(tls.leaf_validity_days),
            "the CA must outlive the leaves it signs",
        ),
    );
    check(
        "spec.externalSecrets.refreshInterval",
        names::go_duration(&p.external_secrets.refresh_interval),
    );
    if let Some(sealing) = &p.sealing
        && sealing.certificate.as_deref().is_none_or(str::is_empty)
    {
        check(
            "spec.sealing.certificate",
            Err("is required: the Sealed Secrets controller's public certificate (kubeseal --fetch-cert > sealed-secrets.pem)".into()),
        );
    }
    for (field, cidr) in p.cluster_ranges.all() {
        check(&field, cidr.parse::<Cidr>().map(|_| ()));
    }
    let api = &p.api_server;
    // Empty is allowed: the endpoints are unknown, and a spec with apiAccess is refused
    // until they are given (validate).
    for (i, cidr) in api.cidrs.iter().enumerate() {
        check(
            &format!("spec.apiServer.cidrs[{i}]"),
            api_server_cidr(cidr, &p.cluster_ranges.services).map(|_| ()),
        );
    }
    if api.ports.is_empty() {
        check(
            "spec.apiServer.ports",
            Err("list the API server's ports".into()),
        );
    }
    for (i, port) in api.ports.iter().enumerate() {
        check(
            &format!("spec.apiServer.ports[{i}]"),
            names::port(i64::from(*port)).map(|_| ()),
        );
    }
    check(
        "spec.apiServer.tokenExpirationSeconds",
        at_least(
            u64::from(api.token_expiration_seconds),
            u64::from(MIN_TOKEN_EXPIRATION_SECONDS),
            "Kubernetes issues tokens for 600 seconds or more",
        ),
    );
    if api.token_audience.as_deref() == Some("") {
        check(
            "spec.apiServer.tokenAudience",
            Err(
                "must not be empty: leave it out (or null) for the API server's own audience"
                    .into(),
            ),
        );
    }
    let q = &p.namespace_quota;
    for (key, value) in [
        ("cpu", &q.max_per_container.cpu),
        ("memory", &q.max_per_container.memory),
        ("ephemeralStorage", &q.max_per_container.ephemeral_storage),
    ] {
        let field = format!("spec.namespaceQuota.maxPerContainer.{key}");
        match value {
            Some(value) => check(&field, names::quantity(value)),
            None => check(&field, Err("is required (rubric row 33)".into())),
        }
    }
    for (key, max, limit) in q.max_per_container.side_by_side(&p.resources.limits) {
        if let (Some(max), Some(limit)) = (
            max.and_then(names::quantity_value),
            limit.and_then(names::quantity_value),
        ) && limit > max
        {
            check(
                &format!("spec.namespaceQuota.maxPerContainer.{key}"),
                Err(format!(
                    "is below the preset's own limit resources.limits.{key}: the LimitRange would refuse every pod"
                )),
            );
        }
    }
    check(
        "spec.namespaceQuota.pods",
        q.pods
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(|_| ())
            .ok_or_else(|| format!("`{}` is not a positive whole number", q.pods)),
    );
    for (key, value) in [
        ("requestsCpu", &q.requests_cpu),
        ("requestsMemory", &q.requests_memory),
        ("limitsCpu", &q.limits_cpu),
        ("limitsMemory", &q.limits_memory),
        ("requestsEphemeralStorage", &q.requests_ephemeral_storage),
        ("limitsEphemeralStorage", &q.limits_ephemeral_storage),
    ] {
        check(
            &format!("spec.namespaceQuota.{key}"),
            names::quantity(value),
        );
    }
    let version_ok = p.pod_security_version == "latest"
        || p.pod_security_version
            .strip_prefix("v1.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    if !version_ok {
        check(
            "spec.podSecurityVersion",
            Err(format!(
                "`{}` is not `latest` or a version such as v1.30",
                p.pod_security_version
            )),
        );
    }
    if p.termination_grace_period_seconds <= p.drain_seconds {
        check(
            "spec.terminationGracePeriodSeconds",
            Err(format!(
                "{} is not more than drainSeconds ({}): the grace period counts from the start of the drain delay, so the process would be killed before or as it gets SIGTERM; make it longer than drainSeconds by the time the application needs to stop",
                p.termination_grace_period_seconds, p.drain_seconds
            )),
        );
    }
    for (field, value) in [
        (
            "spec.recommendedLabels.partOf",
            &p.recommended_labels.part_of,
        ),
        (
            "spec.recommendedLabels.component",
            &p.recommended_labels.component,
        ),
    ] {
        if let Some(value) = value {
            check(field, names::label_value(value));
        }
    }
    if p.templates.as_deref() == Some("") {
        check("spec.templates", Err("must not be empty".into()));
    }
    errors
}

/// A PriorityClass a service's pods may name: not one of the cluster's own.
fn priority_class(name: &str) -> Result<(), String> {
    names::dns_subdomain(name)?;
    if name.starts_with("system-") {
        return Err(format!(
            "`{name}` is reserved for the cluster's own components: name a PriorityClass of your organisation"
        ));
    }
    Ok(())
}

fn absolute_path(path: &str) -> Result<(), String> {
    if path.starts_with('/')
        && path.len() > 1
        && !path.split('/').any(|c| c == "..")
        && !path.chars().any(char::is_control)
    {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not an absolute path (start with '/', no '..', not '/' alone)"
        ))
    }
}

fn relative_path(path: &str) -> Result<(), String> {
    if !path.is_empty()
        && !path.starts_with('/')
        && !path.split('/').any(|c| c == "..")
        && !path.chars().any(char::is_control)
    {
        Ok(())
    } else {
        Err(format!("`{path}` is not a relative path without '..'"))
    }
}

fn http_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') && !path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not an HTTP path: start with '/', no spaces"
        ))
    }
}

/// A label: a key with an optional DNS-subdomain prefix and a name, and a value of up to 63
/// alphanumerics, `-`, `_` and `.`.
fn label(key: &str, value: &str) -> Result<(), String> {
    let name_ok = |text: &str, empty_ok: bool| {
        (empty_ok && text.is_empty()) || names::label_value(text).is_ok()
    };
    let (prefix, name) = key.rsplit_once('/').unwrap_or(("", key));
    let prefix_ok = prefix.is_empty() || names::dns_subdomain(prefix).is_ok();
    if !prefix_ok || !name_ok(name, false) {
        return Err(format!("`{key}` is not a label key"));
    }
    if !name_ok(value, true) {
        return Err(format!("`{value}` is not a label value"));
    }
    Ok(())
}
