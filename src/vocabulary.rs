//! The names every stage shares: the well-known labels that select pods and namespaces,
//! kubeward's own annotation keys and the Sealed Secrets scope annotations, and the rule ids
//! the plan and the render suppress by name. They live here, below every stage, so that the
//! plan, the templates, the rule engine and the traffic reader agree on them without
//! importing each other.

/// The label that names an app's pods; callers and destinations are matched by it alone.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// The label Kubernetes puts on every Namespace with its own name.
pub const NAMESPACE_LABEL: &str = "kubernetes.io/metadata.name";
/// The annotation key of kubeward's own suppressions (`RULE-ID=reason`, one per line).
pub const IGNORE_ANNOTATION: &str = "kubeward.dev/ignore";
/// The annotation that records the controls an override template was allowed to drop.
pub const OVERRIDE_ANNOTATION: &str = "kubeward.dev/template-override";
/// The rule a NetworkPolicy for pods outside the checked set must suppress.
pub const POLICY_SELECTS_NOTHING: &str = "KW-NET-002";
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
