//! What becomes of every rendered Secret, whichever template wrote it. With a sealer, it is
//! written as a SealedSecret (bitnami.com/v1alpha1) as `kubeseal` writes one: each value
//! sealed for the controller, the Secret's metadata, type and `immutable` in the template the
//! controller unseals it into, the scope's annotation on both. Without one, it stays plain and
//! says so: a `kubeward.dev/ignore` entry for the plaintext rule, with the reason.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::{Manifest, parse_back};
use crate::error::Error;
use crate::material::sealing::Sealer;
use crate::plan::{self, Plan, PlannedObject};
use crate::spec::SealingScope;
use crate::vocabulary::{
    CLUSTER_WIDE_SEALING, IGNORE_ANNOTATION, PLAINTEXT_SECRET, SEALED_CLUSTER_WIDE,
    SEALED_NAMESPACE_WIDE,
};
use crate::yaml;

/// Why a plain Secret of the bundle holds its values, as its suppression of the plaintext
/// rule says.
const PLAINTEXT_REASON: &str = "rendered without spec.sealing: the values are base64 in this file; keep it out of git, or seal it (spec.sealing) or keep the value in a store (fromStore)";
/// Why a SealedSecret of the bundle is sealed cluster-wide.
const CLUSTER_WIDE_REASON: &str =
    "spec.sealing.scope is cluster-wide: the value is meant to unseal in other namespaces too";
/// The annotations an applied object carries with a copy of itself: never sealed along.
const LAST_APPLIED: [&str; 2] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    "kubecfg.ksonnet.io/last-applied-configuration",
];

/// `manifest` as the bundle writes it: a Secret with values sealed (with `sealer`) or marked
/// plain; anything else as it is. With `annotate`, the sealing or plaintext decision is
/// written above the object.
pub(super) fn finish(
    manifest: Manifest,
    plan: &Plan,
    sealer: Option<&Sealer>,
    annotate: bool,
) -> Result<Manifest, Error> {
    if manifest.object.kind != "Secret" {
        return Ok(manifest);
    }
    let data = values(&manifest)?;
    if data.is_empty() {
        return Ok(manifest);
    }
    let (object, value, decision) = match sealer {
        Some(sealer) => {
            let value = sealed(&manifest, sealer, &data)?;
            let object = PlannedObject {
                api_version: "bitnami.com/v1alpha1",
                kind: "SealedSecret",
                secret: false,
                ..manifest.object.clone()
            };
            (object, value, plan.sealing.as_ref().map(|s| s.decision))
        }
        None => {
            let mut value = manifest.value.clone();
            add_suppression(&mut value, PLAINTEXT_SECRET, PLAINTEXT_REASON)?;
            let decision = plan.decisions.iter().position(|d| d.id == "plain-secrets");
            (manifest.object.clone(), value, decision)
        }
    };
    let mut text = String::new();
    if let Some(decision) = decision.filter(|_| annotate) {
        for line in plan::note(&plan.decisions[decision]) {
            text.push_str(&format!("# {}\n", yaml::safe::one_line(&line)));
        }
    }
    text.push_str(&yaml::block::document(&value));
    let source = format!("{} (as {})", object.template, object.kind);
    let value = parse_back(&object, &text, &source)?;
    Ok(Manifest {
        object,
        text,
        value,
    })
}

/// The values of a rendered Secret, decoded: `data` (base64) and `stringData` (text, which
/// wins, as the API server merges them).
fn values(manifest: &Manifest) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let secret = &manifest.value;
    let fail = |why: String| {
        Error::Render(format!(
            "template {} for Secret {}: {why}",
            manifest.object.template, manifest.object.name
        ))
    };
    let mut out = BTreeMap::new();
    for (field, base64) in [("data", true), ("stringData", false)] {
        let Some(entries) = secret.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        let entries = entries
            .as_object()
            .ok_or_else(|| fail(format!("{field} is not a mapping")))?;
        for (key, value) in entries {
            let text = value
                .as_str()
                .ok_or_else(|| fail(format!("{field}.{key} is not a string")))?;
            let bytes = if base64 {
                STANDARD
                    .decode(text)
                    .map_err(|e| fail(format!("data.{key} is not base64: {e}")))?
            } else {
                text.as_bytes().to_vec()
            };
            out.insert(key.clone(), bytes);
        }
    }
    Ok(out)
}

/// The SealedSecret of a rendered Secret, its values sealed by `sealer`.
fn sealed(
    manifest: &Manifest,
    sealer: &Sealer,
    data: &BTreeMap<String, Vec<u8>>,
) -> Result<Value, Error> {
    let object = &manifest.object;
    let namespace = object.namespace.as_deref().unwrap_or_default();
    let encrypted = sealer.seal(namespace, &object.name, data)?;
    let secret = &manifest.value;
    let labels = secret["metadata"].get("labels").cloned();
    let scope = scope_annotations(sealer.scope());
    let mut template_annotations = secret["metadata"]
        .get("annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for key in LAST_APPLIED {
        template_annotations.remove(key);
    }
    template_annotations.extend(scope.clone());
    let mut template_metadata = Map::new();
    template_metadata.insert("name".into(), json!(object.name));
    template_metadata.insert("namespace".into(), json!(namespace));
    template_metadata.extend(labels.clone().map(|l| ("labels".to_string(), l)));
    if !template_annotations.is_empty() {
        template_metadata.insert("annotations".into(), Value::Object(template_annotations));
    }
    let mut template = Map::new();
    template.insert("metadata".into(), Value::Object(template_metadata));
    for field in ["type", "immutable"] {
        template.extend(secret.get(field).map(|v| (field.to_string(), v.clone())));
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(object.name));
    metadata.insert("namespace".into(), json!(namespace));
    metadata.extend(labels.map(|l| ("labels".to_string(), l)));
    let mut value = json!({
        "apiVersion": "bitnami.com/v1alpha1",
        "kind": "SealedSecret",
        "metadata": metadata,
        "spec": {"encryptedData": encrypted, "template": template},
    });
    if !scope.is_empty() {
        value["metadata"]["annotations"] = Value::Object(scope);
    }
    if sealer.scope() == SealingScope::ClusterWide {
        add_suppression(&mut value, CLUSTER_WIDE_SEALING, CLUSTER_WIDE_REASON)?;
    }
    Ok(value)
}

/// The annotations the controller reads the scope from (none for strict).
fn scope_annotations(scope: SealingScope) -> Map<String, Value> {
    let key = match scope {
        SealingScope::Strict => return Map::new(),
        SealingScope::NamespaceWide => SEALED_NAMESPACE_WIDE,
        SealingScope::ClusterWide => SEALED_CLUSTER_WIDE,
    };
    Map::from_iter([(key.to_string(), json!("true"))])
}

/// Adds `rule=reason` to the object's `kubeward.dev/ignore` annotation.
fn add_suppression(value: &mut Value, rule: &str, reason: &str) -> Result<(), Error> {
    let annotations = value["metadata"]
        .as_object_mut()
        .ok_or_else(|| Error::Render("a rendered Secret has no metadata".into()))?
        .entry("annotations")
        .or_insert_with(|| json!({}));
    let Some(annotations) = annotations.as_object_mut() else {
        return Err(Error::Render(
            "a rendered Secret's metadata.annotations is not a mapping".into(),
        ));
    };
    let entry = format!("{rule}={reason}");
    let text = match annotations.get(IGNORE_ANNOTATION).and_then(Value::as_str) {
        Some(existing) => format!("{existing}\n{entry}"),
        None => entry,
    };
    annotations.insert(IGNORE_ANNOTATION.into(), Value::String(text));
    Ok(())
}
