#!/usr/bin/env bash
# Runs the script tests of one folder: for each NAME.mdata, runs `mdata run --json` on the
# test datastore and compares the result document with NAME.expected.json. A test with a
# NAME.check file instead runs that shell snippet with $OUT set to the result document and
# $MDATA/$STORE/$SCRIPT set, and passes when it exits 0. Ends with a ctest-style summary line.
#   usage: run_scripts.sh MDATA_BINARY DIR [--update]
set -u
mdata=$1
dir=$2
update=${3:-}
store=${MDATA_TEST_STORE:-$PWD/test-store}
if [ ! -d "$store" ]; then
  "$mdata" gen --scale 0.002 --seed 1 --out "$store" >/dev/null || { echo "cannot create test store"; exit 1; }
fi
pass=0; fail=0; failed=()
shopt -s nullglob
for script in "$dir"/*.mdata; do
  name=${script%.mdata}
  out=$(mktemp)
  extra=""
  [ -f "$name.args" ] && extra=$(cat "$name.args")
  # shellcheck disable=SC2086
  "$mdata" run --json --store "$store" $extra "$script" >"$out" 2>/dev/null
  if [ -f "$name.check" ]; then
    if OUT="$out" MDATA="$mdata" STORE="$store" SCRIPT="$script" bash "$name.check"; then
      pass=$((pass+1)); else fail=$((fail+1)); failed+=("$(basename "$name")"); fi
  elif [ -f "$name.expected.json" ] && [ "$update" != "--update" ]; then
    if diff -u "$name.expected.json" "$out" >/dev/null; then pass=$((pass+1)); else
      fail=$((fail+1)); failed+=("$(basename "$name")")
      diff -u "$name.expected.json" "$out" | head -40; fi
  else
    cp "$out" "$name.expected.json"; echo "wrote $name.expected.json"; pass=$((pass+1))
  fi
  rm -f "$out"
done
total=$((pass+fail))
for f in "${failed[@]}"; do echo "FAILED: $f"; done
if [ $total -eq 0 ]; then echo "100% tests passed, 0 tests failed out of 0"; exit 0; fi
echo "$((100*pass/total))% tests passed, $fail tests failed out of $total"
[ $fail -eq 0 ]
