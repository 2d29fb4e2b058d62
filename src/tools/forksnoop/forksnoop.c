/* forksnoop: user side.  One line per new process or thread. */
#include <stdio.h>
#include <string.h>
#include "core/names.h"
#include "core/options.h"
#include "core/tool.h"
#include "tools/forksnoop/forksnoop.h"
#include "forksnoop.skel.h"

static const void *forksnoop_object(const struct snoop_run *run, size_t *size)
{
	((struct snoop_run *)run)->needs_kernel_btf = true;
	return forksnoop_bpf__elf_bytes(size);
}

static const struct snoop_column *forksnoop_columns(const struct snoop_run *run)
{
	static const struct snoop_column cols[] = {
		{ "PCOMM", -16 }, { "PID", -7 }, { "TID", -7 }, { "SYSCALL", -7 },
		{ "CHILD_PID", -9 }, { "CHILD_TID", -9 }, { "TYPE", -7 }, { "FLAGS", 0 },
		{ NULL },
	};
	return cols;
}

static const char *const forksnoop_syscall_names[] = {
	[FORKSNOOP_SYS_FORK] = "fork",
	[FORKSNOOP_SYS_VFORK] = "vfork",
	[FORKSNOOP_SYS_CLONE] = "clone",
	[FORKSNOOP_SYS_CLONE3] = "clone3",
};

#define FORKSNOOP_CLONE_THREAD 0x00010000

static int forksnoop_print(struct snoop_run *run, const void *data, size_t size)
{
	const struct forksnoop_event *e = data;
	struct output *out = &run->out;
	bool thread = e->flags & FORKSNOOP_CLONE_THREAD;
	char flags[512];

	clone_flags_str(flags, sizeof(flags), e->flags, e->exit_signal);
	snoop_event_begin(run, &e->hdr);
	output_bytes(out, "comm", -16, e->hdr.comm, strnlen(e->hdr.comm, sizeof(e->hdr.comm)));
	output_uint(out, "parent_pid", -7, e->hdr.pid);
	output_uint(out, "parent_tid", -7, e->hdr.tid);
	output_uint(out, "uid", OUT_JSON_ONLY, e->hdr.uid);
	output_str(out, "syscall", -7, e->syscall < 4 ? forksnoop_syscall_names[e->syscall] : "?");
	output_uint(out, "child_pid", -9, e->child_pid);
	output_uint(out, "child_tid", -9, e->child_tid);
	if (out->json)
		output_bool(out, "thread", 0, thread);
	else
		output_str(out, "type", -7, thread ? "thread" : "process");
	output_str(out, "flags", 0, flags);
	output_uint(out, "flags_raw", OUT_JSON_ONLY, e->flags);
	output_uint(out, "exit_signal", OUT_JSON_ONLY, e->exit_signal);
	output_record_end(out);
	return 0;
}

static const struct snoop_hook forksnoop_tracepoint_hooks[] = {
	{ "forksnoop_tp_enter_clone", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_clone" },
	{ "forksnoop_tp_exit_clone", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_clone" },
	{ "forksnoop_tp_fork", SNOOP_HOOK_TRACEPOINT, "sched/sched_process_fork" },
	/* fork and vfork are missing on arm64; clone3 came in 5.3. */
	{ "forksnoop_tp_enter_clone3", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_clone3", true },
	{ "forksnoop_tp_exit_clone3", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_clone3", true },
	{ "forksnoop_tp_enter_fork", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_fork", true },
	{ "forksnoop_tp_exit_fork", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_fork", true },
	{ "forksnoop_tp_enter_vfork", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_vfork", true },
	{ "forksnoop_tp_exit_vfork", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_vfork", true },
	{ NULL },
};

static const struct snoop_hook forksnoop_raw_tp_hooks[] = {
	{ "forksnoop_raw_enter", SNOOP_HOOK_RAW_TP, "sys_enter" },
	{ "forksnoop_raw_exit", SNOOP_HOOK_RAW_TP, "sys_exit" },
	{ "forksnoop_raw_fork", SNOOP_HOOK_RAW_TP, "sched_process_fork" },
	{ NULL },
};

static const struct snoop_variant forksnoop_variants[] = {
	{ "tracepoint", forksnoop_tracepoint_hooks },
	{ "raw_tp", forksnoop_raw_tp_hooks },
	{ NULL },
};

static const struct snoop_tracer forksnoop_tracer = {
	.object = forksnoop_object,
	.variants = forksnoop_variants,
	.columns = forksnoop_columns,
	.print = forksnoop_print,
	.min_event_size = sizeof(struct forksnoop_event),
};

static const struct snoop_object forksnoop_objects[] = {
	{ "forksnoop", forksnoop_bpf__elf_bytes },
	{ NULL },
};

const struct snoop_tool snoop_tool_forksnoop = {
	.name = "forksnoop",
	.summary = "Trace new processes and threads (fork, vfork, clone, clone3)",
	.doc = "Trace fork(2), vfork(2), clone(2) and clone3(2): one line per new process or "
	       "thread, with the caller, the new ids and the clone flags."
	       "\vPID, TID and PCOMM are the caller's.  CHILD_PID is the new task's process "
	       "id (the caller's own for a thread), CHILD_TID its thread id.  FLAGS are the "
	       "clone flags as strace shows them, ending with the signal the parent gets "
	       "when the child exits (SIGCHLD alone for fork).  Filters apply to the caller."
	       "\n\nExamples:\n"
	       "  forksnoop             every new process and thread\n"
	       "  forksnoop -p 181      what process 181 starts\n"
	       "  forksnoop -j          JSON Lines: thread is true for threads",
	.common = SNOOP_OPTS_TRACER,
	.tracer = &forksnoop_tracer,
	.objects = forksnoop_objects,
};
