#!/usr/bin/python3
"""aioconf: which part of a run a shard takes (run.sh --shard I/N).

usage: shard_plan.py I/N --group G --baseline DIR --out DIR COLUMN... -- ID...

The work of a run is a list of pieces: each COLUMN (a kernel and ABI, in
the order the run starts them; host columns too) with each case ID (in the
order given). A piece weighs what the case took in that column of the
baseline (DIR/<column>/summary.json): the mean of its wall time and its
CPU time (duration_s, cpu_s), plus PER_CASE_S for starting it. The wall
time alone overweighs cases that wait (the guests of a matrix share the
cores while they wait); the CPU time alone underweighs the kernel's work
outside the case's own threads (io-wq workers, kworkers, QEMU's
devices). Measured on the default matrix in 2 shards (2026-12-07): by
wall time they took 161 s and 229 s, by CPU time 180 s and 151 s. A case
the baseline lacks weighs the median of its column there, and a column
the baseline lacks the median of all its guest columns (host columns: of
its host columns). A guest column also weighs one boot (BOOT_S) before
its first case, unless it is the plan's only column (a --kernel run's
shards each boot it once).

Shard I of N takes the pieces whose middle lies in the I-th N-th of the
total weight. So the shards take about the same time, each is a run of
whole columns with at most a part of a column at each end (a column split
between two shards is booted by both), and the split is the same on every
machine that has the same sources and baseline.

Writes --out/shard.json: the shard's number, N, the group (what the shards
split: "matrix" or one column's name), the columns with the ids this shard
runs, the whole plan's columns and ids, and a digest of the whole split
(merge.py merges only shards of the same plan). Prints the shard's pieces
as lines "COLUMN ID ID ...", a column with nothing to run left out.
Exit status: 0, or 2 for a usage error.
"""

import hashlib
import json
import os
import statistics
import sys

BOOT_S = 3.0	# a guest's boot to its runner under TCG, measured 2-3 s (2026-12-07)
PER_CASE_S = 0.05	# the runner's start and end of a case in a guest (2026-12-07)
DEFAULT_S = 0.1	# a case when the baseline has nothing at all: about its median


def is_host(column):
    return column == "host" or column.startswith("host-")


def baseline_costs(baseline, column):
    """{case id: its weight} of one column of the baseline ({} if none)."""
    try:
        with open(os.path.join(baseline, column, "summary.json")) as f:
            cases = json.load(f).get("cases", [])
    except (OSError, ValueError):
        return {}
    costs = {}
    for c in cases:
        wall = float(c.get("duration_s") or 0)
        costs[c["id"]] = (wall + float(c.get("cpu_s", wall) or 0)) / 2 + PER_CASE_S
    return costs


def weights(baseline, columns, ids):
    """[(column, id, weight)] in run order, and each column's boot weight."""
    known = {col: baseline_costs(baseline, col) for col in columns}
    medians = {col: statistics.median(d.values()) for col, d in known.items() if d}
    fallback = {}
    for host in (True, False):
        kind = [m for col, m in medians.items() if is_host(col) == host]
        fallback[host] = statistics.median(kind) if kind else DEFAULT_S
    pieces = []
    for col in columns:
        median = medians.get(col, fallback[is_host(col)])
        for cid in ids:
            pieces.append((col, cid, known[col].get(cid, median)))
    return pieces


def split(pieces, n):
    """Each piece's shard (1..n): where its middle falls in the total."""
    boot = {}
    total = 0.0
    # Of one column every shard boots the kernel once: no boot to weigh.
    single = len({col for col, _, _ in pieces}) == 1
    for col, _, w in pieces:
        if col not in boot:
            boot[col] = 0.0 if is_host(col) or single else BOOT_S
            total += boot[col]
        total += w
    shards, at, seen = [], 0.0, set()
    for col, cid, w in pieces:
        if col not in seen:
            seen.add(col)
            at += boot[col]
        middle = at + w / 2
        at += w
        shards.append(min(n, int(middle * n / total) + 1) if total > 0 else 1)
    return shards


def main(argv):
    if "--" not in argv:
        print("shard_plan.py: " + __doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    cut = argv.index("--")
    head, ids = argv[:cut], argv[cut + 1:]
    opts, columns = {}, []
    i = 0
    while i < len(head):
        if head[i] in ("--group", "--baseline", "--out") and i + 1 < len(head):
            opts[head[i][2:]] = head[i + 1]
            i += 2
        else:
            columns.append(head[i])
            i += 1
    try:
        which, of = (int(x) for x in columns.pop(0).split("/"))
    except (IndexError, ValueError):
        which, of = 0, 0
    if not (1 <= which <= of) or not columns or not ids or "out" not in opts or "group" not in opts:
        print("shard_plan.py: " + __doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    pieces = weights(opts.get("baseline", "results/baseline"), columns, ids)
    shards = split(pieces, of)
    mine = {}
    for (col, cid, _), s in zip(pieces, shards):
        if s == which:
            mine.setdefault(col, []).append(cid)
    whole = json.dumps([of, columns, ids, shards])
    plan = {"format": 1, "shard": which, "of": of, "group": opts["group"],
            "plan": hashlib.sha256(whole.encode()).hexdigest()[:16],
            "columns": mine, "plan_columns": columns, "plan_cases": ids}
    path = os.path.join(opts["out"], "shard.json")
    with open(path + ".part", "w") as f:
        json.dump(plan, f, indent=1)
        f.write("\n")
    os.replace(path + ".part", path)
    for col in columns:
        if col in mine:
            print(col, *mine[col])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
