#!/usr/bin/env bash
# QEMU smoke test: boot one Debian kernel (AIOCONF_SMOKE_KERNEL, default
# 6.1) under TCG with a few cases and fixtures; a finished run, failures, a
# hanging case and a guest panic each come back as they should; --cpus
# and -f reach the guest; the last lines name the host's results folder.
. "$(dirname "$0")/lib.sh"
plan 23
K=${AIOCONF_SMOKE_KERNEL:-6.1}

skip_all() { for _ in $(seq 23); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
for f in build/runner build/cases/uring/nop build/cases/aio/direct-io build/fixtures/pass \
	 build/fixtures/fail build/fixtures/hang; do
	[ -x "$f" ] || skip_all "$f is not built (make all fixtures)"
done
kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 || skip_all "kernel $K could not be fetched: $(tail -n 1 "$TMP/fetch")"

env_of() { sed -n "s/^$2=//p" "$1/boot.env"; }

# 1. A run that finishes: TAP out, results in, QEMU status 33. Two CPUs,
# and a program (a script) that checks them and a file sent with -f.
mkdir -p "$TMP/f"
printf 'one line of data\n' >"$TMP/f/data.txt"
cat >"$TMP/f/cpus-and-file" <<'SH'
#!/bin/sh
echo "TAP version 13"
echo "1..2"
n=$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)
if [ "$n" = 2 ]; then echo "ok 1 two CPUs"; else echo "not ok 1 two CPUs (nproc: $n)"; fi
d=$(dirname "$0")/data.txt
if [ "$(cat "$d" 2>&1)" = "one line of data" ]; then echo "ok 2 data.txt beside the program"; else echo "not ok 2 data.txt beside the program ($d: $(ls -l "$d" 2>&1))"; fi
SH
chmod +x "$TMP/f/cpus-and-file"
kernels/boot.sh --cpus 2 -f "$TMP/f/data.txt" -o "$TMP/a" "$K" -- build/cases/uring/nop build/cases/aio/direct-io \
	build/fixtures/pass "$TMP/f/cpus-and-file" >"$TMP/a.out" 2>"$TMP/a.err"; rc=$?
is "$rc" 0 "$K: a passing run exits 0"
is "$(env_of "$TMP/a" qemu_exit)" 33 "$K: QEMU's status comes from isa-debug-exit (2*16+1)"
is "$(tail -n 1 "$TMP/a.out")" "$(tail -n 1 "$TMP/a/run.tap")" "$K: the TAP printed is the runner's"
is "$(total "$TMP/a/summary.json" totals.cases.pass)" 4 "$K: summary.json came back with 4 passing cases"
is "$(field "$TMP/a/summary.json" cpus-and-file counts.pass)" 2 "$K: --cpus 2 gives the guest 2 CPUs, and -f puts data.txt beside the programs"
is "$(env_of "$TMP/a" cpus)" 2 "$K: boot.env says cpus=2"
grep -qxF "# results in $TMP/a ($(sed -n 's/^# results in [^ ]* (//p' "$TMP/a.out")" "$TMP/a.out" &&
	grep -qF "# results in $TMP/a (" "$TMP/a/run.tap" && ! grep -q '^# results in /results' "$TMP/a.out" "$TMP/a/run.tap"
ok $? "$K: the 'results in' line names the host's folder, printed and in run.tap"
grep -q "^stage=results sent$" "$TMP/a/boot.env"; ok $? "$K: boot.env says stage=results sent"
[ -s "$TMP/a/aio/direct-io.tap" ] && [ -s "$TMP/a/pass.tap" ]; ok $? "$K: each case's .tap came back"
is "$(field "$TMP/a/summary.json" aio/direct-io counts.skip)" 0 "$K: O_DIRECT runs on the guest's ext4 disk"
grep -q "TMPDIR is ext4" "$TMP/a/console.log"; ok $? "$K: TMPDIR is ext4 on the virtio disk"
grep -q "results to /dev/vport" "$TMP/a/console.log"; ok $? "$K: the results travel over the virtio-serial port"

# 2. Failures and a case that hangs: the VM goes on, QEMU status 35. A
# kernel without virtio_console (here: its init skipped) sends over ttyS1.
AIOCONF_KERNEL_ARGS=initcall_blacklist=virtio_console_init \
	kernels/boot.sh -t 1 -o "$TMP/b" "$K" -- build/fixtures/fail build/fixtures/hang \
	build/fixtures/pass >"$TMP/b.out" 2>"$TMP/b.err"; rc=$?
grep -q "results to /dev/ttyS1" "$TMP/b/console.log"; ok $? "$K: without virtio_console the results travel over ttyS1"
is "$rc" 1 "$K: a run with failures exits 1"
is "$(env_of "$TMP/b" qemu_exit)" 35 "$K: QEMU status 35 (failures)"
is "$(field "$TMP/b/summary.json" hang status)" timeout "$K: the hanging case is killed at the timeout"
is "$(field "$TMP/b/summary.json" pass status)" pass "$K: and the VM goes on with the next case"

# 3. A case that panics the guest (sysrq c).
mkdir -p "$TMP/p/cases/fixture"
printf '#!/bin/sh\necho "TAP version 13"\necho "1..1"\necho c >/proc/sysrq-trigger\necho "ok 1 alive"\n' \
	>"$TMP/p/cases/fixture/panic"
chmod +x "$TMP/p/cases/fixture/panic"
kernels/boot.sh -o "$TMP/c" "$K" -- build/fixtures/pass "$TMP/p/cases/fixture/panic" \
	build/cases/uring/nop >"$TMP/c.out" 2>"$TMP/c.err"; rc=$?
is "$rc" 3 "$K: a guest panic exits 3"
is "$(env_of "$TMP/c" status)" panic "$K: boot.env says panic"
is "$(env_of "$TMP/c" running_case)" fixture/panic "$K: and names the case that was running"
is "$(env_of "$TMP/c" not_run)" uring/nop "$K: and the cases not run"
grep -q "sysrq triggered crash" "$TMP/c.err"; ok $? "$K: the console excerpt shows the panic"
grep -q "^boot.sh: $K: reached: runner started; not reached: results sent$" "$TMP/c.err" &&
	[ "$(env_of "$TMP/c" stage)" = "runner started" ]
ok $? "$K: a failure says the stage the guest reached (stderr and boot.env)"
finish
