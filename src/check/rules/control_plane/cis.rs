//! The CIS Kubernetes Benchmark's flag checks for the control plane (v1.12, as kube-bench's
//! `cfg/cis-1.12` tests them): which flag of which component each judges and what must
//! hold, and the judge that turns a broken check into a finding carrying its CIS id.

use super::command_line::{CommandLine, Component, command_lines};
use crate::check::Hits;
use crate::check::object::Object;

/// What must hold of one flag.
#[derive(Debug, Clone, Copy)]
pub enum Test {
    /// Set, to anything.
    Set(&'static str),
    /// Not set at all.
    Unset(&'static str),
    /// Set to this value (`true` and `false` compared without case, as kube-bench does).
    Equals(&'static str, &'static str),
    /// Not set, or set to this value.
    UnsetOrEquals(&'static str, &'static str),
    /// Set, to anything but this value.
    NotEquals(&'static str, &'static str),
    /// Set to a comma-separated list that holds this item.
    Includes(&'static str, &'static str),
    /// Not set, or set to a list without this item.
    Excludes(&'static str, &'static str),
    /// Set to a whole number at least this.
    AtLeast(&'static str, u64),
    /// Set to a list whose every item is one of these.
    OnlyFrom(&'static str, &'static [&'static str]),
}

/// One check of the benchmark on one component's flags.
#[derive(Debug, Clone, Copy)]
pub struct CisCheck {
    pub cis: &'static str,
    pub component: Component,
    pub test: Test,
    /// Why it matters: the end of the finding's message.
    pub why: &'static str,
}

/// The cipher suites CIS 1.2.29 accepts: AEAD suites with forward secrecy (and TLS 1.3's).
pub const STRONG_CIPHERS: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

impl Test {
    fn flag(self) -> &'static str {
        match self {
            Test::Set(f)
            | Test::Unset(f)
            | Test::Equals(f, _)
            | Test::UnsetOrEquals(f, _)
            | Test::NotEquals(f, _)
            | Test::Includes(f, _)
            | Test::Excludes(f, _)
            | Test::AtLeast(f, _)
            | Test::OnlyFrom(f, _) => f,
        }
    }

    /// What the check wants, for people.
    fn wanted(self) -> String {
        match self {
            Test::Set(f) => format!("--{f} set"),
            Test::Unset(f) => format!("no --{f}"),
            Test::Equals(f, v) => format!("--{f}={v}"),
            Test::UnsetOrEquals(f, v) => format!("--{f}={v} (or no --{f})"),
            Test::NotEquals(f, v) => format!("--{f} set, not to {v}"),
            Test::Includes(f, v) => format!("{v} in --{f}"),
            Test::Excludes(f, v) => format!("no {v} in --{f}"),
            Test::AtLeast(f, n) => format!("--{f} of at least {n}"),
            Test::OnlyFrom(f, _) => format!("--{f} naming only the strong suites of the benchmark"),
        }
    }

    /// Why the test fails on `line`, or `None` when it holds.
    fn failure(self, line: &CommandLine) -> Option<String> {
        let flag = self.flag();
        let given = line.get(flag);
        let shown = |value: &str| format!("--{flag}={value}");
        let missing = || Some(format!("--{flag} is not set"));
        match self {
            Test::Set(_) => given.map_or_else(missing, |_| None),
            Test::Unset(_) => given.map(|f| format!("{} is set", shown(&f.value))),
            Test::Equals(_, want) => match given {
                None => missing(),
                Some(f) => (!same(&f.value, want)).then(|| shown(&f.value)),
            },
            Test::UnsetOrEquals(_, want) => {
                given.and_then(|f| (!same(&f.value, want)).then(|| shown(&f.value)))
            }
            Test::NotEquals(_, unwanted) => match given {
                None => missing(),
                Some(f) => same(&f.value, unwanted).then(|| shown(&f.value)),
            },
            Test::Includes(_, item) => match given {
                None => missing(),
                Some(_) => (!line.items(flag).iter().any(|(i, _)| i == item))
                    .then(|| format!("--{flag} lacks {item}")),
            },
            Test::Excludes(_, item) => line
                .items(flag)
                .iter()
                .any(|(i, _)| i == item)
                .then(|| format!("--{flag} includes {item}")),
            Test::AtLeast(_, least) => match given {
                None => missing(),
                Some(f) => match f.value.trim().parse::<u64>() {
                    Ok(n) if n >= least => None,
                    _ => Some(shown(&f.value)),
                },
            },
            Test::OnlyFrom(_, allowed) => match given {
                None => missing(),
                Some(_) => {
                    let weak: Vec<String> = line
                        .items(flag)
                        .into_iter()
                        .map(|(item, _)| item)
                        .filter(|item| !allowed.contains(&item.as_str()))
                        .collect();
                    (!weak.is_empty()).then(|| format!("--{flag} includes {}", weak.join(", ")))
                }
            },
        }
    }

    /// Where the finding points: the flag (its last occurrence, or the one holding the
    /// item), else where it would be written.
    fn path(self, line: &CommandLine) -> String {
        let flag = self.flag();
        let holding = match self {
            Test::Excludes(_, item) => line
                .items(flag)
                .into_iter()
                .find(|(i, _)| i == item)
                .map(|(_, f)| f),
            _ => line.get(flag),
        };
        holding
            .and_then(|f| f.path.clone())
            .unwrap_or_else(|| line.anchor.clone())
    }
}

/// `true`/`false` without case, as kube-bench compares them; anything else exactly.
fn same(value: &str, want: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower == "true" || lower == "false" {
        lower == want
    } else {
        value == want
    }
}

/// Judges `object` (a static Pod or a kubeadm `ClusterConfiguration`) by `checks`: one hit
/// per broken check, carrying its CIS id.
pub fn judge(object: &Object, hits: &mut Hits, checks: &[CisCheck]) {
    for line in command_lines(object) {
        for check in checks.iter().filter(|c| c.component == line.component) {
            if let Some(found) = check.test.failure(&line) {
                hits.add_cis(
                    check.cis,
                    check.test.path(&line),
                    format!(
                        "{}: {found}; CIS {} wants {}: {}",
                        line.component.binary(),
                        check.cis,
                        check.test.wanted(),
                        check.why
                    ),
                );
            }
        }
    }
}

use Component::{ApiServer, ControllerManager, Etcd, Scheduler};

const fn check(cis: &'static str, component: Component, test: Test, why: &'static str) -> CisCheck {
    CisCheck {
        cis,
        component,
        test,
        why,
    }
}

pub const ANONYMOUS: &[CisCheck] = &[check(
    "1.2.1",
    ApiServer,
    Test::Equals("anonymous-auth", "false"),
    "a request without credentials is served as system:anonymous, and every permission granted to it or to system:unauthenticated is open to the network",
)];

pub const TOKEN_FILE: &[CisCheck] = &[check(
    "1.2.2",
    ApiServer,
    Test::Unset("token-auth-file"),
    "static tokens live in a plain file, never expire and change only with a restart",
)];

pub const AUTHORIZATION: &[CisCheck] = &[
    check(
        "1.2.6",
        ApiServer,
        Test::Excludes("authorization-mode", "AlwaysAllow"),
        "AlwaysAllow grants every request of every authenticated user",
    ),
    check(
        "1.2.6",
        ApiServer,
        Test::Set("authorization-mode"),
        "without it the API server authorizes with AlwaysAllow",
    ),
    check(
        "1.2.7",
        ApiServer,
        Test::Includes("authorization-mode", "Node"),
        "the Node authorizer limits each kubelet to the objects of its own pods",
    ),
    check(
        "1.2.8",
        ApiServer,
        Test::Includes("authorization-mode", "RBAC"),
        "RBAC grants each account only what its Roles say",
    ),
];

pub const ADMISSION: &[CisCheck] = &[
    check(
        "1.2.3",
        ApiServer,
        Test::Includes("enable-admission-plugins", "DenyServiceExternalIPs"),
        "Service externalIPs let anyone who may create a Service intercept traffic to any address (CVE-2020-8554)",
    ),
    check(
        "1.2.9",
        ApiServer,
        Test::Includes("enable-admission-plugins", "EventRateLimit"),
        "without it a flood of Events can overwhelm the API server and etcd",
    ),
    check(
        "1.2.10",
        ApiServer,
        Test::Excludes("enable-admission-plugins", "AlwaysAdmit"),
        "AlwaysAdmit turns admission control off",
    ),
    check(
        "1.2.11",
        ApiServer,
        Test::Includes("enable-admission-plugins", "AlwaysPullImages"),
        "without it a pod may run a private image another tenant pulled onto the node, without the credentials to pull it",
    ),
    check(
        "1.2.12",
        ApiServer,
        Test::Excludes("disable-admission-plugins", "ServiceAccount"),
        "the ServiceAccount plugin gives every pod an account and checks the one it names",
    ),
    check(
        "1.2.13",
        ApiServer,
        Test::Excludes("disable-admission-plugins", "NamespaceLifecycle"),
        "NamespaceLifecycle refuses objects in namespaces being deleted or not existing",
    ),
    check(
        "1.2.14",
        ApiServer,
        Test::Includes("enable-admission-plugins", "NodeRestriction"),
        "NodeRestriction keeps a kubelet from changing other nodes and their pods, or its own labels that steer workloads",
    ),
];

pub const KUBELET_TLS: &[CisCheck] = &[
    check(
        "1.2.4",
        ApiServer,
        Test::Set("kubelet-client-certificate"),
        "the kubelet authenticates the API server by this certificate",
    ),
    check(
        "1.2.4",
        ApiServer,
        Test::Set("kubelet-client-key"),
        "the kubelet authenticates the API server by this certificate",
    ),
    check(
        "1.2.5",
        ApiServer,
        Test::Set("kubelet-certificate-authority"),
        "without it the API server does not verify the kubelet's serving certificate: logs, exec and port-forward can be intercepted",
    ),
];

pub const API_PROFILING: &[CisCheck] = &[check(
    "1.2.15",
    ApiServer,
    Test::Equals("profiling", "false"),
    "the profiling endpoints reveal the program's internals and cost resources",
)];

pub const AUDIT_LOG: &[CisCheck] = &[
    check(
        "1.2.16",
        ApiServer,
        Test::Set("audit-log-path"),
        "without an audit log nobody can tell who did what",
    ),
    check(
        "1.2.17",
        ApiServer,
        Test::AtLeast("audit-log-maxage", 30),
        "an incident is often found weeks later",
    ),
    check(
        "1.2.18",
        ApiServer,
        Test::AtLeast("audit-log-maxbackup", 10),
        "too few rotated files drop the history",
    ),
    check(
        "1.2.19",
        ApiServer,
        Test::AtLeast("audit-log-maxsize", 100),
        "small files rotate the history away",
    ),
    check(
        "3.2.1",
        ApiServer,
        Test::Set("audit-policy-file"),
        "without a policy the API server audits nothing",
    ),
];

pub const SERVICE_ACCOUNTS: &[CisCheck] = &[
    check(
        "1.2.21",
        ApiServer,
        Test::UnsetOrEquals("service-account-lookup", "true"),
        "without the lookup a deleted account's tokens stay valid",
    ),
    check(
        "1.2.22",
        ApiServer,
        Test::Set("service-account-key-file"),
        "the key that verifies service account tokens",
    ),
    check(
        "1.2.30",
        ApiServer,
        Test::Equals("service-account-extend-token-expiration", "false"),
        "extended tokens stay valid for a year whatever expiry the pod asked for",
    ),
];

pub const SERVING_TLS: &[CisCheck] = &[
    check(
        "1.2.23",
        ApiServer,
        Test::Set("etcd-certfile"),
        "etcd authenticates the API server by this client certificate",
    ),
    check(
        "1.2.23",
        ApiServer,
        Test::Set("etcd-keyfile"),
        "etcd authenticates the API server by this client certificate",
    ),
    check(
        "1.2.24",
        ApiServer,
        Test::Set("tls-cert-file"),
        "the API server's own serving certificate",
    ),
    check(
        "1.2.24",
        ApiServer,
        Test::Set("tls-private-key-file"),
        "the API server's own serving certificate",
    ),
    check(
        "1.2.25",
        ApiServer,
        Test::Set("client-ca-file"),
        "the CA whose client certificates the API server accepts",
    ),
    check(
        "1.2.26",
        ApiServer,
        Test::Set("etcd-cafile"),
        "without it the API server does not verify etcd's certificate",
    ),
];

pub const CIPHERS: &[CisCheck] = &[check(
    "1.2.29",
    ApiServer,
    Test::OnlyFrom("tls-cipher-suites", STRONG_CIPHERS),
    "CBC, RC4, 3DES and static-RSA suites are broken or lack forward secrecy",
)];

pub const ENCRYPTION_CONFIG: &[CisCheck] = &[check(
    "1.2.27",
    ApiServer,
    Test::Set("encryption-provider-config"),
    "without it Secrets are stored in etcd in plaintext",
)];

pub const CONTROLLER_MANAGER: &[CisCheck] = &[
    check(
        "1.3.1",
        ControllerManager,
        Test::Set("terminated-pod-gc-threshold"),
        "terminated pods pile up until the default of 12500",
    ),
    check(
        "1.3.2",
        ControllerManager,
        Test::Equals("profiling", "false"),
        "the profiling endpoints reveal the program's internals",
    ),
    check(
        "1.3.3",
        ControllerManager,
        Test::NotEquals("use-service-account-credentials", "false"),
        "each controller then runs with its own account, not with the manager's wide one",
    ),
    check(
        "1.3.4",
        ControllerManager,
        Test::Set("service-account-private-key-file"),
        "the key that signs service account tokens",
    ),
    check(
        "1.3.5",
        ControllerManager,
        Test::Set("root-ca-file"),
        "pods receive this CA to verify the API server",
    ),
    check(
        "1.3.6",
        ControllerManager,
        Test::Excludes("feature-gates", "RotateKubeletServerCertificate=false"),
        "kubelet serving certificates must rotate",
    ),
    check(
        "1.3.7",
        ControllerManager,
        Test::UnsetOrEquals("bind-address", "127.0.0.1"),
        "the manager's endpoints need not be reachable from the network",
    ),
];

pub const SCHEDULER: &[CisCheck] = &[
    check(
        "1.4.1",
        Scheduler,
        Test::Equals("profiling", "false"),
        "the profiling endpoints reveal the program's internals",
    ),
    check(
        "1.4.2",
        Scheduler,
        Test::UnsetOrEquals("bind-address", "127.0.0.1"),
        "the scheduler's endpoints need not be reachable from the network",
    ),
];

pub const ETCD_CLIENTS: &[CisCheck] = &[
    check(
        "2.1",
        Etcd,
        Test::Set("cert-file"),
        "without a certificate etcd serves its clients in clear text",
    ),
    check(
        "2.1",
        Etcd,
        Test::Set("key-file"),
        "without a certificate etcd serves its clients in clear text",
    ),
    check(
        "2.2",
        Etcd,
        Test::Equals("client-cert-auth", "true"),
        "without it anyone who reaches the port reads and writes every Secret",
    ),
    check(
        "2.3",
        Etcd,
        Test::UnsetOrEquals("auto-tls", "false"),
        "auto TLS serves self-signed certificates nobody verifies",
    ),
    check(
        "2.7",
        Etcd,
        Test::Set("trusted-ca-file"),
        "etcd's own CA, so that only its clients' certificates are accepted",
    ),
];

pub const ETCD_PEERS: &[CisCheck] = &[
    check(
        "2.4",
        Etcd,
        Test::Set("peer-cert-file"),
        "without a certificate the members replicate every Secret in clear text",
    ),
    check(
        "2.4",
        Etcd,
        Test::Set("peer-key-file"),
        "without a certificate the members replicate every Secret in clear text",
    ),
    check(
        "2.5",
        Etcd,
        Test::Equals("peer-client-cert-auth", "true"),
        "without it anyone who reaches the peer port can join the cluster",
    ),
    check(
        "2.6",
        Etcd,
        Test::UnsetOrEquals("peer-auto-tls", "false"),
        "auto TLS serves self-signed certificates nobody verifies",
    ),
];

/// Every flag check, for the tests that hold the rules to them.
pub const ALL: &[&[CisCheck]] = &[
    ANONYMOUS,
    TOKEN_FILE,
    AUTHORIZATION,
    ADMISSION,
    KUBELET_TLS,
    API_PROFILING,
    AUDIT_LOG,
    SERVICE_ACCOUNTS,
    SERVING_TLS,
    CIPHERS,
    ENCRYPTION_CONFIG,
    CONTROLLER_MANAGER,
    SCHEDULER,
    ETCD_CLIENTS,
    ETCD_PEERS,
];
