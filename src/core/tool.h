/* What a tool is, and what the shared layer does for it.
 *
 * A tracing tool supplies its kernel object, its attach variants, its
 * columns and one function that prints an event; the shared layer parses
 * the common options, fills the in-kernel filter, picks the attach
 * variant this kernel supports, loads, attaches, runs the ring-buffer
 * loop, reports lost events and tears everything down.
 *
 * A tool that is not a tracer (an inspector, say) supplies main() instead
 * and uses the pieces it needs. */
#ifndef SNOOP_TOOL_H
#define SNOOP_TOOL_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "bpf/snoop_abi.h"
#include "core/output.h"

struct bpf_object;
struct snoop_run;

/* Common options a tool can take; the parser and the kernel filter for
 * each are written once, in core/options.c. */
enum snoop_common_opt {
	SNOOP_OPT_PID       = 1u << 0,  /* -p/--pid */
	SNOOP_OPT_TID       = 1u << 1,  /* -t/--tid */
	SNOOP_OPT_UID       = 1u << 2,  /* -u/--uid */
	SNOOP_OPT_NAME      = 1u << 3,  /* -n/--name */
	SNOOP_OPT_FAILED    = 1u << 4,  /* -x/--failed */
	SNOOP_OPT_TIMESTAMP = 1u << 5,  /* -T/--timestamp */
	SNOOP_OPT_PRINT_UID = 1u << 6,  /* -U/--print-uid */
	SNOOP_OPT_DURATION  = 1u << 7,  /* -d/--duration */
	SNOOP_OPT_JSON      = 1u << 8,  /* -j/--json */
	SNOOP_OPT_VERBOSE   = 1u << 9,  /* -v/--verbose */
	SNOOP_OPT_ATTACH    = 1u << 10, /* --attach=VARIANT */
	SNOOP_OPT_CGROUP    = 1u << 11, /* --cgroup=PATH */
	SNOOP_OPT_COMMAND   = 1u << 12, /* -- COMMAND [ARGS...] */
};

#define SNOOP_OPTS_TRACER (SNOOP_OPT_PID | SNOOP_OPT_TID | SNOOP_OPT_UID | SNOOP_OPT_NAME | \
			   SNOOP_OPT_TIMESTAMP | SNOOP_OPT_PRINT_UID | SNOOP_OPT_DURATION | \
			   SNOOP_OPT_JSON | SNOOP_OPT_VERBOSE | SNOOP_OPT_ATTACH | \
			   SNOOP_OPT_CGROUP | SNOOP_OPT_COMMAND)

struct snoop_config {
	struct snoop_filter filter;  /* copied into the object's .rodata */
	double duration;             /* seconds; 0: until interrupted */
	bool json;
	bool verbose;
	bool timestamp;
	bool print_uid;
	const char *attach;          /* forced variant name, or NULL */
	const char *cgroup;          /* --cgroup PATH as given */
	char **command;              /* -- COMMAND ARGS..., NULL-terminated, or NULL */
};

enum snoop_hook_kind {
	SNOOP_HOOK_TRACEPOINT,  /* target "category/name", needs tracefs */
	SNOOP_HOOK_RAW_TP,      /* target "name" */
	SNOOP_HOOK_KPROBE,      /* target "function" */
};

/* One program of a variant and where it attaches. */
struct snoop_hook {
	const char *prog;
	enum snoop_hook_kind kind;
	const char *target;
	bool optional;          /* missing on some kernels or architectures */
};

/* One way of attaching the whole tool; a tool lists them best first.  A
 * variant is available when this kernel has its hooks and the helper it
 * needs, and the object has its programs (some are built for one
 * architecture only). */
struct snoop_variant {
	const char *name;
	const struct snoop_hook *hooks;  /* ends with { NULL } */
	int helper;             /* BPF_FUNC_* its programs need; 0: none */
	const char *helper_since;  /* for the message when it is missing */
};

struct snoop_column {
	const char *header;
	int width;              /* printf width: negative left-aligns, 0 is last */
};

struct snoop_tracer {
	/* The kernel object to load, as embedded by its skeleton. */
	const void *(*object)(const struct snoop_run *run, size_t *size);
	const struct snoop_variant *variants;  /* ends with { NULL } */
	/* Set the tool's own .rodata knobs; may be NULL. */
	int (*configure)(struct snoop_run *run, struct bpf_object *obj);
	/* Table columns after the common TIME and UID ones, given the options. */
	const struct snoop_column *(*columns)(const struct snoop_run *run);
	/* Print one event; return <0 to stop. */
	int (*print)(struct snoop_run *run, const void *data, size_t size);
	size_t min_event_size;
	/* Events carry ts_ns even without -T (the kernel side reads the clock
	 * only when they must). */
	bool needs_timestamps;
	/* After the last event: print what was aggregated in the kernel;
	 * may be NULL.  Returns an exit status. */
	int (*finish)(struct snoop_run *run, struct bpf_object *obj);
};

/* A kernel object embedded in the binary (its skeleton's ELF bytes), so
 * `inspect --tool NAME` can show what a tool loads. */
struct snoop_object {
	const char *name;                        /* the .bpf.c file's name */
	const void *(*elf_bytes)(size_t *size);  /* NAME_bpf__elf_bytes */
};

struct snoop_tool {
	const char *name;
	const char *summary;
	const char *doc;               /* argp doc: text before/after options */
	const char *args_doc;
	const struct argp_option *options;  /* the tool's own; may be NULL */
	error_t (*parse)(int key, char *arg, struct argp_state *state);
	unsigned common;               /* SNOOP_OPT_* */
	const struct snoop_tracer *tracer;
	int (*main)(int argc, char **argv);  /* for tools that are not tracers */
	size_t state_size;             /* bytes of tool state in run->tool_state */
	const struct snoop_object *objects;  /* ends with { NULL }; may be NULL */
};

struct snoop_run {
	const struct snoop_tool *tool;
	struct snoop_config cfg;
	struct output out;
	void *tool_state;
	__u64 start_ns;                /* CLOCK_MONOTONIC at attach */
	const struct snoop_variant *variant;
	bool needs_kernel_btf;         /* set by tracer->object() for CO-RE objects */
	int command_status;            /* wait status of -- COMMAND, once it ended */
	bool command_status_known;
	int command_pid;               /* 0: no command */
};

/* Start an event's record: the common TIME and UID columns, as enabled. */
void snoop_event_begin(struct snoop_run *run, const struct snoop_event_hdr *h);

/* Exit statuses. */
enum { SNOOP_EXIT_OK = 0, SNOOP_EXIT_FAIL = 1, SNOOP_EXIT_USAGE = 2 };

/* Run a tracing tool from its argv (argv[0] is the tool's name). */
int snoop_trace_main(const struct snoop_tool *tool, int argc, char **argv);

/* The registry, in core/registry.c. */
extern const struct snoop_tool *const snoop_tools[];
const struct snoop_tool *snoop_tool_find(const char *name);

/* Print "TOOL: message" on stderr. */
void snoop_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void snoop_set_prog_name(const char *name);
extern const char *snoop_prog_name;

#endif
