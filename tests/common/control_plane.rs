//! Control-plane manifests for the tests of `kubeward check`: static Pods of the API server,
//! controller manager, scheduler and etcd whose flags meet every check of the CIS Kubernetes
//! Benchmark (written out here from kube-bench's `cfg/cis-1.12`, not from kubeward's tables),
//! good control-plane files, and one broken object for each `KW-CP` rule.

use serde_json::{Value, json};

/// Flags of a kube-apiserver that passes every automated check of CIS 1.2 and 3.2.1.
pub const API_SERVER: &[&str] = &[
    "--advertise-address=192.0.2.10",
    "--allow-privileged=true",
    "--anonymous-auth=false",
    "--authorization-mode=Node,RBAC",
    "--client-ca-file=/etc/kubernetes/pki/ca.crt",
    "--enable-admission-plugins=NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs,EventRateLimit",
    "--admission-control-config-file=/etc/kubernetes/kubeward/admission-config.yaml",
    "--enable-bootstrap-token-auth=true",
    "--encryption-provider-config=/etc/kubernetes/kubeward/encryption-config.yaml",
    "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
    "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
    "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
    "--etcd-servers=https://127.0.0.1:2379",
    "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
    "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
    "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
    "--profiling=false",
    "--audit-policy-file=/etc/kubernetes/kubeward/audit-policy.yaml",
    "--audit-log-path=/var/log/kubernetes/audit/audit.log",
    "--audit-log-maxage=30",
    "--audit-log-maxbackup=10",
    "--audit-log-maxsize=100",
    "--secure-port=6443",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
    "--service-account-lookup=true",
    "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
    "--service-account-extend-token-expiration=false",
    "--service-cluster-ip-range=10.96.0.0/12",
    "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
    "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    "--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];

/// Flags of a kube-controller-manager that passes CIS 1.3.
pub const CONTROLLER_MANAGER: &[&str] = &[
    "--bind-address=127.0.0.1",
    "--kubeconfig=/etc/kubernetes/controller-manager.conf",
    "--profiling=false",
    "--root-ca-file=/etc/kubernetes/pki/ca.crt",
    "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
    "--terminated-pod-gc-threshold=1000",
    "--use-service-account-credentials=true",
];

/// Flags of a kube-scheduler that passes CIS 1.4.
pub const SCHEDULER: &[&str] = &[
    "--bind-address=127.0.0.1",
    "--kubeconfig=/etc/kubernetes/scheduler.conf",
    "--profiling=false",
];

/// Flags of an etcd that passes CIS 2.
pub const ETCD: &[&str] = &[
    "--advertise-client-urls=https://192.0.2.10:2379",
    "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
    "--client-cert-auth=true",
    "--data-dir=/var/lib/etcd",
    "--key-file=/etc/kubernetes/pki/etcd/server.key",
    "--listen-client-urls=https://127.0.0.1:2379,https://192.0.2.10:2379",
    "--name=cp-1",
    "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
    "--peer-client-cert-auth=true",
    "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
    "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
    "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
];

/// A kubeadm-style static Pod running `binary` with `flags` (image tag `tag`).
pub fn static_pod(binary: &str, flags: &[String], tag: &str) -> Value {
    let image = format!("registry.k8s.io/{binary}:{tag}");
    let mut command = vec![binary.to_string()];
    command.extend(flags.iter().cloned());
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": binary, "namespace": "kube-system",
            "labels": {"component": binary, "tier": "control-plane"}},
        "spec": {
            "hostNetwork": true,
            "priorityClassName": "system-node-critical",
            "containers": [{"name": binary, "image": image, "command": command}],
        },
    })
}

/// The good flags of `binary` with `change` applied.
pub fn flags_with(binary: &str, change: impl FnOnce(&mut Vec<String>)) -> Vec<String> {
    let good = match binary {
        "kube-apiserver" => API_SERVER,
        "kube-controller-manager" => CONTROLLER_MANAGER,
        "kube-scheduler" => SCHEDULER,
        "etcd" => ETCD,
        other => panic!("{other}"),
    };
    let mut flags: Vec<String> = good.iter().map(|f| f.to_string()).collect();
    change(&mut flags);
    flags
}

/// Removes `--name=...` (or a bare `--name`).
pub fn without(flags: &mut Vec<String>, name: &str) {
    let before = flags.len();
    flags.retain(|f| f.split('=').next() != Some(name));
    assert!(flags.len() < before, "no {name} to remove");
}

/// Sets `--name=value`, replacing any.
pub fn set(flags: &mut Vec<String>, name: &str, value: &str) {
    flags.retain(|f| f.split('=').next() != Some(name));
    flags.push(format!("{name}={value}"));
}

/// A good static Pod of `binary`, with `change` applied to its flags.
pub fn pod_with(binary: &str, change: impl FnOnce(&mut Vec<String>)) -> Value {
    static_pod(binary, &flags_with(binary, change), "v1.36.3")
}

pub const KEY_32: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// An `EncryptionConfiguration` for `secrets` with `providers`.
pub fn encryption(providers: Value) -> Value {
    json!({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
        "resources": [{"resources": ["secrets"], "providers": providers}]})
}

/// An audit `Policy` with `rules`.
pub fn audit_policy(rules: Value) -> Value {
    json!({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived"], "rules": rules})
}

/// An `AdmissionConfiguration` whose PodSecurity defaults enforce `level`.
pub fn admission(level: &str) -> Value {
    json!({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration",
        "plugins": [{"name": "PodSecurity", "configuration": {
            "apiVersion": "pod-security.admission.config.k8s.io/v1", "kind": "PodSecurityConfiguration",
            "defaults": {"enforce": level, "enforce-version": "v1.36"}}}]})
}

/// A function that builds one object.
pub type Build = fn() -> Value;

/// For each `KW-CP` rule, an object that breaks it (added to any bundle).
pub const BROKEN: &[(&str, Build)] = &[
    ("KW-CP-001", || {
        pod_with("kube-apiserver", |f| set(f, "--anonymous-auth", "true"))
    }),
    ("KW-CP-002", || {
        pod_with("kube-apiserver", |f| {
            set(f, "--token-auth-file", "/etc/tokens.csv")
        })
    }),
    ("KW-CP-003", || {
        pod_with("kube-apiserver", |f| {
            set(f, "--authorization-mode", "AlwaysAllow")
        })
    }),
    ("KW-CP-004", || {
        pod_with("kube-apiserver", |f| {
            set(f, "--enable-admission-plugins", "NodeRestriction")
        })
    }),
    ("KW-CP-005", || {
        pod_with("kube-apiserver", |f| {
            without(f, "--kubelet-certificate-authority")
        })
    }),
    ("KW-CP-006", || {
        pod_with("kube-apiserver", |f| without(f, "--profiling"))
    }),
    ("KW-CP-007", || {
        pod_with("kube-apiserver", |f| set(f, "--audit-log-maxage", "7"))
    }),
    ("KW-CP-008", || {
        pod_with("kube-apiserver", |f| {
            without(f, "--service-account-extend-token-expiration")
        })
    }),
    ("KW-CP-009", || {
        pod_with("kube-apiserver", |f| without(f, "--etcd-cafile"))
    }),
    ("KW-CP-010", || {
        pod_with("kube-apiserver", |f| {
            set(f, "--tls-cipher-suites", "TLS_RSA_WITH_AES_128_CBC_SHA")
        })
    }),
    ("KW-CP-011", || {
        pod_with("kube-apiserver", |f| {
            without(f, "--encryption-provider-config")
        })
    }),
    ("KW-CP-012", || {
        pod_with("kube-controller-manager", |f| {
            set(f, "--bind-address", "0.0.0.0")
        })
    }),
    ("KW-CP-013", || {
        pod_with("kube-scheduler", |f| set(f, "--profiling", "true"))
    }),
    ("KW-CP-014", || {
        pod_with("etcd", |f| set(f, "--client-cert-auth", "false"))
    }),
    ("KW-CP-015", || {
        pod_with("etcd", |f| set(f, "--peer-auto-tls", "true"))
    }),
    ("KW-CP-016", || {
        encryption(
            json!([{"identity": {}}, {"secretbox": {"keys": [{"name": "k", "secret": KEY_32}]}}]),
        )
    }),
    ("KW-CP-017", || {
        encryption(json!([{"secretbox": {"keys": [{"name": "k", "secret": "c2hvcnQ="}]}}]))
    }),
    ("KW-CP-018", || {
        audit_policy(json!([{"level": "RequestResponse"}]))
    }),
    ("KW-CP-019", || {
        audit_policy(json!([{"level": "Metadata", "nonResourceURLs": ["/healthz*"]}]))
    }),
    ("KW-CP-020", || admission("privileged")),
    ("KW-CP-021", || {
        json!({"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration", "kubernetesVersion": "v1.33.4",
            "apiServer": {"extraArgs": API_SERVER.iter().map(|f| {
                let (name, value) = f.trim_start_matches("--").split_once('=').unwrap();
                json!({"name": name, "value": value})
            }).collect::<Vec<_>>()},
            "controllerManager": {"extraArgs": [{"name": "profiling", "value": "false"}, {"name": "terminated-pod-gc-threshold", "value": "10"}]},
            "scheduler": {"extraArgs": [{"name": "profiling", "value": "false"}]},
            "etcd": {"local": {"extraArgs": []}}})
    }),
];
