#!/usr/bin/env bash
# The runner classifies purpose-built fixtures the way DESIGN.md section 3 says.
. "$(dirname "$0")/lib.sh"
plan 33

F=build/fixtures
R=build/runner
out=$TMP/all
$R -t 2 -o "$out" $F/pass $F/fail $F/all-skip $F/part-skip $F/segv $F/abort \
	$F/hang $F/orphan-stdout $F/no-plan $F/truncated $F/exit-contradicts \
	$F/exit-zero-on-failure $F/big-output > "$TMP/all.out" 2>&1
is "$?" 1 "runner exits 1 when cases fail"
s=$out/summary.json
is "$(field $s pass status)" pass "all tests passing: pass"
is "$(field $s pass since)" 2.6.0 "CONFORM_SINCE is recorded"
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

# Bad input: clear message, exit 2.
$R -t 0 $F/pass >/dev/null 2>&1; is "$?" 2 "-t 0 is refused"
$R -j abc $F/pass >/dev/null 2>&1; is "$?" 2 "-j abc is refused"
$R -o "$TMP/x" /nonexistent/case >/dev/null 2>&1; is "$?" 2 "a missing case program is refused"

# Interrupted: what finished is kept, the summary says incomplete.
$R -j 1 -t 30 -o "$TMP/int" $F/pass $F/hang $F/pass >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -f "$TMP/int/pass.tap" ] && break; sleep 0.05; done
kill -INT $pid; wait $pid
is "$?" 130 "SIGINT ends the run with 130"
is "$(total "$TMP/int/summary.json" complete)" False "the summary says incomplete"
finish
