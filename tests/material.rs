//! Secrets, certificates, API access and the state folder, end to end through the binary.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::bundle::find;
use common::run::success_stdout;
use serde_json::Value;
use x509_parser::pem::parse_x509_pem;
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

/// Checks a TLS Secret: leaf signed by ca.crt, key matching, server auth; returns the SANs.
fn check_tls_secret(secret: &Value, ca_pem: Option<&[u8]>) -> BTreeSet<String> {
    assert_eq!(secret["type"], "kubernetes.io/tls");
    let crt = data(secret, "tls.crt");
    let ca = data(secret, "ca.crt");
    if let Some(expected) = ca_pem {
        assert_eq!(ca, expected, "ca.crt is the CA that signed");
    }
    let (_, leaf_pem) = parse_x509_pem(&crt).unwrap();
    let leaf = X509Certificate::from_der(&leaf_pem.contents).unwrap().1;
    let (_, ca_pem) = parse_x509_pem(&ca).unwrap();
    let ca_cert = X509Certificate::from_der(&ca_pem.contents).unwrap().1;
    leaf.verify_signature(Some(ca_cert.public_key()))
        .expect("leaf is signed by ca.crt");
    assert!(ca_cert.is_ca());
    let eku = leaf.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.server_auth);
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

#[test]
fn self_signed_leaf_chains_to_the_namespace_ca_with_every_name() {
    let project = Project::new(
        "  protocol: https\n  exposure: public\n  ingress: { host: shop.example.com, api: ingress }\n  tls:\n    mode: self-signed\n    dnsNames: [api.internal.example]\n",
    );
    let objects = project.render(&[]);
    let ca_pem = fs::read(project.path(".kubeward/shop/ca.crt")).unwrap();
    let names = check_tls_secret(find(&objects, "Secret", "api-tls"), Some(&ca_pem));
    let expected: BTreeSet<String> = [
        "api",
        "api.shop",
        "api.shop.svc",
        "api.shop.svc.cluster.local",
        "shop.example.com",
        "api.internal.example",
    ]
    .map(String::from)
    .into();
    assert_eq!(names, expected);
    let ingress_names =
        check_tls_secret(find(&objects, "Secret", "api-ingress-tls"), Some(&ca_pem));
    assert_eq!(
        ingress_names,
        BTreeSet::from(["shop.example.com".to_string()])
    );
    let ingress = find(&objects, "Ingress", "api");
    assert_eq!(ingress["spec"]["tls"][0]["secretName"], "api-ingress-tls");
}

#[test]
fn the_ca_private_key_never_appears_in_the_output() {
    let project = Project::new("  protocol: https\n  tls: { mode: self-signed }\n");
    let stream = project.render_text(&[]);
    let ca_key = fs::read_to_string(project.path(".kubeward/shop/ca.key")).unwrap();
    let objects: Vec<Value> = serde_saphyr::from_multiple(&stream).unwrap();
    let decoded: String = objects
        .iter()
        .filter(|o| o["kind"] == "Secret")
        .flat_map(|o| o["data"].as_object().unwrap().values())
        .map(|v| String::from_utf8(STANDARD.decode(v.as_str().unwrap()).unwrap()).unwrap())
        .collect();
    assert!(!decoded.contains(ca_key.trim()));
    assert!(!stream.contains(ca_key.trim()));
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
        "shop/ca.key",
        "shop/ca.crt",
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
    assert_eq!(mode(&project.path("out/secret-api-token.yaml")), 0o600);
    assert_eq!(mode(&project.path("out/secret-api-tls.yaml")), 0o600);
    assert_eq!(mode(&project.path("out/deployment-api.yaml")), 0o644);
    let deployment = fs::read_to_string(project.path("out/deployment-api.yaml")).unwrap();
    assert!(deployment.contains("defaultMode: 288 # 0440"));
}

#[test]
fn a_corrupt_state_file_is_an_error_that_names_it() {
    let project = Project::new(
        "  secrets:\n    - name: token\n      generate: {}\n  protocol: https\n  tls: { mode: self-signed }\n",
    );
    project.render(&[]);
    fs::write(project.path(".kubeward/shop/ca.key"), "garbage").unwrap();
    let (code, stderr) = project.fail(&[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("ca.key"), "{stderr}");
    assert_eq!(
        fs::read_to_string(project.path(".kubeward/shop/ca.key")).unwrap(),
        "garbage",
        "not regenerated"
    );
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
    assert!(check_tls_secret(find(&second, "Secret", "api-tls"), None).contains("extra.example"));
}

#[test]
fn mode_ca_signs_with_the_given_ca() {
    let project = Project::new(
        "  protocol: https\n  tls:\n    mode: ca\n    ca: { cert: ./ca.pem, key: ./ca-key.pem }\n",
    );
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Acme Root");
    let ca = params.self_signed(&key).unwrap();
    fs::write(project.path("ca.pem"), ca.pem()).unwrap();
    fs::write(project.path("ca-key.pem"), key.serialize_pem()).unwrap();
    let objects = project.render(&[]);
    check_tls_secret(
        find(&objects, "Secret", "api-tls"),
        Some(ca.pem().as_bytes()),
    );
    assert!(
        !project.path(".kubeward/shop/ca.key").exists(),
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
    let own = check_tls_secret(find(&objects, "Secret", "api-tls"), None);
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
    let objects = project.render(&[]);
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
