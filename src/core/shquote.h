/* Shell quoting, so that a printed command line can be pasted back. */
#ifndef SNOOP_SHQUOTE_H
#define SNOOP_SHQUOTE_H

#include <stddef.h>

/* Append s (n bytes) to buf as one shell word: as it is when it needs no
 * quoting, in '...' when it has only printable text, and in bash's $'...'
 * with \n, \xHH escapes when it holds control bytes or invalid UTF-8.
 * Writes at most cap-1 bytes and a NUL; returns the length it needed, as
 * snprintf does. */
size_t shell_quote(char *buf, size_t cap, const void *s, size_t n);

#endif
