#!/bin/bash
# The benchmark command (docs/benchmarks.md): builds Omen in Release and runs everything in
# bench/, printing markdown tables to stdout.
#
#   scripts/bench.sh [--quick] [--data DIR] [--build DIR] [--reps N] [--update-docs]
#                    [--only core|jit|score|validate|causal|startup]
#
#   --quick        smaller runs: about 30 s instead of 3 minutes after the build (the first
#                  Release build takes 10-15 minutes at -j2 on a shared 2-core machine)
#   --data DIR     shared data sets (NAB, PetShop, causal-learn); default ../shared/data
#                  relative to the repository, i.e. /work/shared/data
#   --build DIR    build directory; default build-bench
#   --reps N       repetitions per measurement (median reported); default 5
#   --update-docs  also replace the generated section of docs/benchmarks.md with this run
#   --only PART    run one part: core (bench/core), jit (bench/jit), score (bench/score),
#                  validate (bench/validate, the unsupervised NAB run), causal (bench/causal),
#                  startup (bench/startup.sh: `omen` start-up with hyperfine; skipped when
#                  hyperfine is missing)
#
# Bench-only requirements: Debian's python3-numpy and python3-pandas for the Python baselines
# of `core` (not needed by the build or by scripts/test.sh). When they are missing, bench.sh
# installs them with apt-get if it runs as root, else it skips the Python baselines and says so.
#
# Environment: JOBS (default 2) build parallelism; OMEN_BENCH_COMMIT names the commit when the
# tree is not a git checkout (e.g. a `git archive` export); PYTHON (default /usr/bin/python3, Debian's,
# with numpy and pandas) for the Python baselines, run without OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-bench
data=$root/../shared/data
quick=0
reps=5
update_docs=0
only=all
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --data) data=$2; shift ;;
    --build) build=$2; shift ;;
    --reps) reps=$2; shift ;;
    --update-docs) update_docs=1 ;;
    --only) only=$2; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case $only in
  all | core | jit | score | validate | causal | startup) ;;
  *) echo "bench.sh: --only takes core, jit, score, validate, causal or startup" >&2; exit 2 ;;
esac
data=$(cd "$data" 2>/dev/null && pwd || echo "$data")
jobs=${JOBS:-2}
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$build"
build=$(cd "$build" && pwd)
out=$build/bench-out
mkdir -p "$out"
results=$out/results.md
quick_flag=()
[ $quick = 1 ] && quick_flag=(--quick)
started=$(date +%s)

log() { echo "bench.sh: $*" >&2; }
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }

# The Python baselines need numpy and pandas (bench only: scripts/test.sh does not).
if want core && ! "$python" -c 'import numpy, pandas' 2>/dev/null &&
  [ "$python" = /usr/bin/python3 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing python3-numpy python3-pandas (Python baselines)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-numpy python3-pandas >"$out/apt.log" 2>&1 ||
    { apt-get update -qq >>"$out/apt.log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-numpy python3-pandas >>"$out/apt.log" 2>&1; } ||
    log "apt-get failed (see $out/apt.log); the Python baselines will be skipped"
fi

log "building (Release, -j$jobs) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$out/cmake.log" 2>&1 ||
  { cat "$out/cmake.log" >&2; exit 1; }
targets=(omen_cli omen_core_bench)
want causal && targets+=(causal_petshop_bench causal_discovery_bench)
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$out/build.log" 2>&1 ||
  { tail -50 "$out/build.log" >&2; exit 1; }
# bench/jit (the JIT's own micro benchmarks) exists only in builds with the JIT.
have_jit_bench=0
if want jit && [ -f "$root/bench/jit/CMakeLists.txt" ]; then
  cmake --build "$build" -j"$jobs" --target jit_bench >>"$out/build.log" 2>&1 && have_jit_bench=1 ||
    log "bench/jit: jit_bench does not build here (no JIT?); skipped"
fi

have_validate_bench=0
if want validate; then
  cmake --build "$build" -j"$jobs" --target nab_validate_bench >>"$out/build.log" 2>&1 &&
    have_validate_bench=1 || log "bench/validate: nab_validate_bench does not build here; skipped"
fi
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }

# Everything that follows goes to stdout and to $results.
exec 3>&1 > >(tee "$results")
teepid=$!
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "${OMEN_BENCH_COMMIT:-unknown}")
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ", with uncommitted changes" || true)
echo "# Omen benchmarks"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(uname -m)), commit $commit$dirty:"
echo "\`scripts/bench.sh${quick_flag:+ --quick}$([ "$reps" != 5 ] && echo " --reps $reps")$([ "$only" != all ] && echo " --only $only")\`" \
  "(Release, GCC $(gcc -dumpversion), LLVM 16; data $data)."
echo "Machine load at the start (load averages 1/5/15 min, $(nproc) cores): $(loadavg)."
echo

core=$build/bench/core/omen_core_bench
if want core; then
  log "core: throughput"
  pycmd="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $python"
  if ! $python -c 'import numpy, pandas' 2>/dev/null; then
    log "no numpy/pandas in $python: Python baselines skipped"
    pycmd=""
  fi
  "$core" throughput "${quick_flag[@]}" --reps "$reps" --out "$out" \
    ${pycmd:+--python "$pycmd" --python-script "$root/bench/core/python_baseline.py"}
  log "core: compile latency"
  "$core" compile "${quick_flag[@]}"
  log "core: 1,000-rule file"
  "$core" rules1000 "${quick_flag[@]}" --reps "$reps" --out "$out" --omen "$build/omen"
  log "core: memory"
  "$core" memory "${quick_flag[@]}"
  log "core: per-sample vs batch push, reload latency"
  "$core" push "${quick_flag[@]}" --reps "$reps"
fi

if want jit && [ $have_jit_bench = 1 ]; then
  log "jit: JIT micro benchmarks (bench/jit)"
  iters=$([ $quick = 1 ] && echo 50 || echo 200)
  echo "## JIT micro benchmarks (bench/jit)"
  echo
  echo "\`jit_bench --iters $iters\`"
  echo
  echo '```'
  "$build/bench/jit/jit_bench" --iters "$iters"
  echo '```'
  echo
fi

if want score; then
  log "score: NAB windowed Gaussian (bench/score/run_nab_gaussian.sh)"
  echo "## Scorer check: NAB's windowed Gaussian on the NAB corpus (docs/scoring.md)"
  echo
  echo "\`bench/score/run_nab_gaussian.sh $data/nab\`"
  echo
  if [ -d "$data/nab" ]; then
    OMEN_SCORE_BENCH_BUILD=$build "$root/bench/score/run_nab_gaussian.sh" "$data/nab"
  else
    echo "- skipped: no $data/nab"
  fi
  echo
fi

if want validate && [ $have_validate_bench = 1 ]; then
  log "validate: unsupervised NAB rule set (bench/validate)"
  echo "## NAB with Omen rules: the unsupervised rule set (docs/validate.md)"
  echo
  echo "\`nab_validate_bench unsupervised $data/nab --jobs 2\`"
  echo
  if [ -d "$data/nab" ]; then
    "$build/bench/validate/nab_validate_bench" unsupervised "$data/nab" --jobs 2
  else
    echo "- skipped: no $data/nab"
  fi
  echo
fi

if want startup; then
  log "startup: omen start-up (bench/startup.sh)"
  echo "## Start-up: short \`omen\` invocations (bench/startup.sh)"
  echo
  if command -v hyperfine >/dev/null; then
    "$root/bench/startup.sh" --omen "$build/omen" --runs $([ $quick = 1 ] && echo 10 || echo 30)
  else
    echo "- skipped: no hyperfine (apt-get install hyperfine)"
  fi
  echo
fi

if want causal; then
  log "causal: PetShop RCA and causal-learn discovery"
  echo "## Causal: PetShop root-cause analysis (docs/causal.md)"
  echo
  reps_causal=$([ $quick = 1 ] && echo 1 || echo 3)
  echo "\`causal_petshop_bench $data --repeat $reps_causal\`"
  echo
  (cd "$root" && "$build/bench/causal/causal_petshop_bench" "$data" --repeat "$reps_causal")
  echo
  echo "## Causal: discovery on causal-learn's linear SEM data (docs/causal.md)"
  echo
  echo "\`causal_discovery_bench $data --repeat $reps_causal\`"
  echo
  (cd "$root" && "$build/bench/causal/causal_discovery_bench" "$data" --repeat "$reps_causal")
  echo
fi

echo "Total bench.sh time: $(( $(date +%s) - started )) s (including the build)." \
  "Machine load at the end: $(loadavg)."
exec 1>&3 3>&-
wait "$teepid" 2>/dev/null || true

if [ $update_docs = 1 ]; then
  doc=$root/docs/benchmarks.md
  begin='<!-- bench.sh:begin (generated by scripts/bench.sh --update-docs; do not edit by hand) -->'
  end='<!-- bench.sh:end -->'
  if [ -f "$doc" ] && grep -qF "$begin" "$doc"; then
    "$python" - "$doc" "$results" "$begin" "$end" <<'EOF'
import sys
doc, res, begin, end = sys.argv[1:]
text = open(doc).read()
body = open(res).read().replace("# Omen benchmarks\n\n", "", 1)
# One level deeper: the doc's own sections are '##'.
body = "\n".join(("#" + l if l.startswith("#") else l) for l in body.splitlines())
a = text.index(begin) + len(begin)
b = text.index(end)
open(doc, "w").write(text[:a] + "\n\n" + body.strip() + "\n\n" + text[b:])
EOF
    log "updated $doc"
  else
    log "docs/benchmarks.md has no generated section; results are in $results"
  fi
fi
log "results: $results"
