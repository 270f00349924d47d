# shellcheck shell=bash disable=SC2034  # sourced; sets variables for its callers
# aioconf kernels/: helpers shared by fetch.sh, initramfs.sh and boot.sh.
# Sourced, not run. Callers set PROG (their name, for messages) and use
# `set -eu`.

KROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KCONF=${AIOCONF_KERNELS_CONF:-$KROOT/kernels/kernels.conf}
KBUILD=${AIOCONF_KERNELS_DIR:-$KROOT/build/kernels}

warn() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { warn "$*"; exit 2; }

# need CMD PACKAGE: CMD must be on PATH; otherwise name the install command.
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	die "'$1' is missing: install it with: apt-get install -y $2 (as root, or with sudo)"
}

# The kernels.conf line of NAME, fields separated by single spaces; fails
# when there is none.
conf_line() {
	local name=$1 line
	[ -r "$KCONF" ] || die "cannot read $KCONF"
	while read -r line; do
		line=${line%%#*}
		set -f
		# shellcheck disable=SC2086  # split into fields on purpose
		set -- $line
		set +f
		[ $# -ge 3 ] || continue
		if [ "$1" = "$name" ]; then
			echo "$*"
			return 0
		fi
	done <"$KCONF"
	return 1
}

# Every kernel name in kernels.conf, one a line.
# conf_arch NAME: the Debian architecture of a kernels.conf kernel: arm64
# for a NAME ending in -arm64, else amd64 (kernels.conf says so).
conf_arch() {
	case "$1" in *-arm64) echo arm64 ;; *) echo amd64 ;; esac
}
conf_names() {
	local line
	while read -r line; do
		line=${line%%#*}
		set -f
		# shellcheck disable=SC2086
		set -- $line
		set +f
		[ $# -ge 3 ] && echo "$1"
	done <"$KCONF"
	return 0
}

# ------------------------------------------------------------------
# The system's apt mirror
# ------------------------------------------------------------------

# Prints "URI SUITE" for every enabled `deb` source of the system: one-line
# sources.list files and deb822 *.sources files.
system_apt_sources() {
	local f line
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		while read -r line; do
			line=${line%%#*}
			set -f
			# shellcheck disable=SC2086
			set -- $line
			set +f
			[ $# -ge 3 ] && [ "$1" = deb ] || continue
			shift
			if [ "${1#[}" != "$1" ]; then	# [ options ]
				while [ $# -gt 0 ] && [ "${1%]}" = "$1" ]; do shift; done
				shift
			fi
			[ $# -ge 2 ] && echo "$1 $2"
		done <"$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# One stanza per blank-line separated paragraph.
		awk '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled != "no")
					for (i = 1; i <= nu; i++)
						for (j = 1; j <= ns; j++)
							print u[i], s[j]
				types = ""; enabled = ""; nu = 0; ns = 0
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				key = tolower($1); sub(/:$/, "", key)
				if (key == "types") { types = ""; for (k = 2; k <= NF; k++) types = types " " $k; types = types " " }
				else if (key == "uris") { for (k = 2; k <= NF; k++) u[++nu] = $k }
				else if (key == "suites") { for (k = 2; k <= NF; k++) s[++ns] = $k }
				else if (key == "enabled") enabled = tolower($2)
			}
			END { flush() }
		' "$f"
	done
	return 0
}

# Debian release names a main-archive source may carry.
is_debian_suite() {
	case "$1" in
	buster|bullseye|bookworm|trixie|forky|duke|sid|unstable|testing|stable|oldstable|oldoldstable) return 0 ;;
	esac
	return 1
}

# The URI of the Debian archive the system uses ($AIOCONF_MIRROR first).
main_mirror() {
	if [ -n "${AIOCONF_MIRROR:-}" ]; then echo "$AIOCONF_MIRROR"; return 0; fi
	local uri suite base
	while read -r uri suite; do
		base=${suite%-updates}
		is_debian_suite "$base" || continue
		case "$uri" in http://*|https://*|file:/*) ;; *) continue ;; esac
		echo "${uri%/}"
		return 0
	done < <(system_apt_sources)
	return 1
}

# The URI of the security archive ($AIOCONF_SECURITY_MIRROR first; none
# when AIOCONF_MIRROR is set without it).
security_mirror() {
	if [ -n "${AIOCONF_SECURITY_MIRROR:-}" ]; then echo "$AIOCONF_SECURITY_MIRROR"; return 0; fi
	[ -z "${AIOCONF_MIRROR:-}" ] || return 1
	local uri suite
	while read -r uri suite; do
		case "$suite" in */updates|*-security) ;; *) continue ;; esac
		is_debian_suite "${suite%[-/]*}" || continue
		case "$uri" in http://*|https://*|file:/*) ;; *) continue ;; esac
		echo "${uri%/}"
		return 0
	done < <(system_apt_sources)
	return 1
}

# is_dynamic FILE: FILE (a symlink followed) is a dynamically linked
# executable, which the guest (no libraries) cannot run. Without `file`,
# nothing is.
is_dynamic() {
	case "$(file -bL "$1" 2>/dev/null || echo static)" in
	*dynamically*) return 0 ;;
	esac
	return 1
}

# first_unfit ARCH FILE...: the first FILE the guest of Debian
# architecture ARCH (amd64: x86-64 and i386 programs; arm64: aarch64) cannot
# run, as "FILE<TAB>why" ("is dynamically linked: ...", "is an ELF for
# ..."), if any; scripts are fine. One `file` for all (one a program
# cost ~1 s a boot for the ~300).
first_unfit() {
	local arch=$1 fits
	shift
	command -v file >/dev/null 2>&1 || return 0
	case "$arch" in
	arm64) fits="ARM aarch64" ;;
	*) fits="x86-64|Intel 80386" ;;
	esac
	file -L -F "$(printf '\t')" -- "$@" 2>/dev/null |
		awk -F '\t' -v fits="$fits" -v arch="$arch" '
		$2 ~ /dynamically/ { print $1 "\tis dynamically linked: the guest has no libraries; build it with -static"; exit }
		$2 ~ /ELF/ && $2 !~ fits { split($2, w, ", "); print $1 "\tis an ELF for " w[2] ", not for " arch; exit }'
}

# ------------------------------------------------------------------
# Kernel images
# ------------------------------------------------------------------

# le FILE OFFSET BYTES: an unsigned little-endian number from FILE.
le() {
	od -An -t "u$3" -j "$2" -N "$3" --endian=little "$1" | tr -d ' \n'
}

# kernel_kind FILE: "bzimage", "elf" or "arm64" (an arm64 Image, as
# Debian's -unsigned arm64 packages ship it); otherwise prints why and fails.
kernel_kind() {
	local f=$1 size magic setup syssize need
	[ -f "$f" ] || { echo "no such file"; return 1; }
	size=$(stat -L -c %s "$f")
	if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
		echo elf
		return 0
	fi
	if [ "$size" -lt 1024 ]; then
		echo "only $size bytes: not a kernel image (corrupt or truncated?)"
		return 1
	fi
	if [ "$(dd if="$f" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" = 41524d64 ]; then
		arm64_image_check "$f" "$size" || return 1
		echo arm64
		return 0
	fi
	magic=$(dd if="$f" bs=1 skip=514 count=4 2>/dev/null)
	if [ "$magic" != HdrS ]; then
		echo "no Linux boot header ('HdrS' at 0x202): not a bzImage or vmlinux (corrupt?)"
		return 1
	fi
	setup=$(le "$f" 497 1)
	[ "$setup" -ne 0 ] || setup=4
	syssize=$(le "$f" 500 4)
	need=$(( (setup + 1) * 512 + syssize * 16 ))
	if [ "$size" -lt "$need" ]; then
		echo "truncated: $size bytes, the boot header says $need"
		return 1
	fi
	echo bzimage
}

# arm64_image_check FILE SIZE: an arm64 Image ("ARM\x64" at 0x38) is as
# long as its PE/COFF section table (the EFI stub's header at the offset
# in 0x3c) says: the end of the last section's data. A Debian Image always
# has the header; one without it is taken as it is. Otherwise prints why
# and fails.
arm64_image_check() {
	local f=$1 size=$2 pe nsec opt sec i end=0 rsize rptr
	pe=$(le "$f" 60 4)
	[ "$pe" -gt 0 ] && [ $((pe + 24)) -lt "$size" ] || return 0
	[ "$(dd if="$f" bs=1 skip="$pe" count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" = 50450000 ] || return 0
	nsec=$(le "$f" $((pe + 6)) 2)
	opt=$(le "$f" $((pe + 20)) 2)
	sec=$((pe + 24 + opt))
	for ((i = 0; i < nsec; i++)); do
		rsize=$(le "$f" $((sec + i * 40 + 16)) 4)
		rptr=$(le "$f" $((sec + i * 40 + 20)) 4)
		[ $((rptr + rsize)) -le "$end" ] || end=$((rptr + rsize))
	done
	if [ "$size" -lt "$end" ]; then
		echo "truncated: $size bytes, its PE/COFF header says $end"
		return 1
	fi
}

# elf_check FILE: FILE is a whole ELF file: the magic, an ELF header that
# readelf accepts, and a length that reaches the end of every program
# header's data and of the section header table (a vmlinux cut short by a
# killed copy or a full disk fails here, before QEMU sees it). Otherwise
# prints why and fails.
elf_check() {
	local f=$1 size hdr shoff shent shnum end off filesz
	[ -f "$f" ] || { echo "no such file"; return 1; }
	if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" != '177ELF' ]; then
		echo "not an ELF file (no ELF magic)"
		return 1
	fi
	command -v readelf >/dev/null 2>&1 || return 0	# nothing more to check with
	size=$(stat -L -c %s "$f")
	if ! hdr=$(readelf -hW "$f" 2>/dev/null); then
		echo "readelf rejects its ELF header (corrupt)"
		return 1
	fi
	shoff=$(printf '%s\n' "$hdr" | sed -n 's/^ *Start of section headers: *\([0-9]*\).*/\1/p')
	shent=$(printf '%s\n' "$hdr" | sed -n 's/^ *Size of section headers: *\([0-9]*\).*/\1/p')
	shnum=$(printf '%s\n' "$hdr" | sed -n 's/^ *Number of section headers: *\([0-9]*\).*/\1/p')
	end=$(( ${shoff:-0} + ${shent:-0} * ${shnum:-0} ))
	while read -r off filesz; do
		[ $((off + filesz)) -le "$end" ] || end=$((off + filesz))
	done < <(readelf -lW "$f" 2>/dev/null | awk '$1 ~ /^[A-Z_]+$/ && $2 ~ /^0x/ && $5 ~ /^0x/ { print $2, $5 }')
	if [ "$size" -lt "$end" ]; then
		echo "truncated: $size bytes, its headers say $end"
		return 1
	fi
}

# cache_check DIR: the kernel fetch.sh keeps in DIR is whole: vmlinuz a
# bzImage as long as its boot header says (or an arm64 Image as long as its
# PE/COFF header says), vmlinux (when there) a whole
# ELF, modules (when there) picked for today's WANT_MODULES. Otherwise
# prints which file is damaged or stale and why, and fails.
cache_check() {
	local d=$1 why
	why=$(kernel_kind "$d/vmlinuz") || { echo "vmlinuz: $why"; return 1; }
	[ "$why" != elf ] || { echo "vmlinuz: an ELF, not a bzImage"; return 1; }
	if [ -e "$d/vmlinux" ]; then
		why=$(elf_check "$d/vmlinux") || { echo "vmlinux: $why"; return 1; }
	fi
	if [ -d "$d/modules" ] && [ "$(cat "$d/modules/wanted" 2>/dev/null)" != "$WANT_MODULES" ]; then
		echo "modules: stale, picked for another list than WANT_MODULES"
		return 1
	fi
	return 0
}

# bzimage_to_vmlinux BZIMAGE OUT: decompress the kernel inside a bzImage
# (its payload_offset/payload_length header fields, boot protocol 2.08+)
# into the ELF vmlinux that QEMU boots through the PVH entry. Fails, leaving
# no OUT: status 1 when the payload's format is unknown (or its tool is
# missing) or the ELF has no PVH entry note (then boot the bzImage), 3 when
# the payload does not decompress to an ELF of the size recorded after it
# (a corrupt image).
bzimage_to_vmlinux() {
	local bz=$1 out=$2 setup start off len tmp magic want got
	setup=$(le "$bz" 497 1)
	[ "$setup" -ne 0 ] || setup=4
	[ "$(le "$bz" 518 2)" -ge 520 ] || return 1	# protocol 2.08
	start=$(( (setup + 1) * 512 ))
	off=$(le "$bz" 584 4)
	len=$(le "$bz" 588 4)
	tmp=$out.part
	rm -f "$tmp"
	tail -c +$((start + off + 1)) "$bz" | head -c "$len" >"$tmp.z"
	# The build appends the uncompressed size (4 bytes, little endian).
	want=$(le "$tmp.z" $((len - 4)) 4)
	magic=$(head -c 6 "$tmp.z" | od -An -tx1 | tr -d ' \n')
	case "$magic" in
	1f8b*) set -- gzip -dc ;;
	fd377a585a00) set -- xz -dc --single-stream ;;
	28b52ffd*) set -- zstd -dc --no-progress ;;
	5d00*) set -- xz -dc --format=lzma ;;
	425a68*) set -- bzip2 -dc ;;
	02214c18*) set -- lz4 -dc ;;
	*) set -- "" ;;
	esac
	if [ -z "$1" ] || ! command -v "$1" >/dev/null 2>&1; then
		rm -f "$tmp.z"
		return 1
	fi
	# The size appended after the data may draw a complaint: the size
	# check below is what counts.
	"$@" <"$tmp.z" >"$tmp" 2>/dev/null || true
	rm -f "$tmp.z"
	got=$(stat -c %s "$tmp" 2>/dev/null || echo 0)
	if [ "$got" != "$want" ] || [ "$(head -c 4 "$tmp" | od -An -c | tr -d ' ')" != '177ELF' ]; then
		rm -f "$tmp"
		return 3
	fi
	if ! has_pvh_note "$tmp"; then
		rm -f "$tmp"
		return 1
	fi
	mv -f "$tmp" "$out"
}

# has_pvh_note ELF: the kernel has XEN_ELFNOTE_PHYS32_ENTRY (type 18, owner
# "Xen"), the entry point QEMU's PVH boot uses.
has_pvh_note() {
	command -v readelf >/dev/null 2>&1 || return 1
	readelf -Wn "$1" 2>/dev/null | awk '
		$1 == "Xen" && ($0 ~ /\(0x0*12\)/ || $0 ~ /PHYS32_ENTRY/) { found = 1 }
		END { exit !found }'
}

# config_lacks CONFIG: the options of kernels/guest.config that the kernel
# config CONFIG sets neither =y nor =m, one a line as "CONFIG_X=y: reason"
# (the comment above it in guest.config).
config_lacks() {
	awk '
		FNR == NR {
			if ($0 ~ /^#( |$)/) { w = substr($0, 3); if (w != "") why = (why == "" ? w : why " " w); next }
			if ($0 ~ /^[ \t]*$/) { why = ""; next }
			if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/) { opt[++n] = $0; reason[n] = why; why = "" }
			next
		}
		/^CONFIG_[A-Za-z0-9_]+=[ym]$/ { have[substr($0, 1, index($0, "=") - 1)] = 1 }
		END {
			for (i = 1; i <= n; i++)
				if (!have[substr(opt[i], 1, index(opt[i], "=") - 1)])
					print opt[i] ": " reason[i]
		}
	' "$KROOT/kernels/guest.config" "$1"
}

# ------------------------------------------------------------------
# Modules
# ------------------------------------------------------------------

# Modules the cases and the boot need; missing or built-in ones are fine.
# The cloud flavours build ext4 and NVMe in; the generic-based ones (-rt)
# have them as modules: the scratch disk and the NVMe namespace need them.
# virtio_console (a module up to 6.1) carries the results (initramfs.sh).
WANT_MODULES="virtio_pci virtio_blk virtio_console loop pvpanic pvpanic_mmio pvpanic_pci ext4 nvme"

# modfile MDIR NAME: the module file of NAME (- and _ alike), if any.
modfile() {
	local alt
	alt=$(echo "$2" | tr _ -)
	find "$1/kernel" \( -name "$2.ko" -o -name "$2.ko.*" -o -name "$alt.ko" -o -name "$alt.ko.*" \) \
		-print -quit
}

# pick_modules NAME MDIR OUT RELEASE: copy the wanted modules and their
# dependencies (the depends= field of each) decompressed into
# OUT/lib/modules/RELEASE, make modules.dep there, and write OUT/load.
pick_modules() {
	local name=$1 mdir=$2 out=$3 rel=$4 queue seen="" m f rp dst deps builtin
	local -
	set -f
	local kdir=$out/lib/modules/$rel
	mkdir -p "$kdir"
	builtin=$(cat "$mdir/modules.builtin" 2>/dev/null | sed 's,.*/,,; s,\.ko$,,' | tr - _)
	queue=$WANT_MODULES
	# A module without dependencies leaves blanks behind: stop on those too.
	while [ -n "${queue// /}" ]; do
		set -- $queue
		m=$(echo "$1" | tr - _)
		shift
		queue="$*"
		case " $seen " in *" $m "*) continue ;; esac
		seen="$seen $m"
		f=$(modfile "$mdir" "$m")
		if [ -z "$f" ]; then
			if ! printf '%s\n' "$builtin" | grep -qx "$m"; then
				case "$m" in
				pvpanic_mmio|pvpanic_pci|pvpanic) ;;	# split in 5.12+
				*) warn "$name: note: module $m neither a module nor built in" ;;
				esac
			fi
			continue
		fi
		rp=${f#"$mdir"/}
		dst=$kdir/${rp%.ko*}.ko
		mkdir -p "$(dirname "$dst")"
		case "$f" in
		*.ko) cp "$f" "$dst" ;;
		*.ko.xz) xz -dc "$f" >"$dst" ;;
		*.ko.zst) zstd -qdc "$f" >"$dst" ;;
		*.ko.gz) gzip -dc "$f" >"$dst" ;;
		*) warn "$name: cannot decompress $f"; return 1 ;;
		esac
		deps=$(tr '\0' '\n' <"$dst" | sed -n 's/^depends=//p' | head -n 1 | tr , ' ')
		queue="$queue $deps"
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$mdir/$f" ] && cp "$mdir/$f" "$kdir/"
	done
	# busybox depmod takes its VERSION argument only in the form N.N.N...
	# (else it works on `uname -r`): a release such as 7.3-cloud-amd64 (a
	# release candidate's) goes in under such a name, a link to it.
	local as=$rel
	if ! [[ $rel =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
		as=0.0.0-aioconf-depmod
		ln -sfn "$rel" "$out/lib/modules/$as"
	fi
	busybox depmod -b "$out" "$as" 2>/dev/null ||
		{ warn "$name: busybox depmod failed for $kdir"; return 1; }
	[ "$as" = "$rel" ] || rm -f "$out/lib/modules/$as"
	# Load order: every module after the ones it depends on.
	load_order "$kdir" >"$out/load"
	# The list they were picked for: cache_check fetches again for another.
	echo "$WANT_MODULES" >"$out/wanted"
}

# load_order KDIR: module paths (relative to KDIR) from modules.dep, each
# after its dependencies.
load_order() {
	awk -F': *' '
		{ sub(/:$/, "", $1); mod[NR] = $1; dep[$1] = $2; n = NR }
		function visit(m,   d, k, i) {
			if (done[m]) return
			done[m] = 1
			k = split(dep[m], d, " ")
			for (i = 1; i <= k; i++) visit(d[i])
			print m
		}
		END { for (i = 1; i <= n; i++) visit(mod[i]) }
	' "$1/modules.dep"
}

