"""Checks kubeward's rendered NetworkPolicies against the spec they were rendered from.

Inputs (both required; missing, empty or unmatched inputs FAIL, they never skip):

* ``KUBEWARD_EXAMPLES``: a folder with one sub-folder per example holding ``kubeward.yaml``
  (sub-folders without one are ignored);
* ``KUBEWARD_RENDERED``: a folder with one sub-folder per example, of the same name, holding
  the bundle kubeward rendered for it (``kubeward render -f .../kubeward.yaml -o DIR``).

For each example a small cluster is modelled (see ``build_world``): the service's own pods
(labels read from the rendered Deployment's pod template), pods that are not ours (which carry
nothing but ``app.kubernetes.io/name``, or ``k8s-app: kube-dns`` for DNS), and external
addresses. A set of probe flows is then evaluated with ``netpol_eval`` (independent of kubeward)
and compared with what the spec contract says (``Oracle``):

* declared callers (and, for ``exposure: public``, the pods of the public path: the Gateway's
  Envoy proxies, labelled with the Gateway they serve, or the Ingress controller) reach the service on
  ``spec.port``/TCP; the service reaches DNS (kube-dns in kube-system, 53 UDP+TCP), each
  declared egress app on its port and each declared CIDR on its port;
* everything else is denied in both directions, the namespace included (default deny).

Some probes look at one side only (``ingress side`` / ``egress side``): a flow whose other end
is closed anyway (e.g. by the namespace's default deny) would hide a too-wide rule on the side
under test.

Note on same-namespace peers: a declared caller (or egress app) in the service's own namespace
lives under that namespace's default deny too, so the flow as a whole is only admitted if the
bundle also opens that pod's side (egress to the service, resp. ingress from it). The probes
check the whole flow, so such a bundle must do that.

With ``apiAccess`` the bundle also admits traffic to the API server, at the endpoints its
preset names (``apiServer.cidrs`` on ``apiServer.ports``, read from the spec's preset file and
the shipped presets it extends, ``api_server``): each endpoint on each port is allowed; the
``kubernetes.default`` Service address (10.96.0.1:443, which policies never see), the address
next to an endpoint, another port and IPv6 are denied.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORKER_PORT, Probe, cidr_admits, fresh_name, input_folders  # noqa: E402
from netpol_eval import External, Pod, World, iter_objects  # noqa: E402

APP = "app.kubernetes.io/name"
DNS_NS, DNS_LABELS = "kube-system", {"k8s-app": "kube-dns"}
# The pods of the public path when the spec names none (the shipped presets' defaults): Envoy
# Gateway's proxies of the Gateway (api: gateway, the default), or ingress-nginx (api: ingress).
DEFAULT_GATEWAY = ("gateway-system", "public")
ENVOY_NS, ENVOY_LABELS = "envoy-gateway-system", {APP: "envoy", "app.kubernetes.io/component": "proxy"}
OWNER_NAME, OWNER_NS = ("gateway.envoyproxy.io/owning-gateway-name",
                        "gateway.envoyproxy.io/owning-gateway-namespace")
DEFAULT_CONTROLLER = ("ingress-nginx", "ingress-nginx")
# OpenShift (preset openshift): DNS is the dns-default pods in openshift-dns, listening on 5353
# behind the Service's 53 (policies see the pod's port); the router's traffic comes from the
# namespaces labelled policy-group.network.openshift.io/ingress (its own, openshift-ingress,
# whose router pods carry the IngressController's label).
OPENSHIFT_DNS = ("openshift-dns", {"dns.operator.openshift.io/daemonset-dns": "default"}, 5353)
ROUTER_NS, ROUTER_NS_LABELS = "openshift-ingress", {"policy-group.network.openshift.io/ingress": ""}
ROUTER_LABELS = {"ingresscontroller.operator.openshift.io/deployment-ingresscontroller": "default"}
# (address, port, protocol) that must stay closed unless a declared CIDR egress covers them
FIXED_EXTERNALS = [
    ("169.254.169.254", 80, "TCP"),
    ("10.0.0.1", 443, "TCP"),
    ("172.16.0.1", 443, "TCP"),
    ("192.168.1.1", 443, "TCP"),
    ("8.8.8.8", 443, "TCP"),
    # 8.8.8.8 through NAT64 and as an IPv4-mapped address: IPv6 ways back into IPv4
    ("64:ff9b::808:808", 443, "TCP"),
    ("::ffff:808:808", 443, "TCP"),
    ("2001:db8::1", 443, "TCP"),
    ("1.1.1.1", 53, "UDP"),
    ("1.1.1.1", 53, "TCP"),
    # IPv6: unique-local (fd00:ec2::254 is AWS's metadata address), link-local, a public
    # resolver and a public web address
    ("fd00:ec2::254", 80, "TCP"),
    ("fd00::1", 443, "TCP"),
    ("fe80::1", 443, "TCP"),
    ("2001:4860:4860::8888", 53, "UDP"),
    ("2001:4860:4860::8888", 443, "TCP"),
]
# The shipped presets, where a preset named by name (not by path) is found.
SHIPPED_PRESETS = Path(__file__).resolve().parents[2] / "presets"
# The kubernetes.default Service address of kubeadm (and most clusters) and of OpenShift.
SERVICE_VIPS = ("10.96.0.1", "172.30.0.1")
# --------------------------------------------------------------------------------------------
# The spec, as the contract (spec-contract.md) defines it
# --------------------------------------------------------------------------------------------


@dataclass
class Spec:
    name: str
    namespace: str
    port: int | None  # None: a worker, which listens on no port
    exposure: str
    callers: list[tuple[str, str]]  # (namespace, app)
    caller_cidrs: list[Any]  # networks admitted as callers
    egress_apps: list[tuple[str, str, int, str]]  # (namespace, app, port, protocol)
    egress_cidrs: list[tuple[Any, int, str]]  # (network, port, protocol)
    controller: tuple[str, dict[str, str]]  # (namespace, labels) of the public path's pods
    api_access: bool
    # where the API server is (its endpoints' networks, its ports), from the preset
    api_server: tuple[list[Any], list[int]] = ([], [])
    dns: tuple[str, dict[str, str], int] = (DNS_NS, DNS_LABELS, 53)  # (namespace, labels, port)
    # the public path is every pod of the namespaces with these labels (OpenShift's router)
    controller_ns_labels: dict[str, str] | None = None

    @classmethod
    def load(cls, path: Path) -> "Spec":
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta, spec = doc["metadata"], doc["spec"]
        name, ns = str(meta["name"]), str(meta["namespace"])
        port = spec.get("port")
        assert port is None or isinstance(port, int), f"{path}: spec.port must be a number"
        callers = [(str(c.get("namespace") or ns), str(c["app"])) for c in spec.get("callers") or []
                   if "app" in c]
        caller_cidrs = [ipaddress.ip_network(str(c["cidr"]), strict=False)
                        for c in spec.get("callers") or [] if "cidr" in c]
        apps, cidrs = [], []
        for e in spec.get("egress") or []:
            proto = str(e.get("protocol", "TCP")).upper()
            if "cidr" in e:
                cidrs.append((ipaddress.ip_network(str(e["cidr"]), strict=False), int(e["port"]), proto))
            else:
                apps.append((str(e.get("namespace") or ns), str(e["app"]), int(e["port"]), proto))
        ingress = spec.get("ingress") or {}
        ctl = ingress.get("controller") or {}
        openshift = spec.get("preset") == "openshift"
        api = str(ingress.get("api") or ("route" if openshift else "gateway"))
        dns = OPENSHIFT_DNS if openshift else (DNS_NS, DNS_LABELS, 53)
        ns_labels = None
        if api == "route":
            controller = (ROUTER_NS, dict(ROUTER_LABELS))
            ns_labels = dict(ROUTER_NS_LABELS)
        elif api == "gateway":
            gateway = ingress.get("gateway") or {}
            owner = {OWNER_NAME: str(gateway.get("name") or DEFAULT_GATEWAY[1]),
                     OWNER_NS: str(gateway.get("namespace") or DEFAULT_GATEWAY[0])}
            labels = {APP: str(ctl["app"])} if ctl else dict(ENVOY_LABELS)
            controller = (str(ctl.get("namespace") or ENVOY_NS), {**labels, **owner})
        else:
            controller = (str(ctl.get("namespace") or DEFAULT_CONTROLLER[0]),
                          {APP: str(ctl.get("app") or DEFAULT_CONTROLLER[1])})
        api_access = bool(spec.get("apiAccess"))
        api = api_server(path.parent, str(spec.get("preset") or "restricted")) if api_access else ([], [])
        return cls(name, ns, port, str(spec.get("exposure", "")), callers, caller_cidrs, apps,
                   cidrs, controller, api_access, api, dns, ns_labels)


def api_server(folder: Path, reference: str) -> tuple[list[Any], list[int]]:
    """``apiServer.cidrs`` and ``apiServer.ports`` of the preset ``reference`` (a file beside
    the spec, or a shipped name), each from the nearest preset of its chain that sets it."""
    cidrs = ports = None
    while reference and (cidrs is None or ports is None):
        is_path = "/" in reference or reference.endswith((".yaml", ".yml"))
        path = folder / reference if is_path else SHIPPED_PRESETS / f"{reference}.yaml"
        assert path.is_file(), f"preset {reference}: no file {path}"
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        api = (doc.get("spec") or {}).get("apiServer") or {}
        cidrs = api["cidrs"] if cidrs is None and "cidrs" in api else cidrs
        ports = api["ports"] if ports is None and "ports" in api else ports
        folder, reference = path.parent, doc.get("extends")
    return ([ipaddress.ip_network(str(c), strict=False) for c in cidrs or []],
            [int(p) for p in ports or []])


class Oracle:
    """What the contract says about a flow, side by side, without looking at any policy.

    Pods are "ours" (the service pod), "in the namespace" (other pods of the service's
    namespace: under the default deny) or "elsewhere" (not isolated by this bundle)."""

    def __init__(self, spec: Spec, svc: Pod, namespace_labels: dict[str, dict[str, str]]) -> None:
        self.spec, self.svc, self.namespace_labels = spec, svc, namespace_labels

    @staticmethod
    def _is(pod: Any, ns: str, app: str) -> bool:
        return isinstance(pod, Pod) and pod.namespace == ns and pod.labels.get(APP) == app

    @staticmethod
    def _has(pod: Any, ns: str, labels: dict[str, str]) -> bool:
        return isinstance(pod, Pod) and pod.namespace == ns and \
            all(pod.labels.get(k) == v for k, v in labels.items())

    def _caller(self, src: Any) -> bool:
        s = self.spec
        if any(self._is(src, ns, app) for ns, app in s.callers):
            return True
        if isinstance(src, External):
            ip = ipaddress.ip_address(src.ip)
            return any(cidr_admits(net, ip) for net in s.caller_cidrs)
        if s.exposure != "public":
            return False
        if s.controller_ns_labels is not None:
            labels = self.namespace_labels.get(getattr(src, "namespace", ""), {})
            return isinstance(src, Pod) and \
                all(labels.get(k) == v for k, v in s.controller_ns_labels.items())
        return self._has(src, *s.controller)

    def _egress_target(self, dst: Any, port: int, proto: str) -> bool:
        if isinstance(dst, External):
            ip = ipaddress.ip_address(dst.ip)
            nets, api_ports = self.spec.api_server
            api = self.spec.api_access and proto == "TCP" and port in api_ports and \
                any(cidr_admits(net, ip) for net in nets)
            return api or any(cidr_admits(net, ip) and (port, proto) == (p, pr)
                              for net, p, pr in self.spec.egress_cidrs)
        dns_ns, dns_labels, dns_port = self.spec.dns
        if dst.namespace == dns_ns and all(dst.labels.get(k) == v for k, v in dns_labels.items()):
            return port == dns_port and proto in ("UDP", "TCP")
        return any(self._is(dst, ns, app) and (port, proto) == (p, pr)
                   for ns, app, p, pr in self.spec.egress_apps)

    def _local_peer(self, pod: Any) -> bool:
        """A declared caller or destination in the service's own namespace: under its default
        deny, the bundle opens that pod's side of the flow, and gives it back DNS."""
        s = self.spec
        return self._caller(pod) and pod.namespace == s.namespace or any(
            self._is(pod, ns, app) for ns, app, _, _ in s.egress_apps if ns == s.namespace)

    def _dns(self, dst: Any, port: int, proto: str) -> bool:
        dns_ns, dns_labels, dns_port = self.spec.dns
        return isinstance(dst, Pod) and dst.namespace == dns_ns and \
            all(dst.labels.get(k) == v for k, v in dns_labels.items()) and \
            port == dns_port and proto in ("UDP", "TCP")

    def egress(self, src: Any, dst: Any, port: int, proto: str) -> bool:
        if src is self.svc:
            return self._egress_target(dst, port, proto)
        if isinstance(src, Pod) and src.namespace == self.spec.namespace:
            if self._local_peer(src) and self._dns(dst, port, proto):
                return True
            return dst is self.svc and self._caller(src) and (port, proto) == (self.spec.port, "TCP")
        return True

    def ingress(self, src: Any, dst: Any, port: int, proto: str) -> bool:
        if dst is self.svc:
            return self._caller(src) and (port, proto) == (self.spec.port, "TCP")
        if isinstance(dst, Pod) and dst.namespace == self.spec.namespace:
            return src is self.svc and self._egress_target(dst, port, proto)
        return True

    def flow(self, src: Any, dst: Any, port: int, proto: str) -> bool:
        return self.egress(src, dst, port, proto) and self.ingress(src, dst, port, proto)


# --------------------------------------------------------------------------------------------
# The world and the probes
# --------------------------------------------------------------------------------------------


def _service_pod(spec: Spec, rendered: Path, objects: list[tuple[str, dict]]) -> Pod:
    deployments = [o for _, o in objects if o.get("kind") == "Deployment"
                   and (o.get("metadata") or {}).get("namespace") == spec.namespace]
    named = [d for d in deployments if d["metadata"].get("name") == spec.name] or \
        [d for d in deployments
         if ((d.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels", {})
         .get(APP) == spec.name]
    assert len(named) == 1, (f"{rendered}: expected one Deployment of {spec.name} in namespace "
                             f"{spec.namespace}, found {len(named)} (of {len(deployments)})")
    template = named[0]["spec"]["template"]
    labels = {str(k): str(v) for k, v in ((template.get("metadata") or {}).get("labels") or {}).items()}
    assert labels.get(APP) == spec.name, \
        f"{rendered}: the pod template must carry {APP}: {spec.name}, has {labels}"
    ports = {}
    for c in (template.get("spec") or {}).get("containers") or []:
        for p in c.get("ports") or []:
            if p.get("name"):
                ports[str(p["name"])] = (int(p["containerPort"]), str(p.get("protocol", "TCP")))
    return Pod(spec.namespace, labels, ip="10.244.0.10", ports=ports,
               name=f"{spec.namespace}/{spec.name}")


def build_probes(example: str, spec_path: Path, rendered: Path) -> list[Probe]:
    spec = Spec.load(spec_path)
    objects = list(iter_objects(rendered))
    world = World()
    if world.load_policies(rendered) == 0:
        raise AssertionError(f"{rendered}: no networking.k8s.io/v1 NetworkPolicy in the bundle")
    namespace_labels: dict[str, dict[str, str]] = {}
    for _, o in objects:
        if o.get("kind") == "Namespace":
            namespace_labels[o["metadata"]["name"]] = dict(o["metadata"].get("labels") or {})
    dns_ns, dns_labels, dns_port = spec.dns
    if spec.controller_ns_labels is not None:
        namespace_labels.setdefault(spec.controller[0], dict(spec.controller_ns_labels))
    for name, labels in namespace_labels.items():
        world.add_namespace(name, labels)

    # A worker listens on no port: its flows are probed on the port a server would use, where
    # nothing may reach it (the oracle admits no port for it).
    ns, P = spec.namespace, spec.port if spec.port is not None else WORKER_PORT
    svc = _service_pod(spec, rendered, objects)
    oracle = Oracle(spec, svc, namespace_labels)
    declared_ns = {ns, DNS_NS, dns_ns, spec.controller[0]} | {n for n, _ in spec.callers} | \
        {n for n, _, _, _ in spec.egress_apps}
    declared_apps = {spec.name, spec.controller[1].get(APP, "")} | {a for _, a in spec.callers} | \
        {a for _, a, _, _ in spec.egress_apps}
    evil = fresh_name("evil", declared_ns)
    elsewhere = fresh_name("kw-elsewhere", declared_ns | {evil})
    intruder_app = fresh_name("kw-intruder", declared_apps)
    for n in sorted(declared_ns | {evil, elsewhere}):
        if n not in namespace_labels:
            world.add_namespace(n)

    ips = iter(f"10.244.{i // 200 + 1}.{i % 200 + 10}" for i in range(10_000))
    pods: dict[tuple[str, tuple], Pod] = {}

    def pod(namespace: str, labels: dict[str, str] | None = None, app: str | None = None) -> Pod:
        labels = labels if labels is not None else {APP: app}
        key = (namespace, tuple(sorted(labels.items())))
        if key not in pods:
            # named by every label when there are several, so that look-alikes stay apart
            shown = (labels.get(APP) or labels.get("k8s-app")) if len(labels) == 1 else None
            shown = shown or ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
            # every modelled pod names its ports as the service does, so that a rule written
            # with a named port still has to get its selectors right to be admitted
            pods[key] = Pod(namespace, labels, ip=next(ips), ports=svc.ports, name=f"{namespace}/{shown}")
        return pods[key]

    probes: list[Probe] = []
    seen: set[tuple] = set()

    def probe(src: Any, dst: Any, port: int, proto: str, why: str, side: str = "flow") -> None:
        key = (side, str(src), str(dst), port, proto)
        if key in seen:
            return
        seen.add(key)
        expected = getattr(oracle, side)(src, dst, port, proto)
        probes.append(Probe(example, side, src, dst, port, proto, expected, why, world))

    other_port = P + 1 if P < 65535 else P - 1
    dns = pod(dns_ns, dict(dns_labels))
    ks_other = pod(DNS_NS, {"k8s-app": "metrics-server", APP: "metrics-server"})
    intruder = pod(ns, app=intruder_app)
    random_pod = pod(elsewhere, app="kw-random")
    controller = pod(spec.controller[0], dict(spec.controller[1]))

    # -- who may reach the service -------------------------------------------------------
    for c_ns, c_app in spec.callers:
        caller = pod(c_ns, app=c_app)
        probe(caller, svc, P, "TCP", "declared caller")
        probe(caller, svc, other_port, "TCP", "declared caller, undeclared port")
        probe(caller, svc, P, "UDP", "declared caller, wrong protocol")
        probe(pod(evil, app=c_app), svc, P, "TCP", "caller's app name in another namespace")
        probe(svc, caller, P, "TCP", "a caller is not a destination")
        if c_ns != ns:
            look_alike = pod(ns, app=c_app)
            probe(look_alike, svc, P, "TCP", f"caller's app name in the service's namespace, declared in {c_ns}")
            probe(look_alike, svc, P, "TCP", f"caller's app name in the service's namespace, declared in {c_ns}",
                  side="ingress")
            probe(pod(c_ns, app=intruder_app), svc, P, "TCP", "another app in a caller's namespace")
        else:
            probe(caller, External("8.8.8.8"), 443, "TCP", "same-namespace caller may reach only the service")
            probe(caller, random_pod, P, "TCP", "same-namespace caller may reach only the service")
            probe(caller, dns, 53, "UDP", "same-namespace caller keeps DNS")
            probe(caller, dns, 53, "TCP", "same-namespace caller keeps DNS")
            probe(caller, ks_other, 53, "UDP", "same-namespace caller: DNS only to kube-dns")
            probe(caller, dns, 80, "TCP", "same-namespace caller: DNS pods, non-DNS port")
    for net in spec.caller_cidrs:
        address = ipaddress.IPv4Address if net.version == 4 else ipaddress.IPv6Address
        for addr in sorted({net[0], net[-1]}):
            probe(External(str(addr)), svc, P, "TCP", f"inside caller range {net}")
            probe(External(str(addr)), svc, other_port, "TCP", f"inside caller range {net}, undeclared port")
            probe(External(str(addr)), svc, P, "UDP", f"inside caller range {net}, wrong protocol")
            probe(svc, External(str(addr)), P, "TCP", f"caller range {net} is not a destination")
        for candidate in (int(net[0]) - 1, int(net[-1]) + 1):
            try:
                probe(External(str(address(candidate))), svc, P, "TCP", f"just outside caller range {net}")
            except ValueError:  # past either end of the address space
                pass
        other_family = "2001:db8:ffff::1" if net.version == 4 else "198.51.100.200"
        probe(External(other_family), svc, P, "TCP", f"the other address family than caller range {net}")
    probe(controller, svc, P, "TCP",
          "the public path's pods, exposure public" if spec.exposure == "public"
          else f"the public path's pods, exposure {spec.exposure}")
    # Their neighbours: the same pods on another port or protocol, in another namespace, and
    # pods that lack one of their labels (the proxies of another Gateway among them).
    probe(controller, svc, other_port, "TCP", "the public path's pods, undeclared port")
    probe(controller, svc, P, "UDP", "the public path's pods, wrong protocol")
    probe(pod(evil, dict(spec.controller[1])), svc, P, "TCP",
          "the public path's labels in another namespace")
    for key in sorted(spec.controller[1]):
        if len(spec.controller[1]) == 1:
            break
        lacking = {k: v for k, v in spec.controller[1].items() if k != key}
        probe(pod(spec.controller[0], lacking), svc, P, "TCP",
              f"the public path's namespace, without the label {key}")
    if spec.controller_ns_labels is not None:
        # the router's labels in a namespace without the router's namespace label
        probe(pod(evil, dict(spec.controller[1])), svc, P, "TCP",
              "the router's pod labels in a namespace without its namespace label")
        probe(random_pod, svc, P, "TCP", "a pod of an unlabelled namespace, on the public path")
        # the router's label key with another value: the policy's matchLabels wants exactly it
        wrong_label = fresh_name("kw-wrong-label", declared_ns | {evil, elsewhere})
        namespace_labels[wrong_label] = {k: v + "x" for k, v in spec.controller_ns_labels.items()}
        world.add_namespace(wrong_label, namespace_labels[wrong_label])
        probe(pod(wrong_label, dict(spec.controller[1])), svc, P, "TCP",
              "the router's pod labels in a namespace whose label has another value")
        # a router on the host network has no pod labels: every pod of its namespace is on the path
        probe(pod(spec.controller[0], {APP: "kw-any"}), svc, P, "TCP",
              "any pod of the router's labelled namespace")
        probe(External("2001:db8::10"), svc, P, "TCP", "an IPv6 client straight to the pod, past the router")
    if OWNER_NAME in spec.controller[1]:
        other_gateway = {**spec.controller[1], OWNER_NAME: fresh_name("other-gateway",
                                                                        {spec.controller[1][OWNER_NAME]})}
        probe(pod(spec.controller[0], other_gateway), svc, P, "TCP",
              "the proxies of another Gateway")
    probe(intruder, svc, P, "TCP", "another app in the service's namespace")
    probe(intruder, svc, P, "TCP", "another app in the service's namespace", side="ingress")
    probe(ks_other, svc, P, "TCP", "non-DNS pod in kube-system")
    probe(random_pod, svc, P, "TCP", "random pod in another namespace")
    probe(External("8.8.8.8"), svc, P, "TCP", "external source")

    # -- what the service may reach ------------------------------------------------------
    probe(svc, dns, dns_port, "UDP", "DNS")
    probe(svc, dns, dns_port, "TCP", "DNS")
    probe(svc, dns, 80, "TCP", "DNS pods, non-DNS port")
    probe(svc, pod(evil, dict(dns_labels)), dns_port, "UDP", "DNS pods' labels outside the DNS namespace")
    if dns_port != 53:
        # policies see the pod's port: 53 is the Service's, never the pods'
        probe(svc, dns, 53, "UDP", "DNS pods on the Service's port, not theirs")
        probe(svc, dns, 53, "TCP", "DNS pods on the Service's port, not theirs")
        probe(svc, pod(dns_ns, {"dns.operator.openshift.io/daemonset-node-resolver": ""}), dns_port, "UDP",
              "another pod of the DNS namespace (the node resolver)")
        probe(svc, External("fd00:10::a"), dns_port, "UDP", "the DNS port at an IPv6 address")
        probe(svc, pod(DNS_NS, dict(DNS_LABELS)), 53, "UDP", "kube-dns where the platform's DNS is elsewhere")
        probe(svc, pod(DNS_NS, dict(DNS_LABELS)), dns_port, "UDP", "kube-dns where the platform's DNS is elsewhere")
    probe(svc, ks_other, 443, "TCP", "non-DNS pod in kube-system")
    probe(svc, ks_other, 53, "UDP", "non-DNS pod in kube-system")
    probe(svc, ks_other, 53, "TCP", "non-DNS pod in kube-system")
    probe(svc, random_pod, 443, "TCP", "random pod in another namespace")
    probe(svc, random_pod, P, "TCP", "random pod in another namespace")
    probe(svc, intruder, P, "TCP", "another app in the service's namespace", side="egress")
    probe(svc, controller, 443, "TCP", "the ingress controller is not a destination")
    for e_ns, e_app, e_port, e_proto in spec.egress_apps:
        dst = pod(e_ns, app=e_app)
        probe(svc, dst, e_port, e_proto, "declared egress app")
        probe(svc, dst, e_port + 1 if e_port < 65535 else e_port - 1, e_proto,
              "declared egress app, undeclared port")
        probe(svc, pod(evil, app=e_app), e_port, e_proto, "egress app's name in another namespace")
        probe(dst, svc, P, "TCP", "an egress destination is not a caller")
        if e_ns == ns:
            probe(dst, dns, 53, "UDP", "same-namespace destination keeps DNS")
            probe(dst, dns, 53, "TCP", "same-namespace destination keeps DNS")
            probe(dst, External("8.8.8.8"), 443, "TCP", "same-namespace destination: DNS only")
        if e_ns != ns:
            probe(svc, pod(e_ns, app=intruder_app), e_port, e_proto, "another app in the egress app's namespace")
            probe(svc, pod(ns, app=e_app), e_port, e_proto,
                  f"egress app's name in the service's namespace, declared in {e_ns}", side="egress")
    for net, e_port, e_proto in spec.egress_cidrs:
        inside = {net[0], net[-1]}
        outside = set()
        address = ipaddress.IPv4Address if net.version == 4 else ipaddress.IPv6Address
        for candidate in (int(net[0]) - 1, int(net[-1]) + 1):
            try:
                outside.add(address(candidate))
            except ValueError:  # past either end of the address space
                pass
        for addr in sorted(inside):
            probe(svc, External(str(addr)), e_port, e_proto, f"inside declared {net}")
            probe(svc, External(str(addr)), e_port + 1 if e_port < 65535 else e_port - 1, e_proto,
                  f"inside declared {net}, undeclared port")
            probe(External(str(addr)), svc, P, "TCP", f"declared egress {net} is not a caller")
        for addr in sorted(outside):
            probe(svc, External(str(addr)), e_port, e_proto, f"just outside declared {net}")
    for addr, port, proto in FIXED_EXTERNALS:
        probe(svc, External(addr), port, proto, "external address")
    if spec.api_access:
        nets, api_ports = spec.api_server
        assert nets and api_ports, f"{spec_path}: apiAccess, and its preset names no API server endpoint"
        for vip in SERVICE_VIPS:
            probe(svc, External(vip), 443, "TCP", "the kubernetes.default Service address, never seen by policies")
            for api_port in api_ports:
                probe(svc, External(vip), api_port, "TCP", "the kubernetes.default Service address")
        for net in nets:
            for addr in sorted({net[0], net[-1]}):
                for api_port in api_ports:
                    probe(svc, External(str(addr)), api_port, "TCP", f"the API server's endpoint in {net}")
                    probe(External(str(addr)), svc, P, "TCP", f"the API server {net} is not a caller")
                probe(svc, External(str(addr)), 80, "TCP", f"the API server's endpoint in {net}, another port")
        for net in nets:  # after every endpoint, so that an endpoint is never called a neighbour
            address = ipaddress.IPv4Address if net.version == 4 else ipaddress.IPv6Address
            for candidate in (int(net[0]) - 1, int(net[-1]) + 1):
                try:
                    for api_port in api_ports:
                        probe(svc, External(str(address(candidate))), api_port, "TCP",
                              f"next to the API server's endpoints {net}")
                except ValueError:  # past either end of the address space
                    pass
            other_family = "2001:db8:ffff::1" if net.version == 4 else "198.51.100.200"
            for api_port in api_ports:
                probe(svc, External(other_family), api_port, "TCP",
                      f"the API server's port at the other address family than {net}")

    # each allowed destination on each other allowed port: rules must not be merged into one
    destinations = [(dns, "DNS")] + [(pod(n, app=a), "declared egress app") for n, a, _, _ in spec.egress_apps] \
        + [(External(str(net[0])), f"inside declared {net}") for net, _, _ in spec.egress_cidrs]
    ports = [(dns_port, "UDP"), (dns_port, "TCP")] + [(p, pr) for _, _, p, pr in spec.egress_apps] \
        + [(p, pr) for _, p, pr in spec.egress_cidrs]
    if spec.api_access:
        destinations += [(External(str(net[0])), f"the API server's endpoint in {net}") for net in spec.api_server[0]]
        ports += [(p, "TCP") for p in spec.api_server[1]]
    for dst, why in destinations:
        for port, proto in ports:
            probe(svc, dst, port, proto, f"{why}, on another destination's port")

    # -- the rest of the namespace: default deny -----------------------------------------
    for dst, why in destinations[1:]:
        for port, proto in ports[2:]:
            probe(intruder, dst, port, proto, f"another app in the service's namespace to the service's {why}")
    probe(intruder, External("8.8.8.8"), 443, "TCP", "namespace default deny, egress")
    probe(intruder, random_pod, 80, "TCP", "namespace default deny, egress")
    probe(random_pod, intruder, P, "TCP", "namespace default deny, ingress")
    for c_ns, c_app in spec.callers:
        if c_ns != ns:
            probe(pod(c_ns, app=c_app), intruder, P, "TCP", "a caller may reach only the service")

    # -- the neighbours of every allowed flow --------------------------------------------
    # Each end of a flow the contract allows, moved one step: the same labels in another
    # namespace, another app (or the same pod short of one of its labels) in the same
    # namespace, the other address family; and the flow on the next port and the other
    # protocol. Each is judged as a whole and at each end apart: a rule too wide at one end
    # is hidden when the other end is closed anyway.
    def neighbours(end: Any) -> list[tuple[Any, str]]:
        if isinstance(end, External):
            other = "2001:db8:ffff::1" if ipaddress.ip_address(end.ip).version == 4 else "198.51.100.200"
            return [(External(other), f"at {other}, the other address family")]
        moved = [(pod(evil, dict(end.labels)), f"with its labels in namespace {evil}"),
                 (pod(end.namespace, app=intruder_app), f"another app in namespace {end.namespace}")]
        if end is not svc:  # the service is the Deployment's pods, whatever their labels
            moved += [(pod(end.namespace, {k: v for k, v in end.labels.items() if k != key}),
                       f"without the label {key}") for key in sorted(end.labels) if len(end.labels) > 1]
        return moved

    allowed = [p for p in probes if p.expected and p.side == "flow"]
    for p in allowed:
        variants = [(m, p.dst, p.port, p.proto, f"source {why}") for m, why in neighbours(p.src)]
        variants += [(p.src, m, p.port, p.proto, f"destination {why}") for m, why in neighbours(p.dst)]
        variants += [(p.src, p.dst, p.port + 1 if p.port < 65535 else p.port - 1, p.proto, "the next port"),
                     (p.src, p.dst, p.port, "UDP" if p.proto == "TCP" else "TCP", "the other protocol")]
        for src, dst, port, proto, why in variants:
            for side in ("flow", "ingress", "egress"):
                probe(src, dst, port, proto, f"neighbour of an allowed flow ({p.why}): {why}", side=side)
    return probes


# --------------------------------------------------------------------------------------------
# Collection: failures here must FAIL the run, never skip it
# --------------------------------------------------------------------------------------------


def _collect() -> tuple[list[str], dict[str, str], list[Probe]]:
    per_example: dict[str, str] = {}  # example -> "" if fine, else the error
    probes: list[Probe] = []
    problems, folders = input_folders("KUBEWARD_EXAMPLES", "KUBEWARD_RENDERED")
    if problems:
        return problems, per_example, probes
    examples_dir, rendered_dir = folders
    examples = sorted(d for d in examples_dir.iterdir()
                      if d.is_dir() and (d / "kubeward.yaml").is_file())
    if not examples:
        problems.append(f"KUBEWARD_EXAMPLES={examples_dir} holds no <example>/kubeward.yaml")
    for ex in examples:
        rendered = rendered_dir / ex.name
        try:
            if not rendered.is_dir() or not any(rendered.iterdir()):
                raise AssertionError(f"no rendered bundle for example {ex.name}: {rendered} is missing or empty")
            probes.extend(build_probes(ex.name, ex / "kubeward.yaml", rendered))
            per_example[ex.name] = ""
        except Exception as err:  # noqa: BLE001 - reported as this example's failure
            per_example[ex.name] = f"{type(err).__name__}: {err}"
    return problems, per_example, probes


PROBLEMS, EXAMPLES, PROBES = _collect()


def test_inputs_present():
    assert not PROBLEMS, "; ".join(PROBLEMS)


@pytest.mark.parametrize("example", sorted(EXAMPLES) or ["<no examples>"])
def test_bundle_loads(example):
    assert example in EXAMPLES, "no examples were found (see test_inputs_present)"
    assert not EXAMPLES[example], f"{example}: {EXAMPLES[example]}"


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_flow(probe: Probe):
    w = probe.world
    got = probe.judged()
    if got != probe.expected:
        why = w.explain(probe.src, probe.dst, probe.port, probe.proto)[1]
        policies = ", ".join(f"{p} ({p.source})" for p in w.policies)
        pytest.fail(f"{probe.id}, but it is {'ALLOWED' if got else 'DENIED'}.\n"
                    f"  {why}\n  policies in the bundle: {policies}", pytrace=False)
