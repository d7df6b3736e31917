#!/usr/bin/env bash
# bench_stats.sh - times tabulate of two variables and summarize of three variables over a
# synthetic register (BENCH_SCALE, default 1.0 = 5.5 million persons when run alone), in
# trusted mode and under disclosure control, each BENCH_REPEATS times (default 20) in one
# script, and prints the CPU time per command net of loading (CPU, not wall time: the
# machine is shared; the least of BENCH_RUNS runs, default 3) and the ratio controlled/trusted.
#   usage: MDATA=build/mdata BENCH_SCALE=1.0 [BENCH_WHAT="tab sum"] bash bench/bench_stats.sh
set -u
mdata=${MDATA:?set MDATA to the mdata binary}
scale=${BENCH_SCALE:-1.0}
store=${BENCH_STORE:-$(dirname "$mdata")/bench-store-$scale}
if [ ! -d "$store" ]; then
  "$mdata" gen --scale "$scale" --seed 1 --out "$store" >/dev/null || { echo "gen failed"; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prelude='require no.ssb.fdb:1.0.0 as db
create-dataset pop
import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat
import db/BEFOLKNING_KJOENN as kjonn
import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune
import db/INNTEKT_WLONN 2023-12-31 as lonn
import db/INNTEKT_WSAMINNT 2023-12-31 as saminnt
import db/INNTEKT_UTSKATT 2023-12-31 as skatt'
printf '%s\n' "$prelude" > "$work/load.mdata"
reps=${BENCH_REPEATS:-20}
printf '%s\nfor i in 1 : %s\ntabulate kjonn kommune\nend\n' "$prelude" "$reps" > "$work/tab.mdata"
printf '%s\nfor i in 1 : %s\nsummarize lonn saminnt skatt\nend\n' "$prelude" "$reps" > "$work/sum.mdata"
runs=${BENCH_RUNS:-3}
seconds() { # runs mdata BENCH_RUNS times; prints the least CPU seconds (user + system) used
  local TIMEFORMAT='%3U %3S' times best=""
  for ((run = 0; run < runs; run++)); do
    rm -f "$work"/audit*
    times=$( { time "$mdata" run --store "$store" --audit "$work/audit" "$@" \
                 >/dev/null 2>&1; } 2>&1 )
    best=$(echo "$times $best" | awk '{t = $1 + $2; if (NF > 2 && $3 < t) t = $3; print t}')
  done
  echo "$best"
}
base_t=$(seconds --trusted "$work/load.mdata")
base_c=$(seconds "$work/load.mdata")
for what in ${BENCH_WHAT:-tab sum}; do
  t=$(seconds --trusted "$work/$what.mdata")
  c=$(seconds "$work/$what.mdata")
  net_t=$(echo "($t - $base_t) / $reps" | bc -l)
  net_c=$(echo "($c - $base_c) / $reps" | bc -l)
  ratio=$(echo "if ($net_t > 0) $net_c / $net_t else 0" | bc -l)
  printf '%s scale %s: CPU trusted %.3fs controlled %.3fs (%s repeats; per command net of loading: %.4fs vs %.4fs, ratio %.2f)\n' \
    "$what" "$scale" "$t" "$c" "$reps" "$net_t" "$net_c" "$ratio"
done
