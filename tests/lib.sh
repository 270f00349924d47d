# shellcheck shell=bash
# Shared by the tests/*.t scripts: a tiny TAP producer and result readers.
# Each .t script runs from the repository root with build/ already made.
set -u
cd "$(dirname "$0")/.." || exit 1

TEST_NUM=0
TEST_FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/aioconf-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3	# Debian's python3, not a pyenv one (DESIGN.md 4b)
# ./run.sh from a test writes its results here, not into the user's results/.
export AIOCONF_RESULTS=$TMP/results

plan() { echo "1..$1"; }

# ok STATUS DESCRIPTION: pass when STATUS (usually $?) is 0; returns STATUS.
ok() {
	local status=$1; shift
	TEST_NUM=$((TEST_NUM + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $TEST_NUM - $*"
	else
		echo "not ok $TEST_NUM - $*"
		TEST_FAILED=$((TEST_FAILED + 1))
	fi
	return "$status"	# so that `ok ... || show_details` works
}

# is GOT WANT DESCRIPTION
is() {
	local got=$1 want=$2; shift 2
	[ "$got" = "$want" ]
	ok $? "$* (got '$got', want '$want')"
}

skip() { TEST_NUM=$((TEST_NUM + 1)); echo "ok $TEST_NUM # SKIP $*"; }

# sigint_ignored: true when this process inherited SIGINT ignored (as a
# command started with `&` by a shell without job control, or under
# nohup ... &, does): no program it starts can then see a Ctrl-C, and bash
# cannot even trap it. Prints what /proc/self/status says.
sigint_ignored() {
	local mask
	mask=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status 2>/dev/null)
	[ -n "$mask" ] && (((16#$mask >> 1) & 1)) && echo "SigIgn $mask has SIGINT"
}

# field SUMMARY.JSON CASE-ID KEY: a case's status, or counts.<result>.
field() {
	"$PY" - "$@" <<'PY'
import json, sys
summary, case_id, key = sys.argv[1:4]
data = json.load(open(summary))
for c in data["cases"]:
    if c["id"] == case_id:
        value = c
        for part in key.split("."):
            value = value[part]
        print(value)
        break
else:
    print("missing")
PY
}

# total SUMMARY.JSON KEY: totals.<key>
total() {
	"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d
for p in sys.argv[2].split("."): v=v[p]
print(v)' "$1" "$2"
}

finish() { [ "$TEST_FAILED" -eq 0 ]; exit $?; }
