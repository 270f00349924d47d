#!/usr/bin/python3
"""aioconf: every TEST of the case programs declares since, feature, source.

usage: check-declarations.py [FILE.c ...]     (default: cases/*/*.c)

A TEST body's first statement after its variable declarations is
CONFORM_DECLARE("since", "feature", "source") (harness/case/conform.h) with three
string literals: since a kernel version ("5.1", "5.10"), feature and source
not empty and without '|'. A cases/posix-aio TEST traces its source to
the spec clause, as Open POSIX does: "POSIX.1-2017 <function>() <SECTION>"
(SECTION one of the XSH page's: DESCRIPTION, RETURN VALUE, ERRORS,
APPLICATION USAGE, RATIONALE), or "POSIX.1-2017 <header.h> ...", "POSIX.1-2017
2.4.2 ..." (Realtime Signal Generation and Delivery), or, for what glibc
alone decides, "glibc <document> ...". It must come before any CONFORM_REQUIRE*,
SKIP, ASSERT_* or EXPECT_* of the body, so that a skipped test still says
what it is about. Prints one line per offence (FILE:LINE: TEST: why) and
exits 1 when there is one, 0 when every TEST declares; there is no list of
exceptions.
"""

import glob
import os
import re
import sys

TEST = re.compile(r"^TEST\((\w+)\)")
DECLARE = re.compile(r"\bCONFORM_DECLARE\s*\(")
FIRST_USE = re.compile(r"\b(CONFORM_REQUIRE\w*|SKIP|ASSERT_\w+|EXPECT_\w+)\s*\(")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
SINCE = re.compile(r"^\d+\.\d+(\.\d+)?$")
SECTION = r"(DESCRIPTION|RETURN VALUE|ERRORS|APPLICATION USAGE|RATIONALE)"
POSIX_CLAUSE = re.compile(
    r"^(POSIX\.1-2017 ((\w+\(\)|exec) " + SECTION + r"\b|<\w+\.h>|2\.4\.2 )"
    r"|glibc \S)")


def bodies(text):
    """(name, line number, body text) of each TEST: up to the closing brace
    at the start of a line."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        m = TEST.match(line)
        if not m:
            continue
        end = n + 1
        while end < len(lines) and not lines[end].startswith("}"):
            end += 1
        yield m.group(1), n + 1, "\n".join(lines[n + 1:end])


def arguments(body, start):
    """The string literals of the call that opens at start: three strings,
    each possibly split into adjacent literals; None if they are not all
    literals."""
    depth, i = 0, start
    while i < len(body):
        ch = body[i]
        if ch == '"':
            i = STRING.match(body, i).end()
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    inner = body[body.index("(", start) + 1:i]
    args = []
    for part in split_top(inner):
        part = part.strip()
        if not re.fullmatch(r'(\s*"(?:[^"\\]|\\.)*"\s*)+', part):
            return None
        args.append("".join(STRING.findall(part)))
    return args


def split_top(text):
    """text split at the commas outside string literals."""
    parts, cur, i = [], "", 0
    while i < len(text):
        if text[i] == '"':
            end = STRING.match(text, i).end()
            cur += text[i:end]
            i = end
            continue
        if text[i] == ",":
            parts.append(cur)
            cur = ""
        else:
            cur += text[i]
        i += 1
    parts.append(cur)
    return parts


def check(path):
    with open(path, errors="replace") as f:
        text = f.read()
    out = []
    for name, line, body in bodies(text):
        calls = [m.start() for m in DECLARE.finditer(body)]
        where = f"{path}:{line}: {name}"
        if not calls:
            out.append(f"{where}: no CONFORM_DECLARE(since, feature, source)")
            continue
        if len(calls) > 1:
            out.append(f"{where}: {len(calls)} CONFORM_DECLARE calls, want one")
        use = FIRST_USE.search(body)
        if use and use.start() < calls[0]:
            out.append(f"{where}: CONFORM_DECLARE comes after {use.group(1)}: declare first")
        args = arguments(body, calls[0])
        if args is None or len(args) != 3:
            out.append(f"{where}: CONFORM_DECLARE wants three string literals")
            continue
        since, feature, source = args
        if not SINCE.match(since):
            out.append(f"{where}: since '{since}' is not a kernel version like 5.1")
        if (os.path.basename(os.path.dirname(os.path.abspath(path))) ==
                "posix-aio" and not POSIX_CLAUSE.match(source)):
            out.append(f"{where}: source '{source[:50]}' names no POSIX clause: "
                       "want 'POSIX.1-2017 <function>() <SECTION>...' or "
                       "'glibc <document> ...'")
        for field, value in (("feature", feature), ("source", source)):
            if not value.strip():
                out.append(f"{where}: the {field} is empty")
            elif "|" in value:
                out.append(f"{where}: the {field} has a '|' (the runner's separator)")
    return out


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    files = argv or sorted(glob.glob(os.path.join(root, "cases", "*", "*.c")))
    problems, tests = [], 0
    for path in files:
        problems += check(os.path.relpath(path))
        with open(path, errors="replace") as f:
            tests += sum(1 for line in f if TEST.match(line))
    for p in problems:
        print(p)
    print(f"check-declarations: {tests} TESTs in {len(files)} files, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
