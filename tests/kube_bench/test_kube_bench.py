"""kube-bench's CIS Kubernetes Benchmark checks (``kube_bench_eval``, independent of kubeward),
evaluated on what kubeward does:

* the flags ``kubeward cluster`` renders (the ``extraArgs`` of its kubeadm configuration, as the
  ``ps`` lines of the four components would show them, without kubeadm's own defaults) pass
  every automated check of sections 1.2, 1.3, 1.4, 2 and 3.2.1, and its encryption configuration
  passes 1.2.28;
* static Pods broken one check at a time (every way the check's own test items can be broken),
  starting from those rendered flags: ``kubeward check`` reports, in its findings' ``cis``
  property, exactly the checks kube-bench fails;
* encryption configurations: both fail an ``identity`` first provider and pass ``secretbox`` and
  ``kms``; kubeward also fails ``aescbc``, which the Kubernetes documentation rates weak.

``KUBEWARD_BIN`` names the binary (default: ``target/debug/kubeward``); a missing binary fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kube_bench_eval import BINARIES, CHECKS, Check, encryption_provider_ok, failing  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
KUBEWARD = Path(os.environ.get("KUBEWARD_BIN", REPO / "target" / "debug" / "kubeward")).resolve()

SECRETBOX = """\
apiVersion: kubeward.dev/v1alpha1
kind: SecureCluster
metadata: {name: prod}
spec:
  kubernetesVersion: "1.36.3"
"""

KMS = SECRETBOX + """\
  encryption:
    provider: kms
    kms: {name: vault-kms, endpoint: "unix:///var/run/kms-plugin/socket.sock"}
    resources: [secrets, configmaps]
"""

KUBEADM_KEYS = {"apiserver": ("apiServer",), "controllermanager": ("controllerManager",),
                "scheduler": ("scheduler",), "etcd": ("etcd", "local")}


def kubeward(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert KUBEWARD.is_file(), f"no kubeward binary at {KUBEWARD}: build it, or set KUBEWARD_BIN"
    return subprocess.run([str(KUBEWARD), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def render(tmp: Path, spec: str) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "cluster.yaml").write_text(spec)
    run = kubeward("cluster", "-f", "cluster.yaml", "-o", "out", "--state", "state", cwd=tmp)
    assert run.returncode == 0, run.stderr
    return tmp / "out"


def ps_lines(out: Path) -> dict[str, list[str]]:
    """Each component's command line from the rendered extraArgs alone: binary, then flags."""
    documents = list(yaml.safe_load_all((out / "kubeadm-config.yaml").read_text()))
    config = next(d for d in documents if d["kind"] == "ClusterConfiguration")
    lines = {}
    for target, keys in KUBEADM_KEYS.items():
        section = config
        for key in keys:
            section = section[key]
        args = section["extraArgs"]
        assert all(set(a) == {"name", "value"} for a in args), args
        lines[target] = [BINARIES[target]] + [f"--{a['name']}={a['value']}" for a in args]
    return lines


@pytest.mark.parametrize("spec", [SECRETBOX, KMS], ids=["secretbox", "kms"])
def test_the_rendered_flags_pass_every_automated_check(tmp_path: Path, spec: str) -> None:
    out = render(tmp_path, spec)
    lines = ps_lines(out)
    judged = set()
    for target, tokens in lines.items():
        assert failing(target, " ".join(tokens)) == set(), target
        judged |= {c.id for c in CHECKS if c.target == target}
    assert judged == {c.id for c in CHECKS}
    assert len(judged) == 45
    assert encryption_provider_ok((out / "encryption-config.yaml").read_text())


def flag_dict(tokens: list[str]) -> dict[str, str]:
    return dict(t.split("=", 1) if "=" in t else (t, "") for t in tokens)


def rebuild(binary: str, flags: dict[str, str]) -> list[str]:
    return [binary] + [f"{k}={v}" if v else k for k, v in flags.items()]


def broken_variants(check: Check, tokens: list[str]) -> list[tuple[str, list[str]]]:
    """Command lines that break ``check``, derived from its own test items: one per item of an
    ``and`` check; for an ``or`` check, its comparison broken, which breaks every alternative."""
    binary, good = tokens[0], flag_dict(tokens[1:])
    items = check.items if check.bin_op == "and" else [i for i in check.items if i.op]
    variants = []
    for item in items:
        changes: list[tuple[str, str | None]] = []
        current = good.get(item.flag)
        if not item.set:
            changes.append((f"{item.flag} added", "/etc/kubernetes/not-wanted"))
        elif item.op is None:
            changes.append((f"{item.flag} removed", None))
        elif item.op in ("eq", "noteq"):
            bad = item.value if item.op == "noteq" else {"false": "true", "true": "false"}.get(item.value, "0.0.0.0")
            changes.append((f"{item.flag}={bad}", bad))
        elif item.op == "gte":
            changes.append((f"{item.flag} one below", str(int(item.value) - 1)))
        elif item.op == "has":
            rest = ",".join(v for v in (current or "").split(",") if v != item.value)
            changes.append((f"{item.flag} without {item.value}", rest or "Priority"))
        elif item.op == "nothave":
            changes.append((f"{item.flag} with {item.value}", ",".join(filter(None, [current, item.value]))))
        elif item.op == "valid_elements":
            changes.append((f"{item.flag} with a weak suite", f"{current},TLS_RSA_WITH_RC4_128_SHA"))
        if item.set and item.op and check.bin_op == "and":
            changes.append((f"{item.flag} removed", None))
        for description, value in changes:
            flags = dict(good)
            if value is None:
                flags.pop(item.flag, None)
            else:
                flags[item.flag] = value
            variants.append((description, rebuild(binary, flags)))
    return variants


def static_pod(tokens: list[str]) -> dict:
    binary = tokens[0]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": binary, "namespace": "kube-system"},
            "spec": {"hostNetwork": True, "containers": [
                {"name": binary, "image": f"registry.k8s.io/{binary}:v1.36.3", "command": tokens}]}}


def test_kubeward_check_reports_the_checks_kube_bench_fails_on_broken_static_pods(tmp_path: Path) -> None:
    lines = ps_lines(render(tmp_path / "render", SECRETBOX))
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    cases = {}
    for check in CHECKS:
        for n, (description, tokens) in enumerate(broken_variants(check, lines[check.target])):
            name = f"{check.id}-{n}.json"
            (manifests / name).write_text(json.dumps(static_pod(tokens)))
            cases[name] = (check, description, failing(check.target, " ".join(tokens)))
    assert len(cases) >= 60
    run = kubeward("check", "--format", "json", "manifests", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    reported: dict[str, set[str]] = {name: set() for name in cases}
    for finding in json.loads(run.stdout)["findings"]:
        cis = finding["properties"].get("cis")
        if cis:
            reported[Path(finding["file"]).name].add(cis)
    for name, (check, description, kube_bench) in sorted(cases.items()):
        assert check.id in kube_bench, f"{description}: the variant does not break {check.id}"
        assert reported[name] == kube_bench, (
            f"{check.target} {description}: kubeward {sorted(reported[name])}, kube-bench {sorted(kube_bench)}"
        )


def encryption_text(providers: list) -> str:
    return yaml.safe_dump({"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
                           "resources": [{"resources": ["secrets"], "providers": providers}]}, sort_keys=False)


def test_encryption_providers_agree_but_for_aescbc(tmp_path: Path) -> None:
    key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    configs = {
        "identity": [{"identity": {}}, {"secretbox": {"keys": [{"name": "k", "secret": key}]}}],
        "secretbox": [{"secretbox": {"keys": [{"name": "k", "secret": key}]}}, {"identity": {}}],
        "kms": [{"kms": {"apiVersion": "v2", "name": "vault", "endpoint": "unix:///run/kms.sock"}}],
        "aescbc": [{"aescbc": {"keys": [{"name": "k", "secret": key}]}}],
        "aesgcm": [{"aesgcm": {"keys": [{"name": "k", "secret": key}]}}],
    }
    verdicts = {}
    for name, providers in configs.items():
        text = encryption_text(providers)
        (tmp_path / f"{name}.yaml").write_text(text)
        run = kubeward("check", "--format", "json", f"{name}.yaml", cwd=tmp_path)
        ours = any(f["properties"].get("cis") == "1.2.28" for f in json.loads(run.stdout)["findings"])
        verdicts[name] = (not encryption_provider_ok(text), ours)
    assert verdicts == {
        "identity": (True, True),
        "secretbox": (False, False),
        "kms": (False, False),
        "aescbc": (False, True),
        "aesgcm": (True, True),
    }
