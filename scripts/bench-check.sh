#!/usr/bin/env bash
# Benchmarks `kubeward check` on a generated corpus and compares it with checkov.
#
# Usage: scripts/bench-check.sh [SERVICES] [CHECKOV_SERVICES]
#   SERVICES          services in the corpus, ten objects each (default 1000: 10,016 objects)
#   CHECKOV_SERVICES  services in the slice checkov scans (default 100: about 1,000 objects;
#                     checkov takes minutes on the whole corpus; `all` scans it whole)
#
# Prints: the release binary's whole-process time on the corpus (best and median of 5 runs,
# wall and CPU), objects per second, the time per stage (benches/check_stages.rs), and
# kubeward against checkov on the same slice. The target: the whole corpus in under a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

services=${1:-1000}
checkov_services=${2:-100}
[[ $services =~ ^[0-9]+$ && ($checkov_services == all || $checkov_services =~ ^[0-9]+$) ]] \
    || { sed -n '4,7p' "$0" | sed 's/^# //' >&2; exit 2; }
CHECKOV=${KUBEWARD_VENV:-.venv}/bin/checkov
command -v /usr/bin/time >/dev/null || { echo "bench-check: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building (release)"
cargo build --release --locked --quiet
bin=target/release/kubeward

echo "== generating $services services"
python3 scripts/gen-check-corpus.py "$work/corpus" "$services"
objects=$("$bin" check --format json --fail-on error "$work/corpus" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["objects"])' || true)
echo "corpus: $objects objects in $(find "$work/corpus" -name '*.yaml' | wc -l) files, $(du -sh "$work/corpus" | cut -f1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine inflates wall time, not CPU time)"

# Runs a command N times; prints "best median" of wall and of CPU (user+sys) seconds.
measure() {
    local runs=$1; shift
    local walls=() cpus=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>&1 || true
        read -r wall user sys < <(tail -n 1 "$work/time")
        walls+=("$wall")
        cpus+=("$(python3 -c "print(round($user + $sys, 2))")")
    done
    python3 - "${walls[*]}" "${cpus[*]}" <<'PY'
import statistics, sys
walls = [float(x) for x in sys.argv[1].split()]
cpus = [float(x) for x in sys.argv[2].split()]
print(f"{min(walls):.2f} {statistics.median(walls):.2f} {min(cpus):.2f} {statistics.median(cpus):.2f}")
PY
}

echo
echo "== kubeward check, whole process, $objects objects (5 runs)"
for format in text json sarif; do
    read -r wbest wmed cbest cmed < <(measure 5 "$bin" check --format "$format" "$work/corpus")
    rate=$(python3 -c "print(int($objects / $wbest))")
    printf '  %-5s  wall best %5.2f s, median %5.2f s   cpu best %5.2f s, median %5.2f s   %s objects/s\n' \
        "$format" "$wbest" "$wmed" "$cbest" "$cmed" "$rate"
done

echo
echo "== stages (best of 5, in-process)"
cargo bench --locked --quiet --bench check_stages -- "$work/corpus" 2>/dev/null | sed 's/^/  /'

echo
if [[ ! -x $CHECKOV ]]; then
    echo "== checkov: $CHECKOV missing (scripts/install-tools.sh); comparison skipped"
    exit 0
fi
if [[ $checkov_services == all ]]; then
    slice="$work/corpus"
else
    slice="$work/slice"
    python3 scripts/gen-check-corpus.py "$slice" "$checkov_services"
fi
slice_objects=$("$bin" check --format json --fail-on error "$slice" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["objects"])' || true)
echo "== the same $slice_objects objects through kubeward and checkov (1 run each)"
read -r kw _ kwcpu _ < <(measure 1 "$bin" check "$slice")
read -r ck _ ckcpu _ < <(measure 1 "$CHECKOV" -d "$slice" --framework kubernetes --skip-download --quiet --compact)
python3 - "$kw" "$kwcpu" "$ck" "$ckcpu" "$slice_objects" "$objects" <<'PY'
import sys
kw, kwcpu, ck, ckcpu, n, total = (float(x) for x in sys.argv[1:])
print(f"  kubeward  wall {kw:7.2f} s  cpu {kwcpu:7.2f} s  {n / kw:9.0f} objects/s")
print(f"  checkov   wall {ck:7.2f} s  cpu {ckcpu:7.2f} s  {n / ck:9.0f} objects/s")
print(f"  checkov / kubeward: {ck / kw:.0f}x wall, {ckcpu / max(kwcpu, 0.01):.0f}x cpu")
if n < total:
    print(f"  checkov on all {total:.0f} objects, extrapolated linearly: about {ck * total / n:.0f} s")
PY
