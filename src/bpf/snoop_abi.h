/* Types shared by the kernel programs and user space.  Included after
 * vmlinux.h or <linux/types.h>, so it includes nothing itself. */
#ifndef SNOOP_ABI_H
#define SNOOP_ABI_H

#define SNOOP_COMM_LEN 16
#define SNOOP_UID_ANY 0xffffffffu
/* Wake the reader at once when this much is waiting (see snoop_submit()).
 * User space always writes the whole filter, so this is the value in force. */
#define SNOOP_WAKEUP_BYTES (256 * 1024)

/* The in-kernel filter, set by user space in .rodata before load.  Fields
 * left at their "any" value let the verifier drop the whole check. */
struct snoop_filter {
	__u32 tgid;           /* 0: any process */
	__u32 tid;            /* 0: any thread */
	__u32 uid;            /* SNOOP_UID_ANY: any user */
	__u32 failed_only;    /* only calls that returned an error */
	/* 8-aligned: the kernel side compares it 8 bytes at a time. */
	char comm[SNOOP_COMM_LEN]; /* substring of the task's comm, zero-padded */
	__u32 comm_len;       /* 0: any command name */
	__u32 follow;         /* only processes in snoop_followed */
	__u32 cgroup_level;   /* depth of cgroup_id below the cgroup2 root */
	__u64 cgroup_id;      /* 0: any cgroup; else this cgroup2 and below */
	__u32 timestamps;     /* 1: fill ts_ns (else 0; see snoop_hdr_fill()) */
	__u32 pad;
	/* Ring buffer wake-up batching: wake the reader at most once per
	 * timer tick, or at once when wakeup_bytes are waiting. */
	__u64 wakeup_bytes;
};

/* Every event starts with this. */
struct snoop_event_hdr {
	__u64 ts_ns;          /* CLOCK_MONOTONIC; 0 unless filter.timestamps */
	__u32 pid;            /* tgid */
	__u32 tid;
	__u32 uid;
	__u32 reserved;
	char comm[SNOOP_COMM_LEN];
};

#endif
