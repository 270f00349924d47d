#!/usr/bin/env bash
# The GitHub Actions workflow (.github/workflows/): every file passes
# @action-validator/cli (harness/deps.sh --for-tests installs it into
# build/npm/), which does reject a broken one; its job matrix
# (harness/ci/jobs.sh) has a job per column of kernels/kernels.conf and
# shard; its shell steps pass shellcheck; it runs the shards and the merge.
. "$(dirname "$0")/lib.sh"
plan 12

VALIDATOR=build/npm/node_modules/.bin/action-validator
WORKFLOW=.github/workflows/matrix.yml
workflows=(.github/workflows/*.yml)
have_validator=0
[ -x "$VALIDATOR" ] && have_validator=1
missing="$VALIDATOR is missing: harness/deps.sh --for-tests installs it"

# validate FILE: the validator's verdict; its output in $TMP/v.out.
validate() { "$VALIDATOR" "$1" >"$TMP/v.out" 2>&1; }

# 1. Every workflow is valid.
if [ $have_validator -eq 1 ]; then
	st=0
	for w in "${workflows[@]}"; do
		validate "$w" || { st=1; echo "# $w:"; sed 's/^/#   /' "$TMP/v.out" | head -n 40; }
	done
	ok $st "action-validator accepts ${#workflows[@]} workflow(s): ${workflows[*]}"
else
	ok 1 "$missing"
fi

# 2-3. The validator can fail: the workflow with a job's runs-on removed,
# and with a key GitHub does not know.
if [ $have_validator -eq 1 ]; then
	sed '0,/^    runs-on:/{/^    runs-on:/d}' "$WORKFLOW" >"$TMP/no-runs-on.yml"
	! cmp -s "$WORKFLOW" "$TMP/no-runs-on.yml" && ! validate "$TMP/no-runs-on.yml" &&
		grep -q 'runs-on' "$TMP/v.out"
	ok $? "a copy without a job's runs-on is rejected, naming it" || sed 's/^/# /' "$TMP/v.out" | head -n 20
	sed 's/^    timeout-minutes:/    timeout-minutez:/' "$WORKFLOW" >"$TMP/unknown-key.yml"
	! cmp -s "$WORKFLOW" "$TMP/unknown-key.yml" && ! validate "$TMP/unknown-key.yml" &&
		grep -q 'timeout-minutez' "$TMP/v.out"
	ok $? "a copy with an unknown key (timeout-minutez) is rejected, naming it" ||
		sed 's/^/# /' "$TMP/v.out" | head -n 20
else
	ok 1 "$missing"
	ok 1 "$missing"
fi

# The columns kernels.conf gives, read here on its own: host, host-i386, each x86-64
# kernel and its -i386, each arm64 kernel once.
columns_of() {	# columns_of CONF
	echo host
	echo host-i386
	sed 's/#.*//' "$1" | awk 'NF >= 3 { print $1 }' | while read -r k; do
		case "$k" in *-arm64) echo "$k" ;; *) echo "$k"; echo "$k-i386" ;; esac
	done
}

# check_matrix JSON SHARDS COLUMNS-FILE: prints what is wrong, if anything.
check_matrix() {
	"$PY" - "$@" <<'PY'
import json, sys
text, shards, want_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
want = open(want_file).read().split()
try:
    entries = json.loads(text)["include"]
except (ValueError, KeyError, TypeError) as e:
    sys.exit(f"not a JSON matrix ({e}): {text[:200]}")
got = {}
for e in entries:
    if sorted(e) != ["abi", "column", "kernel", "of", "shard"]:
        print(f"entry with keys {sorted(e)}: {e}")
        continue
    col, k, abi = e["column"], e["kernel"], e["abi"]
    if col in ("host", "host-i386"):
        right = (k, abi) == ("host", "x86_64" if col == "host" else "i386")
    elif k.endswith("-arm64"):
        right = (col, abi) == (k, "aarch64")
    else:
        right = (col, abi) in ((k, "x86_64"), (k + "-i386", "i386"))
    if not right:
        print(f"column {col}: kernel {k}, abi {abi}")
    if e["of"] != shards:
        print(f"column {col}: of {e['of']}, not {shards}")
    got.setdefault(col, []).append(e["shard"])
if sorted(got) != sorted(want):
    print(f"columns {sorted(got)}, want {sorted(want)}")
for col, ns in got.items():
    if sorted(ns) != list(range(1, shards + 1)):
        print(f"column {col}: shards {sorted(ns)}, want 1..{shards}")
if len(entries) != len(want) * shards:
    print(f"{len(entries)} entries, want {len(want)} columns x {shards} shards")
PY
}

# 4-5. The matrix of kernels/kernels.conf: by default 2 shards, and 3.
columns_of kernels/kernels.conf >"$TMP/columns"
for n in "" 3; do
	json=$(harness/ci/jobs.sh ${n:+"$n"} 2>"$TMP/jobs.err")
	st=$?
	check_matrix "$json" "${n:-2}" "$TMP/columns" >"$TMP/bad" 2>&1 && [ $st -eq 0 ] && [ ! -s "$TMP/bad" ]
	ok $? "jobs.sh ${n:-(default)}: $(wc -l <"$TMP/columns") columns of kernels.conf x ${n:-2} shards, each once" ||
		sed 's/^/# /' "$TMP/bad" "$TMP/jobs.err" | head -n 20
done

# 6. A kernels.conf of its own, one kernel of each architecture: exactly.
printf '%s\n' '# a comment' 'k1  bookworm  linux-image-6.1.*-cloud-amd64  # x86-64' '' \
	'k2-arm64  bookworm  linux-image-6.1.*-cloud-arm64-unsigned' >"$TMP/k.conf"
got=$(AIOCONF_KERNELS_CONF=$TMP/k.conf harness/ci/jobs.sh 1 2>&1)
want='{"include": [{"column": "host", "kernel": "host", "abi": "x86_64", "shard": 1, "of": 1},'
want+=' {"column": "host-i386", "kernel": "host", "abi": "i386", "shard": 1, "of": 1},'
want+=' {"column": "k1", "kernel": "k1", "abi": "x86_64", "shard": 1, "of": 1},'
want+=' {"column": "k1-i386", "kernel": "k1", "abi": "i386", "shard": 1, "of": 1},'
want+=' {"column": "k2-arm64", "kernel": "k2-arm64", "abi": "aarch64", "shard": 1, "of": 1}]}'
is "$got" "$want" "jobs.sh 1 on a kernels.conf of k1 and k2-arm64"

# 7. Bad shard counts are refused (exit 2): 0, not a number, more than 64,
# more than GitHub's 256 jobs (18 columns x 64).
st=0
for n in 0 x 1x 65 64; do
	harness/ci/jobs.sh "$n" >/dev/null 2>"$TMP/err"; rc=$?
	[ $rc -eq 2 ] && [ -s "$TMP/err" ] || { st=1; echo "# jobs.sh $n: exit $rc"; }
done
ok $st "jobs.sh refuses 0, x, 1x, 65 and 64 shards (more than 256 jobs) with exit 2"

# 8. The workflow plans with jobs.sh, sets up with the README's command,
# runs the shards and merges them with run.sh, and uploads.
st=0
for want in 'harness/ci/jobs.sh' 'harness/deps.sh' './run.sh "${args[@]}"' 'args=(--shard' \
	'./run.sh --merge' 'fromJSON(needs.prepare.outputs.matrix)' 'image: debian:bookworm' \
	'actions/upload-artifact@v4' 'actions/download-artifact@v4'; do
	grep -qF -- "$want" "$WORKFLOW" || { st=1; echo "# $WORKFLOW lacks: $want"; }
done
ok $st "$WORKFLOW plans with harness/ci/jobs.sh, runs ./run.sh --shard and ./run.sh --merge"

# 9. Actions pinned to a major version (owner/name@vN), and no host named:
# no URL anywhere in the workflows (Debian's mirror comes from the image).
bad=$(grep -hE '^\s*-?\s*uses:' "${workflows[@]}" | grep -vE 'uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@v[0-9]+$')
bad+=$(grep -hnE '[a-z]+://' "${workflows[@]}")
[ -z "$bad" ]
ok $? "every action pinned to a major version, no URL in the workflows" || echo "$bad" | sed 's/^/# /'

# 10. Every run: step passes shellcheck as the bash it runs under, and
# takes what it needs from env: (no ${{ }} inside a script).
if "$PY" -c 'import yaml' 2>/dev/null; then
	"$PY" - "$TMP/steps" "${workflows[@]}" <<'PY'
import os, sys, yaml
out = sys.argv[1]
os.makedirs(out)
for w in sys.argv[2:]:
    for job, j in yaml.safe_load(open(w))["jobs"].items():
        for i, step in enumerate(j.get("steps", [])):
            if "run" in step:
                with open(f"{out}/{os.path.basename(w)}.{job}.{i}.sh", "w") as f:
                    f.write("#!/bin/bash\nset -eo pipefail\n" + step["run"])
PY
	st=0
	n=$(find "$TMP/steps" -name '*.sh' | wc -l)
	shellcheck -S warning "$TMP/steps"/*.sh >"$TMP/sc" 2>&1 || st=1
	grep -l '\${{' "$TMP/steps"/*.sh >>"$TMP/sc" && st=1
	[ "$n" -gt 0 ] && [ $st -eq 0 ]
	ok $? "shellcheck -S warning on the $n run: steps, none with \${{ }}" || sed 's/^/# /' "$TMP/sc" | head -n 40
else
	ok 1 "python3-yaml is missing: harness/deps.sh --for-tests installs it"
fi

# 11. The scripts of harness/ci pass shellcheck.
shellcheck -S warning -x -P SCRIPTDIR harness/ci/*.sh >"$TMP/sc2" 2>&1
ok $? "shellcheck -S warning on harness/ci/*.sh" || sed 's/^/# /' "$TMP/sc2" | head -n 40

# 12. The validator is set up, not fetched: the test ran it with no
# network at all when unshare can take it away.
if [ $have_validator -eq 1 ] && unshare -n true 2>/dev/null; then
	unshare -n "$VALIDATOR" "$WORKFLOW" >"$TMP/v.out" 2>&1
	ok $? "action-validator runs without a network" || sed 's/^/# /' "$TMP/v.out" | head -n 20
elif [ $have_validator -eq 1 ]; then
	skip "unshare -n is not allowed here"
else
	ok 1 "$missing"
fi
finish
