#!/bin/sh
# hello: its own greeting with its own PID, read back from the trace pipe;
# --event exec|clone|open greet a process whose PID the test knows.
# Usage: sh t_hello.sh BUILD_DIR  (POSIX sh; runs under busybox)
set -u
B=${1:-build}
SB=$B/snoopbox
SBTEST=$B/sbtest
T=$(mktemp -d /tmp/sb-hello.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; fails=$((fails + 1)); }

# Wait (up to 10 s) until FILE contains TEXT.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

# Default: the write tracepoint, our own process only, once a second.
before=$("$SBTEST" bpf-max)
"$SB" hello -d 2.5 >"$T/out" 2>"$T/err" &
pid=$!
wait $pid
rc=$?
n=$(grep -c "^ *[^ ].*-$pid  *\[[0-9]*\] [^ ]* *[0-9.]*: bpf_trace_printk: BPF triggered from PID $pid\$" "$T/out")
total=$(wc -l <"$T/out")
if [ $rc = 0 ] && [ "$n" = 3 ] && [ "$total" = 3 ]; then
	pass hello_default_own_pid
else
	fail hello_default_own_pid "rc=$rc, $n of $total lines greet PID $pid (want 3 of 3): $(cat "$T/out" "$T/err")"
fi
# The kernel frees a program's maps after an RCU grace period: give it
# a moment before calling anything left over a leak.
i=0
until orphans=$("$SBTEST" bpf-orphans $before hello_) || [ $i = 20 ]; do
	i=$((i + 1))
	sleep 0.1
done
if [ $i != 20 ]; then
	pass hello_leaves_nothing
else
	fail hello_leaves_nothing "left in the kernel: $orphans"
fi

# JSON: the parsed fields, exactly.
"$SB" hello -j -d 1.5 >"$T/out" 2>"$T/err" &
pid=$!
wait $pid
rc=$?
n=$(grep -c "^{\"comm\":\"[^\"]*\",\"pid\":$pid,\"cpu\":[0-9]*,\"flags\":\"[^\"]*\",\"timestamp\":[0-9]*\.[0-9]*,\"event\":\"bpf_trace_printk\",\"message\":\"BPF triggered from PID $pid\"}\$" "$T/out")
if [ $rc = 0 ] && [ "$n" = 2 ] && "$SBTEST" json-valid "$T/out" >/dev/null; then
	pass hello_json
else
	fail hello_json "rc=$rc, $n matching lines (want 2): $(cat "$T/out" "$T/err")"
fi

# --event: start hello, cause the syscall from a shell whose PID we
# record, stop hello with SIGINT (Ctrl-C) and look for that shell.
event_test() {
	ev=$1 script=$2
	: >"$T/err"
	"$SB" hello --event "$ev" -j -d 10 >"$T/out" 2>"$T/err" &
	hp=$!
	if ! wait_for "$T/err" "attached"; then
		kill $hp; wait $hp
		fail "hello_event_$ev" "not attached after 10 s: $(cat "$T/err")"
		return
	fi
	SB=$SB sh -c "$script" "$T/pid"
	p=$(cat "$T/pid")
	sleep 0.3
	kill -INT $hp
	wait $hp
	rc=$?
	if [ $rc = 0 ] && grep -q "\"pid\":$p,.*\"message\":\"Hello, World! from sh $p\"}\$" "$T/out"; then
		pass "hello_event_$ev"
	else
		fail "hello_event_$ev" "rc=$rc; no greeting for sh $p among $(wc -l <"$T/out") lines: $(cat "$T/err")"
	fi
}
# At sys_enter_execve the caller still has its old name, sh.
event_test exec 'echo $$ >"$0"; exec "$SB" --version >/dev/null'
# The trailing ':' keeps sh from exec-ing the last command: it forks.
event_test clone 'echo $$ >"$0"; "$SB" --version >/dev/null; :'
event_test open 'echo $$ >"$0"; : </dev/null'

# Usage and privilege errors: one line, exit 2 or 1.
"$SB" hello --event nope >/dev/null 2>"$T/err"
rc=$?
if [ $rc = 2 ] && grep -q "invalid EVENT 'nope'" "$T/err"; then
	pass hello_bad_event
else
	fail hello_bad_event "rc=$rc: $(cat "$T/err")"
fi
"$SBTEST" runas 65534 "$SB" hello -d 1 >/dev/null 2>"$T/err"
rc=$?
if [ $rc = 1 ] && grep -q "need root" "$T/err"; then
	pass hello_unprivileged
else
	fail hello_unprivileged "rc=$rc: $(cat "$T/err")"
fi

[ $fails = 0 ]
