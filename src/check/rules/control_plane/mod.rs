//! The rules of the control plane (KW-CP): the API server's, controller manager's,
//! scheduler's and etcd's flags as the CIS Kubernetes Benchmark checks them (`cis`, read by
//! `command_line` from static Pods and kubeadm's `ClusterConfiguration`), the encryption of
//! Secrets at rest (`encryption`), the audit policy (`audit`), Pod Security by default
//! (`admission`) and a supported Kubernetes minor (`version`). Every finding of a
//! benchmark check carries its CIS id.

mod admission;
mod audit;
pub mod cis;
pub mod command_line;
mod encryption;
mod version;

use super::common::NONE;
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Rule, Scanners, Severity};

/// The objects that hold control-plane flags.
const FLAG_HOLDERS: Applies = Applies::Kinds(&[Kind::Pod, Kind::ClusterConfiguration]);

/// A rule judging flags with `$fn`, and the kube-bench ids of the checks it runs (kept
/// equal to them by a test).
macro_rules! flag_rule {
    ($id:literal, $severity:ident, [$($cis:literal),+], $fn:ident, $title:literal, $explanation:literal) => {
        Rule {
            id: $id,
            severity: Severity::$severity,
            title: $title,
            explanation: $explanation,
            rubric: &[39],
            scanners: Scanners {
                kube_bench: &[$($cis),+],
                ..NONE
            },
            applies: FLAG_HOLDERS,
            check: $fn,
        }
    };
}

pub static RULES: &[Rule] = &[
    flag_rule!(
        "KW-CP-001",
        Error,
        ["1.2.1"],
        anonymous,
        "The API server refuses anonymous requests (`--anonymous-auth=false`)",
        "With anonymous authentication on, a request without credentials is served as \
`system:anonymous`: whatever RBAC grants it, or `system:unauthenticated`, is open to anyone \
who reaches the port. Set `--anonymous-auth=false`. The kubelet's HTTPS probes of the API \
server then need credentials: probe the port over TCP instead (`kubeward cluster` renders the \
kubeadm patch), and join nodes with file discovery, since token discovery reads \
`kube-public/cluster-info` anonymously."
    ),
    flag_rule!(
        "KW-CP-002",
        Error,
        ["1.2.2"],
        token_file,
        "The API server reads no static token file (`--token-auth-file`)",
        "Static tokens sit in a plain file on the node, never expire, and are revoked only by \
editing the file and restarting the API server. Remove `--token-auth-file`; authenticate \
people with OIDC or client certificates and workloads with service account tokens."
    ),
    flag_rule!(
        "KW-CP-003",
        Error,
        ["1.2.6", "1.2.7", "1.2.8"],
        authorization,
        "The API server authorizes with Node and RBAC, never AlwaysAllow",
        "Without `--authorization-mode` the API server allows every authenticated request. Set \
`--authorization-mode=Node,RBAC`: the Node authorizer limits each kubelet to its own pods' \
objects, RBAC grants each account what its Roles say."
    ),
    flag_rule!(
        "KW-CP-004",
        Warning,
        [
            "1.2.3", "1.2.9", "1.2.10", "1.2.11", "1.2.12", "1.2.13", "1.2.14"
        ],
        admission,
        "The API server admits with NodeRestriction, AlwaysPullImages, DenyServiceExternalIPs and EventRateLimit",
        "`--enable-admission-plugins` replaces the plugins kubeadm enables: list \
`NodeRestriction` (a kubelet changes only its own Node and pods), `AlwaysPullImages` (a pod \
cannot run a private image another tenant pulled onto the node), `DenyServiceExternalIPs` \
(CVE-2020-8554) and `EventRateLimit` (with its limits in `--admission-control-config-file`); \
never `AlwaysAdmit`, and never disable `ServiceAccount` or `NamespaceLifecycle`."
    ),
    flag_rule!(
        "KW-CP-005",
        Warning,
        ["1.2.4", "1.2.5"],
        kubelet_tls,
        "The API server authenticates to kubelets and verifies their certificates",
        "The API server reaches every kubelet for logs, exec, attach and port-forward. Give it \
a client certificate (`--kubelet-client-certificate`, `--kubelet-client-key`) and the CA of \
the kubelets' serving certificates (`--kubelet-certificate-authority`). kubeadm's kubelets \
serve self-signed certificates unless `serverTLSBootstrap: true` has them signed by the \
cluster CA (approve their CSRs): do that first, or logs and exec fail."
    ),
    flag_rule!(
        "KW-CP-006",
        Warning,
        ["1.2.15"],
        api_profiling,
        "The API server serves no profiling endpoints (`--profiling=false`)",
        "`/debug/pprof` reveals the program's internals and costs CPU on demand. Set \
`--profiling=false`."
    ),
    flag_rule!(
        "KW-CP-007",
        Warning,
        ["1.2.16", "1.2.17", "1.2.18", "1.2.19", "3.2.1"],
        audit_log,
        "The API server keeps an audit log under a policy, with 30 days, 10 files and 100 MB of history",
        "Set `--audit-policy-file`, `--audit-log-path`, `--audit-log-maxage=30` (or more), \
`--audit-log-maxbackup=10` and `--audit-log-maxsize=100`: an incident is often found weeks \
after it happened, and only the log says who did what."
    ),
    flag_rule!(
        "KW-CP-008",
        Warning,
        ["1.2.21", "1.2.22", "1.2.30"],
        service_accounts,
        "Service account tokens are verified, looked up, and not extended",
        "Set `--service-account-key-file`, keep `--service-account-lookup` on (a deleted \
account's tokens stop working) and set `--service-account-extend-token-expiration=false`: \
otherwise a projected token stays valid for a year, whatever expiry the pod asked for."
    ),
    flag_rule!(
        "KW-CP-009",
        Error,
        ["1.2.23", "1.2.24", "1.2.25", "1.2.26"],
        serving_tls,
        "The API server serves TLS, checks client certificates, and talks to etcd over mutual TLS",
        "Set `--tls-cert-file`, `--tls-private-key-file` and `--client-ca-file`, and for etcd \
`--etcd-certfile`, `--etcd-keyfile` and `--etcd-cafile`: etcd holds every Secret, and its \
clients must prove who they are."
    ),
    flag_rule!(
        "KW-CP-010",
        Warning,
        ["1.2.29"],
        ciphers,
        "The API server offers only strong cipher suites",
        "Set `--tls-cipher-suites` to AEAD suites with forward secrecy, e.g. \
`TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,\
TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,\
TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256` \
(TLS 1.3 suites are always on). CBC, RC4, 3DES and static-RSA suites are broken or lack \
forward secrecy."
    ),
    flag_rule!(
        "KW-CP-011",
        Error,
        ["1.2.27"],
        encryption_config,
        "The API server encrypts Secrets at rest (`--encryption-provider-config`)",
        "Without an encryption configuration the API server writes Secrets to etcd in \
plaintext: an etcd backup or a stolen disk holds every password and key of the cluster. Set \
`--encryption-provider-config` to an `EncryptionConfiguration` whose first provider for \
`secrets` is `kms` (v2) or `secretbox`."
    ),
    flag_rule!(
        "KW-CP-012",
        Warning,
        [
            "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.3.6", "1.3.7"
        ],
        controller_manager,
        "The controller manager runs as the benchmark says",
        "Set `--terminated-pod-gc-threshold`, `--profiling=false`, \
`--use-service-account-credentials=true`, `--service-account-private-key-file`, \
`--root-ca-file`, keep `RotateKubeletServerCertificate` on and bind to `127.0.0.1`."
    ),
    flag_rule!(
        "KW-CP-013",
        Warning,
        ["1.4.1", "1.4.2"],
        scheduler,
        "The scheduler serves no profiling and binds to localhost",
        "The scheduler's `/debug/pprof` reveals the program's internals, and its endpoints \
need not be reachable from the network: set `--profiling=false` and keep \
`--bind-address=127.0.0.1` (kubeadm's default)."
    ),
    flag_rule!(
        "KW-CP-014",
        Error,
        ["2.1", "2.2", "2.3", "2.7"],
        etcd_clients,
        "etcd serves its clients over TLS and admits only certificates of its own CA",
        "etcd holds every Secret. Set `--cert-file` and `--key-file`, \
`--client-cert-auth=true` and `--trusted-ca-file` (a CA of etcd's own, not the cluster's), \
and never `--auto-tls=true`, whose self-signed certificates nobody verifies."
    ),
    flag_rule!(
        "KW-CP-015",
        Error,
        ["2.4", "2.5", "2.6"],
        etcd_peers,
        "etcd members talk to each other over mutual TLS",
        "Set `--peer-cert-file`, `--peer-key-file` and `--peer-client-cert-auth=true`, and \
never `--peer-auto-tls=true`: otherwise anyone who reaches the peer port joins the cluster \
and receives its data."
    ),
    Rule {
        id: "KW-CP-016",
        severity: Severity::Error,
        title: "Secrets are encrypted at rest with a strong first provider",
        explanation: "The first provider of the `EncryptionConfiguration` entry for `secrets` \
writes every Secret. `identity` writes plaintext; `aescbc` is rated weak by the Kubernetes \
documentation (CBC padding oracles); `aesgcm` is safe only with a rotation every 200,000 \
writes; KMS v1 is deprecated. Put `kms` with `apiVersion: v2` (keys held by a KMS outside the \
node) or `secretbox` first, and `identity` last only while existing Secrets are rewritten.",
        rubric: &[39],
        scanners: Scanners {
            kube_bench: &["1.2.28"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::EncryptionConfiguration]),
        check: encryption::strong_first_provider,
    },
    Rule {
        id: "KW-CP-017",
        severity: Severity::Error,
        title: "Encryption keys have the length their provider takes",
        explanation: "The API server refuses to start with a key that is not base64 or has the \
wrong length: `secretbox` takes 32 bytes, `aescbc` and `aesgcm` 16, 24 or 32. Generate one with \
`head -c 32 /dev/urandom | base64`.",
        rubric: &[39],
        scanners: Scanners {
            kube_bench: &["1.2.28"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::EncryptionConfiguration]),
        check: encryption::key_lengths,
    },
    Rule {
        id: "KW-CP-018",
        severity: Severity::Error,
        title: "The audit policy logs Secrets, ConfigMaps and tokens at Metadata only",
        explanation: "At level `Request` or `RequestResponse` the audit log holds the bodies of \
the requests: the values of Secrets and ConfigMaps, the tokens of TokenRequests \
(`serviceaccounts/token`) and TokenReviews. Whoever reads the log reads them. Log these at \
`Metadata` (who, what, when) in a rule placed before any broader one.",
        rubric: &[39],
        scanners: Scanners {
            kube_bench: &["3.2.2"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::AuditPolicy]),
        check: audit::metadata_only,
    },
    Rule {
        id: "KW-CP-019",
        severity: Severity::Warning,
        title: "The audit policy records every Secret request",
        explanation: "The first rule that matches a request sets its level, and a request no \
rule matches is not logged. A rule matching every Secret request at `Metadata` must come \
before any `None` rule that could match some (a noise filter for a system user drops that \
user's Secret reads too).",
        rubric: &[39],
        scanners: Scanners {
            kube_bench: &["3.2.2"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::AuditPolicy]),
        check: audit::secrets_logged,
    },
    Rule {
        id: "KW-CP-020",
        severity: Severity::Warning,
        title: "Pod Security is enforced for every namespace by default",
        explanation: "Namespaces enforce Pod Security only when labelled, unless the \
`PodSecurity` admission plugin's defaults say otherwise: a namespace created without labels \
admits privileged pods, host namespaces and host paths. In the `AdmissionConfiguration`, set \
the plugin's `defaults.enforce: restricted` with a pinned `enforce-version`, and exempt only \
the namespaces that need more (usually `kube-system`).",
        rubric: &[39],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::AdmissionConfiguration]),
        check: admission::pod_security_enforced,
    },
    Rule {
        id: "KW-CP-021",
        severity: Severity::Warning,
        title: "The cluster runs a Kubernetes minor upstream still supports",
        explanation: "Upstream patches the three newest minors; an older one gets no security \
fixes. The version is read from `kubeward check --kubernetes-version`, a kubeadm \
`ClusterConfiguration`'s `kubernetesVersion` or the image tag of a control-plane static Pod, \
and judged against the release table built into kubeward (its date is in `kubeward \
--version`). Upgrade one minor at a time.",
        rubric: &[39],
        scanners: NONE,
        applies: Applies::Kinds(&[
            Kind::KubernetesVersion,
            Kind::ClusterConfiguration,
            Kind::Pod,
        ]),
        check: version::supported_minor,
    },
];

/// One rule function per group of flag checks.
macro_rules! flag_checks {
    ($($name:ident => $checks:ident),* $(,)?) => {
        $(fn $name(_: &Index, object: &Object, hits: &mut Hits) {
            cis::judge(object, hits, cis::$checks);
        })*
    };
}

flag_checks!(
    anonymous => ANONYMOUS,
    token_file => TOKEN_FILE,
    authorization => AUTHORIZATION,
    admission => ADMISSION,
    kubelet_tls => KUBELET_TLS,
    api_profiling => API_PROFILING,
    audit_log => AUDIT_LOG,
    service_accounts => SERVICE_ACCOUNTS,
    serving_tls => SERVING_TLS,
    ciphers => CIPHERS,
    encryption_config => ENCRYPTION_CONFIG,
    controller_manager => CONTROLLER_MANAGER,
    scheduler => SCHEDULER,
    etcd_clients => ETCD_CLIENTS,
    etcd_peers => ETCD_PEERS,
);

#[cfg(test)]
mod tests {
    use super::*;
    use cis::CisCheck;

    /// Each flag rule lists in its kube-bench ids exactly the CIS ids of the checks it runs.
    #[test]
    fn the_rules_name_the_cis_ids_of_their_checks() {
        let pairs: &[(&str, &[CisCheck])] = &[
            ("KW-CP-001", cis::ANONYMOUS),
            ("KW-CP-002", cis::TOKEN_FILE),
            ("KW-CP-003", cis::AUTHORIZATION),
            ("KW-CP-004", cis::ADMISSION),
            ("KW-CP-005", cis::KUBELET_TLS),
            ("KW-CP-006", cis::API_PROFILING),
            ("KW-CP-007", cis::AUDIT_LOG),
            ("KW-CP-008", cis::SERVICE_ACCOUNTS),
            ("KW-CP-009", cis::SERVING_TLS),
            ("KW-CP-010", cis::CIPHERS),
            ("KW-CP-011", cis::ENCRYPTION_CONFIG),
            ("KW-CP-012", cis::CONTROLLER_MANAGER),
            ("KW-CP-013", cis::SCHEDULER),
            ("KW-CP-014", cis::ETCD_CLIENTS),
            ("KW-CP-015", cis::ETCD_PEERS),
        ];
        assert_eq!(pairs.len(), cis::ALL.len());
        for (id, checks) in pairs {
            let rule = RULES.iter().find(|r| r.id == *id).unwrap();
            let mut ids: Vec<&str> = checks.iter().map(|c| c.cis).collect();
            ids.dedup();
            assert_eq!(rule.scanners.kube_bench, ids.as_slice(), "{id}");
            assert!(
                cis::ALL.iter().any(|all| std::ptr::eq(*all, *checks)),
                "{id}"
            );
        }
    }
}
