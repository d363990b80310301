//! A JSON value written as a YAML block document, as the templates write objects: mappings
//! and sequences in block style, two spaces a level, empty collections in flow style, every
//! key and scalar through [`safe::scalar`](super::safe::scalar), so that it reads back as
//! exactly the value. For objects kubeward builds or rewrites after a template ran.

use serde_json::Value;

use super::safe::{encode, scalar};

/// `value` as a YAML document (without the `---` line).
pub fn document(value: &Value) -> String {
    let mut out = String::new();
    if is_block(value) {
        entries(value, 0, &mut out);
    } else {
        out.push_str(&encode(value));
        out.push('\n');
    }
    out
}

/// What follows a key's colon for `value`, the key standing `indent` spaces in: a block
/// collection on the lines below it (indented two more), or a space and the scalar or empty
/// collection on the key's own line. The `block` filter of the templates writes it, so that
/// a collection a template prints looks as [`document`] writes it.
pub fn after_key(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    if is_block(value) {
        out.push('\n');
        entries(value, indent + 2, &mut out);
        out.pop();
    } else {
        out.push(' ');
        out.push_str(&encode(value));
    }
    out
}

/// A mapping or sequence with something in it: written in block style.
fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// The entries of a block collection, each line indented by `indent` spaces.
fn entries(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.push_str(&pad);
                out.push_str(&scalar(key));
                out.push(':');
                if is_block(item) {
                    out.push('\n');
                    entries(item, indent + 2, out);
                } else {
                    out.push(' ');
                    out.push_str(&encode(item));
                    out.push('\n');
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&pad);
                out.push_str("- ");
                if is_block(item) {
                    // The item's first line goes after the dash: its indentation is the dash.
                    let mut inner = String::new();
                    entries(item, indent + 2, &mut inner);
                    out.push_str(&inner[indent + 2..]);
                } else {
                    out.push_str(&encode(item));
                    out.push('\n');
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn objects_read_as_the_templates_write_them() {
        let value = serde_json::json!({
            "apiVersion": "v1",
            "metadata": {"name": "api", "labels": {"app.kubernetes.io/name": "api"}, "annotations": {}},
            "data": {"value": "c2VjcmV0+/="},
            "list": [{"a": 1, "b": [true, null]}, "yes", []],
        });
        assert_eq!(
            document(&value),
            "apiVersion: v1\nmetadata:\n  name: api\n  labels:\n    app.kubernetes.io/name: api\n  annotations: {}\ndata:\n  value: c2VjcmV0+/=\nlist:\n  - a: 1\n    b:\n      - true\n      - null\n  - \"yes\"\n  - []\n"
        );
    }

    #[test]
    fn after_a_key_collections_go_below_and_the_rest_beside_it() {
        let labels = serde_json::json!({"app.kubernetes.io/name": "web", "tier": "8"});
        assert_eq!(
            format!("  matchLabels:{}", after_key(&labels, 2)),
            "  matchLabels:\n    app.kubernetes.io/name: web\n    tier: \"8\""
        );
        let list = serde_json::json!(["", "apps"]);
        assert_eq!(
            format!("a:{}", after_key(&list, 0)),
            "a:\n  - \"\"\n  - apps"
        );
        assert_eq!(after_key(&serde_json::json!({}), 4), " {}");
        assert_eq!(after_key(&serde_json::json!("x y"), 4), " x y");
    }

    fn values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_reads_back_as_itself(value in values()) {
            let text = document(&value);
            let back: Value = serde_saphyr::from_str(&text).expect("the document parses");
            prop_assert_eq!(back, value, "{}", text);
        }
    }
}
