#!/usr/bin/python3
"""aioconf: how efficiently the QEMU matrix uses this machine (make bench-matrix).

usage: bench/matrix-bench.py [--from DIR] [--kernels K,K...] [--vms N]

1. Boot, one VM at a time: each kernel of the matrix (kernels.conf; not the
   arm64 ones) boots alone with one small case (uring/nop); its boot is
   the guest's own uptime when /init starts the runner (boot.env
   guest_uptime_at_runner_s). Target: <= 3 s. Beside it, the host's view,
   QEMU's start to the runner's first output, which boot.sh's watch sees
   only to the second.
2. The whole default matrix (./run.sh --matrix), its wall time and the CPU
   time of everything it ran (the children's rusage: QEMU, boot.sh, the
   host runner), and the utilisation CPU / (wall x cores). Target: >= 90%.
   With --vms N, ./run.sh --matrix --vms N. With --from DIR an earlier
   matrix folder is read instead (its CPU time is unknown then, so no
   utilisation). --kernels '' leaves out the boots of 1.
3. Per case, the guest against the host: for each x86-64 guest column, the
   median over the cases that passed on both of (guest duration - host
   duration) and of their ratio: what running under QEMU (TCG here) costs
   a case.

Prints tables; nothing is judged but the two targets. Exit 0, or 2 when a
run it needs fails to start. Standard library only.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOT_TARGET_S = 3.0
UTIL_TARGET = 0.90


def env_of(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("=")
                out[key] = value
    except OSError:
        pass
    return out


def last_results(out):
    """The results folder a ./run.sh printed ('# matrix in DIR' or 'results in DIR')."""
    for line in reversed(out.splitlines()):
        for mark in ("# matrix in ", "run.sh: results in "):
            if line.startswith(mark):
                return line[len(mark):].split(":")[0].strip()
    latest = os.path.join(ROOT, "results", "latest")
    return os.path.realpath(latest) if os.path.exists(latest) else None


def run(args):
    p = subprocess.run(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def kernels():
    rc, out = run(["kernels/fetch.sh", "--list"])
    if rc:
        sys.exit(f"matrix-bench: kernels/fetch.sh --list failed: {out}")
    return [k for k in out.split() if not k.endswith("-arm64")]


def boots_alone(names):
    print("## Boot, one VM at a time (uring/nop)\n")
    print("| kernel | release | guest uptime at runner | QEMU start to first output (to 1 s) | target <= 3 s |")
    print("|---|---|---:|---:|---|")
    for k in names:
        rc, out = run(["./run.sh", "--kernel", k, "--filter", "uring/nop"])
        d = last_results(out) if rc in (0, 1) else None
        env = env_of(os.path.join(ROOT, d, "boot.env")) if d else {}
        if not env.get("guest_uptime_at_runner_s"):
            why = "absent" if "absent" in out else f"no boot (exit {rc})"
            print(f"| {k} | {why} | | | |")
            continue
        up = float(env["guest_uptime_at_runner_s"])
        verdict = "met" if up <= BOOT_TARGET_S else "missed"
        # Empty when the run was over before the watch's first look.
        first = env.get("boot_to_first_output_s")
        print(f"| {k} | {env.get('release', '')} | {up:.2f} s | "
              f"{first + ' s' if first else 'done within 1 s'} | {verdict} |")
    print()


def whole_matrix(vms):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    rc, out = run(["./run.sh", "--matrix"] + (["--vms", vms] if vms else []))
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    d = last_results(out)
    if rc not in (0, 1) or not d:
        sys.exit(f"matrix-bench: ./run.sh --matrix failed (exit {rc}):\n{out[-2000:]}")
    cores = os.cpu_count() or 1
    util = cpu / (wall * cores)
    print(f"## The whole default matrix{f' (--vms {vms})' if vms else ''}\n")
    print("| wall | CPU (user + sys) | cores | utilisation | target >= 90% |")
    print("|---:|---:|---:|---:|---|")
    print(f"| {wall:.1f} s | {cpu:.1f} s ({after.ru_utime - before.ru_utime:.1f} + "
          f"{after.ru_stime - before.ru_stime:.1f}) | {cores} | {100 * util:.1f}% | "
          f"{'met' if util >= UTIL_TARGET else 'missed'} |\n")
    return os.path.join(ROOT, d)


def summary(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def per_case(top):
    host = summary(os.path.join(top, "host", "summary.json"))
    if not host:
        print(f"(no host column in {top})")
        return
    on_host = {c["id"]: c["duration_s"] for c in host["cases"] if c["status"] == "pass"}
    print("## Per case: the guest against the host (x86-64 columns, cases passing on both)\n")
    print("| column | cases | median guest - host | median guest / host |")
    print("|---|---:|---:|---:|")
    for col in sorted(os.listdir(top)):
        if col.startswith("host") or col.endswith("-i386") or col.endswith("-arm64"):
            continue
        s = summary(os.path.join(top, col, "summary.json"))
        if not s:
            continue
        pairs = [(c["duration_s"], on_host[c["id"]]) for c in s["cases"]
                 if c["status"] == "pass" and c["id"] in on_host]
        if not pairs:
            continue
        diff = statistics.median(g - h for g, h in pairs)
        ratio = statistics.median(g / h for g, h in pairs if h > 0)
        print(f"| {col} | {len(pairs)} | {diff * 1000:.0f} ms | {ratio:.1f}x |")
    print()


def main(argv):
    frm, only, vms = None, None, None
    i = 0
    while i < len(argv):
        if argv[i] == "--from" and i + 1 < len(argv):
            frm = argv[i + 1]
            i += 2
        elif argv[i] == "--kernels" and i + 1 < len(argv):
            only = [k for k in argv[i + 1].split(",") if k]
            i += 2
        elif argv[i] == "--vms" and i + 1 < len(argv) and argv[i + 1].isdigit():
            vms = argv[i + 1]
            i += 2
        else:
            print(__doc__.split("\n\n")[1], file=sys.stderr)
            return 2
    boots_alone(kernels() if only is None else only)
    top = os.path.abspath(frm) if frm else whole_matrix(vms)
    per_case(top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
