/* The life of a tracing tool, written once: options, open, pick the attach
 * variant, load, attach, stream events, report losses, tear down. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/wait.h>
#include "core/bpfobj.h"
#include "core/cgroup.h"
#include "core/spawn.h"
#include "core/options.h"
#include "core/tool.h"

/* The ring buffer holds this much.  The reader maps its data twice (for
 * records that wrap), resident from the start, so it is most of our RSS:
 * 512 KiB holds ~5,000 opensnoop records, ~15 ms at full rate, and lost
 * none of 1,000,000 opens with a CPU hog beside the reader; 1 MiB cost
 * 1 MiB more RSS for nothing measurable. */
#define SNOOP_RING_BYTES (1u << 19)
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

struct trace_state {
	struct snoop_run run;
	struct bpf_object *obj;
	struct bpf_link *links[32];
	int nlinks;
	struct ring_buffer *rb;
	const char *tracefs;
	bool tracefs_mounted;
	struct snoop_child child;
	volatile int stop;
};

/* Why a variant cannot run here, or NULL when it can.  Cheap checks, as
 * for hooks; probing a helper loads one tiny program. */
static const char *variant_missing(const struct snoop_variant *v, const struct trace_state *ts)
{
	struct bpf_program *first = NULL;

	for (const struct snoop_hook *h = v->hooks; h->prog; h++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(ts->obj, h->prog);

		if (!prog && !h->optional)
			return "it is not built for this architecture";
		if (!h->optional && !hook_available(h, ts->tracefs))
			return "this kernel lacks its hooks";
		if (!first)
			first = prog;
	}
	if (v->helper && first &&
	    libbpf_probe_bpf_helper(bpf_program__type(first), v->helper, NULL) != 1) {
		static char why[128];

		snprintf(why, sizeof(why), "this kernel lacks a helper it needs (%s)",
			 v->helper_since ? v->helper_since : "see -v");
		return why;
	}
	return NULL;
}

/* Programs every object carries from snoop.bpf.h, outside any variant. */
static bool is_shared_prog(const char *name)
{
	return !strncmp(name, "snoop_", 6);
}

/* Pick the first variant this kernel supports (or the one the user named),
 * and turn off autoload for every program it does not use. */
static int select_variant(struct trace_state *ts)
{
	const struct snoop_tracer *tr = ts->run.tool->tracer;
	const struct snoop_variant *chosen = NULL;
	const char *tracefs = ts->tracefs;

	for (const struct snoop_variant *v = tr->variants; v->name; v++) {
		if (ts->run.cfg.attach) {
			if (!strcmp(v->name, ts->run.cfg.attach))
				chosen = v;
		} else if (!variant_missing(v, ts)) {
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
	if (ts->run.cfg.attach) {
		const char *why = variant_missing(chosen, ts);

		if (why) {
			snoop_err("attach variant '%s' cannot run here: %s", chosen->name, why);
			return -SNOOP_EXIT_FAIL;
		}
	}
	ts->run.variant = chosen;

	struct bpf_program *prog;
	bpf_object__for_each_program(prog, ts->obj) {
		const char *name = bpf_program__name(prog);
		bool used = false;

		if (is_shared_prog(name)) {
			bpf_program__set_autoload(prog, ts->run.cfg.filter.follow);
			continue;
		}
		for (const struct snoop_hook *h = chosen->hooks; h->prog; h++)
			if (!strcmp(h->prog, name))
				used = hook_available(h, tracefs) || !h->optional;
		bpf_program__set_autoload(prog, used);
	}
	return 0;
}

static int attach_link(struct trace_state *ts, struct bpf_program *prog)
{
	struct bpf_link *link;

	if (ts->nlinks == (int)(sizeof(ts->links) / sizeof(ts->links[0]))) {
		errno = E2BIG;
		return -1;
	}
	link = bpf_program__attach(prog);
	if (!link)
		return -1;
	ts->links[ts->nlinks++] = link;
	return 0;
}

static int attach_variant(struct trace_state *ts)
{
	struct bpf_program *shared;

	/* Following first, so no fork is missed once events flow. */
	bpf_object__for_each_program(shared, ts->obj) {
		if (!is_shared_prog(bpf_program__name(shared)) || !bpf_program__autoload(shared))
			continue;
		if (attach_link(ts, shared)) {
			snoop_err("cannot attach %s: %s", bpf_program__section_name(shared),
				  strerror(errno));
			return -1;
		}
		if (ts->run.cfg.verbose)
			snoop_err("attach: %s", bpf_program__section_name(shared));
	}
	for (const struct snoop_hook *h = ts->run.variant->hooks; h->prog; h++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(ts->obj, h->prog);

		if (!prog || !bpf_program__autoload(prog)) {
			if (ts->run.cfg.verbose)
				snoop_err("skip: %s %s (not on this kernel)", hook_kind_name(h->kind),
					  h->target);
			continue;
		}
		if (attach_link(ts, prog)) {
			int err = errno;

			snoop_err("cannot attach to %s %s: %s%s", hook_kind_name(h->kind), h->target,
				  strerror(err),
				  err == EACCES ? " (tracefs needs root)" : "");
			return -1;
		}
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
	const struct snoop_column *cols;
	FILE *f = run->out.f;
	bool first = true;

	/* A tool without columns prints no events, only what finish() writes. */
	if (run->cfg.json || !run->tool->tracer->columns)
		return;
	cols = run->tool->tracer->columns(run);
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

/* Runs the kernel skipped: it does not run a tracing program on a CPU
 * where another one is already running (even another tool's), and counts
 * that per program.  Each skipped run of ours is a call we cannot report. */
static __u64 kernel_skipped_runs(struct trace_state *ts)
{
	struct bpf_program *prog;
	__u64 skipped = 0;

	bpf_object__for_each_program(prog, ts->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			skipped += info.recursion_misses;
	}
	return skipped;
}

static int report_lost(struct trace_state *ts)
{
	struct bpf_map *map = bpf_object__find_map_by_name(ts->obj, "snoop_lost");
	__u64 lost = 0, skipped = kernel_skipped_runs(ts);

	if (map && snoop_percpu_sum(map, &lost))
		lost = 0;
	if (!lost && !skipped)
		return 0;
	if (lost)
		snoop_err("lost %llu events (ring buffer full, or a call whose start was not seen)",
			  (unsigned long long)lost);
	/* A skipped run may have been for a task we were not tracing: an
	 * upper bound, reported apart from the exact count. */
	if (skipped)
		snoop_err("the kernel skipped our programs %llu times while another BPF program "
			  "ran on the same CPU: up to %llu more events may be missing",
			  (unsigned long long)skipped, (unsigned long long)skipped);
	if (ts->run.cfg.json && !ts->run.out.failed) {
		output_record_begin(&ts->run.out);
		output_uint(&ts->run.out, "lost_events", 0, lost);
		output_uint(&ts->run.out, "skipped_runs", 0, skipped);
		output_record_end(&ts->run.out);
	}
	return 1;
}

static int setup_follow(struct trace_state *ts)
{
	struct bpf_map *followed = bpf_object__find_map_by_name(ts->obj, "snoop_followed");
	int fork_off, free_off;

	if (!ts->run.cfg.filter.follow) {
		/* Unused: the smallest map the kernel accepts. */
		if (followed)
			bpf_map__set_max_entries(followed, 1);
		return 0;
	}
	if (!ts->tracefs) {
		snoop_err("following a command needs tracefs, which could not be mounted");
		return -1;
	}
	fork_off = snoop_tracepoint_field_offset(ts->tracefs, "sched/sched_process_fork", "child_pid");
	free_off = snoop_tracepoint_field_offset(ts->tracefs, "sched/sched_process_free", "pid");
	if (fork_off < 0 || free_off < 0) {
		snoop_err("cannot follow a command: the sched_process_fork/free tracepoints "
			  "are missing or unreadable in %s", ts->tracefs);
		return -1;
	}
	snoop_rodata_set(ts->obj, "snoop_fork_child_pid_off", &(__u32){ fork_off }, sizeof(__u32));
	snoop_rodata_set(ts->obj, "snoop_free_pid_off", &(__u32){ free_off }, sizeof(__u32));
	return 0;
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
	ts->run.cfg.filter.timestamps = ts->run.cfg.timestamp || tr->needs_timestamps;
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
	return setup_follow(ts);
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

static bool needs_tracefs(const struct trace_state *ts)
{
	if (ts->run.cfg.filter.follow)
		return true;
	for (const struct snoop_variant *v = ts->run.tool->tracer->variants; v->name; v++)
		if (variant_uses(v, SNOOP_HOOK_TRACEPOINT))
			return true;
	return false;
}

/* The command's end ends the run; a stop for another reason (duration, a
 * signal) ends tracing only, and we still wait for the command, passing on
 * a signal it did not get from the terminal itself. */
static int wait_command(struct trace_state *ts)
{
	int st = ts->run.command_status;

	if (!ts->run.command_status_known) {
		if (snoop_stop_signal && snoop_stop_signal_sent)
			kill(ts->child.pid, snoop_stop_signal);
		while (waitpid(ts->child.pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	ts->child.pid = 0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return SNOOP_EXIT_FAIL;
}

static bool command_ended(struct trace_state *ts)
{
	if (!ts->child.pid || ts->run.command_status_known)
		return ts->run.command_status_known;
	if (waitpid(ts->child.pid, &ts->run.command_status, WNOHANG) == ts->child.pid)
		ts->run.command_status_known = true;
	return ts->run.command_status_known;
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
		if (command_ended(ts))
			break;
	}
	/* Whatever the kernel sent before we stopped is still printed. */
	if (!ts->run.out.failed && ring_buffer__consume(ts->rb) >= 0)
		output_flush(&ts->run.out);
}

static void *destroy_link_thread(void *link)
{
	bpf_link__destroy(link);
	return NULL;
}

/* Detaching a tracepoint's perf event waits for an RCU grace period
 * (~70 ms here), so detaching opensnoop's eight one after the other took
 * 0.56 s at exit.  From threads the waits partly overlap: 0.33 s. */
static void destroy_links(struct bpf_link **links, int n)
{
	pthread_t threads[sizeof(((struct trace_state *)0)->links) / sizeof(links[0])];
	bool started[sizeof(threads) / sizeof(threads[0])] = { false };

	for (int i = 0; i < n; i++)
		started[i] = n > 1 && !pthread_create(&threads[i], NULL, destroy_link_thread, links[i]);
	for (int i = 0; i < n; i++) {
		if (started[i])
			pthread_join(threads[i], NULL);
		else
			bpf_link__destroy(links[i]);
	}
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

	if (ts->run.cfg.cgroup) {
		char why[512];

		if (cgroup2_resolve(ts->run.cfg.cgroup, &ts->run.cfg.filter.cgroup_id,
				    &ts->run.cfg.filter.cgroup_level, why, sizeof(why))) {
			snoop_err("--cgroup: %s", why);
			status = SNOOP_EXIT_USAGE;
			goto out;
		}
	}
	if (!snoop_have_bpf_privileges())
		goto out;
	if (ts->run.cfg.command)
		ts->run.cfg.filter.follow = 1;
	/* The command first: it must stay in the system's mount namespace if
	 * we go to one of our own for tracefs. */
	if (ts->run.cfg.command) {
		err = snoop_child_start(ts->run.cfg.command, &ts->child);
		if (err) {
			/* The shell's statuses: 127 not found, 126 not executable. */
			snoop_err("cannot run '%s': %s", ts->run.cfg.command[0], strerror(-err));
			status = err == -ENOENT ? 127 : err == -EACCES ? 126 : SNOOP_EXIT_FAIL;
			goto out;
		}
		ts->run.command_pid = ts->child.pid;
	}
	if (needs_tracefs(ts)) {
		ts->tracefs = snoop_tracefs(&ts->tracefs_mounted);
		if (ts->run.cfg.verbose && ts->tracefs_mounted)
			snoop_err("tracefs was not mounted: mounted it at %s in our own mount "
				  "namespace", ts->tracefs);
	}
	if (open_object(ts))
		goto out;
	err = select_variant(ts);
	if (err) {
		status = -err;
		goto out;
	}
	if (load_object(ts))
		goto out;
	if (ts->child.pid) {
		__u32 pid = ts->child.pid;
		__u8 one = 1;

		if (bpf_map__update_elem(bpf_object__find_map_by_name(ts->obj, "snoop_followed"),
					 &pid, sizeof(pid), &one, sizeof(one), BPF_ANY)) {
			snoop_err("cannot follow process %u: %s", pid, strerror(errno));
			goto out;
		}
	}
	if (attach_variant(ts))
		goto out;

	ts->rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(ts->obj, "snoop_events")),
				  handle_event, ts, NULL);
	if (!ts->rb) {
		snoop_err("cannot set up the ring buffer: %s", strerror(errno));
		goto out;
	}
	ts->run.start_ns = snoop_now_ns();
	output_init(&ts->run.out, stdout, ts->run.cfg.json);
	print_header(&ts->run);
	if (!output_flush(&ts->run.out) && ts->run.out.error != EPIPE) {
		snoop_err("cannot write the output: %s", strerror(ts->run.out.error));
		goto out;
	}
	if (ts->child.pid) {
		err = snoop_child_release(&ts->child);
		if (err) {
			snoop_err("cannot run '%s': %s", ts->run.cfg.command[0], strerror(err));
			waitpid(ts->child.pid, NULL, 0);
			ts->child.pid = 0;
			status = 127;
			goto out;
		}
	}
	run_loop(ts);
	report_lost(ts);
	status = SNOOP_EXIT_OK;
	/* A reader that went away (| head) is a normal end; a full disk or
	 * a bad descriptor is not. */
	if (ts->run.out.failed && ts->run.out.error != EPIPE) {
		snoop_err("cannot write the output: %s", strerror(ts->run.out.error));
		status = SNOOP_EXIT_FAIL;
	}
	if (ts->run.tool->tracer->finish)
		status = ts->run.tool->tracer->finish(&ts->run, ts->obj);
	if (ts->child.pid) {
		int command_status = wait_command(ts);

		/* The command's status is ours, unless finish() failed: then a
		 * caller must not mistake missing output for a good run. */
		if (status == SNOOP_EXIT_OK)
			status = command_status;
	}
out:
	/* Teardown runs on every path: links first, then maps and programs. */
	if (ts->child.pid && ts->child.go_fd >= 0)
		snoop_child_abort(&ts->child);
	ring_buffer__free(ts->rb);
	destroy_links(ts->links, ts->nlinks);
	bpf_object__close(ts->obj);
	free(ts->run.tool_state);
	free(ts);
	return status;
}
