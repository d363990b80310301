//! Secrets, certificates, API access and the state folder, end to end through the binary.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::bundle::find;
use common::run::success_stdout;
use common::tls;
use serde_json::Value;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

/// A temporary project folder holding one spec.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(spec_body: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let text = common::spec::api_spec(spec_body);
        fs::write(dir.path().join("kubeward.yaml"), text).unwrap();
        Project { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = common::run::kubeward();
        cmd.current_dir(self.dir.path())
            .arg("render")
            .arg("-f")
            .arg("kubeward.yaml")
            .args(args);
        cmd
    }

    /// Renders to stdout and returns the objects.
    fn render(&self, args: &[&str]) -> Vec<Value> {
        serde_saphyr::from_multiple(&self.render_text(args)).unwrap()
    }

    fn render_text(&self, args: &[&str]) -> String {
        success_stdout(&mut self.cmd(args))
    }

    fn fail(&self, args: &[&str]) -> (i32, String) {
        let out = self.cmd(args).assert().failure().get_output().clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (out.status.code().unwrap(), stderr)
    }
}

fn kinds(objects: &[Value]) -> BTreeSet<String> {
    objects
        .iter()
        .map(|o| o["kind"].as_str().unwrap().to_string())
        .collect()
}

fn data(secret: &Value, key: &str) -> Vec<u8> {
    STANDARD
        .decode(secret["data"][key].as_str().unwrap())
        .unwrap()
}

fn dns_names(cert: &X509Certificate) -> BTreeSet<String> {
    let san = cert.subject_alternative_name().unwrap().unwrap();
    san.value
        .general_names
        .iter()
        .filter_map(|n| match n {
            GeneralName::DNSName(d) => Some(d.to_string()),
            _ => None,
        })
        .collect()
}

/// Checks a TLS Secret as a client holding its ca.crt would: `openssl verify` of tls.crt (the
/// leaf, then the chain above it) against ca.crt alone, for `host`; the key matches, the leaf
/// is for servers. Returns the leaf's DNS names.
fn check_tls_secret(secret: &Value, ca_pem: Option<&[u8]>, host: &str) -> BTreeSet<String> {
    assert_eq!(secret["type"], "kubernetes.io/tls");
    let crt = String::from_utf8(data(secret, "tls.crt")).unwrap();
    let ca = String::from_utf8(data(secret, "ca.crt")).unwrap();
    if let Some(expected) = ca_pem {
        assert_eq!(ca.as_bytes(), expected, "ca.crt is the trust anchor");
    }
    tls::openssl_verify(&ca, &crt, tls::Check::Server(host)).unwrap_or_else(|e| panic!("{e}"));
    let leaf_der = tls::der(&crt);
    let leaf = X509Certificate::from_der(&leaf_der).unwrap().1;
    let eku = leaf.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.server_auth && !eku.client_auth);
    let key =
        rcgen::KeyPair::from_pem(std::str::from_utf8(&data(secret, "tls.key")).unwrap()).unwrap();
    assert_eq!(
        key.public_key_raw(),
        leaf.public_key().subject_public_key.data.as_ref(),
        "key matches certificate"
    );
    let days = (leaf.validity().not_after.timestamp()
        - time::OffsetDateTime::now_utc().unix_timestamp())
        / 86_400;
    assert!(
        (88..=90).contains(&days),
        "leaf validity from the preset: {days} days"
    );
    dns_names(&leaf)
}

/// The service's certificate names it in the cluster, and the names the spec adds; the public
/// host is on the Ingress's own certificate, which is the one clients see.
#[test]
fn self_signed_leaf_chains_to_the_namespace_ca_with_every_name() {
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress: { host: shop.example.com, api: ingress }\n  tls:\n    mode: self-signed\n    dnsNames: [api.internal.example]\n",
    );
    let objects = project.render(&[]);
    let ca_pem = fs::read(project.path(".kubeward/trust/ca.crt")).unwrap();
    let names = check_tls_secret(
        find(&objects, "Secret", "api-tls"),
        Some(&ca_pem),
        "api.shop.svc.cluster.local",
    );
    let expected: BTreeSet<String> = [
        "api",
        "api.shop",
        "api.shop.svc",
        "api.shop.svc.cluster.local",
        "api.internal.example",
    ]
    .map(String::from)
    .into();
    assert_eq!(names, expected);
    let ingress_names = check_tls_secret(
        find(&objects, "Secret", "api-ingress-tls"),
        Some(&ca_pem),
        "shop.example.com",
    );
    assert_eq!(
        ingress_names,
        BTreeSet::from(["shop.example.com".to_string()])
    );
    let ingress = find(&objects, "Ingress", "api");
    assert_eq!(ingress["spec"]["tls"][0]["secretName"], "api-ingress-tls");
}

/// A leaf for `name` signed with the namespace CA's own key from the state folder, as a thief
/// of that key would make one, chained as kubeward chains its leaves.
fn forged_leaf(project: &Project, name: &str) -> String {
    let read = |file: &str| fs::read_to_string(project.path(".kubeward/trust/shop").join(file));
    let ca_key = rcgen::KeyPair::from_pem(&read("ca.key").unwrap()).unwrap();
    let ca_pem = read("ca.crt").unwrap();
    let issuer = rcgen::Issuer::from_ca_cert_pem(&ca_pem, ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec![name.to_string()]).unwrap();
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    format!("{}{ca_pem}", params.signed_by(&key, &issuer).unwrap().pem())
}

#[test]
fn the_namespace_ca_can_vouch_only_for_its_namespace_names() {
    let project = Project::new(
        "  protocol: https
  tls: { mode: self-signed }
",
    );
    project.render(&[]);
    let root = fs::read_to_string(project.path(".kubeward/trust/ca.crt")).unwrap();
    for inside in ["api", "other.shop.svc.cluster.local", "x.shop"] {
        tls::openssl_verify(
            &root,
            &forged_leaf(&project, inside),
            tls::Check::Server(inside),
        )
        .unwrap_or_else(|e| panic!("{inside}: {e}"));
    }
    for outside in [
        "ledger.finance.svc.cluster.local",
        "ledger",
        "bank.example.com",
        "shop.svc.cluster.local.evil",
    ] {
        let verdict = tls::openssl_verify(
            &root,
            &forged_leaf(&project, outside),
            tls::Check::Server(outside),
        );
        assert!(
            verdict
                .as_ref()
                .is_err_and(|e| e.contains("permitted subtree violation")),
            "{outside}: {verdict:?}"
        );
    }
}

#[test]
fn the_namespace_ca_is_issued_again_for_new_names_under_the_same_root() {
    let project = Project::new(
        "  protocol: https
  tls: { mode: self-signed }
",
    );
    project.render(&[]);
    let read = |file: &str| fs::read_to_string(project.path(".kubeward").join(file)).unwrap();
    let (root, ca, ca_key) = (
        read("trust/ca.crt"),
        read("trust/shop/ca.crt"),
        read("trust/shop/ca.key"),
    );
    let spec = fs::read_to_string(project.path("kubeward.yaml")).unwrap();
    fs::write(
        project.path("kubeward.yaml"),
        spec.replace(
            "mode: self-signed }",
            "mode: self-signed, dnsNames: [api.example.org] }",
        ),
    )
    .unwrap();
    let objects = project.render(&[]);
    assert_eq!(read("trust/ca.crt"), root, "the root stays");
    assert_eq!(
        read("trust/shop/ca.key"),
        ca_key,
        "the namespace CA keeps its key"
    );
    assert_ne!(
        read("trust/shop/ca.crt"),
        ca,
        "its certificate permits the new name"
    );
    check_tls_secret(
        find(&objects, "Secret", "api-tls"),
        Some(root.as_bytes()),
        "api.example.org",
    );
}

#[test]
fn the_ca_private_key_never_appears_in_the_output() {
    let project = Project::new("  protocol: https\n  tls: { mode: self-signed }\n");
    let stream = project.render_text(&[]);
    let objects: Vec<Value> = serde_saphyr::from_multiple(&stream).unwrap();
    let decoded: String = objects
        .iter()
        .filter(|o| o["kind"] == "Secret")
        .flat_map(|o| o["data"].as_object().unwrap().values())
        .map(|v| String::from_utf8(STANDARD.decode(v.as_str().unwrap()).unwrap()).unwrap())
        .collect();
    for ca in ["trust/ca.key", "trust/shop/ca.key"] {
        let ca_key = fs::read_to_string(project.path(".kubeward").join(ca)).unwrap();
        assert!(!decoded.contains(ca_key.trim()), "{ca}");
        assert!(!stream.contains(ca_key.trim()), "{ca}");
    }
}

#[test]
fn a_second_render_is_byte_identical() {
    let project = Project::new(
        "  protocol: https\n  sensitivity: restricted\n  secrets:\n    - name: db-password\n      generate: { length: 40 }\n",
    );
    let first = project.render_text(&[]);
    let second = project.render_text(&[]);
    assert_eq!(first, second);
    assert!(first.contains("kind: ResourceQuota") && first.contains("kind: LimitRange"));
}

#[test]
fn rotate_regenerates_exactly_the_named_secret() {
    let project = Project::new(
        "  secrets:\n    - name: one\n      generate: { length: 24 }\n    - name: two\n      generate: {}\n",
    );
    let before = project.render(&[]);
    let after = project.render(&["--rotate", "one"]);
    let value = |objects: &[Value], name| data(find(objects, "Secret", name), "value");
    assert_ne!(value(&before, "api-one"), value(&after, "api-one"));
    assert_eq!(value(&before, "api-two"), value(&after, "api-two"));
    assert_eq!(value(&after, "api-one").len(), 24);
    assert_eq!(value(&after, "api-two").len(), 32);
    let again = project.render(&[]);
    assert_eq!(
        value(&after, "api-one"),
        value(&again, "api-one"),
        "the rotated value is kept"
    );
    let (code, stderr) = project.fail(&["--rotate", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--rotate nope"), "{stderr}");
}

#[test]
fn env_and_file_secrets_round_trip_byte_for_byte() {
    let project = Project::new(
        "  secrets:\n    - name: from-env\n      fromEnv: KW_TEST_SECRET\n    - name: from-file\n      fromFile: ./secret.bin\n",
    );
    let env_value = "quote \" and 'single'\n---\nkind: Pod\n{{ x }}: # \u{2028} end\n";
    let file_value: Vec<u8> = b"\xff\x00binary\r\n---\n".to_vec();
    fs::write(project.path("secret.bin"), &file_value).unwrap();
    let out = success_stdout(project.cmd(&[]).env("KW_TEST_SECRET", env_value));
    let objects: Vec<Value> = serde_saphyr::from_multiple(&out).unwrap();
    assert_eq!(
        data(find(&objects, "Secret", "api-from-env"), "value"),
        env_value.as_bytes()
    );
    assert_eq!(
        data(find(&objects, "Secret", "api-from-file"), "value"),
        file_value
    );
    let deployment = find(&objects, "Deployment", "api");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert!(
        container.get("env").is_none() && container.get("envFrom").is_none(),
        "never environment variables"
    );
    let missing = project
        .cmd(&[])
        .env_remove("KW_TEST_SECRET")
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(missing)
            .unwrap()
            .contains("spec.secrets[0].fromEnv")
    );
}

#[cfg(unix)]
#[test]
fn state_and_secret_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let project = Project::new(
        "  protocol: https\n  tls: { mode: self-signed }\n  secrets:\n    - name: token\n      generate: {}\n",
    );
    project.cmd(&["-o", "out"]).assert().success();
    assert_eq!(mode(&project.path(".kubeward")), 0o700);
    assert!(
        fs::read_to_string(project.path(".kubeward/.gitignore"))
            .unwrap()
            .contains('*')
    );
    for file in [
        "trust/ca.key",
        "trust/ca.crt",
        "trust/shop/ca.key",
        "trust/shop/ca.crt",
        "shop/api/secrets/token",
        "shop/api/certs/api-tls.key",
    ] {
        assert_eq!(mode(&project.path(".kubeward").join(file)), 0o600, "{file}");
    }
    assert_eq!(
        mode(
            &project
                .path("shop")
                .parent()
                .unwrap()
                .join(".kubeward/shop")
        ),
        0o700
    );
    assert_eq!(mode(&project.path(".kubeward/trust/shop")), 0o700);
    assert_eq!(mode(&project.path("out/secret-api-token.yaml")), 0o600);
    assert_eq!(mode(&project.path("out/secret-api-tls.yaml")), 0o600);
    assert_eq!(mode(&project.path("out/deployment-api.yaml")), 0o644);
    let deployment = fs::read_to_string(project.path("out/deployment-api.yaml")).unwrap();
    // 0440: read-only for owner and group
    assert!(deployment.contains("\n            defaultMode: 288\n"));
}

#[test]
fn a_corrupt_state_file_is_an_error_that_names_it() {
    let project = Project::new(
        "  secrets:\n    - name: token\n      generate: {}\n  protocol: https\n  tls: { mode: self-signed }\n",
    );
    project.render(&[]);
    for ca_key in ["trust/shop/ca.key", "trust/ca.key"] {
        let path = project.path(".kubeward").join(ca_key);
        let good = fs::read(&path).unwrap();
        fs::write(&path, "garbage").unwrap();
        let (code, stderr) = project.fail(&[]);
        assert_eq!(code, 1);
        assert!(stderr.contains(ca_key), "{stderr}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "garbage",
            "not regenerated"
        );
        fs::write(&path, good).unwrap();
    }
    // A namespace CA without its key is refused too, never replaced.
    fs::remove_file(project.path(".kubeward/trust/shop/ca.key")).unwrap();
    let (_, stderr) = project.fail(&[]);
    assert!(stderr.contains("has no private key beside it"), "{stderr}");
    fs::write(
        project.path(".kubeward/shop/api/secrets/token"),
        "not-a-valid value!",
    )
    .unwrap();
    let (_, stderr) = project.fail(&[]);
    assert!(stderr.contains("secrets/token"), "{stderr}");
}

#[test]
fn a_leaf_is_reissued_when_its_names_change_but_the_ca_stays() {
    let project = Project::new("  protocol: https\n  tls: { mode: self-signed }\n");
    let first = project.render(&[]);
    let spec = fs::read_to_string(project.path("kubeward.yaml")).unwrap();
    fs::write(
        project.path("kubeward.yaml"),
        spec.replace(
            "mode: self-signed }",
            "mode: self-signed, dnsNames: [extra.example] }",
        ),
    )
    .unwrap();
    let second = project.render(&[]);
    let secret = |objects: &[Value], key| data(find(objects, "Secret", "api-tls"), key);
    assert_ne!(secret(&first, "tls.crt"), secret(&second, "tls.crt"));
    assert_eq!(secret(&first, "ca.crt"), secret(&second, "ca.crt"));
    assert!(
        check_tls_secret(find(&second, "Secret", "api-tls"), None, "extra.example")
            .contains("extra.example")
    );
}

#[test]
fn mode_ca_signs_with_the_given_ca() {
    let project = Project::new(
        "  protocol: https\n  tls:\n    mode: ca\n    ca: { cert: ./ca.pem, key: ./ca-key.pem }\n",
    );
    user_ca(&project, 3650);
    let ca_pem = fs::read_to_string(project.path("ca.pem")).unwrap();
    let objects = project.render(&[]);
    check_tls_secret(
        find(&objects, "Secret", "api-tls"),
        Some(ca_pem.as_bytes()),
        "api.shop",
    );
    assert!(
        !project.path(".kubeward/trust").exists(),
        "no kubeward CA in mode ca"
    );
}

#[test]
fn cert_manager_mode_emits_certificates_and_no_key_material() {
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress: { host: shop.example.com, api: ingress }\n  tls:\n    mode: cert-manager\n    issuer: { kind: ClusterIssuer, name: internal }\n",
    );
    let stream = project.render_text(&[]);
    assert!(!stream.contains("PRIVATE KEY") && !stream.contains("tls.key:"));
    let objects: Vec<Value> = serde_saphyr::from_multiple(&stream).unwrap();
    assert!(!kinds(&objects).contains("Secret"));
    let cert = find(&objects, "Certificate", "api-tls");
    assert_eq!(cert["spec"]["issuerRef"]["name"], "internal");
    assert_eq!(cert["spec"]["secretName"], "api-tls");
    assert!(
        cert["spec"]["dnsNames"]
            .as_array()
            .unwrap()
            .contains(&Value::from("api.shop.svc.cluster.local"))
    );
    assert_eq!(
        find(&objects, "Certificate", "api-ingress-tls")["spec"]["dnsNames"][0],
        "shop.example.com"
    );
    assert!(!project.path(".kubeward").exists(), "nothing to keep");
}

#[test]
fn the_public_host_can_have_its_own_issuer_beside_kubewards_ca() {
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress:\n    host: shop.example.com\n    api: ingress\n    issuer: { name: letsencrypt }\n",
    );
    let objects = project.render(&[]);
    let public = find(&objects, "Certificate", "api-ingress-tls");
    assert_eq!(public["spec"]["issuerRef"]["kind"], "ClusterIssuer");
    assert_eq!(public["spec"]["issuerRef"]["name"], "letsencrypt");
    assert_eq!(
        public["spec"]["dnsNames"],
        serde_json::json!(["shop.example.com"])
    );
    assert!(
        !objects
            .iter()
            .any(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "api-ingress-tls"),
        "cert-manager makes the public host's Secret"
    );
    // The service's own certificate still comes from kubeward's CA, for the cluster names.
    let own = check_tls_secret(find(&objects, "Secret", "api-tls"), None, "api");
    assert!(own.contains("api.shop.svc.cluster.local"), "{own:?}");
    let ingress = find(&objects, "Ingress", "api");
    assert_eq!(ingress["spec"]["tls"][0]["secretName"], "api-ingress-tls");

    let (code, stderr) = Project::new(
        "  protocol: https\n  exposure: public\n  ingress:\n    host: shop.example.com\n    issuer: { kind: Vault, name: v }\n",
    )
    .fail(&[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("spec.ingress.issuer.kind: `Vault` is not Issuer or ClusterIssuer"),
        "{stderr}"
    );
    let (code, stderr) = Project::new(
        "  protocol: https\n  exposure: public\n  ingress:\n    host: shop.example.com\n    issuer: { name: '' }\n",
    )
    .fail(&[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("spec.ingress.issuer.name: "), "{stderr}");
}

#[test]
fn sensitivity_rules_are_enforced_with_the_field_named() {
    let tag_only = "ghcr.io/acme/api:1.0";
    let project = Project::new("  sensitivity: confidential\n");
    let (code, stderr) = project.fail(&["--image", tag_only]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("spec.image") && stderr.contains("digest"),
        "{stderr}"
    );
    let objects = project.render(&["--image", tag_only, "--allow-unpinned-image"]);
    let annotations = &find(&objects, "Deployment", "api")["metadata"]["annotations"];
    assert!(
        annotations["kubeward.dev/override"]
            .as_str()
            .unwrap()
            .contains("allow-unpinned-image")
    );
    assert!(
        annotations["checkov.io/skip1"]
            .as_str()
            .unwrap()
            .starts_with("CKV_K8S_43=")
    );
    let (_, stderr) = project.fail(&["--replicas", "1"]);
    assert!(stderr.contains("spec.replicas"), "{stderr}");
    let restricted = Project::new("  sensitivity: restricted\n  tls: { mode: none }\n");
    let (code, stderr) = restricted.fail(&[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("spec.tls.mode"), "{stderr}");
    let internal_grpc =
        Project::new("  protocol: grpc\n  sensitivity: internal\n  probes: { port: 8081 }\n");
    assert!(
        kinds(&internal_grpc.render(&[])).contains("Secret"),
        "TLS by default for internal gRPC"
    );
}

#[test]
fn api_access_grants_exactly_the_declared_rules_through_a_projected_token() {
    let project = Project::new(
        "  apiAccess:\n    - apiGroups: [\"\"]\n      resources: [configmaps]\n      verbs: [get, list, watch]\n      resourceNames: [api-config]\n",
    );
    let objects = project.render(&["--api-server-cidr", "192.0.2.10/32"]);
    let role = find(&objects, "Role", "api");
    assert_eq!(
        role["rules"],
        serde_json::json!([{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"], "resourceNames": ["api-config"]}])
    );
    let binding = find(&objects, "RoleBinding", "api");
    assert_eq!(
        binding["subjects"],
        serde_json::json!([{"kind": "ServiceAccount", "name": "api", "namespace": "shop"}])
    );
    let pod = &find(&objects, "Deployment", "api")["spec"]["template"]["spec"];
    assert_eq!(pod["automountServiceAccountToken"], false);
    let token = pod["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "api-token")
        .unwrap();
    let sources = token["projected"]["sources"].as_array().unwrap();
    assert!(
        sources[0]["serviceAccountToken"]["expirationSeconds"]
            .as_u64()
            .unwrap()
            <= 3600
    );
    assert_eq!(sources[1]["configMap"]["name"], "kube-root-ca.crt");
    assert_eq!(sources[2]["downwardAPI"]["items"][0]["path"], "namespace");

    let without = Project::new("");
    let plain = without.render(&[]);
    assert!(!kinds(&plain).contains("Role") && !kinds(&plain).contains("RoleBinding"));
    assert!(
        !serde_json::to_string(&plain)
            .unwrap()
            .contains("serviceAccountToken")
    );
}

#[test]
fn dangerous_api_rules_are_refused_naming_them() {
    for (rule, field, word) in [
        (
            "resources: [pods]\n      verbs: [\"*\"]",
            "spec.apiAccess[0].verbs[0]",
            "*",
        ),
        (
            "resources: [\"*\"]\n      verbs: [get]",
            "spec.apiAccess[0].resources[0]",
            "*",
        ),
        (
            "apiGroups: [\"*\"]\n      resources: [pods]\n      verbs: [get]",
            "spec.apiAccess[0].apiGroups[0]",
            "*",
        ),
        (
            "resources: [roles]\n      verbs: [escalate]",
            "spec.apiAccess[0].verbs[0]",
            "escalate",
        ),
        (
            "resources: [rolebindings]\n      verbs: [bind]",
            "spec.apiAccess[0].verbs[0]",
            "bind",
        ),
        (
            "resources: [users]\n      verbs: [impersonate]",
            "spec.apiAccess[0].verbs[0]",
            "impersonate",
        ),
        (
            "resources: [secrets]\n      verbs: [get]",
            "spec.apiAccess[0].resourceNames",
            "secrets",
        ),
        (
            "resources: [pods/attach]\n      verbs: [get]",
            "spec.apiAccess[0].resources",
            "pods/attach",
        ),
        (
            "apiGroups: [apps]\n      resources: [deployments]\n      verbs: [get, patch]",
            "spec.apiAccess[0].resources",
            "deployments",
        ),
    ] {
        let project = Project::new(&format!("  apiAccess:\n    - {rule}\n"));
        let (code, stderr) = project.fail(&[]);
        assert_eq!(code, 2, "{rule}");
        assert!(
            stderr.contains(field) && stderr.contains(word),
            "{rule}: {stderr}"
        );
        assert!(stderr.contains("line "), "{stderr}");
    }
}

/// The digest of the mounted material on the Deployment's pod template, if any.
fn rollout_digest(objects: &[Value]) -> Option<String> {
    find(objects, "Deployment", "api")["spec"]["template"]["metadata"]["annotations"]
        [kubeward::vocabulary::MATERIAL_DIGEST_ANNOTATION]
        .as_str()
        .map(str::to_string)
}

#[test]
fn a_rotation_rolls_the_pods_out_and_an_unchanged_render_does_not() {
    let project = Project::new(
        "  protocol: https\n  secrets:\n    - name: one\n      generate: {}\n    - name: two\n      generate: {}\n",
    );
    let first = project.render(&[]);
    let digest = rollout_digest(&first).expect("the pods mount secrets and a certificate");
    assert!(
        digest.starts_with("hmac-sha256:") && digest.len() == 76,
        "{digest}"
    );
    let again = project.render(&[]);
    assert_eq!(
        rollout_digest(&again),
        Some(digest.clone()),
        "nothing changed"
    );
    assert_eq!(
        find(&first, "Deployment", "api"),
        find(&again, "Deployment", "api")
    );
    let rotated = project.render(&["--rotate", "two"]);
    let after = rollout_digest(&rotated).unwrap();
    assert_ne!(after, digest, "the rotated secret restarts the pods");
    // The pod template changed by the digest alone.
    let mut before = find(&first, "Deployment", "api").clone();
    before["spec"]["template"]["metadata"]["annotations"]
        [kubeward::vocabulary::MATERIAL_DIGEST_ANNOTATION] = Value::from(after.clone());
    assert_eq!(&before, find(&rotated, "Deployment", "api"));
    assert_eq!(rollout_digest(&project.render(&[])), Some(after));
}

/// The rollout digest of `project` rendered with `args` and KW_TEST_ROLLOUT set to `value`.
fn digest_of(project: &Project, args: &[&str], value: &str) -> String {
    let out = success_stdout(project.cmd(args).env("KW_TEST_ROLLOUT", value));
    let objects: Vec<Value> = serde_saphyr::from_multiple(&out).unwrap();
    rollout_digest(&objects).expect("the pods mount a secret")
}

#[test]
fn a_changed_value_from_the_environment_rolls_the_pods_out() {
    let project = Project::new("  secrets:\n    - name: key\n      fromEnv: KW_TEST_ROLLOUT\n");
    let digest_with = |value: &str| digest_of(&project, &[], value);
    let first = digest_with("hunter2");
    assert_eq!(digest_with("hunter2"), first);
    assert_ne!(digest_with("hunter3"), first);
    assert!(!first.contains("hunter2"));
}

#[test]
fn the_digest_is_keyed_by_the_state_folder_so_a_short_value_cannot_be_searched_for() {
    let project = Project::new("  secrets:\n    - name: key\n      fromEnv: KW_TEST_ROLLOUT\n");
    let digest_in = |state: &str| digest_of(&project, &["--state", state], "hunter2");
    let first = digest_in("state-a");
    assert_eq!(digest_in("state-a"), first, "the key is kept");
    assert_ne!(
        digest_in("state-b"),
        first,
        "another state folder, another key"
    );
    let key = project.path("state-a/shop/api/rollout-key");
    let mode = fs::metadata(&key)
        .unwrap_or_else(|e| panic!("{}: {e}", key.display()))
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{}", key.display());
    // Not the unkeyed hash of the value alone, as a reader of the committed bundle could
    // compute for each guess.
    let plain = ring::digest::digest(&ring::digest::SHA256, b"hunter2");
    let hex: String = plain.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    assert!(!first.contains(&hex));
}

#[test]
fn what_cert_manager_issues_is_not_in_the_digest() {
    let project = Project::new(
        "  protocol: https\n  tls:\n    mode: cert-manager\n    issuer: { kind: ClusterIssuer, name: internal }\n",
    );
    assert_eq!(
        rollout_digest(&project.render(&[])),
        None,
        "nothing kubeward supplies is mounted"
    );
}

/// One self-signed service's material gathered at any moment, as a render at that time
/// would, from one state folder.
struct Timeline {
    project: Project,
    service: kubeward::validate::Service,
    preset: kubeward::preset::Resolved,
    plan: kubeward::plan::Plan,
    base_dir: PathBuf,
}

impl Timeline {
    fn new() -> Self {
        let project = Project::new("  protocol: https\n  tls: { mode: self-signed }\n");
        let (spec, state) = (project.path("kubeward.yaml"), project.path(".kubeward"));
        let flags = kubeward::spec::flags::SpecFlags::default();
        let input = kubeward::pipeline::Input {
            file: Some(&spec),
            flags: &flags,
            overrides: Default::default(),
            state_dir: Some(&state),
            rotate: &[],
            presets: Default::default(),
            templates: None,
            allow_template_override: &[],
            annotate: false,
            api_server_cidrs: &[],
        };
        let member = kubeward::pipeline::load_service(&input).unwrap();
        let plan = kubeward::plan::plan(&member.service, &member.preset.preset);
        Timeline {
            project,
            service: member.service,
            preset: member.preset,
            plan,
            base_dir: member.base_dir,
        }
    }

    fn tls(&self) -> &kubeward::preset::TlsDefaults {
        &self.preset.preset.tls
    }

    fn gather_at(&self, now: time::OffsetDateTime) -> kubeward::material::Material {
        use kubeward::material::{Sources, trust::CaCache};
        let sources = Sources {
            base_dir: &self.base_dir,
            state_dir: self.project.path(".kubeward"),
            rotate: &[],
            now,
            cas: &CaCache::default(),
        };
        kubeward::material::gather(&self.service, &self.plan, &sources).unwrap()
    }
}

#[test]
fn a_certificate_renewal_rolls_the_pods_out_and_not_before() {
    use time::{Duration, OffsetDateTime};
    let timeline = Timeline::new();
    let gather_at = |now: OffsetDateTime| timeline.gather_at(now);
    let tls = timeline.tls();
    let start = OffsetDateTime::now_utc();
    let first = gather_at(start);
    let renew_at = i64::from(tls.leaf_validity_days - tls.renew_before_days);
    let before = gather_at(start + Duration::days(renew_at - 1));
    assert_eq!(
        before.certs["api-tls"].crt, first.certs["api-tls"].crt,
        "not due yet"
    );
    assert_eq!(before.mounted_digest, first.mounted_digest);
    let renewed = gather_at(start + Duration::days(renew_at + 1));
    assert_ne!(
        renewed.certs["api-tls"].crt, first.certs["api-tls"].crt,
        "renewed"
    );
    assert_ne!(renewed.mounted_digest, first.mounted_digest);
    assert!(renewed.mounted_digest.is_some());
}

#[test]
fn a_root_within_its_renewal_window_is_warned_about_and_not_before() {
    use time::{Duration, OffsetDateTime};
    let timeline = Timeline::new();
    let gather_at = |now: OffsetDateTime| timeline.gather_at(now);
    let tls = timeline.tls();
    let start = OffsetDateTime::now_utc();
    assert!(
        gather_at(start).warnings.is_empty(),
        "a new root is not due"
    );
    let due_at = i64::from(tls.ca_validity_days - tls.renew_before_days);
    let before = gather_at(start + Duration::days(due_at - 1));
    assert!(before.warnings.is_empty(), "{:?}", before.warnings);
    let due = gather_at(start + Duration::days(due_at + 1));
    let [warning] = due.warnings.as_slice() else {
        panic!("one warning for the root: {:?}", due.warnings);
    };
    assert_eq!(warning.id, "certificate-renewal");
    assert!(
        warning.message.contains("kubeward's root CA")
            && warning.message.contains("CN=kubeward root CA")
            && warning
                .message
                .contains("move the state folder's trust/ aside"),
        "{}",
        warning.message
    );
    let root = fs::read(timeline.project.path(".kubeward/trust/ca.crt")).unwrap();
    assert_eq!(
        STANDARD.decode(&due.certs["api-tls"].ca).unwrap(),
        root,
        "the root stays: kubeward never replaces it on its own"
    );
}

/// A CA certificate and key valid for `days` more days, written as ca.pem and ca-key.pem.
fn user_ca(project: &Project, days: i64) {
    let now = time::OffsetDateTime::now_utc();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Acme Root");
    params.not_before = now - time::Duration::days(300);
    params.not_after = now + time::Duration::days(days);
    let ca = params.self_signed(&key).unwrap();
    fs::write(project.path("ca.pem"), ca.pem()).unwrap();
    fs::write(project.path("ca-key.pem"), key.serialize_pem()).unwrap();
}

#[test]
fn render_warns_when_the_given_ca_nears_its_end_and_deny_warnings_writes_nothing() {
    let spec =
        "  protocol: https\n  tls:\n    mode: ca\n    ca: { cert: ./ca.pem, key: ./ca-key.pem }\n";
    let warned = |days: i64| {
        let project = Project::new(spec);
        user_ca(&project, days);
        let out = project.cmd(&[]).assert().success().get_output().clone();
        (project, String::from_utf8(out.stderr).unwrap())
    };
    let (_, far) = warned(31);
    assert!(!far.contains("certificate-renewal"), "{far}");
    let (project, near) = warned(12);
    assert!(
        near.contains(
            "warning: the CA of spec.tls.ca.cert (./ca.pem) (`CN=Acme Root`) expires on "
        ) && near.contains(
            "in 11 day(s), within the renewal window (the preset's tls.renewBeforeDays: 30)"
        ) && near.contains("renew the CA where it is kept")
            && near.trim_end().ends_with("[certificate-renewal]"),
        "{near}"
    );
    let denied = project
        .cmd(&["-o", "out", "--deny-warnings"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&denied.stderr).contains("certificate-renewal"));
    assert!(!project.path("out").exists(), "nothing written");
}

#[test]
fn a_leaf_never_outlives_its_ca_and_is_not_reissued_for_it_on_every_render() {
    let spec =
        "  protocol: https\n  tls:\n    mode: ca\n    ca: { cert: ./ca.pem, key: ./ca-key.pem }\n";
    let project = Project::new(spec);
    // The given CA ends in 12 days, well inside the leaf's 90 and its 30-day renewal window.
    user_ca(&project, 12);
    let ca_end =
        kubeward::material::pki::not_after(&fs::read(project.path("ca.pem")).unwrap()).unwrap();
    let objects = project.render(&[]);
    let secret = find(&objects, "Secret", "api-tls");
    let crt = data(secret, "tls.crt");
    let leaf_end = kubeward::material::pki::not_after(&crt).unwrap();
    assert_eq!(leaf_end, ca_end, "the leaf ends with its CA");
    let stamped = secret["metadata"]["annotations"]["kubeward.dev/not-after"]
        .as_str()
        .unwrap();
    let shown =
        time::OffsetDateTime::parse(stamped, &time::format_description::well_known::Rfc3339)
            .unwrap();
    assert_eq!(shown, ca_end, "the annotation says when the chain ends");
    // A new leaf could end no later: the next render keeps this one.
    let again = project.render(&[]);
    assert!(
        data(find(&again, "Secret", "api-tls"), "tls.crt") == crt,
        "the second render issued a new leaf"
    );
}

/// The keys of the Secret `secret` that the pod's projected volume requires, and those it
/// takes only if present (`optional: true`), as the kubelet reads them.
fn projected_keys(objects: &[Value], secret: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let deployment = find(objects, "Deployment", "api");
    let (mut required, mut optional) = (BTreeSet::new(), BTreeSet::new());
    let volumes = deployment["spec"]["template"]["spec"]["volumes"]
        .as_array()
        .unwrap();
    for source in volumes
        .iter()
        .filter_map(|v| v["projected"]["sources"].as_array())
        .flatten()
        .filter(|s| s["secret"]["name"] == secret)
    {
        let into = if source["secret"]["optional"] == true {
            &mut optional
        } else {
            &mut required
        };
        for item in source["secret"]["items"].as_array().unwrap() {
            into.insert(item["key"].as_str().unwrap().to_string());
        }
    }
    (required, optional)
}

#[test]
fn a_cert_manager_secret_without_ca_crt_does_not_hold_the_pod() {
    let keys = |tls: &str| {
        let project = Project::new(&format!(
            "  protocol: https\n  sensitivity: internal\n{tls}"
        ));
        projected_keys(&project.render(&[]), "api-tls")
    };
    let set = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<BTreeSet<_>>();
    // An issuer of cert-manager may write no ca.crt (ACME issuers never do): a required key the
    // Secret lacks keeps the pod in ContainerCreating, so ca.crt is optional, the pair is not.
    assert_eq!(
        keys("  tls:\n    mode: cert-manager\n    issuer: { name: internal }\n"),
        (set(&["tls.crt", "tls.key"]), set(&["ca.crt"]))
    );
    // kubeward writes ca.crt itself; and a server that verifies client certificates with it
    // must not start without it.
    assert_eq!(
        keys("  tls: { mode: self-signed }\n"),
        (set(&["tls.crt", "tls.key", "ca.crt"]), set(&[]))
    );
    assert_eq!(
        keys(
            "  exposure: cluster\n  callers: [{app: web, namespace: front}]\n  tls:\n    mode: cert-manager\n    clientAuth: required\n    issuer: { name: internal }\n"
        ),
        (set(&["tls.crt", "tls.key", "ca.crt"]), set(&[]))
    );
}
