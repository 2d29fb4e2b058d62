/* The floor of the opensnoop benchmark: programs that do nothing, on the
 * tracepoints opensnoop uses.  What they cost the traced task is the least
 * any tracer on these tracepoints can cost: the tracepoint firing and one
 * BPF program call per hook.  Anything above it is the tracer's own work.
 *
 * No vmlinux.h and no CO-RE: nothing here reads the context. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define SBBENCH_EMPTY(name, tp) \
	SEC("tracepoint/syscalls/" tp) int name(void *ctx) { return 0; }

SBBENCH_EMPTY(floor_enter_openat, "sys_enter_openat")
SBBENCH_EMPTY(floor_exit_openat, "sys_exit_openat")
SBBENCH_EMPTY(floor_enter_open, "sys_enter_open")
SBBENCH_EMPTY(floor_exit_open, "sys_exit_open")
SBBENCH_EMPTY(floor_enter_creat, "sys_enter_creat")
SBBENCH_EMPTY(floor_exit_creat, "sys_exit_creat")
SBBENCH_EMPTY(floor_enter_openat2, "sys_enter_openat2")
SBBENCH_EMPTY(floor_exit_openat2, "sys_exit_openat2")
