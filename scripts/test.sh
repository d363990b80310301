#!/usr/bin/env bash
# Runs every test of kubeward, installing what they need first (idempotent):
#   1. the outside tools (kubectl, a .venv with checkov, kubernetes-validate, pytest; mdbook in
#      .tools/);
#   2. cargo fmt --check, cargo clippy -D warnings, cargo deny (licenses, banned crates,
#      sources: deny.toml), cargo test (unit, integration, snapshots, the generated files,
#      every example of the book);
#   3. the book built with mdbook, and every internal link and #anchor of it resolved;
#   4. every example, and every spec of the book, rendered, then judged by `kubeward check`
#      (no finding), kubectl kustomize,
#      kubernetes-validate --strict and checkov (zero failed checks), and by the independent
#      NetworkPolicy evaluator (tests/netpol); the examples as one system, and the system of
#      tests/systems/clinic, judged the same way, and flow by flow across namespaces; then a
#      mutation run (scripts/mutants.py fast): each edit of scripts/mutants.yaml to a rendered
#      bundle or to the evaluator must make its test fail.
#   5. every shipped preset rendered for a representative example and scanned the same way:
#      zero failed and zero suppressed checkov checks for the restricted-based presets; for
#      baseline and openshift, suppressed checks only, each with its reason.
#   6. every traffic drawing (`kubeward graph`, Mermaid and DOT) parsed by the mermaid CLI and
#      Graphviz, and the book's pictures checked against their sources (scripts/check-graphs.sh).
#   7. kube-bench's CIS Kubernetes Benchmark checks (tests/kube_bench, an evaluator independent
#      of kubeward) over the flags `kubeward cluster` renders and over broken static Pods given
#      to `kubeward check`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/.tools/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "installing tools"
bash scripts/install-tools.sh

step "cargo fmt, clippy, cargo deny"
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo deny --locked check licenses bans sources

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "cargo test"
# tests/book.rs also writes each book spec and its bundle under $work/book for the scanners.
KUBEWARD_BOOK_EXPORT="$work/book" cargo test --locked

step "the book: mdbook build, internal links"
mdbook build book
.venv/bin/python scripts/check-book-links.py book/src book/book

step "rendering every example"
cargo build --locked --quiet
for spec in tests/examples/*/kubeward.yaml; do
    name=$(basename "$(dirname "$spec")")
    ./target/debug/kubeward render -f "$spec" -o "$work/rendered/$name" --state "$work/state/$name"
    echo "rendered $name"
done

step "rendering the systems: the examples as one, and tests/systems/*"
./target/debug/kubeward render -f tests/examples -o "$work/systems/examples" --state "$work/state/system-examples" --quiet
echo "rendered the examples as one system"
for system in tests/systems/*/; do
    name=$(basename "$system")
    ./target/debug/kubeward render -f "$system" -o "$work/systems/$name" --state "$work/state/system-$name" --quiet
    echo "rendered system $name"
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
    --port 8080 --sensitivity confidential --caller checkout/web \
    --caller billing-worker --caller analytics/reports --egress db/postgres:5432 \
    --egress-cidr 203.0.113.0/24:443 --secret db-password=generate
# Public, restricted, with API access, every kind of secret and TLS.
printf 'signing key\n' >"$work/signing.pem"
STRIPE_KEY=sk_test init public --name shop -n storefront --image "ghcr.io/acme/shop:2.0@$digest" \
    --port 8443 --protocol https --exposure public --host shop.example.com --sensitivity restricted \
    --api configmaps:get,list,watch:shop-config --api apps/deployments:get --api-server-cidr 192.0.2.10/32 \
    --secret session=generate:64 \
    --secret stripe=env:STRIPE_KEY --secret "signing=file:$work/signing.pem" --tls self-signed

step "kubeward check: every rendered bundle, no finding of any severity"
./target/debug/kubeward check --fail-on info "$work/rendered"
for system in "$work"/systems/*/; do
    ./target/debug/kubeward check --fail-on info "$system"
done

step "scanners: kubectl kustomize, kubernetes-validate --strict, checkov"
bash scripts/scan-bundles.sh "$work/rendered"
bash scripts/scan-bundles.sh "$work/init-rendered"
for system in "$work"/systems/*/; do
    bash scripts/scan-bundles.sh "$system"
done

step "NetworkPolicy evaluator"
KUBEWARD_EXAMPLES=tests/examples KUBEWARD_RENDERED="$work/rendered" \
    .venv/bin/pytest -q -p no:cacheprovider tests/netpol/test_evaluator.py tests/netpol/test_netpol.py

step "mutation run: edits of the bundles and of the evaluator that a test must catch"
.venv/bin/python scripts/mutants.py fast --rendered "$work/rendered"

step "NetworkPolicy evaluator with a mesh: the proxy's control plane and inbound port"
.venv/bin/pytest -q -p no:cacheprovider tests/netpol/test_mesh.py

step "NetworkPolicy evaluator across namespaces: every system, flow by flow"
KUBEWARD_SYSTEM_SPECS=tests/examples KUBEWARD_SYSTEM_RENDERED="$work/systems/examples" \
    .venv/bin/pytest -q -p no:cacheprovider tests/netpol/test_system.py
for system in tests/systems/*/; do
    KUBEWARD_SYSTEM_SPECS="$system" KUBEWARD_SYSTEM_RENDERED="$work/systems/$(basename "$system")" \
        .venv/bin/pytest -q -p no:cacheprovider tests/netpol/test_system.py
done

step "scanners over the book's specs"
bash scripts/scan-bundles.sh "$work/book/rendered"

step "NetworkPolicy evaluator over the book's specs"
KUBEWARD_EXAMPLES="$work/book/specs" KUBEWARD_RENDERED="$work/book/rendered" \
    .venv/bin/pytest -q -p no:cacheprovider tests/netpol/test_netpol.py

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
render_preset hardened api-client config-watcher --api-server-cidr 192.0.2.10/32  # api-client names no API server
render_preset relaxed baseline storefront
render_preset relaxed openshift openshift-shop
# and a Route whose certificate cert-manager issues, with the Role that lets the router read it
render_preset relaxed openshift openshift-orders --ingress-issuer ClusterIssuer/letsencrypt
for name in $(./target/debug/kubeward presets list | awk 'NR > 1 { print $1 }'); do
    compgen -G "$work/presets/*/$name-*" >/dev/null \
        || { echo "shipped preset $name has no representative render in scripts/test.sh" >&2; exit 1; }
done

step "scanners on the restricted-based presets: zero failed, zero suppressed"
bash scripts/scan-bundles.sh --fail-on-skip "$work/presets/hardened"

step "scanners on baseline and openshift: suppressed checks only, each with its reason"
bash scripts/scan-bundles.sh "$work/presets/relaxed"

step "graphs: Mermaid (mermaid CLI) and DOT (Graphviz), the book's pictures"
bash scripts/check-graphs.sh

step "kube-bench's CIS checks over kubeward cluster's flags and broken static Pods"
KUBEWARD_BIN=./target/debug/kubeward .venv/bin/pytest -q -p no:cacheprovider tests/kube_bench
