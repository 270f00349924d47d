#!/usr/bin/python3
"""aioconf matrix reports.

usage: matrix.py RESULTS_DIR [--baseline DIR] [--cases DIR]

RESULTS_DIR is a matrix run (results/<time>-matrix/): one folder per kernel
(host, 5.10, ...) holding the runner's summary.json. Writes into RESULTS_DIR,
each file complete or absent (written as NAME.part, then renamed):

  matrix.json  cases x kernels, per cell and per test point
  matrix.md    one table per area, kernel summary lines, differing points
  matrix.html  the same as a self-contained coloured page (reasons on hover)
  junit.xml    one testsuite per kernel, one testcase per test point
  drift.md     what changed against --baseline (default results/baseline),
               for the programs of the suite only (the sources in --cases,
               default cases/): other programs (`run.sh -- PROG`) are not
               compared, and cases a filtered run left out are not "removed"

An interrupted run (run.sh --matrix got Ctrl-C) has a file INCOMPLETE in
RESULTS_DIR: matrix.json then says "complete": false and matrix.md says so;
a kernel folder with a file INTERRUPTED is "interrupted before it
finished": without summary.json a kernel without results, with one (what
the guest finished before the interrupt, "complete": false) present.

Only the runner's summary.json is read (it already holds every test point's
result, reason and log), so no TAP is parsed here. Standard library only.
Exit status: 0 reports written, 2 usage error or nothing to report.
"""

import argparse
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

# The runner's status "known" is shown as "known-failing" everywhere here.
CASE_STATUSES = ["pass", "fail", "known-failing", "skip", "timeout", "crash",
                 "error", "notrun", "absent"]
POINT_RESULTS = ["pass", "fail", "skip", "xfail", "known-failing", "absent"]
BAD_CASE = {"fail", "timeout", "crash", "error"}
NE = "\u2260"  # marks rows where kernels differ


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
    facts = {}
    try:
        with open(path) as f:
            for line in f:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    facts[key] = value
    except OSError:
        pass
    return facts


def load_run(top):
    """Every kernel folder under a matrix dir: {name: kernel dict}.

    A kernel dict has name, present (a readable summary.json), summary (the
    parsed JSON or None), problem (why it is absent) and boot (boot.env)."""
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
             "boot": read_boot_env(os.path.join(folder, "boot.env"))}
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


# ------------------------------------------------------------------ drift

def point_map(summary):
    """{case id: (status, {point: (result, reason)})} of one summary.json."""
    out = {}
    for c in (summary or {}).get("cases", []):
        pts = {}
        for p in c.get("points", []):
            pts[p["name"]] = (norm(p.get("result")), point_reason(p))
        out[c["id"]] = (norm(c.get("status")), pts)
    return out


CASES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cases")


def suite_ids(top=CASES_DIR):
    """The ids of the case programs in cases/ (<area>/<topic>), the suite
    a run of ./run.sh without `-- PROG` draws from."""
    out = set()
    for area in os.listdir(top) if os.path.isdir(top) else []:
        if os.path.isdir(os.path.join(top, area)):
            out |= {f"{area}/{f[:-2]}" for f in os.listdir(os.path.join(top, area))
                    if f.endswith(".c")}
    return out


def drift_kernel(name, cur, base, suite=None):
    """Differences of one kernel's summary (cur) against the baseline's.

    Only programs of the suite (suite_ids) are compared: a run of other
    programs (`-- PROG`) has nothing to compare, and a case of the
    baseline that a filtered run left out is not "removed" while its
    source is still in cases/ (only one whose source is gone is)."""
    d = {"kernel": name, "state": "compared", "release": None, "new_cases": [],
         "removed_cases": [], "status_changes": [], "point_changes": [],
         "new_points": [], "removed_points": [], "not_compared": 0}
    if cur is None and base is None:
        d["state"] = "no results on either side"
        return d
    if base is None:
        d["state"] = "not in the baseline"
        return d
    if cur is None:
        d["state"] = "no results in this run"
        return d
    old_rel = base.get("kernel", {}).get("release", "")
    new_rel = cur.get("kernel", {}).get("release", "")
    if old_rel != new_rel:
        d["release"] = [old_rel, new_rel]
    old, new = point_map(base), point_map(cur)
    suite = suite_ids() if suite is None else suite
    foreign = [cid for cid in new if cid not in suite]
    d["not_compared"] = len(foreign)
    for cid in foreign:
        del new[cid]
    if not new:
        d["state"] = (f"other programs than the baseline's ({len(foreign)} not from cases/): "
                      "not compared")
        d["release"] = None
        return d
    for cid in new:
        if cid not in old:
            d["new_cases"].append(cid)
    for cid in old:
        if cid not in new and cid not in suite:
            d["removed_cases"].append(cid)
    for cid in new:
        if cid not in old:
            continue
        (ostat, opts), (nstat, npts) = old[cid], new[cid]
        if ostat != nstat:
            d["status_changes"].append({"case": cid, "old": ostat, "new": nstat})
        for p, (res, reason) in npts.items():
            pid = f"{cid}:{p}"
            if p not in opts:
                d["new_points"].append({"point": pid, "new": res, "reason": reason})
            elif opts[p][0] != res:
                d["point_changes"].append({"point": pid, "old": opts[p][0], "new": res,
                                           "reason": reason, "old_reason": opts[p][1]})
        for p, (res, _) in opts.items():
            if p not in npts:
                d["removed_points"].append({"point": f"{cid}:{p}", "old": res})
    return d


def drift_count(d):
    return sum(len(d[k]) for k in ("new_cases", "removed_cases", "status_changes",
                                   "point_changes", "new_points", "removed_points"))


def compute_drift(kernels, baseline_dir, cases_dir=CASES_DIR):
    """Drift of every kernel against baseline_dir (<kernel>/summary.json)."""
    if not baseline_dir or not os.path.isdir(baseline_dir):
        return {"baseline": baseline_dir, "available": False, "kernels": [], "changes": 0}
    base = load_run(baseline_dir)
    if not any(k["present"] for k in base.values()):
        return {"baseline": baseline_dir, "available": False, "kernels": [], "changes": 0}
    names = sorted(set(kernels) | set(base), key=kernel_order)
    out, suite = [], suite_ids(cases_dir)
    for n in names:
        cur = kernels[n]["summary"] if n in kernels else None
        old = base[n]["summary"] if n in base else None
        out.append(drift_kernel(n, cur, old, suite))
    return {"baseline": baseline_dir, "available": True, "kernels": out,
            "changes": sum(drift_count(d) for d in out)}


def drift_lines(d, heading="###", limit=None):
    """Markdown lines for one kernel's drift; with limit, a list longer than
    that is cut to its first entries and a count."""
    lines = []

    def cut(items):
        if limit is None or len(items) <= limit:
            return items, 0
        return items[:limit], len(items) - limit
    n = drift_count(d)
    title = f"{heading} {d['kernel']}"
    if d["state"] != "compared":
        return [title, "", f"{d['state']}.", ""]
    lines += [title, ""]
    if d["release"]:
        lines.append(f"Kernel release changed: `{d['release'][0]}` \u2192 `{d['release'][1]}`.")
        lines.append("")
    if n == 0:
        lines += ["No change.", ""]
        return lines
    if d["point_changes"]:
        lines += ["| test point | baseline | now | reason |", "|---|---|---|---|"]
        shown, more = cut(d["point_changes"])
        for c in shown:
            why = c["reason"] or (f"was: {c['old_reason']}" if c["old_reason"] else "")
            lines.append(f"| `{md(c['point'])}` | {c['old']} | **{c['new']}** | {md(why)} |")
        if more:
            lines.append(f"| ... and {more} more | | | |")
        lines.append("")
    entries = (
        [f"Case status changed: `{c['case']}` {c['old']} \u2192 **{c['new']}**"
         for c in d["status_changes"]]
        + [f"New case: `{cid}`" for cid in d["new_cases"]]
        + [f"Removed case: `{cid}`" for cid in d["removed_cases"]]
        + [f"New test point: `{p['point']}` ({p['new']})" for p in d["new_points"]]
        + [f"Removed test point: `{p['point']}` (was {p['old']})" for p in d["removed_points"]])
    shown, more = cut(entries)
    lines += [f"- {e}" for e in shown]
    if more:
        lines.append(f"- ... and {more} more (new cases: {len(d['new_cases'])}, "
                     f"removed cases: {len(d['removed_cases'])})")
    if d["not_compared"]:
        lines.append(f"- {d['not_compared']} program(s) not from cases/: not compared")
    lines.append("")
    return lines


def drift_summary(drift):
    if not drift["available"]:
        return f"no baseline to compare with ({drift['baseline']} has no summary.json)"
    parts = [f"{d['kernel']}: {drift_count(d)}" for d in drift["kernels"]
             if d["state"] == "compared" and drift_count(d)]
    parts += [f"{d['kernel']}: {d['state']}" for d in drift["kernels"] if d["state"] != "compared"]
    if drift["changes"] == 0 and len(parts) == 0:
        return f"no drift against {drift['baseline']}"
    return (f"{drift['changes']} change(s) against {drift['baseline']}"
            + (f" ({', '.join(parts)})" if parts else ""))


def render_drift(drift, run_name):
    lines = [f"# aioconf drift: {run_name} against {drift['baseline']}", ""]
    if not drift["available"]:
        lines += [f"No baseline: `{drift['baseline']}` holds no `<kernel>/summary.json`. "
                  "Make one with `make baseline`.", ""]
        return "\n".join(lines)
    lines += [drift_summary(drift) + ".", ""]
    for d in drift["kernels"]:
        lines += drift_lines(d)
    return "\n".join(lines)


# ------------------------------------------------------------------ markdown

def md(text):
    return (text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def cell_text(cell):
    st, c = cell["status"], cell.get("counts", {})
    total = sum(v for k, v in c.items())
    if st == "absent":
        return "\u2014"
    if st == "pass":
        text = f"pass {c.get('pass', 0)}"
        extra = [f"{c[k]} {k}" for k in ("skip", "xfail", "known-failing") if c.get(k)]
        if extra:
            text += " + " + ", ".join(extra)
    elif st == "fail":
        text = f"FAIL {c.get('fail', 0)}/{total}"
    elif st == "known-failing":
        text = f"known {c.get('known-failing', 0)}/{total}"
    elif st == "skip":
        text = f"skip {c.get('skip', 0)}"
    else:
        text = st.upper() if st in BAD_CASE else st
    return text


def kernel_line(k):
    if not k["present"]:
        return f"- **{k['name']}** {('`' + k['release'] + '`') if k['release'] else ''}: no results ({k['problem']})"
    p, c = k["points"], k["cases"]
    cases = ", ".join(f"{v} {s}" for s, v in c.items() if v)
    line = (f"- **{k['name']}** `{k['release']}`: {p['passed']} passed, {p['failed']} failed, "
            f"{p['skipped']} skipped, {p['known']} known-failing, {p['xfail']} xfail "
            f"(test points); cases: {cases}")
    if not k["complete"]:
        line += "; **incomplete** (interrupted)"
    timing = []
    if k.get("duration_s") is not None:
        timing.append(f"run {k['duration_s']:.1f} s")
    boot = k.get("boot", {})
    if boot.get("boot_to_first_output_s"):
        timing.append(f"boot {boot['boot_to_first_output_s']} s")
    if boot.get("total_s"):
        timing.append(f"total {boot['total_s']} s")
    if boot.get("accel"):
        timing.append(boot["accel"])
    if timing:
        line += f" ({', '.join(timing)})"
    return line


def render_md(m, drift):
    names = [k["name"] for k in m["kernels"]]
    lines = [f"# aioconf matrix: {m['run']}", ""]
    if not m.get("complete", True):
        lines += ["**Incomplete: the run was interrupted**; kernels without results "
                  "did not finish.", ""]
    for k in m["kernels"]:
        lines.append(kernel_line(k))
    ndiff = sum(1 for c in m["cases"] if c["differs"])
    lines += ["", f"{len(m['cases'])} cases, {ndiff} differ between kernels (marked \u2260). "
              "A cell is the case status with its test-point counts; "
              "\u26a0 marks an outcome unexpected against the case's `since` "
              "(a skip at or after it, a pass before it)."]
    if drift is not None:
        lines += ["", f"Drift: {drift_summary(drift)} (see drift.md)."]
    lines.append("")
    areas = []
    for c in m["cases"]:
        if c["area"] not in areas:
            areas.append(c["area"])
    for area in areas:
        lines += [f"## {area}", "",
                  "| \u2260 | case | since | " + " | ".join(names) + " |",
                  "|---|---|---|" + "---|" * len(names)]
        for c in m["cases"]:
            if c["area"] != area:
                continue
            cells = []
            for n in names:
                cell = c["cells"][n]
                text = cell_text(cell)
                if cell["status"] in BAD_CASE:
                    text = f"**{text}**"
                if cell.get("unexpected"):
                    text += " \u26a0"
                cells.append(text)
            mark = NE if c["differs"] else ""
            lines.append(f"| {mark} | `{c['id']}` | {c['since'] or ''} | "
                         + " | ".join(cells) + " |")
        lines.append("")
    diff_points = [(c, p) for c in m["cases"] for p in c["points"] if p["differs"]]
    if diff_points:
        lines += ["## Test points that differ between kernels", "",
                  "| test point | " + " | ".join(names) + " |",
                  "|---|" + "---|" * len(names)]
        for c, p in diff_points:
            lines.append(f"| `{md(p['id'])}` | " + " | ".join(
                p["results"][n]["result"] if p["results"][n]["result"] != "absent" else "\u2014"
                for n in names) + " |")
        lines.append("")
    if m["unexpected"]:
        lines += ["## Unexpected against `since`", ""]
        for u in m["unexpected"]:
            what = ("skipped on a kernel at or after" if u["kind"] == "unexpected-skip"
                    else "passed on a kernel before")
            lines.append(f"- `{u['case']}` {what} its since {u['since']}: "
                         f"{u['kernel']} (`{u['release']}`)")
        lines.append("")
    rows = []
    for c in m["cases"]:
        for n in names:
            for r in c["cells"][n].get("reasons", []):
                if r["result"] in ("skip", "xfail"):
                    continue
                where = f"{c['id']}:{r['point']}" if r["point"] else c["id"]
                rows.append(f"| {n} | `{md(where)}` | {r['result']} | {md(r['reason'])} |")
    if rows:
        lines += ["## Failures", "", "| kernel | test point | result | reason |",
                  "|---|---|---|---|"] + rows + [""]
    skips = {}
    for c in m["cases"]:
        for n in names:
            for r in c["cells"][n].get("reasons", []):
                if r["result"] in ("skip", "xfail") and r["point"]:
                    key = (f"{c['id']}:{r['point']}", r["result"], r["reason"])
                    skips.setdefault(key, []).append(n)
    if skips:
        lines += ["## Skips", "", "| test point | kernels | reason |", "|---|---|---|"]
        for (where, res, reason), ks in skips.items():
            label = ", ".join(ks) + (f" ({res})" if res != "skip" else "")
            lines.append(f"| `{md(where)}` | {label} | {md(reason)} |")
        lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------ HTML

CSS = """
body{font:13px/1.35 system-ui,sans-serif;margin:1.2em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.4em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2;position:sticky;top:0}
td.c{white-space:nowrap;text-align:center;min-width:6.5em}
tr.area th{background:#dde6f0;text-align:left}
tr.differs td.id{background:#fff3a8;font-weight:600}
tr.differs td.mark{background:#fff3a8}
tr.point td.id{padding-left:2em;font-weight:normal;color:#444;background:#fffbe0}
tr.point td.c{font-size:.9em}
.pass{background:#c9ecc9}.fail{background:#f5a3a3;font-weight:600}
.skip{background:#e2e2e2;color:#555}.known-failing{background:#f9d49c}
.xfail{background:#d8e4f7}.timeout{background:#c9a3e8;font-weight:600}
.crash{background:#8b1a1a;color:#fff;font-weight:600}
.error{background:#e66ad0;color:#fff;font-weight:600}
.notrun{background:#f4f4f4;color:#888}.absent{background:#fff;color:#aaa}
td.unexpected{outline:3px solid #d40000;outline-offset:-3px}
span.flag{color:#d40000;font-weight:700}
.legend span{display:inline-block;padding:1px 6px;margin-right:4px;border:1px solid #ccc}
.only-diff tr.same{display:none}
code{font-size:.95em}
"""


def esc(text):
    return html.escape(text or "", quote=True)


def cell_title(kernel, cell):
    parts = [f"{kernel}: {cell['status']}"]
    if cell["status"] == "absent":
        parts.append(cell.get("note", ""))
    c = cell.get("counts", {})
    if c:
        parts.append(", ".join(f"{v} {k}" for k, v in c.items() if v) or "no test points")
    if cell.get("unexpected"):
        what = ("skip at or after" if cell["unexpected"] == "unexpected-skip" else "pass before")
        parts.append(f"UNEXPECTED: {what} since {cell.get('since')}")
    for r in cell.get("reasons", []):
        parts.append(f"{r['point'] or '(case)'} {r['result']}: {r['reason']}")
    return "\n".join(p for p in parts if p)


def render_html(m, drift):
    names = [k["name"] for k in m["kernels"]]
    out = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
           f"<title>aioconf matrix {esc(m['run'])}</title>", f"<style>{CSS}</style>",
           "</head><body>", f"<h1>aioconf matrix: {esc(m['run'])}</h1>"]
    out.append("<table id=\"kernels\"><tr><th>kernel</th><th>release</th><th>complete</th>"
               "<th>passed</th><th>failed</th><th>skipped</th><th>known-failing</th>"
               "<th>cases</th><th>run s</th><th>boot s</th></tr>")
    for k in m["kernels"]:
        p = k["points"]
        cases = ", ".join(f"{v} {s}" for s, v in k["cases"].items() if v) or esc(k["problem"])
        boot = k.get("boot", {})
        out.append(
            f"<tr><td>{esc(k['name'])}</td><td><code>{esc(k['release'])}</code></td>"
            f"<td>{'yes' if k['complete'] else '<b>no</b>'}</td><td>{p['passed']}</td>"
            f"<td>{p['failed']}</td><td>{p['skipped']}</td><td>{p['known']}</td>"
            f"<td>{esc(cases)}</td>"
            f"<td>{'' if k['duration_s'] is None else format(k['duration_s'], '.1f')}</td>"
            f"<td>{esc(boot.get('boot_to_first_output_s', ''))}</td></tr>")
    out.append("</table>")
    if drift is not None:
        out.append(f"<p id=\"drift\">Drift: {esc(drift_summary(drift))} (drift.md).</p>")
    out.append("<p class=\"legend\">" + "".join(
        f"<span class=\"{s}\">{s}</span>" for s in CASE_STATUSES) +
        " <span class=\"unexpected\" style=\"outline:3px solid #d40000\">"
        "<span class=\"flag\">!</span> unexpected against since</span>"
        " &nbsp; <span style=\"background:#fff3a8\">\u2260 kernels differ</span></p>")
    out.append("<p>Hover a cell for the reasons. Rows where kernels differ are highlighted, "
               "with their differing test points below them. "
               "<label><input type=\"checkbox\" id=\"only-diff\" "
               "onchange=\"document.body.classList.toggle('only-diff',this.checked)\">"
               " only rows that differ</label></p>")
    out.append("<table id=\"matrix\"><thead><tr><th></th><th>case</th><th>since</th>"
               + "".join(f"<th title=\"{esc(k['release'])}\">{esc(k['name'])}</th>"
                         for k in m["kernels"]) + "</tr></thead><tbody>")
    area = None
    for c in m["cases"]:
        if c["area"] != area:
            area = c["area"]
            out.append(f"<tr class=\"area\"><th colspan=\"{3 + len(names)}\">{esc(area)}</th></tr>")
        cls = "case differs" if c["differs"] else "case same"
        out.append(f"<tr class=\"{cls}\" data-case=\"{esc(c['id'])}\">"
                   f"<td class=\"mark\">{NE if c['differs'] else ''}</td>"
                   f"<td class=\"id\" title=\"{esc(c['feature'])}\">{esc(c['id'])}</td>"
                   f"<td>{esc(c['since'])}</td>")
        for n in names:
            cell = c["cells"][n]
            classes = ["c", cell["status"]]
            flag = ""
            if cell.get("unexpected"):
                classes.append("unexpected")
                flag = " <span class=\"flag\">!</span>"
            attrs = f' data-unexpected="{cell["unexpected"]}"' if cell.get("unexpected") else ""
            out.append(f"<td class=\"{' '.join(classes)}\" data-kernel=\"{esc(n)}\" "
                       f"data-status=\"{esc(cell['status'])}\"{attrs}"
                       f" title=\"{esc(cell_title(n, cell))}\">{esc(cell_text(cell))}{flag}</td>")
        out.append("</tr>")
        for p in c["points"]:
            if not p["differs"]:
                continue
            out.append(f"<tr class=\"point differs\" data-point=\"{esc(p['id'])}\"><td></td>"
                       f"<td class=\"id\">{esc(p['name'])}</td><td></td>")
            for n in names:
                r = p["results"][n]
                title = f"{n}: {r['result']}" + (f"\n{r['reason']}" if r.get("reason") else "")
                out.append(f"<td class=\"c {r['result']}\" data-kernel=\"{esc(n)}\" "
                           f"title=\"{esc(title)}\">{esc(r['result'])}</td>")
            out.append("</tr>")
    out.append("</tbody></table>")
    if m["unexpected"]:
        out.append("<h2>Unexpected against since</h2><ul id=\"unexpected\">")
        for u in m["unexpected"]:
            what = ("skipped at or after" if u["kind"] == "unexpected-skip" else "passed before")
            out.append(f"<li><code>{esc(u['case'])}</code> {what} since {esc(u['since'])} on "
                       f"{esc(u['kernel'])} (<code>{esc(u['release'])}</code>)</li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ JUnit

XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text):
    """Characters XML 1.0 cannot hold (terminal escapes, NUL) become U+FFFD."""
    return XML_BAD.sub("\ufffd", text or "")


def render_junit(m, kernels):
    """One <testsuite> per kernel, one <testcase> per test point. A skip, an
    xfail and a known failure are <skipped> (never passed); a failed point is
    <failure>; a case program that timed out, crashed or broke its TAP gets
    an extra testcase 'case-program' with <error>."""
    root = ET.Element("testsuites", name="aioconf")
    grand = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for k in m["kernels"]:
        name = k["name"]
        suite = ET.SubElement(root, "testsuite", name=name)
        props = ET.SubElement(suite, "properties")
        for key, value in (("kernel.release", k["release"]), ("kernel.version", k["version"]),
                           ("complete", str(k["complete"]).lower())):
            ET.SubElement(props, "property", name=key, value=xml_text(value))
        n = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

        def case(classname, test, kind=None, message="", text="", typ=None):
            tc = ET.SubElement(suite, "testcase", classname=xml_text(classname),
                               name=xml_text(test))
            n["tests"] += 1
            if kind:
                el = ET.SubElement(tc, kind, message=xml_text(message))
                if typ:
                    el.set("type", typ)
                if text:
                    el.text = xml_text(text)
                n[{"skipped": "skipped", "failure": "failures", "error": "errors"}[kind]] += 1
            return tc

        if not k["present"]:
            case(name, "results", "error", f"no results for kernel {name}: {k['problem']}",
                 typ="absent")
        else:
            summary = kernels[name]["summary"]
            suite.set("time", f"{summary.get('duration_s') or 0:.3f}")
            for c in summary["cases"]:
                cid, status = c["id"], norm(c.get("status"))
                diag = c.get("diagnostics") or ""
                for p in c.get("points", []):
                    r = norm(p.get("result"))
                    if r == "pass":
                        case(cid, p["name"])
                    elif r == "fail":
                        case(cid, p["name"], "failure", fail_reason(p), p.get("log") or "", "fail")
                    elif r == "known-failing":
                        case(cid, p["name"], "skipped",
                             f"known-failing: {point_reason(p) or 'on the known-failures list'}",
                             p.get("log") or "", "known-failing")
                    elif r == "xfail":
                        case(cid, p["name"], "skipped", f"xfail: {point_reason(p)}", typ="xfail")
                    else:
                        case(cid, p["name"], "skipped", point_reason(p) or "skipped", typ="skip")
                if status in ("timeout", "crash", "error") or (
                        status == "fail" and not c.get("counts", {}).get("fail")):
                    case(cid, "case-program", "error", f"{status}: {first_line(diag) or status}",
                         diag, status)
                elif status == "notrun":
                    case(cid, "case-program", "skipped", "not run: the run was interrupted",
                         typ="notrun")
                elif not c.get("points"):
                    case(cid, "case-program", "skipped" if status == "skip" else None,
                         first_line(diag) or "skipped", typ="skip")
        for key, v in n.items():
            suite.set(key, str(v))
            grand[key] += v
    for key, v in grand.items():
        root.set(key, str(v))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# ------------------------------------------------------------------ output

def write_atomic(path, text):
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="matrix.py", description="Write matrix.json, matrix.md, matrix.html, "
        "junit.xml and drift.md for a matrix results folder.")
    ap.add_argument("results_dir")
    ap.add_argument("--baseline", default=None,
                    help="baseline folder (<kernel>/summary.json); default results/baseline "
                         "next to RESULTS_DIR")
    ap.add_argument("--quiet", action="store_true", help="print nothing")
    ap.add_argument("--cases", default=CASES_DIR,
                    help="the suite's case sources (drift compares only its programs)")
    args = ap.parse_args(argv)
    top = args.results_dir.rstrip("/") or "/"
    if not os.path.isdir(top):
        print(f"matrix.py: {top}: not a folder", file=sys.stderr)
        return 2
    kernels = load_run(top)
    if not any(k["present"] for k in kernels.values()):
        print(f"matrix.py: {top}: no <kernel>/summary.json in it", file=sys.stderr)
        return 2
    baseline = args.baseline
    if baseline is None:
        baseline = os.path.join(os.path.dirname(os.path.abspath(top)), "baseline")
    run_name = os.path.basename(os.path.realpath(top))
    m = build_matrix(kernels, run_name)
    m["complete"] = not os.path.exists(os.path.join(top, "INCOMPLETE"))
    drift = compute_drift(kernels, baseline, args.cases)
    m["drift"] = drift
    write_atomic(os.path.join(top, "matrix.json"), json.dumps(m, indent=1) + "\n")
    write_atomic(os.path.join(top, "matrix.md"), render_md(m, drift))
    write_atomic(os.path.join(top, "matrix.html"), render_html(m, drift))
    write_atomic(os.path.join(top, "junit.xml"), render_junit(m, kernels))
    write_atomic(os.path.join(top, "drift.md"), render_drift(drift, run_name) + "\n")
    if not args.quiet:
        ndiff = sum(1 for c in m["cases"] if c["differs"])
        print(f"# reports in {top}: matrix.md matrix.html matrix.json junit.xml drift.md")
        print(f"# {len(m['cases'])} cases, {ndiff} differ between kernels, "
              f"{len(m['unexpected'])} unexpected against since")
        print(f"# drift: {drift_summary(drift)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
