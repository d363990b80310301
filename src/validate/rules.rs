//! The rules that join one answer to the others (its sensitivity, its exposure, its protocol),
//! public so that `init` checks its answers as they are typed, with validation's messages.

use super::service::AppRef;
use crate::spec::image::ImageRef;
use crate::spec::{Exposure, Mesh, Protocol, Sensitivity, TlsMode};

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

/// With Linkerd, the kubelet (which has no mesh identity) is admitted only for clear-text
/// HTTP probes: other protocols need a clear-text probe port the proxy leaves alone.
pub fn mesh_probes(mesh: Mesh, protocol: Protocol, probe_port: bool) -> Result<(), String> {
    if mesh == Mesh::Linkerd && protocol != Protocol::Http && !probe_port {
        return Err("with mesh linkerd the kubelet, which has no mesh identity, is refused on the service's port: Linkerd's default probe routes admit it for clear-text HTTP probes only, not the HTTPS, gRPC or TCP probes of this protocol; give a clear-text health port (probes.port), which the proxy leaves to the kubelet".into());
    }
    Ok(())
}

/// A caller by address has no identity a mesh can prove.
pub fn mesh_caller_by_address(mesh: Mesh) -> Result<(), String> {
    if mesh != Mesh::None {
        return Err(format!(
            "a client by address has no identity a mesh can prove: with mesh {} only callers by app (and serviceAccount) are admitted; drop this caller, or set mesh: none",
            mesh.as_str()
        ));
    }
    Ok(())
}
