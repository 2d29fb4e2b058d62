#!/bin/sh
# seccomp: the profile it writes for a command is complete (the same
# command runs under exactly that profile, installed with libseccomp) and
# tight (without one recorded call it fails with EPERM); counts are exact;
# exit statuses and bad input.
. "$(dirname "$0")/lib.sh"

# sbseccomp installs a profile from its JSON and execs, as a container
# runtime does; it is built next to snoopbox.
SBSECCOMP=$BIN/sbseccomp
[ -x "$SBSECCOMP" ] || SBSECCOMP=$(dirname "$(readlink "$BIN/snoopbox")")/sbseccomp
ARCH_NAME=SCMP_ARCH_$(uname -m | tr 'a-z' 'A-Z')

need_sbseccomp() {
	[ -x "$SBSECCOMP" ] && return 0
	it_fail sbseccomp "no sbseccomp next to snoopbox ($SBSECCOMP): build it with make"
	return 1
}

# run_bg NAME COMMAND...: run in the background into $T/NAME.out and
# $T/NAME.err and wait at most 10 s (a command refused a syscall may well
# loop); status in $RC.
run_bg() {
	tool_start_as "$@"
	tool_wait 10
	RC=$TOOL_RC
}

# The workload: list a directory, copy a file to stdout, 37 getppid calls.
make_work() {
	mkdir "$T/dir"
	: > "$T/dir/alpha"
	: > "$T/dir/beta"
	printf 'seccomp payload %s\n' "$$" > "$T/file"
	printf 'alpha\nbeta\nseccomp payload %s\n' "$$" > "$T/want"
}

# A profile with every newline and tab removed is one JSON object per
# line, which is what sbtest json-valid checks.
assert_profile_json() {  # CHECK FILE
	tr -d '\n\t' < "$2" > "$2.line"
	echo >> "$2.line"
	assert_json "$1" "$2.line"
}

# The syscall names of a profile, in file order.
profile_names() {
	grep -E '^[[:space:]]+"[a-z0-9_]+",?$' "$1" | tr -d ' \t",'
}

# ---- the profile runs the command it was made for, and no less will do -----------

t_profile_complete() {
	need_sbseccomp || return
	make_work
	run_bg rec "$BIN/seccomp" -o "$T/p.json" -- "$SBSECCOMP" work "$T/dir" "$T/file" 37
	assert_eq record_status "$RC" 0
	assert_eq record_output "$(cat "$T/rec.out")" "$(cat "$T/want")"
	# Only the kernel's own notice of skipped runs (another BPF program
	# busy on that CPU, which we cannot prevent) may appear.
	assert_eq record_quiet "$(grep -v 'the kernel skipped our programs' "$T/rec.err")" ""
	assert_profile_json profile_is_json "$T/p.json"
	assert_line default_action "$T/p.json" '	"defaultAction": "SCMP_ACT_ERRNO",'
	assert_line default_errno_eperm "$T/p.json" '	"defaultErrnoRet": 1,'
	assert_line architecture "$T/p.json" "		\"$ARCH_NAME\""
	assert_line allow_action "$T/p.json" '			"action": "SCMP_ACT_ALLOW"'
	profile_names "$T/p.json" > "$T/names"
	sort "$T/names" > "$T/names.sorted"
	assert_eq names_sorted "$(cat "$T/names")" "$(cat "$T/names.sorted")"
	assert_eq names_unique "$(sort -u "$T/names" | wc -l)" "$(wc -l < "$T/names")"
	for s in execve openat getdents64 read write getppid exit_group; do
		assert_line "recorded_$s" "$T/names" "$s"
	done

	run_bg under "$SBSECCOMP" load "$T/p.json" "$SBSECCOMP" work "$T/dir" "$T/file" 37
	assert_eq under_profile_status "$RC" 0
	assert_eq under_profile_output "$(cat "$T/under.out")" "$(cat "$T/want")"

	# Without openat the directory cannot be opened: EPERM, the profile's
	# default answer.
	grep -v '^				"openat",$' "$T/p.json" > "$T/no-openat.json"
	assert_eq openat_removed "$(($(wc -l < "$T/p.json") - $(wc -l < "$T/no-openat.json")))" 1
	run_bg no_openat "$SBSECCOMP" load "$T/no-openat.json" "$SBSECCOMP" work "$T/dir" "$T/file" 37
	assert_eq without_openat_status "$RC" 1
	assert_eq without_openat_error "$(cat "$T/no_openat.err")" \
		"sbseccomp: opendir $T/dir: Operation not permitted"

	# execve is recorded because the command needs it to start at all.
	grep -v '^				"execve",$' "$T/p.json" > "$T/no-execve.json"
	run_bg no_execve "$SBSECCOMP" load "$T/no-execve.json" "$SBSECCOMP" work "$T/dir" "$T/file" 37
	assert_eq without_execve_status "$RC" 126
	assert_contains without_execve_error "$T/no_execve.err" "Operation not permitted"
}
it_test seccomp_profile_complete t_profile_complete

# The same with a real program and a pipeline: several processes, each
# followed from its fork.
t_profile_busybox() {
	need_sbseccomp || return
	if ! command -v busybox > /dev/null 2>&1; then
		it_fail busybox "busybox is not installed"
		return
	fi
	make_work
	cmd="busybox ls $T/dir | busybox cat > $T/ls.out; busybox cat $T/file"
	run_bg rec "$BIN/seccomp" -o "$T/p.json" -- busybox sh -c "$cmd"
	assert_eq record_status "$RC" 0
	assert_eq record_output "$(cat "$T/ls.out" "$T/rec.out")" "$(cat "$T/want")"
	assert_profile_json profile_is_json "$T/p.json"
	profile_names "$T/p.json" > "$T/names"
	for s in execve openat getdents64 pipe2 wait4 exit_group; do
		assert_line "recorded_$s" "$T/names" "$s"
	done

	rm "$T/ls.out"
	run_bg under "$SBSECCOMP" load "$T/p.json" busybox sh -c "$cmd"
	assert_eq under_profile_status "$RC" 0
	assert_eq under_profile_output "$(cat "$T/ls.out" "$T/under.out")" "$(cat "$T/want")"

	grep -v '^				"openat",$' "$T/p.json" > "$T/no-openat.json"
	run_bg no_openat "$SBSECCOMP" load "$T/no-openat.json" busybox sh -c "$cmd"
	assert_ne without_openat_status "$RC" 0
	assert_contains without_openat_eperm "$T/no_openat.err" "Operation not permitted"
}
it_test seccomp_profile_busybox t_profile_busybox

# ---- counts --------------------------------------------------------------------------

t_counts() {
	need_sbseccomp || return
	make_work
	bpf_mark
	run_bg rec "$BIN/seccomp" --counts -- "$SBSECCOMP" work "$T/dir" "$T/file" 37
	assert_eq status "$RC" 0
	# The command's output comes first, then the table.
	assert_eq command_output "$(head -n 3 "$T/rec.out")" "$(cat "$T/want")"
	sed 1,3d "$T/rec.out" > "$T/table"
	assert_match header "$T/table" '^SYSCALL +COUNT$'
	assert_match getppid_exact "$T/table" '^getppid +37$'
	assert_match execve_once "$T/table" '^execve +1$'
	assert_match exit_group_once "$T/table" '^exit_group +1$'
	sed -n 2p "$T/table" > "$T/first"
	assert_match most_first "$T/first" '^getppid +37$'
	assert_absent no_profile "$T/rec.out" 'defaultAction'
	assert_no_orphans nothing_left seccomp

	run_bg json "$BIN/seccomp" --counts -j -- "$SBSECCOMP" work "$T/dir" "$T/file" 5
	sed 1,3d "$T/json.out" > "$T/json"
	assert_json json_valid "$T/json"
	assert_match json_getppid "$T/json" '^\{"syscall":"getppid","nr":[0-9]+,"count":5\}$'
	assert_match json_execve "$T/json" '^\{"syscall":"execve","nr":[0-9]+,"count":1\}$'

	# With -o the profile goes to the file and the counts to stdout.
	run_bg both "$BIN/seccomp" --counts -o "$T/p.json" -- "$SBSECCOMP" work "$T/dir" "$T/file" 3
	assert_eq both_status "$RC" 0
	assert_match both_counts "$T/both.out" '^getppid +3$'
	assert_line both_profile "$T/p.json" '				"getppid",'

	# The other attach variant counts the same.
	run_bg tp "$BIN/seccomp" --attach tracepoint -v --counts -- "$SBSECCOMP" work "$T/dir" "$T/file" 11
	assert_eq tracepoint_status "$RC" 0
	assert_contains tracepoint_used "$T/tp.err" "attach: tracepoint raw_syscalls/sys_enter"
	assert_match tracepoint_getppid "$T/tp.out" '^getppid +11$'
	assert_match tracepoint_execve "$T/tp.out" '^execve +1$'
}
it_test seccomp_counts t_counts

# -p: a running process, for a duration; it execs nothing meanwhile.
t_pid() {
	printf 'x\n' > "$T/file"
	sh -c "while :; do read x < '$T/file'; done" &
	loop=$!
	it_track "$loop"
	run_bg rec "$BIN/seccomp" -p "$loop" -d 0.5 --counts
	kill "$loop"
	assert_eq status "$RC" 0
	assert_match read_seen "$T/rec.out" '^read +[1-9][0-9]*$'
	assert_match openat_seen "$T/rec.out" '^openat +[1-9][0-9]*$'
	assert_absent no_execve "$T/rec.out" 'execve'
}
it_test seccomp_pid t_pid

# ---- exit statuses and bad input ---------------------------------------------------------

t_status() {
	run_bg code "$BIN/seccomp" -o "$T/p.json" -- sh -c 'exit 3'
	assert_eq command_status_passed "$RC" 3
	assert_contains profile_still_written "$T/p.json" '"exit_group"'
	run_bg sig "$BIN/seccomp" -o "$T/p2.json" -- sh -c 'kill -KILL $$'
	assert_eq command_signal_passed "$RC" 137
	assert_contains kill_recorded "$T/p2.json" '"kill"'

	bpf_mark
	run_bg nf "$BIN/seccomp" -o "$T/p3.json" -- /nonexistent-seccomp-cmd
	assert_eq not_found_status "$RC" 127
	assert_eq not_found_message "$(cat "$T/nf.err")" \
		"seccomp: cannot run '/nonexistent-seccomp-cmd': No such file or directory"
	assert_eq not_found_no_profile "$(ls "$T/p3.json" 2>/dev/null)" ""

	# A profile that cannot be written is a failure, whatever the command did.
	run_bg full "$BIN/seccomp" -o /dev/full -- true
	assert_eq write_failure_status "$RC" 1
	assert_eq write_failure_message "$(cat "$T/full.err")" \
		"seccomp: cannot write the profile to '/dev/full': No space left on device"
	"$BIN/seccomp" -- true > /dev/full 2> "$T/stdout-full.err"
	assert_eq stdout_failure_status "$?" 1
	assert_contains stdout_failure_message "$T/stdout-full.err" "No space left on device"
	assert_no_orphans nothing_left seccomp
}
it_test seccomp_status t_status

t_usage() {
	check_usage() {  # NAME PATTERN ARG...
		_name=$1 _pat=$2
		shift 2
		run_cmd "$BIN/seccomp" "$@"
		assert_eq "${_name}_status" "$CMD_RC" 2
		assert_usage_error "${_name}_message" "$CMD_ERR" "$_pat"
		assert_eq "${_name}_no_stdout" "$(wc -c < "$CMD_OUT" | tr -d ' ')" 0
	}
	check_usage no_command "^seccomp: '--' must be followed by a command to run$" --
	check_usage output_dir_missing \
		"^seccomp: cannot write the profile to '/nonexistent-seccomp/p.json': No such file or directory; give -o a writable path$" \
		-o /nonexistent-seccomp/p.json -- true
	check_usage output_is_dir \
		"^seccomp: cannot write the profile to '$T': Is a directory; give -o a writable path$" \
		-o "$T" -- true
	check_usage timestamp_not_taken "^seccomp: invalid option -- 'T'$" -T -- true
	check_usage extra_argument "^seccomp: unexpected argument 'true'" true

	run_cmd "$BIN/seccomp" --cgroup /nonexistent-seccomp-cgroup -- true
	assert_eq cgroup_unknown_status "$CMD_RC" 2
	assert_match cgroup_unknown_message "$CMD_ERR" "^seccomp: --cgroup: '/nonexistent-seccomp-cgroup' "
}
it_test seccomp_usage t_usage

it_done
