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

if [ -x scripts/editors-e2e.sh ]; then
  echo "== editor end-to-end tests"
  scripts/editors-e2e.sh
fi
