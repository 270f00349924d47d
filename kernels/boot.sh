#!/usr/bin/env bash
# aioconf: boot one kernel in QEMU and run programs in it with the runner.
#
#   kernels/boot.sh [options] NAME|PATH [-- PROG...]
#   kernels/boot.sh --check [options] NAME|PATH [-- PROG...]
#
# NAME     a kernel of kernels/kernels.conf (fetched first when missing, and
#          fetched again when the cached copy is damaged: cut short)
# PATH     a kernel image of your own: a bzImage (arch/x86/boot/bzImage),
#          an ELF vmlinux with a PVH note, or an arm64 Image
#          (arch/arm64/boot/Image); modules are optional (-m). When it
#          does not reach the runner, its .config (a file `config` or
#          `config-<release>` beside it, `.config` in a vmlinux's folder, or
#          the tree root of .../arch/x86/boot/bzImage) is checked against
#          kernels/guest.config, the options the guest needs
# PROG     static programs to run (default: every build/cases/*/*, for an
#          arm64 kernel build/arm64/cases/*/*); a PROG outside a cases/
#          folder is named by its basename
#
# An arm64 kernel (a NAME ending in -arm64, or an arm64 Image) boots under
# qemu-system-aarch64 (TCG, -M virt): console on its PL011 (ttyAMA0), the
# results on the virtio-serial port (else a PCI 16550, the guest's ttyS0),
# the runner and busybox of make cases-arm64, and no isa-debug-exit: the
# guest powers off through PSCI and the runner's status comes from the
# results' end line.
#
#   --check       validate everything that can be without booting (options,
#                 the kernel: a NAME is in kernels.conf and its cache, if
#                 any, is whole; a PATH's kind, length, payload, PVH note;
#                 programs exist, are executable and static; -a/-f/-k files;
#                 QEMU; TMPDIR), then exit 0, or print the problem and
#                 exit 2. Creates nothing. A boot runs the same validation.
#   -o DIR        results: the runner's summary.json, run.tap and one .tap
#                 per case, plus console.log, serial.tap, boot.env, programs
#                 (default build/kernels/runs/<kernel>-<time>)
#   -t SECS       per-case timeout as on the host (default 60); the guest
#                 uses SECS times $AIOCONF_TCG_SCALE (5) under TCG
#   -m DIR        modules of a PATH kernel: DIR/lib/modules/<release>/ as
#                 `make modules_install INSTALL_MOD_PATH=DIR` leaves it
#   -k FILE       known-failures list for the runner (--known)
#   -a FILE       an extra program for the programs, not run itself: the
#                 guest has it at <programs' folder>/../aux/<basename>
#                 (repeatable; static, like the programs)
#   -f FILE       a file the programs need beside them (a helper script, a
#                 data file), not run itself: copied (symlinks followed,
#                 mode kept) into the folder of the programs named by
#                 basename (progs/), so a program finds it as
#                 "$(dirname "$0")/<basename>" (repeatable; a name used
#                 twice, or also by a program, is an error)
#   --accel A     tcg, kvm or auto (default: auto = KVM only when a probe
#                 boot under KVM has succeeded on this host, else TCG)
#   --mem MB      guest memory (default 1024)
#   --cpus N      guest CPUs, QEMU -smp N (default 1; 1 to 64)
#
# Environment: AIOCONF_KERNEL_ARGS, extra kernel command-line arguments put
# last (e.g. 'rdinit=/bin/sleep -- 1000' replaces /init); AIOCONF_BOOT_LIMIT
# (90), seconds to wait for the runner's first output; AIOCONF_EXIT_GRACE
# (10), seconds QEMU gets to end after the results were sent (then it is
# killed and the run counts as ended with the runner's status);
# AIOCONF_QEMU (an x86-64 kernel's QEMU), AIOCONF_QEMU_ARM64 (an arm64
# kernel's), AIOCONF_ACCEL, AIOCONF_TCG_SCALE (5), AIOCONF_KVM_SCALE (2).
#
# Prints the runner's TAP as it arrives. Exit status:
#   0  the run finished without failures     1  finished with failures
#   2  usage or set-up error (bad kernel, no qemu, runner set-up error)
#   3  the guest panicked or died before the run finished
#   4  hang: no output from the runner for the per-case timeout plus a
#      margin (before its first output: AIOCONF_BOOT_LIMIT); killed
#   5  QEMU failed (its message is printed)
#   130 interrupted (SIGINT, SIGTERM, SIGHUP): QEMU is stopped, what came
#      so far is kept as on any other end, and DIR/INTERRUPTED is written
# On every failure it prints the stage the guest reached and the end of
# the console. DIR/boot.env says what happened as KEY=value lines:
#   status     finished, failures, runner-error, panic, died, hang,
#              qemu-error or interrupted
#   stage      the last stage the guest reached: none, kernel started (any
#              console output), /init ran, runner started, results sent
#   running_case, not_run  only when no whole results came: the program
#              that was running (empty when the runner had not started) and
#              the ids of those not started, blank-separated
#   killed     why QEMU was stopped: hang, after-results (it had not
#              ended AIOCONF_EXIT_GRACE s after the results), interrupt
#              (a signal to boot.sh, or to QEMU from elsewhere); empty
#              when QEMU ended by itself
#   and kernel, image, booted, release, accel, cpus, qemu_exit,
#   runner_exit, case_timeout_s, programs, boot_to_console_s (first
#   console output), boot_to_first_output_s (the runner's first output),
#   guest_uptime_at_init_s, guest_uptime_at_runner_s, total_s.
set -eu
PROG=boot.sh
. "$(dirname "$0")/lib.sh"

usage() { awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0"; }

check=0 outdir="" hostt=60 umods="" known="" accel=${AIOCONF_ACCEL:-auto} mem=1024 cpus=1
aux=() files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check=1 ;;
	-o) [ $# -ge 2 ] || die "-o needs a directory"; outdir=$2; shift ;;
	-t) [ $# -ge 2 ] || die "-t needs seconds"; hostt=$2; shift ;;
	-m) [ $# -ge 2 ] || die "-m needs a directory"; umods=$2; shift ;;
	-k) [ $# -ge 2 ] || die "-k needs a file"; known=$2; shift ;;
	-a) [ $# -ge 2 ] || die "-a needs a file"; aux+=("$2"); shift ;;
	-f) [ $# -ge 2 ] || die "-f needs a file"; files+=("$2"); shift ;;
	--accel) [ $# -ge 2 ] || die "--accel needs tcg, kvm or auto"; accel=$2; shift ;;
	--mem) [ $# -ge 2 ] || die "--mem needs megabytes"; mem=$2; shift ;;
	--cpus) [ $# -ge 2 ] || die "--cpus needs a number"; cpus=$2; shift ;;
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
progs=("$@")

# ------------------------------------------------------------------
# Interrupts and clean-up
# ------------------------------------------------------------------
work="" qpid="" tailpid="" childpid="" phase=setup interrupted=0 outdir_made=0
cleanup() {
	[ -z "$childpid" ] || kill "$childpid" 2>/dev/null || true
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	[ -z "$tailpid" ] || kill "$tailpid" 2>/dev/null || true
	[ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
# A signal while QEMU runs stops it, and the main loop then keeps what came
# (copy_out) and exits 130. Before that: keep what there is, exit 130.
on_signal() {
	[ "$phase" != ended ] || return 0	# the results are being kept anyway
	interrupted=1
	if [ "$phase" = run ]; then
		[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
		return 0
	fi
	[ -z "$childpid" ] || kill "$childpid" 2>/dev/null || true
	childpid=""
	if [ $outdir_made -eq 1 ]; then
		copy_out
		warn "$kname: interrupted before QEMU started; results in $outdir"
	fi
	exit 130
}
trap on_signal INT TERM HUP

# in_child CMD...: run CMD in the background and wait for it, so that a
# signal is handled at once (and stops CMD) instead of after CMD ends.
in_child() {
	local st=0
	"$@" &
	childpid=$!
	wait "$childpid" || st=$?
	childpid=""
	return $st
}

# ------------------------------------------------------------------
# Validation: all that can be checked without booting (--check stops after
# it). Sets work (a private temporary directory), QEMU, the programs and
# the kernel's variables; creates nothing else.
# ------------------------------------------------------------------
# guest_name PROG: where the guest has PROG, relative to its programs'
# root: cases/<area>/<topic> or progs/<basename> (initramfs.sh).
guest_name() {	# sets g (no subshell: it runs for every program)
	case "/$1" in
	*/cases/*/*) g=cases/${1##*cases/} ;;
	*) g=progs/${1##*/} ;;
	esac
}

# config_candidates IMAGE: where the .config of a kernel image of one's
# own may be; find_config IMAGE: the first that exists, if any.
config_candidates() {
	local img d b
	img=$(realpath -- "$1" 2>/dev/null || echo "$1")
	d=$(dirname "$img")
	b=$(basename "$img")
	echo "$d/config"
	case "$b" in vmlinuz-*|bzImage-*|vmlinux-*) echo "$d/config-${b#*-}" ;; esac
	echo "$d/.config"
	case "$d" in */arch/*/boot) echo "$(dirname "$(dirname "$(dirname "$d")")")/.config" ;; esac
}
find_config() {
	local c
	while read -r c; do
		[ -f "$c" ] && { echo "$c"; return 0; }
	done < <(config_candidates "$1")
	return 0
}

validate() {
	local p g seen=" " aseen=" " why kind x sum
	[[ $hostt =~ ^[0-9]+$ ]] && [ "$hostt" -gt 0 ] || die "-t wants whole seconds above 0, not '$hostt'"
	[[ $mem =~ ^[0-9]+$ ]] && [ "$mem" -ge 256 ] || die "--mem wants megabytes, at least 256, not '$mem'"
	[[ $cpus =~ ^[0-9]+$ ]] && [ "$cpus" -ge 1 ] && [ "$cpus" -le 64 ] ||
		die "--cpus wants a number from 1 to 64, not '$cpus'"
	case "$accel" in tcg|kvm|auto) ;; *) die "--accel wants tcg, kvm or auto, not '$accel'" ;; esac

	# A private temporary directory (the initramfs, the disk image).
	if [ -n "${TMPDIR:-}" ] && { [ ! -d "$TMPDIR" ] || [ ! -w "$TMPDIR" ]; }; then
		die "TMPDIR=$TMPDIR: not a writable directory (unset it or point it at one)"
	fi
	work=$(mktemp -d "${TMPDIR:-/tmp}/aioconf-boot.XXXXXX" 2>/dev/null) ||
		die "cannot make a temporary directory in ${TMPDIR:-/tmp}${TMPDIR:+ (TMPDIR)}: set TMPDIR to a writable directory"
	: >"$work/serial.raw"
	: >"$work/console.log"

	need mkfs.ext4 e2fsprogs
	need cpio cpio
	need base64 coreutils
	[ -z "$known" ] || { [ -f "$known" ] && [ -r "$known" ]; } || die "-k $known: cannot read it"
	if [ -n "$outdir" ]; then
		p=$outdir
		while [ ! -e "$p" ]; do p=$(dirname "$p"); done
		[ -d "$p" ] && [ -w "$p" ] || die "-o $outdir: $p is not a writable directory"
	fi

	# The kernel's architecture decides the QEMU and the programs.
	karch=amd64
	if [[ $kernel != */* ]] && conf_line "$kernel" >/dev/null; then
		karch=$(conf_arch "$kernel")
	elif [ -f "$kernel" ] && [ "$(kernel_kind "$kernel" 2>/dev/null)" = arm64 ]; then
		karch=arm64
	fi
	if [ "$karch" = arm64 ]; then
		QEMU=${AIOCONF_QEMU_ARM64:-qemu-system-aarch64}
		command -v "$QEMU" >/dev/null 2>&1 ||
			die "'$QEMU' is missing: install it with: apt-get install -y qemu-system-arm (as root, or with sudo)"
		[ "$accel" != kvm ] || die "--accel kvm: an arm64 guest runs under TCG on this $(uname -m) machine"
	else
		QEMU=${AIOCONF_QEMU:-qemu-system-x86_64}
		command -v "$QEMU" >/dev/null 2>&1 ||
			die "'$QEMU' is missing: install it with: apt-get install -y qemu-system-x86 (as root, or with sudo)"
	fi

	# The programs, and the files that go with them.
	if [ ${#progs[@]} -eq 0 ]; then
		local cdir=build/cases make=all
		[ "$karch" = amd64 ] || cdir=build/arm64/cases make=cases-arm64
		for p in "$KROOT/$cdir"/*/*; do
			[ -f "$p" ] && [ -x "$p" ] && progs+=("$p")
		done
		[ ${#progs[@]} -gt 0 ] || die "no case programs in $cdir (run: make -s $make)"
	fi
	for p in "${progs[@]}"; do
		[ -f "$p" ] && [ -x "$p" ] || die "$p: no such executable"
		guest_name "$p"
		case "$seen" in *" $g "*) die "$p: two programs would be $g in the guest (the same name)" ;; esac
		seen="$seen$g "
	done
	p=$(first_unfit "$karch" "${progs[@]}")
	[ -z "$p" ] || die "${p%%	*} ${p#*	}"
	for p in ${aux[@]+"${aux[@]}"}; do
		[ -f "$p" ] && [ -x "$p" ] || die "-a $p: not an executable file"
		x=$(first_unfit "$karch" "$p")
		[ -z "$x" ] || die "-a $p ${x#*	}"
		g=aux/${p##*/}
		case "$aseen" in *" $g "*) die "-a $p: two files would be $g in the guest" ;; esac
		aseen="$aseen$g "
	done
	for p in ${files[@]+"${files[@]}"}; do
		[ -f "$p" ] && [ -r "$p" ] || die "-f $p: not a readable file"
		g=progs/$(basename "$p")
		case "$seen" in *" $g "*) die "-f $p: $g in the guest is already a program's or another -f file's name" ;; esac
		seen="$seen$g "
	done

	# The kernel.
	image="" vmlinux="" mods="" release="" kconfig="" fetch_mode="" fetch_why="" is_path=0 mroot="" mrel=""
	if [[ $kernel != */* ]] && conf_line "$kernel" >/dev/null; then
		kname=$kernel
		kdir=$KBUILD/$kernel
		[ -z "$umods" ] || die "-m is for a kernel given by PATH"
		# The next release, when Debian has none newer (kernels/fetch.sh).
		if [ -s "$kdir/ABSENT" ] && [ "$(cat "$kdir/conf" 2>/dev/null)" = "$(conf_line "$kernel")" ]; then
			die "kernel $kernel is absent: $(cat "$kdir/ABSENT") (kernels/fetch.sh --refresh $kernel looks again)"
		fi
		if [ ! -s "$kdir/release" ] || [ "$(cat "$kdir/conf" 2>/dev/null)" != "$(conf_line "$kernel")" ]; then
			fetch_mode=fetch
		elif ! fetch_why=$(cache_check "$kdir"); then
			# --check passes it: the boot fetches it again before QEMU sees it.
			[ $check -eq 0 ] ||
				warn "$kernel: the cached kernel in $kdir is damaged ($fetch_why): the boot fetches it again"
			fetch_mode=refresh
		fi
		[ -n "$fetch_mode" ] || release=$(cat "$kdir/release")
	elif [ -e "$kernel" ]; then
		is_path=1
		kind=$(kernel_kind "$kernel") || die "$kernel: $kind"
		kname=$(basename "$kernel")
		sum=$(sha256sum "$kernel" | cut -c1-16)
		kdir=$KBUILD/user/$sum
		image=$kernel
		if [ "$kind" = arm64 ]; then
			release=$(strings -n 8 "$kernel" 2>/dev/null | sed -n 's/^Linux version \([^ ]*\) (.*/\1/p' | head -n 1 || true)
		elif [ "$kind" = elf ]; then
			why=$(elf_check "$kernel") || die "$kernel: $why"
			has_pvh_note "$kernel" ||
				die "$kernel: an ELF without the PVH entry note (CONFIG_PVH=y) cannot be booted; give the bzImage"
			vmlinux=$kernel
		else
			if [ -s "$kdir/vmlinux" ] && elf_check "$kdir/vmlinux" >/dev/null; then
				vmlinux=$kdir/vmlinux
			else
				x=0
				bzimage_to_vmlinux "$kernel" "$work/vmlinux" 2>/dev/null || x=$?
				case $x in
				0) vmlinux=$work/vmlinux ;;	# kept under $kdir by a boot
				3) die "$kernel: corrupt bzImage: its compressed kernel does not decompress" ;;
				esac
			fi
			release=$(strings -n 8 "$kernel" 2>/dev/null | sed -n 's/^\([0-9][^ ]*\) (.*#.*/\1/p' | head -n 1 || true)
		fi
		kconfig=$(find_config "$kernel")
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
		fi
	else
		die "'$kernel' is neither a kernel of $KCONF ($(conf_names | tr '\n' ' ')) nor a file"
	fi
}

validate
if [ $check -eq 1 ]; then
	case "$fetch_mode" in
	fetch) k="$kname (not fetched yet: a boot fetches it)" ;;
	*) k="$kname${release:+ ($release)}" ;;
	esac
	echo "$PROG: --check: ok: kernel $k, ${#progs[@]} program(s)${files[0]+, ${#files[@]} file(s)}"
	exit 0
fi

# ------------------------------------------------------------------
# The kernel, made ready
# ------------------------------------------------------------------
if [ $is_path -eq 0 ]; then
	if [ -n "$fetch_mode" ]; then
		set --
		if [ "$fetch_mode" = refresh ]; then
			warn "$kname: the cached kernel in $kdir is damaged ($fetch_why): fetching it again"
			set -- --refresh
		fi
		in_child "$KROOT/kernels/fetch.sh" "$@" "$kernel" >&2 || die "kernel $kernel could not be fetched (see above)"
		[ ! -s "$kdir/ABSENT" ] || die "kernel $kernel is absent: $(cat "$kdir/ABSENT")"
		why=$(cache_check "$kdir") || die "$kernel: the kernel fetched into $kdir is damaged too ($why)"
	fi
	image=$kdir/vmlinuz
	[ -s "$kdir/vmlinux" ] && vmlinux=$kdir/vmlinux
	[ -d "$kdir/modules/lib/modules" ] && mods=$kdir/modules
	release=$(cat "$kdir/release")
	[ -f "$kdir/config" ] && kconfig=$kdir/config
else
	mkdir -p "$kdir"
	if [ "$vmlinux" = "$work/vmlinux" ]; then
		mv -f "$work/vmlinux" "$kdir/vmlinux.$$" && mv -f "$kdir/vmlinux.$$" "$kdir/vmlinux"
		vmlinux=$kdir/vmlinux
	fi
	if [ -n "$mrel" ]; then
		[ -z "$release" ] || [ "$release" = "$mrel" ] ||
			warn "note: the image says release $release, the modules are $mrel"
		rm -rf "$kdir/modules"
		pick_modules "$kname" "$mroot/$mrel" "$kdir/modules" "$mrel" ||
			die "-m $umods: cannot prepare the modules"
		mods=$kdir/modules
	fi
fi

# ------------------------------------------------------------------
# Where things go, and what a run leaves there (copy_out: at the normal
# end and on an interrupt alike)
# ------------------------------------------------------------------
if [ -z "$outdir" ]; then
	outdir=$KBUILD/runs/$kname-$(date -u +%Y%m%dT%H%M%SZ)
fi
mkdir -p "$outdir" || die "cannot create $outdir"
outdir=$(cd "$outdir" && pwd)
rm -f "$outdir/INTERRUPTED"

status="" qrc="" t0="" t1="" first="" cfirst="" killed="" guest_rc="" stage=none guestt=""
STAGES=("kernel started" "/init ran" "runner started" "results sent")
# The runner's "# results in /results (T s)" names the guest's folder: name
# the host's instead (a sed command).
HOST_RESULTS="s/^# results in \/results (/# results in $(printf '%s\n' "$outdir" | sed 's/[\/&]/\\&/g') (/"

copy_out() {
	local end id p notrun
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
		elif [ -f "$outdir/run.tap" ]; then
			sed "$HOST_RESULTS" "$outdir/run.tap" >"$work/run.tap" &&
				cat "$work/run.tap" >"$outdir/run.tap"
		fi
	fi
	if [ $interrupted -eq 1 ]; then
		status=interrupted
	elif [ -z "$status" ]; then
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
			0) if grep -aq 'Kernel panic' "$work/console.log"; then
				status=panic	# arm64: panic=-1 reboots, -no-reboot ends QEMU
			   else
				status=died	# reset or power-off without results
			   fi ;;
			*) status=qemu-error ;;
			esac
		fi
	fi
	stage=none
	[ -s "$work/console.log" ] && stage=${STAGES[0]}
	grep -aq '^aioconf-init: up at' "$work/console.log" && stage=${STAGES[1]}
	grep -aq '^aioconf-init: runner starts at' "$work/console.log" && stage=${STAGES[2]}
	grep -aq '^@@aioconf-results-begin@@' "$work/serial.raw" && stage=${STAGES[3]}
	guest_up=$(sed -n 's/^aioconf-init: up at \([0-9.]*\) s.*/\1/p' "$work/console.log" | head -n 1)
	guest_runner=$(sed -n 's/^aioconf-init: runner starts at \([0-9.]*\) s.*/\1/p' "$work/console.log" | head -n 1)
	{
		echo "kernel=$kname"
		echo "image=$image"
		echo "booted=${vmlinux:-$image}"
		echo "release=${release:-$(tr -d '\r' <"$work/console.log" | sed -n 's/^aioconf-init: up at .*, kernel \([^ ]*\)$/\1/p' | head -n 1)}"
		echo "accel=$accel"
		echo "cpus=$cpus"
		echo "status=$status"
		echo "stage=$stage"
		echo "killed=$killed"
		echo "qemu_exit=$qrc"
		echo "runner_exit=$guest_rc"
		echo "case_timeout_s=$guestt"
		echo "programs=${#progs[@]}"
		echo "boot_to_console_s=$cfirst"
		echo "boot_to_first_output_s=$first"
		echo "guest_uptime_at_init_s=$guest_up"
		echo "guest_uptime_at_runner_s=$guest_runner"
		if [ -n "$t0" ] && [ -n "$t1" ]; then
			echo "total_s=$(elapsed "$t1")"
		else
			echo "total_s="
		fi
		# The runner runs the programs one at a time in the order given
		# (it has --dmesg), so when the run did not finish, the first
		# program without a result line was running, if the runner had
		# started.
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
			if [ -n "$guest_runner" ]; then
				echo "running_case=${1:-}"
				[ $# -eq 0 ] || shift
			else
				echo "running_case="
			fi
			echo "not_run=$*"
		fi
	} >"$outdir/boot.env"
	printf '%s\n' "${progs[@]}" >"$outdir/programs"
	[ $interrupted -eq 0 ] || : >"$outdir/INTERRUPTED"
}
outdir_made=1

# The programs go on the scratch disk when the kernel surely has virtio-blk
# (the modules hold it, or the config says it is built in), else into the
# initramfs.
ondisk=""
if grep -qs '/virtio_blk\.ko$' "${mods:-/nonexistent}/load" ||
   grep -qs '^CONFIG_VIRTIO_BLK=y' "${kconfig:-/nonexistent}"; then
	ondisk=$work/disk
	mkdir -p "$ondisk"
fi
iargs=()
for p in ${aux[@]+"${aux[@]}"}; do iargs+=(-a "$p"); done
for p in ${files[@]+"${files[@]}"}; do iargs+=(-f "$p"); done
in_child "$KROOT/kernels/initramfs.sh" -o "$work/initrd.cpio" --arch "$karch" ${mods:+-m "$mods"} \
	${ondisk:+-d "$ondisk"} ${known:+-k "$known"} ${iargs[@]+"${iargs[@]}"} -- "${progs[@]}" ||
	die "could not build the initramfs"
# The scratch ext4 for TMPDIR: inode tables and journal made here, so the
# guest's ext4lazyinit has nothing to do under emulation.
truncate -s 512M "$work/disk.img"
in_child mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 ${ondisk:+-d "$ondisk"} \
	"$work/disk.img" >/dev/null || die "mkfs.ext4 failed"
# An empty NVMe namespace for the cases that need a real block device with
# polled queues (IORING_SETUP_IOPOLL) or a command passthrough char device
# (/dev/ng0n1, IORING_OP_URING_CMD). Debian's kernels have NVMe built in;
# nvme.poll_queues=1 gives it one polled queue. Sparse: costs no disk.
truncate -s 64M "$work/nvme.img"

# ------------------------------------------------------------------
# QEMU
# ------------------------------------------------------------------
# Boot time under TCG (DESIGN.md 4; kernel initcall_debug timings, host
# noise makes whole-boot medians swing by +-1 s, so gains are per initcall):
#  - i8042=off,vmport=off (QEMU machine): no PS/2 controller, so no i8042
#    probe and no AT keyboard; vmport needs the i8042. i8042_init drops
#    from 6-12 ms to 2 ms and the keyboard's input device goes.
#  - 8250.nr_uarts=2: only ttyS0 (console) and ttyS1 (results without
#    virtio_console) are set up;
#    serial8250_init 9-30 ms -> 7-14 ms.
#  - initcall_blacklist=jent_mod_init: no jitterentropy RNG self-test, 150 ms
#    on 6.12 (the others do not run it at boot); the DRBG goes on without it
#    outside FIPS mode.
# Tried and dropped: mitigations=off (no measurable change to the
# alternatives patching, 0.4-0.8 s on all four), pci=noacpi (hangs: no timer
# interrupt), `quiet`: 6.1 with build/fixtures/pass, QEMU's wall time,
# median of 5 interleaved boots: 1.94 s with quiet, 1.97 s without (the
# ~340 lines of boot log cost nothing measurable), so every kernel boots
# without it: the console then shows how far a kernel got.
# rcu_nocbs=0: the guest's CPU hands its RCU callbacks to the rcuo
# kthreads. A grace period that io_destroy(2) and a process's exit with an
# AIO context wait for (twice: percpu_ref_kill) then ends in ~0.3 ms instead
# of 2 jiffies: io_setup+io_destroy 16 -> 0.5 ms on 7.3, 24 -> 12 ms on
# 6.1; the cases' aio/ went from 12.5 to 3.0 s on 7.3 and a whole 7.3 run
# from 68 to 55 s (measured 2026-12-07). It changes when callbacks run, not
# what any call returns: every kernel's results stayed the same. 5.10's
# cloud kernel lacks CONFIG_RCU_NOCB_CPU and passes the word to /init,
# which ignores it.
kfast="initcall_blacklist=jent_mod_init rcu_nocbs=0"
mfast=""	# QEMU 7.0 has no i8042 machine property
[ "$karch" = arm64 ] ||
	! "$QEMU" -machine pc,help 2>/dev/null | grep -q '^ *i8042=' || mfast=",i8042=off,vmport=off"
# arm64: QEMU's virt board with a Neoverse N1 (Armv8.2 with LSE atomics,
# the cores of Graviton2 and Ampere Altra); its PL011 is the console, and a
# PCI 16550 (the guest's ttyS0: the cloud-arm64 kernels build 8250_pci in)
# carries the results when virtio-serial cannot. No pvpanic or isa-debug-exit: a panic reboots, and
# -no-reboot ends QEMU (status 0; the console tells a panic).
qargs=()
qemu_args() {	# qemu_args ACCEL KERNEL APPEND...: sets qargs
	local a=$1 k=$2
	shift 2
	qargs=(-nodefaults -no-user-config -display none -no-reboot -smp "$cpus" -m "$mem")
	# shellcheck disable=SC2054  # the commas are QEMU's
	if [ "$karch" = arm64 ]; then
		qargs+=(-machine "virt,accel=$a" -cpu neoverse-n1 -kernel "$k" -initrd "$work/initrd.cpio"
			-append "console=ttyAMA0 panic=-1 cryptomgr.notests $kfast rdinit=/init nvme.poll_queues=1 aioconf.results=ttyS0 $*${AIOCONF_KERNEL_ARGS:+ $AIOCONF_KERNEL_ARGS}"
			-serial "file:$work/console.log"
			-chardev "file,id=results-tty,path=$work/serial.raw,append=on" -device pci-serial,chardev=results-tty)
	else
		qargs+=(-machine "pc,accel=$a$mfast")
		[ -z "$bios" ] || qargs+=(-bios "$bios")
		qargs+=(-kernel "$k" -initrd "$work/initrd.cpio"
			-append "console=ttyS0 panic=-1 cryptomgr.notests 8250.nr_uarts=2 $kfast rdinit=/init nvme.poll_queues=1 $*${AIOCONF_KERNEL_ARGS:+ $AIOCONF_KERNEL_ARGS}"
			-serial "file:$work/console.log"
			-chardev "file,id=results-tty,path=$work/serial.raw,append=on" -serial chardev:results-tty
			-device isa-debug-exit,iobase=0xf4,iosize=0x04
			-device pvpanic -action panic=exit-failure)
	fi
	# The results' fast way: a virtio-serial port named aioconf.results,
	# into the same file as the serial port above (both append; /init
	# writes to one of them).
	# shellcheck disable=SC2054  # the commas are QEMU's
	qargs+=(-device virtio-serial-pci,max_ports=2
		-chardev "file,id=results,path=$work/serial.raw,append=on"
		-device virtserialport,chardev=results,name=aioconf.results)
	# shellcheck disable=SC2054  # the commas are QEMU's
	qargs+=(-drive "file=$work/disk.img,if=none,id=scratch,format=raw,cache=unsafe"
		-device virtio-blk-pci,drive=scratch
		-drive "file=$work/nvme.img,if=none,id=nvme,format=raw,cache=unsafe"
		-device nvme,serial=aioconf,drive=nvme)
}
bios=""
for b in /usr/share/qemu/qboot.rom /usr/share/qboot/bios.bin; do
	[ "$karch" = amd64 ] && [ -f "$b" ] && { bios=$b; break; }
done
boot_kernel=${vmlinux:-$image}

# KVM only after a probe boot under it worked on this host (DESIGN.md 4).
probe_file=$KBUILD/kvm-probe
if [ "$accel" = auto ] && [ "$karch" = arm64 ]; then
	accel=tcg
elif [ "$accel" = auto ]; then
	accel=tcg
	host_id="$(uname -r) $("$QEMU" --version | head -n 1)"
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		if [ "$(sed -n 2p "$probe_file" 2>/dev/null)" != "$host_id" ]; then
			rc=0
			qemu_args kvm "$boot_kernel" aioconf.probe=1
			in_child timeout 15 "$QEMU" "${qargs[@]}" >"$work/probe.log" 2>&1 || rc=$?
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
grace=${AIOCONF_EXIT_GRACE:-10}

: >"$work/serial.raw"
: >"$work/console.log"
qemu_args "$accel" "$boot_kernel" "aioconf.timeout=$guestt"
warn "booting $kname${release:+ ($release)} under ${accel^^}, ${#progs[@]} program(s), case timeout ${guestt} s${mods:+, modules}${vmlinux:+, PVH vmlinux}$([ "$cpus" -eq 1 ] || echo ", $cpus CPUs")"
# QEMU in a session of its own: a Ctrl-C typed on the terminal reaches it
# only through boot.sh (on_signal), which then keeps what came. (An async
# child of a non-interactive shell is no group leader: setsid execs QEMU
# without forking, so $! is QEMU.)
setsid=()
command -v setsid >/dev/null 2>&1 && setsid=(setsid)
phase=run
t0=$EPOCHREALTIME
${setsid[@]+"${setsid[@]}"} "$QEMU" "${qargs[@]}" >"$work/qemu.out" 2>&1 &
qpid=$!
# The runner's TAP, printed as it arrives (sed -u: mawk would wait for a
# full input buffer), up to the results block.
tail -s 0.2 -c +1 -f --pid="$qpid" "$work/serial.raw" |
	sed -u -e '/^@@aioconf-results-begin@@/Q' -e "$HOST_RESULTS" &
tailpid=$!

# The watch: QEMU's end at once (every 0.2 s), the serial stream's growth
# and a hang every second. Times are microseconds from $EPOCHREALTIME and
# the limits whole seconds, so one pass forks only sleep: a loop of date,
# awk and stat cost ~0.1 s of CPU per second of a run, ~5 s of a matrix
# kernel's ~45 (measured 2026-12-07).
usecs() { us=${1/[.,]/}; us=$((10#$us)); }	# "S.UUUUUU" -> $us
elapsed() { usecs "$1"; local d=$((us - t0us)); printf '%d.%02d' $((d / 1000000)) $((d % 1000000 / 10000)); }
usecs "$t0"
t0us=$us
last_size=0 last_change=$t0us ended_at="" pass=0
while [ $interrupted -eq 0 ] && kill -0 "$qpid" 2>/dev/null; do
	sleep 0.2
	pass=$((pass + 1))
	[ $((pass % 5)) -eq 0 ] || continue
	now=$EPOCHREALTIME
	usecs "$now"
	nowus=$us
	[ -n "$cfirst" ] || [ ! -s "$work/console.log" ] || cfirst=$(elapsed "$now")
	size=$(stat -c %s "$work/serial.raw")
	if [ "$size" != "$last_size" ]; then
		last_size=$size last_change=$nowus
		[ -n "$first" ] || first=$(elapsed "$now")
		# The results are whole once their end line is there.
		[ -n "$ended_at" ] || ! tail -c 200 "$work/serial.raw" | grep -aq '^@@aioconf-results-end rc=' ||
			ended_at=$nowus
	fi
	if [ -n "$ended_at" ]; then
		# QEMU should end at once; a power-off can hang (no ACPI).
		if [ $((nowus - ended_at)) -gt $((grace * 1000000)) ]; then
			killed=after-results
			kill "$qpid" 2>/dev/null || true
			break
		fi
		continue
	fi
	if [ -z "$first" ]; then
		limit=$boot_limit
	else
		limit=$idle_limit
	fi
	if [ $((nowus - last_change)) -gt $((limit * 1000000)) ]; then
		status=hang killed=hang
		kill "$qpid" 2>/dev/null || true
		break
	fi
done
if [ $interrupted -eq 1 ]; then
	killed=interrupt
	kill "$qpid" 2>/dev/null || true
fi
# Wait for QEMU (again when a signal cut the wait short).
while :; do
	qrc=0
	wait "$qpid" || qrc=$?
	kill -0 "$qpid" 2>/dev/null || break
done
qpid="" phase=ended
t1=$EPOCHREALTIME
# QEMU stopped by a signal that did not come from boot.sh: interrupted too.
[ -n "$killed" ] || ! grep -q 'terminating on signal' "$work/qemu.out" || interrupted=1 killed=interrupt
wait "$tailpid" 2>/dev/null || true
tailpid=""

# ------------------------------------------------------------------
# Results
# ------------------------------------------------------------------
copy_out

say_tail() {	# the console from the first oops/panic line, else its end
	local at
	at=$(grep -n -m 1 -E 'Kernel panic|BUG:|Oops|general protection|sysrq: |WARNING:|Call Trace' \
		"$outdir/console.log" | cut -d: -f1 || true)
	if [ -n "$at" ]; then
		warn "the console from line $at ($outdir/console.log):"
		tail -n +$((at > 3 ? at - 3 : 1)) "$outdir/console.log" | head -n 30 | sed 's/^/  | /' >&2
	elif [ -s "$outdir/console.log" ]; then
		warn "last lines of the console ($outdir/console.log):"
		tail -n 25 "$outdir/console.log" | sed 's/^/  | /' >&2
	else
		warn "the console is empty ($outdir/console.log)"
	fi
}
say_stage() {	# how far the guest got
	local i next=""
	for i in "${!STAGES[@]}"; do
		[ "${STAGES[$i]}" = "$stage" ] && next=${STAGES[$((i + 1))]:-}
	done
	[ "$stage" != none ] || next=${STAGES[0]}
	if [ "$stage" = none ]; then
		warn "$kname: reached: nothing (no console output); not reached: $next"
	else
		warn "$kname: reached: $stage${next:+; not reached: $next}"
	fi
}
# A kernel of one's own that did not reach the runner: what it may lack.
say_needs() {
	local lacks
	[ $is_path -eq 1 ] || return 0
	case "$stage" in "runner started"|"results sent") return 0 ;; esac
	if [ "$karch" = arm64 ]; then	# kernels/guest.config is x86-64's
		warn "an arm64 guest needs CONFIG_SERIAL_AMBA_PL011_CONSOLE, CONFIG_SERIAL_8250_PCI," \
			"CONFIG_BLK_DEV_INITRD, CONFIG_DEVTMPFS and CONFIG_ARM_PSCI_FW"
		return 0
	fi
	if [ -n "$kconfig" ]; then
		lacks=$(config_lacks "$kconfig")
		if [ -n "$lacks" ]; then
			warn "$kconfig lacks options the guest needs (kernels/guest.config):"
			printf '%s\n' "$lacks" | sed 's/^/  /' >&2
		else
			warn "$kconfig has every option of kernels/guest.config"
		fi
	else
		warn "no .config found for $kernel (looked for: $(config_candidates "$kernel" | tr '\n' ' ' | sed 's/ $//'))"
		warn "the kernel needs the options of $KROOT/kernels/guest.config; the boot-critical ones:" \
			"CONFIG_ACPI, CONFIG_HPET_TIMER, CONFIG_X86_IOPL_IOPERM, CONFIG_SERIAL_8250_CONSOLE," \
			"CONFIG_BLK_DEV_INITRD, CONFIG_DEVTMPFS"
	fi
}
failed() {	# failed MESSAGE: the failure, how far the guest got, the console
	warn "$*"
	say_stage
	say_tail
	case "$status" in panic|died|hang) say_needs ;; esac
}

# The guest's way out: isa-debug-exit, or a power-off when that failed.
got="were not received"
[ -z "$guest_rc" ] || got="were received"
if grep -aq 'guest-exit: ioperm:' "$outdir/console.log"; then
	warn "the guest could not use ioperm (CONFIG_X86_IOPL_IOPERM?): it powered off instead of exiting through isa-debug-exit; results $got"
elif grep -aq 'guest-exit: no isa-debug-exit device' "$outdir/console.log"; then
	warn "QEMU has no isa-debug-exit device at 0xf4: the guest powered off instead of exiting through isa-debug-exit; results $got"
fi
[ "$killed" != after-results ] ||
	warn "QEMU had not ended ${grace} s after the results came (a power-off that hangs?): killed it; the run ended with the runner's status $guest_rc"

case "$status" in
finished) exit 0 ;;
failures) exit 1 ;;
interrupted) warn "$kname: interrupted: QEMU stopped; what came so far is in $outdir"; exit 130 ;;
runner-error) failed "the runner in the guest ended with status $guest_rc"; exit 2 ;;
panic) failed "$kname: the guest kernel panicked"; exit 3 ;;
died) failed "$kname: the guest ended (reset or power-off) before the run finished"; exit 3 ;;
hang) failed "$kname: no output from the runner for ${limit} s: killed QEMU (hang)"; exit 4 ;;
*) failed "$kname: QEMU failed (status $qrc): $(sed 's/^/  | /' "$work/qemu.out")"; exit 5 ;;
esac
