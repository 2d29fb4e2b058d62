#!/bin/sh
# Fuzz smoke suite for make check: build the fuzzers, then run each over its
# seed corpus plus a few thousand generated inputs (a few seconds at most).
# Deterministic (fixed seed), so a failure here reproduces.  The long runs
# are `make fuzz` (fuzz/README.md).
#   sh fuzz/smoke.sh [BUILD_DIR]     (default build; FUZZ_RUNS=N to change)
set -u
O=${1:-${O:-build}}
runs=${FUZZ_RUNS:-4000}
pass=0 fail=0
tmp=$(mktemp -d /tmp/snoopbox-fuzz-smoke.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if ! make -s O="$O" fuzz-build >"$tmp/build.log" 2>&1; then
	cat "$tmp/build.log"
	echo "FAIL: fuzz-build: the fuzzers do not build (clang and libclang-rt-14-dev: make deps)"
	echo "0 passed, 1 failed"
	exit 1
fi

for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	mkdir -p "$tmp/$name"
	# New inputs go to the scratch directory, never into the seeds.
	if "$O/fuzz/$name" -seed=1 -runs="$runs" -max_total_time=10 \
		-artifact_prefix="$O/fuzz/$name-" "$tmp/$name" "fuzz/corpus/$name" \
		>"$tmp/$name.log" 2>&1; then
		echo "PASS: $name ($(grep -o 'cov: [0-9]*' "$tmp/$name.log" | tail -n 1))"
		pass=$((pass + 1))
	else
		# The report without libFuzzer's progress lines.
		grep -vE '^#[0-9]+|^INFO:|^MS:|^0x|^$' "$tmp/$name.log" | tail -n 40
		echo "FAIL: $name: see the report above; the input is kept as $O/fuzz/$name-*"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
