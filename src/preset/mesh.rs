//! The mesh settings of a preset: which mesh a service joins when its spec does not say, the
//! trust domain its identities live in, and, per mesh, where the control plane the proxy must
//! reach runs and the proxy's own inbound ports that callers' traffic arrives on.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::Mesh;

/// The organisation's mesh: its default, its trust domain, each mesh's control plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MeshSettings {
    /// `spec.mesh` when the spec does not say.
    pub default: Mesh,
    /// The mesh's trust domain, the first part of every identity (Istio:
    /// `<trustDomain>/ns/<ns>/sa/<sa>`; Linkerd: `<sa>.<ns>.serviceaccount.identity.linkerd.<trustDomain>`).
    pub trust_domain: String,
    /// Istio's control plane and proxy ports.
    pub istio: MeshNetwork,
    /// Linkerd's control plane and proxy ports.
    pub linkerd: MeshNetwork,
}

/// What the proxy of one mesh needs from the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MeshNetwork {
    /// The control-plane pods the proxy reaches (certificates, configuration, policy): the
    /// only egress the mesh adds.
    pub control_plane: Vec<ControlPlane>,
    /// The proxy's inbound ports that a meshed caller's connection arrives on instead of the
    /// service's own port (Linkerd 4143); admitted from the declared callers only.
    #[serde(default)]
    pub inbound_ports: Vec<u16>,
}

/// Control-plane pods in one namespace, by their labels, on their ports (TCP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ControlPlane {
    /// What they are, for `explain`, e.g. `istiod`.
    pub name: String,
    /// Their namespace, e.g. `istio-system`.
    pub namespace: String,
    /// Their labels, e.g. `app: istiod`.
    pub pod_labels: BTreeMap<String, String>,
    /// Their ports.
    pub ports: Vec<u16>,
}

impl MeshSettings {
    /// The network needs of `mesh`; none without a mesh.
    pub fn network(&self, mesh: Mesh) -> Option<&MeshNetwork> {
        match mesh {
            Mesh::None => None,
            Mesh::Istio => Some(&self.istio),
            Mesh::Linkerd => Some(&self.linkerd),
        }
    }
}
