//! `kubeward cluster`: every rendered file parsed back and checked field by field, the
//! secretbox key used the way the API server uses it (a value sealed with the NaCl secretbox
//! under the `k8s:enc:secretbox:v1:<key name>:` prefix, read back through the rendered
//! configuration), the key rotation's six steps, KMS, and the refusals.

mod common;

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::cluster::{CONTRACT, cluster_spec, document, documents, extra_args, render};
use crypto_secretbox::XSalsa20Poly1305;
use crypto_secretbox::aead::generic_array::GenericArray;
use crypto_secretbox::aead::{Aead, KeyInit};
use serde_json::{Value, json};

fn ok(dir: &Path, spec: &str, args: &[&str]) -> String {
    let run = render(dir, spec, args);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    run.stdout
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The secretbox keys of the rendered configuration, in order, as (name, 32 bytes).
fn secretbox_keys(config: &Value) -> Vec<(String, Vec<u8>)> {
    let providers = config["resources"][0]["providers"].as_array().unwrap();
    providers
        .iter()
        .filter_map(|p| p.get("secretbox"))
        .flat_map(|s| s["keys"].as_array().unwrap().clone())
        .map(|key| {
            let secret = STANDARD.decode(key["secret"].as_str().unwrap()).unwrap();
            (key["name"].as_str().unwrap().to_string(), secret)
        })
        .collect()
}

const PREFIX: &[u8] = b"k8s:enc:secretbox:v1:";

/// What the API server writes to etcd for `plain` under the configuration's first key:
/// `k8s:enc:secretbox:v1:<name>:`, a random 24-byte nonce, then NaCl's secretbox of it.
fn etcd_value(config: &Value, plain: &[u8]) -> Vec<u8> {
    let (name, key) = secretbox_keys(config).remove(0);
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).unwrap();
    let sealed = XSalsa20Poly1305::new(GenericArray::from_slice(&key))
        .encrypt(GenericArray::from_slice(&nonce), plain)
        .unwrap();
    [PREFIX, name.as_bytes(), b":", &nonce, &sealed].concat()
}

/// What the API server reads from an etcd value with the configuration: the key named in the
/// prefix opens it, or nothing does.
fn read_back(config: &Value, stored: &[u8]) -> Option<Vec<u8>> {
    let rest = stored.strip_prefix(PREFIX)?;
    let colon = rest.iter().position(|b| *b == b':')?;
    let (name, data) = (
        std::str::from_utf8(&rest[..colon]).ok()?,
        &rest[colon + 1..],
    );
    let (_, key) = secretbox_keys(config)
        .into_iter()
        .find(|(n, _)| n == name)?;
    let (nonce, sealed) = data.split_at(24);
    XSalsa20Poly1305::new(GenericArray::from_slice(&key))
        .decrypt(GenericArray::from_slice(nonce), sealed)
        .ok()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn the_secretbox_of_this_test_is_nacls() {
    // NaCl's tests/secretbox.c (also golang.org/x/crypto/nacl/secretbox, the API server's):
    // the tag comes first, as the API server stores it.
    let key = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    let nonce = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    let message = hex(concat!(
        "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a",
        "1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057",
        "e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040",
        "e082f937763848645e0705"
    ));
    let sealed = hex(concat!(
        "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4",
        "476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738",
        "b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de",
        "56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5"
    ));
    let cipher = XSalsa20Poly1305::new(GenericArray::from_slice(&key));
    assert_eq!(
        cipher
            .encrypt(GenericArray::from_slice(&nonce), message.as_slice())
            .unwrap(),
        sealed
    );
}

#[test]
fn the_encryption_configuration_has_a_32_byte_secretbox_key_first() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let config = document(dir.path(), "encryption-config.yaml");
    assert_eq!(config["apiVersion"], "apiserver.config.k8s.io/v1");
    assert_eq!(config["kind"], "EncryptionConfiguration");
    let resources = config["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0]["resources"], json!(["secrets"]));
    let providers = resources[0]["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 1, "no identity fallback unless migrating");
    let keys = providers[0]["secretbox"]["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["name"], "key-1");
    let key = STANDARD
        .decode(keys[0]["secret"].as_str().unwrap())
        .unwrap();
    assert_eq!(key.len(), 32, "the secretbox key decodes to 32 bytes");
    assert_ne!(key, vec![0u8; 32]);
    // The same key again: the state folder keeps it.
    ok(dir.path(), CONTRACT, &[]);
    assert_eq!(document(dir.path(), "encryption-config.yaml"), config);
}

#[test]
fn an_etcd_value_sealed_with_the_rendered_key_is_read_back_with_it() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let config = document(dir.path(), "encryption-config.yaml");
    let plain = br#"{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}"#;
    let stored = etcd_value(&config, plain);
    assert!(stored.starts_with(b"k8s:enc:secretbox:v1:key-1:"));
    assert_eq!(read_back(&config, &stored).as_deref(), Some(&plain[..]));
    let mut tampered = stored.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert_eq!(
        read_back(&config, &tampered),
        None,
        "secretbox authenticates"
    );
    let other = tempfile::tempdir().unwrap();
    ok(other.path(), CONTRACT, &[]);
    let other_config = document(other.path(), "encryption-config.yaml");
    assert_eq!(
        read_back(&other_config, &stored),
        None,
        "another state folder's key-1 is another key"
    );
}

#[cfg(unix)]
#[test]
fn the_key_is_kept_private_and_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let run = render(dir.path(), CONTRACT, &[]);
    let config = document(dir.path(), "encryption-config.yaml");
    let secret = config["resources"][0]["providers"][0]["secretbox"]["keys"][0]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!run.stdout.contains(&secret) && !run.stderr.contains(&secret));
    assert_eq!(mode(&dir.path().join("out/encryption-config.yaml")), 0o600);
    let state = dir.path().join(".kubeward");
    assert_eq!(mode(&state), 0o700);
    let record = state.join("_clusters/prod/encryption-keys.json");
    assert_eq!(mode(&record), 0o600);
    assert!(common::read_path(&record).contains(&secret));
    for name in [
        "audit-policy.yaml",
        "admission-config.yaml",
        "kubeadm-config.yaml",
        "README.md",
    ] {
        let text = common::read_path(&dir.path().join("out").join(name));
        assert!(!text.contains(&secret), "{name} holds the key");
    }
}

#[test]
fn the_audit_policy_logs_bodies_with_secrets_at_metadata_and_drops_read_only_noise() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let policy = document(dir.path(), "audit-policy.yaml");
    assert_eq!(policy["apiVersion"], "audit.k8s.io/v1");
    assert_eq!(policy["kind"], "Policy");
    assert_eq!(policy["omitStages"], json!(["RequestReceived"]));
    let rules = policy["rules"].as_array().unwrap();
    assert_eq!(
        rules[0],
        json!({"level": "Metadata", "resources": [
            {"group": "", "resources": ["secrets", "configmaps", "serviceaccounts/token"]},
            {"group": "authentication.k8s.io", "resources": ["tokenreviews"]},
        ]}),
        "the first rule: secret-bearing kinds at Metadata, before any other"
    );
    let level_of = |group: &str, resource: &str| {
        rules
            .iter()
            .find(|r| {
                r["resources"].as_array().is_some_and(|groups| {
                    groups.iter().any(|g| {
                        g["group"] == group
                            && g["resources"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|x| x == resource)
                    })
                })
            })
            .map(|r| r["level"].as_str().unwrap().to_string())
    };
    assert_eq!(
        level_of("rbac.authorization.k8s.io", "clusterrolebindings").as_deref(),
        Some("RequestResponse")
    );
    for streamed in ["pods/exec", "pods/attach", "pods/portforward", "*/proxy"] {
        assert_eq!(
            level_of("", streamed).as_deref(),
            Some("Metadata"),
            "{streamed}"
        );
    }
    assert_eq!(level_of("apps", "deployments").as_deref(), Some("Request"));
    // Every rule that drops requests is read-only, and none of them names a secret-bearing kind.
    let dropping: Vec<&Value> = rules.iter().filter(|r| r["level"] == "None").collect();
    assert!(dropping.len() >= 4, "the noise is dropped");
    for rule in dropping {
        let verbs: Vec<&str> = rule["verbs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(
            verbs.iter().all(|v| ["get", "list", "watch"].contains(v)),
            "{rule}"
        );
        let text = rule.to_string();
        assert!(
            !text.contains("secrets") && !text.contains("configmaps") && !text.contains("token"),
            "{rule}"
        );
    }
    assert_eq!(rules.last().unwrap(), &json!({"level": "Metadata"}));
    // And the whole policy, field by field.
    let read = ["get", "list", "watch"];
    let write = ["create", "update", "patch", "delete", "deletecollection"];
    assert_eq!(
        policy,
        json!({
            "apiVersion": "audit.k8s.io/v1", "kind": "Policy",
            "omitStages": ["RequestReceived"], "omitManagedFields": true,
            "rules": [
                rules[0],
                {"level": "None", "verbs": ["get"], "nonResourceURLs": [
                    "/healthz*", "/livez*", "/readyz*", "/version", "/metrics",
                    "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"]},
                {"level": "None", "verbs": read, "resources": [
                    {"group": "", "resources": ["events"]}, {"group": "events.k8s.io", "resources": ["events"]}]},
                {"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"], "resources": [
                    {"group": "", "resources": ["endpoints", "services", "services/status"]},
                    {"group": "discovery.k8s.io", "resources": ["endpointslices"]}]},
                {"level": "None", "userGroups": ["system:nodes"], "verbs": read, "resources": [
                    {"group": "", "resources": ["nodes", "nodes/status"]}]},
                {"level": "None", "users": ["system:kube-controller-manager", "system:kube-scheduler"],
                    "verbs": read, "namespaces": ["kube-system"], "resources": [
                    {"group": "coordination.k8s.io", "resources": ["leases"]},
                    {"group": "", "resources": ["endpoints"]}]},
                {"level": "RequestResponse", "verbs": write, "resources": [{"group": "rbac.authorization.k8s.io",
                    "resources": ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]}]},
                {"level": "Metadata", "resources": [{"group": "",
                    "resources": ["pods/exec", "pods/attach", "pods/portforward", "*/proxy"]}]},
                {"level": "Request", "verbs": write, "resources": [
                    {"group": "", "resources": ["pods", "pods/ephemeralcontainers"]},
                    {"group": "apps", "resources": ["deployments", "daemonsets", "statefulsets", "replicasets"]},
                    {"group": "batch", "resources": ["jobs", "cronjobs"]}]},
                {"level": "Metadata"},
            ],
        })
    );
}

#[test]
fn pod_security_enforces_restricted_pinned_to_the_minor_with_the_exemptions() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &cluster_spec(
            "1.35.1",
            "  podSecurity:\n    exemptions: {namespaces: [kube-system, cilium], runtimeClasses: [kata], usernames: ['system:serviceaccount:ci:deployer']}\n",
        ),
        &[],
    );
    let admission = document(dir.path(), "admission-config.yaml");
    assert_eq!(admission["apiVersion"], "apiserver.config.k8s.io/v1");
    assert_eq!(admission["kind"], "AdmissionConfiguration");
    let plugins = admission["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 2);
    assert_eq!(plugins[0]["name"], "PodSecurity");
    let pss = &plugins[0]["configuration"];
    assert_eq!(pss["apiVersion"], "pod-security.admission.config.k8s.io/v1");
    assert_eq!(pss["kind"], "PodSecurityConfiguration");
    assert_eq!(
        pss["defaults"],
        json!({"enforce": "restricted", "enforce-version": "v1.35", "audit": "restricted",
               "audit-version": "v1.35", "warn": "restricted", "warn-version": "v1.35"})
    );
    assert_eq!(
        pss["exemptions"],
        json!({"usernames": ["system:serviceaccount:ci:deployer"], "runtimeClasses": ["kata"], "namespaces": ["kube-system", "cilium"]})
    );
    assert_eq!(plugins[1]["name"], "EventRateLimit");
    let limits = &plugins[1]["configuration"];
    assert_eq!(
        limits["apiVersion"],
        "eventratelimit.admission.k8s.io/v1alpha1"
    );
    assert_eq!(limits["kind"], "Configuration");
    assert_eq!(
        limits["limits"][0],
        json!({"type": "Namespace", "qps": 50, "burst": 100, "cacheSize": 2000})
    );
    assert_eq!(
        limits["limits"][1],
        json!({"type": "User", "qps": 10, "burst": 50})
    );
}

#[test]
fn kubeadm_gets_every_flag_as_name_value_pairs_and_the_folders_mounted() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let docs = documents(dir.path(), "kubeadm-config.yaml");
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "InitConfiguration",
            "ClusterConfiguration",
            "KubeletConfiguration"
        ]
    );
    assert_eq!(docs[0]["apiVersion"], "kubeadm.k8s.io/v1beta4");
    assert_eq!(
        docs[0]["patches"],
        json!({"directory": "/etc/kubernetes/kubeward/patches"})
    );
    let config = &docs[1];
    assert_eq!(config["apiVersion"], "kubeadm.k8s.io/v1beta4");
    assert_eq!(config["kubernetesVersion"], "v1.36.3");
    assert_eq!(config["clusterName"], "prod");
    let api: std::collections::BTreeMap<_, _> = extra_args(&config["apiServer"]["extraArgs"])
        .into_iter()
        .collect();
    let strong = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    let expected = [
        ("anonymous-auth", "false"),
        ("authorization-mode", "Node,RBAC"),
        (
            "enable-admission-plugins",
            "NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs,EventRateLimit",
        ),
        (
            "admission-control-config-file",
            "/etc/kubernetes/kubeward/admission-config.yaml",
        ),
        ("profiling", "false"),
        (
            "audit-policy-file",
            "/etc/kubernetes/kubeward/audit-policy.yaml",
        ),
        ("audit-log-path", "/var/log/kubernetes/audit/audit.log"),
        ("audit-log-maxage", "30"),
        ("audit-log-maxbackup", "10"),
        ("audit-log-maxsize", "100"),
        (
            "encryption-provider-config",
            "/etc/kubernetes/kubeward/encryption-config.yaml",
        ),
        (
            "kubelet-certificate-authority",
            "/etc/kubernetes/pki/ca.crt",
        ),
        (
            "kubelet-client-certificate",
            "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        ),
        (
            "kubelet-client-key",
            "/etc/kubernetes/pki/apiserver-kubelet-client.key",
        ),
        ("service-account-lookup", "true"),
        ("service-account-key-file", "/etc/kubernetes/pki/sa.pub"),
        ("service-account-extend-token-expiration", "false"),
        ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
        ("tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"),
        ("tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"),
        ("tls-min-version", "VersionTLS12"),
        ("tls-cipher-suites", strong),
        ("etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"),
        (
            "etcd-certfile",
            "/etc/kubernetes/pki/apiserver-etcd-client.crt",
        ),
        (
            "etcd-keyfile",
            "/etc/kubernetes/pki/apiserver-etcd-client.key",
        ),
    ];
    let expected: std::collections::BTreeMap<String, String> = expected
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(api, expected);
    assert!(!api.contains_key("token-auth-file"));
    assert_eq!(
        config["apiServer"]["extraVolumes"],
        json!([
            {"name": "kubeward-config", "hostPath": "/etc/kubernetes/kubeward", "mountPath": "/etc/kubernetes/kubeward", "readOnly": true, "pathType": "Directory"},
            {"name": "kubeward-audit-log", "hostPath": "/var/log/kubernetes/audit", "mountPath": "/var/log/kubernetes/audit", "readOnly": false, "pathType": "DirectoryOrCreate"},
        ])
    );
    let etcd = extra_args(&config["etcd"]["local"]["extraArgs"]);
    let etcd: std::collections::BTreeMap<_, _> = etcd.into_iter().collect();
    for (name, value) in [
        ("cert-file", "/etc/kubernetes/pki/etcd/server.crt"),
        ("key-file", "/etc/kubernetes/pki/etcd/server.key"),
        ("client-cert-auth", "true"),
        ("auto-tls", "false"),
        ("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
        ("peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
        ("peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"),
        ("peer-client-cert-auth", "true"),
        ("peer-auto-tls", "false"),
        ("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
        ("cipher-suites", strong),
    ] {
        assert_eq!(
            etcd.get(name).map(String::as_str),
            Some(value),
            "etcd --{name}"
        );
    }
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        extra_args(&config["controllerManager"]["extraArgs"]),
        pairs(&[
            ("profiling", "false"),
            ("terminated-pod-gc-threshold", "1000"),
            ("use-service-account-credentials", "true"),
            (
                "service-account-private-key-file",
                "/etc/kubernetes/pki/sa.key"
            ),
            ("root-ca-file", "/etc/kubernetes/pki/ca.crt"),
            ("bind-address", "127.0.0.1"),
        ])
    );
    assert_eq!(
        extra_args(&config["scheduler"]["extraArgs"]),
        pairs(&[("profiling", "false"), ("bind-address", "127.0.0.1")])
    );
    let keys: Vec<&String> = config.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "apiVersion",
            "kind",
            "clusterName",
            "kubernetesVersion",
            "apiServer",
            "controllerManager",
            "scheduler",
            "etcd"
        ]
    );
    assert_eq!(etcd.len(), 11, "no other etcd flag");
    assert_eq!(
        docs[2],
        json!({"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "serverTLSBootstrap": true})
    );
}

#[test]
fn the_probe_patch_replaces_the_three_https_probes_with_tcp_ones() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let patch = document(dir.path(), "kube-apiserver0+json.yaml");
    let ops = patch
        .as_array()
        .expect("a JSON patch is a list of operations");
    let paths: Vec<&str> = ops.iter().map(|op| op["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "/spec/containers/0/livenessProbe",
            "/spec/containers/0/readinessProbe",
            "/spec/containers/0/startupProbe"
        ]
    );
    for op in ops {
        assert_eq!(op["op"], "replace");
        assert_eq!(op["value"]["tcpSocket"], json!({"port": 6443}));
        assert!(op["value"].get("httpGet").is_none());
    }
    assert_eq!(ops[0]["value"]["failureThreshold"], 8);
}

#[test]
fn the_readme_says_where_each_file_goes_and_in_which_order() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = ok(dir.path(), CONTRACT, &[]);
    assert!(stdout.contains("README.md"), "{stdout}");
    let readme = common::read_path(&dir.path().join("out/README.md"));
    for place in [
        "`/etc/kubernetes/kubeward/encryption-config.yaml`",
        "`/etc/kubernetes/kubeward/audit-policy.yaml`",
        "`/etc/kubernetes/kubeward/admission-config.yaml`",
        "`/etc/kubernetes/kubeward/patches/kube-apiserver0+json.yaml`",
        "kubeadm init --config kubeadm-config.yaml",
        "kubectl certificate approve",
        "serverTLSBootstrap: true",
        "kubectl get secrets -A -o json | kubectl replace -f -",
        "--discovery-file",
        "kube-bench",
    ] {
        assert!(readme.contains(place), "README.md lacks {place}:\n{readme}");
    }
    let order = |text: &str| readme.find(text).unwrap_or_else(|| panic!("{text}"));
    let init = order("kubeadm init --config kubeadm-config.yaml");
    assert!(order("install -m 0600 encryption-config.yaml") < init);
    assert!(init < order("kubectl get secrets -A"));
    assert_eq!(
        common::entries(&dir.path().join("out")),
        [
            ".kubeward-output",
            "README.md",
            "admission-config.yaml",
            "audit-policy.yaml",
            "encryption-config.yaml",
            "kube-apiserver0+json.yaml",
            "kubeadm-config.yaml"
        ]
    );
}

/// Runs the rotation once more and returns the report and the configuration.
fn rotate(dir: &Path) -> (String, Value) {
    let stdout = ok(dir, CONTRACT, &["--rotate", "encryption-key"]);
    (stdout, document(dir, "encryption-config.yaml"))
}

fn key_names(config: &Value) -> Vec<String> {
    secretbox_keys(config).into_iter().map(|(n, _)| n).collect()
}

#[test]
fn the_key_rotation_takes_the_six_documented_steps_one_per_run() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let start = document(dir.path(), "encryption-config.yaml");
    let written_with_old = etcd_value(&start, b"before the rotation");
    let expected = [
        (
            ["key-1", "key-2"],
            "step 1 of 6 done: the new key `key-2` is added second",
            "restart every kube-apiserver",
        ),
        (
            ["key-1", "key-2"],
            "step 2 of 6 done: recorded that every kube-apiserver was restarted",
            "to make `key-2` the key that encrypts",
        ),
        (
            ["key-2", "key-1"],
            "step 3 of 6 done: `key-2` is moved first",
            "restart every kube-apiserver",
        ),
        (
            ["key-2", "key-1"],
            "step 4 of 6 done",
            "kubectl get secrets -A -o json | kubectl replace -f -",
        ),
        (
            ["key-2", "key-1"],
            "step 5 of 6 done: recorded that every Secret was rewritten",
            "to remove `key-1`",
        ),
    ];
    let mut written_with_new = None;
    for (names, done, next) in expected {
        let (report, config) = rotate(dir.path());
        assert_eq!(key_names(&config), names, "{report}");
        assert!(report.contains(done), "{report}");
        let next_line = report.lines().find(|l| l.starts_with("next: ")).unwrap();
        assert!(next_line.contains(next), "{report}");
        assert_eq!(
            read_back(&config, &written_with_old).as_deref(),
            Some(&b"before the rotation"[..]),
            "until step 6 the old key still reads what it wrote"
        );
        if names[0] == "key-2" {
            let value = etcd_value(&config, b"after the promotion");
            assert!(value.starts_with(b"k8s:enc:secretbox:v1:key-2:"));
            written_with_new = Some(value);
        }
        // Rendering again without --rotate changes nothing and says where the rotation stands.
        let again = ok(dir.path(), CONTRACT, &[]);
        assert!(
            again.contains("encryption key rotation under way, at step"),
            "{again}"
        );
        assert_eq!(document(dir.path(), "encryption-config.yaml"), config);
        let readme = common::read_path(&dir.path().join("out/README.md"));
        assert!(readme.contains("## Key rotation"), "{readme}");
    }
    let (report, config) = rotate(dir.path());
    assert_eq!(key_names(&config), ["key-2"]);
    assert!(
        report.contains("step 6 of 6 done: the old key is removed"),
        "{report}"
    );
    assert!(report.contains("the rotation is complete"), "{report}");
    assert_eq!(read_back(&config, &written_with_old), None, "key-1 is gone");
    assert_eq!(
        read_back(&config, written_with_new.as_ref().unwrap()).as_deref(),
        Some(&b"after the promotion"[..])
    );
    let settled = ok(dir.path(), CONTRACT, &[]);
    assert!(!settled.contains("rotation"), "{settled}");
    let (report, config) = rotate(dir.path());
    assert_eq!(key_names(&config), ["key-2", "key-3"], "{report}");
}

#[test]
fn rotating_before_there_is_a_key_or_with_kms_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = render(dir.path(), CONTRACT, &["--rotate", "encryption-key"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("has no encryption key yet"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
    let kms = cluster_spec(
        "1.36.3",
        "  encryption: {provider: kms, kms: {name: vault-kms, endpoint: 'unix:///var/run/kms-plugin/socket.sock'}}\n",
    );
    let run = render(dir.path(), &kms, &["--rotate", "encryption-key"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("rotate it there"), "{}", run.stderr);
}

#[test]
fn kms_is_a_v2_provider_whose_socket_folder_is_mounted() {
    let dir = tempfile::tempdir().unwrap();
    let kms = cluster_spec(
        "1.36.3",
        "  encryption: {provider: kms, kms: {name: vault-kms, endpoint: 'unix:///var/run/kms-plugin/socket.sock'}, resources: [secrets, configmaps]}\n",
    );
    ok(dir.path(), &kms, &[]);
    let config = document(dir.path(), "encryption-config.yaml");
    assert_eq!(
        config["resources"],
        json!([{"resources": ["secrets", "configmaps"], "providers": [
            {"kms": {"apiVersion": "v2", "name": "vault-kms", "endpoint": "unix:///var/run/kms-plugin/socket.sock", "timeout": "3s"}}
        ]}])
    );
    assert!(!dir.path().join(".kubeward").exists(), "kms keeps no key");
    let kubeadm = &documents(dir.path(), "kubeadm-config.yaml")[1];
    let volumes = kubeadm["apiServer"]["extraVolumes"].as_array().unwrap();
    assert!(volumes.contains(&json!({"name": "kubeward-kms-socket", "hostPath": "/var/run/kms-plugin", "mountPath": "/var/run/kms-plugin", "readOnly": false, "pathType": "DirectoryOrCreate"})));
    let readme = common::read_path(&dir.path().join("out/README.md"));
    assert!(readme.contains("Run the KMS v2 plugin"), "{readme}");
}

#[test]
fn migrating_keeps_readers_of_the_old_storage_identity_last() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &cluster_spec("1.36.3", "  encryption: {migrating: true}\n"),
        &[],
    );
    let config = document(dir.path(), "encryption-config.yaml");
    let providers = &config["resources"][0]["providers"];
    assert!(providers[0].get("secretbox").is_some());
    assert_eq!(providers[1], json!({"identity": {}}));
    assert_eq!(providers.as_array().unwrap().len(), 2);
    let secretbox = etcd_value(&config, b"written with secretbox");
    // From secretbox to KMS: while migrating, the kept key still reads what it wrote.
    let kms = cluster_spec(
        "1.36.3",
        "  encryption: {provider: kms, migrating: true, kms: {name: vault-kms, endpoint: 'unix:///run/kms/socket.sock'}}\n",
    );
    ok(dir.path(), &kms, &[]);
    let config = document(dir.path(), "encryption-config.yaml");
    let providers = config["resources"][0]["providers"].as_array().unwrap();
    let names: Vec<&str> = providers
        .iter()
        .map(|p| p.as_object().unwrap().keys().next().unwrap().as_str())
        .collect();
    assert_eq!(names, ["kms", "secretbox", "identity"]);
    assert_eq!(
        read_back(&config, &secretbox).as_deref(),
        Some(&b"written with secretbox"[..])
    );
    let readme = common::read_path(&dir.path().join("out/README.md"));
    assert!(
        readme.contains("spec.encryption.migrating: false"),
        "{readme}"
    );
}

#[test]
fn bad_specs_are_refused_naming_field_and_line_and_nothing_is_written() {
    let cases = [
        (
            cluster_spec("1.36.3", "  colour: blue\n"),
            "line 6: spec.colour: unknown field `colour`",
        ),
        (
            cluster_spec("1.30.9", ""),
            "line 5: spec.kubernetesVersion: 1.30.9 is too old",
        ),
        (
            cluster_spec("1.36", ""),
            "line 5: spec.kubernetesVersion: `1.36` is not a Kubernetes version",
        ),
        (
            cluster_spec("1.36.3", "  audit:\n    maxAgeDays: 7\n"),
            "line 7: spec.audit.maxAgeDays: 7 is out of range: 30-3650 (CIS 1.2.17",
        ),
        (
            cluster_spec("1.36.3", "  encryption:\n    provider: kms\n"),
            "line 6: spec.encryption.kms: is required",
        ),
        (
            cluster_spec("1.36.3", "  encryption:\n    resources: [configmaps]\n"),
            "spec.encryption.resources: must cover `secrets`",
        ),
        (
            cluster_spec("1.36.3", "  podSecurity:\n    enforce: privileged\n"),
            "line 7: spec.podSecurity.enforce: unknown variant `privileged`",
        ),
        (
            CONTRACT.replace("name: prod", "name: Prod_1"),
            "line 3: metadata.name: `Prod_1` is not a DNS-1123 label",
        ),
    ];
    for (spec, wanted) in cases {
        let dir = tempfile::tempdir().unwrap();
        let run = render(dir.path(), &spec, &[]);
        assert_eq!(run.code, Some(2), "{spec}\n{}", run.stderr);
        assert!(
            run.stderr
                .contains("cluster.yaml is not a valid cluster spec"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(wanted),
            "wanted {wanted:?} in:\n{}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
        assert_eq!(
            common::entries(dir.path()),
            ["cluster.yaml"],
            "nothing written"
        );
    }
}

#[test]
fn an_unsupported_minor_renders_with_a_warning_and_deny_warnings_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = cluster_spec("1.34.2", "");
    let run = render(dir.path(), &old, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: Kubernetes 1.34 is out of upstream support: only 1.37, 1.36, 1.35 still get patches")
            && run.stderr.contains("[kubernetes-unsupported]"),
        "{}",
        run.stderr
    );
    let readme = common::read_path(&dir.path().join("out/README.md"));
    assert!(
        readme.contains("Kubernetes 1.34 is out of upstream support"),
        "{readme}"
    );
    let denied = tempfile::tempdir().unwrap();
    let run = render(denied.path(), &old, &["--deny-warnings"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(
        common::entries(denied.path()),
        ["cluster.yaml"],
        "nothing written, not even the state folder"
    );
    let newer = render(denied.path(), &cluster_spec("1.38.0", ""), &[]);
    assert!(
        newer.stderr.contains("newer than kubeward's release table"),
        "{}",
        newer.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let readme = common::read_path(&dir.path().join("out/README.md"));
    assert!(!readme.contains("Warning"), "{readme}");
}

#[test]
fn a_folder_with_foreign_files_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    common::write(&dir.path().join("out/notes.txt"), "mine");
    let run = render(dir.path(), CONTRACT, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("holds files kubeward did not write"),
        "{}",
        run.stderr
    );
    assert!(
        !dir.path().join(".kubeward").exists(),
        "refused before any key is made"
    );
    ok(dir.path(), CONTRACT, &["--force"]);
    assert_eq!(common::read_path(&dir.path().join("out/notes.txt")), "mine");
}

#[test]
fn the_rendered_files_pass_kubeward_check_with_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), CONTRACT, &[]);
    let run = common::run::run_in(dir.path(), ["check", "--fail-on", "info", "out"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("4 object(s) in 5 input(s): 0 error(s), 0 warning(s), 0 info"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_service_spec_and_a_cluster_spec_each_point_at_the_other_command() {
    let dir = tempfile::tempdir().unwrap();
    let service = common::spec::spec(
        "api",
        "shop",
        "  image: ghcr.io/acme/api:1.0\n  port: 8080\n",
    );
    let run = render(dir.path(), &service, &[]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("line 2: kind: is SecureService, a service spec: render it with `kubeward render -f FILE`"), "{}", run.stderr);
    common::write(&dir.path().join("kubeward.yaml"), CONTRACT);
    let run = common::run::run_in(dir.path(), ["render", "-f", "kubeward.yaml"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("line 2: kind: is SecureCluster, a cluster spec: render it with `kubeward cluster -f FILE -o DIR`"), "{}", run.stderr);
}
