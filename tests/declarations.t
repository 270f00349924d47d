#!/usr/bin/env bash
# Every TEST of the case programs declares its first kernel, feature and
# source (CONFORM_DECLARE, harness/check-declarations.py); no exceptions.
. "$(dirname "$0")/lib.sh"
plan 6

"$PY" harness/check-declarations.py >"$TMP/out" 2>&1
ok $? "every TEST in cases/ declares since, feature and source ($(tail -n 1 "$TMP/out"))" ||
	head -n 40 "$TMP/out" | sed 's/^/# /'
# The checker itself: the fixture has one TEST without a declaration.
"$PY" harness/check-declarations.py tests/fixtures/declared.c >"$TMP/fx" 2>&1
is "$?" 1 "the checker fails a file with an undeclared TEST"
grep -q 'declared.c:[0-9]*: undeclared: no CONFORM_DECLARE' "$TMP/fx"; ok $? "and names the file, line and TEST"
# A posix-aio TEST names the POSIX clause it asserts (or glibc's document).
"$PY" harness/check-declarations.py tests/fixtures/posix-aio/clause.c >"$TMP/pc" 2>&1
is "$?" 1 "the checker fails a posix-aio TEST that cites no clause"
grep -q 'clause.c:[0-9]*: untraced: source .* names no POSIX clause' "$TMP/pc" &&
	! grep -q ': traced:' "$TMP/pc"
ok $? "and only that TEST"
"$PY" harness/posix-trace.py --check results/posix-trace.md >"$TMP/pt" 2>&1
ok $? "results/posix-trace.md is current (make posix-trace)" || sed 's/^/# /' "$TMP/pt"
finish
