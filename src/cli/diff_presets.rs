//! `diff-presets`: what changes for one service between two presets: the decisions only one
//! side makes, and the rendered objects added, removed or changed (field by field). Secret
//! values are placeholders on both sides (see `pipeline::render_shape`), so never compared.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::shared::{ServiceArgs, TextOrJson};
use crate::error::Error;
use crate::output::stdout::{print_text, to_json};
use crate::pipeline::{self, Input, Rendered};
use crate::plan::{Decision, headline};
use crate::yaml::safe::one_line;

#[derive(Debug, clap::Args)]
pub struct DiffPresetsArgs {
    /// The first preset: a shipped name or a preset file (relative to the current folder)
    #[arg(value_name = "A")]
    pub from: String,
    /// The second preset, compared with the first
    #[arg(value_name = "B")]
    pub to: String,
    /// text for people, json for tools
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// A preset reference as given on the command line: a path is taken from the current folder
/// (not the spec's), so it is made absolute.
fn preset_argument(reference: &str) -> Result<String, Error> {
    let is_path =
        reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml");
    if !is_path {
        return Ok(reference.to_string());
    }
    let path =
        std::path::absolute(reference).map_err(|e| Error::io(format!("preset {reference}"), e))?;
    Ok(path.display().to_string())
}

pub fn run(args: &DiffPresetsArgs) -> Result<(), Error> {
    if !args.service.given() {
        return Err(Error::Usage(pipeline::DESCRIBE_THE_SERVICE.into()));
    }
    let render_with = |reference: &str| -> Result<pipeline::Rendered, Error> {
        let mut flags = args.service.spec.clone();
        flags.preset = Some(preset_argument(reference)?);
        pipeline::render_shape(&Input {
            flags: &flags,
            ..args.service.input()
        })
    };
    let (a, b) = (render_with(&args.from)?, render_with(&args.to)?);
    let diff = diff(&args.from, &a, &args.to, &b);
    print_text(&match args.format {
        TextOrJson::Text => text(&diff),
        TextOrJson::Json => to_json(&diff),
    })
}

/// A decision as the diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionLine {
    pub id: &'static str,
    pub summary: String,
    pub cause: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub path: String,
    /// Absent on the first side.
    pub before: Option<Value>,
    /// Absent on the second side.
    pub after: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum ObjectChange {
    Added {
        object: String,
    },
    Removed {
        object: String,
    },
    Changed {
        object: String,
        fields: Vec<FieldChange>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresetDiff {
    pub name: String,
    pub namespace: String,
    pub from: String,
    pub to: String,
    /// Decisions only the first preset leads to.
    pub removed: Vec<DecisionLine>,
    /// Decisions only the second preset leads to.
    pub added: Vec<DecisionLine>,
    pub objects: Vec<ObjectChange>,
}

fn line(decision: &Decision) -> DecisionLine {
    DecisionLine {
        id: decision.id,
        summary: decision.summary.clone(),
        cause: decision.cause.clone(),
    }
}

/// `kind/name` of each rendered object, with its value.
fn objects(rendered: &Rendered) -> BTreeMap<String, &Value> {
    rendered
        .manifests
        .iter()
        .map(|m| (format!("{}/{}", m.object.kind, m.object.name), &m.value))
        .collect()
}

/// Compares the same service rendered with preset `from` (`a`) and preset `to` (`b`).
pub fn diff(from: &str, a: &Rendered, to: &str, b: &Rendered) -> PresetDiff {
    let lines = |r: &Rendered| r.plan.decisions.iter().map(line).collect::<Vec<_>>();
    let (lines_a, lines_b) = (lines(a), lines(b));
    let (objects_a, objects_b) = (objects(a), objects(b));
    let mut changes = Vec::new();
    for (object, value) in &objects_a {
        match objects_b.get(object) {
            None => changes.push(ObjectChange::Removed {
                object: object.clone(),
            }),
            Some(other) => {
                let mut fields = Vec::new();
                compare("", Some(value), Some(other), &mut fields);
                if !fields.is_empty() {
                    changes.push(ObjectChange::Changed {
                        object: object.clone(),
                        fields,
                    });
                }
            }
        }
    }
    for object in objects_b.keys().filter(|o| !objects_a.contains_key(*o)) {
        changes.push(ObjectChange::Added {
            object: object.clone(),
        });
    }
    PresetDiff {
        name: a.plan.name.clone(),
        namespace: a.plan.namespace.clone(),
        from: from.to_string(),
        to: to.to_string(),
        removed: lines_a
            .iter()
            .filter(|l| !lines_b.contains(l))
            .cloned()
            .collect(),
        added: lines_b
            .iter()
            .filter(|l| !lines_a.contains(l))
            .cloned()
            .collect(),
        objects: changes,
    }
}

/// A key as a path step: `.key`, or `["key"]` when it holds a dot, bracket or quote.
fn step(path: &str, key: &str) -> String {
    if key.contains(['.', '[', ']', '"']) || key.is_empty() {
        format!("{path}[{}]", Value::from(key))
    } else if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn compare(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                compare(&step(path, key), x.get(key), y.get(key), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                compare(&format!("{path}[{i}]"), x.get(i), y.get(i), out);
            }
        }
        (a, b) if a != b => out.push(FieldChange {
            path: path.to_string(),
            before: a.cloned(),
            after: b.cloned(),
        }),
        _ => {}
    }
}

/// A value on one line, as JSON: JSON's own escapes (`\n`, `\"`, `\\`) stay as they are, so
/// an annotation value reads as written, and what else a terminal line must not hold
/// (U+0085, U+2028, other controls) is escaped by [`one_line`].
fn value_text(value: &Option<Value>) -> String {
    let Some(value) = value else {
        return "(absent)".to_string();
    };
    let mut buffer = [0; 4];
    value
        .to_string()
        .chars()
        .map(|c| match c {
            '\\' => "\\".to_string(),
            c => one_line(c.encode_utf8(&mut buffer)),
        })
        .collect()
}

/// The diff as text for a terminal.
pub fn text(diff: &PresetDiff) -> String {
    let mut out = format!(
        "{} in namespace {}: preset {} -> {}\n",
        one_line(&diff.name),
        one_line(&diff.namespace),
        one_line(&diff.from),
        one_line(&diff.to)
    );
    if diff.removed.is_empty() && diff.added.is_empty() && diff.objects.is_empty() {
        out.push_str("\nno difference\n");
        return out;
    }
    if !diff.removed.is_empty() || !diff.added.is_empty() {
        out.push_str("\nDecisions\n");
        for (sign, lines) in [("-", &diff.removed), ("+", &diff.added)] {
            for l in lines {
                let line = headline(l.id, &l.summary, &l.cause);
                out.push_str(&format!("  {sign} {}\n", one_line(&line)));
            }
        }
    }
    if !diff.objects.is_empty() {
        out.push_str("\nObjects\n");
        for change in &diff.objects {
            match change {
                ObjectChange::Added { object } => {
                    out.push_str(&format!("  + {}\n", one_line(object)))
                }
                ObjectChange::Removed { object } => {
                    out.push_str(&format!("  - {}\n", one_line(object)))
                }
                ObjectChange::Changed { object, fields } => {
                    out.push_str(&format!("  ~ {}\n", one_line(object)));
                    for field in fields {
                        out.push_str(&format!(
                            "      {}: {} -> {}\n",
                            one_line(&field.path),
                            value_text(&field.before),
                            value_text(&field.after)
                        ));
                    }
                }
            }
        }
    }
    out.push_str("\n(secret values and keys are not compared)\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_keep_their_json_escapes_and_lose_their_line_breaks() {
        let text = value_text(&Some(json!("KW-A=one\nKW-B=\"two\" \\ x\u{2028}y")));
        assert_eq!(text, r#""KW-A=one\nKW-B=\"two\" \\ x\u{2028}y""#);
        assert!(!text.contains("005C"), "{text}");
        assert_eq!(value_text(&None), "(absent)");
    }

    #[test]
    fn fields_are_compared_by_path() {
        let mut out = Vec::new();
        compare(
            "",
            Some(&json!({"spec": {"replicas": 3, "a.b": [1, 2]}, "same": true})),
            Some(&json!({"spec": {"replicas": 2, "a.b": [1]}, "same": true, "new": "x"})),
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["new", "spec[\"a.b\"][1]", "spec.replicas"]);
        assert_eq!(out[0].before, None);
        assert_eq!(out[2].after, Some(json!(2)));
    }
}
