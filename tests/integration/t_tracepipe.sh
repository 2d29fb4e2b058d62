#!/bin/sh
# tracepipe: a bpf_printk line from a test program (sbprog runs it in its
# own process, so the PID is known) arrives whole and parsed exactly.
# The trace pipe is shared by the machine: every check looks for this
# run's unique marker only.
. "$(dirname "$0")/lib.sh"

SBPROG=$(dirname "$(readlink -f "$SBTEST")")/sbprog

# sbprog printk TEXT; its PID in $PK_PID.
printk() {
	"$SBPROG" printk "$1" > "$T/printk.out" 2>&1 || {
		it_fail sbprog "sbprog printk failed" "$T/printk.out"
		return 1
	}
	PK_PID=$(sed -n 's/^pid=//p' "$T/printk.out")
}

t_stream_json() {
	# The message looks like a header itself; the parser must not care.
	marker="sbtp-$$-json: x-1 [000] .... 1.0: y \"q\""
	tool_start "$BIN/tracepipe" -v -j -n sbprog
	if ! wait_for "$TOOL_ERR" "reading " 10; then
		it_fail start "tracepipe did not start" "$TOOL_ERR"
		return
	fi
	# sbprog prints it twice: -n cannot match the first line if the
	# kernel shows "<...>" for it (see sbprog.c), the second it can.
	printk "$marker" || return
	wait_for "$TOOL_OUT" "sbtp-$$-json" 5
	tool_stop
	assert_eq exit_status "$TOOL_RC" 0
	assert_json valid_json "$TOOL_OUT"
	assert_match parsed_line "$TOOL_OUT" "^\\{\"comm\":\"sbprog\",\"pid\":$PK_PID,\"cpu\":[0-9]+,\"flags\":\"[^\" ]+\",\"timestamp\":[0-9]+\\.[0-9]{6},\"event\":\"bpf_trace_printk\",\"message\":\"sbtp-$$-json: x-1 \\[000\\] \\.\\.\\.\\. 1\\.0: y \\\\\"q\\\\\"\"\\}\$"
	n=$(grep -vc '^{"comm":"[^"]*sbprog[^"]*",' "$TOOL_OUT")
	assert_eq name_filter "$n" 0
}
it_test tracepipe_stream_json t_stream_json

# Lines wait in the kernel until read: print first, read after, with -p
# keeping one of two processes' lines.
t_pid_filter_table() {
	printk "sbtp-$$-first" || return
	first=$PK_PID
	printk "sbtp-$$-second" || return
	tool_start "$BIN/tracepipe" -p "$first" -d 1
	tool_wait
	assert_eq exit_status "$TOOL_RC" 0
	assert_match raw_line "$TOOL_OUT" "^ *sbprog-$first +\\[[0-9]+\\] [^ ]+ +[0-9]+\\.[0-9]+: bpf_trace_printk: sbtp-$$-first\$"
	assert_eq both_lines "$(grep -c "sbtp-$$-first" "$TOOL_OUT")" 2
	assert_absent other_pid_filtered "$TOOL_OUT" "sbtp-$$-second"
	n=$(grep -vc -e "-$first " "$TOOL_OUT")
	assert_eq only_that_pid "$n" 0
}
it_test tracepipe_pid_filter t_pid_filter_table

t_errors() {
	run_cmd "$BIN/tracepipe" -p 0
	assert_eq bad_pid_status "$CMD_RC" 2
	assert_usage_error bad_pid_message "$CMD_ERR" "^tracepipe: invalid PID '0'"
	run_cmd "$BIN/tracepipe" extra
	assert_eq extra_arg_status "$CMD_RC" 2
	run_cmd "$SBTEST" runas 65534 "$BIN/tracepipe" -d 1
	assert_eq unprivileged_status "$CMD_RC" 1
	assert_match unprivileged_message "$CMD_ERR" "^tracepipe: .*(needs root|not permitted|Permission denied)"
}
it_test tracepipe_errors t_errors

it_done
