/* opensnoop's print function on arbitrary records.  The kernel is trusted,
 * but a record it sends must never crash us: sizes shorter than the
 * parts, path_len larger than the record, a parts count that lies.
 *
 * The first input byte picks the options (-e, -j, -T, -U: parsed by the
 * real option parser once, at start-up); the rest is the record, copied
 * into an allocation of exactly its size, as the ring buffer hands it to
 * the runner.  Records shorter than the tracer's min_event_size are
 * dropped by the runner (handle_event in core/trace.c) before print is
 * called, so they are dropped here too.  Each record must print as one
 * valid JSON Lines object (-j) or one table line without control bytes. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/options.h"
#include "core/tool.h"
#include "json_check.h"

extern const struct snoop_tool snoop_tool_opensnoop;

#define NCONF 16
static struct snoop_run runs[NCONF];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct snoop_tool *tool = &snoop_tool_opensnoop;

	for (int c = 0; c < NCONF; c++) {
		char *args[8];
		int n = 0;

		args[n++] = "opensnoop";
		if (c & 1)
			args[n++] = "-e";
		if (c & 2)
			args[n++] = "-j";
		if (c & 4)
			args[n++] = "-T";
		if (c & 8)
			args[n++] = "-U";
		args[n] = NULL;
		runs[c].tool = tool;
		runs[c].tool_state = calloc(1, tool->state_size ? tool->state_size : 1);
		snoop_parse_args(tool, n, args, &runs[c].cfg, runs[c].tool_state);
		runs[c].start_ns = 1000000000ULL;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct snoop_tracer *tr = snoop_tool_opensnoop.tracer;
	struct snoop_run *run;
	char *buf = NULL;
	size_t len = 0;
	void *rec;
	FILE *f;

	if (size < 1)
		return 0;
	run = &runs[data[0] % NCONF];
	data++, size--;
	if (size < tr->min_event_size)
		return 0;
	rec = malloc(size);
	memcpy(rec, data, size);

	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	output_init(&run->out, f, run->cfg.json);
	if (tr->print(run, rec, size) < 0)
		abort();
	if (!output_flush(&run->out) || fclose(f))
		abort();

	if (run->cfg.json) {
		if (!jc_json_line((const unsigned char *)buf, len)) {
			fprintf(stderr, "not one JSON Lines record: %.*s\n", (int)len, buf);
			abort();
		}
	} else {
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)buf[i] < 0x20 && !(buf[i] == '\n' && i == len - 1)) {
				fprintf(stderr, "control byte 0x%02x at %zu in a table line\n",
					buf[i], i);
				abort();
			}
		if (!len || buf[len - 1] != '\n') {
			fprintf(stderr, "table line without its newline\n");
			abort();
		}
	}
	free(buf);
	free(rec);
	return 0;
}
