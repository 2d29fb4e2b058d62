#!/bin/sh
# Integration tests: sh tests/integration/run.sh BINDIR [SCRIPT...]
#
# Runs every tests/integration/t_*.sh (or only the SCRIPTs named, such as
# t_opensnoop) against the binaries in BINDIR
# (snoopbox and sbtest; the tool symlinks are made here).  Prints
# "PASS: name" / "FAIL: name: why" lines and ends with "N passed, N failed";
# exits non-zero if anything failed.  Needs root.  POSIX sh and busybox
# applets only: the VM suite runs it with nothing else.
#
# Environment: TEST_FILTER=pattern[,pattern]  run only matching tests
#              SNOOPBOX_SAN=1                 BINDIR is an ASan build
set -u
here=$(cd "$(dirname "$0")" && pwd)
npass=0 nfail=0

summary() {
	echo "$npass passed, $nfail failed"
	[ "$nfail" = 0 ]
	exit $?
}

setup_fail() {
	echo "FAIL: setup: $1"
	nfail=$((nfail + 1))
	summary
}

[ $# -ge 1 ] || { echo "usage: sh tests/integration/run.sh BINDIR [SCRIPT...]" >&2; exit 2; }
[ -d "$1" ] || setup_fail "no directory $1"
bindir=$(cd "$1" && pwd)
shift
scripts=
for s in "$@"; do
	s=${s##*/}
	s=${s%.sh}
	[ -f "$here/$s.sh" ] || setup_fail "no test script $here/$s.sh"
	scripts="$scripts $here/$s.sh"
done
[ -n "$scripts" ] || scripts=$(ls "$here"/t_*.sh 2>/dev/null)
[ -x "$bindir/snoopbox" ] || setup_fail "no snoopbox in $bindir (build it: make O=DIR)"
[ -x "$bindir/sbtest" ] || setup_fail "no sbtest in $bindir (build it: make O=DIR)"
[ "$(id -u)" = 0 ] || setup_fail "the integration tests load BPF programs: run them as root"

IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/snoopbox-itest.XXXXXX") || setup_fail "mktemp failed"
trap 'rm -rf "$IT_TMP"' EXIT
trap 'exit 130' INT TERM
# The not-root tests run the tools as nobody: let them in.
chmod 755 "$IT_TMP"
mkdir "$IT_TMP/bin" "$IT_TMP/logs"
chmod 755 "$IT_TMP/bin"
ln -s "$bindir/snoopbox" "$IT_TMP/bin/snoopbox"
ln -s "$bindir/sbtest" "$IT_TMP/bin/sbtest"
tools=$("$bindir/snoopbox" --list | awk '{ print $1 }')
[ -n "$tools" ] || setup_fail "snoopbox --list printed no tools"
for t in $tools; do
	ln -s "$bindir/snoopbox" "$IT_TMP/bin/$t"
done
BIN=$IT_TMP/bin
export BIN IT_TMP
export SNOOPBOX_SAN="${SNOOPBOX_SAN:-0}" TEST_FILTER="${TEST_FILTER:-}"

# Run the test scripts with the shell running us when that is busybox, so
# "busybox sh run.sh" checks every script under busybox too.
if [ -n "${BB_ASH_VERSION:-}" ] && command -v busybox > /dev/null 2>&1; then
	IT_SH="busybox sh"
else
	IT_SH=sh
fi

for script in $scripts; do
	[ -f "$script" ] || continue
	name=$(basename "$script" .sh)
	log=$IT_TMP/logs/$name.log
	{ $IT_SH "$script"; echo "$?" > "$log.rc"; } 2>&1 | tee "$log"
	rc=$(cat "$log.rc" 2>/dev/null || echo '?')
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	npass=$((npass + p))
	nfail=$((nfail + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL: $name: the script ended with status $rc"
		nfail=$((nfail + 1))
	fi
done
summary
