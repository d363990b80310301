#!/usr/bin/env bash
# Times the kubeward binary end to end (process start to exit) with hyperfine and measures
# its peak memory with /usr/bin/time -v:
#   1. a system of 1,000 distinct services (generated from benches/typical/kubeward.yaml: 100
#      namespaces of 10, each calling the next, both ends declared, every tenth requiring
#      client certificates), one state folder, existing state, to stdout, to a new folder and
#      to the unchanged folder of a previous render;
#   2. `kubeward --version` (the floor: start, parse the arguments, exit), then one typical
#      service (benches/typical/kubeward.yaml), existing and fresh state, to stdout and to a
#      new folder; then the system with fresh state;
#   3. `kubeward check` over a 10,000-object corpus (the system's stream) and over a generated
#      100,000-object corpus (scripts/gen-check-corpus.py, 10,000 services in 10,000 files) in
#      every output form (text, json, sarif), each with its peak memory;
#   4. unless MUTANTS=0, the slow half of the mutation run (scripts/mutants.py slow): each
#      edit of kubeward's source in scripts/mutants.yaml must make its tests fail (one rebuild
#      each; the fast half, edits of bundles and of the evaluator, runs in scripts/test.sh);
#   5. with PEERS=1, the peers on the same service: `cdk8s synth` of the cdk8s-plus-33 chart in
#      benches/peers/cdk8s (npm packages installed under .tools/peers, git-ignored) and the
#      `kubectl create ... --dry-run=client -o yaml` commands of benches/peers/kubectl.sh.
# Targets on a 2-core machine: one service < 5 ms with existing state; a system of 1,000
# services < 1 s; < 50 MiB peak memory for the system; `check` of 100,000 objects < 3 s and
# < 300 MiB in every output form. The library stages are timed by `cargo bench`.
# Installs hyperfine and time (Debian packages) when missing. Not part of scripts/test.sh.
# Results: target/bench/<case>.json (hyperfine) and target/bench/summary.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

for tool in hyperfine:hyperfine time:/usr/bin/time; do
    if ! command -v "${tool#*:}" >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq "${tool%%:*}" >/dev/null
    fi
done

cargo build --release --locked --quiet
kw=$repo/target/release/kubeward
results=$repo/target/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$results"
: >"$results/cases.tsv"

# bench NAME PREPARE COMMAND: times COMMAND (after PREPARE, each run) and its peak memory.
# A PREPARE that deletes files ends with `sync`, so that the deletion's disk work (this disk
# discards freed blocks) is not charged to the next command.
# A COMMAND without shell syntax runs without a shell. RUNS and WARMUP override the counts.
bench() {
    local name=$1 prepare=$2 command=$3 runs=${RUNS:-} shell=(-N)
    [[ $command == *'&&'* || $command == *';'* || $command == *'$('* ]] && shell=()
    hyperfine "${shell[@]}" --style basic --warmup "${WARMUP:-3}" ${runs:+--runs "$runs"} \
        ${IGNORE_FAILURE:+--ignore-failure} \
        --prepare "bash -c '$prepare'" --export-json "$results/$name.json" "$command" >/dev/null
    bash -c "$prepare"
    local kib
    kib=$(/usr/bin/time -v bash -c "$command" 2>&1 >/dev/null |
        awk -F': ' '/Maximum resident set size/ {print $2}')
    printf '%s\t%s\n' "$name" "$kib" >>"$results/cases.tsv"
    echo "measured $name"
}

# Cases that write new files come before those that delete many: ext4 skips recently deleted
# inodes when it allocates new ones, and creating 13,000 files within a minute of deleting
# 13,000 costs this disk several seconds of kernel time. New output goes to a new folder.
new_dir='$(date +%s%N)'

# 1. A system of 1,000 distinct services (100 namespaces of 10): names, namespaces, ports and
#    callers differ; each calls the next and is called by the previous (both ends declared,
#    every other one by the callee's Service port), every tenth requires client certificates,
#    and each has callers and a destination outside the system; one state folder. Two
#    replicas each: ten services of three (four at a rollout, 500m each) would exceed the
#    namespace quota they share, which the render refuses.
system=$work/system
ns_of() { echo "team-$((($1 - 1) / 10 + 1))"; }
for i in $(seq 1 1000); do
    ns=$(ns_of "$i") name=svc-$i
    mkdir -p "$system/$ns/$name"
    {
        sed -e "s/name: payments-api/name: $name/" -e "s/namespace: payments/namespace: $ns/" \
            -e "s/port: 8443/port: $((8000 + i))/" -e "s/app: web/app: web-$((i % 37))/" \
            -e "s/^  replicas: 3$/  replicas: 2/" \
            benches/typical/kubeward.yaml
    } | awk -v i="$i" -v prev_ns="$(ns_of $((i - 1)))" -v next_ns="$(ns_of $((i + 1)))" '
        { print }
        /^  callers:$/ && i > 1 { printf "    - {app: svc-%d, namespace: %s}\n", i - 1, prev_ns }
        /^  egress:$/ && i < 1000 { printf "    - {app: svc-%d, namespace: %s, port: %d}\n", i + 1, next_ns, (i % 2 ? 8001 + i : 443) }
        /^    mode: self-signed$/ && i % 10 == 0 { print "    clientAuth: required" }
    ' >"$system/$ns/$name/kubeward.yaml"
done
"$kw" render -f "$system" -q >/dev/null
RUNS=10 bench system-1000-existing-stdout true "$kw render -q -f $system"
RUNS=10 bench system-1000-existing-new-dir true "$kw render -q -f $system -o $work/new/$new_dir"
# A re-render that changes nothing: the output folder already holds these files.
"$kw" render -q -f "$system" -o "$work/out"
RUNS=10 bench system-1000-existing-same-dir true "$kw render -q -f $system -o $work/out"

# 2. One typical service.
one=$work/one
mkdir -p "$one"
cp benches/typical/kubeward.yaml "$one/"
"$kw" render -f "$one/kubeward.yaml" >/dev/null
# The floor: the process starting, parsing its arguments and exiting.
bench version true "$kw --version"
# A new folder for one service: the previous one (13 files) is deleted before each run,
# outside the timing, so that the command runs without a shell.
bench one-existing-stdout true "$kw render -f $one/kubeward.yaml"
bench one-existing-new-dir "rm -rf $one/out" "$kw render -f $one/kubeward.yaml -o $one/out"
fresh_one="rm -rf $one/.kubeward; sync"
bench one-fresh-stdout "$fresh_one" "$kw render -f $one/kubeward.yaml"
bench one-fresh-new-dir "rm -rf $one/.kubeward $one/out; sync" "$kw render -f $one/kubeward.yaml -o $one/out"

# The system with fresh state: dominated by flushing the new state files (secrets, keys) to
# disk one by one.
fresh_system="rm -rf $system/.kubeward; sync"
RUNS=3 WARMUP=0 bench system-1000-fresh-new-dir "$fresh_system" \
    "$kw render -q -f $system -o $work/new/$new_dir"

# 3. check over a corpus of about 10,000 objects: the system's stream (check may report
#    findings: its exit status is not the point here). scripts/bench-check.sh times check on a
#    corpus with deliberate violations, and against checkov.
"$kw" render -q -f "$system" >"$work/corpus.yaml"
objects=$(grep -c '^kind:' "$work/corpus.yaml")
if "$kw" help check >/dev/null 2>&1; then
    for format in text json sarif; do
        RUNS=10 IGNORE_FAILURE=1 bench "check-10k-$format" true \
            "$kw check --format $format ${CHECK_ARGS:-} $work/corpus.yaml"
    done
    # 100,000 objects: 10,000 services of ten objects, one file each, with deliberate
    # violations (so every rule family reports), in each output form.
    python3 scripts/gen-check-corpus.py "$work/corpus-100k" 10000 >/dev/null
    for format in text json sarif; do
        RUNS=${CHECK_RUNS:-5} WARMUP=1 IGNORE_FAILURE=1 bench "check-100k-$format" true \
            "$kw check --format $format $work/corpus-100k"
    done
else
    echo "skipped check-corpus: this build has no check command (corpus: $objects objects)"
fi

# 4. The source edits a test must catch (the working tree is restored after each).
if [[ ${MUTANTS:-1} == 1 ]]; then
    "$repo/.venv/bin/python" scripts/mutants.py slow
fi

# 5. Peers.
if [[ ${PEERS:-0} == 1 ]]; then
    peers=$repo/.tools/peers
    if [[ ! -x $peers/node_modules/.bin/cdk8s ]]; then
        mkdir -p "$peers"
        (cd "$peers" && npm init -y >/dev/null &&
            npm install --no-audit --no-fund cdk8s cdk8s-plus-33 constructs cdk8s-cli >/dev/null)
    fi
    cp benches/peers/cdk8s/main.js benches/peers/cdk8s/cdk8s.yaml "$peers/"
    bench peer-cdk8s-synth true "cd $peers && node_modules/.bin/cdk8s synth"
    bench peer-cdk8s-node true "cd $peers && node main.js"
    bench peer-kubectl-create true "bash $repo/benches/peers/kubectl.sh $one/.kubeward"
fi

python3 - "$results" <<'EOF' | tee "$results/summary.md"
import json, sys, pathlib
results = pathlib.Path(sys.argv[1])
print("| case | mean ms | σ ms | min ms | max ms | peak MiB |")
print("|---|---:|---:|---:|---:|---:|")
for line in (results / "cases.tsv").read_text().splitlines():
    name, kib = line.split("\t")
    r = json.loads((results / f"{name}.json").read_text())["results"][0]
    ms = lambda s: f"{s * 1000:.1f}"
    print(f"| {name} | {ms(r['mean'])} | {ms(r['stddev'] or 0)} | {ms(r['min'])} | {ms(r['max'])} | {int(kib) / 1024:.1f} |")
EOF
