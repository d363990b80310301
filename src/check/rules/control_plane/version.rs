//! The Kubernetes version a cluster runs, from `--kubernetes-version`, a kubeadm
//! `ClusterConfiguration` or a control-plane static Pod's image, against the release table.

use serde_json::Value;

use super::command_line::{Component, command_lines};
use crate::check::Hits;
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::releases::{self, Version};

/// The versions `object` names, each with its field path.
fn versions(object: &Object) -> Vec<(String, Version)> {
    let field = |path: &str| {
        let keys: Vec<&str> = path.split('.').collect();
        object
            .at(&keys)
            .and_then(Value::as_str)
            .map(|v| (path.to_string(), v.to_string()))
    };
    let found: Vec<(String, String)> = match object.kind {
        Kind::KubernetesVersion => field("version").into_iter().collect(),
        Kind::ClusterConfiguration => field("kubernetesVersion").into_iter().collect(),
        // The tag of a control-plane image is the version (etcd's is etcd's own).
        Kind::Pod => command_lines(object)
            .into_iter()
            .filter(|line| line.component != Component::Etcd)
            .filter_map(|line| {
                let image = line.image.as_deref()?;
                let tag = image.split('@').next()?.rsplit_once(':')?.1;
                let container = line.anchor.rsplit_once('.').map_or("", |(c, _)| c);
                Some((format!("{container}.image"), tag.to_string()))
            })
            .collect(),
        _ => Vec::new(),
    };
    found
        .into_iter()
        .filter_map(|(path, text)| Some((path, Version::parse(&text).ok()?)))
        .collect()
}

/// KW-CP: the cluster runs a minor upstream still patches.
pub fn supported_minor(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, version) in versions(object) {
        if let Some(problem) = releases::unsupported(&version) {
            hits.add(path, problem);
        }
    }
}
