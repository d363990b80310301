#!/usr/bin/env bash
# Installs the external tools that scripts/scan-bundles.sh, scripts/check-graphs.sh and the
# Python tests use:
#   - kubectl (for `kubectl kustomize`), from Debian's packages when it is not on PATH;
#   - Graphviz (`dot`) and Chromium, from Debian's packages when they are not on PATH;
#   - openssl and git (tests/entry.rs verifies the Gateway's trust in the service's certificate
#     with `openssl verify`; tests/gitops.rs makes a Sealed Secrets controller's key pair and git
#     work trees with them), from Debian's packages when they are not on PATH;
#   - the mermaid CLI (mmdc) in <repo>/.tools/node_modules, from the npm registry with
#     `npm ci` (versions locked by .tools/package-lock.json; Puppeteer's own browser download
#     is skipped: mmdc drives Debian's Chromium);
#   - a Python venv at <repo>/.venv with the pinned tools of scripts/requirements-tools.txt
#     (checkov, kubernetes-validate, PyYAML, pytest, jsonschema, cryptography), locked by
#     scripts/constraints-tools.txt;
#   - mdbook (which builds the book in book/) and cargo-deny (which checks the dependency tree
#     against deny.toml), pinned to MDBOOK_VERSION and CARGO_DENY_VERSION, installed with
#     `cargo install --locked` into <repo>/.tools (git-ignored; scripts/test.sh puts its bin/ on
#     PATH) when missing or at another version. The first install compiles them: about two
#     minutes each on two cores.
#
# Idempotent: a second run only checks (well under a second). The venv is reinstalled when
# the requirements, the constraints or the Python interpreter change (a stamp file in the venv
# holds their hash). Any failure exits non-zero; nothing is skipped.
#
# Environment: PYTHON (interpreter used to create the venv, default python3),
#              KUBEWARD_VENV (venv path, default <repo>/.venv),
#              KUBEWARD_TOOLS (cargo install root for mdbook and cargo-deny, default <repo>/.tools).
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd)
VENV=${KUBEWARD_VENV:-$REPO_ROOT/.venv}
REQ=$SCRIPT_DIR/requirements-tools.txt
CON=$SCRIPT_DIR/constraints-tools.txt
STAMP=$VENV/.kubeward-tools.stamp
PYTHON=${PYTHON:-python3}
TOOLS=${KUBEWARD_TOOLS:-$REPO_ROOT/.tools}
MDBOOK_VERSION=0.5.4
CARGO_DENY_VERSION=0.20.2

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { printf 'install-tools: ERROR: %s\n' "$*" >&2; exit 1; }

[[ -f $REQ ]] || die "missing $REQ"
[[ -f $CON ]] || die "missing $CON"

# --- apt helpers -----------------------------------------------------------------------

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED -eq 0 ]]; then
        log "apt-get update"
        as_root apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
}

# Prints the candidate version of a Debian package, or nothing when apt has none.
apt_candidate() {
    local c
    c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
    [[ -n $c && $c != "(none)" ]] && printf '%s\n' "$c"
    return 0
}

# Installs Debian packages; on failure with possibly stale lists, updates once and retries.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand"
    log "apt-get install $*"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; then
        [[ $APT_UPDATED -eq 0 ]] || die "apt-get install $* failed"
        apt_update_once
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
            || die "apt-get install $* failed"
    fi
}

# --- kubectl ---------------------------------------------------------------------------

kustomize_smoke_test() {
    local d out
    d=$(mktemp -d)
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smoke\n  namespace: smoke\ndata:\n  k: v\n' >"$d/cm.yaml"
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n' >"$d/kustomization.yaml"
    if ! out=$(kubectl kustomize "$d" 2>&1) || ! grep -q 'name: smoke' <<<"$out"; then
        rm -rf "$d"
        die "'kubectl kustomize' does not work: $out"
    fi
    rm -rf "$d"
}

ensure_kubectl() {
    if ! command -v kubectl >/dev/null 2>&1; then
        command -v apt-cache >/dev/null 2>&1 || die "kubectl is not on PATH and this is not a Debian-like system"
        local pkg=""
        # Debian ships kubectl as 'kubernetes-client'; some releases/repos call it 'kubectl'.
        for p in kubernetes-client kubectl; do
            if [[ -n $(apt_candidate "$p") ]]; then pkg=$p; break; fi
        done
        if [[ -z $pkg ]]; then
            apt_update_once
            for p in kubernetes-client kubectl; do
                if [[ -n $(apt_candidate "$p") ]]; then pkg=$p; break; fi
            done
        fi
        [[ -n $pkg ]] || die "no Debian package providing kubectl found (tried kubernetes-client, kubectl)"
        apt_install "$pkg"
        hash -r
        command -v kubectl >/dev/null 2>&1 || die "installed $pkg but kubectl is still not on PATH"
    fi
    kustomize_smoke_test
    log "kubectl: $(command -v kubectl) ($(kubectl version --client 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+[^ ",]*' | head -n1 || true))"
}

# --- Python venv -----------------------------------------------------------------------

ensure_python() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        [[ $PYTHON == python3 ]] || die "PYTHON=$PYTHON not found"
        apt_update_once
        apt_install python3 python3-venv
    fi
    if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        # Debian splits venv/ensurepip into python3-venv.
        [[ $(command -v "$PYTHON") == /usr/bin/* ]] || die "$PYTHON has no working venv/ensurepip module"
        apt_update_once
        apt_install python3-venv
        "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 || die "$PYTHON still has no venv/ensurepip after installing python3-venv"
    fi
}

wanted_stamp() {
    {
        echo "kubeward-tools-stamp v1"
        "$PYTHON" -c 'import sys, platform; print(sys.version, platform.machine())'
        cat "$REQ" "$CON"
    } | sha256sum | cut -d' ' -f1
}

venv_is_current() {
    [[ -f $STAMP && -x $VENV/bin/python ]] || return 1
    [[ $(cat "$STAMP") == "$1" ]] || return 1
    local t
    for t in checkov kubernetes-validate pytest; do
        [[ -x $VENV/bin/$t ]] || return 1
    done
    "$VENV/bin/python" -c '' >/dev/null 2>&1
}

# Fails unless every pin of requirements-tools.txt is installed at exactly that version.
verify_pins() {
    "$VENV/bin/python" - "$REQ" <<'PY'
import re, sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
    if not m:
        bad.append(f"unpinned requirement: {line!r}")
        continue
    name, want = m.groups()
    try:
        have = version(name)
    except PackageNotFoundError:
        bad.append(f"{name} not installed")
        continue
    if have != want:
        bad.append(f"{name} {have} installed, {want} pinned")
for b in bad:
    print("install-tools: ERROR:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

ensure_venv() {
    ensure_python
    local want
    want=$(wanted_stamp)
    if venv_is_current "$want"; then
        log "venv $VENV is up to date"
        return 0
    fi
    if [[ -e $VENV ]] && ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
        log "removing broken venv $VENV"
        rm -rf -- "$VENV"
    fi
    if [[ ! -x $VENV/bin/python ]]; then
        log "creating venv $VENV"
        "$PYTHON" -m venv "$VENV" || die "python venv creation failed"
    fi
    rm -f -- "$STAMP"
    log "pip install -r $(basename "$REQ") -c $(basename "$CON")"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet -r "$REQ" -c "$CON" \
        || die "pip install failed"
    verify_pins || die "installed versions do not match $REQ"
    "$VENV/bin/checkov" --version >/dev/null || die "checkov does not run"
    "$VENV/bin/kubernetes-validate" --version >/dev/null || die "kubernetes-validate does not run"
    "$VENV/bin/pytest" --version >/dev/null 2>&1 || die "pytest does not run"
    printf '%s\n' "$want" >"$STAMP"
    log "venv ready: $("$VENV/bin/checkov" --version | tail -n1 | sed 's/^/checkov /'), kubernetes-validate $("$VENV/bin/kubernetes-validate" --version)"
}

# --- mdbook and cargo-deny ------------------------------------------------------------

ensure_cargo_tool() { # CRATE VERSION VERSION_AS_PRINTED: `cargo install` into $TOOLS when missing or other
    local crate=$1 version=$2 printed=$3 bin=$TOOLS/bin/$1 have=""
    if [[ -x $bin ]]; then
        have=$("$bin" --version 2>/dev/null | awk '{print $2}')
    fi
    if [[ $have == "$printed" ]]; then
        log "$crate $have: $bin"
        return 0
    fi
    command -v cargo >/dev/null 2>&1 || die "cargo not found: it installs $crate"
    log "cargo install $crate $version into $TOOLS${have:+ (found $have)}; a few minutes, once"
    cargo install "$crate" --locked --version "$version" --root "$TOOLS" --force --quiet \
        || die "cargo install $crate failed"
    have=$("$bin" --version 2>/dev/null | awk '{print $2}')
    [[ $have == "$printed" ]] || die "installed $crate reports '$have', not $printed"
}

# --- Graphviz, Chromium and the mermaid CLI ----------------------------------------------

TOOLS_STAMP=$TOOLS/node_modules/.kubeward-tools.stamp

ensure_command_from_apt() { # COMMAND PACKAGE
    if ! command -v "$1" >/dev/null 2>&1; then
        apt_update_once
        apt_install "$2"
        hash -r
        command -v "$1" >/dev/null 2>&1 || die "installed $2 but $1 is still not on PATH"
    fi
}

ensure_diagram_tools() {
    ensure_command_from_apt dot graphviz
    ensure_command_from_apt chromium chromium
    ensure_command_from_apt npm npm
    local want
    want=$({ echo "kubeward-diagram-tools v1"; node --version; cat "$TOOLS/package-lock.json"; } | sha256sum | cut -d' ' -f1)
    if [[ -f $TOOLS_STAMP && $(cat "$TOOLS_STAMP") == "$want" && -x $TOOLS/node_modules/.bin/mmdc ]]; then
        log "mermaid CLI in $TOOLS is up to date"
        return 0
    fi
    log "npm ci in $TOOLS (mermaid CLI)"
    (cd "$TOOLS" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) \
        || die "npm ci in $TOOLS failed"
    [[ -x $TOOLS/node_modules/.bin/mmdc ]] || die "mmdc missing after npm ci"
    printf '%s\n' "$want" >"$TOOLS_STAMP"
    log "mermaid CLI ready: $("$TOOLS/node_modules/.bin/mmdc" --version)"
}

ensure_kubectl
# The tests verify every certificate chain the way the other end would, with `openssl verify`.
ensure_command_from_apt openssl openssl
ensure_command_from_apt git git
ensure_venv
ensure_cargo_tool mdbook "$MDBOOK_VERSION" "v$MDBOOK_VERSION"
ensure_cargo_tool cargo-deny "$CARGO_DENY_VERSION" "$CARGO_DENY_VERSION"
ensure_command_from_apt openssl openssl
ensure_diagram_tools
log "done"
