//! Why each kind of decision exists: for every decision id the plan can make, its concern,
//! the threat it counters, the reason, and the rubric rows it satisfies. Data only: the plan
//! adds what varies per service (the summary and the answer that caused it).

use super::threats::{Concern, Threat};

/// The fixed part of one kind of decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionKind {
    pub id: &'static str,
    pub concern: Concern,
    pub threat: Threat,
    pub reason: &'static str,
    pub rubric: &'static [u8],
}

const fn entry(
    id: &'static str,
    concern: Concern,
    threat: Threat,
    reason: &'static str,
    rubric: &'static [u8],
) -> DecisionKind {
    DecisionKind {
        id,
        concern,
        threat,
        reason,
        rubric,
    }
}

use Concern::{Availability, Identity, Network, Runtime, SecretsAndTls};
use Threat::{
    ApiServerAttack, ContainerBreakout, DenialOfService, ExposedSecrets, ManInTheMiddle,
    TamperedImage, UnauthorisedAccess,
};

/// Every kind of decision, in the order `explain --rule` lists them.
#[rustfmt::skip]
pub const KINDS: &[DecisionKind] = &[
    entry("namespace-pod-security", Identity, ContainerBreakout,
        "the API server itself refuses pods that could break out of their container, even ones not written by kubeward",
        &[22]),
    entry("namespace-platform-owned", Identity, ContainerBreakout,
        "a namespace outlives each of its services: the platform that creates it keeps its Namespace, quota and limits, so no service's bundle can delete them or fight another's over them, and its labels still make the API server refuse pods that could break out of their container",
        &[]),
    entry("dedicated-service-account", Identity, ApiServerAttack,
        "the namespace's default account is shared; a dedicated one gets exactly the permissions granted below and no token unless the API is needed",
        &[10, 11]),
    entry("no-api-access", Identity, ApiServerAttack,
        "a pod without a token cannot be used to attack the API server",
        &[10]),
    entry("api-access", Identity, ApiServerAttack,
        "least privilege: a compromised pod can do only what the service itself needs against the API server",
        &[12, 28]),
    entry("default-deny", Network, UnauthorisedAccess,
        "without a default deny, every pod in the cluster can reach every other: one compromised component reaches them all",
        &[23]),
    entry("caller", Network, UnauthorisedAccess,
        "only declared callers may open connections: unauthorised access between components is denied",
        &[24]),
    entry("caller-range", Network, UnauthorisedAccess,
        "only the declared address range may open connections, on the service's port; cluster-internal and cloud-metadata ranges inside it stay denied unless declared exactly",
        &[24]),
    entry("ingress-controller", Network, UnauthorisedAccess,
        "public traffic arrives only from the pods of the public entry (the Gateway's data plane, the Ingress controller, or OpenShift's router), which terminate TLS for the public host; no other pod may use the public path",
        &[24, 27, 32]),
    entry("mesh-mtls", Identity, UnauthorisedAccess,
        "a label can be worn by any pod its namespace lets someone create; an identity proven by mutual TLS on every connection cannot, and no client without one gets in",
        &[36]),
    entry("mesh-caller", Identity, UnauthorisedAccess,
        "only the declared callers' ServiceAccounts, proven by the mesh's mutual TLS, are admitted on the service's port: a pod with the right label but another identity is refused",
        &[36]),
    entry("mesh-entry", Identity, UnauthorisedAccess,
        "public traffic arrives only through the entry, whose mesh identity is the one admitted besides the callers'",
        &[36]),
    entry("mesh-no-callers", Identity, UnauthorisedAccess,
        "what is not declared is denied, by the mesh as by the NetworkPolicies",
        &[36]),
    entry("mesh-control-plane", Network, UnauthorisedAccess,
        "the proxy gets its certificate and its configuration from the mesh's control plane; without this egress it never becomes ready, and nothing else of the control plane is opened",
        &[36]),
    entry("mesh-inbound-port", Network, UnauthorisedAccess,
        "between meshed pods the proxy replaces the target port with its own inbound port: the NetworkPolicy admits the declared callers there too, and nobody else",
        &[34, 36]),
    entry("no-callers", Network, UnauthorisedAccess,
        "what is not declared is denied",
        &[24]),
    entry("cluster-ip-service", Network, UnauthorisedAccess,
        "a ClusterIP Service is reachable only inside the cluster; a NodePort would open the port on every node to whatever reaches the nodes",
        &[26]),
    entry("dns-egress", Network, UnauthorisedAccess,
        "name resolution is needed by every client; limiting it to cluster DNS stops DNS being used as a tunnel to anything else",
        &[25]),
    entry("egress-app", Network, UnauthorisedAccess,
        "the service reaches only what it declared: a compromised pod cannot scan or pivot",
        &[24]),
    entry("egress-cidr", Network, UnauthorisedAccess,
        "an address range reaches the outside world only; cluster-internal and cloud-metadata ranges it happens to contain stay denied unless declared exactly",
        &[24]),
    entry("api-server-egress", Network, ApiServerAttack,
        "the service needs the API; only the API server's endpoints are opened, from the preset's apiServer.cidrs (or --api-server-cidr)",
        &[24]),
    entry("outside-peer", Network, UnauthorisedAccess,
        "a connection needs both ends: the namespace of a pod outside the system must let it out (or in) too, or the connection fails; this policy opens exactly that flow, and DNS for a caller, and nothing else",
        &[34]),
    entry("public-ingress", Network, ManInTheMiddle,
        "public traffic is encrypted in transit and enters only through the ingress controller",
        &[27, 32]),
    entry("public-route", Network, ManInTheMiddle,
        "public traffic enters only through OpenShift's router over TLS, never an unencrypted Route: plain HTTP is redirected, and a service with TLS is re-encrypted to and verified, or passed through unopened",
        &[27, 32]),
    entry("gateway-route", Network, ManInTheMiddle,
        "public traffic enters only through the Gateway's HTTPS listener, on maintained Gateway API rather than a retired Ingress controller; a route on a plain-HTTP listener would serve the host in clear text",
        &[32]),
    entry("https-redirect", Network, ManInTheMiddle,
        "a client that types http:// is sent to https:// before anything is served: nothing of the service crosses the network in clear text",
        &[32]),
    entry("backend-tls", Network, ManInTheMiddle,
        "the hop from the Gateway to the pods is encrypted and the Gateway checks it reaches the service, not whatever answers on its address",
        &[32]),
    entry("public-certificate", Network, ManInTheMiddle,
        "TLS for the public host ends at the Gateway's listener, with a certificate the platform controls, or one issued in the service's namespace that the Gateway may read through a ReferenceGrant for that one Secret and nothing else",
        &[32]),
    entry("rate-limit", Network, DenialOfService,
        "a flood from one client address is answered by the entry with 429 before it reaches the pods, so one abuser cannot starve everyone else",
        &[33]),
    entry("connection-limit", Network, DenialOfService,
        "the pods never hold more connections than they can serve: the rest wait at the entry or are refused, instead of exhausting the service",
        &[33]),
    entry("body-size-limit", Network, DenialOfService,
        "a huge request body is refused at the entry (413) instead of filling the memory of a pod",
        &[33]),
    entry("request-timeout", Network, DenialOfService,
        "slow requests cannot pile up and hold the entry's and the pods' connections forever",
        &[33]),
    entry("source-ranges", Network, DenialOfService,
        "only the named client ranges reach the service at all: everyone else is refused at the entry (403)",
        &[33]),
    entry("limit-unenforced", Network, DenialOfService,
        "a limit the entry cannot enforce is left out and said so, rather than written where nothing reads it",
        &[33]),
    entry("image-digest", Runtime, TamperedImage,
        "a digest names exact bytes: a re-pushed tag cannot swap the code that runs",
        &[13, 14]),
    entry("image-tag-only", Runtime, TamperedImage,
        "a tag can be re-pushed; the exemption keeps the departure visible until the image is pinned by digest",
        &[13]),
    entry("low-port", Runtime, ContainerBreakout,
        "adding a capability would weaken the container; listening on a high port is the portable fix",
        &[5]),
    entry("non-root", Runtime, ContainerBreakout,
        "a process that escapes the application as root, or with capabilities, is one kernel bug away from the node",
        &[1, 2, 3, 4, 5, 7, 8]),
    entry("read-only-root", Runtime, ContainerBreakout,
        "an attacker who gets code execution cannot drop tools or alter the binary, and a runaway writer cannot fill the node's disk",
        &[6]),
    entry("writable-root", Runtime, ContainerBreakout,
        "the application cannot run read-only yet; the ephemeral-storage limit still stops it filling the node's disk, and the exemptions keep the departure visible",
        &[6]),
    entry("secret-file", SecretsAndTls, ExposedSecrets,
        "environment variables leak into logs, crash dumps and child processes; a read-only file with mode 0440 does not",
        &[17]),
    entry("rollout-digest", SecretsAndTls, ExposedSecrets,
        "a rotated secret or a renewed certificate that running pods never read is not rotated: the digest on the pod template changes with them, so applying the bundle restarts the pods",
        &[]),
    entry("secret-store", SecretsAndTls, ExposedSecrets,
        "the value stays in its store: the bundle, the repository and kubeward's state folder never hold it, and a value changed in the store reaches the Secret at the next refresh",
        &[37]),
    entry("sealed-secrets", SecretsAndTls, ExposedSecrets,
        "only the controller's private key, which never leaves the cluster, decrypts the values: the output can be committed, and a leaked repository reveals no secret",
        &[37]),
    entry("plain-secrets", SecretsAndTls, ExposedSecrets,
        "base64 is an encoding, not encryption: whoever reads a Secret file, or a repository it was committed to, has the value; the mark on each Secret and render's git warning keep that visible until the Secrets are sealed",
        &[37]),
    entry("service-tls", SecretsAndTls, ManInTheMiddle,
        "traffic between components is encrypted; a caller that verifies the chain against its trust anchor (every caller rendered in the same system mounts it) also knows it reaches this service, so a pod on the path can neither read nor alter it",
        &[35]),
    entry("trust-bundle", SecretsAndTls, ManInTheMiddle,
        "TLS protects only a client that verifies the server: without the anchor of the server's chain, a man in the middle can present any certificate",
        &[35]),
    entry("unverified-server", SecretsAndTls, ManInTheMiddle,
        "a certificate the caller cannot verify stops eavesdroppers but not a man in the middle",
        &[35]),
    entry("client-certificate", SecretsAndTls, UnauthorisedAccess,
        "a server that requires client certificates admits only callers that prove who they are: a position on the network, or a stolen address, is not enough",
        &[35]),
    entry("client-auth", SecretsAndTls, UnauthorisedAccess,
        "mutual TLS: the service learns who calls it from a certificate its own trust verifies, not from an address",
        &[35]),
    entry("client-auth-outside", SecretsAndTls, UnauthorisedAccess,
        "a caller without a client certificate the service trusts is refused at the handshake: it needs one from a CA the service verifies",
        &[35]),
    entry("outside-trust", SecretsAndTls, ManInTheMiddle,
        "callers outside the system verify the service too, with the same trust bundle",
        &[35]),
    entry("no-tls", SecretsAndTls, ManInTheMiddle,
        "TLS is on by default from sensitivity internal when the protocol speaks it, and always for restricted; without it, a pod on the path can read and alter the traffic",
        &[]),
    entry("replicas", Availability, DenialOfService,
        "one pod is one node failure or one eviction away from an outage; spreading and a budget keep the service up through drains and crashes",
        &[19, 20, 21]),
    entry("zone-spread", Availability, DenialOfService,
        "a zone can fail as a whole (power, network, a cloud outage): replicas in several zones keep the service up through it",
        &[20]),
    entry("drain-delay", Availability, DenialOfService,
        "removing a pod from its endpoints takes time to reach kube-proxy on every node, the entry and the mesh; a pod that stops at once drops the connections still sent to it, so every rollout and drain fails some requests",
        &[21]),
    entry("resources", Availability, DenialOfService,
        "limits contain a compromised or leaking pod so it cannot starve its neighbours",
        &[15]),
    entry("probes", Availability, DenialOfService,
        "readiness keeps traffic off pods that are not ready; a separate liveness check restarts only pods that are stuck",
        &[16]),
    entry("namespace-quota", Availability, DenialOfService,
        "a compromised or runaway workload cannot exhaust the cluster or starve its neighbours, every pod in the namespace gets limits, and no Service opens a node port or a load balancer",
        &[30, 33]),
    entry("autoscaler", Availability, DenialOfService,
        "under load the service gets more pods within seconds, and never fewer than two; scaling down waits, so a lull in an attack does not drop the pods the next wave needs",
        &[19, 31]),
    entry("priority-class", Availability, DenialOfService,
        "when nodes run short, the scheduler keeps the pods of the service by their priority rather than by chance",
        &[30]),
];

/// The kind of decision with this id.
pub fn kind(id: &str) -> Option<&'static DecisionKind> {
    KINDS.iter().find(|k| k.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique() {
        let ids: BTreeSet<&str> = KINDS.iter().map(|k| k.id).collect();
        assert_eq!(ids.len(), KINDS.len());
    }

    #[test]
    fn every_threat_is_countered_by_some_kind() {
        for threat in Threat::ALL {
            assert!(
                KINDS.iter().any(|k| k.threat == threat),
                "{threat:?} has no decision"
            );
        }
    }

    #[test]
    fn every_cited_rubric_row_has_references() {
        for kind in KINDS {
            for row in kind.rubric {
                assert!(
                    crate::plan::rubric::row(*row).is_some(),
                    "{} cites row {row}",
                    kind.id
                );
            }
        }
    }
}
