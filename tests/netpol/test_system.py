"""Checks the NetworkPolicies of a whole system of services, flow by flow across namespaces:
the source's egress (in its namespace) and the destination's ingress (in its own) together.

Inputs (both required; missing or empty inputs FAIL, they never skip):

* ``KUBEWARD_SYSTEM_SPECS``: the folder of the system's specs (every ``kubeward.yaml``, and
  every other ``.yaml`` of kind ``SecureService``, hidden folders skipped);
* ``KUBEWARD_SYSTEM_RENDERED``: what ``kubeward render -f SPECS -o DIR`` wrote.

Two clusters are modelled with ``netpol_eval`` (independent of kubeward):

* the system as applied (``kubectl apply -k DIR``: everything but ``_peers/``), the other
  namespaces holding no policy at all;
* for each namespace outside the system that ``_peers/`` has policies for, the same cluster
  with that namespace under a default deny and its ``_peers/`` policies applied, as its owners
  are told to.

What the specs declare (read here, from the contract) is then probed: every declared caller
reaches its service on its port and every service its declared destinations (a destination of
the system on its container port, whether the spec names that or its Service port), DNS
included; and their neighbours stay closed: the same app in the wrong namespace, another app in
the right one, the wrong port or protocol, the other address family, every pair of services
that declares no connection, anything else a pod outside the system tries once its namespace
applies its policies.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Probe, cidr_admits, fresh_name, input_folders  # noqa: E402
from netpol_eval import External, Pod, World, iter_objects  # noqa: E402

APP = "app.kubernetes.io/name"
DNS_NS, DNS_LABELS = "kube-system", {"k8s-app": "kube-dns"}
# The preset `openshift`: OpenShift's dns-default pods, on the port they listen on behind the
# Service's 53.
OPENSHIFT_DNS = ("openshift-dns", {"dns.operator.openshift.io/daemonset-dns": "default"}, 5353)
PEERS = "_peers"
# --------------------------------------------------------------------------------------------
# The specs, as the contract defines them
# --------------------------------------------------------------------------------------------


@dataclass
class Service:
    file: str
    name: str
    namespace: str
    port: int
    service_port: int  # 80 for http, 443 for https, the container's port otherwise
    callers: list[tuple[str, str]] = field(default_factory=list)  # (namespace, app)
    caller_ranges: list[Any] = field(default_factory=list)
    egress: list[tuple[str, str, int, str]] = field(default_factory=list)  # (ns, app, port, proto)
    # the cluster DNS its preset opens, for it and for the peers its policies admit
    dns: tuple[str, dict[str, str], int] = (DNS_NS, DNS_LABELS, 53)  # (namespace, labels, port)

    @property
    def key(self) -> tuple[str, str]:
        return self.namespace, self.name


def is_spec(path: Path) -> bool:
    if path.name == "kubeward.yaml":
        return True
    try:
        docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except yaml.YAMLError:
        return False
    return any(isinstance(d, dict) and d.get("kind") == "SecureService" for d in docs)


def load_specs(folder: Path) -> list[Service]:
    services = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.suffix not in (".yaml", ".yml"):
            continue
        if not path.is_file() or not is_spec(path):
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta, spec = doc["metadata"], doc["spec"]
        ns = str(meta["namespace"])
        protocol = spec.get("protocol", "http")
        port = int(spec["port"])
        service = Service(str(rel), str(meta["name"]), ns, port,
                          {"http": 80, "https": 443}.get(protocol, port))
        if spec.get("preset") == "openshift":
            service.dns = OPENSHIFT_DNS
        for c in spec.get("callers") or []:
            if "cidr" in c:
                service.caller_ranges.append(ipaddress.ip_network(str(c["cidr"])))
            else:
                service.callers.append((str(c.get("namespace") or ns), str(c["app"])))
        for e in spec.get("egress") or []:
            if "app" in e:
                service.egress.append((str(e.get("namespace") or ns), str(e["app"]), int(e["port"]),
                                       str(e.get("protocol", "TCP"))))
        services.append(service)
    return services


# --------------------------------------------------------------------------------------------
# The worlds and the probes
# --------------------------------------------------------------------------------------------


def build() -> tuple[list[str], list[Probe]]:
    problems, folders = input_folders("KUBEWARD_SYSTEM_SPECS", "KUBEWARD_SYSTEM_RENDERED")
    if problems:
        return problems, []
    specs, rendered = folders
    services = load_specs(specs)
    if len(services) < 2:
        return [f"{specs}: a system needs two services or more, found {len(services)}"], []
    by_key = {s.key: s for s in services}
    system_ns = {s.namespace for s in services}

    def new_world(extra_ns: str | None = None) -> World:
        w = World()
        if w.load_policies(rendered, exclude=[PEERS]) == 0:
            raise AssertionError(f"{rendered}: no NetworkPolicy in the system")
        for _, o in iter_objects(rendered, exclude=[PEERS]):
            if o.get("kind") == "Namespace":
                w.add_namespace(o["metadata"]["name"], o["metadata"].get("labels") or {})
        if extra_ns:
            w.add_policy({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                          "metadata": {"name": "their-default-deny", "namespace": extra_ns},
                          "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}})
            for source, o in iter_objects(rendered / PEERS / extra_ns):
                if o.get("kind") == "NetworkPolicy":
                    w.add_policy(o, f"{PEERS}/{extra_ns}/{source}")
        return w

    system = new_world()
    # The service pods, as the rendered Deployments make them.
    pods: dict[tuple[str, str], Pod] = {}
    for _, o in iter_objects(rendered, exclude=[PEERS]):
        if o.get("kind") != "Deployment":
            continue
        template = o["spec"]["template"]
        labels = {str(k): str(v) for k, v in (template["metadata"].get("labels") or {}).items()}
        ports = {str(p["name"]): (int(p["containerPort"]), str(p.get("protocol", "TCP")))
                 for c in template["spec"]["containers"] for p in c.get("ports") or [] if p.get("name")}
        key = (o["metadata"]["namespace"], labels.get(APP, ""))
        pods[key] = Pod(key[0], labels, ip=f"10.244.9.{len(pods) + 10}", ports=ports, name=f"{key[0]}/{key[1]}")
    missing = [f"{s.namespace}/{s.name}" for s in services if s.key not in pods]
    if missing:
        return [f"{rendered}: no Deployment for {', '.join(missing)}"], []

    taken_ns = system_ns | {DNS_NS} | {s.dns[0] for s in services} | {n for s in services for n, _ in s.callers} | \
        {n for s in services for n, _, _, _ in s.egress}
    taken_apps = {s.name for s in services} | {a for s in services for _, a in s.callers} | \
        {a for s in services for _, a, _, _ in s.egress}
    evil, intruder = fresh_name("evil", taken_ns), fresh_name("kw-intruder", taken_apps)

    def pod(namespace: str, app: str) -> Pod:
        return pods.get((namespace, app)) or Pod(namespace, {APP: app}, name=f"{namespace}/{app}")

    def dns_of(s: Service) -> tuple[Pod, int]:
        ns, labels, port = s.dns
        return Pod(ns, dict(labels), name=f"{ns}/dns"), port

    kube_dns = Pod(DNS_NS, dict(DNS_LABELS), name="kube-system/kube-dns")
    probes: list[Probe] = []
    seen: set[tuple] = set()

    def probe(world_name: str, w: World, src: Any, dst: Any, port: int, proto: str, expected: bool, why: str):
        key = (world_name, str(src), str(dst), port, proto)
        if key not in seen:
            seen.add(key)
            probes.append(Probe(world_name, "flow", src, dst, port, proto, expected, why, w))

    def destination_port(dest: Service | None, declared: int) -> int:
        if dest and declared in (dest.port, dest.service_port):
            return dest.port
        return declared

    # -- the system as applied -----------------------------------------------------------
    for s in services:
        svc, P = pods[s.key], s.port
        dns, dns_port = dns_of(s)
        for c_ns, c_app in s.callers:
            caller = pod(c_ns, c_app)
            inside = "a service of the system" if (c_ns, c_app) in by_key else (
                "outside the system, in one of its namespaces" if c_ns in system_ns else "outside the system")
            probe("system", system, caller, svc, P, "TCP", True, f"declared caller, {inside}")
            probe("system", system, caller, svc, P + 1, "TCP", False, "declared caller, wrong port")
            probe("system", system, caller, svc, P, "UDP", False, "declared caller, wrong protocol")
            probe("system", system, pod(evil, c_app), svc, P, "TCP", False, "caller's app, wrong namespace")
            probe("system", system, pod(c_ns, intruder), svc, P, "TCP", False, "caller's namespace, wrong labels")
            if c_ns in system_ns and (c_ns, c_app) not in by_key:
                probe("system", system, caller, dns, dns_port, "UDP", True, "a pod under the system's default deny keeps DNS")
                probe("system", system, caller, External("8.8.8.8"), 443, "TCP", False,
                      "a pod under the system's default deny reaches only what is declared")
        for net in s.caller_ranges:
            for addr in sorted({net[0], net[-1]}):
                expected = cidr_admits(net, addr)
                probe("system", system, External(str(addr)), svc, P, "TCP", expected, f"inside caller range {net}")
                probe("system", system, External(str(addr)), svc, P + 1, "TCP", False, f"caller range {net}, wrong port")
            for candidate in (int(net[0]) - 1, int(net[-1]) + 1):
                try:
                    outside = ipaddress.ip_address(candidate) if net.version == 4 else ipaddress.IPv6Address(candidate)
                except ValueError:
                    continue
                probe("system", system, External(str(outside)), svc, P, "TCP", False, f"just outside caller range {net}")
            other = "2001:db8:ffff::1" if net.version == 4 else "198.51.100.254"
            admitted = any(cidr_admits(n, ipaddress.ip_address(other)) for n in s.caller_ranges)
            probe("system", system, External(other), svc, P, "TCP", admitted, f"the other address family than {net}")
        for d_ns, d_app, d_port, d_proto in s.egress:
            dest = by_key.get((d_ns, d_app))
            port = destination_port(dest, d_port)
            target = pod(d_ns, d_app)
            what = "a service of the system" if dest else "outside the system"
            probe("system", system, svc, target, port, d_proto, True, f"declared destination, {what}")
            probe("system", system, svc, target, port + 1, d_proto, False, "declared destination, wrong port")
            probe("system", system, svc, pod(evil, d_app), port, d_proto, False, "destination's app, wrong namespace")
            if dest and port != d_port:
                probe("system", system, svc, target, d_port, d_proto, False,
                      "a Service port is not a pod's: the container port is what the policies open")
            if d_ns in system_ns and not dest:
                probe("system", system, target, dns, dns_port, "UDP", True, "a pod under the system's default deny keeps DNS")
        probe("system", system, svc, dns, dns_port, "UDP", True, "DNS")
        probe("system", system, svc, dns, dns_port, "TCP", True, "DNS")
        probe("system", system, svc, dns, 80, "TCP", False, "DNS pods, another port")
        if dns_port != 53:
            # policies see the pods' port: the Service's 53 is never theirs, nor is kube-dns
            probe("system", system, svc, dns, 53, "UDP", False, "the platform's DNS pods on the Service's port")
            probe("system", system, svc, kube_dns, 53, "UDP", False, "kube-dns where the platform's DNS is elsewhere")
            probe("system", system, svc, kube_dns, dns_port, "UDP", False, "kube-dns where the platform's DNS is elsewhere")
    # every pair of services that declares no connection stays closed
    for a in services:
        declared = {(n, app) for n, app, _, _ in a.egress}
        for b in services:
            if a is not b and b.key not in declared:
                probe("system", system, pods[a.key], pods[b.key], b.port, "TCP", False,
                      "no connection declared between these services")

    # -- each namespace outside the system, applying its _peers/ policies ------------------
    peers_dir = rendered / PEERS
    outside_ns = sorted(p.name for p in peers_dir.iterdir() if p.is_dir()) if peers_dir.is_dir() else []
    expected_outside = sorted({n for s in services for n, _ in s.callers if n not in system_ns} |
                              {n for s in services for n, _, _, _ in s.egress if n not in system_ns})
    if outside_ns != expected_outside:
        problems.append(f"{peers_dir}: folders {outside_ns}, but the specs name peers in {expected_outside}")
    for ns in outside_ns:
        w = new_world(ns)
        name = f"{ns} applies {PEERS}/{ns}"
        stranger = pod(ns, intruder)
        for s in services:
            svc = pods[s.key]
            dns, dns_port = dns_of(s)
            for c_ns, c_app in s.callers:
                if c_ns != ns:
                    continue
                caller = pod(c_ns, c_app)
                probe(name, w, caller, svc, s.port, "TCP", True, "declared caller outside the system")
                probe(name, w, caller, svc, s.port + 1, "TCP", False, "declared caller outside, wrong port")
                probe(name, w, caller, dns, dns_port, "UDP", True, "its policy keeps DNS")
                probe(name, w, caller, External("8.8.8.8"), 443, "TCP", False, "its policy opens nothing else")
                probe(name, w, stranger, svc, s.port, "TCP", False, "another app of its namespace")
                for other in services:
                    if other is not s and (c_ns, c_app) not in other.callers:
                        probe(name, w, caller, pods[other.key], other.port, "TCP", False,
                              "a service of the system it does not call")
            for d_ns, d_app, d_port, d_proto in s.egress:
                if d_ns != ns:
                    continue
                target = pod(d_ns, d_app)
                probe(name, w, svc, target, d_port, d_proto, True, "declared destination outside the system")
                probe(name, w, stranger, target, d_port, d_proto, False, "another app of its namespace")
    return problems, probes


PROBLEMS, PROBES = build()


def test_inputs_present():
    assert not PROBLEMS, "; ".join(PROBLEMS)


def test_enough_flows_are_probed():
    assert len(PROBES) >= 50, f"only {len(PROBES)} flows probed"


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_flow(probe: Probe):
    verdict = probe.world.flow(probe.src, probe.dst, probe.port, probe.proto)
    if verdict.allowed != probe.expected:
        pytest.fail(f"{probe.id}, but it is {'ALLOWED' if verdict.allowed else 'DENIED'}\n"
                    f"  egress (source's namespace): {verdict.egress.reason}\n"
                    f"  ingress (destination's namespace): {verdict.ingress.reason}", pytrace=False)
