#!/usr/bin/env python3
"""aioconf: the mutation campaign. Seeds one fault at a time into Debian's
linux-source-6.1 tree (the mutants of kernels/mutants.txt), rebuilds the
kernel incrementally, boots it, runs the cases of the interface the fault
is in, and counts the faults the cases catch.

  kernels/mutate.py [--only ID]... [--fresh] [--timeout S] [--check]
                    [--report] [--list FILE] [--work DIR] [-o DIR]

  --only ID    run only this mutant (again, if it has a verdict); repeatable
  --fresh      forget the verdicts and pristine runs of an earlier campaign
  --timeout S  the runner's per-case timeout (default 6; x5 under TCG)
  --check      only check the list against the tree: every `find` line
               occurs exactly once in its file; nothing is built
  --report     only write the report from the verdicts there are
  --list FILE  the mutants (default kernels/mutants.txt)
  --work DIR   verdicts, runs and build logs (default build/mutate)
  -o DIR       the report (default results/mutation)

Verdicts (one JSON file a mutant in build/mutate/verdicts/):
  killed        a case that passes on the pristine kernel failed, crashed,
                hung or made the kernel log a splat (runner --dmesg); the
                verdict names each such case and test point
  survived      every case that passes on the pristine kernel still passes
  build-failed  the mutated tree does not build
  boot-failed   the guest did not reach the runner
The kill rate counts killed / (killed + survived); mutants the list marks
`equivalent:` (with the reason no user-visible behaviour changes) are left
out of it and shown apart.

The campaign is resumable: mutants with a verdict are not run again. Every
mutant is reverted whatever happens (an exception, Ctrl-C, SIGTERM; after a
SIGKILL the next start, --check included, reverts it from the copy in
build/ksrc/linux-source-6.1.mutate-applied/). A revert writes the original
text back with a new modification time, so make rebuilds the file:
restoring a saved copy with its old time would leave the mutant's object in
every later kernel. The cases of every mutant of the list run on the
pristine kernel before and after the campaign; the report says whether the
two runs agree.

Writes report.md and verdicts.json into results/mutation/ (or -o DIR).
Exit status: 0 the campaign finished, 1 the pristine runs disagree, 2 usage
or set-up error, 130 interrupted (what finished is kept).
"""

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "harness", "report"))
from model import read_boot_env  # noqa: E402  (boot.env, as the reports read it)
LIST = os.path.join(ROOT, "kernels", "mutants.txt")
TREE = os.path.join(ROOT, "build", "ksrc", "linux-source-6.1")
KOUT = os.path.join(ROOT, "build", "kernels", "src-linux-source-6.1")
WORK = os.path.join(ROOT, "build", "mutate")
# The original of the file a mutant is applied to, beside the tree: any
# later run reverts it, whatever its --work.
APPLIED = TREE + ".mutate-applied"
REPORT = os.path.join(ROOT, "results", "mutation")

KEYS = ("id", "file", "find", "replace", "kind", "behaviour")
OPTIONAL = ("cases", "equivalent", "survives")

# The cases a fault in a file can reach: its interface's cases, the
# reference implementation's cases on that interface, and every case whose
# id names the interface (epoll/uring-fd, eventfd/aio-resfd, ...). eventfd
# is a shared path (aio, io_uring and epoll cases signal through it): all.
CASES_OF = [
    ("io_uring/", ["uring/*", "ref/ring-*", "ref/event-*", "*uring*"]),
    ("fs/aio.c", ["aio/*", "ref/aio-*", "*aio-*"]),
    ("fs/eventpoll.c", ["epoll/*", "ref/epoll-*", "*epoll*"]),
    ("fs/eventfd.c", ["*"]),
]


def say(msg):
    print(f"mutate: {msg}", file=sys.stderr, flush=True)


def die(msg):
    say(msg)
    sys.exit(2)


class Stop(Exception):
    """SIGINT or SIGTERM: revert, keep what finished, exit 130."""


def on_signal(signum, frame):
    raise Stop()


# ------------------------------------------------------------- the list

def read_list(path):
    """The mutants of the list as dicts, in order; dies on a malformed one."""
    mutants, cur, seen = [], {}, set()

    def close(line_no):
        if not cur:
            return
        missing = [k for k in KEYS if not cur.get(k)]
        if missing:
            die(f"{path}:{line_no}: mutant {cur.get('id', '?')} lacks {', '.join(missing)}")
        if cur["id"] in seen:
            die(f"{path}:{line_no}: mutant id {cur['id']} given twice")
        seen.add(cur["id"])
        mutants.append(dict(cur))
        cur.clear()

    try:
        with open(path) as f:
            lines = f.read().split("\n")
    except OSError as e:
        die(f"cannot read {path}: {e.strerror}")
    for n, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            close(n)
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in KEYS + OPTIONAL:
            die(f"{path}:{n}: not 'key: value' with a key of {', '.join(KEYS + OPTIONAL)}")
        cur[key] = value.strip()
    close(len(lines))
    return mutants


def cases_of(m):
    if m.get("cases"):
        return m["cases"].split()
    for prefix, globs in CASES_OF:
        if m["file"].startswith(prefix):
            return globs
    return ["*"]


def locate(m, text):
    """The index of the one line of text whose stripped form is m['find'];
    a string saying what is wrong otherwise."""
    hits = [i for i, line in enumerate(text.split("\n")) if line.strip() == m["find"]]
    if len(hits) != 1:
        return f"{m['id']}: `{m['find']}` occurs {len(hits)} times in {m['file']} (must be once)"
    return hits[0]


def check(mutants):
    """Problems of the list against the tree (an empty list when none)."""
    problems = []
    for m in mutants:
        path = os.path.join(TREE, m["file"])
        try:
            with open(path) as f:
                where = locate(m, f.read())
        except OSError as e:
            problems.append(f"{m['id']}: cannot read {m['file']}: {e.strerror}")
            continue
        if isinstance(where, str):
            problems.append(where)
        elif m["find"] == m["replace"]:
            problems.append(f"{m['id']}: the replacement is the line itself")
    return problems


# ------------------------------------------------- apply and revert

def apply(m):
    """Write the mutant into the tree; the original goes to APPLIED first."""
    path = os.path.join(TREE, m["file"])
    with open(path) as f:
        text = f.read()
    where = locate(m, text)
    if isinstance(where, str):
        die(where)
    os.makedirs(APPLIED, exist_ok=True)
    with open(os.path.join(APPLIED, "original"), "w") as f:
        f.write(text)
    with open(os.path.join(APPLIED, "file"), "w") as f:
        f.write(m["file"] + "\n")
    lines = text.split("\n")
    line = lines[where]
    indent = line[:len(line) - len(line.lstrip())]
    lines[where] = indent + m["replace"]
    write_new(path, "\n".join(lines))
    return where + 1


def write_new(path, text):
    # A plain write: the file gets a new modification time, so make
    # rebuilds its object (see the header).
    with open(path, "w") as f:
        f.write(text)


def revert():
    """Put the original back if a mutant is applied. Safe to call twice."""
    name = os.path.join(APPLIED, "file")
    if not os.path.exists(name):
        return
    with open(name) as f:
        rel = f.read().strip()
    with open(os.path.join(APPLIED, "original")) as f:
        text = f.read()
    write_new(os.path.join(TREE, rel), text)
    os.remove(name)
    os.remove(os.path.join(APPLIED, "original"))


# --------------------------------------------------- build and run

def build(log):
    """kernels/build.sh into KOUT; (ok, seconds)."""
    t0 = time.monotonic()
    with open(log, "w") as out:
        rc = subprocess.call([os.path.join(ROOT, "kernels", "build.sh"), "-o", KOUT],
                             stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    if rc == 130 or rc < 0:
        raise Stop()
    return rc == 0, time.monotonic() - t0


def run_cases(dest, globs, timeout):
    """./run.sh --kernel <the built kernel> for the globs, results under
    dest; returns the run folder (None when none was made) and seconds."""
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    cmd = [os.path.join(ROOT, "run.sh"), "--kernel",
           os.path.join(KOUT, "arch", "x86", "boot", "bzImage"), "--timeout", str(timeout)]
    for g in globs:
        cmd += ["--filter", g]
    env = dict(os.environ, AIOCONF_RESULTS=dest)
    t0 = time.monotonic()
    with open(os.path.join(dest, "run.log"), "w") as out:
        rc = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    if rc == 130 or rc < 0:
        raise Stop()
    runs = sorted(d for d in os.listdir(dest)
                  if d != "latest" and os.path.isdir(os.path.join(dest, d)))
    run = os.path.join(dest, runs[-1]) if runs else None
    if run:
        forget_kernel_copy(run)
    return run, time.monotonic() - t0


def forget_kernel_copy(run):
    # boot.sh keeps each kernel image it was given under build/kernels/user/
    # (7-8 MB); a mutant's is never booted again.
    booted = read_boot_env(os.path.join(run, "boot.env")).get("booted", "")
    user = os.path.join(ROOT, "build", "kernels", "user")
    if booted.startswith(user + os.sep):
        shutil.rmtree(os.path.dirname(booted), ignore_errors=True)


def load_summary(run):
    try:
        with open(os.path.join(run, "summary.json")) as f:
            return {c["id"]: c for c in json.load(f)["cases"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ------------------------------------------------------------ verdicts

def evidence(pristine, mutant):
    """What the mutant run shows that the pristine one does not: a test
    point that passes on the pristine kernel and does not here, or a case
    that passes (known failures aside) there and failed, crashed, hung or
    logged a splat here. A point now matching a known failure is not
    counted: known failures are not detections."""
    found = []
    for cid, case in sorted(mutant.items()):
        base = pristine.get(cid)
        if not base or base["status"] not in ("pass", "known"):
            continue
        now = {p["name"]: p["result"] for p in case.get("points", [])}
        points = [f"{p['name']}: {now.get(p['name'], 'absent')}"
                  for p in base.get("points", [])
                  if p["result"] == "pass" and now.get(p["name"], "absent") not in ("pass", "known")]
        if case["status"] in ("fail", "crash", "timeout", "error") or points:
            found.append({"case": cid, "status": case["status"], "points": points})
    return found


def judge(m, line, built, build_s, run, run_s, pristine):
    v = {"id": m["id"], "file": m["file"], "line": line, "kind": m["kind"],
         "behaviour": m["behaviour"], "cases": cases_of(m),
         "build_s": round(build_s, 1), "run_s": round(run_s, 1)}
    if m.get("equivalent"):
        v["equivalent"] = m["equivalent"]
    if not built:
        v["verdict"] = "build-failed"
        return v
    boot = read_boot_env(os.path.join(run, "boot.env")) if run else {}
    summary = load_summary(run) if run else None
    if boot.get("stage") not in ("runner started", "results sent") or summary is None:
        v["verdict"] = "boot-failed"
        v["stage"] = boot.get("stage", "none")
        v["status"] = boot.get("status", "")
        return v
    found = evidence(pristine, summary)
    v["verdict"] = "killed" if found else "survived"
    v["killed_by"] = found
    v["cases_run"] = len(summary)
    return v


def pristine_filter(mutants):
    """The cases of every mutant of the list: what the pristine runs run."""
    globs = []
    for m in mutants:
        globs += [g for g in cases_of(m) if g not in globs]
    return ["*"] if "*" in globs else globs


def cases_hash():
    """A hash of the cases' sources, their helpers and ref/: a pristine run
    is kept only while they stay the same (a new test point needs its
    pristine result)."""
    h = hashlib.sha256()
    for top in ("cases", "ref", os.path.join("harness", "case")):
        for folder, dirs, files in sorted(os.walk(os.path.join(ROOT, top))):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                h.update(os.path.relpath(path, ROOT).encode() + b"\0")
                with open(path, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()[:16]


def pristine_run(name, globs, timeout):
    """The pristine kernel's results of the globs' cases (run once, then
    kept while the globs and the cases stay the same)."""
    dest = os.path.join(WORK, "runs", name)
    stamp = os.path.join(WORK, "runs", name + ".filter")
    want = " ".join(globs) + "\n" + cases_hash() + "\n"
    try:
        with open(stamp) as f:
            same = f.read() == want
    except OSError:
        same = False
    run = None
    if same and os.path.isdir(dest):
        runs = sorted(d for d in os.listdir(dest)
                      if d != "latest" and os.path.isdir(os.path.join(dest, d)))
        run = os.path.join(dest, runs[-1]) if runs else None
    if run and load_summary(run):
        return load_summary(run)
    revert()
    built, _ = build(os.path.join(WORK, "runs", name + ".build.log"))
    if not built:
        die(f"the pristine tree does not build (see {WORK}/runs/{name}.build.log)")
    say(f"{name}: the pristine kernel, cases {' '.join(globs)}")
    run, run_s = run_cases(dest, globs, timeout)
    summary = load_summary(run) if run else None
    if summary is None:
        die(f"the pristine kernel gave no results (see {dest}/run.log)")
    with open(stamp, "w") as f:
        f.write(want)
    say(f"{name}: {len(summary)} cases in {run_s:.0f} s")
    return summary


def differences(a, b):
    """Test points and cases whose results differ between two runs."""
    out = []
    for cid in sorted(set(a) | set(b)):
        ca, cb = a.get(cid), b.get(cid)
        if not ca or not cb:
            out.append(f"{cid}: only in one run")
            continue
        if ca["status"] != cb["status"]:
            out.append(f"{cid}: {ca['status']} / {cb['status']}")
        pa = {p["name"]: p["result"] for p in ca.get("points", [])}
        pb = {p["name"]: p["result"] for p in cb.get("points", [])}
        for name in sorted(set(pa) | set(pb)):
            if pa.get(name) != pb.get(name):
                out.append(f"{cid}: {name}: {pa.get(name, 'absent')} / {pb.get(name, 'absent')}")
    return out


# -------------------------------------------------------------- report

def load_verdicts(mutants):
    verdicts = {}
    for m in mutants:
        try:
            with open(os.path.join(WORK, "verdicts", m["id"] + ".json")) as f:
                verdicts[m["id"]] = json.load(f)
        except (OSError, ValueError):
            pass
    return verdicts


def area(mutant_id):
    """uring-core-x -> uring-core, aio-x -> aio."""
    parts = mutant_id.split("-")
    return "-".join(parts[:2]) if parts[0] == "uring" else parts[0]


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0


def write_report(mutants, verdicts, pristine):
    """report.md and verdicts.json in REPORT. The list's notes (equivalent,
    survives) are read from the list, so they can be added after a run."""
    os.makedirs(REPORT, exist_ok=True)
    done = [(m, verdicts[m["id"]]) for m in mutants if m["id"] in verdicts]
    counted = [(m, v) for m, v in done
               if v["verdict"] in ("killed", "survived") and not m.get("equivalent")]
    killed = [(m, v) for m, v in counted if v["verdict"] == "killed"]
    rate = 100.0 * len(killed) / len(counted) if counted else 0.0
    by = {}
    for _, v in done:
        by[v["verdict"]] = by.get(v["verdict"], 0) + 1
    seconds = [v["build_s"] + v["run_s"] for _, v in done]
    timing = {"median_build_s": median([v["build_s"] for _, v in done]),
              "median_run_s": median([v["run_s"] for _, v in done]),
              "median_mutant_s": round(median(seconds), 1),
              "sum_mutants_s": round(sum(seconds))}
    results = []
    for m, v in done:
        r = dict(v)
        for key in ("equivalent", "survives"):
            r.pop(key, None)
            if m.get(key):
                r[key] = m[key]
        results.append(r)
    data = {"tree": "linux-source-6.1", "mutants": len(mutants), "verdicts": by,
            "kill_rate_percent": round(rate, 1), "counted": len(counted),
            "killed": len(killed), "timing": timing, "pristine": pristine,
            "results": results}
    with open(os.path.join(REPORT, "verdicts.json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")

    w = ["# Mutation campaign: what the cases catch in the 6.1 kernel\n",
         "Made by `make mutate` (kernels/mutate.py) from kernels/mutants.txt: each mutant "
         "changes one line of Debian's linux-source-6.1; the kernel is rebuilt, booted "
         "in QEMU and the cases of the interface the line belongs to are run. A mutant is "
         "killed when a case that passes on the pristine kernel fails, crashes, hangs or "
         "makes the kernel log a splat.\n",
         f"**Kill rate: {rate:.1f}%** ({len(killed)} of {len(counted)} mutants that built "
         f"and booted and are not marked equivalent; {len(mutants)} in the list, "
         f"{len(done)} with a verdict).\n",
         "| verdict | mutants |", "|---|---|"]
    for name in ("killed", "survived", "build-failed", "boot-failed"):
        w.append(f"| {name} | {by.get(name, 0)} |")
    w.append(f"| of them marked equivalent | {sum(1 for m, _ in done if m.get('equivalent'))} |\n")
    w += ["| area | mutants | killed | kill rate |", "|---|---|---|---|"]
    for name in sorted({area(m["id"]) for m, _ in done}):
        n = sum(1 for m, _ in counted if area(m["id"]) == name)
        k = sum(1 for m, _ in killed if area(m["id"]) == name)
        w.append(f"| {name} | {n} | {k} | {100.0 * k / n if n else 0:.0f}% |")
    w.append("")
    agree = pristine.get("agree")
    w.append(f"Time a mutant (median): build {timing['median_build_s']} s, boot and run "
             f"{timing['median_run_s']} s; all mutants {timing['sum_mutants_s']} s"
             + (f"; the last campaign, pristine runs included, {pristine['last_campaign_s']} s"
                if pristine.get("last_campaign_s") else "") + ". "
             + ("The pristine kernel gave the same results before and after the campaign "
                f"({pristine.get('cases')} cases).\n" if agree == "yes" else
                f"The pristine kernel before and after the campaign: {agree or 'not compared'}.\n"))
    w += ["| mutant | file:line | kind | behaviour | verdict | caught by |",
          "|---|---|---|---|---|---|"]
    for m in mutants:
        v = verdicts.get(m["id"])
        if not v:
            w.append(f"| {m['id']} | {m['file']} | {m['kind']} | {esc(m['behaviour'])} | not run | |")
            continue
        caught = ", ".join(
            f"{k['case']} ({k['status']}" + (f", {plural(len(k['points']), 'point')}" if k["points"] else "") + ")"
            for k in v.get("killed_by", [])[:4])
        if len(v.get("killed_by", [])) > 4:
            caught += f" and {len(v['killed_by']) - 4} more"
        verdict = v["verdict"]
        if m.get("equivalent"):
            verdict += " (equivalent: " + esc(m["equivalent"]) + ")"
        elif v["verdict"] == "survived" and m.get("survives"):
            verdict += " (" + esc(m["survives"]) + ")"
        if v["verdict"] == "boot-failed":
            verdict += f" (reached: {v.get('stage')})"
        w.append(f"| {m['id']} | {m['file']}:{v.get('line', '')} | {m['kind']} | "
                 f"{esc(m['behaviour'])} | {verdict} | {caught} |")
    with open(os.path.join(REPORT, "report.md"), "w") as f:
        f.write("\n".join(w) + "\n")
    return rate, len(killed), len(counted)


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def esc(text):
    return text.replace("|", "\\|")


# ---------------------------------------------------------------- main

def main():
    global LIST, WORK, REPORT
    ap = argparse.ArgumentParser(prog="mutate.py", add_help=False)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--timeout", type=float, default=6)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--list", default=LIST)
    ap.add_argument("--work", default=WORK)
    ap.add_argument("-o", dest="report_dir", default=REPORT)
    ap.add_argument("-h", "--help", action="store_true")
    try:
        args = ap.parse_args()
    except SystemExit:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    if args.help:
        print(__doc__)
        return 0
    if not 0 < args.timeout <= 600:
        die(f"--timeout wants seconds in (0, 600], not {args.timeout}")
    LIST, REPORT = os.path.abspath(args.list), os.path.abspath(args.report_dir)
    WORK = os.path.abspath(args.work)

    mutants = read_list(LIST)
    known = {m["id"] for m in mutants}
    for i in args.only:
        if i not in known:
            die(f"--only {i}: no such mutant in {LIST}")
    if args.report:
        try:
            with open(os.path.join(WORK, "pristine.json")) as f:
                pristine = json.load(f)
        except (OSError, ValueError):
            pristine = {}
        rate, k, n = write_report(mutants, load_verdicts(mutants), pristine)
        say(f"kill rate {rate:.1f}% ({k} of {n}); {REPORT}/report.md")
        return 0

    if args.check and not os.path.isfile(os.path.join(TREE, "Makefile")):
        die(f"no tree at {TREE}: kernels/build.sh extracts it")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    os.makedirs(WORK, exist_ok=True)
    # One campaign at a time changes the tree.
    os.makedirs(os.path.dirname(TREE), exist_ok=True)
    lock = open(TREE + ".mutate-lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        die(f"another mutate.py is changing {TREE}")
    try:
        if not os.path.isfile(os.path.join(TREE, "Makefile")):
            # build.sh extracts the tree the first time.
            ok, _ = build(os.path.join(WORK, "extract.build.log"))
            if not ok:
                die(f"the pristine tree does not build (see {WORK}/extract.build.log)")
        revert()  # a mutant a SIGKILL left behind
        problems = check(mutants)
        if problems:
            for p in problems:
                say(p)
            die(f"{len(problems)} problem(s) in {LIST}")
        say(f"{len(mutants)} mutants; each occurs once in its file")
        if args.check:
            return 0
        return campaign(mutants, args)
    except Stop:
        revert()
        say(f"interrupted: every mutant is reverted; run again to go on ({WORK})")
        return 130
    finally:
        revert()


def campaign(mutants, args):
    if args.fresh:
        shutil.rmtree(os.path.join(WORK, "verdicts"), ignore_errors=True)
        shutil.rmtree(os.path.join(WORK, "runs"), ignore_errors=True)
    os.makedirs(os.path.join(WORK, "verdicts"), exist_ok=True)
    os.makedirs(os.path.join(WORK, "runs"), exist_ok=True)
    t_start = time.monotonic()
    globs = pristine_filter(mutants)
    hash_at_start = cases_hash()
    before = pristine_run("pristine-before", globs, args.timeout)
    verdicts = load_verdicts(mutants)
    todo = [m for m in mutants if m["id"] in args.only or (not args.only and m["id"] not in verdicts)]
    say(f"{len(verdicts)} mutants have a verdict; {len(todo)} to run")
    for n, m in enumerate(todo, 1):
        # Whatever happens in between, the mutant is reverted in finally.
        try:
            line = apply(m)
            built, build_s = build(os.path.join(WORK, "runs", m["id"] + ".build.log"))
            run, run_s = (None, 0.0)
            if built:
                run, run_s = run_cases(os.path.join(WORK, "runs", m["id"]), cases_of(m), args.timeout)
        finally:
            revert()
        v = judge(m, line, built, build_s, run, run_s, before)
        with open(os.path.join(WORK, "verdicts", m["id"] + ".json"), "w") as f:
            json.dump(v, f, indent=1)
        verdicts[m["id"]] = v
        what = v["verdict"]
        if what == "killed":
            what += " by " + ", ".join(k["case"] for k in v["killed_by"][:3])
            if len(v["killed_by"]) > 3:
                what += f" (+{len(v['killed_by']) - 3})"
        say(f"[{n}/{len(todo)}] {m['id']}: {what} (build {build_s:.0f} s, run {run_s:.0f} s)")

    # The last mutant is reverted; build the pristine kernel again and run
    # every case: the two pristine runs must agree.
    shutil.rmtree(os.path.join(WORK, "runs", "pristine-after"), ignore_errors=True)
    after = pristine_run("pristine-after", globs, args.timeout)
    diff = differences(before, after)
    agree = "yes" if not diff else f"no ({len(diff)} differences)"
    if diff and cases_hash() != hash_at_start:
        agree += ", but the cases changed during the campaign"
    pristine = {"agree": agree,
                "cases": len(before), "differences": diff,
                "last_campaign_s": round(time.monotonic() - t_start),
                "mutants_run_by_it": len(todo)}
    with open(os.path.join(WORK, "pristine.json"), "w") as f:
        json.dump(pristine, f, indent=1)
    rate, k, n = write_report(mutants, verdicts, pristine)
    for d in diff:
        say(f"pristine before / after: {d}")
    say(f"kill rate {rate:.1f}% ({k} of {n}); report in {REPORT}/report.md")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
