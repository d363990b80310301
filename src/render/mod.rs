//! The render stage: the plan and its material through the templates (`templates`) into YAML
//! documents. Every value goes through the `yaml` filter (`yaml::safe`), and a value printed
//! without it is quoted all the same. Each document is parsed back and must be exactly the
//! object the plan asked for, holding every control of `invariants`; a control an override
//! drops is accepted only by name, and recorded on the object. Every Secret is then sealed for
//! the cluster's controller, or marked plain (`secrets`). Hands the [`Manifest`]s to the
//! self-check (`check`) and to `output`.

pub mod invariants;
pub mod layout;
mod secrets;
mod shared;
mod templates;

pub use shared::SharedRenders;
pub use templates::{TEMPLATES, Templates};

use serde_json::Value;
use tera::Context;

use crate::error::Error;
use crate::material::Material;
use crate::output::OutFile;
use crate::plan::{self, Plan, PlannedObject};
use crate::vocabulary::{IGNORE_ANNOTATION, OVERRIDE_ANNOTATION};
use crate::yaml;
use invariants::Violation;
use templates::{Note, error_chain, shipped_engine};

/// One rendered object: its plan entry, its YAML text and the value parsed back from it.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub object: PlannedObject,
    pub text: String,
    pub value: Value,
}

/// Renders every planned object with its secret material, checks each against the plan and
/// the invariants, and records on its object any control in `allow_dropped` that an
/// override template dropped. With `annotate`, fields that carry a decision get `#`
/// comments saying why.
pub fn render(
    plan: &Plan,
    material: &Material,
    templates: &Templates,
    allow_dropped: &[String],
    annotate: bool,
) -> Result<Vec<Manifest>, Error> {
    render_sharing(plan, material, templates, allow_dropped, annotate, None)
}

/// [`render`], taking the objects the services of a namespace share from `shared` when
/// another service of the run rendered them already (see `shared`), and keeping them there.
pub fn render_sharing(
    plan: &Plan,
    material: &Material,
    templates: &Templates,
    allow_dropped: &[String],
    annotate: bool,
    shared: Option<&SharedRenders>,
) -> Result<Vec<Manifest>, Error> {
    let shared = shared.filter(|_| templates.all_shipped() && !annotate);
    let overridden;
    let tera = if templates.all_shipped() {
        shipped_engine()?
    } else {
        overridden = templates.engine().map_err(Error::Render)?;
        &overridden
    };
    let mut context = Context::new();
    context.insert("plan", plan);
    context.insert("material", material);
    context.insert("annotate", &annotate);
    let notes: Vec<Note> = if annotate {
        plan.decisions
            .iter()
            .map(|d| Note {
                id: d.id,
                lines: plan::note(d),
            })
            .collect()
    } else {
        Vec::new()
    };
    context.insert("notes", &notes);
    plan.objects
        .iter()
        .map(|object| {
            let key = shared.and_then(|_| shared::key(plan, material, object));
            if let (Some(shared), Some(key)) = (shared, &key)
                && let Some(manifest) = shared.get(key)
            {
                return Ok(manifest);
            }
            let source = templates.describe(object.template);
            context.insert("object", object);
            let text = tera
                .render(object.template, &context)
                .map_err(|e| Error::Render(format!("template {source}: {}", error_chain(&e))))?;
            let manifest = accept(plan, object, text, &source, allow_dropped)
                .and_then(|m| secrets::finish(m, plan, material.sealer.as_ref(), annotate))?;
            if let (Some(shared), Some(key)) = (shared, key) {
                shared.keep(key, &manifest);
            }
            Ok(manifest)
        })
        .collect()
}

/// Parses one rendered document back and checks it against the plan and the invariants;
/// records the departures `allow_dropped` accepts.
fn accept(
    plan: &Plan,
    object: &PlannedObject,
    text: String,
    source: &str,
    allow_dropped: &[String],
) -> Result<Manifest, Error> {
    let value = parse_back(object, &text, source)?;
    let (accepted, refused): (Vec<Violation>, Vec<Violation>) =
        invariants::check(object, &value, plan)
            .into_iter()
            .partition(|v| allow_dropped.iter().any(|id| id == v.control.id));
    if !refused.is_empty() {
        let list: Vec<String> = refused.iter().map(|v| format!("\n  - {v}")).collect();
        return Err(Error::Render(format!(
            "template {source} for {} {} drops required controls:{}\nfix the template, or accept a departure with --allow-template-override CONTROL (recorded on the object)",
            object.kind,
            object.name,
            list.concat()
        )));
    }
    let (text, value) = if accepted.is_empty() {
        (text, value)
    } else {
        record_overrides(object, value, &accepted, source)?
    };
    let mut text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    // The engine's buffer is far larger than one document: a system keeps thousands.
    text.shrink_to_fit();
    Ok(Manifest {
        object: object.clone(),
        text,
        value,
    })
}

/// Writes the accepted departures into the object's annotations and re-emits it.
fn record_overrides(
    object: &PlannedObject,
    mut value: Value,
    accepted: &[Violation],
    source: &str,
) -> Result<(String, Value), Error> {
    let record: Vec<String> = accepted
        .iter()
        .map(|v| format!("{} ({})", v.control.id, v.detail))
        .collect();
    let record = format!(
        "--allow-template-override accepted from template {source}: {}",
        record.join("; ")
    );
    let metadata = value
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| Error::Render(format!("template {source}: the object has no metadata")))?;
    let annotations = metadata
        .entry("annotations")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(annotations) = annotations.as_object_mut() else {
        return Err(Error::Render(format!(
            "template {source}: metadata.annotations is not a mapping"
        )));
    };
    annotations.insert(OVERRIDE_ANNOTATION.to_string(), Value::String(record));
    let ignored: Vec<String> = accepted
        .iter()
        .flat_map(|v| {
            v.control.rules.iter().map(move |rule| {
                format!(
                    "{rule}=--allow-template-override {} accepted from template {source}",
                    v.control.id
                )
            })
        })
        .collect();
    let existing = annotations
        .get(IGNORE_ANNOTATION)
        .and_then(Value::as_str)
        .map(|text| format!("{text}\n"))
        .unwrap_or_default();
    annotations.insert(
        IGNORE_ANNOTATION.to_string(),
        Value::String(existing + &ignored.join("\n")),
    );
    let text = yaml::block::document(&value);
    let value = parse_back(object, &text, source)?;
    Ok((text, value))
}

/// Parses a rendered document and checks it is the one object the plan asked for.
fn parse_back(object: &PlannedObject, text: &str, source: &str) -> Result<Value, Error> {
    let fail = |why: String| {
        Error::Render(format!(
            "template {source} for {} {}: {why}",
            object.kind, object.name
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
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    files.push(kustomization(&names));
    files
}

/// A `kustomization.yaml` listing `resources` (files and folders of its own folder).
fn kustomization(resources: &[String]) -> OutFile {
    let mut text = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for resource in resources {
        text.push_str(&format!("  - {}\n", yaml::safe::scalar(resource)));
    }
    OutFile {
        name: "kustomization.yaml".into(),
        content: text,
        secret: false,
    }
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
    use crate::plan::plan_from_yaml;

    const SPEC: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {name: api, namespace: shop}\nspec:\n  image: ghcr.io/acme/api:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 8080\n";

    #[test]
    fn a_value_that_spells_a_second_document_stays_one_string() {
        let hostile = "x\n---\nkind: Pod\nmetadata: {name: evil}";
        let mut plan = plan_from_yaml(SPEC);
        plan.labels.insert("team".into(), hostile.into());
        // One value through the filter, one printed raw: both stay a single string.
        let template = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ plan.name | yaml }}\n  namespace: {{ plan.namespace }}\n  labels:\n    filtered: {{ plan.labels.team | yaml }}\n    raw: {{ plan.labels.team }}\nautomountServiceAccountToken: false\n";
        let manifests = render(
            &plan,
            &Material::default(),
            &Templates::with_override("serviceaccount.yaml", template),
            &[],
            false,
        )
        .unwrap();
        let account = manifests
            .iter()
            .find(|m| m.object.kind == "ServiceAccount")
            .unwrap();
        let docs: Vec<Value> = serde_saphyr::from_multiple(&account.text).unwrap();
        assert_eq!(docs.len(), 1, "{}", account.text);
        assert_eq!(docs[0]["metadata"]["labels"]["filtered"], hostile);
        assert_eq!(docs[0]["metadata"]["labels"]["raw"], hostile);
        let shipped = render(
            &plan,
            &Material::default(),
            &Templates::default(),
            &[],
            false,
        )
        .unwrap();
        let labelled: Vec<&Manifest> = shipped
            .iter()
            .filter(|m| m.object.name != "default-deny" && m.object.kind != "Namespace")
            .collect();
        assert_eq!(labelled.len(), plan.objects.len() - 2);
        for m in labelled {
            assert_eq!(m.value["metadata"]["labels"]["team"], hostile, "{}", m.text);
        }
    }

    #[test]
    fn an_override_that_adds_a_document_is_refused_naming_the_template() {
        let plan = plan_from_yaml(SPEC);
        let template = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ plan.name | yaml }}\n  namespace: {{ plan.namespace | yaml }}\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: miner, namespace: shop}\nspec:\n  containers: [{name: x, image: x, securityContext: {privileged: true}}]\n";
        let err = render(
            &plan,
            &Material::default(),
            &Templates::with_override("serviceaccount.yaml", template),
            &["not-privileged".into()],
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("template serviceaccount.yaml (override /tpl/serviceaccount.yaml) for ServiceAccount api: produced 2 documents instead of one"),
            "{err}"
        );
    }

    #[test]
    fn an_accepted_departure_is_recorded_on_the_object() {
        let plan = plan_from_yaml(SPEC);
        let template = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ plan.name | yaml }}\n  namespace: {{ plan.namespace | yaml }}\n";
        let templates = Templates::with_override("serviceaccount.yaml", template);
        let err = render(&plan, &Material::default(), &templates, &[], false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no-token-automount: automountServiceAccountToken is missing"),
            "{err}"
        );
        let manifests = render(
            &plan,
            &Material::default(),
            &templates,
            &["no-token-automount".into()],
            false,
        )
        .unwrap();
        let account = manifests
            .iter()
            .find(|m| m.object.kind == "ServiceAccount")
            .unwrap();
        let record = account.value["metadata"]["annotations"][OVERRIDE_ANNOTATION]
            .as_str()
            .unwrap();
        assert!(
            record.contains("no-token-automount") && record.contains("/tpl/serviceaccount.yaml"),
            "{record}"
        );
        assert!(account.text.contains(OVERRIDE_ANNOTATION));
    }

    /// The error of rendering [`SPEC`] with `template` as its ServiceAccount template.
    fn service_account_error(template: &str) -> String {
        render(
            &plan_from_yaml(SPEC),
            &Material::default(),
            &Templates::with_override("serviceaccount.yaml", template),
            &[],
            false,
        )
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn a_misspelt_field_is_an_error_never_null() {
        let err = service_account_error(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ plan.nmae | yaml }}\n",
        );
        assert!(
            err.contains("template serviceaccount.yaml (override /tpl/serviceaccount.yaml): yaml: the value is not defined")
                && err.contains("serviceaccount.yaml:4:"),
            "{err}"
        );
    }

    #[test]
    fn a_syntax_error_names_the_override_file_and_the_line() {
        let err = service_account_error(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ plan.name | yaml }\n",
        );
        assert!(
            err.contains("template serviceaccount.yaml (override /tpl/serviceaccount.yaml): ")
                && err.contains("serviceaccount.yaml:4:29"),
            "{err}"
        );
    }
}
