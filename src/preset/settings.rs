//! The rules every resolved preset's settings meet, whichever preset set them: counts,
//! quantities, names, paths, ports and labels a render can use.

use super::model::{MIN_TOKEN_EXPIRATION_SECONDS, Preset, SeccompType};
use crate::error::FieldError;
use crate::spec::cidr::Cidr;
use crate::spec::names;

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
            if (10001..=i64::from(i32::MAX)).contains(&id) {
                Ok(())
            } else {
                Err(format!(
                    "{id} is not a high non-root id: use 10001 or more (rubric row 2; 10000 and below fail kube-score and kubesec)"
                ))
            },
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
    check(
        "spec.ingress.className",
        names::dns_subdomain(&p.ingress.class_name),
    );
    check(
        "spec.ingress.controller.namespace",
        names::dns_label(&p.ingress.controller.namespace),
    );
    check(
        "spec.ingress.controller.app",
        names::dns_label(&p.ingress.controller.app),
    );
    check(
        "spec.clusterDomain",
        names::dns_subdomain(&p.cluster_domain),
    );
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
    let api = &p.api_server;
    if api.cidrs.is_empty() {
        check(
            "spec.apiServer.cidrs",
            Err("list the API server's addresses".into()),
        );
    }
    for (i, cidr) in api.cidrs.iter().enumerate() {
        check(
            &format!("spec.apiServer.cidrs[{i}]"),
            cidr.parse::<Cidr>().map(|_| ()),
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
    if p.templates.as_deref() == Some("") {
        check("spec.templates", Err("must not be empty".into()));
    }
    errors
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
        (empty_ok && text.is_empty())
            || (text.len() <= 63
                && text.starts_with(|c: char| c.is_ascii_alphanumeric())
                && text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
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
