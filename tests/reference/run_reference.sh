#!/usr/bin/env bash
# run_reference.sh - imports the reference data sets of tests/reference/data into a fresh
# temporary datastore, runs reference.mdata.in there with --trusted --json, and compares
# every number with expected.json (computed independently by make_reference.py with scipy).
#   usage: tests/reference/run_reference.sh MDATA_BINARY
set -u
mdata=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store=$work/store
"$mdata" import --store "$store" --init test.reference "$here"/data/REF_* >"$work/import.log" 2>&1 \
  || { echo "import failed"; cat "$work/import.log"; exit 1; }
label=$("$mdata" release --store "$store" 2>"$work/release.log" | tail -1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*')
[ -n "$label" ] || { echo "release failed"; cat "$work/release.log"; exit 1; }
sed "s/@DATASTORE@/test.reference:$label/" "$here/reference.mdata.in" > "$work/reference.mdata"
"$mdata" run --trusted --json --store "$store" "$work/reference.mdata" > "$work/result.json" 2>"$work/run.log"
python3 "$here/check_reference.py" "$work/result.json" "$here/expected.json"
