/* The life of a tracing tool, written once: options, open, pick the attach
 * variant, load, attach, stream events, report losses, tear down. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/options.h"
#include "core/tool.h"

/* The ring buffer holds this much.  The reader mmaps it, so it counts in
 * our RSS once it has wrapped; 1 MiB keeps tens of thousands of records. */
#define SNOOP_RING_BYTES (1u << 20)
/* How long the reader sleeps at most: records sent without a wake-up (see
 * snoop_submit) wait at most this long. */
#define SNOOP_POLL_MS 10

const char *snoop_prog_name = "snoopbox";

void snoop_set_prog_name(const char *name)
{
	snoop_prog_name = name;
}

void snoop_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", snoop_prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int libbpf_print_verbose(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_print_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static const char *hook_kind_name(enum snoop_hook_kind k)
{
	switch (k) {
	case SNOOP_HOOK_TRACEPOINT: return "tracepoint";
	case SNOOP_HOOK_RAW_TP: return "raw_tp";
	case SNOOP_HOOK_KPROBE: return "kprobe";
	}
	return "?";
}

/* Whether this kernel has the hook.  Cheap checks only: a hook that passes
 * and still fails to attach is reported then. */
static bool hook_available(const struct snoop_hook *h, const char *tracefs)
{
	char path[512];

	switch (h->kind) {
	case SNOOP_HOOK_TRACEPOINT:
		if (!tracefs)
			return false;
		snprintf(path, sizeof(path), "%s/events/%s/id", tracefs, h->target);
		return access(path, F_OK) == 0;
	case SNOOP_HOOK_KPROBE:
		return access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0;
	case SNOOP_HOOK_RAW_TP:
		return true;
	}
	return false;
}

static bool variant_uses(const struct snoop_variant *v, enum snoop_hook_kind kind)
{
	for (const struct snoop_hook *h = v->hooks; h->prog; h++)
		if (h->kind == kind)
			return true;
	return false;
}

static bool variant_available(const struct snoop_variant *v, const char *tracefs)
{
	for (const struct snoop_hook *h = v->hooks; h->prog; h++)
		if (!h->optional && !hook_available(h, tracefs))
			return false;
	return true;
}

struct trace_state {
	struct snoop_run run;
	struct bpf_object *obj;
	struct bpf_link *links[32];
	int nlinks;
	struct ring_buffer *rb;
	bool tracefs_mounted;
	volatile int stop;
};

/* Pick the first variant this kernel supports (or the one the user named),
 * and turn off autoload for every program it does not use. */
static int select_variant(struct trace_state *ts)
{
	const struct snoop_tracer *tr = ts->run.tool->tracer;
	const struct snoop_variant *chosen = NULL;
	const char *tracefs = NULL;
	bool need_tracefs = false;

	for (const struct snoop_variant *v = tr->variants; v->name; v++)
		need_tracefs |= variant_uses(v, SNOOP_HOOK_TRACEPOINT);
	if (need_tracefs) {
		tracefs = snoop_tracefs(&ts->tracefs_mounted);
		if (ts->run.cfg.verbose && ts->tracefs_mounted)
			snoop_err("mounted tracefs at %s to find tracepoints; unmounted after attach",
				  tracefs);
	}

	for (const struct snoop_variant *v = tr->variants; v->name; v++) {
		if (ts->run.cfg.attach) {
			if (!strcmp(v->name, ts->run.cfg.attach))
				chosen = v;
		} else if (variant_available(v, tracefs)) {
			chosen = v;
		}
		if (chosen)
			break;
	}
	if (!chosen && ts->run.cfg.attach) {
		fprintf(stderr, "%s: unknown attach variant '%s'; this tool has:", snoop_prog_name,
			ts->run.cfg.attach);
		for (const struct snoop_variant *v = tr->variants; v->name; v++)
			fprintf(stderr, " %s", v->name);
		fputc('\n', stderr);
		return -SNOOP_EXIT_USAGE;
	}
	if (!chosen) {
		snoop_err("this kernel has none of the hooks this tool can use (%s)",
			  tracefs ? "tried tracepoints and raw tracepoints" :
			  "tracefs is not mounted and could not be mounted");
		return -SNOOP_EXIT_FAIL;
	}
	ts->run.variant = chosen;

	struct bpf_program *prog;
	bpf_object__for_each_program(prog, ts->obj) {
		const char *name = bpf_program__name(prog);
		bool used = false;

		for (const struct snoop_hook *h = chosen->hooks; h->prog; h++)
			if (!strcmp(h->prog, name))
				used = hook_available(h, tracefs) || !h->optional;
		bpf_program__set_autoload(prog, used);
	}
	return 0;
}

static int attach_variant(struct trace_state *ts)
{
	for (const struct snoop_hook *h = ts->run.variant->hooks; h->prog; h++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(ts->obj, h->prog);
		struct bpf_link *link;

		if (!prog || !bpf_program__autoload(prog)) {
			if (ts->run.cfg.verbose)
				snoop_err("skip: %s %s (not on this kernel)", hook_kind_name(h->kind),
					  h->target);
			continue;
		}
		if (ts->nlinks == (int)(sizeof(ts->links) / sizeof(ts->links[0]))) {
			snoop_err("too many programs to attach");
			return -1;
		}
		link = bpf_program__attach(prog);
		if (!link) {
			int err = errno;

			snoop_err("cannot attach to %s %s: %s%s", hook_kind_name(h->kind), h->target,
				  strerror(err),
				  err == EACCES ? " (tracefs needs root)" : "");
			return -1;
		}
		ts->links[ts->nlinks++] = link;
		if (ts->run.cfg.verbose)
			snoop_err("attach: %s %s", hook_kind_name(h->kind), h->target);
	}
	return 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct trace_state *ts = ctx;
	const struct snoop_tracer *tr = ts->run.tool->tracer;

	if (size < tr->min_event_size)
		return 0;
	if (tr->print(&ts->run, data, size) < 0 || ts->run.out.failed) {
		ts->stop = 1;
		return -EPIPE;
	}
	return 0;
}

static void print_header(struct snoop_run *run)
{
	const struct snoop_column *cols = run->tool->tracer->columns(run);
	FILE *f = run->out.f;
	bool first = true;

	if (run->cfg.json)
		return;
	if (run->cfg.timestamp) {
		fprintf(f, "%-8s", "TIME(s)");
		first = false;
	}
	if (run->cfg.print_uid) {
		fprintf(f, "%s%-6s", first ? "" : " ", "UID");
		first = false;
	}
	for (const struct snoop_column *c = cols; c->header; c++) {
		fprintf(f, "%s%*s", first ? "" : " ", c->width, c->header);
		first = false;
	}
	fputc('\n', f);
}

void snoop_event_begin(struct snoop_run *run, const struct snoop_event_hdr *h)
{
	output_record_begin(&run->out);
	if (run->cfg.timestamp)
		output_double(&run->out, "time", -8, 6 - 3 * !run->cfg.json,
			      h->ts_ns >= run->start_ns ? (h->ts_ns - run->start_ns) / 1e9 : 0);
	if (run->cfg.print_uid && !run->cfg.json)
		output_uint(&run->out, "uid", -6, h->uid);
}

static int report_lost(struct trace_state *ts)
{
	struct bpf_map *map = bpf_object__find_map_by_name(ts->obj, "snoop_lost");
	__u64 lost = 0;

	if (!map || snoop_percpu_sum(map, &lost) || !lost)
		return 0;
	snoop_err("lost %llu events (ring buffer full or too many calls in flight)",
		  (unsigned long long)lost);
	if (ts->run.cfg.json && !ts->run.out.failed) {
		output_record_begin(&ts->run.out);
		output_uint(&ts->run.out, "lost_events", 0, lost);
		output_record_end(&ts->run.out);
	}
	return 1;
}

static int open_object(struct trace_state *ts)
{
	const struct snoop_tracer *tr = ts->run.tool->tracer;
	size_t size = 0;
	const void *bytes = tr->object(&ts->run, &size);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = ts->run.tool->name);
	struct bpf_map *events;
	int err;

	ts->obj = bpf_object__open_mem(bytes, size, &opts);
	if (!ts->obj) {
		snoop_err("cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	err = snoop_rodata_set(ts->obj, "snoop_filter", &ts->run.cfg.filter,
			       sizeof(ts->run.cfg.filter));
	if (err) {
		snoop_err("cannot set the in-kernel filter: %s", strerror(-err));
		return -1;
	}
	if (tr->configure && tr->configure(&ts->run, ts->obj))
		return -1;
	events = bpf_object__find_map_by_name(ts->obj, "snoop_events");
	if (events)
		bpf_map__set_max_entries(events, SNOOP_RING_BYTES);
	return 0;
}

static int load_object(struct trace_state *ts)
{
	int err;

	if (ts->run.needs_kernel_btf && access("/sys/kernel/btf/vmlinux", R_OK)) {
		snoop_err("kernel has no BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF); "
			  "this option needs it");
		return -1;
	}
	err = bpf_object__load(ts->obj);
	if (!err)
		return 0;
	if (err == -EPERM)
		snoop_err("loading BPF programs was refused (EPERM): run as root, or with "
			  "CAP_BPF and CAP_PERFMON");
	else
		snoop_err("cannot load the BPF programs: %s%s", strerror(-err),
			  ts->run.cfg.verbose ? "" : " (run with -v for the verifier's log)");
	return -1;
}

static void run_loop(struct trace_state *ts)
{
	__u64 deadline = ts->run.cfg.duration > 0 ?
		ts->run.start_ns + (__u64)(ts->run.cfg.duration * 1e9) : 0;

	while (!ts->stop) {
		int timeout = SNOOP_POLL_MS, n;

		if (deadline) {
			__u64 now = snoop_now_ns();

			if (now >= deadline)
				break;
			if (deadline - now < SNOOP_POLL_MS * 1000000ULL)
				timeout = (deadline - now) / 1000000 + 1;
		}
		n = ring_buffer__poll(ts->rb, timeout);
		if (n == 0)
			n = ring_buffer__consume(ts->rb);
		if (n < 0 && n != -EINTR) {
			if (!ts->run.out.failed)
				snoop_err("reading events failed: %s", strerror(-n));
			break;
		}
		if (n > 0 && !output_flush(&ts->run.out))
			break;
	}
	/* Whatever the kernel sent before we stopped is still printed. */
	if (!ts->run.out.failed && ring_buffer__consume(ts->rb) >= 0)
		output_flush(&ts->run.out);
}

int snoop_trace_main(const struct snoop_tool *tool, int argc, char **argv)
{
	struct trace_state *ts = calloc(1, sizeof(*ts));
	int status = SNOOP_EXIT_FAIL, err;

	if (!ts)
		return SNOOP_EXIT_FAIL;
	ts->run.tool = tool;
	ts->run.tool_state = tool->state_size ? calloc(1, tool->state_size) : NULL;
	snoop_parse_args(tool, argc, argv, &ts->run.cfg, ts->run.tool_state);
	libbpf_set_print(ts->run.cfg.verbose ? libbpf_print_verbose : libbpf_print_quiet);
	snoop_signals_install(&ts->stop);

	if (!snoop_have_bpf_privileges())
		goto out;
	if (open_object(ts))
		goto out;
	err = select_variant(ts);
	if (err) {
		status = -err;
		goto out;
	}
	if (load_object(ts) || attach_variant(ts))
		goto out;
	snoop_tracefs_release(ts->tracefs_mounted);
	ts->tracefs_mounted = false;

	ts->rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(ts->obj, "snoop_events")),
				  handle_event, ts, NULL);
	if (!ts->rb) {
		snoop_err("cannot set up the ring buffer: %s", strerror(errno));
		goto out;
	}
	ts->run.start_ns = snoop_now_ns();
	output_init(&ts->run.out, stdout, ts->run.cfg.json);
	print_header(&ts->run);
	output_flush(&ts->run.out);
	run_loop(ts);
	report_lost(ts);
	status = SNOOP_EXIT_OK;
out:
	/* Teardown runs on every path: links first, then maps and programs. */
	ring_buffer__free(ts->rb);
	for (int i = 0; i < ts->nlinks; i++)
		bpf_link__destroy(ts->links[i]);
	bpf_object__close(ts->obj);
	snoop_tracefs_release(ts->tracefs_mounted);
	free(ts->run.tool_state);
	free(ts);
	return status;
}
