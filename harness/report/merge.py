#!/usr/bin/python3
"""aioconf: merge shard folders into one matrix run folder (run.sh --merge).

usage: merge.py OUT DIR...

Each DIR is the results folder of one shard (run.sh --shard I/N, with
--matrix, --kernel K or on the host): its shard.json (shard_plan.py) says
which shard it is, of which plan, and which cases of which columns it ran.
A matrix shard holds a folder per column; a --kernel or host shard is the
column's folder itself. Shards of several plans merge together (a CI job
per kernel and shard), each plan being a group: a whole matrix, or one
column.

Refused, naming them (exit 2): a DIR without shard.json; a shard given
twice; a shard of a group missing; shards of one group from different
plans; a column that two groups both ran.

OUT gets a folder per column, as a one-machine matrix has: the pieces of
each shard that ran part of it as shard-I/ (boot logs, console, TAP), the
first one's boot.env (as a resumed run has its first boot's), and the
merged summary.json (the runner's format; "boots" lists each shard's
boots with its number), run.tap and <case>.tap. The cases are in the plan's
order; a case no shard returned is "notrun". An absent kernel's folder
(ABSENT), a release candidate's mark (RC) and an interrupted column
(INTERRUPTED) come along; INCOMPLETE when a shard has one. OUT/MERGED lists
the shards. The reports (matrix.py) are run.sh's to write.
Exit status: 0 no unexpected case, 1 an unexpected one (a release
candidate's aside), 2 refused or nothing to merge.
"""

import contextlib
import io
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resume import POINTS, write_merged  # noqa: E402  (same folder)

MARKS = ("ABSENT", "RC", "INTERRUPTED")


class Refused(Exception):
    pass


def read_shards(dirs):
    """{group: {shard number: (dir, shard.json)}}, refusing bad sets."""
    groups = {}
    for d in dirs:
        try:
            with open(os.path.join(d, "shard.json")) as f:
                s = json.load(f)
            key, n, of = s["group"], int(s["shard"]), int(s["of"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise Refused(f"{d}: not a shard's results folder (shard.json: {e})")
        group = groups.setdefault(key, {})
        if n in group:
            raise Refused(f"{key}: shard {n}/{of} given twice: {group[n][0]} and {d}")
        group[n] = (d, s)
    for key, group in groups.items():
        plans = {(s["plan"], s["of"]) for _, s in group.values()}
        if len(plans) > 1:
            which = ", ".join(f"{d} (shard {s['shard']}/{s['of']}, plan {s['plan']})"
                              for d, s in group.values())
            raise Refused(f"{key}: the shards come from different plans: {which}")
        of = next(iter(plans))[1]
        missing = [f"{n}/{of}" for n in range(1, of + 1) if n not in group]
        if missing:
            raise Refused(f"{key}: shard(s) {', '.join(missing)} missing "
                          f"(given: {', '.join(sorted(d for d, _ in group.values()))})")
    owner = {}
    for key, group in groups.items():
        for _, s in group.values():
            for col in s["plan_columns"]:
                if owner.setdefault(col, key) != key:
                    raise Refused(f"column {col}: in two shard sets ({owner[col]} and {key})")
    return groups


def column_dir(d, s, col):
    """Where a shard keeps a column: a matrix shard in a folder of it."""
    return os.path.join(d, col) if s["group"] == "matrix" else d


def merge_column(out, col, group):
    """Merge one column from the shards of its group into out/col."""
    top = os.path.join(out, col)
    os.makedirs(top)
    first = next(iter(group.values()))[1]
    for n in sorted(group):
        src = column_dir(*group[n], col)
        for mark in MARKS:
            if os.path.exists(os.path.join(src, mark)) and not os.path.exists(os.path.join(top, mark)):
                shutil.copy(os.path.join(src, mark), os.path.join(top, mark))
    if os.path.exists(os.path.join(top, "ABSENT")):
        return 0	# an absent kernel (next): the column says so, nothing ran
    pieces = []	# (shard number, its copy of the column), in shard order
    for n in sorted(group):
        d, s = group[n]
        if col not in s["columns"]:
            continue
        dst = os.path.join(top, f"shard-{n}")
        shutil.copytree(column_dir(d, s, col), dst, symlinks=True,
                        ignore=shutil.ignore_patterns("shard.json"))
        pieces.append((n, dst))
    # The column's boot.env is its first boot's, as after a resume.
    for _, dst in pieces:
        if os.path.exists(os.path.join(dst, "boot.env")):
            shutil.copy(os.path.join(dst, "boot.env"), os.path.join(top, "boot.env"))
            break
    results, own_tap, boots = {}, {}, []
    kernel, options, duration = None, None, 0.0
    for n, dst in pieces:
        try:
            with open(os.path.join(dst, "summary.json")) as f:
                summary = json.load(f)
        except (OSError, ValueError):
            continue	# the shard has no results for it: its cases are notrun
        kernel = kernel or summary.get("kernel")
        options = options or summary.get("options")
        duration += float(summary.get("duration_s") or 0)
        for b in summary.get("boots") or [{"boot": 1, "dir": ".", "status": "finished",
                                            "cases": len(summary.get("cases", []))}]:
            b = dict(b, shard=n, dir=os.path.normpath(os.path.join(f"shard-{n}", b.get("dir", "."))))
            boots.append(b)
        for c in summary.get("cases", []):
            results.setdefault(c["id"], c)
            tap = os.path.join(dst, c["id"] + ".tap")
            if os.path.exists(tap):
                with open(tap, errors="replace") as f:
                    own_tap.setdefault(c["id"], f.read())
    if not pieces:
        return 0
    # Every case of the plan is some shard's piece of every column.
    whose = {cid: n for n in group for cid in group[n][1]["columns"].get(col, [])}
    cases = []
    for cid in first["plan_cases"]:
        cases.append(results.get(cid) or {
            "id": cid, "status": "notrun", "duration_s": 0.0, "since": "", "feature": "",
            "counts": {r: 0 for r in POINTS},
            "diagnostics": f"not run: shard {whose.get(cid, '?')}/{first['of']} "
                           "returned no result for it\n", "points": []})
    source = f"merged from {len(pieces)} shard(s) of {first['of']}"
    # The trailer write_merged prints is the table's job (run.sh).
    with contextlib.redirect_stdout(io.StringIO()):
        return write_merged(top, cases, kernel, options, round(duration, 3), boots, own_tap, source)


def main(argv):
    if len(argv) < 2:
        print("usage: merge.py OUT DIR...", file=sys.stderr)
        return 2
    out, dirs = argv[0], [d.rstrip("/") or "/" for d in argv[1:]]
    try:
        groups = read_shards(dirs)
    except Refused as e:
        print(f"merge: {e}", file=sys.stderr)
        return 2
    os.makedirs(out, exist_ok=True)
    worst = 0
    lines = []
    for key, group in sorted(groups.items()):
        first = next(iter(group.values()))[1]
        lines += [f"{key}: shard {n}/{first['of']} {group[n][0]}" for n in sorted(group)]
        for col in first["plan_columns"]:
            rc = merge_column(out, col, group)
            if rc and not os.path.exists(os.path.join(out, col, "RC")):
                worst = max(worst, rc)
        # An absent kernel (next) is in no plan; each matrix shard says so.
        for d, s in group.values():
            if s["group"] != "matrix":
                continue
            for col in sorted(os.listdir(d)):
                src = os.path.join(d, col, "ABSENT")
                if os.path.exists(src) and not os.path.exists(os.path.join(out, col)):
                    os.makedirs(os.path.join(out, col))
                    shutil.copy(src, os.path.join(out, col, "ABSENT"))
        if any(os.path.exists(os.path.join(d, "INCOMPLETE")) for d, _ in group.values()):
            with open(os.path.join(out, "INCOMPLETE"), "a") as f:
                f.write(f"{key}: a shard was interrupted\n")
    with open(os.path.join(out, "MERGED"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
