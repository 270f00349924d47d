#!/usr/bin/env bash
# The libFuzzer targets (tests/fuzz/*.c, built as build/fuzz/<name> by
# `make fuzz`): each runs from an empty corpus in a temporary directory, for
# at most FUZZ_TIME seconds and FUZZ_RUNS inputs, with a fixed seed. One
# point per target, passing when the fuzzer exits 0 (it found nothing); else
# the end of its log is shown behind '# ' and the crashing input is kept
# under build/fuzz-artifacts/.
. "$(dirname "$0")/lib.sh"

FUZZ_TIME=10
FUZZ_RUNS=100000

names=$(
	for f in tests/fuzz/*.c build/fuzz/*; do
		[ -e "$f" ] || continue
		n=${f##*/}
		echo "${n%.c}"
	done | sort -u
)
if [ -z "$names" ]; then
	echo "1..0 # SKIP no fuzz targets in tests/fuzz"
	exit 0
fi
plan "$(echo "$names" | wc -l)"

for name in $names; do
	prog=build/fuzz/$name
	log=$TMP/fuzz-$name.log
	corpus=$TMP/corpus-$name
	artifacts=$TMP/artifacts-$name
	if [ ! -x "$prog" ]; then
		ok 1 "$name: not built (make fuzz)"
		continue
	fi
	mkdir -p "$corpus" "$artifacts"
	timeout $((FUZZ_TIME + 60)) "$prog" -max_total_time=$FUZZ_TIME \
		-seed=1 -runs=$FUZZ_RUNS -print_final_stats=1 \
		-artifact_prefix="$artifacts/" "$corpus" > "$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ "$status" -eq 0 ]; then
		ok 0 "$name: ${runs:-?} runs, ${rate:-?} execs/s, nothing found"
	else
		ok 1 "$name: fuzzer exit status $status"
		tail -n 60 "$log" | sed 's/^/# /'
		if ls "$artifacts"/* >/dev/null 2>&1; then
			mkdir -p build/fuzz-artifacts
			cp "$artifacts"/* build/fuzz-artifacts/
			echo "# crashing input kept in build/fuzz-artifacts/"
		fi
	fi
done
finish
