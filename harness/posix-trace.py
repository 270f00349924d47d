#!/usr/bin/python3
"""aioconf: which POSIX clauses the cases/posix-aio TESTs assert.

usage: posix-trace.py [--check FILE]

Reads the source of each cases/posix-aio TEST's CONFORM_DECLARE (traced to
"POSIX.1-2017 <function>() <SECTION>: ..." or "glibc <document> ...", see
check-declarations.py) and prints a Markdown table: per document and
section, how many TESTs cite it and which. Open POSIX keeps such a list of
assertions per function; this one is read from the cases themselves.
With --check FILE, exits 1 (and says so) when FILE is not what it would
print: results/posix-trace.md is committed and kept current.
"""

import collections
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "check_declarations",
    os.path.join(os.path.dirname(os.path.abspath(__file__)),
                 "check-declarations.py"))
decl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(decl)

# "POSIX.1-2017 aio_read() ERRORS: ..." -> ("aio_read()", "ERRORS")
CLAUSE = re.compile(r"^POSIX\.1-2017 (\w+\(\)|exec) " + decl.SECTION)
OTHER = re.compile(r"^(POSIX\.1-2017 (?:<\w+\.h>|2\.4\.2)|glibc \S+)")


def clauses(root):
    """{(document, section): [case:test, ...]} over cases/posix-aio."""
    found = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(root, "cases", "posix-aio",
                                              "*.c"))):
        case = "posix-aio/" + os.path.basename(path)[:-2]
        with open(path, errors="replace") as f:
            text = f.read()
        for name, _line, body in decl.bodies(text):
            m = decl.DECLARE.search(body)
            args = decl.arguments(body, m.start()) if m else None
            if not args or len(args) != 3:
                continue
            source = args[2]
            c = CLAUSE.match(source)
            if c:
                key = (c.group(1), c.group(2))
            else:
                o = OTHER.match(source)
                key = (o.group(1) if o else "(untraced)", "")
            found[key].append(f"{case}:{name}")
    return found


def render(found):
    order = ["DESCRIPTION", "RETURN VALUE", "ERRORS", "APPLICATION USAGE",
             "RATIONALE", ""]
    lines = ["# POSIX AIO: the clauses the cases assert", "",
             "Made by `make posix-trace` (harness/posix-trace.py) from the "
             "sources of the cases/posix-aio TESTs' CONFORM_DECLARE.", "",
             "| document | section | TESTs | cases |",
             "|---|---|---|---|"]
    total = 0
    for (doc, section) in sorted(found, key=lambda k: (k[0], order.index(k[1]))):
        tests = found[(doc, section)]
        total += len(tests)
        cases = sorted({t.split(":")[0] for t in tests})
        lines.append(f"| {doc} | {section or '-'} | {len(tests)} | "
                     f"{', '.join(cases)} |")
    lines += ["", f"{total} TESTs, {len(found)} clauses.", ""]
    return "\n".join(lines)


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    text = render(clauses(root))
    if argv[:1] == ["--check"]:
        with open(argv[1]) as f:
            if f.read() != text:
                print(f"posix-trace: {argv[1]} is out of date: "
                      "run make posix-trace")
                return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
