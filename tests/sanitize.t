#!/usr/bin/env bash
# ref/ and the cases/ref programs built with ASan+UBSan (build/san/): no case
# fails, crashes or errs (reviewed kernel defects stay known-failing). Leaks
# in a test's child fail that test (san-exit.c).
. "$(dirname "$0")/lib.sh"
bins=(build/san/cases/ref/*)
plan 2
[ -x "${bins[0]}" ]; ok $? "sanitizer builds exist (${#bins[@]} programs)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
build/runner --known cases/known-failures.txt -o "$TMP/san" "${bins[@]}" > "$TMP/san.out" 2>&1
status=$?
ok $status "every ASan+UBSan case passes or skips: $(tail -n 1 "$TMP/san.out")" ||
	grep -E '^not ok|^#   ' "$TMP/san.out" | sed 's/^/# /'
finish
