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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
