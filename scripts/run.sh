#!/usr/bin/env bash
# `make run`: puts `mdata` on the PATH, creates the default synthetic datastore on first
# start, shows what it holds and runs the demo script on it. (Once the server exists this
# starts it instead of the demo.)
#   usage: scripts/run.sh BUILD/mdata STORE_DIR SCALE
set -euo pipefail
mdata=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
store=$2
scale=$3
root=$(cd "$(dirname "$0")/.." && pwd)

# Make `mdata` a command: /usr/local/bin when writable (root), else ~/.local/bin.
for bin in /usr/local/bin "$HOME/.local/bin"; do
  if mkdir -p "$bin" 2>/dev/null && [ -w "$bin" ]; then
    ln -sf "$mdata" "$bin/mdata"
    case ":$PATH:" in *":$bin:"*) ;; *) echo "note: add $bin to your PATH to type 'mdata'";; esac
    break
  fi
done

if [ ! -d "$store" ]; then
  echo "Creating the default synthetic datastore (scale $scale) in $store ..."
  mkdir -p "$(dirname "$store")"
  "$mdata" gen --scale "$scale" --seed 1 --out "$store"
fi

echo
echo "== The datastore: income variables (mdata catalog inntekt)"
"$mdata" catalog --store "$store" inntekt | head -25 || true  # head closes the pipe early
echo
echo "== A demo script (examples/demo.mdata)"
cat "$root/examples/demo.mdata"
echo
echo "== Its results"
"$mdata" run --store "$store" "$root/examples/demo.mdata" || true
echo
echo "Try: mdata catalog inntekt    mdata catalog INNTEKT_WLONN    mdata repl"
