#!/usr/bin/env bash
# How a guest run stops (two boots of AIOCONF_SMOKE_KERNEL, default 6.1):
# SIGTERM to boot.sh keeps what came so far and exits 130; a QEMU without
# isa-debug-exit (the guest powers off, and here the power-off does not end
# QEMU) still ends the run with its results once they are whole.
. "$(dirname "$0")/lib.sh"
plan 16
K=${AIOCONF_SMOKE_KERNEL:-6.1}

skip_all() { for _ in $(seq 16); do skip "$*"; done; finish; }
command -v qemu-system-x86_64 >/dev/null || skip_all "no qemu-system-x86_64"
for f in build/runner build/fixtures/pass build/fixtures/hang; do
	[ -x "$f" ] || skip_all "$f is not built (make all fixtures)"
done
kernels/fetch.sh "$K" >"$TMP/fetch" 2>&1 || skip_all "kernel $K could not be fetched: $(tail -n 1 "$TMP/fetch")"

env_of() { sed -n "s/^$2=//p" "$1/boot.env"; }

# 1. SIGTERM while the second program hangs. Its own TMPDIR, to find its
# QEMU (other boots may run on this host).
mkdir -p "$TMP/tmpd" "$TMP/p"
cp build/fixtures/pass "$TMP/p/pass2"	# the same basename twice is refused
TMPDIR=$TMP/tmpd kernels/boot.sh -t 30 -o "$TMP/i" "$K" -- build/fixtures/pass build/fixtures/hang \
	"$TMP/p/pass2" >"$TMP/i.out" 2>"$TMP/i.err" &
bpid=$!
for _ in $(seq 300); do	# at most 60 s
	grep -q '^ok 1 ' "$TMP/i.out" && break
	kill -0 "$bpid" 2>/dev/null || break
	sleep 0.2
done
grep -q '^ok 1 pass' "$TMP/i.out"; ok $? "$K: boot.sh prints the first case's result as it comes"
sleep 1	# the hanging case has started
kill -TERM "$bpid"
wait "$bpid"; rc=$?
is "$rc" 130 "$K: SIGTERM: boot.sh exits 130"
[ -s "$TMP/i/console.log" ]; ok $? "$K: interrupted: console.log is kept"
grep -q '^ok 1 pass' "$TMP/i/serial.tap"; ok $? "$K: interrupted: serial.tap has the finished case"
is "$(env_of "$TMP/i" status)" interrupted "$K: boot.env says status=interrupted"
is "$(env_of "$TMP/i" running_case)" hang "$K: boot.env names the case that was running"
is "$(env_of "$TMP/i" not_run)" pass2 "$K: boot.env names the case not run"
[ -f "$TMP/i/INTERRUPTED" ] && [ "$(wc -l <"$TMP/i/programs")" = 3 ]
ok $? "$K: INTERRUPTED and the file programs are written"
sleep 0.5
! pgrep -f "$TMP/tmpd/aioconf-boot" >/dev/null && [ -z "$(ls -A "$TMP/tmpd")" ]
ok $? "$K: no QEMU is left, and the temporary directory is gone"

# 2. No isa-debug-exit device, and -no-shutdown: the guest's power-off
# stops QEMU's emulation but not QEMU, so boot.sh ends it after the grace.
cat >"$TMP/qemu" <<'SH'
#!/usr/bin/env bash
# QEMU without the isa-debug-exit device, staying up after a power-off.
args=()
while [ $# -gt 0 ]; do
	if [ "$1" = -device ] && [ "${2#isa-debug-exit}" != "${2:-}" ]; then shift 2; continue; fi
	args+=("$1")
	shift
done
exec qemu-system-x86_64 -no-shutdown "${args[@]}"
SH
chmod +x "$TMP/qemu"
start=$(date +%s)
AIOCONF_QEMU=$TMP/qemu AIOCONF_EXIT_GRACE=2 kernels/boot.sh -o "$TMP/x" "$K" -- build/fixtures/pass \
	>"$TMP/x.out" 2>"$TMP/x.err"; rc=$?
took=$(($(date +%s) - start))
is "$rc" 0 "$K: without isa-debug-exit the run still ends 0"
is "$(field "$TMP/x/summary.json" pass status)" pass "$K: and its results came back"
grep -q "no isa-debug-exit device" "$TMP/x/console.log"; ok $? "$K: (the guest found no isa-debug-exit device)"
grep -q "the guest powered off instead of exiting through isa-debug-exit; results were received" "$TMP/x.err"
ok $? "$K: boot.sh says the guest powered off instead, and that results were received"
is "$(env_of "$TMP/x" killed)" after-results "$K: QEMU, still up after the results, was killed (boot.env killed=after-results)"
[ "$took" -lt 60 ]; ok $? "$K: not treated as a hang ($took s)"
grep -q "^status=finished$" "$TMP/x/boot.env"; ok $? "$K: boot.env says status=finished"
finish
