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
  -j N             run N cases at once (default: number of CPUs); in a
                   QEMU guest the runner checks dmesg and runs one at a time
  --timeout S      kill a case after S seconds (default 60; scaled x5 in
                   a QEMU guest under TCG)
  --kernel K       run in a QEMU guest: K is a name of kernels/kernels.conf
                   (5.10, 6.1, 6.12, 7.2; fetched once, then cached) or the
                   path of your own kernel image (bzImage or vmlinux)
  --matrix         run on this kernel and every kernel of kernels.conf
  --vms N          with --matrix: boot up to N kernels at once (default:
                   number of CPUs); the host run goes alongside
  -- PROG...       run these static programs instead of the cases (each is
                   reported as a case named after the file). Each word after
                   -- is one program; to give it arguments, quote the whole
                   command line as one word, split like sh does (quotes, no
                   expansion): -- ./t1 './t2 --flag x' "./t3 -n 'a b'"
                   (a word that is itself an executable's path is taken
                   whole). A program with arguments runs through a small
                   generated /bin/sh wrapper; its id is its file name.
  -h, --help       this text
Results go to results/<run-id>/ (run.tap, summary.json, one .tap per case;
for a guest also console.log and boot.env); results/latest points at the
newest run. When a guest panics or hangs, the kernel is booted again with
the cases not yet run (DIR/resume-N/), and the results are merged into one
summary.json: the case that was running is a crash with the console text.
A matrix writes each kernel's output to <kernel>/output.log and prints one
line per kernel as it starts and ends, then the table. Ctrl-C (or SIGTERM)
stops the guests, keeps what finished, writes the reports for it, marks
the run INCOMPLETE and exits 130.
USAGE
}

die() { echo "run.sh: $*" >&2; exit 2; }

filters=()
jobs=""
timeout=60
list=0
kernel=""
matrix=0
vms=""
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
	--vms) [ $# -ge 2 ] || die "--vms needs a number"; vms=$2; shift ;;
	--vms=*) vms=${1#--vms=} ;;
	--) shift; programs=("$@"); break ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown option '$1'" ;;
	esac
	shift
done

if [ -n "$jobs" ] && ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
	die "-j wants a whole number above 0, not '$jobs'"
fi
if [ -n "$vms" ] && ! [[ "$vms" =~ ^[1-9][0-9]*$ ]]; then
	die "--vms wants a whole number above 0, not '$vms'"
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

harness/deps.sh || die "missing dependencies (see above)"
make -s -j"$(nproc)" all >&2 || die "build failed"
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
		for id in "${ids[@]}"; do bins+=("build/cases/$id"); done
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

# run_guest KERNEL DIR: boot KERNEL with every program; results in DIR.
# After a panic or hang (boot.sh 3 or 4) boot it again with the programs
# not yet run, into DIR/resume-1/, DIR/resume-2/, ... (at most as many boots
# as programs), then merge every boot into DIR/summary.json and DIR/run.tap
# (harness/report/resume.py): the case that was running is a crash with
# the console text. 2 and 5 (set-up, QEMU) stay set-up errors.
run_guest() {
	local k=$1 dir=$2 sub=$2 n=1 status rc running notrun p
	local whole=${timeout%.*}
	local -a todo=("${bins[@]}") next
	[ "$whole" -ge 1 ] 2>/dev/null || whole=1
	while :; do
		in_bg kernels/boot.sh -t "$whole" -k "$known" ${aux[@]+"${aux[@]}"} -o "$sub" "$k" -- "${todo[@]}"
		status=$?
		[ $interrupted -eq 0 ] || status=130
		case $status in
		0|1) [ $n -eq 1 ] && return $status ;;
		3|4) running=$(sed -n 's/^running_case=//p' "$sub/boot.env" 2>/dev/null)
		     notrun=$(sed -n 's/^not_run=//p' "$sub/boot.env" 2>/dev/null)
		     if [ -z "$(sed -n 's/^guest_uptime_at_runner_s=//p' "$sub/boot.env" 2>/dev/null)" ]; then
			echo "run.sh: kernel $k: the guest $([ $status = 3 ] && echo died || echo hung) before the runner started; results in $sub" >&2
			[ $n -eq 1 ] && return 1
		     else
			echo "run.sh: kernel $k: the guest $([ $status = 3 ] && echo panicked || echo hung)" \
				"while running $running (boot $n); $(set -f; set -- $notrun; echo $#) program(s) not run yet" >&2
			next=()
			for p in "${bins[@]}"; do
				case " $notrun " in *" $(prog_id "$p") "*) next+=("$p") ;; esac
			done
			if [ ${#next[@]} -gt 0 ] && [ $n -lt ${#bins[@]} ]; then
				todo=("${next[@]}")
				sub=$dir/resume-$n
				n=$((n + 1))
				echo "run.sh: kernel $k: boot $n with the ${#todo[@]} program(s) not run, into $sub" >&2
				continue
			fi
		     fi ;;
		130) echo "run.sh: kernel $k: interrupted (boot $n stopped)" >&2
		     [ $n -eq 1 ] && return 130 ;;
		*) [ $n -eq 1 ] && return 2 ;;
		esac
		break
	done
	/usr/bin/python3 harness/report/resume.py "$dir"
	rc=$?
	echo "run.sh: kernel $k: $n boots merged into $dir/summary.json" >&2
	case $status in
	130) return 130 ;;
	0|1|3|4) return $rc ;;
	*) [ $rc -ge 2 ] && return $rc; return 2 ;;
	esac
}

if [ -n "$kernel" ]; then
	out=$(new_run_dir "$(basename "$kernel")") || exit 2
	echo "run.sh: results in $out" >&2
	set_bins "$out"
	trap on_signal INT TERM
	run_guest "$kernel" "$out"
	exit $?
fi
if [ $matrix -eq 0 ]; then
	out=$(new_run_dir "host-$(uname -r)") || exit 2
	set_bins "$out"
	# In the foreground: the runner gets Ctrl-C itself and keeps what finished.
	build/runner ${jobs:+-j "$jobs"} -t "$timeout" -o "$out" --known "$known" "${bins[@]}"
	exit $?
fi

# ------------------------------------------------------------------
# The matrix: this kernel and every kernel of kernels.conf, one folder each,
# up to --vms guests at once (the host run alongside). Each kernel's output
# goes to <kernel>/output.log; stdout gets a line per kernel as it starts
# and ends, then matrix.json/.md/.html, junit.xml, drift.md and the table.
# Ctrl-C / SIGTERM: the guests are stopped, unfinished kernels get a file
# INTERRUPTED, the run a file INCOMPLETE; reports for what finished; 130.
# ------------------------------------------------------------------
out=$(new_run_dir matrix) || exit 2
set_bins "$out"
trap on_signal INT TERM
slots=${vms:-$(nproc)}
t_start=$(date +%s.%N)
since_start() { awk "BEGIN { printf \"%5.1f\", $(date +%s.%N) - $t_start }"; }
in_bg kernels/fetch.sh >&2 || [ $interrupted -eq 1 ] ||
	echo "run.sh: some kernels could not be fetched (above); going on with the rest" >&2
kernels_all=(host)
[ $interrupted -eq 1 ] || mapfile -t -O 1 kernels_all < <(kernels/fetch.sh --list)
echo "# matrix in $out: host and $((${#kernels_all[@]} - 1)) kernel(s), up to $slots VM(s) at once"
echo "# each kernel's output: $out/<kernel>/output.log"

declare -A job_kernel=()	# pid -> kernel
declare -A done_kernel=()	# kernel -> exit status
worst=0

# A kernel's job: a subshell that passes SIGTERM on to its boot.sh/runner.
start_job() {	# start_job KERNEL
	local k=$1 d=$out/$1
	mkdir -p "$d"
	(
		interrupted=0 bpid=""
		trap on_signal TERM
		if [ "$k" = host ]; then run_host "$d"; else run_guest "$k" "$d"; fi
	) >"$d/output.log" 2>&1 &
	job_kernel[$!]=$k
	echo "# [$(since_start) s] $k: started"
}

# A kernel's result line from its summary.json.
kernel_line() {	# kernel_line KERNEL STATUS
	/usr/bin/python3 - "$out/$1" "$2" <<'PY'
import json, os, sys
d, rc = sys.argv[1], sys.argv[2]
try:
    s = json.load(open(os.path.join(d, "summary.json")))
except (OSError, ValueError):
    print(f"no results (exit {rc}; see {d}/output.log)")
    sys.exit()
t, c = s["totals"], s["totals"]["cases"]
boots = len(s.get("boots", [])) or 1
extra = f", {boots} boots (resumed after a guest panic or hang)" if boots > 1 else ""
bad = ", ".join(f"{c[k]} {k}" for k in ("fail", "timeout", "crash", "error", "notrun") if c.get(k))
print(f"{t['passed']} passed, {t['failed']} failed, {t['skipped']} skipped"
      f"{' (' + bad + ')' if bad else ''}{extra}; exit {rc}")
PY
}

# Wait for one job; record it. Fails when a signal came instead.
reap_one() {
	local pid st
	wait -n -p pid "${!job_kernel[@]}"
	st=$?
	if [ -z "${pid:-}" ]; then
		return 1	# interrupted by a signal (on_signal ran)
	fi
	local k=${job_kernel[$pid]}
	unset "job_kernel[$pid]"
	done_kernel[$k]=$st
	[ $st -eq 130 ] && return 0
	[ $st -gt $worst ] && worst=$st
	echo "# [$(since_start) s] $k: $(kernel_line "$k" "$st")"
}

running_vms() {
	local n=0 pid
	for pid in "${!job_kernel[@]}"; do [ "${job_kernel[$pid]}" = host ] || n=$((n + 1)); done
	echo $n
}

for k in "${kernels_all[@]}"; do
	[ $interrupted -eq 0 ] || break
	if [ "$k" != host ]; then
		while [ $interrupted -eq 0 ] && [ "$(running_vms)" -ge "$slots" ]; do reap_one || true; done
		[ $interrupted -eq 0 ] || break
	fi
	start_job "$k"
done
while [ ${#job_kernel[@]} -gt 0 ]; do
	if [ $interrupted -eq 1 ]; then
		for pid in "${!job_kernel[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	fi
	reap_one || true
done

if [ $interrupted -eq 1 ]; then
	finished="" unfinished=""
	for k in "${kernels_all[@]}"; do
		if [ "${done_kernel[$k]:-130}" != 130 ]; then finished="$finished $k"; continue; fi
		unfinished="$unfinished $k"
		mkdir -p "$out/$k" && : >"$out/$k/INTERRUPTED"
	done
	printf 'interrupted at %s\nfinished:%s\nnot finished:%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		"$finished" "$unfinished" >"$out/INCOMPLETE"
	echo "# [$(since_start) s] interrupted: stopped the guests; the kernels that finished are kept"
fi

echo "# [$(since_start) s] matrix wall time, up to $slots VM(s) at once"
/usr/bin/python3 harness/report/matrix.py "$out" --baseline results/baseline ||
	echo "run.sh: the matrix reports for $out could not be written (above)" >&2
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
top = sys.argv[1]
total = {"passed": 0, "failed": 0, "skipped": 0, "known": 0}
print(f"# matrix in {top}")
print(f"# {'kernel':<8} {'release':<32} {'passed':>7} {'failed':>7} {'skipped':>8} {'known':>6}")
for name in sorted(os.listdir(top), key=lambda n: (n != "host", n)):
    if name.startswith(".") or not os.path.isdir(os.path.join(top, name)):
        continue	# the reports: matrix.md, matrix.html, junit.xml, ...
    path = os.path.join(top, name, "summary.json")
    if not os.path.exists(path):
        why = "(interrupted)" if os.path.exists(os.path.join(top, name, "INTERRUPTED")) else "(no results)"
        print(f"# {name:<8} {why:<32}")
        continue
    d = json.load(open(path))
    t = d["totals"]
    for key in total:
        total[key] += t[key]
    print(f"# {name:<8} {d['kernel']['release']:<32} {t['passed']:>7} {t['failed']:>7} {t['skipped']:>8} {t['known']:>6}")
if os.path.exists(os.path.join(top, "INCOMPLETE")):
    print(f"# INCOMPLETE: the run was interrupted ({top}/INCOMPLETE)")
print(f"{total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
PY
[ $interrupted -eq 1 ] && exit 130
exit $worst
