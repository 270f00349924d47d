#!/usr/bin/env bash
# harness/report/render_kcidb.py through matrix.py: kcidb.json of the
# committed baseline (16 columns) validates against kcidb.schema.json, holds
# one test per case program and per test point with the documented statuses,
# and is byte-identical when rendered again; a small synthetic run covers the
# statuses the baseline lacks (notrun, timeout, crash, error, xfail) and odd
# names; documents broken on purpose fail the schema.
. "$(dirname "$0")/lib.sh"
plan 43

REPORT=harness/report
SCHEMA=$REPORT/kcidb.schema.json
R=$TMP/run		# a copy of results/baseline, rendered as a matrix run
S=$TMP/synth		# the synthetic run
cp -r results/baseline "$R"

# validate DOC: kcidb.json against the schema; the first errors on failure.
cat >"$TMP/validate.py" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(v.iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(e.path))
for e in errors[:5]:
    print(f"# {'/'.join(map(str, e.path))}: {e.message[:200]}")
sys.exit(1 if errors else 0)
PY
validate() { "$PY" "$TMP/validate.py" "$SCHEMA" "$1"; }

# facts RUN: what kcidb.json holds next to what the run's summary.json files
# say it must hold (the mapping of render_kcidb.py's docstring), as
# "name value" lines.
cat >"$TMP/facts.py" <<'PY'
import json, os, re, sys
from collections import Counter
top = sys.argv[1]
doc = json.load(open(os.path.join(top, "kcidb.json")))
CASE = {"pass": "PASS", "fail": "FAIL", "known": "FAIL", "skip": "SKIP", "timeout": "FAIL",
        "crash": "FAIL", "error": "ERROR", "notrun": "MISS"}
POINT = {"pass": "PASS", "fail": "FAIL", "known": "FAIL", "skip": "SKIP", "xfail": "DONE"}
cols, want, kernels, sources = {}, Counter(), set(), set()
for name in sorted(os.listdir(top)):
    path = os.path.join(top, name, "summary.json")
    if os.path.exists(path):
        s = cols[name] = json.load(open(path))
        k = s["kernel"]
        kernels.add((k["release"], k["version"], k["machine"]))
        deb = re.search(r"Debian (\S+)", k["version"])
        sources.add(deb.group(1) if deb else (k["release"], k["version"]))
        for c in s["cases"]:
            want[CASE[c["status"]]] += 1
            for p in c["points"]:
                want[POINT[p["result"]]] += 1
tests = doc["tests"]
got = Counter(t["status"] for t in tests)
fmt = lambda c: " ".join(f"{k}={c[k]}" for k in sorted(c))
builds = {b["id"]: b for b in doc["builds"]}
checkouts = {c["id"] for c in doc["checkouts"]}
col = lambda t: t["environment"]["misc"]["column"]
print("version", doc["version"]["major"], doc["version"]["minor"])
print("tests", len(tests))
print("want_tests", sum(len(s["cases"]) + sum(len(c["points"]) for c in s["cases"])
                        for s in cols.values()))
print("statuses", fmt(got))
print("want_statuses", fmt(want))
print("builds", len(builds), "want", len(kernels))
print("checkouts", len(checkouts), "want", len(sources))
print("unique_ids", len({t["id"] for t in tests}) == len(tests))
print("linked", all(t["build_id"] in builds for t in tests)
      and all(b["checkout_id"] in checkouts for b in builds.values()))
print("columns", len({col(t) for t in tests}), len(cols))
by = {}
for t in tests:
    by[(col(t), t["path"])] = t
def show(column, path, *keys):
    t = by.get((column, path))
    if t is None:
        return "missing"
    out = []
    for key in keys:
        v = t
        for part in key.split("."):
            v = v.get(part, "-") if isinstance(v, dict) else "-"
        out.append(str(v))
    return " | ".join(out)
for line in sys.stdin:
    label, column, path, keys = line.split(None, 3)
    print(label, show(column, path, *keys.split()))
PY
# facts RUN [< LABEL COLUMN PATH KEYS...]: writes $TMP/facts
facts() { "$PY" "$TMP/facts.py" "$1" >"$TMP/facts"; }
fact() { sed -n "s/^$1 //p" "$TMP/facts"; }

"$PY" $REPORT/matrix.py --quiet "$R" --baseline "$R" >"$TMP/out" 2>&1
is "$?" 0 "matrix.py on a copy of results/baseline exits 0"
[ -s "$R/kcidb.json" ] && ! ls "$R"/*.part >/dev/null 2>&1
ok $? "kcidb.json written, no .part left"
validate "$R/kcidb.json"
ok $? "kcidb.json of the baseline validates against kcidb.schema.json (draft 2020-12)"

facts "$R" <<'EOT'
known 6.1 aioconf.posix-aio.cancel-fds.request_queued_behind_a_canceled_one_still_completes status misc.known_failure misc.status
knowncomment 6.1 aioconf.posix-aio.cancel-fds.request_queued_behind_a_canceled_one_still_completes comment
knownlog 6.1 aioconf.posix-aio.cancel-fds.request_queued_behind_a_canceled_one_still_completes log_excerpt
knowncase 6.1 aioconf.posix-aio.cancel-fds status misc.known_failure misc.status
skip 6.1 aioconf.aio.nowait.nowait_read_of_empty_pipe_completes_with_eagain status comment
pass host aioconf.aio.blocking.buffered_read_completes_inside_io_submit status comment log_excerpt duration
case host aioconf.aio.blocking status duration misc.exit
b64 6.1 aioconf.aio.blocking build_id
b32 6.1-i386 aioconf.aio.blocking build_id
abi32 6.1-i386 aioconf.aio.blocking environment.misc.abi
abi64 6.1 aioconf.aio.blocking environment.misc.abi
barm 6.1-arm64 aioconf.aio.blocking build_id
EOT
is "$(fact version)" "5 3" "version: KCIDB v5.3"
is "$(fact tests)" "$(fact want_tests)" "one test per case program and per test point of the 16 columns: $(fact want_tests)"
is "$(fact statuses)" "$(fact want_statuses)" "statuses per the mapping, counted over every case and point"
is "$(fact columns)" "16 16" "every column has tests"
is "$(fact builds)" "9 want 9" "one build per kernel binary (release, uname version, machine): i386 columns share theirs"
is "$(fact checkouts)" "6 want 6" "one checkout per kernel source: 5 Debian linux versions and the host's"
is "$(fact unique_ids)" "True" "test ids are unique"
is "$(fact linked)" "True" "every test names an emitted build, every build an emitted checkout"
is "$(fact known)" "FAIL | True | known" "a known-failing point is FAIL with misc.known_failure"
fact knowncomment | grep -q '^glibc defect: when the first request queued'
ok $? "its comment is the known-failures reason"
fact knownlog | grep -q 'Expected EINPROGRESS (115) != err (115)'
ok $? "its log_excerpt is the failed test's log"
is "$(fact knowncase)" "FAIL | True | known" "a known case program is FAIL with misc.known_failure"
is "$(fact skip)" "SKIP | preadv2 with RWF_NOWAIT: EOPNOTSUPP: this kernel's pipes have no FMODE_NOWAIT" \
	"a skipped point is SKIP with its reason"
is "$(fact pass)" "PASS | - | - | -" "a passing point: PASS, no comment, log or duration"
want=$("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))
c=[c for c in s["cases"] if c["id"]=="aio/blocking"][0]; print("PASS | %s | %s" % (c["duration_s"], c["exit"]))' "$R/host/summary.json")
is "$(fact case)" "$want" "a case program: its status, duration and exit"
build61=$(fact b64)	# for the synthetic run of 6.1 below
[ "$build61" = "$(fact b32)" ] && [ "$(fact abi32)/$(fact abi64)" = "i386/x86_64" ]
ok $? "6.1-i386 is 6.1's build, told apart by environment.misc.abi" || grep -E '^(b64|b32|abi)' "$TMP/facts"
[ "$(fact barm)" != "$(fact b64)" ] && grep -q '"architecture":"aarch64"' "$R/kcidb.json"
ok $? "6.1-arm64 is a build of its own (architecture aarch64)"
grep -q '"id":"aioconf:checkout:debian:linux:6.1.192-3"' "$R/kcidb.json" &&
	! grep -q '"git_commit_hash"' "$R/kcidb.json"
ok $? "a Debian kernel's checkout is its source package version, with no made-up commit"

# The same input gives the same bytes: again in place, and from a copy of
# the run under another name.
cp "$R/kcidb.json" "$TMP/first.json"
"$PY" $REPORT/matrix.py --quiet "$R" --baseline "$R" >/dev/null 2>&1
cmp -s "$TMP/first.json" "$R/kcidb.json"
ok $? "rendered twice: byte-identical"
cp -r "$R" "$TMP/renamed"
"$PY" $REPORT/matrix.py --quiet "$TMP/renamed" --baseline "$R" >/dev/null 2>&1
cmp -s "$TMP/first.json" "$TMP/renamed/kcidb.json"
ok $? "the same run in a folder of another name: byte-identical"

# A synthetic run: 6.1's summary with the statuses the baseline lacks.
mkdir -p "$S/6.1"
"$PY" - "$R/6.1/summary.json" "$S/6.1/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
cases = {c["id"]: c for c in s["cases"]}
def redo(cid, status, points=None, diag=""):
    c = cases[cid]
    c["status"], c["diagnostics"] = status, diag
    if points is not None:
        c["points"] = points
redo("aio/blocking", "notrun", [], "not run: the run was interrupted")
redo("aio/nowait", "timeout", None, "killed after the 300 s timeout")
redo("epoll/busy-poll", "crash", [], "killed by signal 11 (Segmentation fault)\n" + "x" * 20000)
redo("eventfd/semaphore-fdinfo", "error", None, "no plan")
c = cases["uring/nop"]
c["points"][0]["result"] = "xfail"
c["points"][0]["reason"] = "TODO: not there yet"
c["points"].append({"name": "odd name.with:colon/slash", "result": "pass"})
c["points"].append({"name": "odd name.with:colon/slash", "result": "fail", "log": "# x\0y"})
s["cases"].append({"id": "foreign-prog", "status": "pass", "duration_s": 0.5, "counts": {},
                   "diagnostics": "", "points": [{"name": "exit-status", "result": "pass"}]})
json.dump(s, open(sys.argv[2], "w"))
PY
"$PY" $REPORT/matrix.py --quiet "$S" --baseline "$R" >/dev/null 2>&1
is "$?" 0 "matrix.py on the synthetic run exits 0"
validate "$S/kcidb.json"
ok $? "the synthetic kcidb.json validates"
facts "$S" <<'EOT'
notrun 6.1 aioconf.aio.blocking status comment
timeout 6.1 aioconf.aio.nowait status misc.status
crash 6.1 aioconf.epoll.busy-poll status misc.status
error 6.1 aioconf.eventfd.semaphore-fdinfo status misc.status
xfail 6.1 aioconf.uring.nop.nop_completes_with_res_zero status comment
odd 6.1 aioconf.uring.nop.odd_name_with_colon_slash status misc.test
foreign 6.1 aioconf.other.foreign-prog.exit-status status
synthb 6.1 aioconf.uring.nop build_id
EOT
is "$(fact tests)" "$(fact want_tests)" "synthetic run: one test per case program and per point"
is "$(fact statuses)" "$(fact want_statuses)" "synthetic run: statuses per the mapping"
is "$(fact notrun)" "MISS | not run: the run was interrupted" "a notrun case is MISS"
is "$(fact timeout) / $(fact crash)" "FAIL | timeout / FAIL | crash" "timeout and crash are FAIL, the runner's status in misc"
is "$(fact error)" "ERROR | error" "a case whose TAP broke is ERROR"
is "$(fact xfail)" "DONE | TODO: not there yet" "an xfail point is DONE with its reason"
# The last of two points with one name wins the look-up: FAIL.
is "$(fact odd)" "FAIL | odd name.with:colon/slash" \
	"a name with characters a path may not hold: '_' in the path, the exact name in misc.test"
is "$(fact foreign)" "PASS" "a case id without an area: aioconf.other.CASE"
[ "$(fact synthb)" = "$build61" ] &&
	! grep -F -q "$(grep -o '"id":"aioconf:test:[^:]*:' "$TMP/first.json" | head -1)" "$S/kcidb.json"
ok $? "another run on the same kernel: the same build id, new test ids"
"$PY" - "$S/kcidb.json" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
odd = [t for t in tests if t["path"].endswith(".odd_name_with_colon_slash")]
crash = [t for t in tests if t["path"] == "aioconf.epoll.busy-poll"][0]
assert len(odd) == 2 and odd[1]["id"] == odd[0]["id"] + "#2", [t["id"] for t in odd]
assert "%3A" in odd[0]["id"] and "\0" not in odd[1]["log_excerpt"], odd
assert len(crash["log_excerpt"]) == 16384 and crash["log_excerpt"].endswith("characters]\n")
PY
ok $? "a repeated name gets id #2, ':' is escaped in ids, NUL replaced, a long log cut to 16384"

# Broken documents fail the schema: a small valid document, then one fault each.
"$PY" - "$S/kcidb.json" "$TMP/small.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["tests"] = [t for t in d["tests"] if "log_excerpt" in t][:2] + d["tests"][:2]
d["builds"], d["checkouts"] = d["builds"][:1], d["checkouts"][:1]
json.dump(d, open(sys.argv[2], "w"))
PY
validate "$TMP/small.json"
ok $? "a small document cut from it validates"
for fault in 'd["tests"][0]["status"] = "OK"' \
	'del d["tests"][1]["build_id"]' \
	'del d["version"]' \
	'd["builds"][0]["id"] = "nocolon"' \
	'd["tests"][0]["path"] = "aioconf..x y"' \
	'd["tests"][2]["waived"] = True' \
	'd["tests"][0]["log_excerpt"] = "x" * 16385'; do
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1])); exec(sys.argv[2]); json.dump(d, open(sys.argv[3], "w"))' \
		"$TMP/small.json" "$fault" "$TMP/bad.json"
	validate "$TMP/bad.json" >"$TMP/bad.out"
	[ $? -eq 1 ] && [ -s "$TMP/bad.out" ]
	ok $? "schema rejects: $fault" || cat "$TMP/bad.out"
done
finish
