/* seccomp: what the kernel program and user space share. */
#ifndef SNOOP_SECCOMP_H
#define SNOOP_SECCOMP_H

/* Syscall numbers below this are counted one by one: every native table
 * Linux has today ends below 500.  Anything else (x32's numbers, which
 * carry bit 30, or a bogus number) lands in the extra slot SECCOMP_NR_MAX,
 * reported as a warning, never allowed. */
#define SECCOMP_NR_MAX 1024
#define SECCOMP_SLOTS (SECCOMP_NR_MAX + 1)

#endif
