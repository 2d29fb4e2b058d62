/* exitsnoop: user side.  One line per process exit (or thread exit). */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/names.h"
#include "core/options.h"
#include "core/tool.h"
#include "tools/exitsnoop/exitsnoop.h"
#include "exitsnoop.skel.h"

struct exitsnoop_opts {
	bool threads;
};

enum { EXITSNOOP_KEY_THREADS = 0x2000 };

static const struct argp_option exitsnoop_options[] = {
	{ "threads", EXITSNOOP_KEY_THREADS, NULL, 0,
	  "Show every thread's exit, not only the end of each process", 1 },
	{ 0 },
};

static error_t exitsnoop_parse(int key, char *arg, struct argp_state *st)
{
	struct exitsnoop_opts *o = snoop_parse_tool_state(st);

	if (key == EXITSNOOP_KEY_THREADS) {
		o->threads = true;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const void *exitsnoop_object(const struct snoop_run *run, size_t *size)
{
	((struct snoop_run *)run)->needs_kernel_btf = true;
	return exitsnoop_bpf__elf_bytes(size);
}

static int exitsnoop_configure(struct snoop_run *run, struct bpf_object *obj)
{
	const struct exitsnoop_opts *o = run->tool_state;
	__u32 threads = o->threads;
	int err = snoop_rodata_set(obj, "exitsnoop_threads", &threads, sizeof(threads));

	if (err)
		snoop_err("cannot set --threads in the BPF object: %s", strerror(-err));
	return err;
}

static const struct snoop_column *exitsnoop_columns(const struct snoop_run *run)
{
	static const struct snoop_column cols[] = {
		{ "PCOMM", -16 }, { "PID", -7 }, { "PPID", -7 }, { "TID", -7 }, { "AGE(s)", -7 },
		{ "EXIT_CODE", 0 }, { NULL },
	};
	return cols;
}

static int exitsnoop_print(struct snoop_run *run, const void *data, size_t size)
{
	const struct exitsnoop_event *e = data;
	struct output *out = &run->out;
	int sig = e->status & 0x7f;
	char text[64], name[32];

	snoop_event_begin(run, &e->hdr);
	output_bytes(out, "comm", -16, e->hdr.comm, strnlen(e->hdr.comm, sizeof(e->hdr.comm)));
	output_uint(out, "pid", -7, e->hdr.pid);
	output_uint(out, "ppid", -7, e->ppid);
	output_uint(out, "tid", -7, e->hdr.tid);
	output_uint(out, "uid", OUT_JSON_ONLY, e->hdr.uid);
	output_double(out, "age", -7, out->json ? 6 : 2, e->age_ns / 1e9);
	if (out->json) {
		output_int(out, "exit_code", 0, (e->status >> 8) & 0xff);
		if (sig)
			output_str(out, "signal", 0, signal_name(sig, name, sizeof(name)));
		else
			output_null(out, "signal", 0, "");
		output_bool(out, "core_dumped", 0, e->status & 0x80);
		output_bool(out, "process_exit", 0, e->process_exit);
	} else {
		exit_status_str(text, sizeof(text), e->status);
		output_str(out, "exit_code", 0, text);
	}
	output_record_end(out);
	return 0;
}

static const struct snoop_hook exitsnoop_tracepoint_hooks[] = {
	{ "exitsnoop_tp_exit", SNOOP_HOOK_TRACEPOINT, "sched/sched_process_exit" },
	{ NULL },
};

static const struct snoop_hook exitsnoop_raw_tp_hooks[] = {
	{ "exitsnoop_raw_exit", SNOOP_HOOK_RAW_TP, "sched_process_exit" },
	{ NULL },
};

static const struct snoop_variant exitsnoop_variants[] = {
	{ "tracepoint", exitsnoop_tracepoint_hooks },
	{ "raw_tp", exitsnoop_raw_tp_hooks },
	{ NULL },
};

static const struct snoop_tracer exitsnoop_tracer = {
	.object = exitsnoop_object,
	.variants = exitsnoop_variants,
	.configure = exitsnoop_configure,
	.columns = exitsnoop_columns,
	.print = exitsnoop_print,
	.min_event_size = sizeof(struct exitsnoop_event),
	.needs_timestamps = true,  /* the kernel side computes each process's age */
};

static const struct snoop_object exitsnoop_objects[] = {
	{ "exitsnoop", exitsnoop_bpf__elf_bytes },
	{ NULL },
};

const struct snoop_tool snoop_tool_exitsnoop = {
	.name = "exitsnoop",
	.summary = "Trace process exits with their age and exit status",
	.doc = "Trace every process exit (with --threads, every thread exit)."
	       "\vEXIT_CODE is what the parent's wait() sees: 0, \"code 3\", \"signal 9 "
	       "(SIGKILL)\", \"signal 11 (SIGSEGV), core dumped\".  AGE is the time since the "
	       "process started (the thread, with --threads).  TID is the thread that exited "
	       "last.  -x shows non-zero codes and signals only."
	       "\n\nExamples:\n"
	       "  exitsnoop             trace every process exit\n"
	       "  exitsnoop -x          failures and kills only\n"
	       "  exitsnoop --threads   every thread too\n"
	       "  exitsnoop -j          JSON Lines: exit_code, signal, core_dumped",
	.options = exitsnoop_options,
	.parse = exitsnoop_parse,
	.common = SNOOP_OPTS_TRACER | SNOOP_OPT_FAILED,
	.tracer = &exitsnoop_tracer,
	.state_size = sizeof(struct exitsnoop_opts),
	.objects = exitsnoop_objects,
};
