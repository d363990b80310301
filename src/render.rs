//! Rendering: the plan through the tera templates (embedded from `templates/`) into YAML
//! documents, every value through the `yaml` filter; each document is parsed back and must
//! be exactly the object the plan asked for.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;
use tera::{Context, Tera};

use crate::error::Error;
use crate::material::Material;
use crate::output::OutFile;
use crate::parallel::parallel_map;
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

/// Parses one shipped template into an engine of its own (the templates never include one
/// another), with the `yaml` filter registered.
pub fn parse_template(name: &str) -> Result<Tera, Error> {
    parse(template_index(name)?).map_err(Error::Render)
}

fn template_index(name: &str) -> Result<usize, Error> {
    TEMPLATES
        .iter()
        .position(|(file, _)| *file == name)
        .ok_or_else(|| Error::Render(format!("no template is named {name}")))
}

fn parse(index: usize) -> Result<Tera, String> {
    let (name, text) = TEMPLATES[index];
    let mut tera = Tera::default();
    tera.autoescape_on(vec![]);
    tera.register_filter("yaml", yaml_filter);
    tera.add_raw_template(name, text)
        .map_err(|e| format!("template {name}: {}", error_chain(&e)))?;
    Ok(tera)
}

/// The engines of the templates parsed so far, by index in [`TEMPLATES`].
static ENGINES: [OnceLock<Result<Tera, String>>; TEMPLATES.len()] =
    [const { OnceLock::new() }; TEMPLATES.len()];

/// The engine for one template, parsed on first use and kept for the process: a render
/// parses only the templates its plan uses, and a batch parses each one once.
fn engine(name: &str) -> Result<&'static Tera, Error> {
    let index = template_index(name)?;
    ENGINES[index]
        .get_or_init(|| parse(index))
        .as_ref()
        .map_err(|e| Error::Render(e.clone()))
}

/// Parses the templates `plan` uses that this process has not parsed yet, on every core:
/// parsing them is most of the work of a one-service run. A template that fails to parse
/// keeps its error for [`engine`] to report.
fn parse_unparsed(plan: &Plan) {
    let mut unparsed: Vec<usize> = plan
        .objects
        .iter()
        .filter_map(|object| template_index(object.template).ok())
        .filter(|index| ENGINES[*index].get().is_none())
        .collect();
    unparsed.sort_unstable();
    unparsed.dedup();
    // Longest first, so that the threads finish together.
    unparsed.sort_by_key(|index| std::cmp::Reverse(TEMPLATES[*index].1.len()));
    parallel_map(unparsed, |index| {
        ENGINES[index].get_or_init(|| parse(index));
    });
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
pub fn render(plan: &Plan, material: &Material) -> Result<Vec<Manifest>, Error> {
    parse_unparsed(plan);
    let mut context = Context::new();
    context.insert("plan", plan);
    context.insert("material", material);
    plan.objects
        .iter()
        .map(|object| {
            context.insert("object", object);
            let text = engine(object.template)?
                .render(object.template, &context)
                .map_err(|e| {
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

/// The manifests as the files of an output folder: one per object, then a
/// `kustomization.yaml` listing them so that `kubectl apply -k` takes the folder.
pub fn files(manifests: &[Manifest]) -> Vec<OutFile> {
    let mut files: Vec<OutFile> = manifests
        .iter()
        .map(|m| OutFile {
            name: m.object.file_name(),
            content: m.text.clone(),
            secret: m.object.secret,
        })
        .collect();
    let mut kustomization = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for file in &files {
        kustomization.push_str(&format!("  - {}\n", yaml_safe::quote(&file.name)));
    }
    files.push(OutFile {
        name: "kustomization.yaml".into(),
        content: kustomization,
        secret: false,
    });
    files
}

/// Joins manifests into one multi-document stream.
pub fn stream(manifests: &[Manifest]) -> String {
    manifests
        .iter()
        .map(|m| format!("---\n{}", m.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_parses() {
        for (name, _) in TEMPLATES {
            if let Err(e) = parse_template(name) {
                panic!("{e}");
            }
        }
    }
}
