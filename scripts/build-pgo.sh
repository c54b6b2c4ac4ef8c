#!/usr/bin/env bash
# A release build of briefing-ls optimised with the profile of its own work (profile-guided
# optimisation, PGO): build once instrumented, run it over the project's own texts (the
# generated briefings of the benchmarks, the fixtures and the sample briefing: never the
# labelled briefings it is measured on), then build again with what that run recorded.
# The result behaves exactly as the plain release build (the same code; only the compiler's
# choices of inlining and layout differ) and analyses faster: see README, Benchmarks.
#
#   scripts/build-pgo.sh [CARGO BUILD ARGS...]    (default: --bin briefing-ls)
#
# The binary lands in target/pgo/release/ (a target directory of its own, so that plain
# `cargo build --release` and this build never rebuild each other). It needs the
# `llvm-profdata` of the LLVM that rustc uses (`rustc -vV`): rustup's `llvm-tools`
# component, or Debian's `llvm-N` package, which the script installs with apt when it runs
# as root. Without one it says so and makes a plain release build instead (exit status 0),
# unless PGO_REQUIRED=1.
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--bin briefing-ls)

major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
find_profdata() {
  local sysroot host c
  sysroot=$(rustc --print sysroot)
  host=$(rustc -vV | sed -n 's/^host: //p')
  for c in "$sysroot/lib/rustlib/$host/bin/llvm-profdata" \
    "/usr/lib/llvm-$major/bin/llvm-profdata" "$(command -v "llvm-profdata-$major" || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then
      echo "$c"
      return
    fi
  done
}
profdata=$(find_profdata)
if [ -z "$profdata" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "build-pgo: installing llvm-$major (llvm-profdata) with apt" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "llvm-$major" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "llvm-$major" >/dev/null 2>&1; } || true
  profdata=$(find_profdata)
fi
if [ -z "$profdata" ]; then
  if [ "${PGO_REQUIRED:-0}" = 1 ]; then
    echo "build-pgo: no llvm-profdata for LLVM $major (rustc's); install llvm-$major or rustup's llvm-tools" >&2
    exit 2
  fi
  echo "build-pgo: no llvm-profdata for LLVM $major (rustc's): plain release build instead" >&2
  CARGO_TARGET_DIR=target/pgo cargo build --release "${args[@]}"
  exit 0
fi

data="$PWD/target/pgo-data"
rm -rf "$data"
mkdir -p "$data/raw"

echo "== build-pgo: instrumented build" >&2
CARGO_TARGET_DIR=target/pgo-gen RUSTFLAGS="-Cprofile-generate=$data/raw" \
  cargo build --release --bin briefing-ls --example profile_scratch --example profile_edit
# What the build scripts recorded while the crates were built is not the analysis's.
rm -rf "$data/raw" && mkdir -p "$data/raw"

echo "== build-pgo: training on the project's own texts" >&2
gen=target/pgo-gen/release
mapfile -t texts < <(find tests/fixtures examples -name '*.md' | sort)
# The analysis from scratch and the edits of a generated briefing (1 MB, then 100 KB) and
# of the fixtures and the sample one after another, for the paths the generated text never
# takes (measured on real briefings, this added nothing over a training on the generated
# text and the CLI alone: README, Benchmarks).
mkdir -p "$data/texts"
for k in "${!texts[@]}"; do cp "${texts[$k]}" "$data/texts/$k.txt"; done
train() {
  N=2 "$@" "$gen/examples/profile_scratch" 2>/dev/null
  SIZE=100000 N=5 "$@" "$gen/examples/profile_scratch" 2>/dev/null
  N=40 "$@" "$gen/examples/profile_edit" >/dev/null 2>&1
}
train env -u REAL
train env REAL=1 LSP_BENCH_REAL="$data/texts"
# The language server over stdio as an editor drives it: the fixtures and the sample, then
# all of them as one document of 1 MB, each opened, edited, hovered, closed.
if command -v python3 >/dev/null; then
  python3 scripts/pgo-lsp-session.py "$gen/briefing-ls" --joined 1000000 "${texts[@]}"
else
  echo "build-pgo: no python3, the server's own code is left out of the training" >&2
fi
# Every check and output format on the fixtures and the sample.
for fmt in human json sarif; do
  "$gen/briefing-ls" check --format "$fmt" "${texts[@]}" >/dev/null 2>&1 || true
done
for fmt in table json csv; do
  "$gen/briefing-ls" figures --format "$fmt" "${texts[@]}" >/dev/null 2>&1 || true
done

"$profdata" merge -o "$data/merged.profdata" "$data/raw"

echo "== build-pgo: optimised build" >&2
CARGO_TARGET_DIR=target/pgo \
  RUSTFLAGS="-Cprofile-use=$data/merged.profdata -Cllvm-args=-pgo-warn-missing-function=false" \
  cargo build --release "${args[@]}"
echo "build-pgo: built in target/pgo/release" >&2
