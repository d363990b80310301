//! The rules that join one answer to the others (its sensitivity, its exposure, its protocol),
//! public so that `init` checks its answers as they are typed, with validation's messages.

use super::service::{AppRef, Entry, PublicIngress};
use crate::spec::image::ImageRef;
use crate::spec::{Exposure, Mesh, Protocol, Sensitivity, TlsMode};
use crate::vocabulary::NAME_LABEL;

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
/// certificate while the probes and the Service still speak clear text. `defaulted_at` is the
/// sensitivity that turned TLS on when the spec did not set tls.mode.
pub fn protocol_matches_tls(
    protocol: Protocol,
    mode: TlsMode,
    defaulted_at: Option<Sensitivity>,
) -> Result<(), String> {
    if protocol == Protocol::Http && mode != TlsMode::None {
        let why = match defaulted_at {
            Some(sensitivity) => format!(
                "tls.mode is `{}`, the default at sensitivity {}",
                mode.as_str(),
                sensitivity.as_str()
            ),
            None => format!("tls.mode is `{}`", mode.as_str()),
        };
        return Err(format!(
            "`http` is clear text, but {why}: if the app serves TLS with the mounted certificate, set protocol `https`; if it does not, set tls.mode `none` (refused at sensitivity restricted)"
        ));
    }
    Ok(())
}

/// With Linkerd, the kubelet (which has no mesh identity) is admitted only for clear-text
/// HTTP probes: other protocols need a clear-text probe port the proxy leaves alone.
pub fn mesh_probes(mesh: Mesh, protocol: Protocol, probe_port: bool) -> Result<(), String> {
    if mesh == Mesh::Linkerd && protocol != Protocol::Http && !probe_port {
        return Err("with mesh linkerd the kubelet, which has no mesh identity, is refused on the service's port: Linkerd's default probe routes admit it for clear-text HTTP probes only, not the HTTPS, gRPC or TCP probes of this protocol; give a clear-text health port (probes.port), which the proxy leaves to the kubelet".into());
    }
    Ok(())
}

/// The mesh identity of the public entry's pods, when kubeward can know it: an Ingress
/// controller's pods labelled `app.kubernetes.io/name`, whose ServiceAccount is taken to be
/// that name. A Gateway's data plane runs as an account its controller names (Envoy Gateway
/// derives it from the Gateway and a hash), which a spec cannot give; OpenShift's router runs
/// outside any mesh (on the host network, often) and proves no mesh identity at all.
pub fn entry_identity(public: &PublicIngress) -> Option<AppRef> {
    match public.entry {
        Entry::Ingress { .. } => public.controller.labels.get(NAME_LABEL).map(|app| AppRef {
            app: app.clone(),
            namespace: public.controller.namespace.clone(),
        }),
        Entry::Gateway(_) | Entry::Route { .. } => None,
    }
}

/// With a mesh, the public entry's pods must have an identity the mesh can admit
/// (`identity_known`: see [`entry_identity`]).
pub fn mesh_entry(mesh: Mesh, identity_known: bool) -> Result<(), String> {
    if mesh == Mesh::None || identity_known {
        return Ok(());
    }
    Err(format!(
        "with mesh {} the public entry's pods must prove an identity the service admits, and kubeward cannot know the ServiceAccount of a Gateway's data plane, nor does OpenShift's router (outside the mesh) prove one: use spec.ingress.api: ingress with a meshed controller whose pods are labelled app.kubernetes.io/name (given by spec.ingress.controller), or set mesh: none",
        mesh.as_str()
    ))
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
