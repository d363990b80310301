#!/usr/bin/env bash
# Runs every test of kubeward, installing what they need first (idempotent):
#   1. the outside tools (kubectl, a .venv with checkov, kubernetes-validate, pytest);
#   2. cargo fmt --check, cargo clippy -D warnings, cargo test (unit, integration, snapshots);
#   3. every example spec rendered, then judged by kubectl kustomize, kubernetes-validate
#      --strict and checkov (zero failed checks), and by the independent NetworkPolicy
#      evaluator (tests/netpol);
#   4. every traffic drawing (`kubeward graph`, Mermaid and DOT) parsed by the mermaid CLI and
#      Graphviz, and the book's pictures checked against their sources (scripts/check-graphs.sh).
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

step "graphs: Mermaid (mermaid CLI) and DOT (Graphviz), the book's pictures"
bash scripts/check-graphs.sh
