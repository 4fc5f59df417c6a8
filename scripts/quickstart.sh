#!/usr/bin/env bash
# The first README command: install what is missing, build, run the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo "== omen run examples/quickstart/cpu.omen --data examples/quickstart/ec2_cpu.csv" >&2
./build/omen run examples/quickstart/cpu.omen --data examples/quickstart/ec2_cpu.csv
