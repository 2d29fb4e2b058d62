/* The object reader on arbitrary files: every byte of a BPF ELF object
 * may lie (offsets, sizes, counts, string offsets, BTF, .BTF.ext records,
 * relocations, instructions).  Seeds are snoopbox's own objects.
 *
 * Checks: no crash or sanitizer report; a rejected file prints nothing on
 * stdout; an accepted one prints exactly one valid JSON document (with
 * the disassembly) and, for odd-sized inputs, the text report too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/objinfo.h"
#include "core/output.h"
#include "json_check.h"

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *doc = NULL;
	size_t len = 0;
	struct output out;
	FILE *m;
	int ret;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	m = open_memstream(&doc, &len);
	if (!m)
		return 0;
	output_init(&out, m, true);
	ret = objinfo_print_named(data, size, "fuzz", &out, OBJINFO_DISASM);
	fclose(m);
	if (ret && len)
		FAIL("rejected input, but %zu bytes of output", len);
	if (!ret && !jc_json_line((const unsigned char *)doc, len))
		FAIL("accepted input gave invalid JSON: %.300s", doc);
	free(doc);
	if (!ret && (size & 1)) {
		output_init(&out, devnull, false);
		objinfo_print_named(data, size, "fuzz", &out, OBJINFO_DISASM);
	}
	return 0;
}
