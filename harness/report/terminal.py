#!/usr/bin/python3
"""aioconf: the terminal view of a run: one line per case instead of TAP.

usage: RUNNER ... --case-json | terminal.py

Reads the runner's aggregate TAP 13 on stdin (a host run, or a guest's as
kernels/boot.sh prints it) and writes, as each case ends, one line with its
status, test points and time; under a case that failed (or timed out,
crashed, erred) its diagnostics and each failed test point with its log.
Then the runner's trailer (counts, the known-failing and unexpected
cases, ...), headed by the line of any interface the kernel refuses
("disabled: io_uring is disabled: ..."), and last the closing line "N
passed, N failed, N skipped". Everything else, the nested output of
each case, stays in run.tap and DIR/<id>.tap; `./run.sh -v` prints it all.

It reads the record the runner writes after each case with --case-json
("# aioconf-case: {...}", the case's summary.json entry), so there is no
second TAP parser here. SIGINT is ignored: the runner keeps what finished
when Ctrl-C comes and this view prints it to the end of the stream.
"""

import json
import os
import signal
import sys

RECORD = "# aioconf-case: "
# The first line of the runner's trailer; every line after it is shown.
TRAILER = ("# cases: ", "# interrupted: ")
HEADER = ("# aioconf runner: ", "# aioconf: kernel ")
DISABLED = "disabled: "
BAD = ("fail", "timeout", "crash", "error")
MAX_LOG_LINES = 20


def paint(text, status, tty):
    if not tty:
        return text
    colour = {"pass": "32", "skip": "33", "known": "36", "notrun": "35"}.get(status, "31;1")
    return f"\033[{colour}m{text}\033[0m"


def points_text(counts):
    words = [("pass", "passed"), ("fail", "failed"), ("known", "known-failing"),
             ("skip", "skipped"), ("xfail", "xfail")]
    parts = [f"{counts.get(k, 0)} {w}" for k, w in words if counts.get(k, 0) or k == "pass"]
    return ", ".join(parts)


def case_lines(record, width):
    """The line of one case, and the details of a failed one."""
    status = record.get("status", "?")
    how = ""
    if "signal" in record:
        how = f" (signal {record['signal']})"
    elif status in BAD and record.get("exit") not in (None, 0, 1):
        how = f" (exit {record['exit']})"
    head = (f"{status.upper() if status in BAD else status:<8} {record.get('id', '?'):<{width}} "
            f"{points_text(record.get('counts', {})) + how:<40} "
            f"{record.get('duration_s', 0):6.2f} s")
    if status == "skip":	# what was probed and seen, shortened
        why = next((p.get("reason", "") for p in record.get("points", []) if p.get("reason")), "")
        head += f"  ({why[:70] + '...' if len(why) > 70 else why})" if why else ""
    details = []
    if status in BAD:
        for line in (record.get("diagnostics") or "").splitlines():
            details.append(f"    {line}")
        for p in record.get("points", []):
            if p.get("result") != "fail":
                continue
            details.append(f"    failed: {p.get('name', '?')}")
            log = (p.get("log") or "").splitlines()
            if log and p.get("log") in (record.get("diagnostics") or ""):
                continue	# already shown with the diagnostics
            for line in log[:MAX_LOG_LINES]:
                details.append(f"      {line}")
            if len(log) > MAX_LOG_LINES:
                details.append(f"      [{len(log) - MAX_LOG_LINES} more lines in the case's .tap]")
    return head, details


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tty = os.isatty(sys.stdout.fileno())
    clear = "\r\033[K" if tty else ""	# over the runner's progress line
    width, trailer, held = 36, False, []
    for raw in sys.stdin:
        line = raw.rstrip("\r\n")
        if trailer and line.startswith("# "):
            held.append(line[2:])	# printed with the closing line
        elif trailer:
            # A refused interface explains every skip: it goes first.
            for h in sorted(held, key=lambda h: not h.startswith(DISABLED)):
                if h.startswith(DISABLED):
                    h = paint(h[len(DISABLED):] + ": its cases skip", "fail", tty)
                print(clear + h)
            held = []
            print(clear + line, flush=True)
        elif line.startswith(RECORD):
            try:
                record = json.loads(line[len(RECORD):])
            except ValueError:
                continue
            head, details = case_lines(record, width)
            print(clear + paint(head, record.get("status"), tty), flush=True)
            for d in details:
                print(d, flush=True)
        elif line.startswith(TRAILER):
            trailer = True
            held.append(line[2:])
        elif line.startswith(HEADER):
            print(clear + line[2:], flush=True)
        elif line.startswith("#") or line.startswith("ok ") or line.startswith("not ok ") \
                or line.startswith("TAP version") or line.startswith("1..") or not line:
            continue	# a case's own output, its result line: in run.tap
        else:
            print(clear + line, flush=True)	# the closing line of a merged run
    for h in held:	# a stream that ended without its closing line
        print(clear + h, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
