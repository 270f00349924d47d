"""The KCIDB renderer: kcidb.json, a KernelCI KCIDB v5.3 report of the run.

KCIDB (the KernelCI common results database) takes checkouts (the kernel
source), builds (a kernel built from it) and tests (runs on a build).
kcidb.json is for a KernelCI lab to submit (`kcidb-submit`); it validates
against kcidb.schema.json here (written from the KCIDB I/O schema v5.3).

Checkouts and builds. The kernels are Debian's packages and a host kernel:
nothing here has a git commit, so a checkout carries no git fields (none
are required). A kernel whose uname version names a Debian package version
("... Debian 6.1.192-3 (2026-11-26)") comes from Debian's source package
`linux` at that version: one checkout "aioconf:checkout:debian:linux:VER"
(tree_name "debian") for all its flavours and architectures. Any other
kernel (the host's) gets a checkout of its own, named by its release and
uname version. A build is one kernel binary: its release, machine and uname
version; "aioconf:build:RELEASE:MACHINE:H" (H: 12 hex digits of the sha256
of the uname version, which tells rebuilds of one release apart). Its
status is PASS: the package exists and the kernel booted and ran the suite.
A column <kernel>-i386 is the same kernel running 32-bit programs: the same
build, its tests told apart by environment.misc.abi ("i386"; otherwise the
machine) and environment.misc.column, not by their path (they are the same
tests). A kernel without a summary.json has no results: nothing is emitted
for it (matrix.md says why).

Tests. Each case program is a test "aioconf.AREA.CASE" (the case program's
status, duration and diagnostics) and each of its test points a test
"aioconf.AREA.CASE.TEST" under it; a case id without "/" has the area
"other". KCIDB path components allow only [A-Za-z0-9_-]: any other
character becomes "_" (misc.case / misc.test then keep the exact name).
Statuses (the runner's in misc.status):
  pass -> PASS; fail -> FAIL; skip -> SKIP; notrun -> MISS (the run was
  interrupted before the case ran);
  known -> FAIL with misc.known_failure true: the test did fail, and
    cases/known-failures.txt explains why (comment: the listed reason);
    v5 has no "waived" flag, and its issues/incidents are KCIDB's triage;
  timeout, crash -> FAIL: a program that hangs or dies on one kernel (or
    panics the guest) has found a problem on it; the runner counts it as a
    failed point too;
  error -> ERROR: malformed or truncated TAP, or an exit code that
    contradicts it: the program broke, the kernel's status is unknown;
  xfail (a TAP XFAIL/TODO point) -> DONE: it ran, and by its own marking
    says nothing about the kernel; a status not listed here -> ERROR.
A point's comment is its reason (skip reason, failed assertion, known
reason); log_excerpt is its log (failed points), a case's its diagnostics,
both cut to the spec's 16384 characters. A case's duration is the
program's run time; points have none. No start_time: the runner records
none per case, and no time is made up here.

IDs are "aioconf:..." (origin "aioconf"), unique and deterministic: the
same run gives the same document, byte for byte. Checkout and build ids
depend on the kernel only, so every run on a kernel names the same build.
A test id is "aioconf:test:RUN:COLUMN:CASE[:TEST]", RUN being 16 hex
digits of a sha256 over the columns' summaries (so another run, or a
re-merged one, never reuses a test id: KCIDB merges objects with one id).
Parts are percent-encoded (":" and "%" included), so ids cannot collide; a
test name repeated within a case gets "#2", "#3", ... Standard library only.
"""

import hashlib
import json
import re
from urllib.parse import quote

from model import first_line, norm, point_reason

ORIGIN = "aioconf"
VERSION = {"major": 5, "minor": 3}  # KCIDB I/O schema v5.3 (kcidb-io)
LOG_MAX = 16384                     # the spec's maxLength of log_excerpt
ID_SAFE = "/-_.~+@"                 # kept as is in id parts; the rest is %XX

CASE_STATUS = {"pass": "PASS", "fail": "FAIL", "known-failing": "FAIL", "skip": "SKIP",
               "timeout": "FAIL", "crash": "FAIL", "error": "ERROR", "notrun": "MISS"}
POINT_STATUS = {"pass": "PASS", "fail": "FAIL", "known-failing": "FAIL", "skip": "SKIP",
                "xfail": "DONE"}


def part(name):
    """An id part, percent-encoded: it holds no ':' of its own."""
    return quote(str(name), safe=ID_SAFE)


def make_id(*parts):
    """'aioconf:' and the parts (each already through part()) joined by ':'."""
    return ORIGIN + ":" + ":".join(parts)


def short_hash(text, n=12):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def path_part(name):
    """A KCIDB path component: [A-Za-z0-9_-]+, anything else -> '_'."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name) or "_"


def case_path(case_id):
    parts = case_id.split("/") if "/" in case_id else ["other", case_id]
    return ".".join([ORIGIN] + [path_part(p) for p in parts])


def text(s):
    """KCIDB strings may not hold NUL."""
    return (s or "").replace("\0", "\ufffd")


def excerpt(s):
    s = text(s)
    if len(s) <= LOG_MAX:
        return s
    mark = "\n[... cut to the KCIDB limit of 16384 characters]\n"
    return s[:LOG_MAX - len(mark)] + mark


def debian_version(uname_version):
    """'#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)' -> '6.1.192-3'."""
    m = re.search(r"\bDebian (\S+)", uname_version or "")
    return m.group(1) if m else None


def checkout_of(release, version):
    deb = debian_version(version)
    if deb:
        return {"id": make_id("checkout", "debian", "linux", part(deb)), "origin": ORIGIN,
                "tree_name": "debian", "valid": True,
                "comment": text(f"Debian source package linux {deb}"),
                "misc": {"package": "linux", "package_version": text(deb)}}
    return {"id": make_id("checkout", part(release), short_hash(version)), "origin": ORIGIN,
            "valid": True,
            "comment": text(f"source of kernel {release} ({version}): not recorded"),
            "misc": {"kernel_release": text(release), "kernel_version": text(version)}}


def build_of(release, version, machine, checkout_id):
    b = {"id": make_id("build", part(release), part(machine), short_hash(version)),
         "origin": ORIGIN,
         "checkout_id": checkout_id,
         "comment": text(f"kernel {release} {machine}: {version}"),
         "status": "PASS",
         "misc": {"kernel_release": text(release), "kernel_version": text(version),
                  "machine": text(machine)}}
    arch = re.sub(r"[^a-z0-9_]", "_", machine.lower())
    if arch:
        b["architecture"] = arch
    return b


def run_tag(kernels, names):
    """16 hex digits over every column's summary: another run, another tag."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode("utf-8", "surrogatepass") + b"\0")
        h.update(json.dumps(kernels[name]["summary"], sort_keys=True).encode())  # ASCII
        h.update(b"\0")
    return h.hexdigest()[:16]


def names(case_id, test=None):
    """misc.case / misc.test: the exact names, where the path had to change them."""
    misc = {}
    if case_path(case_id) != ORIGIN + "." + case_id.replace("/", "."):
        misc["case"] = text(case_id)
    if test is not None and path_part(test) != test:
        misc["test"] = text(test)
    return misc


def unique(name, seen):
    """part(name), then part(name)#2, #3, ... when it comes again in this scope
    (after the encoding, which turns a '#' of the name into %23)."""
    p = part(name)
    seen[p] = seen.get(p, 0) + 1
    return p if seen[p] == 1 else f"{p}#{seen[p]}"


def make_test(test_id, build_id, env, path, status, raw, misc, comment="", log="",
              duration=None):
    t = {"id": test_id, "origin": ORIGIN, "build_id": build_id, "path": path,
         "status": status, "environment": env}
    if comment:
        t["comment"] = text(comment)
    if log:
        t["log_excerpt"] = excerpt(log)
    if isinstance(duration, (int, float)) and not isinstance(duration, bool):
        t["duration"] = duration
    t["misc"] = {"status": raw, **misc}
    if raw == "known":
        t["misc"]["known_failure"] = True
    return t


def render_kcidb(m, kernels):
    """The KCIDB document (a dict) for the model m and load_run's kernels:
    checkouts and builds for the kernels with results, a test per case
    program and per test point of each such column."""
    present = [k for k in m["kernels"] if k["present"]]
    tag = run_tag(kernels, [k["name"] for k in present])
    checkouts, builds, tests = {}, {}, []
    for k in present:
        name = k["name"]
        summary = kernels[name]["summary"]
        kinfo = summary.get("kernel") or {}
        release = kinfo.get("release") or k["release"] or name
        version = kinfo.get("version") or ""
        machine = kinfo.get("machine") or ""
        co = checkout_of(release, version)
        checkouts.setdefault(co["id"], co)
        b = build_of(release, version, machine, co["id"])
        builds.setdefault(b["id"], b)
        abi = "i386" if name.endswith("-i386") else (machine or "unknown")
        # Shared by the column's tests: the same kernel with its 32-bit programs
        # differs from the 64-bit column only here.
        env = {"misc": {"column": text(name), "abi": text(abi)}}

        case_seen = {}
        for c in summary["cases"]:
            cid, raw = c["id"], c.get("status", "error")
            status = CASE_STATUS.get(norm(raw), "ERROR")
            cpath = case_path(cid)
            ckey = unique(cid, case_seen)
            misc = names(cid)
            for key in ("exit", "signal"):
                if key in c:
                    misc[key] = c[key]
            diag = c.get("diagnostics") or ""
            tests.append(make_test(make_id("test", tag, part(name), ckey), b["id"], env, cpath,
                                   status, raw, misc, first_line(diag), diag,
                                   c.get("duration_s")))
            point_seen = {}
            for p in c.get("points", []):
                r = p.get("result", "")
                pstatus = POINT_STATUS.get(norm(r), "ERROR")
                reason = point_reason(p) if norm(r) != "pass" else ""
                tests.append(make_test(
                    make_id("test", tag, part(name), ckey, unique(p["name"], point_seen)),
                    b["id"], env, cpath + "." + path_part(p["name"]), pstatus, r,
                    names(cid, p["name"]), reason, p.get("log") or ""))
    return {"version": dict(VERSION),
            "checkouts": [checkouts[i] for i in sorted(checkouts)],
            "builds": [builds[i] for i in sorted(builds)],
            "tests": tests}
