#!/bin/sh
# Install the Debian packages aioconf needs, if any are missing.
#   harness/deps.sh              what ./run.sh needs (build, run, QEMU kernels)
#   harness/deps.sh --for-build  that plus the tools to build a kernel from
#                                source (kernels/build.sh, make mutate)
#   harness/deps.sh --for-i386   that plus what the i386 build of the cases
#                                needs (./run.sh --abi i386): gcc-multilib
#                                and the i386 liburing and libaio, from the
#                                i386 architecture, which it adds to dpkg
#   harness/deps.sh --for-arm64  that plus what the arm64 build of the cases
#                                and arm64 guests need (make cases-arm64,
#                                ./run.sh --kernel 6.1-arm64): clang, the
#                                arm64 cross libc and binutils, and
#                                qemu-system-arm (bookworm's cross gcc
#                                conflicts with gcc-multilib)
#   harness/deps.sh --for-tests  all of the above, plus what make check needs
#                                (fuzzer, valgrind, a browser for the HTML
#                                report test, lint, the KCIDB schema check,
#                                YAML for tests/workflow.t), and the GitHub
#                                workflow validator that test runs:
#                                @action-validator/cli, a pinned version
#                                from npm into build/npm/
#                                (npm: Debian's package, when there is none)
# Options combine (--for-i386 --for-arm64).
# Idempotent: when everything is present it only asks dpkg (well under a second).
# Not root and no password-less sudo: print the exact command and exit 2.
set -eu

PACKAGES="gcc make libc6-dev liburing-dev libaio-dev python3 perl busybox-static
cpio qemu-system-x86 linux-source-6.1 xz-utils lz4 zstd binutils e2fsprogs file"
BUILD_PACKAGES="flex bison bc libelf-dev libssl-dev"
TEST_PACKAGES="clang-14 libclang-rt-14-dev valgrind chromium shellcheck python3-pyflakes python3-jsonschema
python3-yaml"
I386_PACKAGES="gcc-multilib libc6-dev-i386 liburing-dev:i386 libaio-dev:i386"
ARM64_PACKAGES="clang-14 binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
qemu-system-arm"
# Not in Debian: npm installs it (and the core it runs, pinned alike).
VALIDATOR_VERSION=0.6.0
VALIDATOR="@action-validator/cli@$VALIDATOR_VERSION @action-validator/core@$VALIDATOR_VERSION"
NPM_DIR=$(cd "$(dirname "$0")/.." && pwd)/build/npm
# A nodejs from elsewhere brings its own npm; Debian's would conflict with it.
command -v npm >/dev/null 2>&1 || TEST_PACKAGES="$TEST_PACKAGES npm"
for_tests=0

for opt in "$@"; do
	case "$opt" in
	--for-build) PACKAGES="$PACKAGES $BUILD_PACKAGES" ;;
	--for-i386) PACKAGES="$PACKAGES $I386_PACKAGES" ;;
	--for-arm64) PACKAGES="$PACKAGES $ARM64_PACKAGES" ;;
	--for-tests) PACKAGES="$PACKAGES $BUILD_PACKAGES $I386_PACKAGES $ARM64_PACKAGES $TEST_PACKAGES"
		for_tests=1 ;;
	*) echo "usage: harness/deps.sh [--for-build] [--for-i386] [--for-arm64] [--for-tests]" >&2; exit 2 ;;
	esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian system; install the equivalents of: $(echo $PACKAGES)" >&2
	echo "deps: and set KSFT_DIR to a kernel tree's tools/testing/selftests" >&2
	exit 2
fi

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$status" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
# linux-source-6.1 is only needed when no other kernel tree is given.
if [ -n "${KSFT_DIR:-}" ]; then
	missing=$(echo "$missing" | sed 's/ linux-source-6.1//')
fi
# --for-tests: the validator into build/npm/, unless that version is there.
npm_tools() {
	[ $for_tests -eq 1 ] || return 0
	grep -qs "\"version\": \"$VALIDATOR_VERSION\"" "$NPM_DIR/node_modules/@action-validator/cli/package.json" &&
		[ -x "$NPM_DIR/node_modules/.bin/action-validator" ] && return 0
	echo "deps: installing $VALIDATOR into $NPM_DIR"
	mkdir -p "$NPM_DIR"
	# shellcheck disable=SC2086  # one word per package
	npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error $VALIDATOR >/dev/null || {
		echo "deps: npm install $VALIDATOR failed" >&2
		exit 2
	}
}

if [ -z "$missing" ]; then
	npm_tools
	exit 0
fi

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "deps: missing packages:$missing" >&2
	case "$missing" in
	*:i386*) cmd="dpkg --add-architecture i386 && apt-get update && $cmd" ;;
	*) cmd="apt-get update && $cmd" ;;
	esac
	echo "deps: run as root:  $cmd" >&2
	exit 2
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# An :i386 package needs dpkg to know the architecture, and fresh lists.
case "$missing" in
*:i386*)
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		$sudo dpkg --add-architecture i386
		$sudo apt-get update -q
	fi ;;
esac
# A stale package list is the usual reason an install fails on a fresh machine.
$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
	$sudo apt-get update -q
	$sudo apt-get install -y -q --no-install-recommends $missing
}
npm_tools
