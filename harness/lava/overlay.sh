#!/usr/bin/env bash
# overlay.sh - pack the built suite as an overlay for a LAVA or tuxrun device:
# a tar.xz extracted at / of the device's root filesystem (a LAVA deploy
# "overlays" entry with format tar, path /; tuxrun --overlay). It holds
#
#   /aioconf/runner                   the static runner of that ABI
#   /aioconf/cases/<area>/<case>      the static case programs of that ABI
#   /aioconf/known-failures.txt       cases/known-failures.txt
#   /aioconf/run-aioconf.sh           harness/lava/run-aioconf.sh
#
# usage: harness/lava/overlay.sh [--arch x86_64|i386|aarch64] [--filter GLOB]...
#                                [-o OUT.tar.xz]
# --filter packs only the cases whose id matches GLOB (repeatable); -o
# defaults to build/lava/aioconf-<arch>.tar.xz. Nothing is built here: a
# missing build is an error (exit 2) that names its make target.
# The archive is deterministic for the same build: sorted, owner 0:0,
# normalised modes, mtime SOURCE_DATE_EPOCH (default 2020-01-01).
set -euo pipefail

die() { echo "overlay.sh: $*" >&2; exit 2; }
usage() {
	echo "usage: $0 [--arch x86_64|i386|aarch64] [--filter GLOB]... [-o OUT.tar.xz]" >&2
	exit 2
}

arch=x86_64
out=
filters=()
while [ $# -gt 0 ]; do
	case $1 in
	--arch) [ $# -ge 2 ] || usage; arch=$2; shift 2 ;;
	--filter) [ $# -ge 2 ] || usage; filters+=("$2"); shift 2 ;;
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done
# -o is relative to where we were started; the rest to the repository.
case ${out:-/} in /*) ;; *) out=$PWD/$out ;; esac
cd "$(dirname "$0")/../.."
# i386 programs run under the x86-64 runner (a 64-bit kernel's compat ABI).
case $arch in
x86_64) cases=build/cases cases_make=make runner=build/runner runner_make=make ;;
i386) cases=build/i386/cases cases_make="make cases32" runner=build/runner runner_make=make ;;
aarch64|arm64)
	arch=aarch64 cases=build/arm64/cases cases_make="make cases-arm64"
	runner=build/arm64/runner runner_make="make cases-arm64" ;;
*) die "unknown --arch '$arch' (x86_64, i386 or aarch64)" ;;
esac
out=${out:-build/lava/aioconf-$arch.tar.xz}
[ -x "$runner" ] || die "$runner is not built: run '$runner_make' first"
if [ ! -d "$cases" ] || [ -z "$(ls -A "$cases")" ]; then
	die "$cases is not built: run '$cases_make' first"
fi

# A folder of symbolic links laid out as on the device; tar -h stores the
# files they point at, so nothing large is copied.
stage=$(mktemp -d "${TMPDIR:-/tmp}/aioconf-overlay.XXXXXX")
trap 'rm -rf "$stage" "$out.part"' EXIT
mkdir -p "$stage/aioconf/cases"
ln -s "$PWD/$runner" "$stage/aioconf/runner"
ln -s "$PWD/cases/known-failures.txt" "$stage/aioconf/known-failures.txt"
# A copy: executable on the device whatever the checkout's file modes.
install -m 755 harness/lava/run-aioconf.sh "$stage/aioconf/run-aioconf.sh"
n=0
for path in "$cases"/*/*; do
	if [ ! -f "$path" ] || [ ! -x "$path" ]; then continue; fi
	id=${path#"$cases/"}
	if [ ${#filters[@]} -gt 0 ]; then
		hit=0
		for glob in "${filters[@]}"; do
			# shellcheck disable=SC2053  # the glob is meant to match
			[[ $id == $glob ]] && hit=1
		done
		[ $hit -eq 1 ] || continue
	fi
	mkdir -p "$stage/aioconf/cases/${id%/*}"
	ln -s "$PWD/$path" "$stage/aioconf/cases/$id"
	n=$((n + 1))
done
[ $n -gt 0 ] || die "no case in $cases matches --filter '${filters[*]}'"

mkdir -p "$(dirname "$out")"
# xz -T0 uses its multi-threaded encoder even on one CPU (xz 5.4), so the
# bytes do not depend on the machine's CPU count.
tar -C "$stage" --dereference --sort=name --owner=0 --group=0 --numeric-owner \
	--mode='u=rwX,go=rX' --mtime="@${SOURCE_DATE_EPOCH:-1577836800}" \
	--format=gnu -cf - aioconf | xz -T0 -6 >"$out.part"
mv "$out.part" "$out"
echo "overlay.sh: $out: $arch runner and $n cases ($(du -h "$out" | cut -f1))"
