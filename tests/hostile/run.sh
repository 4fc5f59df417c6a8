#!/usr/bin/env bash
# The hostile-input driver (ctest `hostile`): runs every case of cases.txt under a wall-time
# limit and a 1 GiB address-space limit and compares exit code + output with NAME.out.
#
#   run.sh OMEN SRC_DIR WORK_DIR        (OMEN_UPDATE_GOLDEN=1 rewrites the .out files)
#
# cases.txt: one case a line, `NAME | SECONDS | omen arguments`; `#` starts a comment. The
# fixed repros get 1 s wall; the generated ones (generate.py) a few seconds, for the machine
# is shared. A case fails when it is killed by the time limit, dies of a signal, or its
# "$ omen ARGS / stdout / stderr / [exit N]" transcript differs from NAME.out. Output lines
# longer than 300 bytes are cut (the generated sources are one long line) and timings
# ("12.3 ms", "0.0 s") read "T ms" / "T s".
set -u
omen=$1 src=$2 work=$3
mem_kib=$((1024 * 1024))
# A sanitizer build (tests/hostile.cmake): no address-space limit, 5x the time.
sanitized=${OMEN_HOSTILE_SANITIZED:-0}
rm -rf "$work" && mkdir -p "$work" || exit 1
cp -r "$src"/*.omen "$src"/*.csv "$src"/dir "$work"/ || exit 1
/usr/bin/python3 "$src/generate.py" "$work" || exit 1
cd "$work" || exit 1
failed=0 total=0
while IFS='|' read -r name secs args; do
  name=$(echo "$name" | xargs) secs=$(echo "$secs" | xargs) args=$(echo "$args" | sed 's/^ *//; s/ *$//')
  [[ -z "$name" || "$name" == \#* ]] && continue
  total=$((total + 1))
  start=$EPOCHREALTIME
  # shellcheck disable=SC2086
  if [[ "$sanitized" == 1 ]]; then
    out=$( (exec timeout -s KILL "$((secs * 5))" "$omen" $args) 2>&1 < /dev/null)
  else
    out=$( (ulimit -v $mem_kib; exec timeout -s KILL "$secs" "$omen" $args) 2>&1 < /dev/null)
  fi
  rc=$?
  took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
  if ((rc == 137 || rc == 124)); then
    echo "FAIL $name: killed after ${secs} s wall (took $took s)"
    failed=$((failed + 1))
    continue
  fi
  if ((rc > 128)); then
    echo "FAIL $name: died of signal $((rc - 128))"
    failed=$((failed + 1))
    continue
  fi
  actual=$(printf '$ omen %s\n%s\n[exit %d]\n' "$args" "$out" "$rc" | cut -b1-300 |
    sed -E 's/[0-9]+\.[0-9]+ (ms|s)\b/T \1/g; s/request [0-9a-f]{64}/request HASH/')
  if [[ "${OMEN_UPDATE_GOLDEN:-}" == 1 ]]; then
    printf '%s\n' "$actual" > "$src/$name.out"
    echo "updated $name ($took s)"
    continue
  fi
  if ! diff -u "$src/$name.out" <(printf '%s\n' "$actual") > diff.txt; then
    echo "FAIL $name: output differs ($took s)"
    cat diff.txt
    failed=$((failed + 1))
  else
    echo "ok   $name ($took s)"
  fi
done < "$src/cases.txt"
echo "$((total - failed)) of $total hostile cases passed"
((failed == 0))
