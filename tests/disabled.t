#!/usr/bin/env bash
# An interface that is disabled (seccomp, kernel.io_uring_disabled) makes its
# cases skip with the reason, never fail.
. "$(dirname "$0")/lib.sh"
plan 8

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
# all_skip SUMMARY: every case skipped.
all_skip() {
	"$PY" -c 'import json,sys; c=json.load(open(sys.argv[1]))["cases"]; sys.exit(0 if all(x["status"]=="skip" for x in c) else 1)' "$1"
}

for err in ENOSYS EPERM; do
	$deny $err io_uring_setup -- build/runner -o "$TMP/uring-$err" "${uring[@]}" >/dev/null 2>&1
	offenders=$(not_failing "$TMP/uring-$err/summary.json")
	ok $? "io_uring_setup refused with $err: no io_uring case fails ($offenders)"
	all_skip "$TMP/uring-$err/summary.json"
	ok $? "io_uring_setup refused with $err: every io_uring case skips"
done
grep -q "io_uring_setup: ENOSYS" "$TMP/uring-ENOSYS/uring/nop.tap"
ok $? "the skip reason names the refused call and errno"

$deny ENOSYS io_setup -- build/runner -o "$TMP/aio" "${aio[@]}" >/dev/null 2>&1
offenders=$(not_failing "$TMP/aio/summary.json")
ok $? "io_setup refused with ENOSYS: no aio case fails ($offenders)"

$deny ENOSYS epoll_create1 -- build/runner -o "$TMP/epoll" "${epoll[@]}" >/dev/null 2>&1
offenders=$(not_failing "$TMP/epoll/summary.json")
ok $? "epoll_create1 refused with ENOSYS: no epoll case fails ($offenders)"

# The sysctl itself (since 6.6), only where we may change and restore it.
knob=/proc/sys/kernel/io_uring_disabled
if [ "$(id -u)" -eq 0 ] && [ -w $knob ]; then
	old=$(cat $knob)
	trap 'echo "$old" > '$knob'; rm -rf "$TMP"' EXIT
	echo 2 > $knob
	build/runner -o "$TMP/sysctl" "${uring[@]}" >/dev/null 2>&1
	echo "$old" > $knob
	all_skip "$TMP/sysctl/summary.json"
	ok $? "kernel.io_uring_disabled=2: every io_uring case skips"
else
	skip "needs root and a kernel with $knob (6.6+)"
fi
finish
