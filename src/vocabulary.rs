//! The names every stage shares: the well-known labels that select pods and namespaces,
//! kubeward's own annotation keys, the Sealed Secrets scope annotations and OpenShift's
//! namespace annotations and labels, the rule ids the
//! plan and the render suppress by name, the ids of the warnings, and the API resources
//! through which a Role lets its holder run code as someone else. They live here, below
//! every stage, so that the plan, the templates, the rule engine and the traffic reader agree
//! on them without importing each other.

/// The label that names an app's pods; callers and destinations are matched by it alone.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// The label Kubernetes puts on every Namespace with its own name.
pub const NAMESPACE_LABEL: &str = "kubernetes.io/metadata.name";
/// Where client libraries look for the service account token, CA and namespace.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// The namespace annotation of the uid range OpenShift's `restricted-v2` SCC assigns from.
pub const OPENSHIFT_UID_RANGE: &str = "openshift.io/sa.scc.uid-range";
/// The namespace annotation of the group range a pod's `fsGroup` must lie in on OpenShift.
pub const OPENSHIFT_GROUP_RANGE: &str = "openshift.io/sa.scc.supplemental-groups";
/// The namespace label that turns OpenShift's Pod Security label synchronisation off.
pub const OPENSHIFT_LABEL_SYNC: &str = "security.openshift.io/scc.podSecurityLabelSync";
/// The annotation key of kubeward's own suppressions (`RULE-ID=reason`, one per line).
pub const IGNORE_ANNOTATION: &str = "kubeward.dev/ignore";
/// The annotation that records the controls an override template was allowed to drop.
pub const OVERRIDE_ANNOTATION: &str = "kubeward.dev/template-override";
/// The rule a NetworkPolicy for pods outside the checked set must suppress.
pub const POLICY_SELECTS_NOTHING: &str = "KW-NET-002";

/// The subresources that run commands inside pods (`create`, and `get` through a WebSocket):
/// exec and attach, and the kubelet's API behind `nodes/proxy`. All in the core group.
pub const POD_EXEC_RESOURCES: &[&str] = &["pods/exec", "pods/attach", "nodes/proxy"];
/// The verbs that open [`POD_EXEC_RESOURCES`].
pub const POD_EXEC_VERBS: &[&str] = &["create", "get"];
/// The pod controllers, by API group, whose pod template names the ServiceAccount the pods
/// run as: `create`, `update` or `patch` on them runs a pod as any account of the namespace,
/// as `create` on `pods` (core group) does.
pub const POD_CONTROLLERS: &[(&str, &str)] = &[
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("extensions", "deployments"),
    ("extensions", "daemonsets"),
    ("extensions", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("apps.openshift.io", "deploymentconfigs"),
];
/// The verbs that change a pod controller's template.
pub const POD_CONTROLLER_VERBS: &[&str] = &["create", "update", "patch"];
/// The pod-template annotation whose value is a digest of every Secret and certificate the pod
/// mounts, so that a changed value rolls the pods out.
pub const MATERIAL_DIGEST_ANNOTATION: &str = "kubeward.dev/material-digest";

/// Every warning id, with what to do about it; the book lists them (`reference/warnings.md`).
/// Ids are stable: scripts and `--deny-warnings` users rely on them.
pub const WARNINGS: &[(&str, &str)] = &[
    (
        "tag-only-image",
        "pin the image by digest (repo:tag@sha256:...); kubeward then writes no exemption",
    ),
    (
        "writable-root-filesystem",
        "use a preset that keeps readOnlyRootFilesystem: true, and list the paths the application writes in the preset's writableTmp or an emptyDir",
    ),
    (
        "single-replica",
        "set spec.replicas to 2 or more, or write `replicas: 1` in the spec to ask for a singleton by name",
    ),
    (
        "not-spread",
        "use a preset with spreadAcrossNodes: true, so that replicas land on different nodes",
    ),
    (
        "no-drain-delay",
        "set the preset's podSecurityVersion to the Kubernetes minor the cluster runs (v1.30 or later has the preStop sleep action), or make the application keep serving for drainSeconds after SIGTERM",
    ),
    (
        "localhost-seccomp",
        "use a preset whose seccompProfile is RuntimeDefault, unless the nodes' Localhost profile is maintained on purpose",
    ),
    (
        "private-ca-public-host",
        "set spec.ingress.issuer (or --ingress-issuer) to a cert-manager issuer of a public CA, such as an ACME ClusterIssuer",
    ),
    (
        "plaintext-confidential",
        "set spec.tls.mode (self-signed, ca or cert-manager), or lower spec.sensitivity if the data is not confidential",
    ),
    (
        "metadata-egress",
        "remove the egress entry unless the service must read instance metadata; give it its own cloud identity instead of the node's",
    ),
    (
        "expired-suppression",
        "fix the finding, or renew the entry of the suppressions file with a new expiry date",
    ),
    (
        "unused-suppression",
        "remove the entry from the suppressions file: it matches no finding any more",
    ),
    (
        "kubernetes-unsupported",
        "upgrade spec.kubernetesVersion of the SecureCluster to a supported minor, one minor at a time",
    ),
    (
        "kubernetes-unknown",
        "use a kubeward whose release table knows this minor, or check upstream's support for it yourself",
    ),
    (
        "retired-ingress-controller",
        "route the service through a Gateway instead (spec.ingress.api: gateway), or an Ingress class whose controller is maintained",
    ),
    (
        "sealing-cluster-wide",
        "use spec.sealing.scope strict (the default) unless the value must move between namespaces or names",
    ),
    (
        "outside-peer",
        "apply the policy written under _peers/<namespace>/ in that namespace, or render the peer as a service of the system",
    ),
    (
        "unverified-server",
        "give the server's spec spec.tls.issuer.ca (the PEM of its cert-manager issuer's CA), so that its callers can verify it",
    ),
    (
        "client-auth-outside",
        "give the caller a client certificate from a CA the service trusts (spec.tls.clientCa), or render the caller as a service of the system",
    ),
    (
        "secrets-in-git",
        "seal every Secret (spec.sealing, or --seal-cert PATH), keep each value in an external store (secrets[].fromStore), or ignore the files in .gitignore",
    ),
    (
        "certificate-renewal",
        "renew the CA the warning names as it says (kubeward's root: move the state folder's trust/ aside and render and apply every service of that folder together; your CA or a trust anchor file: renew it at its source and render again)",
    ),
];

/// The annotation that lets the Sealed Secrets controller unseal a value under any name in
/// its namespace (the value was sealed with the namespace alone as its label).
pub const SEALED_NAMESPACE_WIDE: &str = "sealedsecrets.bitnami.com/namespace-wide";
/// The annotation that lets the Sealed Secrets controller unseal a value in any namespace
/// (the value was sealed with an empty label).
pub const SEALED_CLUSTER_WIDE: &str = "sealedsecrets.bitnami.com/cluster-wide";
/// The rule a plain Secret with data breaks (its values are plaintext at rest).
pub const PLAINTEXT_SECRET: &str = "KW-SECRET-001";
/// The rule of a TLS Secret's certificate that has expired or is about to.
pub const CERTIFICATE_EXPIRY: &str = "KW-SECRET-003";
/// The rule a SealedSecret sealed cluster-wide breaks.
pub const CLUSTER_WIDE_SEALING: &str = "KW-SECRET-002";
/// The rule a public entry without rate or connection limits breaks (suppressed, with the
/// reason, where the entry cannot enforce them).
pub const UNLIMITED_PUBLIC_ENTRY: &str = "KW-LOAD-004";
/// The rule an Ingress of a retired controller breaks (suppressed, with the reason, when the
/// spec asks for one).
pub const RETIRED_INGRESS_CONTROLLER: &str = "KW-LOAD-005";
