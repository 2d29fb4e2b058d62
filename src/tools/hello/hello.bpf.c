// SPDX-License-Identifier: GPL-2.0
/* hello: the first BPF program.  Each program prints one line to the
 * kernel trace pipe with bpf_printk(); user space reads it back. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by user space through the skeleton (skel->rodata->...) before
 * load.  Being read-only constants, the verifier knows their values and
 * the comparisons below cost nothing at run time. */
const volatile int hello_pid = 0;
const volatile int hello_fd = -1;

/* Fires on every write(2) on the system; only our own writes to the fd
 * we trigger with print, so the lines we write to stdout do not trigger
 * more lines. */
SEC("tracepoint/syscalls/sys_enter_write")
int hello_write(struct trace_event_raw_sys_enter *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (pid != hello_pid || (int)ctx->args[0] != hello_fd)
		return 0;
	bpf_printk("BPF triggered from PID %d", pid);
	return 0;
}

static __always_inline int greet(void)
{
	char comm[16];
	int pid = bpf_get_current_pid_tgid() >> 32;

	bpf_get_current_comm(comm, sizeof(comm));
	bpf_printk("Hello, World! from %s %d", comm, pid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_execve(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_execveat")
int hello_execveat(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_clone")
int hello_clone(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_clone3")
int hello_clone3(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_fork")
int hello_fork(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_vfork")
int hello_vfork(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_openat")
int hello_openat(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_open")
int hello_open(void *ctx) { return greet(); }

SEC("tracepoint/syscalls/sys_enter_openat2")
int hello_openat2(void *ctx) { return greet(); }
