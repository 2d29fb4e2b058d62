#!/bin/sh
# The multi-call front end: tool list, version, help through both names,
# unknown tools.
. "$(dirname "$0")/lib.sh"

t_cli() {
	run_cmd "$BIN/snoopbox" --list
	assert_eq list_status "$CMD_RC" 0
	assert_match list_opensnoop "$CMD_OUT" "^  opensnoop +Trace files opened"
	# Every listed tool answers to its own name.
	for t in $(awk '{ print $1 }' "$CMD_OUT"); do
		"$BIN/$t" --help > "$T/help.$t" 2>&1
		assert_eq "help_status_$t" "$?" 0
		assert_match "help_usage_$t" "$T/help.$t" "^Usage: $t "
	done

	run_cmd "$BIN/snoopbox" --version
	assert_eq version_status "$CMD_RC" 0
	assert_match version "$CMD_OUT" "^snoopbox [0-9]+\.[0-9]+\.[0-9]+$"

	run_cmd "$BIN/snoopbox" opensnoop --help
	assert_eq help_via_snoopbox_status "$CMD_RC" 0
	cp "$CMD_OUT" "$T/help.snoopbox"
	run_cmd "$BIN/opensnoop" --help
	assert_eq help_via_symlink_status "$CMD_RC" 0
	if cmp -s "$CMD_OUT" "$T/help.snoopbox"; then
		it_pass help_same_both_ways
	else
		it_fail help_same_both_ways "snoopbox opensnoop --help and opensnoop --help differ" "$T/help.snoopbox"
	fi
	for opt in "-p, --pid=PID" "-t, --tid=TID" "-u, --uid=UID" "-n, --name=NAME" \
		"-x, --failed" "-T, --timestamp" "-U, --print-uid" "-j, --json" \
		"-d, --duration=SECONDS" "--attach=VARIANT" "-v, --verbose" \
		"-e, --extended-fields" "-F, --full-path"; do
		assert_contains "help_lists_${opt%%,*}" "$CMD_OUT" "$opt"
	done

	run_cmd "$BIN/snoopbox" nosuchtool
	assert_eq unknown_tool_status "$CMD_RC" 2
	assert_eq unknown_tool_message "$(cat "$CMD_ERR")" "snoopbox: unknown tool 'nosuchtool'; 'snoopbox --list' shows the tools"

	run_cmd "$BIN/snoopbox"
	assert_eq no_tool_status "$CMD_RC" 2
	assert_match no_tool_usage "$CMD_ERR" "^Usage: snoopbox TOOL"
}
it_test snoopbox_cli t_cli

# Only dump --jited needs capstone, and the dynamic build loads it then:
# a tracer must not map it (it cost opensnoop ~3 MiB of RSS at start).
t_no_capstone_mapped() {
	tool_start "$BIN/opensnoop" -d 2 -p 1
	# Programs loaded: the loader and main are done with the libraries.
	_i=0
	until [ -n "$("$BIN/snoopbox" progs -j --pid "$TOOL_PID" 2> /dev/null)" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((250 * IT_SCALE)) ] || ! it_alive "$TOOL_PID"; then
			it_fail started "opensnoop never loaded programs" "$TOOL_ERR"
			return
		fi
		sleep 0.02
	done
	cp "/proc/$TOOL_PID/maps" "$T/maps"
	if it_dynamic "$TOOL_PID"; then
		assert_absent no_libcapstone "$T/maps" libcapstone
	else
		echo "SKIP: $IT_NAME: a static build maps no libraries"
	fi
	tool_wait 5
	assert_eq exit_status "$TOOL_RC" 0
}
it_test snoopbox_no_capstone_mapped t_no_capstone_mapped

it_done
