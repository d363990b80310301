#!/usr/bin/env python3
"""Summarise a checkov JSON report (kubernetes framework) for humans.

Usage: checkov-report.py REPORT.json ROOT [--fail-on-skip]

Prints one line per failed check (check id, name, file relative to ROOT with line range,
resource, offending keys) and per skipped check (with the suppression reason), then a totals
line. Exits 0 when nothing failed, every skipped check carries a reason (a suppression
without one is a silent weakening) and, with --fail-on-skip, nothing was skipped; 1
otherwise; 2 when the report cannot be read or checkov scanned nothing.
"""
import json
import os
import sys


def load_reports(path):
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    if not text:
        raise ValueError("empty checkov output")
    data = json.loads(text)
    # One framework gives an object, several give a list. An empty scan gives a bare summary.
    if isinstance(data, dict):
        data = [data]
    return data


def rel(path, root):
    if not path:
        return "?"
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def describe(check, root):
    where = rel(check.get("file_abs_path") or check.get("file_path"), root)
    lines = check.get("file_line_range") or []
    if len(lines) == 2:
        where += ":%d-%d" % (lines[0], lines[1])
    resource = check.get("resource", "?")
    # Graph checks name pods by all their labels: keep the kind.namespace.name part readable.
    if resource.startswith("Pod.") and resource.count(".") > 3:
        resource = ".".join(resource.split(".")[:3]) + " (pod template)"
    keys = (check.get("check_result") or {}).get("evaluated_keys") or []
    out = "  %-12s %s\n      file: %s\n      resource: %s" % (
        check.get("check_id"), check.get("check_name"), where, resource)
    if keys:
        out += "\n      keys: %s" % ", ".join(str(k) for k in keys[:6])
    if check.get("guideline"):
        out += "\n      guideline: %s" % check["guideline"]
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    report, root = argv[1], argv[2]
    fail_on_skip = "--fail-on-skip" in argv[3:]
    try:
        reports = load_reports(report)
    except (OSError, ValueError) as e:
        print("checkov: cannot read report %s: %s" % (report, e), file=sys.stderr)
        return 2

    failed, skipped = [], []
    passed = parse_errors = resources = 0
    for r in reports:
        if "results" not in r:  # bare summary: nothing scanned by this framework
            s = r
        else:
            s = r.get("summary", {})
            failed += r["results"].get("failed_checks", [])
            skipped += r["results"].get("skipped_checks", [])
        passed += s.get("passed", 0)
        parse_errors += s.get("parsing_errors", 0)
        resources += s.get("resource_count", 0)

    failed.sort(key=lambda c: (c.get("file_abs_path") or "", c.get("check_id") or ""))
    if failed:
        print("checkov FAILED checks:")
        for c in failed:
            print(describe(c, root))
    unreasoned = 0
    if skipped:
        print("checkov skipped (suppressed) checks:")
        for c in skipped:
            reason = ((c.get("check_result") or {}).get("suppress_comment") or "").strip()
            if not reason or reason.lower() == "no comment provided":
                unreasoned += 1
                reason = "NO REASON GIVEN (a suppression must say why)"
            print(describe(c, root) + "\n      reason: %s" % reason)
    print("checkov: %d resources, %d passed, %d failed, %d skipped, %d parsing errors"
          % (resources, passed, len(failed), len(skipped), parse_errors))
    if resources == 0:
        print("checkov: scanned no Kubernetes resources", file=sys.stderr)
        return 2
    if unreasoned:
        print("checkov: %d skipped check(s) without a reason" % unreasoned)
    if failed or parse_errors or unreasoned or (fail_on_skip and skipped):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
