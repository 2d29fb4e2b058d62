#include <string.h>
#include "core/path.h"

static void put(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
	if (*pos < cap) {
		size_t room = cap - *pos;

		memcpy(out + *pos, s, n < room ? n : room);
	}
	*pos += n;
}

size_t path_assemble(char *out, size_t cap, const char *parts, size_t len,
		     unsigned int nparts, bool dirs)
{
	const char *starts[256];
	size_t lens[256];
	unsigned int n = 0;
	size_t pos = 0;

	/* Split, never trusting len or nparts to agree with the bytes. */
	for (size_t off = 0; off < len && n < nparts && n < 256; n++) {
		const char *end = memchr(parts + off, 0, len - off);
		size_t l = end ? (size_t)(end - (parts + off)) : len - off;

		starts[n] = parts + off;
		lens[n] = l;
		off += l + 1;
	}
	if (n == 0) {
		if (cap)
			out[0] = 0;
		return 0;
	}
	if (dirs && !(lens[0] && starts[0][0] == '/')) {
		for (unsigned int i = n - 1; i >= 1; i--) {
			put(out, cap, &pos, "/", 1);
			put(out, cap, &pos, starts[i], lens[i]);
		}
		/* "." (or nothing) as the whole path names the directory itself. */
		if (lens[0] == 0 || (lens[0] == 1 && starts[0][0] == '.')) {
			if (n == 1)
				put(out, cap, &pos, "/", 1);
		} else {
			put(out, cap, &pos, "/", 1);
			put(out, cap, &pos, starts[0], lens[0]);
		}
	} else {
		put(out, cap, &pos, starts[0], lens[0]);
	}
	if (cap)
		out[pos < cap ? pos : cap - 1] = 0;
	return pos;
}
