//! The API server's `AdmissionConfiguration`: Pod Security enforced for every namespace that
//! names no level of its own.

use serde_json::Value;

use crate::check::Hits;
use crate::check::index::Index;
use crate::check::object::Object;

/// KW-CP: the PodSecurity plugin's defaults enforce `baseline` or `restricted`.
pub fn pod_security_enforced(_: &Index, object: &Object, hits: &mut Hits) {
    let plugins = object.at(&["plugins"]).and_then(Value::as_array);
    let found = plugins
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, p)| p.get("name").and_then(Value::as_str) == Some("PodSecurity"));
    let Some((i, plugin)) = found else {
        hits.add(
            "plugins",
            "no PodSecurity plugin configuration: namespaces without Pod Security labels admit privileged pods; configure `defaults.enforce: restricted`",
        );
        return;
    };
    let Some(configuration) = plugin.get("configuration") else {
        // The configuration is in the file `path` names, which this check does not read.
        return;
    };
    let enforce = configuration
        .get("defaults")
        .and_then(|d| d.get("enforce"))
        .and_then(Value::as_str);
    if !matches!(enforce, Some("baseline" | "restricted")) {
        hits.add(
            format!("plugins[{i}].configuration.defaults"),
            format!(
                "Pod Security enforces `{}` by default: a namespace without its own label admits privileged pods, host namespaces and host paths; enforce `restricted` (or at least `baseline`)",
                enforce.unwrap_or("privileged")
            ),
        );
    }
}
