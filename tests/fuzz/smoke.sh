#!/bin/sh
# Runs every libFuzzer target of FUZZDIR (a build's tests/fuzz, made by
# ./configure --enable-fuzzing CC=clang && make fuzz) for a few seconds
# on a copy of its seed corpus, so that the committed corpus stays as it
# is.  A target that crashes, breaks an invariant or is missing fails;
# its reproducer and the end of its log are printed.  Ends with one line:
# "N passed, N failed".
#
#   tests/fuzz/smoke.sh FUZZDIR          FUZZ_SECONDS (default 4) each
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 FUZZDIR" >&2
	exit 2
fi
fuzzdir=$(cd "$1" && pwd)
corpora=$(cd "$(dirname "$0")/corpus" && pwd)
seconds=${FUZZ_SECONDS:-4}
# Reproducers are kept beside the targets; the rest goes with tmp.
artifacts=$fuzzdir/artifacts
mkdir -p "$artifacts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
for dir in "$corpora"/*/; do
	name=$(basename "$dir")
	target=$fuzzdir/$name
	log=$artifacts/$name.log
	if [ ! -x "$target" ]; then
		echo "$name: FAIL: no target $target"
		failed=$((failed + 1))
		continue
	fi
	mkdir "$tmp/$name"
	cp "$dir"/* "$tmp/$name"/
	if "$target" -max_total_time="$seconds" -timeout=10 \
	    -artifact_prefix="$artifacts/$name-" -print_final_stats=1 \
	    "$tmp/$name" >"$log" 2>&1; then
		echo "$name: ok: $(grep -o 'stat::number_of_executed_units: *[0-9]*' \
		    "$log" | grep -o '[0-9]*$') runs," \
		    "$(grep -E '^#[0-9]+' "$log" | tail -1 |
		    grep -oE 'cov: [0-9]+ ft: [0-9]+')"
		passed=$((passed + 1))
	else
		echo "$name: FAIL (log $log)"
		grep -E 'invariant broken|ERROR: |SUMMARY: |Test unit written' \
		    "$log" | head -5 | sed 's/^/  /'
		tail -25 "$log" | sed 's/^/  | /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
