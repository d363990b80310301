//! The objects of a bundle: each Kubernetes object the plan asks for and the template that
//! renders it.

use serde::Serialize;

use super::network::PeerPolicy;

/// The folder of a system's output that holds what namespaces outside the system need; it is
/// not part of the system's kustomization. Not a namespace's name: those have no `_`.
pub const PEERS_DIR: &str = "_peers";

/// Where an object goes in a system's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// The service's own folder.
    Service,
    /// Its namespace's folder, once for every service of the namespace that plans it (the
    /// Namespace, its default deny, quota, trust bundle), or for one pod of the namespace that
    /// is not a service of the system (its peer policy).
    Namespace,
    /// The folder of a namespace the system does not write, under [`PEERS_DIR`].
    Outside,
}

/// One Kubernetes object of the bundle and the template that renders it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedObject {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub namespace: Option<String>,
    pub placement: Placement,
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
    placed(
        (api_version, kind, template),
        name,
        namespace,
        Placement::Service,
    )
}

/// An object of `kind` (with its API version and template) placed in the output as
/// `placement` says.
pub(super) fn placed(
    (api_version, kind, template): (&'static str, &'static str, &'static str),
    name: &str,
    namespace: Option<&str>,
    placement: Placement,
) -> PlannedObject {
    PlannedObject {
        api_version,
        kind,
        name: name.to_string(),
        namespace: namespace.map(str::to_string),
        placement,
        template,
        secret: false,
        peer: None,
    }
}
