#!/usr/bin/env bash
# Runs the stages of `make test` (by default unit, asan, fuzz) one after the other, each as
# `make STAGE`, going on after a failed stage so that one run reports every failure. Prints
# each stage's time and result, the tests counted from each stage's ctest-style summary line,
# and a closing "total: N passed, N failed" line. Exits non-zero when any stage failed.
#   usage: scripts/test-stages.sh [STAGE...]     (MAKE may name the make program)
set -u
cd "$(dirname "$0")/.."
make=${MAKE:-make}
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(unit asan fuzz)
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT
summary=(); failed_stages=0; passed=0; failed=0
t_all=$SECONDS
for s in "${stages[@]}"; do
    echo "===== stage $s: started $(date -u +%H:%M:%S) UTC"
    t0=$SECONDS
    "$make" --no-print-directory "$s" 2>&1 | tee "$logdir/$s.log"
    rc=${PIPESTATUS[0]}
    dt=$((SECONDS - t0))
    # The stage's last "X% tests passed, F tests failed out of N" line gives its counts.
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$logdir/$s.log" \
           | tail -1)
    if [ -n "$line" ]; then
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
        n=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
        passed=$((passed + n - f)); failed=$((failed + f))
    fi
    if [ "$rc" -eq 0 ]; then
        result="passed"
    else
        result="FAILED (exit $rc)"
        failed_stages=$((failed_stages + 1))
        # A stage that failed without failing a test (a build error) counts as one failure.
        if [ -z "$line" ] || [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
    fi
    summary+=("$(printf '%-6s %-18s %5d s   %s' "$s" "$result" "$dt" "${line:-no summary line}")")
    echo "===== stage $s: $result in $dt s"
done
echo
echo "===== make test summary ($((SECONDS - t_all)) s in all)"
for l in "${summary[@]}"; do echo "$l"; done
echo "total: $passed passed, $failed failed"
[ "$failed_stages" -eq 0 ]
