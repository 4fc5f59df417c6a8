#!/usr/bin/env bash
# `omen repl` on a pseudo-terminal (`script` from util-linux), as a user types: prompts,
# tab completion (TAB completes `rob` to `robust_`, the common prefix of robust_z and
# robust_outlier, both in the vocabulary, and `laten` to latency), a multi-line
# block with the continuation prompt, and the history file ($OMEN_HISTORY).
# usage: pty_test.sh OMEN SCRIPT WORKDIR
set -euo pipefail
omen=$(realpath "$1")
script_tool=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
printf '%s\n' ':load rules.omen' ':data data.csv' $'rob\tz(laten\t, 30m) > 5' 'rule Slow {' \
  '  on latency' '  when latency > 150' '}' ':rules' ':quit' > "$work/keys"
cd "$here"
rc=0
TERM=xterm OMEN_HISTORY="$work/history" timeout 60 \
  "$script_tool" -qec "$omen repl" /dev/null < "$work/keys" > "$work/screen" 2>&1 || rc=$?
fail=0
if ((rc != 0)); then
  echo "pty_test: omen repl exited with status $rc" >&2
  fail=1
fi
touch "$work/history"
expect() {  # file, fixed string, what
  if ! grep -qF -- "$2" "$1"; then
    echo "pty_test: $3: '$2' not found in $1" >&2
    fail=1
  fi
}
expect "$work/screen" "omen> " "the prompt"
expect "$work/screen" 'latency{service="db"}: true at 10 of 120 points' "completed expression evaluated"
expect "$work/screen" "  ...> " "the continuation prompt"
expect "$work/screen" "rule Slow defined" "multi-line block"
expect "$work/screen" "Slow                 on latency" ":rules lists the new rule"
expect "$work/history" 'robust_z(latency,' "history of the completed line"
expect "$work/history" 'rule\040Slow\040{' "history of the block"
if ((fail)); then
  echo "---- screen:" >&2
  cat -v "$work/screen" >&2
  exit 1
fi
echo "pty_test: ok"
