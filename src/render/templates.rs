//! The templates: the shipped ones (embedded from `templates/`), any of them replaceable by
//! a file of the same name from a templates folder, and the one tera engine that holds them.
//! Its escape function is YAML quoting, so a value printed without the `yaml` filter is
//! quoted all the same; the `why` filter writes the comments of `--annotate`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Kwargs, State, Tera};

use crate::error::Error;
use crate::yaml;

/// The shipped templates: (file name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "namespace.yaml",
        include_str!("../../templates/namespace.yaml"),
    ),
    (
        "serviceaccount.yaml",
        include_str!("../../templates/serviceaccount.yaml"),
    ),
    ("role.yaml", include_str!("../../templates/role.yaml")),
    (
        "rolebinding.yaml",
        include_str!("../../templates/rolebinding.yaml"),
    ),
    ("service.yaml", include_str!("../../templates/service.yaml")),
    (
        "deployment.yaml",
        include_str!("../../templates/deployment.yaml"),
    ),
    (
        "poddisruptionbudget.yaml",
        include_str!("../../templates/poddisruptionbudget.yaml"),
    ),
    (
        "networkpolicy-default-deny.yaml",
        include_str!("../../templates/networkpolicy-default-deny.yaml"),
    ),
    (
        "networkpolicy.yaml",
        include_str!("../../templates/networkpolicy.yaml"),
    ),
    (
        "networkpolicy-peer.yaml",
        include_str!("../../templates/networkpolicy-peer.yaml"),
    ),
    ("ingress.yaml", include_str!("../../templates/ingress.yaml")),
    ("route.yaml", include_str!("../../templates/route.yaml")),
    (
        "role-router.yaml",
        include_str!("../../templates/role-router.yaml"),
    ),
    (
        "rolebinding-router.yaml",
        include_str!("../../templates/rolebinding-router.yaml"),
    ),
    (
        "horizontalpodautoscaler.yaml",
        include_str!("../../templates/horizontalpodautoscaler.yaml"),
    ),
    (
        "httproute.yaml",
        include_str!("../../templates/httproute.yaml"),
    ),
    (
        "grpcroute.yaml",
        include_str!("../../templates/grpcroute.yaml"),
    ),
    (
        "httproute-redirect.yaml",
        include_str!("../../templates/httproute-redirect.yaml"),
    ),
    (
        "backendtlspolicy.yaml",
        include_str!("../../templates/backendtlspolicy.yaml"),
    ),
    (
        "configmap-ca.yaml",
        include_str!("../../templates/configmap-ca.yaml"),
    ),
    (
        "referencegrant.yaml",
        include_str!("../../templates/referencegrant.yaml"),
    ),
    (
        "backendtrafficpolicy.yaml",
        include_str!("../../templates/backendtrafficpolicy.yaml"),
    ),
    (
        "securitypolicy.yaml",
        include_str!("../../templates/securitypolicy.yaml"),
    ),
    ("secret.yaml", include_str!("../../templates/secret.yaml")),
    (
        "secret-tls.yaml",
        include_str!("../../templates/secret-tls.yaml"),
    ),
    (
        "certificate.yaml",
        include_str!("../../templates/certificate.yaml"),
    ),
    (
        "certificate-client.yaml",
        include_str!("../../templates/certificate-client.yaml"),
    ),
    (
        "configmap-bundle.yaml",
        include_str!("../../templates/configmap-bundle.yaml"),
    ),
    (
        "externalsecret.yaml",
        include_str!("../../templates/externalsecret.yaml"),
    ),
    (
        "resourcequota.yaml",
        include_str!("../../templates/resourcequota.yaml"),
    ),
    (
        "limitrange.yaml",
        include_str!("../../templates/limitrange.yaml"),
    ),
    (
        "peerauthentication-istio.yaml",
        include_str!("../../templates/peerauthentication-istio.yaml"),
    ),
    (
        "authorizationpolicy-istio.yaml",
        include_str!("../../templates/authorizationpolicy-istio.yaml"),
    ),
    (
        "server-linkerd.yaml",
        include_str!("../../templates/server-linkerd.yaml"),
    ),
    (
        "meshtlsauthentication-linkerd.yaml",
        include_str!("../../templates/meshtlsauthentication-linkerd.yaml"),
    ),
    (
        "authorizationpolicy-linkerd.yaml",
        include_str!("../../templates/authorizationpolicy-linkerd.yaml"),
    ),
];

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
    Ok(tera::Value::safe_string(&yaml::safe::encode(&value)))
}

/// The `block` filter: a value as what follows its key's colon, the key standing
/// `indent=N` spaces in (see [`yaml::block::after_key`]): `key:{{ v | block(indent=N) }}`,
/// with no space after the colon, prints a collection in block style on the lines below the
/// key, and anything else beside it. Its output is marked safe, like the `yaml` filter's.
fn block_filter(value: tera::Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<tera::Value> {
    if value.is_undefined() {
        return Err(tera::Error::message(
            "block: the value is not defined (is the field name right?)",
        ));
    }
    let indent: usize = kwargs.must_get("indent")?;
    let value =
        serde_json::to_value(&value).map_err(|e| tera::Error::message(format!("block: {e}")))?;
    Ok(tera::Value::safe_string(&yaml::block::after_key(
        &value, indent,
    )))
}

/// The comment for one decision, as the templates see it in `notes` (aligned with
/// `plan.decisions`).
#[derive(Debug, Serialize)]
pub(super) struct Note {
    pub(super) id: &'static str,
    pub(super) lines: [String; 2],
}

/// The `why` filter, applied to `notes`: the comments for the decisions with one of the ids
/// `ids=[...]`, or for the decision at `index=N`, each line as `\n<indent># <text>` with the
/// text made comment-safe by [`yaml::safe::one_line`]. Nothing when no decision matches, so a
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
            out.push_str(&format!("\n{pad}# {}", yaml::safe::one_line(text)));
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

    /// Whether every template is the shipped one.
    pub(super) fn all_shipped(&self) -> bool {
        self.overrides.is_empty()
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
    tera.set_escape_fn(|text, out| out.write_all(yaml::safe::quote(text).as_bytes()));
    tera.register_filter("yaml", yaml_filter);
    tera.register_filter("block", block_filter);
    tera.register_filter("why", why_filter);
    tera
}

/// The engine of the shipped templates, parsed on first use and kept for the process.
pub(super) fn shipped_engine() -> Result<&'static Tera, Error> {
    static SHIPPED: OnceLock<Result<Tera, String>> = OnceLock::new();
    SHIPPED
        .get_or_init(|| Templates::default().engine())
        .as_ref()
        .map_err(|e| Error::Render(e.clone()))
}

pub(super) fn error_chain(err: &dyn std::error::Error) -> String {
    let text = err.to_string();
    let mut text = text.strip_prefix("error: ").unwrap_or(&text).to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[cfg(test)]
impl Templates {
    /// The shipped templates with one replaced, as if read from `/tpl/<name>`.
    pub(super) fn with_override(name: &'static str, text: &str) -> Self {
        Templates {
            overrides: BTreeMap::from([(
                name,
                (PathBuf::from(format!("/tpl/{name}")), text.to_string()),
            )]),
        }
    }
}
