"""What the NetworkPolicy tests share: kubeward's documented rules (read from the book, not
from kubeward's code), their inputs, and fresh names for pods that must match nothing."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netpol_eval import World

# The port a worker's flows are probed on: it listens on none (no spec.port), so no flow may
# reach it there, or anywhere.
WORKER_PORT = 8080

# kubeward's documented rule: a declared range never implies the cluster-internal, CGNAT,
# loopback or link-local (cloud metadata) ranges it strictly contains, nor the IPv6 prefixes
# that lead back into IPv4 (NAT64, IPv4-mapped); those must be declared exactly (or as a range
# inside them) to be reached.
NEVER_IMPLIED = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
    "127.0.0.0/8", "fc00::/7", "fe80::/10", "64:ff9b::/96", "64:ff9b:1::/48",
    "::ffff:0:0/96")]


def cidr_admits(net: Any, ip: Any) -> bool:
    """Whether a declared range (an egress destination, or callers by address) admits ``ip``
    under kubeward's rule above."""
    if ip not in net:
        return False
    return not any(ip in r and net.version == r.version and r.subnet_of(net) and r != net
                   for r in NEVER_IMPLIED)


def input_folders(*variables: str) -> tuple[list[str], list[Path]]:
    """The folders the environment variables name; a problem for each that is unset or not a
    folder (the tests FAIL on it, they never skip)."""
    problems, folders = [], []
    for var in variables:
        value = os.environ.get(var)
        if not value:
            problems.append(f"{var} is not set")
        elif not Path(value).is_dir():
            problems.append(f"{var}={value} is not a folder")
        else:
            folders.append(Path(value))
    return problems, folders


def fresh_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


@dataclass
class Probe:
    """A flow to evaluate in a world, and what the contract expects of it: both ends
    (``side="flow"``), or one (``"ingress"``, ``"egress"``) where the other is closed anyway."""

    label: str  # the example, or the world of a system
    side: str  # "flow" | "ingress" | "egress"
    src: Any
    dst: Any
    port: int
    proto: str
    expected: bool
    why: str
    world: World

    @property
    def id(self) -> str:
        side = "" if self.side == "flow" else f"{self.side} side only: "
        verdict = "ALLOWED" if self.expected else "DENIED"
        return (f"{self.label}: {side}{self.src} -> {self.dst}:{self.port} {self.proto} "
                f"expected {verdict} ({self.why})")

    def judged(self) -> bool:
        """What the world says of the flow, at the ends the probe looks at."""
        w = self.world
        if self.side == "ingress":
            return w.ingress_allowed(self.src, self.dst, self.port, self.proto)
        if self.side == "egress":
            return w.egress_allowed(self.src, self.dst, self.port, self.proto)
        return w.allowed(self.src, self.dst, self.port, self.proto)
