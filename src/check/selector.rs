//! Kubernetes label selectors: the `matchLabels` + `matchExpressions` form (NetworkPolicy,
//! PodDisruptionBudget, affinity) and the plain map form (Service).

use serde_json::{Map, Value};

type Labels = Map<String, Value>;

/// Whether a `LabelSelector` selects pods with `labels`. An empty selector selects all;
/// a selector that is not an object selects none.
pub fn matches(selector: &Value, labels: Option<&Labels>) -> bool {
    let Some(selector) = selector.as_object() else {
        return false;
    };
    let label = |key: &str| labels.and_then(|l| l.get(key)).and_then(Value::as_str);
    let match_labels = selector
        .get("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .all(|(key, want)| label(key).is_some() && label(key) == want.as_str());
    match_labels
        && selector
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .all(|expr| expression_matches(expr, &label))
}

fn expression_matches<'a>(expr: &Value, label: &impl Fn(&str) -> Option<&'a str>) -> bool {
    let key = expr.get("key").and_then(Value::as_str).unwrap_or_default();
    let values: Vec<&str> = expr
        .get("values")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let found = label(key);
    match expr.get("operator").and_then(Value::as_str) {
        Some("In") => found.is_some_and(|v| values.contains(&v)),
        Some("NotIn") => found.is_none_or(|v| !values.contains(&v)),
        Some("Exists") => found.is_some(),
        Some("DoesNotExist") => found.is_none(),
        _ => false,
    }
}

/// Whether a `LabelSelector` is present and selects everything (`{}`).
pub fn is_empty(selector: &Value) -> bool {
    selector.as_object().is_some_and(|s| {
        s.values().all(|v| match v {
            Value::Object(m) => m.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Null => true,
            _ => false,
        })
    })
}

/// Whether a Service's map selector selects pods with `labels`. An empty map selects none
/// (a Service without a selector has its endpoints managed by hand).
pub fn map_matches(selector: &Labels, labels: Option<&Labels>) -> bool {
    !selector.is_empty()
        && selector.iter().all(|(key, want)| {
            labels
                .and_then(|l| l.get(key))
                .is_some_and(|v| v.as_str().is_some() && v.as_str() == want.as_str())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(v: Value) -> Labels {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn match_labels_and_expressions_must_all_hold() {
        let pod = labels(json!({"app": "web", "tier": "front"}));
        assert!(matches(&json!({}), Some(&pod)));
        assert!(matches(&json!({"matchLabels": {"app": "web"}}), Some(&pod)));
        assert!(!matches(
            &json!({"matchLabels": {"app": "api"}}),
            Some(&pod)
        ));
        let expr = |op: &str, values: Value| json!({"matchExpressions": [{"key": "tier", "operator": op, "values": values}]});
        assert!(matches(&expr("In", json!(["front", "x"])), Some(&pod)));
        assert!(!matches(&expr("NotIn", json!(["front"])), Some(&pod)));
        assert!(matches(&expr("Exists", json!([])), Some(&pod)));
        assert!(!matches(&expr("DoesNotExist", json!([])), Some(&pod)));
        assert!(!matches(&Value::Null, Some(&pod)));
    }

    #[test]
    fn an_empty_selector_is_recognised() {
        assert!(is_empty(&json!({})));
        assert!(is_empty(&json!({"matchLabels": {}})));
        assert!(!is_empty(&json!({"matchLabels": {"a": "b"}})));
        assert!(!is_empty(&Value::Null));
    }

    #[test]
    fn a_service_selector_needs_every_label_and_is_never_empty() {
        let pod = labels(json!({"app": "web", "tier": "front"}));
        assert!(map_matches(&labels(json!({"app": "web"})), Some(&pod)));
        assert!(!map_matches(
            &labels(json!({"app": "web", "v": "2"})),
            Some(&pod)
        ));
        assert!(!map_matches(&labels(json!({})), Some(&pod)));
    }
}
