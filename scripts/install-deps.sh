#!/usr/bin/env bash
# Installs the Debian 12 packages mdata needs to build, test and run. Idempotent: only
# packages that are missing are installed, so a second run does nothing. Needs root (or sudo)
# the first time on a fresh machine.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libjansson-dev libsqlite3-dev libsodium-dev libmicrohttpd-dev
  libopenblas-dev liblapacke-dev libgsl-dev libssl-dev libzstd-dev
  libcmocka-dev
  clang-14 libclang-rt-14-dev
  python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# apt can be briefly locked or a mirror briefly unreachable: try three times.
for try in 1 2 3; do
  if $SUDO apt-get update -qq &&
     $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    exit 0
  fi
  echo "install-deps: apt-get failed (try $try of 3)"
  sleep $((try * 10))
done
echo "install-deps: could not install ${missing[*]}" >&2
exit 1
