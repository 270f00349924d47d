#!/usr/bin/env bash
# An interface that is disabled (seccomp, kernel.io_uring_disabled) makes its
# cases skip with the reason, never fail; the runner's own probe names it in
# the trailer ("# disabled: ...") and in summary.json kernel.interfaces.
. "$(dirname "$0")/lib.sh"
plan 24

deny=build/fixtures/deny-syscall
uring=(build/cases/uring/*)
aio=(build/cases/aio/*)
epoll=(build/cases/epoll/*)

# not_failing SUMMARY: no case failed, crashed or erred; prints the offenders.
not_failing() {
	"$PY" - "$1" <<'PY'
import json, sys
bad = [c["id"] + ":" + c["status"] for c in json.load(open(sys.argv[1]))["cases"]
       if c["status"] not in ("skip", "pass")]
print(" ".join(bad))
sys.exit(1 if bad else 0)
PY
}
# iface SUMMARY NAME: kernel.interfaces.NAME, "available" or why not.
iface() { total "$1" "kernel.interfaces.$2"; }
# all_skip SUMMARY: every case skipped.
all_skip() {
	"$PY" -c 'import json,sys; c=json.load(open(sys.argv[1]))["cases"]; sys.exit(0 if all(x["status"]=="skip" for x in c) else 1)' "$1"
}

# The runner's own probe: kernel.io_uring_disabled is named where it exists.
want_uring() {
	local why="io_uring is disabled: io_uring_setup gives $1"
	[ -r /proc/sys/kernel/io_uring_disabled ] &&
		why="$why (kernel.io_uring_disabled=$(cat /proc/sys/kernel/io_uring_disabled))"
	echo "$why"
}
for err in ENOSYS EPERM; do
	$deny $err io_uring_setup -- build/runner -o "$TMP/uring-$err" "${uring[@]}" \
		>"$TMP/uring-$err.out" 2>&1
	offenders=$(not_failing "$TMP/uring-$err/summary.json")
	ok $? "io_uring_setup refused with $err: no io_uring case fails ($offenders)"
	all_skip "$TMP/uring-$err/summary.json"
	ok $? "io_uring_setup refused with $err: every io_uring case skips"
	want=$(want_uring $err)
	grep -qxF "# disabled: $want" "$TMP/uring-$err.out"
	ok $? "io_uring_setup refused with $err: the trailer says '# disabled: $want'"
	is "$(iface "$TMP/uring-$err/summary.json" io_uring)" "$want" \
		"io_uring_setup refused with $err: summary.json kernel.interfaces.io_uring"
done
is "$(iface "$TMP/uring-EPERM/summary.json" aio) $(iface "$TMP/uring-EPERM/summary.json" epoll)" \
	"available available" "interfaces not refused are available"
grep -q "io_uring_setup: ENOSYS" "$TMP/uring-ENOSYS/uring/nop.tap"
ok $? "the skip reason names the refused call and errno"

for err in ENOSYS EPERM; do
	$deny $err io_setup -- build/runner -o "$TMP/aio-$err" "${aio[@]}" >"$TMP/aio-$err.out" 2>&1
	offenders=$(not_failing "$TMP/aio-$err/summary.json")
	ok $? "io_setup refused with $err: no aio case fails ($offenders)"
	grep -qx "# disabled: aio is disabled: io_setup gives $err" "$TMP/aio-$err.out"
	ok $? "io_setup refused with $err: the trailer says so"
	is "$(iface "$TMP/aio-$err/summary.json" aio)" "aio is disabled: io_setup gives $err" \
		"io_setup refused with $err: summary.json kernel.interfaces.aio"

	$deny $err epoll_create1 -- build/runner -o "$TMP/epoll-$err" "${epoll[@]}" \
		>"$TMP/epoll-$err.out" 2>&1
	offenders=$(not_failing "$TMP/epoll-$err/summary.json")
	ok $? "epoll_create1 refused with $err: no epoll case fails ($offenders)"
	grep -qx "# disabled: epoll is disabled: epoll_create1 gives $err" "$TMP/epoll-$err.out"
	ok $? "epoll_create1 refused with $err: the trailer says so"
	is "$(iface "$TMP/epoll-$err/summary.json" epoll)" \
		"epoll is disabled: epoll_create1 gives $err" \
		"epoll_create1 refused with $err: summary.json kernel.interfaces.epoll"
done

# The sysctl itself (since 6.6), only where we may change and restore it.
knob=/proc/sys/kernel/io_uring_disabled
if [ "$(id -u)" -eq 0 ] && [ -w $knob ]; then
	old=$(cat $knob)
	trap 'echo "$old" > '$knob'; rm -rf "$TMP"' EXIT
	echo 2 > $knob
	build/runner -o "$TMP/sysctl" "${uring[@]}" >"$TMP/sysctl.out" 2>&1
	echo "$old" > $knob
	all_skip "$TMP/sysctl/summary.json"
	ok $? "kernel.io_uring_disabled=2: every io_uring case skips"
	grep -qx "# disabled: io_uring is disabled: io_uring_setup gives EPERM (kernel.io_uring_disabled=2)" \
		"$TMP/sysctl.out"
	ok $? "kernel.io_uring_disabled=2: the trailer names the sysctl"
else
	skip "needs root and a kernel with $knob (6.6+)"
	skip "needs root and a kernel with $knob (6.6+)"
fi
finish
