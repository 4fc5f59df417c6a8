#!/usr/bin/env bash
# The first README command: install what is missing, build what the example runs, run it.
# Only the `omen` command and the JIT plugin it loads (build/libomen_jit.so) are built, not
# the tests and benchmarks (scripts/test.sh builds everything): 101 of 168 compile commands.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
OMEN_TARGETS=omen_cli scripts/build.sh
echo "== omen run examples/quickstart/cpu.omen --data examples/quickstart/ec2_cpu.csv" >&2
./build/omen run examples/quickstart/cpu.omen --data examples/quickstart/ec2_cpu.csv
