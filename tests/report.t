#!/usr/bin/env bash
# harness/report: matrix.py, compare_host.py and baseline.sh on a small
# synthetic matrix (kernels 5.10 and 6.1 with results, 7.2 without), checked
# file by file; the HTML is rendered in headless Chromium.
. "$(dirname "$0")/lib.sh"
plan 71

REPORT=harness/report
M=$TMP/run		# the matrix run
B=$TMP/baseline		# its baseline
C=$TMP/cases		# the suite's sources: drift compares only these programs
mkdir -p "$C/aio" "$C/epoll" "$C/ref" "$C/uring"
for id in aio/cancel epoll/pwait2 ref/hang uring/newop uring/nop uring/numeric; do : >"$C/$id.c"; done

# summary.json files in the runner's format (harness/runner.c write_summary).
"$PY" - "$M" "$B" <<'PY'
import json, os, sys
run, base = sys.argv[1:3]

def case(cid, status, since, points, diag="", **extra):
    counts = {r: 0 for r in ("pass", "fail", "skip", "xfail", "known")}
    for p in points:
        counts[p["result"]] += 1
    c = {"id": cid, "status": status, "duration_s": 0.1, "since": since,
         "feature": cid.upper(), "counts": counts, "diagnostics": diag, "points": points}
    c.update(extra)
    return c

def pt(name, result, reason=None, log=None):
    p = {"name": name, "result": result}
    if reason: p["reason"] = reason
    if log: p["log"] = log
    return p

def summary(release, cases, complete=True):
    totals = {"passed": 0, "failed": 0, "skipped": 0, "xfail": 0, "known": 0,
              "cases": {s: 0 for s in ("pass", "fail", "known", "skip", "timeout",
                                       "crash", "error", "notrun")}}
    for c in cases:
        totals["cases"][c["status"]] += 1
        for key, r in (("passed", "pass"), ("failed", "fail"), ("skipped", "skip"),
                       ("xfail", "xfail"), ("known", "known")):
            totals[key] += c["counts"][r]
    return {"format": 1, "tool": "aioconf-runner",
            "kernel": {"release": release, "version": "#1", "machine": "x86_64"},
            "options": {}, "complete": complete, "duration_s": 1.5,
            "totals": totals, "cases": cases}

def write(top, kernel, data):
    os.makedirs(os.path.join(top, kernel), exist_ok=True)
    with open(os.path.join(top, kernel, "summary.json"), "w") as f:
        json.dump(data, f)

skip_newop = "IORING_OP_NEWOP not in the opcode probe"
k510 = [
    case("aio/cancel", "fail", "4.18", [
        pt("cancel_read_gets_einval", "fail",
           log="# aio/cancel.c:10:cancel_read_gets_einval:Expected -22 (-22) == ret (0)\n# cancel_read_gets_einval: Test failed"),
        pt("cancel_poll", "pass")], exit=1),
    case("epoll/pwait2", "pass", "5.11", [pt("zero_timeout", "pass")]),
    case("ref/hang", "timeout", "5.5", [pt("first", "pass")],
         diag="killed after the 300 s timeout\nlast output:\n#  RUN  blocks", signal=9),
    case("uring/newop", "skip", "6.0", [pt("newop_works", "skip", skip_newop)]),
    case("uring/nop", "pass", "5.1", [pt("a", "pass"), pt("b", "pass")]),
    case("uring/numeric", "skip", "5.9", [pt("numbers", "skip", "feature bit missing \x1b[1m")]),
]
k61 = [
    case("aio/cancel", "known", "4.18", [
        pt("cancel_read_gets_einval", "known", "listed: kernel bug 123",
           log="# Expected -22 (-22) == ret (0)"),
        pt("cancel_poll", "pass")], exit=1),
    case("epoll/pwait2", "pass", "5.11", [pt("zero_timeout", "pass")]),
    case("ref/hang", "crash", "5.5", [], diag="killed by signal 11 (Segmentation fault)", signal=11),
    case("uring/newop", "pass", "6.0", [pt("newop_works", "pass")]),
    case("uring/nop", "pass", "5.1", [pt("a", "pass"), pt("b", "pass")]),
    case("uring/numeric", "pass", "5.9", [pt("numbers", "pass")]),
]
# A point that declares its since (CONFORM_DECLARE) is judged by it.
for c in k510 + k61:
    if c["id"] == "epoll/pwait2":
        c["points"][0].update(since="5.11", feature="epoll_pwait2", source="epoll_pwait2(2)")
write(run, "5.10", summary("5.10.0-46-cloud-amd64", k510))
write(run, "6.1", summary("6.1.0-56-cloud-amd64", k61))
os.makedirs(os.path.join(run, "7.2"))
open(os.path.join(run, "7.2", "boot.env"), "w").write("kernel=7.2\nstatus=setup-error\n")
# The next release, absent (run.sh copies fetch.sh's reason); 6.1 marked a
# release candidate (run.sh copies the version into RC).
os.makedirs(os.path.join(run, "next"))
open(os.path.join(run, "next", "ABSENT"), "w").write("experimental has linux-binary-7.3-cloud-amd64 7.3~rc7-1~exp1, not newer than 7.3's 7.3.4-1\n")
open(os.path.join(run, "6.1", "RC"), "w").write("6.1~rc7-1~exp1\n")

# The baseline: 6.1's uring/nop:b failed then; epoll/old was a case then;
# uring/numeric did not exist yet.
b61 = [c for c in k61 if c["id"] != "uring/numeric"]
b61 = json.loads(json.dumps(b61))
for c in b61:
    if c["id"] == "uring/nop":
        c["points"][1] = pt("b", "fail", log="# Expected 0 (0) == res (-22)")
        c["status"] = "fail"
        c["counts"]["pass"], c["counts"]["fail"] = 1, 1
b61.append(case("epoll/old", "pass", "2.6", [pt("x", "pass")]))
write(base, "5.10", summary("5.10.0-46-cloud-amd64", [c for c in k510 if c["id"] != "uring/numeric"]))
write(base, "6.1", summary("6.1.0-55-cloud-amd64", b61))
PY
ok $? "synthetic matrix and baseline written"

"$PY" $REPORT/matrix.py "$M" --baseline "$B" --cases "$C" > "$TMP/matrix.out" 2>&1
is "$?" 0 "matrix.py exits 0"
for f in matrix.json matrix.md matrix.html junit.xml drift.md; do
	[ -s "$M/$f" ]; ok $? "$f written"
done
ls "$M"/*.part >/dev/null 2>&1; [ $? -ne 0 ]; ok $? "no half-written .part file is left"
grep -q "^# 6 cases, .* 2 unexpected against since" "$TMP/matrix.out"
ok $? "stdout summarises cases and since violations" || cat "$TMP/matrix.out"

# jq-like look-ups in matrix.json
j() { "$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))
cases={c["id"]: c for c in m["cases"]}
print(eval(sys.argv[2], {"m": m, "c": cases}))' "$M/matrix.json" "$1"; }

is "$(j '[k["name"] for k in m["kernels"]]')" "['5.10', '6.1', '7.2']" "kernels in numeric order; an absent next release has no column"
is "$(j '[a["name"] for a in m["absent"]] + [k["rc"] for k in m["kernels"]]')" "['next', None, '6.1~rc7-1~exp1', None]" \
	"the absent kernel listed apart; the release candidate's version recorded"
is "$(j '[k["release"] for k in m["kernels"]][:2]')" "['5.10.0-46-cloud-amd64', '6.1.0-56-cloud-amd64']" "releases recorded"
is "$(j 'c["aio/cancel"]["cells"]["5.10"]["status"]')" fail "a failing case: fail"
is "$(j 'c["aio/cancel"]["cells"]["6.1"]["status"]')" known-failing "runner's 'known' is known-failing"
is "$(j 'c["aio/cancel"]["cells"]["7.2"]["status"]')" absent "a kernel without summary.json: absent"
is "$(j 'c["ref/hang"]["cells"]["5.10"]["status"] + " " + c["ref/hang"]["cells"]["6.1"]["status"]')" "timeout crash" "timeout and crash kept apart"
is "$(j 'c["aio/cancel"]["cells"]["5.10"]["reasons"][0]["reason"]')" \
	"aio/cancel.c:10:cancel_read_gets_einval:Expected -22 (-22) == ret (0)" "a failure's reason is its assertion"
is "$(j 'c["uring/newop"]["cells"]["5.10"]["reasons"][0]["reason"]')" "IORING_OP_NEWOP not in the opcode probe" "a skip's reason"
is "$(j 'c["aio/cancel"]["cells"]["5.10"]["counts"]')" "{'pass': 1, 'fail': 1, 'skip': 0, 'xfail': 0, 'known-failing': 0}" "counts per cell"
is "$(j 'c["uring/newop"]["since"] + " " + c["uring/newop"]["feature"]')" "6.0 URING/NEWOP" "since and feature per case"
is "$(j '[c[i]["differs"] for i in ("uring/nop", "uring/newop", "epoll/pwait2")]')" "[False, True, False]" "rows where kernels differ"
is "$(j 'sorted((u["case"], u["kernel"], u["kind"]) for u in m["unexpected"])')" \
	"[('epoll/pwait2', '5.10', 'unexpected-pass'), ('uring/numeric', '5.10', 'unexpected-skip')]" \
	"since: pass before (5.10 < 5.11), skip at/after (5.10 >= 5.9, numerically)"
is "$(j 'c["uring/newop"]["cells"]["5.10"].get("unexpected")')" None "a skip before since is expected"
is "$(j '[(p["name"], p["results"]["5.10"]["result"], p["results"]["6.1"]["result"], p["differs"]) for p in c["aio/cancel"]["points"]]')" \
	"[('cancel_read_gets_einval', 'fail', 'known-failing', True), ('cancel_poll', 'pass', 'pass', False)]" \
	"test points by kernel"

# matrix.md
md=$M/matrix.md
grep -q '^- \*\*next\*\*: absent (experimental has .*); no column$' "$md" &&
	grep -q '^- \*\*6.1\*\* .*\*\*release candidate\*\* 6.1~rc7-1~exp1: its failures are reported here and do not fail the run' "$md"
ok $? "md: the absent next release said, the release candidate marked" || head -8 "$md"
grep -q '^| ≠ | `uring/newop` | 6.0 | skip 1 | pass 1 | — |$' "$md"
ok $? "md: a differing row is marked, absent shows —" || grep newop "$md"
grep -q '^|  | `uring/nop` | 5.1 | pass 2 | pass 2 | — |$' "$md"; ok $? "md: a uniform row is not marked"
grep -q '`epoll/pwait2` | 5.11 | pass 1 ⚠ |' "$md"; ok $? "md: since violation flagged"
grep -q '^- \*\*5.10\*\* `5.10.0-46-cloud-amd64`: 5 passed, 1 failed, 2 skipped' "$md"; ok $? "md: summary line per kernel"
grep -q '^- \*\*7.2\*\* : no results' "$md"; ok $? "md: a kernel without results says so"
grep -q '^## uring$' "$md"; ok $? "md: one table per area"

# junit.xml: parses, counts per suite, known-failing never passed
"$PY" - "$M/junit.xml" > "$TMP/junit.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for s in root.findall("testsuite"):
    tcs = s.findall("testcase")
    kinds = {k: sum(1 for t in tcs if t.find(k) is not None) for k in ("failure", "error", "skipped")}
    print(s.get("name"), s.get("tests"), s.get("failures"), s.get("errors"), s.get("skipped"),
          len(tcs), kinds["failure"], kinds["error"], kinds["skipped"])
for s in root.findall("testsuite"):
    for t in s.findall("testcase"):
        sk = t.find("skipped")
        if sk is not None and sk.get("type") == "known-failing":
            print("known", s.get("name"), t.get("classname"), t.get("name"), sk.get("message"))
PY
ok $? "junit.xml parses" || cat "$TMP/junit.txt"
is "$(sed -n 1p "$TMP/junit.txt")" "5.10 9 1 1 2 9 1 1 2" "junit 5.10: 8 points + timeout error; 1 failure, 2 skipped"
is "$(sed -n 2p "$TMP/junit.txt")" "6.1 8 0 1 1 8 0 1 1" "junit 6.1: crash is an error, known-failing is skipped"
is "$(sed -n 3p "$TMP/junit.txt")" "7.2 1 0 1 0 1 0 1 0" "junit 7.2: no results is an error"
is "$(sed -n 4p "$TMP/junit.txt")" "known 6.1 aio/cancel cancel_read_gets_einval known-failing: listed: kernel bug 123" \
	"known-failing is <skipped> with its reason"

# drift.md
d=$M/drift.md
grep -q '^| `uring/nop:b` | fail | \*\*pass\*\* |' "$d"; ok $? "drift: the changed point on 6.1" || cat "$d"
grep -q 'Removed case: `epoll/old`' "$d"; ok $? "drift: removed case"
grep -q 'New case: `uring/numeric`' "$d"; ok $? "drift: new case"
grep -q 'release changed: `6.1.0-55-cloud-amd64` → `6.1.0-56-cloud-amd64`' "$d"; ok $? "drift: release change"
n510=$(awk '/^### 5.10/{f=1;next} /^### /{f=0} f' "$d" | grep -c 'uring/nop:b')
is "$n510" 0 "drift: 5.10 does not list 6.1's change"

# matrix.html in headless Chromium: the DOM has every cell.
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
	# Its crash reports and dconf settings go under HOME: a private one.
	mkdir -p "$TMP/home"
	HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config XDG_CACHE_HOME=$TMP/home/.cache \
	$CHROMIUM --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/chromium" --dump-dom "file://$M/matrix.html" \
		> "$TMP/dom.html" 2> "$TMP/chromium.err"
	ok $? "chromium renders matrix.html" || tail -5 "$TMP/chromium.err"
	"$PY" - "$TMP/dom.html" > "$TMP/dom.txt" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.row = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "case" in (a.get("class") or "").split():
            self.row = [a["data-case"], "differs" in a["class"].split()]; self.rows.append(self.row)
        elif tag == "tr":
            self.row = None
        elif tag == "td" and self.row is not None and "data-kernel" in a:
            self.row.append((a["data-kernel"], a["class"], a.get("data-unexpected"), a.get("title", "")))
p = P(); p.feed(open(sys.argv[1]).read())
print(len(p.rows), sum(len(r) - 2 for r in p.rows))
for r in p.rows:
    for k, cls, unexp, title in r[2:]:
        if unexp: print("unexpected", r[0], k, unexp)
    if r[1]: print("differs", r[0])
for r in p.rows:
    if r[0] == "aio/cancel":
        print("title", r[2][3].replace("\n", " | "))
PY
	is "$(sed -n 1p "$TMP/dom.txt")" "6 18" "the rendered table has 6 case rows x 3 kernel cells"
	grep -q "^unexpected epoll/pwait2 5.10 unexpected-pass$" "$TMP/dom.txt" &&
		grep -q "^unexpected uring/numeric 5.10 unexpected-skip$" "$TMP/dom.txt"
	ok $? "rendered cells flag both since violations"
	is "$(grep -c '^differs' "$TMP/dom.txt")" 4 "4 rendered rows marked as differing"
	grep -q "^title 5.10: fail | 1 pass, 1 fail | cancel_read_gets_einval fail: aio/cancel.c:10" "$TMP/dom.txt"
	ok $? "a cell's title carries the reason" || grep title "$TMP/dom.txt"
else
	for _ in 1 2 3 4 5; do
		ok 1 "$CHROMIUM missing: harness/deps.sh installs Debian's chromium"
	done
fi
# Reasons readable without hover: an expandable row under the case, opened
# for printing; and the feature table.
grep -q '<details><summary>[0-9]* reason(s)</summary><ul><li><b>5.10</b> cancel_read_gets_einval <i>fail</i>: ' "$M/matrix.html" &&
	grep -q "beforeprint" "$M/matrix.html"
ok $? "matrix.html: a case's reasons in an expandable row, opened when printed"
grep -q '<table id="features">' "$M/matrix.html" && grep -q '<td><code>epoll_pwait2</code></td><td>5.11</td>' "$M/matrix.html"
ok $? "matrix.html: the feature table"
grep -qE '<(link|script) [^>]*(src|href)=|url\(' "$M/matrix.html"; [ $? -ne 0 ]
ok $? "matrix.html is self-contained (no external assets)"

# compare_host.py: the host run against the baseline's host summary.
mkdir -p "$B/host" "$TMP/hostrun"
cp "$B/6.1/summary.json" "$B/host/summary.json"
cp "$M/6.1/summary.json" "$TMP/hostrun/summary.json"
"$PY" $REPORT/compare_host.py "$TMP/hostrun" --baseline "$B" --cases "$C" > "$TMP/host.out" 2>&1
is "$?" 0 "compare_host exits 0 with drift"
grep -q '`uring/nop:b` | fail | \*\*pass\*\*' "$TMP/host.out"; ok $? "compare_host prints the changed point" || cat "$TMP/host.out"
"$PY" $REPORT/compare_host.py "$TMP/hostrun" --baseline "$TMP/nobase" > "$TMP/host2.out" 2>&1
is "$?" 0 "compare_host without a baseline: exit 0"
grep -q "no host baseline" "$TMP/host2.out"; ok $? "... and says there is none"
"$PY" $REPORT/compare_host.py "$TMP/nothing" --baseline "$B" >/dev/null 2>&1
is "$?" 2 "compare_host with no run summary: exit 2"

# Point level: a declared point carries since/feature/source, and a pass
# before its since is flagged on that point.
"$PY" - "$M/matrix.json" >"$TMP/pt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
c = next(c for c in m["cases"] if c["id"] == "epoll/pwait2")
p = c["points"][0]
print(p["since"], p["feature"], p["results"]["5.10"].get("unexpected"), p["results"]["6.1"].get("unexpected"))
PY
is "$(cat "$TMP/pt")" "5.11 epoll_pwait2 unexpected-pass None" "matrix.json: a point's declaration and its own since flag"

# features.md: epoll_pwait2 (declared on its point) is present on 6.1 and
# 5.10; errata.md lists a known-failures entry by its kind, and a regression.
grep -q '^| `epoll_pwait2` | 5.11 | present | present |$' "$M/features.md"
ok $? "features.md: a declared feature, its since, present per kernel" || cat "$M/features.md"
printf 'aio/cancel:cancel_read_gets_einval  6.1*  documentation error: the fixture says so (ref)\n' >"$TMP/kf"
"$PY" $REPORT/matrix.py --quiet "$M" --baseline "$B" --cases "$C" --known "$TMP/kf"
awk '/^## Documentation errors/{f=1} /^## Kernel defects/{f=0} f' "$M/errata.md" |
	grep -q 'aio/cancel:cancel_read_gets_einval` (listed for 6.1\*; in this run known-failing on 6.1)'
ok $? "errata.md: an entry under its kind, with the kernels it showed on" || cat "$M/errata.md"
grep -A5 '^## Regressions' "$M/errata.md" | grep -q 'None in this run\|passes on'
ok $? "errata.md: the regressions section"
printf 'aio/cancel:cancel_read_gets_einval  a(2): "it fails"; observed: it works\n' >"$TMP/de"
"$PY" $REPORT/matrix.py --quiet "$M" --baseline "$B" --cases "$C" --known "$TMP/kf" --doc-errata "$TMP/de"
awk '/^## Documentation the kernels contradict/{f=1} /^## Regressions/{f=0} f' "$M/errata.md" >"$TMP/de.md"
grep -q '^- `aio/cancel:cancel_read_gets_einval` (in this run: .* on 5.10' "$TMP/de.md" &&
	grep -q 'a(2): "it fails"; observed: it works' "$TMP/de.md"
ok $? "errata.md: a doc-errata entry with its results in the run" || cat "$TMP/de.md"

# Drift compares only the suite's programs: a run of other programs is not
# compared at all, and a filtered run's left-out cases are not "removed".
mkdir -p "$TMP/foreign/host" "$TMP/filtered/host"
"$PY" - "$M/6.1/summary.json" "$TMP/foreign/host/summary.json" "$TMP/filtered/host/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
foreign = dict(s, cases=[dict(c, id=f"test{n}.t") for n, c in enumerate(s["cases"])])
json.dump(foreign, open(sys.argv[2], "w"))
json.dump(dict(s, cases=[c for c in s["cases"] if c["id"] == "uring/nop"]), open(sys.argv[3], "w"))
PY
"$PY" $REPORT/compare_host.py "$TMP/foreign" --baseline "$B" --cases "$C" > "$TMP/foreign.out" 2>&1
grep -q "other programs than the baseline's (6 not from cases/): not compared" "$TMP/foreign.out" &&
	! grep -q "New case\|Removed case" "$TMP/foreign.out"
ok $? "a run of other programs is not compared with the baseline" || cat "$TMP/foreign.out"
"$PY" $REPORT/compare_host.py "$TMP/filtered" --baseline "$B" --cases "$C" > "$TMP/filtered.out" 2>&1
grep -q 'uring/nop:b' "$TMP/filtered.out" && grep -q 'Removed case: `epoll/old`' "$TMP/filtered.out" &&
	! grep -q 'Removed case: `aio/cancel`' "$TMP/filtered.out"
ok $? "a filtered run: its cases compared, only a case whose source is gone is removed" || cat "$TMP/filtered.out"

# baseline.sh: refuses the run with a kernel lacking results, takes it with
# --allow-incomplete, swaps the folder whole.
mkdir -p "$TMP/dest/old-kernel"
sh $REPORT/baseline.sh "$M" "$TMP/dest" >/dev/null 2>&1
is "$?" 2 "baseline.sh refuses a matrix with a kernel without results"
sh $REPORT/baseline.sh --allow-incomplete "$M" "$TMP/dest" >/dev/null 2>&1
is "$?" 0 "baseline.sh --allow-incomplete"
is "$(cd "$TMP/dest" && find . -type f | sort | tr '\n' ' ')" "./5.10/summary.json ./6.1/summary.json ./errata.md ./features.md ./matrix.md " \
	"baseline holds per-kernel summary.json, matrix.md, features.md and errata.md, the old contents are gone"
left=$(find "$TMP" -maxdepth 1 -name '.baseline.*' | wc -l); is "$left" 0 "no temporary baseline folder is left"

# Debian moves 6.1 on (6.1.0-56 -> -57) and uring/nop:b now fails there: the
# new baseline keeps the old summary as 6.1/previous-release.json (kept
# again while the release stays), and drift.md says what changed between
# the two builds.
cp -r "$M" "$TMP/run3"
"$PY" - "$TMP/run3/6.1/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["kernel"]["release"] = "6.1.0-57-cloud-amd64"
for c in s["cases"]:
    if c["id"] == "uring/nop":
        c["points"][1] = {"name": "b", "result": "fail", "log": "# Expected 0 (0) == res (-95)"}
        c["status"] = "fail"
json.dump(s, open(sys.argv[1], "w"))
PY
sh $REPORT/baseline.sh --allow-incomplete "$TMP/run3" "$TMP/dest" >/dev/null 2>&1 &&
	sh $REPORT/baseline.sh --allow-incomplete "$TMP/run3" "$TMP/dest" >/dev/null 2>&1
[ -f "$TMP/dest/6.1/previous-release.json" ] && [ ! -e "$TMP/dest/5.10/previous-release.json" ] &&
	grep -q '6.1.0-56-cloud-amd64' "$TMP/dest/6.1/previous-release.json"
ok $? "baseline.sh keeps the previous point release's summary, and keeps it while the release stays"
"$PY" $REPORT/matrix.py --quiet "$TMP/run3" --baseline "$TMP/dest" --cases "$C" >/dev/null 2>&1
awk '/^## Between point releases/{f=1} f' "$TMP/run3/drift.md" >"$TMP/pr.md"
grep -q 'release changed: `6.1.0-56-cloud-amd64` → `6.1.0-57-cloud-amd64`' "$TMP/pr.md" &&
	grep -q '^| test point | previous release | baseline | reason |$' "$TMP/pr.md" &&
	grep -q '^| `uring/nop:b` | pass | \*\*fail\*\* |' "$TMP/pr.md" && ! grep -q '^### 5.10' "$TMP/pr.md"
ok $? "drift.md: between point releases, what changed from 6.1.0-56 to 6.1.0-57" || cat "$TMP/run3/drift.md"

# An i386 matrix (columns <kernel>-i386) against a 64-bit baseline: its
# columns are new, and the baseline's kernels are not "missing" from it.
mkdir -p "$TMP/run386"
for k in 5.10 6.1; do cp -r "$M/$k" "$TMP/run386/$k-i386"; done
"$PY" $REPORT/matrix.py --quiet "$TMP/run386" --baseline "$B" --cases "$C" >/dev/null 2>&1
grep -q '5.10-i386: not in the baseline' "$TMP/run386/drift.md" &&
	! grep -q 'no results in this run' "$TMP/run386/drift.md"
ok $? "drift of an i386 matrix: new columns, the 64-bit kernels not listed as missing" || head -5 "$TMP/run386/drift.md"

# A baseline with an arm64 column (make baseline runs --matrix all) against
# a default matrix, which has no arm64 columns: the arm64 column is not
# "missing" from it.
cp -r "$B" "$TMP/base-arm" && cp -r "$B/6.1" "$TMP/base-arm/6.1-arm64"
cp -r "$M" "$TMP/run-noarm"
"$PY" $REPORT/matrix.py --quiet "$TMP/run-noarm" --baseline "$TMP/base-arm" --cases "$C" >/dev/null 2>&1
grep -q '^### 6.1$' "$TMP/run-noarm/drift.md" && ! grep -q '6.1-arm64' "$TMP/run-noarm/drift.md"
ok $? "drift of a matrix without arm64 columns: the baseline's arm64 column is not listed" || head -20 "$TMP/run-noarm/drift.md"

# Bad input: an empty folder is refused; a corrupt summary makes that kernel absent.
mkdir -p "$TMP/empty"
"$PY" $REPORT/matrix.py "$TMP/empty" >/dev/null 2>&1
is "$?" 2 "matrix.py on a folder without results: exit 2"
cp -r "$M" "$TMP/run2"
head -c 100 "$M/6.1/summary.json" > "$TMP/run2/6.1/summary.json"
"$PY" $REPORT/matrix.py --quiet "$TMP/run2" --baseline "$B" >/dev/null 2>&1 &&
	"$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))
k={k["name"]: k for k in m["kernels"]}; sys.exit(not (k["6.1"]["present"] is False and "unreadable" in k["6.1"]["problem"]))' "$TMP/run2/matrix.json"
ok $? "a truncated summary.json: that kernel is absent with the reason, the rest reported"
finish
