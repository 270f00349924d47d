#!/usr/bin/env bash
# Ctrl-C, typed on a terminal (script(1) gives ./run.sh one; ^C goes in
# through the pty like a keystroke), keeps every finished case: on the host
# and in a QEMU guest the folder has summary.json ("complete": false),
# every file is complete (no .part), results/latest points at it, exit 130.
. "$(dirname "$0")/lib.sh"
plan 14
K=${AIOCONF_SMOKE_KERNEL:-6.1}
export TMPDIR=$TMP	# boot.sh's work folder, so that pgrep finds its QEMU

if why=$(sigint_ignored); then
	for _ in $(seq 14); do skip "SIGINT is ignored in this test's environment ($why): no Ctrl-C can arrive"; done
	finish
fi

mkdir -p "$TMP/p"
cp build/fixtures/pass "$TMP/p/first"
cp build/fixtures/pass "$TMP/p/last"

# ctrl_c OUT ARGS...: ./run.sh ARGS on a terminal; ^C once OUT shows that
# the first program finished. Sets rc (run.sh's exit status) and D (its
# results folder).
ctrl_c() {
	local out=$1
	shift
	rm -f "$TMP/keys"
	mkfifo "$TMP/keys"
	# In a subshell: a plain `cmd &` would start script(1), and so run.sh,
	# with SIGINT ignored (bash does that for background commands), which
	# no terminal does.
	(script -qfec "./run.sh $*" /dev/null <"$TMP/keys" >"$out" 2>&1) &
	local pid=$!
	exec 5>"$TMP/keys"
	for _ in $(seq 1200); do
		tr -d '\r' <"$out" | grep -aEq 'first +[0-9]+ passed|^ok 1 first' && break
		sleep 0.1
	done
	sleep 0.5
	printf '\003' >&5
	wait $pid
	rc=$?
	exec 5>&-
	D=$AIOCONF_RESULTS/$(readlink "$AIOCONF_RESULTS/latest")
}

ctrl_c "$TMP/host.out" -j 1 -- "$TMP/p/first" build/fixtures/hang "$TMP/p/last"
is "$rc" 130 "host: Ctrl-C ends the run with 130"
is "$(field "$D/summary.json" first status)" pass "host: the finished case is kept"
is "$(field "$D/summary.json" hang status)/$(field "$D/summary.json" last status)" notrun/notrun \
	"host: the running and the waiting case are notrun"
is "$(total "$D/summary.json" complete)" False "host: the summary says incomplete"
find "$D" -name '*.part' | grep -q .; [ $? -ne 0 ]; ok $? "host: no .part file is left"

command -v qemu-system-x86_64 >/dev/null && kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 || {
	for _ in $(seq 9); do skip "no QEMU or kernel $K"; done
	finish
}
ctrl_c "$TMP/guest.out" --kernel "$K" -- "$TMP/p/first" build/fixtures/hang "$TMP/p/last"
is "$rc" 130 "$K: Ctrl-C ends the guest run with 130"
is "$(field "$D/summary.json" first status)" pass "$K: the case finished in the guest is kept"
is "$(field "$D/summary.json" hang status)" notrun "$K: the case running at Ctrl-C is notrun, not a crash"
is "$(total "$D/summary.json" complete)" False "$K: the summary says incomplete"
[ -s "$D/console.log" ] && grep -q '^ok 1 first' "$D/serial.tap"
ok $? "$K: the console and the serial TAP are kept"
[ -f "$D/INTERRUPTED" ]; ok $? "$K: the folder is marked INTERRUPTED"
find "$D" -name '*.part' | grep -q .; [ $? -ne 0 ]; ok $? "$K: no .part file is left"
pgrep -f "qemu-system-x86_64.*$(basename "$TMP")" >/dev/null; [ $? -ne 0 ]
ok $? "$K: no QEMU is left running"
tail -n 1 "$TMP/guest.out" | tr -d '\r' | sed 's/\x1b\[[0-9;]*[mK]//g' | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
ok $? "$K: the terminal still ends with the closing line"
finish
