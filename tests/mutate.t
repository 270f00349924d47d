#!/usr/bin/env bash
# kernels/mutate.py: the committed mutants each match one line of the 6.1
# tree; a bad list is refused; a one-mutant campaign kills its mutant and
# the tree comes back whatever stops the campaign (Ctrl-C, SIGKILL).
. "$(dirname "$0")/lib.sh"
plan 14

TREE=build/ksrc/linux-source-6.1
MUT="$PY kernels/mutate.py"
skip_all() { for _ in $(seq $((14 - TEST_NUM))); do skip "$*"; done; finish; }

# A list that is not one: refused with exit 2 and the reason, before the
# tree is looked at.
printf 'id: x\nfile: fs/aio.c\nfind: a\nreplace: b\nkind: dropped check\n' >"$TMP/short.txt"
$MUT --check --list "$TMP/short.txt" >"$TMP/short.out" 2>&1; rc=$?
is "$rc" 2 "a mutant without a behaviour is refused"
grep -q 'mutant x lacks behaviour' "$TMP/short.out"; ok $? "the message names the mutant and the key"

command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
if [ ! -f "$TREE/Makefile" ]; then
	[ -f /usr/src/linux-source-6.1.tar.xz ] || skip_all "no linux-source-6.1 (apt-get install -y linux-source-6.1)"
	kernels/build.sh >/dev/null 2>"$TMP/build.err" || { tail "$TMP/build.err" | sed 's/^/# /'; skip_all "kernels/build.sh failed"; }
fi

$MUT --check >"$TMP/check.out" 2>&1; rc=$?
is "$rc" 0 "every committed mutant occurs exactly once in its file: $(tail -n 1 "$TMP/check.out")"

printf 'id: twice\nfile: fs/aio.c\nfind: return -EINVAL;\nreplace: return 0;\nkind: errno swapped\nbehaviour: b\n' >"$TMP/twice.txt"
$MUT --check --list "$TMP/twice.txt" >"$TMP/twice.out" 2>&1; rc=$?
is "$rc" 2 "a find line that occurs more than once is refused"
grep -q 'occurs [0-9]* times in fs/aio.c' "$TMP/twice.out"; ok $? "the message says how often it occurs"

# One aio mutant the aio cases should catch, taken from the committed list.
id=aio-submit-reserved2-ignored
awk -v id="$id" '$1 == "id:" { on = ($2 == id) } on && NF' kernels/mutants.txt >"$TMP/one.txt"
grep -q "^id: *$id" "$TMP/one.txt" || skip_all "$id is not in kernels/mutants.txt"
cp "$TREE/fs/aio.c" "$TMP/aio.c"
mtime=$(stat -c %.9Y "$TREE/fs/aio.c")
args=(--list "$TMP/one.txt" --work "$TMP/work" -o "$TMP/report")

# started waits until the campaign has applied the mutant (it is building).
started() {
	for _ in $(seq 600); do
		[ -f "$TREE.mutate-applied/file" ] && return 0
		sleep 0.5
	done
	return 1
}

# Ctrl-C while the mutant is in the tree: reverted, exit 130.
setsid $MUT "${args[@]}" >"$TMP/int.out" 2>&1 &
pid=$!
started; ok $? "the campaign applies the mutant" || { kill -9 -- -"$pid"; skip_all "it did not"; }
sleep 2
kill -INT -- -"$pid"
wait "$pid"; rc=$?
is "$rc" 130 "Ctrl-C stops the campaign with exit 130"
cmp -s "$TMP/aio.c" "$TREE/fs/aio.c"; ok $? "and the tree is as it was"

# SIGKILL: nothing can revert then; the next start (--check) does.
setsid $MUT "${args[@]}" >"$TMP/kill.out" 2>&1 &
pid=$!
started && sleep 2
kill -9 -- -"$pid"
wait "$pid" 2>/dev/null
! cmp -s "$TMP/aio.c" "$TREE/fs/aio.c"; ok $? "SIGKILL leaves the mutant in the tree"
$MUT --check "${args[@]}" >/dev/null 2>&1
cmp -s "$TMP/aio.c" "$TREE/fs/aio.c" &&
	awk "BEGIN { exit !($(stat -c %.9Y "$TREE/fs/aio.c") > $mtime) }"
ok $? "the next start puts the original back, with a new modification time"

$MUT "${args[@]}" >"$TMP/run.out" 2>&1; rc=$?
is "$rc" 0 "the campaign finishes" || tail -n 15 "$TMP/run.out" | sed 's/^/# /'
verdict=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["verdict"])' \
	"$TMP/report/verdicts.json" 2>/dev/null)
is "$verdict" killed "$id is killed: $(grep -o "\[1/1\].*" "$TMP/run.out")"
"$PY" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["pristine"]["agree"] != "yes")' "$TMP/report/verdicts.json"; ok $? "the pristine kernel gives the same results before and after"
cmp -s "$TMP/aio.c" "$TREE/fs/aio.c"; ok $? "the tree is as it was after the campaign"
finish
