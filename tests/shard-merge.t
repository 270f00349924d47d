#!/usr/bin/env bash
# ./run.sh --shard I/N and --merge: a matrix of two kernels (6.1, 6.12),
# both ABIs, and a few cases, run once whole and once as 3 shards; the
# merged folder's reports equal the whole run's but for timings and the
# run's name. Shards of single columns (--kernel, the host) merge into a
# matrix too. A missing, repeated or foreign shard is refused by name.
# The split itself: every piece in exactly one shard, the same on every
# call, and even by the baseline's weights.
. "$(dirname "$0")/lib.sh"
plan 17
N=17

skip_all() { for _ in $(seq $N); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
[ -x build/cases/uring/nop ] || skip_all "build/cases/uring/nop is not built (make all)"
[ -x build/i386/cases/uring/nop ] || skip_all "build/i386/cases/uring/nop is not built (make cases32)"
grep -E '^(6\.1|6\.12)[[:space:]]' kernels/kernels.conf >"$TMP/k.conf"
export AIOCONF_KERNELS_CONF=$TMP/k.conf
kernels/fetch.sh >"$TMP/fetch" 2>&1 || skip_all "kernels could not be fetched: $(tail -n 1 "$TMP/fetch")"
F=(--filter uring/nop --filter aio/poll --filter eventfd/counter --filter posix-aio/read-write)
top_of() { sed -n 's/^# matrix in \([^:]*\)$/\1/p' "$1" | tail -n 1; }

# 1. The whole matrix, then its three shards.
./run.sh --matrix --vms 2 "${F[@]}" >"$TMP/whole.out" 2>&1
W=$(top_of "$TMP/whole.out")
st=0
for i in 1 2 3; do
	./run.sh --matrix --vms 2 --shard "$i/3" "${F[@]}" >"$TMP/s$i.out" 2>&1 || st=$?
	S[i]=$(top_of "$TMP/s$i.out")
done
[ $st -eq 0 ] && [ -d "$W" ] && [ -f "${S[1]}/shard.json" ] && [ -f "${S[3]}/shard.json" ]
ok $? "the whole matrix and its 3 shards run and pass (shards in ${S[1]##*/}, ...)"
case "${S[2]}" in *-matrix-shard-2-of-3) st=0 ;; *) st=1 ;; esac
ok $st "a shard's folder is named ...-matrix-shard-I-of-N"

"$PY" - "${S[@]}" >"$TMP/pieces" <<'PY'
import json, sys
seen, plan = {}, None
for d in sys.argv[1:]:
    s = json.load(open(d + "/shard.json"))
    plan = plan or s
    for col, ids in s["columns"].items():
        for i in ids:
            seen.setdefault((col, i), []).append(s["shard"])
want = {(c, i) for c in plan["plan_columns"] for i in plan["plan_cases"]}
print(len(want), sorted(seen) == sorted(want), all(len(v) == 1 for v in seen.values()),
      len({json.load(open(d + "/shard.json"))["plan"] for d in sys.argv[1:]}))
PY
is "$(cat "$TMP/pieces")" "24 True True 1" "every (column, case) piece is in exactly one shard, all of one plan"

# 2. The merge equals the whole run but for timings and names.
./run.sh --merge "${S[@]}" >"$TMP/merge.out" 2>&1; rc=$?
M=$(top_of "$TMP/merge.out")
is "$rc" 0 "--merge of the 3 shards exits 0"
tail -n 1 "$TMP/merge.out" | grep -qx "$(tail -n 1 "$TMP/whole.out")"
ok $? "the merged table ends as the whole run's ($(tail -n 1 "$TMP/whole.out"))"
"$PY" - "$W" "$M" >"$TMP/json-diff" <<'PY'
import json, os, sys
TIMES = {"duration_s", "cpu_s", "run", "total_s", "boot_to_first_output_s", "boot_to_console_s"}
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in TIMES}
    return [strip(x) for x in o] if isinstance(o, list) else o
a, b = (strip(json.load(open(os.path.join(d, "matrix.json")))) for d in sys.argv[1:])
print("same" if a == b else "differ")
for col in sorted(os.listdir(sys.argv[1])):
    p = [os.path.join(d, col, "summary.json") for d in sys.argv[1:]]
    if os.path.exists(p[0]):
        x, y = ({c["id"]: strip(c) for c in json.load(open(f))["cases"]} for f in p)
        print(col, "same" if x == y else "differ")
PY
grep -q differ "$TMP/json-diff"; st=$((!$?))
[ "$(head -n 1 "$TMP/json-diff")" = same ] && [ "$(wc -l <"$TMP/json-diff")" -eq 7 ]
ok $((st || $?)) "matrix.json and each column's summary.json cases equal the whole run's but for timings ($(tr '\n' ' ' <"$TMP/json-diff"))"
norm() {	# norm RUN FILE: the file without its run's name and timings
	sed -E "s/$(basename "$1")/RUN/g; s/\(run [^)]*\)/(times)/g; s/[0-9]+(\.[0-9]+)? s\b/N s/g; s/time=\"[0-9.]+\"/time=\"N\"/g;
		s,<td>[0-9.]*</td><td>[0-9.]*</td></tr>,<td>T</td><td>T</td></tr>," "$1/$2"
}
bad=""
for f in matrix.md matrix.html junit.xml drift.md features.md errata.md; do
	diff <(norm "$W" "$f") <(norm "$M" "$f") >>"$TMP/d" || bad="$bad $f"
done
is "${bad:-none}" none "matrix.md/.html, junit.xml, drift.md, features.md and errata.md equal the whole run's but for timings" ||
	head -n 20 "$TMP/d" | sed 's/^/# /' >&2
[ -d "$M/6.12/shard-3" ] && [ -f "$M/6.12/uring/nop.tap" ] && [ -f "$M/MERGED" ] && grep -q "shard" "$M/6.12/run.tap"
ok $? "a merged column keeps each shard's part (shard-I/), the cases' .tap and run.tap; MERGED lists the shards" ||
	ls -R "$M/6.12" "$M/MERGED" | head -n 20 | sed 's/^/# /' >&2

# 3. Refused: a missing, a repeated and a foreign shard.
./run.sh --merge "${S[1]}" "${S[3]}" >"$TMP/m1" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "matrix: shard(s) 2/3 missing" "$TMP/m1"
ok $? "a missing shard: exit 2, named ($(grep -o 'shard(s) [^(]*' "$TMP/m1"))"
cp -r "${S[1]}" "$TMP/again"
./run.sh --merge "${S[@]}" "$TMP/again" >"$TMP/m2" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "matrix: shard 1/3 given twice: .*${S[1]##*/} and $TMP/again" "$TMP/m2"
ok $? "a shard given twice: exit 2, both folders named"
./run.sh --merge "${S[@]}" "$W" >"$TMP/m3" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "${W##*/}: not a shard's results folder" "$TMP/m3"
ok $? "a folder that is no shard: exit 2, named"
n=$(find "$AIOCONF_RESULTS" -maxdepth 1 -name '*-matrix' | wc -l)
is "$n" 2 "a refused merge leaves no folder behind"

# 4. Single columns: 6.1 as 2 --kernel shards, the host as 2 shards.
st=0
for i in 1 2; do
	./run.sh --kernel 6.1 --shard "$i/2" "${F[@]}" >"$TMP/k$i.out" 2>&1 || st=$?
	./run.sh --shard "$i/2" "${F[@]}" >"$TMP/h$i.out" 2>&1 || st=$?
done
K=("$AIOCONF_RESULTS"/*-6.1-shard-[12]-of-2) H=("$AIOCONF_RESULTS"/*-host-*-shard-[12]-of-2)
is "$st ${#K[@]} ${#H[@]}" "0 2 2" "--kernel 6.1 --shard I/2 and --shard I/2 (host) run and pass"
grep -q "shard 1/2 of 6.1: [0-9]* case(s)" "$TMP/k1.out"; ok $? "a --kernel shard says how many cases it takes" ||
	head -n 5 "$TMP/k1.out" | sed 's/^/# /' >&2
./run.sh --merge "${K[@]}" "${H[@]}" >"$TMP/mk.out" 2>&1; rc=$?
MK=$(top_of "$TMP/mk.out")
"$PY" - "$W" "$MK" >"$TMP/k-diff" <<'PY'
import json, os, sys
for col in ("host", "6.1"):
    x, y = ({c["id"]: (c["status"], c["counts"]) for c in
             json.load(open(os.path.join(d, col, "summary.json")))["cases"]} for d in sys.argv[1:])
    print(col, "same" if x == y else "differ")
PY
[ $rc -eq 0 ] && [ "$(cat "$TMP/k-diff")" = "$(printf 'host same\n6.1 same')" ] && ! [ -e "$MK/6.12" ]
ok $? "they merge into a matrix of host and 6.1 with the whole run's results ($(tr '\n' ' ' <"$TMP/k-diff"))"
./run.sh --merge "${K[@]}" "${S[@]}" >"$TMP/m4" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "column 6.1: in two shard sets" "$TMP/m4"
ok $? "a column that two shard sets ran is refused"

# 5. The split of the default matrix by the baseline's weights.
cols="host host-i386 5.10 5.10-i386 6.1 6.1-i386 6.12 6.12-i386 7.2 7.2-i386 7.3 7.3-i386 7.3-rt 7.3-rt-i386"
mapfile -t ids < <(./run.sh --list)
mkdir -p "$TMP/plan"
# shellcheck disable=SC2086  # cols: words
"$PY" - "$cols" "${ids[@]}" >"$TMP/even" <<PY
import sys
sys.path.insert(0, "harness/report")
import shard_plan
cols, ids = sys.argv[1].split(), sys.argv[2:]
pieces = shard_plan.weights("results/baseline", cols, ids)
for n in (2, 4):
    load = [0.0] * n
    for (col, _, w), s in zip(pieces, shard_plan.split(pieces, n)):
        load[s - 1] += w
    print(f"{n}:{max(load) / min(load):.2f}", end=" ")
PY
"$PY" harness/report/shard_plan.py 2/4 --group matrix --out "$TMP/plan" $cols -- "${ids[@]}" >"$TMP/p1"
"$PY" harness/report/shard_plan.py 2/4 --group matrix --out "$TMP/plan" $cols -- "${ids[@]}" >"$TMP/p2"
read -r two four <"$TMP/even"
awk -v a="${two#2:}" -v b="${four#4:}" 'BEGIN { exit !(a < 1.1 && b < 1.1) }' && cmp -s "$TMP/p1" "$TMP/p2"
ok $? "the default matrix splits into 2 and 4 shards within 10% of each other by weight ($two $four), the same each time"
finish
