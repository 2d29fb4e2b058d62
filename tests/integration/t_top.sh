#!/bin/sh
# top: a program that runs a known number of times (sbprog runs it with
# BPF_PROG_TEST_RUN) shows exactly that count, with statistics that top
# turned on through its own fd, leaving the sysctl alone.
. "$(dirname "$0")/lib.sh"

SBPROG=$(dirname "$(readlink -f "$SBTEST")")/sbprog

# Sum of FIELD over the records of program ID.
top_sum() {  # FILE ID FIELD
	awk -v id="\"id\":$2," -v f="\"$3\":" '
		index($0, id) {
			s = substr($0, index($0, f) + length(f))
			sub(/[,}].*/, "", s)
			sum += s
		}
		END { printf "%d\n", sum }' "$1"
}

t_known_runs() {
	sysctl_before=$(cat /proc/sys/kernel/bpf_stats_enabled)
	name=sbtop_$$
	tool_start "$BIN/top" -v -j -i 0.5 -d 3
	if ! wait_for "$TOOL_ERR" "statistics on" 10; then
		it_fail start "top did not start" "$TOOL_ERR"
		return
	fi
	assert_eq sysctl_untouched "$(cat /proc/sys/kernel/bpf_stats_enabled)" "$sysctl_before"
	# 1234 runs, then loaded for 1.2 s more so top sees it at least once.
	"$SBPROG" run "$name" 1234 1200 > "$T/sbprog.out" 2>&1
	assert_eq sbprog_status "$?" 0
	id=$(sed -n 's/^id=\([0-9]*\) .*/\1/p' "$T/sbprog.out")
	tool_wait
	assert_eq exit_status "$TOOL_RC" 0
	assert_json valid_json "$TOOL_OUT"
	assert_eq runs_counted "$(top_sum "$TOOL_OUT" "$id" runs)" 1234
	assert_match record "$TOOL_OUT" "^\\{\"interval\":[0-9]+,\"interval_seconds\":[0-9.]+,\"id\":$id,\"type\":\"socket_filter\",\"name\":\"$name\",\"runs\":[0-9]+,\"runs_per_sec\":[0-9.]+,\"avg_ns\":[0-9.]+,\"cpu_percent\":[0-9.]+,\"run_time_ns\":[0-9]+,\"runs_total\":1234,\"run_time_total_ns\":[0-9]+\\}\$"
	# Every record of it accounts for some of the runs and their time.
	n=$(grep "\"id\":$id," "$TOOL_OUT" | grep -c '"runs":0,')
	assert_eq no_idle_records "$n" 0
	assert_ne run_time_counted "$(top_sum "$TOOL_OUT" "$id" run_time_ns)" 0
}
it_test top_known_runs t_known_runs

# Not a terminal: plain blocks, no control codes; -c stops it.
t_plain() {
	tool_start "$BIN/top" -a -i 0.2 -c 2
	tool_wait
	assert_eq exit_status "$TOOL_RC" 0
	n=$(grep -c '^ *ID TYPE  *NAME  *RUNS  *RUNS/s  *AVG_NS  *CPU%$' "$TOOL_OUT")
	assert_eq two_intervals "$n" 2
	esc=$(printf '\033')
	assert_absent no_escape_codes "$TOOL_OUT" "$esc"
}
it_test top_plain t_plain

t_errors() {
	run_cmd "$BIN/top" -i 0
	assert_eq bad_interval_status "$CMD_RC" 2
	assert_usage_error bad_interval_message "$CMD_ERR" "^top: invalid interval '0'"
	run_cmd "$BIN/top" -c x
	assert_eq bad_count_status "$CMD_RC" 2
	run_cmd "$SBTEST" runas 65534 "$BIN/top" -c 1
	assert_eq unprivileged_status "$CMD_RC" 1
	assert_contains unprivileged_message "$CMD_ERR" "run as root"
}
it_test top_errors t_errors

it_done
