/* path_assemble on whatever the kernel might send: parts, len and nparts
 * that disagree, any dirs flag, and small output buffers.  The output
 * buffer is allocated at exactly cap bytes so ASan sees any overflow. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/path.h"

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, big_cap, n_big, n_small, len, first;
	unsigned int nparts;
	bool dirs;
	char *parts, *big, *small;

	if (size < 3)
		return 0;
	/* byte 0: cap (0..255, mostly small); byte 1: nparts; byte 2: dirs. */
	cap = data[0];
	nparts = data[1] == 0xff ? 100000 : data[1];
	dirs = data[2] & 1;
	len = size - 3;
	/* An exact-size copy: reading past len is caught too. */
	parts = malloc(len ? len : 1);
	memcpy(parts, data + 3, len);

	/* Every part adds at most itself and one '/', plus a final '/'. */
	big_cap = 2 * len + 3;
	big = malloc(big_cap);
	n_big = path_assemble(big, big_cap, parts, len, nparts, dirs);
	if (n_big >= big_cap)
		FAIL("result of %zu bytes from %zu input bytes", n_big, len);
	/* Parts are split at NULs, so the result holds none but the last. */
	if (big[n_big] != 0 || strlen(big) != n_big)
		FAIL("not NUL-terminated at its length");

	small = malloc(cap);   /* malloc(0) too: any access is reported */
	n_small = path_assemble(small, cap, parts, len, nparts, dirs);
	if (n_small != n_big)
		FAIL("length %zu with cap %zu, %zu with room", n_small, cap, n_big);
	if (cap) {
		size_t kept = n_small < cap ? n_small : cap - 1;

		if (small[kept] != 0 || memcmp(small, big, kept))
			FAIL("cut result is not the start of the whole one");
	}

	/* Without dirs (or nothing to add) it is the first part as given. */
	first = 0;
	while (first < len && parts[first])
		first++;
	if (nparts && len && !dirs && (n_big != first || memcmp(big, parts, first)))
		FAIL("without dirs the result must be the first part");
	if (nparts && len && dirs && (n_big == 0 || big[0] != '/'))
		FAIL("with dirs the result must be absolute");
	if ((!nparts || !len) && n_big != 0)
		FAIL("no parts must give an empty result");

	free(small);
	free(big);
	free(parts);
	return 0;
}
