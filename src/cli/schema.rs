//! The JSON Schemas of the service spec (`kubeward.yaml`), of preset files and of the cluster
//! spec (`cluster.yaml`), generated from their serde types in draft-07 (what yaml-language-server and most editors read). The field
//! descriptions are the types' doc comments; `kubeward schema` prints them.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use serde_json::{Value, json};

use crate::cluster::spec::ClusterFile;
use crate::preset::PresetFile;
use crate::spec::SpecFile;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file the schema describes
    #[arg(value_enum, default_value_t = SchemaKind::Spec)]
    pub kind: SchemaKind,
}

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// The service spec, `kubeward.yaml`.
    Spec,
    /// A preset file.
    Preset,
    /// The cluster spec, `cluster.yaml` (kind SecureCluster), of `kubeward cluster`.
    Cluster,
}

/// The schema as a JSON value.
pub fn schema(kind: SchemaKind) -> Value {
    // A preset unsets an optional setting of the preset it extends with `null`: its schema
    // keeps the null alternative that the spec's and the cluster's drop.
    let settings = SchemaSettings::draft07();
    let generator = match kind {
        SchemaKind::Preset => settings.into_generator(),
        SchemaKind::Spec | SchemaKind::Cluster => settings
            .with_transform(RecursiveTransform(drop_null))
            .into_generator(),
    };
    match kind {
        SchemaKind::Spec => generator.into_root_schema_for::<SpecFile>().to_value(),
        SchemaKind::Preset => {
            partial_settings(generator.into_root_schema_for::<PresetFile>().to_value())
        }
        SchemaKind::Cluster => generator.into_root_schema_for::<ClusterFile>().to_value(),
    }
}

/// A preset writes only the settings it changes (the rest come from the preset it extends),
/// so no setting is required: only the file's own header is.
fn partial_settings(mut schema: Value) -> Value {
    if let Some(Value::Object(definitions)) = schema.get_mut("definitions") {
        for (name, definition) in definitions.iter_mut() {
            if name != "PresetMetadata"
                && let Some(object) = definition.as_object_mut()
            {
                object.remove("required");
            }
        }
    }
    schema
}

/// The schema as pretty-printed JSON with a final newline, as committed under `schema/`.
pub fn schema_text(kind: SchemaKind) -> String {
    let mut text = serde_json::to_string_pretty(&schema(kind)).expect("a JSON value serializes");
    text.push('\n');
    text
}

/// Drops the `null` alternative schemars adds for `Option` fields: a field is optional by
/// being absent, and editors then offer its type alone (`string`, not `string | null`).
fn drop_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(branches)) = object.get_mut("anyOf") {
        branches.retain(|b| b != &json!({ "type": "null" }));
        if branches.len() == 1 {
            // One branch left, usually a `$ref`: `allOf` keeps its sibling keywords in force.
            let only = object.remove("anyOf").expect("present");
            object.insert("allOf".into(), only);
        }
    }
}
