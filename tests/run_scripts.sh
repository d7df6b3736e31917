#!/usr/bin/env bash
# Runs the script tests of one folder: for each NAME.mdata, runs `mdata run --json` on the
# test datastore and compares the result document with NAME.expected.json. A test with a
# NAME.check file instead runs that shell snippet with $OUT set to the result document and
# $MDATA/$STORE/$SCRIPT set, and passes when it exits 0. A sanitizer report (ASan, LSan,
# UBSan) on mdata's stderr fails the test whatever its output. Ends with a ctest-style
# summary line.
#   usage: run_scripts.sh MDATA_BINARY DIR [--update]
#          run_scripts.sh MDATA_BINARY --make-store
# The test store ($MDATA_TEST_STORE, else ./test-store) is made once per build directory
# by `mdata gen --scale 0.002 --seed 1`, under a lock so that suites started in parallel
# never race, into a temporary folder renamed into place when complete; it is made again
# when the mdata binary is newer than the store. ctest runs --make-store as a fixture.
# `mdata gen` is deterministic in its seed but draws the store's secret key at random, and the
# noise of every released number is keyed by it; so the test store gets a fixed secret key
# (TEST_KEY below) and the expected documents are the same on every machine.
# A script without an expected document has its output written as one (review and commit
# it); under CI (CI=true) that fails instead, since a fresh clone would check nothing.
set -u
mdata=$1
dir=$2
update=${3:-}
store=${MDATA_TEST_STORE:-$PWD/test-store}
# sha256("mdata test store, gen --scale 0.002 --seed 1"): not a secret, only fixed.
TEST_KEY=34f4b0b6f0f418643120618fd6e8adee81dc5b7c7f9a7b6fc8cef7f67315e51a
sanitizer_re='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehavior'

# Makes the test store unless a complete one newer than the binary exists. Holds the lock.
make_store() {
    mkdir -p "$(dirname "$store")"
    exec 9>"$store.lock"
    flock 9
    if [ -f "$store/.complete" ] && [ "$store/.complete" -nt "$mdata" ]; then
        exec 9>&-
        return 0
    fi
    local tmp="$store.tmp.$$" t0=$SECONDS
    rm -rf "$tmp"
    if ! "$mdata" gen --scale 0.002 --seed 1 --quiet --out "$tmp" >"$store.gen.log" 2>&1; then
        echo "cannot create test store: mdata gen failed; last lines of $store.gen.log:"
        tail -20 "$store.gen.log"
        rm -rf "$tmp"
        exec 9>&-
        return 1
    fi
    # shellcheck disable=SC2059
    (umask 077 && printf "$(echo "$TEST_KEY" | sed 's/../\\x&/g')" >"$tmp/secret.key")
    touch "$tmp/.complete"
    rm -rf "$store"
    mv "$tmp" "$store"
    echo "test store made in $((SECONDS - t0)) s: $store"
    exec 9>&-
}

if [ "$dir" = "--make-store" ]; then
    if make_store; then
        echo "100% tests passed, 0 tests failed out of 1"
        exit 0
    fi
    echo "0% tests passed, 1 tests failed out of 1"
    exit 1
fi
make_store || exit 1

pass=0; fail=0; failed=(); slow=()
suite_t0=$SECONDS
shopt -s nullglob
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for script in "$dir"/*.mdata; do
    name=${script%.mdata}
    base=$(basename "$name")
    out=$work/out.json
    errlog=$work/stderr.txt
    extra=""
    [ -f "$name.args" ] && extra=$(cat "$name.args")
    t0=$SECONDS
    # Each test gets its own audit log, so one test's releases never refuse another's.
    export MDATA_AUDIT="$work/$base.audit"
    rm -f "$MDATA_AUDIT"
    # shellcheck disable=SC2086
    "$mdata" run --json --store "$store" $extra "$script" >"$out" 2>"$errlog"
    ok=1
    if grep -qE "$sanitizer_re" "$errlog"; then
        ok=0
        echo "--- $base: sanitizer report from mdata:"
        grep -E -A12 "$sanitizer_re" "$errlog" | head -30
    fi
    if [ -f "$name.check" ]; then
        if ! OUT="$out" MDATA="$mdata" STORE="$store" SCRIPT="$script" bash "$name.check" \
                >"$work/check.txt" 2>&1; then
            ok=0
            echo "--- $base: check failed:"
            head -20 "$work/check.txt"
        fi
    elif [ -f "$name.expected.json" ] && [ "$update" != "--update" ]; then
        if ! diff -u "$name.expected.json" "$out" >"$work/diff.txt"; then
            ok=0
            echo "--- $base: result differs from $base.expected.json:"
            head -40 "$work/diff.txt"
        fi
    elif [ "${CI:-}" = true ] && [ "$update" != "--update" ]; then
        ok=0
        echo "--- $base: no $base.expected.json (run with --update, review, commit it)"
    else
        cp "$out" "$name.expected.json"
        echo "wrote $name.expected.json"
    fi
    dt=$((SECONDS - t0))
    [ "$dt" -ge 20 ] && slow+=("$base (${dt} s)")
    if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$base"); fi
done
total=$((pass + fail))
for s in "${slow[@]}"; do echo "slow: $s"; done
for f in "${failed[@]}"; do echo "FAILED: $f"; done
echo "$(basename "$dir"): $total scripts in $((SECONDS - suite_t0)) s"
if [ $total -eq 0 ]; then echo "100% tests passed, 0 tests failed out of 0"; exit 0; fi
echo "$((100 * pass / total))% tests passed, $fail tests failed out of $total"
[ $fail -eq 0 ]
