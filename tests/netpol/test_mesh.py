"""With ``spec.mesh``, the NetworkPolicies keep everything they admit without a mesh and open
what the mesh's proxy needs, and nothing more, judged by ``netpol_eval``:

* Istio: the service's pods reach istiod (``app: istiod`` in ``istio-system``) on 15012 only;
* Linkerd: they reach the destination controller on 8086 and 8090 and the identity controller
  on 8080 (``linkerd.io/control-plane-component`` in ``linkerd``) and nothing else there; the
  declared callers reach the proxy's inbound port 4143 as well as the service's port, their
  neighbours (another namespace, another app, the control plane itself) neither; a
  destination is reached on its port and on 4143; a caller in the service's own namespace
  (meshed with it) gets its control-plane egress too.

The bundles are rendered here by the binary (``KUBEWARD_BIN``, default ``target/debug/kubeward``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netpol_eval import Pod, World, is_network_policy, iter_objects  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("KUBEWARD_BIN", ROOT / "target" / "debug" / "kubeward"))
APP = "app.kubernetes.io/name"
IMAGE = "ghcr.io/acme/api:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SPEC = """apiVersion: kubeward.dev/v1alpha1
kind: SecureService
metadata: {{name: api, namespace: shop}}
spec:
  image: {image}
  port: 8080
  exposure: cluster
  mesh: {mesh}
  callers:
    - {{app: web, namespace: front}}
    - {{app: worker, namespace: shop}}
  egress:
    - {{app: postgres, namespace: db, port: 5432}}
"""
ISTIOD = ("istio-system", {"app": "istiod"})
DESTINATION = ("linkerd", {"linkerd.io/control-plane-component": "destination"})
IDENTITY = ("linkerd", {"linkerd.io/control-plane-component": "identity"})
CONTROL_PLANE = {
    "istio": [(ISTIOD, {15012})],
    "linkerd": [(DESTINATION, {8086, 8090}), (IDENTITY, {8080})],
}
PROBED_PORTS = [15010, 15012, 15014, 15017, 443, 8080, 8086, 8090, 9990, 9443, 4143, 4191]


def render(tmp_path: Path, mesh: str) -> World:
    if not BIN.is_file():
        pytest.fail(f"{BIN} is not built (cargo build)")
    spec = tmp_path / "kubeward.yaml"
    spec.write_text(SPEC.format(image=IMAGE, mesh=mesh), encoding="utf-8")
    subprocess.run([str(BIN), "render", "-f", str(spec), "-o", str(tmp_path / "out")],
                   check=True, capture_output=True)
    world = World()
    policies = 0
    for source, obj in iter_objects(tmp_path / "out"):
        if is_network_policy(obj):
            world.add_policy(obj, source)
            policies += 1
    assert policies >= 3
    return world


def app(namespace: str, name: str) -> Pod:
    return Pod(namespace, {APP: name}, name=f"{namespace}/{name}")


@pytest.mark.parametrize("mesh", ["istio", "linkerd"])
def test_the_proxy_reaches_its_control_plane_and_nothing_more(tmp_path: Path, mesh: str) -> None:
    world = render(tmp_path, mesh)
    api = app("shop", "api")
    planes = [(Pod(ns, labels, name=f"{ns}/{labels}"), ports)
              for (ns, labels), ports in CONTROL_PLANE[mesh]]
    # The other mesh's control plane, and the right labels in the wrong namespace.
    others = [Pod(ns, labels, name=f"{ns}/{labels}") for ms, entries in CONTROL_PLANE.items()
              if ms != mesh for (ns, labels), _ in entries]
    others += [Pod("default", labels, name=f"default/{labels}") for (_, labels), _ in CONTROL_PLANE[mesh]]
    for plane, ports in planes:
        for port in PROBED_PORTS:
            assert world.allowed(api, plane, port) == (port in ports), (plane, port)
        assert not world.allowed(api, plane, min(ports), "UDP")
        # The control plane is not admitted to the service.
        assert not world.allowed(plane, api, 8080)
    for other in others:
        for port in PROBED_PORTS:
            assert not world.allowed(api, other, port), (other, port)
    # The caller in the service's own namespace is meshed too: its proxy reaches the plane.
    worker = app("shop", "worker")
    for plane, ports in planes:
        for port in ports:
            assert world.allowed(worker, plane, port), (plane, port)


def test_linkerd_callers_reach_the_proxy_port_and_their_neighbours_do_not(tmp_path: Path) -> None:
    world = render(tmp_path, "linkerd")
    api = app("shop", "api")
    for caller in [app("front", "web"), app("shop", "worker")]:
        for port in (8080, 4143):
            assert world.allowed(caller, api, port), (caller, port)
        for port in (4191, 4190, 4140, 8081, 15008):
            assert not world.allowed(caller, api, port), (caller, port)
    for stranger in [app("back", "web"), app("front", "web-admin"), app("shop", "postgres"),
                     Pod("front", {APP: "web", "extra": "x"}, name="front/web+extra"),
                     Pod("front", {"app": "web"}, name="front/app=web")]:
        labels_match = stranger.labels.get(APP) == "web" and stranger.namespace == "front"
        for port in (8080, 4143):
            assert world.allowed(stranger, api, port) == labels_match, (stranger, port)
    db = app("db", "postgres")
    # The destination's namespace is not ours (no policy there): our egress decides.
    for port in (5432, 4143):
        assert world.allowed(api, db, port), port
    for port in (4191, 5433, 8080):
        assert not world.allowed(api, db, port), port
    assert not world.allowed(api, db, 5432, "UDP")


def test_istio_opens_no_proxy_port(tmp_path: Path) -> None:
    world = render(tmp_path, "istio")
    api = app("shop", "api")
    web = app("front", "web")
    assert world.allowed(web, api, 8080)
    for port in (4143, 15000, 15001, 15006, 15008, 15020, 15021, 15090):
        assert not world.allowed(web, api, port), port
