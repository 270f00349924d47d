#!/usr/bin/env bash
# Every built case program's own output is accepted by `prove --exec ''`.
. "$(dirname "$0")/lib.sh"
cases=(build/cases/*/*)
plan ${#cases[@]}
for c in "${cases[@]}"; do
	out=$(prove --exec '' "$c" 2>&1)
	echo "$out" | grep -q "Parse errors\|Bad plan\|No plan found"; [ $? -ne 0 ]
	ok $? "prove parses ${c#build/cases/}" || echo "$out" | sed 's/^/# /'
done
finish
