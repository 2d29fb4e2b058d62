#!/bin/sh
# exitsnoop: exits this script causes (a code, a SIGKILL, a SIGSEGV, a
# thread) are reported with exact fields; -x, --threads, both variants,
# bad input, and nothing left in the kernel.
set -u
. "$(dirname "$0")/lib.sh"

# x_marker NAME: a process that exits at once; its pid in $NAME.  The
# tool showing it proves the tool is attached (or that everything before
# it was delivered).
x_marker() {
	"$SBTEST" > /dev/null 2>&1 &
	eval "$1=\$!"
	wait $!
}

# x_seen PID: the tool showed PID's exit (JSON or table).
x_seen() {
	grep -qF -e "\"pid\":$1," "$TOOL_OUT" 2>/dev/null || grep -qE "^[^ ]+ +$1 " "$TOOL_OUT" 2>/dev/null
}

# x_ready: until the tool shows a marker's exit.
x_ready() {
	_i=0
	while :; do
		x_marker _m
		sleep 0.05
		x_seen "$_m" && return 0
		_i=$((_i + 1))
		if [ "$_i" -gt $((300 * IT_SCALE)) ]; then
			it_fail ready "the tool never showed an exit; stderr: $(head -c 300 "$TOOL_ERR")" "$TOOL_OUT"
			return 1
		fi
	done
}

# x_done: a last marker, and wait until the tool has shown it.
x_done() {
	x_marker _d
	_i=0
	until x_seen "$_d"; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((250 * IT_SCALE)) ]; then
			it_fail done "the tool never showed the last marker ($_d)" "$TOOL_OUT"
			return 1
		fi
		sleep 0.02
	done
}

# The known exits.  sh -c 'exit 3'; sbtest killed by SIGKILL once it runs;
# a shell that sends itself SIGSEGV with core dumps off; sleep 1 for age.
x_events() {
	sh -c 'exit 3' &
	CODE_PID=$!
	wait "$CODE_PID"
	"$SBTEST" run -n sleep 20000 > /dev/null 2>&1 &
	KILL_PID=$!
	_i=0
	until [ "$(cat /proc/$KILL_PID/comm 2>/dev/null)" = sbtest ] || [ $_i = 200 ]; do
		_i=$((_i + 1))
		sleep 0.01
	done
	kill -KILL "$KILL_PID"
	{ wait "$KILL_PID"; } 2>/dev/null
	sh -c 'ulimit -c 0; kill -SEGV $$' 2>/dev/null &
	SEGV_PID=$!
	{ wait "$SEGV_PID"; } 2>/dev/null
	sleep 1 &
	AGE_PID=$!
	wait "$AGE_PID"
}

t_json() {
	tool_start "$BIN/exitsnoop" -j
	x_ready || return
	x_events
	x_done || return
	tool_stop
	assert_line code3 "$TOOL_OUT" \
		"{\"comm\":\"sh\",\"pid\":$CODE_PID,\"ppid\":$$,\"tid\":$CODE_PID,\"uid\":0,\"age\":$(grep -F "\"pid\":$CODE_PID," "$TOOL_OUT" | sed 's/.*"age":\([0-9.]*\),.*/\1/'),\"exit_code\":3,\"signal\":null,\"core_dumped\":false,\"process_exit\":true}"
	assert_contains sigkill "$TOOL_OUT" \
		"{\"comm\":\"sbtest\",\"pid\":$KILL_PID,\"ppid\":$$,\"tid\":$KILL_PID,\"uid\":0,"
	assert_contains sigkill_status "$TOOL_OUT" \
		"\"exit_code\":0,\"signal\":\"SIGKILL\",\"core_dumped\":false,\"process_exit\":true}"
	assert_match sigsegv "$TOOL_OUT" \
		"^\\{\"comm\":\"sh\",\"pid\":$SEGV_PID,\"ppid\":$$,\"tid\":$SEGV_PID,\"uid\":0,\"age\":[0-9.]+,\"exit_code\":0,\"signal\":\"SIGSEGV\",\"core_dumped\":false,\"process_exit\":true\\}\$"
	# sleep 1 lived a second: the age uses the same clock as start_time.
	_age=$(grep -F "\"pid\":$AGE_PID," "$TOOL_OUT" | sed 's/.*"age":\([0-9]*\)\.\([0-9]\)[0-9]*,.*/\1\2/')
	it_check age_one_second "age of sleep 1 is $_age tenths, want 10 to 30" \
		[ "${_age:-0}" -ge 10 -a "${_age:-99}" -le 30 ]
	assert_json json_valid "$TOOL_OUT"
	assert_eq exit_status "$TOOL_RC" 0
}
it_test exitsnoop_json t_json

t_table() {
	tool_start "$BIN/exitsnoop"
	x_ready || return
	x_events
	x_done || return
	tool_stop
	assert_line header "$TOOL_OUT" "$(printf '%-16s %-7s %-7s %-7s %-7s %s' PCOMM PID PPID TID 'AGE(s)' EXIT_CODE)"
	assert_match code3 "$TOOL_OUT" "^sh +$CODE_PID +$$ +$CODE_PID +[0-9]+\\.[0-9]{2} +code 3\$"
	assert_match sigkill "$TOOL_OUT" "^sbtest +$KILL_PID +$$ +$KILL_PID +[0-9]+\\.[0-9]{2} +signal 9 \\(SIGKILL\\)\$"
	assert_match sigsegv "$TOOL_OUT" "^sh +$SEGV_PID +$$ +$SEGV_PID +[0-9]+\\.[0-9]{2} +signal 11 \\(SIGSEGV\\)\$"
	assert_match age "$TOOL_OUT" "^sleep +$AGE_PID +$$ +$AGE_PID +[12]\\.[0-9]{2} +0\$"
}
it_test exitsnoop_table t_table

t_failed() {
	tool_start "$BIN/exitsnoop" -j -x
	# sbtest without a command exits with status 2: a failure, a marker.
	x_ready || return
	x_events
	x_done || return
	tool_stop
	assert_contains code3_shown "$TOOL_OUT" "\"pid\":$CODE_PID,"
	assert_contains sigkill_shown "$TOOL_OUT" "\"pid\":$KILL_PID,"
	assert_absent success_hidden "$TOOL_OUT" "\"pid\":$AGE_PID,"
	assert_absent no_zero "$TOOL_OUT" '"exit_code":0,"signal":null'
}
it_test exitsnoop_failed t_failed

# A thread that ends before its process: only with --threads, and then the
# process's own exit comes after it.
t_threads() {
	tool_start_as proc "$BIN/exitsnoop" -j
	tool_start_as thr "$BIN/exitsnoop" -j --threads
	for _w in proc thr; do
		TOOL_OUT=$T/$_w.out TOOL_ERR=$T/$_w.err
		x_ready || return
	done
	sb_start -n thread comm sbthread
	wait "$SB_PID"
	THR_TID=$(sb_val comm tid)
	for _w in proc thr; do
		TOOL_OUT=$T/$_w.out TOOL_ERR=$T/$_w.err
		x_done || return
	done
	tool_stop_all
	assert_ne thread_tid_known "${THR_TID:-}" ""
	assert_ne thread_is_not_leader "${THR_TID:-}" "$SB_PID"
	# Which thread is last is a race when they exit together (exit_group
	# on two CPUs): every thread once, and exactly one process exit.
	assert_match thread_exit "$T/thr.out" \
		"^\\{\"comm\":\"sbthread\",\"pid\":$SB_PID,\"ppid\":$$,\"tid\":$THR_TID,\"uid\":0,\"age\":[0-9.]+,\"exit_code\":0,\"signal\":null,\"core_dumped\":false,\"process_exit\":(true|false)\\}\$"
	assert_match leader_exit_threads "$T/thr.out" \
		"^\\{\"comm\":\"sbtest\",\"pid\":$SB_PID,\"ppid\":$$,\"tid\":$SB_PID,\"uid\":0,\"age\":[0-9.]+,\"exit_code\":0,\"signal\":null,\"core_dumped\":false,\"process_exit\":(true|false)\\}\$"
	assert_eq two_thread_lines "$(grep -c "\"pid\":$SB_PID," "$T/thr.out")" 2
	assert_eq one_process_exit_threads "$(grep "\"pid\":$SB_PID," "$T/thr.out" | grep -c '"process_exit":true')" 1
	assert_eq one_process_exit "$(grep -c "\"pid\":$SB_PID," "$T/proc.out")" 1
	assert_match process_exit "$T/proc.out" \
		"^\\{\"comm\":\"sb(test|thread)\",\"pid\":$SB_PID,\"ppid\":$$,\"tid\":($SB_PID|$THR_TID),.*\"process_exit\":true\\}\$"
}
it_test exitsnoop_threads t_threads

# A core dump, where the kernel writes cores as plain files: into $T.
t_core() {
	_pat=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
	case $_pat in
	'|'* | /* | '')
		echo "# exitsnoop_core: core_pattern is '$_pat', not a relative file: no core to test"
		return
		;;
	esac
	tool_start "$BIN/exitsnoop" -j
	x_ready || return
	(cd "$T" && ulimit -c unlimited && exec sh -c 'kill -SEGV $$') 2>/dev/null &
	CORE_PID=$!
	{ wait "$CORE_PID"; } 2>/dev/null
	x_done || return
	tool_stop
	assert_match core_dumped "$TOOL_OUT" \
		"^\\{\"comm\":\"sh\",\"pid\":$CORE_PID,\"ppid\":$$,\"tid\":$CORE_PID,\"uid\":0,\"age\":[0-9.]+,\"exit_code\":0,\"signal\":\"SIGSEGV\",\"core_dumped\":true,\"process_exit\":true\\}\$"
	rm -f "$T"/core*
}
it_test exitsnoop_core t_core

t_bad_input() {
	run_cmd "$BIN/exitsnoop" --threads=2
	assert_eq threads_takes_no_value "$CMD_RC" 2
	run_cmd "$BIN/exitsnoop" -p abc
	assert_eq bad_pid_status "$CMD_RC" 2
	assert_usage_error bad_pid_message "$CMD_ERR" "^exitsnoop: invalid PID 'abc'"
}
it_test exitsnoop_bad_input t_bad_input

t_variants() {
	for _v in tracepoint raw_tp; do
		tool_start_as "$_v" "$BIN/exitsnoop" -j -v --attach "$_v"
		x_ready || return
		bpf_ids_save "$TOOL_PID" "$T/$_v.ids"
		sh -c 'exit 3' &
		CODE_PID=$!
		wait "$CODE_PID"
		x_done || return
		tool_stop
		assert_contains "${_v}_attached" "$TOOL_ERR" "exitsnoop: attach: $_v sched"
		assert_contains "${_v}_code3" "$TOOL_OUT" \
			"{\"comm\":\"sh\",\"pid\":$CODE_PID,\"ppid\":$$,\"tid\":$CODE_PID,"
		assert_contains "${_v}_code3_status" "$TOOL_OUT" \
			"\"exit_code\":3,\"signal\":null,\"core_dumped\":false,\"process_exit\":true}"
		assert_eq "${_v}_status" "$TOOL_RC" 0
		assert_bpf_gone "${_v}_leaves_nothing" "$T/$_v.ids"
	done
}
it_test exitsnoop_variants t_variants

it_done
