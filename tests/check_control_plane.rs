//! `kubeward check` on the control plane: good and broken static Pods for every flag the CIS
//! Kubernetes Benchmark checks on the API server, controller manager, scheduler and etcd, each
//! broken one reporting exactly the CIS ids it breaks; kubeadm `ClusterConfiguration`s judged
//! with kubeadm's own flags; encryption configurations, audit policies and admission
//! configurations; the Kubernetes version; the CIS id in JSON and SARIF.

mod common;

use std::collections::BTreeSet;

use common::control_plane::{
    API_SERVER, KEY_32, admission, audit_policy, encryption, pod_with, set, static_pod, without,
};
use kubeward::check::{self, load::load_text};
use serde_json::{Value, json};

/// The CIS ids of the KW-CP findings on `value`, and the rules they came from.
fn cis_ids(value: &Value) -> BTreeSet<String> {
    findings(value).into_iter().map(|(_, cis)| cis).collect()
}

fn findings(value: &Value) -> Vec<(String, String)> {
    let loaded = load_text("in.json", &value.to_string());
    assert!(loaded.errors.is_empty());
    check::run(&loaded.objects)
        .into_iter()
        .filter(|f| f.rule.id.starts_with("KW-CP-"))
        .map(|f| (f.rule.id.to_string(), f.cis.unwrap_or("-").to_string()))
        .collect()
}

fn rules(value: &Value) -> BTreeSet<String> {
    findings(value).into_iter().map(|(rule, _)| rule).collect()
}

fn ids(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

type Change = fn(&mut Vec<String>);

/// Each broken flag of each component, and the CIS ids it breaks (kube-bench's semantics).
const BROKEN_FLAGS: &[(&str, Change, &[&str])] = &[
    (
        "kube-apiserver",
        |f| set(f, "--anonymous-auth", "true"),
        &["1.2.1"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--anonymous-auth", "TRUE"),
        &["1.2.1"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--anonymous-auth"),
        &["1.2.1"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--token-auth-file", "/etc/kubernetes/tokens.csv"),
        &["1.2.2"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--enable-admission-plugins",
                "NodeRestriction,AlwaysPullImages,EventRateLimit",
            )
        },
        &["1.2.3"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--kubelet-client-certificate"),
        &["1.2.4"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--kubelet-client-key"),
        &["1.2.4"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--kubelet-certificate-authority"),
        &["1.2.5"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--authorization-mode", "AlwaysAllow"),
        &["1.2.6", "1.2.7", "1.2.8"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--authorization-mode", "Node,RBAC,AlwaysAllow"),
        &["1.2.6"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--authorization-mode"),
        &["1.2.6", "1.2.7", "1.2.8"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--authorization-mode", "RBAC"),
        &["1.2.7"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--authorization-mode", "Node,Webhook"),
        &["1.2.8"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--enable-admission-plugins",
                "NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs",
            )
        },
        &["1.2.9"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--enable-admission-plugins",
                "AlwaysAdmit,NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs,EventRateLimit",
            )
        },
        &["1.2.10"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--enable-admission-plugins",
                "NodeRestriction,DenyServiceExternalIPs,EventRateLimit",
            )
        },
        &["1.2.11"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--disable-admission-plugins", "ServiceAccount"),
        &["1.2.12"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--disable-admission-plugins",
                "DefaultStorageClass,NamespaceLifecycle",
            )
        },
        &["1.2.13"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--enable-admission-plugins",
                "AlwaysPullImages,DenyServiceExternalIPs,EventRateLimit",
            )
        },
        &["1.2.14"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--enable-admission-plugins"),
        &["1.2.3", "1.2.9", "1.2.11", "1.2.14"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--profiling", "true"),
        &["1.2.15"],
    ),
    ("kube-apiserver", |f| without(f, "--profiling"), &["1.2.15"]),
    (
        "kube-apiserver",
        |f| without(f, "--audit-log-path"),
        &["1.2.16"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--audit-log-maxage", "29"),
        &["1.2.17"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--audit-log-maxage"),
        &["1.2.17"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--audit-log-maxbackup", "9"),
        &["1.2.18"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--audit-log-maxsize", "99"),
        &["1.2.19"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--audit-log-maxsize", "lots"),
        &["1.2.19"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--service-account-lookup", "false"),
        &["1.2.21"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--service-account-key-file"),
        &["1.2.22"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--etcd-certfile"),
        &["1.2.23"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--etcd-keyfile"),
        &["1.2.23"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--tls-cert-file"),
        &["1.2.24"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--tls-private-key-file"),
        &["1.2.24"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--client-ca-file"),
        &["1.2.25"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--etcd-cafile"),
        &["1.2.26"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--encryption-provider-config"),
        &["1.2.27"],
    ),
    (
        "kube-apiserver",
        |f| {
            set(
                f,
                "--tls-cipher-suites",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            )
        },
        &["1.2.29"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--tls-cipher-suites"),
        &["1.2.29"],
    ),
    (
        "kube-apiserver",
        |f| set(f, "--service-account-extend-token-expiration", "true"),
        &["1.2.30"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--service-account-extend-token-expiration"),
        &["1.2.30"],
    ),
    (
        "kube-apiserver",
        |f| without(f, "--audit-policy-file"),
        &["3.2.1"],
    ),
    (
        "kube-controller-manager",
        |f| without(f, "--terminated-pod-gc-threshold"),
        &["1.3.1"],
    ),
    (
        "kube-controller-manager",
        |f| set(f, "--profiling", "true"),
        &["1.3.2"],
    ),
    (
        "kube-controller-manager",
        |f| set(f, "--use-service-account-credentials", "false"),
        &["1.3.3"],
    ),
    (
        "kube-controller-manager",
        |f| without(f, "--use-service-account-credentials"),
        &["1.3.3"],
    ),
    (
        "kube-controller-manager",
        |f| without(f, "--service-account-private-key-file"),
        &["1.3.4"],
    ),
    (
        "kube-controller-manager",
        |f| without(f, "--root-ca-file"),
        &["1.3.5"],
    ),
    (
        "kube-controller-manager",
        |f| set(f, "--feature-gates", "RotateKubeletServerCertificate=false"),
        &["1.3.6"],
    ),
    (
        "kube-controller-manager",
        |f| set(f, "--bind-address", "0.0.0.0"),
        &["1.3.7"],
    ),
    ("kube-scheduler", |f| without(f, "--profiling"), &["1.4.1"]),
    (
        "kube-scheduler",
        |f| set(f, "--bind-address", "0.0.0.0"),
        &["1.4.2"],
    ),
    ("etcd", |f| without(f, "--cert-file"), &["2.1"]),
    ("etcd", |f| without(f, "--key-file"), &["2.1"]),
    ("etcd", |f| set(f, "--client-cert-auth", "false"), &["2.2"]),
    ("etcd", |f| without(f, "--client-cert-auth"), &["2.2"]),
    ("etcd", |f| set(f, "--auto-tls", "true"), &["2.3"]),
    ("etcd", |f| without(f, "--peer-cert-file"), &["2.4"]),
    ("etcd", |f| without(f, "--peer-key-file"), &["2.4"]),
    (
        "etcd",
        |f| set(f, "--peer-client-cert-auth", "false"),
        &["2.5"],
    ),
    ("etcd", |f| set(f, "--peer-auto-tls", "true"), &["2.6"]),
    ("etcd", |f| without(f, "--trusted-ca-file"), &["2.7"]),
];

#[test]
fn good_static_pods_break_no_control_plane_check() {
    for binary in [
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "etcd",
    ] {
        let pod = pod_with(binary, |_| {});
        assert_eq!(findings(&pod), Vec::<(String, String)>::new(), "{binary}");
    }
    // Settings the checks accept besides the good ones.
    let accepted: &[(&str, Change)] = &[
        ("kube-apiserver", |f| without(f, "--service-account-lookup")),
        ("kube-apiserver", |f| set(f, "--anonymous-auth", "False")),
        ("kube-apiserver", |f| {
            set(f, "--authorization-mode", "Node,Webhook,RBAC")
        }),
        ("kube-controller-manager", |f| without(f, "--bind-address")),
        ("kube-controller-manager", |f| {
            set(f, "--feature-gates", "RotateKubeletServerCertificate=true")
        }),
        ("etcd", |f| set(f, "--auto-tls", "false")),
    ];
    for (binary, change) in accepted {
        let pod = pod_with(binary, change);
        assert_eq!(
            findings(&pod),
            Vec::<(String, String)>::new(),
            "{binary}: {pod}"
        );
    }
}

#[test]
fn each_broken_flag_reports_exactly_its_cis_checks() {
    let mut covered = BTreeSet::new();
    for (binary, change, expected) in BROKEN_FLAGS {
        let pod = pod_with(binary, change);
        let command = pod["spec"]["containers"][0]["command"].clone();
        assert_eq!(cis_ids(&pod), ids(expected), "{binary} {command}");
        covered.extend(expected.iter().copied());
    }
    // Every automated flag check of kube-bench's cfg/cis-1.12 for these components.
    let automated = [
        "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6", "1.2.7", "1.2.8", "1.2.9", "1.2.10",
        "1.2.11", "1.2.12", "1.2.13", "1.2.14", "1.2.15", "1.2.16", "1.2.17", "1.2.18", "1.2.19",
        "1.2.21", "1.2.22", "1.2.23", "1.2.24", "1.2.25", "1.2.26", "1.2.27", "1.2.29", "1.2.30",
        "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.3.6", "1.3.7", "1.4.1", "1.4.2", "2.1",
        "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "3.2.1",
    ];
    assert_eq!(covered, automated.into_iter().collect());
}

#[test]
fn flags_are_read_from_args_and_in_the_space_separated_form() {
    let mut pod = static_pod("kube-apiserver", &[], "v1.36.3");
    let container = &mut pod["spec"]["containers"][0];
    container["command"] = json!(["/usr/local/bin/kube-apiserver"]);
    let mut args: Vec<String> = API_SERVER.iter().map(|f| f.to_string()).collect();
    args.retain(|f| !f.starts_with("--audit-log-path"));
    args.extend([
        "--audit-log-path".to_string(),
        "/var/log/audit.log".to_string(),
    ]);
    container["args"] = json!(args);
    assert_eq!(findings(&pod), Vec::<(String, String)>::new());
    // Without a command, the image names the component.
    pod["spec"]["containers"][0]
        .as_object_mut()
        .unwrap()
        .remove("command");
    assert_eq!(findings(&pod), Vec::<(String, String)>::new());
    pod["spec"]["containers"][0]["args"] = json!(["--profiling=true"]);
    assert!(cis_ids(&pod).contains("1.2.15"));
    // A later occurrence of a flag wins, as for the API server's own flag parser.
    let twice = pod_with("kube-apiserver", |f| f.push("--profiling=true".into()));
    assert_eq!(cis_ids(&twice), ids(&["1.2.15"]));
    // Other pods are not judged.
    let other = static_pod("nginx", &["--profiling=true".into()], "1.27");
    assert_eq!(findings(&other), Vec::<(String, String)>::new());
}

fn kubeadm(api_server: Value) -> Value {
    json!({"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration",
        "kubernetesVersion": "v1.36.3", "apiServer": {"extraArgs": api_server}})
}

#[test]
fn a_kubeadm_configuration_is_judged_with_kubeadms_own_flags() {
    // With no extraArgs, kubeadm's defaults hold TLS, client CAs, etcd certificates,
    // Node,RBAC and NodeRestriction; what it leaves to the user breaks.
    let bare = kubeadm(json!([]));
    let found = cis_ids(&bare);
    for kept in [
        "1.2.4", "1.2.6", "1.2.7", "1.2.8", "1.2.14", "1.2.22", "1.2.23", "1.2.24", "1.2.25",
        "1.2.26", "1.3.3", "1.3.4", "1.3.5", "1.3.7", "1.4.2", "2.1", "2.2", "2.4", "2.5", "2.7",
    ] {
        assert!(
            !found.contains(kept),
            "{kept} is kubeadm's default: {found:?}"
        );
    }
    for broken in [
        "1.2.1", "1.2.5", "1.2.15", "1.2.16", "1.2.27", "1.2.29", "1.2.30", "1.3.1", "1.3.2",
        "1.4.1", "3.2.1",
    ] {
        assert!(found.contains(broken), "{broken}: {found:?}");
    }
    // An extraArgs entry replaces kubeadm's flag of the same name.
    let replaced =
        kubeadm(json!([{"name": "enable-admission-plugins", "value": "AlwaysPullImages"}]));
    assert!(cis_ids(&replaced).contains("1.2.14"));
    // v1beta3's map of extraArgs, and findings at the entry's path.
    let v1beta3 = json!({"apiVersion": "kubeadm.k8s.io/v1beta3", "kind": "ClusterConfiguration",
        "apiServer": {"extraArgs": {"anonymous-auth": "true"}}});
    let loaded = load_text("in.json", &v1beta3.to_string());
    let anonymous = check::run(&loaded.objects)
        .into_iter()
        .find(|f| f.cis == Some("1.2.1"))
        .unwrap();
    assert_eq!(anonymous.path, "apiServer.extraArgs.anonymous-auth");
    // External etcd is configured elsewhere: its own checks do not apply here.
    let external = json!({"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration",
        "etcd": {"external": {"endpoints": ["https://etcd:2379"], "caFile": "/ca.crt", "certFile": "/c.crt", "keyFile": "/c.key"}}});
    let found = cis_ids(&external);
    assert!(!found.iter().any(|id| id.starts_with("2.")), "{found:?}");
    assert!(
        !found.contains("1.2.23") && !found.contains("1.2.26"),
        "{found:?}"
    );
}

#[test]
fn encryption_configurations_need_a_strong_first_provider_and_keys_of_the_right_length() {
    let secretbox = json!({"secretbox": {"keys": [{"name": "k1", "secret": KEY_32}]}});
    let kms =
        json!({"kms": {"apiVersion": "v2", "name": "vault", "endpoint": "unix:///run/kms.sock"}});
    for good in [
        json!([secretbox, {"identity": {}}]),
        json!([kms, secretbox]),
    ] {
        assert_eq!(
            findings(&encryption(good.clone())),
            Vec::<(String, String)>::new(),
            "{good}"
        );
    }
    let cases: &[(Value, &str)] = &[
        (json!([{"identity": {}}, secretbox]), "KW-CP-016"),
        (
            json!([{"aescbc": {"keys": [{"name": "k", "secret": KEY_32}]}}]),
            "KW-CP-016",
        ),
        (
            json!([{"aesgcm": {"keys": [{"name": "k", "secret": KEY_32}]}}]),
            "KW-CP-016",
        ),
        (
            json!([{"kms": {"name": "old", "endpoint": "unix:///run/kms.sock"}}]),
            "KW-CP-016",
        ),
        (
            json!([{"secretbox": {"keys": [{"name": "k", "secret": "MDEyMzQ1Njc4OWFiY2RlZg=="}]}}]),
            "KW-CP-017",
        ),
        (
            json!([{"secretbox": {"keys": [{"name": "k", "secret": "not base64!"}]}}]),
            "KW-CP-017",
        ),
        (
            json!([{"aescbc": {"keys": [{"name": "k", "secret": "c2hvcnQ="}]}}, {"identity": {}}]),
            "KW-CP-017",
        ),
    ];
    for (providers, rule) in cases {
        let value = encryption(providers.clone());
        assert!(
            rules(&value).contains(*rule),
            "{providers}: {:?}",
            findings(&value)
        );
        assert!(findings(&value).iter().all(|(_, cis)| cis == "1.2.28"));
    }
    let elsewhere = json!({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
        "resources": [{"resources": ["configmaps"], "providers": [secretbox]}]});
    assert!(
        rules(&elsewhere).contains("KW-CP-016"),
        "Secrets not named: plaintext"
    );
    let all = json!({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
        "resources": [{"resources": ["*.*"], "providers": [kms]}]});
    assert!(findings(&all).is_empty());
}

#[test]
fn audit_policies_log_secrets_at_metadata_and_every_secret_request() {
    let metadata_first = json!([
        {"level": "Metadata", "resources": [{"group": "", "resources": ["secrets", "configmaps", "serviceaccounts/token"]},
                                            {"group": "authentication.k8s.io", "resources": ["tokenreviews"]}]},
        {"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"], "resources": [{"group": "", "resources": ["endpoints"]}]},
        {"level": "RequestResponse"},
    ]);
    assert!(findings(&audit_policy(metadata_first)).is_empty());
    let cases: &[(Value, &[&str])] = &[
        (json!([{"level": "RequestResponse"}]), &["KW-CP-018"]),
        (
            json!([{"level": "Request", "resources": [{"group": "", "resources": ["secrets"]}]}]),
            &["KW-CP-018"],
        ),
        (
            json!([{"level": "Metadata", "resources": [{"group": "", "resources": ["secrets"]}]}, {"level": "Request"}]),
            &["KW-CP-018"],
        ),
        (
            json!([{"level": "Metadata", "namespaces": ["prod"], "resources": [{"group": "", "resources": ["secrets"]}]}, {"level": "RequestResponse"}]),
            &["KW-CP-018"],
        ),
        (
            json!([{"level": "RequestResponse", "resources": [{"group": "", "resources": ["serviceaccounts/*"]}]}, {"level": "Metadata"}]),
            &["KW-CP-018"],
        ),
        (
            json!([{"level": "Request", "resources": [{"group": "authentication.k8s.io"}]}, {"level": "Metadata"}]),
            &["KW-CP-018"],
        ),
        (json!([]), &["KW-CP-019"]),
        (json!([{"level": "None"}]), &["KW-CP-019"]),
        (
            json!([{"level": "Metadata", "nonResourceURLs": ["/api*"]}]),
            &["KW-CP-019"],
        ),
        (
            json!([{"level": "None", "userGroups": ["system:nodes"], "resources": [{"group": "", "resources": ["*"]}]}, {"level": "Metadata"}]),
            &["KW-CP-019"],
        ),
        (
            json!([{"level": "Metadata", "resources": [{"group": "", "resources": ["secrets"], "resourceNames": ["one"]}]}]),
            &["KW-CP-019"],
        ),
    ];
    for (rules_list, expected) in cases {
        let found = rules(&audit_policy(rules_list.clone()));
        assert_eq!(found, ids(expected), "{rules_list}");
    }
    // A rule narrowed to some namespaces (users, verbs, names) covers only some requests: the
    // rules after it still judge the others.
    for narrowing in [
        json!({"namespaces": ["prod"]}),
        json!({"users": ["alice"]}),
        json!({"verbs": ["get"]}),
        json!({"resourceNames": ["one"]}),
    ] {
        let mut secrets = json!({"group": "", "resources": ["secrets"]});
        let mut first = json!({"level": "Metadata"});
        match narrowing.get("resourceNames") {
            Some(names) => secrets["resourceNames"] = names.clone(),
            None => first
                .as_object_mut()
                .unwrap()
                .extend(narrowing.as_object().unwrap().clone()),
        }
        first["resources"] = json!([secrets]);
        let policy = audit_policy(json!([first, {"level": "RequestResponse"}]));
        let loaded = load_text("in.json", &policy.to_string());
        let about_secrets = check::run(&loaded.objects)
            .iter()
            .filter(|f| f.rule.id == "KW-CP-018" && f.message.starts_with("Secrets requests"))
            .count();
        assert_eq!(about_secrets, 1, "{narrowing}");
    }
    // Rules for other kinds or for non-resource URLs do not match Secret requests.
    let unrelated = json!([
        {"level": "RequestResponse", "resources": [{"group": "", "resources": ["pods", "secrets/status"]}]},
        {"level": "RequestResponse", "nonResourceURLs": ["/version"]},
        {"level": "Metadata"},
    ]);
    assert!(findings(&audit_policy(unrelated)).is_empty());
}

#[test]
fn pod_security_must_be_enforced_by_default() {
    for good in ["restricted", "baseline"] {
        assert!(findings(&admission(good)).is_empty());
    }
    assert_eq!(rules(&admission("privileged")), ids(&["KW-CP-020"]));
    let none = json!({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration",
        "plugins": [{"name": "EventRateLimit", "path": "/etc/erl.yaml"}]});
    assert_eq!(rules(&none), ids(&["KW-CP-020"]));
    let in_a_file = json!({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration",
        "plugins": [{"name": "PodSecurity", "path": "/etc/pss.yaml"}]});
    assert!(
        findings(&in_a_file).is_empty(),
        "a configuration in another file is not read"
    );
}

#[test]
fn old_kubernetes_minors_are_reported_wherever_the_version_is_written() {
    let old_pod = static_pod(
        "kube-apiserver",
        &API_SERVER.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
        "v1.34.2",
    );
    assert_eq!(rules(&old_pod), ids(&["KW-CP-021"]));
    let old_etcd = static_pod(
        "etcd",
        &common::control_plane::ETCD
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>(),
        "3.5.21-0",
    );
    assert!(
        findings(&old_etcd).is_empty(),
        "etcd's version is etcd's own"
    );
    let old_kubeadm = json!({"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration", "kubernetesVersion": "v1.33.0"});
    assert!(rules(&old_kubeadm).contains("KW-CP-021"));
    let run = common::run::run_in(
        common::root(),
        [
            "check",
            "--format",
            "json",
            "--kubernetes-version",
            "1.34.2",
        ],
    );
    assert_eq!(run.code, Some(1));
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["ruleId"], "KW-CP-021");
    assert_eq!(finding["file"], "--kubernetes-version");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("1.37, 1.36, 1.35")
    );
    let supported =
        common::run::run_in(common::root(), ["check", "--kubernetes-version", "1.35.4"]);
    assert_eq!(supported.code, Some(0), "{}", supported.stdout);
}

#[test]
fn findings_carry_the_cis_id_in_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# a kubeadm static Pod\n".to_string()
        + &serde_saphyr::to_string(&pod_with("kube-apiserver", |f| {
            set(f, "--anonymous-auth", "true")
        }))
        .unwrap();
    common::write(&dir.path().join("kube-apiserver.yaml"), &text);
    let line = text
        .lines()
        .position(|l| l.contains("--anonymous-auth=true"))
        .unwrap()
        + 1;
    let json_run = common::run::run_in(
        dir.path(),
        ["check", "--format", "json", "kube-apiserver.yaml"],
    );
    let report: Value = serde_json::from_str(&json_run.stdout).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "KW-CP-001")
        .unwrap();
    assert_eq!(finding["properties"], json!({"cis": "1.2.1"}));
    assert_eq!(finding["line"], line);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("CIS 1.2.1 wants --anonymous-auth=false")
    );
    let others: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["ruleId"] == "KW-SEC-001")
        .collect();
    assert!(others.iter().all(|f| f["properties"] == json!({})));
    let sarif_run = common::run::run_in(
        dir.path(),
        ["check", "--format", "sarif", "kube-apiserver.yaml"],
    );
    let sarif: Value = serde_json::from_str(&sarif_run.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "KW-CP-001")
        .unwrap();
    assert_eq!(result["properties"], json!({"cis": "1.2.1"}));
    let rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "KW-CP-001")
        .unwrap();
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("`1.2.1`")
    );
}
