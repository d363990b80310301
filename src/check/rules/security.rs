//! The rules of pod and container security (KW-SEC): users, privileges, capabilities,
//! filesystems, host namespaces, seccomp, volumes, images, secrets as files, and the
//! namespace's Pod Security level.

use serde_json::Value;

use super::common::{NONE, for_containers, pod_of};
use crate::check::Scanner::{Checkov, KubeLinter, KubeScore, Polaris, Pss};
use crate::check::index::Index;
use crate::check::object::{Container, Kind, Object, PodTemplate};
use crate::check::{Applies, Hits, Related, Rule, Scanners, Severity};
use crate::spec::image::ImageRef;

const PSS_NON_ROOT: &str = "restricted: Running as Non-root";

pub static RULES: &[Rule] = &[
    Rule {
        id: "KW-SEC-001",
        severity: Severity::Error,
        title: "Containers run as non-root (`runAsNonRoot: true`)",
        explanation: "A process that escapes its application as root is one kernel bug away from \
the node. Set `securityContext.runAsNonRoot: true` on the pod (and do not set it to `false` on \
any container): the kubelet then refuses to start a container whose image would run as uid 0.",
        rubric: &[1],
        scanners: Scanners {
            pss: &[PSS_NON_ROOT],
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_23",
                    "checkov accepts a runAsUser above 0 in place of runAsNonRoot: true, and does not judge init containers; kubeward asks for runAsNonRoot, which the kubelet enforces whatever user the image declares.",
                ),
                Related::stricter(
                    KubeLinter,
                    "run-as-non-root",
                    "kube-linter accepts a runAsUser above 0 in place of runAsNonRoot: true.",
                ),
                Related::stricter(
                    Polaris,
                    "runAsRootAllowed",
                    "Polaris accepts a runAsUser above 0 in place of runAsNonRoot: true.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: run_as_non_root,
    },
    Rule {
        id: "KW-SEC-002",
        severity: Severity::Warning,
        title: "Containers run with a uid and gid above 10000",
        explanation: "Low uids collide with users of the node (a container uid 1000 is often a \
real user on the host). Set `runAsUser` and `runAsGroup` above 10000 (10001 passes every \
scanner; 10000 fails kubesec) in the pod's `securityContext`, and build the image to work \
as that user. Not judged in an OpenShift namespace (`check --preset openshift`, or a Namespace \
with OpenShift's id ranges), whose SCC assigns the uid: there KW-OCP-020 judges fixed ids.",
        rubric: &[2],
        scanners: Scanners {
            related: &[
                Related::stricter(
                    Pss,
                    "restricted: Running as Non-root user",
                    "the control forbids only runAsUser 0; kubeward asks for a uid and a gid above 10000, which no account of the node uses.",
                ),
                Related::stricter(
                    Checkov,
                    "CKV_K8S_40",
                    "checkov judges the uid only, accepts 10000 and does not judge init containers.",
                ),
                Related::differs(
                    KubeScore,
                    "container-security-context-user-group-id",
                    "kube-score accepts 10000, and judges pods in their own user namespace (hostUsers: false), whose uids kubeward does not ask for.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: high_uid_gid,
    },
    Rule {
        id: "KW-SEC-003",
        severity: Severity::Warning,
        title: "A securityContext on the pod and on every container",
        explanation: "Without a security context every setting is the runtime's default, which \
is permissive. Write a `securityContext` at pod level (runAsNonRoot, runAsUser, runAsGroup, \
fsGroup, seccompProfile) and on every container, init containers included \
(allowPrivilegeEscalation, readOnlyRootFilesystem, capabilities).",
        rubric: &[3],
        scanners: Scanners {
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_29",
                    "CKV_K8S_29 judges the pod's securityContext only; kubeward asks for the containers' too.",
                ),
                Related::stricter(
                    Checkov,
                    "CKV_K8S_30",
                    "CKV_K8S_30 judges the containers' securityContext only; kubeward asks for the pod's too.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: security_contexts,
    },
    Rule {
        id: "KW-SEC-004",
        severity: Severity::Error,
        title: "Every container sets `allowPrivilegeEscalation: false`",
        explanation: "Unless it is explicitly `false`, a process can gain more privileges than \
its parent (setuid binaries, file capabilities). Set \
`securityContext.allowPrivilegeEscalation: false` on every container, init containers too.",
        rubric: &[4],
        scanners: Scanners {
            checkov: &["CKV_K8S_20"],
            related: &[
                Related::stricter(
                    Pss,
                    "restricted: Privilege Escalation",
                    "Pod Security exempts Windows pods (spec.os.name: windows); kubeward asks every pod, since a node may run the pod as Linux when the field is wrong.",
                ),
                Related::differs(
                    KubeLinter,
                    "privilege-escalation-container",
                    "kube-linter reports an explicit allowPrivilegeEscalation: true, a privileged container or an added SYS_ADMIN, and passes an unset field; kubeward asks for an explicit false and leaves privileges and capabilities to KW-SEC-009 and KW-SEC-006.",
                ),
                Related::stricter(
                    Polaris,
                    "privilegeEscalationAllowed",
                    "Polaris reports only an explicit allowPrivilegeEscalation: true; unset, the kernel lets a process gain privileges too.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_privilege_escalation,
    },
    Rule {
        id: "KW-SEC-005",
        severity: Severity::Error,
        title: "Every container drops ALL capabilities",
        explanation: "Container runtimes grant a default set of Linux capabilities (NET_RAW among \
them, which allows spoofing). Set `securityContext.capabilities.drop: [ALL]` on every \
container.",
        rubric: &[5],
        scanners: Scanners {
            checkov: &["CKV_K8S_37"],
            related: &[
                Related::differs(
                    Pss,
                    "restricted: Capabilities",
                    "the control also forbids adding any capability but NET_BIND_SERVICE (KW-SEC-006 reports added ones), and exempts Windows pods.",
                ),
                Related::stricter(
                    Checkov,
                    "CKV_K8S_28",
                    "CKV_K8S_28 accepts dropping NET_RAW alone.",
                ),
                Related::stricter(
                    KubeLinter,
                    "drop-net-raw-capability",
                    "kube-linter accepts dropping NET_RAW alone.",
                ),
                Related::stricter(
                    Polaris,
                    "insecureCapabilities",
                    "Polaris accepts dropping its list of fifteen insecure capabilities instead of ALL.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: drop_all_capabilities,
    },
    Rule {
        id: "KW-SEC-006",
        severity: Severity::Error,
        title: "No container adds capabilities",
        explanation: "Every added capability widens what a compromised process can do to the \
kernel. Remove `securityContext.capabilities.add`. NET_BIND_SERVICE is legal under Pod Security \
restricted but fails checkov: listen on a port above 1024 instead and map the Service port \
(443 -> 8443).",
        rubric: &[5],
        scanners: Scanners {
            checkov: &["CKV_K8S_25"],
            related: &[
                Related::stricter(
                    Pss,
                    "baseline: Capabilities",
                    "the control allows adding the thirteen capabilities of the container runtime's default set (CHOWN, NET_BIND_SERVICE, SETUID...); kubeward allows none, since each widens what a compromised process can do.",
                ),
                Related::differs(
                    Pss,
                    "restricted: Capabilities",
                    "the control allows adding NET_BIND_SERVICE, and also requires dropping ALL (KW-SEC-005).",
                ),
                Related::stricter(
                    Checkov,
                    "CKV_K8S_39",
                    "CKV_K8S_39 reports only an added SYS_ADMIN.",
                ),
                Related::stricter(
                    Polaris,
                    "dangerousCapabilities",
                    "Polaris reports only SYS_ADMIN, NET_ADMIN and ALL.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_added_capabilities,
    },
    Rule {
        id: "KW-SEC-007",
        severity: Severity::Warning,
        title: "Every container has a read-only root filesystem",
        explanation: "An attacker with code execution cannot drop tools or alter the binary on a \
read-only root filesystem. Set `securityContext.readOnlyRootFilesystem: true` and mount the \
paths the program writes (such as /tmp) as `emptyDir` volumes with a `sizeLimit`.",
        rubric: &[6],
        scanners: Scanners {
            checkov: &["CKV_K8S_22"],
            kube_score: &["container-security-context-readonlyrootfilesystem"],
            kube_linter: &["no-read-only-root-fs"],
            polaris: &["notReadOnlyRootFilesystem"],
            ..NONE
        },
        applies: Applies::Pods,
        check: read_only_root,
    },
    Rule {
        id: "KW-SEC-008",
        severity: Severity::Warning,
        title: "Every `emptyDir` volume has a `sizeLimit`",
        explanation: "An unbounded `emptyDir` lets one pod fill the node's disk (or memory, with \
`medium: Memory`) and evict its neighbours. Give every `emptyDir` a `sizeLimit`.",
        rubric: &[6],
        scanners: NONE,
        applies: Applies::Pods,
        check: empty_dir_size_limit,
    },
    Rule {
        id: "KW-SEC-009",
        severity: Severity::Error,
        title: "No privileged container",
        explanation: "A privileged container has every capability and every device of the node: \
it is root on the node. Remove `privileged: true` (or set it to `false`).",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: Privileged Containers"],
            checkov: &["CKV_K8S_16"],
            kube_score: &["container-security-context-privileged"],
            kube_linter: &["privileged-container"],
            polaris: &["runAsPrivileged"],
            ..NONE
        },
        applies: Applies::Pods,
        check: not_privileged,
    },
    Rule {
        id: "KW-SEC-010",
        severity: Severity::Error,
        title: "Pods do not use the host network (`hostNetwork`)",
        explanation: "With `hostNetwork: true` the pod sees every interface of the node, can bind \
its ports and bypasses NetworkPolicies. Remove `hostNetwork`.",
        rubric: &[7],
        scanners: Scanners {
            checkov: &["CKV_K8S_19"],
            kube_linter: &["host-network"],
            polaris: &["hostNetworkSet"],
            related: &[Related::part(
                Pss,
                "baseline: Host Namespaces",
                "the control judges hostNetwork, hostPID and hostIPC together; this rule judges hostNetwork.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_network,
    },
    Rule {
        id: "KW-SEC-011",
        severity: Severity::Error,
        title: "Pods do not share the host's process namespace (`hostPID`)",
        explanation: "With `hostPID: true` the pod sees and can signal every process of the node, \
and read their environments. Remove `hostPID`.",
        rubric: &[7],
        scanners: Scanners {
            checkov: &["CKV_K8S_17"],
            kube_linter: &["host-pid"],
            polaris: &["hostPIDSet"],
            related: &[Related::part(
                Pss,
                "baseline: Host Namespaces",
                "the control judges hostNetwork, hostPID and hostIPC together; this rule judges hostPID.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_pid,
    },
    Rule {
        id: "KW-SEC-012",
        severity: Severity::Error,
        title: "Pods do not share the host's IPC namespace (`hostIPC`)",
        explanation: "With `hostIPC: true` the pod can read the shared memory of every process of \
the node. Remove `hostIPC`.",
        rubric: &[7],
        scanners: Scanners {
            checkov: &["CKV_K8S_18"],
            kube_linter: &["host-ipc"],
            polaris: &["hostIPCSet"],
            related: &[Related::part(
                Pss,
                "baseline: Host Namespaces",
                "the control judges hostNetwork, hostPID and hostIPC together; this rule judges hostIPC.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_ipc,
    },
    Rule {
        id: "KW-SEC-013",
        severity: Severity::Error,
        title: "No container port binds a `hostPort` (other than 0)",
        explanation: "A `hostPort` opens the port on the node's own address, outside every \
NetworkPolicy, and pins the pod to nodes where the port is free. Remove the `hostPort` key; \
expose the port through a Service.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: Host Ports"],
            polaris: &["hostPortSet"],
            related: &[Related::part(
                Checkov,
                "CKV_K8S_26",
                "checkov also reports hostPort: 0, which binds no port of the node.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_port,
    },
    Rule {
        id: "KW-SEC-014",
        severity: Severity::Error,
        title: "No `hostPath` volume",
        explanation: "A `hostPath` volume mounts the node's own files into the pod: the container \
runtime socket, kubelet credentials or /etc are a mount away from node takeover. Use a \
`persistentVolumeClaim`, `emptyDir`, `configMap` or `secret` volume instead.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: HostPath Volumes"],
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_27",
                    "CKV_K8S_27 reports only a hostPath of /var/run/docker.sock; /etc, the kubelet's credentials or containerd's socket are as dangerous.",
                ),
                Related::stricter(
                    KubeLinter,
                    "sensitive-host-mounts",
                    "kube-linter reports only /, /boot, /dev, /etc, /lib, /proc, /sys and /usr.",
                ),
                Related::stricter(
                    KubeLinter,
                    "docker-sock",
                    "kube-linter reports only a path ending in docker.sock.",
                ),
                Related::stricter(
                    KubeLinter,
                    "writable-host-mount",
                    "kube-linter reports only a hostPath mounted writable.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_path,
    },
    Rule {
        id: "KW-SEC-015",
        severity: Severity::Error,
        title: "Every container runs with the `RuntimeDefault` seccomp profile",
        explanation: "Without a seccomp profile a container may call every system call of the \
kernel, including the rarely used ones most kernel exploits need. Set \
`securityContext.seccompProfile.type: RuntimeDefault` on the pod. `Localhost` profiles pass Pod \
Security but fail checkov; `Unconfined` fails both.",
        rubric: &[8],
        scanners: Scanners {
            related: &[
                Related::stricter(
                    Pss,
                    "restricted: Seccomp",
                    "the control also accepts Localhost profiles and exempts Windows pods; kubeward asks for RuntimeDefault, the runtime's reviewed profile, since a node-local file is not part of the manifest and cannot be reviewed with it.",
                ),
                Related::stricter(
                    Pss,
                    "baseline: Seccomp",
                    "the control forbids only Unconfined.",
                ),
                Related::stricter(
                    Checkov,
                    "CKV_K8S_31",
                    "checkov accepts the seccomp.security.alpha.kubernetes.io/pod annotation, which Kubernetes ignores since 1.27, and does not judge init containers.",
                ),
                Related::stricter(
                    KubeScore,
                    "container-seccomp-profile",
                    "kube-score accepts any profile, Unconfined included, and an annotation the kubelet ignores.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: seccomp_runtime_default,
    },
    Rule {
        id: "KW-SEC-016",
        severity: Severity::Error,
        title: "Volumes are of the types Pod Security restricted allows",
        explanation: "Pod Security `restricted` admits only `configMap`, `csi`, `downwardAPI`, \
`emptyDir`, `ephemeral`, `persistentVolumeClaim`, `projected` and `secret` volumes; other types \
(nfs, iscsi, cloud disks...) mount storage directly from the node. Use a \
`persistentVolumeClaim` for storage. (`hostPath` is reported by KW-SEC-014.)",
        rubric: &[9],
        scanners: Scanners {
            related: &[Related::part(
                Pss,
                "restricted: Volume Types",
                "the control also forbids hostPath, which KW-SEC-014 reports.",
            )],
            ..NONE
        },
        applies: Applies::Pods,
        check: allowed_volume_types,
    },
    Rule {
        id: "KW-SEC-017",
        severity: Severity::Error,
        title: "Images name a version (no `latest`, no missing tag)",
        explanation: "An image without a tag, or tagged `latest`, changes under the workload at \
the next pull: rollbacks and audits cannot tell what ran. Name an explicit tag, and pin the \
digest too: `registry/repo:1.4.2@sha256:<digest>`.",
        rubric: &[13],
        scanners: Scanners {
            checkov: &["CKV_K8S_14"],
            kube_linter: &["latest-tag"],
            related: &[
                Related::stricter(
                    KubeScore,
                    "container-image-tag",
                    "kube-score reads the text after the last colon as the tag, so registry.example.com:5000/app passes.",
                ),
                Related::stricter(
                    Polaris,
                    "tagNotSpecified",
                    "Polaris accepts any colon, so registry.example.com:5000/app passes.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: image_has_version,
    },
    Rule {
        id: "KW-SEC-018",
        severity: Severity::Warning,
        title: "Images are pinned by digest",
        explanation: "A tag can be re-pushed: the same manifest then runs different code. Pin the \
digest (`repo:1.4.2@sha256:<digest>`): it names exact bytes. Where a tag is accepted on purpose, \
record it with `checkov.io/skip1: CKV_K8S_43=<reason>` (kubeward honours it).",
        rubric: &[13],
        scanners: Scanners {
            checkov: &["CKV_K8S_43"],
            ..NONE
        },
        applies: Applies::Pods,
        check: image_has_digest,
    },
    Rule {
        id: "KW-SEC-019",
        severity: Severity::Warning,
        title: "Every container sets `imagePullPolicy: Always`",
        explanation: "With `Always` the kubelet checks the registry (and the pod's pull \
credentials) at every start, so a pod cannot run an image cached on the node by another tenant. \
Set `imagePullPolicy: Always`; with a digest-pinned image the pull is a cheap manifest check.",
        rubric: &[14],
        scanners: Scanners {
            polaris: &["pullPolicyNotAlways"],
            related: &[
                Related::stricter(
                    Checkov,
                    "CKV_K8S_15",
                    "checkov accepts any policy on a digest-pinned image, and an unset one on an untagged or latest image (which the API defaults to Always); kubeward asks for Always written, so that every start checks the pod's pull credentials.",
                ),
                Related::stricter(
                    KubeScore,
                    "container-image-pull-policy",
                    "kube-score accepts an unset policy on an untagged or latest image.",
                ),
            ],
            ..NONE
        },
        applies: Applies::Pods,
        check: pull_always,
    },
    Rule {
        id: "KW-SEC-020",
        severity: Severity::Warning,
        title: "Secrets are mounted as files, not passed as environment variables",
        explanation: "Environment variables leak into logs, crash dumps, `/proc` and child \
processes. Mount the Secret as a read-only volume (`secret` or `projected`) and read the file, \
instead of `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef`.",
        rubric: &[17],
        scanners: Scanners {
            checkov: &["CKV_K8S_35"],
            kube_linter: &["read-secret-from-env-var"],
            ..NONE
        },
        applies: Applies::Pods,
        check: secrets_as_files,
    },
    Rule {
        id: "KW-SEC-021",
        severity: Severity::Warning,
        title: "Namespaces enforce, audit and warn at Pod Security `restricted`",
        explanation: "The Pod Security admission labels make the API server itself refuse pods \
that break the restricted profile, whoever wrote them. Label the Namespace with \
`pod-security.kubernetes.io/enforce: restricted`, the same for `audit` and `warn`, and pin each \
with its `-version` label (e.g. `pod-security.kubernetes.io/enforce-version: v1.35`, and \
`latest` for `audit` and `warn`).",
        rubric: &[22],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Namespace]),
        check: namespace_pod_security,
    },
];

/// A security field of the container, or of the pod when the container does not set it.
fn effective<'a>(pod: &PodTemplate<'a>, c: &Container<'a>, field: &str) -> Option<&'a Value> {
    c.security(field).or_else(|| pod.security(field))
}

fn run_as_non_root(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        match effective(&pod, c, "runAsNonRoot").and_then(Value::as_bool) {
            Some(true) => {}
            Some(false) => hits.add(
                format!("{}.securityContext.runAsNonRoot", c.path),
                format!("{} sets runAsNonRoot: false", c.label()),
            ),
            None => hits.add(
                c.path,
                format!(
                    "{} may run as root: neither it nor the pod sets runAsNonRoot: true",
                    c.label()
                ),
            ),
        }
    }
}

fn high_uid_gid(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    // In its own user namespace a container's uids are unprivileged on the node: only the
    // uid 0 that Pod Security restricted refuses (even there) is reported.
    let own_namespace = pod.in_user_namespace();
    let root = |v: Option<&Value>| v.and_then(Value::as_i64) == Some(0);
    if root(pod.security("runAsUser")) {
        hits.add(
            format!("{}.securityContext.runAsUser", pod.spec_path),
            "the pod runs as root (runAsUser 0): Pod Security restricted refuses it; use a value above 10000",
        );
    }
    for c in &containers {
        for field in ["runAsUser", "runAsGroup"] {
            match effective(&pod, c, field).and_then(Value::as_i64) {
                Some(0) if field == "runAsUser" => {
                    if root(c.security("runAsUser")) {
                        hits.add(
                            format!("{}.securityContext.runAsUser", c.path),
                            format!(
                                "{} runs as root (runAsUser 0): Pod Security restricted refuses it; use a value above 10000",
                                c.label()
                            ),
                        );
                    }
                }
                _ if own_namespace => {}
                Some(id) if id > 10000 => {}
                Some(id) => hits.add(
                    c.path,
                    format!(
                        "{} runs with {field} {id}: use a value above 10000",
                        c.label()
                    ),
                ),
                None => hits.add(
                    c.path,
                    format!(
                        "{} sets no {field}: the image decides, often root or a low id",
                        c.label()
                    ),
                ),
            }
        }
    }
}

/// Whether `value` is a securityContext that sets something.
fn is_set(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_object)
        .is_some_and(|map| !map.is_empty())
}

fn security_contexts(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    if !is_set(pod.spec.get("securityContext")) {
        hits.add(
            pod.spec_path,
            "the pod has no (or an empty) securityContext",
        );
    }
    for c in &containers {
        if !is_set(c.value.get("securityContext")) {
            hits.add(
                c.path,
                format!("{} has no (or an empty) securityContext", c.label()),
            );
        }
    }
}

fn no_privilege_escalation(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        (c.security("allowPrivilegeEscalation")
            .and_then(Value::as_bool)
            != Some(false))
        .then(|| format!("{} does not set allowPrivilegeEscalation: false", c.label()))
    });
}

fn capability_list<'a>(c: &Container<'a>, list: &str) -> Vec<&'a str> {
    c.security("capabilities")
        .and_then(|caps| caps.get(list))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn drop_all_capabilities(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        (!capability_list(c, "drop")
            .iter()
            .any(|cap| cap.eq_ignore_ascii_case("ALL")))
        .then(|| format!("{} does not drop ALL capabilities", c.label()))
    });
}

fn no_added_capabilities(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        let added = capability_list(c, "add");
        (!added.is_empty()).then(|| format!("{} adds {}", c.label(), added.join(", ")))
    });
}

fn read_only_root(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        (c.security("readOnlyRootFilesystem")
            .and_then(Value::as_bool)
            != Some(true))
        .then(|| {
            format!(
                "{} has a writable root filesystem (readOnlyRootFilesystem is not true)",
                c.label()
            )
        })
    });
}

fn volume_name(volume: &Value) -> &str {
    volume.get("name").and_then(Value::as_str).unwrap_or("?")
}

fn empty_dir_size_limit(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    for (path, volume) in pod.volumes() {
        if let Some(empty_dir) = volume.get("emptyDir")
            && empty_dir.get("sizeLimit").is_none_or(Value::is_null)
        {
            hits.add(
                path,
                format!("emptyDir volume `{}` has no sizeLimit", volume_name(volume)),
            );
        }
    }
}

fn not_privileged(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        (c.security("privileged").and_then(Value::as_bool) == Some(true))
            .then(|| format!("{} is privileged", c.label()))
    });
}

fn pod_flag(object: &Object, hits: &mut Hits, field: &str) {
    let Some(pod) = object.pod() else { return };
    if pod.spec.get(field).and_then(Value::as_bool) == Some(true) {
        hits.add(
            format!("{}.{field}", pod.spec_path),
            format!("the pod sets {field}: true"),
        );
    }
}

fn no_host_network(_: &Index, object: &Object, hits: &mut Hits) {
    pod_flag(object, hits, "hostNetwork");
}

fn no_host_pid(_: &Index, object: &Object, hits: &mut Hits) {
    pod_flag(object, hits, "hostPID");
}

fn no_host_ipc(_: &Index, object: &Object, hits: &mut Hits) {
    pod_flag(object, hits, "hostIPC");
}

fn no_host_port(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((_, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        let ports = c.value.get("ports").and_then(Value::as_array);
        for (i, port) in ports.into_iter().flatten().enumerate() {
            if let Some(host_port) = port.get("hostPort").filter(|p| p.as_i64() != Some(0)) {
                hits.add(
                    format!("{}.ports[{i}].hostPort", c.path),
                    format!("{} binds hostPort {host_port}", c.label()),
                );
            }
        }
    }
}

fn no_host_path(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    for (path, volume) in pod.volumes() {
        if let Some(host_path) = volume.get("hostPath") {
            let on = host_path.get("path").and_then(Value::as_str).unwrap_or("?");
            hits.add(
                path,
                format!(
                    "volume `{}` mounts the node's {on} (hostPath)",
                    volume_name(volume)
                ),
            );
        }
    }
}

fn seccomp_runtime_default(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        let profile = effective(&pod, c, "seccompProfile")
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str);
        match profile {
            Some("RuntimeDefault") => {}
            Some(other) => hits.add(
                c.path,
                format!("{} runs with seccomp profile {other}", c.label()),
            ),
            None => hits.add(
                c.path,
                format!(
                    "{} has no seccomp profile (neither it nor the pod sets one)",
                    c.label()
                ),
            ),
        }
    }
}

const ALLOWED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
    "hostPath",
];

fn allowed_volume_types(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    for (path, volume) in pod.volumes() {
        let Some(map) = volume.as_object() else {
            continue;
        };
        for key in map.keys() {
            if key != "name" && !ALLOWED_VOLUMES.contains(&key.as_str()) {
                hits.add(
                    path.clone(),
                    format!(
                        "volume `{}` is of type {key}, which Pod Security restricted refuses",
                        volume_name(volume)
                    ),
                );
            }
        }
    }
}

fn image_of<'a>(c: &Container<'a>) -> Option<&'a str> {
    c.value.get("image").and_then(Value::as_str)
}

fn image_has_version(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        let Some(image) = image_of(c) else {
            return Some(format!("{} names no image", c.label()));
        };
        match ImageRef::parse(image) {
            Err(why) => Some(format!("{} image `{image}`: {why}", c.label())),
            Ok(r) if r.digest.is_some() => None,
            Ok(r) => match r.tag.as_deref() {
                None => Some(format!("{} image `{image}` has no tag", c.label())),
                Some("latest") => Some(format!("{} image `{image}` is tagged latest", c.label())),
                Some(_) => None,
            },
        }
    });
}

fn image_has_digest(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        let image = image_of(c)?;
        ImageRef::parse(image)
            .is_ok_and(|r| !r.is_pinned_by_digest())
            .then(|| format!("{} image `{image}` is not pinned by digest", c.label()))
    });
}

fn pull_always(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        match c.value.get("imagePullPolicy").and_then(Value::as_str) {
            Some("Always") => None,
            Some(policy) => Some(format!("{} has imagePullPolicy {policy}", c.label())),
            None => Some(format!("{} sets no imagePullPolicy", c.label())),
        }
    });
}

fn secrets_as_files(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((_, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        let list = |field| {
            c.value
                .get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        };
        for (i, env) in list("env").enumerate() {
            if let Some(secret) = env.get("valueFrom").and_then(|v| v.get("secretKeyRef")) {
                let name = secret.get("name").and_then(Value::as_str).unwrap_or("?");
                let var = env.get("name").and_then(Value::as_str).unwrap_or("?");
                hits.add(
                    format!("{}.env[{i}]", c.path),
                    format!(
                        "{} reads Secret `{name}` into environment variable {var}",
                        c.label()
                    ),
                );
            }
        }
        for (i, env) in list("envFrom").enumerate() {
            if let Some(secret) = env.get("secretRef") {
                let name = secret.get("name").and_then(Value::as_str).unwrap_or("?");
                hits.add(
                    format!("{}.envFrom[{i}]", c.path),
                    format!(
                        "{} loads Secret `{name}` as environment variables",
                        c.label()
                    ),
                );
            }
        }
    }
}

fn namespace_pod_security(_: &Index, object: &Object, hits: &mut Hits) {
    let labels = object.at(&["metadata", "labels"]);
    let label = |key: &str| labels.and_then(|l| l.get(key)).and_then(Value::as_str);
    let mut problems = Vec::new();
    for mode in ["enforce", "audit", "warn"] {
        let key = format!("pod-security.kubernetes.io/{mode}");
        match label(&key) {
            Some("restricted") => {}
            Some(level) => problems.push(format!("{key} is {level}, not restricted")),
            None => problems.push(format!("{key} is missing")),
        }
        if label(&format!("{key}-version")).is_none() {
            problems.push(format!("{key}-version is missing"));
        }
    }
    if !problems.is_empty() {
        hits.add(
            "metadata.labels",
            format!("namespace `{}`: {}", object.name, problems.join("; ")),
        );
    }
}
