#!/usr/bin/env bash
# ./run.sh: bad input gets a clear message and exit 2, before anything is
# made (no results folder, results/latest stays where it was); results are
# kept; on a terminal a run shows one line per case.
. "$(dirname "$0")/lib.sh"
plan 37

mkdir -p "$AIOCONF_RESULTS"
ln -sfn nowhere-yet "$AIOCONF_RESULTS/latest"

check_refused() {	# check_refused PATTERN ARGS...: exit 2 and message
	local pattern=$1; shift
	local msg
	msg=$(./run.sh "$@" 2>&1 >/dev/null)
	local status=$?
	[ $status -eq 2 ] && echo "$msg" | grep -q -- "$pattern"
	ok $? "run.sh $* -> exit 2, says '$pattern' (exit $status${msg:+: $(echo "$msg" | tail -n 1)})"
}
check_refused "unknown option" --no-such-flag
check_refused "matches no case" --filter 'no-such-area/*'
check_refused "above 0" --timeout 0
check_refused "above 0" --timeout abc
check_refused "from 1 to 1024" -j 0
check_refused "from 1 to 1024" -j 100000
check_refused "exclude each other" --kernel 6.1 --matrix
check_refused "not an executable file" -- /no/such/program
check_refused "neither a kernel" --kernel no-such-kernel --filter uring/nop
check_refused "not an empty word" --kernel ''
check_refused "not an empty word" --kernel=
check_refused "are for a guest" --cpus 2 --filter uring/nop
TMPDIR=/nonexistent check_refused "TMPDIR='/nonexistent' is not a writable directory" --kernel 6.1 --filter uring/nop
TMPDIR=/nonexistent check_refused "TMPDIR='/nonexistent' is not a writable directory" --filter uring/nop
# Refused by kernels/boot.sh --check, before a results folder is made.
check_refused "not a kernel image\|Linux boot header" --kernel /etc/passwd --filter uring/nop
head -c 5000 "$(ls build/kernels/6.1/vmlinuz 2>/dev/null || echo /etc/passwd)" >"$TMP/bzImage"
check_refused "truncated\|not a kernel image\|Linux boot header" --kernel "$TMP/bzImage" --filter uring/nop
check_refused "dynamically linked" --kernel 6.1 -- /bin/true
n=$(find "$AIOCONF_RESULTS" -mindepth 1 -maxdepth 1 ! -name latest | wc -l)
is "$n" 0 "set-up errors leave no results folder behind"
is "$(readlink "$AIOCONF_RESULTS/latest")" nowhere-yet "and results/latest is not moved"

./run.sh --help | grep -q -- "--filter"; ok $? "--help describes the options"
n_src=$(ls cases/*/*.c | wc -l)
n_list=$(./run.sh --list | wc -l)
is "$n_list" "$n_src" "--list lists one id per case source"

./run.sh --filter 'uring/nop' --filter 'nosuch/*' > "$TMP/first.out" 2>"$TMP/first.err"; first=$?
./run.sh --filter 'uring/nop' > "$TMP/second.out" 2>&1
after=$(find "$AIOCONF_RESULTS" -mindepth 1 -maxdepth 1 -type d | wc -l)
is "$first" 0 "a filtered run passes"
grep -q "warning: --filter 'nosuch/\*' matches no case" "$TMP/first.err"
ok $? "a --filter that matches nothing is warned about, even when another matches"
is "$after" 2 "two runs keep two result folders"
[ -f "$AIOCONF_RESULTS/latest/summary.json" ]; ok $? "results/latest points at a complete run"
tail -n 1 "$TMP/first.out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
ok $? "the run ends with the plain closing line"
grep -q '^# # ' "$TMP/first.out"; ok $? "without a terminal stdout is the full nested TAP"

# On a terminal (script(1) gives it one): a line per case, no nested TAP.
script -qec "./run.sh --filter 'uring/nop' --filter 'epoll/edge*'" /dev/null >"$TMP/tty.out" 2>&1
rc=$?
screen() { sed 's/\r$//; s/.*\r//; s/\x1b\[[0-9;]*[mK]//g'; }	# what a terminal shows
screen <"$TMP/tty.out" >"$TMP/tty.txt"
is "$rc" 0 "a terminal run passes"
grep -Eq '^pass +uring/nop +[0-9]+ passed +[0-9.]+ s$' "$TMP/tty.txt"
ok $? "on a terminal: one line per case with status, points and time" || cat "$TMP/tty.txt"
grep -q '^# # \|RUN  ' "$TMP/tty.txt"; [ $? -ne 0 ]
ok $? "on a terminal: the cases' nested TAP is not printed"
tail -n 1 "$TMP/tty.txt" | grep -Eq '^[0-9]+ passed, 0 failed, [0-9]+ skipped$'
ok $? "on a terminal: the closing line is last"
script -qec "./run.sh -v --filter 'uring/nop'" /dev/null 2>&1 | tr -d '\r' | grep -q '^# # '
ok $? "-v on a terminal prints the full TAP"

# tty_run OUT CMD: CMD on a terminal, its screen as plain text in OUT.
tty_run() {
	script -qec "$2" /dev/null 2>&1 | screen >"$1"
}
# A failure on a terminal: its diagnostics under it, the trailer names it.
tty_run "$TMP/fail.txt" "./run.sh -- build/fixtures/fail build/fixtures/notap-exit77"
grep -Eq '^FAIL +fail +1 passed, 1 failed' "$TMP/fail.txt" &&
	grep -q '^    failed: fails_on_purpose' "$TMP/fail.txt" &&
	grep -q 'fail.c:[0-9]*:fails_on_purpose:Expected 1 (1) == 2 (2)' "$TMP/fail.txt"
ok $? "on a terminal: a failed case with its failed test point and log" || cat "$TMP/fail.txt"
grep -Eq '^skip +notap-exit77 +0 passed, 1 skipped .*\(exit 77 \(skip\), no TAP output\)' "$TMP/fail.txt" &&
	grep -q '^unexpected: fail (fail)$' "$TMP/fail.txt"
ok $? "on a terminal: a skip says why; the summary names the unexpected case"
# An interface refused (seccomp here): one headline before the summary.
tty_run "$TMP/off.txt" "build/fixtures/deny-syscall EPERM io_uring_setup -- ./run.sh --filter uring/nop"
grep -A1 'io_uring is disabled: io_uring_setup gives EPERM.*its cases skip' "$TMP/off.txt" | grep -q '^cases: '
ok $? "on a terminal: a disabled io_uring is one headline just before the summary" || cat "$TMP/off.txt"

# The build says what it does (the first build takes about 80 s).
rm -f build/cases/uring/nop
./run.sh --filter uring/nop >/dev/null 2>"$TMP/build.err"
grep -q '^run.sh: building 1 program(s)' "$TMP/build.err"; ok $? "a build says how many programs it builds"
rm -f build/cases/uring/nop
script -qec "./run.sh --filter uring/nop" /dev/null >"$TMP/build.raw" 2>&1
grep -aq '\[1/1\] build/cases/uring/nop' "$TMP/build.raw"
ok $? "on a terminal the build shows a counter (overwritten in place)"
finish
