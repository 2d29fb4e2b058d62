#ifndef SNOOP_PATH_H
#define SNOOP_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Assemble a path from parts sent by the kernel: parts[0] is a path as a
 * program passed it; with dirs set, the following parts are the names of
 * the directories it is relative to, innermost first, with "/" above the
 * last (none at all: relative to "/").  The parts are NUL-terminated
 * strings packed in len bytes.  Without dirs, or when parts[0] is
 * absolute, the result is parts[0] alone.  Writes at most cap
 * bytes (always NUL-terminated when cap > 0); returns the length of the
 * whole result, like snprintf, so a result >= cap means it was cut. */
size_t path_assemble(char *out, size_t cap, const char *parts, size_t len,
		     unsigned int nparts, bool dirs);

#endif
