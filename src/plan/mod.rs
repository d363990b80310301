//! The plan stage: a pure function from a validated service and its preset to the objects
//! to render and the decisions behind them, each with its reason, the threat it counters and
//! its rubric rows. No YAML, no I/O. Each part of the bundle is planned in its own file
//! (`namespace` with its quota, `workload`, `scaling`, `network`, `tls`, `ingress` or
//! `gateway` with the `limits` at the door, `access`, `secrets` and their sealing), every
//! choice recorded in `decisions` with its fixed part from `rationale` (`threats`, `rubric`),
//! every deliberate departure from the rubric written as scanner `exemptions`. Hands the
//! [`Plan`] to `material` and `render`.

mod access;
mod decisions;
pub mod exemptions;
mod gateway;
mod ingress;
mod labels;
mod limits;
mod mesh;
mod namespace;
mod network;
mod objects;
pub mod rationale;
mod route;
pub mod rubric;
mod scaling;
mod secrets;
mod surroundings;
mod threats;
mod tls;
mod trust;
mod workload;

use std::collections::BTreeMap;

use serde::Serialize;

pub use access::RoleRule;
pub use decisions::{Decision, headline, note};
pub use gateway::{BackendTls, Gateway, ParentRef, RateRule, ReferenceGrant, TrafficPolicy};
pub use ingress::{Ingress, NGINX_CLASS};
pub use mesh::{MeshIdentity, MeshPlan, istio_principal, linkerd_identity};
pub use namespace::{NamespaceMarks, QUOTA_NAME, Quota};
pub use network::{
    Admitted, AdmittedRange, Dns, EgressRule, Network, PeerPolicy, PodPeer, PortRule, ServicePort,
    service_port,
};
pub use objects::{PEERS_DIR, Placement, PlannedObject};
pub use route::{Route, SecretReader};
pub use scaling::{Autoscaler, UtilizationTarget};
pub use secrets::{SealingPlan, SecretPlan, StorePlan};
pub use surroundings::{Anchor, Neighbour, PeerTls, Surroundings};
pub use threats::{Concern, Threat};
pub use tls::{CertPlan, CertSource, Purpose};
pub use trust::{BundlePlan, ClientCert, TRUST_BUNDLE, TrustPlan, spiffe_id};
pub use workload::{ApiToken, Probe, ProbePort, TOKEN_MOUNT_PATH, Workload, WritablePath};

use crate::error::Warning;
use crate::preset::{Platform, Preset};
use crate::validate::Service;
use crate::vocabulary::NAME_LABEL;
use decisions::Decisions;
use objects::{object, placed};

/// Everything a render needs, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub name: String,
    pub namespace: String,
    /// Labels on every object.
    pub labels: BTreeMap<String, String>,
    /// The one label that selects the service's pods.
    pub selector: BTreeMap<String, String>,
    pub pod_security_version: String,
    pub workload: Workload,
    /// The Service's port; `None` for a worker, which has no Service.
    pub service: Option<ServicePort>,
    pub network: Network,
    /// The HorizontalPodAutoscaler, when one owns the replica count.
    pub autoscaler: Option<Autoscaler>,
    /// The public entry as an Ingress (`api: ingress`).
    pub ingress: Option<Ingress>,
    /// The public entry on Gateway API (`api: gateway`).
    pub gateway: Option<Gateway>,
    /// The public entry as an OpenShift Route (`api: route`).
    pub route: Option<Route>,
    /// The cluster the bundle is for (the namespace's labels follow it).
    pub platform: Platform,
    pub role: Option<Vec<RoleRule>>,
    pub secrets: Vec<SecretPlan>,
    /// Every Secret written as a SealedSecret; `None`: plain Secrets.
    pub sealing: Option<SealingPlan>,
    /// The certificate for the service's own port.
    pub tls: Option<CertPlan>,
    /// How long kubeward's own CAs are valid.
    pub ca_validity_days: u32,
    /// How many days before it expires a certificate is renewed (or, kept, warned about).
    pub renew_before_days: u32,
    /// The names kubeward's CA for the namespace may sign (its name constraints): this
    /// service's; a system widens them to every service of the namespace.
    pub ca_names: Vec<String>,
    /// ResourceQuota and LimitRange for the namespace (sensitive data).
    pub quota: Option<Quota>,
    /// Where the platform owns the namespace (`spec.namespace.manage: false`): what it must
    /// carry. `None`: the bundle writes the Namespace.
    pub platform_namespace: Option<NamespaceMarks>,
    /// The trust bundle, client certificates and client CAs the pods mount.
    pub trust: TrustPlan,
    /// The mesh's identities and objects, with a mesh.
    pub mesh: Option<MeshPlan>,
    pub objects: Vec<PlannedObject>,
    pub decisions: Vec<Decision>,
    /// What the user would not expect of the bundle, or what leaves it below the rubric.
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// Every certificate of the plan: the service's own, the public host's, the client
    /// certificates.
    pub fn certificates(&self) -> impl Iterator<Item = &CertPlan> {
        self.tls
            .iter()
            .chain(self.ingress.as_ref().map(|i| &i.tls))
            .chain(self.gateway.as_ref().and_then(|g| g.cert.as_ref()))
            .chain(self.trust.client_certs.iter().map(|c| &c.cert))
    }
}

/// Builds the plan of a service rendered on its own. Pure: same inputs, same plan.
pub fn plan(service: &Service, preset: &Preset) -> Plan {
    plan_in(service, preset, &Surroundings::alone(&service.namespace))
}

/// Builds the plan of a service among the others of its system. Pure: same inputs, same plan.
pub fn plan_in(service: &Service, preset: &Preset, around: &Surroundings) -> Plan {
    let mut decisions = Decisions::default();
    let name = service.name.clone();
    let ns = service.namespace.clone();
    let selector = BTreeMap::from([(NAME_LABEL.to_string(), name.clone())]);
    let mut labels = selector.clone();
    labels.insert("app.kubernetes.io/managed-by".into(), "kubeward".into());
    labels.extend(labels::recommended(service, preset));

    namespace::identity(&mut decisions, service, preset);
    let mut workload = workload::workload(service, preset, &mut decisions);
    let mut network = network::network(service, preset, around, &mut decisions);
    let autoscaler = scaling::autoscaler(service, &mut decisions);
    let controller = mesh::entry_identity(service);
    let mut mesh = mesh::mesh(service, preset, around, controller.as_ref(), &mut decisions);
    if let (Some(mesh), Some(settings)) = (&mut mesh, preset.mesh.network(service.mesh)) {
        mesh::open_network(&mut network, mesh, settings, &mut decisions);
        workload.annotations.extend(mesh.pod_annotations.clone());
    }
    let ingress = ingress::ingress(service, preset, &mut decisions);
    let gateway = gateway::gateway(service, preset, &mut decisions);
    let route = route::route(service, preset, &mut decisions);
    let role = access::role(service, &mut decisions);
    let secrets = secrets::secrets(service, preset, &mut decisions);
    let tls = tls::service_cert(service, preset, &mut decisions);
    // The public host's certificate: the Ingress's, or the one issued for the Gateway's
    // listener or the Route.
    let public_cert = ingress
        .as_ref()
        .map(|i| &i.tls)
        .or(gateway.as_ref().and_then(|g| g.cert.as_ref()))
        .or(route.as_ref().and_then(|r| r.cert.as_ref()));
    let writes_secrets = secrets.iter().any(|s| s.store.is_none())
        || tls
            .iter()
            .chain(public_cert)
            .any(|c| c.source != CertSource::CertManager);
    let sealing = secrets::sealing(service, writes_secrets, &mut decisions);
    let quota = namespace::quota(service, preset, &mut decisions);
    let platform_namespace =
        namespace::platform_owned(&mut decisions, service, preset, mesh.as_ref());
    let trust = trust::trust(service, preset, around, &mut decisions);
    let ca_names = tls::ca_names(&ns, &preset.cluster_domain, tls.iter().chain(public_cert));
    let own_certificate = tls.as_ref().filter(|c| c.source != CertSource::CertManager);
    if !secrets.is_empty() || own_certificate.is_some() {
        let mounted: Vec<&str> = secrets
            .iter()
            .map(|s| s.object_name.as_str())
            .chain(own_certificate.map(|c| c.secret_name.as_str()))
            .collect();
        decisions.add(
            "rollout-digest",
            format!(
                "the pod template carries a digest of what the pods mount ({}), so a rotation or a renewal restarts them and an unchanged render does not",
                mounted.join(", ")
            ),
            [
                (!secrets.is_empty()).then_some("spec.secrets"),
                own_certificate.map(|_| "spec.tls"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        );
    }
    let service_port = network::service_port(service);
    if let Some(service_port) = &service_port {
        decisions.add(
            "cluster-ip-service",
            format!(
                "a ClusterIP Service on port {} to the container's `{}` port",
                service_port.port, service_port.target_port_name
            ),
            "always",
        );
    }

    let shared = |mut object: PlannedObject| {
        object.placement = Placement::Namespace;
        object
    };
    let mut objects = Vec::new();
    if service.manage_namespace {
        objects.push(shared(object(
            "v1",
            "Namespace",
            &ns,
            None,
            "namespace.yaml",
        )));
    }
    if quota.is_some() {
        for (kind, template) in [
            ("ResourceQuota", "resourcequota.yaml"),
            ("LimitRange", "limitrange.yaml"),
        ] {
            objects.push(shared(object("v1", kind, QUOTA_NAME, Some(&ns), template)));
        }
    }
    let add = |objects: &mut Vec<PlannedObject>,
               api: &'static str,
               kind: &'static str,
               obj_name: &str,
               template: &'static str| {
        objects.push(object(api, kind, obj_name, Some(&ns), template));
    };
    add(
        &mut objects,
        "v1",
        "ServiceAccount",
        &name,
        "serviceaccount.yaml",
    );
    if role.is_some() {
        add(
            &mut objects,
            "rbac.authorization.k8s.io/v1",
            "Role",
            &name,
            "role.yaml",
        );
        add(
            &mut objects,
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            &name,
            "rolebinding.yaml",
        );
    }
    for secret in &secrets {
        match secret.store {
            Some(_) => add(
                &mut objects,
                "external-secrets.io/v1",
                "ExternalSecret",
                &secret.object_name,
                "externalsecret.yaml",
            ),
            None => add(
                &mut objects,
                "v1",
                "Secret",
                &secret.object_name,
                "secret.yaml",
            ),
        }
    }
    if let Some(backend) = gateway.as_ref().and_then(|g| g.backend_tls.as_ref())
        && backend.renders_config_map
    {
        add(
            &mut objects,
            "v1",
            "ConfigMap",
            &backend.ca_name,
            "configmap-ca.yaml",
        );
    }
    let client_certs = trust
        .client_certs
        .iter()
        .map(|c| (&c.cert, "certificate-client.yaml"));
    for (cert, certificate) in tls
        .iter()
        .chain(public_cert)
        .map(|c| (c, "certificate.yaml"))
        .chain(client_certs)
    {
        match cert.source {
            CertSource::CertManager => add(
                &mut objects,
                "cert-manager.io/v1",
                "Certificate",
                &cert.secret_name,
                certificate,
            ),
            CertSource::SelfSigned | CertSource::Ca => add(
                &mut objects,
                "v1",
                "Secret",
                &cert.secret_name,
                "secret-tls.yaml",
            ),
        }
    }
    if service_port.is_some() {
        add(&mut objects, "v1", "Service", &name, "service.yaml");
    }
    add(
        &mut objects,
        "apps/v1",
        "Deployment",
        &name,
        "deployment.yaml",
    );
    if autoscaler.is_some() {
        add(
            &mut objects,
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            &name,
            "horizontalpodautoscaler.yaml",
        );
    }
    add(
        &mut objects,
        "policy/v1",
        "PodDisruptionBudget",
        &name,
        "poddisruptionbudget.yaml",
    );
    objects.push(shared(object(
        "networking.k8s.io/v1",
        "NetworkPolicy",
        "default-deny",
        Some(&ns),
        "networkpolicy-default-deny.yaml",
    )));
    add(
        &mut objects,
        "networking.k8s.io/v1",
        "NetworkPolicy",
        &name,
        "networkpolicy.yaml",
    );
    const PEER_POLICY: (&str, &str, &str) = (
        "networking.k8s.io/v1",
        "NetworkPolicy",
        "networkpolicy-peer.yaml",
    );
    for peer in network::peer_policies(service, &selector, &network, around, &mut decisions) {
        let mut policy = placed(
            PEER_POLICY,
            &peer.name,
            Some(&peer.namespace),
            peer.placement,
        );
        let mut peer_policy = peer.policy;
        if let Some(mesh) = &mesh {
            mesh::open_peer(&mut peer_policy, peer.placement, mesh, &network);
        }
        policy.peer = Some(peer_policy);
        objects.push(policy);
    }
    let bundle_map = ("v1", "ConfigMap", "configmap-bundle.yaml");
    objects.extend(trust.bundles.iter().map(|bundle| {
        placed(
            bundle_map,
            &bundle.name,
            Some(&bundle.namespace),
            bundle.placement,
        )
    }));
    if let Some(mesh) = &mesh {
        objects.extend(mesh::objects(mesh, &name, &ns));
    }
    if ingress.is_some() {
        objects.push(object(
            "networking.k8s.io/v1",
            "Ingress",
            &name,
            Some(&ns),
            "ingress.yaml",
        ));
    }
    if let Some(gateway) = &gateway {
        gateway_objects(gateway, &name, &ns, &mut objects);
    }
    if let Some(route) = &route {
        if let Some(reader) = &route.secret_reader {
            for (kind, template) in [
                ("Role", "role-router.yaml"),
                ("RoleBinding", "rolebinding-router.yaml"),
            ] {
                let api = "rbac.authorization.k8s.io/v1";
                objects.push(object(api, kind, &reader.name, Some(&ns), template));
            }
        }
        objects.push(object(
            "route.openshift.io/v1",
            "Route",
            &name,
            Some(&ns),
            "route.yaml",
        ));
    }

    Plan {
        name,
        namespace: ns,
        labels,
        selector,
        pod_security_version: preset.pod_security_version.clone(),
        workload,
        service: service_port,
        network,
        autoscaler,
        ingress,
        gateway,
        route,
        platform: preset.platform,
        role,
        secrets,
        sealing,
        tls,
        ca_validity_days: preset.tls.ca_validity_days,
        renew_before_days: preset.tls.renew_before_days,
        ca_names,
        quota,
        platform_namespace,
        trust,
        mesh,
        objects: objects
            .into_iter()
            .map(|mut o| {
                o.secret = o.kind == "Secret";
                o
            })
            .collect(),
        decisions: decisions.made,
        warnings: decisions.warnings,
    }
}

/// The objects of the public entry on Gateway API, after the service's own.
fn gateway_objects(gateway: &Gateway, name: &str, ns: &str, objects: &mut Vec<PlannedObject>) {
    const GATEWAY_API: &str = "gateway.networking.k8s.io/v1";
    const ENVOY_GATEWAY: &str = "gateway.envoyproxy.io/v1alpha1";
    let mut add = |api: &'static str, kind: &'static str, obj_name: &str, template| {
        objects.push(object(api, kind, obj_name, Some(ns), template));
    };
    match gateway.route_kind {
        "GRPCRoute" => add(GATEWAY_API, "GRPCRoute", name, "grpcroute.yaml"),
        _ => add(GATEWAY_API, "HTTPRoute", name, "httproute.yaml"),
    }
    if gateway.redirect.is_some() {
        add(
            GATEWAY_API,
            "HTTPRoute",
            &format!("{name}-https-redirect"),
            "httproute-redirect.yaml",
        );
    }
    if gateway.backend_tls.is_some() {
        add(
            GATEWAY_API,
            "BackendTLSPolicy",
            name,
            "backendtlspolicy.yaml",
        );
    }
    if let Some(grant) = &gateway.reference_grant {
        add(
            GATEWAY_API,
            "ReferenceGrant",
            &grant.name,
            "referencegrant.yaml",
        );
    }
    if gateway.traffic_policy.is_some() {
        add(
            ENVOY_GATEWAY,
            "BackendTrafficPolicy",
            name,
            "backendtrafficpolicy.yaml",
        );
    }
    if !gateway.client_cidrs.is_empty() {
        add(ENVOY_GATEWAY, "SecurityPolicy", name, "securitypolicy.yaml");
    }
}

/// Plans a spec written as YAML with the default preset, for other modules' tests; the API
/// server (which `restricted` leaves unknown) is at the documentation address 192.0.2.10.
#[cfg(test)]
pub(crate) fn plan_from_yaml(text: &str) -> Plan {
    let file = crate::spec::parse(std::path::Path::new("kubeward.yaml"), text)
        .expect("the test spec parses")
        .spec;
    let mut preset = crate::preset::resolve(
        crate::preset::DEFAULT,
        std::path::Path::new("."),
        crate::preset::Lookup::default(),
    )
    .expect("restricted resolves")
    .preset;
    preset.api_server.cidrs = vec!["192.0.2.10/32".to_string()];
    let service = crate::validate::validate(&file, &preset, Default::default())
        .expect("the test spec is valid");
    plan(&service, &preset)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRPC: &str = "apiVersion: kubeward.dev/v1alpha1\nkind: SecureService\nmetadata: {name: inventory, namespace: shop}\nspec:\n  image: ghcr.io/acme/inventory:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n  port: 9090\n  protocol: grpc\n  sensitivity: internal\n";

    #[test]
    fn a_low_probe_port_is_noted_like_a_low_service_port() {
        let plan = plan_from_yaml(&format!("{GRPC}  probes: {{port: 81}}\n"));
        let note = plan.decisions.iter().find(|d| d.id == "low-port").unwrap();
        assert!(
            note.summary.starts_with("port 81 is below 1024"),
            "{}",
            note.summary
        );
        assert_eq!(note.cause, "spec.probes.port");
    }

    #[test]
    fn grpc_is_https_over_tls_and_h2c_in_clear_text() {
        let public = format!(
            "{GRPC}  probes: {{port: 8081}}\n  exposure: public\n  ingress: {{host: api.example.com, api: ingress}}\n"
        );
        let backend = |plan: &Plan| {
            plan.ingress.as_ref().unwrap().annotations["nginx.ingress.kubernetes.io/backend-protocol"]
                .clone()
        };
        let tls = plan_from_yaml(&public);
        assert_eq!(tls.service.as_ref().unwrap().app_protocol, "https");
        assert_eq!(backend(&tls), "GRPCS");
        let clear = plan_from_yaml(&format!("{public}  tls: {{mode: none}}\n"));
        assert_eq!(
            clear.service.as_ref().unwrap().app_protocol,
            "kubernetes.io/h2c"
        );
        assert_eq!(backend(&clear), "GRPC");
    }
}
