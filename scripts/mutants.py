"""A small mutation run: each edit of scripts/mutants.yaml is applied alone, its test run, and
the edit must make that test fail (a test that passes with the bug in place lets it through).

    python scripts/mutants.py fast --rendered DIR   # bundle and evaluator edits (seconds)
    python scripts/mutants.py slow                  # source edits, each a rebuild (minutes)

``fast`` edits a copy of one example's bundle under DIR (as scripts/test.sh renders them,
``DIR/<example>/``) and judges it with tests/netpol/test_netpol.py, or edits the evaluator and
runs its unit tests; ``slow`` edits kubeward's source and runs the cargo tests the entry
names (a shell command). Every file is restored after its edit, whatever happens; an edit whose text is not found
exactly once is an error (the data file has gone stale). Exits 1 when an edit survives.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
sys.path.insert(0, str(REPO / "tests/netpol"))


def edited(text: str, find: str, replace: str, where: str) -> str:
    count = text.count(find)
    if count != 1:
        raise SystemExit(f"{where}: the text to edit is found {count} times, not once:\n{find}")
    return text.replace(find, replace)


def run_fails(command: list[str], env: dict[str, str]) -> str:
    """``""`` when `command` passes, else the first line that says what failed."""
    result = subprocess.run(command, cwd=REPO, env={**os.environ, **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode == 0:
        return ""
    if "could not compile" in result.stdout:
        raise SystemExit(f"{' '.join(command)}: the edited source does not compile, so it proves "
                         f"nothing:\n{result.stdout[-2000:]}")
    lines = result.stdout.splitlines()
    said = [line for line in lines if line.startswith(("FAILED", "ERROR", "test ")) and
            ("FAILED" in line or "ERROR" in line)] or lines[-1:] or ["(no output)"]
    return said[0][:160]


def bundle(mutant: dict, rendered: Path) -> str:
    """Edits a copy of the example's bundle, judged by the probes of the NetworkPolicy tests
    (tests/netpol/test_netpol.py's, evaluated here rather than in a pytest per edit)."""
    from test_netpol import build_probes  # noqa: PLC0415 - tests/netpol is on the path

    example, _, name = mutant["file"].partition("/")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, example)
        shutil.copytree(rendered / example, copy)
        target = copy / name
        target.write_text(edited(target.read_text(), mutant["find"], mutant["replace"],
                                 mutant["file"]))
        try:
            probes = build_probes(example, REPO / "tests/examples" / example / "kubeward.yaml", copy)
        except Exception as err:  # noqa: BLE001 - a bundle that no longer loads is not "caught"
            raise SystemExit(f"{mutant['name']}: the edited bundle does not load: {err}") from err
        wrong = next((p for p in probes if p.judged() != p.expected), None)
        return f"test_netpol probe {wrong.id}"[:160] if wrong else ""


def bundle_baseline(rendered: Path, examples: set[str]) -> str:
    """``""`` when every probe passes on the unedited bundles of `examples`."""
    from test_netpol import build_probes  # noqa: PLC0415

    for example in sorted(examples):
        spec = REPO / "tests/examples" / example / "kubeward.yaml"
        wrong = next((p for p in build_probes(example, spec, rendered / example)
                      if p.judged() != p.expected), None)
        if wrong:
            return f"probe {wrong.id}"
    return ""


def in_repo(mutant: dict, command: list[str]) -> str:
    """Edits a file of the repository, runs `command`, restores the file."""
    path = REPO / mutant["file"]
    original = path.read_bytes()
    try:
        path.write_text(edited(original.decode(), mutant["find"], mutant["replace"],
                               mutant["file"]))
        return run_fails(command, {})
    finally:
        path.write_bytes(original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("group", choices=("fast", "slow"))
    parser.add_argument("--rendered", type=Path, help="the examples' bundles (fast)")
    parser.add_argument("--only", help="only the edits whose name contains this text")
    args = parser.parse_args()
    data = yaml.safe_load((REPO / "scripts/mutants.yaml").read_text())
    if args.group == "fast" and not (args.rendered and args.rendered.is_dir()):
        parser.error("fast needs --rendered DIR, the folder of the examples' bundles")
    kinds = ("bundle", "evaluator") if args.group == "fast" else ("source",)
    # unedited, every test passes: else each edit would look caught
    if args.group == "fast":
        failed = bundle_baseline(args.rendered, {m["file"].split("/")[0] for m in data["bundle"]})
        if failed:
            raise SystemExit(f"unedited, a bundle fails its {failed}")
        baselines = [(PYTEST + ["tests/netpol/test_evaluator.py"], {})]
    else:
        baselines = [(["bash", "-c", command], {}) for command in
                     dict.fromkeys(m["test"] for m in data["source"])]
    for command, env in baselines:
        failed = run_fails(command, env)
        if failed:
            raise SystemExit(f"unedited, {command[-1]} fails: {failed}")
    survivors, count = [], 0
    for kind in kinds:
        for mutant in data[kind]:
            if args.only and args.only not in mutant["name"]:
                continue
            start = time.monotonic()
            if kind == "bundle":
                caught = bundle(mutant, args.rendered)
            elif kind == "evaluator":
                caught = in_repo(mutant, PYTEST + ["tests/netpol/test_evaluator.py"])
            else:
                caught = in_repo(mutant, ["bash", "-c", mutant["test"]])
            count += 1
            verdict = "caught" if caught else "SURVIVED"
            print(f"{verdict:8} {time.monotonic() - start:6.1f}s  {kind}: {mutant['name']}",
                  flush=True)
            if caught:
                print(f"         by {caught}", flush=True)
            if not caught:
                survivors.append(mutant["name"])
    if count == 0:
        print("no edit matched", file=sys.stderr)
        return 1
    if survivors:
        print(f"{len(survivors)} of {count} edits survived their tests:", *survivors,
              sep="\n  ", file=sys.stderr)
        return 1
    print(f"all {count} edits caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
