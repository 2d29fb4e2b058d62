#!/bin/sh
# execsnoop: execs this script causes, with known paths and arguments, are
# reported with exact fields; failed execs, filters, truncation, quoting,
# bad input, and nothing left in the kernel.
set -u
. "$(dirname "$0")/lib.sh"

# The test shell's own name: a failed exec keeps the forking shell's.
SH_COMM=$(cat /proc/$$/comm)
MISSING=/nonexistent-proc-exec-$$

# ex_ready WORD: exec sbtest with WORD until the tool shows it, which
# proves it is attached (or, later, that every event before was seen).
# WORD=-missing execs a missing file instead, for -x.
ex_ready() {
	_i=0
	until grep -qF -e "$1" "$TOOL_OUT" 2>/dev/null; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((300 * IT_SCALE)) ]; then
			it_fail ready "the tool never showed '$1'; stderr: $(head -c 300 "$TOOL_ERR")" "$TOOL_OUT"
			return 1
		fi
		case $2 in
		missing) "$MISSING-$1" 2>/dev/null ;;
		*) "$SBTEST" "$1" > /dev/null 2>&1 ;;
		esac
		sleep 0.05
	done
}

# The known events: sbtest run with awkward arguments, a missing file.
# Their pids are in EX_PID and FAIL_PID.
ex_events() {
	"$SBTEST" "a b" "it's \"q\"" "x
y" "" > /dev/null 2>&1 &
	EX_PID=$!
	wait "$EX_PID"
	"$MISSING" arg1 2>/dev/null &
	FAIL_PID=$!
	wait "$FAIL_PID"
}

t_json() {
	tool_start "$BIN/execsnoop" -j
	ex_ready "ready-$$" sbtest || return
	ex_events
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_line exec_fields "$TOOL_OUT" \
		"{\"comm\":\"sbtest\",\"pid\":$EX_PID,\"tid\":$EX_PID,\"ppid\":$$,\"uid\":0,\"ret\":0,\"err\":null,\"args\":[\"$SBTEST\",\"a b\",\"it's \\\"q\\\"\",\"x\\ny\",\"\"],\"args_truncated\":false}"
	assert_line failed_exec_fields "$TOOL_OUT" \
		"{\"comm\":\"$SH_COMM\",\"pid\":$FAIL_PID,\"tid\":$FAIL_PID,\"ppid\":$$,\"uid\":0,\"ret\":-2,\"err\":\"ENOENT\",\"args\":[\"$MISSING\",\"arg1\"],\"args_truncated\":false}"
	assert_json json_valid "$TOOL_OUT"
	assert_eq exit_status "$TOOL_RC" 0
}
it_test execsnoop_json t_json

t_table() {
	tool_start "$BIN/execsnoop" -q
	ex_ready "ready-$$" sbtest || return
	ex_events
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_line header "$TOOL_OUT" "$(printf '%-16s %-7s %-7s %3s %s' PCOMM PID PPID RET ARGS)"
	assert_line exec_quoted "$TOOL_OUT" \
		"$(printf '%-16s %-7s %-7s %3s %s' sbtest "$EX_PID" $$ 0 "$SBTEST 'a b' 'it'\\''s \"q\"' \$'x\\ny' ''")"
	assert_line failed_exec "$TOOL_OUT" \
		"$(printf '%-16s %-7s %-7s %3s %s' "$SH_COMM" "$FAIL_PID" $$ -2 "$MISSING arg1")"
	assert_eq exit_status "$TOOL_RC" 0
}
it_test execsnoop_table_quoted t_table

# Without -q, control bytes are escaped so a record stays on one line.
t_table_plain() {
	tool_start "$BIN/execsnoop" -T -U
	ex_ready "ready-$$" sbtest || return
	ex_events
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_match exec_plain "$TOOL_OUT" \
		"^[0-9]+\\.[0-9]{3} +0 +sbtest +$EX_PID +$$ +0 $SBTEST a b it's \"q\" x\\\\ny \$"
}
it_test execsnoop_table_plain t_table_plain

t_fails_only() {
	tool_start "$BIN/execsnoop" -j --fails
	ex_ready "ready-$$" missing || return
	ex_events
	ex_ready "done-$$" missing || return
	tool_stop
	assert_contains failed_shown "$TOOL_OUT" "\"pid\":$FAIL_PID,"
	assert_absent success_hidden "$TOOL_OUT" "\"pid\":$EX_PID,"
	assert_absent no_success_at_all "$TOOL_OUT" '"ret":0,'
}
it_test execsnoop_fails t_fails_only

# -n matches the new program's name; -l the argument line.
t_filters() {
	tool_start_as name "$BIN/execsnoop" -j -n sbtes
	tool_start_as line "$BIN/execsnoop" -j -l "it's"
	# The markers carry the -l text too.
	for _w in name line; do
		TOOL_OUT=$T/$_w.out TOOL_ERR=$T/$_w.err
		ex_ready "ready-$$-it's" sbtest || return
	done
	ex_events
	for _w in name line; do
		TOOL_OUT=$T/$_w.out TOOL_ERR=$T/$_w.err
		ex_ready "done-$$-it's" sbtest || return
	done
	tool_stop_all
	assert_contains name_match "$T/name.out" "\"pid\":$EX_PID,"
	assert_absent name_nomatch "$T/name.out" "\"pid\":$FAIL_PID,"
	assert_absent name_only_sbtest "$T/name.out" "\"comm\":\"$SH_COMM\""
	assert_contains line_match "$T/line.out" "\"pid\":$EX_PID,"
	assert_absent line_nomatch "$T/line.out" "\"pid\":$FAIL_PID,"
	assert_eq line_only_markers_and_event "$(grep -vcF -e "-$$-it's" "$T/line.out")" 1
}
it_test execsnoop_name_line t_filters

# Truncation is always marked: too many args, one too long, too much in all.
t_truncation() {
	tool_start "$BIN/execsnoop" -j --max-args 3
	ex_ready "ready-$$" sbtest || return
	"$SBTEST" one two three four > /dev/null 2>&1 &
	MANY=$!
	"$SBTEST" one two > /dev/null 2>&1 &
	EXACT=$!
	wait "$MANY" "$EXACT"
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_contains too_many "$TOOL_OUT" \
		"\"pid\":$MANY,\"tid\":$MANY,\"ppid\":$$,\"uid\":0,\"ret\":0,\"err\":null,\"args\":[\"$SBTEST\",\"one\",\"two\"],\"args_truncated\":true}"
	assert_contains exactly_max "$TOOL_OUT" \
		"\"pid\":$EXACT,\"tid\":$EXACT,\"ppid\":$$,\"uid\":0,\"ret\":0,\"err\":null,\"args\":[\"$SBTEST\",\"one\",\"two\"],\"args_truncated\":false}"

	long=$(head -c 9000 /dev/zero | tr '\0' a)
	mid=$(head -c 7000 /dev/zero | tr '\0' b)
	cut8191=$(printf '%s' "$long" | head -c 8191)
	tool_start_as long "$BIN/execsnoop" -j
	ex_ready "ready-$$" sbtest || return
	"$SBTEST" "$long" x > /dev/null 2>&1 &
	LONG=$!
	"$SBTEST" "$mid" "$mid" "$mid" > /dev/null 2>&1 &
	FULL=$!
	wait "$LONG" "$FULL"
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_contains long_arg_cut "$TOOL_OUT" \
		"\"pid\":$LONG,\"tid\":$LONG,\"ppid\":$$,\"uid\":0,\"ret\":0,\"err\":null,\"args\":[\"$SBTEST\",\"$cut8191\"],\"args_truncated\":true}"
	# 16 KiB in all: sbtest's path, two whole 7000-byte args, then what fits.
	_got=$(grep -F "\"pid\":$FULL," "$TOOL_OUT" | awk -F'"args":' '{ print $2 }')
	_want_third=$((16384 - ${#SBTEST} - 1 - 7001 - 7001 - 1))
	_third=$(printf '%s' "$mid" | head -c "$_want_third")
	assert_eq total_cut "$_got" "[\"$SBTEST\",\"$mid\",\"$mid\",\"$_third\"],\"args_truncated\":true}"

	tool_start_as table "$BIN/execsnoop" --max-args 2
	ex_ready "ready-$$" sbtest || return
	"$SBTEST" one two three > /dev/null 2>&1 &
	MANY=$!
	wait "$MANY"
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_line table_marker "$TOOL_OUT" \
		"$(printf '%-16s %-7s %-7s %3s %s' sbtest "$MANY" $$ 0 "$SBTEST one ...")"
}
it_test execsnoop_truncation t_truncation

# An exec from a thread other than the leader: the kernel gives the thread
# the leader's id during the exec, so entry and exit see different tids.
t_thread_exec() {
	tool_start "$BIN/execsnoop" -j
	ex_ready "ready-$$" sbtest || return
	sb_start -n thread exec "$SBTEST"
	wait "$SB_PID" 2>/dev/null
	_tid=$(sb_val exec tid)
	ex_ready "done-$$" sbtest || return
	tool_stop
	assert_ne exec_from_other_thread "${_tid:-$SB_PID}" "$SB_PID"
	assert_line thread_exec "$TOOL_OUT" \
		"{\"comm\":\"sbtest\",\"pid\":$SB_PID,\"tid\":$SB_PID,\"ppid\":$$,\"uid\":0,\"ret\":0,\"err\":null,\"args\":[\"$SBTEST\"],\"args_truncated\":false}"
}
it_test execsnoop_thread_exec t_thread_exec

t_bad_input() {
	for _v in 0 4097 abc -1 ""; do
		run_cmd "$BIN/execsnoop" --max-args "$_v"
		assert_eq "max_args_${_v:-empty}_status" "$CMD_RC" 2
		assert_usage_error "max_args_${_v:-empty}_message" "$CMD_ERR" \
			"^execsnoop: invalid --max-args '$_v': expected a whole number from 1 to 4096\$"
	done
	run_cmd "$BIN/execsnoop" --attach kprobe
	assert_eq bad_attach_status "$CMD_RC" 2
}
it_test execsnoop_bad_input t_bad_input

# Both attach variants, and nothing of ours stays in the kernel.
t_variants() {
	for _v in tracepoint raw_tp; do
		tool_start_as "$_v" "$BIN/execsnoop" -j -v --attach "$_v"
		ex_ready "ready-$$-$_v" sbtest || return
		bpf_ids_save "$TOOL_PID" "$T/$_v.ids"
		ex_events
		ex_ready "done-$$-$_v" sbtest || return
		tool_stop
		assert_contains "${_v}_attached" "$TOOL_ERR" "execsnoop: attach: $(echo "$_v" | sed 's/raw_tp/raw_tp sys_enter/; s/tracepoint/tracepoint syscalls\/sys_enter_execve/')"
		assert_contains "${_v}_exec" "$TOOL_OUT" \
			"\"pid\":$EX_PID,\"tid\":$EX_PID,\"ppid\":$$,\"uid\":0,\"ret\":0,\"err\":null,\"args\":[\"$SBTEST\",\"a b\",\"it's \\\"q\\\"\",\"x\\ny\",\"\"],\"args_truncated\":false}"
		assert_contains "${_v}_failed" "$TOOL_OUT" "\"pid\":$FAIL_PID,\"tid\":$FAIL_PID,\"ppid\":$$,\"uid\":0,\"ret\":-2,\"err\":\"ENOENT\""
		assert_eq "${_v}_status" "$TOOL_RC" 0
		assert_bpf_gone "${_v}_leaves_nothing" "$T/$_v.ids"
	done
}
it_test execsnoop_variants t_variants

it_done
