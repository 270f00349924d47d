#!/usr/bin/env bash
# kernels/build.sh: a kernel from a source tree (Debian's linux-source-6.1 on
# tinyconfig plus kernels/guest.config and cases.config) builds, and
# ./run.sh --kernel boots it and runs cases of every interface in it; a
# second build is incremental.
. "$(dirname "$0")/lib.sh"
plan 6

skip_all() { for _ in $(seq 6); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
[ -f /usr/src/linux-source-6.1.tar.xz ] || [ -f build/ksrc/linux-source-6.1/Makefile ] ||
	skip_all "no linux-source-6.1 (apt-get install -y linux-source-6.1)"

kernels/build.sh >"$TMP/build.out" 2>"$TMP/build.err"; rc=$?
is "$rc" 0 "build.sh builds linux-source-6.1 ($(grep -o 'built in [0-9]* s' "$TMP/build.err"))" ||
	tail -n 20 "$TMP/build.err" | sed 's/^/# /'
img=$(tail -n 1 "$TMP/build.out")
[ -s "$img" ]; ok $? "it prints the bzImage's path last ($img)"
! grep -q "note: the config lacks" "$TMP/build.err"
ok $? "the config has every option of guest.config and cases.config"

./run.sh --kernel "$img" --filter 'uring/nop' --filter 'aio/poll' --filter 'epoll/timerfd-signalfd' \
	--filter 'eventfd/counter' --filter 'posix-aio/read-write' >"$TMP/run.out" 2>&1; rc=$?
is "$rc" 0 "./run.sh --kernel boots it and its cases pass" || tail -n 15 "$TMP/run.out" | sed 's/^/# /'
tail -n 1 "$TMP/run.out" | grep -Eq '^[0-9]+ passed, 0 failed, 0 skipped$'
ok $? "every point passes, none skips: $(tail -n 1 "$TMP/run.out")"

before=$(stat -c %Y "$img")
kernels/build.sh >/dev/null 2>"$TMP/again.err"
is "$(stat -c %Y "$img")" "$before" "a second build with nothing changed keeps the image (incremental)"
finish
