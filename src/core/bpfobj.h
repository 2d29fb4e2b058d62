/* Helpers around libbpf that every tool needs. */
#ifndef SNOOP_BPFOBJ_H
#define SNOOP_BPFOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct bpf_object;
struct bpf_map;

/* Set a `const volatile` global of the object's .rodata before load, by
 * name, through the object's BTF; the skeleton's typed pointers are not
 * needed, so the shared layer can set the filter of any tool. */
int snoop_rodata_set(struct bpf_object *obj, const char *var, const void *val, size_t size);

/* Sum of a one-entry per-CPU __u64 array. */
int snoop_percpu_sum(struct bpf_map *map, __u64 *sum);

/* Make sure tracefs can be found where libbpf looks for it.  When neither
 * /sys/kernel/tracing nor /sys/kernel/debug/tracing has it, mount it at
 * /sys/kernel/tracing in a mount namespace of our own: the system's mounts
 * never change, and the mount goes away with us.  Call before starting
 * threads; processes forked earlier stay in the system's namespace.
 * Returns the tracefs directory, or NULL with errno set. */
const char *snoop_tracefs(bool *mounted_by_us);

/* Whether the process has what loading BPF tracing programs takes (root,
 * or CAP_BPF with CAP_PERFMON); prints the reason when not. */
bool snoop_have_bpf_privileges(void);

/* Install SIGINT/SIGTERM/SIGHUP handlers that set *flag, ignore SIGPIPE
 * (a closed stdout is seen as a write error instead). */
void snoop_signals_install(volatile int *flag);

__u64 snoop_now_ns(void);

/* Offset of a field in a tracepoint's record, from its tracefs format
 * file ("sched/sched_process_fork", "child_pid"); <0 if not found. */
int snoop_tracepoint_field_offset(const char *tracefs, const char *event, const char *field);

/* The signal that stopped us, and whether it came from kill(2) rather than
 * the terminal (then a traced command did not get it and we pass it on). */
extern volatile int snoop_stop_signal;
extern volatile int snoop_stop_signal_sent;

#endif
