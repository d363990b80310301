//! No valid spec fails the self-check: whatever the render's self-check (every rule of
//! `kubeward check`) would refuse is a validation error first, with its field and line (exit
//! 2), never a failed render (exit 1). Specs are drawn from every protocol, exposure,
//! sensitivity and TLS mode, with callers (by app, by service account, by address range), pod
//! and address-range egress on every port kind (53 included, the case that once slipped
//! through), API access, generated and stored secrets, mutual TLS, a mesh, autoscaling,
//! each API of the public entry, workers (no port) with and without probe commands, writable
//! paths and the recommended labels.

mod common;

use std::path::Path;

use kubeward::error::{Error, SpecError};
use kubeward::pipeline::{self, Input};
use kubeward::spec::flags::SpecFlags;
use kubeward::validate::Overrides;
use proptest::prelude::*;

const CIDRS: &[&str] = &[
    "0.0.0.0/0",
    "::/0",
    "8.0.0.0/5",
    "203.0.113.0/24",
    "203.0.113.7/32",
    "2001:db8::/32",
    "2001:db8::53/128",
    "10.0.0.0/8",
    "169.254.169.254/32",
];

fn egress_entry() -> impl Strategy<Value = String> {
    let port = prop::sample::select(vec![53u16, 443, 5432, 8443]);
    let transport = prop::sample::select(vec!["TCP", "UDP"]);
    prop_oneof![
        (
            prop::sample::select(vec!["shop/redis", "db/postgres", "kube-system/coredns"]),
            port.clone(),
            transport.clone()
        )
            .prop_map(|(target, port, transport)| {
                let (namespace, app) = target.split_once('/').unwrap();
                format!(
                    "    - {{app: {app}, namespace: {namespace}, port: {port}, protocol: {transport}}}\n"
                )
            }),
        (prop::sample::select(CIDRS.to_vec()), port, transport).prop_map(
            |(cidr, port, transport)| {
                format!("    - {{cidr: \"{cidr}\", port: {port}, protocol: {transport}}}\n")
            }
        ),
    ]
}

fn caller() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["web/shop", "web/front", "jobs/shop", "api/shop"]).prop_map(|c| {
        let (app, namespace) = c.split_once('/').unwrap();
        format!("    - {{app: {app}, namespace: {namespace}}}\n")
    })
}

/// The body of a spec under `spec:`, every field drawn from what validation accepts or refuses.
fn body() -> impl Strategy<Value = String> {
    (
        (
            prop::sample::select(vec![8080u16, 8443, 80, 9090]),
            prop::sample::select(vec!["http", "https", "grpc", "tcp"]),
            prop::sample::select(vec!["namespace", "cluster", "cluster", "public"]),
            prop::sample::select(vec!["public", "internal", "confidential", "restricted"]),
            1u32..4,
        ),
        (
            prop::sample::select(vec!["", "none", "self-signed"]),
            prop::bool::ANY,
            prop::collection::vec(caller(), 0..3),
            prop::collection::vec(egress_entry(), 0..4),
            prop::bool::ANY,
            prop::bool::ANY,
        ),
        (
            prop::sample::select(vec!["", "", "  mesh: istio\n", "  mesh: linkerd\n"]),
            prop::sample::select(vec!["", "gateway", "ingress"]),
            prop::bool::ANY,
            prop::bool::ANY,
            prop::bool::ANY,
            prop::bool::ANY,
        ),
        (
            // A worker (no port, no protocol), probed by commands or not at all.
            prop::sample::select(vec!["", "", "", "worker", "worker probed"]),
            prop::sample::select(vec![
                "",
                "",
                "  writablePaths: [/var/cache/app]\n",
                "  writablePaths: [/var/cache/app, /var/lib/app, /srv/data]\n",
                "  writablePaths: [/a, /b, /c, /d]\n",
                "  writablePaths: [/var/run]\n",
            ]),
            prop::sample::select(vec!["", "  partOf: shop\n  component: api\n  instance: eu\n"]),
        ),
    )
        .prop_map(
            |(
                (port, protocol, exposure, sensitivity, replicas),
                (tls, probe_port, callers, egress, api, secret),
                (mesh, entry, client_auth, autoscaling, by_address, stored),
                (worker, writable, labels),
            )| {
                let listens = match worker {
                    "" => format!("  port: {port}\n  protocol: {protocol}\n"),
                    "worker" => String::new(),
                    _ => "  probes: {readinessCommand: [/app/ready], livenessCommand: [/app/live]}\n".to_string(),
                };
                let mut body = format!(
                    "  image: {}\n{listens}  exposure: {exposure}\n  sensitivity: {sensitivity}\n{mesh}{writable}{labels}",
                    common::spec::IMAGE
                );
                if autoscaling {
                    body.push_str("  autoscaling: {minReplicas: 2, maxReplicas: 6}\n");
                } else {
                    body.push_str(&format!("  replicas: {replicas}\n"));
                }
                let tls: Vec<String> = [
                    (!tls.is_empty()).then(|| format!("mode: {tls}")),
                    client_auth.then(|| "clientAuth: required".to_string()),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !tls.is_empty() {
                    body.push_str(&format!("  tls: {{{}}}\n", tls.join(", ")));
                }
                if probe_port && worker != "worker probed" {
                    body.push_str("  probes: {port: 8081}\n");
                }
                if exposure == "public" {
                    let api = if entry.is_empty() {
                        String::new()
                    } else {
                        format!(", api: {entry}")
                    };
                    body.push_str(&format!("  ingress: {{host: shop.example.com{api}}}\n"));
                }
                if !callers.is_empty() || by_address {
                    body.push_str("  callers:\n");
                    body.extend(callers);
                    if by_address {
                        body.push_str("    - {cidr: 198.51.100.0/24}\n    - {app: cron, namespace: jobs, serviceAccount: runner}\n");
                    }
                }
                if !egress.is_empty() {
                    body.push_str("  egress:\n");
                    body.extend(egress);
                }
                if api {
                    body.push_str("  apiAccess:\n    - {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n");
                }
                if secret || stored {
                    body.push_str("  secrets:\n");
                }
                if secret {
                    body.push_str("    - {name: token, generate: {length: 32}}\n");
                }
                if stored {
                    body.push_str("    - {name: stripe-key, fromStore: {store: vault, kind: ClusterSecretStore, key: payments/stripe, property: api-key}}\n");
                }
                body
            },
        )
}

/// Renders the spec at `path` the way `render` does, secret values replaced by placeholders.
fn render(path: &Path) -> Result<(), Error> {
    let flags = SpecFlags::default();
    pipeline::render_shape(&Input {
        file: Some(path),
        flags: &flags,
        overrides: Overrides::default(),
        state_dir: None,
        rotate: &[],
        presets: Default::default(),
        templates: None,
        allow_template_override: &[],
        annotate: false,
        // The API server's endpoints, which a spec with apiAccess needs (restricted has none).
        api_server_cidrs: &["192.0.2.10/32".to_string()],
    })
    .map(drop)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]
    #[test]
    fn a_spec_that_validates_passes_the_self_check(body in body()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kubeward.yaml");
        let spec = common::spec::spec("api", "shop", &body);
        std::fs::write(&path, &spec).unwrap();
        match render(&path) {
            Ok(()) => {}
            Err(Error::Spec(SpecError::Invalid { errors, .. })) => {
                for error in errors {
                    prop_assert!(error.line.is_some(), "no line for {error}\n{spec}");
                }
            }
            Err(other) => prop_assert!(false, "a valid spec failed to render: {other}\n{spec}"),
        }
    }
}
