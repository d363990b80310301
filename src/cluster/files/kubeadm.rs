//! kubeadm's configuration (kubeadm.k8s.io/v1beta4): the `InitConfiguration` that applies the
//! probe patch, the `ClusterConfiguration` with every flag the CIS Kubernetes Benchmark checks
//! for the API server, controller manager, scheduler and etcd (`extraArgs` as v1beta4's list
//! of `{name, value}`, written out even where kubeadm's own default agrees, so that the flags
//! hold whoever runs them) and the folders they read mounted, and a `KubeletConfiguration`
//! that has each kubelet's serving certificate signed by the cluster CA, which
//! `--kubelet-certificate-authority` verifies. With anonymous requests refused, the API
//! server's HTTPS probes would fail: the patch probes its port over TCP instead.

use serde_json::{Value, json};

use super::{ADMISSION_FILE, AUDIT_FILE, CONFIG_DIR, ENCRYPTION_FILE, PATCHES_DIR, PKI};
use crate::check::rules::control_plane::cis::STRONG_CIPHERS;
use crate::cluster::validate::Cluster;

/// The API server's port, kubeadm's default.
pub const API_SERVER_PORT: u16 = 6443;

/// The cipher suites kubeward sets: the TLS 1.2 suites of the benchmark's list that Go
/// names (TLS 1.3's are always on and cannot be chosen).
fn ciphers() -> String {
    STRONG_CIPHERS
        .iter()
        .filter(|c| {
            c.starts_with("TLS_ECDHE_") && (c.ends_with("_SHA256") || c.ends_with("_SHA384"))
        })
        .copied()
        .collect::<Vec<_>>()
        .join(",")
}

fn args(pairs: &[(&str, String)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect(),
    )
}

fn pki(file: &str) -> String {
    format!("{PKI}/{file}")
}

fn config(file: &str) -> String {
    format!("{CONFIG_DIR}/{file}")
}

fn api_server_args(cluster: &Cluster) -> Value {
    let audit = &cluster.audit;
    args(&[
        ("anonymous-auth", "false".into()),
        ("authorization-mode", "Node,RBAC".into()),
        (
            "enable-admission-plugins",
            "NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs,EventRateLimit".into(),
        ),
        ("admission-control-config-file", config(ADMISSION_FILE)),
        ("profiling", "false".into()),
        ("audit-policy-file", config(AUDIT_FILE)),
        ("audit-log-path", audit.log_path.clone()),
        ("audit-log-maxage", audit.max_age_days.to_string()),
        ("audit-log-maxbackup", audit.max_backups.to_string()),
        ("audit-log-maxsize", audit.max_size_mb.to_string()),
        ("encryption-provider-config", config(ENCRYPTION_FILE)),
        ("kubelet-certificate-authority", pki("ca.crt")),
        (
            "kubelet-client-certificate",
            pki("apiserver-kubelet-client.crt"),
        ),
        ("kubelet-client-key", pki("apiserver-kubelet-client.key")),
        ("service-account-lookup", "true".into()),
        ("service-account-key-file", pki("sa.pub")),
        ("service-account-extend-token-expiration", "false".into()),
        ("client-ca-file", pki("ca.crt")),
        ("tls-cert-file", pki("apiserver.crt")),
        ("tls-private-key-file", pki("apiserver.key")),
        ("tls-min-version", "VersionTLS12".into()),
        ("tls-cipher-suites", ciphers()),
        ("etcd-cafile", pki("etcd/ca.crt")),
        ("etcd-certfile", pki("apiserver-etcd-client.crt")),
        ("etcd-keyfile", pki("apiserver-etcd-client.key")),
    ])
}

fn api_server_volumes(cluster: &Cluster) -> Value {
    let mount = |name: &str, path: &str, read_only: bool, path_type: &str| {
        json!({
            "name": name,
            "hostPath": path,
            "mountPath": path,
            "readOnly": read_only,
            "pathType": path_type,
        })
    };
    let mut volumes = vec![
        mount("kubeward-config", CONFIG_DIR, true, "Directory"),
        mount(
            "kubeward-audit-log",
            cluster.audit.log_dir(),
            false,
            "DirectoryOrCreate",
        ),
    ];
    if let Some(dir) = cluster.encryption.provider.socket_dir() {
        volumes.push(mount(
            "kubeward-kms-socket",
            dir,
            false,
            "DirectoryOrCreate",
        ));
    }
    Value::Array(volumes)
}

/// The documents of kubeadm-config.yaml.
pub fn configuration(cluster: &Cluster) -> Vec<Value> {
    let init = json!({
        "apiVersion": "kubeadm.k8s.io/v1beta4",
        "kind": "InitConfiguration",
        "patches": {"directory": PATCHES_DIR},
    });
    let cluster_configuration = json!({
        "apiVersion": "kubeadm.k8s.io/v1beta4",
        "kind": "ClusterConfiguration",
        "clusterName": cluster.name,
        "kubernetesVersion": format!("v{}", cluster.version),
        "apiServer": {
            "extraArgs": api_server_args(cluster),
            "extraVolumes": api_server_volumes(cluster),
        },
        "controllerManager": {
            "extraArgs": args(&[
                ("profiling", "false".into()),
                ("terminated-pod-gc-threshold", "1000".into()),
                ("use-service-account-credentials", "true".into()),
                ("service-account-private-key-file", pki("sa.key")),
                ("root-ca-file", pki("ca.crt")),
                ("bind-address", "127.0.0.1".into()),
            ]),
        },
        "scheduler": {
            "extraArgs": args(&[
                ("profiling", "false".into()),
                ("bind-address", "127.0.0.1".into()),
            ]),
        },
        "etcd": {
            "local": {
                "extraArgs": args(&[
                    ("cert-file", pki("etcd/server.crt")),
                    ("key-file", pki("etcd/server.key")),
                    ("client-cert-auth", "true".into()),
                    ("auto-tls", "false".into()),
                    ("trusted-ca-file", pki("etcd/ca.crt")),
                    ("peer-cert-file", pki("etcd/peer.crt")),
                    ("peer-key-file", pki("etcd/peer.key")),
                    ("peer-client-cert-auth", "true".into()),
                    ("peer-auto-tls", "false".into()),
                    ("peer-trusted-ca-file", pki("etcd/ca.crt")),
                    ("cipher-suites", ciphers()),
                ]),
            },
        },
    });
    let kubelet = json!({
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        "serverTLSBootstrap": true,
    });
    vec![init, cluster_configuration, kubelet]
}

/// A JSON patch (kubeadm's `kube-apiserver0+json.yaml`) that probes the API server's port
/// over TCP: its `/livez` and `/readyz` answer anonymous requests no longer. The timings
/// are kubeadm's own.
pub fn probe_patch() -> Value {
    let probe = |initial: Option<u32>, period: u32, failures: u32| {
        let mut probe = json!({
            "tcpSocket": {"port": API_SERVER_PORT},
            "periodSeconds": period,
            "timeoutSeconds": 15,
            "failureThreshold": failures,
        });
        if let Some(initial) = initial {
            probe["initialDelaySeconds"] = json!(initial);
        }
        probe
    };
    json!([
        {"op": "replace", "path": "/spec/containers/0/livenessProbe", "value": probe(Some(10), 10, 8)},
        {"op": "replace", "path": "/spec/containers/0/readinessProbe", "value": probe(None, 1, 3)},
        {"op": "replace", "path": "/spec/containers/0/startupProbe", "value": probe(Some(10), 10, 24)},
    ])
}
