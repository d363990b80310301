//! The JSON Schemas accept every example and every shipped preset, reject each kind of bad
//! input the contract names that a schema can express (and kubeward rejects it too, naming the
//! field), and agree with the validator on names.

mod common;

use common::spec::{IMAGE, api_head, image};
use kubeward::cli::schema::{self, SchemaKind};
use predicates::prelude::*;
use proptest::prelude::*;
use serde_json::{Value, json};

const GOOD: &str = concat!(
    api_head!(),
    "  image: ",
    image!(),
    "
  port: 8443
  exposure: cluster
  callers:
    - app: web
      namespace: front
  egress:
    - app: postgres
      namespace: db
      port: 5432
  secrets:
    - name: token
      generate: { length: 32 }
",
);

#[test]
fn every_example_spec_is_valid() {
    let validator = common::validator(SchemaKind::Spec);
    let examples = std::fs::read_dir(common::repo("tests/examples")).unwrap();
    let mut checked = 0;
    for example in examples {
        let path = example.unwrap().path().join("kubeward.yaml");
        let value = common::yaml_value(&std::fs::read_to_string(&path).unwrap());
        let errors = common::schema_errors(&validator, &value);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} examples found");
    assert!(common::schema_errors(&validator, &common::yaml_value(GOOD)).is_empty());
}

#[test]
fn every_shipped_preset_is_valid() {
    let validator = common::validator(SchemaKind::Preset);
    for (name, text) in kubeward::preset::SHIPPED {
        let errors = common::schema_errors(&validator, &common::yaml_value(text));
        assert!(errors.is_empty(), "preset {name}: {errors:#?}");
    }
}

/// `GOOD` with the line `from` replaced by `to` (`from` must occur exactly once).
fn edited(from: &str, to: &str) -> String {
    assert_eq!(GOOD.matches(from).count(), 1, "{from:?}");
    GOOD.replace(from, to)
}

#[test]
fn each_bad_input_kind_is_rejected_by_the_schema_and_by_kubeward() {
    // (what is wrong, the spec, the field kubeward's error names)
    let cases = [
        (
            "unknown top-level field",
            format!("{GOOD}status: {{}}\n"),
            "status",
        ),
        (
            "unknown spec field",
            edited("  port: 8443\n", "  port: 8443\n  hostNetwork: true\n"),
            "spec",
        ),
        (
            "unknown nested field",
            edited("    - app: web\n", "    - app: web\n      role: admin\n"),
            "spec.callers",
        ),
        (
            "bad apiVersion",
            edited("kubeward.dev/v1alpha1", "kubeward.dev/v1"),
            "apiVersion",
        ),
        ("bad kind", edited("SecureService", "Service"), "kind"),
        (
            "bad exposure value",
            edited("exposure: cluster", "exposure: world"),
            "spec.exposure",
        ),
        (
            "bad protocol value",
            edited("  port: 8443\n", "  port: 8443\n  protocol: ftp\n"),
            "spec.protocol",
        ),
        (
            "bad tls mode",
            format!("{GOOD}  tls: {{ mode: letsencrypt }}\n"),
            "spec.tls.mode",
        ),
        (
            "bad issuer kind",
            format!("{GOOD}  tls: {{ mode: cert-manager, issuer: {{ kind: Vault, name: x }} }}\n"),
            "spec.tls.issuer.kind",
        ),
        (
            "port of the wrong type",
            edited("port: 8443", "port: https"),
            "spec.port",
        ),
        (
            "replicas of the wrong type",
            edited("  port: 8443\n", "  port: 8443\n  replicas: [3]\n"),
            "spec.replicas",
        ),
        (
            "callers not a list",
            edited(
                "  callers:\n    - app: web\n      namespace: front\n",
                "  callers: web\n",
            ),
            "spec.callers",
        ),
        ("port 0", edited("port: 8443", "port: 0"), "spec.port"),
        (
            "port above 65535",
            edited("port: 8443", "port: 65536"),
            "spec.port",
        ),
        (
            "egress port above 65535",
            edited("port: 5432", "port: 70000"),
            "spec.egress[0].port",
        ),
        (
            "replicas 0",
            edited("  port: 8443\n", "  port: 8443\n  replicas: 0\n"),
            "spec.replicas",
        ),
        (
            "name not a DNS label",
            edited("name: api", "name: Payments_API"),
            "metadata.name",
        ),
        (
            "name longer than 63",
            edited("name: api", &format!("name: {}", "a".repeat(64))),
            "metadata.name",
        ),
        (
            "namespace default",
            edited("namespace: shop", "namespace: default"),
            "metadata.namespace",
        ),
        (
            "caller app not a DNS label",
            edited("app: web", "app: Web"),
            "spec.callers[0].app",
        ),
        ("missing name", edited("  name: api\n", ""), "metadata.name"),
        (
            "missing image",
            edited(&format!("  image: {IMAGE}\n"), ""),
            "spec.image",
        ),
        (
            "a worker (no port) with a caller",
            edited("  port: 8443\n", ""),
            "spec.callers[0]",
        ),
        (
            "egress without a port",
            edited("      port: 5432\n", ""),
            "spec.egress[0].port",
        ),
        (
            "egress with app and cidr",
            edited(
                "      port: 5432\n",
                "      port: 5432\n      cidr: 10.0.0.0/8\n",
            ),
            "spec.egress[0]",
        ),
        (
            "egress with neither app nor cidr",
            edited("    - app: postgres\n      namespace: db\n", "    - "),
            "spec.egress[0]",
        ),
        (
            "secret with two sources",
            edited(
                "      generate: { length: 32 }\n",
                "      generate: { length: 32 }\n      fromEnv: TOKEN\n",
            ),
            "spec.secrets[0]",
        ),
        (
            "secret without a source",
            edited("      generate: { length: 32 }\n", ""),
            "spec.secrets[0]",
        ),
        (
            "secret named like kubeward's certificate Secret",
            edited("    - name: token\n", "    - name: tls\n"),
            "spec.secrets[0].name",
        ),
        (
            "generated secret too short",
            edited("length: 32", "length: 8"),
            "spec.secrets[0].generate.length",
        ),
        (
            "wildcard verb",
            format!("{GOOD}  apiAccess:\n    - resources: [configmaps]\n      verbs: ['*']\n"),
            "spec.apiAccess[0].verbs[0]",
        ),
        (
            "escalating verb",
            format!("{GOOD}  apiAccess:\n    - resources: [roles]\n      verbs: [escalate]\n"),
            "spec.apiAccess[0].verbs[0]",
        ),
        (
            "wildcard resource",
            format!("{GOOD}  apiAccess:\n    - resources: ['*']\n      verbs: [get]\n"),
            "spec.apiAccess[0].resources[0]",
        ),
        (
            "api rule without verbs",
            format!("{GOOD}  apiAccess:\n    - resources: [configmaps]\n"),
            "spec.apiAccess[0].verbs",
        ),
    ];
    let validator = common::validator(SchemaKind::Spec);
    for (what, spec, field) in cases {
        let value: Value = serde_saphyr::from_str(&spec).unwrap();
        assert!(
            !common::schema_errors(&validator, &value).is_empty(),
            "the schema accepts a spec with {what}:\n{spec}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("kubeward.yaml"), &spec).unwrap();
        common::run::kubeward()
            .current_dir(dir.path())
            .args(["render", "-f", "kubeward.yaml"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(field).name(what));
    }
}

#[test]
fn the_schemas_are_draft_07_with_descriptions_on_every_property() {
    for kind in [SchemaKind::Spec, SchemaKind::Preset, SchemaKind::Cluster] {
        let schema = schema::schema(kind);
        assert_eq!(
            schema["$schema"],
            json!("http://json-schema.org/draft-07/schema#")
        );
        let definitions = schema["definitions"].as_object().unwrap();
        let root = [("(root)", &schema)];
        let objects = definitions.iter().map(|(n, d)| (n.as_str(), d)).chain(root);
        for (name, definition) in objects {
            for (property, value) in definition["properties"].as_object().into_iter().flatten() {
                let described = value["description"].as_str().is_some_and(|d| !d.is_empty());
                assert!(described, "{kind:?} {name}.{property} has no description");
            }
        }
    }
}

proptest! {
    #[test]
    fn the_schema_and_the_validator_agree_on_dns_labels(name in "[a-zA-Z0-9._-]{0,3}|[a-z0-9-]{1,70}") {
        let spec = schema::schema(SchemaKind::Spec);
        let name_schema = &spec["definitions"]["Metadata"]["properties"]["name"];
        let by_schema = jsonschema::draft7::is_valid(name_schema, &json!(name));
        let by_validator = kubeward::spec::names::dns_label(&name).is_ok();
        prop_assert_eq!(by_schema, by_validator, "{:?}", name);
    }
}
