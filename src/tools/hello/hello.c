/* hello: the classic first BPF program, end to end in one command.
 *
 * It shows the whole path a learner needs to see once: a global set from
 * user space through the skeleton before load, a tracepoint program that
 * calls bpf_printk(), and the kernel trace pipe where that output lands.
 * It reads the pipe itself, so no second terminal is needed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "core/bpfobj.h"
#include "core/objinfo.h"
#include "core/options.h"
#include "core/tool.h"
#include "core/tracepipe.h"
#include "hello.skel.h"

struct hello_hook {
	const char *prog;
	const char *tracepoint;   /* under events/, "syscalls/sys_enter_write" */
	bool optional;            /* not every architecture has it */
};

struct hello_event {
	const char *name;
	const char *prefix;       /* what our program's lines start with */
	struct hello_hook hooks[4];
};

static const struct hello_event hello_events[] = {
	{ "write", "BPF triggered from PID ", {
		{ "hello_write", "syscalls/sys_enter_write" } } },
	{ "exec", "Hello, World! from ", {
		{ "hello_execve", "syscalls/sys_enter_execve" },
		{ "hello_execveat", "syscalls/sys_enter_execveat", true } } },
	/* Every way to a new task: fork() is clone(2) in glibc, threads come
	 * through clone3(2), and dash starts commands with vfork(2). */
	{ "clone", "Hello, World! from ", {
		{ "hello_clone", "syscalls/sys_enter_clone" },
		{ "hello_clone3", "syscalls/sys_enter_clone3", true },
		{ "hello_fork", "syscalls/sys_enter_fork", true },
		{ "hello_vfork", "syscalls/sys_enter_vfork", true } } },
	{ "open", "Hello, World! from ", {
		{ "hello_openat", "syscalls/sys_enter_openat" },
		{ "hello_open", "syscalls/sys_enter_open", true },
		{ "hello_openat2", "syscalls/sys_enter_openat2", true } } },
	{ NULL },
};

struct hello_opts {
	const struct hello_event *event;
	bool show_object;
};

enum { KEY_EVENT = 'e', KEY_SHOW_OBJECT = 0x1100 };

static const struct argp_option hello_options[] = {
	{ "event", KEY_EVENT, "EVENT", 0,
	  "Attach to this syscall instead: exec, clone, open or write (default: write, "
	  "which fires for this process only; the others greet every process)", 1 },
	{ "show-object", KEY_SHOW_OBJECT, NULL, 0,
	  "First print what 'inspect --tool hello' says about the BPF object about to be "
	  "loaded: its sections, programs, maps and globals (with -j: one JSON line)", 1 },
	{ 0 },
};

static error_t hello_parse(int key, char *arg, struct argp_state *st)
{
	struct hello_opts *o = snoop_parse_tool_state(st);

	switch (key) {
	case KEY_EVENT:
		for (const struct hello_event *e = hello_events; e->name; e++)
			if (!strcmp(e->name, arg))
				o->event = e;
		if (!o->event)
			argp_error(st, "invalid EVENT '%s': give exec, clone, open or write", arg);
		return 0;
	case KEY_SHOW_OBJECT:
		o->show_object = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s': hello takes options only", arg);
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

struct hello_run {
	const struct hello_event *event;
	struct output out;
	int self;
};

/* Show only what our own program printed: the trace pipe is shared by
 * every BPF program on the machine. */
static int hello_line(void *ctx, const char *line, size_t len)
{
	struct hello_run *r = ctx;
	struct tracepipe_line l;
	static const char ev[] = "bpf_trace_printk";

	if (!tracepipe_parse(line, len, &l))
		return 0;
	if (l.event_len != sizeof(ev) - 1 || memcmp(l.event, ev, l.event_len) ||
	    !tracepipe_message_starts(&l, r->event->prefix))
		return 0;
	if (r->event == &hello_events[0] && l.pid != r->self)
		return 0;
	tracepipe_output(&r->out, &l, line, len);
	return r->out.failed ? -EPIPE : 0;
}

static bool tracepoint_exists(const char *tracefs, const char *tp)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/events/%s/id", tracefs, tp);
	return access(path, F_OK) == 0;
}

/* Load only the programs of the chosen event, then attach them; the
 * skeleton keeps the links, so hello_bpf__destroy() detaches them. */
static int hello_attach(struct hello_bpf *skel, const struct hello_event *ev, const char *tracefs)
{
	struct bpf_program *prog;
	int err;

	bpf_object__for_each_program(prog, skel->obj) {
		bool used = false;

		for (const struct hello_hook *h = ev->hooks; h->prog; h++)
			if (!strcmp(h->prog, bpf_program__name(prog)))
				used = !h->optional || tracepoint_exists(tracefs, h->tracepoint);
		bpf_program__set_autoload(prog, used);
	}
	err = hello_bpf__load(skel);
	if (err) {
		if (err == -EPERM)
			snoop_err("loading BPF programs was refused (EPERM): run as root, or with "
				  "CAP_BPF and CAP_PERFMON");
		else
			snoop_err("cannot load the BPF programs: %s (run with -v for the verifier's log)",
				  strerror(-err));
		return -1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog))
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			snoop_err("cannot attach %s: %s", bpf_program__name(prog), strerror(errno));
			return -1;
		}
		/* Store it where the skeleton destroys it. */
		for (int i = 0; i < skel->skeleton->prog_cnt; i++)
			if (*skel->skeleton->progs[i].prog == prog)
				*skel->skeleton->progs[i].link = link;
	}
	return 0;
}

static int hello_main(int argc, char **argv)
{
	extern const struct snoop_tool snoop_tool_hello;
	struct hello_opts opts = { 0 };
	struct snoop_config cfg;
	struct tracepipe tp = { .fd = -1 };
	struct hello_run r = { 0 };
	struct hello_bpf *skel = NULL;
	volatile int stop = 0;
	int status = SNOOP_EXIT_FAIL, trigger_fd = -1;
	__u64 deadline, next_trigger;

	snoop_parse_args(&snoop_tool_hello, argc, argv, &cfg, &opts);
	if (!opts.event)
		opts.event = &hello_events[0];
	r.event = opts.event;
	r.self = getpid();
	if (!cfg.verbose)
		libbpf_set_print(NULL);
	output_init(&r.out, stdout, cfg.json);
	if (opts.show_object) {
		size_t size;
		const void *elf = hello_bpf__elf_bytes(&size);

		if (objinfo_print_named(elf, size, "tool:hello", &r.out,
					cfg.verbose ? OBJINFO_VERBOSE : 0))
			return SNOOP_EXIT_FAIL;
		if (!cfg.json)
			fputc('\n', stdout);
		if (!output_flush(&r.out))
			return SNOOP_EXIT_FAIL;
	}
	snoop_signals_install(&stop);
	if (!snoop_have_bpf_privileges())
		return SNOOP_EXIT_FAIL;

	if (tracepipe_open(&tp))
		goto out;
	if (r.event == &hello_events[0]) {
		trigger_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (trigger_fd < 0) {
			snoop_err("cannot open /dev/null to write to: %s", strerror(errno));
			goto out;
		}
	}

	skel = hello_bpf__open();
	if (!skel) {
		snoop_err("cannot open the BPF object: %s", strerror(errno));
		goto out;
	}
	/* The skeleton way to hand a program its settings: write its globals
	 * before load. */
	skel->rodata->hello_pid = r.self;
	skel->rodata->hello_fd = trigger_fd;
	if (hello_attach(skel, r.event, tp.dir))
		goto out;

	if (r.event == &hello_events[0])
		snoop_err("attached to syscalls:sys_enter_write; writing to /dev/null once a second "
			  "to trigger it (Ctrl-C to stop)");
	else
		snoop_err("attached to syscalls:%s; greeting every process that calls it "
			  "(Ctrl-C to stop)", strchr(r.event->hooks[0].tracepoint, '/') + 1);

	next_trigger = snoop_now_ns();
	deadline = cfg.duration > 0 ? next_trigger + (__u64)(cfg.duration * 1e9) : 0;
	while (!stop) {
		__u64 now = snoop_now_ns(), wait_ns = 200000000ULL;
		int n;

		if (deadline && now >= deadline)
			break;
		if (trigger_fd >= 0) {
			if (now >= next_trigger) {
				if (write(trigger_fd, "hello\n", 6) < 0) {
					snoop_err("write to /dev/null failed: %s", strerror(errno));
					goto out;
				}
				next_trigger += 1000000000ULL;
			}
			if (next_trigger - now < wait_ns)
				wait_ns = next_trigger > now ? next_trigger - now : 0;
		}
		if (deadline && deadline - now < wait_ns)
			wait_ns = deadline - now;
		n = tracepipe_read(&tp, (int)(wait_ns / 1000000) + 1, hello_line, &r);
		/* A reader that went away (head, a closed pipe) ends the run as
		 * Ctrl-C does, as in every tracer. */
		if (n < 0 && r.out.failed)
			break;
		if (n < 0) {
			snoop_err("reading %s/trace_pipe failed: %s", tp.dir, strerror(-n));
			goto out;
		}
		if (n > 0 && !output_flush(&r.out))
			break;
	}
	/* Lines printed by the last trigger are already in the buffer. */
	if (!r.out.failed && tracepipe_read(&tp, 0, hello_line, &r) >= 0)
		output_flush(&r.out);
	status = SNOOP_EXIT_OK;
out:
	hello_bpf__destroy(skel);
	tracepipe_close(&tp);
	if (trigger_fd >= 0)
		close(trigger_fd);
	return status;
}

static const struct snoop_object hello_objects[] = {
	{ "hello", hello_bpf__elf_bytes },
	{ NULL },
};

const struct snoop_tool snoop_tool_hello = {
	.name = "hello",
	.summary = "Hello, World! with bpf_printk, read back from the trace pipe",
	.doc = "The first BPF program: a tracepoint on write(2) that calls bpf_printk() for this "
	       "process only (its PID is set in a global before load), triggered once a second; "
	       "hello reads the kernel trace pipe itself and prints the lines its program wrote."
	       "\vExamples:\n"
	       "  hello                 \"BPF triggered from PID N\" once a second\n"
	       "  hello --event exec    \"Hello, World! from COMM PID\" for every exec\n"
	       "  hello -d 3 -j         three lines, as JSON Lines\n"
	       "  hello --show-object   what is in the object first, then the greetings",
	.options = hello_options,
	.parse = hello_parse,
	.common = SNOOP_OPT_DURATION | SNOOP_OPT_JSON | SNOOP_OPT_VERBOSE,
	.main = hello_main,
	.state_size = sizeof(struct hello_opts),
	.objects = hello_objects,
};
