#!/bin/sh
# run-aioconf.sh - run the aioconf cases on a LAVA or tuxrun device.
#
#   /aioconf/run-aioconf.sh [-t SECS] [-j N] [GLOB...]
#
# Runs /aioconf/runner on every case in /aioconf/cases (or those whose id,
# <area>/<case>, matches a GLOB argument or one of the space-separated globs
# in AIOCONF_FILTER) with --case-json and the known-failures list, and copies
# the runner's TAP 13 to stdout unchanged: the console log stays kselftest
# TAP. After each case's "# aioconf-case: {...}" record it reports the case's
# test points with lava-test-case, when that is on PATH (inside a LAVA test
# shell, and so under tuxrun). Then it prints the end-of-run marker
#
#   # aioconf-run-end rc=R passed=P failed=F skipped=S
#
# only if the runner's closing line "P passed, F failed, S skipped" was its
# last line and it exited 0 or 1; otherwise
#
#   # aioconf-run-incomplete rc=R: WHY
#
# A log without the end marker is an error, never a pass (check-log.sh).
# Exit status: the runner's 0 or 1 for a complete run, 2 for anything else.
#
# Environment: AIOCONF_FILTER, AIOCONF_TIMEOUT (-t), AIOCONF_JOBS (-j),
# AIOCONF_DMESG=1 (the runner's --dmesg: a case that logs a kernel WARNING,
# BUG, Oops... fails; one case at a time), AIOCONF_KNOWN (the known-failures
# list; empty: none), AIOCONF_OUT (the runner's -o folder; default
# $TMPDIR/aioconf-results).
#
# POSIX sh: the device may have nothing but busybox.
set -u

usage() { echo "usage: $0 [-t SECS] [-j N] [GLOB...]"; }
bad_usage() { usage >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd) || exit 2
timeout=${AIOCONF_TIMEOUT:-}
jobs=${AIOCONF_JOBS:-}
known=${AIOCONF_KNOWN-$here/known-failures.txt}
out=${AIOCONF_OUT:-${TMPDIR:-/tmp}/aioconf-results}
while [ $# -gt 0 ]; do
	case $1 in
	-t) [ $# -ge 2 ] || bad_usage; timeout=$2; shift 2 ;;
	-j) [ $# -ge 2 ] || bad_usage; jobs=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) bad_usage ;;
	*) break ;;
	esac
done

lava=0
command -v lava-test-case >/dev/null 2>&1 && lava=1
sets=0
command -v lava-test-set >/dev/null 2>&1 && sets=1

# The run could not be judged: say why, tell LAVA, exit 2. No end marker.
incomplete() {
	echo "# aioconf-run-incomplete rc=$1: $2"
	echo "run-aioconf.sh: $2" >&2
	if [ "$lava" -eq 1 ]; then
		lava-test-case aioconf.run-complete --result fail
		# A TestError makes the LAVA job incomplete: an error, not a result.
		if command -v lava-test-raise >/dev/null 2>&1; then
			lava-test-raise "aioconf run incomplete (rc=$1): $2"
		fi
	fi
	exit 2
}

[ -x "$here/runner" ] || incomplete 2 "$here/runner is missing"
work=$(mktemp -d "${TMPDIR:-/tmp}/aioconf-lava.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# matches ID GLOB...: does the case id match one of the globs?
matches() {
	m_id=$1
	shift
	for m_glob; do
		# shellcheck disable=SC2254  # the glob is meant to match
		case $m_id in $m_glob) return 0 ;; esac
	done
	return 1
}

# The filter globs, split with pathname expansion off: they are matched
# against case ids, never against files.
set -f
# shellcheck disable=SC2086  # split into globs
set -- "$@" ${AIOCONF_FILTER:-}
set +f
for path in "$here"/cases/*/*; do
	[ -f "$path" ] && [ -x "$path" ] && echo "${path#"$here/cases/"}"
done >"$work/all"
for glob; do
	hit=0
	while IFS= read -r id; do
		if matches "$id" "$glob"; then hit=1; break; fi
	done <"$work/all"
	[ "$hit" -eq 1 ] || echo "run-aioconf.sh: warning: '$glob' matches no case" >&2
done
while IFS= read -r id; do
	if [ $# -eq 0 ] || matches "$id" "$@"; then
		echo "$here/cases/$id"
	fi
done <"$work/all" >"$work/cases"
[ -s "$work/cases" ] || incomplete 2 "no case to run (filter: $*)"
set --
while IFS= read -r path; do
	set -- "$@" "$path"
done <"$work/cases"
set -- --case-json -o "$out" "$@"
[ -n "$known" ] && set -- --known "$known" "$@"
[ -n "$timeout" ] && set -- -t "$timeout" "$@"
[ -n "$jobs" ] && set -- -j "$jobs" "$@"
[ "${AIOCONF_DMESG:-0}" = 1 ] && set -- --dmesg "$@"

# Copy the TAP through; report each case record's points. JSON in awk: the
# runner writes one record a line, keys in a fixed order, and a name can
# only hold a quote escaped, so the patterns below match structure only.
# Results: pass, skip; xfail -> pass (the case expected the failure);
# known -> fail (reviewed in known-failures.txt, but still a failure);
# a case that crashed, timed out, broke its TAP (error) or failed without a
# failing point -> "<area>.<case>" fail; one not run -> "<area>.<case>"
# unknown; a case with no points at all -> "<area>.<case>" by its status.
# The counts file is written only if the runner's closing line was its last.
{
	"$here/runner" "$@"
	echo $? >"$work/rc"
} | awk -v lava="$lava" -v sets="$sets" -v counts="$work/counts" '
function lava_name(s) {
	gsub(/\//, ".", s)
	gsub(/[^A-Za-z0-9._-]/, "_", s)
	return s
}
# LAVA refuses a job whose test case name repeats.
function unique(s,   n) {
	if (s in seen) {
		for (n = 2; (s "_" n) in seen; n++)
			;
		s = s "_" n
	}
	seen[s] = 1
	return s
}
function lava_run(cmd) {
	fflush()	# keep the TAP and the signals LAVA reads in order
	system(cmd)
}
function report(name, result) {
	lava_run("lava-test-case " unique(name) " --result " result)
}
function case_record(line,   id, status, rest, m, name, result, points, failed) {
	if (!match(line, /"id": "[^"]*"/))
		return
	id = substr(line, RSTART + 7, RLENGTH - 8)
	match(line, /"status": "[a-z]+"/)
	status = substr(line, RSTART + 11, RLENGTH - 12)
	id = lava_name(id)
	if (sets)
		lava_run("lava-test-set start " id)
	rest = substr(line, index(line, "\"points\": ["))
	while (match(rest, /[{]"name": "([^"\\]|\\.)*", "result": "[a-z]+"/)) {
		m = substr(rest, RSTART, RLENGTH)
		rest = substr(rest, RSTART + RLENGTH)
		result = m
		sub(/.*"result": "/, "", result)
		sub(/"$/, "", result)
		name = m
		sub(/^[{]"name": "/, "", name)
		sub(/", "result": "[a-z]+"$/, "", name)
		if (result == "xfail")
			result = "pass"
		else if (result == "known")
			result = "fail"
		if (result == "fail")
			failed++
		report(id "." lava_name(name), result)
		points++
	}
	if (status == "notrun")
		report(id, "unknown")
	else if (status == "timeout" || status == "crash" || status == "error" ||
		 (status == "fail" && !failed))
		report(id, "fail")
	else if (!points)
		report(id, status == "skip" ? "skip" : status == "pass" ? "pass" : "fail")
	if (sets)
		lava_run("lava-test-set stop")
}
{
	print
	fflush()
	last = $0
}
lava && /^# aioconf-case: [{]/ {
	case_record($0)
}
END {
	if (last ~ /^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/) {
		split(last, n, " ")
		printf "passed=%d failed=%d skipped=%d\n", n[1], n[3], n[5] >counts
	}
}'
rc=$(cat "$work/rc" 2>/dev/null) || rc=unknown
[ -s "$work/counts" ] ||
	incomplete "$rc" "the runner's output ended without its closing line \"N passed, N failed, N skipped\""
case $rc in
0|1) ;;
*) incomplete "$rc" "the runner exited $rc" ;;
esac
echo "# aioconf-run-end rc=$rc $(cat "$work/counts")"
[ "$lava" -eq 1 ] && lava-test-case aioconf.run-complete --result pass
exit "$rc"
