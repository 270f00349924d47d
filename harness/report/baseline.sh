#!/bin/sh
# Make results/baseline/ from a matrix run: per kernel <kernel>/summary.json
# (and previous-release.json, the summary of the kernel's previous point
# release: see below), and matrix.md, features.md and errata.md at the top. Built in a temporary
# folder next to the destination, then swapped in with two renames (the old baseline is moved
# aside and removed only after the new one is in place).
#
# usage: harness/report/baseline.sh [--allow-incomplete] RESULTS_DIR [DEST]
#   RESULTS_DIR  a matrix run (results/<time>-matrix or results/latest)
#   DEST         default results/baseline
# Refuses (exit 2) a run with a kernel folder lacking summary.json or an
# interrupted ("complete": false) summary unless --allow-incomplete.
set -eu

here=$(dirname "$0")
allow=0
if [ "${1:-}" = "--allow-incomplete" ]; then allow=1; shift; fi
[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $0 [--allow-incomplete] RESULTS_DIR [DEST]" >&2; exit 2; }
run=$1
dest=${2:-results/baseline}
[ -d "$run" ] || { echo "baseline: $run: not a folder" >&2; exit 2; }

# The reports (matrix.md) if the run does not have them yet.
if [ ! -f "$run/matrix.md" ]; then
	/usr/bin/python3 "$here/matrix.py" --quiet "$run" --baseline "$dest" || exit 2
fi

# Which kernels: every folder with a summary.json; refuse missing or
# interrupted ones (a baseline must be a whole run).
kernels=$(/usr/bin/python3 - "$run" "$allow" <<'PY'
import json, os, sys
run, allow = sys.argv[1], sys.argv[2] == "1"
bad = []
names = []
for name in sorted(os.listdir(run)):
    folder = os.path.join(run, name)
    if not os.path.isdir(folder) or name.startswith("."):
        continue
    path = os.path.join(folder, "summary.json")
    if not os.path.exists(path):
        if os.path.exists(os.path.join(folder, "boot.env")) or os.path.exists(os.path.join(folder, "run.tap")):
            bad.append(f"{name}: no summary.json")
        continue
    try:
        d = json.load(open(path))
    except ValueError as e:
        bad.append(f"{name}: unreadable summary.json ({e})")
        continue
    if not d.get("complete", False):
        bad.append(f"{name}: incomplete run")
    names.append(name)
if bad and not allow:
    for b in bad:
        print(f"baseline: {run}/{b}", file=sys.stderr)
    print("baseline: refusing an incomplete matrix (--allow-incomplete to take it anyway)", file=sys.stderr)
    sys.exit(2)
if not names:
    print(f"baseline: {run}: no <kernel>/summary.json", file=sys.stderr)
    sys.exit(2)
print(" ".join(names))
PY
) || exit 2

parent=$(dirname "$dest")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.baseline.new.XXXXXX")
old="$parent/.baseline.old.$$"
trap 'rm -rf "$tmp"' EXIT
# release FILE: the kernel release a summary.json names.
release() {
	/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["kernel"]["release"])' "$1" 2>/dev/null
}
# Each kernel's previous point release: when the release moved on (Debian
# moved the series on, 6.1.0-56 -> -57) the old baseline's summary becomes
# <kernel>/previous-release.json; while it stays, that file is kept. drift.md
# then says what changed between the two builds.
for k in $kernels; do
	mkdir "$tmp/$k"
	cp "$run/$k/summary.json" "$tmp/$k/summary.json"
	if [ -f "$dest/$k/summary.json" ] &&
	   [ "$(release "$dest/$k/summary.json")" != "$(release "$run/$k/summary.json")" ]; then
		cp "$dest/$k/summary.json" "$tmp/$k/previous-release.json"
	elif [ -f "$dest/$k/previous-release.json" ]; then
		cp "$dest/$k/previous-release.json" "$tmp/$k/previous-release.json"
	fi
done
for f in matrix.md features.md errata.md; do
	if [ -f "$run/$f" ]; then cp "$run/$f" "$tmp/$f"; fi
done
chmod 755 "$tmp"
if [ -e "$dest" ]; then
	mv -T "$dest" "$old"
fi
mv -T "$tmp" "$dest"
rm -rf "$old"
trap - EXIT
echo "baseline: $dest from $run ($(echo "$kernels" | tr ' ' ','))"
