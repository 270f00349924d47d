#!/usr/bin/env bash
# arm64 guests: Debian's 6.1 arm64 cloud kernel under qemu-system-aarch64
# with cases cross-built by make cases-arm64. A run finishes and comes
# back with its status from the results' end line (no isa-debug-exit), a
# guest panic is told from the console, a program for another machine is
# refused before a boot, ./run.sh --kernel 6.1-arm64 runs the cases, and
# --matrix all has a column for it where --matrix has none.
. "$(dirname "$0")/lib.sh"
plan 17
K=6.1-arm64

skip_all() { for _ in $(seq 17); do skip "$*"; done; finish; }
command -v qemu-system-aarch64 >/dev/null || skip_all "no qemu-system-aarch64 (harness/deps.sh --for-arm64)"
command -v clang-14 >/dev/null || skip_all "no clang-14 (harness/deps.sh --for-arm64)"
make -s guest-arm64 build/arm64/cases/uring/nop build/arm64/cases/epoll/create >"$TMP/make" 2>&1 ||
	skip_all "the arm64 build failed (no network for its packages?): $(tail -n 1 "$TMP/make")"
kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 || skip_all "kernel $K could not be fetched: $(tail -n 1 "$TMP/fetch")"

env_of() { sed -n "s/^$2=//p" "$1/boot.env"; }

# 1. A run that finishes: two cases and a script that checks the machine.
mkdir -p "$TMP/f"
cat >"$TMP/f/machine" <<'SH'
#!/bin/sh
echo "TAP version 13"
echo "1..1"
m=$(uname -m)
if [ "$m" = aarch64 ]; then echo "ok 1 aarch64"; else echo "not ok 1 aarch64 (uname -m: $m)"; fi
SH
chmod +x "$TMP/f/machine"
kernels/boot.sh -o "$TMP/a" "$K" -- build/arm64/cases/uring/nop build/arm64/cases/epoll/create \
	"$TMP/f/machine" >"$TMP/a.out" 2>"$TMP/a.err"; rc=$?
is "$rc" 0 "$K: a passing run exits 0"
is "$(env_of "$TMP/a" status)" finished "$K: boot.env says finished (from the results' end line)"
is "$(env_of "$TMP/a" qemu_exit)" 0 "$K: QEMU ended at the guest's PSCI power-off"
is "$(total "$TMP/a/summary.json" totals.cases.pass)" 3 "$K: summary.json came back with 3 passing cases"
is "$(field "$TMP/a/summary.json" machine counts.pass)" 1 "$K: the guest is an aarch64 machine"
field "$TMP/a/summary.json" epoll/create points | grep -q "this architecture has no such system call"
ok $? "$K: epoll_create's TESTs skip naming the architecture (asm-generic has only epoll_create1)"
grep -q "TMPDIR is ext4" "$TMP/a/console.log"; ok $? "$K: TMPDIR is ext4 on the virtio disk (its modules loaded)"

# 2. A guest panic: panic=-1 reboots, -no-reboot ends QEMU with status 0;
# the console tells the panic.
mkdir -p "$TMP/p/cases/fixture"
printf '#!/bin/sh\necho "TAP version 13"\necho "1..1"\necho c >/proc/sysrq-trigger\necho "ok 1 alive"\n' \
	>"$TMP/p/cases/fixture/panic"
chmod +x "$TMP/p/cases/fixture/panic"
kernels/boot.sh -o "$TMP/c" "$K" -- "$TMP/p/cases/fixture/panic" build/arm64/cases/uring/nop \
	>"$TMP/c.out" 2>"$TMP/c.err"; rc=$?
is "$rc" 3 "$K: a guest panic exits 3"
is "$(env_of "$TMP/c" status)" panic "$K: boot.env says panic"
is "$(env_of "$TMP/c" not_run)" uring/nop "$K: and names the cases not run"

# 3. Programs of the wrong machine are refused before a boot.
kernels/boot.sh --check "$K" -- build/cases/uring/nop >"$TMP/d.out" 2>&1; rc=$?
is "$rc" 2 "$K: an x86-64 program for an arm64 kernel is a set-up error"
grep -q "an ELF for x86-64, not for arm64" "$TMP/d.out"; ok $? "$K: which says what the program is"

# 4. run.sh: --kernel 6.1-arm64 builds the arm64 cases and runs them.
./run.sh --kernel "$K" --filter uring/nop >"$TMP/r.out" 2>"$TMP/r.err"; rc=$?
D=$(sed -n 's/^run.sh: results in //p' "$TMP/r.err" | head -n 1)
is "$rc" 0 "run.sh --kernel $K exits 0"
is "$(field "$D/summary.json" uring/nop status)" pass "run.sh --kernel $K: uring/nop passes in its folder ($D)"

# 5. The matrix: a kernels.conf of 6.1-arm64 alone.
grep -E '^6\.1-arm64[[:space:]]' kernels/kernels.conf >"$TMP/k.conf"
AIOCONF_KERNELS_CONF=$TMP/k.conf ./run.sh --matrix all --abi x86_64 --filter uring/nop >"$TMP/m.out" 2>"$TMP/m.err"; rc=$?
M=$(sed -n 's/^# matrix in \(.*\): host.*/\1/p' "$TMP/m.out")
is "$rc" 0 "--matrix all: the matrix passes"
is "$(field "$M/$K/summary.json" uring/nop status)" pass "--matrix all: the $K column ran uring/nop (aarch64)"
AIOCONF_KERNELS_CONF=$TMP/k.conf ./run.sh --matrix --abi x86_64 --filter uring/nop >"$TMP/n.out" 2>"$TMP/n.err"
M=$(sed -n 's/^# matrix in \(.*\): host.*/\1/p' "$TMP/n.out")
[ -n "$M" ] && [ -d "$M/host" ] && [ ! -e "$M/$K" ]; ok $? "--matrix: no arm64 column ($M)"
finish
