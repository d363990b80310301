//! The API server's audit `Policy` (audit.k8s.io/v1), judged the way the API server applies
//! it: rules in order, the first that matches a request sets its level. Secrets, ConfigMaps,
//! token requests and token reviews carry credentials in their bodies, so they are logged at
//! `Metadata` at most; every Secret request is logged (CIS 3.2.2).

use serde_json::Value;

use crate::check::Hits;
use crate::check::index::Index;
use crate::check::object::Object;

const CIS: &str = "3.2.2";

/// A kind of request: API group, resource and subresource.
struct Target {
    group: &'static str,
    resource: &'static str,
    subresource: &'static str,
    label: &'static str,
}

const SECRETS: Target = Target {
    group: "",
    resource: "secrets",
    subresource: "",
    label: "Secrets",
};

/// The requests whose bodies hold credentials or secret values.
const BODIES_WITH_SECRETS: [Target; 4] = [
    SECRETS,
    Target {
        group: "",
        resource: "configmaps",
        subresource: "",
        label: "ConfigMaps",
    },
    Target {
        group: "",
        resource: "serviceaccounts",
        subresource: "token",
        label: "service account token requests (serviceaccounts/token)",
    },
    Target {
        group: "authentication.k8s.io",
        resource: "tokenreviews",
        subresource: "",
        label: "TokenReviews",
    },
];

/// How much of a kind of request a policy rule matches.
#[derive(PartialEq, Eq)]
enum Matches {
    None,
    /// Some of the requests (for some users, verbs, namespaces or names).
    Some,
    /// Every request of the kind.
    All,
}

fn strings<'a>(value: &'a Value, field: &str) -> Vec<&'a str> {
    value
        .get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Whether a resource pattern of a rule (`secrets`, `*`, `pods/*`, `*/proxy`) names the target.
fn pattern_names(pattern: &str, target: &Target) -> bool {
    let combined = if target.subresource.is_empty() {
        target.resource.to_string()
    } else {
        format!("{}/{}", target.resource, target.subresource)
    };
    pattern == "*"
        || pattern == combined
        || (!target.subresource.is_empty()
            && (pattern == format!("{}/*", target.resource)
                || pattern == format!("*/{}", target.subresource)))
}

/// How much of the target's requests `rule` matches, as the API server's policy checker
/// decides it: users, groups, verbs and namespaces narrow a rule; `resources` (or
/// `namespaces`) make it a rule for resource requests, `nonResourceURLs` one for the others.
fn matches(rule: &Value, target: &Target) -> Matches {
    let narrowed = ["users", "userGroups", "verbs", "namespaces"]
        .iter()
        .any(|field| !strings(rule, field).is_empty());
    let resources = rule.get("resources").and_then(Value::as_array);
    let resource_rule =
        resources.is_some_and(|r| !r.is_empty()) || !strings(rule, "namespaces").is_empty();
    let found = if resource_rule {
        let groups = resources.map(Vec::as_slice).unwrap_or_default();
        if groups.is_empty() {
            Matches::All
        } else {
            let best = groups
                .iter()
                .filter(|g| {
                    g.get("group").and_then(Value::as_str).unwrap_or_default() == target.group
                })
                .map(|g| {
                    let patterns = strings(g, "resources");
                    let named =
                        patterns.is_empty() || patterns.iter().any(|p| pattern_names(p, target));
                    match (named, strings(g, "resourceNames").is_empty()) {
                        (false, _) => Matches::None,
                        (true, true) => Matches::All,
                        (true, false) => Matches::Some,
                    }
                })
                .max_by_key(|m| match m {
                    Matches::None => 0,
                    Matches::Some => 1,
                    Matches::All => 2,
                });
            best.unwrap_or(Matches::None)
        }
    } else if !strings(rule, "nonResourceURLs").is_empty() {
        Matches::None
    } else {
        Matches::All
    };
    match found {
        Matches::All if narrowed => Matches::Some,
        other => other,
    }
}

fn level(rule: &Value) -> &str {
    rule.get("level")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn rules(object: &Object) -> Vec<&Value> {
    object
        .at(&["rules"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect()
}

/// KW-CP: no rule that a request for a secret-bearing kind reaches logs its body.
pub fn metadata_only(_: &Index, object: &Object, hits: &mut Hits) {
    let rules = rules(object);
    for target in &BODIES_WITH_SECRETS {
        for (i, rule) in rules.iter().enumerate() {
            let reach = matches(rule, target);
            if reach == Matches::None {
                continue;
            }
            if matches!(level(rule), "Request" | "RequestResponse") {
                hits.add_cis(
                    CIS,
                    format!("rules[{i}].level"),
                    format!(
                        "{} requests reach this rule, whose level {} writes their bodies, and the values in them, to the audit log: log them at Metadata",
                        target.label,
                        level(rule)
                    ),
                );
            }
            if reach == Matches::All {
                break;
            }
        }
    }
}

/// KW-CP: every Secret request is logged: a rule matching them all at Metadata (or more)
/// comes before anything that drops some of them.
pub fn secrets_logged(_: &Index, object: &Object, hits: &mut Hits) {
    for (i, rule) in rules(object).iter().enumerate() {
        let reach = matches(rule, &SECRETS);
        if reach == Matches::None {
            continue;
        }
        let dropped = matches!(level(rule), "None" | "");
        match (reach, dropped) {
            (Matches::All, true) => {
                hits.add_cis(
                    CIS,
                    format!("rules[{i}].level"),
                    "every Secret request reaches this rule, whose level None logs nothing: nobody can tell who read which Secret",
                );
                return;
            }
            (Matches::All, false) => return,
            (_, true) => hits.add_cis(
                CIS,
                format!("rules[{i}]"),
                "some Secret requests reach this rule, whose level None drops them: a stolen token of those users reads Secrets unseen; put a Metadata rule for Secrets before it",
            ),
            (_, false) => {}
        }
    }
    hits.add_cis(
        CIS,
        "rules",
        "no rule matches every Secret request, and a request no rule matches is not logged: add a rule for `secrets` at level Metadata",
    );
}
