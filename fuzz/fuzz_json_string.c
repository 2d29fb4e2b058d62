/* output_json_string must always write one valid JSON string that decodes
 * back to the input, with exactly the ill-formed bytes replaced by U+FFFD,
 * and must say whether it replaced any.  The same input through
 * output_table_string must give one line of valid UTF-8 without control
 * bytes that unescapes back to the input exactly. */
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

/* Undo output_table_string; false if t is not something it writes. */
static bool table_unescape(const unsigned char *t, size_t n, unsigned char *out, size_t *outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (t[i] < 0x20 || t[i] == 0x7f)
			return false;
		if (t[i] != '\\') {
			out[o++] = t[i];
			continue;
		}
		if (i + 1 >= n)
			return false;
		if (t[i + 1] == '\\' || t[i + 1] == 'n' || t[i + 1] == 't') {
			out[o++] = t[i + 1] == 'n' ? '\n' : t[i + 1] == 't' ? '\t' : '\\';
			i++;
		} else if (t[i + 1] == 'x' && i + 3 < n && jc_hex(t[i + 2]) >= 0 &&
			   jc_hex(t[i + 3]) >= 0) {
			out[o++] = jc_hex(t[i + 2]) << 4 | jc_hex(t[i + 3]);
			i += 3;
		} else {
			return false;
		}
	}
	*outlen = o;
	return true;
}

static void check_table(const uint8_t *data, size_t size)
{
	char *buf = NULL;
	size_t len = 0, outlen = 0;
	unsigned char *out;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	output_table_string(f, data, size);
	if (fclose(f))
		abort();
	out = malloc(len + 1);
	if (!jc_all_utf8((const unsigned char *)buf, len) ||
	    !table_unescape((const unsigned char *)buf, len, out, &outlen) ||
	    outlen != size || memcmp(out, data, size)) {
		fprintf(stderr, "bad table text: %.*s\n", (int)len, buf);
		abort();
	}
	free(out);
	free(buf);
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
	check_table(data, size);
	return 0;
}
