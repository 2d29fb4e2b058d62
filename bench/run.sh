#!/bin/sh
# The opensnoop benchmark: what tracing costs the traced task, against the
# least any tracer on the same tracepoints can cost, and what the tracer
# costs itself (events lost, start-up time, memory).
#
#   sh bench/run.sh [BUILD_DIR]        (make bench O=BUILD_DIR builds and runs it)
#
# Environment (defaults in brackets):
#   ROUNDS      interleaved timing rounds of bare, floor, opensnoop [21]
#   N           opens per timed run [200000]
#   LOSS_N      opens at full speed in the loss test [1000000]
#   START_RUNS  start-up measurements per variant [11]
#   CPU         CPU the workload is pinned to; tracers run unpinned [1]
#   SNOOPBOX    the binary under test [BUILD_DIR/snoopbox]
#   OPENSNOOP_ARGS  extra arguments for every opensnoop run []
#   RESULT      where the JSON summary goes [BUILD_DIR/bench/result.json]
#
# Rounds interleave the three configurations, in an order that rotates each
# round, so that load from other processes, which this machine shares,
# falls on all alike; medians of the rounds are reported, and the target
# is judged on them.  Each run also reports its fastest block of 1000 opens
# (see sbbench-open.c), the same measure with interference left out: when
# the two ratios disagree, something else was running.
set -u

O=${1:-build}
B=$O/bench
SNOOPBOX=${SNOOPBOX:-$O/snoopbox}
ROUNDS=${ROUNDS:-21}
N=${N:-200000}
LOSS_N=${LOSS_N:-1000000}
START_RUNS=${START_RUNS:-11}
CPU=${CPU:-1}
OPENSNOOP_ARGS=${OPENSNOOP_ARGS:-}
RESULT=${RESULT:-$B/result.json}
STAMP=/nonexistent/sbbench/

for f in "$SNOOPBOX" "$B/sbbench-open" "$B/sbbench-floor" "$B/sbbench-run"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f is missing; build it with: make bench O=$O" >&2
		exit 2
	fi
done
if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (it loads BPF programs)" >&2
	exit 2
fi

tmp=$(mktemp -d /tmp/sbbench.XXXXXX) || exit 1
bg_pids=
cleanup() {
	for p in $bg_pids; do
		kill -TERM "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
# A non-interactive shell starts background commands with SIGINT ignored,
# so they are all stopped with SIGTERM.
trap 'exit 130' INT TERM

# The workload opens a file of ours, so that its events are the lines that
# end in this path and nothing else on the machine can add to them.
target=$tmp/sbbench-target
: >"$target"

die() {
	echo "bench: $*" >&2
	exit 1
}

# wait_for FILE PATTERN: until a line of FILE matches (10 s at most).
# Remove FILE before starting what writes it: a line left from the previous
# round would match before the new process has even opened the file.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 1000 ] && return 1
		sleep 0.01
	done
	return 0
}

median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

maxof() {
	sort -n | tail -n 1
}

workload() {
	taskset -c "$CPU" "$B/sbbench-open" "$1" "$target"
}

run_bare() {
	workload "$N" >>"$tmp/bare.ns" || die "the workload failed"
}

# run_floor NAME [--exit-only]: one run under the empty programs.
run_floor() {
	rm -f "$tmp/$1.out"
	"$B/sbbench-floor" ${2:-} >"$tmp/$1.out" 2>"$tmp/$1.err" &
	fp=$!
	bg_pids="$bg_pids $fp"
	wait_for "$tmp/$1.out" '^ready' || die "the floor did not start: $(cat "$tmp/$1.err")"
	workload "$N" >>"$tmp/$1.ns" || die "the workload failed"
	kill -TERM $fp
	wait $fp || die "the floor failed: $(cat "$tmp/$1.err")"
}

# run_opensnoop N NSFILE: one run of N opens under opensnoop, which writes
# to a file as a user saving a trace would.  Appends "events lost rss_kib".
run_opensnoop() {
	rm -f "$tmp/os.out"
	# shellcheck disable=SC2086 # OPENSNOOP_ARGS is a list of words
	"$B/sbbench-run" -o "$tmp/os.out" -e "$tmp/os.err" -- \
		"$SNOOPBOX" opensnoop -n sbbench-open $OPENSNOOP_ARGS >"$tmp/os.run" &
	sp=$!
	bg_pids="$bg_pids $sp"
	# The header is written once the programs are attached.
	wait_for "$tmp/os.out" PATH || die "opensnoop did not start: $(cat "$tmp/os.err")"
	workload "$1" >>"$2" || die "the workload failed"
	kill -TERM $sp
	wait $sp
	grep -q '^status=0 ' "$tmp/os.run" || die "opensnoop failed: $(cat "$tmp/os.run" "$tmp/os.err")"
	events=$(grep -c " $target\$" "$tmp/os.out")
	lost=$(sed -n 's/.*lost \([0-9]*\) events.*/\1/p' "$tmp/os.err")
	rss=$(sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' "$tmp/os.run")
	echo "${events:-0} ${lost:-0} ${rss:-0}"
}

echo "snoopbox opensnoop benchmark: $(uname -r), $(nproc) CPUs, workload on CPU $CPU"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average at start: $load_start"

# ---- 1. cost per open: bare, floor, opensnoop, interleaved -----------------
echo "timing: $ROUNDS rounds of $N opens each (bare, floor, exit-only floor, opensnoop; order rotates)"
: >"$tmp/bare.ns"; : >"$tmp/floor.ns"; : >"$tmp/floorx.ns"; : >"$tmp/os.ns"; : >"$tmp/ratio"
r=0
while [ $r -lt "$ROUNDS" ]; do
	case $((r % 4)) in
	0) order="bare floor floorx opensnoop" ;;
	1) order="floor floorx opensnoop bare" ;;
	2) order="floorx opensnoop bare floor" ;;
	3) order="opensnoop bare floor floorx" ;;
	esac
	for c in $order; do
		case $c in
		bare) run_bare ;;
		floor) run_floor floor ;;
		floorx) run_floor floorx --exit-only ;;
		opensnoop)
			res=$(run_opensnoop "$N" "$tmp/os.ns") || exit 1
			set -- $res
			[ "$1" = "$N" ] || echo "  round $((r + 1)): opensnoop printed $1 of $N events, lost $2"
			;;
		esac
	done
	set -- $(sed -n '$p' "$tmp/bare.ns") $(sed -n '$p' "$tmp/floor.ns") $(sed -n '$p' "$tmp/os.ns") \
		$(sed -n '$p' "$tmp/floorx.ns")
	awk -v b="$1" -v f="$3" -v s="$5" 'BEGIN { if (f > b) printf "%.2f\n", (s - b) / (f - b) }' >>"$tmp/ratio"
	printf '  round %2d: bare %7.1f  floor %7.1f  exit-only floor %7.1f  opensnoop %7.1f ns/open\n' \
		$((r + 1)) "$1" "$3" "$7" "$5"
	printf '            fastest blocks: %7.1f  %7.1f  %7.1f  %7.1f\n' "$2" "$4" "$8" "$6"
	r=$((r + 1))
done
col() {  # col N FILE: the Nth number of each line
	cut -d' ' -f"$1" "$2"
}
bare=$(col 1 "$tmp/bare.ns" | median)
floor=$(col 1 "$tmp/floor.ns" | median)
os=$(col 1 "$tmp/os.ns" | median)
bare_best=$(col 2 "$tmp/bare.ns" | median)
floor_best=$(col 2 "$tmp/floor.ns" | median)
floorx_best=$(col 2 "$tmp/floorx.ns" | median)
os_best=$(col 2 "$tmp/os.ns" | median)
ratio_rounds=$(median <"$tmp/ratio")
ratio=$(awk -v b="$bare" -v f="$floor" -v s="$os" 'BEGIN { printf "%.2f\n", (s - b) / (f - b) }')
ratio_best=$(awk -v b="$bare_best" -v f="$floor_best" -v s="$os_best" 'BEGIN { printf "%.2f\n", (s - b) / (f - b) }')

# ---- 2. events lost at full speed -------------------------------------------
echo "loss: $LOSS_N opens at full speed under opensnoop"
res=$(run_opensnoop "$LOSS_N" "$tmp/loss.ns") || exit 1
set -- $res
loss_events=$1 loss_lost=$2 loss_rss=$3
loss_ns=$(col 1 "$tmp/loss.ns")
loss_missing=$((LOSS_N - loss_events))

# ---- 3. start-up: exec to first event captured ------------------------------
# A paced workload opens time-stamped paths all along; each run starts
# opensnoop and stops it at its first event.
taskset -c "$CPU" "$B/sbbench-open" -s 600 50 &
wp=$!
bg_pids="$bg_pids $wp"
start_runs() {
	: >"$tmp/start.$1.cap"; : >"$tmp/start.$1.del"; : >"$tmp/start.$1.rss"
	i=0
	while [ $i -lt "$START_RUNS" ]; do
		# shellcheck disable=SC2086
		line=$("$B/sbbench-run" -f "$STAMP" -k -t 10 -e "$tmp/st.err" -- \
			"$SNOOPBOX" opensnoop -n sbbench-open $OPENSNOOP_ARGS $2)
		case $line in
		*capture_us=-1*) die "opensnoop $2 saw no event: $line $(cat "$tmp/st.err")" ;;
		esac
		echo "$line" | sed -n 's/.*capture_us=\([0-9-]*\).*/\1/p' >>"$tmp/start.$1.cap"
		echo "$line" | sed -n 's/.*delivery_us=\([0-9-]*\).*/\1/p' >>"$tmp/start.$1.del"
		echo "$line" | sed -n 's/.*maxrss_kib=\([0-9]*\).*/\1/p' >>"$tmp/start.$1.rss"
		i=$((i + 1))
	done
}
echo "start-up: $START_RUNS runs each of opensnoop and opensnoop -F"
start_runs plain ""
start_runs full "-F"
kill -TERM $wp 2>/dev/null
wait $wp 2>/dev/null
start_cap=$(median <"$tmp/start.plain.cap")
start_cap_max=$(maxof <"$tmp/start.plain.cap")
start_del=$(median <"$tmp/start.plain.del")
start_full_cap=$(median <"$tmp/start.full.cap")
start_full_del=$(median <"$tmp/start.full.del")
start_rss=$(maxof <"$tmp/start.plain.rss")
start_full_rss=$(maxof <"$tmp/start.full.rss")
rss=$(printf '%s\n%s\n' "$loss_rss" "$start_rss" | maxof)

load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report -----------------------------------------------------------------
verdict() {
	if [ "$1" = 1 ]; then echo met; else echo "NOT MET"; fi
}
# The target is judged on the medians of the runs' means, as the issue
# measures it; the fastest blocks are the cross-check (far apart, the
# rounds were disturbed: see bench/README.md).  A floor at or below bare
# means the rounds were swamped by other load: no ratio can be read.
ok_ratio=$(awk -v r="$ratio" -v b="$bare" -v f="$floor" 'BEGIN { print (f > b && r >= 0 && r <= 2) }')
if awk -v b="$bare" -v f="$floor" 'BEGIN { exit !(f <= b) }'; then
	echo "bench: the floor measured no cost above bare: too much other load; rerun" >&2
fi
ok_loss=$([ "$loss_missing" = 0 ] && [ "$loss_lost" = 0 ] && echo 1 || echo 0)
ok_start=$(awk -v c="$start_cap" 'BEGIN { print (c < 20000) }')
ok_rss=$(awk -v k="$rss" 'BEGIN { print (k < 4096) }')

echo
echo "Medians of $ROUNDS interleaved rounds, $N opens each (ns per open+close):"
awk -v b="$bare" -v f="$floor" -v s="$os" 'BEGIN {
	printf "  %-22s %8.1f\n", "bare", b
	printf "  %-22s %8.1f   +%.1f (the floor)\n", "empty programs", f, f - b
	printf "  %-22s %8.1f   +%.1f, %.1f above the floor\n", "opensnoop", s, s - b, s - f }'
echo "Medians of the fastest 1000-open block of each run:"
awk -v b="$bare_best" -v f="$floor_best" -v s="$os_best" 'BEGIN {
	printf "  %-22s %8.1f\n", "bare", b
	printf "  %-22s %8.1f   +%.1f (the floor)\n", "empty programs", f, f - b
	printf "  %-22s %8.1f   +%.1f, %.1f above the floor\n", "opensnoop", s, s - b, s - f }'
awk -v b="$bare_best" -v x="$floorx_best" -v s="$os_best" 'BEGIN {
	printf "  %-22s %8.1f   +%.1f (opensnoop: %.1f above it)\n", "exit programs only", x, x - b, s - x }'
echo "The floor is empty programs on the entry and exit tracepoints, as the target defines it; opensnoop"
echo "attaches to the exit ones only, whose empty programs cost what the line above says."
echo
printf '%-44s %-36s %s\n' TARGET MEASURED RESULT
printf '%-44s %-36s %s\n' "added cost <= 2x the floor's" \
	"$ratio x (per round $ratio_rounds, blocks $ratio_best)" "$(verdict "$ok_ratio")"
printf '%-44s %-36s %s\n' "0 of $LOSS_N events lost at full speed" \
	"$loss_missing missing, $loss_lost counted lost" "$(verdict "$ok_loss")"
printf '%-44s %-36s %s\n' "start to first event < 20 ms" \
	"$(awk -v c="$start_cap" -v m="$start_cap_max" 'BEGIN { printf "%.1f ms (max %.1f)", c / 1000, m / 1000 }')" \
	"$(verdict "$ok_start")"
printf '%-44s %-36s %s\n' "peak RSS < 4 MiB" \
	"$(awk -v k="$rss" 'BEGIN { printf "%.2f MiB", k / 1024 }')" "$(verdict "$ok_rss")"
echo
awk -v n="$LOSS_N" -v e="$loss_events" -v ns="$loss_ns" -v r="$loss_rss" 'BEGIN {
	printf "loss test: %d of %d events printed, %.1f ns per open, peak RSS %.2f MiB\n", e, n, ns, r / 1024 }'
awk -v c="$start_cap" -v d="$start_del" -v fc="$start_full_cap" -v fd="$start_full_del" \
    -v r="$start_rss" -v fr="$start_full_rss" 'BEGIN {
	printf "start-up (median): first event captured %.1f ms, printed %.1f ms, RSS %.2f MiB\n", c / 1000, d / 1000, r / 1024
	printf "start-up with -F:  first event captured %.1f ms, printed %.1f ms, RSS %.2f MiB\n", fc / 1000, fd / 1000, fr / 1024 }'
echo "load average at start: $load_start; at end: $load_end"

mkdir -p "$(dirname "$RESULT")"
cat >"$RESULT" <<EOF
{"kernel":"$(uname -r)","cpus":$(nproc),"rounds":$ROUNDS,"opens_per_round":$N,"bare_ns":$bare,"floor_ns":$floor,"opensnoop_ns":$os,"floor_added_ns":$(awk -v b="$bare" -v f="$floor" 'BEGIN { printf "%.1f", f - b }'),"opensnoop_added_ns":$(awk -v b="$bare" -v s="$os" 'BEGIN { printf "%.1f", s - b }'),"overhead_ratio":$ratio,"overhead_ratio_rounds_median":$ratio_rounds,"bare_best_block_ns":$bare_best,"floor_best_block_ns":$floor_best,"opensnoop_best_block_ns":$os_best,"exit_floor_best_block_ns":$floorx_best,"overhead_ratio_best_blocks":$ratio_best,"loss_opens":$LOSS_N,"loss_events_printed":$loss_events,"loss_events_counted_lost":$loss_lost,"loss_ns_per_open":$loss_ns,"start_capture_us":$start_cap,"start_capture_max_us":$start_cap_max,"start_print_us":$start_del,"start_full_path_capture_us":$start_full_cap,"start_full_path_print_us":$start_full_del,"peak_rss_kib":$rss,"full_path_peak_rss_kib":$start_full_rss,"load_start":"$load_start","load_end":"$load_end","targets_met":{"overhead":$([ "$ok_ratio" = 1 ] && echo true || echo false),"loss":$([ "$ok_loss" = 1 ] && echo true || echo false),"start":$([ "$ok_start" = 1 ] && echo true || echo false),"rss":$([ "$ok_rss" = 1 ] && echo true || echo false)}}
EOF
echo "summary (JSON): $RESULT"
cat "$RESULT"
