#!/usr/bin/env bash
# ./run.sh: bad input gets a clear message and exit 2; results are kept.
. "$(dirname "$0")/lib.sh"
plan 14

check_refused() {	# check_refused PATTERN ARGS...: exit 2 and message
	local pattern=$1; shift
	local msg
	msg=$(./run.sh "$@" 2>&1 >/dev/null)
	local status=$?
	[ $status -eq 2 ] && echo "$msg" | grep -q -- "$pattern"
	ok $? "run.sh $* -> exit 2, says '$pattern' (exit $status)"
}
check_refused "unknown option" --no-such-flag
check_refused "matches no case" --filter 'no-such-area/*'
check_refused "above 0" --timeout 0
check_refused "above 0" --timeout abc
check_refused "above 0" -j 0
check_refused "exclude each other" --kernel 6.1 --matrix
check_refused "not an executable file" -- /no/such/program
check_refused "neither a kernel" --kernel no-such-kernel --filter uring/nop

./run.sh --help | grep -q -- "--filter"; ok $? "--help describes the options"
n_src=$(ls cases/*/*.c | wc -l)
n_list=$(./run.sh --list | wc -l)
is "$n_list" "$n_src" "--list lists one id per case source"

before=$(find results -mindepth 1 -maxdepth 1 -type d | wc -l)
./run.sh --filter 'uring/nop' > "$TMP/first.out" 2>&1; first=$?
./run.sh --filter 'uring/nop' > "$TMP/second.out" 2>&1
after=$(find results -mindepth 1 -maxdepth 1 -type d | wc -l)
is "$first" 0 "a filtered run passes"
is "$((after - before))" 2 "two runs keep two result folders"
[ -f results/latest/summary.json ]; ok $? "results/latest points at a complete run"
tail -n 1 "$TMP/first.out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
ok $? "the run ends with the plain closing line"
finish
