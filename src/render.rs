//! Rendering: the plan through the tera templates (embedded from `templates/`, any of them
//! replaceable by a file of the same name from a templates folder) into YAML documents.
//! Every value goes through the `yaml` filter, and a value printed without it is quoted all
//! the same (the engine's escape function is YAML quoting). Each document is parsed back
//! and must be exactly the object the plan asked for, holding every control of
//! `invariants`; a control an override drops is accepted only by name, and recorded on the
//! object.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;
use tera::{Context, Kwargs, State, Tera};

use crate::check::suppress::IGNORE_ANNOTATION;
use crate::error::Error;
use crate::explain;
use crate::invariants::{self, Violation};
use crate::material::Material;
use crate::output::OutFile;
use crate::plan::{Plan, PlannedObject};
use crate::yaml_safe;

/// The annotation that records the controls an override template was allowed to drop.
pub const OVERRIDE_ANNOTATION: &str = "kubeward.dev/template-override";

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

/// The `yaml` filter: any value as YAML-safe flow syntax. Its output is marked safe, so the
/// engine does not quote it a second time.
/// An undefined value (a misspelt field, say) is an error, never `null`.
fn yaml_filter(value: tera::Value, _: Kwargs, _: &State) -> tera::TeraResult<tera::Value> {
    if value.is_undefined() {
        return Err(tera::Error::message(
            "yaml: the value is not defined (is the field name right?)",
        ));
    }
    let value =
        serde_json::to_value(&value).map_err(|e| tera::Error::message(format!("yaml: {e}")))?;
    Ok(tera::Value::safe_string(&yaml_safe::encode(&value)))
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
/// template line holding only the filter adds no line. Its output is marked safe: the lines
/// are made safe one by one, and the engine must not quote them again.
fn why_filter(notes: tera::Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<tera::Value> {
    let fail = |why: &str| tera::Error::message(format!("why: {why}"));
    let notes = notes
        .as_array()
        .ok_or_else(|| fail("apply it to `notes`"))?;
    let indent: usize = kwargs.must_get("indent")?;
    let chosen: Vec<&tera::Value> = match (
        kwargs.get::<Vec<String>>("ids")?,
        kwargs.get::<usize>("index")?,
    ) {
        (Some(ids), None) => notes
            .iter()
            .filter(|note| {
                note.get_from_path("id")
                    .and_then(tera::Value::as_str)
                    .is_some_and(|id| ids.iter().any(|wanted| wanted == id))
            })
            .collect(),
        (None, Some(index)) => vec![
            notes
                .get(index)
                .ok_or_else(|| fail(&format!("no decision {index}")))?,
        ],
        _ => return Err(fail("give ids=[...] or index=N")),
    };
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for note in chosen {
        let lines = note
            .get_from_path("lines")
            .and_then(tera::Value::as_array)
            .ok_or_else(|| fail("a note has no lines"))?;
        for line in lines {
            let text = line
                .as_str()
                .ok_or_else(|| fail("a note line is not text"))?;
            out.push_str(&format!("\n{pad}# {}", yaml_safe::one_line(text)));
        }
    }
    Ok(tera::Value::safe_string(&out))
}

/// The templates a render uses: the shipped ones, some replaced by files of the same name.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    overrides: BTreeMap<&'static str, (PathBuf, String)>,
}

impl Templates {
    /// Reads the override files of `dirs`, a later folder winning over an earlier one. A
    /// YAML file whose name is not a shipped template is an error (a typo would otherwise
    /// leave the shipped template silently in place); other files are ignored.
    pub fn load(dirs: &[PathBuf]) -> Result<Self, Error> {
        let mut overrides = BTreeMap::new();
        for dir in dirs {
            let read = |e| {
                Error::io(
                    format!("cannot read the templates folder {}", dir.display()),
                    e,
                )
            };
            let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(read)?
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()
                .map_err(read)?;
            entries.sort();
            for path in entries {
                let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                if !(file.ends_with(".yaml") || file.ends_with(".yml")) || file.starts_with('.') {
                    continue;
                }
                let Some((name, _)) = TEMPLATES.iter().find(|(n, _)| *n == file) else {
                    let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
                    return Err(Error::Render(format!(
                        "{} is not a kubeward template: override one of {}",
                        path.display(),
                        names.join(", ")
                    )));
                };
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
                overrides.insert(*name, (path, text));
            }
        }
        Ok(Templates { overrides })
    }

    /// How errors name a template: its file name, and the override file when there is one.
    pub fn describe(&self, name: &str) -> String {
        match self.overrides.get(name) {
            Some((path, _)) => format!("{name} (override {})", path.display()),
            None => name.to_string(),
        }
    }

    /// An engine holding every template, the overrides in place of the shipped ones.
    pub fn engine(&self) -> Result<Tera, String> {
        let texts: Vec<(&str, &str)> = TEMPLATES
            .iter()
            .map(|(name, shipped)| {
                let text = self.overrides.get(name).map_or(*shipped, |(_, t)| t);
                (*name, text)
            })
            .collect();
        let mut tera = new_engine();
        // All in one call: the engine checks every template it holds after each call.
        let Err(err) = tera.add_raw_templates(texts.iter().copied()) else {
            return Ok(tera);
        };
        // The templates never include one another: the one at fault fails on its own too.
        let faulty = texts.into_iter().find_map(|(name, text)| {
            new_engine()
                .add_raw_template(name, text)
                .err()
                .map(|e| (name, e))
        });
        Err(match faulty {
            Some((name, e)) => format!("template {}: {}", self.describe(name), error_chain(&e)),
            None => error_chain(&err),
        })
    }
}

/// An engine with no template yet: YAML quoting as its escape function, and the filters.
fn new_engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on([".yaml"]);
    tera.set_escape_fn(|text, out| out.write_all(yaml_safe::quote(text).as_bytes()));
    tera.register_filter("yaml", yaml_filter);
    tera.register_filter("why", why_filter);
    tera
}

/// The engine of the shipped templates, parsed on first use and kept for the process.
fn shipped_engine() -> Result<&'static Tera, Error> {
    static SHIPPED: OnceLock<Result<Tera, String>> = OnceLock::new();
    SHIPPED
        .get_or_init(|| Templates::default().engine())
        .as_ref()
        .map_err(|e| Error::Render(e.clone()))
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let text = err.to_string();
    let mut text = text.strip_prefix("error: ").unwrap_or(&text).to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
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
    let overridden;
    let tera = if templates.overrides.is_empty() {
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
            let source = templates.describe(object.template);
            context.insert("object", object);
            let text = tera
                .render(object.template, &context)
                .map_err(|e| Error::Render(format!("template {source}: {}", error_chain(&e))))?;
            accept(plan, object, text, &source, allow_dropped)
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
    let text = serde_saphyr::to_string(&value)
        .map_err(|e| Error::Render(format!("template {source}: cannot re-emit the object: {e}")))?;
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
    use crate::plan::plan_from_yaml;

    const SPEC: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {name: api, namespace: shop}\nspec:\n  image: ghcr.io/acme/api:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 8080\n";

    fn with_override(name: &'static str, text: &str) -> Templates {
        Templates {
            overrides: BTreeMap::from([(
                name,
                (PathBuf::from(format!("/tpl/{name}")), text.to_string()),
            )]),
        }
    }

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
            &with_override("serviceaccount.yaml", template),
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
            &with_override("serviceaccount.yaml", template),
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
        let templates = with_override("serviceaccount.yaml", template);
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
            &with_override("serviceaccount.yaml", template),
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
