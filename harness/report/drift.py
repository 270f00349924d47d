"""Drift: what changed in a run against the baseline (drift.md).

Compares each kernel's summary.json with the baseline's (drift_kernel,
compute_drift), counting only the suite's programs (the sources in cases/,
suite_ids), and renders it as Markdown (drift_lines per kernel,
drift_summary in one line, render_drift the whole drift.md). Also used by
compare_host.py for the host run alone.
"""

import json
import os

from model import kernel_order, load_run, norm, point_reason
from text import md


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


def abi_of(column):
    """The ABI of a matrix column: i386 for <kernel>-i386 (run.sh --abi
    i386), arm64 for an arm64 kernel's (<kernel>-arm64, run.sh --matrix
    all), else the native one."""
    for abi in ("i386", "arm64"):
        if column.endswith("-" + abi):
            return abi
    return "native"


def compute_drift(kernels, baseline_dir, cases_dir=CASES_DIR):
    """Drift of every kernel against baseline_dir (<kernel>/summary.json)."""
    if not baseline_dir or not os.path.isdir(baseline_dir):
        return {"baseline": baseline_dir, "available": False, "kernels": [], "changes": 0}
    base = {n: k for n, k in load_run(baseline_dir).items() if not k["absent"]}
    if not any(k["present"] for k in base.values()):
        return {"baseline": baseline_dir, "available": False, "kernels": [], "changes": 0}
    # A baseline kernel this run lacks is worth saying, but only among the
    # columns of this run's ABIs: an i386 matrix (columns <kernel>-i386)
    # does not lack the baseline's 64-bit kernels.
    abis = {abi_of(n) for n in kernels}
    names = sorted(set(kernels) | {n for n in base if abi_of(n) in abis}, key=kernel_order)
    out, suite = [], suite_ids(cases_dir)
    for n in names:
        cur = kernels[n]["summary"] if n in kernels else None
        old = base[n]["summary"] if n in base else None
        out.append(drift_kernel(n, cur, old, suite))
    # Between point releases: each baseline kernel against the summary of
    # its previous release that baseline.sh kept (previous-release.json).
    releases = []
    for n in sorted(base, key=kernel_order):
        prev = read_summary(os.path.join(baseline_dir, n, "previous-release.json"))
        if prev is not None and base[n]["summary"] is not None:
            releases.append(drift_kernel(n, base[n]["summary"], prev, suite))
    return {"baseline": baseline_dir, "available": True, "kernels": out,
            "changes": sum(drift_count(d) for d in out), "point_releases": releases}


def read_summary(path):
    """A summary.json's content, or None when there is none."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def drift_lines(d, heading="###", limit=None, sides=("baseline", "now")):
    """Markdown lines for one kernel's drift; with limit, a list longer than
    that is cut to its first entries and a count; sides name the old and
    the new results in the table."""
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
        lines += [f"| test point | {sides[0]} | {sides[1]} | reason |", "|---|---|---|---|"]
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
    if drift.get("point_releases"):
        lines += ["## Between point releases", "",
                  "What changed when Debian moved a kernel series on: the baseline's "
                  "results against those of the previous release of the same kernel "
                  "(`<kernel>/previous-release.json`, kept by `make baseline`).", ""]
        for d in drift["point_releases"]:
            lines += drift_lines(d, sides=("previous release", "baseline"))
    return "\n".join(lines)
