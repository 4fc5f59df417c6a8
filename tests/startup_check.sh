#!/usr/bin/env bash
# startup_check.sh OMEN PLUGIN SOURCE_DIR READELF WORK_DIR (tests/startup.cmake).
# Every check has a positive control, so that a check that cannot see a library fails.
set -u  # no pipefail: `producer | grep -q` may end the producer early (SIGPIPE)
omen=$1 plugin=$2 src=$3 readelf=$4 work=$5
mkdir -p "$work"
q=$src/examples/quickstart
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# 1. The binary's NEEDED entries: no LLVM, no libcurl; the plugin's do name LLVM.
if [ -n "$readelf" ]; then
  needed=$("$readelf" -d "$omen" | grep NEEDED)
  echo "$needed" | grep -q 'libstdc++' || fail "readelf shows no NEEDED libstdc++ for omen: $needed"
  echo "$needed" | grep -q 'libLLVM' && fail "omen links LLVM: $needed"
  echo "$needed" | grep -q 'libcurl' && fail "omen links libcurl: $needed"
  "$readelf" -d "$plugin" | grep NEEDED | grep -q 'libLLVM' || fail "the plugin does not link LLVM"
  exports=$("$readelf" --dyn-syms -W "$plugin" | awk '$1 ~ /^[0-9]+:$/ && $5 != "LOCAL" && $7 != "UND" && $8 != "" {print $8}' | sort -u)
  [ "$exports" = "omen_jit_plugin_v1" ] || fail "the plugin exports more than its entry point: $exports"
fi

# 2. What is loaded at run time (LD_DEBUG=files lists every object the dynamic linker maps).
loaded() { LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -o 'file=[^ ]*' | sort -u; }
for cmd in "--help" "check $q/cpu.omen" "run --tier interp $q/cpu.omen --data $q/ec2_cpu.csv"; do
  objs=$(loaded "$omen" $cmd)
  echo "$objs" | grep -q 'libstdc++' || fail "LD_DEBUG shows no libstdc++ for 'omen $cmd'"
  echo "$objs" | grep -q 'libLLVM' && fail "'omen $cmd' loads LLVM"
  echo "$objs" | grep -q 'libomen_jit' && fail "'omen $cmd' loads the JIT plugin"
  echo "$objs" | grep -q 'libcurl' && fail "'omen $cmd' loads libcurl"
done
# Tier jit loads the plugin and LLVM, and so do the data tests (`omen test`, both tiers).
for cmd in "run --tier jit $q/cpu.omen --data $q/ec2_cpu.csv" "test $q/cpu.omen --tier jit"; do
  objs=$(loaded "$omen" $cmd)
  echo "$objs" | grep -q 'libomen_jit' || fail "'omen $cmd' does not load the JIT plugin"
  echo "$objs" | grep -q 'libLLVM' || fail "'omen $cmd' does not load LLVM"
done

# 3. The JIT through the plugin gives the interpreter's alerts; tier jit rules are native.
"$omen" run --tier interp "$q/cpu.omen" --data "$q/ec2_cpu.csv" >"$work/interp.out" 2>"$work/interp.err" ||
  fail "tier interp failed: $(cat "$work/interp.err")"
"$omen" run --tier jit "$q/cpu.omen" --data "$q/ec2_cpu.csv" --stats >"$work/jit.out" 2>"$work/jit.err" ||
  fail "tier jit failed: $(cat "$work/jit.err")"
[ -s "$work/interp.out" ] || fail "tier interp printed no alerts"
cmp -s "$work/interp.out" "$work/jit.out" || fail "tier jit and tier interp alerts differ"
grep -q 'tier=jit' "$work/jit.err" || fail "--tier jit: no rule ran native code: $(cat "$work/jit.err")"

# 4. No plugin: tier jit is an error that says why, tier auto warns once and runs interpreted.
export OMEN_JIT_LIBRARY=$work/no-such-libomen_jit.so
"$omen" run --tier jit "$q/cpu.omen" --data "$q/ec2_cpu.csv" >"$work/missing-jit.out" 2>"$work/missing-jit.err" &&
  fail "tier jit without the plugin succeeded"
grep -q 'error\[E900\]: the JIT is not available: .*no-such-libomen_jit.so does not exist' "$work/missing-jit.err" ||
  fail "tier jit without the plugin: unclear error: $(cat "$work/missing-jit.err")"
"$omen" run --tier auto "$q/cpu.omen" --data "$q/ec2_cpu.csv" >"$work/missing-auto.out" 2>"$work/missing-auto.err" ||
  fail "tier auto without the plugin failed: $(cat "$work/missing-auto.err")"
[ "$(grep -c 'warning\[W900\]: the JIT is not available' "$work/missing-auto.err")" = 1 ] ||
  fail "tier auto without the plugin: expected one warning, got: $(cat "$work/missing-auto.err")"
cmp -s "$work/interp.out" "$work/missing-auto.out" || fail "tier auto without the plugin: alerts differ"
# A file that is not a plugin is refused with the dynamic linker's or the loader's reason.
export OMEN_JIT_LIBRARY=$src/examples/quickstart/cpu.omen
"$omen" run --tier jit "$q/cpu.omen" --data "$q/ec2_cpu.csv" >/dev/null 2>"$work/bad.err" &&
  fail "tier jit with a bad plugin succeeded"
grep -q 'error\[E900\]: the JIT is not available: .*cpu.omen' "$work/bad.err" ||
  fail "tier jit with a bad plugin: unclear error: $(cat "$work/bad.err")"
unset OMEN_JIT_LIBRARY

# 5. The executable's directory comes first: a copy of the binary with a copy of the plugin
#    beside it uses that copy (not build/libomen_jit.so, which its RUNPATH also reaches).
cp "$omen" "$work/omen" && cp "$plugin" "$work/libomen_jit.so"
LD_DEBUG=files "$work/omen" run --tier jit "$q/cpu.omen" --data "$q/ec2_cpu.csv" 2>&1 >/dev/null |
  grep -q "file=$work/libomen_jit.so" || fail "the plugin next to the executable was not used"
rm -f "$work/omen" "$work/libomen_jit.so"

[ $fails = 0 ] && echo "startup: all checks passed"
exit $((fails > 0))
