#!/usr/bin/env bash
# The bench programs (make bench) work, quickly and without judging speed:
# speed lives in `make bench` alone. Each runs a few short rounds and prints
# every row and a verdict line; ring-bench is built against both liburings
# and sets both libraries up alike (a registered ring fd, NO_SQARRAY where
# the library has it); bad options exit 2; instructions.sh counts with
# callgrind. make check builds the programs first.
. "$(dirname "$0")/lib.sh"
plan 12

B=build/bench
QUICK=(--rounds 3 --round-ms 2)

# rows FILE: the table's "workload/batch" pairs, space-separated.
rows() { awk -F' *[|] *' '/^[|] [a-z0-9]+ [|] [0-9]+ [|]/ { printf "%s%s/%s", n++ ? " " : "", $2, $3 }' "$1"; }

# quick_run PROG ROWS VERDICT_ERE WHAT: PROG's few short rounds, into
# $TMP/PROG.out; passes when it exits 0 with exactly the table rows ROWS
# ("workload/batch ...") and a line matching VERDICT_ERE.
quick_run() {
	local prog=$1 want=$2 verdict=$3 st
	shift 3
	"$B/$prog" "${QUICK[@]}" >"$TMP/$prog.out" 2>&1
	st=$?
	[ $st -eq 0 ] && [ "$(rows "$TMP/$prog.out")" = "$want" ] && grep -Eq "$verdict" "$TMP/$prog.out"
	ok $? "$prog: exit $st, $*" || sed 's/^/# /' "$TMP/$prog.out" | head -n 30
}

# 1-2. ring-bench against each liburing: six rows, the nop/32 verdict.
for prog in ring-bench ring-bench-sid; do
	quick_run "$prog" "nop/1 nop/8 nop/32 read/1 read/8 read/32" \
		'^- nop batch 32: ratio [0-9.]+ >= 1.05: (met|NOT MET)$' \
		"rows nop and read at 1, 8, 32 and the nop/32 verdict"
done

# 3. The system's liburing is named by its package version.
sys=$(dpkg-query -W -f='${Package} ${Version}' "liburing-dev:$(dpkg --print-architecture)" 2>/dev/null)
grep -qF "## ring-bench: ref/ring vs $sys (system)" "$TMP/ring-bench.out"
ok $? "ring-bench names the system's liburing, $sys" || head -n 1 "$TMP/ring-bench.out" | sed 's/^/# /'

# 4. ring-bench-sid holds sid's liburing, 2.15 or newer.
title=$(head -n 1 "$TMP/ring-bench-sid.out")
ver=$(printf '%s\n' "$title" | sed -n 's/.* liburing-dev \([0-9]*\.[0-9]*\).* (sid, static)$/\1/p')
[ -n "$ver" ] && [ "$(printf '%s\n2.15\n' "$ver" | sort -V | head -n 1)" = 2.15 ]
ok $? "ring-bench-sid is linked with liburing $ver from sid, >= 2.15 ($title)"

# 5-6. Set up alike: a registered ring fd on both sides or on neither (a
# kernel before 5.18 has none: liburing then says why), and sid's liburing
# asks for NO_SQARRAY where ref got it.
setup() { sed -n 's/^Set-up, .*: liburing \(.*\); ref \(.*\)\.$/\1|\2/p' "$1"; }
for prog in ring-bench ring-bench-sid; do
	s=$(setup "$TMP/$prog.out")
	lib=${s%|*} ref=${s#*|}
	lib_fd=${lib#*ring fd } want_sq=${ref%%,*}
	# Debian 12's liburing 2.3 predates NO_SQARRAY (2.6).
	[ "$prog" = ring-bench ] && want_sq="NO_SQARRAY no"
	[ -n "$s" ] && [ "${lib%%,*}" = "$want_sq" ] && [ "${lib_fd%%:*}" = "${ref#*ring fd }" ]
	ok $? "$prog: liburing set up at its best: '$lib' against ref's '$ref'"
done

# 7. --setup-flags gives both rings the same flags; --liburing-default
# leaves liburing's fd unregistered.
"$B/ring-bench-sid" "${QUICK[@]}" --setup-flags single-issuer,defer-taskrun --liburing-default \
	>"$TMP/flags.out" 2>&1
st=$?
[ $st -eq 0 ] && grep -q '^Set-up, 64 entries, setup flags 0x3000: liburing .*ring fd not registered (--liburing-default); ref ' "$TMP/flags.out"
ok $? "--setup-flags single-issuer,defer-taskrun --liburing-default: exit $st, flags 0x3000 on both" ||
	sed 's/^/# /' "$TMP/flags.out" | head -n 10

# 8. aio-bench: its rows and the batch-32 verdict.
quick_run aio-bench "read/1 read/8 read/32 read0/1 read0/8 read0/32" \
	'^target: ratio >= 1.30 at read batch 32: (met|missed)' \
	"rows read and read0 at 1, 8, 32 and the verdict"

# 9. epoll-bench: its rows and the expected band's verdict.
quick_run epoll-bench "eventfd/1 eventfd/8 eventfd/32 pingpong/1" \
	'^expected: ratio within 0.98-1.02 .*: (yes|no) ' \
	"rows eventfd at 1, 8, 32, pingpong and the verdict"

# 10. A bad option is a usage error, exit 2, for every bench.
bad=""
for prog in ring-bench ring-bench-sid aio-bench epoll-bench; do
	"$B/$prog" --no-such-option >"$TMP/usage.out" 2>&1
	st=$?
	{ [ $st -eq 2 ] && grep -q "^usage: " "$TMP/usage.out"; } || bad="$bad $prog:$st"
done
"$B/ring-bench" --setup-flags sqpoll >"$TMP/usage.out" 2>&1
st=$?
{ [ $st -eq 2 ] && grep -q "^FLAG: " "$TMP/usage.out"; } || bad="$bad --setup-flags-sqpoll:$st"
[ -z "$bad" ]
ok $? "an unknown option, or an unknown setup flag, prints the usage and exits 2${bad:+ (not:$bad)}"

# 11-12. instructions.sh counts both sides under callgrind and gives a
# verdict, for each liburing.
for prog in ring-bench ring-bench-sid; do
	if ! command -v valgrind >/dev/null; then
		skip "instructions.sh -b $B/$prog: valgrind is not installed (harness/deps.sh --for-tests)"
		continue
	fi
	bench/instructions.sh -b "$B/$prog" -n 2048 nop/32 >"$TMP/instr.out" 2>&1
	st=$?
	[ $st -eq 0 ] && grep -Eq '^[|] nop [|] 32 [|] [0-9.]+ [|] [0-9.]+ [|] [0-9.]+ [|]$' "$TMP/instr.out" &&
		grep -Eq '^- nop/32: [0-9.]+ <= [0-9.]+: (met|NOT MET)$' "$TMP/instr.out"
	ok $? "instructions.sh -b $B/$prog nop/32: exit $st, the counts and the verdict" ||
		sed 's/^/# /' "$TMP/instr.out" | head -n 20
done

finish
