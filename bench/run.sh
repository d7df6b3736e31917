#!/usr/bin/env bash
# Runs every benchmark: bench/*.sh scripts and the bench_* executables next to the mdata
# binary. Figures and ratios are printed; nothing is asserted.
#   usage: bench/run.sh BUILD/mdata [SCALE]
set -u
mdata=$1
scale=${2:-${BENCH_SCALE:-0.02}}
build=$(dirname "$mdata")
here=$(cd "$(dirname "$0")" && pwd)
export MDATA="$mdata" BENCH_SCALE="$scale" BENCH_BUILD="$build"
for s in "$here"/bench_*.sh; do
  [ -f "$s" ] || continue
  echo "== $(basename "$s")"
  bash "$s"
done
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
