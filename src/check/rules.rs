//! The rules that judge one object on its own: pod and container security, images, resources,
//! probes, RBAC rules, Service and Ingress exposure, namespaces and API versions. Each rule
//! names the rubric rows it judges and the scanner checks it corresponds to.

use serde_json::Value;

use super::index::Index;
use super::object::{Container, Kind, Object, PodTemplate};
use super::{Applies, Hits, Rule, Scanners, Severity};
use crate::image::ImageRef;

/// No scanner equivalent; the base of every `Scanners` literal below.
pub const NONE: Scanners = Scanners {
    pss: &[],
    checkov: &[],
    kube_score: &[],
    kube_linter: &[],
    polaris: &[],
};

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
            checkov: &["CKV_K8S_23"],
            kube_linter: &["run-as-non-root"],
            polaris: &["runAsRootAllowed"],
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
as that user.",
        rubric: &[2],
        scanners: Scanners {
            checkov: &["CKV_K8S_40"],
            kube_score: &["container-security-context-user-group-id"],
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
            checkov: &["CKV_K8S_29", "CKV_K8S_30"],
            kube_score: &["container-security-context"],
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
            pss: &["restricted: Privilege Escalation"],
            checkov: &["CKV_K8S_20"],
            kube_linter: &["privilege-escalation-container"],
            polaris: &["privilegeEscalationAllowed"],
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
            pss: &["restricted: Capabilities"],
            checkov: &["CKV_K8S_28", "CKV_K8S_37"],
            kube_linter: &["drop-net-raw-capability"],
            polaris: &["insecureCapabilities"],
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
            pss: &["baseline: Capabilities", "restricted: Capabilities"],
            checkov: &["CKV_K8S_25", "CKV_K8S_39"],
            polaris: &["dangerousCapabilities"],
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
            pss: &["baseline: Host Namespaces"],
            checkov: &["CKV_K8S_19"],
            kube_linter: &["host-network"],
            polaris: &["hostNetworkSet"],
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
            pss: &["baseline: Host Namespaces"],
            checkov: &["CKV_K8S_17"],
            kube_linter: &["host-pid"],
            polaris: &["hostPIDSet"],
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
            pss: &["baseline: Host Namespaces"],
            checkov: &["CKV_K8S_18"],
            kube_linter: &["host-ipc"],
            polaris: &["hostIPCSet"],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_host_ipc,
    },
    Rule {
        id: "KW-SEC-013",
        severity: Severity::Error,
        title: "No container port binds a `hostPort`",
        explanation: "A `hostPort` opens the port on the node's own address, outside every \
NetworkPolicy, and pins the pod to nodes where the port is free. Remove the `hostPort` key; \
expose the port through a Service.",
        rubric: &[7],
        scanners: Scanners {
            pss: &["baseline: Host Ports"],
            checkov: &["CKV_K8S_26"],
            polaris: &["hostPortSet"],
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
            checkov: &["CKV_K8S_27"],
            kube_linter: &[
                "sensitive-host-mounts",
                "docker-sock",
                "writable-host-mount",
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
            pss: &["restricted: Seccomp"],
            checkov: &["CKV_K8S_31"],
            kube_score: &["container-seccomp-profile"],
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
            pss: &["restricted: Volume Types"],
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
            kube_score: &["container-image-tag"],
            kube_linter: &["latest-tag"],
            polaris: &["tagNotSpecified"],
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
            kube_linter: &["image-not-pinned-by-digest"],
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
            checkov: &["CKV_K8S_15"],
            kube_score: &["container-image-pull-policy"],
            polaris: &["pullPolicyNotAlways"],
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
with its `-version` label (e.g. `pod-security.kubernetes.io/enforce-version: latest`).",
        rubric: &[22],
        scanners: Scanners {
            pss: &["Pod Security admission"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Namespace]),
        check: namespace_pod_security,
    },
    Rule {
        id: "KW-RBAC-001",
        severity: Severity::Warning,
        title: "Pods do not mount a service account token (`automountServiceAccountToken: false`)",
        explanation: "A mounted token lets anyone who gets code execution in the pod call the \
Kubernetes API as its service account. Set `automountServiceAccountToken: false` on the pod spec \
(the ServiceAccount's own field is not enough for checkov). A pod that needs the API mounts a \
short-lived `projected` `serviceAccountToken` volume instead.",
        rubric: &[10, 12],
        scanners: Scanners {
            checkov: &["CKV_K8S_38"],
            kube_linter: &["automount-service-account-token"],
            polaris: &["automountServiceAccountToken"],
            ..NONE
        },
        applies: Applies::Pods,
        check: no_token_automount,
    },
    Rule {
        id: "KW-RBAC-002",
        severity: Severity::Warning,
        title: "Pods run under a dedicated ServiceAccount, not `default`",
        explanation: "The namespace's `default` account is shared by every pod that names none: \
any permission granted to it is granted to all of them. Create a ServiceAccount for the workload \
and set `serviceAccountName`.",
        rubric: &[11],
        scanners: Scanners {
            kube_linter: &["default-service-account"],
            ..NONE
        },
        applies: Applies::Pods,
        check: dedicated_service_account,
    },
    Rule {
        id: "KW-RBAC-003",
        severity: Severity::Warning,
        title: "ServiceAccounts do not automount their token",
        explanation: "A ServiceAccount with `automountServiceAccountToken` unset hands a token to \
every pod that uses it and does not opt out. Set `automountServiceAccountToken: false` on the \
ServiceAccount, and mount a projected token only in the pods that need the API.",
        rubric: &[11],
        scanners: Scanners {
            checkov: &["CKV_K8S_41"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::ServiceAccount]),
        check: service_account_no_automount,
    },
    Rule {
        id: "KW-RBAC-005",
        severity: Severity::Error,
        title: "Roles grant no wildcard (`*`) API group, resource or verb",
        explanation: "A `*` grants everything that exists now and everything added later (new \
resources, new subresources). List the API groups, resources and verbs the workload uses.",
        rubric: &[28],
        scanners: Scanners {
            checkov: &["CKV_K8S_49"],
            kube_linter: &["wildcard-in-rules"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Role, Kind::ClusterRole]),
        check: no_wildcards,
    },
    Rule {
        id: "KW-RBAC-006",
        severity: Severity::Error,
        title: "Roles never grant `bind`, `escalate` or `impersonate`",
        explanation: "`bind` and `escalate` let the holder grant itself any role; `impersonate` \
lets it act as any user, group or account. All three are privilege escalation. Remove them; \
controllers that manage RBAC belong to the platform, not to a service.",
        rubric: &[28],
        scanners: Scanners {
            checkov: &["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3"],
            kube_linter: &["bind-verb-in-role", "escalate-verb-in-role"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Role, Kind::ClusterRole]),
        check: no_escalation_verbs,
    },
    Rule {
        id: "KW-RBAC-008",
        severity: Severity::Warning,
        title: "Bindings grant roles to dedicated accounts, not to `default` or to everyone",
        explanation: "A binding to the `default` ServiceAccount grants the role to every pod of \
the namespace that names no account; one to `system:authenticated`, `system:unauthenticated`, \
`system:serviceaccounts` or `system:anonymous` grants it to (nearly) everyone. Bind the workload's \
own ServiceAccount.",
        rubric: &[28],
        scanners: Scanners {
            checkov: &["CKV_K8S_42"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::RoleBinding, Kind::ClusterRoleBinding]),
        check: dedicated_subjects,
    },
    Rule {
        id: "KW-AVAIL-001",
        severity: Severity::Warning,
        title: "Every container requests CPU",
        explanation: "Without a CPU request the scheduler places the pod as if it needed nothing, \
and under contention it gets the least. Set `resources.requests.cpu` on every container.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_10"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-cpu-requirements"],
            polaris: &["cpuRequestsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: cpu_requests,
    },
    Rule {
        id: "KW-AVAIL-002",
        severity: Severity::Warning,
        title: "Every container limits CPU",
        explanation: "A container without a CPU limit can take every core of its node: one \
compromised or runaway pod starves its neighbours. Set `resources.limits.cpu`.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_11"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-cpu-requirements"],
            polaris: &["cpuLimitsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: cpu_limits,
    },
    Rule {
        id: "KW-AVAIL-003",
        severity: Severity::Warning,
        title: "Every container requests memory",
        explanation: "Without a memory request the pod is scheduled onto nodes that cannot hold it \
and is the first evicted under pressure. Set `resources.requests.memory`.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_12"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-memory-requirements"],
            polaris: &["memoryRequestsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: memory_requests,
    },
    Rule {
        id: "KW-AVAIL-004",
        severity: Severity::Warning,
        title: "Every container limits memory",
        explanation: "A container without a memory limit can exhaust its node's memory and get \
other pods killed. Set `resources.limits.memory`.",
        rubric: &[15],
        scanners: Scanners {
            checkov: &["CKV_K8S_13"],
            kube_score: &["container-resources"],
            kube_linter: &["unset-memory-requirements"],
            polaris: &["memoryLimitsMissing"],
            ..NONE
        },
        applies: Applies::Pods,
        check: memory_limits,
    },
    Rule {
        id: "KW-AVAIL-005",
        severity: Severity::Warning,
        title: "Every container requests and limits ephemeral storage",
        explanation: "Logs and scratch files count against the node's disk: without an \
`ephemeral-storage` limit one pod can fill it and get every pod of the node evicted. Set \
`resources.requests.ephemeral-storage` and `resources.limits.ephemeral-storage`.",
        rubric: &[15],
        scanners: Scanners {
            kube_score: &["container-ephemeral-storage-request-and-limit"],
            kube_linter: &["unset-ephemeral-storage-requirements"],
            ..NONE
        },
        applies: Applies::Pods,
        check: ephemeral_storage,
    },
    Rule {
        id: "KW-AVAIL-006",
        severity: Severity::Warning,
        title: "Every container has a readiness probe",
        explanation: "Without a readiness probe a pod receives traffic as soon as its process \
starts, before it can serve, and keeps receiving it when it cannot. Add a `readinessProbe` to \
every (non-init) container of a long-running workload.",
        rubric: &[16],
        scanners: Scanners {
            checkov: &["CKV_K8S_9"],
            kube_score: &["pod-probes"],
            kube_linter: &["no-readiness-probe"],
            polaris: &["readinessProbeMissing"],
            ..NONE
        },
        applies: Applies::LongRunningPods,
        check: readiness_probe,
    },
    Rule {
        id: "KW-AVAIL-007",
        severity: Severity::Warning,
        title: "Every container has a liveness probe",
        explanation: "Without a liveness probe a stuck process (deadlock, exhausted pool) keeps \
its pod forever. Add a `livenessProbe` to every (non-init) container of a long-running workload.",
        rubric: &[16],
        scanners: Scanners {
            checkov: &["CKV_K8S_8"],
            kube_score: &["pod-probes"],
            kube_linter: &["no-liveness-probe"],
            polaris: &["livenessProbeMissing"],
            ..NONE
        },
        applies: Applies::LongRunningPods,
        check: liveness_probe,
    },
    Rule {
        id: "KW-AVAIL-008",
        severity: Severity::Warning,
        title: "Readiness and liveness probes are not identical",
        explanation: "With identical probes, a pod that is merely busy (not ready) is also \
restarted, and a slow dependency turns into a restart storm. Point the liveness probe at a \
different path or port that only checks the process itself.",
        rubric: &[16],
        scanners: Scanners {
            kube_score: &["pod-probes-identical"],
            ..NONE
        },
        applies: Applies::LongRunningPods,
        check: distinct_probes,
    },
    Rule {
        id: "KW-AVAIL-011",
        severity: Severity::Warning,
        title: "HorizontalPodAutoscalers keep at least 2 replicas",
        explanation: "An autoscaler with `minReplicas` 1 (the default) scales down to a single \
pod: one node failure or eviction away from an outage. Set `minReplicas: 2` or more.",
        rubric: &[19],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::HorizontalPodAutoscaler]),
        check: autoscaler_minimum,
    },
    Rule {
        id: "KW-AVAIL-012",
        severity: Severity::Warning,
        title: "Replicas are spread across nodes",
        explanation: "Replicas that land on one node go down together. Add a `podAntiAffinity` \
term on `topologyKey: kubernetes.io/hostname` and/or a `topologySpreadConstraints` entry, with \
a label selector that matches the pod's own labels.",
        rubric: &[20],
        scanners: Scanners {
            kube_score: &[
                "deployment-has-host-podantiaffinity",
                "statefulset-has-host-podantiaffinity",
                "pod-topology-spread-constraints",
            ],
            kube_linter: &["no-anti-affinity"],
            polaris: &["topologySpreadConstraint"],
            ..NONE
        },
        applies: Applies::Replicated,
        check: spread_across_nodes,
    },
    Rule {
        id: "KW-AVAIL-015",
        severity: Severity::Warning,
        title: "PodDisruptionBudgets allow at least one disruption",
        explanation: "A budget of `maxUnavailable: 0` or `minAvailable: 100%` blocks every \
voluntary eviction: node drains and cluster upgrades hang on the pod. Use `maxUnavailable: 1`.",
        rubric: &[21],
        scanners: Scanners {
            kube_linter: &["pdb-max-unavailable", "pdb-min-available"],
            polaris: &["pdbDisruptionsIsZero"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_allows_disruption,
    },
    Rule {
        id: "KW-AVAIL-016",
        severity: Severity::Info,
        title: "PodDisruptionBudgets set `unhealthyPodEvictionPolicy`",
        explanation: "By default a pod that is running but not ready still counts against the \
budget, so a broken rollout can block node drains. Set `unhealthyPodEvictionPolicy: \
AlwaysAllow`.",
        rubric: &[21],
        scanners: Scanners {
            kube_score: &["poddisruptionbudget-has-policy"],
            kube_linter: &["pdb-unhealthy-pod-eviction-policy"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::PodDisruptionBudget]),
        check: budget_eviction_policy,
    },
    Rule {
        id: "KW-NET-005",
        severity: Severity::Warning,
        title: "Services are `ClusterIP`, not `NodePort` or `LoadBalancer`",
        explanation: "A `NodePort` opens the port on every node's address and a `LoadBalancer` \
outside the cluster, around the Ingress and its TLS. Use `type: ClusterIP` and publish through \
an Ingress with TLS.",
        rubric: &[26],
        scanners: Scanners {
            kube_score: &["service-type"],
            kube_linter: &["exposed-services"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Service]),
        check: cluster_ip_service,
    },
    Rule {
        id: "KW-NET-006",
        severity: Severity::Info,
        title: "Services target a named container port",
        explanation: "A numeric `targetPort` silently breaks when the container's port changes; a \
name (`targetPort: http`, matching `ports[].name` on the container) fails visibly. Name the \
container port and target it by name.",
        rubric: &[26],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Service]),
        check: named_target_port,
    },
    Rule {
        id: "KW-NET-007",
        severity: Severity::Warning,
        title: "Ingresses serve every host over TLS from a `kubernetes.io/tls` Secret",
        explanation: "A host without a `spec.tls` entry is served in clear text, open to \
eavesdropping and tampering. List every host of `spec.rules` under `spec.tls[].hosts` with a \
`secretName`; the Secret must be of type `kubernetes.io/tls`.",
        rubric: &[27],
        scanners: Scanners {
            polaris: &["tlsSettingsMissing"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Ingress]),
        check: ingress_tls,
    },
    Rule {
        id: "KW-NET-008",
        severity: Severity::Error,
        title: "Ingresses carry no `*-snippet` annotations",
        explanation: "Snippet annotations inject raw configuration into the ingress controller, \
which runs with the credentials of every Ingress in the cluster (CVE-2021-25742, and the \
2025 ingress-nginx admission flaws). Remove them; use the controller's typed annotations.",
        rubric: &[27],
        scanners: Scanners {
            checkov: &["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154"],
            ..NONE
        },
        applies: Applies::Kinds(&[Kind::Ingress]),
        check: no_snippets,
    },
    Rule {
        id: "KW-NET-009",
        severity: Severity::Warning,
        title: "DNS egress goes to cluster DNS only, on UDP and TCP 53",
        explanation: "A rule that opens port 53 to any destination lets a compromised pod tunnel \
data out over DNS to any server. Allow port 53 only to the cluster DNS pods \
(`namespaceSelector` for `kube-system` and `podSelector` `k8s-app: kube-dns`, or a single \
node-local address), on both UDP and TCP (large answers fall back to TCP).",
        rubric: &[25],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::NetworkPolicy]),
        check: dns_egress,
    },
    Rule {
        id: "KW-META-001",
        severity: Severity::Warning,
        title: "Objects name their namespace, and it is not `default` or `kube-system`",
        explanation: "An object without `metadata.namespace` lands wherever kubectl or Helm is \
pointed; `default` is shared by everything that names nothing, and `kube-system` belongs to \
the cluster. Give every namespaced object an explicit namespace of its own.",
        rubric: &[18],
        scanners: Scanners {
            checkov: &["CKV_K8S_21"],
            kube_linter: &["use-namespace"],
            ..NONE
        },
        applies: Applies::Namespaced,
        check: explicit_namespace,
    },
    Rule {
        id: "KW-META-002",
        severity: Severity::Error,
        title: "Objects use stable API versions",
        explanation: "Beta and alpha API versions are removed from the API server after \
deprecation: the manifest stops applying at the next upgrade. Use apps/v1, batch/v1, \
networking.k8s.io/v1, policy/v1, rbac.authorization.k8s.io/v1 and autoscaling/v2.",
        rubric: &[29],
        scanners: Scanners {
            kube_score: &["stable-version"],
            kube_linter: &["no-extensions-v1beta"],
            ..NONE
        },
        applies: Applies::AllKinds,
        check: stable_api_version,
    },
];

/// The pod template and its containers; every rule with `Applies::*Pods` has one.
fn pod_of(object: &Object) -> Option<(PodTemplate<'_>, Vec<Container<'_>>)> {
    let pod = object.pod()?;
    let containers = pod.containers();
    Some((pod, containers))
}

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
                c.path.clone(),
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
    for c in &containers {
        for field in ["runAsUser", "runAsGroup"] {
            match effective(&pod, c, field).and_then(Value::as_i64) {
                Some(id) if id > 10000 => {}
                Some(id) => hits.add(
                    c.path.clone(),
                    format!(
                        "{} runs with {field} {id}: use a value above 10000",
                        c.label()
                    ),
                ),
                None => hits.add(
                    c.path.clone(),
                    format!(
                        "{} sets no {field}: the image decides, often root or a low id",
                        c.label()
                    ),
                ),
            }
        }
    }
}

fn security_contexts(_: &Index, object: &Object, hits: &mut Hits) {
    let Some((pod, containers)) = pod_of(object) else {
        return;
    };
    if !pod
        .spec
        .get("securityContext")
        .is_some_and(Value::is_object)
    {
        hits.add(pod.spec_path.clone(), "the pod has no securityContext");
    }
    for c in &containers {
        if !c.value.get("securityContext").is_some_and(Value::is_object) {
            hits.add(
                c.path.clone(),
                format!("{} has no securityContext", c.label()),
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

/// Runs `problem` on every container; each `Some` is a hit at the container.
fn for_containers(
    object: &Object,
    hits: &mut Hits,
    problem: impl Fn(&Container) -> Option<String>,
) {
    let Some((_, containers)) = pod_of(object) else {
        return;
    };
    for c in &containers {
        if let Some(message) = problem(c) {
            hits.add(c.path.clone(), message);
        }
    }
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
        (!capability_list(c, "drop").contains(&"ALL"))
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
            if let Some(host_port) = port.get("hostPort") {
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
                c.path.clone(),
                format!("{} runs with seccomp profile {other}", c.label()),
            ),
            None => hits.add(
                c.path.clone(),
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

fn no_token_automount(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    if pod
        .spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false)
    {
        hits.add(
            pod.spec_path.clone(),
            "the pod does not set automountServiceAccountToken: false: every container gets an API token",
        );
    }
}

fn dedicated_service_account(_: &Index, object: &Object, hits: &mut Hits) {
    let Some(pod) = object.pod() else { return };
    let account = ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|f| pod.spec.get(*f).and_then(Value::as_str));
    match account {
        Some(name) if name != "default" => {}
        Some(_) => hits.add(
            format!("{}.serviceAccountName", pod.spec_path),
            "the pod runs under the namespace's default ServiceAccount",
        ),
        None => hits.add(
            pod.spec_path.clone(),
            "the pod names no ServiceAccount and so runs under the namespace's default one",
        ),
    }
}

fn service_account_no_automount(_: &Index, object: &Object, hits: &mut Hits) {
    if object
        .value
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false)
    {
        hits.add(
            "",
            format!(
                "ServiceAccount `{}` does not set automountServiceAccountToken: false",
                object.name
            ),
        );
    }
}

/// The rules of a Role or ClusterRole with their paths.
pub fn role_rules(object: &Object) -> impl Iterator<Item = (String, &Value)> {
    object
        .value
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, rule)| (format!("rules[{i}]"), rule))
}

/// The strings of a list field of an RBAC rule.
pub fn rule_list<'a>(rule: &'a Value, field: &str) -> Vec<&'a str> {
    rule.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn no_wildcards(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, rule) in role_rules(object) {
        for field in ["apiGroups", "resources", "verbs", "nonResourceURLs"] {
            if rule_list(rule, field).iter().any(|v| v.contains('*')) {
                hits.add(
                    format!("{path}.{field}"),
                    format!("{path} grants a wildcard in {field}"),
                );
            }
        }
    }
}

fn no_escalation_verbs(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, rule) in role_rules(object) {
        let dangerous: Vec<&str> = rule_list(rule, "verbs")
            .into_iter()
            .filter(|v| matches!(*v, "bind" | "escalate" | "impersonate"))
            .collect();
        if !dangerous.is_empty() {
            hits.add(
                format!("{path}.verbs"),
                format!("{path} grants {}", dangerous.join(", ")),
            );
        }
    }
}

fn dedicated_subjects(_: &Index, object: &Object, hits: &mut Hits) {
    let subjects = object.value.get("subjects").and_then(Value::as_array);
    for (i, subject) in subjects.into_iter().flatten().enumerate() {
        let field = |k: &str| subject.get(k).and_then(Value::as_str).unwrap_or_default();
        let (kind, name) = (field("kind"), field("name"));
        let everyone = match kind {
            "ServiceAccount" => name == "default",
            "Group" => matches!(
                name,
                "system:authenticated" | "system:unauthenticated" | "system:serviceaccounts"
            ),
            "User" => name == "system:anonymous",
            _ => false,
        };
        if everyone {
            hits.add(format!("subjects[{i}]"), format!("binds {kind} `{name}`"));
        }
    }
}

/// Checks that every container sets `resources.<kind>.<resource>`.
fn resource(object: &Object, hits: &mut Hits, kind: &str, resource: &str) {
    for_containers(object, hits, |c| {
        c.value
            .get("resources")
            .and_then(|r| r.get(kind))
            .and_then(|r| r.get(resource))
            .is_none_or(Value::is_null)
            .then(|| format!("{} sets no {resource} {kind}", c.label()))
    });
}

fn cpu_requests(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "requests", "cpu");
}

fn cpu_limits(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "limits", "cpu");
}

fn memory_requests(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "requests", "memory");
}

fn memory_limits(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "limits", "memory");
}

fn ephemeral_storage(_: &Index, object: &Object, hits: &mut Hits) {
    resource(object, hits, "requests", "ephemeral-storage");
    resource(object, hits, "limits", "ephemeral-storage");
}

fn probe(object: &Object, hits: &mut Hits, field: &str) {
    for_containers(object, hits, |c| {
        (!c.init && c.value.get(field).is_none_or(Value::is_null))
            .then(|| format!("{} has no {field}", c.label()))
    });
}

fn readiness_probe(_: &Index, object: &Object, hits: &mut Hits) {
    probe(object, hits, "readinessProbe");
}

fn liveness_probe(_: &Index, object: &Object, hits: &mut Hits) {
    probe(object, hits, "livenessProbe");
}

/// The handler of a probe: what it calls, without its timing.
fn probe_handler(probe: &Value) -> Option<Value> {
    let handler: serde_json::Map<String, Value> = probe
        .as_object()?
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "httpGet" | "tcpSocket" | "grpc" | "exec"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(Value::Object(handler))
}

fn distinct_probes(_: &Index, object: &Object, hits: &mut Hits) {
    for_containers(object, hits, |c| {
        let readiness = probe_handler(c.value.get("readinessProbe")?)?;
        let liveness = probe_handler(c.value.get("livenessProbe")?)?;
        (readiness == liveness)
            .then(|| format!("{} has identical readiness and liveness probes", c.label()))
    });
}

fn autoscaler_minimum(_: &Index, object: &Object, hits: &mut Hits) {
    let min = object
        .at(&["spec", "minReplicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1);
    if min < 2 {
        hits.add(
            "spec.minReplicas",
            format!("the autoscaler may scale down to {min} replica"),
        );
    }
}

/// The replica count of a Deployment or StatefulSet (1 when unset).
pub fn replicas(object: &Object) -> i64 {
    object
        .at(&["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn spread_across_nodes(index: &Index, object: &Object, hits: &mut Hits) {
    if replicas(object) < 2 && !index.is_autoscaled(object) {
        return;
    }
    let Some(pod) = object.pod() else { return };
    let labels = pod.labels();
    let selects_own = |term: &Value| {
        term.get("labelSelector")
            .is_some_and(|s| super::selector::matches(s, labels))
    };
    let anti_affinity = pod
        .spec
        .get("affinity")
        .and_then(|a| a.get("podAntiAffinity"));
    let required = anti_affinity
        .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let preferred = anti_affinity
        .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("podAffinityTerm"));
    let on_hostname = required.chain(preferred).any(|term| {
        term.get("topologyKey").and_then(Value::as_str) == Some("kubernetes.io/hostname")
            && selects_own(term)
    });
    let spread = pod
        .spec
        .get("topologySpreadConstraints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(selects_own);
    if !on_hostname && !spread {
        hits.add(
            pod.spec_path.clone(),
            "no podAntiAffinity on kubernetes.io/hostname and no topologySpreadConstraints select the pod's own labels: replicas may share a node",
        );
    }
}

fn budget_allows_disruption(_: &Index, object: &Object, hits: &mut Hits) {
    let field = |f: &str| object.at(&["spec", f]);
    let is = |v: Option<&Value>, int: i64, text: &str| {
        v.is_some_and(|v| v.as_i64() == Some(int) || v.as_str() == Some(text))
    };
    if is(field("maxUnavailable"), 0, "0%") {
        hits.add(
            "spec.maxUnavailable",
            "maxUnavailable 0 blocks every eviction",
        );
    }
    if field("minAvailable").and_then(Value::as_str) == Some("100%") {
        hits.add(
            "spec.minAvailable",
            "minAvailable 100% blocks every eviction",
        );
    }
}

fn budget_eviction_policy(_: &Index, object: &Object, hits: &mut Hits) {
    if object.at(&["spec", "unhealthyPodEvictionPolicy"]).is_none() {
        hits.add("spec", "no unhealthyPodEvictionPolicy");
    }
}

fn cluster_ip_service(_: &Index, object: &Object, hits: &mut Hits) {
    if let Some(kind @ ("NodePort" | "LoadBalancer")) =
        object.at(&["spec", "type"]).and_then(Value::as_str)
    {
        hits.add("spec.type", format!("the Service is of type {kind}"));
    }
}

fn named_target_port(_: &Index, object: &Object, hits: &mut Hits) {
    let has_selector = object
        .at(&["spec", "selector"])
        .and_then(Value::as_object)
        .is_some_and(|s| !s.is_empty());
    if !has_selector {
        return;
    }
    let ports = object.at(&["spec", "ports"]).and_then(Value::as_array);
    for (i, port) in ports.into_iter().flatten().enumerate() {
        if !port.get("targetPort").is_some_and(Value::is_string) {
            let number = port.get("targetPort").or_else(|| port.get("port"));
            let name = port
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("spec.ports[{i}]"), |n| format!("port `{n}`"));
            hits.add(
                format!("spec.ports[{i}]"),
                format!(
                    "{name} targets container port {} by number",
                    number.map_or("?".to_string(), Value::to_string)
                ),
            );
        }
    }
}

fn ingress_tls(index: &Index, object: &Object, hits: &mut Hits) {
    let tls = object.at(&["spec", "tls"]).and_then(Value::as_array);
    let secured: Vec<&str> = tls
        .into_iter()
        .flatten()
        .flat_map(|t| rule_list(t, "hosts"))
        .collect();
    let rules = object.at(&["spec", "rules"]).and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        match rule.get("host").and_then(Value::as_str) {
            Some(host) if secured.contains(&host) => {}
            Some(host) => hits.add(
                format!("spec.rules[{i}].host"),
                format!("host {host} is not listed under spec.tls"),
            ),
            None if tls.is_none_or(Vec::is_empty) => hits.add(
                format!("spec.rules[{i}]"),
                "a rule without a host is served without TLS",
            ),
            None => {}
        }
    }
    for (i, entry) in tls.into_iter().flatten().enumerate() {
        let Some(name) = entry.get("secretName").and_then(Value::as_str) else {
            continue;
        };
        let secret = index.find(Kind::Secret, object.namespace.as_deref(), name);
        let kind = secret
            .and_then(|s| s.value.get("type"))
            .and_then(Value::as_str);
        if let Some(secret) = secret
            && kind != Some("kubernetes.io/tls")
        {
            hits.add(
                format!("spec.tls[{i}].secretName"),
                format!(
                    "Secret `{}` is of type {}, not kubernetes.io/tls",
                    secret.name,
                    kind.unwrap_or("Opaque")
                ),
            );
        }
    }
}

fn no_snippets(_: &Index, object: &Object, hits: &mut Hits) {
    let annotations = object
        .at(&["metadata", "annotations"])
        .and_then(Value::as_object);
    for key in annotations.into_iter().flatten().map(|(k, _)| k) {
        if key.ends_with("-snippet") || key.ends_with("-snippets") {
            hits.add(
                format!("metadata.annotations.{key}"),
                format!("annotation {key} injects raw controller configuration"),
            );
        }
    }
}

/// Whether a NetworkPolicy port entry covers port 53 for `protocol`.
fn covers_dns(port: &Value, protocol: &str) -> bool {
    let proto = port
        .get("protocol")
        .and_then(Value::as_str)
        .unwrap_or("TCP");
    let number = port.get("port");
    let end = port.get("endPort").and_then(Value::as_i64);
    let covers = match number {
        None => true,
        Some(Value::String(name)) => name == "dns" || name == "dns-tcp" || name == "domain",
        Some(n) => n
            .as_i64()
            .is_some_and(|start| start == 53 || (start <= 53 && end.is_some_and(|e| e >= 53))),
    };
    proto == protocol && covers
}

/// Why a peer of a DNS egress rule reaches beyond cluster DNS, if it does.
fn too_wide(peer: &Value) -> Option<String> {
    if let Some(block) = peer.get("ipBlock") {
        let cidr = block.get("cidr").and_then(Value::as_str).unwrap_or("?");
        let single = cidr.ends_with("/32") || cidr.ends_with("/128");
        return (!single).then(|| format!("to the address range {cidr}"));
    }
    let pods = peer.get("podSelector");
    let namespaces = peer.get("namespaceSelector");
    match (namespaces, pods) {
        (_, None) => Some("to every pod of the selected namespaces".to_string()),
        (_, Some(p)) if super::selector::is_empty(p) => {
            Some("to every pod of the selected namespaces".to_string())
        }
        _ => None,
    }
}

fn dns_egress(_: &Index, object: &Object, hits: &mut Hits) {
    let egress = object.at(&["spec", "egress"]).and_then(Value::as_array);
    let mut udp = false;
    let mut tcp = false;
    for (i, rule) in egress.into_iter().flatten().enumerate() {
        let ports: Vec<&Value> = rule
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        let (rule_udp, rule_tcp) = (
            ports.iter().any(|p| covers_dns(p, "UDP")),
            ports.iter().any(|p| covers_dns(p, "TCP")),
        );
        if !rule_udp && !rule_tcp {
            continue;
        }
        udp |= rule_udp;
        tcp |= rule_tcp;
        let peers: Vec<&Value> = rule
            .get("to")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        if peers.is_empty() {
            hits.add(
                format!("spec.egress[{i}]"),
                format!("egress[{i}] opens port 53 to every destination"),
            );
        }
        for (j, peer) in peers.iter().enumerate() {
            if let Some(why) = too_wide(peer) {
                hits.add(
                    format!("spec.egress[{i}].to[{j}]"),
                    format!("egress[{i}] opens port 53 {why}"),
                );
            }
        }
    }
    if udp && !tcp {
        hits.add(
            "spec.egress",
            "DNS egress allows UDP 53 but not TCP 53: large answers fall back to TCP and fail",
        );
    }
}

fn explicit_namespace(_: &Index, object: &Object, hits: &mut Hits) {
    match object.namespace.as_deref() {
        None => hits.add(
            "metadata",
            "no metadata.namespace: the object lands in whatever namespace it is applied to",
        ),
        Some(ns @ ("default" | "kube-system")) => hits.add(
            "metadata.namespace",
            format!("the object is in the {ns} namespace"),
        ),
        Some(_) => {}
    }
}

fn stable_api_version(_: &Index, object: &Object, hits: &mut Hits) {
    let version = object
        .api_version
        .rsplit_once('/')
        .map_or(object.api_version.as_str(), |(_, v)| v);
    if version.contains("alpha") || version.contains("beta") {
        hits.add(
            "apiVersion",
            format!(
                "{} {} is not a stable API version",
                object.api_version,
                object.kind_name()
            ),
        );
    }
}
