#!/usr/bin/env bash
# The cases/ref programs (dynamically linked: valgrind cannot replace malloc
# in a static binary) under valgrind memcheck: no invalid access, no leak.
#
# --undef-value-errors=no: valgrind cannot see io_uring's asynchronous writes
# into user memory (the kernel fills read buffers after the syscall returned),
# so every byte the kernel delivered would read as "uninitialised". ASan and
# UBSan (tests/sanitize.t) cover those programs without that blind spot.
. "$(dirname "$0")/lib.sh"
bins=(build/dyn/cases/ref/*)
plan ${#bins[@]}
run_one() {
	valgrind -q --error-exitcode=99 --undef-value-errors=no \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect "$1" > "$2" 2>&1
}
export -f run_one
# Two at a time: each takes about a second under valgrind.
printf '%s\n' "${bins[@]}" | xargs -P 2 -I{} bash -c 'run_one {} "$0/$(basename {}).log"; echo $? > "$0/$(basename {}).rc"' "$TMP"
for b in "${bins[@]}"; do
	name=$(basename "$b")
	# Judge valgrind's own reports (lines "==PID== ...", exit 99), not the
	# case's verdict: kernel conformance is the runner's business.
	! grep -q '^==[0-9]*==' "$TMP/$name.log" && [ "$(cat "$TMP/$name.rc")" != 99 ]
	ok $? "valgrind memcheck clean: ref/$name" ||
		grep -E '^==|^not ok' "$TMP/$name.log" | head -40 | sed 's/^/# /'
done
finish
