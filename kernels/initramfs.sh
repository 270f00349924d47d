#!/usr/bin/env bash
# aioconf: build the guest's initramfs (an uncompressed newc cpio).
#
#   kernels/initramfs.sh -o OUT.cpio [--arch ARCH] [-d DIR] [-m MODULES] [-r RUNNER] [-k KNOWN] [-a FILE]... [-f FILE]... PROG...
#
# OUT.cpio holds busybox-static, /init (below), the runner (default
# build/runner), every PROG (static programs: case binaries or foreign test
# programs) and, with -m, a modules directory made by fetch.sh (it holds
# lib/modules/<release>/ and the file `load`, the load order).
# --arch arm64 makes an arm64 guest's: the runner build/arm64/runner, the
# busybox of build/arm64/pkg/busybox-static (make cases-arm64), no
# guest-exit (the guest powers off through PSCI); default amd64.
#
# A PROG whose path has a "cases/" component is put at /cases/<rest>, so
# the runner names it <area>/<topic> as on the host; any other at
# /progs/<basename>.
# -a FILE (repeatable) copies FILE (following a symlink) to aux/<basename>
# next to progs/ without running it: the real program behind a wrapper
# script that run.sh writes for `-- 'PROG ARGS'` (the wrapper finds it as
# ${0%/progs/*}/aux/<basename>).
# -f FILE (repeatable) copies FILE (following a symlink, mode kept, not
# stripped) to progs/<basename>, beside the programs named by basename,
# without running it: a data file or helper script a program finds as
# "$(dirname "$0")/<basename>". A name that a program or another -f FILE
# has is an error.
# With -d DIR the programs go to DIR/aioconf/ instead, for boot.sh to put
# on the scratch disk (mkfs.ext4 -d DIR): a smaller initramfs boots faster
# under TCG (it is unpacked into memory). The guest then runs them from
# /scratch/aioconf/, and a disk that does not mount is an error.
#
# The guest's /init: mounts proc, sys, devtmpfs and tmpfs; insmods the
# modules in dependency order; mounts the ext4 disk /dev/vda (a scratch
# image that boot.sh makes with mkfs.ext4) as TMPDIR, so that O_DIRECT and
# true async AIO reach a block filesystem (without the disk: tmpfs, and
# says so); runs `runner --dmesg --case-json -t T -o /results` with T from the kernel
# argument aioconf.timeout=; writes the runner's stdout to the virtio-serial
# port named aioconf.results when the kernel has one (virtio_console), else
# to /dev/ttyS1 (raw; the kernel argument aioconf.results=TTY names another,
# e.g. ttyS0)
# and after it, between the lines "@@aioconf-results-begin@@" and
# "@@aioconf-results-end rc=N@@", the results directory as base64 of a
# gzip'd tar; then ends QEMU through isa-debug-exit (port 0xf4) with
# v = 16 + N (runner exit status 0, 1 or 2; 3 for any other), so QEMU exits
# with 2v+1: 33 no failure, 35 failures, 37 runner set-up error, 39 other;
# 41 when /init itself could not run the runner. Without guest-exit (arm64)
# or without the device it powers off, and the host takes the runner's
# status from the end line.
# aioconf.probe=1 makes /init end at once with v = 32 (QEMU status 65):
# boot.sh's KVM probe.
set -eu
# shellcheck disable=SC2034  # read by lib.sh
PROG=initramfs.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '4p' "$0" | sed 's/^# \{0,1\}//'; }

out="" mods="" runner="" known="" ddir="" aux=() files=() arch=amd64
while [ $# -gt 0 ]; do
	case "$1" in
	-o) [ $# -ge 2 ] || die "-o needs a file"; out=$2; shift ;;
	--arch) [ $# -ge 2 ] || die "--arch needs amd64 or arm64"; arch=$2; shift ;;
	-m) [ $# -ge 2 ] || die "-m needs a directory"; mods=$2; shift ;;
	-d) [ $# -ge 2 ] || die "-d needs a directory"; ddir=$2; shift ;;
	-r) [ $# -ge 2 ] || die "-r needs the runner"; runner=$2; shift ;;
	-k) [ $# -ge 2 ] || die "-k needs a file"; known=$2; shift ;;
	-a) [ $# -ge 2 ] || die "-a needs a file"; aux+=("$2"); shift ;;
	-f) [ $# -ge 2 ] || die "-f needs a file"; files+=("$2"); shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) break ;;
	esac
	shift
done
[ -n "$out" ] || { usage >&2; die "-o OUT.cpio is required"; }
[ $# -gt 0 ] || { usage >&2; die "no program to run in the guest"; }
need cpio cpio
case "$arch" in
amd64)
	BUSYBOX=${AIOCONF_BUSYBOX:-/bin/busybox}
	[ -x "$BUSYBOX" ] || die "no $BUSYBOX: install it with: apt-get install -y busybox-static"
	case "$(file -b "$BUSYBOX" 2>/dev/null || echo static)" in
	*dynamically*) die "$BUSYBOX is not static: apt-get install -y busybox-static" ;;
	esac
	STRIP="strip"
	: "${runner:=$KROOT/build/runner}"
	[ -x "$runner" ] || die "no runner at $runner (run: make -s all)" ;;
arm64)
	BUSYBOX=${AIOCONF_BUSYBOX:-$KROOT/build/arm64/pkg/busybox-static/bin/busybox}
	[ -x "$BUSYBOX" ] || die "no arm64 busybox at $BUSYBOX (run: make -s cases-arm64)"
	STRIP=aarch64-linux-gnu-strip
	: "${runner:=$KROOT/build/arm64/runner}"
	[ -x "$runner" ] || die "no runner at $runner (run: make -s cases-arm64)" ;;
*) die "--arch '$arch': amd64 or arm64" ;;
esac
[ -z "$mods" ] || [ -d "$mods/lib/modules" ] || die "-m $mods: no lib/modules in it"
[ -z "$known" ] || [ -r "$known" ] || die "-k $known: cannot read it"

stage=$(mktemp -d "${TMPDIR:-/tmp}/aioconf-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,scratch,results,cases,progs,etc/aioconf,lib/modules}

# Programs are stripped copies: less to copy into the guest's memory.
strip_copy() {
	if command -v "$STRIP" >/dev/null 2>&1 && "$STRIP" -o "$2" "$1" 2>/dev/null; then
		chmod 755 "$2"
	else
		cp "$1" "$2"
	fi
}

# guest_copy WHAT SRC DST: SRC's stripped copy at DST, refusing a dynamic
# SRC. The stripped copies are kept in build/stripped/<SRC's absolute
# path> and made again only when SRC is newer: a matrix boots a dozen
# guests with the same ~300 programs, and `file` and strip of each cost
# ~3.5 s of a boot's set-up (measured 2026-12-07). No fork when the copy
# is there (it runs for every program). A temporary file and a rename:
# guests that boot at once may make the same copy.
STRIPPED=$KROOT/build/stripped
guest_copy() {
	local what=$1 src=$2 dst=$3 abs cache
	case "$src" in /*) abs=$src ;; *) abs=$PWD/$src ;; esac
	cache=$STRIPPED$abs
	if ! [ "$cache" -nt "$abs" ]; then
		! is_dynamic "$abs" || die "$what is dynamically linked: the guest has no libraries; build it with -static"
		mkdir -p "$(dirname "$cache")" || die "cannot create $(dirname "$cache")"
		strip_copy "$abs" "$cache.$$" && mv -f "$cache.$$" "$cache" ||
			die "$what: cannot copy it to $cache"
	fi
	ln -f "$cache" "$dst" 2>/dev/null || cp "$cache" "$dst" || die "$what: cannot copy it to $dst"
}

cp "$BUSYBOX" "$stage/bin/busybox"
# The applets: an arm64 busybox does not run here, so the host's (the same
# Debian package, of another architecture) names them.
applets=$BUSYBOX
[ "$arch" = amd64 ] || applets=/bin/busybox
for a in $("$applets" --list); do
	[ "$a" = busybox ] || ln -s busybox "$stage/bin/$a"
done
strip_copy "$runner" "$stage/bin/runner"
# guest-exit: the isa-debug-exit write (no /dev/port in Debian's kernels).
if [ "$arch" = amd64 ]; then
	gexit=$KBUILD/guest-exit
	if [ ! -x "$gexit" ] || [ "$KROOT/kernels/guest-exit.c" -nt "$gexit" ]; then
		mkdir -p "$KBUILD"
		${CC:-cc} -static -Os -Wall -Wextra -o "$gexit.part" "$KROOT/kernels/guest-exit.c" ||
			die "cannot build $gexit (needs gcc and the static libc: apt-get install -y gcc libc6-dev)"
		mv -f "$gexit.part" "$gexit"
	fi
	strip_copy "$gexit" "$stage/bin/guest-exit"
fi
: >"$stage/etc/aioconf/progs"
for p in "$@"; do
	[ -f "$p" ] && [ -x "$p" ] || die "$p: not an executable file"
	case "/$p" in
	*/cases/*/*) rel=cases/${p##*cases/} ;;
	*) rel=progs/$(basename "$p") ;;
	esac
	if [ -n "$ddir" ]; then
		dst=$ddir/aioconf/$rel guest=/scratch/aioconf/$rel
	else
		dst=$stage/$rel guest=/$rel
	fi
	[ ! -e "$dst" ] || die "$p: two programs would be $guest in the guest"
	[ -d "${dst%/*}" ] || mkdir -p "${dst%/*}"
	guest_copy "$p" "$p" "$dst"
	echo "$guest" >>"$stage/etc/aioconf/progs"
done
for p in ${aux[@]+"${aux[@]}"}; do
	[ -f "$p" ] && [ -x "$p" ] || die "-a $p: not an executable file"
	if [ -n "$ddir" ]; then dst=$ddir/aioconf/aux/$(basename "$p"); else dst=$stage/aux/$(basename "$p"); fi
	[ ! -e "$dst" ] || die "-a $p: two files would be aux/$(basename "$p") in the guest"
	[ -d "${dst%/*}" ] || mkdir -p "${dst%/*}"
	guest_copy "-a $p" "$p" "$dst"
done
for p in ${files[@]+"${files[@]}"}; do
	[ -f "$p" ] && [ -r "$p" ] || die "-f $p: not a readable file"
	if [ -n "$ddir" ]; then dst=$ddir/aioconf/progs/$(basename "$p"); else dst=$stage/progs/$(basename "$p"); fi
	[ ! -e "$dst" ] || die "-f $p: progs/$(basename "$p") in the guest is already a program's or another -f file's name"
	[ -d "${dst%/*}" ] || mkdir -p "${dst%/*}"
	cp -L --preserve=mode "$p" "$dst"
done
[ -z "$ddir" ] || : >"$stage/etc/aioconf/progs-on-disk"
[ -z "$known" ] || cp "$known" "$stage/etc/aioconf/known-failures.txt"
if [ -n "$mods" ]; then
	cp -r "$mods/lib/modules/." "$stage/lib/modules/"
	[ ! -f "$mods/load" ] || cp "$mods/load" "$stage/etc/aioconf/modules.load"
fi
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"

cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
# aioconf guest init (written by kernels/initramfs.sh)
export PATH=/bin HOME=/ LANG=C
mount -t devtmpfs dev /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs -o mode=1777 tmp /tmp
mkdir -p /dev/shm /dev/pts && mount -t tmpfs -o mode=1777 shm /dev/shm

say() { echo "aioconf-init: $*"; }

# isa-debug-exit: QEMU exits with 2*v+1. Without the device, or without
# guest-exit (arm64: QEMU ends at the PSCI power-off): power off.
leave() {
	sync
	if [ -x /bin/guest-exit ]; then
		/bin/guest-exit "$1"
		say "isa-debug-exit did not end QEMU; powering off"
	fi
	poweroff -f
}

# Builtins where a command would fork and exec busybox (~10-50 ms each
# under TCG on 6.12/7.2).
read -r cmdline </proc/cmdline
arg() {
	for w in $cmdline; do
		case "$w" in "aioconf.$1="*) echo "${w#*=}"; return ;; esac
	done
}
upt() { read -r up _ </proc/uptime; echo "$up"; }

[ "$(arg probe)" = 1 ] && leave 32

say "up at $(upt) s, kernel $(uname -r)"
ip link set lo up 2>/dev/null

# modparams NAME: the NAME.param=value words of the command line, as
# param=value: a built-in driver reads them itself, a module only through
# its loader (modprobe does this; insmod does not), e.g. nvme.poll_queues.
modparams() {
	for w in $cmdline; do
		case "$w" in "$1".*=*) echo "${w#"$1".}" ;; esac
	done
}
if [ -f /etc/aioconf/modules.load ]; then
	mdir=$(ls -d /lib/modules/*/ | head -n 1)
	while read -r m; do
		name=${m##*/}
		name=${name%.ko}
		name=${name//-/_}
		params=
		case " $cmdline" in *" $name."*=*) params=$(modparams "$name") ;; esac
		# shellcheck disable=SC2086  # one word per parameter
		insmod "$mdir$m" $params || say "insmod $m failed"
	done </etc/aioconf/modules.load
fi

tmpdir=/tmp
i=0
while [ ! -b /dev/vda ] && [ $i -lt 20 ] && grep -q virtio /proc/modules /proc/devices 2>/dev/null; do
	sleep 0.1; i=$((i + 1))
done
if [ -b /dev/vda ] && mount -t ext4 /dev/vda /scratch; then
	mkdir -p /scratch/tmp && chmod 1777 /scratch/tmp && tmpdir=/scratch/tmp
	say "TMPDIR is ext4 on /dev/vda"
elif [ -f /etc/aioconf/progs-on-disk ]; then
	say "the ext4 disk /dev/vda with the programs did not mount"
	leave 20
else
	say "no ext4 disk (/dev/vda): TMPDIR is tmpfs; O_DIRECT cases may skip"
fi

# The NVMe namespace of boot.sh (polled I/O and passthrough cases): its
# controller is probed asynchronously; wait for the namespace so that those
# cases do not skip by chance.
i=0
while [ -d /sys/class/nvme/nvme0 ] && [ ! -b /dev/nvme0n1 ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
if [ -b /dev/nvme0n1 ]; then
	say "NVMe namespace /dev/nvme0n1, $(cat /sys/block/nvme0n1/queue/io_poll 2>/dev/null || echo no) io_poll"
fi

[ -x /bin/runner ] || { say "no /bin/runner"; leave 20; }
t=$(arg timeout)
# The results go to boot.sh's virtio-serial port "aioconf.results" when the
# kernel has virtio_console: it takes a whole write at once, where the
# 16550 takes a byte per register write (measured 2026-12-07 on 7.3: 1.5 MB
# of TAP cost 2.4 s of the guest and ~3 CPU-s of QEMU's byte-wise file
# writes). Else to the serial port of aioconf.results= (default ttyS1).
out=""
if [ -d /sys/bus/virtio/drivers/virtio_console ]; then
	# The host announces its ports after the driver is up: wait a little.
	i=0
	while [ -z "$out" ] && [ $i -lt 20 ]; do
		for p in /sys/class/virtio-ports/*/name; do
			[ -f "$p" ] && [ "$(cat "$p")" = aioconf.results ] || continue
			p=${p%/name}
			out=/dev/${p##*/}
		done
		[ -n "$out" ] || { sleep 0.1; i=$((i + 1)); }
	done
	[ -n "$out" ] && [ -c "$out" ] || { say "no virtio-serial port aioconf.results"; out=""; }
fi
if [ -z "$out" ]; then
	out=/dev/$(arg results)
	[ "$out" != /dev/ ] || out=/dev/ttyS1
	stty -F "$out" raw -echo 2>/dev/null || say "stty on $out failed"
fi
say "results to $out"
known=""
[ -f /etc/aioconf/known-failures.txt ] && known="--known /etc/aioconf/known-failures.txt"
say "runner starts at $(upt) s"
# shellcheck disable=SC2046,SC2086
# --case-json: each finished case's record also travels in the TAP, so
# the host keeps it when a later case panics the guest.
TMPDIR=$tmpdir /bin/runner --dmesg --case-json ${t:+-t "$t"} -o /results $known \
	$(cat /etc/aioconf/progs) >"$out" 2>/tmp/runner.err
rc=$?
# stderr is kept off the console while running (its progress line).
sed 's/^/runner: /' /tmp/runner.err | tr -d '\r' | grep -v '\[[0-9]*/[0-9]*\]' >&2
say "runner exited $rc at $(upt) s"
dmesg >/results/dmesg.txt 2>/dev/null
{
	echo "@@aioconf-results-begin@@"
	tar -C /results -czf - . | base64
	echo "@@aioconf-results-end rc=$rc@@"
} >"$out"
[ -d /scratch/tmp ] && umount /scratch
case $rc in
0|1|2) leave $((16 + rc)) ;;
*) leave 19 ;;
esac
INIT
chmod 755 "$stage/init"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.part"
mv -f "$out.part" "$out"
