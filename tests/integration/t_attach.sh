# Which attach variant each tracing tool picks by itself, on this kernel.
# The same file runs on the host and in the VM suite's kernels: every
# kernel we test has tracepoints, and each tool's best hook there is the
# one named here.  (--attach forcing each variant is tested per tool.)
. "$(dirname "$0")/lib.sh"

# TOOL EXPECTED-FIRST-ATTACH-LINE
attach_defaults='
opensnoop tracepoint syscalls/sys_exit_openat
execsnoop tracepoint syscalls/sys_enter_execve
exitsnoop tracepoint sched/sched_process_exit
forksnoop tracepoint
seccomp raw_tp sys_enter
'

t_defaults() {
	echo "$attach_defaults" | while read -r tool want; do
		[ -n "$tool" ] || continue
		run_cmd "$BIN/$tool" -v -d 0.2
		# -v also shows libbpf's messages: only our attach lines count.
		got=$(grep "^$tool: attach: " "$CMD_ERR" | head -n 1)
		case $got in
		"$tool: attach: $want"*) it_pass "$tool" ;;
		*) it_fail "$tool" "first attach line '$got', want '$tool: attach: $want' (status $CMD_RC)" ;;
		esac
	done
}
it_test attach_default t_defaults

it_done
