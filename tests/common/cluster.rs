//! Cluster specs for `kubeward cluster`, and its rendered folder read back.

use std::path::Path;

use serde_json::Value;

use super::run::{Run, run_in};

/// The cluster spec of the contract (spec-contract.md, Additions).
pub const CONTRACT: &str = "\
apiVersion: kubeward.dev/v1alpha1
kind: SecureCluster
metadata: { name: prod }
spec:
  kubernetesVersion: \"1.36.3\"
  encryption:
    provider: secretbox     # secretbox | kms
    resources: [secrets]
  audit: { logPath: /var/log/kubernetes/audit/audit.log, maxAgeDays: 30, maxBackups: 10, maxSizeMB: 100 }
  podSecurity:
    enforce: restricted
    exemptions: { namespaces: [kube-system] }
";

/// A spec named `prod` at `version` with `spec` lines (indented two spaces) after it.
pub fn cluster_spec(version: &str, spec: &str) -> String {
    format!(
        "apiVersion: kubeward.dev/v1alpha1\nkind: SecureCluster\nmetadata: {{name: prod}}\nspec:\n  kubernetesVersion: \"{version}\"\n{spec}"
    )
}

/// Writes `spec` as `dir/cluster.yaml` and runs `kubeward cluster -f cluster.yaml -o out`
/// with `args` after it.
pub fn render(dir: &Path, spec: &str, args: &[&str]) -> Run {
    super::write(&dir.join("cluster.yaml"), spec);
    let mut all = vec!["cluster", "-f", "cluster.yaml", "-o", "out"];
    all.extend_from_slice(args);
    run_in(dir, all)
}

/// The documents of a rendered YAML file, `dir/out/<name>`.
pub fn documents(dir: &Path, name: &str) -> Vec<Value> {
    let text = super::read_path(&dir.join("out").join(name));
    serde_saphyr::from_multiple(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

/// The one document of `dir/out/<name>`.
pub fn document(dir: &Path, name: &str) -> Value {
    let mut all = documents(dir, name);
    assert_eq!(all.len(), 1, "{name} holds one document");
    all.remove(0)
}

/// The `{name, value}` list of kubeadm's `extraArgs` as pairs.
pub fn extra_args(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .expect("extraArgs is v1beta4's list")
        .iter()
        .map(|arg| {
            let keys: Vec<&String> = arg.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["name", "value"], "an Arg is {{name, value}}");
            (
                arg["name"].as_str().unwrap().to_string(),
                arg["value"]
                    .as_str()
                    .expect("values are strings")
                    .to_string(),
            )
        })
        .collect()
}
