//! The upstream CustomResourceDefinitions of `tests/crds/`: the schema of a custom resource's
//! kind and version, made strict (an unknown field is an error, as `kubectl apply
//! --validate=strict` makes it), and the CEL rules written beside it.

use std::path::PathBuf;

use serde_json::Value;

use super::{read_path, repo};

/// The CRD files of every project under `tests/crds/`.
fn crd_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for project in std::fs::read_dir(repo("tests/crds")).expect("tests/crds") {
        let project = project.unwrap().path();
        if project.is_dir() {
            for file in std::fs::read_dir(&project).unwrap() {
                out.push(file.unwrap().path());
            }
        }
    }
    out.sort();
    out
}

/// The `openAPIV3Schema` of `kind` in `api_version` (`group/version`), from the CRD that
/// serves it; `None` when no CRD of `tests/crds/` does.
pub fn schema_of(api_version: &str, kind: &str) -> Option<Value> {
    let (group, version) = api_version.split_once('/')?;
    crd_files().into_iter().find_map(|file| {
        let crd: Value = serde_saphyr::from_str(&read_path(&file)).ok()?;
        let spec = &crd["spec"];
        (spec["group"] == group && spec["names"]["kind"] == kind).then_some(())?;
        spec["versions"]
            .as_array()?
            .iter()
            .find(|v| v["name"] == version && v["served"] == true)
            .map(|v| v["schema"]["openAPIV3Schema"].clone())
    })
}

/// `schema` without null keywords, with `additionalProperties: false` wherever it lists
/// properties: a misspelt field
/// fails instead of being pruned. Also where the schema keeps unknown fields
/// (`x-kubernetes-preserve-unknown-fields`) but lists the ones its controller reads, such as a
/// SealedSecret's `spec.template.metadata`, an ObjectMeta the controller drops the rest of.
fn strict(schema: &mut Value) {
    if let Some(map) = schema.as_object_mut() {
        // A keyword written as null is absent, as the API server reads it (OpenShift's
        // generated CRDs write `anyOf: null` on their int-or-string fields).
        map.retain(|_, v| !v.is_null());
        // `nullable: true` (OpenAPI, not JSON Schema) admits null besides the type.
        if map.get("nullable") == Some(&Value::Bool(true))
            && let Some(Value::String(kind)) = map.get("type").cloned()
        {
            map.insert("type".into(), serde_json::json!([kind, "null"]));
        }
        if map.contains_key("properties") && !map.contains_key("additionalProperties") {
            map.insert("additionalProperties".into(), Value::Bool(false));
        }
        for value in map.values_mut() {
            strict(value);
        }
    } else if let Some(items) = schema.as_array_mut() {
        items.iter_mut().for_each(strict);
    }
}

/// Why `object` does not match the strict schema of its kind in `tests/crds/` (empty when it
/// does); panics when no CRD there serves its kind and version.
pub fn crd_errors(object: &Value) -> Vec<String> {
    let api_version = object["apiVersion"].as_str().unwrap_or_default();
    let kind = object["kind"].as_str().unwrap_or_default();
    let mut schema = schema_of(api_version, kind)
        .unwrap_or_else(|| panic!("no CRD in tests/crds serves {api_version} {kind}"));
    strict(&mut schema);
    // The CRD validates the object below its apiVersion, kind and metadata, which the API
    // server checks itself.
    if let Some(properties) = schema["properties"].as_object_mut() {
        for key in ["apiVersion", "kind", "metadata"] {
            properties.insert(key.into(), serde_json::json!({}));
        }
    }
    let validator = jsonschema::draft7::new(&schema).expect("the CRD schema compiles");
    super::schema_errors(&validator, object)
        .into_iter()
        .map(|e| format!("{api_version} {kind}: {e}"))
        .collect()
}
