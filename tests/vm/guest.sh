#!/bin/sh
# Tests that hold each kernel to what it is known to support: which hook
# kinds work (sbhooks against hooks.expect) and which attach variant each
# tool then picks.  Run inside the test VM (busybox sh) by tests/vm/init;
# prints PASS:/FAIL: lines and "N passed, N failed".
# usage: sh tests/vm/guest.sh BINDIR
set -u
BIN=${1:?usage: guest.sh BINDIR}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/snoopbox-vm-guest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "PASS: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1: $2"; fail=$((fail + 1)); }

rel=$(uname -r)
expect=""
while read -r pat hooks; do
	case $pat in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2254
	case $rel in $pat) expect=$hooks; break ;; esac
done <"$here/hooks.expect"

# ---- hook kinds --------------------------------------------------------------
"$BIN/sbhooks" >"$tmp/hooks" 2>&1
sed 's/^/    /' "$tmp/hooks"
if [ -z "$expect" ]; then
	bad hooks "no line for kernel $rel in tests/vm/hooks.expect; add one from the list above"
else
	for e in $expect; do
		kind=${e#?}
		got=$(sed -n "s/^hook $kind: //p" "$tmp/hooks")
		case $e:$got in
		+*:ok|-*:no*) ok "hooks/$kind ($got)" ;;
		+*:*) bad "hooks/$kind" "this kernel should run $kind programs but: ${got:-sbhooks did not say}" ;;
		-*:*) bad "hooks/$kind" "this kernel should not run $kind programs but sbhooks says: $got" ;;
		esac
	done
fi

has() { case " $expect " in *" +$1 "*) return 0 ;; esac; return 1; }

# ---- attach choice -------------------------------------------------------------
# Each tool says with -v where it attached.  TOOL VARIANT-ARGS EXPECTED-LINE
# TRIGGER-PATH: run the tool, open the path from cat, and check both the
# attach line and that the event arrived through that hook.
attach_case() {
	name=$1 args=$2 want=$3
	target="$tmp/attach-$name"
	: >"$target"
	"$BIN/opensnoop" -v -n cat -d 10 $args >"$tmp/out" 2>"$tmp/err" &
	tool=$!
	# The table header is printed once every hook is attached.
	i=0
	while ! grep -q '^PID' "$tmp/out" && [ $i -lt 200 ]; do
		kill -0 $tool 2>/dev/null || break
		sleep 0.05; i=$((i + 1))
	done
	cat "$target"
	# Stop as soon as the event is in (or the tool gives up by itself).
	i=0
	while ! grep -q " $target\$" "$tmp/out" && [ $i -lt 40 ]; do
		kill -0 $tool 2>/dev/null || break
		sleep 0.05; i=$((i + 1))
	done
	kill -INT $tool 2>/dev/null
	wait $tool
	rc=$?
	got=$(grep '^opensnoop: attach: ' "$tmp/err" | head -n 1)
	if [ "$rc" != 0 ]; then
		bad "attach/$name" "opensnoop exited $rc: $(grep -v 'attach:' "$tmp/err" | head -n 1)"
	elif [ "$got" != "opensnoop: attach: $want" ]; then
		bad "attach/$name" "first attach line is '$got', want 'opensnoop: attach: $want'"
	elif ! grep -q " $target\$" "$tmp/out"; then
		bad "attach/$name" "attached with $want but the open of $target was not reported"
	else
		ok "attach/$name ($want)"
	fi
}

# opensnoop prefers the exit tracepoints alone, then entry and exit, then
# the raw sys_exit.
if has tracepoint; then
	attach_case opensnoop-default "" "tracepoint syscalls/sys_exit_openat"
	attach_case opensnoop-pair "--attach tracepoint-pair" "tracepoint syscalls/sys_enter_openat"
elif has raw_tp; then
	attach_case opensnoop-default "" "raw_tp sys_exit"
fi
has raw_tp && attach_case opensnoop-raw_tp "--attach raw_tp" "raw_tp sys_exit"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
