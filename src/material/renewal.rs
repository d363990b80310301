//! The certificates a render keeps but cannot renew on its own: kubeward's root CA (every
//! caller trusts it, so a new one must reach them all at once), the user's CA (`spec.tls.ca`)
//! and the anchors of trust bundles read from files. One that expires within the preset's
//! renewal window (`tls.renewBeforeDays`) is a `certificate-renewal` warning saying what to
//! do. Leaves need none: the render renews them inside that window. A namespace's CA never
//! outlives the root it is issued under, so the root's warning covers it.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::pki::rfc3339;
use crate::error::Warning;

/// A certificate the render keeps as it is: what it is, its PEM (one or more certificates),
/// and what renewing it takes.
pub struct Kept {
    pub what: String,
    pub pem: String,
    pub renew: &'static str,
}

/// How the root CA is renewed.
pub const RENEW_ROOT: &str = "kubeward never replaces its root on its own, since every caller trusts it: move the state folder's trust/ aside, render every service of that state folder again and apply them together, so that servers and callers change to the new root at once";

/// How the user's CA is renewed.
pub const RENEW_USER_CA: &str = "renew the CA where it is kept and give the new certificate and key in spec.tls.ca, then render again";

/// How a trust anchor read from a file is renewed.
pub const RENEW_ANCHOR: &str =
    "replace the file with the renewed CA certificate, then render again";

/// The `certificate-renewal` warnings for the `kept` certificates that expire within
/// `window_days` of `now` (or have expired), each certificate once.
pub fn warnings(kept: &[Kept], now: OffsetDateTime, window_days: u32) -> Vec<Warning> {
    let mut due: BTreeMap<String, Warning> = BTreeMap::new();
    for certificate in kept {
        for (subject, not_after) in expiries(&certificate.pem) {
            let left = not_after - now;
            if left > Duration::days(i64::from(window_days)) {
                continue;
            }
            let when = if left.is_negative() {
                format!("expired on {}", rfc3339(not_after))
            } else {
                format!(
                    "expires on {}, in {} day(s), within the renewal window (the preset's tls.renewBeforeDays: {window_days})",
                    rfc3339(not_after),
                    left.whole_days()
                )
            };
            due.entry(format!("{subject}{not_after}")).or_insert_with(|| {
                Warning::new(
                    "certificate-renewal",
                    format!(
                        "{} (`{subject}`) {when}; every certificate it signs stops verifying then: {}",
                        certificate.what, certificate.renew
                    ),
                )
            });
        }
    }
    due.into_values().collect()
}

/// The subject and expiry of every certificate of a PEM text; what is not one is skipped.
fn expiries(pem_text: &str) -> Vec<(String, OffsetDateTime)> {
    Pem::iter_from_buffer(pem_text.as_bytes())
        .filter_map(Result::ok)
        .filter(|pem| pem.label == "CERTIFICATE")
        .filter_map(|pem| {
            let (_, x509) = X509Certificate::from_der(&pem.contents).ok()?;
            Some((
                x509.subject().to_string(),
                x509.validity().not_after.to_datetime(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca(days: i64) -> String {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, format!("CA {days}"));
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(400);
        params.not_after = now + Duration::days(days);
        let key = rcgen::KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn only_certificates_inside_the_window_are_due_each_once() {
        let now = OffsetDateTime::now_utc();
        let kept = |what: &str, pem: String| Kept {
            what: what.into(),
            pem,
            renew: RENEW_ANCHOR,
        };
        let (soon, later, gone) = (ca(10), ca(31), ca(-2));
        let found = warnings(
            &[
                kept("a", format!("{later}{soon}")),
                kept("b", soon.clone()),
                kept("c", gone),
            ],
            now,
            30,
        );
        let messages: Vec<&str> = found.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("CN=CA 10")
            && m.contains("in 9 day(s)")
            && m.contains("renewBeforeDays: 30")));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("CN=CA -2") && m.contains("expired on"))
        );
        assert!(!messages.iter().any(|m| m.contains("CN=CA 31")));
    }
}
