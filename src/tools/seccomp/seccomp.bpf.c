/* seccomp: count every system call the traced tasks enter, per syscall
 * number, in the kernel.  Nothing is sent per call: user space reads the
 * per-CPU counters once, at the end.
 *
 * No CO-RE: the raw_syscalls record and the raw tracepoint arguments are a
 * stable ABI, so loading needs no kernel BTF. */
#include <linux/types.h>
#include <linux/bpf.h>
#include "bpf/snoop.bpf.h"
#include "tools/seccomp/seccomp.h"

/* Our own process, so that tracing without any filter does not count the
 * tracer's polling. */
const volatile __u32 seccomp_self_tgid = 0;

/* Per CPU, so that counting is a plain increment with no atomic and no
 * shared cache line between CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SECCOMP_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} seccomp_counts SEC(".maps");

static __always_inline int seccomp_count(long nr)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 slot;
	__u64 *n;

	if ((__u32)(pid_tgid >> 32) == seccomp_self_tgid || !snoop_task_traced(pid_tgid))
		return 0;
	slot = nr >= 0 && nr < SECCOMP_NR_MAX ? (__u32)nr : SECCOMP_NR_MAX;
	n = bpf_map_lookup_elem(&seccomp_counts, &slot);
	if (n)
		*n += 1;
	return 0;
}

/* raw_syscalls:sys_enter, as its tracefs format file gives it. */
struct seccomp_tp_sys_enter {
	__u64 common;
	long id;
	unsigned long args[6];
};

/* The tracefs tracepoint: the same count, through the trace record. */
SEC("tracepoint/raw_syscalls/sys_enter")
int seccomp_tp_sys_enter(struct seccomp_tp_sys_enter *ctx)
{
	return seccomp_count(ctx->id);
}

/* Preferred (cheaper, and needs no tracefs): the raw tracepoint, whose
 * arguments are (struct pt_regs *, long id). */
SEC("raw_tp/sys_enter")
int seccomp_raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return seccomp_count((long)ctx->args[1]);
}
