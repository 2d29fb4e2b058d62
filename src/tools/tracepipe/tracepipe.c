/* tracepipe: stream the kernel trace pipe, where bpf_printk() output and
 * any enabled trace events go, with filters and a parsed JSON form. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/options.h"
#include "core/tool.h"
#include "core/tracepipe.h"

struct tracepipe_run {
	struct output out;
	const struct snoop_filter *filter;
};

static error_t tracepipe_parse_opt(int key, char *arg, struct argp_state *st)
{
	if (key == ARGP_KEY_ARG)
		argp_error(st, "unexpected argument '%s': tracepipe takes options only", arg);
	return ARGP_ERR_UNKNOWN;
}

static bool comm_matches(const struct tracepipe_line *l, const struct snoop_filter *f)
{
	if (!f->comm_len)
		return true;
	return memmem(l->comm, l->comm_len, f->comm, f->comm_len) != NULL;
}

static int tracepipe_line(void *ctx, const char *line, size_t len)
{
	struct tracepipe_run *r = ctx;
	const struct snoop_filter *f = r->filter;
	struct tracepipe_line l;
	unsigned long long lost;
	int cpu;

	if (tracepipe_parse(line, len, &l)) {
		/* The kernel writes the thread's ID; the process ID only with the
		 * record-tgid option, so -p matches either. */
		if (f->tgid && (__u32)l.pid != f->tgid && (__u32)l.tgid != f->tgid)
			return 0;
		if (!comm_matches(&l, f))
			return 0;
		tracepipe_output(&r->out, &l, line, len);
	} else if (tracepipe_parse_lost(line, len, &cpu, &lost)) {
		/* Lines lost are lost for every filter: always say so. */
		output_record_begin(&r->out);
		if (r->out.json) {
			output_uint(&r->out, "lost_events", 0, lost);
			output_int(&r->out, "cpu", 0, cpu);
		} else {
			output_bytes(&r->out, "line", 0, line, len);
		}
		output_record_end(&r->out);
	} else if (!f->tgid && !f->comm_len) {
		output_record_begin(&r->out);
		output_bytes(&r->out, "raw", 0, line, len);
		output_record_end(&r->out);
	}
	return r->out.failed ? -EPIPE : 0;
}

static int tracepipe_main(int argc, char **argv)
{
	extern const struct snoop_tool snoop_tool_tracepipe;
	struct tracepipe tp = { .fd = -1 };
	struct tracepipe_run r = { 0 };
	struct snoop_config cfg;
	volatile int stop = 0;
	int status = SNOOP_EXIT_FAIL;
	__u64 deadline;

	snoop_parse_args(&snoop_tool_tracepipe, argc, argv, &cfg, NULL);
	r.filter = &cfg.filter;
	snoop_signals_install(&stop);
	if (tracepipe_open(&tp))
		return SNOOP_EXIT_FAIL;
	if (cfg.verbose)
		snoop_err("reading %s/trace_pipe", tp.dir);

	output_init(&r.out, stdout, cfg.json);
	deadline = cfg.duration > 0 ? snoop_now_ns() + (__u64)(cfg.duration * 1e9) : 0;
	while (!stop) {
		__u64 now = snoop_now_ns(), wait_ms = 200;
		int n;

		if (deadline && now >= deadline)
			break;
		if (deadline && (deadline - now) / 1000000 < wait_ms)
			wait_ms = (deadline - now) / 1000000 + 1;
		n = tracepipe_read(&tp, (int)wait_ms, tracepipe_line, &r);
		/* A reader that went away ends the run as Ctrl-C does. */
		if (n < 0 && r.out.failed)
			break;
		if (n < 0) {
			snoop_err("reading %s/trace_pipe failed: %s", tp.dir, strerror(-n));
			goto out;
		}
		if (n > 0 && !output_flush(&r.out))
			break;
	}
	output_flush(&r.out);
	status = SNOOP_EXIT_OK;
out:
	tracepipe_close(&tp);
	return status;
}

const struct snoop_tool snoop_tool_tracepipe = {
	.name = "tracepipe",
	.summary = "Stream the kernel trace pipe (bpf_printk output), filtered or as JSON",
	.doc = "Print the lines of the kernel trace pipe as they come: bpf_printk() output from "
	       "every BPF program, and any trace events someone enabled.  Reading consumes them: "
	       "another reader of the pipe does not see what this one printed."
	       "\vWith --json each line becomes {comm, pid, cpu, flags, timestamp, event, message}"
	       " (tgid too when the record-tgid trace option is on); lost-line notices become "
	       "{lost_events, cpu} and lines of another shape {raw}.  -p matches the thread ID "
	       "the kernel writes (and the tgid when present).  If tracefs is not mounted, it is "
	       "mounted for this run only, in a mount namespace of its own."
	       "\n\nExamples:\n"
	       "  tracepipe              everything, as the kernel writes it\n"
	       "  tracepipe -p 181       lines from task 181 only\n"
	       "  tracepipe -n nginx -j  lines from commands containing \"nginx\", as JSON Lines",
	.parse = tracepipe_parse_opt,
	.common = SNOOP_OPT_PID | SNOOP_OPT_NAME | SNOOP_OPT_JSON | SNOOP_OPT_DURATION |
		  SNOOP_OPT_VERBOSE,
	.main = tracepipe_main,
};
