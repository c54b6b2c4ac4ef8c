#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what it needs, then runs
# formatting and lint gates, unit/fixture/property/CLI/language-server tests, and the
# real-editor end-to-end tests. Exit status 0 only when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rust toolchain components"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --all-targets -- -D warnings

echo "== cargo test"
cargo build --release
cargo test --all-targets

echo "== PGO release build (scripts/build-pgo.sh): the plain release build's output"
scripts/build-pgo.sh
# The optimised build runs the same code: every output format on every fixture and sample
# must match the plain release build's byte for byte.
mapfile -t texts < <(find tests/fixtures examples -name '*.md' | sort)
for cmd in "check --format human" "check --format json" "check --format sarif" \
  "figures --format table" "figures --format json" "figures --format csv"; do
  # shellcheck disable=SC2086
  plain=$(target/release/briefing-ls $cmd "${texts[@]}" 2>&1 || true)
  # shellcheck disable=SC2086
  pgo=$(target/pgo/release/briefing-ls $cmd "${texts[@]}" 2>&1 || true)
  if [ "$plain" != "$pgo" ]; then
    echo "FAIL: briefing-ls $cmd differs between the PGO and the plain release build" >&2
    exit 1
  fi
done
echo "PGO build: the same output as the plain build (6 formats, ${#texts[@]} texts)"

if [ -x scripts/editors-e2e.sh ]; then
  echo "== editor end-to-end tests"
  scripts/editors-e2e.sh
fi
