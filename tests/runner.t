#!/usr/bin/env bash
# The runner classifies purpose-built fixtures the way DESIGN.md section 3 says.
. "$(dirname "$0")/lib.sh"
plan 89

F=build/fixtures
R=build/runner
out=$TMP/all
$R -t 2 -o "$out" $F/pass $F/fail $F/all-skip $F/part-skip $F/segv $F/abort \
	$F/hang $F/orphan-stdout $F/no-plan $F/truncated $F/exit-contradicts \
	$F/exit-zero-on-failure $F/big-output > "$TMP/all.out" 2>&1
is "$?" 1 "runner exits 1 when cases fail"
s=$out/summary.json
is "$(field $s pass status)" pass "all tests passing: pass"
is "$(field $s pass since)" 2.6.0 "a case's since is recorded (from CONFORM_DECLARE)"
is "$(field $s fail status)" fail "a failing EXPECT: fail"
is "$(field $s fail counts.fail)" 1 "the failing test point is counted"
is "$(field $s all-skip status)" skip "all tests skipped: skip, not pass"
is "$(field $s all-skip counts.pass)" 0 "a skip never counts as a pass"
is "$(field $s part-skip status)" pass "partly skipped: pass"
is "$(field $s part-skip counts.skip)" 1 "the skipped point is counted apart"
is "$(field $s segv status)" crash "SIGSEGV: crash"
is "$(field $s abort status)" crash "abort(): crash"
is "$(field $s hang status)" timeout "hang past the timeout: timeout"
is "$(field $s orphan-stdout status)" pass "child holding stdout after exit: pass"
is "$(field $s no-plan status)" error "no plan: error"
is "$(field $s truncated status)" error "truncated TAP: error"
is "$(field $s exit-contradicts status)" error "exit 1 with all ok: error"
is "$(field $s exit-zero-on-failure status)" error "exit 0 with not ok: error"
is "$(field $s big-output status)" pass "10 MB of output: pass"
size=$(stat -c %s "$out/big-output.tap")
[ "$size" -gt 10000000 ]; ok $? "the .tap file keeps all 10 MB ($size bytes)"
[ "$(wc -c < "$TMP/all.out")" -lt 1000000 ]; ok $? "stdout nesting is capped"
pgrep -f "$F/(hang|orphan-stdout)" >/dev/null; [ $? -ne 0 ]
ok $? "no hang or orphan process is left behind"
last=$(tail -n 1 "$TMP/all.out")
is "$last" "10 passed, 9 failed, 3 skipped" "closing line counts test points"
grep -qx "# unexpected: fail (fail), segv (crash), abort (crash), hang (timeout), no-plan (error), truncated (error), exit-contradicts (error), exit-zero-on-failure (error)" "$TMP/all.out"
ok $? "the trailer lists every unexpected case with its status"
grep -q "^# known-failing: \|^# disabled: \|^# known-failures that passed: \|^# intermittent " "$TMP/all.out"
[ $? -ne 0 ]; ok $? "trailer lines with nothing to list are left out"
ls "$out"/*.part >/dev/null 2>&1; [ $? -ne 0 ]; ok $? "no half-written file is left"
prove --exec "cat" "$out/run.tap" >/dev/null 2>&1
# prove fails the run on its not-ok lines; its parse must not report errors.
prove --exec "cat" "$out/run.tap" 2>&1 | grep -q "Parse errors"; [ $? -ne 0 ]
ok $? "the aggregate TAP parses under prove"

# The orphan fixture must not hold the runner until the timeout.
start=$(date +%s%N)
$R -t 20 -o "$TMP/orphan" $F/orphan-stdout >/dev/null 2>&1
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ]; ok $? "a child keeping stdout open does not stall the runner (${ms} ms)"

# Known failures: reported as known-failing, never as passed; exit 0.
printf 'fail:fails_on_purpose  *  fixture failure, listed on purpose\n' > "$TMP/known"
$R --known "$TMP/known" -o "$TMP/known-run" $F/fail >/dev/null 2>&1
is "$?" 0 "a known failure does not fail the run"
is "$(field "$TMP/known-run/summary.json" fail status)" known "listed failure: known"
is "$(field "$TMP/known-run/summary.json" fail counts.pass)" 1 "known failure not counted as pass"

# A known-failures glob "ABI:GLOB" holds for programs of that ABI only:
# i386:* does not list the 64-bit fixture's failure, x86_64:* does.
printf 'fail:fails_on_purpose  i386:*  fixture failure, for i386 programs only\n' > "$TMP/known-abi"
$R --known "$TMP/known-abi" -o "$TMP/abi-run" $F/fail >/dev/null 2>&1
is "$(field "$TMP/abi-run/summary.json" fail status)" fail "an i386:* entry does not hold for a 64-bit program"
printf 'fail:fails_on_purpose  %s:*  fixture failure, for this ABI\n' "$(uname -m)" > "$TMP/known-abi"
$R --known "$TMP/known-abi" -o "$TMP/abi-run2" $F/fail >/dev/null 2>&1
is "$(field "$TMP/abi-run2/summary.json" fail status)" known "a <machine>:* entry holds for a program of this machine"

# A program the kernel cannot execute (ENOEXEC: an i386 program without
# IA32 emulation) is one skipped point that says so, not an error.
printf '\177ELF but not a program' > "$TMP/noexec" && chmod +x "$TMP/noexec"
$R -o "$TMP/noexec-run" "$TMP/noexec" >/dev/null 2>&1
is "$?" 0 "a program the kernel cannot execute does not fail the run"
is "$(field "$TMP/noexec-run/summary.json" noexec status)" skip "it is a skip"
grep -q 'SKIP environment: execve: Exec format error: this kernel cannot run the program' "$TMP/noexec-run/run.tap"
ok $? "whose reason says what execve gave"

# Bad input: clear message, exit 2.
$R -t 0 $F/pass >/dev/null 2>&1; is "$?" 2 "-t 0 is refused"
$R -j abc $F/pass >/dev/null 2>&1; is "$?" 2 "-j abc is refused"
$R -j 1025 -o "$TMP/x" $F/pass >/dev/null 2> "$TMP/j.err"; is "$?" 2 "-j 1025 is refused"
grep -qx "runner: -j wants a whole number from 1 to 1024, not '1025'" "$TMP/j.err"
ok $? "a too-large -j says the range"
$R -j 0 -o "$TMP/x" $F/pass >/dev/null 2>&1; is "$?" 2 "-j 0 is refused"
$R -j 1024 -o "$TMP/j1024" $F/pass >/dev/null 2>&1; is "$?" 0 "-j 1024 is accepted"
$R -o "$TMP/x" /nonexistent/case >/dev/null 2>&1; is "$?" 2 "a missing case program is refused"

# Interrupted: what finished is kept, the summary says incomplete.
$R -j 1 -t 30 -o "$TMP/int" $F/pass $F/hang $F/pass >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -f "$TMP/int/pass.tap" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid
is "$?" 130 "SIGINT ends the run with 130"
is "$(total "$TMP/int/summary.json" complete)" False "the summary says incomplete"
is "$(find "$TMP/int" -name '*.part')" "" "no .part file is left after SIGINT"
[ -f "$TMP/int/hang.tap" ]; ok $? "the interrupted case's output is kept as hang.tap"
grep -q "RUN.*blocks_forever" "$TMP/int/hang.tap"; ok $? "hang.tap holds what it wrote"
is "$(field "$TMP/int/summary.json" hang status)" notrun "the interrupted case is notrun"
is "$(field "$TMP/int/summary.json" hang diagnostics)" "interrupted while running" \
	"its diagnostics say why"

# point SUMMARY CASE-ID INDEX KEY: a key of one test point.
point() {
	"$PY" - "$@" <<'PY'
import json, sys
summary, case_id, index, key = sys.argv[1:5]
for c in json.load(open(summary))["cases"]:
    if c["id"] == case_id:
        print(c["points"][int(index)].get(key, ""))
        break
else:
    print("missing")
PY
}

# Programs that print no TAP are judged by their exit status: one point.
nt=$TMP/notap
$R -o "$nt" $F/notap-exit0 $F/notap-exit77 $F/notap-exit4 $F/notap-exit1 \
	$F/notap-silent > "$TMP/notap.out" 2>&1
is "$?" 1 "a failing program without TAP fails the run"
s=$nt/summary.json
is "$(field "$s" notap-exit0 status)" pass "no TAP, exit 0: pass"
is "$(field "$s" notap-exit0 counts.pass)" 1 "no TAP, exit 0: one passed point"
is "$(point "$s" notap-exit0 0 name)" exit-status "the point is named exit-status"
is "$(field "$s" notap-exit77 status)" skip "no TAP, exit 77: skip"
is "$(field "$s" notap-exit77 counts.skip)" 1 "no TAP, exit 77: one skipped point"
is "$(point "$s" notap-exit77 0 reason)" "exit 77 (skip), no TAP output" "the skip says why"
is "$(field "$s" notap-exit4 status)" skip "no TAP, exit 4 (KSFT_SKIP): skip"
is "$(point "$s" notap-exit4 0 reason)" "exit 4 (KSFT_SKIP), no TAP output" \
	"the KSFT_SKIP skip says why"
is "$(field "$s" notap-exit1 status)" fail "no TAP, exit 1: fail"
is "$(field "$s" notap-exit1 counts.fail)" 1 "no TAP, exit 1: one failed point"
diag=$(field "$s" notap-exit1 diagnostics)
case $diag in
*"exit 1, no TAP output"*"Running test step 6..."*"test foo failed: got 3, want 4"*) r=0 ;;
*) r=1 ;;
esac
ok $r "the failure's diagnostics hold the exit and the last output"
case $diag in *"step 5..."*) r=1 ;; *) r=0 ;; esac
ok $r "only the last 15 lines are kept"
case $(point "$s" notap-exit1 0 log) in *"test foo failed: got 3, want 4"*) r=0 ;; *) r=1 ;; esac
ok $r "the failed point's log holds the last output"
is "$(field "$s" notap-silent status)" pass "no output at all, exit 0: pass"
is "$(field "$s" notap-silent counts.pass)" 1 "no output at all, exit 0: one passed point"
grep -qx "ok 3 notap-exit4 # SKIP exit 4 (KSFT_SKIP), no TAP output" "$TMP/notap.out"
ok $? "the aggregate TAP gives the skip reason"
grep -qx "# unexpected: notap-exit1 (fail)" "$TMP/notap.out"
ok $? "the trailer names the failing program"
is "$(tail -n 1 "$TMP/notap.out")" "2 passed, 1 failed, 2 skipped" \
	"closing line counts one point each"
# "okay" at a line's start is not a TAP result line.
mkdir -p "$TMP/prog"
printf '#!/bin/sh\necho "okay, starting"\nexit 0\n' > "$TMP/prog/okay"
chmod +x "$TMP/prog/okay"
$R -o "$TMP/okay" "$TMP/prog/okay" >/dev/null 2>&1
is "$(field "$TMP/okay/summary.json" okay status)" pass "\"okay\" is not a TAP line"

# Each case runs in its own TMPDIR; relative case paths and TMPDIR still work.
cat > "$TMP/prog/cwd-check" <<'EOF'
#!/bin/sh
echo "1..3"
echo "# tmpdir: $TMPDIR"
if [ "$(pwd)" = "$TMPDIR" ]; then
	echo "ok 1 cwd is TMPDIR"
else
	echo "not ok 1 cwd is $(pwd), TMPDIR is $TMPDIR"
fi
case $TMPDIR in
/*) echo "ok 2 TMPDIR is absolute" ;;
*) echo "not ok 2 TMPDIR is $TMPDIR" ;;
esac
if echo data > leftover; then echo "ok 3 a file in the cwd"; else echo "not ok 3 a file in the cwd"; fi
EOF
chmod +x "$TMP/prog/cwd-check"
mkdir -p "$TMP/reltmp"
runner_abs=$(realpath "$R")
(cd "$TMP" && TMPDIR=reltmp "$runner_abs" -o cwd-out prog/cwd-check >/dev/null 2>&1)
is "$?" 0 "a relative case path runs from inside its TMPDIR"
is "$(field "$TMP/cwd-out/summary.json" cwd-check status)" pass \
	"the cwd is TMPDIR, which is absolute"
dir=$(sed -n 's/^# tmpdir: //p' "$TMP/cwd-out/cwd-check.tap")
[ -n "$dir" ] && [ ! -e "$dir/leftover" ] && [ ! -e "$dir" ]
ok $? "the file left in the cwd is gone after the run ($dir)"
[ ! -e "$TMP/leftover" ] && [ ! -e "$TMP/prog/leftover" ]
ok $? "nothing is written into the runner's own directory"

# Known failures and the trailer: intermittent entries, passes, disabled.
cat > "$TMP/known2" <<'EOF'
pass:one_plus_one_is_two  *  fixture passes, listed to see it reported
pass:getpid_is_positive  *  Intermittent: fixture passes, listed as intermittent
fail:fails_on_purpose  *  intermittent: fails on purpose; still known-failing
notap-exit1:exit-status  *  a program without TAP, listed by its exit-status point
EOF
$F/deny-syscall ENOSYS epoll_create1 -- $R --known "$TMP/known2" -o "$TMP/trailer" \
	$F/pass $F/fail $F/notap-exit1 $F/segv > "$TMP/trailer.out" 2>&1
is "$?" 1 "an unexpected crash still fails the run"
s=$TMP/trailer/summary.json
is "$(field "$s" fail status)" known "an intermittent entry that fails: known"
is "$(field "$s" notap-exit1 status)" known "a listed exit-status point: known"
is "$(field "$s" pass diagnostics)" "one_plus_one_is_two is on the known-failures list but passed" \
	"a listed pass is noted in the case, an intermittent one is not"
sed -n '/^# cases: /,$p' "$TMP/trailer.out" |
	sed 's/^\(# results in \).* (.* s)$/\1DIR (T s)/' > "$TMP/trailer.got"
cat > "$TMP/trailer.want" <<'EOF'
# cases: 1 pass, 0 fail, 2 known-failing, 0 skip, 0 timeout, 1 crash, 0 error, 0 not run
# test points: 0 xfail, 2 known-failing (not counted as passed)
# known-failing: fail, notap-exit1
# unexpected: segv (crash)
# disabled: epoll is disabled: epoll_create1 gives ENOSYS
# known-failures that passed: pass:one_plus_one_is_two
# intermittent known-failures that did not show: 1 (pass:getpid_is_positive)
# results in DIR (T s)
4 passed, 1 failed, 0 skipped
EOF
diff "$TMP/trailer.want" "$TMP/trailer.got" >&2
ok $? "the trailer has every line, in order"
# CONFORM_DECLARE: each test point carries its since, feature and source,
# skipped ones too; the case's since is its earliest TEST's (5.9 < 5.10).
$R -o "$TMP/decl" $F/declared >/dev/null 2>&1
D=$TMP/decl/summary.json
point() {	# point NAME KEY: a test point's field of the declared fixture
	"$PY" -c 'import json,sys
p={p["name"]: p for p in json.load(open(sys.argv[1]))["cases"][0]["points"]}[sys.argv[2]]
print(p.get(sys.argv[3], "-"))' "$D" "$1" "$2"
}
is "$(point declared_and_passes since)|$(point declared_and_passes feature)" "5.10|IORING_OP_NOP" \
	"a passing point carries its declared since and feature"
is "$(point declared_and_passes source)" "io_uring_enter(2) IORING_OP_NOP" "... and its source"
is "$(point declared_and_skips since)|$(point declared_and_skips result)" "5.9|skip" \
	"a skipped point carries its declaration too"
is "$(point undeclared since)" "-" "a point without a declaration has none"
is "$(field "$D" declared since)|$(field "$D" declared feature)" "5.9|IORING_SETUP_SQPOLL" \
	"the case's since and feature are its earliest TEST's (5.9 before 5.10)"
# A skip at or after the TEST's since fails, unless its reason names a cause
# outside the kernel (CONFORM_ENV, CONFORM_UNSEEN); before since it is a skip.
$R -o "$TMP/dsk" $F/declared-skip >/dev/null 2>&1
is "$?" 1 "an unexpected skip fails the run"
K=$TMP/dsk/summary.json
is "$(field "$K" declared-skip status)" fail "the case with it fails"
dpt() {	# dpt NAME KEY: a test point's field of the declared-skip fixture
	"$PY" -c 'import json,sys
p={p["name"]: p for p in json.load(open(sys.argv[1]))["cases"][0]["points"]}[sys.argv[2]]
print(p.get(sys.argv[3], "-"))' "$K" "$1" "$2"
}
is "$(dpt skip_after_since_for_a_kernel_reason result)" fail "a kernel-reason skip after since is a failed point"
dpt skip_after_since_for_a_kernel_reason reason | grep -q "^unexpected skip: kernel .* is at or after the test's since 2.6"
ok $? "its reason says so, with the kernel and the since"
is "$(dpt skip_after_since_for_an_environment_reason result)/$(dpt skip_after_since_not_observed result)/$(dpt skip_before_since result)" \
	skip/skip/skip "environment and not-observed skips, and a skip before since, stay skips"
printf 'declared-skip:skip_after_since_for_a_kernel_reason  *  fixture, listed on purpose\n' >"$TMP/known-skip"
$R --known "$TMP/known-skip" -o "$TMP/dsk2" $F/declared-skip >/dev/null 2>&1
is "$?/$(field "$TMP/dsk2/summary.json" declared-skip status)" 0/known "a listed unexpected skip is known-failing"
finish
