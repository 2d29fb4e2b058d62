#!/bin/sh
# inspect: the facts of snoopbox's own BPF objects, checked against tools
# this project did not write (llvm-objdump, readelf: host only, skipped
# with a SKIP line where absent), --extract, --json, and a clear error with
# exit 1 for every kind of malformed file.
. "$(dirname "$0")/lib.sh"

# Normalize one disassembly line to "IDX TEXT" with formatting removed, so
# snoopbox's verifier-style text and llvm-objdump's compare by operation:
# hex and decimal, "goto pc+4" and "goto +4 <LBB0_2>", "call name#14" and
# "call 14", spacing and relocation notes are not differences.
write_norm_awk() {
	cat > "$T/norm.awk" <<'EOF'
function hex2dec(h,    d, i, c, v, carry, j, n, digits) {
	h = tolower(substr(h, 3)); n = 1; digits[1] = 0
	for (i = 1; i <= length(h); i++) {
		carry = index("0123456789abcdef", substr(h, i, 1)) - 1
		for (j = 1; j <= n; j++) {
			c = digits[j] * 16 + carry
			digits[j] = c % 10; carry = int(c / 10)
		}
		while (carry) { digits[++n] = carry % 10; carry = int(carry / 10) }
	}
	d = ""
	for (j = n; j >= 1; j--) d = d digits[j]
	return d
}
/^ *[0-9]+:/ {
	idx = $1; sub(/:$/, "", idx)
	t = $0
	sub(/^ *[0-9]+:[ \t]*/, "", t)
	sub(/  ; .*/, "", t)
	sub(/ <[^>]*>$/, "", t)
	sub(/ ll$/, "", t)
	gsub(/goto pc/, "goto ", t)
	sub(/^call pc/, "call ", t)
	sub(/^call [A-Za-z_0-9]+#/, "call ", t)
	while (match(t, /0x[0-9a-fA-F]+/))
		t = substr(t, 1, RSTART - 1) hex2dec(substr(t, RSTART, RLENGTH)) substr(t, RSTART + RLENGTH)
	if (match(t, /^if [rw][0-9]+ [^ ]+ [0-9]+ goto/)) {
		split(t, f, " ")
		if (length(f[4]) >= 10 && f[4] + 0 >= 2147483648) {
			f[4] = f[4] - 4294967296
			t = f[1] " " f[2] " " f[3] " " f[4] " " f[5] " " f[6]
		}
	}
	gsub(/[ \t]/, "", t)
	print idx, t
}
EOF
}

# Objects of snoopbox's own tools, written out with --extract.
extract_all() {
	OBJS=
	for _o in opensnoop opensnoop_fullpath; do
		"$BIN/snoopbox" inspect --extract "$_o" -o "$T/$_o.bpf.o" || return 1
		OBJS="$OBJS $_o"
	done
}

t_extract() {
	# Named as the build names it: libbpf names internal maps after the file.
	run_cmd "$BIN/snoopbox" inspect --extract opensnoop -o "$T/o.bpf.o"
	assert_eq exit_status "$CMD_RC" 0
	mkdir "$T/f" && cp "$T/o.bpf.o" "$T/f/opensnoop.bpf.o"
	assert_eq magic "$(od -An -c -N 4 "$T/o.bpf.o" | tr -d ' ')" '177ELF'
	# The same bytes to stdout as to -o.
	"$BIN/snoopbox" inspect --extract opensnoop > "$T/o2.bpf.o"
	it_check stdout_same "stdout and -o differ" cmp -s "$T/o.bpf.o" "$T/o2.bpf.o"
	# What inspect reads from the file is what it reads embedded.
	"$BIN/snoopbox" inspect --json "$T/f/opensnoop.bpf.o" | sed 's/^{"file":"[^"]*",//' > "$T/file.json"
	"$BIN/snoopbox" inspect --json --tool opensnoop | sed 's/^{"file":"[^"]*",//' > "$T/tool.json"
	it_check file_equals_tool "inspect FILE and --tool differ" cmp -s "$T/file.json" "$T/tool.json"
	if command -v readelf > /dev/null 2>&1; then
		readelf -h "$T/o.bpf.o" > "$T/readelf" 2>&1
		assert_match readelf_machine "$T/readelf" 'Machine: +Linux BPF'
		# Section names and sizes agree with readelf's.
		readelf -SW "$T/o.bpf.o" | sed -n 's/^ *\[ *\([0-9]*\)\] \([^ ]*\) *[A-Za-z_+0-9]* *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .*/\1 \2 \3/p' |
			awk '$1 > 0 { print $1, $2, $3 }' > "$T/re.sec"
		"$BIN/snoopbox" inspect "$T/o.bpf.o" | sed -n '/^Sections:/,/^$/p' |
			awk 'NR > 2 && NF >= 4 { printf "%s %s %x\n", $1, $2, $4 }' > "$T/my.sec"
		# readelf prints sizes as zero-padded hex.
		awk '{ s = $3; sub(/^0+/, "", s); if (s == "") s = 0; print $1, $2, s }' "$T/re.sec" > "$T/re2.sec"
		if [ -s "$T/my.sec" ] && cmp -s "$T/re2.sec" "$T/my.sec"; then
			it_pass sections_match_readelf
		else
			diff "$T/re2.sec" "$T/my.sec" > "$T/sec.diff"
			it_fail sections_match_readelf "sections differ from readelf -S" "$T/sec.diff"
		fi
	else
		echo "SKIP: $IT_NAME/readelf: readelf not installed"
	fi
	run_cmd "$BIN/snoopbox" inspect --extract nosuchtool
	assert_eq unknown_status "$CMD_RC" 2
	assert_contains unknown_names_choices "$CMD_ERR" 'opensnoop_fullpath'
}

t_facts() {
	run_cmd "$BIN/snoopbox" inspect --json --tool opensnoop
	assert_eq exit_status "$CMD_RC" 0
	assert_lines one_document "$CMD_OUT" 1
	assert_json valid_json "$CMD_OUT"
	assert_contains elf "$CMD_OUT" '"elf":{"class":"ELF64","byte_order":"little","machine":"BPF","type":"REL"}'
	assert_contains license "$CMD_OUT" '"license":"GPL"'
	assert_contains prog_raw_tp "$CMD_OUT" '"name":"opensnoop_raw_exit","section":"raw_tp/sys_exit","type":"raw_tracepoint","attach":"sys_exit","insns":'
	assert_contains prog_tp "$CMD_OUT" '"name":"opensnoop_exit_openat","section":"tracepoint/syscalls/sys_exit_openat","type":"tracepoint","attach":"syscalls/sys_exit_openat","insns":'
	assert_contains map_ringbuf "$CMD_OUT" '"name":"snoop_events","type":"ringbuf","key_size":0,"value_size":0,"max_entries":'
	assert_contains map_rodata "$CMD_OUT" '"name":"opensnoo.rodata","type":"array","key_size":4,'
	assert_contains global_filter "$CMD_OUT" '{"section":".rodata","name":"snoop_filter","type":"volatile const struct snoop_filter","offset":0,'
	run_cmd "$BIN/snoopbox" inspect --json --tool opensnoop_fullpath
	assert_match core_relocs "$CMD_OUT" '"core_relocs":[1-9][0-9]*'
	run_cmd "$BIN/snoopbox" inspect --tool opensnoop
	assert_match table_program "$CMD_OUT" '^  opensnoop_raw_exit +raw_tp/sys_exit +raw_tracepoint +sys_exit +[1-9][0-9]*$'
	assert_match table_license "$CMD_OUT" '^license: +GPL$'
}

t_disasm() {
	run_cmd "$BIN/snoopbox" inspect --tool opensnoop --disasm
	assert_eq exit_status "$CMD_RC" 0
	# Source lines from .BTF.ext, relocations by name, helpers by name.
	assert_match source_line "$CMD_OUT" '^; .* @ opensnoop\.bpf\.c:[0-9]+$'
	assert_match map_reloc "$CMD_OUT" '^ +[0-9]+: 18 .* r[0-9] = 0x0  ; map snoop_events$'
	assert_match global_reloc "$CMD_OUT" '  ; global snoop_filter \(\.rodata\)$'
	assert_match raw_bytes "$CMD_OUT" '^ +0: bf 16 00 00 00 00 00 00  r6 = r1$'
	if [ -r /sys/kernel/btf/vmlinux ]; then
		assert_match helper_name "$CMD_OUT" 'call bpf_ringbuf_output#130$'
	fi
	run_cmd "$BIN/snoopbox" inspect --tool opensnoop_fullpath --disasm
	assert_match core_field "$CMD_OUT" '; CO-RE field_byte_offset struct [a-z_]+::[a-z_.]+'
	run_cmd "$BIN/snoopbox" inspect --tool opensnoop --disasm --json
	assert_json disasm_json "$CMD_OUT"
	assert_contains disasm_json_insn "$CMD_OUT" '{"idx":0,"raw":"bf16000000000000","asm":"r6 = r1",'
}

# Oracle: llvm-objdump decodes every instruction of our objects to the
# same operation as we do, index by index.
t_llvm_objdump() {
	if ! command -v llvm-objdump > /dev/null 2>&1; then
		echo "SKIP: $IT_NAME: llvm-objdump not installed"
		return
	fi
	write_norm_awk
	extract_all || { it_fail extract "--extract failed"; return; }
	for o in $OBJS; do
		llvm-objdump -d --no-show-raw-insn "$T/$o.bpf.o" | awk -f "$T/norm.awk" > "$T/$o.llvm"
		"$BIN/snoopbox" inspect --disasm --no-raw "$T/$o.bpf.o" | awk -f "$T/norm.awk" > "$T/$o.ours"
		n=$(wc -l < "$T/$o.llvm" | tr -d ' ')
		if [ "$n" -gt 100 ] && cmp -s "$T/$o.llvm" "$T/$o.ours"; then
			it_pass "$o.same_as_llvm_objdump"
			echo "# $o: $n instructions agree"
		else
			diff "$T/$o.llvm" "$T/$o.ours" > "$T/$o.diff"
			it_fail "$o.same_as_llvm_objdump" "$n llvm-objdump instructions; differences:" "$T/$o.diff"
		fi
		# Instruction count of each program: the size of its function
		# symbol, as llvm-objdump -t reports it, over 8.
		llvm-objdump -t "$T/$o.bpf.o" | awk '$3 == "F" && $4 !~ /^\.text/ { printf "%s %d\n", $NF, ("0x" $5) / 8 }' |
			sort > "$T/$o.llsz"
		"$BIN/snoopbox" inspect "$T/$o.bpf.o" | sed -n '/^Programs:/,/^$/p' |
			awk 'NR > 2 && NF >= 5 { print $1, $NF }' | sort > "$T/$o.mysz"
		if [ -s "$T/$o.llsz" ] && cmp -s "$T/$o.llsz" "$T/$o.mysz"; then
			it_pass "$o.insn_counts"
		else
			diff "$T/$o.llsz" "$T/$o.mysz" > "$T/$o.szdiff"
			it_fail "$o.insn_counts" "program sizes differ from llvm-objdump -t" "$T/$o.szdiff"
		fi
	done
}

# patch FILE OFFSET BYTES(printf escapes)
patch() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null
}

# expect_bad NAME FILE PATTERN: exit 1, nothing on stdout, one line on
# stderr naming the problem.
expect_bad() {
	run_cmd "$BIN/snoopbox" inspect "$2"
	assert_eq "$1.exit_status" "$CMD_RC" 1
	assert_lines "$1.one_line" "$CMD_ERR" 1
	assert_match "$1.message" "$CMD_ERR" "^inspect: .*$3"
	assert_lines "$1.no_stdout" "$CMD_OUT" 0
	run_cmd "$BIN/snoopbox" inspect --json --disasm "$2"
	assert_eq "$1.json_exit_status" "$CMD_RC" 1
}

t_malformed() {
	"$BIN/snoopbox" inspect --extract opensnoop -o "$T/good.bpf.o" || { it_fail extract "failed"; return; }
	size=$(wc -c < "$T/good.bpf.o" | tr -d ' ')
	shoff=$(od -An -t u8 -j 40 -N 8 "$T/good.bpf.o" | tr -d ' ')

	printf 'hello, not an object\n' > "$T/text"
	expect_bad not_elf "$T/text" 'not an ELF file'
	: > "$T/empty"
	expect_bad empty "$T/empty" 'not an ELF file'
	cp "$T/good.bpf.o" "$T/elf32"; patch "$T/elf32" 4 '\001'
	expect_bad elf32 "$T/elf32" 'not a 64-bit ELF object'
	cp "$T/good.bpf.o" "$T/x86"; patch "$T/x86" 18 '\076\000'
	expect_bad machine "$T/x86" 'machine is x86-64 \(62\), not BPF'
	expect_bad real_executable "$BIN/sbtest" 'not BPF'
	head -c 40 "$T/good.bpf.o" > "$T/short"
	expect_bad truncated_header "$T/short" 'truncated'
	head -c $((size / 2)) "$T/good.bpf.o" > "$T/half"
	expect_bad truncated "$T/half" 'past the end of the file.*truncated'
	cp "$T/good.bpf.o" "$T/offset"; patch "$T/offset" $((shoff + 3 * 64 + 24)) '\377\377\377\377\377\377\377\177'
	expect_bad section_offset "$T/offset" 'section 3 .*runs past the end'
	cp "$T/good.bpf.o" "$T/ssize"; patch "$T/ssize" $((shoff + 3 * 64 + 32)) '\000\000\000\000\001\000\000\000'
	expect_bad section_size "$T/ssize" 'section 3 .*runs past the end'
	cp "$T/good.bpf.o" "$T/shoff"; patch "$T/shoff" 40 '\000\000\000\000\000\001\000\000'
	expect_bad shoff "$T/shoff" 'section header table .*past the end'
	cp "$T/good.bpf.o" "$T/link"; patch "$T/link" $((shoff + 3 * 64 + 40)) '\377\377\000\000'
	expect_bad section_link "$T/link" 'links to section 65535'
	expect_bad missing "$T/does-not-exist" 'cannot open .*No such file'
	expect_bad directory "$T" 'cannot read'
}

t_usage() {
	run_cmd "$BIN/snoopbox" inspect
	assert_eq no_args_status "$CMD_RC" 2
	assert_usage_error no_args_message "$CMD_ERR" 'give one FILE\.bpf\.o or --tool NAME'
	run_cmd "$BIN/snoopbox" inspect --tool opensnoop "$T/x"
	assert_eq both_status "$CMD_RC" 2
	run_cmd "$BIN/snoopbox" inspect --tool nosuch
	assert_eq unknown_tool_status "$CMD_RC" 2
	assert_contains unknown_tool_message "$CMD_ERR" "no embedded object or tool with one object named 'nosuch'"
	run_cmd "$BIN/snoopbox" inspect -o "$T/x" --tool opensnoop
	assert_eq output_without_extract "$CMD_RC" 2
}

it_test inspect_extract t_extract
it_test inspect_facts t_facts
it_test inspect_disasm t_disasm
it_test inspect_llvm_objdump t_llvm_objdump
it_test inspect_malformed t_malformed
it_test inspect_usage t_usage
it_done
