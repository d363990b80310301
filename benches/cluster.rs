//! Criterion benchmarks of `kubeward cluster` and of the control-plane rules of `check`: the
//! whole pipeline (load, validate, keys from an existing state folder, render, self-check, and
//! the write, into an unchanged folder and into a new one), and `check::run` over the rendered
//! files with the four static Pods of a kubeadm control plane, and over 1,000 API server Pods.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use kubeward::check::{self, load::load_text};
use kubeward::cluster::{self, Options};

const SPEC: &str = "\
apiVersion: kubeward.dev/v1alpha1
kind: SecureCluster
metadata: { name: prod }
spec:
  kubernetesVersion: \"1.36.3\"
  audit: { logPath: /var/log/kubernetes/audit/audit.log }
  podSecurity: { exemptions: { namespaces: [kube-system] } }
";

fn options<'a>(spec: &'a Path, output: &'a Path) -> Options<'a> {
    Options {
        file: spec,
        output,
        state_dir: None,
        rotate: false,
        force: false,
    }
}

/// A kubeadm-style static Pod of `binary` with `flags`.
fn static_pod(binary: &str, flags: &[String]) -> String {
    let command: Vec<String> = std::iter::once(binary.to_string())
        .chain(flags.iter().cloned())
        .collect();
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": binary, "namespace": "kube-system"},
        "spec": {"hostNetwork": true, "containers": [{"name": binary,
            "image": format!("registry.k8s.io/{binary}:v1.36.3"), "command": command}]}})
    .to_string()
}

/// The four static Pods of the rendered kubeadm configuration's flags.
fn control_plane_pods(kubeadm: &str) -> Vec<String> {
    let documents: Vec<serde_json::Value> = serde_saphyr::from_multiple(kubeadm).unwrap();
    let config = documents
        .iter()
        .find(|d| d["kind"] == "ClusterConfiguration")
        .unwrap();
    [
        ("kube-apiserver", &config["apiServer"]),
        ("kube-controller-manager", &config["controllerManager"]),
        ("kube-scheduler", &config["scheduler"]),
        ("etcd", &config["etcd"]["local"]),
    ]
    .into_iter()
    .map(|(binary, section)| {
        let flags: Vec<String> = section["extraArgs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                format!(
                    "--{}={}",
                    a["name"].as_str().unwrap(),
                    a["value"].as_str().unwrap()
                )
            })
            .collect();
        static_pod(binary, &flags)
    })
    .collect()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("cluster.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let out = dir.path().join("out");
    cluster::run(&options(&spec, &out), |_| Ok(())).unwrap();
    c.bench_function("cluster: existing key, unchanged folder", |b| {
        b.iter(|| cluster::run(black_box(&options(&spec, &out)), |_| Ok(())).unwrap())
    });
    let mut n = 0;
    c.bench_function("cluster: existing key, new folder", |b| {
        b.iter(|| {
            n += 1;
            let fresh = dir.path().join(format!("new-{n}"));
            cluster::run(black_box(&options(&spec, &fresh)), |_| Ok(())).unwrap()
        })
    });
    let mut texts: Vec<(String, String)> = [
        "encryption-config.yaml",
        "audit-policy.yaml",
        "admission-config.yaml",
        "kubeadm-config.yaml",
    ]
    .iter()
    .map(|name| {
        (
            name.to_string(),
            std::fs::read_to_string(out.join(name)).unwrap(),
        )
    })
    .collect();
    let pods = control_plane_pods(&texts[3].1);
    texts.extend(
        pods.iter()
            .enumerate()
            .map(|(i, p)| (format!("pod-{i}.json"), p.clone())),
    );
    let objects: Vec<_> = texts
        .iter()
        .flat_map(|(name, text)| load_text(name, text).objects)
        .collect();
    assert_eq!(objects.len(), 8);
    c.bench_function("check: rendered files and 4 static Pods (8 objects)", |b| {
        b.iter(|| check::run(black_box(&objects)))
    });
    let many: Vec<_> = (0..1000)
        .flat_map(|_| load_text("p.json", &pods[0]).objects)
        .collect();
    c.bench_function("check: 1,000 kube-apiserver static Pods", |b| {
        b.iter(|| check::run(black_box(&many)))
    });
}

criterion_group!(cluster_benches, benches);
criterion_main!(cluster_benches);
