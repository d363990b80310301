//! Rendering: the plan through the tera templates (embedded from `templates/`) into YAML
//! documents, every value through the `yaml` filter; each document is parsed back and must
//! be exactly the object the plan asked for.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;
use tera::{Context, Tera};

use crate::error::Error;
use crate::explain;
use crate::material::Material;
use crate::plan::{Plan, PlannedObject};
use crate::yaml_safe;

/// The shipped templates: (file name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "namespace.yaml",
        include_str!("../templates/namespace.yaml"),
    ),
    (
        "serviceaccount.yaml",
        include_str!("../templates/serviceaccount.yaml"),
    ),
    ("role.yaml", include_str!("../templates/role.yaml")),
    (
        "rolebinding.yaml",
        include_str!("../templates/rolebinding.yaml"),
    ),
    ("service.yaml", include_str!("../templates/service.yaml")),
    (
        "deployment.yaml",
        include_str!("../templates/deployment.yaml"),
    ),
    (
        "poddisruptionbudget.yaml",
        include_str!("../templates/poddisruptionbudget.yaml"),
    ),
    (
        "networkpolicy-default-deny.yaml",
        include_str!("../templates/networkpolicy-default-deny.yaml"),
    ),
    (
        "networkpolicy.yaml",
        include_str!("../templates/networkpolicy.yaml"),
    ),
    (
        "networkpolicy-peer.yaml",
        include_str!("../templates/networkpolicy-peer.yaml"),
    ),
    ("ingress.yaml", include_str!("../templates/ingress.yaml")),
    ("secret.yaml", include_str!("../templates/secret.yaml")),
    (
        "secret-tls.yaml",
        include_str!("../templates/secret-tls.yaml"),
    ),
    (
        "certificate.yaml",
        include_str!("../templates/certificate.yaml"),
    ),
    (
        "resourcequota.yaml",
        include_str!("../templates/resourcequota.yaml"),
    ),
    (
        "limitrange.yaml",
        include_str!("../templates/limitrange.yaml"),
    ),
];

/// One rendered object: its plan entry, its YAML text and the value parsed back from it.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub object: PlannedObject,
    pub text: String,
    pub value: Value,
}

/// The `yaml` filter: any value as YAML-safe flow syntax.
fn yaml_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(yaml_safe::encode(value)))
}

/// The comment for one decision, as the templates see it in `notes` (aligned with
/// `plan.decisions`).
#[derive(Debug, Serialize)]
struct Note {
    id: &'static str,
    lines: [String; 2],
}

/// The `why` filter, applied to `notes`: the comments for the decisions with one of the ids
/// `ids=[...]`, or for the decision at `index=N`, each line as `\n<indent># <text>` with the
/// text made comment-safe by [`yaml_safe::one_line`]. Nothing when no decision matches, so a
/// template line holding only the filter adds no line.
fn why_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let notes = value.as_array().ok_or("why: apply it to `notes`")?;
    let indent = args
        .get("indent")
        .and_then(Value::as_u64)
        .ok_or("why: needs indent=N")?;
    let chosen: Vec<&Value> = match (args.get("ids"), args.get("index")) {
        (Some(Value::Array(ids)), None) => notes
            .iter()
            .filter(|note| ids.contains(&note["id"]))
            .collect(),
        (None, Some(index)) => {
            let index = index.as_u64().ok_or("why: index must be a number")?;
            vec![
                notes
                    .get(index as usize)
                    .ok_or_else(|| format!("why: no decision {index}"))?,
            ]
        }
        _ => return Err("why: give ids=[...] or index=N".into()),
    };
    let pad = " ".repeat(indent as usize);
    let mut out = String::new();
    for line in chosen
        .iter()
        .filter_map(|note| note["lines"].as_array())
        .flatten()
    {
        let text = line.as_str().ok_or("why: a note line is not text")?;
        out.push_str(&format!("\n{pad}# {}", yaml_safe::one_line(text)));
    }
    Ok(Value::String(out))
}

fn engine() -> Result<&'static Tera, Error> {
    static ENGINE: OnceLock<Result<Tera, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut tera = Tera::default();
            tera.autoescape_on(vec![]);
            tera.register_filter("yaml", yaml_filter);
            tera.register_filter("why", why_filter);
            tera.add_raw_templates(TEMPLATES.iter().copied())
                .map_err(|e| error_chain(&e))?;
            Ok(tera)
        })
        .as_ref()
        .map_err(|e| Error::Render(e.clone()))
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// Renders every planned object with its secret material and checks each against the plan.
/// With `annotate`, fields that carry a decision get `#` comments saying why.
pub fn render(plan: &Plan, material: &Material, annotate: bool) -> Result<Vec<Manifest>, Error> {
    let tera = engine()?;
    let mut context = Context::new();
    context.insert("plan", plan);
    context.insert("material", material);
    context.insert("annotate", &annotate);
    let notes: Vec<Note> = if annotate {
        plan.decisions
            .iter()
            .map(|d| Note {
                id: d.id,
                lines: explain::note(d),
            })
            .collect()
    } else {
        Vec::new()
    };
    context.insert("notes", &notes);
    plan.objects
        .iter()
        .map(|object| {
            context.insert("object", object);
            let text = tera.render(object.template, &context).map_err(|e| {
                Error::Render(format!("template {}: {}", object.template, error_chain(&e)))
            })?;
            let value = parse_back(object, &text)?;
            let text = if text.ends_with('\n') {
                text
            } else {
                text + "\n"
            };
            Ok(Manifest {
                object: object.clone(),
                text,
                value,
            })
        })
        .collect()
}

/// Parses a rendered document and checks it is the one object the plan asked for.
fn parse_back(object: &PlannedObject, text: &str) -> Result<Value, Error> {
    let fail = |why: String| {
        Error::Render(format!(
            "template {} for {} {}: {why}",
            object.template, object.kind, object.name
        ))
    };
    let docs: Vec<Value> = serde_saphyr::from_multiple(text)
        .map_err(|e| fail(format!("output is not valid YAML: {e}")))?;
    let [value] = <[Value; 1]>::try_from(docs)
        .map_err(|docs| fail(format!("produced {} documents instead of one", docs.len())))?;
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(&value, |v, key| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let expect = [
        (
            "apiVersion",
            field(&["apiVersion"]),
            Some(object.api_version.to_string()),
        ),
        ("kind", field(&["kind"]), Some(object.kind.to_string())),
        (
            "metadata.name",
            field(&["metadata", "name"]),
            Some(object.name.clone()),
        ),
        (
            "metadata.namespace",
            field(&["metadata", "namespace"]),
            object.namespace.clone(),
        ),
    ];
    for (path, found, wanted) in expect {
        if found != wanted {
            return Err(fail(format!(
                "{path} is {found:?}, the plan says {wanted:?}"
            )));
        }
    }
    Ok(value)
}

/// Joins manifests into one multi-document stream.
pub fn stream(manifests: &[Manifest]) -> String {
    manifests
        .iter()
        .map(|m| format!("---\n{}", m.text))
        .collect()
}
