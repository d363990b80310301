#!/usr/bin/env bash
# Checks kubeward's traffic drawings with the real parsers, and keeps the book's pictures:
#   1. `kubeward graph` of every example spec, of the examples as one system (and as one with a
#      one-sided connection), and of tests/graph/*.yaml (foreign policies with labels built to
#      break a drawing that does not escape them), in Mermaid and in DOT;
#   2. every DOT drawing through Graphviz (`dot -Tsvg`): an error or a warning fails;
#   3. every Mermaid drawing rendered to SVG by the mermaid CLI (mmdc, driving Debian's
#      Chromium), all from one Markdown file so the browser starts once: a parse error fails;
#   4. book/src/trainers/NAME.mmd must be `kubeward graph -f tests/examples/NAME/kubeward.yaml`
#      and NAME.svg its picture (first line: the sha256 of the .mmd it was drawn from).
#      With --update-book, both are rewritten instead (the SVG only when its source changed).
#
# Usage: scripts/check-graphs.sh [--update-book]
# Needs scripts/install-tools.sh (graphviz, chromium, .tools/node_modules) and builds kubeward.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

update_book=0
case ${1:-} in
    --update-book) update_book=1 ;;
    "") ;;
    *) echo "usage: scripts/check-graphs.sh [--update-book]" >&2; exit 2 ;;
esac

MMDC=.tools/node_modules/.bin/mmdc
for tool in dot "$MMDC"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "check-graphs: $tool missing: run scripts/install-tools.sh" >&2; exit 2; }
done
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[[ -n $CHROMIUM ]] || { echo "check-graphs: chromium missing: run scripts/install-tools.sh" >&2; exit 2; }

cargo build --locked --quiet
KW=./target/debug/kubeward
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
printf '{"executablePath": "%s", "args": ["--no-sandbox", "--disable-gpu"]}\n' "$CHROMIUM" >"$work/puppeteer.json"
mermaid() { "$MMDC" --quiet --puppeteerConfigFile "$work/puppeteer.json" "$@"; }

failures=0
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }

# 1. Draw everything.
inputs=()
for spec in tests/examples/*/kubeward.yaml; do
    name=$(basename "$(dirname "$spec")")
    "$KW" graph -f "$spec" >"$work/$name.mmd"
    "$KW" graph -f "$spec" --format dot >"$work/$name.dot"
    inputs+=("$name")
done
# The examples as one system, and as one whose connection is declared by one end only (marked).
"$KW" graph -f tests/examples >"$work/system.mmd"
"$KW" graph -f tests/examples --format dot >"$work/system.dot"
inputs+=(system)
mkdir -p "$work/one-sided"
cp -R tests/examples/. "$work/one-sided/"
sed -i '/- app: checkout/{N;/namespace: shop/d}' "$work/one-sided/payments-api/kubeward.yaml"
"$KW" graph -f "$work/one-sided" >"$work/system-one-sided.mmd"
"$KW" graph -f "$work/one-sided" --format dot >"$work/system-one-sided.dot"
grep -q 'one-sided' "$work/system-one-sided.mmd" || fail "the one-sided system's drawing marks no one-sided connection"
inputs+=(system-one-sided)
for manifests in tests/graph/*.yaml; do
    name=foreign-$(basename "$manifests" .yaml)
    "$KW" graph "$manifests" >"$work/$name.mmd"
    "$KW" graph "$manifests" --format dot >"$work/$name.dot"
    inputs+=("$name")
done

# 2. Graphviz.
for name in "${inputs[@]}"; do
    if out=$(dot -Tsvg "$work/$name.dot" -o "$work/$name.dot.svg" 2>&1) && [[ -z $out ]]; then
        echo "  ok    dot: $name"
    else
        fail "dot: $name: ${out:-exit code}"
    fi
done

# 3. Mermaid: one Markdown file, one browser.
{
    for name in "${inputs[@]}"; do
        printf '%s\n\n```mermaid\n' "$name"
        cat "$work/$name.mmd"
        printf '```\n\n'
    done
} >"$work/all.md"
if out=$(mermaid -i "$work/all.md" -o "$work/all.out.md" 2>&1); then
    rendered=$(find "$work" -name 'all.out-*.svg' | wc -l)
    if [[ $rendered -eq ${#inputs[@]} ]]; then
        echo "  ok    mermaid: ${#inputs[@]} drawings rendered"
    else
        fail "mermaid: $rendered of ${#inputs[@]} drawings rendered"
    fi
else
    fail "mermaid: $out"
fi

# 4. The book's pictures.
sha() { sha256sum "$1" | cut -d' ' -f1; }
for source in book/src/trainers/*.mmd; do
    name=$(basename "$source" .mmd)
    svg=book/src/trainers/$name.svg
    if ! cmp -s "$source" "$work/$name.mmd"; then
        if [[ $update_book -eq 1 ]]; then
            cp "$work/$name.mmd" "$source"
            echo "  new   $source"
        else
            fail "$source is not the graph of tests/examples/$name (run scripts/check-graphs.sh --update-book)"
            continue
        fi
    fi
    header="<!-- kubeward graph source sha256: $(sha "$source") -->"
    if [[ -f $svg && $(head -n1 "$svg") == "$header" ]]; then
        echo "  ok    $svg"
    elif [[ $update_book -eq 1 ]]; then
        mermaid -i "$source" -o "$work/$name.svg" --backgroundColor white
        { echo "$header"; cat "$work/$name.svg"; echo; } >"$svg"
        echo "  new   $svg"
    else
        fail "$svg was not drawn from $source (run scripts/check-graphs.sh --update-book)"
    fi
done

if [[ $failures -gt 0 ]]; then
    echo "check-graphs: $failures problem(s)"
    exit 1
fi
echo "check-graphs: all drawings parse"
