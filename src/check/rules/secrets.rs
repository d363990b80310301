//! The rules of secret values at rest (KW-SECRET): a Secret that carries its values in the
//! manifests (plaintext to whoever reads the file or the repository it is committed to), and a
//! SealedSecret sealed cluster-wide (its values unseal in any namespace, under any name), and a
//! TLS Secret whose certificate has expired or expires soon.

use serde_json::Value;

use super::common::NONE;
use crate::check::index::Index;
use crate::check::object::{Kind, Object};
use crate::check::{Applies, Hits, Rule, Severity};
use crate::material::pki;
use crate::vocabulary::{
    CERTIFICATE_EXPIRY, CLUSTER_WIDE_SEALING, PLAINTEXT_SECRET, SEALED_CLUSTER_WIDE,
};

pub static RULES: &[Rule] = &[
    Rule {
        id: PLAINTEXT_SECRET,
        severity: Severity::Info,
        title: "Secrets in the manifests carry no values in plaintext",
        explanation: "A Secret's `data` is base64, an encoding, not encryption: whoever reads \
the file, or the Git repository it is committed to (every clone, fork and backup, for ever), \
has the values. Keep the value out of the manifests: seal it for the cluster's Sealed Secrets \
controller (a `SealedSecret`, which only the controller's private key decrypts; kubeward: \
`spec.sealing`), or keep it in an external store that the External Secrets Operator copies \
into the cluster (an `ExternalSecret`; kubeward: `secrets[].fromStore`). A Secret that must \
stay plain belongs in a file that is never committed.",
        rubric: &[37],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Secret]),
        check: plaintext_values,
    },
    Rule {
        id: CLUSTER_WIDE_SEALING,
        severity: Severity::Warning,
        title: "SealedSecrets are not sealed cluster-wide",
        explanation: "The controller unseals a value only under the name and namespace its \
label binds it to. Sealed `cluster-wide` (annotation \
`sealedsecrets.bitnami.com/cluster-wide: \"true\"`), the label is empty: anyone who may create \
a SealedSecret in any namespace can copy the `encryptedData` into one of their own and read \
the value as a Secret there. Seal strict (the default: namespace and name), or namespace-wide \
when the name must change.",
        rubric: &[37],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::SealedSecret]),
        check: cluster_wide,
    },
    Rule {
        id: CERTIFICATE_EXPIRY,
        severity: Severity::Warning,
        title: "TLS Secrets hold a certificate that has not expired and is not about to",
        explanation: "A certificate in a `kubernetes.io/tls` Secret is renewed only by whoever \
wrote it: kubeward's own certificates (90 days by default) at the next render inside their \
renewal window, never on their own. An expired certificate breaks every TLS client at once. \
`kubeward check` reports a certificate that has expired, or that expires within \
`--expiry-days` (default 30); the render's self-check, only one that has expired. Re-render \
(kubeward renews it) or let cert-manager issue it (`tls.mode: cert-manager`).",
        rubric: &[35],
        scanners: NONE,
        applies: Applies::Kinds(&[Kind::Secret]),
        check: certificate_expiry,
    },
];

fn certificate_expiry(index: &Index, object: &Object, hits: &mut Hits) {
    use base64::Engine;
    if object.at(&["type"]).and_then(Value::as_str) != Some("kubernetes.io/tls") {
        return;
    }
    let Some(encoded) = object.at(&["data", "tls.crt"]).and_then(Value::as_str) else {
        return;
    };
    // A value that is no certificate (empty, a placeholder) is another rule's business.
    let Ok(pem) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return;
    };
    let Ok(not_after) = pki::not_after(&pem) else {
        return;
    };
    let expiry = index.expiry;
    let left = not_after - expiry.now;
    let at = pki::rfc3339(not_after);
    if left.is_negative() {
        hits.add(
            "data.tls.crt",
            format!(
                "the certificate expired on {at}, {} day(s) ago",
                -left.whole_days()
            ),
        );
    } else if left < time::Duration::days(i64::from(expiry.days)) {
        hits.add(
            "data.tls.crt",
            format!(
                "the certificate expires on {at}, in {} day(s) (within --expiry-days {})",
                left.whole_days(),
                expiry.days
            ),
        );
    }
}

fn plaintext_values(_: &Index, object: &Object, hits: &mut Hits) {
    for field in ["data", "stringData"] {
        // An empty value holds nothing (a TLS Secret cert-manager is yet to fill, say).
        let count = object
            .at(&[field])
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, value)| value.as_str().is_none_or(|v| !v.is_empty()))
            .count();
        if count > 0 {
            hits.add(
                field,
                format!(
                    "Secret `{}` holds {count} value(s) in {}: plaintext at rest in the manifests, and in git once committed",
                    object.name,
                    if field == "data" { "base64" } else { "clear text" }
                ),
            );
        }
    }
}

fn cluster_wide(_: &Index, object: &Object, hits: &mut Hits) {
    for (path, at) in [
        ("metadata.annotations", &["metadata", "annotations"][..]),
        (
            "spec.template.metadata.annotations",
            &["spec", "template", "metadata", "annotations"][..],
        ),
    ] {
        let scope = object
            .at(at)
            .and_then(|a| a.get(SEALED_CLUSTER_WIDE))
            .and_then(Value::as_str);
        if scope == Some("true") {
            hits.add(
                format!("{path}.{SEALED_CLUSTER_WIDE}"),
                format!(
                    "SealedSecret `{}` is sealed cluster-wide: its values unseal in any namespace under any name",
                    object.name
                ),
            );
            return;
        }
    }
}
