#!/bin/sh
# Put kselftest_harness.h and kselftest.h into DIR (usage: ksft-headers.sh DIR).
# Source: $KSFT_DIR (a kernel tree's tools/testing/selftests) if set, else
# Debian's linux-source-6.1 tarball. They are used at build time, never committed.
set -eu
out=${1:?usage: ksft-headers.sh DIR}
mkdir -p "$out"
names="kselftest_harness.h kselftest.h"

if [ -n "${KSFT_DIR:-}" ]; then
	for n in $names; do
		[ -f "$KSFT_DIR/$n" ] || { echo "ksft-headers: $KSFT_DIR/$n not found (KSFT_DIR must be tools/testing/selftests of a kernel tree)" >&2; exit 2; }
		cp "$KSFT_DIR/$n" "$out/$n.tmp" && touch "$out/$n.tmp" && mv "$out/$n.tmp" "$out/$n"
	done
	exit 0
fi

tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
	echo "ksft-headers: /usr/src/linux-source-6.1.tar.xz is missing: run 'make deps' (or set KSFT_DIR)" >&2
	exit 2
fi
tmp=$(mktemp -d "$out/extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The headers sit deep inside a ~130 MB archive: tar has to read all of it.
tar -xf "$tarball" -C "$tmp" --wildcards \
	'*/tools/testing/selftests/kselftest_harness.h' \
	'*/tools/testing/selftests/kselftest.h'
for n in $names; do
	mv "$tmp"/*/tools/testing/selftests/$n "$out/$n"
	touch "$out/$n"   # tar keeps the 2022 mtime; make must see it as new
done
