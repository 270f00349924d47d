#!/usr/bin/python3
"""aioconf matrix reports.

usage: matrix.py RESULTS_DIR [--baseline DIR] [--cases DIR] [--known FILE]

RESULTS_DIR is a matrix run (results/<time>-matrix/): one folder per kernel
(host, 5.10, ...) holding the runner's summary.json. Writes into RESULTS_DIR,
each file complete or absent (written as NAME.part, then renamed):

  matrix.json  cases x kernels, per cell and per test point
  matrix.md    one table per area, kernel summary lines, differing points
  matrix.html  the same as a self-contained coloured page: reasons on hover
               and in an expandable row under each case (opened for
               printing), and the feature table
  junit.xml    one testsuite per kernel, one testcase per test point
  kcidb.json   the run as a KernelCI KCIDB v5.3 report (checkouts, builds,
               a test per case program and per test point), valid against
               kcidb.schema.json here; render_kcidb.py says how it maps
  drift.md     what changed against --baseline (default results/baseline),
               for the programs of the suite only (the sources in --cases,
               default cases/): other programs (`run.sh -- PROG`) are not
               compared, and cases a filtered run left out are not "removed"
  features.md  the feature table: each feature the tests declare, per
               kernel absent / present / differs from the newest kernel
  errata.md    documentation errors, kernel defects and intermittent races
               of --known (default cases/known-failures.txt) as this run
               shows them, and the regressions between its kernels

An interrupted run (run.sh --matrix got Ctrl-C) has a file INCOMPLETE in
RESULTS_DIR: matrix.json then says "complete": false and matrix.md says so;
a kernel folder with a file INTERRUPTED is "interrupted before it
finished": without summary.json a kernel without results, with one (what
the guest finished before the interrupt, "complete": false) present.

Only the runner's summary.json is read (it already holds every test point's
result, reason and log), so no TAP is parsed here. Standard library only.
This is the command line: model.py loads the run and builds the model,
drift.py compares it with the baseline, and render_md.py, render_html.py,
render_junit.py, render_kcidb.py, render_features.py and render_errata.py
render one format each.
Exit status: 0 reports written, 2 usage error or nothing to report.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The model and one renderer per format (same folder).
from drift import CASES_DIR, compute_drift, drift_summary, render_drift  # noqa: E402
from model import build_matrix, load_run  # noqa: E402
from render_errata import render_errata  # noqa: E402
from render_features import render_features  # noqa: E402
from render_html import render_html  # noqa: E402
from render_junit import render_junit  # noqa: E402
from render_kcidb import render_kcidb  # noqa: E402
from render_md import render_md  # noqa: E402


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
        "junit.xml, kcidb.json, drift.md, features.md and errata.md for a matrix results "
        "folder.")
    ap.add_argument("results_dir")
    ap.add_argument("--baseline", default=None,
                    help="baseline folder (<kernel>/summary.json); default results/baseline "
                         "next to RESULTS_DIR")
    ap.add_argument("--quiet", action="store_true", help="print nothing")
    ap.add_argument("--cases", default=CASES_DIR,
                    help="the suite's case sources (drift compares only its programs)")
    ap.add_argument("--known", default=os.path.join(CASES_DIR, "known-failures.txt"),
                    help="the reviewed known-failures list errata.md is made from")
    ap.add_argument("--doc-errata", default=os.path.join(CASES_DIR, "doc-errata.txt"),
                    help="the documentation errata list errata.md also shows")
    args = ap.parse_args(argv)
    top = args.results_dir.rstrip("/") or "/"
    if not os.path.isdir(top):
        print(f"matrix.py: {top}: not a folder", file=sys.stderr)
        return 2
    kernels = load_run(top)
    # A kernel that may be missing (the next release) and is: no column.
    absent = [{"name": n, "reason": k["absent"]} for n, k in kernels.items() if k["absent"]]
    kernels = {n: k for n, k in kernels.items() if not k["absent"]}
    if not any(k["present"] for k in kernels.values()):
        print(f"matrix.py: {top}: no <kernel>/summary.json in it", file=sys.stderr)
        return 2
    baseline = args.baseline
    if baseline is None:
        baseline = os.path.join(os.path.dirname(os.path.abspath(top)), "baseline")
    run_name = os.path.basename(os.path.realpath(top))
    m = build_matrix(kernels, run_name)
    m["absent"] = absent
    m["complete"] = not os.path.exists(os.path.join(top, "INCOMPLETE"))
    drift = compute_drift(kernels, baseline, args.cases)
    m["drift"] = drift
    write_atomic(os.path.join(top, "matrix.json"), json.dumps(m, indent=1) + "\n")
    write_atomic(os.path.join(top, "matrix.md"), render_md(m, drift))
    write_atomic(os.path.join(top, "matrix.html"), render_html(m, drift))
    write_atomic(os.path.join(top, "junit.xml"), render_junit(m, kernels))
    # Compact: a full matrix is ~45000 tests (20 MB indented, for a machine).
    write_atomic(os.path.join(top, "kcidb.json"),
                 json.dumps(render_kcidb(m, kernels), separators=(",", ":")) + "\n")
    write_atomic(os.path.join(top, "drift.md"), render_drift(drift, run_name) + "\n")
    write_atomic(os.path.join(top, "features.md"), render_features(m))
    write_atomic(os.path.join(top, "errata.md"), render_errata(m, args.known, args.doc_errata))
    if not args.quiet:
        ndiff = sum(1 for c in m["cases"] if c["differs"])
        print(f"# reports in {top}: matrix.md matrix.html matrix.json junit.xml kcidb.json "
              "drift.md features.md errata.md")
        print(f"# {len(m['cases'])} cases, {ndiff} differ between kernels, "
              f"{len(m['unexpected'])} unexpected against since")
        print(f"# drift: {drift_summary(drift)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
