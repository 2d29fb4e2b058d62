#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "core/output.h"
#include "core/shquote.h"

/* Characters no POSIX shell treats specially anywhere in a word. */
static bool shell_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_@%+=:,./-", c) != NULL;
}

struct sink {
	char *buf;
	size_t cap, len;
};

static void put(struct sink *k, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, k->len++)
		if (k->len + 1 < k->cap)
			k->buf[k->len] = s[i];
}

size_t shell_quote(char *buf, size_t cap, const void *s, size_t n)
{
	const unsigned char *p = s;
	struct sink k = { buf, cap, 0 };
	bool plain = n > 0, printable = true;

	for (size_t i = 0; i < n;) {
		size_t len = p[i] < 0x80 ? 1 : utf8_sequence_len(p + i, n - i);

		if (!shell_safe(p[i]))
			plain = false;
		if (!len || p[i] < 0x20 || p[i] == 0x7f) {
			printable = false;
			len = 1;
		}
		i += len;
	}
	if (plain) {
		put(&k, s, n);
	} else if (printable) {
		put(&k, "'", 1);
		for (size_t i = 0; i < n; i++)
			if (p[i] == '\'')
				put(&k, "'\\''", 4);
			else
				put(&k, (const char *)p + i, 1);
		put(&k, "'", 1);
	} else {
		put(&k, "$'", 2);
		for (size_t i = 0; i < n;) {
			size_t len = p[i] < 0x80 ? 1 : utf8_sequence_len(p + i, n - i);
			char esc[8];

			if (p[i] == '\n')
				put(&k, "\\n", 2);
			else if (p[i] == '\t')
				put(&k, "\\t", 2);
			else if (p[i] == '\r')
				put(&k, "\\r", 2);
			else if (p[i] == '\\' || p[i] == '\'')
				put(&k, (char[]){ '\\', (char)p[i] }, 2);
			else if (!len || p[i] < 0x20 || p[i] == 0x7f) {
				snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
				put(&k, esc, 4);
				len = 1;
			} else {
				put(&k, (const char *)p + i, len);
			}
			i += len ? len : 1;
		}
		put(&k, "'", 1);
	}
	if (cap)
		buf[k.len < cap ? k.len : cap - 1] = 0;
	return k.len;
}
