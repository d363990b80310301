//! The Pod Security baseline controls that no older rule judged (KW-SEC-024 to 029): Windows
//! HostProcess, AppArmor, SELinux, the /proc mount, sysctls, and host addresses in probes and
//! lifecycle handlers. Each follows the control of the Pod Security admission controller
//! (`k8s.io/pod-security-admission/policy`), field for field.

use serde_json::Value;

use super::common::{NONE, for_containers, pod_of, text};
use crate::check::Scanner::{KubeLinter, Pss};
use crate::check::index::Index;
use crate::check::object::{Container, Object};
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-SEC-024",
        severity: Severity::Error,
        title: "No Windows HostProcess container",
        explanation: "A HostProcess container runs as a process of the Windows node itself, with \
the node's network and filesystem: it is administrator on the node. Remove \
`securityContext.windowsOptions.hostProcess: true` from the pod and every container.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: HostProcess"],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_process,
    },
    Rule {
        id: "KW-SEC-025",
        severity: Severity::Error,
        title: "No container runs AppArmor `Unconfined`",
        explanation: "On nodes with AppArmor the runtime confines every container with its \
default profile; `Unconfined` lifts that confinement. Leave `securityContext.appArmorProfile` \
unset or set its `type` to `RuntimeDefault` or `Localhost`, on the pod and every container, and \
do not set the deprecated `container.apparmor.security.beta.kubernetes.io/<container>` \
annotation to anything but `runtime/default` or `localhost/<profile>`.",
        rubric: &[8],
        scanners: Scanners {
            pss: &["baseline: AppArmor"],
            ..NONE
        },
        applies: Applies::Pods,
        check: apparmor_confined,
    },
    Rule {
        id: "KW-SEC-026",
        severity: Severity::Error,
        title: "SELinux options set only a container type and level",
        explanation: "A custom SELinux user, role or type can take a container out of the \
`container_t` domain that confines it. In `seLinuxOptions` (pod and containers) leave `user` \
and `role` unset, and `type` unset or one of `container_t`, `container_init_t`, \
`container_kvm_t` and `container_engine_t`; `level` is free.",
        rubric: &[8],
        scanners: Scanners {
            pss: &["baseline: SELinux"],
            ..NONE
        },
        applies: Applies::Pods,
        check: selinux_options,
    },
    Rule {
        id: "KW-SEC-027",
        severity: Severity::Error,
        title: "Every container mounts /proc masked (`procMount: Default`)",
        explanation: "The runtime masks and makes read-only the parts of /proc that expose the \
kernel (`/proc/kcore`, `/proc/sys`...); `procMount: Unmasked` hands them to the container. \
Leave `securityContext.procMount` unset or `Default` on every container.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["restricted: /proc Mount Type"],
            kube_linter: &["unsafe-proc-mount"],
            related: &[Related::stricter(
                Pss,
                "baseline: /proc Mount Type",
                "since Kubernetes 1.35 the baseline control allows Unmasked in a pod with its own user namespace (hostUsers: false); kubeward, like the restricted control, never does.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: masked_proc,
    },
    Rule {
        id: "KW-SEC-028",
        severity: Severity::Error,
        title: "Pods set only the sysctls Pod Security calls safe",
        explanation: "A sysctl that is not namespaced to the pod changes the kernel for every pod \
of the node, or lifts a limit that protects it. Set in `securityContext.sysctls` only \
`kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.ip_unprivileged_port_start`, \
`net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, `net.ipv4.ip_local_reserved_ports`, \
`net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl`, \
`net.ipv4.tcp_keepalive_probes`, `net.ipv4.tcp_rmem` and `net.ipv4.tcp_wmem`.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: Sysctls"],
            related: &[Related::differs(
                KubeLinter,
                "unsafe-sysctls",
                "kube-linter reports sysctls by prefix (kernel.msg, kernel.sem, kernel.shm, fs.mqueue., net.), so it reports the safe net.ipv4 ones and passes others.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: safe_sysctls,
    },
    Rule {
        id: "KW-SEC-029",
        severity: Severity::Error,
        title: "Probes and lifecycle handlers name no host",
        explanation: "The kubelet runs probes and lifecycle handlers from the node, with the \
node's network: a `host` in an `httpGet` or `tcpSocket` handler makes it call any address the \
node reaches (the cloud metadata service, the kubelet itself) on the pod's behalf. Leave `host` \
unset (the pod's own address) in `livenessProbe`, `readinessProbe`, `startupProbe` and \
`lifecycle.postStart`/`preStop`.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: Host Probes / Lifecycle Hooks"],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_probe_host,
    },
];

fn no_host_process(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    let host_process = |context: Option<&Value>| {
        context
            .and_then(|c| c.get("windowsOptions"))
            .and_then(|w| w.get("hostProcess"))
            .and_then(Value::as_bool)
            == Some(true)
    };
    if host_process(pod.spec.get("securityContext")) {
        hits.add(
            format!(
                "{}.securityContext.windowsOptions.hostProcess",
                pod.spec_path
            ),
            "the pod runs its containers as Windows HostProcess containers",
        );
    }
    for c in &containers {
        if host_process(c.value.get("securityContext")) {
            hits.add(
                format!("{}.securityContext.windowsOptions.hostProcess", c.path),
                format!("{} is a Windows HostProcess container", c.label()),
            );
        }
    }
}

/// The AppArmor annotation of Kubernetes before 1.30, still read.
const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

fn apparmor_confined(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    fn profile(context: Option<&Value>) -> Option<&str> {
        context
            .and_then(|c| c.get("appArmorProfile"))
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str)
            .filter(|t| !matches!(*t, "RuntimeDefault" | "Localhost"))
    }
    if let Some(kind) = profile(pod.spec.get("securityContext")) {
        hits.add(
            format!("{}.securityContext.appArmorProfile.type", pod.spec_path),
            format!("the pod runs with AppArmor profile type {kind}"),
        );
    }
    for c in &containers {
        if let Some(kind) = profile(c.value.get("securityContext")) {
            hits.add(
                format!("{}.securityContext.appArmorProfile.type", c.path),
                format!("{} runs with AppArmor profile type {kind}", c.label()),
            );
        }
    }
    let annotations = pod
        .metadata
        .and_then(|m| m.get("annotations"))
        .and_then(Value::as_object);
    for (key, value) in annotations.into_iter().flatten() {
        let Some(container) = key.strip_prefix(APPARMOR_ANNOTATION) else {
            continue;
        };
        let value = value.as_str().unwrap_or_default();
        if value != "runtime/default" && !value.starts_with("localhost/") {
            hits.add(
                format!("{}.annotations.{key}", pod.metadata_path),
                format!("container `{container}` runs with AppArmor profile `{value}`"),
            );
        }
    }
}

/// The SELinux types Pod Security allows (and the empty one).
const SELINUX_TYPES: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// What is wrong with `seLinuxOptions`, if anything.
fn selinux_problems(options: &Value) -> Vec<String> {
    let field = |f: &str| options.get(f).and_then(Value::as_str).unwrap_or_default();
    let mut problems = Vec::new();
    if !SELINUX_TYPES.contains(&field("type")) {
        problems.push(format!("type `{}`", field("type")));
    }
    for f in ["user", "role"] {
        if !field(f).is_empty() {
            problems.push(format!("{f} `{}`", field(f)));
        }
    }
    problems
}

fn selinux_options(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    fn options(context: Option<&Value>) -> Option<&Value> {
        context.and_then(|c| c.get("seLinuxOptions"))
    }
    if let Some(opts) = options(pod.spec.get("securityContext")) {
        let problems = selinux_problems(opts);
        if !problems.is_empty() {
            hits.add(
                format!("{}.securityContext.seLinuxOptions", pod.spec_path),
                format!("the pod sets SELinux {}", problems.join(", ")),
            );
        }
    }
    for c in &containers {
        if let Some(opts) = options(c.value.get("securityContext")) {
            let problems = selinux_problems(opts);
            if !problems.is_empty() {
                hits.add(
                    format!("{}.securityContext.seLinuxOptions", c.path),
                    format!("{} sets SELinux {}", c.label(), problems.join(", ")),
                );
            }
        }
    }
}

fn masked_proc(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c: &Container| {
        let mount = c.security("procMount")?;
        (mount.as_str() != Some("Default"))
            .then(|| format!("{} mounts /proc with procMount {}", c.label(), text(mount)))
    });
}

/// The sysctls Pod Security baseline allows (Kubernetes 1.32 and later).
const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

fn safe_sysctls(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let sysctls = pod.security("sysctls").and_then(Value::as_array);
    for (i, sysctl) in sysctls.into_iter().flatten().enumerate() {
        let name = sysctl
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !SAFE_SYSCTLS.contains(&name) {
            hits.add(
                format!("{}.securityContext.sysctls[{i}]", pod.spec_path),
                format!("the pod sets the unsafe sysctl `{name}`"),
            );
        }
    }
}

/// The probes and lifecycle handlers of a container, with their field names.
const HANDLERS: &[&[&str]] = &[
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

fn no_probe_host(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((_, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        for keys in HANDLERS {
            let Some(handler) = keys.iter().try_fold(c.value, |v, k| v.get(k)) else {
                continue;
            };
            for action in ["httpGet", "tcpSocket"] {
                let host = handler.get(action).and_then(|a| a.get("host"));
                let Some(host) = host.filter(|h| h.as_str() != Some("")) else {
                    continue;
                };
                let field = keys.join(".");
                hits.add(
                    format!("{}.{field}.{action}.host", c.path),
                    format!(
                        "{} {field} {action} calls host {} from the node",
                        c.label(),
                        text(host)
                    ),
                );
            }
        }
    }
}
