#!/usr/bin/env bash
# A kernel that never reaches the runner says why (two short boots of
# AIOCONF_SMOKE_KERNEL, default 6.1, whose init is `sleep 1000` through
# AIOCONF_KERNEL_ARGS): the stage it reached, the console excerpt, and for
# a kernel given by PATH a console that is not quiet and the options of
# kernels/guest.config that its .config lacks.
. "$(dirname "$0")/lib.sh"
plan 12
K=${AIOCONF_SMOKE_KERNEL:-6.1}

skip_all() { for _ in $(seq 12); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
for f in build/runner build/fixtures/pass; do
	[ -x "$f" ] || skip_all "$f is not built (make all fixtures)"
done
kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 || skip_all "kernel $K could not be fetched: $(tail -n 1 "$TMP/fetch")"
KD=${AIOCONF_KERNELS_DIR:-build/kernels}/$K

env_of() { sed -n "s/^$2=//p" "$1/boot.env"; }
export AIOCONF_KERNEL_ARGS='rdinit=/bin/sleep -- 1000' AIOCONF_BOOT_LIMIT=8

# 1. A kernel of kernels.conf.
kernels/boot.sh -o "$TMP/n" "$K" -- build/fixtures/pass >"$TMP/n.out" 2>"$TMP/n.err"; rc=$?
is "$rc" 4 "$K: an init that never starts the runner is a hang (exit 4)"
is "$(env_of "$TMP/n" stage)" "kernel started" "$K: boot.env says stage=kernel started"
grep -q "^boot.sh: $K: reached: kernel started; not reached: /init ran$" "$TMP/n.err"
ok $? "$K: boot.sh says /init was not reached"
grep -q "last lines of the console" "$TMP/n.err" && grep -q '^  | .*Run /bin/sleep as init process' "$TMP/n.err"
ok $? "$K: and prints the end of the console"
is "$(env_of "$TMP/n" running_case)|$(env_of "$TMP/n" not_run)" "|pass" \
	"$K: no case was running; the program is not run"

# 2. The same kernel given by PATH, with a config beside it that lacks
# CONFIG_HPET_TIMER.
mkdir -p "$TMP/pk"
cp "$KD/vmlinuz" "$TMP/pk/vmlinuz"
grep -v '^CONFIG_HPET_TIMER=' "$KD/config" >"$TMP/pk/config"
AIOCONF_KERNELS_DIR=$TMP/k kernels/boot.sh -o "$TMP/p" "$TMP/pk/vmlinuz" -- build/fixtures/pass \
	>"$TMP/p.out" 2>"$TMP/p.err"; rc=$?
is "$rc" 4 "PATH kernel: a hang (exit 4)"
is "$(env_of "$TMP/p" stage)" "kernel started" "PATH kernel: stage=kernel started"
grep -q "^boot.sh: vmlinuz: reached: kernel started; not reached: /init ran$" "$TMP/p.err"
ok $? "PATH kernel: boot.sh says /init was not reached"
lines=$(wc -l <"$TMP/p/console.log")
[ "$lines" -gt 100 ] && grep -q 'Run /bin/sleep as init process' "$TMP/p/console.log"
ok $? "PATH kernel: boots without quiet ($lines console lines, with 'Run /bin/sleep as init process')"
grep -q "^  CONFIG_HPET_TIMER=y: " "$TMP/p.err" && grep -qF "$TMP/pk/config lacks options the guest needs" "$TMP/p.err"
ok $? "PATH kernel: the options its config lacks are named"
[ "$(grep -c '^  CONFIG_' "$TMP/p.err")" = 1 ]; ok $? "PATH kernel: and only those"
[ -n "$(env_of "$TMP/n" boot_to_console_s)" ] && [ -z "$(env_of "$TMP/n" boot_to_first_output_s)" ]
ok $? "$K: boot.env has the time to the first console output, none to the runner's"
finish
