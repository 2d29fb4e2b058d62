#!/bin/sh
# forksnoop: fork, vfork, clone, clone3 and a thread made by sbtest are
# reported with the caller, the exact new ids and the decoded flags; -p,
# both variants, bad input, and nothing left in the kernel.
set -u
. "$(dirname "$0")/lib.sh"

# f_seen CHILD: the tool showed the fork that made CHILD (JSON or table).
f_seen() {
	grep -qF -e "\"child_pid\":$1," "$TOOL_OUT" 2>/dev/null ||
		grep -qE " $1 +$1 +process " "$TOOL_OUT" 2>/dev/null
}

# f_mark TIMEOUT_TICKS: this shell starts a child until the tool shows it.
f_mark() {
	_i=0
	while :; do
		"$SBTEST" > /dev/null 2>&1 &
		_m=$!
		wait "$_m"
		sleep 0.05
		f_seen "$_m" && return 0
		_i=$((_i + 1))
		if [ "$_i" -gt $((300 * IT_SCALE)) ]; then
			it_fail marker "the tool never showed this shell's fork of $_m; stderr: $(head -c 300 "$TOOL_ERR")" "$TOOL_OUT"
			return 1
		fi
	done
}

# The known forks, one of each kind, and a thread.  clone adds CLONE_FS,
# clone3 CLONE_FS and the 64-bit CLONE_CLEAR_SIGHAND.
f_events() {
	sb_start -n fork vfork clone 0x200 clone3 0x100000200 thread comm sbthread
	wait "$SB_PID"
	P=$SB_PID
	C_FORK=$(sb_val fork child 1)
	C_VFORK=$(sb_val fork child 2)
	C_CLONE=$(sb_val fork child 3)
	C_CLONE3=$(sb_val fork child 4)
	C_THREAD=$(sb_val comm tid)
}

f_line() {  # SYSCALL CHILD_PID CHILD_TID THREAD FLAGS_RAW EXIT_SIGNAL FLAGS
	printf '{"comm":"sbtest","parent_pid":%s,"parent_tid":%s,"uid":0,"syscall":"%s","child_pid":%s,"child_tid":%s,"thread":%s,"flags":"%s","flags_raw":%s,"exit_signal":%s}' \
		"$P" "$P" "$1" "$2" "$3" "$4" "$7" "$5" "$6"
}

t_json() {
	tool_start "$BIN/forksnoop" -j
	f_mark || return
	f_events
	f_mark || return
	tool_stop
	assert_ne children_known "$C_FORK,$C_VFORK,$C_CLONE,$C_CLONE3,$C_THREAD" ",,,,"
	case $(uname -m) in
	x86_64)
		assert_line fork "$TOOL_OUT" "$(f_line fork "$C_FORK" "$C_FORK" false 0 17 SIGCHLD)"
		assert_line vfork "$TOOL_OUT" "$(f_line vfork "$C_VFORK" "$C_VFORK" false 16640 17 'CLONE_VM|CLONE_VFORK|SIGCHLD')"
		;;
	esac
	assert_line clone "$TOOL_OUT" "$(f_line clone "$C_CLONE" "$C_CLONE" false 512 17 'CLONE_FS|SIGCHLD')"
	assert_line clone3 "$TOOL_OUT" \
		"$(f_line clone3 "$C_CLONE3" "$C_CLONE3" false 4294967808 17 'CLONE_FS|CLONE_CLEAR_SIGHAND|SIGCHLD')"
	# The thread's flags are the C library's choice; the ids and the
	# thread bit are not.
	assert_match thread "$TOOL_OUT" \
		"^\\{\"comm\":\"sbtest\",\"parent_pid\":$P,\"parent_tid\":$P,\"uid\":0,\"syscall\":\"clone3?\",\"child_pid\":$P,\"child_tid\":$C_THREAD,\"thread\":true,\"flags\":\"CLONE_VM\\|[A-Z_|]*CLONE_THREAD[A-Z_|]*\",\"flags_raw\":[0-9]+,\"exit_signal\":0\\}\$"
	assert_eq five_events "$(grep -c "\"parent_pid\":$P," "$TOOL_OUT")" 5
	assert_json json_valid "$TOOL_OUT"
	assert_eq exit_status "$TOOL_RC" 0
}
it_test forksnoop_json t_json

t_table() {
	tool_start "$BIN/forksnoop"
	f_mark || return
	f_events
	f_mark || return
	tool_stop
	assert_line header "$TOOL_OUT" \
		"$(printf '%-16s %-7s %-7s %-7s %-9s %-9s %-7s %s' PCOMM PID TID SYSCALL CHILD_PID CHILD_TID TYPE FLAGS)"
	assert_line clone3 "$TOOL_OUT" \
		"$(printf '%-16s %-7s %-7s %-7s %-9s %-9s %-7s %s' sbtest "$P" "$P" clone3 "$C_CLONE3" "$C_CLONE3" process 'CLONE_FS|CLONE_CLEAR_SIGHAND|SIGCHLD')"
	assert_match thread "$TOOL_OUT" "^sbtest +$P +$P +clone3? +$P +$C_THREAD +thread +CLONE_VM\\|.*CLONE_THREAD"
}
it_test forksnoop_table t_table

# -p: the caller's process only.
t_pid_filter() {
	tool_start "$BIN/forksnoop" -j -p $$
	f_mark || return
	f_events
	f_mark || return
	tool_stop
	assert_absent other_process_hidden "$TOOL_OUT" "\"parent_pid\":$P,"
	assert_contains this_shell_shown "$TOOL_OUT" "\"parent_pid\":$$,\"parent_tid\":$$,"
	assert_eq all_from_this_shell "$(grep -vc "\"parent_pid\":$$," "$TOOL_OUT")" 0
}
it_test forksnoop_pid_filter t_pid_filter

t_bad_input() {
	run_cmd "$BIN/forksnoop" -p 0
	assert_eq bad_pid_status "$CMD_RC" 2
	assert_usage_error bad_pid_message "$CMD_ERR" "^forksnoop: invalid PID '0'"
	run_cmd "$BIN/forksnoop" --attach fentry
	assert_eq bad_attach_status "$CMD_RC" 2
	assert_contains bad_attach_message "$CMD_ERR" "unknown attach variant 'fentry'; this tool has: tracepoint raw_tp"
}
it_test forksnoop_bad_input t_bad_input

t_variants() {
	for _v in tracepoint raw_tp; do
		tool_start_as "$_v" "$BIN/forksnoop" -j -v --attach "$_v"
		f_mark || return
		bpf_ids_save "$TOOL_PID" "$T/$_v.ids"
		f_events
		f_mark || return
		tool_stop
		assert_contains "${_v}_attached" "$TOOL_ERR" "forksnoop: attach: $_v "
		assert_line "${_v}_clone" "$TOOL_OUT" "$(f_line clone "$C_CLONE" "$C_CLONE" false 512 17 'CLONE_FS|SIGCHLD')"
		assert_contains "${_v}_thread" "$TOOL_OUT" "\"child_pid\":$P,\"child_tid\":$C_THREAD,\"thread\":true,"
		assert_eq "${_v}_status" "$TOOL_RC" 0
		assert_bpf_gone "${_v}_leaves_nothing" "$T/$_v.ids"
	done
}
it_test forksnoop_variants t_variants

it_done
