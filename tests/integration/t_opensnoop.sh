#!/bin/sh
# opensnoop: the events it reports, in every output form, and its filters.
# sbtest causes each open with known arguments and prints what it got
# (pid, tid, fd, errno); the tests compare whole lines.
. "$(dirname "$0")/lib.sh"

# Expected table row: PID COMM FD ERR PATH.
os_row() {
	printf '%-7s %-16s %3s %3s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# With -e: PID COMM FD ERR FLAGS MODE PATH.
os_row_e() {
	printf '%-7s %-16s %3s %3s %-24s %-4s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
}

# Expected JSON object (without -T), keys in their fixed order.
# os_json PID TID UID COMM FD ERRNO ERRNAME|null FLAGS FLAG_NAMES MODE|null
#         SYSCALL PATH(JSON-escaped) TRUNCATED
os_json() {
	_err=null
	[ "$7" = null ] || _err="\"$7\""
	printf '{"pid":%s,"tid":%s,"uid":%s,"comm":"%s","fd":%s,"errno":%s,"err":%s,"flags":%s,"flag_names":"%s","mode":%s,"syscall":"%s","path":"%s","path_truncated":%s}\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$_err" "$8" "$9" "${10}" "${11}" "${12}" "${13}"
}

# The physical path of $T: --full-path resolves symlinks, as the kernel does.
phys_tmp() {
	P=$(cd "$T" && pwd -P)
}

# ---- every kind of open, in every output form --------------------------------------

t_events() {
	phys_tmp
	mkdir "$P/cwd" "$P/dir"
	: > "$P/file"
	: > "$P/cwd/rel"
	: > "$P/dir/name"
	# 4095 bytes is all the kernel takes (PATH_MAX with its NUL); more is
	# ENAMETOOLONG, and opensnoop shows the first 4095.
	long=$(awk -v p="$P/" 'BEGIN { s = p; while (length(s) < 4095) s = s "a"; print s }')
	sb_start \
		open "$P/file" O_RDONLY \
		open "$P/missing" O_RDONLY \
		chdir "$P/cwd" \
		open rel O_RDONLY \
		openat "$P/dir" name O_RDONLY \
		openat2 AT_FDCWD rel O_RDONLY \
		openat2 "$P/dir" name 'O_WRONLY|O_CREAT' 0604 \
		creat "$P/created" 0600 \
		open "$P/nl\\nx\\xffy" O_RDONLY \
		open "${long}bbbb" O_RDONLY \
		open "$P/excl" 'O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC' 0640
	A=$SB_PID
	tool_start_as plain "$BIN/opensnoop" -p "$A"
	tool_start_as json "$BIN/opensnoop" -j -p "$A"
	tool_start_as ext "$BIN/opensnoop" -e -p "$A"
	tool_start_as full "$BIN/opensnoop" -F -j -p "$A"
	tool_start_as fulltab "$BIN/opensnoop" -F -p "$A"
	tool_start_as tu "$BIN/opensnoop" -T -U -p "$A"
	tool_start_as tj "$BIN/opensnoop" -T -j -p "$A"
	sb_sync || return
	tool_stop_all INT
	for t in plain json ext full fulltab tu tj; do
		eval "rc=\$TOOL_RC_$t"
		assert_eq "exit_status_$t" "$rc" 0
	done

	# sbtest's report lines, in action order: open 1 file, 2 missing,
	# 3 rel, 4 nl..., 5 long, 6 excl; openat 1; openat2 1 rel, 2 name; creat.
	fd1=$(sb_val open fd 1) fd3=$(sb_val open fd 3) fd4=$(sb_val openat fd 1)
	fd5=$(sb_val openat2 fd 1) fd6=$(sb_val openat2 fd 2) fd7=$(sb_val creat fd 1)
	fd10=$(sb_val open fd 6)
	for v in "$fd1" "$fd3" "$fd4" "$fd5" "$fd6" "$fd7" "$fd10"; do
		case $v in [0-9]*) ;; *) it_fail sbtest_opened "an open sbtest expected to succeed did not" "$SB_OUT"; return ;; esac
	done
	assert_eq sbtest_missing_errno "$(sb_val open errno 2)" 2
	# The pid and tid sbtest saw itself are the ones every line must carry.
	assert_eq sbtest_pid "$(sb_val open pid 1)" "$A"
	assert_eq sbtest_tid "$(sb_val open tid 1)" "$A"
	o=$T/plain.out
	assert_eq header "$(head -n 1 "$o")" "PID     COMM              FD ERR PATH"
	assert_line table_existing "$o" "$(os_row "$A" sbtest "$fd1" 0 "$P/file")"
	assert_line table_missing "$o" "$(os_row "$A" sbtest -1 2 "$P/missing")"
	assert_line table_relative "$o" "$(os_row "$A" sbtest "$fd3" 0 rel)"
	assert_line table_openat_dirfd "$o" "$(os_row "$A" sbtest "$fd4" 0 name)"
	assert_line table_openat2 "$o" "$(os_row "$A" sbtest "$fd5" 0 rel)"
	assert_line table_creat "$o" "$(os_row "$A" sbtest "$fd7" 0 "$P/created")"
	assert_line table_escapes "$o" "$(os_row "$A" sbtest -1 2 "$P/nl\\nx\\xffy")"
	assert_line table_long_path "$o" "$(os_row "$A" sbtest -1 36 "$long...")"

	o=$T/json.out
	assert_json json_valid "$o"
	assert_line json_existing "$o" "$(os_json "$A" "$A" 0 sbtest "$fd1" 0 null 0 O_RDONLY null open "$P/file" false)"
	assert_line json_missing "$o" "$(os_json "$A" "$A" 0 sbtest -1 2 ENOENT 0 O_RDONLY null open "$P/missing" false)"
	assert_line json_relative "$o" "$(os_json "$A" "$A" 0 sbtest "$fd3" 0 null 0 O_RDONLY null open rel false)"
	assert_line json_openat "$o" "$(os_json "$A" "$A" 0 sbtest "$fd4" 0 null 0 O_RDONLY null openat name false)"
	assert_line json_openat2 "$o" "$(os_json "$A" "$A" 0 sbtest "$fd5" 0 null 0 O_RDONLY null openat2 rel false)"
	assert_line json_openat2_create "$o" "$(os_json "$A" "$A" 0 sbtest "$fd6" 0 null 65 'O_WRONLY|O_CREAT' 388 openat2 name false)"
	assert_line json_creat "$o" "$(os_json "$A" "$A" 0 sbtest "$fd7" 0 null 577 'O_WRONLY|O_CREAT|O_TRUNC' 384 creat "$P/created" false)"
	assert_line json_escapes "$o" "$(os_json "$A" "$A" 0 sbtest -1 2 ENOENT 0 O_RDONLY null open "$P/nl\\nx\\ufffdy" false)"
	assert_line json_long_path "$o" "$(os_json "$A" "$A" 0 sbtest -1 36 ENAMETOOLONG 0 O_RDONLY null open "$long" true)"
	assert_line json_flags_mode "$o" "$(os_json "$A" "$A" 0 sbtest "$fd10" 0 null 524481 'O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC' 416 open "$P/excl" false)"
	# Each event once: the markers aside, the 10 opens and the 2 opens
	# of a directory for a dirfd.
	assert_eq json_event_count "$(grep -vc nonexistent-sbtest "$o")" 12

	o=$T/ext.out
	assert_eq ext_header "$(head -n 1 "$o")" "$(os_row_e PID COMM FD ERR FLAGS MODE PATH)"
	assert_line ext_rdonly "$o" "$(os_row_e "$A" sbtest "$fd1" 0 O_RDONLY - "$P/file")"
	assert_line ext_creat "$o" "$(os_row_e "$A" sbtest "$fd7" 0 'O_WRONLY|O_CREAT|O_TRUNC' 0600 "$P/created")"
	assert_line ext_flags_mode "$o" "$(os_row_e "$A" sbtest "$fd10" 0 'O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC' 0640 "$P/excl")"

	o=$T/full.out
	assert_json full_json_valid "$o"
	assert_line full_absolute_unchanged "$o" "$(os_json "$A" "$A" 0 sbtest "$fd1" 0 null 0 O_RDONLY null open "$P/file" false)"
	assert_line full_relative_cwd "$o" "$(os_json "$A" "$A" 0 sbtest "$fd3" 0 null 0 O_RDONLY null open "$P/cwd/rel" false)"
	assert_line full_openat_dirfd "$o" "$(os_json "$A" "$A" 0 sbtest "$fd4" 0 null 0 O_RDONLY null openat "$P/dir/name" false)"
	assert_line full_openat2_cwd "$o" "$(os_json "$A" "$A" 0 sbtest "$fd5" 0 null 0 O_RDONLY null openat2 "$P/cwd/rel" false)"
	assert_line full_openat2_dirfd "$o" "$(os_json "$A" "$A" 0 sbtest "$fd6" 0 null 65 'O_WRONLY|O_CREAT' 388 openat2 "$P/dir/name" false)"
	assert_line full_table_relative "$T/fulltab.out" "$(os_row "$A" sbtest "$fd3" 0 "$P/cwd/rel")"

	o=$T/tu.out
	assert_eq timestamp_uid_header "$(head -n 1 "$o")" "TIME(s)  UID    PID     COMM              FD ERR PATH"
	rest=$(printf '%-6s %s' 0 "$(os_row "$A" sbtest "$fd1" 0 "$P/file")")
	n=$(awk -v r="$rest" 'substr($0, 10) == r && /^[0-9]+\.[0-9][0-9][0-9] +0 /' "$o" | wc -l)
	if [ "$n" = 1 ]; then it_pass timestamp_uid_row; else it_fail timestamp_uid_row "no row 'SECONDS $rest'" "$o"; fi

	o=$T/tj.out
	assert_json timestamp_json_valid "$o"
	rest=$(os_json "$A" "$A" 0 sbtest "$fd1" 0 null 0 O_RDONLY null open "$P/file" false | cut -c 2-)
	n=$(awk -v r="$rest" 'index($0, "{\"time\":") == 1 && substr($0, index($0, ",") + 1) == r &&
		/^\{"time":[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9],/' "$o" | wc -l)
	if [ "$n" = 1 ]; then it_pass timestamp_json; else it_fail timestamp_json "no line '{\"time\":SECONDS,$rest'" "$o"; fi
	# Seconds since tracing started: small, and never decreasing.
	bad=$(sed -n 's/^{"time":\([0-9.]*\),.*/\1/p' "$o" | awk 'NR > 1 && $1 < prev { print "decreasing at " NR } $1 > 60 { print "too large: " $1 } { prev = $1 }')
	assert_eq timestamp_monotonic "$bad" ""
}
it_test opensnoop_events t_events

# ---- filters, each both ways ------------------------------------------------------

# One scenario, one tracer per filter.  sbtest A (comm sbtest-alpha, uid
# 65534 via setresuid, so it can switch back) does, in order:
#   f1 main thread, uid 65534, alpha      f2 second thread, uid 65534, alpha
#   f3 main, uid 0, alpha                  f4 main, uid 0, comm "other"
#   missing5 fails, uid 0, "other"         f6 main, uid 65534, alpha again
# and sbtest B, another process (uid 65534, alpha), opens fb meanwhile.
t_filters() {
	phys_tmp
	for f in f1 f2 f3 f4 f6 fb; do : > "$P/$f"; done
	sb_start comm sbtest-alpha setresuid 65534 65534 0 ready \
		open "$P/f1" O_RDONLY \
		thread open "$P/f2" O_RDONLY \
		setresuid 0 0 0 open "$P/f3" O_RDONLY \
		comm other open "$P/f4" O_RDONLY \
		open "$P/missing5" O_RDONLY \
		comm sbtest-alpha setresuid 65534 65534 0 open "$P/f6" O_RDONLY
	A=$SB_PID
	A_OUT=$SB_OUT
	tool_start_as pid "$BIN/opensnoop" -j -p "$A"
	tool_start_as tid "$BIN/opensnoop" -j -t "$A"
	tool_start_as uid "$BIN/opensnoop" -j -u 65534
	tool_start_as name "$BIN/opensnoop" -j -n alpha
	tool_start_as failed "$BIN/opensnoop" -j -x -p "$A"
	for e in $IT_TOOLS; do
		if ! wait_for "$T/${e%%:*}.out" "$SB_READY" 10; then
			it_fail attach "${e%%:*} never showed $SB_READY: $(head -c 300 "$T/${e%%:*}.err")"
			return
		fi
	done
	# B runs to the end before A goes on: had a tracer taken B's open, it
	# would be in its output before A's done marker.
	sb_start_as b -n comm sbtest-alpha setresuid 65534 65534 65534 open "$P/fb" O_RDONLY
	B=$SB_PID
	it_wait_exit "$B" 10
	assert_eq sbtest_b "$IT_RC" 0
	fdb=$(sb_val open fd)
	SB_PID=$A SB_OUT=$A_OUT SB_READY=/nonexistent-sbtest-ready-$A SB_DONE=/nonexistent-sbtest-done-$A
	sb_sync || return
	tool_stop_all INT
	tid2=$(sb_val open tid 2)
	assert_ne thread_tid_differs "$tid2" "$A"

	# What each tracer must show (y) or must not (n), by path.
	check_set() {  # TOOL f1 f2 f3 f4 missing5 f6 fb
		_t=$1
		shift
		for _f in f1 f2 f3 f4 missing5 f6 fb; do
			if [ "$1" = y ]; then
				assert_contains "${_t}_shows_$_f" "$T/$_t.out" "\"path\":\"$P/$_f\""
			else
				assert_absent "${_t}_hides_$_f" "$T/$_t.out" "\"path\":\"$P/$_f\""
			fi
			shift
		done
	}
	check_set pid    y y y y y y n
	check_set tid    y n y y y y n
	check_set uid    y y n n n y y
	check_set name   y y y n n y y
	check_set failed n n n n y n n
	# Exact fields, where the filter is what decides them.
	fd1=$(sb_val open fd 1) fd2=$(sb_val open fd 2) fd6=$(sb_val open fd 6)
	assert_line pid_thread_event "$T/pid.out" "$(os_json "$A" "$tid2" 65534 sbtest-alpha "$fd2" 0 null 0 O_RDONLY null open "$P/f2" false)"
	assert_line uid_event "$T/uid.out" "$(os_json "$A" "$A" 65534 sbtest-alpha "$fd1" 0 null 0 O_RDONLY null open "$P/f1" false)"
	assert_line uid_other_process "$T/uid.out" "$(os_json "$B" "$B" 65534 sbtest-alpha "$fdb" 0 null 0 O_RDONLY null open "$P/fb" false)"
	# A non-matching name must not end the run: f6 comes after f4.
	assert_line name_after_mismatch "$T/name.out" "$(os_json "$A" "$A" 65534 sbtest-alpha "$fd6" 0 null 0 O_RDONLY null open "$P/f6" false)"
	assert_line failed_event "$T/failed.out" "$(os_json "$A" "$A" 0 other -1 2 ENOENT 0 O_RDONLY null open "$P/missing5" false)"
	for t in pid tid uid name failed; do
		eval "rc=\$TOOL_RC_$t"
		assert_eq "exit_status_$t" "$rc" 0
		assert_json "json_valid_$t" "$T/$t.out"
	done
}
it_test opensnoop_filters t_filters

# -n is a substring match, done 8 bytes at a time in the kernel: needles of
# 1, 7, 8, 9 and 15 bytes against names that hold them at offsets 0, 1, 7,
# 8 and 14, across the two words of the name, and names where only a
# window reaching past the NUL would match.
t_name_match() {
	phys_tmp
	all=abcdefghijklmno
	sb_start comm "$all" ready \
		comm zzzzzzzzijklmno open "$P/c1" O_RDONLY \
		comm zzzzzzzhijklmno open "$P/c2" O_RDONLY \
		comm zbcdefghijzzzzz open "$P/c3" O_RDONLY \
		comm abcdefghijklmnz open "$P/c4" O_RDONLY \
		comm oz open "$P/c5" O_RDONLY \
		comm bcdefghi open "$P/c6" O_RDONLY \
		comm hijklmn open "$P/c7" O_RDONLY \
		comm "$all"
	for n in o ijklmno hijklmno bcdefghij "$all"; do
		tool_start_as "n$n" "$BIN/opensnoop" -j -n "$n"
	done
	sb_sync || return
	tool_stop_all INT
	# NEEDLE: the c* files it must see; the rest it must not.
	for want in o:c1,c2,c5 ijklmno:c1,c2 hijklmno:c2 bcdefghij:c3,c4 "$all:"; do
		n=${want%%:*}
		got=$(sed -n "s|.*\"path\":\"$P/\(c[0-9]\)\".*|\1|p" "$T/n$n.out" | sort | paste -sd, -)
		assert_eq "needle_$n" "$got" "${want#*:}"
	done
}
it_test opensnoop_name_match t_name_match

# ---- attach variants ---------------------------------------------------------------

t_attach() {
	phys_tmp
	: > "$P/file"
	sb_start open "$P/file" O_RDONLY open "$P/missing" O_RDONLY \
		openat "$P" file O_RDONLY openat2 AT_FDCWD "$P/file" O_RDONLY \
		creat "$P/created" 0600
	A=$SB_PID
	tool_start_as tp "$BIN/opensnoop" -v -j -p "$A"
	tool_start_as pair "$BIN/opensnoop" -v --attach tracepoint-pair -j -p "$A"
	tool_start_as raw "$BIN/opensnoop" -v --attach raw_tp -j -p "$A"
	sb_sync || return
	tool_stop_all INT
	# Default: the exit tracepoints alone, nothing at entry.
	assert_line verbose_tracepoint "$T/tp.err" "opensnoop: attach: tracepoint syscalls/sys_exit_openat"
	assert_absent tracepoint_no_entry "$T/tp.err" "attach: tracepoint syscalls/sys_enter"
	assert_absent tracepoint_not_raw "$T/tp.err" "attach: raw_tp"
	assert_line verbose_pair_entry "$T/pair.err" "opensnoop: attach: tracepoint syscalls/sys_enter_openat"
	assert_line verbose_pair_exit "$T/pair.err" "opensnoop: attach: tracepoint syscalls/sys_exit_openat"
	assert_line verbose_raw_tp "$T/raw.err" "opensnoop: attach: raw_tp sys_exit"
	assert_absent raw_tp_no_entry "$T/raw.err" "attach: raw_tp sys_enter"
	assert_absent raw_tp_not_tracepoint "$T/raw.err" "attach: tracepoint"
	# The tracers saw different numbers of ready markers; the rest
	# (5 opens and the dirfd's) must be the same lines.
	grep -v nonexistent-sbtest "$T/tp.out" > "$T/tp.events"
	assert_lines tracepoint_events "$T/tp.events" 6
	for v in pair raw; do
		eval "rc=\$TOOL_RC_$v"
		assert_eq "exit_status_$v" "$rc" 0
		grep -v nonexistent-sbtest "$T/$v.out" > "$T/$v.events"
		if cmp -s "$T/tp.events" "$T/$v.events"; then
			it_pass "${v}_same_events"
		else
			it_fail "${v}_same_events" "$v events differ from the default's" "$T/$v.events"
		fi
	done
	assert_eq exit_status_tp "$TOOL_RC_tp" 0
	# Arguments read from the saved registers, one syscall of each kind.
	fd5=$(sb_val creat fd)
	assert_line tracepoint_creat "$T/tp.out" "$(os_json "$A" "$A" 0 sbtest "$fd5" 0 null 577 'O_WRONLY|O_CREAT|O_TRUNC' 384 creat "$P/created" false)"

	run_cmd "$BIN/opensnoop" --attach bogus -d 1
	assert_eq bogus_exit_status "$CMD_RC" 2
	assert_lines bogus_one_line "$CMD_ERR" 1
	assert_contains bogus_names_variants "$CMD_ERR" "unknown attach variant 'bogus'; this tool has: tracepoint tracepoint-pair raw_tp"
	# --help names them too, best first.
	run_cmd "$BIN/opensnoop" --help
	tr '\n' ' ' < "$CMD_OUT" | tr -s ' ' > "$T/help.flat"
	assert_contains help_names_variants "$T/help.flat" "(see -v for the choice): tracepoint, tracepoint-pair, raw_tp"
}
it_test opensnoop_attach t_attach

# 32-bit programs: the syscall tracepoints skip their calls (the kernel's
# choice, documented); the raw sys_exit sees them and must decode them with
# their own numbers and registers, not report sbopen32's readlink (85, the
# 64-bit creat) as a creat.
t_ia32() {
	sbopen32=$(dirname "$(readlink -f "$SBTEST")")/sbopen32
	phys_tmp
	: > "$P/file32"
	tool_start_as raw "$BIN/opensnoop" -v --attach raw_tp -j -n sbopen32
	tool_start_as tp "$BIN/opensnoop" -v -j -n sbopen32
	# -v prints each attach once it is done; these are the last ones.
	wait_for "$T/raw.err" "opensnoop: attach: raw_tp sys_exit" 10 &&
		wait_for "$T/tp.err" "opensnoop: attach: tracepoint syscalls/sys_exit_openat2" 10 ||
		{ it_fail attach "$(head -c 300 "$T/raw.err" "$T/tp.err")"; return; }
	sh -c 'echo $$ > "$1"; exec "$2" "$3"' sh "$T/pid" "$sbopen32" "$P/file32"
	assert_eq sbopen32_status "$?" 0
	pid=$(cat "$T/pid")
	# Stopping drains the ring: what the kernel sent is printed.
	tool_stop_all INT
	assert_line raw_open "$T/raw.out" "$(os_json "$pid" "$pid" 0 sbopen32 3 0 null 0 O_RDONLY null open "$P/file32" false)"
	assert_line raw_openat "$T/raw.out" "$(os_json "$pid" "$pid" 0 sbopen32 4 0 null 0 O_RDONLY null openat "$P/file32" false)"
	assert_lines raw_nothing_else "$T/raw.out" 2
	assert_lines tracepoint_skips_ia32 "$T/tp.out" 0
}
it_test opensnoop_ia32 t_ia32

it_done
