#define _GNU_SOURCE
#include <asm/fcntl.h>  /* not <fcntl.h>: see open_flag_names */
#include <stdio.h>
#include <string.h>
#include "core/names.h"

/* No Debian library decodes open flags, so this table is ours.  The values
 * come from the kernel's uapi header for the architecture we are built for:
 * they are not the same everywhere (arm64 moves O_DIRECTORY, O_NOFOLLOW,
 * O_DIRECT and O_LARGEFILE), and glibc's O_LARGEFILE is 0 on x86_64 while
 * the kernel reports its bit. */
static const struct { uint64_t bits; const char *name; } open_flag_names[] = {
	{ O_TMPFILE, "O_TMPFILE" },   /* __O_TMPFILE | O_DIRECTORY */
	{ O_SYNC, "O_SYNC" },         /* __O_SYNC | O_DSYNC */
	{ O_CREAT, "O_CREAT" },
	{ O_EXCL, "O_EXCL" },
	{ O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" },
	{ O_NONBLOCK, "O_NONBLOCK" },
	{ O_DSYNC, "O_DSYNC" },
	{ FASYNC, "O_ASYNC" },
	{ O_DIRECT, "O_DIRECT" },
	{ O_LARGEFILE, "O_LARGEFILE" },
	{ O_DIRECTORY, "O_DIRECTORY" },
	{ O_NOFOLLOW, "O_NOFOLLOW" },
	{ O_NOATIME, "O_NOATIME" },
	{ O_CLOEXEC, "O_CLOEXEC" },
	{ O_PATH, "O_PATH" },
};

static size_t append(char *buf, size_t cap, size_t len, const char *s)
{
	int n = snprintf(buf + len, cap > len ? cap - len : 0, "%s%s", len ? "|" : "", s);

	return n < 0 ? len : len + (size_t)n;
}

size_t open_flags_str(char *buf, size_t cap, uint64_t flags)
{
	static const char *const accmode[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	size_t len = 0;
	char hex[24];

	if (!cap)
		return 0;
	buf[0] = 0;
	len = append(buf, cap, len, accmode[flags & 3]);
	flags &= ~(uint64_t)3;
	for (size_t i = 0; i < sizeof(open_flag_names) / sizeof(open_flag_names[0]); i++) {
		uint64_t b = open_flag_names[i].bits;

		if ((flags & b) == b) {
			len = append(buf, cap, len, open_flag_names[i].name);
			flags &= ~b;
		}
	}
	if (flags) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)flags);
		len = append(buf, cap, len, hex);
	}
	return len < cap ? len : cap - 1;
}

const char *errno_name(int err, char *buf, size_t cap)
{
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, cap, "E%d", err);
	return buf;
}
