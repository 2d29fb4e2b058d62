/* forksnoop: every fork(2), vfork(2), clone(2) and clone3(2).
 *
 * The flags are only known at syscall entry, the new task's id only once
 * it exists: entry remembers the flags per thread, and sched_process_fork,
 * which runs in the caller after the task is made, sends the record.  A
 * call that fails never reaches it; its exit drops what entry kept.
 * Kernel-made tasks (kernel threads, io_uring workers) pass through no
 * clone syscall and are not reported.
 *
 * CO-RE: sched_process_fork's record changed layout between kernels
 * (comm became __data_loc), and the raw tracepoint gives a task_struct. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpf/snoop.bpf.h"
#include "tools/forksnoop/forksnoop.h"

#define FORKSNOOP_CLONE_VM 0x00000100
#define FORKSNOOP_CLONE_VFORK 0x00004000
#define FORKSNOOP_CLONE_THREAD 0x00010000
#define FORKSNOOP_CSIGNAL 0xff
#define FORKSNOOP_SIGCHLD 17

struct forksnoop_call {
	__u64 flags;
	__u32 exit_signal;
	__u8 syscall;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct forksnoop_call);
} forksnoop_inflight SEC(".maps");

static __always_inline int forksnoop_enter(__u8 syscall, __u64 flags, __u32 exit_signal)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct forksnoop_call c = { .flags = flags, .exit_signal = exit_signal, .syscall = syscall };

	if (!snoop_task_traced(pid_tgid))
		return 0;
	if (bpf_map_update_elem(&forksnoop_inflight, &tid, &c, BPF_ANY))
		snoop_lost_inc();
	return 0;
}

/* clone(2) carries the exit signal in its low byte. */
static __always_inline int forksnoop_enter_clone(__u64 raw)
{
	return forksnoop_enter(FORKSNOOP_SYS_CLONE, raw & ~(__u64)FORKSNOOP_CSIGNAL,
			       raw & FORKSNOOP_CSIGNAL);
}

/* struct clone_args is a stable ABI: flags at 0, exit_signal at 32. */
static __always_inline int forksnoop_enter_clone3(__u64 uargs)
{
	__u64 a[5] = {};

	bpf_probe_read_user(a, sizeof(a), (const void *)uargs);
	return forksnoop_enter(FORKSNOOP_SYS_CLONE3, a[0], (__u32)a[4]);
}

static __always_inline int forksnoop_forked(__u32 child_tid)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct forksnoop_call *c = bpf_map_lookup_elem(&forksnoop_inflight, &tid);
	struct forksnoop_event e = {};

	if (!c)
		return 0;
	snoop_hdr_fill(&e.hdr, pid_tgid);
	e.flags = c->flags;
	e.exit_signal = c->exit_signal;
	e.syscall = c->syscall;
	e.child_tid = child_tid;
	e.child_pid = c->flags & FORKSNOOP_CLONE_THREAD ? e.hdr.pid : child_tid;
	bpf_map_delete_elem(&forksnoop_inflight, &tid);
	snoop_submit(&e, sizeof(e));
	return 0;
}

static __always_inline int forksnoop_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	/* A lookup first: a delete of a missing key costs more, and the raw
	 * fallback comes here on every syscall. */
	if (bpf_map_lookup_elem(&forksnoop_inflight, &tid))
		bpf_map_delete_elem(&forksnoop_inflight, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_fork")
int forksnoop_tp_enter_fork(void *ctx)
{
	return forksnoop_enter(FORKSNOOP_SYS_FORK, 0, FORKSNOOP_SIGCHLD);
}

SEC("tracepoint/syscalls/sys_enter_vfork")
int forksnoop_tp_enter_vfork(void *ctx)
{
	return forksnoop_enter(FORKSNOOP_SYS_VFORK, FORKSNOOP_CLONE_VFORK | FORKSNOOP_CLONE_VM,
			       FORKSNOOP_SIGCHLD);
}

SEC("tracepoint/syscalls/sys_enter_clone")
int forksnoop_tp_enter_clone(struct trace_event_raw_sys_enter *ctx)
{
	return forksnoop_enter_clone(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_clone3")
int forksnoop_tp_enter_clone3(struct trace_event_raw_sys_enter *ctx)
{
	return forksnoop_enter_clone3(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_fork")
int forksnoop_tp_exit_fork(void *ctx) { return forksnoop_exit(); }
SEC("tracepoint/syscalls/sys_exit_vfork")
int forksnoop_tp_exit_vfork(void *ctx) { return forksnoop_exit(); }
SEC("tracepoint/syscalls/sys_exit_clone")
int forksnoop_tp_exit_clone(void *ctx) { return forksnoop_exit(); }
SEC("tracepoint/syscalls/sys_exit_clone3")
int forksnoop_tp_exit_clone3(void *ctx) { return forksnoop_exit(); }

SEC("tracepoint/sched/sched_process_fork")
int forksnoop_tp_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	return forksnoop_forked(ctx->child_pid);
}

/* Fallback: raw tracepoints, which need no tracefs but run on every
 * syscall. */
#if defined(__TARGET_ARCH_x86)
#define FORKSNOOP_NR_CLONE 56
#define FORKSNOOP_NR_FORK 57
#define FORKSNOOP_NR_VFORK 58
#define FORKSNOOP_NR_CLONE3 435
#elif defined(__TARGET_ARCH_arm64)
#define FORKSNOOP_NR_CLONE 220
#define FORKSNOOP_NR_CLONE3 435
#endif

#ifdef FORKSNOOP_NR_CLONE
SEC("raw_tp/sys_enter")
int forksnoop_raw_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = ctx->args[1];

	if (nr == FORKSNOOP_NR_CLONE)
		return forksnoop_enter_clone(PT_REGS_PARM1_CORE_SYSCALL(regs));
	if (nr == FORKSNOOP_NR_CLONE3)
		return forksnoop_enter_clone3(PT_REGS_PARM1_CORE_SYSCALL(regs));
#ifdef FORKSNOOP_NR_FORK
	if (nr == FORKSNOOP_NR_FORK)
		return forksnoop_enter(FORKSNOOP_SYS_FORK, 0, FORKSNOOP_SIGCHLD);
	if (nr == FORKSNOOP_NR_VFORK)
		return forksnoop_enter(FORKSNOOP_SYS_VFORK,
				       FORKSNOOP_CLONE_VFORK | FORKSNOOP_CLONE_VM, FORKSNOOP_SIGCHLD);
#endif
	return 0;
}

/* Any syscall exit of a thread that still has an entry is that of its
 * failed clone: a successful one was consumed at sched_process_fork. */
SEC("raw_tp/sys_exit")
int forksnoop_raw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return forksnoop_exit();
}

SEC("raw_tp/sched_process_fork")
int forksnoop_raw_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];

	return forksnoop_forked(BPF_CORE_READ(child, pid));
}
#endif
