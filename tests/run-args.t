#!/usr/bin/env bash
# ./run.sh -- PROG...: each word is one program; a quoted word is a program
# with arguments (split like sh), run through a generated wrapper; bad input
# is refused with exit 2. Host only (tests/run-resume.t covers the guest).
. "$(dirname "$0")/lib.sh"
plan 17

mkdir -p "$TMP/a" "$TMP/b" "$TMP/with space"
cat >"$TMP/a/argcheck" <<'SH'
#!/bin/sh
echo "TAP version 13"
echo "1..2"
[ "$1" = --flag ] && echo "ok 1 first_arg" || echo "not ok 1 first_arg # got '$1'"
[ "$2" = "x y" ] && [ $# -eq 2 ] && echo "ok 2 quoted_arg" || echo "not ok 2 quoted_arg # got $# '$2'"
SH
printf '#!/bin/sh\necho "TAP version 13"\necho "1..1"\necho "ok 1 ran with $# args"\n' >"$TMP/b/noargs"
cp "$TMP/b/noargs" "$TMP/with space/spaced prog"
cp "$TMP/b/noargs" "$TMP/a/noargs"
chmod +x "$TMP/a/argcheck" "$TMP/b/noargs" "$TMP/with space/spaced prog" "$TMP/a/noargs"

results_of() { sed -n 's/^# results in \(.*\) ([0-9.]* s)$/\1/p' "$1" | tail -n 1; }

./run.sh -- "$TMP/a/argcheck --flag 'x y'" build/fixtures/pass "$TMP/with space/spaced prog" \
	>"$TMP/o1" 2>&1; rc=$?
S=$(results_of "$TMP/o1")/summary.json
is "$rc" 0 "a program with quoted arguments, a plain one and a path with a space pass"
is "$(field "$S" argcheck status)" pass "the id of a program with arguments is its file name"
is "$(field "$S" argcheck counts.pass)" 2 "it got --flag and 'x y' as two arguments"
is "$(field "$S" "spaced prog" status)" pass "a word that is an executable's path is taken whole"
grep -q 'exec "${0%/progs/\*}/aux/argcheck" --flag '\''x y'\''' "$(dirname "$S")/.programs/progs/argcheck"
ok $? "the wrapper is kept in the results (.programs/progs/argcheck)"

# Several programs, as a shell glob gives them: each is a case.
./run.sh -- build/fixtures/pass build/fixtures/part-skip "$TMP/b/noargs" >"$TMP/o2" 2>&1; rc=$?
S=$(results_of "$TMP/o2")/summary.json
is "$rc" 0 "three programs without arguments"
is "$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$S")" 3 \
	"each word after -- is one program"

check_refused() {	# check_refused PATTERN ARGS...
	local pattern=$1 msg status; shift
	msg=$(./run.sh "$@" 2>&1 >/dev/null)
	status=$?
	[ $status -eq 2 ] && echo "$msg" | grep -q -- "$pattern"
	ok $? "run.sh ${*//$'\n'/\\n} -> exit 2, says '$pattern' (exit $status; $msg)"
}
check_refused "cannot split" -- "$TMP/a/argcheck 'unbalanced"
check_refused "not an executable file" -- "/no/such/prog --flag"
check_refused "a second program with the id 'noargs'" -- "$TMP/b/noargs" "$TMP/a/noargs"
check_refused "a second program with the id 'noargs'" -- "$TMP/b/noargs" "$TMP/a/noargs -v"
check_refused "newline" -- "$TMP/a/argcheck 'a
b'"
check_refused "is for --matrix" --vms 2 -- build/fixtures/pass
check_refused "above 0" --matrix --vms 0
check_refused "the ABIs here are x86_64 and i386" --abi arm
check_refused "not for -- PROG" --abi i386 -- build/fixtures/pass
check_refused "an arm64 kernel runs aarch64 programs" --abi i386 --kernel 6.1-arm64
finish
