#!/usr/bin/env bash
# runner --dmesg fails a case during which the kernel log shows a WARNING.
. "$(dirname "$0")/lib.sh"
plan 3
if [ "$(id -u)" -ne 0 ] || ! [ -r /dev/kmsg ]; then
	for _ in 1 2 3; do skip "needs root to read and write /dev/kmsg"; done
	finish
fi
build/runner --dmesg -o "$TMP/d" build/fixtures/kmsg-warning build/fixtures/pass > "$TMP/d.out" 2>&1
is "$(field "$TMP/d/summary.json" kmsg-warning status)" fail "a WARNING in the kernel log fails the case"
grep -q "kernel log: .*WARNING: injected" "$TMP/d.out"; ok $? "the log text is attached"
is "$(field "$TMP/d/summary.json" pass status)" pass "the next case is judged on its own log"
finish
