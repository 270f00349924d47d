#!/usr/bin/env bash
# aioconf: run the conformance cases on the running kernel.
# Exit status: 0 no unexpected failure, 1 failures, 2 usage or set-up error,
# 130 interrupted (what finished is kept in results/).
set -uo pipefail
cd "$(dirname "$0")" || exit 2

usage() {
	cat <<'USAGE'
usage: ./run.sh [options] [-- PROG...]
  --list           list the case ids and exit
  --filter GLOB    run only cases whose id matches GLOB (e.g. 'uring/*');
                   may be given more than once
  -j N             run N cases at once (default: number of CPUs)
  --timeout S      kill a case after S seconds (default 60; scaled x5 in
                   a QEMU guest under TCG)
  --kernel K       run in a QEMU guest: K is a name of kernels/kernels.conf
                   (5.10, 6.1, 6.12, 7.2; fetched once, then cached) or the
                   path of your own kernel image (bzImage or vmlinux)
  --matrix         run on this kernel and every kernel of kernels.conf
  -- PROG...       run these static programs instead of the cases (each is
                   reported as a case named after the file)
  -h, --help       this text
Results go to results/<run-id>/ (run.tap, summary.json, one .tap per case;
for a guest also console.log and boot.env); results/latest points at the
newest run.
USAGE
}

die() { echo "run.sh: $*" >&2; exit 2; }

filters=()
jobs=""
timeout=60
list=0
kernel=""
matrix=0
programs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--list) list=1 ;;
	--filter) [ $# -ge 2 ] || die "--filter needs a GLOB"; filters+=("$2"); shift ;;
	--filter=*) filters+=("${1#--filter=}") ;;
	-j) [ $# -ge 2 ] || die "-j needs a number"; jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout=$2; shift ;;
	--timeout=*) timeout=${1#--timeout=} ;;
	--kernel) [ $# -ge 2 ] || die "--kernel needs a NAME or a PATH"; kernel=$2; shift ;;
	--kernel=*) kernel=${1#--kernel=} ;;
	--matrix) matrix=1 ;;
	--) shift; programs=("$@"); break ;;
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

[ -n "$kernel" ] && [ $matrix -eq 1 ] && die "--kernel and --matrix exclude each other"
if [ -n "$kernel" ] && ! [ -f "$kernel" ] && ! kernels/fetch.sh --list | grep -qx -- "$kernel"; then
	die "--kernel '$kernel' is neither a kernel of kernels/kernels.conf ($(kernels/fetch.sh --list | tr '\n' ' ')) nor a file"
fi
for p in "${programs[@]}"; do
	[ -f "$p" ] && [ -x "$p" ] || die "-- $p: not an executable file (arguments to programs are not supported)"
done

harness/deps.sh || die "missing dependencies (see above)"
make -s -j"$(nproc)" all >&2 || die "build failed"

bins=("${programs[@]}")
if [ ${#bins[@]} -eq 0 ]; then
	for id in "${ids[@]}"; do bins+=("build/cases/$id"); done
fi
known=cases/known-failures.txt

# A fresh results folder (never reused) and results/latest pointing at it.
new_run_dir() {
	local base="results/$(date -u +%Y%m%dT%H%M%SZ)-$1" dir n=1
	dir=$base
	while [ -e "$dir" ]; do dir="$base.$n"; n=$((n + 1)); done
	mkdir -p "$dir" || die "cannot create $dir"
	ln -sfn "$(basename "$dir")" results/latest.tmp && mv -T results/latest.tmp results/latest
	echo "$dir"
}

run_host() {	# run_host DIR
	build/runner ${jobs:+-j "$jobs"} -t "$timeout" -o "$1" --known "$known" "${bins[@]}"
}

# run_guest KERNEL DIR: boot.sh's 3 (panic) and 4 (hang) become failures of
# the run with what finished kept; 2 and 5 (set-up, QEMU) stay set-up errors.
run_guest() {
	local whole=${timeout%.*} status
	[ "$whole" -ge 1 ] 2>/dev/null || whole=1
	kernels/boot.sh -t "$whole" -k "$known" -o "$2" "$1" -- "${bins[@]}"
	status=$?
	case $status in
	0|1) return $status ;;
	3|4) echo "run.sh: kernel $1: the guest $([ $status = 3 ] && echo panicked || echo hung)" \
		"while running $(sed -n 's/^running_case=//p' "$2/boot.env" 2>/dev/null); results so far in $2" >&2
	     return 1 ;;
	*) return 2 ;;
	esac
}

if [ -n "$kernel" ]; then
	out=$(new_run_dir "$(basename "$kernel")") || exit 2
	run_guest "$kernel" "$out"
	exit $?
fi
if [ $matrix -eq 0 ]; then
	out=$(new_run_dir "host-$(uname -r)") || exit 2
	run_host "$out"
	exit $?
fi

# The matrix: this kernel, then every kernel of kernels.conf, one folder each;
# then matrix.json/.md/.html, junit.xml and drift.md against results/baseline.
out=$(new_run_dir matrix) || exit 2
kernels/fetch.sh >&2 || echo "run.sh: some kernels could not be fetched (above); going on with the rest" >&2
worst=0
mkdir -p "$out/host" && run_host "$out/host"
status=$?
[ $status -gt $worst ] && worst=$status
for k in $(kernels/fetch.sh --list); do
	mkdir -p "$out/$k"
	run_guest "$k" "$out/$k"
	status=$?
	[ $status -gt $worst ] && worst=$status
done
/usr/bin/python3 harness/report/matrix.py "$out" --baseline results/baseline ||
	echo "run.sh: the matrix reports for $out could not be written (above)" >&2
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
top = sys.argv[1]
total = {"passed": 0, "failed": 0, "skipped": 0, "known": 0}
print(f"# matrix in {top}")
print(f"# {'kernel':<8} {'release':<32} {'passed':>7} {'failed':>7} {'skipped':>8} {'known':>6}")
for name in sorted(os.listdir(top), key=lambda n: (n != "host", n)):
    if not os.path.isdir(os.path.join(top, name)):
        continue	# the reports: matrix.md, matrix.html, junit.xml, ...
    path = os.path.join(top, name, "summary.json")
    if not os.path.exists(path):
        print(f"# {name:<8} {'(no results)':<32}")
        continue
    d = json.load(open(path))
    t = d["totals"]
    for key in total:
        total[key] += t[key]
    print(f"# {name:<8} {d['kernel']['release']:<32} {t['passed']:>7} {t['failed']:>7} {t['skipped']:>8} {t['known']:>6}")
print(f"{total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
PY
exit $worst
