"""The model of a matrix run: what the report formats are rendered from.

Loads a matrix results folder (load_run: one kernel dict per <kernel>/
summary.json) and builds the cases x kernels model that matrix.json holds
(build_matrix), with the helpers both need: result names (norm), kernel
versions and order, the since check and the one-line reasons of a test
point. Standard library only; no output is written here.
"""

import json
import os
import re

# The runner's status "known" is shown as "known-failing" everywhere here.
CASE_STATUSES = ["pass", "fail", "known-failing", "skip", "timeout", "crash",
                 "error", "notrun", "absent"]
POINT_RESULTS = ["pass", "fail", "skip", "xfail", "known-failing", "absent"]


def norm(result):
    return "known-failing" if result == "known" else result


def version_key(text):
    """'5.10.0-46-cloud-amd64' -> (5, 10, 0); None when there is no version."""
    m = re.match(r"\s*v?(\d+)\.(\d+)(?:\.(\d+))?", text or "")
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def kernel_order(name):
    v = version_key(name)
    return (name != "host", v is None, v or (), name)


# ------------------------------------------------------------------ input

def read_boot_env(path):
    """boot.env (kernels/boot.sh: KEY=value lines) as a dict; {} if absent."""
    facts = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    facts[key] = value
    except OSError:
        pass
    return facts


def read_word(path):
    """The first line of a small file, or None."""
    try:
        with open(path, errors="replace") as f:
            return f.readline().strip() or None
    except OSError:
        return None


def load_run(top):
    """Every kernel folder under a matrix dir: {name: kernel dict}.

    A kernel dict has name, present (a readable summary.json), summary (the
    parsed JSON or None), problem (why it is absent), boot (boot.env), rc
    (the release candidate's version: run.sh wrote RC) and absent (why a
    kernel that may be missing, the next release, is: run.sh wrote ABSENT;
    such a kernel has no results and no column)."""
    kernels = {}
    try:
        names = os.listdir(top)
    except OSError as e:
        raise SystemExit(f"matrix.py: cannot read {top}: {e.strerror}")
    for name in names:
        folder = os.path.join(top, name)
        if name.startswith(".") or not os.path.isdir(folder) or os.path.islink(folder):
            continue
        path = os.path.join(folder, "summary.json")
        k = {"name": name, "present": False, "summary": None, "problem": None,
             "boot": read_boot_env(os.path.join(folder, "boot.env")),
             "rc": read_word(os.path.join(folder, "RC")), "absent": None}
        if os.path.exists(os.path.join(folder, "ABSENT")):
            k["absent"] = read_word(os.path.join(folder, "ABSENT")) or "absent"
            k["problem"] = "absent: " + k["absent"]
            kernels[name] = k
            continue
        if not os.path.exists(path):
            # Only folders that look like kernel runs count as missing kernels.
            if os.path.exists(os.path.join(folder, "INTERRUPTED")):
                k["problem"] = "interrupted before it finished"
                kernels[name] = k
                continue
            if not (k["boot"] or os.path.exists(os.path.join(folder, "run.tap"))
                    or os.path.exists(os.path.join(folder, "console.log"))):
                continue
            k["problem"] = "no summary.json (the run did not finish)"
        else:
            try:
                with open(path) as f:
                    k["summary"] = json.load(f)
                if not isinstance(k["summary"].get("cases"), list):
                    raise ValueError("no 'cases' list")
                k["present"] = True
                # run.sh merged what the guest finished before Ctrl-C.
                if os.path.exists(os.path.join(folder, "INTERRUPTED")):
                    k["problem"] = "interrupted before it finished"
            except (OSError, ValueError) as e:
                k["summary"] = None
                k["problem"] = f"unreadable summary.json: {e}"
        kernels[name] = k
    return {n: kernels[n] for n in sorted(kernels, key=kernel_order)}


# ------------------------------------------------------------------ model

def first_line(text, limit=300):
    for line in (text or "").splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= limit else line[:limit - 1] + "\u2026"
    return ""


def fail_reason(point):
    """The assertion that failed: the log's 'Expected ...' line if any."""
    log = point.get("log") or ""
    for line in log.splitlines():
        if "Expected" in line or "expected" in line:
            return first_line(line)
    return first_line(point.get("reason") or "") or first_line(log) or "failed"


def point_reason(point):
    result = norm(point.get("result", ""))
    if result == "fail":
        return fail_reason(point)
    return first_line(point.get("reason") or "", 400)


def since_check(status, since, release):
    """'unexpected-skip' (skip at or after since), 'unexpected-pass' (pass
    before since) or None. Versions compare numerically: 5.10 > 5.9."""
    s, r = version_key(since), version_key(release)
    if s is None or r is None:
        return None
    if status == "skip" and r >= s:
        return "unexpected-skip"
    if status == "pass" and r < s:
        return "unexpected-pass"
    return None


def build_matrix(kernels, run_name):
    names = list(kernels)
    case_ids, seen = [], set()
    by_kernel = {}
    for name, k in kernels.items():
        by_kernel[name] = {}
        if not k["present"]:
            continue
        for c in k["summary"]["cases"]:
            by_kernel[name][c["id"]] = c
            if c["id"] not in seen:
                seen.add(c["id"])
                case_ids.append(c["id"])
    case_ids.sort(key=lambda i: (i.split("/", 1)[0] if "/" in i else "", i))

    kern_out = []
    for name, k in kernels.items():
        s = k["summary"] or {}
        kinfo = s.get("kernel", {})
        totals = s.get("totals", {})
        entry = {
            "name": name,
            "present": k["present"],
            "problem": k["problem"],
            "release": kinfo.get("release") or k["boot"].get("release", ""),
            "version": kinfo.get("version", ""),
            "machine": kinfo.get("machine", ""),
            "complete": bool(s.get("complete", False)) if k["present"] else False,
            "rc": k.get("rc"),
            "duration_s": s.get("duration_s"),
            "points": {key: totals.get(key, 0) for key in
                       ("passed", "failed", "skipped", "xfail", "known")},
            "cases": {norm(key): v for key, v in totals.get("cases", {}).items()},
        }
        if k["boot"]:
            entry["boot"] = {key: k["boot"][key] for key in
                             ("accel", "status", "boot_to_first_output_s", "total_s",
                              "qemu_exit", "running_case") if key in k["boot"]}
        kern_out.append(entry)
    releases = {e["name"]: e["release"] or e["name"] for e in kern_out}
    present = [e["name"] for e in kern_out if e["present"]]

    cases, unexpected = [], []
    for cid in case_ids:
        sinces = [by_kernel[n][cid].get("since") or "" for n in present if cid in by_kernel[n]]
        feats = [by_kernel[n][cid].get("feature") or "" for n in present if cid in by_kernel[n]]
        since = max(set(s for s in sinces if s) or {""}, key=sinces.count)
        feature = max(set(f for f in feats if f) or {""}, key=feats.count)
        cells, point_names, point_seen = {}, [], set()
        for n in names:
            c = by_kernel[n].get(cid)
            if c is None:
                cells[n] = {"status": "absent", "counts": {}, "reasons": [],
                            "note": kernels[n]["problem"] or "case not in this run"}
                continue
            status = norm(c.get("status", "error"))
            reasons = []
            if status in ("timeout", "crash", "error", "notrun") or (
                    status == "fail" and not c.get("counts", {}).get("fail")):
                reasons.append({"point": None, "result": status,
                                "reason": first_line(c.get("diagnostics")) or status})
            for p in c.get("points", []):
                r = norm(p.get("result"))
                if r != "pass":
                    reasons.append({"point": p["name"], "result": r, "reason": point_reason(p)})
                if p["name"] not in point_seen:
                    point_seen.add(p["name"])
                    point_names.append(p["name"])
            cell_since = c.get("since") or since
            flag = since_check(status, cell_since, releases[n])
            cell = {"status": status,
                    "counts": {norm(key): v for key, v in c.get("counts", {}).items()},
                    "reasons": reasons,
                    "since": cell_since, "feature": c.get("feature") or "",
                    "duration_s": c.get("duration_s")}
            if c.get("diagnostics"):
                cell["diagnostics"] = c["diagnostics"]
            if "exit" in c:
                cell["exit"] = c["exit"]
            if "signal" in c:
                cell["signal"] = c["signal"]
            if flag:
                cell["unexpected"] = flag
                unexpected.append({"case": cid, "kernel": n, "release": releases[n],
                                   "status": status, "since": cell_since, "kind": flag})
            cells[n] = cell
        points = []
        for pname in point_names:
            results, decl = {}, {}
            for n in names:
                c = by_kernel[n].get(cid)
                p = next((p for p in (c or {}).get("points", []) if p["name"] == pname), None)
                if p is None:
                    results[n] = {"result": "absent"}
                    continue
                entry = {"result": norm(p.get("result"))}
                reason = point_reason(p)
                if reason and entry["result"] != "pass":
                    entry["reason"] = reason
                # The TEST's own declaration (CONFORM_DECLARE) judges it.
                if p.get("since"):
                    decl = decl or {k: p.get(k, "") for k in ("since", "feature", "source")}
                    flag = since_check(entry["result"], p["since"], releases[n])
                    if flag:
                        entry["unexpected"] = flag
                results[n] = entry
            distinct = {results[n]["result"] for n in present}
            points.append({"name": pname, "id": f"{cid}:{pname}", **decl,
                           "differs": len(distinct) > 1, "results": results})
        distinct = {cells[n]["status"] for n in present}
        cases.append({"id": cid, "area": cid.split("/", 1)[0] if "/" in cid else "(other)",
                      "since": since, "feature": feature,
                      "differs": len(distinct) > 1 or any(p["differs"] for p in points),
                      "cells": cells, "points": points})
    return {"format": 1, "tool": "aioconf-report", "run": run_name,
            "kernels": kern_out, "statuses": CASE_STATUSES, "cases": cases,
            "unexpected": unexpected}
