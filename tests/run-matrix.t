#!/usr/bin/env bash
# ./run.sh --matrix on two kernels (a kernels.conf of 6.1 and 6.12) and one
# case: both ABIs by default (a column per kernel and ABI), --vms 2 boots
# two at once with the host alongside, each column's output in its folder; Ctrl-C (SIGINT to the whole process group, as a
# terminal sends it) or SIGTERM stops the guests, keeps the kernels that
# finished, marks the run INCOMPLETE, writes the reports and exits 130.
. "$(dirname "$0")/lib.sh"
plan 17
N=17

skip_all() { for _ in $(seq $N); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
[ -x build/cases/uring/nop ] || skip_all "build/cases/uring/nop is not built (make all)"
[ -x build/i386/cases/uring/nop ] || skip_all "build/i386/cases/uring/nop is not built (make cases32)"
grep -E '^(6\.1|6\.12)[[:space:]]' kernels/kernels.conf >"$TMP/k.conf"
export AIOCONF_KERNELS_CONF=$TMP/k.conf
kernels/fetch.sh >"$TMP/fetch" 2>&1 || skip_all "kernels could not be fetched: $(tail -n 1 "$TMP/fetch")"
# QEMU's command line names its work folder, under TMPDIR: so we find ours.
export TMPDIR=$TMP/tmp
mkdir -p "$TMPDIR"
qemus() { pgrep -f -- "$TMPDIR/aioconf-boot" | wc -l; }
top_of() { sed -n 's/^# matrix in \(.*\): host.*/\1/p' "$1"; }
gone() { for _ in $(seq 30); do [ "$(qemus)" -eq 0 ] && break; sleep 0.1; done; qemus; }	# QEMU ends on its signal
at() { grep -n -- "$2" "$1" | head -n 1 | cut -d: -f1; }

# 1. Two VMs at once, both ABIs: host, 6.1 and 6.12, each also -i386.
./run.sh --matrix --vms 2 --filter uring/nop >"$TMP/p.out" 2>"$TMP/p.err"; rc=$?
D=$(top_of "$TMP/p.out")
is "$rc" 0 "--vms 2: the matrix passes"
s1=$(at "$TMP/p.out" '6.1-i386: started') d1=$(at "$TMP/p.out" '6\.1: 2 passed')
[ -n "$s1" ] && [ -n "$d1" ] && [ "$s1" -lt "$d1" ]
ok $? "--vms 2: 6.1-i386 starts before 6.1 ends"
for c in host host-i386 6.1 6.1-i386 6.12 6.12-i386; do
	grep -q '^ok 1 uring/nop' "$D/$c/output.log" || echo "$c"
done >"$TMP/missing"
[ ! -s "$TMP/missing" ] && ! grep -q '^ok 1 uring/nop' "$TMP/p.out"
ok $? "each column's TAP is in its folder (output.log), not on stdout (missing: $(cat "$TMP/missing"))"
tail -n 1 "$TMP/p.out" | grep -qx '12 passed, 0 failed, 0 skipped'
ok $? "the table ends with the plain closing line"
[ -f "$D/matrix.json" ] && ! [ -e "$D/INCOMPLETE" ]; ok $? "reports written; not INCOMPLETE"
is "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["complete"])' "$D/matrix.json")" True \
	"matrix.json: complete"

# 2. Ctrl-C while the second kernel runs (--vms 1: 6.1, then 6.12).
if why=$(sigint_ignored); then
	for _ in $(seq 8); do skip "SIGINT is ignored in this test's environment ($why): no Ctrl-C can arrive"; done
else
	set -m
	./run.sh --matrix --abi x86_64 --vms 1 --filter uring/nop >"$TMP/c.out" 2>"$TMP/c.err" &
	pid=$!
	set +m
	for _ in $(seq 300); do grep -q '6.12: started' "$TMP/c.out" && break; sleep 0.1; done
	for _ in $(seq 50); do [ "$(qemus)" -ge 1 ] && break; sleep 0.1; done
	is "$(qemus)" 1 "Ctrl-C: the 6.12 guest is running"
	kill -INT -- -"$pid"
	wait "$pid"; rc=$?
	D=$(top_of "$TMP/c.out")
	is "$rc" 130 "Ctrl-C: run.sh exits 130"
	is "$(gone)" 0 "Ctrl-C: no QEMU left"
	[ -f "$D/6.1/summary.json" ] && [ -f "$D/host/summary.json" ]; ok $? "Ctrl-C: the finished kernels' results are kept"
	[ -f "$D/INCOMPLETE" ] && [ -f "$D/6.12/INTERRUPTED" ] && [ "$(total "$D/6.12/summary.json" complete)" = False ]
	ok $? "Ctrl-C: the run is INCOMPLETE, 6.12 INTERRUPTED with what it finished (complete: false)"
	"$PY" - "$D/matrix.json" >"$TMP/mj" <<-'PY'
	import json, sys
	m = json.load(open(sys.argv[1]))
	k = {k["name"]: (k["present"], k["problem"]) for k in m["kernels"]}
	print(m["complete"], k["6.1"][0], k["6.12"])
	PY
	is "$(cat "$TMP/mj")" "False True (True, 'interrupted before it finished')" \
		"Ctrl-C: matrix.json says complete false, 6.1 present, 6.12 interrupted"
	grep -q 'INCOMPLETE' "$TMP/c.out" && grep -q '^# 6.12 .*(interrupted)$' "$TMP/c.out"
	ok $? "Ctrl-C: the table says so"
	# boot.sh removes its work folder in its own exit trap, which may end a
	# moment after run.sh: wait for it as for QEMU.
	for _ in $(seq 30); do [ -z "$(ls -A "$TMPDIR")" ] && break; sleep 0.1; done
	[ -z "$(ls -A "$TMPDIR")" ]; ok $? "Ctrl-C: boot.sh removed its work folders"
fi

# 3. SIGTERM to run.sh alone while both guests boot (--vms 2).
./run.sh --matrix --abi x86_64 --vms 2 --filter uring/nop >"$TMP/t.out" 2>"$TMP/t.err" &
pid=$!
for _ in $(seq 100); do [ "$(qemus)" -ge 2 ] && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"; rc=$?
D=$(top_of "$TMP/t.out")
is "$rc" 130 "SIGTERM: run.sh exits 130"
is "$(gone)" 0 "SIGTERM: no QEMU left"
[ -f "$D/6.1/INTERRUPTED" ] && [ -f "$D/6.12/INTERRUPTED" ] && [ -f "$D/INCOMPLETE" ]
ok $? "SIGTERM: both kernels INTERRUPTED, the run INCOMPLETE"
finish
