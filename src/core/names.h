/* Numbers as people read them. */
#ifndef SNOOP_NAMES_H
#define SNOOP_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* open(2) flags as "O_WRONLY|O_CREAT|O_CLOEXEC"; unknown bits as hex.
 * Returns the length written (truncated to cap-1). */
size_t open_flags_str(char *buf, size_t cap, uint64_t flags);
/* "ENOENT", or "E123" for a number glibc has no name for. */
const char *errno_name(int err, char *buf, size_t cap);
/* "SIGKILL", "SIGRTMIN+3", or "SIG99" for a number glibc has no name for. */
const char *signal_name(int sig, char *buf, size_t cap);
/* A wait(2) status as a person writes it: "0", "code 3", "signal 9
 * (SIGKILL)", "signal 11 (SIGSEGV), core dumped".  Returns the length. */
size_t exit_status_str(char *buf, size_t cap, int status);
/* clone(2)/clone3(2) flags as "CLONE_VM|CLONE_THREAD|..."; unknown bits as
 * hex; then the exit signal when there is one, as strace shows it ("SIGCHLD"
 * alone for fork).  "0" when nothing is set.  flags must not hold clone(2)'s
 * CSIGNAL byte (pass it as exit_signal).  Returns the length. */
size_t clone_flags_str(char *buf, size_t cap, uint64_t flags, int exit_signal);

#endif
