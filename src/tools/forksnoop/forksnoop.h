/* forksnoop's event, shared by the kernel program and user space. */
#ifndef FORKSNOOP_H
#define FORKSNOOP_H

#include "bpf/snoop_abi.h"

enum forksnoop_syscall {
	FORKSNOOP_SYS_FORK,
	FORKSNOOP_SYS_VFORK,
	FORKSNOOP_SYS_CLONE,
	FORKSNOOP_SYS_CLONE3,
};

/* The header is the caller (the parent): its pid, tid, uid and comm. */
struct forksnoop_event {
	struct snoop_event_hdr hdr;
	__u64 flags;          /* CLONE_* without clone(2)'s exit-signal byte */
	__u32 child_pid;      /* the new task's thread-group id */
	__u32 child_tid;
	__u32 exit_signal;
	__u8 syscall;
	__u8 pad[3];
};

#endif
