#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "core/names.h"

/* No Debian library decodes open flags, so this table is ours.  Values are
 * the kernel's generic ones (x86, arm64, riscv share them). */
static const struct { uint64_t bits; const char *name; } open_flag_names[] = {
	{ 020200000, "O_TMPFILE" },   /* __O_TMPFILE | O_DIRECTORY */
	{ 04010000, "O_SYNC" },       /* __O_SYNC | O_DSYNC */
	{ 0100, "O_CREAT" },
	{ 0200, "O_EXCL" },
	{ 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },
	{ 04000, "O_NONBLOCK" },
	{ 010000, "O_DSYNC" },
	{ 020000, "O_ASYNC" },
	{ 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" },
	{ 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" },
	{ 010000000, "O_PATH" },
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
