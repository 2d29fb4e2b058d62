# Helpers for the integration tests, sourced by every t_*.sh.
#
# POSIX sh with busybox applets only: the VM suite runs these same files
# with nothing but busybox, a static snoopbox and a static sbtest.
# Anything sh cannot do precisely is a subcommand of sbtest
# (tests/helpers/sbtest.c).
#
# Set by run.sh: BIN (snoopbox, one symlink per tool, sbtest), IT_TMP (a
# scratch directory for the run), optional SNOOPBOX_SAN=1 (BIN is an ASan
# build: timeouts grow) and TEST_FILTER (run only tests whose name contains
# one of its space- or comma-separated patterns; * and ? work).
#
# A test is a function run by it_test NAME FUNC.  It gets a fresh
# directory $T and reports through the assert_* helpers, each printing
# "PASS: NAME/check" or "FAIL: NAME/check: why".  A typical one:
#
#   t_example() {
#       sb_start open /etc/hostname O_RDONLY     # sbtest waits for the tracer
#       tool_start "$BIN/opensnoop" -j -p "$SB_PID"
#       sb_sync || return                        # ready, go, all events seen
#       tool_stop
#       assert_contains open_seen "$TOOL_OUT" '"path":"/etc/hostname"'
#       assert_eq exit_status "$TOOL_RC" 0
#   }
#   it_test opensnoop_example t_example

: "${BIN:?BIN must name the directory holding snoopbox and sbtest}"
: "${IT_TMP:?IT_TMP must name a scratch directory}"
SBTEST=$BIN/sbtest
# ASan and UBSan make start-up and teardown several times slower.
IT_SCALE=1
[ "${SNOOPBOX_SAN:-0}" = 1 ] && IT_SCALE=4
IT_FAILED=0
IT_NAME=
IT_PIDS=
IT_TOOLS=

# ---- results ----------------------------------------------------------------

it_pass() {
	echo "PASS: $IT_NAME/$1"
}

# it_fail CHECK WHY [FILE]: FILE's first lines follow, indented, so the log
# says what the tool printed (no line of it can look like PASS:/FAIL:).
it_fail() {
	echo "FAIL: $IT_NAME/$1: $2"
	IT_FAILED=1
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		echo "#   --- $3 (first 15 lines, 300 bytes each):"
		head -n 15 "$3" | cut -c 1-300 | sed 's/^/#   /'
	fi
}

# it_check CHECK WHY COMMAND...: pass if COMMAND succeeds.
it_check() {
	_c=$1 _w=$2
	shift 2
	if "$@"; then it_pass "$_c"; else it_fail "$_c" "$_w"; fi
}

it_selected() {
	[ -z "${TEST_FILTER:-}" ] && return 0
	for _p in $(printf '%s\n' "$TEST_FILTER" | tr ',' ' '); do
		case $1 in *$_p*) return 0 ;; esac
	done
	return 1
}

it_now_cs() {
	# Centiseconds since boot: busybox date has no sub-second format.
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

# it_test NAME FUNC: run FUNC as test NAME, if the filter selects it.
it_test() {
	it_selected "$1" || return 0
	IT_NAME=$1
	T=$IT_TMP/$1
	rm -rf "$T"
	mkdir -p "$T"
	chmod 755 "$T"
	IT_PIDS=
	IT_TOOLS=
	_t0=$(it_now_cs)
	"$2"
	it_reap_all
	_t1=$(it_now_cs)
	echo "# $1: $(( (_t1 - _t0) / 100 )).$(printf '%02d' $(( (_t1 - _t0) % 100 ))) s"
	IT_NAME=
}

# Call at the end of a t_*.sh: its status says whether anything failed.
it_done() {
	exit "$IT_FAILED"
}

# ---- assertions ---------------------------------------------------------------

assert_eq() {  # CHECK GOT WANT
	if [ "$2" = "$3" ]; then it_pass "$1"; else it_fail "$1" "got '$2', want '$3'"; fi
}

assert_ne() {  # CHECK GOT UNWANTED
	if [ "$2" != "$3" ]; then it_pass "$1"; else it_fail "$1" "got '$2', which it must not be"; fi
}

# An exact whole line (for JSON Lines: the whole object, keys in order).
assert_line() {  # CHECK FILE LINE
	if grep -qFx -e "$3" "$2" 2>/dev/null; then
		it_pass "$1"
	else
		it_fail "$1" "no line exactly '$3' in $(basename "$2")" "$2"
	fi
}

assert_contains() {  # CHECK FILE STRING
	if grep -qF -e "$3" "$2" 2>/dev/null; then
		it_pass "$1"
	else
		it_fail "$1" "'$3' not in $(basename "$2")" "$2"
	fi
}

assert_absent() {  # CHECK FILE STRING
	if [ ! -f "$2" ]; then
		it_fail "$1" "$2 does not exist"
	elif grep -qF -e "$3" "$2"; then
		it_fail "$1" "'$3' must not be in $(basename "$2"), but is: $(grep -F -e "$3" "$2" | head -n 1 | cut -c 1-200)"
	else
		it_pass "$1"
	fi
}

assert_match() {  # CHECK FILE ERE: some line matches the extended regex
	if grep -qE -e "$3" "$2" 2>/dev/null; then
		it_pass "$1"
	else
		it_fail "$1" "no line matching /$3/ in $(basename "$2")" "$2"
	fi
}

assert_lines() {  # CHECK FILE N: FILE has exactly N lines
	_n=$(wc -l < "$2" 2>/dev/null | tr -d ' ')
	if [ "$_n" = "$3" ]; then it_pass "$1"; else it_fail "$1" "$(basename "$2") has ${_n:-no} lines, want $3" "$2"; fi
}

# Every line of FILE is a valid JSON object, and there is at least one.
assert_json() {  # CHECK FILE
	_r=$("$SBTEST" json-valid "$2" 2>&1)
	case $? in
	0) if [ "$_r" = "0 objects" ]; then it_fail "$1" "no JSON in $(basename "$2")"; else it_pass "$1"; fi ;;
	*) it_fail "$1" "$(basename "$2"): $_r" "$2" ;;
	esac
}

# ---- processes -----------------------------------------------------------------

it_track() {
	IT_PIDS="$IT_PIDS $1"
}

# Alive and not a zombie (our shell may not have reaped it yet).
it_alive() {
	_s=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null)
	[ -n "$_s" ] && [ "$_s" != Z ] && [ "$_s" != X ]
}

# it_dynamic PID: PID maps a shared libc, so BIN is a dynamic build
# (make STATIC=1 maps no shared library at all).  Asked of a running
# snoopbox, past its loader, because the static binary's bytes may name
# ld.so too.
it_dynamic() {
	grep -q '/libc\.so' "/proc/$1/maps" 2>/dev/null
}

# it_wait_exit PID SECONDS: wait for PID to end; its status in IT_RC.
# Returns 1 (and kills it) if it did not end in time; IT_RC is then
# "timeout".
it_wait_exit() {
	_i=0
	_lim=$(( $2 * 50 * IT_SCALE ))
	while it_alive "$1"; do
		_i=$((_i + 1))
		if [ "$_i" -gt "$_lim" ]; then
			kill -KILL "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			IT_RC=timeout
			return 1
		fi
		sleep 0.02
	done
	wait "$1"
	IT_RC=$?
	return 0
}

# Kill whatever a test left running, by pid.
it_reap_all() {
	for _p in $IT_PIDS; do
		if it_alive "$_p"; then
			kill -KILL "$_p" 2>/dev/null
		fi
		wait "$_p" 2>/dev/null
	done
	IT_PIDS=
}

# wait_for FILE STRING [SECONDS]: until FILE contains STRING (default 5 s).
wait_for() {
	_i=0
	_lim=$(( ${3:-5} * 50 * IT_SCALE ))
	until grep -qF -e "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -gt "$_lim" ] && return 1
		sleep 0.02
	done
	return 0
}

# ---- the tool under test ---------------------------------------------------------

# tool_start COMMAND ARG...: in the background; stdout in $TOOL_OUT,
# stderr in $TOOL_ERR, pid in $TOOL_PID.  tool_start_as NAME COMMAND...
# does the same into $T/NAME.out and $T/NAME.err, so several tools (say,
# one per output format) can watch the same sbtest at once; sb_sync waits
# for all of them and tool_stop_all stops them all.
tool_start_as() {
	TOOL_OUT=$T/$1.out
	TOOL_ERR=$T/$1.err
	_n=$1
	shift
	"$@" > "$TOOL_OUT" 2> "$TOOL_ERR" &
	TOOL_PID=$!
	it_track "$TOOL_PID"
	IT_TOOLS="$IT_TOOLS $_n:$TOOL_PID"
}

tool_start() {
	tool_start_as tool "$@"
}

# tool_stop [SIGNAL]: stop it (default SIGINT, as Ctrl-C does) and wait;
# exit status in $TOOL_RC ("timeout" if it did not end within 5 s).
tool_stop() {
	kill -"${1:-INT}" "$TOOL_PID" 2>/dev/null
	it_wait_exit "$TOOL_PID" 5
	TOOL_RC=$IT_RC
}

# tool_stop_all [SIGNAL]: stop every tool of this test at once, then wait
# for each; the status of tool NAME in $TOOL_RC_NAME.
tool_stop_all() {
	for _e in $IT_TOOLS; do
		kill -"${1:-INT}" "${_e#*:}" 2>/dev/null
	done
	for _e in $IT_TOOLS; do
		it_wait_exit "${_e#*:}" 5
		eval "TOOL_RC_${_e%%:*}=\$IT_RC"
	done
}

# tool_wait [SECONDS]: wait for the tool to end by itself (default 10 s).
tool_wait() {
	it_wait_exit "$TOOL_PID" "${1:-10}"
	TOOL_RC=$IT_RC
}

# run_cmd COMMAND ARG...: run in the foreground; stdout in $T/cmd.out,
# stderr in $T/cmd.err, status in $CMD_RC.  For quick commands only.
run_cmd() {
	CMD_OUT=$T/cmd.out
	CMD_ERR=$T/cmd.err
	"$@" > "$CMD_OUT" 2> "$CMD_ERR"
	CMD_RC=$?
}

# ---- the event source (sbtest run) ----------------------------------------------

# sb_start ACTION...: start "sbtest run ACTION..." in the background.  It
# opens $SB_READY every 10 ms until sb_go; its report lines go to $SB_OUT.
# sb_start_as NAME ACTION... writes $T/NAME.sb instead, for a second one.
# A first action "-n" skips the handshake (for a source started once the
# tracer is known to be attached); "ready" among the actions moves it.
sb_start_as() {
	SB_OUT=$T/$1.sb
	shift
	"$SBTEST" run "$@" > "$SB_OUT" 2> "$SB_OUT.err" &
	SB_PID=$!
	SB_READY=/nonexistent-sbtest-ready-$SB_PID
	SB_DONE=/nonexistent-sbtest-done-$SB_PID
	it_track "$SB_PID"
}

sb_start() {
	sb_start_as sb "$@"
}

# sb_go: let sbtest do its actions and wait for it; status in $SB_RC.
sb_go() {
	kill -USR1 "$SB_PID" 2>/dev/null
	it_wait_exit "$SB_PID" 10
	SB_RC=$IT_RC
	if [ "$SB_RC" != 0 ]; then
		it_fail sbtest "sbtest run ended with status $SB_RC: $(head -c 300 "$SB_OUT.err")"
		return 1
	fi
	return 0
}

# sb_sync [WAIT_STRING]: the usual dance, with every tool of the test.
# Wait until each printed sbtest's ready marker (it is attached), let
# sbtest run, then wait until each printed WAIT_STRING (default: sbtest's
# done marker, which proves every event before it was delivered).  Fails
# the test and returns 1 on a timeout.
sb_sync() {
	for _e in $IT_TOOLS; do
		_o=$T/${_e%%:*}.out
		if ! wait_for "$_o" "$SB_READY" 10; then
			it_fail attach "${_e%%:*} never showed $SB_READY ($(it_alive "${_e#*:}" && echo running || echo ended)); stderr: $(head -c 300 "$T/${_e%%:*}.err")" "$_o"
			return 1
		fi
	done
	sb_go || return 1
	for _e in $IT_TOOLS; do
		_o=$T/${_e%%:*}.out
		if ! wait_for "$_o" "${1:-$SB_DONE}" 5; then
			it_fail events "${_e%%:*} never showed '${1:-$SB_DONE}'" "$_o"
			return 1
		fi
	done
	return 0
}

# sb_val ACTION KEY [N]: KEY's value in the Nth (default first) report
# line of ACTION in $SB_OUT, e.g. sb_val open fd 2.
sb_val() {
	awk -v a="$1" -v k="$2" -v n="${3:-1}" '
		$1 == a && ++c == n {
			for (i = 2; i <= NF; i++)
				if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit }
		}' "$SB_OUT"
}

# ---- BPF objects: nothing of ours may remain after any exit --------------------

# bpf_ids_save PID FILE: the BPF objects PID holds now ("kind id" lines).
bpf_ids_save() {
	"$SBTEST" bpf-ids "$1" > "$2"
}

# assert_bpf_gone CHECK FILE: every object in FILE is gone (within a few
# seconds: the kernel frees maps after an RCU grace period).  An empty
# FILE fails: the check would prove nothing.
assert_bpf_gone() {
	if [ ! -s "$2" ]; then
		it_fail "$1" "no BPF objects were recorded, so nothing can be checked"
		return
	fi
	_i=0
	while :; do
		_left=
		while read -r _k _id; do
			"$SBTEST" bpf-exists "$_k" "$_id"
			[ $? = 1 ] || _left="$_left $_k:$_id"
		done < "$2"
		[ -z "$_left" ] && break
		_i=$((_i + 1))
		if [ "$_i" -gt $((30 * IT_SCALE)) ]; then
			it_fail "$1" "still in the kernel after exit:$_left"
			return
		fi
		sleep 0.1
	done
	it_pass "$1"
}

# bpf_mark: remember the newest BPF object ids; assert_no_orphans CHECK
# PREFIX... then fails if a newer object named PREFIX* (a link: by its
# program's name) exists that no live process holds.  For exits too quick
# to read the ids of the process.
bpf_mark() {
	BPF_MARK=$("$SBTEST" bpf-max)
}

assert_no_orphans() {
	_c=$1
	shift
	_i=0
	# shellcheck disable=SC2086 # BPF_MARK is three words on purpose
	until "$SBTEST" bpf-orphans $BPF_MARK "$@" > "$T/orphans" 2>&1; do
		_i=$((_i + 1))
		if [ "$_i" -gt $((30 * IT_SCALE)) ]; then
			it_fail "$_c" "left in the kernel: $(tr '\n' ' ' < "$T/orphans")"
			return
		fi
		sleep 0.1
	done
	it_pass "$_c"
}

# ---- output formats -------------------------------------------------------------

# Expected stderr of a usage error: our one line, then argp's hint.
# assert_usage_error CHECK STDERR_FILE PATTERN: exactly two lines, the
# first matching the extended regex PATTERN, the second argp's "Try".
assert_usage_error() {
	_first=$(head -n 1 "$2")
	_second=$(sed -n 2p "$2")
	_n=$(wc -l < "$2" | tr -d ' ')
	if [ "$_n" != 2 ]; then
		it_fail "$1" "want 2 lines on stderr, got $_n" "$2"
	elif ! printf '%s\n' "$_first" | grep -qE -e "$3"; then
		it_fail "$1" "first line '$_first' does not match /$3/" "$2"
	elif ! printf '%s\n' "$_second" | grep -qE "^Try .*--help"; then
		it_fail "$1" "second line is not argp's hint: '$_second'" "$2"
	else
		it_pass "$1"
	fi
}
