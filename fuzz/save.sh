#!/usr/bin/env bash
# Keep a campaign's coverage for the next one: merge each target's working corpus
# (work/<target>, grown by `cargo fuzz run`) down to the inputs that add coverage
# (libFuzzer's -merge=1) and pack them into saved/<target>.tar.xz, which is committed.
# `./restore.sh` unpacks them into work/ before the next campaign.
#
#   fuzz/save.sh [TARGET...]      (default: every target with a work/ corpus)
#
# Needs the fuzz targets built (`cargo +nightly fuzz build -O`).
set -euo pipefail
cd "$(dirname "$0")"
bin=target/x86_64-unknown-linux-gnu/release
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in work/*/; do targets+=("$(basename "$d")"); done
fi
mkdir -p saved
for t in "${targets[@]}"; do
  [ -d "work/$t" ] || { echo "no work/$t" >&2; exit 2; }
  [ -x "$bin/$t" ] || { echo "$bin/$t not built" >&2; exit 2; }
  tmp=$(mktemp -d)
  mkdir "$tmp/$t"
  "$bin/$t" -merge=1 -max_len=8192 -timeout=20 -rss_limit_mb=3072 \
    "$tmp/$t" "work/$t" "corpus/$t" 2>"$tmp/merge.log" >/dev/null
  tail -n 1 "$tmp/merge.log"
  tar -C "$tmp" -cf - "$t" | xz -6 >"saved/$t.tar.xz.new"
  mv "saved/$t.tar.xz.new" "saved/$t.tar.xz"
  echo "saved/$t.tar.xz: $(ls "$tmp/$t" | wc -l) inputs, $(du -h "saved/$t.tar.xz" | cut -f1)"
  rm -rf "$tmp"
done
