#!/usr/bin/env bash
# bench_scale1.sh - times the data and statistics commands of issues 3 and 4 through
# `mdata run`, once with --trusted and once under disclosure control, on a synthetic
# register (BENCH_STORE, else BENCH_BUILD/bench-store-SCALE made with `mdata gen --seed 1`;
# scale 1.0 = 5.5 million residents, the population: status code 1 on 2024-01-01). Each
# figure is one script run under /usr/bin/time minus the run of the same script without the
# measured command (a baseline), so loading and the commands before it cancel out. CPU seconds (user + system) are the figure that
# counts on a shared machine; wall seconds and peak RSS are printed beside them. Each script
# runs BENCH_RUNS times (default 1) and the smallest CPU time is kept. Prints figures and
# ratios, asserts nothing.
#   usage: MDATA=build/mdata BENCH_STORE=/tmp/bench-store bash bench/bench_scale1.sh
set -u
mdata=${MDATA:?set MDATA to the mdata binary}
scale=${BENCH_SCALE:-1.0}
store=${BENCH_STORE:-${BENCH_BUILD:-$(dirname "$mdata")}/bench-store-$scale}
runs=${BENCH_RUNS:-1}
reps=${BENCH_REPEATS:-5}
if [ ! -d "$store" ]; then
  echo "-- generating $store (scale $scale)"
  "$mdata" gen --scale "$scale" --seed 1 --out "$store" >/dev/null || { echo "gen failed"; exit 1; }
fi
work=$(mktemp -d /tmp/mdata-bench-scale1-XXXXXX)
trap 'rm -rf "$work"' EXIT

# ---- Scripts ---------------------------------------------------------------------------
head='require no.ssb.fdb:1.0.0 as db
create-dataset pop'
pop="$head
import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat
keep if regstat == \"1\""
script() { # name, text: writes $work/name.mdata
  printf '%s\n' "$2" > "$work/$1.mdata"
}
script empty "$head"
script pop "$pop"
script status "$pop
import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune"
script accum "$pop
import db/INNTEKT_WLONN 2023-12-31 as lonn"
three="$pop
import db/INNTEKT_UTSKATT 2023-12-31 as skatt
import db/INNTEKT_WLONN 2023-12-31 as lonn
import db/INNTEKT_WSAMINNT 2023-12-31 as saminnt"
script three "$three"
script generate "$three
generate g = (lonn + saminnt) * 2 - skatt / 3 > 100000"
fam="$pop
import db/INNTEKT_WLONN 2023-12-31 as lonn
import db/BEFOLKNING_REGSTAT_FAMNR 2024-01-01 as famnr
clone-dataset pop fam
use fam"
script fam "$fam"
script collapse "$fam
collapse (sum) lonn -> faminnt, by(famnr)"
script merge "$fam
collapse (sum) lonn -> faminnt, by(famnr)
merge faminnt into pop on famnr"
twenty="$pop
import db/INNTEKT_WLONN 2023-12-31 as lonn
import db/INNTEKT_WSAMINNT 2023-12-31 as saminnt
import db/BEFOLKNING_REGSTAT_FAMNR 2024-01-01 as famnr
import db/BEFOLKNING_KJOENN as kjonn
import db/BEFOLKNING_FOEDSELS_AAR_MND as fodt
import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune
import db/INNTEKT_WLONN 2022-12-31 as lonn22
import db/INNTEKT_WLONN 2021-12-31 as lonn21
import db/INNTEKT_WLONN 2020-12-31 as lonn20
import db/INNTEKT_WYRKINNT 2023-12-31 as yrk
import db/INNTEKT_BRUTTOFORM 2023-12-31 as formue
import db/INNTEKT_UTSKATT 2023-12-31 as skatt
import db/BEFOLKNING_REGSTAT_FAMTYP 2024-01-01 as famtype
import db/BEFOLKNING_MOR_FNR as mor
import db/BEFOLKNING_FAR_FNR as far
import db/SIVSTANDFDT_SIVSTAND 2023-12-31 as sivst
import db/NUDB_BU 2023-10-01 as nus
import db/BEFOLKNING_KOMMNR_FAKTISK 2024-01-01 as bosted
import db/BEFOLKNING_STATUSKODE 2023-01-01 as regstat23"
script twenty "$twenty"
stats="$pop
import db/BEFOLKNING_KJOENN as kjonn
import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune
import db/INNTEKT_WLONN 2023-12-31 as lonn
import db/INNTEKT_WSAMINNT 2023-12-31 as saminnt
import db/INNTEKT_UTSKATT 2023-12-31 as skatt"
script stats "$stats"
script tab "$stats
for i in 1 : $reps
tabulate kjonn kommune
end"
script sum "$stats
for i in 1 : $reps
summarize lonn saminnt skatt
end"

# ---- Measuring -------------------------------------------------------------------------
declare -A cpu wall rss
measure() { # name, mode (t = trusted, c = controlled): fills cpu/wall/rss[name.mode]
  local name=$1 mode=$2 flag="" best="" i line
  [ "$mode" = t ] && flag=--trusted
  for ((i = 0; i < runs; i++)); do
    if ! /usr/bin/time -f '%U %S %e %M' -o "$work/time" \
         "$mdata" run --store "$store" $flag "$work/$name.mdata" > "$work/out" 2>&1; then
      echo "   $name ($mode) FAILED:"; tail -3 "$work/out" | sed 's/^/     /'
      cpu[$name.$mode]=nan; wall[$name.$mode]=nan; rss[$name.$mode]=0; return
    fi
    line=$(tail -1 "$work/time")
    local c w m
    c=$(echo "$line" | awk '{printf "%.3f", $1 + $2}')
    w=$(echo "$line" | awk '{print $3}')
    m=$(echo "$line" | awk '{print $4}')
    if [ -z "$best" ] || [ "$(echo "$c < $best" | bc -l)" = 1 ]; then
      best=$c; cpu[$name.$mode]=$c; wall[$name.$mode]=$w; rss[$name.$mode]=$m
    fi
  done
}
net() { # name, baseline, mode, divisor: prints "cpu wall" net of the baseline
  local a=$1 b=$2 m=$3 d=${4:-1}
  if [ "${cpu[$a.$m]}" = nan ] || [ "${cpu[$b.$m]}" = nan ]; then echo "nan nan"; return; fi
  echo "(${cpu[$a.$m]} - ${cpu[$b.$m]}) / $d; (${wall[$a.$m]} - ${wall[$b.$m]}) / $d" |
    bc -l | tr '\n' ' '
}
row() { # label, name, baseline, divisor
  local t c ratio
  read -r tc tw <<< "$(net "$2" "$3" t "${4:-1}")"
  read -r cc cw <<< "$(net "$2" "$3" c "${4:-1}")"
  if [ "$tc" = nan ] || [ "$cc" = nan ]; then
    printf '%-52s %s\n' "$1" "failed (see above)"; return
  fi
  ratio=$(echo "if ($tc > 0) $cc / $tc else 0" | bc -l)
  printf '%-52s %8.3f %8.3f %8.3f %8.3f %6.2f\n' "$1" "$tc" "$tw" "$cc" "$cw" "$ratio"
}

echo "bench_scale1: store $store, $runs run(s) per script, $reps repeats of tabulate/summarize"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for name in empty pop status accum three generate fam collapse merge twenty stats tab sum; do
  measure "$name" t
  measure "$name" c
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "whole scripts (CPU s / wall s / peak RSS MB), trusted | controlled:"
for name in empty pop status accum three generate fam collapse merge twenty stats tab sum; do
  printf '  %-10s %8s %8s %7d | %8s %8s %7d\n' "$name" "${cpu[$name.t]}" "${wall[$name.t]}" \
    $(( ${rss[$name.t]} / 1024 )) "${cpu[$name.c]}" "${wall[$name.c]}" $(( ${rss[$name.c]} / 1024 ))
done
echo
printf '%-52s %8s %8s %8s %8s %6s\n' "command (net of its baseline script)" \
  "cpu-t" "wall-t" "cpu-c" "wall-c" "c/t"
row "import BEFOLKNING_STATUSKODE, keep residents" pop empty
row "import BEFOLKNING_KOMMNR_FORMELL 2024-01-01 (STATUS)" status pop
row "import INNTEKT_WLONN 2023-12-31 (ACCUMULATED)" accum pop
row "generate (lonn + saminnt) * 2 - skatt / 3 > 100000" generate three
row "collapse (sum) lonn -> faminnt, by(famnr)" collapse fam
row "merge faminnt into pop on famnr" merge collapse
row "tabulate kjonn kommune (per command)" tab stats "$reps"
row "summarize lonn saminnt skatt (per command)" sum stats "$reps"
echo
n_rss_t=$(( ${rss[twenty.t]} / 1024 )); n_rss_c=$(( ${rss[twenty.c]} / 1024 ))
echo "peak RSS with 20 imported variables: trusted $n_rss_t MB, controlled $n_rss_c MB" \
  "(target under 2048 MB)"
