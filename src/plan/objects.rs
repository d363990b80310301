//! The objects of a bundle: each Kubernetes object the plan asks for and the template that
//! renders it.

use serde::Serialize;

use super::network::PeerPolicy;

/// One Kubernetes object of the bundle and the template that renders it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedObject {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub namespace: Option<String>,
    pub template: &'static str,
    /// Whether the object carries secret material (written with mode 0600).
    pub secret: bool,
    /// For a peer policy: the neighbour whose side of a flow it opens.
    pub peer: Option<PeerPolicy>,
}

impl PlannedObject {
    /// The file name in an output folder, e.g. `deployment-payments-api.yaml`.
    pub fn file_name(&self) -> String {
        format!("{}-{}.yaml", self.kind.to_lowercase(), self.name)
    }
}

pub(super) fn object(
    api_version: &'static str,
    kind: &'static str,
    name: &str,
    namespace: Option<&str>,
    template: &'static str,
) -> PlannedObject {
    PlannedObject {
        api_version,
        kind,
        name: name.to_string(),
        namespace: namespace.map(str::to_string),
        template,
        secret: false,
        peer: None,
    }
}
