#!/usr/bin/env bash
# aioconf: run the conformance cases on the running kernel.
# Exit status: 0 no unexpected failure, 1 failures, 2 usage or set-up error,
# 130 interrupted (what finished is kept in results/).
set -uo pipefail
cd "$(dirname "$0")" || exit 2

usage() {
	cat <<'USAGE'
usage: ./run.sh [options]
  --list           list the case ids and exit
  --filter GLOB    run only cases whose id matches GLOB (e.g. 'uring/*');
                   may be given more than once
  -j N             run N cases at once (default: number of CPUs)
  --timeout S      kill a case after S seconds (default 60)
  --kernel NAME    run in a QEMU guest (not available yet: kernel matrix, issue 4)
  --matrix         run the whole kernel matrix (not available yet: issue 4)
  -h, --help       this text
Results go to results/<run-id>/ (run.tap, summary.json, one .tap per case);
results/latest points at the newest run.
USAGE
}

die() { echo "run.sh: $*" >&2; exit 2; }

filters=()
jobs=""
timeout=60
list=0
while [ $# -gt 0 ]; do
	case "$1" in
	--list) list=1 ;;
	--filter) [ $# -ge 2 ] || die "--filter needs a GLOB"; filters+=("$2"); shift ;;
	--filter=*) filters+=("${1#--filter=}") ;;
	-j) [ $# -ge 2 ] || die "-j needs a number"; jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout=$2; shift ;;
	--timeout=*) timeout=${1#--timeout=} ;;
	--kernel|--kernel=*|--matrix|--)
		die "$1: QEMU kernels are not available yet (issue 4); this version runs on the host kernel only" ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown option '$1'" ;;
	esac
	shift
done

if [ -n "$jobs" ] && ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
	die "-j wants a whole number above 0, not '$jobs'"
fi
if ! [[ "$timeout" =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk "BEGIN { exit !($timeout > 0) }"; then
	die "--timeout wants a number of seconds above 0, not '$timeout'"
fi

# Case ids come from the sources, so --list needs no build.
all_ids=()
for src in cases/*/*.c; do
	id=${src#cases/}
	all_ids+=("${id%.c}")
done
ids=()
for id in "${all_ids[@]}"; do
	if [ ${#filters[@]} -eq 0 ]; then
		ids+=("$id")
		continue
	fi
	for glob in "${filters[@]}"; do
		# shellcheck disable=SC2053  # the glob is meant to match
		if [[ "$id" == $glob ]]; then ids+=("$id"); break; fi
	done
done
if [ ${#ids[@]} -eq 0 ]; then
	die "--filter '${filters[*]}' matches no case (see ./run.sh --list)"
fi
if [ $list -eq 1 ]; then
	printf '%s\n' "${ids[@]}"
	exit 0
fi

harness/deps.sh || die "missing dependencies (see above)"
make -s -j"$(nproc)" all >&2 || die "build failed"

run_id="$(date -u +%Y%m%dT%H%M%SZ)-host-$(uname -r)"
out="results/$run_id"
n=1
while [ -e "$out" ]; do out="results/$run_id.$n"; n=$((n + 1)); done
mkdir -p "$out" || die "cannot create $out"
ln -sfn "$(basename "$out")" results/latest.tmp && mv -T results/latest.tmp results/latest

bins=()
for id in "${ids[@]}"; do bins+=("build/cases/$id"); done
build/runner ${jobs:+-j "$jobs"} -t "$timeout" -o "$out" \
	--known cases/known-failures.txt "${bins[@]}"
