#!/usr/bin/env bash
# Fails when a C file under src/ does not open with a comment, or when code outside
# src/base calls malloc/free directly (all heap memory goes through base/mem).
set -u
root=${1:-.}
bad=0
for f in $(find "$root/src" -name '*.c' -o -name '*.h' | sort); do
  first=$(head -c 2 "$f")
  if [ "$first" != "/*" ]; then echo "missing top comment: $f"; bad=1; fi
done
raw=$(grep -rnE '\b(malloc|calloc|realloc|free|strdup|rand|srand)\(' "$root/src" --include='*.c' \
      | grep -v '^'"$root"'/src/base/mem.c' | grep -vE 'md_(malloc|calloc|realloc|free|strdup)|_free\(|json_|sodium|//|\* ' || true)
if [ -n "$raw" ]; then echo "raw allocation or rand() outside base/mem.c:"; echo "$raw"; bad=1; fi
seal=$(grep -rln 'released_seal.h' "$root/src" | grep -vE '/src/(sdc|result)/' || true)
if [ -n "$seal" ]; then echo "only src/sdc may include released_seal.h:"; echo "$seal"; bad=1; fi
# docs/architecture.md keeps a source-tree map: every file under src/ must be listed there.
for f in $(find "$root/src" -name '*.c' -o -name '*.h' | sort); do
  if ! grep -q "\`$(basename "$f")\`" "$root/docs/architecture.md"; then
    echo "not in the source-tree map of docs/architecture.md: ${f#$root/} (python3 scripts/source-map.py)"
    bad=1
  fi
done
if [ $bad -eq 0 ]; then echo "top comments and allocation check: 100% tests passed, 0 tests failed"; fi
exit $bad
