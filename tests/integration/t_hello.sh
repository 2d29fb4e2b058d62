#!/bin/sh
# hello: its own greeting with its own PID, read back from the trace pipe;
# --event exec|clone|open greet a shell whose PID the test knows.
. "$(dirname "$0")/lib.sh"

# A trace_pipe line from bpf_printk, as an extended regex.
hello_line_re() {  # PID MESSAGE
	printf '^ *[^ ].*-%s +\\[[0-9]+\\] [^ ]+ +[0-9]+\\.[0-9]+: bpf_trace_printk: %s$' "$1" "$2"
}

# Default: the write tracepoint, our own process only, once a second:
# 0, 1 and 2 s into a 2.5 s run.
t_default() {
	bpf_mark
	tool_start "$BIN/snoopbox" hello -d 2.5
	tool_wait
	assert_eq exit_status "$TOOL_RC" 0
	n=$(grep -cE "$(hello_line_re "$TOOL_PID" "BPF triggered from PID $TOOL_PID")" "$TOOL_OUT")
	assert_eq own_greetings "$n" 3
	assert_lines nothing_else "$TOOL_OUT" 3
	assert_contains says_what_it_does "$TOOL_ERR" "attached to syscalls:sys_enter_write"
	assert_no_orphans nothing_left hello_
}
it_test hello_default t_default

t_json() {
	tool_start "$BIN/hello" -j -d 1.5
	tool_wait
	assert_eq exit_status "$TOOL_RC" 0
	assert_json valid_json "$TOOL_OUT"
	n=$(grep -cE "^\\{\"comm\":\"[^\"]*\",\"pid\":$TOOL_PID,\"cpu\":[0-9]+,\"flags\":\"[^\"]*\",\"timestamp\":[0-9]+\\.[0-9]{6},\"event\":\"bpf_trace_printk\",\"message\":\"BPF triggered from PID $TOOL_PID\"\\}\$" "$TOOL_OUT")
	assert_eq parsed_greetings "$n" 2
	assert_lines nothing_else "$TOOL_OUT" 2
}
it_test hello_json t_json

# --event: start hello, cause the syscall from a shell that writes its PID
# first, stop hello with SIGINT as Ctrl-C does, and look for that shell.
event_test() {  # EVENT SCRIPT
	bpf_mark
	tool_start "$BIN/hello" --event "$1" -j
	if ! wait_for "$TOOL_ERR" attached 10; then
		it_fail attach "hello never said it attached" "$TOOL_ERR"
		return
	fi
	SB=$BIN/snoopbox sh -c "$2" "$T/pid"
	p=$(cat "$T/pid")
	wait_for "$TOOL_OUT" "\"message\":\"Hello, World! from sh $p\"" 5
	tool_stop
	assert_eq exit_status "$TOOL_RC" 0
	# The line's comm is the trace buffer's cache: "<...>" for a task it
	# has not recorded yet.  The message has the program's own.
	assert_match greeting "$TOOL_OUT" "^\\{\"comm\":\"[^\"]*\",\"pid\":$p,.*\"event\":\"bpf_trace_printk\",\"message\":\"Hello, World! from sh $p\"\\}\$"
	assert_json valid_json "$TOOL_OUT"
	assert_no_orphans nothing_left hello_
}
# At sys_enter_execve the caller still has its old name, sh.
t_exec() { event_test exec 'echo $$ >"$0"; exec "$SB" --version >/dev/null'; }
# The trailing ':' keeps sh from exec-ing the last command: it forks.
t_clone() { event_test clone 'echo $$ >"$0"; "$SB" --version >/dev/null; :'; }
t_open() { event_test open 'echo $$ >"$0"; : </dev/null'; }
it_test hello_event_exec t_exec
it_test hello_event_clone t_clone
it_test hello_event_open t_open

# --show-object: the object's facts first, then hello runs as usual.
t_show_object() {
	tool_start "$BIN/hello" --show-object -d 1.2
	tool_wait
	assert_eq exit_status "$TOOL_RC" 0
	assert_match program "$TOOL_OUT" '^ +hello_write +tracepoint/syscalls/sys_enter_write +tracepoint +syscalls/sys_enter_write +[0-9]+$'
	assert_match pid_global "$TOOL_OUT" '^ +\.rodata +hello_pid +0 +4 +volatile const int$'
	assert_match rodata_map "$TOOL_OUT" '^ +hello\.rodata +array '
	n=$(grep -cE "$(hello_line_re "$TOOL_PID" "BPF triggered from PID $TOOL_PID")" "$TOOL_OUT")
	assert_eq then_greetings "$n" 2
	tool_start "$BIN/hello" --show-object -j -d 0.5
	tool_wait
	assert_eq json_exit_status "$TOOL_RC" 0
	assert_json valid_json "$TOOL_OUT"
	assert_match json_object_first "$TOOL_OUT" '^\{"file":"tool:hello",.*"name":"hello_write"'
	assert_eq json_lines "$(wc -l < "$TOOL_OUT" | tr -d ' ')" 2
}
it_test hello_show_object t_show_object

t_errors() {
	run_cmd "$BIN/hello" --event nope
	assert_eq bad_event_status "$CMD_RC" 2
	assert_usage_error bad_event_message "$CMD_ERR" "^hello: invalid EVENT 'nope': give exec, clone, open or write$"
	run_cmd "$SBTEST" runas 65534 "$BIN/hello" -d 1
	assert_eq unprivileged_status "$CMD_RC" 1
	assert_contains unprivileged_message "$CMD_ERR" "need root"
}
it_test hello_errors t_errors

it_done
