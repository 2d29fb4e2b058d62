#!/bin/sh
# dump: the translated and JITed code of a program opensnoop loads,
# checked against bpftool's view of the same program (host only; skipped
# with a SKIP line where bpftool is absent) and against the kernel's own
# sizes.
. "$(dirname "$0")/lib.sh"

jval() {
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\(\[[^]]*\]\|[^,}]*\).*/\1/p"
}

start_tracer() {
	tool_start "$BIN/opensnoop" -p 1
	TP=$TOOL_PID
	_i=0
	while [ "$_i" -lt $((250 * IT_SCALE)) ]; do
		"$BIN/snoopbox" progs -j --pid "$TP" > "$T/progs.json" 2> /dev/null
		[ -s "$T/progs.json" ] && sleep 0.2 && return 0
		_i=$((_i + 1))
		sleep 0.02
	done
	it_fail tracer "opensnoop never loaded programs" "$TOOL_ERR"
	return 1
}

t_xlated() {
	start_tracer || return
	"$BIN/snoopbox" progs -j --pid "$TP" > "$T/progs.json"
	first=$(head -n 1 "$T/progs.json")
	id=$(jval id "$first")
	name=$(jval name "$first" | tr -d '"')
	xlated=$(jval bytes_xlated "$first")
	jited=$(jval bytes_jited "$first")
	run_cmd "$BIN/snoopbox" dump "$id"
	assert_eq exit_status "$CMD_RC" 0
	cp "$CMD_OUT" "$T/dump.txt"
	assert_match header "$T/dump.txt" "^# program $id $name \\((raw_)?tracepoint\\), tag [0-9a-f]{16}, $xlated bytes translated, $jited JITed\$"
	assert_match source_line "$T/dump.txt" '^; .* @ (opensnoop\.bpf\.c|snoop\.bpf\.h):[0-9]+$'
	# Helper names and ids from the kernel's enum bpf_func_id: the same
	# call as inspect shows in the object on disk.
	assert_match helper_by_name "$T/dump.txt" '\(85\) 85 .* call bpf_get_current_pid_tgid#14$'
	"$BIN/snoopbox" inspect --tool opensnoop --disasm | grep -q 'call bpf_get_current_pid_tgid#14$'
	assert_eq same_helper_in_object "$?" 0
	# Maps by id and name, the id one that the program holds.
	mline=$(grep -m 1 ' = map\[id:[0-9]*\]' "$T/dump.txt")
	mid=$(printf '%s\n' "$mline" | sed 's/.*map\[id:\([0-9]*\)\].*/\1/')
	mname=$(printf '%s\n' "$mline" | sed -n 's/.*  ; map \(.*\)$/\1/p')
	run_cmd "$BIN/snoopbox" maps -j --id "$mid"
	assert_contains map_id_and_name "$CMD_OUT" "{\"id\":$mid,\"type\":\"array\",\"name\":\"$mname\","
	# Every instruction slot is accounted for: indexes plus ld_imm64
	# second halves cover bytes_xlated / 8.
	run_cmd "$BIN/snoopbox" dump -j "$id"
	assert_json json_valid "$CMD_OUT"
	cp "$CMD_OUT" "$T/dump.json"
	slots=$(grep -o '"raw":"[0-9a-f]*"' "$T/dump.json" | awk '{ n += (length($0) - 8) / 16 } END { print n }')
	assert_eq all_slots "$slots" $((xlated / 8))
	if command -v bpftool > /dev/null 2>&1; then
		bpftool prog dump xlated id "$id" --json > "$T/bpftool.json"
		grep -o '"disasm":"([0-9a-f]*)' "$T/bpftool.json" | sed 's/.*(\(..\))/\1/' > "$T/their.codes"
		grep -o '"code":"0x[0-9a-f]*"' "$T/dump.json" | sed 's/.*0x\(..\)"/\1/' > "$T/our.codes"
		assert_eq insn_count_as_bpftool "$(wc -l < "$T/our.codes" | tr -d ' ')" "$(wc -l < "$T/their.codes" | tr -d ' ')"
		if [ -s "$T/our.codes" ] && cmp -s "$T/our.codes" "$T/their.codes"; then
			it_pass opcodes_as_bpftool
		else
			diff "$T/their.codes" "$T/our.codes" > "$T/codes.diff"
			it_fail opcodes_as_bpftool "opcodes differ from bpftool prog dump xlated" "$T/codes.diff"
		fi
	else
		echo "SKIP: $IT_NAME/bpftool: bpftool not installed"
	fi
	# By name, when the name is unique right now (other tests may run
	# another opensnoop).
	if [ "$("$BIN/snoopbox" progs -j --name "$name" | wc -l)" = 1 ]; then
		run_cmd "$BIN/snoopbox" dump "$name"
		assert_eq by_name "$(head -n 1 "$CMD_OUT")" "$(head -n 1 "$T/dump.txt")"
	fi
	# JITed code: capstone decodes exactly bytes_jited bytes.
	run_cmd "$BIN/snoopbox" dump --jited -j "$id"
	assert_eq jited_status "$CMD_RC" 0
	assert_json jited_json "$CMD_OUT"
	jbytes=$(grep -o '"raw":"[0-9a-f]*"' "$CMD_OUT" | awk '{ n += (length($0) - 8) / 2 } END { print n }')
	assert_eq jited_all_bytes "$jbytes" "$jited"
	run_cmd "$BIN/snoopbox" dump --jited "$id"
	assert_match jited_symbol "$CMD_OUT" "^bpf_prog_[0-9a-f]{16}_$name:\$"
	# The epilogue: ret, or leave before a jump to the return thunk.
	assert_match jited_epilogue "$CMD_OUT" ' (leave|ret) ?$'
	tool_stop
}

t_usage() {
	run_cmd "$BIN/snoopbox" dump
	assert_eq no_arg_status "$CMD_RC" 2
	assert_usage_error no_arg_message "$CMD_ERR" 'give the ID or NAME of a loaded program'
	run_cmd "$BIN/snoopbox" dump no_such_program_xyz
	assert_eq unknown_name_status "$CMD_RC" 1
	assert_contains unknown_name_message "$CMD_ERR" "no loaded program named 'no_such_program_xyz'"
	run_cmd "$BIN/snoopbox" dump 4294967295
	assert_eq unknown_id_status "$CMD_RC" 1
	assert_contains unknown_id_message "$CMD_ERR" 'no program with id 4294967295'
}

# The dynamic build loads libcapstone only for --jited: with it
# unloadable, --jited fails with one line naming the fix and nothing
# else, and the translated dump still works.  The static build links
# capstone in and must not look for the library at all.
t_no_capstone() {
	start_tracer || return
	id=$(jval id "$(head -n 1 "$T/progs.json")")
	# Found first on LD_LIBRARY_PATH and not ELF, so dlopen fails on them
	# rather than going on to the real library; the unversioned name is
	# dump's fallback, so it must be bogus too.
	mkdir "$T/lib"
	echo 'not a library' > "$T/lib/libcapstone.so.4"
	echo 'not a library' > "$T/lib/libcapstone.so"
	run_cmd env LD_LIBRARY_PATH="$T/lib" "$BIN/snoopbox" dump --jited "$id"
	if it_dynamic "$TP"; then
		assert_eq status "$CMD_RC" 1
		assert_lines stdout_empty "$CMD_OUT" 0
		assert_lines one_line "$CMD_ERR" 1
		assert_match message "$CMD_ERR" "^dump: --jited needs libcapstone: .*/lib/libcapstone\\.so\\.4: .*; install it with apt-get install libcapstone4\$"
	else
		assert_eq static_status "$CMD_RC" 0
		echo "SKIP: $IT_NAME/message: a static build links capstone in"
	fi
	run_cmd env LD_LIBRARY_PATH="$T/lib" "$BIN/snoopbox" dump "$id"
	assert_eq xlated_without_capstone "$CMD_RC" 0
	assert_match xlated_header "$CMD_OUT" "^# program $id "
	tool_stop
}

it_test dump_program t_xlated
it_test dump_jited_no_capstone t_no_capstone
it_test dump_usage t_usage
it_done
