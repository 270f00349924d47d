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
  -j N             run N cases at once (1-1024; default: number of CPUs); in
                   a QEMU guest the runner checks dmesg and runs one at a time
  --timeout S      kill a case after S seconds (default 60; scaled x5 in
                   a QEMU guest under TCG)
  -v, --verbose    print the full TAP (every case's own output nested behind
                   "# ") on a terminal too; without a terminal it always is
  --kernel K       run in a QEMU guest: K is a name of kernels/kernels.conf
                   (5.10, 6.1, 6.12, 7.2, 7.3, 7.3-rt, next; the arm64
                   kernels 6.1-arm64, 7.3-arm64; fetched once, then cached)
                   or the path of your own kernel image
  --abi ABI        x86_64: the cases as 64-bit programs (the default of a
                   host or --kernel run); i386: as 32-bit x86 programs
                   (make cases32), the compat ABI of a 64-bit kernel, in
                   folders named ...-i386. A matrix on an x86-64 machine
                   runs both, each kernel a column per ABI, unless --abi
                   names one. An arm64 kernel runs the cases built for
                   aarch64 (make cases-arm64) under qemu-system-aarch64
  --cpus N         guest CPUs (default 1)
  --mem MB         guest memory in MiB (default 1024)
  --file FILE      with --kernel: send FILE into the guest beside the
                   programs (a helper script, a data file); repeatable
  --matrix         run on this kernel and every kernel of kernels.conf but
                   the arm64 ones, on x86-64 as both ABIs (columns <kernel>
                   and <kernel>-i386)
  --matrix all     the same and the arm64 kernels (columns <kernel>-arm64;
                   each about as long as an x86-64 column under TCG)
  --vms N          with --matrix: boot up to N guests at once (default:
                   twice the number of CPUs); the host run goes alongside
  --shard I/N      run the I-th of N parts of the work (1 <= I <= N), for
                   N machines: of a --matrix (whole columns and parts of
                   columns), of a --kernel run or of the host run (parts of
                   its cases). The split weighs each case by its time in
                   results/baseline, so the parts take about the same time,
                   and is the same on every machine (shard_plan.py says
                   how). The folder is named ...-shard-I-of-N and has
                   shard.json
  --merge DIR...   merge the folders of all the shards (of one or more
                   sharded runs: e.g. one per kernel) into one matrix
                   folder with the reports of a one-machine matrix; a
                   missing or repeated shard is an error that names it
  -- PROG...       run these static programs instead of the cases (each is
                   reported as a case named after the file). Each word after
                   -- is one program; to give it arguments, quote the whole
                   command line as one word, split like sh does (quotes, no
                   expansion): -- ./t1 './t2 --flag x' "./t3 -n 'a b'"
                   (a word that is itself an executable's path is taken
                   whole). A program with arguments runs through a small
                   generated /bin/sh wrapper; its id is its file name.
                   A program that prints TAP is judged by its TAP; one that
                   prints none by its exit status: 0 pass, 77 or 4 skip,
                   anything else fail.
  -h, --help       this text
Results go to results/<run-id>/ (run.tap, summary.json, one .tap per case;
for a guest also console.log and boot.env), or under $AIOCONF_RESULTS when
set; results/latest points at the newest run that ran. When a guest panics
or hangs, the kernel is booted again with the cases not yet run
(DIR/resume-N/), and the results are merged into one summary.json: the
case that was running is a crash with the console text. A matrix writes
each kernel's output to <kernel>/output.log and prints one line per kernel
as it starts and ends, then the table. Ctrl-C (or SIGTERM) stops the
runner or the guests, keeps what finished, marks the run interrupted and
exits 130.
USAGE
}

die() { echo "run.sh: $*" >&2; exit 2; }

filters=()
jobs=""
timeout=60
list=0
kernel=""
kernel_given=0
matrix=0
matrix_all=0
vms=""
abi=""
verbose=0
guest_opts=()	# boot.sh options: --cpus, --mem, -f
programs=()
shard=""	# I/N
merge=0
merge_dirs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--list) list=1 ;;
	--filter) [ $# -ge 2 ] || die "--filter needs a GLOB"; filters+=("$2"); shift ;;
	--filter=*) filters+=("${1#--filter=}") ;;
	-j) [ $# -ge 2 ] || die "-j needs a number"; jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout=$2; shift ;;
	--timeout=*) timeout=${1#--timeout=} ;;
	-v|--verbose) verbose=1 ;;
	--kernel) [ $# -ge 2 ] || die "--kernel needs a NAME or a PATH"; kernel=$2 kernel_given=1; shift ;;
	--kernel=*) kernel=${1#--kernel=} kernel_given=1 ;;
	--cpus|--mem|--file)
		[ $# -ge 2 ] || die "$1 needs a value"
		case "$1" in --file) guest_opts+=(-f "$2") ;; *) guest_opts+=("$1" "$2") ;; esac
		shift ;;
	--matrix) matrix=1
		if [ "${2:-}" = all ]; then matrix_all=1; shift; fi ;;
	--matrix=all) matrix=1 matrix_all=1 ;;
	--vms) [ $# -ge 2 ] || die "--vms needs a number"; vms=$2; shift ;;
	--abi) [ $# -ge 2 ] || die "--abi needs x86_64 or i386"; abi=$2; shift ;;
	--vms=*) vms=${1#--vms=} ;;
	--shard) [ $# -ge 2 ] || die "--shard needs I/N"; shard=$2; shift ;;
	--shard=*) shard=${1#--shard=} ;;
	--merge) shift; merge_dirs=("$@"); merge=1; break ;;
	--) shift; programs=("$@"); break ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown option '$1'" ;;
	esac
	shift
done

[ $kernel_given -eq 0 ] || [ -n "$kernel" ] || die "--kernel wants a NAME or a PATH, not an empty word"
if [ -n "$jobs" ] && ! { [[ "$jobs" =~ ^[1-9][0-9]{0,3}$ ]] && [ "$jobs" -le 1024 ]; }; then
	die "-j wants a whole number from 1 to 1024, not '$jobs'"
fi
if [ -n "$vms" ] && ! [[ "$vms" =~ ^[1-9][0-9]*$ ]]; then
	die "--vms wants a whole number above 0, not '$vms'"
fi
if ! [[ "$timeout" =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk "BEGIN { exit !($timeout > 0) }"; then
	die "--timeout wants a number of seconds above 0, not '$timeout'"
fi
[ ${#guest_opts[@]} -eq 0 ] || [ -n "$kernel" ] || [ $matrix -eq 1 ] ||
	die "--cpus, --mem and --file are for a guest (--kernel or --matrix)"
# Every run needs a temporary directory (the runner's, the guest's disk).
if [ -n "${TMPDIR+set}" ] && ! { [ -d "$TMPDIR" ] && [ -w "$TMPDIR" ]; }; then
	die "TMPDIR='$TMPDIR' is not a writable directory (unset it or point it at one)"
fi
RESULTS=${AIOCONF_RESULTS:-results}
kbuild=${AIOCONF_KERNELS_DIR:-build/kernels}
if [ -n "$shard" ]; then
	[[ "$shard" =~ ^([1-9][0-9]{0,3})/([1-9][0-9]{0,3})$ ]] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] ||
		die "--shard wants I/N with 1 <= I <= N (up to 9999), not '$shard'"
	[ ${#programs[@]} -eq 0 ] || die "--shard splits the cases, not -- PROG"
fi

# A fresh results folder (never reused). results/latest moves to it only
# when the run ran (ran_into), so it never points at an empty folder.
new_run_dir() {
	local base dir n=1
	base="$RESULTS/$(date -u +%Y%m%dT%H%M%SZ)-$1"
	dir=$base
	while [ -e "$dir" ]; do dir="$base.$n"; n=$((n + 1)); done
	mkdir -p "$dir" || die "cannot create $dir"
	echo "$dir"
}

# ran_into DIR STATUS: after a run. A folder with results becomes
# results/latest; one a set-up error left empty (only run.sh's .programs/)
# is removed, as if it had never been made.
ran_into() {
	local dir=$1 st=$2
	if [ -e "$dir/summary.json" ] || [ -e "$dir/serial.tap" ] || [ -e "$dir/console.log" ] ||
	   [ -e "$dir/host/summary.json" ] || [ "$st" -ne 2 ]; then
		ln -sfn "$(basename "$dir")" "$RESULTS/latest.tmp" && mv -T "$RESULTS/latest.tmp" "$RESULTS/latest"
	elif [ -z "$(find "$dir" -mindepth 1 -maxdepth 1 ! -name .programs -print -quit)" ]; then
		rm -rf "$dir"
	fi
}

# A matrix's table from its folders' summary.json (a merged one's too).
matrix_table() {	# matrix_table DIR
	/usr/bin/python3 - "$1" <<'PY'
import json, os, sys
top = sys.argv[1]
total = {"passed": 0, "failed": 0, "skipped": 0, "known": 0}
print(f"# matrix in {top}")
print(f"# {'kernel':<8} {'release':<32} {'passed':>7} {'failed':>7} {'skipped':>8} {'known':>6}")
for name in sorted(os.listdir(top), key=lambda n: (not n.startswith("host"), n)):
    if name.startswith(".") or not os.path.isdir(os.path.join(top, name)):
        continue	# the reports: matrix.md, matrix.html, junit.xml, ...
    path = os.path.join(top, name, "summary.json")
    absent = os.path.join(top, name, "ABSENT")
    if os.path.exists(absent):
        print(f"# {name:<8} (absent: {open(absent).read().strip()})")
        continue
    if not os.path.exists(path):
        why = "(interrupted)" if os.path.exists(os.path.join(top, name, "INTERRUPTED")) else "(no results)"
        print(f"# {name:<8} {why:<32}")
        continue
    d = json.load(open(path))
    t = d["totals"]
    for key in total:
        total[key] += t[key]
    cut = " (interrupted)" if os.path.exists(os.path.join(top, name, "INTERRUPTED")) else ""
    if os.path.exists(os.path.join(top, name, "RC")):
        cut += " (release candidate)"
    print(f"# {name:<8} {d['kernel']['release']:<32} {t['passed']:>7} {t['failed']:>7} {t['skipped']:>8} {t['known']:>6}{cut}")
if os.path.exists(os.path.join(top, "INCOMPLETE")):
    print(f"# INCOMPLETE: the run was interrupted ({top}/INCOMPLETE)")
print(f"{total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
PY
}

# --merge DIR...: the shards' folders into one matrix folder, then its
# reports and table, as a one-machine matrix ends.
if [ $merge -eq 1 ]; then
	[ ${#merge_dirs[@]} -gt 0 ] || die "--merge needs the shards' results folders"
	for d in "${merge_dirs[@]}"; do
		[ -d "$d" ] || die "--merge: '$d' is not a folder"
	done
	[ -z "$shard$kernel" ] && [ $matrix -eq 0 ] && [ ${#filters[@]} -eq 0 ] ||
		die "--merge takes only the shards' folders (give it last: --merge DIR...)"
	t0=$EPOCHREALTIME
	out=$(new_run_dir matrix) || exit 2
	/usr/bin/python3 harness/report/merge.py "$out" "${merge_dirs[@]}"
	st=$?
	if [ $st -ge 2 ]; then
		rm -rf "$out"
		die "nothing merged (above)"
	fi
	/usr/bin/python3 harness/report/matrix.py "$out" --baseline results/baseline ||
		echo "run.sh: the matrix reports for $out could not be written (above)" >&2
	echo "# merged ${#merge_dirs[@]} shard folder(s) in $(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $t0 }") s"
	matrix_table "$out"
	ran_into "$out" 0
	exit $st
fi

# Case ids come from the sources, so --list needs no build.
all_ids=()
for src in cases/*/*.c; do
	id=${src#cases/}
	all_ids+=("${id%.c}")
done
ids=()
declare -A glob_hits=()
for id in "${all_ids[@]}"; do
	if [ ${#filters[@]} -eq 0 ]; then
		ids+=("$id")
		continue
	fi
	hit=0
	for glob in "${filters[@]}"; do
		# shellcheck disable=SC2053  # the glob is meant to match
		if [[ "$id" == $glob ]]; then glob_hits[$glob]=1; hit=1; fi
	done
	[ $hit -eq 0 ] || ids+=("$id")
done
if [ ${#ids[@]} -eq 0 ]; then
	die "--filter '${filters[*]}' matches no case (see ./run.sh --list)"
fi
for glob in ${filters[@]+"${filters[@]}"}; do
	[ -n "${glob_hits[$glob]:-}" ] ||
		echo "run.sh: warning: --filter '$glob' matches no case (see ./run.sh --list)" >&2
done
if [ $list -eq 1 ]; then
	printf '%s\n' "${ids[@]}"
	exit 0
fi

[ -n "$kernel" ] && [ $matrix -eq 1 ] && die "--kernel and --matrix exclude each other"
[ -n "$vms" ] && [ $matrix -eq 0 ] && die "--vms is for --matrix (a single kernel is one VM)"
if [ -n "$kernel" ] && ! [ -f "$kernel" ] && ! kernels/fetch.sh --list | grep -x -- "$kernel" >/dev/null; then
	die "--kernel '$kernel' is neither a kernel of kernels/kernels.conf ($(kernels/fetch.sh --list | tr '\n' ' ')) nor a file"
fi

# The runner's id of a program path (harness/runner.c case_id, boot.sh).
prog_id() {
	case "/$1" in
	*/cases/*/*) echo "${1##*cases/}" ;;
	*) basename -- "$1" ;;
	esac
}

# -- PROG...: each word is one program. A word that is an executable's path
# is taken whole; any other is a command line split like sh (quotes, no
# expansion): the program's path, then its arguments.
prog_paths=()	# the program of each word
prog_args=()	# its arguments, sh-quoted ("" for none)
seen_ids=" "
for w in "${programs[@]}"; do
	case "$w" in *$'\n'*) die "-- a program or argument with a newline in it is not supported" ;; esac
	if [ -f "$w" ] && [ -x "$w" ]; then
		path=$w args=""
	else
		split=$(/usr/bin/python3 -c '
import shlex, sys
try:
    words = shlex.split(sys.argv[1])
except ValueError as e:
    sys.exit(f"{e}")
if not words:
    sys.exit("no program in it")
print(words[0])
print(" ".join(shlex.quote(w) for w in words[1:]))' "$w" 2>&1) ||
			die "-- '$w': cannot split it into a program and arguments: $split"
		path=$(printf '%s\n' "$split" | sed -n 1p)
		args=$(printf '%s\n' "$split" | sed -n 2p)
	fi
	[ -f "$path" ] && [ -x "$path" ] ||
		die "-- '$w': $path is not an executable file (a program with arguments is one quoted word: -- 'PROG ARG...')"
	if [ -n "$args" ]; then id=$(basename -- "$path"); else id=$(prog_id "$path"); fi
	case "$seen_ids" in *" $id "*) die "-- '$w': a second program with the id '$id' (ids are file names: rename or copy one)" ;; esac
	seen_ids="$seen_ids$id "
	prog_paths+=("$path")
	prog_args+=("$args")
done

# An arm64 kernel (a kernels.conf name ending in -arm64, or an arm64
# Image: "ARM\x64" at 0x38) runs the cases built for aarch64.
is_arm64_kernel() {
	if [ -f "$1" ]; then
		[ "$(od -An -tx1 -j56 -N4 "$1" 2>/dev/null | tr -d ' ')" = 41524d64 ]
	else
		case "$1" in *-arm64) true ;; *) false ;; esac
	fi
}

# The ABIs of the run: a matrix on an x86-64 machine covers both (the
# compat paths of each kernel are a column of their own); a host or
# --kernel run the native one, unless --abi names one; an arm64 kernel
# aarch64. `--matrix all` adds aarch64 for its arm64 kernels (arm_abi).
native=$(uname -m)
arm_abi=""
[ $matrix_all -eq 0 ] || [ "$native" = aarch64 ] || arm_abi=aarch64
if [ -n "$kernel" ] && is_arm64_kernel "$kernel" && [ "$native" != aarch64 ]; then
	[ -z "$abi" ] || [ "$abi" = aarch64 ] ||
		die "--abi '$abi': an arm64 kernel runs aarch64 programs (the cases of make cases-arm64)"
	abi=aarch64
fi
case "$abi" in
"") abis=("$native")
    [ $matrix -eq 0 ] || [ "$native" != x86_64 ] || [ ${#programs[@]} -gt 0 ] || abis=(x86_64 i386) ;;
"$native") abis=("$native") ;;
aarch64) abis=(aarch64) ;;	# an arm64 kernel on another machine (above)
i386)
	[ "$native" = x86_64 ] || die "--abi i386 runs 32-bit x86 programs on an x86-64 kernel; this one is $native"
	[ ${#programs[@]} -eq 0 ] || die "--abi i386 is for the cases (make cases32), not for -- PROG"
	abis=(i386) ;;
*) if [ "$native" = x86_64 ]; then die "--abi '$abi': the ABIs here are x86_64 and i386"; fi
   die "--abi '$abi': the ABI here is $native" ;;
esac
# Where an ABI's case programs are, and the suffix of its results folders
# (of a matrix's columns too; an arm64 kernel's name says -arm64 itself).
casedir_of() {
	case "$1" in
	i386) echo build/i386/cases ;;
	"$native") echo build/cases ;;
	aarch64) echo build/arm64/cases ;;
	esac
}
suffix_of() { if [ "$1" = i386 ]; then echo -i386; else echo ""; fi; }
targets=all deps_opts=()
case " ${abis[*]} " in *" i386 "*) targets="$targets cases32" deps_opts+=(--for-i386) ;; esac
if [ -n "$arm_abi" ] || { [ "${abis[0]}" = aarch64 ] && [ "$native" != aarch64 ]; }; then
	# -- PROG on an arm64 kernel needs only the guest's runner and busybox.
	if [ ${#programs[@]} -gt 0 ]; then targets="$targets guest-arm64"; else targets="$targets cases-arm64"; fi
	deps_opts+=(--for-arm64)
fi
# A run of one ABI names its folder after it.
suffix=""
[ ${#abis[@]} -ne 1 ] || suffix=$(suffix_of "${abis[0]}")
casedir=$(casedir_of "${abis[0]}")

harness/deps.sh ${deps_opts[@]+"${deps_opts[@]}"} || die "missing dependencies (see above)"

# The build says what it does: on a terminal a counter, else one line. The
# first build compiles every case program (about 80 s on 2 cores).
build() {
	local todo n=0 line
	# shellcheck disable=SC2086  # the targets are words
	todo=$(make -n $targets 2>/dev/null | grep -c '^echo "  CC ')
	if [ "$todo" -eq 0 ]; then
		return 0
	fi
	echo "run.sh: building $todo program(s)" >&2
	if ! [ -t 2 ]; then
		# shellcheck disable=SC2086
		make -s -j"$(nproc)" $targets >&2
		return
	fi
	# shellcheck disable=SC2086
	make -s -j"$(nproc)" $targets 2>&1 | while IFS= read -r line; do
		case "$line" in
		"  AR "*) ;;
		"  CC "*) n=$((n + 1)); printf '\r\033[K[%d/%d] %s' "$n" "$todo" "${line##* }" >&2 ;;
		*) printf '\r\033[K%s\n' "$line" >&2 ;;
		esac
	done
	local st=${PIPESTATUS[0]}
	printf '\r\033[K' >&2
	return "$st"
}
build || die "build failed"
known=cases/known-failures.txt

# set_bins DIR: bins (what the runner runs) and aux (boot.sh -a: files the
# guest needs besides). A program with arguments becomes the wrapper
# DIR/.programs/progs/<name> that execs DIR/.programs/aux/<name> (a symlink
# to the program; in the guest its copy) with the arguments: the runner
# execs a path without arguments, and the id stays the program's name.
bins=()
aux=()
set_bins() {
	local i w name
	bins=() aux=()
	if [ ${#prog_paths[@]} -eq 0 ]; then
		for id in "${ids[@]}"; do bins+=("$casedir/$id"); done
		return 0
	fi
	for i in "${!prog_paths[@]}"; do
		if [ -z "${prog_args[$i]}" ]; then
			bins+=("${prog_paths[$i]}")
			continue
		fi
		name=$(basename -- "${prog_paths[$i]}")
		w=$1/.programs
		mkdir -p "$w/progs" "$w/aux" || die "cannot create $w"
		ln -sfn "$(realpath -- "${prog_paths[$i]}")" "$w/aux/$name"
		printf '#!/bin/sh\n# written by run.sh: %s with its arguments\nexec "${0%%/progs/*}/aux/%s" %s\n' \
			"$name" "$name" "${prog_args[$i]}" >"$w/progs/$name"
		chmod 755 "$w/progs/$name"
		bins+=("$w/progs/$name")
		aux+=(-a "$w/aux/$name")
	done
}

# Signals: set interrupted, and stop the child we wait for (bpid): a child
# started in the background does not get the terminal's SIGINT itself.
interrupted=0
bpid=""
on_signal() {
	interrupted=1
	[ -z "$bpid" ] || kill -TERM "$bpid" 2>/dev/null
}

# in_bg CMD...: run CMD in the background and wait for it, so that a signal
# reaches on_signal at once and on_signal can stop CMD.
in_bg() {
	local st
	"$@" &
	bpid=$!
	[ $interrupted -eq 0 ] || kill -TERM "$bpid" 2>/dev/null
	while :; do
		wait "$bpid"
		st=$?
		kill -0 "$bpid" 2>/dev/null || break
	done
	bpid=""
	return $st
}

run_host() {	# run_host DIR
	in_bg build/runner ${jobs:+-j "$jobs"} -t "$timeout" -o "$1" --known "$known" "${bins[@]}"
}

# The CPUs a case asks for with CONFORM_REQUIRE_CPUS(n) in its source
# (harness/case/conform.h), by id; a case without it is not listed.
declare -A cpus_of=()
while IFS=: read -r src n; do
	id=${src#cases/}
	id=${id%.c}
	n=${n//[!0-9]/}
	[ -z "$n" ] || [ "${cpus_of[$id]:-0}" -ge "$n" ] || cpus_of[$id]=$n
done < <(grep -o 'CONFORM_REQUIRE_CPUS([0-9]*)' cases/*/*.c 2>/dev/null)

# boot_set KERNEL DIR CPUS PROG...: boot KERNEL with the programs (CPUS: a
# --cpus for these boots, empty for the run's own) into DIR. After a panic
# or hang (boot.sh 3 or 4) boot it again with the programs not yet run,
# into DIR/resume-1/, DIR/resume-2/, ... (at most as many boots as
# programs). Sets set_status (boot.sh's status of the last boot, 130 when
# interrupted) and set_merge (1: DIR has boots to merge, resume.py).
boot_set() {
	local k=$1 dir=$2 cpus=$3 sub=$2 n=1 status running notrun p
	shift 3
	local -a set=("$@") todo=("$@") next copt=()
	[ -z "$cpus" ] || copt=(--cpus "$cpus")
	set_merge=0
	while :; do
		in_bg kernels/boot.sh -t "$whole" -k "$known" ${aux[@]+"${aux[@]}"} \
			${guest_opts[@]+"${guest_opts[@]}"} ${copt[@]+"${copt[@]}"} -o "$sub" "$k" -- "${todo[@]}"
		status=$?
		[ $interrupted -eq 0 ] || status=130
		case $status in
		3|4) running=$(sed -n 's/^running_case=//p' "$sub/boot.env" 2>/dev/null)
		     notrun=$(sed -n 's/^not_run=//p' "$sub/boot.env" 2>/dev/null)
		     if [ -z "$(sed -n 's/^guest_uptime_at_runner_s=//p' "$sub/boot.env" 2>/dev/null)" ]; then
			echo "run.sh: kernel $k: the guest $([ $status = 3 ] && echo died || echo hung) before the runner started; results in $sub" >&2
		     else
			echo "run.sh: kernel $k: the guest $([ $status = 3 ] && echo panicked || echo hung)" \
				"while running $running (boot $n); $(set -f; set -- $notrun; echo $#) program(s) not run yet" >&2
			next=()
			for p in "${set[@]}"; do
				case " $notrun " in *" $(prog_id "$p") "*) next+=("$p") ;; esac
			done
			if [ ${#next[@]} -gt 0 ] && [ $n -lt ${#set[@]} ]; then
				todo=("${next[@]}")
				sub=$dir/resume-$n
				n=$((n + 1))
				echo "run.sh: kernel $k: boot $n with the ${#todo[@]} program(s) not run, into $sub" >&2
				continue
			fi
		     fi ;;
		130) echo "run.sh: kernel $k: interrupted (boot $n stopped); what finished is kept" >&2
		     # boot.sh kept the serial TAP: merged like a panic's.
		     : >"$dir/INTERRUPTED"
		     [ -f "$sub/programs" ] && set_merge=1 ;;
		esac
		break
	done
	[ $n -eq 1 ] || set_merge=1
	set_status=$status
}

# run_guest KERNEL DIR: boot KERNEL with every program; results in DIR
# (boot_set: a guest that panics or hangs is booted again with the rest).
# A case that needs more CPUs than the guest has (cpus_of) runs in a boot
# of its own with that many, into DIR/smp/. The boots, when more than one,
# are merged into DIR/summary.json and DIR/run.tap
# (harness/report/resume.py): the case that was running when a guest
# panicked or hung is a crash with the console text. 2 and 5 (set-up,
# QEMU) stay set-up errors.
run_guest() {
	local k=$1 dir=$2 rc p want have=1 smp_cpus=0 merge=0 worst_status
	local whole=${timeout%.*}
	local -a one=() smp=()
	[ "$whole" -ge 1 ] 2>/dev/null || whole=1
	for ((p = 0; p < ${#guest_opts[@]}; p++)); do
		[ "${guest_opts[$p]}" != --cpus ] || have=${guest_opts[$((p + 1))]}
	done
	for p in "${bins[@]}"; do
		want=${cpus_of[$(prog_id "$p")]:-1}
		if [ ${#prog_paths[@]} -eq 0 ] && [ "$want" -gt "$have" ]; then
			smp+=("$p")
			[ "$want" -le $smp_cpus ] || smp_cpus=$want
		else
			one+=("$p")
		fi
	done
	if [ ${#one[@]} -eq 0 ]; then	# only cases that need more CPUs
		boot_set "$k" "$dir" "$smp_cpus" "${smp[@]}"
		smp=()
	else
		boot_set "$k" "$dir" "" "${one[@]}"
	fi
	merge=$set_merge worst_status=$set_status
	# The boot for the cases that need more CPUs, unless the kernel did not
	# come up for the others (set-up, QEMU, no runner) or a signal came.
	if [ ${#smp[@]} -gt 0 ]; then
		case $set_status in
		0|1|3|4)
			if [ "$set_status" -le 1 ] || [ -n "$(sed -n 's/^guest_uptime_at_runner_s=//p' "$dir/boot.env" 2>/dev/null)" ] ||
			   [ $merge -eq 1 ]; then
				echo "run.sh: kernel $k: a boot with $smp_cpus CPUs for the ${#smp[@]} case(s) that need them, into $dir/smp" >&2
				boot_set "$k" "$dir/smp" "$smp_cpus" "${smp[@]}"
				merge=1
				case $set_status in
				130) worst_status=130 ;;
				0|1) ;;
				*) [ "$worst_status" -gt 1 ] || worst_status=$set_status ;;
				esac
			fi ;;
		esac
	fi
	# Cases of a boot that did not come: notrun in the merge.
	if [ ${#smp[@]} -gt 0 ] && [ $merge -eq 1 ] && ! [ -f "$dir/smp/programs" ]; then
		mkdir -p "$dir/smp" && printf '%s\n' "${smp[@]}" >"$dir/smp/programs"
	fi
	if [ $merge -eq 0 ]; then
		case $worst_status in
		0|1|130) return "$worst_status" ;;
		3|4) return 1 ;;	# the guest died before its runner started
		*) return 2 ;;
		esac
	fi
	# Before the merge's closing line, which is the last line of the run.
	echo "run.sh: kernel $k: merging the boots into $dir/summary.json" >&2
	/usr/bin/python3 harness/report/resume.py "$dir"
	rc=$?
	case $worst_status in
	130) return 130 ;;
	0|1|3|4) return $rc ;;
	*) [ $rc -ge 2 ] && return $rc; return 2 ;;
	esac
}

# On a terminal (and without -v) a host or --kernel run shows one line per
# case (harness/report/terminal.py); the full TAP is in DIR/run.tap.
terminal=0
[ -t 1 ] && [ $verbose -eq 0 ] && terminal=1
viewed() {	# viewed CMD...: CMD's stdout through the terminal view, if any
	local st vpid
	if [ $terminal -eq 0 ]; then
		"$@"
		return
	fi
	exec 3> >(/usr/bin/python3 harness/report/terminal.py)
	vpid=$!
	"$@" >&3
	st=$?
	exec 3>&-
	wait "$vpid" 2>/dev/null
	return $st
}

# The programs a guest gets: what boot.sh --check validates before a
# results folder is made (a wrapper's real program is what it checks).
guest_check() {	# guest_check KERNEL
	local -a progs=()
	if [ ${#prog_paths[@]} -eq 0 ]; then
		for id in "${ids[@]}"; do progs+=("$casedir/$id"); done
	else
		progs=("${prog_paths[@]}")
	fi
	kernels/boot.sh --check ${guest_opts[@]+"${guest_opts[@]}"} "$1" -- "${progs[@]}" ||
		die "kernel $1: cannot run in a guest (above)"
}

# --shard I/N: plan_shard OUT GROUP COLUMN... writes OUT/shard.json
# (harness/report/shard_plan.py: the split, weighed by results/baseline)
# and sets shard_ids[COLUMN] to this shard's case ids of each column.
declare -A shard_ids=()
shard_name=""
[ -z "$shard" ] || shard_name="-shard-${shard%/*}-of-${shard#*/}"
plan_shard() {
	local plan line
	plan=$(/usr/bin/python3 harness/report/shard_plan.py "$shard" --group "$2" \
		--baseline results/baseline --out "$1" "${@:3}" -- "${ids[@]}") || die "--shard $shard: no plan (above)"
	while IFS= read -r line; do
		[ -z "$line" ] || shard_ids[${line%% *}]=${line#* }
	done <<<"$plan"
}
# A host or --kernel shard runs its column's part of the cases (ids).
shard_column() {	# shard_column OUT COLUMN
	plan_shard "$1" "$2" "$2"
	if [ -z "${shard_ids[$2]:-}" ]; then
		echo "run.sh: shard $shard of $2: no case (the other shards take them all); results in $1" >&2
		ran_into "$1" 0
		exit 0
	fi
	read -r -a ids <<<"${shard_ids[$2]}"
	echo "run.sh: shard $shard of $2: ${#ids[@]} case(s)" >&2
}

if [ -n "$kernel" ]; then
	col=$(basename "$kernel")$suffix
	# A shard of an absent kernel (next) says so, for the merge, and passes.
	if [ -n "$shard" ] && ! [ -f "$kernel" ]; then
		in_bg kernels/fetch.sh "$kernel" >&2 || die "kernel $kernel could not be fetched (above)"
		if [ -s "$kbuild/$kernel/ABSENT" ]; then
			out=$(new_run_dir "$col$shard_name") || exit 2
			cp "$kbuild/$kernel/ABSENT" "$out/ABSENT"
			plan_shard "$out" "$col" "$col"
			echo "run.sh: kernel $kernel is absent: $(cat "$out/ABSENT"); results in $out" >&2
			ran_into "$out" 0
			exit 0
		fi
	fi
	guest_check "$kernel"
	out=$(new_run_dir "$col$shard_name") || exit 2
	echo "run.sh: results in $out" >&2
	[ -z "$shard" ] || shard_column "$out" "$col"
	set_bins "$out"
	trap on_signal INT TERM
	viewed run_guest "$kernel" "$out"
	st=$?
	ran_into "$out" $st
	exit $st
fi
if [ $matrix -eq 0 ]; then
	out=$(new_run_dir "host$suffix-$(uname -r)$shard_name") || exit 2
	[ -z "$shard" ] || shard_column "$out" "host$suffix"
	set_bins "$out"
	json=()
	[ $terminal -eq 0 ] || json=(--case-json)
	# In the foreground: the runner gets Ctrl-C itself and keeps what finished.
	viewed build/runner ${jobs:+-j "$jobs"} -t "$timeout" -o "$out" --known "$known" \
		${json[@]+"${json[@]}"} "${bins[@]}"
	st=$?
	ran_into "$out" $st
	exit $st
fi

# ------------------------------------------------------------------
# The matrix: this kernel and every kernel of kernels.conf, a column (a
# folder) for each kernel and ABI: <kernel> and <kernel>-i386. Up to --vms
# guests at once (the host runs alongside). A column's output goes to
# <column>/output.log; stdout gets a line per column as it starts and ends,
# then matrix.json/.md/.html, junit.xml, drift.md and the table.
# Ctrl-C / SIGTERM: the guests are stopped, unfinished columns get a file
# INTERRUPTED, the run a file INCOMPLETE; reports for what finished; 130.
# ------------------------------------------------------------------
# The kernels: every one of kernels.conf, the arm64 ones only with
# `--matrix all`; the ABIs of a kernel's columns (column_abis).
mapfile -t conf_kernels < <(kernels/fetch.sh --list)
matrix_kernels=()
for k in "${conf_kernels[@]}"; do
	case "$k" in *-arm64) [ -n "$arm_abi" ] || [ $matrix_all -eq 1 ] || continue ;; esac
	matrix_kernels+=("$k")
done
column_abis() {	# column_abis KERNEL: the ABIs it gets a column for
	case "$1" in
	*-arm64) if [ -n "$arm_abi" ]; then echo "$arm_abi"; else echo "${abis[@]}"; fi ;;
	*) echo "${abis[@]}" ;;
	esac
}
run_abis=("${abis[@]}")
[ -z "$arm_abi" ] || run_abis+=("$arm_abi")
# The programs and guest options, once per ABI, with a kernel of it.
for a in "${run_abis[@]}"; do
	casedir=$(casedir_of "$a")
	ck=""
	for k in "${matrix_kernels[@]}"; do
		case "$k" in *-arm64) [ "$a" = "$arm_abi" ] ;; *) [ "$a" != "$arm_abi" ] ;; esac && { ck=$k; break; }
	done
	[ -z "$ck" ] || guest_check "$ck" >/dev/null
done
out=$(new_run_dir "matrix$suffix$shard_name") || exit 2
declare -A bins_of=()	# ABI -> its programs, a line each
for a in "${run_abis[@]}"; do
	casedir=$(casedir_of "$a")
	set_bins "$out"
	bins_of[$a]=$(printf '%s\n' "${bins[@]}")
done
trap on_signal INT TERM
# Two guests a CPU by default: a guest waits (timers, RCU, glibc's AIO
# threads) a third of its run, so on 2 cores the 12 columns took 396 s
# with 2 guests at once, 328 s with 3 and 305 s with 4 (2026-12-07).
slots=${vms:-$(($(nproc) * 2))}
t_start=$(date +%s.%N)
since_start() { awk "BEGIN { printf \"%5.1f\", $(date +%s.%N) - $t_start }"; }
in_bg kernels/fetch.sh "${matrix_kernels[@]}" >&2 || [ $interrupted -eq 1 ] ||
	echo "run.sh: some kernels could not be fetched (above); going on with the rest" >&2
kernels_all=(host)
[ $interrupted -eq 1 ] || kernels_all+=("${matrix_kernels[@]}")
echo "# matrix in $out: host and $((${#kernels_all[@]} - 1)) kernel(s), ABI ${run_abis[*]}, up to $slots VM(s) at once"
echo "# each column's output: $out/<column>/output.log"

declare -A job_column=()	# pid -> column (a kernel, with -i386 for that ABI)
declare -A done_column=()	# column -> exit status
worst=0

# A column's job: a subshell that passes SIGTERM on to its boot.sh/runner.
start_job() {	# start_job KERNEL ABI
	local k=$1 col d
	col=$1$(suffix_of "$2")
	d=$out/$col
	mkdir -p "$d"
	(
		interrupted=0 bpid=""
		trap on_signal TERM
		if [ -n "$shard" ]; then
			bins=()
			for id in ${shard_ids[$col]}; do bins+=("$(casedir_of "$2")/$id"); done
		else
			mapfile -t bins <<<"${bins_of[$2]}"
		fi
		if [ "$k" = host ]; then run_host "$d"; else run_guest "$k" "$d"; fi
	) >"$d/output.log" 2>&1 &
	job_column[$!]=$col
	echo "# [$(since_start) s] $col: started"
}

# A column's result line from its summary.json.
column_line() {	# column_line COLUMN STATUS
	/usr/bin/python3 - "$out/$1" "$2" <<'PY'
import json, os, sys
d, rc = sys.argv[1], sys.argv[2]
try:
    s = json.load(open(os.path.join(d, "summary.json")))
except (OSError, ValueError):
    print(f"no results (exit {rc}; see {d}/output.log)")
    sys.exit()
t, c = s["totals"], s["totals"]["cases"]
boots = s.get("boots", [])
resumed = sum("resume-" in b.get("dir", "") for b in boots)
smp = max((b.get("cpus", 1) for b in boots if b.get("dir", "").startswith("smp")), default=0)
extra = f", {resumed + 1} boots (resumed after a guest panic or hang)" if resumed else ""
extra += f", a {smp}-CPU boot for the cases that need it" if smp else ""
bad = ", ".join(f"{c[k]} {k}" for k in ("fail", "timeout", "crash", "error", "notrun") if c.get(k))
print(f"{t['passed']} passed, {t['failed']} failed, {t['skipped']} skipped"
      f"{' (' + bad + ')' if bad else ''}{extra}; exit {rc}")
PY
}

# The next release may be absent (kernels/fetch.sh wrote why): the
# matrix says so and goes on. A release candidate's failures are reported,
# marked, and do not fail the run.
is_absent() { [ "$1" != host ] && [ -s "$kbuild/$1/ABSENT" ]; }
is_rc() { [ "$1" != host ] && [ -s "$kbuild/$1/rc" ]; }

# Wait for one job; record it. Fails when a signal came instead.
reap_one() {
	local pid st
	wait -n -p pid "${!job_column[@]}"
	st=$?
	if [ -z "${pid:-}" ]; then
		return 1	# interrupted by a signal (on_signal ran)
	fi
	local col=${job_column[$pid]} rc=""
	local k=${col%-i386}
	unset "job_column[$pid]"
	done_column[$col]=$st
	[ $st -eq 130 ] && return 0
	if is_rc "$k"; then
		cp "$kbuild/$k/rc" "$out/$col/RC"
		rc=" (release candidate $(cat "$kbuild/$k/rc"): its failures do not fail the run)"
		[ $st -ne 1 ] && [ $st -gt $worst ] && worst=$st
	elif [ $st -gt $worst ]; then
		worst=$st
	fi
	echo "# [$(since_start) s] $col: $(column_line "$col" "$st")$rc"
}

running_vms() {
	local n=0 pid
	for pid in "${!job_column[@]}"; do
		case "${job_column[$pid]}" in host|host-*) ;; *) n=$((n + 1)) ;; esac
	done
	echo $n
}

columns_all=()	# every column of the run, in order
for k in "${kernels_all[@]}"; do
	for a in $(column_abis "$k"); do columns_all+=("$k$(suffix_of "$a")"); done
done
# The arm64 columns start first: among the longest under TCG (in a
# --matrix all, 6.1-arm64 took 114 s where the x86-64 columns took 63-105
# s), they ran alone at the end when started last: the run took 400 s,
# and 378 s with them first (2026-12-07).
start_order=()
for k in "${kernels_all[@]}"; do case "$k" in *-arm64) start_order+=("$k") ;; esac; done
for k in "${kernels_all[@]}"; do case "$k" in *-arm64) ;; *) start_order+=("$k") ;; esac; done
# --shard: the columns that are there, in the order they start, split.
if [ -n "$shard" ]; then
	plan_cols=()
	for k in "${start_order[@]}"; do
		is_absent "$k" && continue
		for a in $(column_abis "$k"); do plan_cols+=("$k$(suffix_of "$a")"); done
	done
	plan_shard "$out" matrix "${plan_cols[@]}"
	n=0 mine=""
	for col in "${plan_cols[@]}"; do
		[ -n "${shard_ids[$col]:-}" ] || continue
		read -r -a w <<<"${shard_ids[$col]}"
		n=$((n + ${#w[@]})) mine="$mine $col (${#w[@]})"
	done
	echo "# shard $shard: $n of $((${#plan_cols[@]} * ${#ids[@]})) (column, case) pieces:$mine"
fi
for k in "${start_order[@]}"; do
	first_abi=1
	for a in $(column_abis "$k"); do
		[ $interrupted -eq 0 ] || break 2
		col=$k$(suffix_of "$a")
		if is_absent "$k"; then
			mkdir -p "$out/$col" && cp "$kbuild/$k/ABSENT" "$out/$col/ABSENT"
			[ $first_abi -eq 0 ] || echo "# [$(since_start) s] $k: absent: $(cat "$kbuild/$k/ABSENT")"
			first_abi=0
			continue
		fi
		[ -z "$shard" ] || [ -n "${shard_ids[$col]:-}" ] || continue
		if [ "$k" != host ]; then
			while [ $interrupted -eq 0 ] && [ "$(running_vms)" -ge "$slots" ]; do reap_one || true; done
			[ $interrupted -eq 0 ] || break 2
		fi
		start_job "$k" "$a"
	done
done
while [ ${#job_column[@]} -gt 0 ]; do
	if [ $interrupted -eq 1 ]; then
		for pid in "${!job_column[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	fi
	reap_one || true
done

if [ $interrupted -eq 1 ]; then
	finished="" unfinished=""
	for col in "${columns_all[@]}"; do
		! is_absent "${col%-i386}" || continue
		[ -z "$shard" ] || [ -n "${shard_ids[$col]:-}" ] || continue
		if [ "${done_column[$col]:-130}" != 130 ]; then finished="$finished $col"; continue; fi
		unfinished="$unfinished $col"
		mkdir -p "$out/$col" && : >"$out/$col/INTERRUPTED"
	done
	printf 'interrupted at %s\nfinished:%s\nnot finished:%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		"$finished" "$unfinished" >"$out/INCOMPLETE"
	echo "# [$(since_start) s] interrupted: stopped the guests; the columns that finished are kept"
fi

echo "# [$(since_start) s] matrix wall time, up to $slots VM(s) at once"
/usr/bin/python3 harness/report/matrix.py "$out" --baseline results/baseline ||
	echo "run.sh: the matrix reports for $out could not be written (above)" >&2
matrix_table "$out"
ran_into "$out" 0
[ $interrupted -eq 1 ] && exit 130
exit $worst
