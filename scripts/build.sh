#!/usr/bin/env bash
# Configures and builds Omen with CMake + Ninja into ${OMEN_BUILD_DIR:-build}.
# Extra CMake options can be passed as arguments, e.g. -DOMEN_SANITIZE=ON.
# OMEN_TARGETS (space-separated) builds only those targets, e.g. OMEN_TARGETS=omen_cli for the
# `omen` command and the JIT plugin it loads; default: everything.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${OMEN_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${OMEN_BUILD_TYPE:-Release} "$@" >/dev/null
# OMEN_TARGETS: build only these targets (default: everything).
targets=()
for t in ${OMEN_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j "$(nproc)" "${targets[@]}"
