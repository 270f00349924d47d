#!/usr/bin/env bash
# ./run.sh --abi i386 on the host: the cases built as 32-bit x86 programs
# (make cases32) run through the 64-bit kernel's compat ABI, into a folder
# named host-i386-<release>; the runner reads each program's ABI, so an
# i386:* known-failures entry holds for them.
. "$(dirname "$0")/lib.sh"
plan 5

mkdir -p "$AIOCONF_RESULTS"
./run.sh --abi i386 --filter 'eventfd/*' >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "the eventfd cases pass as i386 programs" || tail -n 5 "$TMP/out" "$TMP/err" | sed 's/^/# /'
d=$(readlink -f "$AIOCONF_RESULTS/latest")
case "$(basename "$d")" in *-host-i386-*) r=0 ;; *) r=1 ;; esac
ok $r "the results folder is named host-i386-<release> ($(basename "$d"))"
file -L build/i386/cases/eventfd/counter | grep -q 'ELF 32-bit LSB .* Intel 80386'
ok $? "the programs it ran are i386 ELF programs"
"$PY" -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(len(s["cases"]) < 18)' "$d/summary.json"
ok $? "every eventfd case ran"

# An i386:* entry: the runner takes the i386 program's listed failure as
# known-failing (the 64-bit build of the same case would not match it).
printf 'eventfd/counter:*  i386:*  fixture entry: every point, for i386 programs\n' >"$TMP/known"
build/runner --known "$TMP/known" -o "$TMP/k" build/i386/cases/eventfd/counter >/dev/null 2>&1
grep -q 'known-failures that passed: eventfd/counter:' "$TMP/k/run.tap"
ok $? "an i386:* entry holds for an i386 program (its passing points are reported as listed)"
finish
