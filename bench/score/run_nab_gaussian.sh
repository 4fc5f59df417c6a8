#!/bin/sh
# Scorer check (docs/scoring.md, "Benchmarks"): builds bench/score standalone (Release, -j2) and
# runs NAB's windowed-Gaussian detector over the NAB corpus, scored by omen_score.
#   bench/score/run_nab_gaussian.sh [DATA_DIR] [extra nab_gaussian_bench flags]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${OMEN_SCORE_BENCH_BUILD:-$root/build-score-bench}
data=${1:-/work/shared/data/nab}
[ $# -gt 0 ] && shift
cmake -S "$root/bench/score" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 >/dev/null
exec "$build/nab_gaussian_bench" "$data" "$@"
