#!/usr/bin/env bash
# Scans rendered kubeward bundles with the trusted external tools.
#
# Usage: scripts/scan-bundles.sh [-k K8S_VERSION]... [--fail-on-skip] [--checkov-once] DIR
#
# DIR holds one sub-folder per rendered bundle (per-object YAML files + kustomization.yaml);
# a DIR that itself holds a kustomization.yaml is scanned as a single bundle. A bundle's
# kustomization may list folders with kustomizations of their own (a system: one folder per
# namespace and per service); a folder below a bundle that its kustomizations do not reach
# but that holds a kustomization (a system's _peers/<namespace>/) is a bundle of its own.
# Gates:
#   1. `kubectl kustomize SUB` succeeds and yields at least one object, and the bundle's
#      kustomizations list exactly its YAML files;
#   2. `kubernetes-validate --strict -k V` accepts every YAML file but the kustomization, for
#      every V (default: 1.30.0, the oldest supported, and 1.37.0, the newest bundled schema);
#      a file without any object, or of a kind without a schema, fails too;
#   3. `checkov -d COPY --framework kubernetes --skip-download` over a copy of exactly the
#      bundle's files, one run per bundle (graph checks join objects across all scanned files,
#      so a shared run lets one bundle mask another; --checkov-once: a single faster run over
#      all of them), reports zero failed checks and zero parsing errors (--fail-on-skip: and
#      zero suppressed checks); a bundle of NetworkPolicies only, which checkov has no check
#      for, is left to gate 2. checkov skips unparsable YAML silently: gate 2 catches it.
# Prints a summary and exits 0 only when every gate passed (1: a gate failed, 2: usage/setup).
#
# Tools come from <repo>/.venv (scripts/install-tools.sh); KUBEWARD_VENV overrides the path,
# KUBE_VERSIONS="1.30.0 1.37.0" overrides the versions, ALLOW_NO_SCHEMA (an ERE over apiVersion,
# default: cert-manager, Gateway API and Envoy Gateway, whose objects tests/entry.rs validates
# against their upstream CRDs, Sealed Secrets and External Secrets, whose resources
# tests/gitops.rs holds to their upstream CRD schemas, the Istio and Linkerd policy groups,
# which tests/mesh.rs validates against theirs, and OpenShift's Route, which tests/openshift.rs
# validates against its upstream CRD) names CRD groups that may pass without a
# schema.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd)
VENV=${KUBEWARD_VENV:-$REPO_ROOT/.venv}
# apiVersions (ERE) whose kinds kubernetes-validate has no schema for and that may pass unvalidated.
ALLOW_NO_SCHEMA=${ALLOW_NO_SCHEMA:-cert-manager\.io/v1|gateway\.networking\.k8s\.io/v1|gateway\.envoyproxy\.io/v1alpha1|bitnami\.com/v1alpha1|external-secrets\.io/v1|security\.istio\.io/v1|policy\.linkerd\.io/v1(alpha1|beta3)|route\.openshift\.io/v1}

usage() { sed -n '4,31p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

versions=()
fail_on_skip=()
checkov_once=0
dir=""
while [[ $# -gt 0 ]]; do
    case $1 in
        -k|--kubernetes-version) [[ $# -ge 2 ]] || usage; versions+=("$2"); shift 2 ;;
        --fail-on-skip) fail_on_skip=(--fail-on-skip); shift ;;
        --checkov-once) checkov_once=1; shift ;;
        -h|--help) usage 0 ;;
        -*) echo "scan-bundles: unknown option $1" >&2; usage ;;
        *) [[ -z $dir ]] || usage; dir=$1; shift ;;
    esac
done
[[ -n $dir ]] || usage
[[ -d $dir ]] || { echo "scan-bundles: $dir is not a directory" >&2; exit 2; }
dir=$(cd -- "$dir" && pwd)
if [[ ${#versions[@]} -eq 0 ]]; then
    read -r -a versions <<<"${KUBE_VERSIONS:-1.30.0 1.37.0}"
fi

PY=$VENV/bin/python
KV=$VENV/bin/kubernetes-validate
CKV=$VENV/bin/checkov
for t in "$PY" "$KV" "$CKV"; do
    [[ -x $t ]] || { echo "scan-bundles: $t missing: run scripts/install-tools.sh" >&2; exit 2; }
done
command -v kubectl >/dev/null 2>&1 || { echo "scan-bundles: kubectl missing: run scripts/install-tools.sh" >&2; exit 2; }

if [[ -t 1 ]]; then RED=$'\e[31m'; GREEN=$'\e[32m'; BOLD=$'\e[1m'; OFF=$'\e[0m'; else RED=; GREEN=; BOLD=; OFF=; fi
ok()   { printf '  %sok%s    %s\n' "$GREEN" "$OFF" "$*"; }
bad()  { printf '  %sFAIL%s  %s\n' "$RED" "$OFF" "$*"; failures+=("$*"); }
indent() { sed 's/^/        /'; }

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
failures=()

kustomization_of() {
    local f
    for f in kustomization.yaml kustomization.yml Kustomization; do
        [[ -f $1/$f ]] && { printf '%s\n' "$f"; return 0; }
    done
    return 1
}

# The bundles and their files, from the kustomizations: for each bundle, a line
# "BUNDLE<TAB>FILE<TAB>FILE..." (the YAML files its kustomizations reach, kustomizations
# left out), and a line "!<TAB>PROBLEM" for each problem of the listing.
tree=$("$PY" - "$dir" <<'PY'
import os, sys, yaml
root = sys.argv[1]
NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
def kfile(d):
    return next((os.path.join(d, n) for n in NAMES if os.path.isfile(os.path.join(d, n))), None)
def yaml_files(d, skip):
    out = []
    for cur, dirs, files in os.walk(d):
        dirs[:] = sorted(x for x in dirs if not x.startswith(".") and os.path.join(cur, x) not in skip)
        out += [os.path.join(cur, f) for f in sorted(files)
                if f.endswith((".yaml", ".yml")) and f not in NAMES]
    return out
def reach(d, files, dirs, problems):
    dirs.add(d)
    k = yaml.safe_load(open(kfile(d))) or {}
    for r in k.get("resources") or []:
        p = os.path.normpath(os.path.join(d, str(r)))
        if os.path.isdir(p):
            if kfile(p): reach(p, files, dirs, problems)
            else: problems.append("%s lists folder %s, which has no kustomization" % (os.path.relpath(kfile(d), root), r))
        elif os.path.isfile(p): files.append(p)
        else: problems.append("%s lists %s, which is missing" % (os.path.relpath(kfile(d), root), r))
if kfile(root):
    tops = [root]
else:
    tops = [os.path.join(root, x) for x in sorted(os.listdir(root))
            if not x.startswith(".") and os.path.isdir(os.path.join(root, x))]
bundles, pending = [], list(tops)
while pending:
    b = pending.pop(0)
    if not kfile(b):
        if any(f.endswith((".yaml", ".yml")) for f in os.listdir(b)):
            print("!\t%s\tYAML files but no kustomization.yaml" % b)
        continue
    files, dirs, problems = [], set(), []
    reach(b, files, dirs, problems)
    # Folders below the bundle that it does not reach but that hold a kustomization are
    # bundles of their own (a system's _peers/<namespace>/).
    others = []
    for cur, subdirs, _ in os.walk(b):
        subdirs[:] = [x for x in subdirs if not x.startswith(".")]
        for x in list(subdirs):
            p = os.path.join(cur, x)
            if p not in dirs and kfile(p) and not any(p.startswith(o + os.sep) for o in others):
                others.append(p)
    pending += sorted(others)
    present = yaml_files(b, set(others))
    for f in sorted(set(present) - set(files)):
        problems.append("not listed in any kustomization of the bundle: %s" % os.path.relpath(f, b))
    print("\t".join([b] + files))
    for p in problems:
        print("!\t%s\t%s" % (b, p))
PY
)
bundles=()
declare -A bundle_files=() bundle_problems=()
while IFS=$'\t' read -r -a fields; do
    if [[ ${fields[0]} == "!" ]]; then
        bundle_problems[${fields[1]}]+="${fields[2]}"$'\n'
        [[ -v "bundle_files[${fields[1]}]" ]] || { printf '%s%s%s\n' "$BOLD" "${fields[1]#"$dir"/}" "$OFF"; bad "${fields[1]#"$dir"/}: ${fields[2]}"; }
    else
        bundles+=("${fields[0]}")
        bundle_files[${fields[0]}]=$(printf '%s\t' "${fields[@]:1}")
    fi
done <<<"$tree"
[[ ${#bundles[@]} -gt 0 || ${#failures[@]} -gt 0 ]] || { echo "scan-bundles: no bundle (folder with a kustomization.yaml) in $dir" >&2; exit 2; }

for b in "${bundles[@]}"; do
    name=${b#"$dir"/}
    [[ $b == "$dir" ]] && name=$(basename -- "$dir")
    printf '%s%s%s\n' "$BOLD" "$name" "$OFF"

    # YAML files of the bundle (those its kustomizations reach), kustomizations excluded.
    IFS=$'\t' read -r -a files <<<"${bundle_files[$b]}"

    # Gate 1: kustomize build, and the kustomization lists exactly the files.
    if out=$(kubectl kustomize "$b" 2>&1); then
        n=$(grep -c '^kind:' <<<"$out" || true)
        if [[ $n -gt 0 ]]; then ok "kubectl kustomize: $n objects"; else bad "$name: kubectl kustomize produced no objects"; fi
    else
        bad "$name: kubectl kustomize failed"
        indent <<<"$out"
    fi
    if [[ -n ${bundle_problems[$b]:-} ]]; then
        bad "$name: its kustomizations do not match its files"
        indent <<<"${bundle_problems[$b]%$'\n'}"
    else
        ok "its kustomizations list all ${#files[@]} files"
    fi

    # Gate 2: strict schema validation of every file, for every version.
    if [[ ${#files[@]} -eq 0 ]]; then
        bad "$name: no YAML files besides its kustomizations"
        continue
    fi
    for v in "${versions[@]}"; do
        rc=0
        out=$("$KV" --strict -k "$v" "${files[@]}" 2>&1) || rc=$?
        # kubernetes-validate stops at the first file it cannot parse: files it never reported
        # on get a run of their own, so that every file's own error is shown.
        if [[ $rc -ne 0 ]]; then
            for f in "${files[@]}"; do
                if ! grep -qF " $f " <<<"$out" && ! grep -qF "file $f:" <<<"$out"; then
                    out+=$'\n'$("$KV" --strict -k "$v" "$f" 2>&1) || true
                fi
            done
        fi
        # Kinds without a bundled schema (CRDs) are an error unless their API group is allowed.
        noschema=$(grep -E "^WARN .* Couldn't find schema for kind .* with api version ($ALLOW_NO_SCHEMA) " <<<"$out" || true)
        problems=$(grep -v -E '^INFO |^$' <<<"$out" | grep -vxF -f <(printf '%s\n' "$noschema") || true)
        empty=()
        for f in "${files[@]}"; do
            grep -qF "INFO $f passed for resource" <<<"$out" || grep -qF "WARN $f " <<<"$noschema" || empty+=("$f")
        done
        if [[ $rc -eq 0 && -z $problems && ${#empty[@]} -eq 0 ]]; then
            ok "kubernetes-validate --strict -k $v: ${#files[@]} files"
            if [[ -n $noschema ]]; then
                sed -E "s#^WARN $b/([^ ]*) Couldn't find schema for kind ([^ ]*) with api version ([^ ]*) .*#\\1: \\3 \\2 not validated (no schema bundled)#" <<<"$noschema" | indent
            fi
        else
            bad "$name: kubernetes-validate --strict -k $v"
            { if [[ -n $problems ]]; then printf '%s\n' "$problems"; fi
              for f in "${empty[@]}"; do
                  # Files with an ERROR/WARN/parse line are named already; name the silent ones.
                  grep -qF "$f" <<<"$problems" || echo "$f: no Kubernetes object in file"
              done; } | sed "s#$b/##g" | indent
        fi
    done
done

# Gate 3: checkov. Its graph checks (CKV2_K8S_*) join objects across every file it scans, so
# one run over several bundles that share a namespace lets one bundle's NetworkPolicy or Role
# hide another bundle's gap: by default each bundle gets its own run (about 3 s each).
# checkov scans a copy of exactly the bundle's files: it ignores every file under a hidden
# folder, and a system's folder holds the _peers/ bundles too.
run_checkov() { # LABEL BUNDLE...
    local label=$1 ckv_rc=0 rep_rc=0 report target=$work/ckv b f rel
    shift
    rm -rf -- "$target"; mkdir -p -- "$target"
    for b in "$@"; do
        IFS=$'\t' read -r -a files <<<"${bundle_files[$b]}"
        for f in "${files[@]}"; do
            rel=${f#"$dir"/}; [[ $f == "$dir"/* ]] || rel=$(basename -- "$f")
            mkdir -p -- "$target/$(dirname -- "$rel")"
            cp -- "$f" "$target/$rel"
        done
    done
    "$CKV" -d "$target" --framework kubernetes --skip-download -o json \
        >"$work/checkov.json" 2>"$work/checkov.err" || ckv_rc=$?
    report=$("$PY" "$SCRIPT_DIR/checkov-report.py" "$work/checkov.json" "$target" "${fail_on_skip[@]}" 2>&1) || rep_rc=$?
    if [[ $rep_rc -eq 0 && $ckv_rc -eq 0 ]]; then
        ok "$label $(tail -n1 <<<"$report")"
        if [[ $(wc -l <<<"$report") -gt 1 ]]; then head -n -1 <<<"$report" | indent; fi
    else
        bad "$label checkov (exit $ckv_rc)"
        indent <<<"$report"
        if [[ $rep_rc -eq 2 ]]; then tail -n 20 "$work/checkov.err" | indent; fi
    fi
}
printf '%scheckov%s\n' "$BOLD" "$OFF"
if [[ $checkov_once -eq 1 && ${#bundles[@]} -gt 1 ]]; then
    run_checkov "[all]" "${bundles[@]}"
else
    for b in "${bundles[@]}"; do
        label=${b#"$dir"/}; [[ $b == "$dir" ]] && label=$(basename -- "$dir")
        IFS=$'\t' read -r -a files <<<"${bundle_files[$b]}"
        if ! grep -qhv -e '^kind: NetworkPolicy$' <(grep -h '^kind:' "${files[@]}"); then
            # checkov has no check for NetworkPolicies and would scan nothing.
            ok "[$label] checkov: nothing it checks (NetworkPolicies only: kubernetes-validate judged them)"
            continue
        fi
        run_checkov "[$label]" "$b"
    done
fi

echo
if [[ ${#failures[@]} -eq 0 ]]; then
    printf '%sPASS%s: %d bundle(s), kustomize + kubernetes-validate (%s) + checkov all clean\n' \
        "$GREEN" "$OFF" "${#bundles[@]}" "${versions[*]}"
    exit 0
fi
printf '%sFAIL%s: %d problem(s)\n' "$RED" "$OFF" "${#failures[@]}"
printf '  - %s\n' "${failures[@]}"
exit 1
