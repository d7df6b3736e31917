#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each, starting from its seed corpus in
# fuzz/corpus/<target>/ when present. Fails on the first crash, leak or sanitizer report.
#   usage: fuzz/run.sh BUILD_DIR SECONDS
set -u
build=$1
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
pass=0; fail=0
for f in "$build"/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  work=$(mktemp -d)
  seeds=()
  [ -d "$here/corpus/$name" ] && seeds=("$here/corpus/$name")
  echo "fuzzing $name for ${seconds}s"
  if (cd "$work" && "$f" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
        -print_final_stats=0 "$work" "${seeds[@]}" >"$work/log" 2>&1); then
    pass=$((pass+1))
  else
    fail=$((fail+1)); echo "FAILED: $name"; tail -30 "$work/log"
  fi
  rm -rf "$work"
done
total=$((pass+fail))
if [ $total -eq 0 ]; then echo "100% tests passed, 0 tests failed out of 0"; exit 0; fi
echo "$((100*pass/total))% tests passed, $fail tests failed out of $total"
[ $fail -eq 0 ]
