#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one libFuzzer target on a seed corpus assembled now from the files
# the project and its shared documents already hold, so nothing is copied
# into the repository and new fixtures become seeds by themselves.
#
#   run-fuzz.sh TARGET_BINARY SECONDS [LIBFUZZER_ARGS…]
#
# Environment: CM_SOURCE_ROOT (the checkout), CM_SHARED_DIR (../shared),
# CM_FUZZ_CORPUS (optional: a folder that keeps the inputs libFuzzer finds,
# across runs; default a temporary folder removed on exit),
# CM_FUZZ_ARTIFACTS (optional: where crashes are written; default the
# current folder).
#
# Exit status: 0 when no crash, leak or timeout came up in the time given,
# 1 otherwise (not libFuzzer's default 77, which meson takes for a skip).
set -euo pipefail

binary=$1
seconds=$2
shift 2
name=$(basename "$binary")
root=${CM_SOURCE_ROOT:?}
shared=${CM_SHARED_DIR:-$root/../shared}

# Which files seed which target: the format each one reads, by extension.
case "$name" in
  fuzz-load|fuzz-node-link) patterns=('*.json') ;;
  fuzz-graphml) patterns=('*.graphml' '*.xml') ;;
  fuzz-gexf)    patterns=('*.gexf') ;;
  fuzz-gml)     patterns=('*.gml') ;;
  fuzz-csv)     patterns=('*.csv' '*.tsv' '*.txt') ;;
  fuzz-dot)     patterns=('*.dot' '*.gv') ;;
  fuzz-gdelt)   patterns=('*.csv' '*.CSV' '*.tsv') ;;
  *) echo "run-fuzz.sh: no seeds known for $name" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/cm-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
seeds=$work/seeds
mkdir -p "$seeds"

# Seeds larger than the inputs the fuzzer makes would only slow each run:
# keep the files of at most max_len bytes.
max_len=65536
find_args=()
for p in "${patterns[@]}"; do
  find_args+=(-o -name "$p")
done
n=0
for dir in "$root/data/examples" "$root/tests/data" "$shared/corpora" "$shared/datasets"; do
  [ -d "$dir" ] || continue
  while IFS= read -r -d '' f; do
    # A hash for a name: two fixtures with the same base name both count.
    cp "$f" "$seeds/$(printf '%s' "$f" | sha1sum | cut -c1-16)"
    n=$((n + 1))
  done < <(find "$dir" -type f -size -$((max_len + 1))c \( -false "${find_args[@]}" \) -print0)
done
# JSONTestSuite files have no .json extension in some copies: add them all
# to the JSON targets.
if [ "$name" = fuzz-load ] || [ "$name" = fuzz-node-link ]; then
  for dir in "$shared/corpora/jsontestsuite/test_parsing" "$shared/corpora/jsontestsuite/test_transform"; do
    [ -d "$dir" ] || continue
    while IFS= read -r -d '' f; do
      cp "$f" "$seeds/$(printf '%s' "$f" | sha1sum | cut -c1-16)"
      n=$((n + 1))
    done < <(find "$dir" -type f -print0)
  done
fi
echo "# $name: $n seed files, $seconds s"

corpus=${CM_FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"
artifacts=${CM_FUZZ_ARTIFACTS:-.}
mkdir -p "$artifacts"

# -timeout: one input taking 10 s is a hang (the loader's bound is well
# under a second); -rss_limit_mb: a leak or a blow-up, not a big input.
status=0
"$binary" "$corpus" "$seeds" \
  -max_total_time="$seconds" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
  -error_exitcode=1 -timeout_exitcode=1 -handle_trap=1 \
  -artifact_prefix="$artifacts/$name-" -print_final_stats=1 "$@" || status=$?
exit $status
