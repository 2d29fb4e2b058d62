#ifndef SNOOP_CGROUP_H
#define SNOOP_CGROUP_H

#include <stddef.h>
#include <linux/types.h>

/* Where cgroup2 is mounted, from /proc/self/mountinfo (never assumed). */
int cgroup2_mount_point(char *buf, size_t cap);
/* Resolve a cgroup2 directory, given as a path under the mount or as a
 * path relative to the cgroup2 root ("/", "/system.slice"), to its id and
 * its depth below the root.  On failure writes one line to err. */
int cgroup2_resolve(const char *path, __u64 *id, __u32 *level, char *err, size_t errcap);

#endif
