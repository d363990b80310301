#!/usr/bin/env bash
# Runs every test of kubeward, installing what they need first (idempotent):
#   1. the outside tools (kubectl, a .venv with checkov, kubernetes-validate, pytest);
#   2. cargo fmt --check, cargo clippy -D warnings, cargo test (unit, integration, snapshots);
#   3. every example spec rendered, then judged by kubectl kustomize, kubernetes-validate
#      --strict and checkov (zero failed checks), and by the independent NetworkPolicy
#      evaluator (tests/netpol);
#   4. every shipped preset rendered for a representative example and scanned the same way:
#      zero failed and zero suppressed checkov checks for the restricted-based presets; for
#      baseline, suppressed checks only, each with its reason.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

step "installing tools"
bash scripts/install-tools.sh

step "cargo fmt, clippy"
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings

step "cargo test"
cargo test --locked

step "rendering every example"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --locked --quiet
for spec in tests/examples/*/kubeward.yaml; do
    name=$(basename "$(dirname "$spec")")
    ./target/debug/kubeward render -f "$spec" -o "$work/rendered/$name" --state "$work/state/$name"
    echo "rendered $name"
done

step "scanners: kubectl kustomize, kubernetes-validate --strict, checkov"
bash scripts/scan-bundles.sh "$work/rendered"

step "NetworkPolicy evaluator"
KUBEWARD_EXAMPLES=tests/examples KUBEWARD_RENDERED="$work/rendered" \
    .venv/bin/pytest -q -p no:cacheprovider tests/netpol

step "every shipped preset on a representative example"
# Digest-pinned images everywhere, so that the restricted-based bundles need no exemption.
worker_image="docker.io/acme/report-worker:1.0.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
render_preset() { # GROUP PRESET EXAMPLE [FLAGS...]
    local group=$1 preset=$2 example=$3
    shift 3
    ./target/debug/kubeward render -f "tests/examples/$example/kubeward.yaml" --preset "$preset" "$@" \
        -o "$work/presets/$group/$preset-$example" --state "$work/state/preset-$preset-$example"
    echo "rendered $example with preset $preset"
}
render_preset hardened restricted payments-api
render_preset hardened public-web storefront
render_preset hardened internal-grpc inventory
render_preset hardened worker report-worker --image "$worker_image"
render_preset hardened api-client config-watcher
render_preset relaxed baseline storefront
for name in $(./target/debug/kubeward presets list | awk 'NR > 1 { print $1 }'); do
    compgen -G "$work/presets/*/$name-*" >/dev/null \
        || { echo "shipped preset $name has no representative render in scripts/test.sh" >&2; exit 1; }
done

step "scanners on the restricted-based presets: zero failed, zero suppressed"
bash scripts/scan-bundles.sh --fail-on-skip "$work/presets/hardened"

step "scanners on baseline: suppressed checks only, each with its reason"
bash scripts/scan-bundles.sh "$work/presets/relaxed"
