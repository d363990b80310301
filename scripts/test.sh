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

step "kubeward init --yes: specs written from flags, rendered"
digest=sha256:3b2e5f8a9c1d4e7f6a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f
init() { # NAME FLAGS...: init into $work/init/NAME, the bundle into $work/init-rendered/NAME
    local name=$1; shift
    ./target/debug/kubeward init --yes -f "$work/init/$name/kubeward.yaml" \
        -o "$work/init-rendered/$name" "$@" </dev/null
}
# The book's walkthrough (book/src/how-to/questionnaire.md), as flags.
init walkthrough --name payments-api -n payments --image "ghcr.io/acme/payments-api:1.4.2@$digest" \
    --port 8080 --exposure cluster --sensitivity confidential --caller checkout/web \
    --caller billing-worker --caller analytics/reports --egress db/postgres:5432 \
    --egress-cidr 203.0.113.0/24:443 --secret db-password=generate
# Public, restricted, with API access, every kind of secret and TLS.
printf 'signing key\n' >"$work/signing.pem"
STRIPE_KEY=sk_test init public --name shop -n storefront --image "ghcr.io/acme/shop:2.0@$digest" \
    --port 8443 --protocol https --exposure public --host shop.example.com --sensitivity restricted \
    --api configmaps:get,list,watch:shop-config --api apps/deployments:get --secret session=generate:64 \
    --secret stripe=env:STRIPE_KEY --secret "signing=file:$work/signing.pem" --tls self-signed

step "scanners: kubectl kustomize, kubernetes-validate --strict, checkov"
bash scripts/scan-bundles.sh "$work/rendered"
bash scripts/scan-bundles.sh "$work/init-rendered"

step "NetworkPolicy evaluator"
KUBEWARD_EXAMPLES=tests/examples KUBEWARD_RENDERED="$work/rendered" \
    .venv/bin/pytest -q -p no:cacheprovider tests/netpol

step "graphs: Mermaid (mermaid CLI) and DOT (Graphviz), the book's pictures"
bash scripts/check-graphs.sh
