//! The objects the services of a namespace share (the Namespace, its default deny, quota and
//! limits, the trust bundle) render the same from every one of them: a system renders each
//! once and hands the others a copy. A copy is given only for the shipped templates, whose
//! output for these objects depends on nothing but what the key holds (a test renders them
//! from two different services to keep it so), and never with `--annotate`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::Manifest;
use crate::material::Material;
use crate::plan::{Placement, Plan, PlannedObject};

/// The shipped templates of shared objects.
const SHARED_TEMPLATES: &[&str] = &[
    "namespace.yaml",
    "networkpolicy-default-deny.yaml",
    "resourcequota.yaml",
    "limitrange.yaml",
    "configmap-bundle.yaml",
];

/// The shared objects rendered so far in a run, by key.
#[derive(Default)]
pub struct SharedRenders(Mutex<HashMap<String, Manifest>>);

impl SharedRenders {
    pub(super) fn get(&self, key: &str) -> Option<Manifest> {
        let renders = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        renders.get(key).cloned()
    }

    pub(super) fn keep(&self, key: String, manifest: &Manifest) {
        let mut renders = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        renders.entry(key).or_insert_with(|| manifest.clone());
    }
}

/// Everything the shipped template of `object` reads, when it is a shared object: equal keys
/// render equal documents.
pub(super) fn key(plan: &Plan, material: &Material, object: &PlannedObject) -> Option<String> {
    if object.placement == Placement::Service || !SHARED_TEMPLATES.contains(&object.template) {
        return None;
    }
    let inputs = match object.template {
        "namespace.yaml" => format!(
            "{}\n{}",
            plan.pod_security_version,
            serde_json::to_string(&plan.mesh.as_ref().map(|m| m.mesh)).ok()?
        ),
        "resourcequota.yaml" | "limitrange.yaml" => serde_json::to_string(&plan.quota).ok()?,
        "configmap-bundle.yaml" => material.bundles.get(&object.name)?.clone(),
        _ => String::new(),
    };
    Some(format!(
        "{}\n{}\n{}\n{}\n{inputs}",
        object.template,
        object.kind,
        object.namespace.as_deref().unwrap_or_default(),
        object.name
    ))
}

#[cfg(test)]
mod tests {
    use super::super::{Templates, render};
    use super::*;
    use crate::plan::plan_from_yaml;

    const HEAD: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\n";

    #[test]
    fn shared_objects_render_the_same_from_every_service_of_the_namespace() {
        let image = "ghcr.io/acme/x:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let a = plan_from_yaml(&format!(
            "{HEAD}metadata: {{name: a, namespace: shop}}\nspec:\n  image: {image}\n  port: 8080\n  protocol: https\n  sensitivity: restricted\n  replicas: 2\n"
        ));
        let b = plan_from_yaml(&format!(
            "{HEAD}metadata: {{name: b, namespace: shop}}\nspec:\n  image: {image}\n  port: 9443\n  protocol: https\n  exposure: cluster\n  sensitivity: restricted\n  replicas: 5\n  callers: [{{app: web, namespace: front}}]\n  resources: {{limits: {{memory: 1Gi}}}}\n"
        ));
        let shared = |plan: &Plan| -> Vec<(String, String)> {
            let mut material = Material::placeholder(plan);
            material
                .bundles
                .insert("kubeward-trust".into(), "PEM".into());
            render(plan, &material, &Templates::default(), &[], false)
                .unwrap()
                .into_iter()
                .filter(|m| key(plan, &material, &m.object).is_some())
                .map(|m| (key(plan, &material, &m.object).unwrap(), m.text))
                .collect()
        };
        let (from_a, from_b) = (shared(&a), shared(&b));
        assert_eq!(from_a.len(), 4, "{from_a:?}");
        assert_eq!(
            from_a, from_b,
            "a shared template reads something its key does not hold"
        );
    }
}
