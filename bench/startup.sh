#!/usr/bin/env bash
# Start-up benchmark (docs/benchmarks.md, "Start-up"): wall and CPU time of short `omen`
# invocations, measured with hyperfine (apt-get install hyperfine).
#
#   bench/startup.sh [--omen PATH] [--baseline PATH] [--runs N] [--warmup N]
#
#   --omen PATH      the binary to measure; default build/omen (its libomen_jit.so beside it)
#   --baseline PATH  a second binary measured in the same session (e.g. an older build):
#                    every command is run with both, and the table gives the ratio
#   --runs N         runs per command (default 30); --warmup N (default 5) runs first
#
# Prints a markdown table: per command, the median and minimum wall time and the mean CPU
# time (user + system). On a shared machine wall time is noisy (waiting for a core); CPU
# time is what the process itself costs. The machine load is printed with the table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
omen=$root/build/omen
baseline=""
runs=30
warmup=5
while [ $# -gt 0 ]; do
  case $1 in
    --omen) omen=$2; shift ;;
    --baseline) baseline=$2; shift ;;
    --runs) runs=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "startup.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command -v hyperfine >/dev/null || { echo "startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -x "$omen" ] || { echo "startup.sh: no $omen (build it: cmake --build build --target omen_cli)" >&2; exit 1; }
q=$root/examples/quickstart
cases=(
  "--help"
  "check $q/cpu.omen"
  "run --tier interp $q/cpu.omen --data $q/ec2_cpu.csv"
  "run --tier jit $q/cpu.omen --data $q/ec2_cpu.csv"
  "run $q/cpu.omen --data $q/ec2_cpu.csv"
)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "\`bench/startup.sh --runs $runs --warmup $warmup\` on $(nproc) cores; load averages" \
  "(1/5/15 min) at the start: $(load)."
echo
if [ -n "$baseline" ]; then
  echo "| command | this: median wall | min | CPU | baseline: median wall | min | CPU | wall ratio | CPU ratio |"
  echo "|---|---|---|---|---|---|---|---|---|"
else
  echo "| command | median wall | min wall | CPU (user+sys) |"
  echo "|---|---|---|---|"
fi
i=0
for c in "${cases[@]}"; do
  i=$((i + 1))
  cmds=("$omen $c")
  [ -n "$baseline" ] && cmds+=("$baseline $c")
  # -N: no shell in between (the shell's own start-up would be counted); -i: exit codes of
  # the commands are not the point here.
  hyperfine -N -i --style none --warmup "$warmup" --runs "$runs" --export-json "$out/$i.json" \
    "${cmds[@]}" >/dev/null 2>"$out/$i.err" || { cat "$out/$i.err" >&2; exit 1; }
  label="omen ${c//$root\//}"
  python3 - "$out/$i.json" "$label" <<'PY'
import json, statistics, sys
res = json.load(open(sys.argv[1]))["results"]
def fig(r):
    t = r["times"]
    return statistics.median(t) * 1e3, min(t) * 1e3, (r["user"] + r["system"]) * 1e3
cells = []
for r in res:
    med, mn, cpu = fig(r)
    cells += [f"{med:.1f} ms", f"{mn:.1f} ms", f"{cpu:.1f} ms"]
if len(res) == 2:
    a, b = fig(res[0]), fig(res[1])
    cells += [f"{b[0] / a[0]:.1f}x", f"{b[2] / a[2]:.1f}x"]
print(f"| `{sys.argv[2]}` | " + " | ".join(cells) + " |")
PY
done
echo
echo "Load averages at the end: $(load)."
