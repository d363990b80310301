"""An independent evaluator of Kubernetes ``networking.k8s.io/v1`` NetworkPolicy semantics.

It exists to check kubeward's rendered bundles from the outside: it shares no code and no
assumptions with kubeward, only the Kubernetes API semantics, and it is small enough to read
in one sitting. Standard library plus PyYAML only.

The model
---------
A ``World`` holds namespaces (name + labels; every namespace carries
``kubernetes.io/metadata.name: <name>``, as the API server sets it) and NetworkPolicies.
Endpoints are ``Pod`` (namespace, labels, optional IP, optional named container ports) or
``External`` (an IP address outside the cluster).

``World.allowed(src, dst, port, protocol)`` answers whether a new connection from ``src`` to
``dst`` on ``port``/``protocol`` is admitted (``World.flow`` gives the same verdict with each
end's judgement apart: a flow across namespaces must pass the source namespace's egress
policies and the destination namespace's ingress policies):

* the egress side: ``src`` is External, or ``src`` is a pod that no policy with ``Egress`` in
  its policyTypes selects, or one such policy has an egress rule whose ``to`` peers match
  ``dst`` and whose ``ports`` match ``port``/``protocol``;
* AND the ingress side: ``dst`` is External (nothing enforces ingress there), or the same test
  with ``Ingress`` policies selecting ``dst``, ``from`` peers matching ``src``.

Semantics implemented (see the Kubernetes API reference for NetworkPolicySpec):

* A policy selects pods of its own namespace only, via ``spec.podSelector`` (``{}`` = all).
* ``policyTypes`` missing or empty defaults to ``[Ingress]``, plus ``Egress`` if the policy has
  at least one egress rule (``len(spec.egress) != 0``, exactly as the API server's defaulting).
* A pod selected for a direction is isolated in that direction: only the union of the rules
  of the selecting policies admits traffic. ``ingress``/``egress`` missing or ``[]`` = nothing.
* In a rule, ``from``/``to`` missing or ``[]`` = every peer (pods and external addresses);
  ``ports`` missing or ``[]`` = every port and protocol.
* A peer: ``podSelector`` alone = matching pods in the policy's own namespace;
  ``namespaceSelector`` alone = every pod in matching namespaces; both in one peer = AND;
  ``ipBlock`` (``cidr`` minus each ``except``) must stand alone.
* A port entry: ``protocol`` default TCP (TCP, UDP, SCTP); ``port`` missing = every port of that
  protocol; a number, optionally with ``endPort`` (inclusive range); or a name, matched against
  the destination pod's named container ports (a name never matches an External destination).
* Label selectors: ``matchLabels`` and ``matchExpressions`` (In, NotIn, Exists, DoesNotExist),
  ANDed; an empty selector matches everything.

A deliberate choice about ipBlock and pods
------------------------------------------
Kubernetes says ipBlock is meant for cluster-external addresses, and CNIs differ on whether a
pod's IP matches an ipBlock (some match it, some match only after SNAT, some never). kubeward
only uses ipBlock for outside ranges (declared CIDRs, the API server), so here **pod endpoints
never match ipBlock peers** by default: pod-to-pod traffic must be admitted by pod/namespace
selectors. ``World(pod_ips_match_ipblock=True)`` switches to the other reading (a pod with an IP
matches an ipBlock containing that IP) for experiments.

Strictness
----------
Malformed policies (a peer with no selector, ipBlock mixed with selectors, an unknown protocol or
operator, a missing ``metadata.namespace`` or ``spec.podSelector``, a named port with endPort,
...) raise ``PolicyError`` instead of being guessed at: a malformed policy in a rendered bundle is
a bug that should fail loudly, not be read in the most convenient way.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Union

import yaml

NAME_LABEL = "kubernetes.io/metadata.name"
PROTOCOLS = ("TCP", "UDP", "SCTP")
NP_API_VERSION = "networking.k8s.io/v1"
# a container port name: 1-15 chars, lowercase alnum and '-', at least one letter, no '--'
IANA_SVC_NAME = re.compile(r"(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?")


class PolicyError(ValueError):
    """A NetworkPolicy that the API server would reject, or that this evaluator cannot read."""


# --------------------------------------------------------------------------------------------
# Endpoints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Pod:
    """A pod. ``ports`` maps container port names to ``(number, protocol)``."""

    namespace: str
    labels: Mapping[str, str]
    ip: str | None = None
    ports: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    name: str = ""

    def __str__(self) -> str:
        return self.name or f"{self.namespace}/{dict(self.labels)}"


@dataclass(frozen=True, eq=False)
class External:
    """An address outside the cluster."""

    ip: str

    def __str__(self) -> str:
        return self.ip


Endpoint = Union[Pod, External]


# --------------------------------------------------------------------------------------------
# Label selectors
# --------------------------------------------------------------------------------------------


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """metav1.LabelSelector semantics; ``{}`` (or ``None`` as the empty value) matches all."""
    selector = selector or {}
    if not isinstance(selector, Mapping):
        raise PolicyError(f"label selector must be a mapping, got {selector!r}")
    unknown = set(selector) - {"matchLabels", "matchExpressions"}
    if unknown:
        raise PolicyError(f"unknown label selector field(s) {sorted(unknown)}")
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(str(key)) != str(value):
            return False
    for expr in selector.get("matchExpressions") or []:
        if not _expression_matches(expr, labels):
            return False
    return True


def _expression_matches(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key, op = expr.get("key"), expr.get("operator")
    values = [str(v) for v in (expr.get("values") or [])]
    if not key:
        raise PolicyError(f"matchExpressions entry without key: {expr!r}")
    if op in ("In", "NotIn"):
        if not values:
            raise PolicyError(f"operator {op} needs non-empty values: {expr!r}")
        present = key in labels and labels[key] in values
        return present if op == "In" else not present  # NotIn also matches a missing key
    if op in ("Exists", "DoesNotExist"):
        if values:
            raise PolicyError(f"operator {op} takes no values: {expr!r}")
        return (key in labels) == (op == "Exists")
    raise PolicyError(f"unknown matchExpressions operator {op!r}")


# --------------------------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------------------------


@dataclass
class Policy:
    name: str
    namespace: str
    pod_selector: Mapping[str, Any]
    types: frozenset[str]
    ingress: list[Mapping[str, Any]]
    egress: list[Mapping[str, Any]]
    source: str = ""

    def __str__(self) -> str:
        return f"{self.namespace}/{self.name}"

    @classmethod
    def from_object(cls, obj: Mapping[str, Any], source: str = "") -> "Policy":
        meta = obj.get("metadata") or {}
        name = meta.get("name") or "<unnamed>"
        where = f"NetworkPolicy {name}" + (f" ({source})" if source else "")
        namespace = meta.get("namespace")
        if not namespace:
            raise PolicyError(f"{where}: metadata.namespace is missing")
        spec = obj.get("spec")
        if not isinstance(spec, Mapping):
            raise PolicyError(f"{where}: spec is missing")
        if "podSelector" not in spec:
            raise PolicyError(f"{where}: spec.podSelector is required (use {{}} for all pods)")
        ingress = spec.get("ingress") or []
        egress = spec.get("egress") or []
        types = spec.get("policyTypes") or []
        if not types:  # API server defaulting
            types = ["Ingress"] + (["Egress"] if len(egress) != 0 else [])
        for t in types:
            if t not in ("Ingress", "Egress"):
                raise PolicyError(f"{where}: unknown policyType {t!r}")
        policy = cls(str(name), str(namespace), spec.get("podSelector") or {},
                     frozenset(types), list(ingress), list(egress), source)
        policy._validate(where)
        return policy

    def _validate(self, where: str) -> None:
        """Fail now on malformed rules rather than at the first flow that reaches them."""
        selector_matches(self.pod_selector, {})
        for direction, rules, key in (("ingress", self.ingress, "from"),
                                      ("egress", self.egress, "to")):
            for i, rule in enumerate(rules):
                rule = rule or {}
                if not isinstance(rule, Mapping):
                    raise PolicyError(f"{where}: {direction}[{i}] must be a mapping")
                unknown = set(rule) - {key, "ports"}
                if unknown:
                    raise PolicyError(f"{where}: {direction}[{i}] has unknown field(s) "
                                      f"{sorted(unknown)} (a '{key}' rule was expected)")
                for peer in rule.get(key) or []:
                    _check_peer(peer, f"{where}: {direction}[{i}].{key}")
                for port in rule.get("ports") or []:
                    _check_port(port, f"{where}: {direction}[{i}].ports")

    def selects(self, pod: Pod) -> bool:
        return pod.namespace == self.namespace and selector_matches(self.pod_selector, pod.labels)


def _present(peer: Mapping[str, Any]) -> dict[str, Any]:
    """A peer's fields that are set: ``namespaceSelector: null`` is an unset pointer in the API
    (so: the policy's own namespace), not the empty selector ``{}`` (so: every namespace)."""
    return {k: v for k, v in peer.items() if v is not None} if isinstance(peer, Mapping) else {}


def _check_peer(peer: Mapping[str, Any], where: str) -> None:
    peer = _present(peer)
    if not peer:
        raise PolicyError(f"{where}: a peer needs podSelector, namespaceSelector or ipBlock")
    unknown = set(peer) - {"podSelector", "namespaceSelector", "ipBlock"}
    if unknown:
        raise PolicyError(f"{where}: unknown peer field(s) {sorted(unknown)}")
    if "ipBlock" in peer:
        if len(peer) != 1:
            raise PolicyError(f"{where}: ipBlock may not be combined with selectors")
        block = peer["ipBlock"] or {}
        try:
            net = ipaddress.ip_network(str(block["cidr"]), strict=False)
            for exc in block.get("except") or []:
                sub = ipaddress.ip_network(str(exc), strict=False)
                if sub.version != net.version or not sub.subnet_of(net) or sub == net:
                    raise PolicyError(f"{where}: except {exc} is not a strict subset of {net}")
        except (KeyError, ValueError) as err:
            if isinstance(err, PolicyError):
                raise
            raise PolicyError(f"{where}: bad ipBlock {block!r}: {err}") from err
    for sel in ("podSelector", "namespaceSelector"):
        if sel in peer:
            selector_matches(peer[sel], {})


def _check_port(entry: Mapping[str, Any], where: str) -> None:
    proto = entry.get("protocol", "TCP")
    if proto not in PROTOCOLS:
        raise PolicyError(f"{where}: unknown protocol {proto!r}")
    port, end = entry.get("port"), entry.get("endPort")
    if end is not None:
        if not isinstance(port, int):
            raise PolicyError(f"{where}: endPort needs a numeric port, got {port!r}")
        if not isinstance(end, int) or end < port:
            raise PolicyError(f"{where}: endPort {end!r} must be a number >= port {port}")
    if isinstance(port, int) and not 1 <= port <= 65535:
        raise PolicyError(f"{where}: port {port} out of range")
    if isinstance(port, bool) or (port is not None and not isinstance(port, (int, str))):
        raise PolicyError(f"{where}: port must be a number or a name, got {port!r}")
    if isinstance(port, str) and not IANA_SVC_NAME.fullmatch(port):
        raise PolicyError(f"{where}: port {port!r} is neither a number nor a valid port name")


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def iter_objects(folder: str | Path,
                 exclude: Iterable[str] = ()) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every Kubernetes object in ``*.yaml``/``*.yml`` under ``folder`` (recursively, but for
    the sub-folders named in ``exclude``), multi-document aware, ``kind: List`` expanded,
    ``kustomization.yaml`` skipped. Yields ``(source, object)``."""
    folder = Path(folder)
    excluded = set(exclude)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml")
                   and not excluded.intersection(p.relative_to(folder).parts[:-1]))
    for path in files:
        if path.name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
            continue
        with path.open(encoding="utf-8") as fh:
            for i, doc in enumerate(yaml.safe_load_all(fh)):
                for obj in _expand(doc):
                    yield f"{path.relative_to(folder)}#{i}", obj


def _expand(doc: Any) -> Iterable[Mapping[str, Any]]:
    if not isinstance(doc, Mapping):
        return []
    if doc.get("kind") == "List" or str(doc.get("kind", "")).endswith("List"):
        return [item for item in doc.get("items") or [] if isinstance(item, Mapping)]
    return [doc]


def is_network_policy(obj: Mapping[str, Any]) -> bool:
    return obj.get("kind") == "NetworkPolicy" and obj.get("apiVersion") == NP_API_VERSION


# --------------------------------------------------------------------------------------------
# The world and the verdict
# --------------------------------------------------------------------------------------------


class World:
    def __init__(self, pod_ips_match_ipblock: bool = False) -> None:
        self.namespaces: dict[str, dict[str, str]] = {}
        self.policies: list[Policy] = []
        self.pod_ips_match_ipblock = pod_ips_match_ipblock

    # -- building --------------------------------------------------------------------------

    def add_namespace(self, name: str, labels: Mapping[str, str] | None = None) -> None:
        merged = dict(self.namespaces.get(name, {}))
        merged.update({str(k): str(v) for k, v in (labels or {}).items()})
        merged[NAME_LABEL] = name  # set by the API server, cannot be overridden
        self.namespaces[name] = merged

    def namespace_labels(self, name: str) -> dict[str, str]:
        return self.namespaces.get(name, {NAME_LABEL: name})

    def add_policy(self, obj: Mapping[str, Any], source: str = "") -> Policy:
        policy = Policy.from_object(obj, source)
        self.policies.append(policy)
        return policy

    def add_policies_yaml(self, text: str, source: str = "<inline>") -> int:
        """Add every networking.k8s.io/v1 NetworkPolicy in a YAML stream; returns how many."""
        count = 0
        for i, doc in enumerate(yaml.safe_load_all(text)):
            for obj in _expand(doc):
                if is_network_policy(obj):
                    self.add_policy(obj, f"{source}#{i}")
                    count += 1
        return count

    def load_policies(self, folder: str | Path, exclude: Iterable[str] = ()) -> int:
        """Add every networking.k8s.io/v1 NetworkPolicy found in ``folder`` (but in its
        sub-folders named in ``exclude``); returns how many. Other objects (and other API
        groups' NetworkPolicy kinds) are ignored."""
        count = 0
        for source, obj in iter_objects(folder, exclude):
            if is_network_policy(obj):
                self.add_policy(obj, source)
                count += 1
        return count

    # -- evaluating ------------------------------------------------------------------------

    def allowed(self, src: Endpoint, dst: Endpoint, port: int, protocol: str = "TCP") -> bool:
        """Both sides admit the flow."""
        return self.explain(src, dst, port, protocol)[0]

    def egress_allowed(self, src: Endpoint, dst: Endpoint, port: int,
                       protocol: str = "TCP") -> bool:
        """Only the sending side: would ``src``'s policies let this flow out?"""
        return self._side("Egress", src, dst, port, _proto(protocol))[0]

    def ingress_allowed(self, src: Endpoint, dst: Endpoint, port: int,
                        protocol: str = "TCP") -> bool:
        """Only the receiving side: would ``dst``'s policies let this flow in?"""
        return self._side("Ingress", dst, src, port, _proto(protocol))[0]

    def flow(self, src: Endpoint, dst: Endpoint, port: int, protocol: str = "TCP") -> "Verdict":
        """A connection across namespaces, judged at both ends: the source's egress policies
        (in the source's namespace) and the destination's ingress policies (in its own), each
        with the policy and rule that decide it."""
        protocol = _proto(protocol)
        egress = Side(*self._side("Egress", src, dst, port, protocol))
        ingress = Side(*self._side("Ingress", dst, src, port, protocol))
        return Verdict(egress.allowed and ingress.allowed, egress, ingress)

    def explain(self, src: Endpoint, dst: Endpoint, port: int,
                protocol: str = "TCP") -> tuple[bool, str]:
        """The verdict and a one-paragraph account of it (which policies, which rules)."""
        protocol = _proto(protocol)
        e_ok, e_why = self._side("Egress", src, dst, port, protocol)
        i_ok, i_why = self._side("Ingress", dst, src, port, protocol)
        verdict = "ALLOWED" if e_ok and i_ok else "DENIED"
        text = f"{src} -> {dst}:{port}/{protocol}: {verdict}; egress: {e_why}; ingress: {i_why}"
        return e_ok and i_ok, text

    def _side(self, direction: str, subject: Endpoint, peer: Endpoint, port: int,
              protocol: str) -> tuple[bool, str]:
        """Is ``subject`` allowed to send (Egress) to / receive (Ingress) from ``peer``?"""
        if not isinstance(subject, Pod):
            return True, "external endpoint, not enforced"
        selecting = [p for p in self.policies if direction in p.types and p.selects(subject)]
        if not selecting:
            return True, "not isolated (no policy selects it)"
        dst = peer if direction == "Egress" else subject  # ports are always the destination's
        key = "to" if direction == "Egress" else "from"
        for policy in selecting:
            rules = policy.egress if direction == "Egress" else policy.ingress
            for i, rule in enumerate(rules):
                rule = rule or {}
                if self._peers_match(policy, rule.get(key), peer) and \
                        _ports_match(rule.get("ports"), dst, port, protocol):
                    return True, f"admitted by {policy} {direction.lower()}[{i}]"
        names = ", ".join(str(p) for p in selecting)
        return False, f"isolated by {names}; no rule admits it"

    def _peers_match(self, policy: Policy, peers: list[Mapping[str, Any]] | None,
                     endpoint: Endpoint) -> bool:
        if not peers:
            return True  # missing or [] = every peer
        return any(self._peer_matches(policy, peer, endpoint) for peer in peers)

    def _peer_matches(self, policy: Policy, peer: Mapping[str, Any], endpoint: Endpoint) -> bool:
        peer = _present(peer)
        if "ipBlock" in peer:
            if isinstance(endpoint, External):
                return _in_block(peer["ipBlock"], endpoint.ip)
            if self.pod_ips_match_ipblock and endpoint.ip:
                return _in_block(peer["ipBlock"], endpoint.ip)
            return False  # see the module docstring: pods never match ipBlock by default
        if not isinstance(endpoint, Pod):
            return False  # selectors only ever match pods
        if "namespaceSelector" in peer:
            ns_ok = selector_matches(peer["namespaceSelector"],
                                     self.namespace_labels(endpoint.namespace))
        else:
            ns_ok = endpoint.namespace == policy.namespace
        pod_ok = selector_matches(peer.get("podSelector"), endpoint.labels) \
            if "podSelector" in peer else True
        return ns_ok and pod_ok


@dataclass(frozen=True)
class Side:
    """One end's judgement of a flow: whether it lets it through, and why."""

    allowed: bool
    reason: str


@dataclass(frozen=True)
class Verdict:
    """A flow judged at both ends: it passes only when both let it through."""

    allowed: bool
    egress: Side
    ingress: Side

    @property
    def blocked_at(self) -> str:
        """``""`` when allowed, else ``"source"``, ``"destination"`` or ``"both"``."""
        if self.allowed:
            return ""
        if not self.egress.allowed and not self.ingress.allowed:
            return "both"
        return "source" if not self.egress.allowed else "destination"


def _proto(protocol: str) -> str:
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}")
    return protocol


def _in_block(block: Mapping[str, Any], ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    net = ipaddress.ip_network(str(block["cidr"]), strict=False)
    if addr.version != net.version or addr not in net:
        return False
    return not any(addr in ipaddress.ip_network(str(e), strict=False)
                   for e in block.get("except") or [])


def _ports_match(ports: list[Mapping[str, Any]] | None, dst: Endpoint, port: int,
                 protocol: str) -> bool:
    if not ports:
        return True  # missing or [] = every port
    for entry in ports:
        if entry.get("protocol", "TCP") != protocol:
            continue
        want = entry.get("port")
        if want is None:
            return True  # every port of this protocol
        if isinstance(want, int):
            end = entry.get("endPort")
            if want == port or (end is not None and want <= port <= end):
                return True
        elif isinstance(dst, Pod):  # a named port: the destination pod's container port name
            if dst.ports.get(str(want)) == (port, protocol):
                return True
    return False


def allowed(world: World, src: Endpoint, dst: Endpoint, port: int, protocol: str = "TCP") -> bool:
    """Module-level spelling of ``World.allowed``."""
    return world.allowed(src, dst, port, protocol)
