#!/usr/bin/env bash
# Scans rendered kubeward bundles with the trusted external tools.
#
# Usage: scripts/scan-bundles.sh [-k K8S_VERSION]... [--fail-on-skip] [--checkov-once] DIR
#
# DIR holds one sub-folder per rendered bundle (per-object YAML files + kustomization.yaml);
# a DIR that itself holds a kustomization.yaml is scanned as a single bundle. Gates:
#   1. `kubectl kustomize SUB` succeeds and yields at least one object, and the kustomization
#      lists exactly the bundle's YAML files;
#   2. `kubernetes-validate --strict -k V` accepts every YAML file but the kustomization, for
#      every V (default: 1.30.0, the oldest supported, and 1.37.0, the newest bundled schema);
#      a file without any object, or of a kind without a schema, fails too;
#   3. `checkov -d SUB --framework kubernetes --skip-download`, one run per bundle (graph checks
#      join objects across all scanned files, so a shared run lets one bundle mask another;
#      --checkov-once: a single faster run over DIR), reports zero failed checks and zero
#      parsing errors (--fail-on-skip: and zero suppressed checks). checkov skips unparsable
#      YAML silently: gate 2 is what catches it.
# Prints a summary and exits 0 only when every gate passed (1: a gate failed, 2: usage/setup).
#
# Tools come from <repo>/.venv (scripts/install-tools.sh); KUBEWARD_VENV overrides the path,
# KUBE_VERSIONS="1.30.0 1.37.0" overrides the versions, ALLOW_NO_SCHEMA (an ERE over apiVersion,
# default: cert-manager, Gateway API and Envoy Gateway, whose objects tests/entry.rs validates
# against their upstream CRDs, and Sealed Secrets and External Secrets, whose resources
# tests/gitops.rs holds to their upstream CRD schemas, and OpenShift's Route, which
# tests/openshift.rs validates against its upstream CRD) names CRD groups that may pass without a
# schema.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd)
VENV=${KUBEWARD_VENV:-$REPO_ROOT/.venv}
# apiVersions (ERE) whose kinds kubernetes-validate has no schema for and that may pass unvalidated.
ALLOW_NO_SCHEMA=${ALLOW_NO_SCHEMA:-cert-manager\.io/v1|gateway\.networking\.k8s\.io/v1|gateway\.envoyproxy\.io/v1alpha1|bitnami\.com/v1alpha1|external-secrets\.io/v1|route\.openshift\.io/v1}

usage() { sed -n '4,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

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

# The bundles: DIR itself, or its sub-folders (hidden ones skipped).
bundles=()
if kustomization_of "$dir" >/dev/null; then
    bundles=("$dir")
else
    while IFS= read -r -d '' sub; do
        if kustomization_of "$sub" >/dev/null; then
            bundles+=("$sub")
        elif [[ -n $(find "$sub" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) -print -quit) ]]; then
            printf '%s%s%s\n' "$BOLD" "${sub#"$dir"/}" "$OFF"
            bad "${sub#"$dir"/}: YAML files but no kustomization.yaml"
        fi
    done < <(find "$dir" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -print0 | sort -z)
fi
[[ ${#bundles[@]} -gt 0 || ${#failures[@]} -gt 0 ]] || { echo "scan-bundles: no bundle (folder with a kustomization.yaml) in $dir" >&2; exit 2; }

for b in "${bundles[@]}"; do
    name=${b#"$dir"/}
    [[ $b == "$dir" ]] && name=$(basename -- "$dir")
    printf '%s%s%s\n' "$BOLD" "$name" "$OFF"
    kfile=$(kustomization_of "$b")

    # YAML files of the bundle (recursively), kustomization excluded.
    files=()
    while IFS= read -r -d '' f; do files+=("$f"); done < <(
        find "$b" -mindepth 1 -name '.*' -prune -o -type f \( -name '*.yaml' -o -name '*.yml' \) ! -path "$b/$kfile" -print0 | sort -z)

    # Gate 1: kustomize build, and the kustomization lists exactly the files.
    if out=$(kubectl kustomize "$b" 2>&1); then
        n=$(grep -c '^kind:' <<<"$out" || true)
        if [[ $n -gt 0 ]]; then ok "kubectl kustomize: $n objects"; else bad "$name: kubectl kustomize produced no objects"; fi
    else
        bad "$name: kubectl kustomize failed"
        indent <<<"$out"
    fi
    if out=$("$PY" - "$b" "$kfile" "${files[@]}" 2>&1 <<'PY'
import os, sys, yaml
root, kfile, files = sys.argv[1], sys.argv[2], sys.argv[3:]
k = yaml.safe_load(open(os.path.join(root, kfile))) or {}
listed = {os.path.normpath(r) for r in (k.get("resources") or []) if isinstance(r, str)}
present = {os.path.relpath(f, root) for f in files}
missing = sorted(r for r in listed if r not in present and not os.path.isdir(os.path.join(root, r)))
unlisted = sorted(present - listed)
for m in missing: print("listed but missing: " + m)
for u in unlisted: print("not listed in %s: %s" % (kfile, u))
sys.exit(1 if missing or unlisted else 0)
PY
    ); then
        ok "$kfile lists all ${#files[@]} files"
    else
        bad "$name: $kfile does not match the files"
        indent <<<"$out"
    fi

    # Gate 2: strict schema validation of every file, for every version.
    if [[ ${#files[@]} -eq 0 ]]; then
        bad "$name: no YAML files besides $kfile"
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
run_checkov() { # TARGET LABEL
    local target=$1 label=$2 ckv_rc=0 rep_rc=0 report
    if [[ $target == */.* ]]; then
        # checkov ignores every file under a hidden folder: scan a copy instead.
        rm -rf -- "$work/ckv"; mkdir -p -- "$work/ckv"
        cp -R -- "$target" "$work/ckv/bundle"
        target=$work/ckv/bundle
    fi
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
if [[ ${#bundles[@]} -eq 1 && ${bundles[0]} == "$dir" ]]; then
    run_checkov "$dir" "[$(basename -- "$dir")]"
elif [[ $checkov_once -eq 1 || ${#bundles[@]} -le 1 ]]; then
    run_checkov "$dir" "[all]"
else
    for b in "${bundles[@]}"; do run_checkov "$b" "[${b#"$dir"/}]"; done
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
