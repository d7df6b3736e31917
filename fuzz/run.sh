#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each, starting from its seed corpus in
# fuzz/corpus/<target>/ when present, JOBS targets at a time (default 1). A crash, leak,
# sanitizer report or an input slower than FUZZ_TIMEOUT seconds (default 30) fails the target;
# the failing input is kept in BUILD_DIR/fuzz-artifacts/<target>/ and the end of the log is
# printed. Ends with a ctest-style summary line; exits non-zero when a target failed.
#   usage: fuzz/run.sh BUILD_DIR SECONDS      (env: JOBS, FUZZ_TIMEOUT)
set -u
build=$1
seconds=${2:-60}
jobs=${JOBS:-1}
timeout=${FUZZ_TIMEOUT:-30}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# Runs one target in its own scratch folder; writes "pass" or "fail" to $results/NAME.
fuzz_one() {
    local f=$1 name work seeds=()
    name=$(basename "$f")
    work=$(mktemp -d)
    mkdir -p "$work/corpus"
    [ -d "$here/corpus/$name" ] && seeds=("$here/corpus/$name")
    if (cd "$work" && "$f" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
            -timeout="$timeout" -print_final_stats=1 "$work/corpus" "${seeds[@]}" \
            >"$work/log" 2>&1); then
        echo pass >"$results/$name"
        echo "fuzz $name: passed, $(grep -E '^stat::number_of_executed_units' "$work/log" \
              | awk '{print $2}') runs in ${seconds} s"
    else
        echo fail >"$results/$name"
        mkdir -p "$build/fuzz-artifacts/$name"
        cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* \
           "$build/fuzz-artifacts/$name/" 2>/dev/null
        { echo "FAILED: $name (inputs kept in $build/fuzz-artifacts/$name/)"
          grep -vE '^(#[0-9]+|INFO:|stat::|\s*NEW_FUNC)' "$work/log" | tail -40; } >"$results/$name.out"
        cat "$results/$name.out"
    fi
    rm -rf "$work"
}

targets=()
for f in "$build"/fuzz/fuzz_*; do
    [ -x "$f" ] && [ -f "$f" ] && targets+=("$f")
done
t0=$SECONDS
echo "fuzzing ${#targets[@]} targets for ${seconds} s each, $jobs at a time"
running=0
for f in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
    fuzz_one "$f" &
    running=$((running + 1))
done
wait

pass=0; fail=0; failed=()
for f in "${targets[@]}"; do
    name=$(basename "$f")
    if [ "$(cat "$results/$name" 2>/dev/null)" = pass ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed+=("$name")
    fi
done
total=$((pass + fail))
for n in "${failed[@]}"; do echo "FAILED: $n"; done
echo "fuzz: $total targets in $((SECONDS - t0)) s"
if [ $total -eq 0 ]; then echo "no fuzz target was built in $build/fuzz"; exit 1; fi
echo "$((100 * pass / total))% tests passed, $fail tests failed out of $total"
[ $fail -eq 0 ]
