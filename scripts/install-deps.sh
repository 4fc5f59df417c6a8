#!/usr/bin/env bash
# Installs Omen's build dependencies from Debian 12 packages (run as root). Idempotent:
# packages already present are skipped, so a second run is quick.
set -euo pipefail
pkgs=(cmake ninja-build g++ pkg-config antlr4 libantlr4-runtime-dev llvm-16-dev libeigen3-dev
      libboost-graph-dev libcurl4-openssl-dev nlohmann-json3-dev catch2 libedit-dev libfmt-dev
      uuid-dev libyaml-cpp-dev clang-format-16 ccache)
# python3-numpy and python3-pandas are only for the benchmarks: scripts/bench.sh installs them.
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "omen: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
