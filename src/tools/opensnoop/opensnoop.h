/* opensnoop's event, shared by the kernel program and user space. */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#include "bpf/snoop_abi.h"

/* The user's path is read into at most this many bytes; the kernel itself
 * refuses longer paths (ENAMETOOLONG), so only those are ever truncated. */
#define OPENSNOOP_USER_PATH_MAX 4096
/* Room for the directory names added by --full-path (power of two: the
 * kernel program masks offsets with it), plus one name of slack. */
#define OPENSNOOP_PATH_BUF 8192
#define OPENSNOOP_NAME_MAX 256
#define OPENSNOOP_MAX_DEPTH 48

enum opensnoop_syscall {
	OPENSNOOP_SYS_OPEN,
	OPENSNOOP_SYS_CREAT,
	OPENSNOOP_SYS_OPENAT,
	OPENSNOOP_SYS_OPENAT2,
};

#define OPENSNOOP_PATH_TRUNCATED 0x1  /* path[] holds less than the whole path */
#define OPENSNOOP_PATH_DIRS      0x2  /* parts after the first are directories */
#define OPENSNOOP_PATH_UNREADABLE 0x4 /* the user pointer could not be read */

/* A record is this header followed by path_len bytes: path_parts strings,
 * each NUL-terminated.  The first is the path as the caller passed it;
 * with OPENSNOOP_PATH_DIRS the rest are the names of the directories it
 * is relative to, innermost first, up to the root. */
struct opensnoop_event {
	struct snoop_event_hdr hdr;
	__s64 ret;
	__u64 flags;
	__u32 mode;
	__u16 path_len;
	__u8 path_parts;
	__u8 path_flags;
	__u8 syscall;
	__u8 pad[7];
};

#endif
