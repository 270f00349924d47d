#!/usr/bin/env bash
# cases/known-failures.txt: every entry names a TEST that exists, and its
# reason starts with its kind (kernel defect, documentation error, glibc
# defect, intermittent), which the errata report and the runner read.
# cases/doc-errata.txt: every entry names a TEST that exists and says what
# the documentation says and what the kernels do.
. "$(dirname "$0")/lib.sh"
plan 5

"$PY" - cases/known-failures.txt >"$TMP/out" <<'PY'
import os, re, sys
bad_form, bad_test, bad_kind, n = [], [], [], 0
kinds = ("kernel defect:", "documentation error:", "glibc defect:", "intermittent:")
for no, line in enumerate(open(sys.argv[1]), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    n += 1
    parts = line.split(None, 2)
    if len(parts) < 3 or ":" not in parts[0]:
        bad_form.append(f"line {no}")
        continue
    case, test = parts[0].split(":", 1)
    src = os.path.join("cases", case + ".c")
    if not os.path.exists(src) or not re.search(rf"^TEST\({re.escape(test)}\)", open(src).read(), re.M):
        bad_test.append(f"line {no}: {parts[0]}")
    if not parts[2].lower().startswith(kinds):
        bad_kind.append(f"line {no}: {parts[2][:40]}")
print(n)
print("; ".join(bad_form))
print("; ".join(bad_test))
print("; ".join(bad_kind))
PY
n=$(sed -n 1p "$TMP/out")
is "$(sed -n 2p "$TMP/out")" "" "all $n entries are '<case>:<test> <release-glob> <reason>'"
is "$(sed -n 3p "$TMP/out")" "" "every entry names a TEST that exists in cases/"
is "$(sed -n 4p "$TMP/out")" "" "every reason starts with its kind"

"$PY" - cases/doc-errata.txt >"$TMP/doc" <<'PY'
import os, re, sys
bad_test, bad_text, n = [], [], 0
for no, line in enumerate(open(sys.argv[1]), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    n += 1
    pid, _, text = line.partition(" ")
    case, _, test = pid.partition(":")
    src = os.path.join("cases", case + ".c")
    if not test or not os.path.exists(src) or \
            not re.search(rf"^TEST\({re.escape(test)}\)", open(src).read(), re.M):
        bad_test.append(f"line {no}: {pid}")
    m = re.search(r"; observed( \([^)]*\))?: ", text)
    if not m or ": " not in text[:m.start()]:
        bad_text.append(f"line {no}")
print(n)
print("; ".join(bad_test))
print("; ".join(bad_text))
PY
n=$(sed -n 1p "$TMP/doc")
is "$(sed -n 2p "$TMP/doc")" "" "all $n doc-errata entries name a TEST that exists in cases/"
is "$(sed -n 3p "$TMP/doc")" "" "and say '<document>: <what it says>; observed[ (by what)]: <what the kernels do>'"
finish
