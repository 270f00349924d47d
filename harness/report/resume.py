#!/usr/bin/python3
"""aioconf: merge the boots of one kernel: after a guest panic or hang, and
the boot for the cases that need more CPUs.

usage: resume.py DIR

DIR is one kernel's results folder as kernels/boot.sh left it, and
DIR/resume-1/, DIR/resume-2/, ... are the boots that run.sh made after a
panic or hang with the programs that had not run. DIR/smp/ is the boot of
the cases that need more CPUs than the guest has (CONFORM_REQUIRE_CPUS),
with its own smp/resume-N/; its cases come after DIR's. Every boot folder holds
boot.env, console.log, serial.tap and programs; a boot whose runner finished
also holds the runner's summary.json and one .tap per case.

A boot that did not finish has no summary.json: the cases it finished come
from its serial.tap, where the guest's runner (--case-json) put each case's
summary.json record on a line "# aioconf-case: {...}" right after the case.
The case's own output, nested behind "# " before its result line, becomes
its .tap file again (up to the runner's 1000 nested lines).

The case that was running when a boot died is status "crash" with the
console text (the panic, or the console's end for a hang) in its
diagnostics; it counts as one failed test point, as a crashed case program
does in the runner. A program no boot reached is "notrun" and the summary
says "complete": false.

Writes, each complete or absent (NAME.part, then renamed): DIR/summary.json
(the runner's format, plus "boots": what each boot did), DIR/<id>.tap for
every case with output that DIR lacks, and DIR/run.tap (aggregate TAP 13 of
the merged run). Prints the closing line "N passed, N failed, N skipped".
Exit status: 0 no unexpected case, 1 an unexpected one (fail, crash,
timeout, error, notrun), 2 usage error or nothing to merge.
"""

import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import read_boot_env  # noqa: E402  (same folder: boot.env as KEY=value)

STATUSES = ["pass", "fail", "known", "skip", "timeout", "crash", "error", "notrun"]
POINTS = ["pass", "fail", "skip", "xfail", "known"]
CONSOLE_MARK = re.compile(r"Kernel panic|BUG:|Oops|general protection|sysrq: |WARNING:|Call Trace")


def case_id(path):
    """The runner's id of a program path (harness/runner.c case_id)."""
    hit = None
    for m in re.finditer(r"cases/", path):
        if m.start() == 0 or path[m.start() - 1] == "/":
            hit = path[m.end():]
    return hit if hit is not None else path.rsplit("/", 1)[-1]


RECORD = "# aioconf-case: "


def parse_serial(path):
    """The finished cases of a boot's aggregate TAP: [(record, own lines)].
    Each case is its own output nested behind "# ", its result line, its
    diagnostics behind "#   ", then the record line the runner added."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip("\r\n") for line in f]
    except OSError:
        return []
    out, chunk = [], []
    for line in lines:
        if line.startswith(RECORD):
            try:
                record = json.loads(line[len(RECORD):])
            except ValueError:
                chunk = []
                continue	# a line cut short by the crash: that case is lost
            own = []
            for l in chunk:	# the nested output ends at the result line
                if not l.startswith("#"):
                    break
                own.append(l[2:] if l.startswith("# ") else "")
            out.append((record, own))
            chunk = []
        elif not (line.startswith("TAP version") or line.startswith("1..")
                  or line.startswith("# aioconf runner:")):
            chunk.append(line)
    return out


def console_excerpt(path, hang):
    """From 3 lines before the first panic/oops line, 30 lines; else the end."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip("\r\n") for line in f]
    except OSError:
        return "(no console.log)\n"
    at = next((n for n, line in enumerate(lines) if CONSOLE_MARK.search(line)), None)
    if at is None or hang:
        part = lines[-25:]
    else:
        part = lines[max(at - 3, 0):at + 27]
    return "\n".join(part) + "\n"


def write_atomic(path, text):
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def boot_dirs(top):
    """A boot set's folders: the first boot's and its resume-N."""
    dirs, n = [top], 1
    while os.path.isdir(os.path.join(top, f"resume-{n}")):
        dirs.append(os.path.join(top, f"resume-{n}"))
        n += 1
    return dirs


def read_programs(d):
    with open(os.path.join(d, "programs")) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def merge(top):
    try:
        progs = read_programs(top)
    except OSError:
        raise SystemExit(f"resume.py: {top}/programs: cannot read it (not a boot.sh folder?)")
    dirs = boot_dirs(top)
    smp = os.path.join(top, "smp")
    if os.path.isdir(smp):
        try:
            progs += read_programs(smp)
        except OSError:
            pass
        # Without boot.env it never booted (run.sh wrote the programs, so
        # that its cases are notrun).
        dirs += [d for d in boot_dirs(smp) if os.path.exists(os.path.join(d, "boot.env"))]
    order = list(dict.fromkeys(case_id(p) for p in progs))
    results, own_tap, boots = {}, {}, []
    kernel, options, duration = None, None, 0.0
    stub = None
    for number, d in enumerate(dirs, 1):
        env = read_boot_env(os.path.join(d, "boot.env"))
        release = env.get("release", "")
        rel = os.path.relpath(d, top)
        boot = {"boot": number, "dir": rel, "status": env.get("status", "?"),
                "cpus": int(env.get("cpus") or 1)}
        rel = str(number) if rel == "." else f"{number} ({rel}/)"
        try:
            duration += float(env.get("total_s") or 0)
        except ValueError:
            pass
        summary_path = os.path.join(d, "summary.json")
        # DIR's own summary.json is written here: read it only when the runner
        # wrote it (a boot that finished has no running_case= in boot.env).
        if os.path.exists(summary_path) and "running_case" not in env:
            with open(summary_path) as f:
                s = json.load(f)
            kernel = kernel or s.get("kernel")
            options = options or s.get("options")
            for c in s.get("cases", []):
                results.setdefault(c["id"], c)
                tap = os.path.join(d, c["id"] + ".tap")
                if d != top and os.path.exists(tap):
                    with open(tap, errors="replace") as f:
                        own_tap.setdefault(c["id"], f.read())
            boot["cases"] = len(s.get("cases", []))
            boots.append(boot)
            continue
        done = parse_serial(os.path.join(d, "serial.tap"))
        for record, own in done:
            record["diagnostics"] = (record.get("diagnostics") or "") + \
                f"(from the serial TAP of boot {rel}: the guest did not finish that boot)\n"
            results.setdefault(record["id"], record)
            own_tap.setdefault(record["id"], "\n".join(own) + "\n")
        # boot.sh names the first program without a result; it ran only if
        # the guest got as far as starting the runner.
        running = env.get("running_case", "") if env.get("guest_uptime_at_runner_s") else ""
        boot["cases"] = len(done)
        if running and env.get("status") == "interrupted":
            boot["running_case"] = running
            results.setdefault(running, {
                "id": running, "status": "notrun", "duration_s": 0.0, "since": "",
                "feature": "", "counts": {r: 0 for r in POINTS},
                "diagnostics": f"interrupted while running (boot {rel} was stopped)\n",
                "points": []})
        elif running:
            hang = env.get("status") == "hang"
            what = ("hung (no output for the timeout; QEMU killed)" if hang
                    else "panicked" if env.get("status") == "panic"
                    else f"died ({env.get('status', '?')})")
            boot["running_case"] = running
            results.setdefault(running, {
                "id": running, "status": "crash", "duration_s": 0.0, "since": "",
                "feature": "", "counts": {r: 0 for r in POINTS},
                "diagnostics": f"the guest kernel {release} {what} while this case ran "
                               f"(boot {rel}); the console:\n"
                               + console_excerpt(os.path.join(d, "console.log"), hang),
                "points": []})
        boots.append(boot)
        if stub is None and release:
            stub = {"release": release, "version": "", "machine": ""}
    if not boots:
        raise SystemExit(f"resume.py: {top}: nothing to merge")
    cases = []
    for cid in order:
        c = results.get(cid) or {
            "id": cid, "status": "notrun", "duration_s": 0.0, "since": "", "feature": "",
            "counts": {r: 0 for r in POINTS},
            "diagnostics": "not run: no boot of this kernel reached it\n", "points": []}
        cases.append(c)
    whys = []
    if any(b["status"] == "interrupted" for b in boots):
        whys.append("interrupted")
    if any("resume-" in b["dir"] for b in boots):
        whys.append("the guest panicked or hung")
    more = sorted({b["cpus"] for b in boots if b["dir"].split("/")[0] == "smp"})
    if more:
        whys.append(f"the cases that need {more[-1]} CPUs in a boot of their own")
    why = "; ".join(whys) or "one boot"
    return write_merged(top, cases, kernel or stub, options, duration, boots, own_tap,
                        f"merged from {len(boots)} boot(s) ({why})")


def write_merged(top, cases, kernel, options, duration, boots, own_tap, source):
    """Write top/summary.json (the runner's format, plus "boots"), top/run.tap
    and the .tap of each case in own_tap that top lacks, from the merged
    cases; print the runner's trailer. Also the shard merge's (merge.py).
    Returns 1 when a case is unexpected, else 0."""
    totals = {"passed": 0, "failed": 0, "skipped": 0, "xfail": 0, "known": 0,
              "cases": {s: 0 for s in STATUSES}}
    unexpected = 0
    for c in cases:
        n = c.get("counts", {})
        totals["passed"] += n.get("pass", 0)
        totals["skipped"] += n.get("skip", 0)
        totals["xfail"] += n.get("xfail", 0)
        totals["known"] += n.get("known", 0)
        st = c["status"]
        broken = st in ("timeout", "crash", "error") or (st == "fail" and not n.get("fail"))
        totals["failed"] += n.get("fail", 0) + (1 if broken else 0)
        totals["cases"][st] = totals["cases"].get(st, 0) + 1
        unexpected += st not in ("pass", "skip", "known")
    summary = {"format": 1, "tool": "aioconf-runner",
               "kernel": kernel or {"release": "", "version": "", "machine": ""},
               "options": options or {}, "complete": totals["cases"]["notrun"] == 0,
               "duration_s": round(duration, 3), "totals": totals, "cases": cases,
               "boots": boots}

    for cid, text in own_tap.items():
        path = os.path.join(top, cid + ".tap")
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomic(path, text)
    tap = ["TAP version 13", f"1..{len(cases)}",
           f"# aioconf: kernel {summary['kernel'].get('release', '')}, {len(cases)} cases "
           f"{source}"]
    for n, c in enumerate(cases, 1):
        tap += ["# " + line for line in own_tap.get(c["id"], "").splitlines()]
        st = c["status"]
        if st == "pass":
            tap.append(f"ok {n} {c['id']}")
        elif st == "skip":
            reason = c["points"][0].get("reason", "") if c["points"] else "plan 1..0"
            tap.append(f"ok {n} {c['id']} # SKIP {reason}")
        elif st == "known":
            tap.append(f"not ok {n} {c['id']} # TODO known-failing")
        else:
            tap.append(f"not ok {n} {c['id']} # {st}")
        if st not in ("pass", "skip"):
            tap += ["#   " + line for line in (c.get("diagnostics") or "").splitlines() if line]
    # The runner's trailer, so that a merged run reads like any other.
    trailer = ["# cases: " + ", ".join(f"{totals['cases'].get(s, 0)} {s}" for s in STATUSES)]
    known = [c["id"] for c in cases if c["status"] == "known"]
    bad = [f"{c['id']} ({c['status']})" for c in cases
           if c["status"] not in ("pass", "skip", "known")]
    if known:
        trailer.append("# known-failing: " + ", ".join(known))
    if bad:
        trailer.append("# unexpected: " + ", ".join(bad))
    trailer.append(f"# results in {top}")
    closing = f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped"
    tap += trailer + [closing]
    write_atomic(os.path.join(top, "run.tap"), "\n".join(tap) + "\n")
    write_atomic(os.path.join(top, "summary.json"), json.dumps(summary, indent=1) + "\n")
    print("\n".join(trailer + [closing]))
    return 1 if unexpected else 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="resume.py", description="Merge the boots of one "
                                 "kernel after a guest panic or hang into DIR/summary.json.")
    ap.add_argument("dir")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.dir):
        print(f"resume.py: {args.dir}: not a folder", file=sys.stderr)
        return 2
    return merge(args.dir.rstrip("/") or "/")


if __name__ == "__main__":
    sys.exit(main())
