#!/bin/sh
# Scorer check (docs/scoring.md, "Benchmarks"): builds nab_gaussian_bench (Release, -j2) and
# runs NAB's windowed-Gaussian detector over the NAB corpus, scored by omen_score.
#   bench/score/run_nab_gaussian.sh [DATA_DIR] [extra nab_gaussian_bench flags]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${OMEN_SCORE_BENCH_BUILD:-$root/build}
data=${1:-/work/shared/data/nab}
[ $# -gt 0 ] && shift
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target nab_gaussian_bench >/dev/null
exec "$build/bench/score/nab_gaussian_bench" "$data" "$@"
