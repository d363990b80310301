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

/// A port that serves TLS is declared as such: `http` with a certificate would mount the
/// certificate while the probes and the Service still speak clear text.
pub fn protocol_matches_tls(protocol: Protocol, mode: TlsMode) -> Result<(), String> {
    if protocol == Protocol::Http && mode != TlsMode::None {
        return Err(format!(
            "`http` is clear text, but tls.mode is `{}` (on by default at sensitivity restricted): if the app serves TLS with the mounted certificate, set protocol `https`; if it does not, set tls.mode `none` (refused at sensitivity restricted)",
            mode.as_str()
        ));
    }
    Ok(())
}

/// The kubelet's gRPC probe speaks no TLS: a gRPC port with a certificate is probed on the
/// clear-text `probes.port`, or never becomes Ready.
pub fn grpc_probe_reachable(
    protocol: Protocol,
    mode: TlsMode,
    probe_port: Option<u16>,
) -> Result<(), String> {
    if protocol == Protocol::Grpc && mode != TlsMode::None && probe_port.is_none() {
        return Err(format!(
            "is required for protocol grpc with tls.mode `{}`: the kubelet's gRPC probe cannot speak TLS, so a probe on the service's port never passes; give the clear-text port where the server answers the gRPC health service, or set tls.mode `none`",
            mode.as_str()
        ));
    }
    Ok(())
}
