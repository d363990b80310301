//! The files `kubeward cluster` renders, each built as a value and written as YAML (so that
//! no value can become structure), with a comment saying where it goes: the
//! `EncryptionConfiguration` (`encryption`), the audit `Policy` (`audit`), the
//! `AdmissionConfiguration` (`admission`), kubeadm's configuration and its probe patch
//! (`kubeadm`), and the README that says where each file goes, in which order (`readme`).

mod admission;
mod audit;
mod encryption;
mod kubeadm;
mod readme;

use serde_json::Value;

use super::keys::{Key, Progress};
use super::validate::Cluster;
use crate::output::OutFile;
use crate::yaml::block;

/// Where the configuration files go on every control-plane node.
pub const CONFIG_DIR: &str = "/etc/kubernetes/kubeward";
/// Where kubeadm finds the patch of the API server's probes.
pub const PATCHES_DIR: &str = "/etc/kubernetes/kubeward/patches";
/// kubeadm's certificates folder.
pub const PKI: &str = "/etc/kubernetes/pki";

pub const ENCRYPTION_FILE: &str = "encryption-config.yaml";
pub const AUDIT_FILE: &str = "audit-policy.yaml";
pub const ADMISSION_FILE: &str = "admission-config.yaml";
pub const KUBEADM_FILE: &str = "kubeadm-config.yaml";
pub const PATCH_FILE: &str = "kube-apiserver0+json.yaml";
pub const README_FILE: &str = "README.md";

/// What the files are rendered from.
pub struct Inputs<'a> {
    pub cluster: &'a Cluster,
    /// The secretbox keys, in configuration order; with `kms`, the kept ones while migrating.
    pub keys: &'a [Key],
    pub rotation: Option<&'a Progress>,
    /// What the operator should know first (an unsupported Kubernetes minor).
    pub warnings: &'a [String],
}

/// Every file, in the order the README lists them.
pub fn render(inputs: &Inputs) -> Vec<OutFile> {
    let cluster = inputs.cluster;
    let yaml = |name: &str, place: &str, documents: &[Value]| OutFile {
        name: name.to_string(),
        content: documents_text(&cluster.name, place, documents),
        secret: name == ENCRYPTION_FILE,
    };
    let installed = |file: &str| {
        format!(
            "install as {CONFIG_DIR}/{file} (mode 0600, owner root) on every control-plane node"
        )
    };
    vec![
        yaml(
            ENCRYPTION_FILE,
            &installed(ENCRYPTION_FILE),
            &[encryption::configuration(cluster, inputs.keys)],
        ),
        yaml(AUDIT_FILE, &installed(AUDIT_FILE), &[audit::policy()]),
        yaml(
            ADMISSION_FILE,
            &installed(ADMISSION_FILE),
            &[admission::configuration(cluster)],
        ),
        yaml(
            KUBEADM_FILE,
            "give to `kubeadm init --config` on the first control-plane node",
            &kubeadm::configuration(cluster),
        ),
        yaml(
            PATCH_FILE,
            &format!(
                "install in {PATCHES_DIR}/ on every control-plane node: kubeadm's patch of the API server's probes"
            ),
            &[kubeadm::probe_patch()],
        ),
        OutFile {
            name: README_FILE.to_string(),
            content: readme::text(inputs),
            secret: false,
        },
    ]
}

/// YAML documents under a comment naming the cluster and where the file goes.
fn documents_text(cluster: &str, place: &str, documents: &[Value]) -> String {
    let mut text = format!("# Rendered by `kubeward cluster` for cluster {cluster}: {place}.\n");
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&block::document(document));
    }
    text
}
