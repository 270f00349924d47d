#!/usr/bin/env bash
# ./run.sh --kernel after a guest panic: the kernel is booted again with the
# programs not yet run, and every boot is merged into one summary.json that
# matrix.py reads like any kernel folder. The same boot runs a program with
# arguments (-- 'PROG ARG...') through its generated wrapper.
. "$(dirname "$0")/lib.sh"
plan 15
K=${AIOCONF_SMOKE_KERNEL:-6.1}

skip_all() { for _ in $(seq 15); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
for f in build/runner build/cases/uring/nop build/cases/aio/direct-io build/fixtures/pass \
	 build/fixtures/part-skip; do
	[ -x "$f" ] || skip_all "$f is not built (make all fixtures)"
done
kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 || skip_all "kernel $K could not be fetched: $(tail -n 1 "$TMP/fetch")"

# The panic fixture of tests/kernels-boot.t (sysrq c), and a program that
# checks its arguments.
mkdir -p "$TMP/p/cases/fixture" "$TMP/a"
printf '#!/bin/sh\necho "TAP version 13"\necho "1..1"\necho c >/proc/sysrq-trigger\necho "ok 1 alive"\n' \
	>"$TMP/p/cases/fixture/panic"
cat >"$TMP/a/argcheck" <<'SH'
#!/bin/sh
echo "TAP version 13"
echo "1..2"
[ "$1" = --flag ] && echo "ok 1 first_arg" || echo "not ok 1 first_arg # got '$1'"
[ "$2" = "x y" ] && [ $# -eq 2 ] && echo "ok 2 quoted_arg" || echo "not ok 2 quoted_arg # got $# '$2'"
SH
chmod +x "$TMP/p/cases/fixture/panic" "$TMP/a/argcheck"

./run.sh --kernel "$K" -- build/fixtures/pass build/cases/uring/nop "$TMP/a/argcheck --flag 'x y'" \
	"$TMP/p/cases/fixture/panic" build/cases/aio/direct-io build/fixtures/part-skip \
	>"$TMP/out" 2>"$TMP/err"; rc=$?
# results/latest may be another run's by now: the folder run.sh names.
D=$(sed -n 's/^run.sh: results in //p' "$TMP/err" | head -n 1)
S=$D/summary.json
is "$rc" 1 "$K: a run with a guest panic exits 1"
[ -d "$D/resume-1" ] && ! [ -d "$D/resume-2" ]; ok $? "$K: one more boot, into resume-1/"
is "$(sed -n 's/^not_run=//p' "$D/boot.env")" "aio/direct-io part-skip" "$K: the first boot left two programs"
is "$(field "$S" fixture/panic status)" crash "$K: the case that panicked the guest is a crash"
field "$S" fixture/panic diagnostics | grep "sysrq triggered crash" >/dev/null
ok $? "$K: its diagnostics hold the console's panic text"
for id in pass uring/nop argcheck aio/direct-io part-skip; do
	is "$(field "$S" "$id" status)" pass "$K: $id keeps its result (pass)"
done
is "$(total "$S" totals.failed)" 1 "$K: one failed test point: the crash"
is "$(field "$S" argcheck counts.pass)" 2 "$K: the program got its two arguments through the wrapper"
tail -n 1 "$TMP/out" | grep -Eq '^[0-9]+ passed, 1 failed, 1 skipped$'
ok $? "$K: the run ends with the merged closing line"
prove -e cat "$D/run.tap" >/dev/null 2>&1; [ $? -ne 0 ] && grep -q '^not ok 4 fixture/panic # crash' "$D/run.tap"
ok $? "$K: run.tap is the merged aggregate TAP"

# matrix.py sees a normal kernel folder.
mkdir -p "$TMP/m" && cp -r "$D" "$TMP/m/$K"
"$PY" harness/report/matrix.py --quiet "$TMP/m" --baseline "$TMP/none" >"$TMP/mx" 2>&1
"$PY" - "$TMP/m/matrix.json" "$K" >"$TMP/mj" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
k = m["kernels"][0]
c = {c["id"]: c["cells"][sys.argv[2]]["status"] for c in m["cases"]}
print(k["present"], k["complete"], c["fixture/panic"], c["aio/direct-io"], c["pass"])
PY
is "$(cat "$TMP/mj")" "True True crash pass pass" "$K: matrix.py reads the merged folder like any kernel"
finish
