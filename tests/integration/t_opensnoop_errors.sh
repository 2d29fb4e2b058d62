#!/bin/sh
# opensnoop: bad input, no privileges, and every way of ending, each of
# which must leave no BPF object of ours behind.
. "$(dirname "$0")/lib.sh"

# ---- usage errors: exit 2, one line naming the problem, argp's hint -------------

t_usage() {
	check_usage() {  # NAME PATTERN ARG...
		_name=$1 _pat=$2
		shift 2
		run_cmd "$BIN/opensnoop" "$@"
		assert_eq "${_name}_status" "$CMD_RC" 2
		assert_usage_error "${_name}_message" "$CMD_ERR" "$_pat"
		assert_eq "${_name}_no_stdout" "$(wc -c < "$CMD_OUT" | tr -d ' ')" 0
	}
	check_usage unknown_option "^opensnoop: unrecognized option '--bogus'$" --bogus
	check_usage unknown_short "^opensnoop: invalid option -- 'Z'$" -Z
	check_usage pid_not_number "^opensnoop: invalid PID 'abc': expected a whole number from 1 to [0-9]+$" -p abc
	check_usage pid_zero "^opensnoop: invalid PID '0': " -p 0
	check_usage pid_too_big "^opensnoop: invalid PID '4194305': " -p 4194305
	check_usage pid_negative "^opensnoop: invalid PID '-1': " -p -1
	check_usage pid_overflow "^opensnoop: invalid PID '99999999999999999999999': " -p 99999999999999999999999
	check_usage tid_not_number "^opensnoop: invalid TID '1x': " -t 1x
	check_usage uid_too_big "^opensnoop: invalid UID '4294967295': " -u 4294967295
	check_usage uid_not_number "^opensnoop: invalid UID 'root': " -u root
	check_usage duration_zero "^opensnoop: invalid duration '0': give a number of seconds greater than 0$" -d 0
	check_usage duration_negative "^opensnoop: invalid duration '-1': " -d -1
	check_usage duration_text "^opensnoop: invalid duration 'soon': " -d soon
	check_usage name_too_long "^opensnoop: invalid NAME '0123456789abcdef': " -n 0123456789abcdef
	check_usage name_empty "^opensnoop: invalid NAME '': " -n ''
	check_usage extra_argument "^opensnoop: unexpected argument 'extra'" -d 1 extra
}
it_test opensnoop_usage t_usage

# ---- not root ------------------------------------------------------------------------

t_not_root() {
	bpf_mark
	run_cmd "$SBTEST" runas 65534 "$BIN/opensnoop" -d 1
	assert_eq status "$CMD_RC" 1
	assert_lines one_line "$CMD_ERR" 1
	assert_match names_root_and_caps "$CMD_ERR" "^opensnoop: .*root.*CAP_BPF"
	assert_eq no_stdout "$(wc -c < "$CMD_OUT" | tr -d ' ')" 0
	assert_no_orphans nothing_left opensnoop opensnoo.
}
it_test opensnoop_not_root t_not_root

# ---- every way of ending: status, and no BPF object left ---------------------------

# Start a tracer on a fresh sbtest and record its objects once attached.
# leak_start NAME ARG...
leak_start() {
	_ln=$1
	shift
	tool_start_as "$_ln" "$BIN/opensnoop" -p "$SB_PID" "$@"
}

leak_wait_attached() {  # NAME: ready marker seen, then the ids
	if ! wait_for "$T/$1.out" "$SB_READY" 10; then
		it_fail "${1}_attach" "never showed $SB_READY: $(head -c 300 "$T/$1.err")" "$T/$1.out"
		return 1
	fi
	bpf_ids_save "$(eval "echo \$PID_$1")" "$T/$1.ids"
	# A tracer holds its programs, maps and one link per hook (4 here:
	# the exit tracepoints of open, creat, openat and openat2).
	_links=$(grep -c '^link ' "$T/$1.ids")
	assert_eq "${1}_links_seen" "$_links" 4
}

t_exits() {
	sb_start sleep 1
	tool_start_as int "$BIN/opensnoop" -p "$SB_PID"
	PID_int=$TOOL_PID
	tool_start_as term "$BIN/opensnoop" -j -p "$SB_PID"
	PID_term=$TOOL_PID
	_t0=$(it_now_cs)
	tool_start_as dur "$BIN/opensnoop" -p "$SB_PID" -d 1.5
	PID_dur=$TOOL_PID
	for n in int term dur; do
		leak_wait_attached "$n" || return
	done
	kill -INT "$PID_int"
	kill -TERM "$PID_term"
	it_wait_exit "$PID_int" 5
	assert_eq sigint_status "$IT_RC" 0
	it_wait_exit "$PID_term" 5
	assert_eq sigterm_status "$IT_RC" 0
	it_wait_exit "$PID_dur" 10
	assert_eq duration_status "$IT_RC" 0
	_el=$(( $(it_now_cs) - _t0 ))
	# -d 1.5 counts from attach: at least 1.5 s after we started it.
	if [ "$_el" -ge 150 ] && [ "$_el" -le $((500 * IT_SCALE)) ]; then
		it_pass duration_elapsed
	else
		it_fail duration_elapsed "ended after ${_el}0 ms, want 1.5 s to 5 s"
	fi
	sb_go
	# What was printed before the signal is not lost.
	assert_contains sigint_output_kept "$T/int.out" "$SB_READY"
	assert_contains sigterm_output_kept "$T/term.out" "$SB_READY"
	assert_json sigterm_json_valid "$T/term.out"
	for n in int term dur; do
		assert_absent "${n}_no_errors" "$T/$n.err" "opensnoop"
		assert_bpf_gone "${n}_bpf_gone" "$T/$n.ids"
	done
}
it_test opensnoop_exits t_exits

# opensnoop | head -n 1, while events flow: the next write fails with
# EPIPE, and it must stop cleanly.  A fifo stands in for the pipe so the
# test knows opensnoop's pid and can read its objects first.
t_sigpipe() {
	mkfifo "$T/pipe"
	sb_start sleep 1
	"$BIN/opensnoop" -p "$SB_PID" > "$T/pipe" 2> "$T/os.err" &
	os=$!
	it_track "$os"
	# head -n 1, but only once the test has the ids: it then exits, and
	# sbtest's markers (every 10 ms) make opensnoop write again.
	{ head -n 1 > "$T/head.out"; wait_for "$T/go" go 10; } < "$T/pipe" &
	reader=$!
	it_track "$reader"
	if ! wait_for "$T/head.out" "PID" 10; then
		it_fail attach "no header through the pipe: $(head -c 300 "$T/os.err")"
		return
	fi
	# The header is printed after attach: every object exists now.
	bpf_ids_save "$os" "$T/os.ids"
	assert_eq links_seen "$(grep -c '^link ' "$T/os.ids")" 4
	echo go > "$T/go"
	it_wait_exit "$reader" 5
	it_wait_exit "$os" 5
	assert_eq status "$IT_RC" 0
	assert_eq head_got_header "$(cat "$T/head.out")" "PID     COMM              FD ERR PATH"
	sb_go
	assert_bpf_gone bpf_gone "$T/os.ids"
}
it_test opensnoop_sigpipe t_sigpipe

# An error after the programs are loaded: with few file descriptors, the
# load succeeds and attaching runs out of them part-way.
t_attach_error() {
	bpf_mark
	n=16
	while [ "$n" -le 64 ]; do
		run_cmd "$SBTEST" nofile "$n" "$BIN/opensnoop" -d 1 -p 1
		if grep -q "cannot attach to" "$CMD_ERR"; then
			# Make sure some hooks were attached before the failure.
			grep -q "sys_exit_openat:" "$CMD_ERR" || break
		fi
		[ "$CMD_RC" = 0 ] && break
		n=$((n + 1))
	done
	assert_eq status "$CMD_RC" 1
	assert_match message "$CMD_ERR" "^opensnoop: cannot attach to tracepoint syscalls/[a-z_0-9]+: Too many open files$"
	assert_lines one_line "$CMD_ERR" 1
	assert_no_orphans nothing_left opensnoop opensnoo.
}
it_test opensnoop_attach_error t_attach_error

# Output that cannot be written (a full disk) is a runtime failure: exit 1
# with a message, not a silent success.
t_write_error() {
	# The handshake markers come from comm "quiet", unseen by -n loud:
	# the first event it sees is the open after sb_go.
	: > "$T/file"
	sb_start comm quiet ready comm loud open "$T/file" O_RDONLY
	# JSON Lines have no header: the first write is the event's.
	"$BIN/opensnoop" -j -n loud -p "$SB_PID" > /dev/full 2> "$T/os.err" &
	os=$!
	it_track "$os"
	# Its output is lost, so no marker to wait for: wait for its links.
	i=0
	until [ "$("$SBTEST" bpf-ids "$os" | grep -c '^link ')" = 4 ]; do
		i=$((i + 1))
		if [ "$i" -gt $((250 * IT_SCALE)) ]; then
			it_fail attach "not attached after 5 s: $(head -c 300 "$T/os.err")"
			return
		fi
		sleep 0.02
	done
	bpf_ids_save "$os" "$T/os.ids"
	sb_go
	# Writing the first event fails (ENOSPC).
	it_wait_exit "$os" 5
	assert_eq status "$IT_RC" 1
	assert_match message "$T/os.err" "^opensnoop: .*No space left on device"
	assert_bpf_gone bpf_gone "$T/os.ids"
}
it_test opensnoop_write_error t_write_error

# The table's header is written right after attach; failing there ends the
# run at once, with the same one line and nothing left behind.
t_header_write_error() {
	bpf_mark
	run_cmd sh -c "exec \"$BIN/opensnoop\" -d 5 -p 1 > /dev/full"
	assert_eq status "$CMD_RC" 1
	assert_match message "$CMD_ERR" "^opensnoop: cannot write the output: No space left on device$"
	assert_lines one_line "$CMD_ERR" 1
	assert_no_orphans nothing_left opensnoop opensnoo.
}
it_test opensnoop_header_write_error t_header_write_error

it_done
