"""An independent evaluator of the CIS Kubernetes Benchmark's flag checks, as kube-bench runs them.

The checks below restate the automated flag tests of kube-bench's ``cfg/cis-1.12`` definitions
(``master.yaml`` sections 1.2, 1.3 and 1.4, ``etcd.yaml`` section 2, ``controlplane.yaml`` 3.2.1)
in this file's own form: each check's id, the process its audit command reads (``ps -ef | grep
kube-apiserver``, ...), the boolean operator over its test items, and each item's flag, whether
it must be set, and its comparison. ``evaluate`` applies kube-bench's semantics (``check/test.go``)
to a process's command line, quirks included: a flag is found by substring search in the whole
line; its value is what follows ``=`` (or, for a comparison, a space); ``eq`` compares ``true`` and
``false`` without case; ``has`` and ``nothave`` look for a substring; ``valid_elements`` splits at
commas. Nothing here comes from kubeward's code.

``encryption_provider_ok`` is check 1.2.28's audit script (``grep -A1 'providers:' FILE | tail -n1
| grep -o "[A-Za-z]*"``) over an ``EncryptionConfiguration``'s text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STRONG_CIPHERS = (
    "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,"
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,"
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,"
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
)


@dataclass(frozen=True)
class Item:
    """One test item: ``flag`` must be present (``set``) and, with ``op``, compare to ``value``."""

    flag: str
    set: bool = True
    op: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Check:
    id: str
    target: str  # apiserver | controllermanager | scheduler | etcd
    items: tuple[Item, ...]
    bin_op: str = "and"
    notes: str = field(default="", compare=False)


def _c(id: str, target: str, *items: Item, bin_op: str = "and") -> Check:
    return Check(id, target, tuple(items), bin_op)


A, CM, S, E = "apiserver", "controllermanager", "scheduler", "etcd"

CHECKS: list[Check] = [
    _c("1.2.1", A, Item("--anonymous-auth", op="eq", value="false")),
    _c("1.2.2", A, Item("--token-auth-file", set=False)),
    _c("1.2.3", A, Item("--enable-admission-plugins", op="has", value="DenyServiceExternalIPs"), bin_op="or"),
    _c("1.2.4", A, Item("--kubelet-client-certificate"), Item("--kubelet-client-key")),
    _c("1.2.5", A, Item("--kubelet-certificate-authority")),
    _c("1.2.6", A, Item("--authorization-mode", op="nothave", value="AlwaysAllow")),
    _c("1.2.7", A, Item("--authorization-mode", op="has", value="Node")),
    _c("1.2.8", A, Item("--authorization-mode", op="has", value="RBAC")),
    _c("1.2.9", A, Item("--enable-admission-plugins", op="has", value="EventRateLimit")),
    _c("1.2.10", A, Item("--enable-admission-plugins", op="nothave", value="AlwaysAdmit"),
       Item("--enable-admission-plugins", set=False), bin_op="or"),
    _c("1.2.11", A, Item("--enable-admission-plugins", op="has", value="AlwaysPullImages")),
    _c("1.2.12", A, Item("--disable-admission-plugins", op="nothave", value="ServiceAccount"),
       Item("--disable-admission-plugins", set=False), bin_op="or"),
    _c("1.2.13", A, Item("--disable-admission-plugins", op="nothave", value="NamespaceLifecycle"),
       Item("--disable-admission-plugins", set=False), bin_op="or"),
    _c("1.2.14", A, Item("--enable-admission-plugins", op="has", value="NodeRestriction")),
    _c("1.2.15", A, Item("--profiling", op="eq", value="false")),
    _c("1.2.16", A, Item("--audit-log-path")),
    _c("1.2.17", A, Item("--audit-log-maxage", op="gte", value="30")),
    _c("1.2.18", A, Item("--audit-log-maxbackup", op="gte", value="10")),
    _c("1.2.19", A, Item("--audit-log-maxsize", op="gte", value="100")),
    _c("1.2.21", A, Item("--service-account-lookup", set=False),
       Item("--service-account-lookup", op="eq", value="true"), bin_op="or"),
    _c("1.2.22", A, Item("--service-account-key-file")),
    _c("1.2.23", A, Item("--etcd-certfile"), Item("--etcd-keyfile")),
    _c("1.2.24", A, Item("--tls-cert-file"), Item("--tls-private-key-file")),
    _c("1.2.25", A, Item("--client-ca-file")),
    _c("1.2.26", A, Item("--etcd-cafile")),
    _c("1.2.27", A, Item("--encryption-provider-config")),
    _c("1.2.29", A, Item("--tls-cipher-suites", op="valid_elements", value=STRONG_CIPHERS)),
    _c("1.2.30", A, Item("--service-account-extend-token-expiration", op="eq", value="false")),
    _c("1.3.1", CM, Item("--terminated-pod-gc-threshold")),
    _c("1.3.2", CM, Item("--profiling", op="eq", value="false")),
    _c("1.3.3", CM, Item("--use-service-account-credentials", op="noteq", value="false")),
    _c("1.3.4", CM, Item("--service-account-private-key-file")),
    _c("1.3.5", CM, Item("--root-ca-file")),
    _c("1.3.6", CM, Item("--feature-gates", op="nothave", value="RotateKubeletServerCertificate=false"),
       Item("--feature-gates", set=False), bin_op="or"),
    _c("1.3.7", CM, Item("--bind-address", op="eq", value="127.0.0.1"),
       Item("--bind-address", set=False), bin_op="or"),
    _c("1.4.1", S, Item("--profiling", op="eq", value="false")),
    _c("1.4.2", S, Item("--bind-address", op="eq", value="127.0.0.1"),
       Item("--bind-address", set=False), bin_op="or"),
    _c("2.1", E, Item("--cert-file"), Item("--key-file")),
    _c("2.2", E, Item("--client-cert-auth", op="eq", value="true")),
    _c("2.3", E, Item("--auto-tls", set=False), Item("--auto-tls", op="eq", value="false"), bin_op="or"),
    _c("2.4", E, Item("--peer-cert-file"), Item("--peer-key-file")),
    _c("2.5", E, Item("--peer-client-cert-auth", op="eq", value="true")),
    _c("2.6", E, Item("--peer-auto-tls", set=False), Item("--peer-auto-tls", op="eq", value="false"), bin_op="or"),
    _c("2.7", E, Item("--trusted-ca-file")),
    _c("3.2.1", A, Item("--audit-policy-file")),
]

BINARIES = {A: "kube-apiserver", CM: "kube-controller-manager", S: "kube-scheduler", E: "etcd"}


def find_value(line: str, item: Item) -> tuple[bool, str]:
    """kube-bench's ``flagTestItem.findValue``: whether the flag occurs, and its value."""
    if not line or item.flag not in line:
        return False, ""
    match = re.search("(" + item.flag + ")(=|: *)*([^\\s]*) *", line)
    if match.group(3):
        return True, match.group(3)
    if item.op:
        spaced = re.search(re.escape(item.flag) + r"\s+([^\s-][^\s]*)", line)
        if spaced:
            return True, spaced.group(1)
    return True, "true" if item.flag.startswith("--") else match.group(1)


def _split(text: str) -> list[str]:
    text = text.strip().rstrip(",")
    return [part.strip() for part in text.split(",")] if text else []


def compare(op: str, flag_value: str, wanted: str) -> bool:
    """kube-bench's ``compareOp``."""
    lower = flag_value.lower()
    if op in ("eq", "noteq"):
        same = lower == wanted if lower in ("true", "false") else flag_value == wanted
        return same if op == "eq" else not same
    if op in ("gt", "gte", "lt", "lte"):
        try:
            a, b = int(flag_value.strip()), int(wanted.strip())
        except ValueError:
            return False
        return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]
    if op == "has":
        return wanted in flag_value
    if op == "nothave":
        return wanted not in flag_value
    if op == "valid_elements":
        have, allowed = _split(flag_value), _split(wanted)
        if not have and not allowed:
            return True
        if not have or not allowed:
            return False
        return all(h in allowed for h in have)
    raise ValueError(op)


def item_passes(line: str, item: Item) -> bool:
    found, value = find_value(line, item)
    if not item.set:
        return not found
    if found and item.op:
        return compare(item.op, value, item.value)
    return found


def passes(check: Check, line: str) -> bool:
    results = [item_passes(line, item) for item in check.items]
    return all(results) if check.bin_op == "and" else any(results)


def failing(target: str, line: str) -> set[str]:
    """The ids of the checks of ``target`` that ``line`` (a ``ps`` line of it) fails."""
    return {c.id for c in CHECKS if c.target == target and not passes(c, line)}


def encryption_provider_ok(config_text: str) -> bool:
    """Check 1.2.28: the first word on the line after the last ``providers:``."""
    lines = config_text.splitlines()
    after = [lines[i + 1] for i, l in enumerate(lines) if "providers:" in l and i + 1 < len(lines)]
    if not after:
        return False
    words = [w for w in re.findall("[A-Za-z]*", after[-1]) if w]
    output = "\n".join("provider=" + w for w in words)
    found, value = find_value(output, Item("provider", op="valid_elements", value="aescbc,kms,secretbox"))
    return found and compare("valid_elements", value, "aescbc,kms,secretbox")
