#!/usr/bin/env bash
# aioconf: fetch the kernels of kernels/kernels.conf from Debian.
#
#   kernels/fetch.sh [--refresh] [NAME...]     (no NAME: every kernel)
#   kernels/fetch.sh --list                    the kernel names, one a line
#   kernels/fetch.sh --package SUITE PKG DIR   the newest PKG of SUITE, unpacked
#                                              into DIR (e.g. a newer uapi)
#   kernels/fetch.sh --arch ARCH --package ... the same for Debian architecture
#                                              ARCH (default amd64), e.g. arm64
#
# For each kernel: a private apt root build/kernels/apt/<suite>/ (for an
# arm64 kernel, a NAME ending in -arm64: build/kernels/apt/arm64/<suite>/)
# whose sources use the system's own Debian mirror (or $AIOCONF_MIRROR)
# with the kernel's suite and the system keyring; `apt-get update`, the newest
# package matching the pattern, `apt-get download`, `dpkg-deb -x`. Kept in
# build/kernels/<NAME>/:
#   vmlinuz    the bzImage (an arm64 kernel's: its Image)
#   vmlinux    the decompressed ELF for QEMU's PVH boot (when it extracts)
#   config     the kernel's .config
#   release    the exact release (uname -r), e.g. 6.1.0-41-cloud-amd64
#   packages   the packages and versions it came from
#   modules/   lib/modules/<release>/ with only the modules of lib.sh's
#              WANT_MODULES (virtio_blk, virtio_console, loop, ...) and
#              what they need, decompressed, and a modules.dep made here
#              with `busybox depmod`; modules/load lists them in load order
#              and modules/wanted the WANT_MODULES they were picked for
# Nothing is installed into the system. A kernel already fetched is not
# fetched again ("cached") unless its vmlinuz or vmlinux is damaged (cut
# short) or its modules were picked for another WANT_MODULES (lib.sh
# cache_check); --refresh resolves and downloads anew.
# The kernel named next (kernels.conf) is fetched only when it is newer
# than every other kernel fetched; else build/kernels/next/ABSENT says why
# it is absent, which is not a failure. A release candidate (a Debian
# version with ~rc) gets build/kernels/<NAME>/rc holding that version.
# Exit status: 0 every kernel is there (or absent as above), 1 some could
# not be fetched (each named on stderr; the others are done), 2 usage error.
set -eu
# shellcheck disable=SC2034  # read by lib.sh
PROG=fetch.sh
. "$(dirname "$0")/lib.sh"

KEYRING=${AIOCONF_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

usage() {
	sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//'
	echo "kernels: $(conf_names | tr '\n' ' ')"
}

refresh=0
names=()
package=()
arch=amd64	# of the apt root in use: --arch, or the kernel's (conf_arch)
while [ $# -gt 0 ]; do
	case "$1" in
	--refresh) refresh=1 ;;
	--arch)
		[ $# -ge 2 ] || { usage >&2; die "--arch needs a Debian architecture (amd64, arm64)"; }
		arch=$2
		case "$arch" in amd64|arm64|i386) ;; *) die "--arch '$arch': amd64, arm64 or i386" ;; esac
		shift ;;
	--package)
		[ $# -ge 4 ] || { usage >&2; die "--package needs SUITE PKG DIR"; }
		package=("$2" "$3" "$4")
		shift 3 ;;
	--list) conf_names; exit 0 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) names+=("$1") ;;
	esac
	shift
done
if [ ${#package[@]} -eq 0 ] && [ ${#names[@]} -eq 0 ]; then
	mapfile -t names < <(conf_names)
	[ ${#names[@]} -gt 0 ] || die "$KCONF lists no kernel"
fi
for n in "${names[@]}"; do
	conf_line "$n" >/dev/null ||
		die "no kernel '$n' in $KCONF (known: $(conf_names | tr '\n' ' '))"
done

need apt-get apt
need dpkg-deb dpkg
need busybox busybox-static
need readelf binutils
need zstd zstd
need xz xz-utils
need lz4 lz4

# apt ARGS... for the private root of one suite ($aroot).
apt_private() {
	local tool=$1
	shift
	"$tool" -o Dir="$aroot" \
		-o Dir::Etc::sourcelist="$aroot/sources.list" \
		-o Dir::Etc::sourceparts=- \
		-o Dir::Etc::preferencesparts=- \
		-o Dir::State="$aroot/state" \
		-o Dir::State::status="$aroot/state/status" \
		-o Dir::Cache="$aroot/cache" \
		-o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
		-o Acquire::Languages=none \
		-o Acquire::Retries=2 \
		-o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 \
		-o Debug::NoLocking=1 \
		"$@"
}

# Make build/kernels/apt/<suite>/ (for another architecture than amd64
# build/kernels/apt/<arch>/<suite>/) and update it. Sets $aroot.
apt_root() {
	local suite=$1 mirror sec base
	aroot=$KBUILD/apt/$suite
	[ "$arch" = amd64 ] || aroot=$KBUILD/apt/$arch/$suite
	mirror=$(main_mirror) ||
		{ warn "no Debian mirror in /etc/apt/sources.list{,.d}; set AIOCONF_MIRROR=URI"; return 1; }
	mkdir -p "$aroot/state/lists/partial" "$aroot/cache/archives/partial"
	: >"$aroot/state/status"
	{
		echo "# written by kernels/fetch.sh; mirror from the system's apt sources"
		echo "deb [signed-by=$KEYRING] $mirror $suite main"
		base=${suite%%-*}
		case "$suite" in
		sid|unstable|experimental|*-*) ;;
		*)
			echo "deb [signed-by=$KEYRING] $mirror $suite-updates main"
			if sec=$(security_mirror); then
				echo "deb [signed-by=$KEYRING] $sec $base-security main"
			fi ;;
		esac
	} >"$aroot/sources.list"
	# -updates/-security may be gone for an archived suite: only the suite
	# itself must work.
	apt_private apt-get -q update >"$aroot/update.log" 2>&1 || true
	# apt names list files after the URI without its scheme, '/' -> '_'.
	local ufile
	ufile=$(printf '%s' "${mirror#*://}" | tr / _)
	if grep -qE "^(Err|E):.*[ ]${suite//./\\.}[ ]" "$aroot/update.log" ||
	   ! ls "$aroot/state/lists/${ufile}_dists_${suite}_main_binary-${arch}_Packages"* >/dev/null 2>&1; then
		sed -n '/^\(E\|W\|Err\):/p' "$aroot/update.log" | head -5 >&2
		warn "apt-get update for suite '$suite' at $mirror failed (no network, or no such suite?); log: $aroot/update.log"
		return 1
	fi
	if grep -q '^\(E\|Err\):' "$aroot/update.log"; then
		warn "note: part of the update of '$suite' failed (see $aroot/update.log); using what came"
	fi
}

# newest_match PATTERN: the newest package name that matches the pattern
# (one '*'), printed as "NAME STAR".
newest_match() {
	local pat=$1 prefix=${1%%\**} suffix=${1#*\*} name star
	apt_private apt-cache pkgnames "$prefix" 2>/dev/null | while read -r name; do
		# shellcheck disable=SC2053  # a glob on purpose
		[[ $name == $pat ]] || continue
		star=${name#"$prefix"}
		star=${star%"$suffix"}
		# The '*' stands for a version: linux-binary-unsigned-7.3-... is
		# another package than linux-binary-*-cloud-amd64 means.
		[[ $star == [0-9]* ]] || continue
		echo "$star $name"
	done | sort -V -k1,1 | tail -n 1 | awk '{ print $2, $1 }'
}

# The version of package PKG in the private root's lists.
pkg_version() {
	apt_private apt-cache show "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1
}

# next_absent PKG PATTERN SUITE: why the next kernel is absent (empty when
# it is not): no package, or its version is not newer than that of every
# other kernel fetched (the first package each one came from).
next_absent() {
	local pkg=$1 pat=$2 suite=$3 v other ov
	[ -n "$pkg" ] || { echo "no package matching '$pat' in $suite"; return; }
	v=$(pkg_version "$pkg")
	[ -n "$v" ] || { echo "no version for $pkg in $suite"; return; }
	for other in $(conf_names); do
		[ "$other" != next ] && [ -s "$KBUILD/$other/packages" ] || continue
		[ "$(conf_arch "$other")" = "$arch" ] || continue
		ov=$(awk 'NR == 1 { print $2 }' "$KBUILD/$other/packages")
		[ -n "$ov" ] || continue
		if ! dpkg --compare-versions "$v" gt "$ov"; then
			echo "$suite has $pkg $v, not newer than $other's $ov"
			return
		fi
	done
}

fetch_one() {
	local name=$1 line suite pats dest stamp tmp p pkg star pkgs=() rel why version
	line=$(conf_line "$name")
	set -f
	# shellcheck disable=SC2086
	set -- $line
	set +f
	suite=$2
	shift 2
	pats=("$@")
	arch=$(conf_arch "$name")
	for p in "${pats[@]}"; do
		case "$p" in *\**\**|*\**) ;; *) warn "$name: pattern '$p' has no '*'"; return 1 ;; esac
		case "$p" in *\**\**) warn "$name: pattern '$p' has more than one '*'"; return 1 ;; esac
	done
	dest=$KBUILD/$name
	stamp="$line"
	if [ $refresh -eq 0 ] && [ -s "$dest/ABSENT" ] &&
	   [ "$(cat "$dest/conf" 2>/dev/null)" = "$stamp" ]; then
		echo "$name: absent: $(cat "$dest/ABSENT") (cached; --refresh looks again)"
		return 0
	fi
	if [ $refresh -eq 0 ] && [ -s "$dest/release" ] && [ -s "$dest/vmlinuz" ] &&
	   [ "$(cat "$dest/conf" 2>/dev/null)" = "$stamp" ]; then
		# A copy cut short (a full disk, a killed copy) is fetched again.
		if why=$(cache_check "$dest"); then
			echo "$name: cached ($(cat "$dest/release"))"
			return 0
		fi
		echo "$name: the cached kernel in $dest is damaged ($why): fetching it again"
	fi
	local t0=$SECONDS
	echo "$name: updating the package lists of $suite"
	apt_root "$suite" || { warn "$name: cannot fetch kernel $name"; return 1; }
	read -r pkg star < <(newest_match "${pats[0]}") || true
	if [ "$name" = next ]; then
		why=$(next_absent "${pkg:-}" "${pats[0]}" "$suite")
		if [ -n "$why" ]; then
			rm -rf "$dest"
			mkdir -p "$dest"
			echo "$why" >"$dest/ABSENT"
			echo "$stamp" >"$dest/conf"
			echo "$name: absent: $why"
			return 0
		fi
	fi
	if [ -z "${pkg:-}" ]; then
		warn "$name: no package matching '${pats[0]}' in $suite (at $(main_mirror)); edit $KCONF if the suite moved on"
		return 1
	fi
	pkgs=("$pkg")
	for p in "${pats[@]:1}"; do
		pkgs+=("${p/\*/$star}")
	done
	tmp=$KBUILD/.$name.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/debs" "$tmp/root"
	echo "$name: downloading ${pkgs[*]}"
	if ! (cd "$tmp/debs" && apt_private apt-get -q download "${pkgs[@]}") >"$tmp/download.log" 2>&1; then
		sed -n '/^\(E\|W\|Err\):/p' "$tmp/download.log" | head -5 >&2
		warn "$name: apt-get download ${pkgs[*]} failed (log: $tmp/download.log)"
		return 1
	fi
	for p in "$tmp"/debs/*.deb; do
		dpkg-deb -x "$p" "$tmp/root" || { warn "$name: cannot unpack $p"; return 1; }
		echo "$(dpkg-deb -f "$p" Package) $(dpkg-deb -f "$p" Version)" >>"$tmp/packages"
	done
	unpack_kernel "$name" "$tmp" || return 1
	echo "$stamp" >"$tmp/out/conf"
	# A release candidate (Debian's version has ~rc): the matrix marks it.
	version=$(dpkg-deb -f "$tmp"/debs/"$pkg"_*.deb Version 2>/dev/null)
	case "$version" in *~rc*) echo "$version" >"$tmp/out/rc" ;; esac
	rm -rf "$dest.old"
	[ ! -e "$dest" ] || mv "$dest" "$dest.old"
	mv "$tmp/out" "$dest"
	rm -rf "$tmp" "$dest.old"
	echo "$name: $(cat "$dest/release") in $dest ($((SECONDS - t0)) s)"
}

# unpack_kernel NAME TMP: from TMP/root (the unpacked packages) make TMP/out.
unpack_kernel() {
	local name=$1 tmp=$2 root=$2/root out=$2/out vmlinuz rel mdir kind f d
	mkdir -p "$out"
	# boot/vmlinuz-<release> (up to trixie) or
	# usr/lib/modules/<release>/vmlinuz (the split packages of sid).
	vmlinuz=$(ls "$root"/boot/vmlinuz-* "$root"/usr/lib/modules/*/vmlinuz \
		"$root"/lib/modules/*/vmlinuz 2>/dev/null | head -n 1 || true)
	if [ -z "$vmlinuz" ]; then
		warn "$name: the packages hold no boot/vmlinuz-* nor lib/modules/*/vmlinuz (is the first pattern the image package?)"
		return 1
	fi
	case "$vmlinuz" in
	*/boot/vmlinuz-*) rel=${vmlinuz##*/vmlinuz-} ;;
	*) rel=${vmlinuz%/vmlinuz}; rel=${rel##*/} ;;
	esac
	local want=bzimage
	[ "$arch" != arm64 ] || want=arm64
	if ! kind=$(kernel_kind "$vmlinuz"); then
		warn "$name: $vmlinuz: $kind"
		return 1
	elif [ "$kind" != "$want" ]; then
		warn "$name: $vmlinuz: a kernel of kind $kind, not $want (for arm64: the -unsigned package has the plain Image)"
		return 1
	fi
	cp "$vmlinuz" "$out/vmlinuz"
	echo "$rel" >"$out/release"
	cp "$tmp/packages" "$out/packages"
	for f in "$root/boot/config-$rel" "$root/usr/lib/modules/$rel/config" \
		 "$root/lib/modules/$rel/config" ""; do
		[ -n "$f" ] || { warn "$name: note: the packages hold no config of $rel"; break; }
		[ -f "$f" ] && cp "$f" "$out/config" && break
	done
	local x=0
	# QEMU boots an arm64 Image as it is: no PVH vmlinux to make.
	[ "$arch" = arm64 ] || bzimage_to_vmlinux "$out/vmlinuz" "$out/vmlinux" || x=$?
	case $x in
	0) ;;
	3) warn "$name: $vmlinuz: corrupt: its compressed kernel does not decompress"; return 1 ;;
	*) warn "$name: note: no PVH vmlinux could be extracted; boots the bzImage" ;;
	esac
	mdir=""
	for d in "$root/lib/modules/$rel" "$root/usr/lib/modules/$rel"; do
		[ -d "$d/kernel" ] && mdir=$d && break
	done
	if [ -z "$mdir" ]; then
		warn "$name: note: the packages hold no modules for $rel"
		return 0
	fi
	pick_modules "$name" "$mdir" "$out/modules" "$rel"
}

# fetch_package SUITE PKG DIR: the newest PKG of SUITE unpacked into DIR;
# DIR/package says which ("PKG VERSION"). Kept unless --refresh.
fetch_package() {
	local suite=$1 pkg=$2 dir=$3 tmp deb
	if [ $refresh -eq 0 ] && [ -s "$dir/package" ] &&
	   [ "$(cut -d' ' -f1 "$dir/package")" = "$pkg" ]; then
		echo "$pkg: cached ($(cat "$dir/package")) in $dir"
		return 0
	fi
	apt_root "$suite" || { warn "$pkg: cannot update the package lists of $suite"; return 1; }
	tmp=$dir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/debs" "$tmp/root"
	if ! (cd "$tmp/debs" && apt_private apt-get -q download "$pkg") >"$tmp/download.log" 2>&1; then
		sed -n '/^\(E\|W\|Err\):/p' "$tmp/download.log" | head -5 >&2
		warn "$pkg: apt-get download from $suite failed"
		rm -rf "$tmp"
		return 1
	fi
	deb=$(ls "$tmp"/debs/*.deb)
	dpkg-deb -x "$deb" "$tmp/root" || { warn "$pkg: cannot unpack $deb"; rm -rf "$tmp"; return 1; }
	echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >"$tmp/root/package"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	rm -rf "$tmp"
	echo "$pkg: $(cat "$dir/package") in $dir"
}

# One fetch at a time (boot.sh calls this; VMs may start in parallel).
mkdir -p "$KBUILD"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$KBUILD/.fetch.lock"
	flock 9
fi
if [ ${#package[@]} -gt 0 ]; then
	fetch_package "${package[@]}"
	exit
fi
rc=0
for n in "${names[@]}"; do
	if ! fetch_one "$n"; then
		rm -rf "$KBUILD/.$n.tmp"
		warn "$n: FAILED: kernel $n was not fetched"
		rc=1
	fi
done
exit $rc
