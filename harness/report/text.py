"""Text shared by the renderers: Markdown escaping and a cell's short label.

md() escapes text for a Markdown table cell (matrix.md and drift.md);
cell_text() is the label of a case's cell (matrix.md and matrix.html);
NE marks the rows where kernels differ and BAD_CASE the case statuses
shown bold.
"""

BAD_CASE = {"fail", "timeout", "crash", "error"}
NE = "\u2260"  # marks rows where kernels differ


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
