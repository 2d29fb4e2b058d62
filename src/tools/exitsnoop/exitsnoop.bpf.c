/* exitsnoop: every process exit (every thread exit with --threads).
 *
 * sched_process_exit runs in the exiting task after do_exit() has set its
 * exit_code and counted it out of signal->live, so the last thread out
 * knows the process is gone.  CO-RE: all of it is in task_struct. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include "bpf/snoop.bpf.h"
#include "tools/exitsnoop/exitsnoop.h"

/* include/linux/sched/signal.h: unchanged since 2.6. */
#define EXITSNOOP_SIGNAL_GROUP_EXIT 0x00000004

const volatile __u32 exitsnoop_threads = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exitsnoop_event);
} exitsnoop_scratch SEC(".maps");

/* Processes already reported, by tgid, with their leader's start time so
 * that a reused pid is a new process.  When the last threads of a process
 * exit on two CPUs at once, both can see signal->live at 0 (only newer
 * kernels pass group_dead to the tracepoint); the first to claim the tgid
 * here reports the process exit.  LRU: old entries go by themselves. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} exitsnoop_reported SEC(".maps");

static __always_inline int exitsnoop_claim_process(__u32 tgid, __u64 leader_start)
{
	__u64 *seen;

	if (!bpf_map_update_elem(&exitsnoop_reported, &tgid, &leader_start, BPF_NOEXIST))
		return 1;
	seen = bpf_map_lookup_elem(&exitsnoop_reported, &tgid);
	if (seen && *seen == leader_start)
		return 0;
	bpf_map_update_elem(&exitsnoop_reported, &tgid, &leader_start, BPF_ANY);
	return 1;
}

static __always_inline int exitsnoop_handle(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *leader;
	struct exitsnoop_event *e;
	__u32 zero = 0;
	int last, status;
	__u64 start;

	last = BPF_CORE_READ(task, signal, live.counter) == 0;
	if (!last && !exitsnoop_threads)
		return 0;
	if (!snoop_task_traced(pid_tgid))
		return 0;
	leader = BPF_CORE_READ(task, group_leader);
	if (last && !exitsnoop_claim_process(pid_tgid >> 32, BPF_CORE_READ(leader, start_time))) {
		if (!exitsnoop_threads)
			return 0;
		last = 0;
	}
	/* What the parent's wait() will see: exit_group() and fatal signals
	 * set one status for the whole group; otherwise the process's status
	 * is its leader's, which may have exited before the others. */
	if (BPF_CORE_READ(task, signal, flags) & EXITSNOOP_SIGNAL_GROUP_EXIT)
		status = BPF_CORE_READ(task, signal, group_exit_code);
	else if (last)
		status = BPF_CORE_READ(leader, exit_code);
	else
		status = BPF_CORE_READ(task, exit_code);
	if (snoop_filter.failed_only && !status)
		return 0;
	e = bpf_map_lookup_elem(&exitsnoop_scratch, &zero);
	if (!e)
		return 0;
	snoop_hdr_fill(&e->hdr, pid_tgid);
	/* start_time is CLOCK_MONOTONIC (ktime_get_ns(); start_boottime is the
	 * boot-time one), the clock bpf_ktime_get_ns() reads. */
	start = last && !exitsnoop_threads ? BPF_CORE_READ(leader, start_time) :
		BPF_CORE_READ(task, start_time);
	e->age_ns = e->hdr.ts_ns > start ? e->hdr.ts_ns - start : 0;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->status = status;
	e->process_exit = last;
	snoop_submit(e, sizeof(*e));
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int exitsnoop_tp_exit(void *ctx)
{
	return exitsnoop_handle();
}

/* Fallback without tracefs. */
SEC("raw_tp/sched_process_exit")
int exitsnoop_raw_exit(void *ctx)
{
	return exitsnoop_handle();
}
