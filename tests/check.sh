#!/bin/sh
# make check: every suite, then one summary line CI can read.
# Each suite prints "PASS: name" / "FAIL: name: why" lines and ends with
# its own "N passed, N failed" line; this script adds them up.
# O=DIR picks the build directory (default build).
set -u
O=${O:-build}
log=$(mktemp -d /tmp/snoopbox-check.XXXXXX)
trap 'rm -rf "$log"' EXIT
total_pass=0 total_fail=0

suite() {
	name=$1; shift
	echo "== $name"
	"$@" >"$log/$name.out" 2>&1
	rc=$?
	cat "$log/$name.out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/$name.out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $name: suite ended (status $rc) without a summary line"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL: $name: exited with status $rc"
		total_fail=$((total_fail + 1))
	fi
}

sh scripts/deps.sh || exit 1
make -s O="$O" all || { echo "0 passed, 1 failed"; exit 1; }
make -s SAN=1 all build/san/unit-tests || { echo "0 passed, 1 failed"; exit 1; }

suite unit build/san/unit-tests
suite fuzz sh fuzz/smoke.sh "$O"
suite integration sh tests/integration/run.sh "$O"
# The same integration tests against the ASan+UBSan build of user space.
suite integration-san env SNOOPBOX_SAN=1 sh tests/integration/run.sh build/san
[ -f tests/vm/run.sh ] && [ "${SNOOPBOX_SKIP_VM:-0}" != 1 ] && suite vm sh tests/vm/run.sh

echo "== total"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
