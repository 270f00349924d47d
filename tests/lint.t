#!/usr/bin/env bash
# Every shell script passes shellcheck -S warning; the Python of
# harness/report, harness and kernels passes pyflakes. Both come from Debian
# (harness/deps.sh --for-tests).
. "$(dirname "$0")/lib.sh"
plan 2

scripts=(run.sh .ci/run kernels/*.sh harness/*.sh harness/ci/*.sh harness/lava/*.sh harness/report/*.sh tests/*.t tests/lib.sh)
if command -v shellcheck >/dev/null; then
	shellcheck -S warning -x -P SCRIPTDIR "${scripts[@]}" >"$TMP/sc" 2>&1
	ok $? "shellcheck -S warning on ${#scripts[@]} shell scripts" || sed 's/^/# /' "$TMP/sc" | head -n 60
else
	ok 1 "shellcheck is missing: harness/deps.sh --for-tests installs it"
fi
if "$PY" -m pyflakes --version >/dev/null 2>&1; then
	"$PY" -m pyflakes harness/report/*.py harness/*.py kernels/*.py bench/*.py >"$TMP/pf" 2>&1
	ok $? "pyflakes on harness/report, harness, kernels and bench Python" || sed 's/^/# /' "$TMP/pf"
else
	ok 1 "pyflakes is missing: harness/deps.sh --for-tests installs python3-pyflakes"
fi
finish
