#!/usr/bin/env bash
# The unit tests of ref/ (tests/unit/*.c, built as build/unit/<name> by
# `make unit`): one point per program, passing when it exits 0 with a
# complete TAP plan and no "not ok". A failing program's output is shown
# behind '# '.
. "$(dirname "$0")/lib.sh"

# Every source must have been built; every built program runs.
names=$(
	for f in tests/unit/*.c build/unit/*; do
		[ -e "$f" ] || continue
		n=${f##*/}
		echo "${n%.c}"
	done | sort -u
)
if [ -z "$names" ]; then
	echo "1..0 # SKIP no unit tests in tests/unit"
	exit 0
fi
plan "$(echo "$names" | wc -l)"

for name in $names; do
	prog=build/unit/$name
	log=$TMP/unit-$name.out
	if [ ! -x "$prog" ]; then
		ok 1 "$name: not built (make unit)"
		continue
	fi
	timeout 120 "$prog" > "$log" 2>&1
	status=$?
	planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
	passed=$(grep -c '^ok ' "$log")
	failed=$(grep -c '^not ok' "$log")
	why=
	if [ "$status" -ne 0 ]; then
		why="exit status $status"
	elif [ -z "$planned" ]; then
		why="no TAP plan"
	elif [ "$failed" -ne 0 ]; then
		why="$failed not ok"
	elif [ "$passed" -ne "$planned" ]; then
		why="$passed of $planned points ran"
	fi
	if [ -z "$why" ]; then
		ok 0 "$name: $passed points pass"
	else
		ok 1 "$name: $why"
		head -n 400 "$log" | sed 's/^/# /'
	fi
done
finish
