#!/usr/bin/env bash
# harness/lava: the overlay (overlay.sh), the device-side run script
# (run-aioconf.sh, under busybox sh with busybox's applets only, fake LAVA
# helpers on PATH), the end-of-run marker (a run without it is an error,
# never a pass), check-log.sh and the example test definition aioconf.yaml.
. "$(dirname "$0")/lib.sh"
plan 59

L=harness/lava
skip_all() { for _ in $(seq 59); do skip "$*"; done; finish; }
if [ ! -x build/runner ] || [ ! -d build/cases ]; then
	skip_all "build/runner or build/cases is not built (make)"
fi
CASES="uring/nop aio/poll eventfd/counter uring/provide-buffers"
for c in $CASES; do
	[ -x "build/cases/$c" ] || skip_all "build/cases/$c is not built (make)"
done

# --- overlay.sh ------------------------------------------------------------
ov=$TMP/ov.tar.xz
filters=()
for c in $CASES; do filters+=(--filter "$c"); done
$L/overlay.sh "${filters[@]}" -o "$ov" >"$TMP/ov.log" 2>&1
ok $? "overlay.sh packs an x86_64 overlay of 4 cases" || sed 's/^/# /' "$TMP/ov.log"
"$PY" - "$ov" >"$TMP/members" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    for m in t.getmembers():
        print(m.name, m.uid, m.gid, m.mtime, oct(m.mode))
PY
is "$(awk '{print $1}' "$TMP/members" | tr '\n' ' ')" \
	"aioconf aioconf/cases aioconf/cases/aio aioconf/cases/aio/poll aioconf/cases/eventfd aioconf/cases/eventfd/counter aioconf/cases/uring aioconf/cases/uring/nop aioconf/cases/uring/provide-buffers aioconf/known-failures.txt aioconf/run-aioconf.sh aioconf/runner " \
	"it holds /aioconf/{runner,cases/<area>/<case>,known-failures.txt,run-aioconf.sh}, sorted"
is "$(awk '$2 != 0 || $3 != 0 || $4 != 1577836800' "$TMP/members" | wc -l)" 0 \
	"every member is owned by 0:0 with the fixed mtime"
is "$(awk '$1 == "aioconf/runner" || $1 == "aioconf/run-aioconf.sh" || $1 ~ /cases\/.*\// {print $5}' "$TMP/members" | sort -u)" \
	0o755 "the programs and the run script are executable (0755)"
$L/overlay.sh "${filters[@]}" -o "$TMP/ov2.tar.xz" >/dev/null 2>&1 && cmp -s "$ov" "$TMP/ov2.tar.xz"
ok $? "a second pack is byte for byte the same"
$L/overlay.sh --arch mips -o "$TMP/x.tar.xz" >/dev/null 2>"$TMP/err"
is "$?" 2 "an unknown --arch is refused with exit 2"
$L/overlay.sh --filter 'nosuch/*' -o "$TMP/x.tar.xz" >/dev/null 2>"$TMP/err"
is "$?" 2 "a --filter that matches no case is refused with exit 2"

# Nothing built: a copy of the script in an empty tree says which make.
mkdir -p "$TMP/empty/harness/lava" "$TMP/empty/cases"
cp $L/overlay.sh "$TMP/empty/harness/lava/"
cp cases/known-failures.txt "$TMP/empty/cases/"
"$TMP/empty/$L/overlay.sh" -o "$TMP/x.tar.xz" >/dev/null 2>"$TMP/err"
st=$?
[ $st -eq 2 ] && grep -q "build/runner is not built: run 'make' first" "$TMP/err"
ok $? "x86_64 without a build: exit 2 naming 'make' (got $st: $(cat "$TMP/err"))"
mkdir -p "$TMP/empty/build" && cp build/runner "$TMP/empty/build/"
"$TMP/empty/$L/overlay.sh" --arch i386 -o "$TMP/x.tar.xz" >/dev/null 2>"$TMP/err"
st=$?
[ $st -eq 2 ] && grep -q "build/i386/cases is not built: run 'make cases32' first" "$TMP/err"
ok $? "i386 without its cases: exit 2 naming 'make cases32' (got $st: $(cat "$TMP/err"))"
"$TMP/empty/$L/overlay.sh" --arch aarch64 -o "$TMP/x.tar.xz" >/dev/null 2>"$TMP/err"
st=$?
[ $st -eq 2 ] && grep -q "build/arm64/runner is not built: run 'make cases-arm64' first" "$TMP/err"
ok $? "aarch64 without its build: exit 2 naming 'make cases-arm64' (got $st: $(cat "$TMP/err"))"

# The other ABIs, where they are built.
if [ -x build/i386/cases/uring/nop ]; then
	$L/overlay.sh --arch i386 --filter uring/nop -o "$TMP/i386.tar.xz" >/dev/null 2>&1 &&
		tar -xJOf "$TMP/i386.tar.xz" aioconf/cases/uring/nop | head -c 20 | od -An -tx1 | grep -q '7f 45 4c 46 01'
	ok $? "an i386 overlay holds the 32-bit programs"
else
	skip "build/i386/cases is not built (make cases32)"
fi
if [ -x build/arm64/runner ] && [ -x build/arm64/cases/uring/nop ]; then
	$L/overlay.sh --arch aarch64 --filter uring/nop -o "$TMP/arm64.tar.xz" >/dev/null 2>&1 &&
		[ "$(tar -xJOf "$TMP/arm64.tar.xz" aioconf/runner | head -c 20 | od -An -tx1 -j18 | tr -d ' ')" = b700 ]
	ok $? "an aarch64 overlay holds the arm64 runner (e_machine 183)"
else
	skip "build/arm64 is not built (make cases-arm64)"
fi

# --- shell dialect ---------------------------------------------------------
if command -v shellcheck >/dev/null; then
	shellcheck -s sh -S warning $L/run-aioconf.sh $L/check-log.sh >"$TMP/sc" 2>&1 &&
		shellcheck -S warning $L/overlay.sh >>"$TMP/sc" 2>&1
	ok $? "shellcheck -S warning: run-aioconf.sh and check-log.sh as POSIX sh, overlay.sh" ||
		sed 's/^/# /' "$TMP/sc" | head -n 40
else
	ok 1 "shellcheck is missing: harness/deps.sh --for-tests installs it"
fi

# --- run-aioconf.sh on a busybox userland ----------------------------------
# The device: the overlay extracted by busybox tar, a PATH of busybox
# applets, fake lava-test-case/lava-test-set/lava-test-raise that log.
root=$TMP/root
mkdir -p "$root" "$TMP/bb" "$TMP/fake"
busybox tar -xJf "$ov" -C "$root"
ok $? "busybox tar extracts the overlay"
for a in $(busybox --list); do ln -s "$(command -v busybox)" "$TMP/bb/$a"; done
for h in lava-test-case lava-test-set lava-test-raise; do
	printf '#!/bin/sh\necho "%s $*" >>"$CALLS"\n' "$h" >"$TMP/fake/$h"
	chmod +x "$TMP/fake/$h"
done
# device_run NAME [ENV=VALUE...] [-- ARGS]: run-aioconf.sh under busybox sh;
# $TMP/NAME.out, .err, .calls; returns its exit status.
device_run() {
	local name=$1 envs=() path=$TMP/fake:$TMP/bb; shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		if [ "$1" = nolava ]; then path=$TMP/bb; else envs+=("$1"); fi
		shift
	done
	[ $# -gt 0 ] && shift
	: >"$TMP/$name.calls"
	env -i PATH="$path" CALLS="$TMP/$name.calls" TMPDIR="$TMP" \
		AIOCONF_OUT="$TMP/$name.res" "${envs[@]}" \
		busybox sh "${DEVROOT:-$root}/aioconf/run-aioconf.sh" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
}
# expected NAME: the LAVA calls the documented mapping gives for the case
# records in NAME.out (written here apart from run-aioconf.sh's awk).
expected() {
	"$PY" - "$TMP/$1.out" "${2:-pass}" <<'PY'
import json, re, sys
def lava(s):
    return re.sub(r"[^A-Za-z0-9._-]", "_", s.replace("/", "."))
POINT = {"pass": "pass", "fail": "fail", "skip": "skip", "xfail": "pass", "known": "fail"}
for line in open(sys.argv[1]):
    if not line.startswith("# aioconf-case: "):
        continue
    c = json.loads(line[len("# aioconf-case: "):])
    cid = lava(c["id"])
    print("lava-test-set start", cid)
    failed = False
    for p in c["points"]:
        r = POINT[p["result"]]
        failed |= r == "fail"
        print(f"lava-test-case {cid}.{lava(p['name'])} --result {r}")
    s = c["status"]
    if s == "notrun":
        print(f"lava-test-case {cid} --result unknown")
    elif s in ("timeout", "crash", "error") or (s == "fail" and not failed):
        print(f"lava-test-case {cid} --result fail")
    elif not c["points"]:
        print(f"lava-test-case {cid} --result {s if s in ('pass', 'skip') else 'fail'}")
    print("lava-test-set stop")
if sys.argv[2] != "none":
    print("lava-test-case aioconf.run-complete --result", sys.argv[2])
PY
}

# A passing run: 3 cases that pass here, one with known failures, chosen by
# an argument and by AIOCONF_FILTER.
device_run good "AIOCONF_FILTER=eventfd/counter uring/provide-buffers" -- -t 30 uring/nop 'aio/*'
rc=$?
out=$TMP/good.out
last=$(tail -n 1 "$out")
closing=$(tail -n 2 "$out" | head -n 1)
mrc=$(echo "$last" | sed -n 's/^# aioconf-run-end rc=\([0-9]*\) .*/\1/p')
[ "$rc" -eq "${mrc:-x}" ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; }
ok $? "a complete run exits with the runner's status, as its end marker says (exit $rc, '$last')" ||
	sed 's/^/# /' "$TMP/good.err"
is "$(head -n 1 "$out")" "TAP version 13" "stdout starts with the runner's TAP version line"
is "$(grep -c '^ok \|^not ok ' "$out")" 4 "it has one result line per case (aio/* is aio/poll here)" ||
	grep '^ok \|^not ok ' "$out" | sed 's/^/# /'
echo "$closing" | grep -Eqx '[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped'
ok $? "the runner's closing line comes just before the marker ('$closing')"
read -r p f s <<<"$(echo "$closing" | awk '{print $1, $3, $5}')"
is "$last" "# aioconf-run-end rc=$rc passed=$p failed=$f skipped=$s" \
	"the end marker is the last line, with the runner's status and counts"
head -n -1 "$out" | cmp -s - "$TMP/good.res/run.tap"
ok $? "stdout but the marker is the runner's TAP unchanged (its run.tap)"
prove --exec cat "$out" 2>&1 | grep -q "Parse errors"; [ $? -ne 0 ]
ok $? "stdout parses as TAP under prove"
is "$(grep -c '^# aioconf-case: ' "$out")" 4 "with --case-json: one record per case"
expected good >"$TMP/good.want"
diff "$TMP/good.want" "$TMP/good.calls" >"$TMP/diff"
ok $? "the LAVA calls are each case's test set with its points, then run-complete pass" ||
	sed 's/^/# /' "$TMP/diff" | head -n 20
points=$("$PY" -c 'import json,sys
print(sum(len(json.loads(l[16:])["points"]) for l in open(sys.argv[1]) if l.startswith("# aioconf-case: ")))' "$out")
is "$(grep -c '^lava-test-case [a-z-]*\.[a-z-]*\.' "$TMP/good.calls")" "$points" \
	"one <area>.<case>.<test> test case per test point ($points)"
grep -q '^lava-test-case uring.nop.nop_completes_with_res_zero --result pass$' "$TMP/good.calls" &&
	grep -q '^lava-test-case eventfd.counter.fork_child_shares_counter --result pass$' "$TMP/good.calls"
ok $? "a passing point is <area>.<case>.<test> pass"
is "$(grep -c '^lava-test-set start ' "$TMP/good.calls") $(grep -c '^lava-test-set stop$' "$TMP/good.calls")" \
	"4 4" "each case is a test set <area>.<case>, started and stopped"
known=$(grep '^# aioconf-case: {"id": "uring/provide-buffers"' "$out" |
	"$PY" -c 'import json,sys; c=json.loads(sys.stdin.read()[16:]); print(" ".join(p["name"] for p in c["points"] if p["result"] == "known"))')
if [ -n "$known" ]; then
	bad=
	for t in $known; do
		grep -qx "lava-test-case uring.provide-buffers.$t --result fail" "$TMP/good.calls" || bad="$bad $t"
	done
	is "$bad" "" "a known failure (uring/provide-buffers:${known// /, }) is a LAVA fail"
else
	skip "uring/provide-buffers has no known failure on $(uname -r)"
fi
is "$(tail -n 1 "$TMP/good.calls")" "lava-test-case aioconf.run-complete --result pass" \
	"aioconf.run-complete passes, reported last"
grep -q 'lava-test-raise' "$TMP/good.calls"; [ $? -ne 0 ]
ok $? "a complete run raises nothing"
is "$(grep -E '^lava-test-case [^ .]+\.[^ .]+ ' "$TMP/good.calls" | grep -vc aioconf.run-complete)" 0 \
	"no case-level <area>.<case> test case for cases that ran and passed"

# The same without LAVA: nothing is called, the marker is the same.
device_run plain nolava -- -t 30 uring/nop
rc=$?
is "$rc $(tail -n 1 "$TMP/plain.out" | cut -d' ' -f1-3)" "0 # aioconf-run-end rc=0" \
	"without lava-test-case on PATH: same TAP and marker, exit 0"
is "$(wc -c <"$TMP/plain.calls")" 0 "and no LAVA helper is called"

# A glob that matches nothing is a warning; none matching at all an error.
device_run warn -- -t 30 'nosuch/*' uring/nop
is "$? $(grep -c "warning: 'nosuch/\*' matches no case" "$TMP/warn.err")" "0 1" \
	"a glob that matches no case is warned about, the rest runs"
device_run none -- 'nosuch/*'
rc=$?
[ $rc -eq 2 ] && ! grep -q 'aioconf-run-end' "$TMP/none.out" &&
	grep -q '^# aioconf-run-incomplete rc=2: no case to run' "$TMP/none.out"
ok $? "no case to run: exit 2, no end marker (exit $rc)"
grep -qx 'lava-test-case aioconf.run-complete --result fail' "$TMP/none.calls" &&
	grep -q '^lava-test-raise ' "$TMP/none.calls"
ok $? "and run-complete fails, and lava-test-raise ends the LAVA job as incomplete"

# The runner cannot start (an unreadable known-failures list): exit 2.
device_run noknown AIOCONF_KNOWN=/nonexistent -- uring/nop
rc=$?
[ $rc -eq 2 ] && grep -q '^# aioconf-run-incomplete rc=2: ' "$TMP/noknown.out" &&
	! grep -q 'aioconf-run-end' "$TMP/noknown.out"
ok $? "a runner that fails to start (exit 2): incomplete, exit 2 (exit $rc)"

# A runner killed mid-way: the TAP up to the first case record, then
# SIGKILL. The fake runner replays the good run's output.
dev2=$TMP/root2
cp -a "$root" "$dev2"
upto=$(grep -n '^# aioconf-case: ' "$out" | sed -n 2p | cut -d: -f1)
printf '#!/bin/sh\nhead -n %s %s\nkill -KILL $$\n' "$((upto + 3))" "$out" >"$dev2/aioconf/runner"
DEVROOT=$dev2 device_run killed -- uring/nop
rc=$?
[ $rc -eq 2 ] && ! grep -q 'aioconf-run-end' "$TMP/killed.out"
ok $? "a runner killed mid-way: exit 2 and no end marker (exit $rc)"
is "$(tail -n 1 "$TMP/killed.out")" \
	"# aioconf-run-incomplete rc=137: the runner's output ended without its closing line \"N passed, N failed, N skipped\"" \
	"it says why, with the runner's status"
head -n "$((upto + 3))" "$out" | cmp -s - <(head -n -1 "$TMP/killed.out")
ok $? "what the runner printed before it died is passed through"
expected killed fail >"$TMP/killed.want"
diff "$TMP/killed.want" <(grep -v '^lava-test-raise' "$TMP/killed.calls") >"$TMP/diff"
ok $? "the cases it finished are reported, then aioconf.run-complete fail" || sed 's/^/# /' "$TMP/diff"
grep -q '^lava-test-raise aioconf run incomplete (rc=137)' "$TMP/killed.calls"
ok $? "and lava-test-raise ends the LAVA job as incomplete"

# An interrupted runner prints its closing line but exits 130: incomplete.
printf '#!/bin/sh\ncat %s\nexit 130\n' "$TMP/good.res/run.tap" >"$dev2/aioconf/runner"
DEVROOT=$dev2 device_run interrupted -- uring/nop
rc=$?
[ $rc -eq 2 ] && tail -n 1 "$TMP/interrupted.out" | grep -q '^# aioconf-run-incomplete rc=130: the runner exited 130'
ok $? "a runner that ends 130 (interrupted) despite its closing line: incomplete, exit 2 (exit $rc)"

# Case-level results: fixtures that fail, crash, hang, break TAP, skip.
if [ -x build/fixtures/segv ]; then
	dev3=$TMP/root3
	cp -a "$root" "$dev3"
	mkdir -p "$dev3/aioconf/cases/fixture"
	for f in pass fail segv no-plan hang all-skip; do cp build/fixtures/$f "$dev3/aioconf/cases/fixture/"; done
	DEVROOT=$dev3 device_run fixtures -- -t 2 'fixture/*'
	rc=$?
	is "$rc $(tail -n 1 "$TMP/fixtures.out" | cut -d' ' -f1-3)" "1 # aioconf-run-end rc=1" \
		"unexpected failures: a complete run, exit 1, marker rc=1"
	expected fixtures >"$TMP/fixtures.want"
	diff "$TMP/fixtures.want" "$TMP/fixtures.calls" >"$TMP/diff"
	ok $? "the LAVA calls follow the documented mapping" || sed 's/^/# /' "$TMP/diff" | head -n 20
	c=$TMP/fixtures.calls
	grep -qx 'lava-test-case fixture.segv --result fail' "$c" &&
		grep -qx 'lava-test-case fixture.hang --result fail' "$c" &&
		grep -qx 'lava-test-case fixture.no-plan --result fail' "$c"
	ok $? "a crash, a timeout and broken TAP are each a failed <area>.<case>"
	grep -qx 'lava-test-case fixture.fail.fails_on_purpose --result fail' "$c" &&
		! grep -qx 'lava-test-case fixture.fail --result fail' "$c"
	ok $? "a failing point is its own failed test case, without a case-level one"
	grep -qx 'lava-test-case fixture.all-skip.skips_first --result skip' "$c" &&
		grep -qx 'lava-test-case fixture.segv.first --result pass' "$c"
	ok $? "skipped points skip; a crashed case's points before the crash are kept"
else
	for _ in 1 2 3 4 5; do skip "build/fixtures is not built (make fixtures)"; done
fi

# --- check-log.sh ----------------------------------------------------------
log=$TMP/plain.out
$L/check-log.sh "$log" >"$TMP/cl"
is "$? $(cat "$TMP/cl")" "0 check-log.sh: $log: complete run, $(tail -n 1 "$log" | cut -c3-)" \
	"check-log.sh: a complete passing log: exit 0, the marker quoted"
sed 's/^/[   12.345678] /; s/$/\r/' "$log" | busybox sh $L/check-log.sh - >/dev/null
is "$?" 0 "the marker is found behind a console prefix and a CR (busybox sh)"
if [ -x build/fixtures/segv ]; then
	$L/check-log.sh "$TMP/fixtures.out" >/dev/null
	is "$?" 1 "a complete log with unexpected failures (rc=1): exit 1"
else
	skip "build/fixtures is not built (make fixtures)"
fi
head -n -1 "$log" >"$TMP/cut.log"
$L/check-log.sh "$TMP/cut.log" >"$TMP/cl"
is "$? $(cut -d: -f3- "$TMP/cl")" "2  no end marker: the run started but printed no end marker (an error, never a pass)" \
	"a log whose marker is missing: exit 2, an error"
$L/check-log.sh "$TMP/killed.out" >/dev/null
is "$?" 2 "the log of a killed runner: exit 2"
$L/check-log.sh "$TMP/interrupted.out" >/dev/null
is "$?" 2 "the log of an interrupted runner (closing line, no marker): exit 2"
cat "$log" "$TMP/cut.log" >"$TMP/two.log"
$L/check-log.sh "$TMP/two.log" >/dev/null
is "$?" 2 "a complete run followed by a run that did not finish: exit 2"
: >"$TMP/empty.log"
$L/check-log.sh "$TMP/empty.log" >/dev/null
is "$?" 2 "an empty log: exit 2"

# --- aioconf.yaml ------------------------------------------------------------
"$PY" - $L/aioconf.yaml >"$TMP/yaml" 2>&1 <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
m = d["metadata"]
problems = []
if m.get("format") != "Lava-Test Test Definition 1.0":
    problems.append("metadata.format")
for key in ("name", "description"):
    if not isinstance(m.get(key), str) or not m[key]:
        problems.append("metadata." + key)
for key in ("maintainer", "os", "scope", "devices"):
    if key in m and not (isinstance(m[key], list) and all(isinstance(v, str) for v in m[key])):
        problems.append("metadata." + key)
for key in ("os", "scope", "devices"):
    if key not in m:
        problems.append("metadata." + key + " missing")
params = d.get("params", {})
if not all(isinstance(v, str) for v in params.values()):
    problems.append("params values must be strings")
steps = d["run"]["steps"]
if not (isinstance(steps, list) and all(isinstance(s, str) for s in steps)):
    problems.append("run.steps")
if not any("/aioconf/run-aioconf.sh" in s for s in steps):
    problems.append("no step runs /aioconf/run-aioconf.sh")
print("; ".join(problems) or "ok")
print(" ".join(sorted(params)))
PY
is "$(head -n 1 "$TMP/yaml")" ok "aioconf.yaml is YAML with LAVA's required keys (metadata format, name; run.steps)"
is "$(sed -n 2p "$TMP/yaml")" "AIOCONF_DMESG AIOCONF_FILTER AIOCONF_JOBS AIOCONF_TIMEOUT" \
	"its params are the run script's variables"

# Its steps as LAVA runs them: params as plain assignments, then the steps,
# under set -e; LAVA's end-of-run signal comes last.
lava_script() {	# lava_script SCRIPT FILTER: the generated run script
	"$PY" - $L/aioconf.yaml "$1" "$2" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
lines = ["%s='%s'" % (k, v) for k, v in d["params"].items()]
lines += ["AIOCONF_FILTER='%s'" % sys.argv[3], "set -e"]
lines += [s.replace("/aioconf/run-aioconf.sh", sys.argv[2]) for s in d["run"]["steps"]]
lines += ["echo '<LAVA_SIGNAL_ENDRUN 0_aioconf uuid>'"]
print("\n".join(lines))
PY
}
lava_script "$root/aioconf/run-aioconf.sh" uring/nop >"$TMP/run.sh"
env -i PATH="$TMP/fake:$TMP/bb" CALLS="$TMP/steps.calls" TMPDIR="$TMP" AIOCONF_OUT="$TMP/steps.res" \
	busybox sh "$TMP/run.sh" >"$TMP/steps.out" 2>&1
tail -n 2 "$TMP/steps.out" | head -n 1 | grep -q '^# aioconf-run-end rc=0 ' &&
	grep -qx '<LAVA_SIGNAL_ENDRUN 0_aioconf uuid>' "$TMP/steps.out" &&
	grep -qx 'lava-test-case uring.nop.nop_echoes_user_data --result pass' "$TMP/steps.calls"
ok $? "the definition's steps run the suite with its params (AIOCONF_FILTER=uring/nop)" ||
	tail -n 5 "$TMP/steps.out" | sed 's/^/# /'
for st in 1 2; do
	printf '#!/bin/sh\nexit %s\n' "$st" >"$TMP/exit$st.sh"
	chmod +x "$TMP/exit$st.sh"
	lava_script "$TMP/exit$st.sh" "" >"$TMP/run$st.sh"
	busybox sh "$TMP/run$st.sh" >"$TMP/run$st.out" 2>&1
	grep -c '<LAVA_SIGNAL_ENDRUN' "$TMP/run$st.out" >"$TMP/endrun$st"
done
is "$(cat "$TMP/endrun1") $(cat "$TMP/endrun2")" "1 0" \
	"under set -e, exit 1 (failures) lets the run end normally, exit 2 (incomplete) aborts it"
finish
