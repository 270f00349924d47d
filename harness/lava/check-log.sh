#!/bin/sh
# check-log.sh LOG: judge a saved console log of run-aioconf.sh (a tuxrun
# --log-file-text, a LAVA job's log, a serial capture; "-" reads stdin).
#
#   exit 0  the run completed and the runner exited 0 (no unexpected failure)
#   exit 1  the run completed and the runner exited 1 (unexpected failures)
#   exit 2  no end marker after the last run's start: the run did not finish
#           (killed, timed out, the device crashed, the runner failed). An
#           error, never a pass.
#
# The last of these lines decides, wherever it sits in a line (a console
# may put a timestamp or kernel messages before it):
#   # aioconf runner: kernel ...                      a run started
#   # aioconf-run-end rc=R passed=P failed=F skipped=S  it completed
#   # aioconf-run-incomplete rc=R: WHY                  it did not
# POSIX sh and awk, like run-aioconf.sh.
set -u

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	echo "usage: $0 LOG" >&2
	exit 2
fi
log=$1
if [ "$log" != - ] && [ ! -r "$log" ]; then
	echo "check-log.sh: cannot read $log" >&2
	exit 2
fi
[ "$log" = - ] && log=/dev/stdin

awk -v name="$1" '
{ sub(/\r$/, "") }
index($0, "# aioconf runner: kernel ") {
	state = "started"
	why = "the run started but printed no end marker"
}
match($0, /# aioconf-run-incomplete rc=.*/) {
	state = "incomplete"
	why = substr($0, RSTART + 2)
}
match($0, /# aioconf-run-end rc=[0-9]+ passed=[0-9]+ failed=[0-9]+ skipped=[0-9]+/) {
	state = "end"
	end = substr($0, RSTART + 2, RLENGTH - 2)
}
END {
	if (state == "end") {
		split(end, f, /[ =]/)
		rc = f[3]
		if (rc == 0 || rc == 1) {
			printf "check-log.sh: %s: complete run, %s\n", name, end
			exit rc
		}
		why = "the end marker has rc " rc
	}
	if (state == "")
		why = "no aioconf run in it"
	printf "check-log.sh: %s: no end marker: %s (an error, never a pass)\n", name, why
	exit 2
}' "$log"
