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

#endif
