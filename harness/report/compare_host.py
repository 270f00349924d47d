#!/usr/bin/python3
"""Compare a host run with the baseline's host results and print the drift.

usage: compare_host.py [RUN] [--baseline DIR] [--cases DIR] [--fail-on-drift]

RUN is a host run folder (results/<time>-host-<release>/), a matrix folder
(its host/ is used) or a summary.json; default results/latest. The baseline
is DIR/host/summary.json (default results/baseline). Prints which test points
changed result, new and removed cases and points, and a release change.
Only programs of the suite (the sources in --cases, default cases/) are
compared: a run of other programs (`./run.sh -- PROG`) prints that it was
not compared, and a filtered run does not count the cases it left out as
removed (only a case whose source is gone is).
Exit status: 0 (also when there is drift or no baseline yet), 1 drift with
--fail-on-drift, 2 RUN has no readable summary.json or a usage error.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from drift import (CASES_DIR, drift_count, drift_kernel,  # noqa: E402  (same folder)
                   drift_lines, suite_ids)


def find_summary(run):
    for path in (run, os.path.join(run, "summary.json"), os.path.join(run, "host", "summary.json")):
        if os.path.isfile(path):
            return path
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(prog="compare_host.py",
                                 description="Print the host run's drift against the baseline.")
    ap.add_argument("run", nargs="?", default="results/latest")
    ap.add_argument("--baseline", default="results/baseline")
    ap.add_argument("--fail-on-drift", action="store_true")
    ap.add_argument("--cases", default=CASES_DIR,
                    help="the suite's case sources (only its programs are compared)")
    args = ap.parse_args(argv)

    path = find_summary(args.run)
    if path is None:
        print(f"compare_host: {args.run}: no summary.json (nor host/summary.json)", file=sys.stderr)
        return 2
    try:
        with open(path) as f:
            cur = json.load(f)
        cur["cases"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"compare_host: {path}: unreadable: {e}", file=sys.stderr)
        return 2
    base_path = os.path.join(args.baseline, "host", "summary.json")
    try:
        with open(base_path) as f:
            base = json.load(f)
        base["cases"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        why = "absent" if isinstance(e, FileNotFoundError) else f"unreadable: {e}"
        print(f"# drift: no host baseline to compare with ({base_path} {why}; make one with `make baseline`)")
        return 0
    d = drift_kernel("host", cur, base, suite_ids(args.cases))
    if d["state"] != "compared":
        print(f"# drift of {path}: {d['state']}")
        return 0
    n = drift_count(d)
    print(f"# drift of {path} against {base_path}: "
          + (f"{n} change(s)" if n else "no change"))
    if n or d["release"]:
        for line in drift_lines(d, heading="##", limit=20):
            print(line)
    return 1 if (n and args.fail_on_drift) else 0


if __name__ == "__main__":
    sys.exit(main())
