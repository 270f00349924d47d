#!/usr/bin/env bash
# Cases that need more CPUs than the guest has (CONFORM_REQUIRE_CPUS(2) in
# their source) run in a boot of their own with that many vCPUs (DIR/smp/),
# merged into the kernel folder's results; with --cpus 2, or when only such
# cases run, there is one boot. On a machine limited to one CPU they skip
# saying why.
. "$(dirname "$0")/lib.sh"
plan 14
K=${AIOCONF_SMOKE_KERNEL:-6.1}
SMP=uring/smp-affinity

skip_all() { for _ in $(seq 14); do skip "$*"; done; finish; }
grep -q 'CONFORM_REQUIRE_CPUS(2)' "cases/$SMP.c" || skip_all "cases/$SMP.c does not ask for 2 CPUs"
[ -x "build/cases/$SMP" ] && [ -x build/cases/uring/nop ] || skip_all "the cases are not built (make all)"

# On one CPU (taskset): every TEST skips with the requirement's reason.
if command -v taskset >/dev/null; then
	taskset -c 0 "build/cases/$SMP" >"$TMP/one" 2>&1
	n=$(grep -c '^ok .* # SKIP environment: needs 2 CPUs, this process may run on 1' "$TMP/one")
	[ "$n" -ge 1 ] && ! grep -q '^not ok' "$TMP/one"
	ok $? "on one CPU each TEST of $SMP skips naming the requirement ($n skipped)"
else
	skip "no taskset"
fi

command -v qemu-system-x86_64 >/dev/null || { for _ in $(seq 13); do skip "no qemu-system-x86_64"; done; finish; }
kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 ||
	{ for _ in $(seq 13); do skip "kernel $K could not be fetched"; done; finish; }
dir_of() { sed -n 's/^run.sh: results in //p' "$1" | head -n 1; }
cpus_of() { sed -n 's/^cpus=//p' "$1/boot.env"; }

# 1. A 1-CPU guest: uring/nop in it, the SMP case in a 2-CPU boot, merged.
./run.sh --kernel "$K" --filter uring/nop --filter "$SMP" >"$TMP/a.out" 2>"$TMP/a.err"; rc=$?
D=$(dir_of "$TMP/a.err")
# On a failure, what to look at: run.sh's messages, the SMP boot, the case.
# On stderr, which prove shows.
show() {
	{
		sed 's/^/# /' "$TMP/a.err" | tail -n 15
		sed 's/^/# smp boot.env: /' "$D/smp/boot.env" 2>/dev/null
		grep -v '^# *OK\|conform-test' "$D/smp/$SMP.tap" 2>/dev/null | sed 's/^/# /' | head -n 40
	} >&2
}
is "$rc" 0 "$K: the run passes" || show
is "$(cpus_of "$D")/$(cpus_of "$D/smp")" 1/2 "$K: the guest has 1 CPU, the boot in smp/ 2"
is "$(cat "$D/smp/programs" | sed 's,.*/cases/,,')" "$SMP" "$K: only $SMP went to the 2-CPU boot"
is "$(field "$D/summary.json" "$SMP" status)/$(field "$D/summary.json" "$SMP" counts.skip)" pass/0 \
	"$K: $SMP passes in the merged summary, nothing skipped"
is "$(field "$D/summary.json" uring/nop status)" pass "$K: uring/nop keeps its result"
"$PY" - "$D/summary.json" >"$TMP/boots" <<'PY'
import json, sys
print(" ".join(f"{b['dir']}:{b['cpus']}" for b in json.load(open(sys.argv[1]))["boots"]))
PY
is "$(cat "$TMP/boots")" ".:1 smp:2" "$K: summary.json lists both boots with their CPUs"
grep -q "2 CPUs in a boot of their own" "$D/run.tap" && grep -q "^ok [0-9]* $SMP$" "$D/run.tap"
ok $? "$K: run.tap is the merged TAP and says why there were two boots"
tail -n 1 "$TMP/a.out" | grep -Eq '^[0-9]+ passed, 0 failed, 0 skipped$'
ok $? "$K: the run ends with the merged closing line"

# 2. --cpus 2: one boot for all.
./run.sh --kernel "$K" --cpus 2 --filter uring/nop --filter "$SMP" >"$TMP/b.out" 2>"$TMP/b.err"; rc=$?
D=$(dir_of "$TMP/b.err")
is "$rc" 0 "$K --cpus 2: the run passes"
[ ! -e "$D/smp" ] && [ "$(cpus_of "$D")" = 2 ]; ok $? "$K --cpus 2: one boot, with 2 CPUs, no smp/"

# 3. Only the SMP case: its one boot has 2 CPUs.
./run.sh --kernel "$K" --filter "$SMP" >"$TMP/c.out" 2>"$TMP/c.err"; rc=$?
D=$(dir_of "$TMP/c.err")
is "$rc" 0 "$K, only $SMP: the run passes"
[ ! -e "$D/smp" ] && [ "$(cpus_of "$D")" = 2 ]; ok $? "$K, only $SMP: one boot, with 2 CPUs"
is "$(field "$D/summary.json" "$SMP" counts.skip)" 0 "$K, only $SMP: nothing skipped"
finish
