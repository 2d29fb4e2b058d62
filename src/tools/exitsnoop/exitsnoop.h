/* exitsnoop's event, shared by the kernel program and user space. */
#ifndef EXITSNOOP_H
#define EXITSNOOP_H

#include "bpf/snoop_abi.h"

struct exitsnoop_event {
	struct snoop_event_hdr hdr;   /* pid, tid and comm of the exiting task */
	__u64 age_ns;                 /* since the process (or thread) started */
	__u32 ppid;
	__s32 status;                 /* as wait(2) reports it: code << 8 | core | signal */
	__u8 process_exit;            /* the last thread: the process ended */
	__u8 pad[7];
};

#endif
