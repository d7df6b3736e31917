#!/usr/bin/env bash
# bench_gen.sh - times `mdata gen` (the synthetic register) with /usr/bin/time -v: wall
# time, CPU time and peak memory, then the store's size on disk, at scale 0.02 and, when
# BENCH_FULL=1, at scale 1.0 (Norway; needs minutes and a few GB of disk). Prints figures,
# asserts nothing.
#   usage: MDATA=build/mdata bench/bench_gen.sh      (bench/run.sh sets MDATA)
set -u
mdata=${MDATA:-${1:-build/mdata}}
workdir=${BENCH_GEN_DIR:-$(mktemp -d /tmp/mdata-bench-gen-XXXXXX)}
threads=${BENCH_THREADS:-2}

run_one() {
  local scale=$1
  local out="$workdir/store-$scale"
  rm -rf "$out"
  local log="$workdir/time-$scale.txt"
  echo "-- mdata gen --scale $scale --threads $threads"
  if ! /usr/bin/time -v "$mdata" gen --scale "$scale" --seed 1 --threads "$threads" \
       --out "$out" 2> "$log"; then
    echo "mdata gen failed:"; tail -5 "$log"; return 1
  fi
  grep -E "Elapsed \(wall clock\)|User time|System time|Maximum resident set size" "$log" |
    sed 's/^[[:space:]]*/  /'
  echo "  store size on disk: $(du -sh "$out" | cut -f1)  (parts: $(du -sh "$out/parts" 2>/dev/null | cut -f1), histories: $(du -sh "$out/gen" | cut -f1))"
}

run_one "${BENCH_GEN_SCALE:-0.02}"
if [ "${BENCH_FULL:-0}" = "1" ]; then
  run_one 1.0
fi
if [ -z "${BENCH_GEN_DIR:-}" ] && [ "${BENCH_KEEP:-0}" != "1" ]; then
  rm -rf "$workdir"
fi
