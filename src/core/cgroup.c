#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include "core/cgroup.h"

#define CGROUP2_MAGIC 0x63677270

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = 0;
}

int cgroup2_mount_point(char *buf, size_t cap)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char *line = NULL;
	size_t len = 0;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (getline(&line, &len, f) > 0) {
		char mnt[PATH_MAX], fstype[64];
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(sep, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		unescape_octal(mnt);
		if (strlen(mnt) >= cap) {
			err = -ENAMETOOLONG;
			break;
		}
		strcpy(buf, mnt);
		err = 0;
		break;
	}
	free(line);
	fclose(f);
	return err;
}

int cgroup2_resolve(const char *path, __u64 *id, __u32 *level, char *err, size_t errcap)
{
	char mnt[PATH_MAX], joined[PATH_MAX * 2], real[PATH_MAX];
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64) };
	struct statfs sfs;
	int mount_id;
	size_t mlen;

	if (cgroup2_mount_point(mnt, sizeof(mnt))) {
		snprintf(err, errcap, "no cgroup2 file system is mounted (see /proc/self/mountinfo)");
		return -1;
	}
	mlen = strlen(mnt);
	/* A path under the mount is used as is; anything else is read as a
	 * path relative to the cgroup2 root, as /proc/PID/cgroup prints it. */
	if (!strncmp(path, mnt, mlen) && (path[mlen] == '/' || path[mlen] == 0))
		snprintf(joined, sizeof(joined), "%s", path);
	else
		snprintf(joined, sizeof(joined), "%s/%s", mnt, path);
	if (!realpath(joined, real) || statfs(real, &sfs) || sfs.f_type != CGROUP2_MAGIC ||
	    strncmp(real, mnt, mlen) || (real[mlen] != '/' && real[mlen] != 0)) {
		snprintf(err, errcap, "'%s' is not a cgroup v2 directory (cgroup2 is mounted at %s)",
			 path, mnt);
		return -1;
	}
	if (name_to_handle_at(AT_FDCWD, real, &h.fh, &mount_id, 0)) {
		snprintf(err, errcap, "cannot read the id of cgroup '%s': %s", real, strerror(errno));
		return -1;
	}
	*id = h.id;
	*level = 0;
	for (const char *p = real + mlen; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			(*level)++;
	return 0;
}
