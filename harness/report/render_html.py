"""The HTML renderer: matrix.html from the matrix model.

The matrix of matrix.md as one self-contained page (inline CSS, no
external assets): coloured cells with the reasons on hover, the rows
where kernels differ highlighted with their differing test points, under
each case whose points did not all pass an expandable row with every skip,
failure and known-failure reason (opened when the page is printed), and
the feature table of features.md.
"""

import html

from drift import drift_summary
from model import CASE_STATUSES
from render_features import cell as feature_cell, feature_rows, newest
from text import NE, cell_text


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
tr.reasons td{border-top:none;background:#fafafa}
tr.reasons summary{cursor:pointer;color:#555}
tr.reasons ul{margin:.2em 0 .3em 1.2em;padding:0}
.present{background:#c9ecc9}.differs{background:#f9d49c}
@media print{
 body{font-size:8pt;margin:0}th{position:static}
 .only-diff tr.same{display:table-row}#only-diff-label{display:none}
 tr{break-inside:avoid}td.c{min-width:0}
}
"""

# Printing opens every reasons row, so the printed page reads without hover.
PRINT_OPEN = ("<script>window.addEventListener('beforeprint',function(){"
              "document.querySelectorAll('details').forEach(function(d){d.open=true;});});"
              "</script>")


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
    out.append("<p>Hover a cell for the reasons, or open the reasons row under a case. "
               "Rows where kernels differ are highlighted, "
               "with their differing test points below them. "
               "<label id=\"only-diff-label\"><input type=\"checkbox\" id=\"only-diff\" "
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
        out += reasons_row(c, names)
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
    out += features_table(m)
    if m["unexpected"]:
        out.append("<h2>Unexpected against since</h2><ul id=\"unexpected\">")
        for u in m["unexpected"]:
            what = ("skipped at or after" if u["kind"] == "unexpected-skip" else "passed before")
            out.append(f"<li><code>{esc(u['case'])}</code> {what} since {esc(u['since'])} on "
                       f"{esc(u['kernel'])} (<code>{esc(u['release'])}</code>)</li>")
        out.append("</ul>")
    out.append(PRINT_OPEN)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def reasons_row(case, names):
    """The expandable row of every reason a kernel gave for a case's points
    that did not pass (skips, failures, known failures); none if all passed."""
    items = []
    for n in names:
        for r in case["cells"][n].get("reasons", []):
            items.append(f"<li><b>{esc(n)}</b> {esc(r['point'] or '(case)')} "
                         f"<i>{esc(r['result'])}</i>: {esc(r['reason'])}</li>")
    if not items:
        return []
    cls = "reasons differs" if case["differs"] else "reasons same"
    return [f"<tr class=\"{cls}\"><td></td><td colspan=\"{2 + len(names)}\"><details>"
            f"<summary>{len(items)} reason(s)</summary><ul>" + "".join(items) +
            "</ul></details></td></tr>"]


def features_table(m):
    """features.md as a table: each declared feature per kernel."""
    rows = feature_rows(m)
    if not rows:
        return []
    top = newest(m)
    names = [k["name"] for k in m["kernels"] if k["present"]]
    out = ["<h2>Features</h2>",
           f"<p>What each kernel showed for each feature the tests declare (the newest "
           f"kernel is {esc(top)}; hover a <i>differs</i> cell for the points).</p>",
           "<table id=\"features\"><thead><tr><th>feature</th><th>since</th>"
           + "".join(f"<th>{esc(n)}</th>" for n in names) + "</tr></thead><tbody>"]
    for f in sorted(rows, key=lambda f: (rows[f]["area"], f)):
        out.append(f"<tr><td><code>{esc(f)}</code></td><td>{esc(rows[f]['since'])}</td>")
        for n in names:
            state, differ = feature_cell(rows[f], n, top)
            title = "\n".join(f"{pid}: {res} (on {top}: {want})" for pid, res, want, _ in differ)
            out.append(f"<td class=\"c {esc(state)}\" title=\"{esc(title)}\">{esc(state)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return out
