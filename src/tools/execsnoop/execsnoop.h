/* execsnoop's event, shared by the kernel program and user space. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#include "bpf/snoop_abi.h"

/* All arguments together are kept to this many bytes (NULs included). */
#define EXECSNOOP_ARGS_MAX 16384
/* One argument is read into at most this many bytes. */
#define EXECSNOOP_ARG_MAX 8192
/* --max-args accepts up to this many. */
#define EXECSNOOP_MAX_ARGS_LIMIT 4096
#define EXECSNOOP_DEFAULT_MAX_ARGS 20

/* Why args[] holds less than the whole command line. */
#define EXECSNOOP_ARGS_TOO_MANY   0x1  /* more than --max-args arguments */
#define EXECSNOOP_ARGS_LONG_ARG   0x2  /* the last argument was cut at EXECSNOOP_ARG_MAX */
#define EXECSNOOP_ARGS_FULL       0x4  /* EXECSNOOP_ARGS_MAX bytes were not enough */
#define EXECSNOOP_ARGS_UNREADABLE 0x8  /* argv or an argument could not be read */

/* A record is this header followed by args_len bytes: args_count
 * NUL-terminated arguments, as the caller passed them. */
struct execsnoop_event {
	struct snoop_event_hdr hdr;
	__s32 ret;            /* 0, or -errno */
	__u32 ppid;
	__u32 args_len;
	__u32 args_count;
	__u32 args_flags;
	__u32 pad;
};

#endif
