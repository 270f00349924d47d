#!/usr/bin/env bash
# kernels/: kernels.conf and guest.config are well formed, and fetch.sh and
# boot.sh (and boot.sh --check) refuse bad input with a clear message (no
# network, no QEMU boot needed).
. "$(dirname "$0")/lib.sh"
plan 50
export AIOCONF_KERNELS_DIR=$TMP/k

# kernels.conf: NAME SUITE PATTERN..., names unique, one '*' per pattern.
bad=$(awk '{ sub(/#.*/, "") } NF == 0 { next }
	NF < 3 { print "line " NR ": fewer than 3 fields"; next }
	seen[$1]++ { print "line " NR ": " $1 " twice" }
	{ for (i = 3; i <= NF; i++) if (gsub(/\*/, "*", $i) != 1) print "line " NR ": " $i " wants one *" }' kernels/kernels.conf)
is "$bad" "" "kernels.conf lines are NAME SUITE PATTERN... with one '*' each"
for k in 5.10 6.1 6.12 7.2 7.3 7.3-rt next; do
	grep -q "^${k}[[:space:]]" kernels/kernels.conf; ok $? "kernels.conf has $k"
done

kernels/fetch.sh nosuch >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "fetch.sh: an unknown kernel is a usage error"
grep -q "no kernel 'nosuch'" "$TMP/o"; ok $? "fetch.sh names the unknown kernel"

# No network: the mirror refuses connections. Both kernels are tried and
# each is named.
printf 'ta nosuchsuite linux-image-9.*-x\ntb nosuchsuite linux-image-9.*-x\n' >"$TMP/k.conf"
AIOCONF_KERNELS_CONF=$TMP/k.conf AIOCONF_MIRROR=http://127.0.0.1:9/debian \
	timeout 120 kernels/fetch.sh >"$TMP/o" 2>&1; rc=$?
is "$rc" 1 "fetch.sh: an unreachable mirror fails the fetch"
grep -q "ta: FAILED" "$TMP/o" && grep -q "tb: FAILED" "$TMP/o"
ok $? "fetch.sh names each kernel it could not fetch and goes on to the next"

# A kernel image of one's own that is not one.
head -c 600 /dev/urandom >"$TMP/junk"
kernels/boot.sh "$TMP/junk" >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "boot.sh: a 600-byte file is refused"
grep -q "not a kernel image" "$TMP/o"; ok $? "boot.sh says why"

# Made-up bzImages: a header that promises more than the file holds, and a
# payload that does not decompress to a kernel.
"$PY" - "$TMP" <<'PY'
import gzip, os, struct, sys
def bzimage(payload, pm_extra=0):
    pm = payload + b"\0" * (-len(payload) % 16)
    hdr = bytearray(1024)                        # setup_sects = 1
    hdr[0x1f1] = 1
    struct.pack_into("<I", hdr, 0x1f4, (len(pm) + pm_extra) // 16)
    hdr[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", hdr, 0x206, 0x020f)
    struct.pack_into("<II", hdr, 0x248, 0, len(payload))
    return bytes(hdr) + pm
data = os.urandom(4096)
good_size = gzip.compress(data) + struct.pack("<I", len(data))
open(sys.argv[1] + "/notelf", "wb").write(bzimage(good_size))
open(sys.argv[1] + "/badgz", "wb").write(bzimage(b"\x1f\x8b\x08\0" + os.urandom(4000) + struct.pack("<I", 9000)))
open(sys.argv[1] + "/short", "wb").write(bzimage(good_size, pm_extra=1 << 20))
PY
kernels/boot.sh "$TMP/short" >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "boot.sh: a truncated bzImage is refused"
grep -q "truncated" "$TMP/o"; ok $? "boot.sh says it is truncated"
kernels/boot.sh "$TMP/notelf" >"$TMP/o" 2>&1; rc=$?
grep -q "corrupt bzImage" "$TMP/o"; ok $? "boot.sh: a payload that is no ELF kernel is corrupt (status $rc)"
kernels/boot.sh "$TMP/badgz" >"$TMP/o" 2>&1; rc=$?
grep -q "corrupt bzImage" "$TMP/o"; ok $? "boot.sh: a payload that does not decompress is corrupt (status $rc)"

AIOCONF_QEMU=/nonexistent/qemu-system-x86_64 kernels/boot.sh 6.1 >"$TMP/o" 2>&1; rc=$?
grep -q "apt-get install -y qemu-system-x86" "$TMP/o"; ok $? "boot.sh without QEMU prints the install command (status $rc)"

kernels/boot.sh -t soon 6.1 >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "boot.sh: a bad -t is a usage error"

# guest.config: a plain fragment (comments, blank lines, CONFIG_X=y), each
# option with a reason above it, and every symbol a real one.
bad=$(awk '/^#/ { why = 1; next } /^$/ { why = 0; next }
	/^CONFIG_[A-Z0-9_]+=y$/ { if (!why) print "no reason above " $0; why = 0; next }
	{ print "not a fragment line: " $0 }' kernels/guest.config)
is "$bad" "" "guest.config is CONFIG_X=y lines, each with its reason above"
dconf=build/kernels/6.1/config
if [ -f "$dconf" ]; then
	missing=$(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=.*/\1/p' kernels/guest.config | while read -r o; do
		grep -qE "^($o=|# $o is not set)" "$dconf" || echo "$o"; done)
	is "$missing" "" "every option of guest.config exists in Debian's 6.1 config"
else
	skip "no $dconf (kernels/fetch.sh 6.1)"
fi

# --check: validation without booting, creating nothing.
kd=${AIOCONF_REAL_KERNELS:-$PWD/build/kernels}
if [ -s "$kd/6.1/release" ] && command -v qemu-system-x86_64 >/dev/null && [ -x build/fixtures/pass ]; then
	mkdir -p "$TMP/kk"
	cp -as "$kd/6.1" "$TMP/kk/6.1"	# the cached kernel, as symlinks
	before=$(find "$TMP/kk" | sort)
	AIOCONF_KERNELS_DIR=$TMP/kk kernels/boot.sh --check -o "$TMP/chk/out" 6.1 -- build/fixtures/pass >"$TMP/o" 2>&1; rc=$?
	is "$rc" 0 "--check: a good named kernel and program pass"
	[ ! -e "$TMP/chk" ] && [ "$before" = "$(find "$TMP/kk" | sort)" ]
	ok $? "--check creates nothing (no -o folder, nothing in the kernels folder)"
else
	skip "kernel 6.1 not fetched, or no QEMU"; skip "kernel 6.1 not fetched, or no QEMU"
fi
kernels/boot.sh --check "$TMP/junk" >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "--check: a file that is no kernel is refused"
grep -q "not a kernel image" "$TMP/o"; ok $? "--check says why"
kernels/boot.sh --check "$TMP/short" >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "--check: a truncated bzImage is refused"
grep -q "truncated" "$TMP/o"; ok $? "--check says it is truncated"
[ ! -e "$TMP/k/user" ]; ok $? "--check on a PATH kernel makes no build/kernels/user folder"
kernels/boot.sh --check 6.1 -- /bin/true >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "--check: a dynamically linked program is refused"
grep -q "/bin/true is dynamically linked" "$TMP/o"; ok $? "--check names it"
TMPDIR=/nonexistent kernels/boot.sh --check 6.1 >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "--check: TMPDIR that is not a directory is refused"
grep -q "TMPDIR=/nonexistent: not a writable directory" "$TMP/o"; ok $? "--check names TMPDIR"
TMPDIR=/nonexistent kernels/boot.sh 6.1 >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "boot.sh: TMPDIR that is not a directory is a set-up error (no bare mktemp error)"
grep -q "TMPDIR=/nonexistent: not a writable directory" "$TMP/o" && ! grep -q "^mktemp" "$TMP/o"
ok $? "boot.sh names TMPDIR"
kernels/boot.sh --check --cpus 65 6.1 >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "--check: --cpus 65 is refused"
printf 'x\n' >"$TMP/pass"
kernels/boot.sh --check -f "$TMP/pass" 6.1 -- build/fixtures/pass >"$TMP/o" 2>&1; rc=$?
is "$rc" 2 "--check: an -f file named like a program is refused"
grep -q "progs/pass in the guest is already" "$TMP/o"; ok $? "--check says the name is taken"
kernels/boot.sh --check -f "$TMP/nosuch" 6.1 >"$TMP/o" 2>&1; rc=$?
grep -q -- "-f $TMP/nosuch: not a readable file" "$TMP/o"; ok $? "--check: a missing -f file is refused (status $rc)"

# A cached kernel cut short (a full disk, a killed copy) is not booted: it
# is fetched again (here the mirror is unreachable, so that fails: exit 2).
if [ -s "$kd/6.1/release" ]; then
	c=$TMP/kc/6.1
	mkdir -p "$c"
	cp "$kd/6.1/conf" "$kd/6.1/release" "$kd/6.1/vmlinuz" "$c/"
	head -c 1M "$kd/6.1/vmlinux" >"$c/vmlinux"
	AIOCONF_KERNELS_DIR=$TMP/kc kernels/boot.sh --check 6.1 >"$TMP/o" 2>&1; rc=$?
	is "$rc" 0 "--check: a cached vmlinux cut short passes (the boot fetches it again)"
	grep -q "6.1: the cached kernel in .* is damaged (vmlinux: truncated: 1048576 bytes.*the boot fetches it again" "$TMP/o"
	ok $? "--check says which file is damaged and why"
	truncate -s 1M "$c/vmlinuz"
	AIOCONF_KERNELS_DIR=$TMP/kc kernels/boot.sh --check 6.1 >"$TMP/o" 2>&1
	grep -q "damaged (vmlinuz: truncated: 1048576 bytes" "$TMP/o"; ok $? "--check: a cached vmlinuz cut short too"
	AIOCONF_KERNELS_DIR=$TMP/kc AIOCONF_MIRROR=http://127.0.0.1:9/debian \
		timeout 120 kernels/boot.sh 6.1 -- build/fixtures/pass >"$TMP/o" 2>&1; rc=$?
	is "$rc" 2 "a damaged cache that cannot be fetched again is a set-up error"
	grep -q "damaged (vmlinuz: truncated.*): fetching it again" "$TMP/o" &&
		grep -q "kernel 6.1 could not be fetched" "$TMP/o" && ! grep -q "booting" "$TMP/o"
	ok $? "boot.sh says why it fetches again, and boots nothing"
	AIOCONF_KERNELS_DIR=$TMP/kc AIOCONF_MIRROR=http://127.0.0.1:9/debian \
		timeout 120 kernels/fetch.sh 6.1 >"$TMP/o" 2>&1
	grep -q "6.1: the cached kernel in .* is damaged (vmlinuz: truncated" "$TMP/o"
	ok $? "fetch.sh does not take a damaged cache for cached"
	# Modules picked for an older WANT_MODULES (before virtio_console,
	# which carries the results) are fetched again too.
	cp "$kd/6.1/vmlinuz" "$c/vmlinuz"
	rm -f "$c/vmlinux"
	mkdir -p "$c/modules"
	echo "virtio_pci virtio_blk loop" >"$c/modules/wanted"
	AIOCONF_KERNELS_DIR=$TMP/kc kernels/boot.sh --check 6.1 >"$TMP/o" 2>&1
	grep -q "damaged (modules: stale, picked for another list than WANT_MODULES).*the boot fetches it again" "$TMP/o"
	ok $? "--check: modules picked for another module list are fetched again"
else
	for _ in 1 2 3 4 5 6 7; do skip "kernel 6.1 not fetched"; done
fi

# A kernel of one's own that does not reach the runner (here QEMU ends at
# once, as a guest that powers off would): the stage, and what the guest
# needs when no .config is found.
if [ -s "$kd/6.1/vmlinux" ] && command -v qemu-system-x86_64 >/dev/null && [ -x build/fixtures/pass ]; then
	mkdir -p "$TMP/nc"
	cp "$kd/6.1/vmlinux" "$TMP/nc/vmlinux"
	printf '#!/bin/sh\ncase "$*" in *help*|*--version*) exec qemu-system-x86_64 "$@" ;; esac\nexit 0\n' >"$TMP/fakeqemu"
	chmod +x "$TMP/fakeqemu"
	AIOCONF_QEMU=$TMP/fakeqemu kernels/boot.sh -o "$TMP/nco" "$TMP/nc/vmlinux" -- build/fixtures/pass \
		>"$TMP/o" 2>&1; rc=$?
	is "$rc" 3 "a PATH kernel whose guest ends at once: exit 3 (died)"
	grep -q "^boot.sh: vmlinux: reached: nothing (no console output); not reached: kernel started$" "$TMP/o" &&
		grep -q "^stage=none$" "$TMP/nco/boot.env"
	ok $? "it says no stage was reached"
	grep -q "no .config found for $TMP/nc/vmlinux" "$TMP/o" &&
		grep -q "needs the options of .*kernels/guest.config; the boot-critical ones: CONFIG_ACPI, CONFIG_HPET_TIMER, CONFIG_X86_IOPL_IOPERM, CONFIG_SERIAL_8250_CONSOLE, CONFIG_BLK_DEV_INITRD, CONFIG_DEVTMPFS" "$TMP/o"
	ok $? "without a .config it names guest.config and the boot-critical options"
	grep -v '^CONFIG_ACPI=' "$kd/6.1/config" >"$TMP/nc/.config"
	AIOCONF_QEMU=$TMP/fakeqemu kernels/boot.sh -o "$TMP/nco" "$TMP/nc/vmlinux" -- build/fixtures/pass \
		>"$TMP/o" 2>&1
	grep -q "^  CONFIG_ACPI=y: " "$TMP/o" && [ "$(grep -c '^  CONFIG_' "$TMP/o")" = 1 ]
	ok $? "with the .config in a vmlinux's folder it names the option it lacks"
else
	for _ in 1 2 3 4; do skip "kernel 6.1 not fetched, or no QEMU"; done
fi
finish
