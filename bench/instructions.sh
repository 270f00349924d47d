#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench/instructions.sh - user-space instructions per operation of ref/ring
# and liburing, counted by callgrind, for machines without a hardware
# instruction counter (ring-bench then prints n/a).
#
# Each case runs `ring-bench --callgrind-one WORKLOAD BATCH IMPL`, which warms
# up in warmup_* and then runs a fixed number of ops in measured_*; only
# measured_* and what it calls is counted (--toggle-collect), so ring set-up,
# the temp file and first-use costs are left out. The syscalls' kernel side
# is not counted, as with perf's exclude_kernel.
#
# usage: bench/instructions.sh [-a] [-b BIN] [-n OPS] [-k DIR] [WORKLOAD[/BATCH] ...]
#   -a        also print each case's flat profile: instructions per op spent
#             in each function itself (callgrind_annotate --inclusive=no)
#   -b BIN    the ring-bench to run (default build/bench/ring-bench, the
#             system's liburing; build/bench/ring-bench-sid has sid's)
#   -n OPS    ops per case (default 32768)
#   -k DIR    keep the callgrind.out.* files in DIR
#   WORKLOAD  nop or read, optionally /BATCH (default: both at 1, 8 and 32)
set -eu

cd "$(dirname "$0")/.."
BIN=build/bench/ring-bench
annotate=0
ops=32768
keep=
while [ $# -gt 0 ]; do
	case $1 in
	-a) annotate=1 ;;
	-b) BIN=$2; shift ;;
	-n) ops=$2; shift ;;
	-k) keep=$2; shift ;;
	-h|--help) sed -n '4,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "instructions.sh: unknown option $1" >&2; exit 1 ;;
	*) break ;;
	esac
	shift
done
cases=${*:-"nop read"}

command -v valgrind >/dev/null || { echo "instructions.sh: valgrind not found" >&2; exit 1; }
make -s --no-print-directory "$BIN"

if [ -n "$keep" ]; then
	out=$keep
	mkdir -p "$out"
else
	out=$(mktemp -d "${TMPDIR:-/tmp}/ring-instr.XXXXXX")
	trap 'rm -rf "$out"' EXIT
fi

# The cases as "WORKLOAD BATCH" lines.
expand() {
	for c in $cases; do
		wl=${c%/*}
		if [ "$wl" = "$c" ]; then
			for b in 1 8 32; do echo "$wl $b"; done
		else
			echo "$wl ${c#*/}"
		fi
	done
}

# count WORKLOAD BATCH IMPL: prints instructions/op
count() {
	f=$out/callgrind.out.$1.$2.$3
	n=$(valgrind --tool=callgrind --toggle-collect='measured_*' \
		--callgrind-out-file="$f" "$BIN" --callgrind-one "$1" "$2" "$3" \
		--ops "$ops" 2>"$f.log" | sed -n 's/^ops //p')
	total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f" 2>/dev/null)
	if [ -z "$n" ] || [ -z "$total" ]; then
		echo "instructions.sh: $1/$2 $3 failed:" >&2
		cat "$f.log" >&2
		exit 1
	fi
	echo "$n" >"$f.ops"
	awk -v t="$total" -v n="$n" 'BEGIN { printf "%.1f", t / n }'
}

# profile WORKLOAD BATCH IMPL: the flat profile, per op
profile() {
	f=$out/callgrind.out.$1.$2.$3
	n=$(cat "$f.ops")
	echo
	echo "$1 batch $2, $3: instructions per op in each function itself"
	callgrind_annotate --inclusive=no --auto=no --threshold=99.9 "$f" |
	awk -v n="$n" '
	/^-+$/ { dash++; next }
	dash >= 4 && match($0, /^ *[0-9,]+ +\( *[0-9.]+%\) +/) {
		head = substr($0, 1, RLENGTH); fn = substr($0, RLENGTH + 1)
		split(head, h, "(")
		ir = h[1]; gsub(/[ ,]/, "", ir)
		pct = h[2]; gsub(/[ )%]/, "", pct)
		sub(/ \[.*\]$/, "", fn)
		printf "  %7.2f %6.2f%%  %s\n", ir / n, pct, fn
	}'
}

# The liburing in $BIN, as ring-bench's title names it.
lib=$("$BIN" --help 2>&1 | sed -n 's/^liburing: //p')
echo "## instructions.sh: user-space instructions per op, callgrind, ${lib:-$BIN}"
echo
echo "| workload | batch | liburing instr/op | ref instr/op | ref/liburing |"
echo "|---|---:|---:|---:|---:|"
: >"$out/verdicts"
expand | while read -r wl b; do
	l=$(count "$wl" "$b" liburing)
	r=$(count "$wl" "$b" ref)
	awk -v w="$wl" -v b="$b" -v l="$l" -v r="$r" \
		'BEGIN { printf "| %s | %s | %s | %s | %.3f |\n", w, b, l, r, r / l }'
	echo "$wl/$b $l $r" >>"$out/verdicts"
done
# The target (issue #15): ref no more instructions per op than liburing.
echo
echo "Target: ref instr/op <= liburing's:"
awk '{ printf "- %s: %s <= %s: %s\n", $1, $3, $2, $3 <= $2 ? "met" : "NOT MET" }' "$out/verdicts"
if [ "$annotate" = 1 ]; then
	expand | while read -r wl b; do
		profile "$wl" "$b" liburing
		profile "$wl" "$b" ref
	done
fi
