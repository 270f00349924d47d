#!/usr/bin/python3
"""uapi-coverage.py: which io_uring uapi names the case programs exercise.

    harness/uapi-coverage.py --header IO_URING_H [--cases DIR] [--liburing H]
                             [--list-missing]

Reads the names of an io_uring uapi header (enum members and #defines whose
names start IORING_, IOSQE_, IOU_ or SOCKET_URING_OP_; the *_BIT, *_LAST,
*_SHIFT and *_MASK helpers are left out: they name no behaviour of their
own, only positions, bounds or unions of the names that do) and looks for
each in the code of every case program (comments and strings left out),
bare or as the REF_ name of ref/uapi.h. A helper counts for the names its
body uses: a liburing prep helper (io_uring_prep_readv() ->
IORING_OP_READV), read from the liburing header, and a case helper of
harness/case/*.h (uring_files_update_raw() -> IORING_REGISTER_FILES_UPDATE). Prints a Markdown report: names per group, how
many are used, by how many programs, and the unused ones.

`make uapi-coverage` fetches the newest uapi (Debian's linux-libc-dev of
sid, kernels/fetch.sh --package) and runs this. Exit 0; 2 on bad input.
"""
import argparse
import glob
import os
import re
import sys

PREFIXES = ("IORING_", "IOSQE_", "IOU_", "SOCKET_URING_OP_")
LEFT_OUT = re.compile(r"_(BIT|LAST|SHIFT|MASK)$")
GROUPS = [
    ("opcodes", "IORING_OP_"),
    ("setup flags", "IORING_SETUP_"),
    ("feature bits", "IORING_FEAT_"),
    ("enter flags", "IORING_ENTER_"),
    ("register opcodes", "IORING_REGISTER_|IORING_UNREGISTER_"),
    ("SQE flags", "IOSQE_"),
    ("CQE flags", "IORING_CQE_F_"),
    ("socket commands", "SOCKET_URING_OP_"),
    ("other flags and values", ""),
]

COMMENT_OR_STRING = re.compile(
    r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def code_of(text):
    """The text with comments and string literals blanked."""
    return COMMENT_OR_STRING.sub(" ", text)


def header_names(text):
    code = code_of(text)
    names = set(re.findall(r"^\s*#\s*define\s+([A-Z][A-Z0-9_]*)", code, re.M))
    for body in re.findall(r"\benum\b[^{;]*\{(.*?)\}", code, re.S):
        for item in body.split(","):
            m = re.match(r"\s*([A-Z][A-Z0-9_]*)", item)
            if m:
                names.add(m.group(1))
    return sorted(n for n in names
                  if n.startswith(PREFIXES) and not LEFT_OUT.search(n))


def helper_bodies(text, pattern=r"io_uring_prep_\w+"):
    """{helper name: set of words its body uses}, resolved through helpers
    that call other helpers: every static inline function of text whose
    name matches pattern."""
    code = code_of(text)
    bodies = {}
    for m in re.finditer(r"\bstatic\s+inline\b[^;{(]*?\b(" + pattern +
                         r")\s*\([^;{]*\)\s*\{", code):
        depth, i = 1, m.end()
        while depth and i < len(code):
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        bodies[m.group(1)] = set(WORD.findall(code[m.end():i]))
    resolved = {}

    def words(name, seen):
        if name in resolved:
            return resolved[name]
        out = set(bodies.get(name, ()))
        for w in list(out):
            if w in bodies and w not in seen:
                out |= words(w, seen | {w})
        resolved[name] = out
        return out

    return {name: words(name, {name}) for name in bodies}


def group_of(name):
    for title, prefixes in GROUPS:
        if prefixes and any(name.startswith(p) for p in prefixes.split("|")):
            return title
    return GROUPS[-1][0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--header", required=True, help="an io_uring.h uapi header")
    ap.add_argument("--cases", default="cases", help="the case programs' folder")
    ap.add_argument("--liburing", default="/usr/include/liburing.h")
    ap.add_argument("--case-helpers", default="harness/case",
                    help="folder of the case helper headers (*.h)")
    ap.add_argument("--list-missing", action="store_true",
                    help="print only the unused names, one a line")
    a = ap.parse_args()
    try:
        with open(a.header) as f:
            names = header_names(f.read())
    except OSError as e:
        print(f"uapi-coverage: cannot read --header: {e}", file=sys.stderr)
        return 2
    if not names:
        print(f"uapi-coverage: {a.header} has no io_uring names", file=sys.stderr)
        return 2
    helpers = {}
    if os.path.exists(a.liburing):
        with open(a.liburing) as f:
            helpers = helper_bodies(f.read())
    for h in sorted(glob.glob(os.path.join(a.case_helpers, "*.h"))):
        with open(h) as f:
            helpers.update(helper_bodies(f.read(), r"\w+"))
    files = sorted(glob.glob(os.path.join(a.cases, "**", "*.c"), recursive=True))
    if not files:
        print(f"uapi-coverage: no case programs under {a.cases}", file=sys.stderr)
        return 2
    users = {n: [] for n in names}
    for path in files:
        with open(path) as f:
            used = set(WORD.findall(code_of(f.read())))
        for w in list(used):
            if w.startswith("REF_"):
                used.add(w[4:])
            if w in helpers:
                used |= helpers[w]
        case = os.path.relpath(path, a.cases)[:-2]
        for n in names:
            if n in used:
                users[n].append(case)
    missing = [n for n in names if not users[n]]
    if a.list_missing:
        print("\n".join(missing))
        return 0
    total = len(names) - len(missing)
    print(f"# io_uring uapi coverage\n\nHeader: `{a.header}`; {len(files)} case programs "
          f"under `{a.cases}/`.\n\n**{total} of {len(names)} names used "
          f"({100.0 * total / len(names):.1f}%).**\n")
    print("| group | names | used | unused |\n|---|---:|---:|---|")
    for title, _ in GROUPS:
        g = [n for n in names if group_of(n) == title]
        if g:
            un = [n for n in g if not users[n]]
            print(f"| {title} | {len(g)} | {len(g) - len(un)} | {' '.join(un) or '-'} |")
    print("\n## Programs per name\n\n| name | programs |\n|---|---|")
    for n in names:
        u = users[n]
        shown = ", ".join(u[:4]) + (f" (+{len(u) - 4})" if len(u) > 4 else "")
        print(f"| {n} | {len(u)}: {shown} |" if u else f"| {n} | **none** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
