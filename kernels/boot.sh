#!/usr/bin/env bash
# aioconf: boot one kernel in QEMU and run programs in it with the runner.
#
#   kernels/boot.sh [options] NAME|PATH [-- PROG...]
#
# NAME     a kernel of kernels/kernels.conf (fetched first when missing)
# PATH     a kernel image of your own: a bzImage (arch/x86/boot/bzImage) or
#          an ELF vmlinux with a PVH note; modules are optional (-m)
# PROG     static programs to run (default: every build/cases/*/*)
#
#   -o DIR        results: the runner's summary.json, run.tap and one .tap
#                 per case, plus console.log, serial.tap and boot.env
#                 (default build/kernels/runs/<kernel>-<time>)
#   -t SECS       per-case timeout as on the host (default 60); the guest
#                 uses SECS times $AIOCONF_TCG_SCALE (5) under TCG
#   -m DIR        modules of a PATH kernel: DIR/lib/modules/<release>/ as
#                 `make modules_install INSTALL_MOD_PATH=DIR` leaves it
#   -k FILE       known-failures list for the runner (--known)
#   -a FILE       an extra file for the programs, not run itself: the guest
#                 has it at <programs' folder>/../aux/<basename> (repeatable)
#   --accel A     tcg, kvm or auto (default: auto = KVM only when a probe
#                 boot under KVM has succeeded on this host, else TCG)
#   --mem MB      guest memory (default 1024)
#
# Prints the runner's TAP as it arrives. Exit status:
#   0  the run finished without failures     1  finished with failures
#   2  usage or set-up error (bad kernel, no qemu, runner set-up error)
#   3  the guest panicked or died before the run finished
#   4  hang: no output for the per-case timeout plus a margin; killed
#   5  QEMU failed (its message is printed)
# DIR/boot.env says what happened as KEY=value lines (status, qemu_exit,
# release, accel, boot_to_first_output_s, run_s, ...).
set -eu
PROG=boot.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '4,32p' "$0" | sed 's/^# \{0,1\}//'; }

outdir="" hostt=60 umods="" known="" accel=${AIOCONF_ACCEL:-auto} mem=1024 aux=()
while [ $# -gt 0 ]; do
	case "$1" in
	-o) [ $# -ge 2 ] || die "-o needs a directory"; outdir=$2; shift ;;
	-t) [ $# -ge 2 ] || die "-t needs seconds"; hostt=$2; shift ;;
	-m) [ $# -ge 2 ] || die "-m needs a directory"; umods=$2; shift ;;
	-k) [ $# -ge 2 ] || die "-k needs a file"; known=$2; shift ;;
	-a) [ $# -ge 2 ] || die "-a needs a file"; aux+=(-a "$2"); shift ;;
	--accel) [ $# -ge 2 ] || die "--accel needs tcg, kvm or auto"; accel=$2; shift ;;
	--mem) [ $# -ge 2 ] || die "--mem needs megabytes"; mem=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || { usage >&2; die "which kernel? a NAME ($(conf_names | tr '\n' ' ')) or a PATH"; }
kernel=$1
shift
if [ $# -gt 0 ]; then
	[ "$1" = -- ] || die "unexpected '$1': programs go after '--'"
	shift
fi
[[ $hostt =~ ^[0-9]+$ ]] && [ "$hostt" -gt 0 ] || die "-t wants whole seconds above 0, not '$hostt'"
[[ $mem =~ ^[0-9]+$ ]] && [ "$mem" -ge 256 ] || die "--mem wants megabytes, at least 256, not '$mem'"
case "$accel" in tcg|kvm|auto) ;; *) die "--accel wants tcg, kvm or auto, not '$accel'" ;; esac

QEMU=${AIOCONF_QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null 2>&1 ||
	die "'$QEMU' is missing: install it with: apt-get install -y qemu-system-x86 (as root, or with sudo)"
need mkfs.ext4 e2fsprogs
need cpio cpio
need base64 coreutils

progs=("$@")
if [ ${#progs[@]} -eq 0 ]; then
	for p in "$KROOT"/build/cases/*/*; do
		[ -f "$p" ] && [ -x "$p" ] && progs+=("$p")
	done
	[ ${#progs[@]} -gt 0 ] || die "no case programs in build/cases (run: make -s all)"
fi
for p in "${progs[@]}"; do
	[ -f "$p" ] && [ -x "$p" ] || die "$p: no such executable"
done

# ------------------------------------------------------------------
# The kernel
# ------------------------------------------------------------------
image="" vmlinux="" mods="" release=""
if [[ $kernel != */* ]] && conf_line "$kernel" >/dev/null; then
	kname=$kernel
	kdir=$KBUILD/$kernel
	if [ ! -s "$kdir/release" ] || [ "$(cat "$kdir/conf" 2>/dev/null)" != "$(conf_line "$kernel")" ]; then
		"$KROOT/kernels/fetch.sh" "$kernel" >&2 || die "kernel $kernel could not be fetched (see above)"
	fi
	image=$kdir/vmlinuz
	[ -s "$kdir/vmlinux" ] && vmlinux=$kdir/vmlinux
	[ -d "$kdir/modules/lib/modules" ] && mods=$kdir/modules
	release=$(cat "$kdir/release")
	[ -z "$umods" ] || die "-m is for a kernel given by PATH"
elif [ -e "$kernel" ]; then
	kind=$(kernel_kind "$kernel") || die "$kernel: $kind"
	kname=$(basename "$kernel")
	sum=$(sha256sum "$kernel" | cut -c1-16)
	kdir=$KBUILD/user/$sum
	mkdir -p "$kdir"
	if [ "$kind" = elf ]; then
		has_pvh_note "$kernel" ||
			die "$kernel: an ELF without the PVH entry note (CONFIG_PVH=y) cannot be booted; give the bzImage"
		vmlinux=$kernel
		image=$kernel
	else
		image=$kernel
		x=0
		[ -s "$kdir/vmlinux" ] || bzimage_to_vmlinux "$kernel" "$kdir/vmlinux" 2>/dev/null || x=$?
		case $x in
		0) vmlinux=$kdir/vmlinux ;;
		3) die "$kernel: corrupt bzImage: its compressed kernel does not decompress" ;;
		esac
		release=$(strings -n 8 "$kernel" 2>/dev/null | sed -n 's/^\([0-9][^ ]*\) (.*#.*/\1/p' | head -n 1 || true)
	fi
	if [ -n "$umods" ]; then
		[ -d "$umods" ] || die "-m $umods: no such directory"
		if [ -d "$umods/lib/modules" ]; then
			mroot=$umods/lib/modules
		elif [ -d "$umods/kernel" ]; then
			mroot=$(dirname "$umods")
		else
			die "-m $umods: neither DIR/lib/modules/<release>/ nor a lib/modules/<release>/ directory"
		fi
		set -- "$mroot"/*/kernel
		[ -d "$1" ] || die "-m $umods: no <release>/kernel/ directory in $mroot"
		[ $# -eq 1 ] || die "-m $umods: modules of more than one release in $mroot"
		mrel=$(basename "$(dirname "$1")")
		[ -z "$release" ] || [ "$release" = "$mrel" ] ||
			warn "note: the image says release $release, the modules are $mrel"
		rm -rf "$kdir/modules"
		pick_modules "$kname" "$mroot/$mrel" "$kdir/modules" "$mrel" ||
			die "-m $umods: cannot prepare the modules"
		mods=$kdir/modules
	fi
else
	die "'$kernel' is neither a kernel of $KCONF ($(conf_names | tr '\n' ' ')) nor a file"
fi

# ------------------------------------------------------------------
# Where things go
# ------------------------------------------------------------------
if [ -z "$outdir" ]; then
	outdir=$KBUILD/runs/$kname-$(date -u +%Y%m%dT%H%M%SZ)
fi
mkdir -p "$outdir" || die "cannot create $outdir"
outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/aioconf-boot.XXXXXX")
qpid="" tailpid=""
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	[ -z "$tailpid" ] || kill "$tailpid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT TERM HUP

# The programs go on the scratch disk when the kernel surely has virtio-blk
# (the modules hold it, or the config says it is built in), else into the
# initramfs.
ondisk=""
if grep -qs '/virtio_blk\.ko$' "${mods:-/nonexistent}/load" ||
   grep -qs '^CONFIG_VIRTIO_BLK=y' "$kdir/config"; then
	ondisk=$work/disk
	mkdir -p "$ondisk"
fi
"$KROOT/kernels/initramfs.sh" -o "$work/initrd.cpio" ${mods:+-m "$mods"} \
	${ondisk:+-d "$ondisk"} ${known:+-k "$known"} ${aux[@]+"${aux[@]}"} "${progs[@]}" ||
	die "could not build the initramfs"
# The scratch ext4 for TMPDIR: inode tables and journal made here, so the
# guest's ext4lazyinit has nothing to do under emulation.
truncate -s 512M "$work/disk.img"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 ${ondisk:+-d "$ondisk"} \
	"$work/disk.img" >/dev/null || die "mkfs.ext4 failed"

# ------------------------------------------------------------------
# QEMU
# ------------------------------------------------------------------
# Boot time under TCG (DESIGN.md 4; kernel initcall_debug timings, host
# noise makes whole-boot medians swing by +-1 s, so gains are per initcall):
#  - i8042=off,vmport=off (QEMU machine): no PS/2 controller, so no i8042
#    probe and no AT keyboard; vmport needs the i8042. i8042_init drops
#    from 6-12 ms to 2 ms and the keyboard's input device goes.
#  - 8250.nr_uarts=2: only ttyS0 (console) and ttyS1 (results) are set up;
#    serial8250_init 9-30 ms -> 7-14 ms.
#  - initcall_blacklist=jent_mod_init: no jitterentropy RNG self-test, 150 ms
#    on 6.12 (the others do not run it at boot); the DRBG goes on without it
#    outside FIPS mode.
# Tried and dropped: mitigations=off (no measurable change to the
# alternatives patching, 0.4-0.8 s on all four), pci=noacpi (hangs: no timer
# interrupt).
kfast="8250.nr_uarts=2 initcall_blacklist=jent_mod_init"
mfast=""	# QEMU 7.0 has no i8042 machine property
"$QEMU" -machine pc,help 2>/dev/null | grep -q '^ *i8042=' && mfast=",i8042=off,vmport=off"
qargs=()
qemu_args() {	# qemu_args ACCEL KERNEL APPEND...: sets qargs
	local a=$1 k=$2
	shift 2
	qargs=(-nodefaults -no-user-config -display none -no-reboot
		-machine "pc,accel=$a$mfast" -smp 1 -m "$mem")
	[ -z "$bios" ] || qargs+=(-bios "$bios")
	# shellcheck disable=SC2054  # the commas are QEMU's
	qargs+=(-kernel "$k" -initrd "$work/initrd.cpio"
		-append "console=ttyS0 quiet panic=-1 cryptomgr.notests $kfast rdinit=/init $*"
		-serial "file:$work/console.log" -serial "file:$work/serial.raw"
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-device pvpanic -action panic=exit-failure
		-drive "file=$work/disk.img,if=none,id=scratch,format=raw,cache=unsafe"
		-device virtio-blk-pci,drive=scratch)
}
bios=""
for b in /usr/share/qemu/qboot.rom /usr/share/qboot/bios.bin; do
	[ -f "$b" ] && { bios=$b; break; }
done
boot_kernel=${vmlinux:-$image}

# KVM only after a probe boot under it worked on this host (DESIGN.md 4).
probe_file=$KBUILD/kvm-probe
if [ "$accel" = auto ]; then
	accel=tcg
	host_id="$(uname -r) $("$QEMU" --version | head -n 1)"
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		if [ "$(sed -n 2p "$probe_file" 2>/dev/null)" != "$host_id" ]; then
			rc=0
			qemu_args kvm "$boot_kernel" aioconf.probe=1
			timeout 15 "$QEMU" "${qargs[@]}" >"$work/probe.log" 2>&1 || rc=$?
			if [ $rc -eq 65 ]; then r=ok; else r="failed (QEMU status $rc)"; fi
			mkdir -p "$KBUILD"
			printf '%s\n%s\n' "$r" "$host_id" >"$probe_file"
			warn "KVM probe boot: $r; the result is kept in $probe_file"
		fi
		[ "$(sed -n 1p "$probe_file")" = ok ] && accel=kvm
	fi
fi
scale=${AIOCONF_TCG_SCALE:-5}
[ "$accel" = kvm ] && scale=${AIOCONF_KVM_SCALE:-2}
guestt=$((hostt * scale))
boot_limit=${AIOCONF_BOOT_LIMIT:-90}
idle_limit=$((guestt + 30))

: >"$work/serial.raw"
: >"$work/console.log"
qemu_args "$accel" "$boot_kernel" "aioconf.timeout=$guestt"
warn "booting $kname${release:+ ($release)} under ${accel^^}, ${#progs[@]} program(s), case timeout ${guestt} s${mods:+, modules}${vmlinux:+, PVH vmlinux}"
t0=$(date +%s.%N)
"$QEMU" "${qargs[@]}" >"$work/qemu.out" 2>&1 &
qpid=$!
# The runner's TAP, printed as it arrives, up to the results block.
tail -s 0.2 -c +1 -f --pid="$qpid" "$work/serial.raw" |
	awk '/^@@aioconf-results-begin@@/ { exit } { print; fflush() }' &
tailpid=$!

status="" first="" last_size=0 last_change=$t0
while kill -0 "$qpid" 2>/dev/null; do
	sleep 0.2
	now=$(date +%s.%N)
	size=$(stat -c %s "$work/serial.raw")
	if [ "$size" != "$last_size" ]; then
		last_size=$size last_change=$now
		[ -n "$first" ] || first=$(awk "BEGIN { printf \"%.2f\", $now - $t0 }")
	fi
	if [ -z "$first" ]; then
		limit=$boot_limit
	else
		limit=$idle_limit
	fi
	if awk "BEGIN { exit !($now - $last_change > $limit) }"; then
		status=hang
		kill "$qpid" 2>/dev/null || true
		break
	fi
done
qrc=0
wait "$qpid" || qrc=$?
qpid=""
t1=$(date +%s.%N)
wait "$tailpid" 2>/dev/null || true
tailpid=""

# ------------------------------------------------------------------
# Results
# ------------------------------------------------------------------
cp "$work/console.log" "$outdir/console.log"
# The TAP part of the serial stream (all of it when the run did not end).
awk '/^@@aioconf-results-begin@@/ { exit } { print }' "$work/serial.raw" >"$outdir/serial.tap"
end=$(grep -a '^@@aioconf-results-end rc=' "$work/serial.raw" | tail -n 1 || true)
guest_rc=""
if [ -n "$end" ]; then
	guest_rc=${end#*rc=}
	guest_rc=${guest_rc%@@*}
	if ! sed -n '/^@@aioconf-results-begin@@/,/^@@aioconf-results-end/p' "$work/serial.raw" |
	     sed '1d;$d' | base64 -d | tar -xzf - -C "$outdir" 2>"$work/untar.log"; then
		warn "the results block from the guest is damaged: $(head -n 2 "$work/untar.log")"
		guest_rc=""
	fi
fi
if [ -z "$status" ]; then
	if [ -n "$guest_rc" ]; then
		case "$guest_rc" in
		0) status=finished ;;
		1) status=failures ;;
		*) status=runner-error ;;
		esac
	else
		case $qrc in
		1) if [ -s "$work/qemu.out" ] && ! grep -q 'Kernel panic\|end Kernel panic' "$work/console.log"; then
			status=qemu-error
		   else
			status=panic
		   fi ;;
		0) status=died ;;	# reset or power-off without results
		*) status=qemu-error ;;
		esac
	fi
fi
guest_up=$(sed -n 's/^aioconf-init: up at \([0-9.]*\) s.*/\1/p' "$work/console.log" | head -n 1)
guest_runner=$(sed -n 's/^aioconf-init: runner starts at \([0-9.]*\) s.*/\1/p' "$work/console.log" | head -n 1)
{
	echo "kernel=$kname"
	echo "image=$image"
	echo "booted=$boot_kernel"
	echo "release=${release:-$(sed -n 's/.*kernel \([^ ]*\)$/\1/p' "$work/console.log" | head -n 1)}"
	echo "accel=$accel"
	echo "status=$status"
	echo "qemu_exit=$qrc"
	echo "runner_exit=$guest_rc"
	echo "case_timeout_s=$guestt"
	echo "programs=${#progs[@]}"
	echo "boot_to_first_output_s=$first"
	echo "guest_uptime_at_init_s=$guest_up"
	echo "guest_uptime_at_runner_s=$guest_runner"
	echo "total_s=$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }")"
	# The runner runs the programs one at a time in the order given (it
	# has --dmesg), so when the run did not finish, the first program
	# without a result line was running.
	if [ -z "$guest_rc" ]; then
		notrun=""
		for p in "${progs[@]}"; do
			case "/$p" in */cases/*/*) id=${p##*cases/} ;; *) id=$(basename "$p") ;; esac
			grep -qE "^(not )?ok [0-9]+ ${id//./\\.}( |$)" "$outdir/serial.tap" || notrun="$notrun $id"
		done
		set -f
		# shellcheck disable=SC2086
		set -- $notrun
		set +f
		echo "running_case=${1:-}"
		[ $# -eq 0 ] || shift
		echo "not_run=$*"
	fi
} >"$outdir/boot.env"
printf '%s\n' "${progs[@]}" >"$outdir/programs"

say_tail() {	# the console from the first oops/panic line, else its end
	local at
	at=$(grep -n -m 1 -E 'Kernel panic|BUG:|Oops|general protection|sysrq: |WARNING:|Call Trace' \
		"$outdir/console.log" | cut -d: -f1 || true)
	if [ -n "$at" ]; then
		warn "the console from line $at ($outdir/console.log):"
		tail -n +$((at > 3 ? at - 3 : 1)) "$outdir/console.log" | head -n 30 | sed 's/^/  | /' >&2
	else
		warn "last lines of the console ($outdir/console.log):"
		tail -n 25 "$outdir/console.log" | sed 's/^/  | /' >&2
	fi
}
case "$status" in
finished) exit 0 ;;
failures) exit 1 ;;
runner-error) warn "the runner in the guest ended with status $guest_rc"; say_tail; exit 2 ;;
panic) warn "$kname: the guest kernel panicked"; say_tail; exit 3 ;;
died) warn "$kname: the guest ended (reset or power-off) before the run finished"; say_tail; exit 3 ;;
hang) warn "$kname: no output for ${limit} s: killed QEMU (hang)"; say_tail; exit 4 ;;
*) warn "$kname: QEMU failed (status $qrc):"; sed 's/^/  | /' "$work/qemu.out" >&2; say_tail; exit 5 ;;
esac
