#!/bin/sh
# progs and maps: what opensnoop loads, as the kernel reports it, checked
# against bpftool (host only; skipped with a SKIP line where absent), the
# holding process from /proc/*/fdinfo, and the filters.
. "$(dirname "$0")/lib.sh"

# jval KEY LINE: the raw JSON value of KEY (no commas inside) in LINE.
jval() {
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\(\[[^]]*\]\|[^,}]*\).*/\1/p"
}

# ids < FILE: the ids of FILE's JSON lines, on one line.
ids() {
	sed -n 's/^{"id":\([0-9]*\),.*/\1/p' | tr '\n' ' '
}

# Start opensnoop (filtered to a process that opens nothing) and wait
# until its programs are loaded; TP is its pid.
start_tracer() {
	tool_start "$BIN/opensnoop" -p 1
	TP=$TOOL_PID
	_i=0
	while [ "$_i" -lt $((250 * IT_SCALE)) ]; do
		"$BIN/snoopbox" progs -j --pid "$TP" > "$T/progs.json" 2> "$T/progs.err"
		[ -s "$T/progs.json" ] && sleep 0.2 && return 0
		_i=$((_i + 1))
		sleep 0.02
	done
	it_fail tracer "opensnoop never loaded programs" "$TOOL_ERR"
	return 1
}

# same_keys CHECK OURS THEIRS KEY...: each KEY has the same value.
same_keys() {
	_c=$1 _a=$2 _b=$3
	shift 3
	for _k in "$@"; do
		_x=$(jval "$_k" "$_a") _y=$(jval "$_k" "$_b")
		if [ -z "$_x" ] || [ "$_x" != "$_y" ]; then
			it_fail "$_c" "$_k: ours '$_x', bpftool '$_y'"
			return 1
		fi
	done
	it_pass "$_c"
}

t_progs() {
	# A second tracer, so the --pid filter has something to leave out.
	tool_start_as other "$BIN/opensnoop" -p 1
	other=$TOOL_PID
	start_tracer || return
	"$BIN/snoopbox" progs -j --pid "$other" > "$T/other.json"
	assert_eq other_tracer_listed "$(grep -c "\"pids\":\[{\"pid\":$other,\"comm\":\"opensnoop\"}\]}\$" "$T/other.json")" \
		"$(wc -l < "$T/other.json" | tr -d ' ')"
	"$BIN/snoopbox" progs -j --pid "$TP" > "$T/progs.json"
	n=$(wc -l < "$T/progs.json" | tr -d ' ')
	assert_ne some_programs "$n" 0
	assert_json valid_json "$T/progs.json"
	# Every program listed is held by the tracer, and by nobody else.
	assert_eq all_held_by_tracer "$(grep -c "\"pids\":\[{\"pid\":$TP,\"comm\":\"opensnoop\"}\]}\$" "$T/progs.json")" "$n"
	assert_eq all_opensnoop "$(grep -c '"name":"opensnoop_' "$T/progs.json")" "$n"
	# -p is --pid, as in libbpf-tools: the same programs, in JSON and in a table.
	run_cmd "$BIN/snoopbox" progs -j -p "$TP"
	assert_eq short_pid_status "$CMD_RC" 0
	assert_eq short_pid_same "$(ids < "$CMD_OUT")" "$(ids < "$T/progs.json")"
	run_cmd "$BIN/snoopbox" progs -p "$TP"
	assert_lines short_pid_table "$CMD_OUT" $((n + 1))
	first=$(head -n 1 "$T/progs.json")
	id=$(jval id "$first")
	name=$(jval name "$first" | tr -d '"')
	run_cmd "$BIN/snoopbox" progs -j --id "$id"
	assert_lines by_id "$CMD_OUT" 1
	assert_contains by_id_same "$CMD_OUT" "{\"id\":$id,"
	run_cmd "$BIN/snoopbox" progs -j --name "$name" --pid "$TP"
	assert_lines by_full_name "$CMD_OUT" 1
	run_cmd "$BIN/snoopbox" progs -j --type xdp --pid "$TP"
	assert_lines by_type_none "$CMD_OUT" 0
	run_cmd "$BIN/snoopbox" progs --id "$id"
	assert_match table_row "$CMD_OUT" "^$id +tracepoint|raw_tracepoint +$name "
	if command -v bpftool > /dev/null 2>&1; then
		ok=0
		while read -r line; do
			pid=$(jval id "$line")
			theirs=$(bpftool prog show id "$pid" --json)
			same_keys "bpftool_prog_$pid" "$line" "$theirs" id type name tag gpl_compatible \
				uid bytes_xlated jited bytes_jited bytes_memlock map_ids btf_id loaded_at || ok=1
		done < "$T/progs.json"
	else
		echo "SKIP: $IT_NAME/bpftool: bpftool not installed"
	fi
	tool_stop_all
	assert_eq tracer_status "$TOOL_RC_tool" 0
	run_cmd "$BIN/snoopbox" progs -j --pid "$TP"
	assert_lines gone_after_exit "$CMD_OUT" 0
}

t_maps() {
	start_tracer || return
	run_cmd "$BIN/snoopbox" maps -j --pid "$TP"
	assert_json valid_json "$CMD_OUT"
	assert_match ringbuf "$CMD_OUT" "\"type\":\"ringbuf\",\"name\":\"snoop_events\",\"flags\":0,\"bytes_key\":0,\"bytes_value\":0,\"max_entries\":[0-9]+,.*\"pids\":\[\{\"pid\":$TP,\"comm\":\"opensnoop\"\}\]\}\$"
	# .rodata is frozen after load; .bss is not.
	assert_match rodata_frozen "$CMD_OUT" '"name":"opensnoo.rodata",.*"frozen":1,'
	assert_match bss_not_frozen "$CMD_OUT" '"name":"opensnoo.bss",.*"frozen":0,'
	cp "$CMD_OUT" "$T/maps.json"
	run_cmd "$BIN/snoopbox" maps -j -p "$TP"
	assert_eq short_pid_status "$CMD_RC" 0
	assert_eq short_pid_same "$(ids < "$CMD_OUT")" "$(ids < "$T/maps.json")"
	if command -v bpftool > /dev/null 2>&1; then
		while read -r line; do
			mid=$(jval id "$line")
			theirs=$(bpftool map show id "$mid" --json)
			same_keys "bpftool_map_$mid" "$line" "$theirs" id type name flags bytes_key \
				bytes_value max_entries bytes_memlock frozen
		done < "$T/maps.json"
	else
		echo "SKIP: $IT_NAME/bpftool: bpftool not installed"
	fi
	run_cmd "$BIN/snoopbox" maps -j --type ringbuf --pid "$TP"
	assert_lines by_type "$CMD_OUT" 1
	tool_stop
}

t_usage() {
	run_cmd "$BIN/snoopbox" progs --type nosuch
	assert_eq bad_type_status "$CMD_RC" 2
	assert_usage_error bad_type_message "$CMD_ERR" "unknown program TYPE 'nosuch'"
	run_cmd "$BIN/snoopbox" maps -p 0
	assert_eq bad_short_pid_status "$CMD_RC" 2
	assert_usage_error bad_short_pid_message "$CMD_ERR" "invalid PID '0'"
	run_cmd "$BIN/snoopbox" maps --id 0
	assert_eq bad_id_status "$CMD_RC" 2
	run_cmd "$BIN/snoopbox" progs --id 4294967295
	assert_eq missing_id_status "$CMD_RC" 1
	assert_contains missing_id_message "$CMD_ERR" 'no program with id 4294967295'
	run_cmd "$BIN/snoopbox" maps --id 4294967295
	assert_eq missing_map_status "$CMD_RC" 1
}

it_test progs_list t_progs
it_test maps_list t_maps
it_test progs_usage t_usage
it_done
