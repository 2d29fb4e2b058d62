# Tracing a command and its descendants (TOOL -- COMMAND), and a cgroup
# (--cgroup PATH): written once in the shared layer, tested here on
# opensnoop, execsnoop and exitsnoop.
. "$(dirname "$0")/lib.sh"

# A loop that opens, execs and exits all the time, outside what we trace:
# it must never show up.  Stopped by removing $T/noise.
noise_start() {
	: >"$T/noise"
	( while [ -f "$T/noise" ]; do cat "$T/file" >/dev/null; done ) &
	NOISE_PID=$!
	it_track "$NOISE_PID"
}

noise_stop() {
	rm -f "$T/noise"
	wait "$NOISE_PID" 2>/dev/null
}

# The command forks a shell (the child), which forks cat (the grandchild,
# which reads the file and records its pid), then exits 3.
FOLLOW_CMD='sh -c "echo \$\$ >\"$0/child\"; sh -c '"'"'echo \$\$ >\"\$0/grandchild\"; exec cat \"\$0/file\" >/dev/null'"'"' \"$0\"; :"; exit 3'

follow_run() {  # TOOL ARGS...: run TOOL -- FOLLOW_CMD with the noise on
	: >"$T/file"
	noise_start
	run_cmd "$@" -- sh -c "$FOLLOW_CMD" "$T"
	noise_stop
	GRANDCHILD=$(cat "$T/grandchild" 2>/dev/null)
}

t_opensnoop() {
	bpf_mark
	follow_run "$BIN/opensnoop" -j
	assert_eq status_is_commands "$CMD_RC" 3
	assert_ne grandchild_ran "$GRANDCHILD" ""
	assert_match grandchild_open "$CMD_OUT" "^\\{\"pid\":$GRANDCHILD,.*\"comm\":\"cat\",\"fd\":3,.*\"path\":\"$T/file\""
	# Every open of the file is the grandchild's: the noise loop's cats
	# opened it thousands of times meanwhile.
	assert_eq only_grandchild "$(grep -F "\"path\":\"$T/file\"" "$CMD_OUT" | grep -vc "^{\"pid\":$GRANDCHILD,")" 0
	assert_no_orphans nothing_left opensnoop opensnoo.
}
it_test follow_opensnoop t_opensnoop

t_execsnoop() {
	follow_run "$BIN/execsnoop" -j
	assert_eq status_is_commands "$CMD_RC" 3
	assert_match grandchild_exec "$CMD_OUT" "\"pid\":$GRANDCHILD,.*\"args\":\\[\"cat\",\"$T/file\"\\]"
	# dash tries each $PATH entry itself: failed execs by the grandchild
	# too, all under its pid; none from the noise loop's cats.
	assert_eq no_noise "$(grep "\"args\":\\[\"cat\",\"$T/file\"\\]" "$CMD_OUT" | grep -vc "\"pid\":$GRANDCHILD,")" 0
}
it_test follow_execsnoop t_execsnoop

t_exitsnoop() {
	follow_run "$BIN/exitsnoop" -j
	assert_eq status_is_commands "$CMD_RC" 3
	assert_match grandchild_exit "$CMD_OUT" "^\\{\"comm\":\"cat\",\"pid\":$GRANDCHILD,.*\"exit_code\":0,"
	assert_match command_exit "$CMD_OUT" "^\\{\"comm\":\"sh\",.*\"exit_code\":3,"
	assert_eq only_followed_cats "$(grep -c '"comm":"cat"' "$CMD_OUT")" 1
}
it_test follow_exitsnoop t_exitsnoop

t_errors() {
	bpf_mark
	run_cmd "$BIN/opensnoop" -- /nonexistent/snoopbox-no-such-command
	assert_eq not_found_status "$CMD_RC" 127
	assert_match not_found_message "$CMD_ERR" "^opensnoop: cannot run '/nonexistent/snoopbox-no-such-command': No such file or directory$"
	assert_no_orphans not_found_nothing_left opensnoop opensnoo.
	run_cmd "$BIN/execsnoop" --
	assert_eq no_command_status "$CMD_RC" 2
	assert_match no_command_message "$CMD_ERR" "^execsnoop: '--' must be followed by a command to run$"
	run_cmd "$BIN/exitsnoop" --cgroup /snoopbox-no-such-cgroup -d 1
	assert_eq bad_cgroup_status "$CMD_RC" 2
	assert_match bad_cgroup_message "$CMD_ERR" "^exitsnoop: --cgroup: '/snoopbox-no-such-cgroup' is not a cgroup v2 directory"
}
it_test follow_errors t_errors

# --cgroup: a child cgroup of our own under the cgroup2 mount (found the way
# the tools find it), a shell moved into it, and the same noise outside.
t_cgroup() {
	cg_root=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") break; if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
	if [ -z "$cg_root" ]; then
		it_fail cgroup2_mounted "no cgroup2 mount in /proc/self/mountinfo"
		return
	fi
	cg=$cg_root/snoopbox-test-$$
	mkdir "$cg" || { it_fail mkdir "cannot create $cg"; return; }
	: >"$T/file"
	noise_start
	tool_start "$BIN/opensnoop" -j --cgroup "${cg#"$cg_root"}"
	# With -j there is no header: wait for the programs instead.
	i=0
	until [ "$("$SBTEST" bpf-ids "$TOOL_PID" | grep -c '^link ')" -ge 8 ] || [ $i -gt 500 ]; do
		i=$((i + 1)); sleep 0.02
	done
	sh -c 'echo $$ >"$1/cgroup.procs" && echo $$ >"$2/inside" && exec cat "$2/file"' sh "$cg" "$T" >/dev/null
	inside=$(cat "$T/inside" 2>/dev/null)
	sleep 0.3
	tool_stop
	noise_stop
	rmdir "$cg"
	assert_eq exit_status "$TOOL_RC" 0
	assert_ne moved_in "$inside" ""
	assert_match inside_seen "$TOOL_OUT" "^\\{\"pid\":$inside,.*\"path\":\"$T/file\""
	assert_eq outside_not_seen "$(grep -F "\"path\":\"$T/file\"" "$TOOL_OUT" | grep -vc "^{\"pid\":$inside,")" 0
	assert_eq cgroup_removed "$([ -d "$cg" ] && echo still-there)" ""
}
it_test follow_cgroup t_cgroup

it_done
