#!/usr/bin/python3
"""aioconf: merge the boots of one kernel after a guest panic or hang.

usage: resume.py DIR [--known FILE]

DIR is one kernel's results folder as kernels/boot.sh left it, and
DIR/resume-1/, DIR/resume-2/, ... are the boots that run.sh made after a
panic or hang with the programs that had not run. Every boot folder holds
boot.env, console.log, serial.tap and programs; a boot whose runner finished
also holds the runner's summary.json and one .tap per case.

A boot that did not finish has no summary.json: the cases it finished are
rebuilt from its serial.tap (the runner's aggregate TAP: each case's own
output nested behind "# ", then "ok N <id>" or "not ok N <id> # <status>",
then its diagnostics behind "#   "). Test points are read as the runner reads
them, and failed ones on the known-failures list (matched against the guest's
release) become "known". What such a case cannot have: its exit code and
duration (omitted, and 0), output past the runner's 1000 nested lines.

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
import fnmatch
import json
import os
import re
import sys

STATUSES = ["pass", "fail", "known", "skip", "timeout", "crash", "error", "notrun"]
POINTS = ["pass", "fail", "skip", "xfail", "known"]
CONSOLE_MARK = re.compile(r"Kernel panic|BUG:|Oops|general protection|sysrq: |WARNING:|Call Trace")
RESULT = re.compile(r"^(not )?ok (\d+) (\S+)(?: # (.*))?$")


def read_env(path):
    env = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                k, sep, v = line.rstrip("\n").partition("=")
                if sep:
                    env[k] = v
    except OSError:
        pass
    return env


def case_id(path):
    """The runner's id of a program path (harness/runner.c case_id)."""
    hit = None
    for m in re.finditer(r"cases/", path):
        if m.start() == 0 or path[m.start() - 1] == "/":
            hit = path[m.end():]
    return hit if hit is not None else path.rsplit("/", 1)[-1]


def load_known(path):
    known = []
    if not path:
        return known
    with open(path, errors="replace") as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            parts = s.split(None, 2)
            if len(parts) == 3 and ":" in parts[0]:
                known.append(parts)
    return known


def find_known(known, cid, test, release):
    for pat, rel, why in known:
        if fnmatch.fnmatchcase(f"{cid}:{test}", pat) and fnmatch.fnmatchcase(release, rel):
            return why
    return None


def parse_points(lines, cid, known, release):
    """A case's own TAP lines -> (points, counts, since, feature, diag), as
    harness/runner.c parse_tap reads them."""
    points, since, feature, diag = [], "", "", ""
    last_run, pending = None, None
    for line in lines:
        if line.startswith("ok") or line.startswith("not ok"):
            ok = line.startswith("ok")
            s = line[2:] if ok else line[6:]
            if s and not s[0].isspace():
                continue
            s = s.strip()
            m = re.match(r"(\d+)", s)
            if m:
                s = s[m.end():]
            directive = None
            if "#" in s:
                s, directive = s.split("#", 1)
                directive = directive.strip()
            desc = s.strip()
            if desc.startswith("-"):
                desc = desc[1:].strip()
            if not desc and last_run:
                desc = last_run
            if desc.startswith("global."):
                desc = desc[7:]
            p = {"name": desc or "(unnamed)"}
            d = (directive or "").lower()
            if directive is not None and d.startswith("skip"):
                p["result"], reason = "skip", directive[4:].strip()
            elif directive is not None and d.startswith("xfail"):
                p["result"], reason = ("xfail" if ok else "fail"), directive[5:].strip()
            elif directive is not None and d.startswith("todo") and not ok:
                p["result"], reason = "xfail", directive[4:].strip()
            else:
                p["result"], reason = ("pass" if ok else "fail"), directive or ""
            if reason:
                p["reason"] = reason
            if p["result"] == "fail":
                if pending is not None:
                    p["log"] = pending
                why = find_known(known, cid, p["name"], release)
                if why:
                    p["result"], p["reason"] = "known", why
            elif p["result"] == "pass" and find_known(known, cid, p["name"], release):
                diag += f"{p['name']} is on the known-failures list but passed\n"
            points.append(p)
            last_run, pending = None, None
        elif line.startswith("# conform-since: "):
            parts = line[17:].split(None, 1)
            since = parts[0] if parts else ""
            feature = parts[1].strip() if len(parts) > 1 else ""
        elif line.startswith("#  RUN "):
            last_run = line[7:].strip().split(" ...")[0]
            pending = None
        elif line.startswith("#") and last_run:
            pending = (pending or "") + line + "\n"
    counts = {r: 0 for r in POINTS}
    for p in points:
        counts[p["result"]] += 1
    return points, counts, since, feature, diag


def parse_serial(path):
    """The finished cases of an aggregate TAP: [(id, status, own lines, diag)]."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip("\r\n") for line in f]
    except OSError:
        return []
    out, own, i = [], [], 0
    # The runner's own head: "TAP version 13", "1..N", "# aioconf runner: ...".
    while i < len(lines) and (lines[i].startswith("TAP version") or lines[i].startswith("1..")
                              or lines[i].startswith("# aioconf runner:")):
        i += 1
    while i < len(lines):
        line = lines[i]
        i += 1
        m = RESULT.match(line)
        if not m:
            if line.startswith("# "):
                own.append(line[2:])
            elif line == "#":
                own.append("")
            continue
        cid, directive = m.group(3), m.group(4) or ""
        if not m.group(1):
            status = "skip" if directive.upper().startswith("SKIP") else "pass"
        elif directive.startswith("TODO known-failing"):
            status = "known"
        elif directive.startswith("not run"):
            status = "notrun"
        else:
            status = directive.split()[0] if directive.split() else "error"
            if status not in STATUSES:
                status = "error"
        diag = ""
        if status not in ("pass", "skip"):
            while i < len(lines) and lines[i].startswith("#   "):
                diag += lines[i][4:] + "\n"
                i += 1
        out.append((cid, status, own, diag))
        own = []
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
    dirs, n = [top], 1
    while os.path.isdir(os.path.join(top, f"resume-{n}")):
        dirs.append(os.path.join(top, f"resume-{n}"))
        n += 1
    return dirs


def merge(top, known_file):
    try:
        with open(os.path.join(top, "programs")) as f:
            progs = [line.rstrip("\n") for line in f if line.strip()]
    except OSError:
        raise SystemExit(f"resume.py: {top}/programs: cannot read it (not a boot.sh folder?)")
    order = [case_id(p) for p in progs]
    known = load_known(known_file)
    results, own_tap, boots = {}, {}, []
    kernel, options, duration = None, None, 0.0
    stub = None
    for number, d in enumerate(boot_dirs(top), 1):
        env = read_env(os.path.join(d, "boot.env"))
        release = env.get("release", "")
        rel = os.path.relpath(d, top)
        boot = {"boot": number, "dir": rel, "status": env.get("status", "?")}
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
        for cid, status, own, diag in done:
            points, counts, since, feature, pdiag = parse_points(own, cid, known, release)
            results.setdefault(cid, {
                "id": cid, "status": status, "duration_s": 0.0, "since": since,
                "feature": feature, "counts": counts,
                "diagnostics": pdiag + diag + f"(rebuilt from the serial TAP of boot {rel}: "
                               "the guest did not finish that boot)\n",
                "points": points})
            own_tap.setdefault(cid, "\n".join(own) + "\n")
        # boot.sh names the first program without a result; it ran only if
        # the guest got as far as starting the runner.
        running = env.get("running_case", "") if env.get("guest_uptime_at_runner_s") else ""
        boot["cases"] = len(done)
        if running:
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
               "kernel": kernel or stub or {"release": "", "version": "", "machine": ""},
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
           f"merged from {len(boots)} boots (the guest panicked or hung)"]
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
    closing = f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped"
    tap.append(closing)
    write_atomic(os.path.join(top, "run.tap"), "\n".join(tap) + "\n")
    write_atomic(os.path.join(top, "summary.json"), json.dumps(summary, indent=1) + "\n")
    print(closing)
    return 1 if unexpected else 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="resume.py", description="Merge the boots of one "
                                 "kernel after a guest panic or hang into DIR/summary.json.")
    ap.add_argument("dir")
    ap.add_argument("--known", default=None, help="the known-failures list (runner --known)")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.dir):
        print(f"resume.py: {args.dir}: not a folder", file=sys.stderr)
        return 2
    return merge(args.dir.rstrip("/") or "/", args.known)


if __name__ == "__main__":
    sys.exit(main())
