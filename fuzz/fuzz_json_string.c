/* output_json_string must always write one valid JSON string that decodes
 * back to the input, with exactly the ill-formed bytes replaced by U+FFFD,
 * and must say whether it replaced any. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/output.h"
#include "json_check.h"

/* The input with each ill-formed byte replaced by U+FFFD (EF BF BD). */
static size_t expected(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t l = jc_utf8(in + i, n - i);

		if (!l) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, in + i, l);
		o += l;
		i += l;
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = NULL;
	size_t len = 0, pos = 0, declen = 0, wantlen;
	unsigned char *dec, *want;
	bool replaced;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	replaced = output_json_string(f, data, size);
	if (fclose(f))
		abort();

	dec = malloc(len * 4 + 1);
	want = malloc(size * 3 + 1);
	if (!jc_string((const unsigned char *)buf, len, &pos, dec, &declen) || pos != len) {
		fprintf(stderr, "not one valid JSON string: %.*s\n", (int)len, buf);
		abort();
	}
	wantlen = expected(data, size, want);
	if (declen != wantlen || memcmp(dec, want, declen)) {
		fprintf(stderr, "decodes to something else than the input\n");
		abort();
	}
	if (replaced != !jc_all_utf8(data, size)) {
		fprintf(stderr, "return value %d is wrong\n", replaced);
		abort();
	}
	free(dec);
	free(want);
	free(buf);
	return 0;
}
