//! The service mesh's rule that joins objects (KW-MESH-005): a Linkerd Server that no
//! AuthorizationPolicy of its namespace targets refuses every client. Both kinds are kept
//! whole by `check::load::prune`.

use serde_json::Value;

use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::rules::NONE;
use crate::check::{Applies, Hits, Rule, Severity};

pub static RULES: &[Rule] = &[Rule {
    id: "KW-MESH-005",
    severity: Severity::Warning,
    title: "Every Linkerd Server has an AuthorizationPolicy",
    explanation: "A Server that no AuthorizationPolicy of its namespace targets refuses \
every client: the callers the service was written for fail, and the usual fix under pressure \
is a wide default policy. Target the Server with an AuthorizationPolicy that requires a \
MeshTLSAuthentication of the callers' identities.",
    rubric: &[36],
    scanners: NONE,
    applies: Applies::Kinds(&[Kind::LinkerdServer]),
    check: server_authorized,
}];

fn server_authorized(index: &Index, object: &Object, hits: &mut Hits) {
    let targeted = index
        .of_kind_in(
            Kind::LinkerdAuthorizationPolicy,
            object.namespace.as_deref(),
        )
        .any(|policy| {
            let target = policy.at(&["spec", "targetRef"]);
            target.is_some_and(|t| {
                t["kind"] == "Server"
                    && t["name"] == object.name.as_str()
                    && t.get("group")
                        .and_then(Value::as_str)
                        .is_none_or(|g| g == "policy.linkerd.io")
            })
        });
    if !targeted {
        hits.add(
            "metadata.name",
            format!(
                "no AuthorizationPolicy of namespace {} targets this Server: it refuses every client",
                object.namespace.as_deref().unwrap_or("(none)")
            ),
        );
    }
}
