#!/usr/bin/env bash
# aioconf: build a kernel from a source tree for the guest ("test your
# branch"), then boot it with ./run.sh --kernel PATH.
#
#   kernels/build.sh [--config tiny|tree] [-o DIR] [KSRC]
#
# KSRC     a kernel source tree (default: Debian's linux-source-6.1, the
#          package make deps installs, extracted once into build/ksrc/)
# -o DIR   the build folder, an out-of-tree build (make O=DIR; default
#          build/kernels/src-<basename of KSRC>); builds are incremental:
#          a second run rebuilds only what changed in the tree
# --config tiny  (default) tinyconfig plus kernels/guest.config (what the
#          guest needs to boot and report) and kernels/cases.config (what
#          the cases need); tree: the tree's own .config plus both fragments
#
# The config is made anew only when DIR has none or a fragment changed;
# options of the fragments that the kernel would not take are named. Prints
# the bzImage's path last. Needs flex, bison, bc, libelf-dev, libssl-dev
# (harness/deps.sh --for-build installs them). Exit status: 0 built,
# 1 the build failed, 2 usage or set-up error.
set -eu
# shellcheck disable=SC2034  # read by lib.sh
PROG=build.sh
. "$(dirname "$0")/lib.sh"

usage() { awk 'NR > 3 && !/^#/ { exit } NR > 3 { sub(/^# ?/, ""); print }' "$0"; }

config=tiny out="" ksrc=""
while [ $# -gt 0 ]; do
	case "$1" in
	--config) [ $# -ge 2 ] || die "--config needs tiny or tree"; config=$2; shift ;;
	-o) [ $# -ge 2 ] || die "-o needs a directory"; out=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) [ -z "$ksrc" ] || die "one source tree at a time"; ksrc=$1 ;;
	esac
	shift
done
case "$config" in tiny|tree) ;; *) die "--config wants tiny or tree, not '$config'" ;; esac
for t in flex bison bc; do need "$t" "$t"; done
[ -e /usr/include/libelf.h ] || die "libelf.h is missing: install it with: apt-get install -y libelf-dev (as root, or with sudo)"
[ -e /usr/include/openssl/ssl.h ] || die "openssl headers are missing: install them with: apt-get install -y libssl-dev (as root, or with sudo)"

if [ -z "$ksrc" ]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	ksrc=$KROOT/build/ksrc/linux-source-6.1
	if [ ! -f "$ksrc/Makefile" ]; then
		[ -f "$tarball" ] || die "no $tarball: install it with: apt-get install -y linux-source-6.1 (or give a KSRC)"
		warn "extracting $tarball into $KROOT/build/ksrc/"
		mkdir -p "$KROOT/build/ksrc"
		rm -rf "$ksrc.part" && mkdir "$ksrc.part"
		tar -xf "$tarball" -C "$ksrc.part" --strip-components=1
		mv "$ksrc.part" "$ksrc"
	fi
fi
[ -f "$ksrc/Makefile" ] && [ -d "$ksrc/arch/x86" ] || die "$ksrc: not a kernel source tree"
ksrc=$(cd "$ksrc" && pwd)
[ -n "$out" ] || out=$KROOT/build/kernels/src-$(basename "$ksrc")
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)

frags=("$KROOT/kernels/guest.config" "$KROOT/kernels/cases.config")
stamp="$config $(cat "${frags[@]}" | sha256sum | cut -c1-16)"
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.aioconf-config" 2>/dev/null)" != "$stamp" ]; then
	if [ "$config" = tiny ]; then
		make -s -C "$ksrc" O="$out" tinyconfig >/dev/null || die "make tinyconfig failed"
	else
		[ -f "$ksrc/.config" ] || die "--config tree: $ksrc has no .config"
		cp "$ksrc/.config" "$out/.config"
	fi
	# merge_config.sh -m merges the fragments into .config; olddefconfig
	# then resolves the dependencies.
	(cd "$ksrc" && scripts/kconfig/merge_config.sh -m -O "$out" "$out/.config" "${frags[@]}") \
		>"$out/.aioconf-merge.log" 2>&1 || die "merging the fragments failed (see $out/.aioconf-merge.log)"
	make -s -C "$ksrc" O="$out" olddefconfig >/dev/null || die "make olddefconfig failed"
	echo "$stamp" >"$out/.aioconf-config"
fi
lacking=$(cat "${frags[@]}" | sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' | while read -r o; do
	grep -q "^$o=[ym]" "$out/.config" || echo "$o"
done)
[ -z "$lacking" ] || warn "note: the config lacks $(echo "$lacking" | tr '\n' ' ')(a dependency the tree does not offer?)"

t0=$SECONDS
warn "building $(basename "$ksrc") in $out (make -j$(nproc) bzImage)"
make -s -C "$ksrc" O="$out" -j"$(nproc)" bzImage >"$out/.aioconf-build.log" 2>&1 || {
	tail -n 20 "$out/.aioconf-build.log" >&2
	warn "the build failed (the whole log: $out/.aioconf-build.log)"
	exit 1
}
warn "built in $((SECONDS - t0)) s; boot it with: ./run.sh --kernel $out/arch/x86/boot/bzImage"
echo "$out/arch/x86/boot/bzImage"
