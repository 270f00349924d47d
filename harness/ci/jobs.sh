#!/usr/bin/env bash
# The job matrix of .github/workflows/matrix.yml, from kernels/kernels.conf:
#   harness/ci/jobs.sh [SHARDS]     (default 2)
# prints one line of JSON, {"include": [...]}, an entry per column and shard:
#   {"column": "6.1-i386", "kernel": "6.1", "abi": "i386", "shard": 1, "of": 2}
# Columns: host and host-i386 (this machine's kernel, x86_64 and i386
# programs, as in a one-machine matrix), each x86-64 kernel
# twice (x86_64 and i386, column K-i386), each arm64 kernel (a NAME ending
# in -arm64) once (aarch64). The names come from kernels/fetch.sh --list,
# the same reader run.sh uses.
# Exit status: 0, or 2 on a bad SHARDS (more than 256 jobs too) or a name
# that is not a plain word.
set -euo pipefail
cd "$(dirname "$0")/../.."

shards=${1:-2}
case "$shards" in
''|*[!0-9]*|0*) echo "jobs.sh: SHARDS must be a number from 1 to 64, not '$shards'" >&2; exit 2 ;;
esac
[ "$shards" -le 64 ] || { echo "jobs.sh: SHARDS must be a number from 1 to 64, not '$shards'" >&2; exit 2; }

kernels=$(kernels/fetch.sh --list) || { echo "jobs.sh: kernels/fetch.sh --list failed" >&2; exit 2; }

entries=()
add() {	# add COLUMN KERNEL ABI: one entry per shard
	local i
	for ((i = 1; i <= shards; i++)); do
		entries+=("$(printf '{"column": "%s", "kernel": "%s", "abi": "%s", "shard": %d, "of": %d}' \
			"$1" "$2" "$3" "$i" "$shards")")
	done
}

add host host x86_64
add host-i386 host i386
for k in $kernels; do
	# Printed into JSON as it is: only plain names.
	case "$k" in
	*[!A-Za-z0-9._-]*) echo "jobs.sh: kernel name '$k' is not a plain word" >&2; exit 2 ;;
	esac
	case "$k" in
	*-arm64) add "$k" "$k" aarch64 ;;
	*) add "$k" "$k" x86_64; add "$k-i386" "$k" i386 ;;
	esac
done

# GitHub runs at most 256 jobs from one matrix.
[ ${#entries[@]} -le 256 ] ||
	{ echo "jobs.sh: ${#entries[@]} jobs, more than the 256 of one GitHub matrix: fewer SHARDS" >&2; exit 2; }

sep=""
printf '{"include": ['
for e in "${entries[@]}"; do printf '%s%s' "$sep" "$e"; sep=", "; done
printf ']}\n'
