#!/usr/bin/env bash
# harness/report/resume.py on made-up boot folders (no QEMU): a hang, then
# a panic, then a boot that died before its runner started. Cases finished
# before a crash come back from the records the guest's runner (--case-json)
# put in serial.tap; each running case is a crash with its console text;
# what no boot reached is notrun and the summary incomplete.
. "$(dirname "$0")/lib.sh"
plan 19
D=$TMP/k
mkdir -p "$D/resume-1" "$D/resume-2"
printf 'build/cases/t/p1\nbuild/cases/t/p2\nbuild/cases/t/p3\n/x/p4\n/x/p5\n' >"$D/programs"
printf 'status=hang\nrelease=6.1.0-test\nguest_uptime_at_runner_s=3.1\ntotal_s=40\nrunning_case=t/p2\nnot_run=t/p3 p4 p5\n' >"$D/boot.env"
cat >"$D/serial.tap" <<'EOT'
TAP version 13
1..5
# aioconf runner: kernel 6.1.0-test x86_64, 5 cases, -j 1, timeout 300 s, dmesg checked
# TAP version 13
# 1..2
# #  RUN           global.good ...
# #            OK  global.good
# ok 1 global.good
# #  RUN           global.bad ...
# # p1.c:10:bad:Expected 1 (1) == 2 (2)
# #          FAIL  global.bad
# not ok 2 global.bad
# # conform-test: 5.1 | IORING_OP_NOP | io_uring_enter(2) IORING_OP_NOP
not ok 1 t/p1 # TODO known-failing
# aioconf-case: {"id": "t/p1", "status": "known", "exit": 1, "duration_s": 0.010, "since": "5.1", "feature": "IORING_OP_NOP", "counts": {"pass": 1, "fail": 0, "skip": 0, "xfail": 0, "known": 1}, "diagnostics": "", "points": [{"name": "good", "result": "pass"}, {"name": "bad", "result": "known", "reason": "a reviewed defect (reference)"}]}
# aioconf-case: {"id": "t/cut", "status": "pass", "cou
EOT
{ for i in $(seq 40); do echo "[ $i.0] boot line $i"; done; echo "[ 99.0] INFO: task p2 blocked for more than 30 seconds"; } >"$D/console.log"
printf 'status=panic\nrelease=6.1.0-test\nguest_uptime_at_runner_s=2.9\ntotal_s=5\nrunning_case=t/p3\nnot_run=p4 p5\n' >"$D/resume-1/boot.env"
printf 'TAP version 13\n1..3\n# aioconf runner: kernel 6.1.0-test\n' >"$D/resume-1/serial.tap"
printf 'aioconf-init: runner starts\n[ 3.1] Kernel panic - not syncing: Fatal exception\n[ 3.2] Call Trace:\n' >"$D/resume-1/console.log"
printf 'status=died\nrelease=6.1.0-test\nguest_uptime_at_runner_s=\ntotal_s=3\nrunning_case=p4\nnot_run=p5\n' >"$D/resume-2/boot.env"
: >"$D/resume-2/serial.tap"
echo "[ 1.0] early boot death" >"$D/resume-2/console.log"

"$PY" harness/report/resume.py "$D" >"$TMP/out" 2>&1; rc=$?
S=$D/summary.json
is "$rc" 1 "exit 1: there are crashes"
is "$(field "$S" t/p1 status)" known "a case finished before the hang keeps its status (known)"
is "$(field "$S" t/p1 counts.known)/$(field "$S" t/p1 counts.pass)" 1/1 "its points, as the guest's runner judged them"
is "$(field "$S" t/p1 since)" 5.1 "its since from its record"
is "$(field "$S" t/p2 status)" crash "the case running at the hang is a crash"
field "$S" t/p2 diagnostics >"$TMP/d2"
grep -q 'hung' "$TMP/d2" && grep -q 'blocked for more than' "$TMP/d2" && ! grep -q 'boot line 2$' "$TMP/d2"
ok $? "its diagnostics: the guest hung, and the console's last lines"
is "$(field "$S" t/p3 status)" crash "the case running at the panic in the second boot is a crash"
field "$S" t/p3 diagnostics | grep 'Kernel panic - not syncing' >/dev/null; ok $? "its diagnostics hold the panic"
is "$(field "$S" p4 status)/$(field "$S" p5 status)" notrun/notrun \
	"a boot that died before its runner crashes no case: the rest is notrun"
is "$(total "$S" complete)" False "the summary is not complete"
is "$(total "$S" totals.failed)" 2 "two failed points: one per crash (the known failure does not count)"
is "$(tail -n 1 "$TMP/out")" "1 passed, 2 failed, 0 skipped" "the closing line"
grep -q 'Expected 1' "$D/t/p1.tap" && ! prove -e cat "$D/t/p1.tap" >/dev/null 2>&1
ok $? "t/p1.tap is rebuilt from the nested TAP (and fails prove, as the case did)"
is "$(field "$S" t/cut status)" missing "a record cut short by the crash is dropped, not half-read"
grep -q '^# known-failing: t/p1$' "$TMP/out" && grep -q '^# unexpected: t/p2 (crash), t/p3 (crash), p4 (notrun), p5 (notrun)$' "$TMP/out"
ok $? "the trailer names the known-failing and the unexpected cases, as the runner's does"

# A boot stopped by Ctrl-C (boot.sh status=interrupted): the case that was
# running is not a crash but notrun, and nothing finished is lost.
I=$TMP/i
mkdir -p "$I"
printf 'build/cases/t/p1\nbuild/cases/t/p2\n/x/p3\n' >"$I/programs"
printf 'status=interrupted\nrelease=6.1.0-test\nguest_uptime_at_runner_s=3.1\ntotal_s=9\nrunning_case=t/p2\nnot_run=p3\n' >"$I/boot.env"
sed -n '1,3p;/^# aioconf-case: {"id": "t\/p1"/p' "$D/serial.tap" >"$I/serial.tap"
echo "aioconf-init: runner starts" >"$I/console.log"
"$PY" harness/report/resume.py "$I" >"$TMP/iout" 2>&1
is "$(field "$I/summary.json" t/p1 status)" known "interrupted boot: the finished case keeps its result"
is "$(field "$I/summary.json" t/p2 status)" notrun "interrupted boot: the running case is notrun, not a crash"
field "$I/summary.json" t/p2 diagnostics | grep "interrupted while running" >/dev/null
ok $? "interrupted boot: its diagnostics say it was interrupted"
is "$(total "$I/summary.json" complete)/$(total "$I/summary.json" totals.failed)" False/0 \
	"interrupted boot: incomplete, and no failed point is made up"
finish
