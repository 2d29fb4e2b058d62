/* execsnoop: user side.  One line per exec, when it returns. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/names.h"
#include "core/options.h"
#include "core/shquote.h"
#include "core/tool.h"
#include "tools/execsnoop/execsnoop.h"
#include "execsnoop.skel.h"

struct execsnoop_opts {
	const char *line;       /* -l: the argument line must contain this */
	bool quote;
	unsigned long max_args;
};

enum { EXECSNOOP_KEY_MAX_ARGS = 0x2000 };

static const struct argp_option execsnoop_options[] = {
	{ "fails", 'x', NULL, 0, "Show failed execs only", 1 },
	{ "failed", 0, NULL, OPTION_ALIAS, NULL, 1 },
	{ "line", 'l', "TEXT", 0, "Show execs whose argument line contains TEXT", 1 },
	{ "quote", 'q', NULL, 0,
	  "Quote arguments for the shell where they need it ('a b', $'a\\nb')", 2 },
	{ "max-args", EXECSNOOP_KEY_MAX_ARGS, "N", 0,
	  "Capture at most N arguments (default 20, at most 4096)", 2 },
	{ "time", 'T', NULL, 0, "Print seconds since tracing started", 2 },
	{ "timestamp", 0, NULL, OPTION_ALIAS, NULL, 2 },
	{ 0 },
};

static error_t execsnoop_parse(int key, char *arg, struct argp_state *st)
{
	struct execsnoop_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case ARGP_KEY_INIT:
		o->max_args = EXECSNOOP_DEFAULT_MAX_ARGS;
		return 0;
	case 'l':
		if (!*arg)
			argp_error(st, "invalid --line '': give the text the argument line must contain");
		o->line = arg;
		return 0;
	case 'q':
		o->quote = true;
		return 0;
	case EXECSNOOP_KEY_MAX_ARGS:
		o->max_args = option_ulong(st, "--max-args", arg, 1, EXECSNOOP_MAX_ARGS_LIMIT);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const void *execsnoop_object(const struct snoop_run *run, size_t *size)
{
	((struct snoop_run *)run)->needs_kernel_btf = true;
	return execsnoop_bpf__elf_bytes(size);
}

static int execsnoop_configure(struct snoop_run *run, struct bpf_object *obj)
{
	const struct execsnoop_opts *o = run->tool_state;
	__u32 max_args = o->max_args;
	int err = snoop_rodata_set(obj, "execsnoop_max_args", &max_args, sizeof(max_args));

	if (err)
		snoop_err("cannot set --max-args in the BPF object: %s", strerror(-err));
	return err;
}

static const struct snoop_column *execsnoop_columns(const struct snoop_run *run)
{
	static const struct snoop_column cols[] = {
		{ "PCOMM", -16 }, { "PID", -7 }, { "PPID", -7 }, { "RET", 3 }, { "ARGS", 0 },
		{ NULL },
	};
	return cols;
}

/* The arguments as one table cell: words joined by spaces, quoted or
 * escaped, and "..." when the kernel could not capture them all. */
static char *execsnoop_args_text(const char *args, size_t len, unsigned count, bool quote,
				 bool truncated)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	const char *p = args;

	if (!f)
		return NULL;
	for (unsigned i = 0; i < count && p < args + len; i++) {
		size_t n = strnlen(p, args + len - p);

		if (i)
			fputc(' ', f);
		if (quote) {
			size_t need = shell_quote(NULL, 0, p, n);
			char *q = malloc(need + 1);

			if (q) {
				shell_quote(q, need + 1, p, n);
				fputs(q, f);
				free(q);
			}
		} else {
			output_table_string(f, p, n);
		}
		p += n + 1;
	}
	if (truncated)
		fputs(count ? " ..." : "...", f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* -l looks at the arguments joined by spaces, as a person reads them. */
static bool execsnoop_line_matches(const char *needle, const char *args, size_t len)
{
	char *line = malloc(len + 1);
	bool hit;

	if (!line)
		return true;
	memcpy(line, args, len);
	line[len] = 0;
	for (size_t i = 0; i + 1 < len; i++)
		if (!line[i])
			line[i] = ' ';
	hit = memmem(line, len, needle, strlen(needle)) != NULL;
	free(line);
	return hit;
}

static int execsnoop_print(struct snoop_run *run, const void *data, size_t size)
{
	const struct execsnoop_opts *o = run->tool_state;
	const struct execsnoop_event *e = data;
	const char *args = (const char *)(e + 1);
	size_t len = e->args_len;
	struct output *out = &run->out;
	bool truncated = e->args_flags != 0;
	char errbuf[16];

	if (len > size - sizeof(*e))
		len = size - sizeof(*e);
	if (o->line && !execsnoop_line_matches(o->line, args, len))
		return 0;

	snoop_event_begin(run, &e->hdr);
	output_bytes(out, "comm", -16, e->hdr.comm, strnlen(e->hdr.comm, sizeof(e->hdr.comm)));
	output_uint(out, "pid", -7, e->hdr.pid);
	output_uint(out, "tid", OUT_JSON_ONLY, e->hdr.tid);
	output_uint(out, "ppid", -7, e->ppid);
	output_uint(out, "uid", OUT_JSON_ONLY, e->hdr.uid);
	output_int(out, "ret", 3, e->ret);
	if (out->json) {
		if (e->ret < 0)
			output_str(out, "err", 0, errno_name(-e->ret, errbuf, sizeof(errbuf)));
		else
			output_null(out, "err", 0, "");
		output_array_begin(out, "args");
		for (const char *p = args; p < args + len;) {
			size_t n = strnlen(p, args + len - p);

			output_array_bytes(out, p, n);
			p += n + 1;
		}
		output_array_end(out);
		output_bool(out, "args_truncated", 0, truncated);
	} else {
		char *text = execsnoop_args_text(args, len, e->args_count, o->quote, truncated);

		output_table_text(out, "args", 0, text ? text : "?");
		free(text);
	}
	output_record_end(out);
	return 0;
}

static const struct snoop_hook execsnoop_tracepoint_hooks[] = {
	{ "execsnoop_tp_enter_execve", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_execve" },
	{ "execsnoop_tp_exit_execve", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_execve" },
	{ "execsnoop_tp_enter_execveat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_enter_execveat", true },
	{ "execsnoop_tp_exit_execveat", SNOOP_HOOK_TRACEPOINT, "syscalls/sys_exit_execveat", true },
	{ "execsnoop_tp_exec", SNOOP_HOOK_TRACEPOINT, "sched/sched_process_exec" },
	{ NULL },
};

static const struct snoop_hook execsnoop_raw_tp_hooks[] = {
	{ "execsnoop_raw_enter", SNOOP_HOOK_RAW_TP, "sys_enter" },
	{ "execsnoop_raw_exit", SNOOP_HOOK_RAW_TP, "sys_exit" },
	{ "execsnoop_raw_exec", SNOOP_HOOK_RAW_TP, "sched_process_exec" },
	{ NULL },
};

static const struct snoop_variant execsnoop_variants[] = {
	{ "tracepoint", execsnoop_tracepoint_hooks },
	{ "raw_tp", execsnoop_raw_tp_hooks },
	{ NULL },
};

static const struct snoop_tracer execsnoop_tracer = {
	.object = execsnoop_object,
	.variants = execsnoop_variants,
	.configure = execsnoop_configure,
	.columns = execsnoop_columns,
	.print = execsnoop_print,
	.min_event_size = sizeof(struct execsnoop_event),
};

static const struct snoop_object execsnoop_objects[] = {
	{ "execsnoop", execsnoop_bpf__elf_bytes },
	{ NULL },
};

const struct snoop_tool snoop_tool_execsnoop = {
	.name = "execsnoop",
	.summary = "Trace every exec (execve, execveat) with its arguments",
	.doc = "Trace execve(2) and execveat(2) system-wide: one line per call, when it returns."
	       "\vRET is 0 or -errno.  ARGS are the arguments the caller passed, captured at "
	       "the call; \"...\" at the end (args_truncated in JSON) means some were cut: "
	       "more than --max-args, an argument longer than 8 KiB, or more than 16 KiB "
	       "in all.  -n matches the new program's name (PCOMM).  -T prints seconds since "
	       "tracing started, as in every snoopbox tool, not the wall-clock time."
	       "\n\nExamples:\n"
	       "  execsnoop              trace every exec\n"
	       "  execsnoop -x           failed execs only\n"
	       "  execsnoop -n ssh -q    execs of commands whose name contains \"ssh\", quoted\n"
	       "  execsnoop -l --color   execs whose argument line contains \"--color\"\n"
	       "  execsnoop -j           JSON Lines: args as an array of strings",
	.options = execsnoop_options,
	.parse = execsnoop_parse,
	.common = SNOOP_OPTS_TRACER & ~SNOOP_OPT_TIMESTAMP,
	.tracer = &execsnoop_tracer,
	.state_size = sizeof(struct execsnoop_opts),
	.objects = execsnoop_objects,
};
