"""The Markdown renderer: matrix.md from the matrix model.

One table per area (cases x kernels), a summary line per kernel, the test
points that differ, the outcomes unexpected against since, the failures
and the skips with their reasons.
"""

from drift import drift_summary
from text import BAD_CASE, NE, cell_text, md


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
    if k.get("rc"):
        line += (f"; **release candidate** {k['rc']}: its failures are reported here "
                 "and do not fail the run")
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
    for a in m.get("absent", []):
        lines.append(f"- **{a['name']}**: absent ({a['reason']}); no column")
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
