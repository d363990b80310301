//! The rules that join one answer to the others (its sensitivity, its exposure, its protocol),
//! public so that `init` checks its answers as they are typed, with validation's messages.

use super::service::AppRef;
use crate::spec::image::ImageRef;
use crate::spec::{Exposure, Protocol, Sensitivity, TlsMode};

/// Departures from the sensitivity rules that the user asked for explicitly; each is
/// recorded in an annotation on the objects it weakens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Accept a tag-only image at sensitivity `confidential` or above.
    pub allow_unpinned_image: bool,
}

/// From sensitivity `confidential` up, the image must be pinned by digest (unless overridden).
pub fn image_pinned(
    image: &ImageRef,
    sensitivity: Sensitivity,
    overrides: Overrides,
) -> Result<(), String> {
    if sensitivity >= Sensitivity::Confidential
        && !image.is_pinned_by_digest()
        && !overrides.allow_unpinned_image
    {
        return Err(format!(
            "sensitivity `{}` requires an image pinned by digest (repo:tag@sha256:...); pass --allow-unpinned-image to accept a tag, recorded on the Deployment",
            sensitivity.as_str()
        ));
    }
    Ok(())
}

/// Sensitivity `restricted` refuses to run without TLS.
pub fn tls_mode_allowed(mode: TlsMode, sensitivity: Sensitivity) -> Result<(), String> {
    if sensitivity == Sensitivity::Restricted && mode == TlsMode::None {
        return Err(
            "sensitivity restricted refuses `none`: use self-signed, ca or cert-manager".into(),
        );
    }
    Ok(())
}

/// A caller outside the service's namespace needs an exposure wider than `namespace`.
pub fn caller_allowed(caller: &AppRef, exposure: Exposure, own_ns: &str) -> Result<(), String> {
    if exposure == Exposure::Namespace && !own_ns.is_empty() && caller.namespace != own_ns {
        return Err(format!(
            "caller `{}/{}` is outside namespace `{own_ns}`, but exposure is `namespace`: use exposure `cluster` or drop the caller",
            caller.namespace, caller.app
        ));
    }
    Ok(())
}

/// TLS when nothing is said: on for `restricted`, and from `internal` up when the protocol
/// already speaks TLS (https, grpc); off otherwise.
pub fn default_tls_mode(sensitivity: Sensitivity, protocol: Protocol) -> TlsMode {
    let speaks_tls = matches!(protocol, Protocol::Https | Protocol::Grpc);
    if sensitivity == Sensitivity::Restricted
        || (sensitivity >= Sensitivity::Internal && speaks_tls)
    {
        TlsMode::SelfSigned
    } else {
        TlsMode::None
    }
}

/// The exposure when the spec gives none: `public` with a public host; `cluster` when a caller
/// is outside the service's namespace and the preset's default (`namespace`) would refuse it;
/// the preset's default otherwise.
pub fn default_exposure(
    preset_default: Exposure,
    public_host: bool,
    outside_caller: bool,
) -> Exposure {
    if public_host {
        Exposure::Public
    } else if outside_caller && preset_default == Exposure::Namespace {
        Exposure::Cluster
    } else {
        preset_default
    }
}
