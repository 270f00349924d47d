#!/usr/bin/env bash
# kernels/: kernels.conf is well formed, and fetch.sh and boot.sh refuse bad
# input with a clear message (no network, no QEMU boot needed).
. "$(dirname "$0")/lib.sh"
plan 17
export AIOCONF_KERNELS_DIR=$TMP/k

# kernels.conf: NAME SUITE PATTERN..., names unique, one '*' per pattern.
bad=$(awk '{ sub(/#.*/, "") } NF == 0 { next }
	NF < 3 { print "line " NR ": fewer than 3 fields"; next }
	seen[$1]++ { print "line " NR ": " $1 " twice" }
	{ for (i = 3; i <= NF; i++) if (gsub(/\*/, "*", $i) != 1) print "line " NR ": " $i " wants one *" }' kernels/kernels.conf)
is "$bad" "" "kernels.conf lines are NAME SUITE PATTERN... with one '*' each"
for k in 5.10 6.1 6.12 7.2; do
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
finish
