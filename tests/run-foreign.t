#!/usr/bin/env bash
# Test programs of other projects (./run.sh -- PROG...): most speak exit
# codes, not TAP (liburing's test/*.t: 0 pass, 77 skip). They are judged by
# their exit status on the host and in a guest; each runs in a private
# working directory, in the guest on the ext4 scratch disk.
. "$(dirname "$0")/lib.sh"
plan 15
K=${AIOCONF_SMOKE_KERNEL:-6.1}
F=build/fixtures

# A liburing-style program that makes a file in its working directory and
# says where it is (no TAP): exit 0 when that is TMPDIR.
mkdir -p "$TMP/p"
cat >"$TMP/p/cwd-file" <<'SH'
#!/bin/sh
echo "Running in $(pwd)"
: >.scratch-file || exit 1
[ "$(pwd)" = "$TMPDIR" ] || { echo "cwd $(pwd) is not TMPDIR $TMPDIR"; exit 1; }
grep " $(cd .. && pwd | cut -d/ -f1-2) " /proc/mounts
exit 0
SH
chmod +x "$TMP/p/cwd-file"

check() {	# check WHERE SUMMARY
	local s=$2
	is "$(field "$s" notap-exit0 status)/$(field "$s" notap-exit77 status)/$(field "$s" notap-exit4 status)" \
		pass/skip/skip "$1: exit 0 passes, 77 and 4 skip"
	is "$(field "$s" notap-exit1 status)/$(field "$s" notap-exit1 counts.fail)" fail/1 \
		"$1: any other exit fails, as one failed point"
	field "$s" notap-exit1 diagnostics | grep "test foo failed: got 3, want 4" >/dev/null
	ok $? "$1: the failure's diagnostics hold the last output"
	is "$(field "$s" cwd-file status)" pass "$1: a program runs in its own TMPDIR and may write there"
	is "$(total "$s" totals.failed)/$(total "$s" totals.skipped)" 1/2 "$1: 1 failed, 2 skipped"
}

progs=("$F/notap-exit0" "$F/notap-exit77" "$F/notap-exit4" "$F/notap-exit1" "$TMP/p/cwd-file")
./run.sh -- "${progs[@]}" >"$TMP/host.out" 2>&1; rc=$?
is "$rc" 1 "host: the run fails (one program failed)"
check host "$AIOCONF_RESULTS/latest/summary.json"

if ! command -v qemu-system-x86_64 >/dev/null || ! kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1; then
	for _ in $(seq 9); do skip "no QEMU or kernel $K"; done
	finish
fi
# --cpus and --file: a program that needs two CPUs and a data file beside it.
echo "data for the guest" >"$TMP/p/data.txt"
cat >"$TMP/p/needs" <<'SH'
#!/bin/sh
[ "$(grep -c ^processor /proc/cpuinfo)" = 2 ] || { echo "not 2 CPUs"; exit 1; }
[ "$(cat "$(dirname "$0")/data.txt")" = "data for the guest" ] || { echo "no data.txt beside me"; exit 1; }
SH
chmod +x "$TMP/p/needs"
./run.sh --kernel "$K" --cpus 2 --file "$TMP/p/data.txt" -- "${progs[@]}" "$TMP/p/needs" \
	>"$TMP/guest.out" 2>&1; rc=$?
is "$rc" 1 "$K: the run fails (one program failed)"
D=$AIOCONF_RESULTS/$(readlink "$AIOCONF_RESULTS/latest")
is "$(field "$D/summary.json" needs status)" pass "$K: --cpus 2 and --file reach the guest"
check "$K" "$D/summary.json"
grep -q '^/dev/vda /scratch ext4 ' "$D/cwd-file.tap"
ok $? "$K: the working directory is on the ext4 scratch disk" || cat "$D/cwd-file.tap"
tail -n 2 "$TMP/guest.out" | grep -q "^# results in $D "
ok $? "$K: the last lines name the host folder" || tail -n 3 "$TMP/guest.out"
finish
