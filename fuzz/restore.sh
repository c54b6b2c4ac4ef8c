#!/usr/bin/env bash
# Unpack the corpora a campaign saved (saved/<target>.tar.xz, see save.sh) into
# work/<target>, so that the next campaign starts where the last one stopped.
#
#   fuzz/restore.sh [TARGET...]   (default: every saved target)
set -euo pipefail
cd "$(dirname "$0")"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in saved/*.tar.xz; do targets+=("$(basename "$f" .tar.xz)"); done
fi
mkdir -p work
for t in "${targets[@]}"; do
  tar -C work -xJf "saved/$t.tar.xz"
  echo "work/$t: $(ls "work/$t" | wc -l) inputs"
done
