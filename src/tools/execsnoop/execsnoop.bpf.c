/* execsnoop: every execve(2) and execveat(2), printed when the call returns.
 *
 * The arguments must be read at entry: once an exec succeeds, the caller's
 * memory is gone.  Entry copies them into a per-thread record; exit fills
 * in the result and sends exactly the bytes used.
 *
 * CO-RE: the parent's pid is only in task_struct. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpf/snoop.bpf.h"
#include "tools/execsnoop/execsnoop.h"

const volatile __u32 execsnoop_max_args = EXECSNOOP_DEFAULT_MAX_ARGS;

/* What waits between entry and exit. */
struct execsnoop_record {
	struct execsnoop_event ev;
	char args[EXECSNOOP_ARGS_MAX];
};

/* Where entry builds the record: EXECSNOOP_ARG_MAX of slack lets each
 * argument be read at any offset below EXECSNOOP_ARGS_MAX with a constant
 * size, which is what the verifier can check. */
struct execsnoop_scratch {
	struct execsnoop_event ev;
	char args[EXECSNOOP_ARGS_MAX + EXECSNOOP_ARG_MAX];
};

/* Not preallocated: 16 KiB per entry is only taken while an exec runs. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct execsnoop_record);
} execsnoop_inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct execsnoop_scratch);
} execsnoop_scratch SEC(".maps");

struct execsnoop_walk {
	const char *const *argv;
};

/* One argument per call: bpf_loop() has the verifier check this once.  The
 * write offset lives in the record, not in *w, so that the verifier does
 * not see a new stack state on every iteration. */
static long execsnoop_arg_step(__u32 i, void *ctx)
{
	struct execsnoop_walk *w = ctx;
	struct execsnoop_scratch *s;
	const char *arg = NULL;
	__u32 zero = 0, off;
	long n;

	s = bpf_map_lookup_elem(&execsnoop_scratch, &zero);
	if (!s)
		return 1;
	if (bpf_probe_read_user(&arg, sizeof(arg), &w->argv[i])) {
		s->ev.args_flags |= EXECSNOOP_ARGS_UNREADABLE;
		return 1;
	}
	if (!arg)
		return 1;
	if (i >= execsnoop_max_args) {
		s->ev.args_flags |= EXECSNOOP_ARGS_TOO_MANY;
		return 1;
	}
	off = s->ev.args_len;
	if (off >= EXECSNOOP_ARGS_MAX) {
		s->ev.args_flags |= EXECSNOOP_ARGS_FULL;
		return 1;
	}
	n = bpf_probe_read_user_str(&s->args[off], EXECSNOOP_ARG_MAX, arg);
	if (n < 0) {
		s->ev.args_flags |= EXECSNOOP_ARGS_UNREADABLE;
		return 1;
	}
	if (n == 0) {
		/* An empty argument: some kernels (6.1 among them) return 0 for
		 * it, not 1, and write no NUL. */
		s->args[off] = 0;
		n = 1;
	}
	if (n == EXECSNOOP_ARG_MAX) {
		/* A full read is ambiguous: look at the byte after it. */
		char next = 0;

		bpf_probe_read_user(&next, 1, arg + n - 1);
		if (next) {
			s->ev.args_flags |= EXECSNOOP_ARGS_LONG_ARG;
			s->ev.args_len = off + n;
			s->ev.args_count++;
			return 1;
		}
	}
	s->ev.args_count++;
	if (off + n > EXECSNOOP_ARGS_MAX) {
		/* Keep what fits of the last argument, still NUL-terminated. */
		s->ev.args_flags |= EXECSNOOP_ARGS_FULL;
		s->ev.args_len = EXECSNOOP_ARGS_MAX;
		s->args[EXECSNOOP_ARGS_MAX - 1] = 0;
		return 1;
	}
	s->ev.args_len = off + n;
	return 0;
}

static __always_inline int execsnoop_enter(const char *const *argv)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, zero = 0;
	struct execsnoop_walk w = { .argv = argv };
	struct execsnoop_scratch *s;

	/* The name is matched at exit, against the new program's. */
	if (!snoop_task_traced_but_comm(pid_tgid))
		return 0;
	s = bpf_map_lookup_elem(&execsnoop_scratch, &zero);
	if (!s)
		return 0;
	s->ev.args_len = 0;
	s->ev.args_count = 0;
	s->ev.args_flags = 0;
	/* One more than the limit, to tell "exactly N" from "more than N". */
	if (argv)
		bpf_loop(execsnoop_max_args + 1, execsnoop_arg_step, &w, 0);
	if (s->ev.args_len > EXECSNOOP_ARGS_MAX) {
		/* An argument cut at EXECSNOOP_ARG_MAX ran past the end. */
		s->ev.args_len = EXECSNOOP_ARGS_MAX;
		s->args[EXECSNOOP_ARGS_MAX - 1] = 0;
		s->ev.args_flags |= EXECSNOOP_ARGS_FULL;
	}
	if (bpf_map_update_elem(&execsnoop_inflight, &tid, s, BPF_ANY))
		snoop_lost_inc();
	return 0;
}

static __always_inline int execsnoop_exit(long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct execsnoop_record *r;
	struct task_struct *task;
	__u32 len;

	r = bpf_map_lookup_elem(&execsnoop_inflight, &tid);
	if (!r)
		return 0;
	if (snoop_filter.failed_only && ret >= 0)
		goto done;
	/* The header's comm is the new one, which is what -n matches here. */
	snoop_hdr_fill(&r->ev.hdr, pid_tgid);
	if (snoop_filter.comm_len && !snoop_comm_matches(r->ev.hdr.comm))
		goto done;
	r->ev.ret = ret;
	task = (struct task_struct *)bpf_get_current_task();
	r->ev.ppid = BPF_CORE_READ(task, real_parent, tgid);
	len = r->ev.args_len;
	if (len > EXECSNOOP_ARGS_MAX)
		len = EXECSNOOP_ARGS_MAX;
	snoop_submit(r, sizeof(r->ev) + len);
done:
	bpf_map_delete_elem(&execsnoop_inflight, &tid);
	return 0;
}

/* A successful exec from a thread other than the leader takes over the
 * leader's id, so exit runs under another tid than entry: move the record.
 * old_pid is the thread id the exec started under. */
static __always_inline int execsnoop_moved(__u32 old_tid)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct execsnoop_record *r;

	if (old_tid == tid)
		return 0;
	r = bpf_map_lookup_elem(&execsnoop_inflight, &old_tid);
	if (!r)
		return 0;
	if (bpf_map_update_elem(&execsnoop_inflight, &tid, r, BPF_ANY))
		snoop_lost_inc();
	bpf_map_delete_elem(&execsnoop_inflight, &old_tid);
	return 0;
}

/* Preferred: the per-syscall tracepoints. */
SEC("tracepoint/syscalls/sys_enter_execve")
int execsnoop_tp_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	return execsnoop_enter((const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int execsnoop_tp_enter_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return execsnoop_enter((const char *const *)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int execsnoop_tp_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return execsnoop_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int execsnoop_tp_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return execsnoop_exit(ctx->ret);
}

SEC("tracepoint/sched/sched_process_exec")
int execsnoop_tp_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	return execsnoop_moved(ctx->old_pid);
}

/* Fallback: the raw syscall tracepoints, which need no tracefs but run on
 * every syscall.  Exit needs no syscall number: the first syscall exit of
 * a thread with a record is that of its exec. */
#if defined(__TARGET_ARCH_x86)
#define EXECSNOOP_NR_EXECVE 59
#define EXECSNOOP_NR_EXECVEAT 322
#elif defined(__TARGET_ARCH_arm64)
#define EXECSNOOP_NR_EXECVE 221
#define EXECSNOOP_NR_EXECVEAT 281
#endif

#ifdef EXECSNOOP_NR_EXECVE
SEC("raw_tp/sys_enter")
int execsnoop_raw_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = ctx->args[1];

	if (nr == EXECSNOOP_NR_EXECVE)
		return execsnoop_enter((const char *const *)PT_REGS_PARM2_CORE_SYSCALL(regs));
	if (nr == EXECSNOOP_NR_EXECVEAT)
		return execsnoop_enter((const char *const *)PT_REGS_PARM3_CORE_SYSCALL(regs));
	return 0;
}

SEC("raw_tp/sys_exit")
int execsnoop_raw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return execsnoop_exit(ctx->args[1]);
}

SEC("raw_tp/sched_process_exec")
int execsnoop_raw_exec(struct bpf_raw_tracepoint_args *ctx)
{
	return execsnoop_moved((__u32)ctx->args[1]);
}
#endif
