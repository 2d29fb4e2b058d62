/* Kernel-side pieces every tool shares: the filter, the event ring buffer
 * with batched wake-ups, and the lost-event counter. */
#ifndef SNOOP_BPF_H
#define SNOOP_BPF_H

#include <bpf/bpf_helpers.h>
#include "bpf/snoop_abi.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct snoop_filter snoop_filter = {
	.uid = SNOOP_UID_ANY,
	.wakeup_bytes = SNOOP_WAKEUP_BYTES,
};

/* Sized by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} snoop_events SEC(".maps");

/* libbpf's ring buffer API has no lost callback: count drops here. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} snoop_lost SEC(".maps");

/* jiffies at the last forced wake-up */
__u64 snoop_last_wakeup;

/* Processes followed for `TOOL -- COMMAND`: the command's pid, put here by
 * user space before it runs, and every descendant, added at fork in the
 * parent's context (before the child can run, so nothing is missed).
 * Thread ids land here too and leave with the task, which is harmless.
 * User space shrinks the map to one entry when not following. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u8);
} snoop_followed SEC(".maps");

/* Offsets of the pid fields in the sched tracepoint records.  Their layout
 * changed between kernels (comm became __data_loc), and these objects do
 * not depend on kernel BTF, so user space reads them from tracefs. */
const volatile __u32 snoop_fork_child_pid_off = 0;
const volatile __u32 snoop_free_pid_off = 0;

static __always_inline void snoop_lost_inc(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&snoop_lost, &zero);

	if (n)
		*n += 1;
}

/* Whether comm contains the -n substring.  comm is 16 bytes, 8-aligned and
 * zero after its NUL: bpf_get_current_comm() does not clear those bytes
 * before Linux 6.2 (strscpy, not strscpy_pad), so every caller clears the
 * buffer first, or a reused one would still hold the tail of a longer name
 * seen before.  The needle's bytes are never zero, so a window reaching
 * past the NUL cannot match.  Eight bytes at a time: each position is a
 * few shifts and masks, not a byte loop (it runs on every traced event). */
static __always_inline int snoop_comm_matches(const char *comm)
{
	/* volatile kept: the filter is const, and without it the compiler
	 * would read the needle from the initializer, not from .rodata as
	 * user space set it. */
	const volatile __u64 *nw = (const volatile __u64 *)snoop_filter.comm;
	const __u64 *cw = (const __u64 *)comm;
	__u32 len = snoop_filter.comm_len;
	__u64 c0 = cw[0], c1 = cw[1], n0 = nw[0], n1 = nw[1];
	__u64 m0 = len >= 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
	__u64 m1 = len > 8 ? (1ULL << (8 * (len - 8))) - 1 : 0;

	/* Little-endian: byte k of a word is bits 8k..8k+7. */
	for (__u32 i = 0; i < SNOOP_COMM_LEN; i++) {
		__u64 w0, w1;

		if (i + len > SNOOP_COMM_LEN - 1)
			break;
		if (i == 0) {
			w0 = c0;
			w1 = c1;
		} else if (i < 8) {
			w0 = c0 >> (8 * i) | c1 << (64 - 8 * i);
			w1 = c1 >> (8 * i);
		} else {
			w0 = c1 >> (8 * (i - 8));
			w1 = 0;
		}
		if (!((w0 ^ n0) & m0) && !((w1 ^ n1) & m1))
			return 1;
	}
	return 0;
}

/* The filters, in the order that fetches least for a task filtered out.
 * Each takes what it checks, so a caller that needs the value for its
 * record too fetches it once. */
static __always_inline int snoop_ids_traced(__u64 pid_tgid)
{
	if (snoop_filter.tgid && (__u32)(pid_tgid >> 32) != snoop_filter.tgid)
		return 0;
	if (snoop_filter.tid && (__u32)pid_tgid != snoop_filter.tid)
		return 0;
	return 1;
}

static __always_inline int snoop_uid_traced(__u32 uid)
{
	return snoop_filter.uid == SNOOP_UID_ANY || uid == snoop_filter.uid;
}

static __always_inline int snoop_group_traced(__u64 pid_tgid)
{
	if (snoop_filter.cgroup_id &&
	    bpf_get_current_ancestor_cgroup_id(snoop_filter.cgroup_level) != snoop_filter.cgroup_id)
		return 0;
	if (snoop_filter.follow) {
		__u32 tgid = pid_tgid >> 32;

		if (!bpf_map_lookup_elem(&snoop_followed, &tgid))
			return 0;
	}
	return 1;
}

/* Every filter but the command name, for tools that check the name at a
 * later hook (execsnoop: the name changes during the call). */
static __always_inline int snoop_task_traced_but_comm(__u64 pid_tgid)
{
	if (!snoop_ids_traced(pid_tgid))
		return 0;
	if (snoop_filter.uid != SNOOP_UID_ANY &&
	    !snoop_uid_traced((__u32)bpf_get_current_uid_gid()))
		return 0;
	return snoop_group_traced(pid_tgid);
}

/* One early-return check for every filter the user gave. */
static __always_inline int snoop_task_traced(__u64 pid_tgid)
{
	__u64 comm[SNOOP_COMM_LEN / 8] = {};  /* cleared: see snoop_comm_matches() */

	if (!snoop_task_traced_but_comm(pid_tgid))
		return 0;
	if (!snoop_filter.comm_len)
		return 1;
	bpf_get_current_comm(comm, sizeof(comm));
	return snoop_comm_matches((const char *)comm);
}

/* Shared programs (names start with snoop_): loaded only when following. */
SEC("tracepoint/sched/sched_process_fork")
int snoop_follow_fork(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, child = 0;
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&snoop_followed, &tgid))
		return 0;
	bpf_probe_read_kernel(&child, sizeof(child), (char *)ctx + snoop_fork_child_pid_off);
	if (child)
		bpf_map_update_elem(&snoop_followed, &child, &one, BPF_ANY);
	return 0;
}

/* sched_process_free, not _exit: a thread group's id must stay followed
 * until its last thread is gone. */
SEC("tracepoint/sched/sched_process_free")
int snoop_follow_free(void *ctx)
{
	__u32 pid = 0;

	bpf_probe_read_kernel(&pid, sizeof(pid), (char *)ctx + snoop_free_pid_off);
	bpf_map_delete_elem(&snoop_followed, &pid);
	return 0;
}

/* Reading the clock costs more than anything else in an event on some
 * virtual machines (0.3 us here, where the TSC read traps), so events
 * carry a time only when the user or the tool asked for one. */
static __always_inline void snoop_hdr_fill_ids(struct snoop_event_hdr *h, __u64 pid_tgid)
{
	h->ts_ns = snoop_filter.timestamps ? bpf_ktime_get_ns() : 0;
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->reserved = 0;
}

static __always_inline void snoop_hdr_fill(struct snoop_event_hdr *h, __u64 pid_tgid)
{
	snoop_hdr_fill_ids(h, pid_tgid);
	h->uid = (__u32)bpf_get_current_uid_gid();
	__builtin_memset(h->comm, 0, sizeof(h->comm));
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/* snoop_task_traced() and snoop_hdr_fill() in one: the header gets the uid
 * and comm the filters looked at, each fetched once.  Returns 0, with the
 * header half filled, for a task the user filtered out. */
static __always_inline int snoop_hdr_fill_traced(struct snoop_event_hdr *h, __u64 pid_tgid)
{
	if (!snoop_ids_traced(pid_tgid))
		return 0;
	h->uid = (__u32)bpf_get_current_uid_gid();
	if (!snoop_uid_traced(h->uid) || !snoop_group_traced(pid_tgid))
		return 0;
	/* Cleared first, for snoop_comm_matches(), and so that the record
	 * does not carry the tail of another task's name to user space. */
	__builtin_memset(h->comm, 0, sizeof(h->comm));
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	if (snoop_filter.comm_len && !snoop_comm_matches(h->comm))
		return 0;
	snoop_hdr_fill_ids(h, pid_tgid);
	return 1;
}

/* Copy a variable-length record into the ring.  A wake-up per record costs
 * the traced task more than the record itself at high rates, so the reader
 * is woken at most once per timer tick (it also polls on a short timeout),
 * or at once when a lot of data is waiting or after a quiet spell.  The
 * tick is jiffies, not the clock: see snoop_hdr_fill_ids(). */
static __always_inline void snoop_submit(void *data, __u64 size)
{
	__u64 flags = BPF_RB_NO_WAKEUP, now = bpf_jiffies64();

	if (now != snoop_last_wakeup) {
		snoop_last_wakeup = now;
		flags = BPF_RB_FORCE_WAKEUP;
	} else if (bpf_ringbuf_query(&snoop_events, BPF_RB_AVAIL_DATA) >=
		   snoop_filter.wakeup_bytes) {
		flags = BPF_RB_FORCE_WAKEUP;
	}
	if (bpf_ringbuf_output(&snoop_events, data, size, flags))
		snoop_lost_inc();
}

#endif
