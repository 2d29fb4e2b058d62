#define _GNU_SOURCE
#include <asm/fcntl.h>  /* not <fcntl.h>: see open_flag_names */
#include <linux/sched.h>
#include <signal.h>
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

const char *signal_name(int sig, char *buf, size_t cap)
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, cap, "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, cap, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, cap, "SIG%d", sig);
	return buf;
}

size_t exit_status_str(char *buf, size_t cap, int status)
{
	int code = (status >> 8) & 0xff, sig = status & 0x7f;
	char name[32];
	int n;

	if (!cap)
		return 0;
	if (!sig)
		n = code ? snprintf(buf, cap, "code %d", code) : snprintf(buf, cap, "0");
	else
		n = snprintf(buf, cap, "signal %d (%s)%s", sig, signal_name(sig, name, sizeof(name)),
			     status & 0x80 ? ", core dumped" : "");
	if (n < 0)
		n = 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The uapi <linux/sched.h> has every CLONE_* value, including clone3's
 * 64-bit ones and the bits reused over time, and no library names them. */
static const struct { uint64_t bit; const char *name; } clone_flag_names[] = {
	{ CLONE_NEWTIME, "CLONE_NEWTIME" },  /* clone3 only: clone(2) has CSIGNAL here */
	{ CLONE_VM, "CLONE_VM" },
	{ CLONE_FS, "CLONE_FS" },
	{ CLONE_FILES, "CLONE_FILES" },
	{ CLONE_SIGHAND, "CLONE_SIGHAND" },
	{ CLONE_PIDFD, "CLONE_PIDFD" },
	{ CLONE_PTRACE, "CLONE_PTRACE" },
	{ CLONE_VFORK, "CLONE_VFORK" },
	{ CLONE_PARENT, "CLONE_PARENT" },
	{ CLONE_THREAD, "CLONE_THREAD" },
	{ CLONE_NEWNS, "CLONE_NEWNS" },
	{ CLONE_SYSVSEM, "CLONE_SYSVSEM" },
	{ CLONE_SETTLS, "CLONE_SETTLS" },
	{ CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" },
	{ CLONE_DETACHED, "CLONE_DETACHED" },
	{ CLONE_UNTRACED, "CLONE_UNTRACED" },
	{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" },
	{ CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS" },
	{ CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" },
	{ CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNET, "CLONE_NEWNET" },
	{ CLONE_IO, "CLONE_IO" },
	{ CLONE_CLEAR_SIGHAND, "CLONE_CLEAR_SIGHAND" },
	{ CLONE_INTO_CGROUP, "CLONE_INTO_CGROUP" },
};

size_t clone_flags_str(char *buf, size_t cap, uint64_t flags, int exit_signal)
{
	size_t len = 0;
	char tmp[32];

	if (!cap)
		return 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof(clone_flag_names) / sizeof(clone_flag_names[0]); i++) {
		if (flags & clone_flag_names[i].bit) {
			len = append(buf, cap, len, clone_flag_names[i].name);
			flags &= ~clone_flag_names[i].bit;
		}
	}
	if (flags) {
		snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)flags);
		len = append(buf, cap, len, tmp);
	}
	/* As strace shows clone(2): the signal sent to the parent at exit. */
	if (exit_signal > 0)
		len = append(buf, cap, len, signal_name(exit_signal, tmp, sizeof(tmp)));
	if (!len)
		len = append(buf, cap, len, "0");
	return len < cap ? len : cap - 1;
}
