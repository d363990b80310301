//! The spec's own vocabulary: the rules a single name, port, quantity or reference must meet,
//! and the patterns the JSON Schema states them with. Shared by the spec's schema, the
//! presets' settings, validation, and `init`, which checks each answer as it is typed.

use super::image::ImageRef;
use crate::vocabulary::{
    POD_CONTROLLER_VERBS, POD_CONTROLLERS, POD_EXEC_RESOURCES, POD_EXEC_VERBS,
};

/// Verbs a Role may grant; `bind`, `escalate`, `impersonate` and `*` are never granted.
pub const ALLOWED_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
/// The length of a generated secret whose spec gives none.
pub const DEFAULT_SECRET_LENGTH: i64 = 32;
const FORBIDDEN_VERBS: &[&str] = &["bind", "escalate", "impersonate", "*"];
/// Namespaces a service may not live in.
pub const RESERVED_NAMESPACES: &[&str] =
    &["default", "kube-system", "kube-public", "kube-node-lease"];
/// [`dns_label`] as a regular expression (with a maximum length of 63), for the JSON Schema.
pub const DNS_LABEL_PATTERN: &str = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/// [`dns_subdomain`] as a regular expression (with a maximum length of 253), for the JSON
/// Schema.
pub const DNS_SUBDOMAIN_PATTERN: &str =
    "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// The kinds of store an `ExternalSecret` reads from.
pub const STORE_KINDS: [&str; 2] = ["SecretStore", "ClusterSecretStore"];
/// A value without `*`, for the JSON Schema of API rules (wildcards are never granted).
pub const NO_WILDCARD_PATTERN: &str = "^[^*]*$";

/// A DNS-1123 label: lowercase alphanumerics and `-`, starting and ending alphanumeric, <= 63.
pub fn dns_label(value: &str) -> Result<(), String> {
    let bytes = value.as_bytes();
    let ok_char = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    let edge = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value.len() > 63 {
        return Err(format!("`{value}` is longer than 63 characters"));
    }
    if !bytes.iter().all(ok_char) || !edge(bytes[0]) || !edge(bytes[bytes.len() - 1]) {
        return Err(format!(
            "`{value}` is not a DNS-1123 label: use lowercase letters, digits and '-', starting and ending with a letter or digit"
        ));
    }
    Ok(())
}

/// A DNS-1123 subdomain: dot-separated labels, <= 253.
pub fn dns_subdomain(value: &str) -> Result<(), String> {
    if value.len() > 253 {
        return Err(format!("`{value}` is longer than 253 characters"));
    }
    value.split('.').try_for_each(dns_label).map_err(|_| {
        format!("`{value}` is not a DNS name: lowercase labels of letters, digits and '-', separated by dots")
    })
}

/// A host name for a certificate or an Ingress: a DNS subdomain, optionally `*.` wildcard.
pub fn host_name(value: &str) -> Result<(), String> {
    dns_subdomain(value.strip_prefix("*.").unwrap_or(value))
}

/// A namespace the service may live in.
pub fn namespace(value: &str) -> Result<(), String> {
    dns_label(value)?;
    if RESERVED_NAMESPACES.contains(&value) {
        return Err(format!(
            "`{value}` is reserved: pick a namespace of the service's own (e.g. the team or product name)"
        ));
    }
    Ok(())
}

pub fn port(value: i64) -> Result<u16, String> {
    u16::try_from(value)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| format!("{value} is not a port: use 1-65535"))
}

/// A port typed as text, e.g. an answer in `init`.
pub fn port_text(text: &str) -> Result<u16, String> {
    text.parse::<i64>()
        .map_err(|_| format!("`{text}` is not a port: use 1-65535"))
        .and_then(port)
}

/// A verb a Role may grant.
pub fn role_verb(verb: &str) -> Result<(), String> {
    if FORBIDDEN_VERBS.contains(&verb) {
        return Err(format!(
            "`{verb}` is never granted: it lets the service escalate its own privileges"
        ));
    }
    if !ALLOWED_VERBS.contains(&verb) {
        return Err(format!(
            "`{verb}` is not a verb; use one of {}",
            ALLOWED_VERBS.join(", ")
        ));
    }
    Ok(())
}

/// One entry of a Role rule's resources or resource names (`may_be_empty` for API groups,
/// where the empty group is the core API): never a wildcard.
pub fn role_entry(value: &str, may_be_empty: bool) -> Result<(), String> {
    if value.contains('*') {
        return Err(format!(
            "wildcard `{value}` is refused: name exactly what the service needs"
        ));
    }
    if value.is_empty() && !may_be_empty {
        return Err("must not be empty".into());
    }
    Ok(())
}

/// Names kubeward gives its own material: the Secrets `<service>-tls` (mounted as the folder
/// `tls/` beside the other secrets), `<service>-ingress-tls` and `<service>-client-tls` (the
/// client certificate, mounted as `client/`), and the folders `trust/` and `client/` of the
/// secrets volume.
pub const RESERVED_SECRET_NAMES: [&str; 5] =
    ["tls", "ingress-tls", "client-tls", "client", "trust"];

/// The name of one of `spec.secrets`: a DNS-1123 label that is not one of kubeward's own.
pub fn secret_name(value: &str) -> Result<(), String> {
    dns_label(value)?;
    if RESERVED_SECRET_NAMES.contains(&value) {
        return Err(format!(
            "`{value}` is reserved: kubeward names its own certificate Secrets `<service>-tls`, `<service>-ingress-tls` and `<service>-client-tls`, and mounts the folders `tls/`, `client/` and `trust/` beside the secrets; choose another name"
        ));
    }
    Ok(())
}

/// A Role rule over secrets must name them.
pub fn role_secret_names(resources: &[String], names: &[String]) -> Result<(), String> {
    let grants_secrets = resources
        .iter()
        .any(|r| r == "secrets" || r.starts_with("secrets/"));
    if grants_secrets && names.is_empty() {
        return Err("access to secrets must name them in resourceNames: otherwise the service could read every secret of the namespace".into());
    }
    Ok(())
}

/// A Role rule must not let the service run code as another account: no exec or attach into
/// pods, no creating pods, no creating or changing pod controllers (their templates name the
/// ServiceAccount). `api_groups` empty means the core group.
pub fn role_runs_no_pods(
    api_groups: &[String],
    resources: &[String],
    verbs: &[String],
) -> Result<(), String> {
    let core = api_groups.is_empty() || api_groups.iter().any(|g| g.is_empty());
    let grants = |verbs_wanted: &[&str]| verbs.iter().find(|v| verbs_wanted.contains(&v.as_str()));
    let runs_as_others = "it lets the service run a pod as any ServiceAccount of the namespace and take its permissions";
    for resource in resources {
        let refused = if core && POD_EXEC_RESOURCES.contains(&resource.as_str()) {
            grants(POD_EXEC_VERBS).map(|v| {
                format!("`{v}` on `{resource}` is never granted: it runs commands inside the pods, with their Secrets and tokens")
            })
        } else if core && resource == "pods" {
            grants(&["create"])
                .map(|v| format!("`{v}` on `pods` is never granted: {runs_as_others}"))
        } else if POD_CONTROLLERS.iter().any(|(group, r)| {
            r == resource && (api_groups.iter().any(|g| g == group) || (group.is_empty() && core))
        }) {
            grants(POD_CONTROLLER_VERBS)
                .map(|v| format!("`{v}` on `{resource}` is never granted: {runs_as_others}"))
        } else {
            None
        };
        if let Some(refusal) = refused {
            return Err(refusal);
        }
    }
    Ok(())
}

/// An image reference that names a version: a tag other than `latest`, or a digest.
pub fn image(value: &str) -> Result<ImageRef, String> {
    let image = ImageRef::parse(value)?;
    if image.digest.is_none() && image.tag.is_none() {
        return Err(format!(
            "`{value}` names no version: add a tag and, better, a digest (repo:tag@sha256:...)"
        ));
    }
    if image.tag.as_deref() == Some("latest") {
        return Err(format!(
            "`{value}` uses the mutable tag `latest`: pin a version tag and a digest"
        ));
    }
    Ok(image)
}

/// An environment variable name as POSIX shells accept it.
pub fn env_var_name(value: &str) -> Result<(), String> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "`{value}` is not an environment variable name (letters, digits, '_', not starting with a digit)"
        ));
    }
    Ok(())
}

/// A duration as Go writes it (and the External Secrets Operator reads it): one or more
/// numbers, each with a unit of `ns`, `us`, `µs`, `ms`, `s`, `m` or `h`, such as `1h`,
/// `15m` or `1h30m`; or `0`.
pub fn go_duration(value: &str) -> Result<(), String> {
    const UNITS: [&str; 7] = ["ns", "us", "µs", "ms", "s", "m", "h"];
    let invalid = || format!("`{value}` is not a duration such as 1h, 15m or 1h30m");
    if value == "0" {
        return Ok(());
    }
    let mut rest = value;
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        let number = &rest[..digits];
        if number.is_empty() || number.parse::<f64>().is_err() {
            return Err(invalid());
        }
        rest = &rest[digits..];
        // The longest unit first, so that `ms` is not read as `m` followed by `s`.
        let unit = UNITS
            .iter()
            .filter(|u| rest.starts_with(*u))
            .max_by_key(|u| u.len())
            .ok_or_else(invalid)?;
        rest = &rest[unit.len()..];
    }
    Ok(())
}

/// A Kubernetes quantity: digits with an optional fraction and a known suffix.
pub fn quantity(value: &str) -> Result<(), String> {
    const SUFFIXES: &[&str] = &[
        "", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    ];
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, suffix) = value.split_at(split);
    let number_ok = !number.is_empty() && number.parse::<f64>().is_ok_and(|n| n > 0.0);
    if !number_ok || !SUFFIXES.contains(&suffix) {
        return Err(format!(
            "`{value}` is not a positive quantity such as 250m, 128Mi or 1Gi"
        ));
    }
    Ok(())
}

/// A quantity's value in its base unit (cores for cpu, bytes otherwise), for comparing
/// quantities; `None` when it is not a quantity.
pub fn quantity_value(value: &str) -> Option<f64> {
    quantity(value).ok()?;
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, suffix) = value.split_at(split);
    let scale = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        binary => {
            let power = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .iter()
                .position(|s| *s == binary)?;
            1024f64.powi(i32::try_from(power).ok()? + 1)
        }
    };
    Some(number.parse::<f64>().ok()? * scale)
}

/// A size in bytes as Envoy Gateway and the spec take it: a whole number without leading
/// zero, optionally with a binary (`Ki`..`Ei`) or decimal (`k`, `M`..`E`) suffix; its bytes.
pub fn byte_size(value: &str) -> Result<u64, String> {
    let fail = || {
        format!(
            "`{value}` is not a size in bytes such as 1Mi, 512Ki or 1048576 (a whole number, no fraction)"
        )
    };
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (digits, suffix) = value.split_at(split);
    if digits.is_empty() || digits.starts_with('0') || suffix == "m" || suffix.contains('.') {
        return Err(fail());
    }
    let bytes = quantity_value(value).ok_or_else(fail)?;
    if bytes > 1e15 {
        return Err(format!("`{value}` is larger than a request body can be"));
    }
    Ok(bytes as u64)
}

/// A Gateway API duration: one to four groups of up to five digits and a unit (`h`, `m`,
/// `s`, `ms`), e.g. `30s` or `1m30s`; its length in milliseconds, more than zero.
pub fn duration(value: &str) -> Result<u64, String> {
    let fail = || format!("`{value}` is not a duration such as 30s, 1m30s or 500ms");
    let mut rest = value;
    let mut total: u64 = 0;
    let mut groups = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(fail)?;
        if digits == 0 || digits > 5 {
            return Err(fail());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| fail())?;
        rest = &rest[digits..];
        let (unit, millis) = if rest.starts_with("ms") {
            ("ms", 1)
        } else if rest.starts_with('h') {
            ("h", 3_600_000)
        } else if rest.starts_with('m') {
            ("m", 60_000)
        } else if rest.starts_with('s') {
            ("s", 1000)
        } else {
            return Err(fail());
        };
        rest = &rest[unit.len()..];
        total += number * millis;
        groups += 1;
    }
    if groups == 0 || groups > 4 {
        return Err(fail());
    }
    if total == 0 {
        return Err(format!(
            "`{value}` is no time at all: give a duration above zero"
        ));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_gateway_api_writes_them() {
        assert_eq!(duration("30s"), Ok(30_000));
        assert_eq!(duration("1m30s"), Ok(90_000));
        assert_eq!(duration("500ms"), Ok(500));
        assert_eq!(duration("1h"), Ok(3_600_000));
        for bad in [
            "",
            "30",
            "s",
            "1.5s",
            "123456s",
            "1m1m1m1m1m",
            "0s",
            "30 s",
            "-1s",
            "1d",
        ] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_and_quantities_have_their_values() {
        assert_eq!(byte_size("1Mi"), Ok(1_048_576));
        assert_eq!(byte_size("512Ki"), Ok(524_288));
        assert_eq!(byte_size("1M"), Ok(1_000_000));
        assert_eq!(byte_size("1048576"), Ok(1_048_576));
        for bad in ["", "0", "01Mi", "1.5Mi", "1m", "Mi", "1Xi", "-1"] {
            assert!(byte_size(bad).is_err(), "{bad}");
        }
        assert_eq!(quantity_value("500m"), Some(0.5));
        assert_eq!(quantity_value("2"), Some(2.0));
        assert_eq!(quantity_value("1Gi"), Some(1024f64.powi(3)));
        assert_eq!(quantity_value("x"), None);
    }

    #[test]
    fn go_durations_are_numbers_with_units() {
        for good in [
            "0", "1h", "15m", "1h30m", "90s", "1.5h", "250ms", "10us", "3µs", "1h0m0s",
        ] {
            assert!(go_duration(good).is_ok(), "{good}");
        }
        for bad in ["", "1", "h", "1d", "1 h", "-1h", "1hh", "m5", "1.h.5"] {
            assert!(go_duration(bad).is_err(), "{bad}");
        }
    }
}
